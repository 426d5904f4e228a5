// The village flags (what a result rests on that is missing or doubtful) and the sanity checks
// of the stations against the villages.

#include "whitezone/error.hpp"
#include "whitezone/prepare.hpp"

#include "common/grid.hpp"
#include "common/parallel.hpp"
#include "common/polygon.hpp"
#include "common/text.hpp"
#include "proj/proj.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <tuple>

namespace whitezone {

static_assert(kVillageFlagNames.entries.size() == kVillageFlagCount);
static_assert(sizeof(VillageFlags) * 8 >= kVillageFlagCount);

std::string_view describe(VillageFlag flag) {
    switch (flag) {
    case VillageFlag::NoPopulation:
        return "no population: their people are their households, or 1";
    case VillageFlag::HouseholdsAsPeople:
        return "households count as people";
    case VillageFlag::PowerUnknown:
        return "has_power unknown: treated as powered";
    case VillageFlag::CentreOutside:
        return "the given centre lies outside the village polygon";
    case VillageFlag::CentreEstimated:
        return "no centre given: a point inside the polygon stands in for it";
    case VillageFlag::Repaired:
        return "invalid polygon, repaired";
    case VillageFlag::NoDem:
        return "the centre lies off the DEM or in its no-data: it counts as without signal";
    case VillageFlag::DemPartial:
        return "part of the village lies off the DEM or in its no-data";
    case VillageFlag::FarFromStations:
        return "no station within reach: white by distance alone";
    case VillageFlag::SettlementUnmatched:
        return "no residential cluster of the settlements layer matched: the status rests on "
               "the centre or the area share";
    case VillageFlag::OutsideUnits:
        return "the centre lies in none of the units of --units: counted in no unit";
    }
    return "?";
}

std::string flags_text(VillageFlags flags) {
    std::string out;
    for (VillageFlag f : kVillageFlagNames.values())
        if (flags & bit(f)) {
            if (!out.empty())
                out += ',';
            out += kVillageFlagNames.name(f);
        }
    return out;
}

void warn_village_flags(const std::vector<Village>& villages, const Log& log) {
    std::array<long, kVillageFlagCount> counts{};
    for (const Village& v : villages)
        for (VillageFlag f : kVillageFlagNames.values())
            counts[static_cast<std::size_t>(f)] += v.has(f) ? 1 : 0;
    for (VillageFlag f : kVillageFlagNames.values())
        if (const long n = counts[static_cast<std::size_t>(f)]; n > 0)
            log.warning("villages: " + text::thousands(n) + (n == 1 ? " village" : " villages") +
                        " flagged " + std::string(kVillageFlagNames.name(f)) + " (" +
                        std::string(describe(f)) + "; field 'flags' of the villages layer)");
}

namespace {

// Distance from `p` to the box `e` (0 inside it).
double distance_to(const Extent& e, XY p) {
    const double dx = std::max({e.minx - p.x, 0.0, p.x - e.maxx});
    const double dy = std::max({e.miny - p.y, 0.0, p.y - e.maxy});
    return std::hypot(dx, dy);
}

Extent village_box(const Village& v) {
    Extent e = polygon::extent_of(v.area);
    if (e.minx > e.maxx)
        return {v.centre.x, v.centre.y, v.centre.x, v.centre.y};
    return {std::min(e.minx, v.centre.x), std::min(e.miny, v.centre.y),
            std::max(e.maxx, v.centre.x), std::max(e.maxy, v.centre.y)};
}

double box_area(const Extent& e) {
    return e.maxx > e.minx && e.maxy > e.miny ? (e.maxx - e.minx) * (e.maxy - e.miny) : 0.0;
}

// "row 12 (site 'S3') at 106.7403, 21.8427 (lon/lat)", the station's place as the user wrote it.
std::string station_example(const Station& s, const std::string& work_crs) {
    XY p = s.xy;
    std::string where;
    try {
        const proj::Transformer to_wgs84(work_crs, "EPSG:4326");
        if (to_wgs84.transform(&p, 1) < 0)
            where = text::fixed(p.x, 5) + ", " + text::fixed(p.y, 5) + " (lon/lat)";
    } catch (const Error&) {
    }
    if (where.empty())
        where = text::fixed(s.xy.x, 0) + ", " + text::fixed(s.xy.y, 0) + " (" + work_crs + ")";
    return "row " + std::to_string(s.row) +
           (s.site_id.empty() ? "" : " (site '" + s.site_id + "')") + " at " + where;
}

} // namespace

void check_station_reach(PreparedInputs& inputs, double reach_m, double far_share,
                         std::string_view stations_source, const Log& log, int threads) {
    auto& villages = inputs.villages;
    const auto& stations = inputs.stations;
    if (villages.empty() || stations.empty())
        return;
    reach_m = std::max(reach_m, 0.0);
    const double cell = std::max(reach_m, 1000.0);

    std::vector<Extent> boxes(villages.size());
    parallel::for_ranges(villages.size(), threads,
                         [&](std::size_t, std::size_t begin, std::size_t end) {
                             for (std::size_t v = begin; v < end; ++v)
                                 boxes[v] = village_box(villages[v]);
                         });
    grid::GridIndex village_index(cell);
    Extent all_villages{1e300, 1e300, -1e300, -1e300};
    for (std::size_t v = 0; v < villages.size(); ++v) {
        const Extent& b = boxes[v];
        village_index.insert({b.minx, b.miny, b.maxx, b.maxy}, v);
        all_villages = {std::min(all_villages.minx, b.minx), std::min(all_villages.miny, b.miny),
                        std::max(all_villages.maxx, b.maxx), std::max(all_villages.maxy, b.maxy)};
    }

    // The cells of one site share its position: each position is looked up once.
    // Sorted by position (ties by row), the positions copied beside the rows: fewer cache
    // misses than comparing through the stations.
    std::vector<std::tuple<double, double, std::size_t>> by_position(stations.size());
    for (std::size_t i = 0; i < stations.size(); ++i)
        by_position[i] = {stations[i].xy.x, stations[i].xy.y, i};
    std::sort(by_position.begin(), by_position.end());
    std::vector<XY> positions;
    std::vector<std::size_t> position_of(stations.size());
    grid::GridIndex position_index(cell);
    for (const auto& [x, y, i] : by_position) {
        if (positions.empty() || x != positions.back().x || y != positions.back().y) {
            position_index.insert(grid::Box::around({x, y}, 0.0), positions.size());
            positions.push_back({x, y});
        }
        position_of[i] = positions.size() - 1;
    }
    by_position = {};

    // Positions within reach of some village, and villages with no position within reach: in
    // each, one is enough to know. Candidates come unsorted, maybe with repeats (an item in
    // several cells), which does not matter here. Each worker writes only its own entries.
    std::vector<char> position_near(positions.size(), 0);
    parallel::for_ranges(
        positions.size(), threads, [&](std::size_t, std::size_t begin, std::size_t end) {
            std::vector<std::size_t> found;
            for (std::size_t k = begin; k < end; ++k) {
                const XY p = positions[k];
                village_index.query_cells(grid::Box::around(p, reach_m), found);
                position_near[k] = std::any_of(found.begin(), found.end(), [&](std::size_t v) {
                    return distance_to(boxes[v], p) <= reach_m;
                });
            }
        });
    parallel::for_ranges(villages.size(), threads,
                         [&](std::size_t, std::size_t begin, std::size_t end) {
                             std::vector<std::size_t> found;
                             for (std::size_t v = begin; v < end; ++v) {
                                 const Extent& b = boxes[v];
                                 position_index.query_cells({b.minx - reach_m, b.miny - reach_m,
                                                             b.maxx + reach_m, b.maxy + reach_m},
                                                            found);
                                 if (std::none_of(found.begin(), found.end(), [&](std::size_t k) {
                                         return distance_to(b, positions[k]) <= reach_m;
                                     }))
                                     villages[v].flags |= bit(VillageFlag::FarFromStations);
                             }
                         });
    std::vector<char> station_near(stations.size());
    for (std::size_t i = 0; i < stations.size(); ++i)
        station_near[i] = position_near[position_of[i]];

    std::vector<std::size_t> far;
    Extent all_stations{1e300, 1e300, -1e300, -1e300};
    std::size_t nearest = 0;
    double nearest_m = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < stations.size(); ++i) {
        const XY p = stations[i].xy;
        all_stations = {std::min(all_stations.minx, p.x), std::min(all_stations.miny, p.y),
                        std::max(all_stations.maxx, p.x), std::max(all_stations.maxy, p.y)};
        if (!station_near[i]) {
            far.push_back(i);
            const double d = distance_to(all_villages, p);
            if (d < nearest_m) {
                nearest_m = d;
                nearest = i;
            }
        }
    }

