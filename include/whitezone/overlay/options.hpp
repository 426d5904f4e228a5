#pragma once
/// \file overlay/options.hpp
/// Options of the overlay stage (config keys "village_radius_m", "cluster_min_people"),
/// declared once in declare_options() below.

#include "whitezone/options.hpp"

namespace whitezone {

/// Options of the overlay stage.
struct OverlayOptions {
    /// A point village's share is that of a disk of this radius around it (metres); 0 makes
    /// it 1 or 0 from its centre alone.
    double village_radius_m = 0.0;
    /// With a population grid and no settlements layer, the grid cells of a village with at
    /// least this many people are its residential clusters (config "cluster_min_people").
    double cluster_min_people = 1.0;
    /// Worker threads; results do not depend on it.
    int threads = 1;
};

/// The top-level keys of the overlay stage.
inline void declare_options(OptionSet& o, OverlayOptions& overlay) {
    o.number("village_radius_m", overlay.village_radius_m, {0.0, 100000.0},
             "For point villages: 0 makes the covered share 1 or 0 from the centre alone; a "
             "value above 0 computes the share of a disk of this radius.");
    o.number("cluster_min_people", overlay.cluster_min_people, {0.0, 1e9},
             "With a population grid and no settlements layer: a village's grid cells with at "
             "least this many people are its residential clusters for the official rule "
             "([terrain.md](terrain.md#population-grids)).");
}

} // namespace whitezone
