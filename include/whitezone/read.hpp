#pragma once
/// \file read.hpp
/// Stage 1, read: one vector layer from any source GDAL/OGR opens (GeoPackage, GeoJSON,
/// Shapefile, FlatGeobuf, CSV, a `PG:` connection string) into plain features, in the
/// layer's own CRS. No field is interpreted here beyond CSV coordinates; see prepare.hpp.

#include "whitezone/types.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace whitezone {

/// Where a layer comes from.
struct LayerSource {
    std::string path;  ///< file path, or a GDAL connection string such as "PG:dbname=x"
    std::string layer; ///< layer name; empty picks the only layer (error if several)
    /// CRS to assign ("EPSG:4326", WKT, PROJ string). Empty keeps the layer's own CRS; a CSV
    /// without one is taken as WGS 84 (EPSG:4326).
    std::string crs;
    /// CSV only: the columns holding longitude, latitude or WKT. Empty: detected by name.
    std::string lon_field, lat_field, wkt_field;
    /// Encoding of the layer's text when it is not UTF-8 ("ISO-8859-1", "CP1252", "TCVN3"…,
    /// any name iconv knows); text is converted to UTF-8 as it is read. Empty: text must be
    /// UTF-8 (Shapefiles: as their .cpg says), and anything else is an InputError.
    std::string encoding;
};

/// The geometry of one feature, as read.
struct RawGeometry {
    enum class Kind : std::uint8_t { None, Point, Area, Other };
    Kind kind = Kind::None;
    XY point;          ///< when kind == Point
    MultiPolygon area; ///< when kind == Area (curves are linearised)
    std::string type;  ///< OGR geometry type name, for messages (e.g. "LineString")
};

/// One feature: its 1-based row as the user counts it (CSV: header excluded) and its values
/// in the order of RawLayer::fields, packed as prepare keeps them (they move into the prepared
/// station or village without a copy).
struct RawFeature {
    std::int64_t row = 0;
    RawGeometry geometry;
    ValueRow values;
};

/// A whole layer in memory.
struct RawLayer {
    std::string source;  ///< path or connection string as given (for messages)
    std::string layer;   ///< the layer's name
    std::string crs_wkt; ///< WKT of the CRS in use, empty when the layer has none
    std::vector<FieldDef> fields;
    std::vector<RawFeature> features;
    /// Rows whose geometry was empty or NULL (CSV: blank coordinates); they are not in
    /// `features` and prepare reports them.
    std::vector<std::int64_t> empty_rows;

    /// Index of a field by name (case-insensitive), or -1.
    [[nodiscard]] int field_index(std::string_view name) const;
    /// "villages.gpkg, layer 'thon'": the prefix of every message about this layer.
    [[nodiscard]] std::string where() const;
};

/// Most fields a layer may have: the outputs carry them all, and a GeoPackage table holds at
/// most 2,000 columns with the computed ones.
constexpr std::size_t kMaxFields = 1900;

/// Reads one layer whole. `role` ("stations", "villages", …) names it in messages.
/// CSV points come from a WKT column (wkt, geometry, geom) or lon/lat columns (lon, lng,
/// long, longitude, x / lat, latitude, y), numbers parsed whatever the locale. OpenCelliD
/// exports are read with or without their header row.
/// Every value is checked as it is read: numbers finite, coordinates finite, polygon rings of
/// at least three distinct corners, text valid UTF-8 (after conversion from `encoding`),
/// field names unique (ignoring case) and at most kMaxFields of them.
/// Throws InputError for a missing, special (FIFO, device) or empty source, a CSV that GDAL
/// would misread (unclosed quote, NUL byte, over-long line, '|' separators), a GeoJSON file
/// with a syntax error or an unknown "crs", an unknown or ambiguous layer, a layer without
/// geometry, non-numeric or missing CSV coordinates, invalid WKT, or an empty layer; every
/// message names the file, and the row and field where there is one.
RawLayer read_layer(const LayerSource& source, std::string_view role);

} // namespace whitezone
