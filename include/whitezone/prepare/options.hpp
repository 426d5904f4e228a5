#pragma once
/// \file prepare/options.hpp
/// Options of the prepare stage (config keys "work_crs", "site_merge_m", "min_range_m",
/// "max_range_m", "far_stations_warn_share", "station_range_warn_share"; the field mappings are the
/// layers' "fields"), declared once in declare_options() below.

#include "whitezone/options.hpp"

#include <map>
#include <string>

namespace whitezone {

/// Options of the prepare stage; JSON keys in docs/config.md.
struct PrepareOptions {
    /// Work CRS: "auto" (the UTM zone of the villages' centre) or any CRS PROJ knows, e.g.
    /// "EPSG:32648" or a VN-2000 zone "EPSG:9210". Must be projected, in metres.
    std::string work_crs = "auto";
    /// Field names by role, overriding the built-in aliases (keys: see docs/input.md).
    std::map<std::string, std::string> station_fields;
    std::map<std::string, std::string> village_fields;
    std::map<std::string, std::string> settlement_fields;
    std::map<std::string, std::string> centre_fields;
    std::map<std::string, std::string> unit_fields;
    /// Operator names: alias → canonical name (config "operator_aliases"), looked up
    /// case-insensitively and ignoring spaces, hyphens and dots, before the built-in table
    /// (VNPT / Vinaphone → VinaPhone, VIETTEL → Viettel, Mobifone → MobiFone, …).
    std::map<std::string, std::string> operator_aliases;
    /// Cells of one operator closer than this are one site.
    double site_merge_m = 50.0;
    /// A station range outside [min_range_m, max_range_m] is implausible: clamped, flagged.
    double min_range_m = 100.0;
    double max_range_m = 35000.0;
    /// Warn when more than this share of the stations lie farther than the widest footprint's
    /// reach from every village (a wrong file or swapped coordinates).
    double far_stations_warn_share = 0.25;
    /// With use_station_range: warn when the stations' own ranges give signal at the centre of
    /// more than this share of the villages that the model's radii would leave without.
    double station_range_warn_share = 0.1;
    /// Whether the coverage stage uses the stations' own ranges (the coverage key
    /// "use_station_range", copied here by the pipeline): when false, ranges are neither
    /// clamped nor flagged.
    bool use_station_range = true;
    /// Worker threads for repairing polygons and finding centres; results do not depend on it.
    int threads = 1;
};

/// The top-level keys of the prepare stage.
inline void declare_options(OptionSet& o, PrepareOptions& prepare) {
    o.string("work_crs", prepare.work_crs,
             "The CRS all geometry is computed in. `\"auto\"` is the UTM zone of the villages' "
             "centre. Any CRS PROJ knows is accepted, for example `\"EPSG:32648\"`, "
             "`\"EPSG:9215\"` (VN-2000 / TM-3 107-15), WKT, a PROJ string (`\"+proj=utm "
             "+zone=48 +datum=WGS84 +units=m\"`; `+type=crs` is added when missing) or a "
             "CRS's exact name (`\"WGS 84 / UTM zone 48N\"`; a word that only resembles a "
             "name, such as `\"foo\"`, is refused with the nearest name PROJ finds). Same as "
             "`--work-crs`. See [method.md §1](method.md#1-work-crs).")
        .shown_range("`\"auto\"` or a projected CRS in metres");
    o.string_map("operator_aliases", prepare.operator_aliases, {},
                 "Operator names as your data writes them, mapped to one name each, e.g. "
                 "`{\"VNPT-Net\": \"VinaPhone\"}`. Names are matched ignoring case, spaces, "
                 "hyphens, dots and slashes; these win over the built-in table "
                 "([input.md](input.md#operators)).")
        .shown_default("none (the built-in table)");
    o.number("site_merge_m", prepare.site_merge_m, {0.0, 10000.0},
             "Cells of one operator without a site id that lie within this distance (in metres) "
             "of a site's first cell join that site.");
    o.number("min_range_m", prepare.min_range_m, {0.0, 100000.0},
             "A station range below this is raised to it and flagged `clamped_low`.");
    o.number("max_range_m", prepare.max_range_m, {1.0, 100000.0},
             "A station range above this is lowered to it and flagged `clamped_high`. Must be ≥ "
             "`min_range_m`.");
    o.number("far_stations_warn_share", prepare.far_stations_warn_share, {0.0, 1.0},
             "Warn when more than this share of the stations lie farther than the widest "
             "footprint's reach from every village (a wrong file or swapped coordinates; "
             "[method.md §11](method.md#11-sanity-checks-on-the-inputs)). When none is within "
             "reach of any village, the run stops with exit code 2 whatever this is.");
    o.number("station_range_warn_share", prepare.station_range_warn_share, {0.0, 1.0},
             "With `use_station_range`: warn when the stations' own ranges give signal at the "
             "centre of more than this share of the villages that the model's radii would "
             "leave without ([method.md §11](method.md#11-sanity-checks-on-the-inputs)).");
}

} // namespace whitezone
