// The in-memory "sink": the output tables (layers.cpp) as columns of values and WKB
// geometries, named as the file sinks name them (write.hpp's output_tables()).

#include "whitezone/error.hpp"
#include "whitezone/provenance.hpp"
#include "whitezone/report.hpp"

#include "common/text.hpp"
#include "report/layers.hpp"
#include "report/sinks/ogr_table.hpp"
#include "report/sinks/sink.hpp"

#include <algorithm>

namespace whitezone {

namespace {

ColumnType column_type(FieldType t) {
    switch (t) {
    case FieldType::Integer:
        return ColumnType::Integer64;
    case FieldType::Real:
        return ColumnType::Real;
    case FieldType::String:
        return ColumnType::String;
    }
    return ColumnType::String;
}

LayerTable to_layer_table(const report::Table& table, const std::string& crs) {
    LayerTable out;
    out.name = table.info.name;
    out.geometry = table.info.geometry;
    out.rows = rows_of(table);
    out.crs_wkt = crs;
    const bool geometry = table.info.geometry != GeometryType::None;
    // Carried input fields renamed like write_table() renames them: "_in" where an output
    // column (or the data frame's geometry column) takes the name.
    std::vector<std::string> taken;
    for (const auto& c : table.info.columns)
        taken.push_back(text::lower(c.name));
    if (geometry)
        taken.emplace_back("geometry");
    out.fields = report::carried_names(table, std::move(taken));
    for (const auto& f : table.carried)
        out.types.push_back(column_type(f.type));
    for (const auto& c : table.info.columns) {
        out.fields.push_back(c.name);
        out.types.push_back(c.type);
    }
    out.values.assign(out.fields.size(), std::vector<Value>(out.rows));
    if (geometry)
        out.wkb.resize(out.rows);
    report::Row row;
    row.values.resize(out.fields.size());
    for (std::size_t i = 0; i < out.rows; ++i) {
        table.fill(i, row);
        for (std::size_t k = 0; k < row.values.size(); ++k)
            out.values[k][i] = std::move(row.values[k]);
        if (geometry)
            out.wkb[i] = report::wkb_of(row.shape);
    }
    return out;
}

} // namespace

std::vector<LayerTable> output_tables(const OutputSet& outputs) {
    if (!outputs.analysis)
        throw ExternalError("write: no analysis to turn into tables");
    std::vector<LayerTable> out;
    for (const auto& table : report::make_tables(outputs))
        out.push_back(to_layer_table(table, outputs.analysis->inputs.work_crs_wkt));
    if (outputs.provenance) { // as the file sinks add it (docs/output.md#provenance)
        const auto rows = provenance_rows(*outputs.provenance);
        out.push_back(to_layer_table(report::provenance_table(rows), ""));
    }
    return out;
}

} // namespace whitezone
