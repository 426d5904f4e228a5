#pragma once
/// \file prepare.hpp
/// Stage 2, prepare: resolve field names, turn OpenCelliD cells into sites, repair polygons,
/// find each village's centre, and reproject everything with PROJ into one metric work CRS.

#include "whitezone/names.hpp"
#include "whitezone/prepare/options.hpp"
#include "whitezone/raster.hpp"
#include "whitezone/read.hpp"
#include "whitezone/types.hpp"

#include <cstdint>
#include <map>
#include <memory>
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

/// Why a village's result rests on missing or doubtful data: the vocabulary of the `flags`
/// output field (docs/output.md#flags). A village holds a set of them (Village::flags, one bit
/// each, bit = the value); the default whitezone fills in stays as it is, but is flagged.
enum class VillageFlag : std::uint8_t {
    NoPopulation,        ///< no population: people estimated from households, or counted as 1
    HouseholdsAsPeople,  ///< no population but households: households count as people
    PowerUnknown,        ///< has_power empty or missing: treated as powered
    CentreOutside,       ///< the given centre lies outside the village polygon
    CentreEstimated,     ///< no centre given: point-on-surface (or a collapsed outline's vertex)
    Repaired,            ///< the polygon was invalid and was repaired
    NoDem,               ///< terrain mode: the whole village lies off the DEM or in no-data
    DemPartial,          ///< terrain mode: part of the village lies off the DEM or in no-data
    FarFromStations,     ///< no station within the widest footprint's reach of the village
    SettlementUnmatched, ///< a settlements layer was given, but none of it matched the village
    OutsideUnits,        ///< --units was given, but the centre lies in none of its units
};
/// The flags in output order, with their names as the `flags` field writes them.
inline constexpr EnumNames<VillageFlag, 11> kVillageFlagNames{{{
    {VillageFlag::NoPopulation, "no_population"},
    {VillageFlag::HouseholdsAsPeople, "households_as_people"},
    {VillageFlag::PowerUnknown, "power_unknown"},
    {VillageFlag::CentreOutside, "centre_outside"},
    {VillageFlag::CentreEstimated, "centre_estimated"},
    {VillageFlag::Repaired, "repaired"},
    {VillageFlag::NoDem, "no_dem"},
    {VillageFlag::DemPartial, "dem_partial"},
    {VillageFlag::FarFromStations, "far_from_stations"},
    {VillageFlag::SettlementUnmatched, "settlement_unmatched"},
    {VillageFlag::OutsideUnits, "outside_units"},
}}};
/// The number of village flags.
inline constexpr std::size_t kVillageFlagCount = 11;
/// What each flag means, for its console warning (same order as kVillageFlagNames).
std::string_view describe(VillageFlag flag);

/// A set of village flags, one bit per VillageFlag.
using VillageFlags = std::uint16_t;
/// The bit of `flag` in a VillageFlags.
constexpr VillageFlags bit(VillageFlag flag) {
    return static_cast<VillageFlags>(1u << static_cast<unsigned>(flag));
}
/// The flags of `flags` joined with commas in the vocabulary's order; "" for none.
std::string flags_text(VillageFlags flags);

/// One cell (a row of the stations layer) in the work CRS.
struct Station {
    std::int64_t row = 0;
    XY xy;
    Tech tech = Tech::G4;
    std::string operator_name; ///< "" when unknown
    std::string site_id;       ///< given, or "S<n>" for cells merged into one site
    OptionalDouble range_m, azimuth_deg, beamwidth_deg, height_m;
    /// Carrier frequency in MHz and EIRP of the measured signal in dBm (Hata model).
    OptionalDouble freq_mhz, eirp_dbm;
    /// "" or why the range was changed ("clamped_low", "clamped_high"): a literal.
    std::string_view range_flag;
    /// Year the station went on air (role `on_air`), for `whitezone trend`; nullopt when the
    /// layer has no such field or the value is empty.
    std::optional<int> on_air_year;
    ValueRow values; ///< the carried input fields (PreparedInputs::station_fields)
};

/// The unit of --units that holds a village's centre, as its villages carry it: the roles
/// `code`, `name`, `level` and `parent_code` of the units layer.
struct UnitLabel {
    std::string code, name, level, parent_code;
};

/// One village in the work CRS.
struct Village {
    inline static const std::string kNoText;

    std::int64_t row = 0;
    std::string id;    ///< the id field, or the row number as text
    MultiPolygon area; ///< empty for a point village
    XY centre;
    double area_m2 = 0.0;
    std::string name, commune, district, province;
    /// The units' codes (roles `commune_code`, `district_code`, `province_code`): "" when the
    /// layer has no such field. With a code, units are told apart by it, not by their name.
    std::string commune_code, district_code, province_code;
    /// The unit of --units whose polygon holds the centre (assign_units()), one label shared
    /// by the unit's villages; null without --units or when no unit holds the centre.
    std::shared_ptr<const UnitLabel> unit;
    OptionalDouble population, households;
    std::optional<bool> has_power;
    /// Where `centre` came from (with the other one-byte members: no padding).
    CentreSource centre_source = CentreSource::PointOnSurface;
    bool repaired = false; ///< the polygon was invalid and was repaired
    /// What the village's result rests on that is missing or doubtful (VillageFlag bits):
    /// prepare sets the data flags, check_station_reach() and flag_dem_gaps() the others.
    VillageFlags flags = 0;
    ValueRow values; ///< the carried input fields (PreparedInputs::village_fields)

