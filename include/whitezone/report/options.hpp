#pragma once
/// \file report/options.hpp
/// Where and how to write (config object "output"), declared once in declare_options() below.

#include "whitezone/names.hpp"
#include "whitezone/options.hpp"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace whitezone {

/// Output formats. GeoPackage and PostGIS hold every layer in one place; the others write
/// one file per layer into a folder.
enum class OutputFormat : std::uint8_t {
    GeoPackage,
    GeoJSON,
    Shapefile,
    CSV,
    FlatGeobuf,
    PostGIS,
    Console, ///< every layer's attributes as text on standard output; no file
};
/// Names of the output formats (any case): the short names "gpkg", "geojson", "shp", "csv",
/// "fgb", "postgis", "console" (as --format takes them) and their aliases.
inline constexpr EnumNames<OutputFormat, 15> kOutputFormatNames{
    {{
        {OutputFormat::GeoPackage, "gpkg"},
        {OutputFormat::GeoPackage, "geopackage"},
        {OutputFormat::GeoJSON, "geojson"},
        {OutputFormat::GeoJSON, "json"},
        {OutputFormat::Shapefile, "shp"},
        {OutputFormat::Shapefile, "shapefile"},
        {OutputFormat::CSV, "csv"},
        {OutputFormat::FlatGeobuf, "fgb"},
        {OutputFormat::FlatGeobuf, "flatgeobuf"},
        {OutputFormat::PostGIS, "postgis"},
        {OutputFormat::PostGIS, "pg"},
        {OutputFormat::PostGIS, "postgresql"},
        {OutputFormat::PostGIS, "postgres"},
        {OutputFormat::Console, "console"},
        {OutputFormat::Console, "text"},
    }},
    NameMatch::IgnoreCase};
/// The format's short name, as --format takes it: "gpkg", "geojson", "shp", "csv", "fgb",
/// "postgis", "console".
std::string_view to_string(OutputFormat format);
/// Parses a --format value (case-insensitive): the short names or their aliases; nullopt
/// for anything else.
std::optional<OutputFormat> parse_output_format(std::string_view text);

/// Where and how to write.
struct WriteOptions {
    /// A .gpkg file, a folder for the file formats other than GeoPackage, or a PostgreSQL
    /// connection string "PG:…" (PostGIS; the format is then PostGIS whatever `format` says
    /// when it is the default). Empty: "whitezone-results.gpkg" or "whitezone-results/" in the
    /// working directory.
    std::string path;
    OutputFormat format = OutputFormat::GeoPackage;
    /// Replace an existing output. Only a GeoPackage file, a folder that whitezone wrote (it
    /// holds whitezone's manifest, ".whitezone.json") or existing PostGIS tables of the same
    /// names are ever replaced; anything else is refused.
    bool overwrite = false;
    /// Where the console format prints; nullptr: standard output.
    std::ostream* console = nullptr;
    /// CSV files (format csv, and the tables beside FlatGeobuf files) start with a UTF-8
    /// byte-order mark, so that Excel reads Vietnamese names as UTF-8.
    bool csv_bom = true;
};

/// The keys of the "output" object.
inline void declare_options(OptionSet& o, WriteOptions& write) {
    o.string("path", write.path,
             "For gpkg, the output file. For the other file formats, a folder with one file per "
             "layer. For PostGIS, a `PG:` connection string. `--out` overrides it.")
        .shown_default("`\"whitezone-results.gpkg\"` (gpkg) or `\"whitezone-results\"` (other "
                       "formats)");
    o.choice("format", write.format, kOutputFormatNames,
             "The output format. `--format` overrides it.");
    o.boolean("overwrite", write.overwrite,
              "Replace an existing output. `--overwrite` sets it to true.");
    o.boolean("csv_bom", write.csv_bom,
              "Start each CSV file with a UTF-8 byte-order mark, so that Excel reads "
              "Vietnamese names correctly. Set it to false for tools that do not expect one.");
}

} // namespace whitezone
