#pragma once
// Private to the read stage: checks made on an input file before GDAL opens it, for the faults
// GDAL reads silently or reports without a place (special files, empty files, CSV quoting,
// NUL bytes, over-long CSV lines, GeoJSON syntax and CRS names).

#include <cstdint>
#include <string>
#include <string_view>

namespace whitezone::read {

/// Largest CSV line (or field) GDAL's CSV driver reads: longer lines are dropped with a
/// warning, so they are refused here instead.
constexpr std::uint64_t kMaxCsvLineBytes = 10'000'000;

/// Refuses a local path that is not a regular file or a folder (a FIFO would block the read,
/// a device such as /dev/zero never ends), and an empty file. Paths GDAL opens by name only
/// ("PG:…", "/vsi…") and paths that do not exist pass (the opener says so). `flag` names
/// where the path was given ("--villages"). Throws InputError.
void check_input_file(const std::string& path, std::string_view role, std::string_view flag);

/// Reads a CSV file once and refuses what GDAL would read wrongly: a NUL byte, a quote that
/// is never closed (GDAL swallows the rest of the file into one field), a line longer than
/// kMaxCsvLineBytes, and a header in another delimiter ('|') that GDAL takes for a single
/// column. Messages give the line (1-based, header included) and the row (header excluded).
void check_csv(const std::string& path, std::string_view role);

/// Whether a layer of an input is QGIS's own table of layer styles (`layer_styles`, which QGIS
/// adds to a GeoPackage when a style is saved in it, and whitezone writes in its outputs):
/// never data, so it is not counted when the only layer of an input is picked.
inline bool is_style_table(std::string_view layer) { return layer == "layer_styles"; }

/// For a GeoJSON file GDAL cannot open: the JSON syntax error with its line and character,
/// or "" when the file is valid JSON.
std::string geojson_syntax_error(const std::string& path);

/// For a GeoJSON file: throws InputError when its top-level "crs" names a CRS that PROJ does
/// not know (GDAL would silently read the data as WGS 84).
void check_geojson_crs(const std::string& path, std::string_view role);

} // namespace whitezone::read
