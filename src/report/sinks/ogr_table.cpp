#include "report/sinks/ogr_table.hpp"

#include "whitezone/error.hpp"

#include "common/parallel.hpp"
#include "common/text.hpp"
#include "common/unicode.hpp"
#include "gdal/gdal.hpp"
#include "report/sinks/sink.hpp"

#include <algorithm>
#include <memory>
#include <set>

namespace whitezone::report {

namespace {

OGRFieldType ogr_type(ColumnType t) {
    switch (t) {
    case ColumnType::Integer:
        return OFTInteger;
    case ColumnType::Integer64:
        return OFTInteger64;
    case ColumnType::Real:
        return OFTReal;
    case ColumnType::String:
        return OFTString;
    }
    return OFTString;
}

OGRFieldType ogr_type(FieldType t) {
    switch (t) {
    case FieldType::Integer:
        return OFTInteger64;
    case FieldType::Real:
        return OFTReal;
    case FieldType::String:
        return OFTString;
    }
    return OFTString;
}

void add_field(OGRLayer& layer, const std::string& name, OGRFieldType type,
               std::string_view stage) {
    OGRFieldDefn defn(name.c_str(), type);
    if (layer.CreateField(&defn) != OGRERR_NONE)
        throw ExternalError(std::string(stage) + ": cannot create field '" + name + "' in layer '" +
                            layer.GetName() + "': " + gdal::last_error());
}

OGRGeometry* make_geometry(const Shape& s) {
    switch (s.kind) {
    case Shape::Kind::Point:
        return new OGRPoint(s.a.x, s.a.y);
    case Shape::Kind::Line: {
        auto* line = new OGRLineString();
        line->addPoint(s.a.x, s.a.y);
        line->addPoint(s.b.x, s.b.y);
        return line;
    }
    case Shape::Kind::Area:
        return gdal::to_ogr(*s.area).release();
    case Shape::Kind::None:
        break;
    }
    return nullptr;
}

// "'a' → 'b', 'c' → 'd'": the carried fields whose written name is not their own.
std::string renamed_list(const Table& table, const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t k = 0; k < names.size(); ++k)
        if (names[k] != table.carried[k].name)
            out += (out.empty() ? "'" : ", '") + table.carried[k].name + "' → '" + names[k] + "'";
    return out;
}

} // namespace

void set_field_value(OGRFeature& f, int i, const Value& value) {
    if (const auto* n = std::get_if<std::int64_t>(&value))
        f.SetField(i, static_cast<GIntBig>(*n));
    else if (const auto* d = std::get_if<double>(&value))
        f.SetField(i, *d);
    else if (const auto* s = std::get_if<std::string>(&value))
        f.SetField(i, s->c_str());
    else
        f.SetFieldNull(i);
}

std::vector<std::string> shapefile_carried_names(const Table& table,
                                                 const std::vector<std::string>& taken) {
    std::vector<std::string> names = carried_names(table, taken);
    std::set<std::string> used, own;
    for (const std::string& t : taken)
        used.insert(unicode::fold_case(t));
    // A field whose cut name is free keeps it: no renamed field before it takes it.
    for (const std::string& name : names)
        own.insert(unicode::fold_case(text::utf8_prefix(name, kDbfNameBytes)));
    for (std::string& name : names) {
        const std::string cut(text::utf8_prefix(name, kDbfNameBytes));
        std::string chosen = cut;
        for (int n = 2; used.count(unicode::fold_case(chosen)) != 0 ||
                        (chosen != cut && own.count(unicode::fold_case(chosen)) != 0);
             ++n) {
            const std::string suffix = "_" + std::to_string(n);
            chosen = std::string(text::utf8_prefix(name, kDbfNameBytes - suffix.size())) + suffix;
        }
        used.insert(unicode::fold_case(chosen));
        name = std::move(chosen);
    }
    return names;
}