    const std::string n_stations = text::thousands(static_cast<long long>(stations.size()));
    if (far.size() == stations.size())
        throw InputError(
            "prepare: none of the " + n_stations + " stations in " + std::string(stations_source) +
            " lies within " + text::thousands(std::llround(reach_m)) +
            " m (the widest footprint's reach) of any village, so every village would be white; "
            "the nearest, " +
            station_example(stations[nearest], inputs.work_crs) + ", is " +
            text::thousands(std::llround(nearest_m / 1000.0)) +
            " km from the villages' extent. Check that the stations file is for this area, and "
            "that its longitude and latitude are not swapped (\"stations.fields.lon\" / "
            "\"stations.fields.lat\", or the layer's CRS: \"stations.crs\").");
    if (!far.empty() &&
        static_cast<double>(far.size()) > far_share * static_cast<double>(stations.size()))
        log.warning(
            "prepare: " + text::thousands(static_cast<long long>(far.size())) + " of " +
            n_stations + " stations (" +
            text::fixed(
                100.0 * static_cast<double>(far.size()) / static_cast<double>(stations.size()), 1) +
            " %) in " + std::string(stations_source) + " lie farther than " +
            text::thousands(std::llround(reach_m)) + " m from every village and serve none, e.g. " +
            station_example(stations[far.front()], inputs.work_crs) +
            "; a file of a wider area is fine, but check for a wrong file or swapped "
            "longitude/latitude (\"far_stations_warn_share\" sets when this warns).");

