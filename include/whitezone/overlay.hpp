#pragma once
/// \file overlay.hpp
/// Stage 4, overlay: per village and service class, whether its centre has signal, the
/// covered share of its area, and which of its residential clusters have signal.

#include "whitezone/coverage.hpp"
#include "whitezone/overlay/options.hpp"
#include "whitezone/prepare.hpp"
#include "whitezone/raster.hpp"
#include "whitezone/types.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string_view>
#include <vector>

namespace whitezone {

/// One village's overlay for one class.
struct VillageOverlay {
    // Members ordered by size so that there is no padding: a national run holds two per village.
    /// Covered share of the area, 0-1; of the village's people when `people` is set.
    double share = 0.0;
    /// The figures (population, else households) of all the clusters that have one.
    double cluster_people = 0.0;
    /// The figures of the clusters without signal that have one.
    double cluster_people_without = 0.0;
    /// People in the village per the population grid (--population); unset without a grid,
    /// for point villages, and for villages that hold no grid cell's centre.
    OptionalDouble people;
    int clusters = 0;         ///< residential clusters in the village (settlements layer)
    int clusters_without = 0; ///< of those, how many have no signal
    /// Clusters with their own figures (Settlement::people()), of all the village's.
    int clusters_with_people = 0;
    /// Clusters without signal and without figures of their own.
    int clusters_without_unknown = 0;
    bool centre = false; ///< signal at the village centre
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

/// The overlay on the terrain mode's coverage raster. A polygon village's share is the covered
/// share of the cells whose centres lie inside it (the cell under its centre when none
/// does); a point village's that of the cells within `village_radius_m` of it (its own cell
/// for 0); its centre and clusters have signal when their cells are covered.
Overlay overlay_villages_raster(const PreparedInputs& inputs, const CoverageRaster& coverage,
                                const OverlayOptions& options);

/// Counts residential cluster `cluster` into its village's overlay `o`: clusters, those
/// without signal, and their figures.
void count_cluster(VillageOverlay& o, const Settlement& cluster, bool signal);

/// Whether class `cls` has signal at point `p` of the work CRS.
using SignalAt = std::function<bool(ServiceClass cls, XY p)>;

/// Signal at a point from the footprints' exact shapes (disks and wedges), through a hash grid.
SignalAt signal_from_footprints(const Footprints& footprints);

/// Weights the overlay by a population grid: each cell's people go to the polygon village its
/// centre lies in; a village that receives people gets `people` and, per class, the share
/// of them whose cell centre has signal (`signal`). Other villages keep their area share.
/// Without a settlements layer, the cells of a village with at least
/// options.cluster_min_people people become its residential clusters (those without
/// signal: `clusters_without`), as settlements would be.
void apply_population(Overlay& overlay, const PreparedInputs& inputs,
                      const std::vector<PopulationCell>& cells, const SignalAt& signal,
                      const OverlayOptions& options);

/// A network's coverage in one of its representations, as the stages after the model use it:
/// the footprints' exact shapes (vector: the disk and Hata models) or a raster of covered
/// cells (the terrain mode and ITM). The pipeline asks it for the coverage polygons, the
/// villages' overlay and the signal at a point, never which representation it is; another
/// representation (e.g. per-class received power on a grid) is one more implementation.
/// Holds references: the footprints or raster must outlive it.
class CoverageView {
  public:
    CoverageView() = default;
    CoverageView(const CoverageView&) = delete;
    CoverageView& operator=(const CoverageView&) = delete;
    virtual ~CoverageView() = default;

    /// "footprints" or "raster".
    [[nodiscard]] virtual std::string_view kind() const = 0;
    /// How shapes() makes the polygons, for the log: "dissolved per class", "polygonized …".
    [[nodiscard]] virtual std::string_view shapes_method() const = 0;
    /// The covered area of each class as polygons in the work CRS, over the study area
    /// `study` (a raster is cut to it; footprints are whole). When `stop` is requested it
    /// throws Cancelled ("coverage: cancelled") at its next step (a strip of footprints, a
    /// class of the raster): for a caller that no longer needs the polygons.
    [[nodiscard]] virtual PerClass<MultiPolygon> shapes(const Extent& study, int threads,
                                                        std::stop_token stop = {}) const = 0;
    /// Per village and class: signal at the centre, covered share, clusters without signal.
    [[nodiscard]] virtual Overlay overlay(const PreparedInputs& inputs,
                                          const OverlayOptions& options, const Log& log) const = 0;
    /// Signal at a point (e.g. a population cell's centre).
    [[nodiscard]] virtual SignalAt signal() const = 0;
};

/// The vector representation: footprints (overlay_villages(), dissolve_coverage()).
std::unique_ptr<CoverageView> footprint_coverage(const Footprints& footprints);

/// The raster representation: covered cells (overlay_villages_raster(),
/// polygonize_coverage()).
std::unique_ptr<CoverageView> raster_coverage(const CoverageRaster& raster);

} // namespace whitezone
