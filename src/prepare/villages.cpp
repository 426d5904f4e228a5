// Villages: attributes resolved, coordinates reprojected, invalid polygons repaired with GEOS
// make-valid, centres found; settlements joined to their villages.

#include "whitezone/error.hpp"

#include "common/parallel.hpp"
#include "common/polygon.hpp"
#include "common/text.hpp"
#include "geos/geos.hpp"
#include "prepare/fields.hpp"
#include "prepare/internal.hpp"

#include <atomic>
#include <unordered_map>
#include <unordered_set>

namespace whitezone::prepare {

namespace {
// Population and households above this are errors, not data: more than a billion people in
// one village is a unit or decimal-separator mistake (or 1e308), and sums must stay exact.
constexpr double kMaxVillageCount = 1e9;
} // namespace

std::vector<Village> prepare_villages(RawLayer& layer, const PrepareOptions& options,
                                      const std::string& layer_crs, const std::string& work_crs,
                                      const RawLayer* centres,
                                      const proj::Transformer* centres_to_work, const Log& log) {
    FieldReader fields(layer, options.village_fields, "villages");
    const int id_col = fields.find("id");
    const int name_col = fields.find("name");
    const int commune_col = fields.find("commune");
    const int district_col = fields.find("district");
    const int province_col = fields.find("province");
    const int commune_code_col = fields.find("commune_code");
    const int district_code_col = fields.find("district_code");
    const int province_code_col = fields.find("province_code");
    const int pop_col = fields.find("population");
    const int hh_col = fields.find("households");
    const int power_col = fields.find("has_power");
    const int cx_col = fields.find("centre_x");
    const int cy_col = fields.find("centre_y");
    if ((cx_col < 0) != (cy_col < 0)) {
        const int present = cx_col >= 0 ? cx_col : cy_col;
        throw InputError("prepare: " + layer.where() + " has a centre " +
                         (cx_col >= 0 ? "x" : "y") + " field '" +
                         layer.fields[static_cast<std::size_t>(present)].name + "' but no centre " +
                         (cx_col >= 0 ? "y" : "x") +
                         " field; add it (centre_x / centre_y), name it with "
                         "\"villages.fields.centre_x\" and \"villages.fields.centre_y\" in the "
                         "config, or remove the one present.");
    }

    std::vector<Village> out;
    std::vector<std::optional<XY>> given; // in the layer's CRS, or the work CRS when
    std::vector<char> centre_layer_given; // it came from the centres layer
    out.reserve(layer.features.size());
    for (auto& f : layer.features) {
        Village v;
        v.row = f.row;
        if (f.geometry.kind == RawGeometry::Kind::Point) {
            v.centre = f.geometry.point;
            v.centre_source = CentreSource::Point;
        } else if (f.geometry.kind == RawGeometry::Kind::Area) {
            v.area = std::move(f.geometry.area);
            v.centre = v.area.front().rings.front().front(); // replaced below
        } else {
            throw InputError("prepare: " + layer.where() + " row " + std::to_string(f.row) +
                             " is a " + f.geometry.type +
                             "; villages must be polygons, multipolygons or points.");
        }
        v.id = std::string(text::trim(fields.text(f, id_col)));
        if (v.id.empty())
            v.id = std::to_string(f.row);
        v.name = fields.text(f, name_col);
        v.commune = fields.text(f, commune_col);
        v.district = fields.text(f, district_col);
        v.province = fields.text(f, province_col);
        v.commune_code = std::string(text::trim(fields.text(f, commune_code_col)));
        v.district_code = std::string(text::trim(fields.text(f, district_code_col)));
        v.province_code = std::string(text::trim(fields.text(f, province_code_col)));
        v.population = fields.number(f, pop_col, "a number of people");
        v.households = fields.number(f, hh_col, "a number of households");
        v.has_power = fields.flag(f, power_col);
        for (auto [val, col] : {std::pair{v.population, pop_col}, {v.households, hh_col}}) {
            if (val && *val < 0)
                throw InputError("prepare: " + fields.where(f, col) + ": " + text::fixed(*val, 0) +
                                 " is negative; give a count >= 0.");
            if (val && *val > kMaxVillageCount)
                throw InputError("prepare: " + fields.where(f, col) + ": " + text::fixed(*val, 0) +
                                 " is more than any village holds (at most " +
                                 text::thousands(static_cast<long long>(kMaxVillageCount)) +
                                 "); give the village's own count.");
        }
        const auto cx = fields.number(f, cx_col, "the centre's x (longitude)");
        const auto cy = fields.number(f, cy_col, "the centre's y (latitude)");
        if (cx.has_value() != cy.has_value()) {
            const int missing = cx ? cy_col : cx_col;
            throw InputError("prepare: " + fields.where(f, missing) +
                             ": the village centre has only one coordinate; give both x and y "
                             "(\"villages.fields.centre_x\" / \"centre_y\"), or neither.");
        }
        given.push_back(cx && cy ? std::optional<XY>(XY{*cx, *cy}) : std::nullopt);
        centre_layer_given.push_back(0);
        v.values = std::move(f.values);
        out.push_back(std::move(v));
    }
    // Centres from a separate layer, joined by village id.
    if (centres) {
        FieldReader cfields(*centres, options.centre_fields, "centres");
        const int vid_col = cfields.find("village_id");
        if (vid_col < 0)
            throw InputError("prepare: " + centres->where() +
                             " has no village id field; expected 'village_id', or name yours "
                             "with \"centres.fields.village_id\" in the config.");
        std::unordered_map<std::string, std::size_t> by_id;
        for (std::size_t i = 0; i < out.size(); ++i)
            by_id.emplace(out[i].id, i);
        std::vector<XY> points;
        std::vector<std::size_t> targets;
        std::vector<std::int64_t> centre_rows;
        std::vector<std::int64_t> unmatched;
        for (const auto& f : centres->features) {
            if (f.geometry.kind != RawGeometry::Kind::Point)
                throw InputError("prepare: " + centres->where() + " row " + std::to_string(f.row) +
                                 " is a " + f.geometry.type + "; village centres must be points.");
            auto it = by_id.find(std::string(text::trim(cfields.text(f, vid_col))));
            if (it == by_id.end()) {
                unmatched.push_back(f.row);
                continue;
            }
            points.push_back(f.geometry.point);
            targets.push_back(it->second);
            centre_rows.push_back(f.row);
        }
        if (long bad = centres_to_work->transform(points); bad >= 0)
            throw InputError("prepare: " + centres->where() +
                             ": cannot transform a centre into the work CRS.");
        // One centre per village: the first row wins, as in every join by id.
        std::vector<std::int64_t> repeated;
        for (std::size_t i = 0; i < points.size(); ++i) {
            if (centre_layer_given[targets[i]]) {
                repeated.push_back(centre_rows[i]);
                continue;
            }
            given[targets[i]] = points[i];
            centre_layer_given[targets[i]] = 1; // already in the work CRS
        }
        if (!repeated.empty())
            log.warning("prepare: " + std::to_string(repeated.size()) + " centres in " +
                        centres->where() + " repeat a village already given a centre (" +
                        row_list(repeated) + "); the first was kept");
        if (!unmatched.empty())
            log.warning("prepare: " + std::to_string(unmatched.size()) + " centres in " +
                        centres->where() + " name no known village id (" + row_list(unmatched) +
                        "); they were ignored");
    }

    // Reprojection, repair, area and centre, villages taken by the workers 256 at a time (the
    // stations are prepared beside them, so the workers do not get the same share of the
    // cores); each has its own PROJ transformation and GEOS context.
    std::vector<char> collapsed_flag(out.size(), 0), unprojectable(out.size(), 0);
    std::vector<std::string> geos_failed(out.size());
    constexpr std::size_t kTaken = 256;
    std::atomic<std::size_t> next{0};
    parallel::for_ranges(
        static_cast<std::size_t>(std::max(options.threads, 1)), options.threads,
        [&](std::size_t, std::size_t, std::size_t) {
            const proj::Transformer to_work(layer_crs, work_crs);
            geos::Context ctx;
            for (std::size_t taken = next.fetch_add(kTaken); taken < out.size();
                 taken = next.fetch_add(kTaken))
                for (std::size_t i = taken; i < std::min(out.size(), taken + kTaken); ++i) {
                    Village& v = out[i];
                    bool ok = to_work.transform(&v.centre, 1) < 0;
                    for (auto& poly : v.area)
                        for (auto& ring : poly.rings)
                            ok = ok && to_work.transform(ring) < 0;
                    if (!ok) {
                        unprojectable[i] = 1;
                        continue;
                    }
                    if (given[i] && !centre_layer_given[i]) {
                        const XY centre = *given[i];
                        if (to_work.transform(&*given[i], 1) >= 0) {
                            unprojectable[i] = 2; // the centre fields' point, not the geometry
                            given[i] = centre;
                            continue;
                        }
                    }
                    if (!v.area.empty())
                        try {
                            geos::Geom g = geos::make_multipolygon(ctx, v.area);
                            if (!geos::check(ctx, GEOSisValid_r(ctx.handle(), g.get()),
                                             "isValid")) {
                                g = geos::own(ctx, GEOSMakeValid_r(ctx.handle(), g.get()),
                                              "MakeValid");
                                v.area = geos::to_multipolygon(ctx, g.get());
                                g = geos::make_multipolygon(ctx, v.area);
                                v.repaired = true;
                            }
                            if (v.area.empty()) {
                                collapsed_flag[i] = 1; // no area left: kept as a point village
                                v.centre_source = CentreSource::Point;
                            } else {
                                v.area_m2 = geos::area(ctx, g.get());
                                v.centre = geos::point_on_surface(ctx, g.get());
                                v.centre_source = CentreSource::PointOnSurface;
                            }
                        } catch (const ExternalError& e) {
                            geos_failed[i] =
                                e.what(); // the polygon itself is at fault: an input error
                            continue;
                        }
                    if (given[i]) {
                        v.centre = *given[i];
                        v.centre_source = CentreSource::Given;
                    }
                }
        });
    for (std::size_t i = 0; i < out.size(); ++i)
        if (unprojectable[i] == 2)
            throw InputError("prepare: " + layer.where() + " row " + std::to_string(out[i].row) +
                             ": the centre given in its centre fields (" +
                             text::fixed(given[i]->x, 6) + ", " + text::fixed(given[i]->y, 6) +
                             ") cannot be transformed into the work CRS; the centre fields hold "
                             "coordinates in the layer's CRS (longitude -180 to 180 and latitude "
                             "-90 to 90 for WGS 84), x first.");
        else if (unprojectable[i])
            throw InputError("prepare: " + layer.where() + " row " + std::to_string(out[i].row) +
                             ": cannot transform a coordinate into the work CRS; check the "
                             "geometry and the layer's CRS.");
    for (std::size_t i = 0; i < out.size(); ++i)
        if (!geos_failed[i].empty())
            throw InputError("prepare: " + layer.where() + " row " + std::to_string(out[i].row) +
                             ": the polygon cannot be built or repaired (" + geos_failed[i] +
                             "); fix its geometry (e.g. in QGIS: Fix Geometries) or remove the "
                             "row.");
    std::vector<std::int64_t> repaired, collapsed;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i].repaired)
            repaired.push_back(out[i].row);
        if (collapsed_flag[i])
            collapsed.push_back(out[i].row);
    }
    // The flags of the data: every default filled in below (and in classify and rank) is
    // flagged on its village (docs/output.md#flags).
    for (std::size_t i = 0; i < out.size(); ++i) {
        Village& v = out[i];
        if (!v.population) {
            v.flags |= bit(VillageFlag::NoPopulation);
            if (v.households)
                v.flags |= bit(VillageFlag::HouseholdsAsPeople);
        }
        if (!v.has_power)
            v.flags |= bit(VillageFlag::PowerUnknown);
        if (v.repaired)
            v.flags |= bit(VillageFlag::Repaired);
        if (v.centre_source == CentreSource::PointOnSurface || (collapsed_flag[i] && !given[i]))
            v.flags |= bit(VillageFlag::CentreEstimated);
        if (v.centre_source == CentreSource::Given && !v.area.empty() &&
            !polygon::contains(v.area, v.centre))
            v.flags |= bit(VillageFlag::CentreOutside);
    }

    if (!repaired.empty())
        log.warning("prepare: repaired " + std::to_string(repaired.size()) +
                    " invalid village polygons in " + layer.where() + " (" + row_list(repaired) +
                    ")");
    if (!collapsed.empty())
        log.warning("prepare: " + std::to_string(collapsed.size()) + " village polygons in " +
                    layer.where() + " have no area after repair and are treated as points (" +
                    row_list(collapsed) + ")");
    if (!layer.empty_rows.empty())
        log.warning("prepare: skipped " + std::to_string(layer.empty_rows.size()) +
                    " villages with empty geometry in " + layer.where() + " (" +
                    row_list(layer.empty_rows) + ")");
    if (id_col >= 0) {
        std::unordered_set<std::string> seen;
        std::vector<std::int64_t> dup_rows;
        for (const auto& v : out)
            if (!seen.insert(v.id).second)
                dup_rows.push_back(v.row);
        if (!dup_rows.empty())
            log.warning("prepare: " + std::to_string(dup_rows.size()) + " villages in " +
                        layer.where() + " repeat an id already used (" + row_list(dup_rows) +
                        "); joins by id use the first");
    }
    return out;
}