std::string wkb_of(const Shape& shape) {
    std::unique_ptr<OGRGeometry> g(make_geometry(shape));
    if (!g)
        return {};
    std::string wkb(g->WkbSize(), '\0');
    if (g->exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(wkb.data()), wkbVariantIso) !=
        OGRERR_NONE)
        throw ExternalError("write: cannot encode a geometry as WKB: " + gdal::last_error());
    return wkb;
}

OGRwkbGeometryType ogr_geometry_type(GeometryType type) {
    switch (type) {
    case GeometryType::None:
        return wkbNone;
    case GeometryType::Points:
        return wkbPoint;
    case GeometryType::Lines:
        return wkbLineString;
    case GeometryType::Polygons:
        return wkbMultiPolygon;
    case GeometryType::Mixed:
        return wkbUnknown;
    }
    return wkbUnknown;
}

std::vector<std::string> written_names(const Table& table, const LayerStyle& style) {
    // Input fields first, renamed with "_in" when the output uses the name itself: an output
    // field, or a column the driver adds (the GeoPackage's "fid" and "geom", the "WKT"
    // column of a CSV with geometry). QGIS exports often carry "fid"; a CSV read through its
    // WKT column carries "WKT".
    std::vector<std::string> taken;
    for (const auto& c : table.info.columns)
        taken.push_back(text::lower(style.shapefile_names ? c.shapefile_name : c.name));
    for (const auto& r : style.reserved)
        taken.push_back(text::lower(r));
    if (table.info.geometry != GeometryType::None)
        for (const auto& r : style.geometry_reserved)
            taken.push_back(text::lower(r));
    std::vector<std::string> written = style.shapefile_names
                                           ? shapefile_carried_names(table, taken)
                                           : carried_names(table, std::move(taken));
    for (const auto& c : table.info.columns)
        written.push_back(style.shapefile_names ? c.shapefile_name : c.name);
    return written;
}

TableLayer create_table_layer(GDALDataset& dataset, const Table& table, OGRSpatialReference* srs,
                              const LayerStyle& style, std::string_view stage,
                              const std::string& description, const Log& log) {
    const std::string& name = table.info.name;
    const bool geometry = table.info.geometry != GeometryType::None;
    std::vector<std::string> options = style.options;
    if (geometry)
        options.insert(options.end(), style.geometry_options.begin(), style.geometry_options.end());
    if (style.descriptions && !description.empty())
        options.push_back("DESCRIPTION=" + description);
    gdal::StringList opts(options);
    OGRLayer* layer = dataset.CreateLayer(name.c_str(), geometry ? srs : nullptr,
                                          ogr_geometry_type(table.info.geometry), opts.get());
    if (!layer)
        throw ExternalError(std::string(stage) + ": cannot create layer '" + name +
                            "': " + gdal::last_error());
    const std::vector<std::string> written = written_names(table, style);
    const std::vector<std::string> carried(
        written.begin(), written.begin() + static_cast<std::ptrdiff_t>(table.carried.size()));
    if (style.shapefile_names)
        if (const std::string renamed = renamed_list(table, carried); !renamed.empty())
            log.say(std::string(stage) + ": layer '" + name +
                    "': input fields under other names (a Shapefile's names hold at most 10 "
                    "bytes; docs/output.md#shapefile-limits): " +
                    renamed);
    for (std::size_t k = 0; k < written.size(); ++k)
        add_field(*layer, written[k],
                  k < carried.size() ? ogr_type(table.carried[k].type)
                                     : ogr_type(table.info.columns[k - carried.size()].type),
                  stage);
    // A driver that drops a field it cannot hold would put every later value under the wrong
    // name: refuse rather than write that.
    const int fields = layer->GetLayerDefn()->GetFieldCount();
    if (fields != static_cast<int>(written.size()))
        throw ExternalError(std::string(stage) + ": layer '" + name + "' holds " +
                            std::to_string(fields) + " fields of the " +
                            std::to_string(written.size()) + " written (" + gdal::last_error() +
                            ")");
    return {layer, written};
}

