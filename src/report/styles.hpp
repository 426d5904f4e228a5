#pragma once
// The default look of each output layer in QGIS: a small table of looks (styles.cpp), written
// as QML and SLD into a GeoPackage's `layer_styles` table, the table QGIS itself creates and
// reads (docs/output.md#styles-in-qgis).

#include "report/layers.hpp"

#include <gdal_priv.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone::report {

/// One class of a categorised look: the field value, its legend label, its colour "#rrggbb".
struct LookClass {
    std::string value;
    std::string label;
    std::string colour;
};

/// The default look of one layer: categorised on `field` (or one symbol of `colour` when
/// `field` is empty), fills at `opacity`, labelled with `label_field` when not empty.
struct Look {
    std::string layer;
    std::string field;
    std::vector<LookClass> classes;
    std::string colour = "#3182bd";
    double opacity = 1.0;
    std::string label_field;
};

/// The look of `table`, nullopt for tables without geometry, layers without one, and
/// tables that lack the column their look is categorised on (layers.cpp). The villages are
/// labelled with Table::label_field.
std::optional<Look> look_of(const Table& table);

/// The look of a layer not made by make_tables() yet: "changes" (by `transition`). Used by
/// look_of() when such a table is written.
std::optional<Look> look_of_layer(std::string_view layer);

/// `look` as a QGIS style (QML) for a layer of `geometry`.
std::string style_qml(const Look& look, GeometryType geometry);

/// `look` as an OGC Styled Layer Descriptor 1.1 for a layer of `geometry`.
std::string style_sld(const Look& look, GeometryType geometry);

/// Adds QGIS's `layer_styles` table to `dataset` (a GeoPackage holding `tables`) with the
/// default style of every table that has a look; nothing when none has one (the inputs that
/// `generate` writes). Throws ExternalError "<stage>: …".
void write_layer_styles(GDALDataset& dataset, const std::vector<Table>& tables,
                        std::string_view stage);

} // namespace whitezone::report
