#pragma once
/// \file link.hpp
/// Radio links between two points over terrain: the profile from a DEM, the ITM loss
/// (whitezone/itm.hpp), the received power and the worst obstruction; and tables of many links
/// (`whitezone link --batch`). Microwave backhaul hops and single drive-test points use it.

#include "whitezone/itm.hpp"
#include "whitezone/link/options.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone {

/// A terrain profile: ground heights above sea level (m) every `step_m` metres along the path,
/// the transmitter's end first.
struct TerrainProfile {
    double step_m = 0.0;
    std::vector<double> elevations_m;
    [[nodiscard]] double length_m() const {
        return elevations_m.empty() ? 0.0 : step_m * static_cast<double>(elevations_m.size() - 1);
    }
};

/// Samples terrain profiles from one DEM (any raster GDAL opens, in any CRS; no data and
/// voids are holes). The path between two WGS 84 points is the geodesic on the WGS 84
/// ellipsoid, divided into equal steps of about `step_m` (0: one DEM cell, the cell's size
/// measured on the ground at the path's middle); each point is interpolated bilinearly
/// between the four nearest cell centres. Opens the file once; profile() may be called from
/// one thread at a time (the GDAL dataset is not shared across threads).
class DemProfiler {
  public:
    /// Opens `dem_path`. Throws InputError when the file is missing, is not a raster or has
    /// no CRS or georeferencing, and UsageError for a negative `step_m`.
    explicit DemProfiler(const std::string& dem_path, double step_m = 0.0);
    ~DemProfiler();
    DemProfiler(DemProfiler&&) noexcept;
    DemProfiler& operator=(DemProfiler&&) noexcept;
    DemProfiler(const DemProfiler&) = delete;
    DemProfiler& operator=(const DemProfiler&) = delete;

    /// The profile from (tx_lon, tx_lat) to (rx_lon, rx_lat), degrees WGS 84, with at least
    /// 3 points. Throws InputError when a coordinate is out of range, both ends coincide, or
    /// a point of the path has no DEM data (outside the raster or a void), saying where.
    [[nodiscard]] TerrainProfile profile(double tx_lon, double tx_lat, double rx_lon,
                                         double rx_lat) const;

    /// The DEM's path, for messages.
    [[nodiscard]] const std::string& path() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// The highest point of the terrain relative to the straight ray between the two antennas,
/// on an earth of ITM's effective radius.
struct Obstruction {
    double above_ray_m = 0.0;      ///< terrain height above the ray; > 0: the ray is blocked
    double distance_m = 0.0;       ///< from the transmitter
    double ground_m = 0.0;         ///< ground height above sea level there
    double fresnel_radius_m = 0.0; ///< radius of the first Fresnel zone there
};

/// Facts about a profile, for reports.
struct ProfileSummary {
    std::size_t points = 0;
    double step_m = 0.0, length_m = 0.0;
    double min_m = 0.0, max_m = 0.0, mean_m = 0.0; ///< ground heights above sea level
    double tx_ground_m = 0.0, rx_ground_m = 0.0;
};

/// One link: ITM's loss and what it rests on.
struct LinkResult {
    ItmResult itm;
    double received_dbm = 0.0; ///< eirp_dbm − loss + rx_gain_dbi
    Obstruction obstruction;
    ProfileSummary profile;
};

/// Loss and received power over `profile` for the antennas and radio of `params`, with the
/// transmitter's EIRP (dBm) and the receiving antenna's gain (dBi). Throws InputError as
/// itm_point_to_point does.
LinkResult compute_link(const TerrainProfile& profile, const ItmParameters& params, double eirp_dbm,
                        double rx_gain_dbi = 0.0);

/// The worst obstruction of `profile` for antennas `h_tx_m` and `h_rx_m` above the ground at
/// its ends, on an earth of radius `earth_radius_m`, at `f_mhz` (for the Fresnel radius). The
/// end points themselves are not obstructions; a profile of two points gives the ray's end.
Obstruction find_obstruction(const TerrainProfile& profile, double h_tx_m, double h_rx_m,
                             double earth_radius_m, double f_mhz);

/// A table as read from or written to CSV: a header and rows of text cells.
struct Table {
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
};

/// What a CSV file read by read_csv_table() is, for its messages.
struct CsvSource {
    std::string_view what = "link: batch file";              ///< "<stage>: <what the file is>"
    std::string_view flag = "--batch";                       ///< where its path was given
    std::string_view header = "tx_lon,tx_lat,rx_lon,rx_lat"; ///< an example header row
};

/// Reads a CSV file (comma-separated, RFC 4180 quotes, a header row; UTF-8 BOM and CRLF
/// allowed). Throws InputError naming the file and row (1-based, header excluded) on a
/// special file (a FIFO, a device), a missing file, an empty header or a row with more cells
/// than the header.
Table read_csv_table(const std::string& path, const CsvSource& source = {});

/// Writes `table` as CSV (cells quoted where needed).
std::string format_csv_table(const Table& table);

/// The batch of `whitezone link --batch`: one link per row of `input`. A row gives its path
/// either as `tx_lon, tx_lat, rx_lon, rx_lat` (degrees WGS 84; the profile comes from `dem`,
/// which must then be non-null) or as `step_m` and `elevations_m` (space-separated heights,
/// as in ITM's reference profiles); its ITM inputs come from the columns `h_tx_m, h_rx_m,
/// climate, n0, f_mhz, pol, epsilon, sigma, mdvar, time, location, situation` where present
/// and non-empty, else from `defaults`. Returns the input, every column kept, with `loss_db`
/// (4 decimals) and `itm_warnings` (ITM's warning bits, 0 when none) added. `source` names the
/// file in messages. Throws InputError naming the row (1-based, header excluded) and column
/// for a bad value, a row with neither kind of path, or an input that already has an added
/// column.
Table run_link_batch(const Table& input, const ItmParameters& defaults, const DemProfiler* dem,
                     const std::string& source);

} // namespace whitezone
