#pragma once
/// \file prepare.hpp
/// Stage 2, prepare: resolve field names, turn OpenCelliD cells into sites, repair polygons,
/// find each village's centre, and reproject everything with PROJ into one metric work CRS.

#include "whitezone/names.hpp"
#include "whitezone/prepare/options.hpp"
#include "whitezone/read.hpp"
#include "whitezone/types.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace whitezone {

/// Where a village's centre came from.
enum class CentreSource : std::uint8_t {
    Given,          ///< the cultural house: centre fields or the centres layer
    Point,          ///< the village is a point
    PointOnSurface, ///< a point inside the polygon (GEOS point-on-surface)
};
/// Names of the centre sources, as the `centre_source` field writes them.
inline constexpr EnumNames<CentreSource, 3> kCentreSourceNames{{{
    {CentreSource::Given, "given"},
    {CentreSource::Point, "point"},
    {CentreSource::PointOnSurface, "point_on_surface"},
}}};
std::string_view to_string(CentreSource source);

/// One cell (a row of the stations layer) in the work CRS.
struct Station {
    std::int64_t row = 0;
    XY xy;
    Tech tech = Tech::G4;
    std::string operator_name; ///< "" when unknown
    std::string site_id;       ///< given, or "S<n>" for cells merged into one site
    std::optional<double> range_m, azimuth_deg, beamwidth_deg, height_m;
    /// Carrier frequency in MHz and EIRP of the measured signal in dBm (Hata model).
    std::optional<double> freq_mhz, eirp_dbm;
    std::string range_flag; ///< "" or why the range was changed ("clamped_high", …)
    /// Year the station went on air (role `on_air`), for `whitezone trend`; nullopt when the
    /// layer has no such field or the value is empty.
    std::optional<int> on_air_year;
    std::vector<Value> values;
};

/// One village in the work CRS.
struct Village {
    std::int64_t row = 0;
    std::string id;    ///< the id field, or the row number as text
    MultiPolygon area; ///< empty for a point village
    XY centre;
    CentreSource centre_source = CentreSource::PointOnSurface;
    double area_m2 = 0.0;
    std::string name, commune, district, province;
    std::optional<double> population, households;
    std::optional<bool> has_power;
    bool repaired = false; ///< the polygon was invalid and was repaired
    std::vector<Value> values;

    [[nodiscard]] bool is_point() const { return area.empty(); }
};

/// One residential cluster (hamlet, house or building) in the work CRS.
struct Settlement {
    std::int64_t row = 0;
    XY xy;             ///< its point, or a point inside its polygon
    long village = -1; ///< index into PreparedInputs::villages, -1 when in no village
};

/// The layers as read, before prepare.
struct RawInputs {
    RawLayer stations;
    RawLayer villages;
    std::optional<RawLayer> settlements;
    std::optional<RawLayer> centres;
};

/// Everything the later stages need, in one metric CRS.
struct PreparedInputs {
    std::string work_crs;     ///< as the user would write it, e.g. "EPSG:32648"
    std::string work_crs_wkt; ///< for the writers
    std::vector<FieldDef> station_fields, village_fields; ///< carried input fields
    std::vector<Station> stations;
    std::vector<Village> villages;
    std::optional<std::vector<Settlement>> settlements;
    std::size_t site_count = 0;
};

/// The field roles a config may map for a layer ("stations", "villages", "settlements",
/// "centres"), e.g. "tech" or "population"; empty for an unknown layer.
const std::vector<std::string>& field_roles(std::string_view layer);

/// The column of field role `role` ("id", "name", "province", …) in `layer`, read as a layer
/// of `layer_role` ("villages", "stations", …) is: the field `configured` names for the role
/// (InputError when the layer lacks it), else the first built-in alias present
/// (case-insensitive), else −1. The same look-up prepare_inputs() makes.
int find_field(const RawLayer& layer, std::string_view layer_role, std::string_view role,
               const std::map<std::string, std::string>& configured);

/// Prepares the inputs. Takes `raw` by value: pass it with std::move() and its geometries
/// and values move into the result instead of being copied. Warns (through `log`) about
/// repaired polygons, duplicate village ids, skipped empty rows and flagged ranges. Throws
/// InputError for a missing CRS, coordinates out of range, unknown technologies (all listed),
/// non-numeric numbers, or a mapped field that does not exist; UsageError for an unusable work CRS.
PreparedInputs prepare_inputs(RawInputs raw, const PrepareOptions& options, const Log& log);

/// The stations of another layer with the fields of --stations (the plan's planned stations),
/// prepared exactly as prepare_inputs() prepares them (field mapping "stations.fields",
/// OpenCelliD cells, range checks, sites) and reprojected into `work_crs`. `role` names the
/// layer in messages. Takes `layer` by value like prepare_inputs(). Throws what
/// prepare_inputs() throws for stations.
std::vector<Station> prepare_more_stations(RawLayer layer, const PrepareOptions& options,
                                           const std::string& work_crs, std::string_view role,
                                           const Log& log);

/// One point of a point layer in the work CRS, with its 1-based row.
struct PreparedPoint {
    std::int64_t row = 0;
    XY xy;
};

/// The points of a point layer other than stations (the plan's candidate sites), reprojected
/// into `work_crs` like stations. `role` names the layer and its config key in messages.
/// Throws InputError for a missing CRS, coordinates out of range, or a non-point geometry.
std::vector<PreparedPoint> prepare_points(const RawLayer& layer, const std::string& work_crs,
                                          std::string_view role);

} // namespace whitezone