std::vector<Settlement> prepare_settlements(const RawLayer& layer, const PrepareOptions& options,
                                            const proj::Transformer& to_work,
                                            std::vector<Village>& villages, const Log& log) {
    FieldReader fields(layer, options.settlement_fields, "settlements");
    const int vid_col = fields.find("village_id");
    const int pop_col = fields.find("population");
    const int hh_col = fields.find("households");
    geos::Context ctx;

    std::vector<Settlement> out;
    std::vector<XY> points;
    for (const auto& f : layer.features) {
        Settlement s;
        s.row = f.row;
        if (f.geometry.kind == RawGeometry::Kind::Point) {
            s.xy = f.geometry.point;
        } else if (f.geometry.kind == RawGeometry::Kind::Area) {
            // A cluster drawn as a polygon is represented by a point inside it.
            s.xy = geos::point_on_surface(ctx, geos::make_multipolygon(ctx, f.geometry.area).get());
        } else {
            throw InputError("prepare: " + layer.where() + " row " + std::to_string(f.row) +
                             " is a " + f.geometry.type +
                             "; settlements must be points or polygons.");
        }
        s.population = fields.number(f, pop_col, "a number of people");
        s.households = fields.number(f, hh_col, "a number of households");
        for (auto [val, col] : {std::pair{s.population, pop_col}, {s.households, hh_col}})
            if (val && (*val < 0 || *val > kMaxVillageCount))
                throw InputError("prepare: " + fields.where(f, col) + ": " + text::fixed(*val, 0) +
                                 " is not a count of a residential cluster; give a count from 0 "
                                 "to " +
                                 text::thousands(static_cast<long long>(kMaxVillageCount)) + ".");
        points.push_back(s.xy);
        out.push_back(s);
    }
    if (long bad = to_work.transform(points); bad >= 0)
        throw InputError("prepare: " + layer.where() + " row " +
                         std::to_string(out[static_cast<std::size_t>(bad)].row) +
                         ": cannot transform the settlement into the work CRS.");
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i].xy = points[i];

    if (vid_col >= 0) {
        std::unordered_map<std::string, long> by_id;
        for (std::size_t i = 0; i < villages.size(); ++i)
            by_id.emplace(villages[i].id, static_cast<long>(i));
        for (std::size_t i = 0; i < out.size(); ++i) {
            auto it = by_id.find(std::string(text::trim(fields.text(layer.features[i], vid_col))));
            if (it != by_id.end())
                out[i].village = it->second;
        }
    } else {
        // Containment: an STRtree over the village polygons, then an exact intersects test.
        std::vector<geos::Geom> geoms;
        geos::StrTree tree(ctx);
        for (std::size_t i = 0; i < villages.size(); ++i) {
            geoms.push_back(villages[i].area.empty()
                                ? geos::make_point(ctx, villages[i].centre)
                                : geos::make_multipolygon(ctx, villages[i].area));
        }
        for (std::size_t i = 0; i < villages.size(); ++i)
            if (!villages[i].area.empty())
                tree.insert(geoms[i].get(), i);
        for (auto& s : out) {
            geos::Geom p = geos::make_point(ctx, s.xy);
            for (std::size_t i : tree.query(p.get())) {
                if (geos::check(ctx, GEOSIntersects_r(ctx.handle(), geoms[i].get(), p.get()),
                                "intersects")) {
                    s.village = static_cast<long>(i);
                    break;
                }
            }
        }
    }
    std::vector<std::int64_t> orphans;
    for (const auto& s : out)
        if (s.village < 0)
            orphans.push_back(s.row);
    std::vector<char> matched(villages.size(), 0);
    for (const auto& s : out)
        if (s.village >= 0)
            matched[static_cast<std::size_t>(s.village)] = 1;
    for (std::size_t v = 0; v < villages.size(); ++v)
        if (!matched[v])
            villages[v].flags |= bit(VillageFlag::SettlementUnmatched);
    if (!orphans.empty())
        log.warning("prepare: " + std::to_string(orphans.size()) + " settlements in " +
                    layer.where() + " lie in no village (" + row_list(orphans) +
                    "); they were ignored");
    return out;
}

} // namespace whitezone::prepare
