#pragma once
// Writing one table into an OGR dataset: shared by the file and the PostGIS sinks.

#include "report/layers.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

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
    bool shapefile_names = false;               ///< use ColumnInfo::shapefile_name
    bool layer_transaction = false;             ///< one transaction per layer (GeoPackage)
    /// Pass each layer's description as the DESCRIPTION creation option (GeoPackage:
    /// gpkg_contents.description; PostGIS: the table's comment).
    bool descriptions = false;
};

/// Creates layer `table.info.name` in `dataset` (geometries in `srs`, may be null for
/// tables) and writes every row. Throws ExternalError "<stage>: …" when GDAL fails.
/// `description` (one line) goes to the layer's description where the style has them.
void write_table(GDALDataset& dataset, const Table& table, OGRSpatialReference* srs,
                 const LayerStyle& style, std::string_view stage,
                 const std::string& description = "");

/// The geometry of `shape` as ISO WKB (little-endian); "" for Shape::Kind::None.
std::string wkb_of(const Shape& shape);

/// The OGR geometry type of a layer.
OGRwkbGeometryType ogr_geometry_type(GeometryType type);

} // namespace whitezone::report