    [[nodiscard]] bool is_point() const { return area.empty(); }
    /// The code, name, level and parent code of `unit`; "" without one.
    [[nodiscard]] const std::string& unit_code() const { return unit ? unit->code : kNoText; }
    [[nodiscard]] const std::string& unit_name() const { return unit ? unit->name : kNoText; }
    [[nodiscard]] const std::string& unit_level() const { return unit ? unit->level : kNoText; }
    [[nodiscard]] const std::string& unit_parent_code() const {
        return unit ? unit->parent_code : kNoText;
    }
    /// Whether the village carries `flag`.
    [[nodiscard]] bool has(VillageFlag flag) const { return (flags & bit(flag)) != 0; }
};

/// One residential cluster (hamlet, house or building) in the work CRS.
struct Settlement {
    std::int64_t row = 0;
    XY xy;             ///< its point, or a point inside its polygon
    long village = -1; ///< index into PreparedInputs::villages, -1 when in no village
    /// The cluster's own people (role `population`) and households (role `households`), when
    /// the settlements layer has them; nullopt for an empty value or no such field.
    std::optional<double> population, households;
    /// The cluster's people: population, else households; nullopt when it has neither.
    [[nodiscard]] std::optional<double> people() const {
        return population ? population : households;
    }
};

/// One administrative unit of --units (e.g. a 2025 commune) in the work CRS.
struct AdminUnit {
    std::int64_t row = 0;
    /// Roles `code`, `name`, `level` and `parent_code` of the units layer ("" when absent;
    /// the code defaults to the row number).
    std::string code, name, level, parent_code;
    MultiPolygon area;
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
/// "centres", "units"), e.g. "tech" or "population"; empty for an unknown layer.
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

/// A text of each station (its site id, its operator), the distinct ones numbered in byte
/// order: so sorting by number sorts as the texts do.
struct TextNumbers {
    std::vector<std::string_view> ids; ///< text n, ascending: views into the stations
    std::vector<std::uint32_t> of;     ///< station k's number
};
using SiteNumbers = TextNumbers;
/// The stations' sites, numbered in their ids' byte order (Station::site_id).
SiteNumbers number_sites(const std::vector<Station>& stations);
/// The stations' operators, numbered in their names' byte order (Station::operator_name).
TextNumbers number_operators(const std::vector<Station>& stations);

/// The sanity checks of the stations against the villages, given `reach_m`, the distance
/// within which a station can serve a point (the widest footprint's radius plus
/// village_radius_m). Flags every village with no station within reach of its polygon (or
/// centre) `far_from_stations`. Warns when more than `far_share` of the stations lie farther
/// than reach_m from every village (how many, and one example with its row, site id and
/// longitude/latitude), and when the stations' extent and the villages' extent barely overlap
/// (less than 10 % of the smaller one, after widening the villages' by reach_m). Throws
/// InputError when there are stations and villages but no station lies within reach of any
/// village (a wrong file or swapped coordinates). `stations_source` names the layer in
/// messages. The searches run on `threads` threads; the result does not depend on it.
void check_station_reach(PreparedInputs& inputs, double reach_m, double far_share,
                         std::string_view stations_source, const Log& log, int threads = 1);

/// Flags, in the terrain mode, the villages whose centre lies off `dem` or on its no-data
/// `no_dem` (the centre then counts as without signal), and those whose centre has data but
/// whose polygon reaches off the DEM or into no-data `dem_partial`.
void flag_dem_gaps(PreparedInputs& inputs, const Raster<float>& dem);

/// The warnings of the village flags: one per flag that some village carries, with the count
/// ("villages: 330 villages flagged no_population: …"), in the vocabulary's order.
void warn_village_flags(const std::vector<Village>& villages, const Log& log);

/// The units of a --units layer (polygons) in `work_crs`, with the fields mapped by
/// `fields` ("units.fields": roles code, name, level, parent_code) or the built-in aliases.
/// Invalid polygons are repaired. Throws InputError for a missing CRS, a geometry that is
/// not a polygon, a mapped field that does not exist, or a layer without any unit.
std::vector<AdminUnit> prepare_units(RawLayer layer,
                                     const std::map<std::string, std::string>& fields,
                                     const std::string& work_crs, const Log& log);

/// Assigns each village to the unit whose polygon holds its centre (the first in the layer's
/// order where units overlap), through a grid index over the units' boxes: sets
/// Village::unit_code, unit_name, unit_level and unit_parent_code, and flags the villages
/// whose centre lies in no unit `outside_units` (and clears that flag on the others).
/// Returns the number of villages outside every unit.
std::size_t assign_units(std::vector<Village>& villages, const std::vector<AdminUnit>& units);

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
