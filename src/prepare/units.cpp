// Administrative units of --units (e.g. the 2025 communes): read into the work CRS, and each
// village assigned to the unit whose polygon holds its centre.

#include "whitezone/error.hpp"

#include "common/grid.hpp"
#include "common/polygon.hpp"
#include "common/text.hpp"
#include "geos/geos.hpp"
#include "prepare/fields.hpp"
#include "prepare/internal.hpp"

#include <algorithm>
#include <cmath>

namespace whitezone {

std::vector<AdminUnit> prepare_units(RawLayer layer,
                                     const std::map<std::string, std::string>& fields,
                                     const std::string& work_crs, const Log& log) {
    using prepare::FieldReader;
    const std::string crs = prepare::checked_crs(layer, "units");
    const FieldReader reader(layer, fields, "units");
    const int code_col = reader.find("code");
    const int name_col = reader.find("name");
    const int level_col = reader.find("level");
    const int parent_col = reader.find("parent_code");

    const proj::Transformer to_work(crs, work_crs);
    geos::Context ctx;
    std::vector<AdminUnit> out;
    std::vector<std::int64_t> repaired;
    for (auto& f : layer.features) {
        if (f.geometry.kind != RawGeometry::Kind::Area)
            throw InputError("prepare: " + layer.where() + " row " + std::to_string(f.row) +
                             " is a " + f.geometry.type +
                             "; units must be polygons or multipolygons (turn unit points into "
                             "polygons first, e.g. Voronoi cells in QGIS).");
        AdminUnit u;
        u.row = f.row;
        u.code = std::string(text::trim(reader.text(f, code_col)));
        if (u.code.empty())
            u.code = std::to_string(f.row);
        u.name = std::string(text::trim(reader.text(f, name_col)));
        u.level = std::string(text::trim(reader.text(f, level_col)));
        u.parent_code = std::string(text::trim(reader.text(f, parent_col)));
        u.area = std::move(f.geometry.area);
        for (auto& poly : u.area)
            for (auto& ring : poly.rings)
                if (to_work.transform(ring) >= 0)
                    throw InputError("prepare: " + layer.where() + " row " + std::to_string(f.row) +
                                     ": cannot transform a coordinate into the work CRS; check "
                                     "the geometry and the layer's CRS (\"units.crs\").");
        try {
            geos::Geom g = geos::make_multipolygon(ctx, u.area);
            if (!geos::check(ctx, GEOSisValid_r(ctx.handle(), g.get()), "isValid")) {
                g = geos::own(ctx, GEOSMakeValid_r(ctx.handle(), g.get()), "MakeValid");
                u.area = geos::to_multipolygon(ctx, g.get());
                repaired.push_back(f.row);
            }
        } catch (const ExternalError& e) {
            throw InputError("prepare: " + layer.where() + " row " + std::to_string(f.row) +
                             ": the polygon cannot be built or repaired (" + e.what() +
                             "); fix its geometry (e.g. in QGIS: Fix Geometries).");
        }
        out.push_back(std::move(u));
    }
    if (out.empty())
        throw InputError("prepare: " + layer.where() +
                         " holds no unit polygon; give a layer of administrative units "
                         "(--units) or leave it out.");
    if (!repaired.empty())
        log.warning("prepare: repaired " + std::to_string(repaired.size()) +
                    " invalid unit polygons in " + layer.where() + " (" +
                    prepare::row_list(repaired) + ")");
    return out;
}

std::size_t assign_units(std::vector<Village>& villages, const std::vector<AdminUnit>& units) {
    // A cell about the size of a unit: a centre meets a few boxes only.
    std::vector<Extent> boxes;
    double size = 0.0;
    for (const AdminUnit& u : units) {
        boxes.push_back(polygon::extent_of(u.area));
        const Extent& e = boxes.back();
        if (e.maxx >= e.minx)
            size += std::max(e.maxx - e.minx, e.maxy - e.miny);
    }
    const double cell =
        std::max(100.0, size / static_cast<double>(std::max<std::size_t>(units.size(), 1)));
    grid::GridIndex index(cell);
    for (std::size_t k = 0; k < units.size(); ++k)
        if (boxes[k].maxx >= boxes[k].minx)
            index.insert({boxes[k].minx, boxes[k].miny, boxes[k].maxx, boxes[k].maxy}, k);

    std::size_t outside = 0;
    std::vector<std::size_t> found;
    // One label per unit, made when a village first falls in it and shared by its villages.
    std::vector<std::shared_ptr<const UnitLabel>> labels(units.size());
    for (Village& v : villages) {
        index.query(grid::Box::around(v.centre, 0.0), found); // ascending: the layer's order
        v.unit = nullptr;
        for (std::size_t k : found)
            if (polygon::contains(units[k].area, v.centre)) {
                if (!labels[k])
                    labels[k] = std::make_shared<const UnitLabel>(UnitLabel{
                        units[k].code, units[k].name, units[k].level, units[k].parent_code});
                v.unit = labels[k];
                break;
            }
        v.flags &= static_cast<VillageFlags>(~bit(VillageFlag::OutsideUnits));
        if (!v.unit) {
            v.flags |= bit(VillageFlag::OutsideUnits);
            ++outside;
        }
    }
    return outside;
}

} // namespace whitezone
