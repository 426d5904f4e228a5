#pragma once
/// \file report/options.hpp
/// Where and how to write (config object "output"), declared once in declare_options() below.

#include "whitezone/names.hpp"
#include "whitezone/options.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace whitezone {

/// Output formats.
enum class OutputFormat : std::uint8_t { GeoPackage, GeoJSON, Shapefile, CSV };
/// Names of the output formats (any case): "gpkg", "geojson", "shp", "csv" and aliases.
inline constexpr EnumNames<OutputFormat, 7> kOutputFormatNames{
    {{
        {OutputFormat::GeoPackage, "gpkg"},
        {OutputFormat::GeoPackage, "geopackage"},
        {OutputFormat::GeoJSON, "geojson"},
        {OutputFormat::GeoJSON, "json"},
        {OutputFormat::Shapefile, "shp"},
        {OutputFormat::Shapefile, "shapefile"},
        {OutputFormat::CSV, "csv"},
    }},
    NameMatch::IgnoreCase};
std::string_view to_string(OutputFormat format);
std::optional<OutputFormat> parse_output_format(std::string_view text);

/// Where and how to write.
struct WriteOptions {
    /// A .gpkg file, or a folder for the other formats. Empty: "whitezone-results.gpkg" or
    /// "whitezone-results/" in the working directory.
    std::string path;
    OutputFormat format = OutputFormat::GeoPackage;
    bool overwrite = false; ///< replace an existing output
};

/// The keys of the "output" object.
inline void declare_options(OptionSet& o, WriteOptions& write) {
    o.string("path", write.path,
             "For gpkg, the output file. For the other formats, a folder with one file per "
             "layer. `--out` overrides it.")
        .shown_default("`\"whitezone-results.gpkg\"` (gpkg) or `\"whitezone-results\"` (other "
                       "formats)");
    o.choice("format", write.format, kOutputFormatNames,
             "The output format. `--format` overrides it.");
    o.boolean("overwrite", write.overwrite,
              "Replace an existing output. `--overwrite` sets it to true.");
}

} // namespace whitezone
