#pragma once
/// \file rank/options.hpp
/// Options of the rank stage (config object "rank"), declared once in declare_options()
/// below.

#include "whitezone/options.hpp"
#include "whitezone/types.hpp"

namespace whitezone {

/// Options of the rank stage (config "rank").
struct RankOptions {
    ServiceClass service_class = ServiceClass::Broadband; ///< "class": which status is a gap
    /// Reach of one new tower, metres: a tower at a gap village's centre reaches the gap
    /// villages whose centres are this close (a 4G cell's default radius). Gap villages this
    /// close are neighbours in the gap graph; its connected components are the clusters.
    double cluster_distance_m = 3500.0;
    /// Weight of the neighbouring gap villages' people in the score (0: ignore them).
    double cluster_weight = 0.5;
    /// Multiplier for a village without grid power (a site there costs more).
    double no_power_factor = 0.7;
    /// Distance at which the distance factor halves (backhaul and access cost).
    double distance_scale_m = 20000.0;
};

/// The keys of the "rank" object.
inline void declare_options(OptionSet& o, RankOptions& rank) {
    o.choice("class", rank.service_class, kServiceClassNames,
             "Which class's white and partial villages are the gaps to rank.");
    o.number("cluster_distance_m", rank.cluster_distance_m, {0.0, 1e9},
             "Reach of one new tower: gap villages with centres this close are neighbours. 0 "
             "makes every gap village its own cluster.");
    o.number("cluster_weight", rank.cluster_weight, {0.0, 1e9},
             "Weight of the neighbours' people without signal in the score. 0 ignores them.");
    o.number("no_power_factor", rank.no_power_factor, {0.0, 1e9},
             "Score multiplier for a village with `has_power` false. 1 means no penalty.");
    o.number("distance_scale_m", rank.distance_scale_m, {0.0, 1e9},
             "Distance to the nearest site at which the distance factor halves. 0 switches the "
             "factor off.");
}

} // namespace whitezone
