#pragma once
// Output sinks: where the tables of layers.hpp go. One interface; a sink writes all tables or
// none (docs/output.md).

#include "whitezone/write.hpp"

#include "report/layers.hpp"

#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone::report {

/// A destination for output tables.
class Sink {
  public:
    virtual ~Sink() = default;
    /// Writes every table, in order: all of them or, on any error (thrown), none; an output
    /// that was there before is then left as it was.
    virtual void write(const std::vector<Table>& tables) = 0;
};

/// The sink for `options` (output_format(options) decides which), with geometries in `crs`
/// (WKT, "EPSG:n" or a PROJ string). `stage` prefixes messages ("write", "generate").
std::unique_ptr<Sink> make_sink(const WriteOptions& options, const std::string& crs,
                                std::string_view stage = "write");

/// A sink of GDAL files: one GeoPackage (with QGIS's `layer_styles`, styles.hpp), or a folder
/// of one file per table. `csv_bom`: CSV files start with a UTF-8 byte-order mark.
std::unique_ptr<Sink> make_file_sink(const std::string& path, OutputFormat format, bool overwrite,
                                     const std::string& crs, std::string_view stage,
                                     bool csv_bom = true);

/// The console: every table's attributes as aligned text on `out`, no geometry.
std::unique_ptr<Sink> make_console_sink(std::ostream& out);

/// A sink of PostGIS tables, all written in one transaction. `connection` is "PG:…".
std::unique_ptr<Sink> make_postgis_sink(const std::string& connection, bool overwrite,
                                        const std::string& crs);

/// Throws InputError when PostGIS cannot be reached at `connection`, or (without
/// `overwrite`) when one of `tables` exists there. Changes nothing.
void check_postgis(const std::string& connection, const std::vector<std::string>& tables,
                   bool overwrite);

/// The GDAL driver table of the file formats: whether `format` writes a folder.
bool writes_folder(OutputFormat format);

} // namespace whitezone::report
