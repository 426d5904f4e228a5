#pragma once
/// \file overlay.hpp
/// Stage 4, overlay: per village and service class, whether its centre has signal, the
/// covered share of its area, and which of its residential clusters have signal.

#include "whitezone/coverage.hpp"
#include "whitezone/prepare.hpp"
#include "whitezone/types.hpp"

#include <vector>

namespace whitezone {

/// Options of the overlay stage.
struct OverlayOptions {
    /// A point village's share is that of a disk of this radius around it (metres); 0 makes
    /// it 1 or 0 from its centre alone.
    double village_radius_m = 0.0;
    /// Worker threads; results do not depend on it.
    int threads = 1;
};

/// One village's overlay for one class.
struct VillageOverlay {
    bool centre = false;      ///< signal at the village centre
    double share = 0.0;       ///< covered share of the area, 0-1
    int clusters = 0;         ///< residential clusters in the village (settlements layer)
    int clusters_without = 0; ///< of those, how many have no signal
};

/// Overlay of every village, per class, in village order.
struct Overlay {
    PerClass<std::vector<VillageOverlay>> villages;
};

/// Computes the overlay with a hash grid over the footprints: each village meets only the
/// footprints near it; a village inside one footprint, or near none, needs no polygon
/// overlay. Throws ExternalError when GEOS fails.
Overlay overlay_villages(const PreparedInputs& inputs, const Footprints& footprints,
                         const OverlayOptions& options, const Log& log);

} // namespace whitezone