    // Extents: the villages' widened by the reach, against the stations'.
    const Extent v_box{all_villages.minx - reach_m, all_villages.miny - reach_m,
                       all_villages.maxx + reach_m, all_villages.maxy + reach_m};
    const Extent both{
        std::max(v_box.minx, all_stations.minx), std::max(v_box.miny, all_stations.miny),
        std::min(v_box.maxx, all_stations.maxx), std::min(v_box.maxy, all_stations.maxy)};
    const double smaller = std::min(box_area(v_box), box_area(all_stations));
    if (smaller > 0.0 && box_area(both) < 0.1 * smaller)
        log.warning("prepare: the stations' extent and the villages' extent (widened by " +
                    text::thousands(std::llround(reach_m)) + " m) barely overlap (" +
                    text::fixed(100.0 * box_area(both) / smaller, 1) +
                    " % of the smaller); check that " + std::string(stations_source) +
                    " and the villages are of the same area and in the CRS their files say.");
}

void flag_dem_gaps(PreparedInputs& inputs, const Raster<float>& dem) {
    const GridSpec& g = dem.grid;
    auto missing = [&](int col, int row) { return std::isnan(dem.at(col, row)); };
    for (Village& v : inputs.villages) {
        int col = 0, row = 0;
        const bool centre_missing = !g.cell_of(v.centre, col, row) || missing(col, row);
        bool some_missing = centre_missing;
        if (!centre_missing && !v.area.empty()) {
            // The cells inside the polygon; its part off the grid counts as missing.
            const Extent e = polygon::extent_of(v.area);
            const bool inside_grid = e.minx >= g.x0 && e.maxy <= g.y0 &&
                                     e.maxx <= g.x0 + g.cell * g.cols &&
                                     e.miny >= g.y0 - g.cell * g.rows;
            some_missing = !inside_grid;
            if (!some_missing)
                polygon::for_each_cell_in(
                    v.area, g, [&](int c, int r) { some_missing = some_missing || missing(c, r); });
        }
        if (centre_missing)
            v.flags |= bit(VillageFlag::NoDem);
        else if (some_missing)
            v.flags |= bit(VillageFlag::DemPartial);
    }
}

} // namespace whitezone
