// Comparing two runs: transitions, matching (by id, then by place) and the counts per unit
// (docs/compare.md).

#include "whitezone/compare.hpp"

#include "whitezone/error.hpp"

#include "common/grid.hpp"
#include "common/polygon.hpp"
#include "common/unicode.hpp"
#include "proj/proj.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <map>
#include <tuple>
#include <unordered_map>

namespace whitezone {

std::string_view to_string(Transition transition) { return kTransitionNames.name(transition); }

std::string_view to_string(MatchKind kind) { return kMatchKindNames.name(kind); }

Transition transition_of(std::optional<Status> before, std::optional<Status> after) {
    assert(before || after);
    if (!before)
        return Transition::NewVillage;
    if (!after)
        return Transition::GoneVillage;
    const Status b = *before, a = *after;
    if (b == a)
        return Transition::Unchanged;
    if (a == Status::White)
        return Transition::NewlyWhite; // partial or covered → white
    if (b == Status::White)
        return a == Status::Covered ? Transition::NewlyCovered : Transition::NewlyPartial;
    // partial ↔ covered
    return a == Status::Covered ? Transition::Improved : Transition::Worsened;
}

namespace compare {

namespace {

double distance(XY a, XY b) { return std::hypot(a.x - b.x, a.y - b.y); }

// The CRS both runs are compared in: the later run's when it is metric; for a geographic one
// (a GeoJSON output is in WGS 84), the UTM zone of its villages' mean centre.
std::string common_crs(const CompareSide& after) {
    const auto info = proj::describe(after.crs_wkt);
    if (!info)
        throw InputError("compare: " + after.source + ": PROJ cannot read the villages' CRS " +
                         proj::crs_label(after.crs_wkt) +
                         "; give a result written by whitezone "
                         "analyze, which records its CRS.");
    if (info->metric)
        return after.crs_wkt;
    if (!info->geographic)
        throw InputError("compare: " + after.source + ": the villages' CRS " +
                         proj::crs_label(after.crs_wkt) +
                         " is neither metric nor geographic; matching by place needs metres. "
                         "Write the result again in a metric CRS (\"work_crs\").");
    double lon = 0.0, lat = 0.0;
    for (const auto& v : after.villages) {
        lon += v.centre.x;
        lat += v.centre.y;
    }
    const auto n = static_cast<double>(std::max<std::size_t>(after.villages.size(), 1));
    return proj::utm_crs_for(lon / n, lat / n);
}

// Moves every coordinate of `side` into `target`, nothing when its CRS is the same one
// written differently (a result read back from a GeoPackage against this run's work CRS).
// Ring by ring: a national side holds hundreds of MB of coordinates, and a copy of all of
// them was the comparison's largest allocation (docs/performance.md).
void reproject(CompareSide& side, const std::string& target) {
    if (proj::equivalent(side.crs_wkt, target)) {
        side.crs_wkt = target;
        return;
    }
    const proj::Transformer transformer(side.crs_wkt, target);
    std::vector<XY> moved;
    auto move = [&](const CompareVillage& v, XY* points, std::size_t n) {
        moved.assign(points, points + n); // the input kept for the message
        if (const long bad = transformer.transform(moved); bad >= 0) {
            const XY p = points[bad];
            throw InputError("compare: " + side.source + ": village " +
                             (v.id.empty() ? "'" + v.name + "'" : "id '" + v.id + "'") +
                             ": its coordinates (" + std::to_string(p.x) + ", " +
                             std::to_string(p.y) + ") cannot be transformed into " +
                             proj::crs_label(target) + ".");
        }
        std::copy(moved.begin(), moved.end(), points);
    };
    for (auto& v : side.villages) {
        move(v, &v.centre, 1);
        for (auto& poly : v.area)
            for (auto& ring : poly.rings)
                move(v, ring.data(), ring.size());
    }
    side.crs_wkt = target;
}

// Ids that occur exactly once (and are not empty), with their index.
std::unordered_map<std::string, long> unique_ids(const std::vector<CompareVillage>& villages) {
    std::unordered_map<std::string, long> index;
    std::unordered_map<std::string, int> seen;
    for (std::size_t i = 0; i < villages.size(); ++i) {
        if (villages[i].id.empty())
            continue;
        if (++seen[villages[i].id] == 1)
            index[villages[i].id] = static_cast<long>(i);
        else
            index.erase(villages[i].id);
    }
    return index;
}

// The box in which a match of `v` must lie: its polygon's extent and its centre, widened by
// the tolerance.
grid::Box search_box(const CompareVillage& v, double tolerance_m) {
    grid::Box box = grid::Box::around(v.centre, tolerance_m);
    if (!v.area.empty()) {
        const Extent e = polygon::extent_of(v.area);
        box.minx = std::min(box.minx, e.minx);
        box.miny = std::min(box.miny, e.miny);
        box.maxx = std::max(box.maxx, e.maxx);
        box.maxy = std::max(box.maxy, e.maxy);
    }
    return box;
}

// A possible pair found by place.
struct Candidate {
    bool inside = false; // one's centre lies in the other's polygon
    double distance_m = 0.0;
    long after = -1, before = -1;
};

// Matches the villages the ids left unmatched by place: first the pairs where one's centre
// lies in the other's polygon, then the nearest centres within the tolerance, each village at
// most once, closest pairs first (ties by the later run's order, then the earlier's).
void match_by_place(const CompareSide& before, const CompareSide& after, double tolerance_m,
                    std::vector<long>& after_to_before, std::vector<char>& before_taken) {
    std::vector<std::size_t> open_before;
    for (std::size_t b = 0; b < before.villages.size(); ++b)
        if (!before_taken[b])
            open_before.push_back(b);
    if (open_before.empty())
        return;
    grid::GridIndex index(std::max(tolerance_m, 1000.0));
    for (std::size_t k = 0; k < open_before.size(); ++k)
        index.insert(search_box(before.villages[open_before[k]], 0.0), k);

    std::vector<Candidate> candidates;
    std::vector<std::size_t> hits;
    for (std::size_t a = 0; a < after.villages.size(); ++a) {
        if (after_to_before[a] >= 0)
            continue;
        const CompareVillage& va = after.villages[a];
        hits.clear();
        index.query(search_box(va, tolerance_m), hits);
        for (std::size_t k : hits) {
            const std::size_t b = open_before[k];
            const CompareVillage& vb = before.villages[b];
            const bool inside = (!vb.area.empty() && polygon::contains(vb.area, va.centre)) ||
                                (!va.area.empty() && polygon::contains(va.area, vb.centre));
            const double d = distance(va.centre, vb.centre);
            if (inside || d <= tolerance_m)
                candidates.push_back({inside, d, static_cast<long>(a), static_cast<long>(b)});
        }
    }
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& x, const Candidate& y) {
        return std::tuple(!x.inside, x.distance_m, x.after, x.before) <
               std::tuple(!y.inside, y.distance_m, y.after, y.before);
    });
    for (const Candidate& c : candidates) {
        auto& a = after_to_before[static_cast<std::size_t>(c.after)];
        auto& taken = before_taken[static_cast<std::size_t>(c.before)];
        if (a >= 0 || taken)
            continue;
        a = c.before;
        taken = 1;
    }
}

using Key = std::tuple<std::string, std::string, std::string>;
using Units = std::map<Key, PerClass<ChangeCounts>>;

// Which levels the runs carry: a level is there when a village of either run has a value.
struct Levels {
    bool province = false, district = false, commune = false;
};

// The rows of each level, by key: names for the provinces, districts and communes; the code
// alone for the units of --units (as the summary keys them).
struct LevelUnits {
    Units all, provinces, districts, communes, units;
};

// The unit rows a village counts in, one per level present (the "all" row first); a village
// in no unit of --units counts in no unit row, as in the summary.
std::vector<std::pair<Units*, Key>> units_of(const CompareVillage& v, const Levels& levels,
                                             LevelUnits& u) {
    std::vector<std::pair<Units*, Key>> out{{&u.all, Key{}}};
    if (levels.province)
        out.push_back({&u.provinces, {v.province, "", ""}});
    if (levels.district)
        out.push_back({&u.districts, {v.province, v.district, ""}});
    if (levels.commune)
        out.push_back({&u.communes, {v.province, levels.district ? v.district : "", v.commune}});
    if (!v.unit_code.empty())
        out.push_back({&u.units, {v.unit_code, "", ""}});
    return out;
}

bool carries_units(const CompareSide& side) {
    return std::any_of(side.villages.begin(), side.villages.end(),
                       [](const CompareVillage& v) { return !v.unit_code.empty(); });
}

// A run analyzed without --units, compared with one analyzed with them: each of its villages
// takes the unit of the village it matched (the same village, so the same place). Returns
// how many of its villages matched none and so stay in no unit.
long borrow_units(std::vector<CompareVillage>& to, const std::vector<CompareVillage>& from,
                  const std::vector<VillageChange>& changes, bool to_is_before) {
    std::vector<char> placed(to.size(), 0);
    for (const VillageChange& c : changes) {
        if (c.before < 0 || c.after < 0)
            continue;
        const auto t = static_cast<std::size_t>(to_is_before ? c.before : c.after);
        const CompareVillage& f = from[static_cast<std::size_t>(to_is_before ? c.after : c.before)];
        to[t].unit_code = f.unit_code;
        to[t].unit_name = f.unit_name;
        placed[t] = 1;
    }
    return static_cast<long>(std::count(placed.begin(), placed.end(), 0));
}

// The unit rows of --units, in the summary's order: by province, then name, then code. A
// unit's name is the later run's (the earlier run's for a unit only it has); its province
// that of its villages in either run while they all share one.
void emit_units(std::vector<ChangeRow>& rows, const Units& units, const CompareSide& before,
                const CompareSide& after, const unicode::Collator& collator) {
    struct Named {
        std::string name, province;
        bool mixed = false;
    };
    std::map<std::string, Named> named;
    for (const CompareSide* side : {&after, &before})
        for (const CompareVillage& v : side->villages) {
            if (v.unit_code.empty())
                continue;
            auto [it, added] = named.try_emplace(v.unit_code, Named{v.unit_name, v.province});
            if (added)
                continue;
            if (it->second.name.empty())
                it->second.name = v.unit_name;
            it->second.mixed = it->second.mixed || it->second.province != v.province;
        }
    using Sorted = std::pair<std::array<std::string, 3>, ChangeRow>;
    std::vector<Sorted> sorted;
    for (const auto& [key, counts] : units) {
        const std::string& code = std::get<0>(key);
        const Named& n = named[code];
        ChangeRow row{"unit", n.mixed ? "" : n.province, "", "", counts, code, n.name};
        sorted.push_back(
            {{collator.sort_key(row.province), collator.sort_key(row.unit_name), code}, row});
    }
    std::sort(sorted.begin(), sorted.end(),
              [](const Sorted& x, const Sorted& y) { return x.first < y.first; });
    for (auto& [sort_key, row] : sorted)
        rows.push_back(std::move(row));
}

void count_status(ClassCounts& k, Status s) {
    ++k.villages;
    k.covered += s == Status::Covered;
    k.partial += s == Status::Partial;
    k.white += s == Status::White;
}

} // namespace

} // namespace compare

