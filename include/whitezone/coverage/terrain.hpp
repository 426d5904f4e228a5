#pragma once
/// \file coverage/terrain.hpp
/// The terrain mode (--dem): a station covers the cells of its footprint that its antenna
/// sees. docs/method.md §3 has the method; in short, for each station:
///
///  - rays leave the antenna every `cell / radius` radians (one cell apart at the edge of the
///    range) and sample the DEM (bilinear) every cell along the way, each ray keeping the
///    highest elevation angle met so far and where it was met;
///  - a cell of the footprint (disk or sector, as in the disk model) is in line of sight when
///    the line from the antenna (ground + antenna height) to a receiver 1.5 m above the cell's
///    ground rises above the steepest obstacle of its ray before it. Heights are lowered by
///    d² / (2 k R) for the Earth's curvature with the effective radius factor k (4/3: standard
///    refraction);
///  - with `diffraction`, the steepest obstacle is a knife edge instead: a cell is covered
///    when its diffraction loss J(v) (ITU-R P.526) fits in the link's margin — the Hata
///    model's EIRP − L(d) − threshold, or `diffraction_margin_db` in the disk model.
///
/// The work of a station is local to its range (rays of its radius, cells of its box) and
/// stations run in parallel; the result does not depend on the number of threads.

#include "whitezone/coverage/options.hpp"
#include "whitezone/dem.hpp"
#include "whitezone/itm_raster.hpp"
#include "whitezone/raster.hpp"
#include "whitezone/types.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace whitezone {

struct Footprints;
struct Station;
struct CoverageOptions;

/// Coverage as a raster on the DEM's grid: per class, 1 where a station serving the class
/// gives signal.
struct CoverageRaster {
    GridSpec grid;
    PerClass<std::vector<std::uint8_t>> covered;

    [[nodiscard]] bool covers(ServiceClass cls, XY p) const {
        int col = 0, row = 0;
        return grid.cell_of(p, col, row) && covered[index_of(cls)][grid.index(col, row)] != 0;
    }
};

/// Knife-edge diffraction loss J(v) in dB for the Fresnel-Kirchhoff parameter v (ITU-R
/// P.526-15 eq. 31): 6.9 + 20 log(√((v − 0.1)² + 1) + v − 0.1) for v > −0.78, else 0.
double knife_edge_loss_db(double v);

/// Counts of a terrain run, for the log and warnings.
struct TerrainStats {
    /// Footprints (indices) whose station stands where the DEM has no data, ascending.
    std::vector<std::size_t> without_ground;
    /// The ITM model only: what itm_received_power() did, summed over the stations.
    ItmRasterStats itm;
};

/// The footprints (indices, ascending) whose station stands where `dem` has no data (the
/// DEM's bilinear height at the footprint's centre is NaN): TerrainStats::without_ground of
/// the terrain mode and the ITM model, which give such stations no signal.
std::vector<std::size_t> footprints_without_ground(const Footprints& footprints,
                                                   const Raster<float>& dem);

/// The covered cells of every footprint on the DEM's grid, on `options.threads` threads.
/// `footprints` are those of model_coverage() for `stations` (radius, sector, model).
/// A station standing where the DEM has no data covers nothing (counted in `stats`).
/// With `start` (on the same grid), its covered cells are covered too: a network that grows
/// (the trend's years) adds only its new stations' footprints.
CoverageRaster model_terrain_coverage(const std::vector<Station>& stations,
                                      const Footprints& footprints, const Raster<float>& dem,
                                      const CoverageOptions& options, TerrainStats* stats = nullptr,
                                      const CoverageRaster* start = nullptr);

/// Per class and probe point, the stations (indices into the stations, ascending, each once)
/// that serve the probe's cell: terrain_servers(), ItmCoverage::probe_servers.
using ProbeServers = PerClass<std::vector<std::vector<std::uint32_t>>>;

/// Per class and probe point (in the grid's CRS, e.g. the village centres), the stations
/// (indices into `stations`, ascending, each once) whose signal reaches the probe's cell in
/// the terrain mode: exactly the cells model_terrain_coverage() covers from each of those
/// stations alone (the same rays, cells and tests), found for the probes' cells only. An
/// operator reaches a centre when one of its stations does (operators_at_villages()), without
/// a run per operator. An empty list for a probe off the grid.
ProbeServers terrain_servers(const std::vector<Station>& stations, const Footprints& footprints,
                             const Raster<float>& dem, const CoverageOptions& options,
                             std::span<const XY> probes);

/// The covered cells of one class inside `window` (a part of the raster's grid, e.g. the
/// study area), as polygons in the work CRS (GDAL's polygonize: cell edges, 4-connected).
MultiPolygon polygonize_coverage(const CoverageRaster& raster, ServiceClass cls,
                                 const GridSpec& window);

} // namespace whitezone