void cut_long_text(Row& row, std::size_t max_bytes, std::vector<std::size_t>& cut) {
    if (max_bytes == 0)
        return;
    // Cut here, at a character boundary, and counted: GDAL would cut the value too, but say so
    // only to its (quiet) error handler, and how it cuts depends on its version.
    for (std::size_t k = 0; k < row.values.size(); ++k)
        if (auto* s = std::get_if<std::string>(&row.values[k]); s && s->size() > max_bytes) {
            s->resize(text::utf8_prefix(*s, max_bytes).size());
            ++cut[k];
        }
}

void warn_cut_text(const Table& table, const std::vector<std::string>& written,
                   const std::vector<std::size_t>& cut, std::size_t rows, const LayerStyle& style,
                   std::string_view stage, const Log& log) {
    const std::size_t carried = table.carried.size();
    for (std::size_t k = 0; k < written.size(); ++k) {
        if (cut[k] == 0)
            continue;
        const std::string& own =
            k < carried ? table.carried[k].name : table.info.columns[k - carried].name;
        log.warning(std::string(stage) + ": layer '" + table.info.name + "', field '" + own + "'" +
                    (own != written[k] ? " ('" + written[k] + "' in the file)" : "") + ": " +
                    text::thousands(static_cast<long long>(cut[k])) + " of " +
                    text::thousands(static_cast<long long>(rows)) + " values are longer than the " +
                    std::to_string(style.max_text_bytes) +
                    " bytes a Shapefile text field holds and were cut (at a character "
                    "boundary); to keep them whole, write a GeoPackage: --format gpkg --out "
                    "FILE.gpkg.");
    }
}

void write_table(GDALDataset& dataset, const Table& table, OGRSpatialReference* srs,
                 const LayerStyle& style, std::string_view stage, const std::string& description,
                 const Log& log, int threads) {
    const TableLayer made = create_table_layer(dataset, table, srs, style, stage, description, log);
    OGRLayer* layer = made.layer;
    const std::string& name = table.info.name;
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    Row row;
    row.values.resize(made.written.size());
    std::vector<std::size_t> cut(made.written.size()); // values cut to max_text_bytes, per field
    const std::size_t rows = rows_of(table);           // before the transaction: it may wait
    const bool transaction = style.layer_transaction && layer->StartTransaction() == OGRERR_NONE;
    // A row made into a feature while the rows before it are inserted: GDAL's insertion is
    // most of the write.
    const auto make = [&](std::size_t i, std::unique_ptr<OGRFeature>& f) {
        table.fill(i, row);
        cut_long_text(row, style.max_text_bytes, cut);
        f = std::make_unique<OGRFeature>(defn);
        for (std::size_t k = 0; k < row.values.size(); ++k)
            set_field_value(*f, static_cast<int>(k), row.values[k]);
        if (OGRGeometry* g = make_geometry(row.shape))
            f->SetGeometryDirectly(g);
    };
    const auto use = [&](std::size_t, std::unique_ptr<OGRFeature>& f) {
        if (layer->CreateFeature(f.get()) != OGRERR_NONE)
            throw ExternalError(std::string(stage) + ": cannot write a feature to layer '" + name +
                                "': " + gdal::last_error());
    };
    parallel::in_order<std::unique_ptr<OGRFeature>>(rows, 1024, threads > 1, make, use);
    if (transaction && layer->CommitTransaction() != OGRERR_NONE)
        throw ExternalError(std::string(stage) + ": cannot commit layer '" + name +
                            "': " + gdal::last_error());
    warn_cut_text(table, made.written, cut, rows, style, stage, log);
}

Table provenance_table(const std::vector<std::pair<std::string, std::string>>& rows) {
    Table t;
    t.info.name = "provenance";
    t.info.geometry = GeometryType::None;
    t.info.columns = {{"key", "key", ColumnType::String}, {"value", "value", ColumnType::String}};
    t.info.description = "How this output was made: whitezone version, command, config with "
                         "every default, model, inputs with SHA-256, warnings (one row per item)";
    t.rows = rows.size();
    t.fill = [&rows](std::size_t i, Row& row) {
        row.values[0] = rows[i].first;
        row.values[1] = rows[i].second;
        row.shape = Shape{};
    };
    return t;
}

} // namespace whitezone::report