Comparison compare_results(CompareSide before, CompareSide after, const CompareOptions& options) {
    using namespace compare;
    if (!(options.match_tolerance_m >= 0.0) || !std::isfinite(options.match_tolerance_m))
        throw OptionError("compare.match_tolerance_m",
                          "compare: the match tolerance must be a distance >= 0 in metres.");
    const std::string crs = common_crs(after);
    reproject(after, crs);
    reproject(before, crs);

    // 1. Ids unique in both runs.
    std::vector<long> after_to_before(after.villages.size(), -1);
    std::vector<char> before_taken(before.villages.size(), 0);
    const auto before_ids = unique_ids(before.villages);
    const auto after_ids = unique_ids(after.villages);
    for (const auto& [id, a] : after_ids)
        if (auto it = before_ids.find(id); it != before_ids.end()) {
            after_to_before[static_cast<std::size_t>(a)] = it->second;
            before_taken[static_cast<std::size_t>(it->second)] = 1;
        }
    std::vector<char> by_id(after.villages.size(), 0);
    for (std::size_t a = 0; a < after.villages.size(); ++a)
        by_id[a] = after_to_before[a] >= 0;
    // 2. The rest by place.
    match_by_place(before, after, options.match_tolerance_m, after_to_before, before_taken);

    Comparison out;
    out.match_tolerance_m = options.match_tolerance_m;
    for (std::size_t a = 0; a < after.villages.size(); ++a) {
        VillageChange c;
        c.after = static_cast<long>(a);
        c.before = after_to_before[a];
        const CompareVillage& va = after.villages[a];
        if (c.before >= 0) {
            const CompareVillage& vb = before.villages[static_cast<std::size_t>(c.before)];
            c.matched_by = by_id[a] ? MatchKind::Id : MatchKind::Geometry;
            c.match_distance_m = distance(va.centre, vb.centre);
            for (ServiceClass cls : kServiceClasses)
                c.transition[index_of(cls)] =
                    transition_of(vb.status[index_of(cls)], va.status[index_of(cls)]);
        } else {
            c.transition.fill(Transition::NewVillage);
        }
        out.changes.push_back(c);
    }
    for (std::size_t b = 0; b < before.villages.size(); ++b)
        if (!before_taken[b]) {
            VillageChange c;
            c.before = static_cast<long>(b);
            c.transition.fill(Transition::GoneVillage);
            out.changes.push_back(c);
        }

    // A run without units of --units beside one with them: its villages are counted in the
    // units of the villages they matched, so that the unit rows have both sides (the
    // department's "since last year" in the new communes, from a baseline made before them).
    const bool before_units = carries_units(before), after_units = carries_units(after);
    if (after_units && !before_units) {
        out.units_unplaced = borrow_units(before.villages, after.villages, out.changes, true);
        out.before_units_borrowed = true;
    } else if (before_units && !after_units) {
        out.units_unplaced = borrow_units(after.villages, before.villages, out.changes, false);
        out.after_units_borrowed = true;
    }

    // Counts per unit.
    Levels levels;
    for (const auto* side : {&before, &after})
        for (const auto& v : side->villages) {
            levels.province = levels.province || !v.province.empty();
            levels.district = levels.district || !v.district.empty();
            levels.commune = levels.commune || !v.commune.empty();
        }
    LevelUnits rows_by_level;
    auto units = [&](const CompareVillage& v) { return units_of(v, levels, rows_by_level); };
    for (const auto& v : before.villages)
        for (auto& [level, key] : units(v))
            for (ServiceClass cls : kServiceClasses)
                count_status((*level)[key][index_of(cls)].before, v.status[index_of(cls)]);
    for (const auto& v : after.villages)
        for (auto& [level, key] : units(v))
            for (ServiceClass cls : kServiceClasses)
                count_status((*level)[key][index_of(cls)].after, v.status[index_of(cls)]);
    for (const VillageChange& c : out.changes) {
        const CompareVillage& v = c.after >= 0
                                      ? after.villages[static_cast<std::size_t>(c.after)]
                                      : before.villages[static_cast<std::size_t>(c.before)];
        for (auto& [level, key] : units(v))
            for (ServiceClass cls : kServiceClasses)
                ++(*level)[key][index_of(cls)]
                      .transitions[static_cast<std::size_t>(c.transition[index_of(cls)])];
    }

    out.rows.push_back({"all", "", "", "", rows_by_level.all[Key{}]});
    // Vietnamese order, as the summary sorts its units (report/summary.cpp).
    const unicode::Collator collator;
    auto emit = [&](const Units& level_units, const char* level) {
        std::vector<std::pair<std::array<std::string, 3>, const Units::value_type*>> sorted;
        for (const auto& unit : level_units)
            sorted.push_back({{collator.sort_key(std::get<0>(unit.first)),
                               collator.sort_key(std::get<1>(unit.first)),
                               collator.sort_key(std::get<2>(unit.first))},
                              &unit});
        std::sort(sorted.begin(), sorted.end(),
                  [](const auto& x, const auto& y) { return x.first < y.first; });
        for (const auto& [sort_key, unit] : sorted)
            out.rows.push_back({level, std::get<0>(unit->first), std::get<1>(unit->first),
                                std::get<2>(unit->first), unit->second});
    };
    emit(rows_by_level.provinces, "province");
    emit(rows_by_level.districts, "district");
    emit(rows_by_level.communes, "commune");
    emit_units(out.rows, rows_by_level.units, before, after, collator);

    out.before = std::move(before);
    out.after = std::move(after);
    return out;
}

} // namespace whitezone
