#pragma once
// The output layers as tables ready for a sink: each layer's schema (write.hpp's LayerInfo),
// the input fields it carries, and a function that fills one row. The definitions, with how
// each value is taken from the results, are in layers.cpp, once.

#include "whitezone/types.hpp"
#include "whitezone/write.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace whitezone::report {

/// The geometry of one output feature, in the table's CRS.
struct Shape {
    enum class Kind : std::uint8_t { None, Point, Line, Area };
    Kind kind = Kind::None;
    XY a, b;                            ///< Point: a; Line: from a to b
    const MultiPolygon* area = nullptr; ///< Area: not owned (or `owned`)
    MultiPolygon owned;                 ///< an area made for this row; `area` then points here
};

/// One output feature: the values of the carried input fields, then of the columns, in the
/// order of Table::carried and Table::info.columns; and its geometry.
struct Row {
    std::vector<Value> values;
    Shape shape;
};

/// One layer to write.
struct Table {
    LayerInfo info;                ///< name, geometry (resolved for the data), columns
    std::vector<FieldDef> carried; ///< the input layer's own fields, written first
    std::size_t rows = 0;
    /// Fills `row` (values resized by the caller to carried + columns) for row `i`.
    std::function<void(std::size_t i, Row& row)> fill;
    /// The carried field that names each feature (the villages' name field), for map labels
    /// (styles.hpp); empty when there is none.
    std::string label_field = {};
    /// Its rows are still being computed while the other tables are written (`fill` waits for
    /// them): a sink that can writes it after the others (OutputSet::wait_for_coverage).
    bool late = false;
    /// Made while the analysis was still running (OutputSet::wait_for_analysis): `count`
    /// waits for its end and gives the number of rows then; a sink that can writes the tables
    /// that do not wait first.
    std::function<std::size_t()> count = {};
};

/// The names the carried fields of `table` are written under, in order: each input field's
/// own name or, where `taken` (output column names and names the format adds, lower case)
/// or an earlier field holds it (ignoring case), the name with "_in", then "_in2", "_in3", …
/// until it is free of every taken and input name. Unique ignoring case (SQLite's columns).
std::vector<std::string> carried_names(const Table& table, std::vector<std::string> taken);

/// The number of rows of `table`: `rows`, or what `count` gives once the analysis has ended.
inline std::size_t rows_of(const Table& table) { return table.count ? table.count() : table.rows; }

/// The tables of `outputs`, in output_layers() order, in the work CRS. The villages layer is
/// MultiPolygon, Point, or Any when it mixes points and polygons.
///
/// With OutputSet::wait_for_analysis, only the stations table is whole: the others that
/// depend on the stages after the overlay get a `count`, which waits.
std::vector<Table> make_tables(const OutputSet& outputs);

/// The CRS of a comparison's layers (the later run's, or the one both were compared in).
const std::string& crs_of(const Comparison& comparison);

} // namespace whitezone::report
