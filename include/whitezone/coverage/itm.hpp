#pragma once
/// \file coverage/itm.hpp
/// The ITM coverage model (`"coverage_model": "itm"` with a DEM; docs/itm.md, "Coverage as
/// received power"): for each station, the received power on the work grid within its
/// footprint's radius with the Irregular Terrain Model along rays (itm_received_power()), plus
/// the antenna's gain toward each cell for sectors; a cell is served in a class when a
/// station of the class reaches its technology's threshold there at the configured
/// reliability (ItmCoverageOptions).

#include "whitezone/coverage/options.hpp"
#include "whitezone/coverage/terrain.hpp"
#include "whitezone/itm_raster.hpp"
#include "whitezone/raster.hpp"
#include "whitezone/types.hpp"

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace whitezone {

struct Footprint;
struct Footprints;
struct Station;

/// Gain of a sector antenna relative to its boresight, dB, `off_axis_deg` away from its
/// azimuth (any sign, any turn), for a half-power beamwidth `beamwidth_deg`: the horizontal
/// pattern of 3GPP TR 36.814 (Table A.2.1.1-2), A(θ) = −min(12 (θ / θ3dB)², 20 dB). 0 for a
/// beamwidth of 360° or more (an omni antenna).
double sector_gain_db(double off_axis_deg, double beamwidth_deg);

/// The lowest and the highest sector_gain_db() toward the bearings `from_deg` … `to_deg`
/// (degrees clockwise from north, `from_deg` ≤ `to_deg`, not wrapped) of a sector pointing at
/// `azimuth_deg`: the decision band along a ray (ItmRasterOptions::gain_between).
std::pair<double, double> sector_gain_between(double from_deg, double to_deg, double azimuth_deg,
                                              double beamwidth_deg);

/// The ITM inputs and power budget of footprint `f` of station `s` (model_itm_coverage()):
/// the station's height, frequency and EIRP, else options.hata's per technology; the
/// receiver at hata.receiver_height_m; ITM's climate, ground and reliability from
/// options.itm (broadcast mode, vertical polarisation); the footprint's radius as the range.
/// The sector gain and itm.offset_db are not in it.
ItmRasterOptions itm_radio_of(const Footprint& f, const Station& s, const CoverageOptions& options);

/// The received power of a network on the work grid, per class: at each cell the best
/// server's power (dBm; NaN where no station of the class reaches the cell) and its index
/// into the stations (−1 for none). The best server is the station with the largest margin
/// over its technology's threshold (with one technology: the strongest); ties go to the lower
/// index.
struct SignalRasters {
    GridSpec grid;
    PerClass<std::vector<float>> best_dbm;
    PerClass<std::vector<std::int32_t>> best_station;
};

/// The ITM model's result: the served cells (as the terrain mode's raster, for the
/// `coverage` layer and the overlay) and the received power behind them.
struct ItmCoverage {
    CoverageRaster raster;
    SignalRasters signal;
    /// With probe points: per class and probe, the stations (indices into the stations,
    /// ascending, each once) that serve the probe's cell, i.e. reach their threshold there.
    /// The operators at the village centres come from it instead of a model run per operator
    /// (operators_at_villages()). Empty without probes; an empty list for a probe off the grid.
    ProbeServers probe_servers;
};

/// Received power of every footprint's station on the DEM's grid (within the footprint's
/// radius; sectors with their gain pattern, not cut to the wedge), on `options.threads`
/// threads; the result does not depend on their number. EIRP, frequency and heights come
/// from the station, else from options.hata; thresholds and reliability from options.itm. A
/// station standing where the DEM has no data gives no signal (counted in `stats`). With
/// `start` (same grid), its covered cells are covered too (the trend's growing network).
/// `probes` (points in the grid's CRS, e.g. the village centres) asks for
/// ItmCoverage::probe_servers. Throws InputError when ITM refuses a station's values (naming
/// the station's row).
ItmCoverage model_itm_coverage(const std::vector<Station>& stations, const Footprints& footprints,
                               const Raster<float>& dem, const CoverageOptions& options,
                               TerrainStats* stats = nullptr, const CoverageRaster* start = nullptr,
                               std::span<const XY> probes = {});

} // namespace whitezone
