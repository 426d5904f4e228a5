#pragma once
// Writing one table into an OGR dataset: shared by the file and the PostGIS sinks.

#include "report/layers.hpp"
#include "report/sinks/gpkg_rtree.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone::report {

/// How a sink wants its layers made.
struct LayerStyle {
    std::vector<std::string> options;          ///< layer creation options, every layer
    std::vector<std::string> geometry_options; ///< added for layers with geometry
    /// Field names the driver itself uses ("fid", "geom"; "wkt" for a CSV with geometry): an
    /// input field of that name (ignoring case) is written as "<name>_in".
    std::vector<std::string> reserved;
    std::vector<std::string> geometry_reserved; ///< the same, for layers with geometry only
    /// Use ColumnInfo::shapefile_name, and name the carried fields with
    /// shapefile_carried_names().
    bool shapefile_names = false;
    bool layer_transaction = false; ///< one transaction per layer (GeoPackage)
    /// Pass each layer's description as the DESCRIPTION creation option (GeoPackage:
    /// gpkg_contents.description; PostGIS: the table's comment).
    bool descriptions = false;
    /// The most bytes a text value may hold (a Shapefile's 254), 0 for no limit: a longer
    /// value is cut at a UTF-8 character boundary, with one warning per field.
    std::size_t max_text_bytes = 0;
};

/// The most bytes of a dBase (Shapefile) field name.
inline constexpr std::size_t kDbfNameBytes = 10;
/// The most bytes of a dBase (Shapefile) text value.
inline constexpr std::size_t kDbfTextBytes = 254;

/// The names the carried fields of `table` are written under in a Shapefile
/// (docs/output.md#shapefile-limits): carried_names() against `taken` (the layer's
/// Shapefile names and any the driver uses, lower case), each cut at a UTF-8 character
/// boundary to at most 10 bytes. A cut name that an earlier name already holds (ignoring
/// case, Vietnamese letters included: a dBase file does) ends instead in "_2", "_3", …, the
/// first that is free and is not another field's own cut name, the name before it cut so
/// that the whole still fits in 10 bytes. Depends on the names alone, in order.
std::vector<std::string> shapefile_carried_names(const Table& table,
                                                 const std::vector<std::string>& taken);

/// The names `table`'s fields are written under with `style`, in order: the carried fields
/// (carried_names(), or shapefile_carried_names() for a Shapefile's style), then the columns.
/// The first table.carried.size() are the carried fields'.
std::vector<std::string> written_names(const Table& table, const LayerStyle& style);

/// A layer made for a table, before its rows: the OGR layer and the names its fields are
/// written under (written_names()).
struct TableLayer {
    OGRLayer* layer = nullptr;
    std::vector<std::string> written;
};

/// Creates layer `table.info.name` in `dataset` with its fields, as write_table() does, and
/// writes no row. Lets a sink make every layer in order and fill them itself (GpkgRows).
TableLayer create_table_layer(GDALDataset& dataset, const Table& table, OGRSpatialReference* srs,
                              const LayerStyle& style, std::string_view stage,
                              const std::string& description = "", const Log& log = {});

/// Sets field `i` of `f` to `value` (NULL for std::monostate), converted by OGR where the
/// field is of another type.
void set_field_value(OGRFeature& f, int i, const Value& value);

/// The text values of `row` longer than `max_bytes` (0: no limit) cut at a UTF-8 character
/// boundary; `cut` (one count per field) counts them.
void cut_long_text(Row& row, std::size_t max_bytes, std::vector<std::size_t>& cut);

/// The warning, one per field, for the values cut_long_text() counted in `cut` among `rows`
/// rows of `table` (fields written as `written`).
void warn_cut_text(const Table& table, const std::vector<std::string>& written,
                   const std::vector<std::size_t>& cut, std::size_t rows, const LayerStyle& style,
                   std::string_view stage, const Log& log);

/// Creates layer `table.info.name` in `dataset` (geometries in `srs`, may be null for
/// tables) and writes every row with GDAL's CreateFeature (in one transaction where the
/// style says so). Throws ExternalError "<stage>: …" when GDAL fails.
/// `description` (one line) goes to the layer's description where the style has them.
/// `log`: the warning for values cut to LayerStyle::max_text_bytes (one per field), and an
/// info line naming the carried fields that a Shapefile holds under other names. With `threads`
/// above 1 the rows are made into features on a thread of their own while the ones before
/// them are inserted (the file is the same); a failure on either side stops both and is the
/// one thrown.
void write_table(GDALDataset& dataset, const Table& table, OGRSpatialReference* srs,
                 const LayerStyle& style, std::string_view stage,
                 const std::string& description = "", const Log& log = {}, int threads = 1);

/// The geometry of `shape` as ISO WKB (little-endian); "" for Shape::Kind::None.
std::string wkb_of(const Shape& shape);

/// The OGR geometry type of a layer.
OGRwkbGeometryType ogr_geometry_type(GeometryType type);

} // namespace whitezone::report
