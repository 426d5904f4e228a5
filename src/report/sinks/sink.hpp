#pragma once
// Output sinks: where the tables of layers.hpp go. One interface; a sink writes all tables or
// none (docs/output.md).

#include "whitezone/write.hpp"

#include "report/layers.hpp"

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone {
struct Calibration;
struct SignalResult;
struct Station;
} // namespace whitezone

namespace whitezone::report {

/// A destination for output tables.
class Sink {
  public:
    virtual ~Sink() = default;
    /// Writes every table, in order: all of them or, on any error (thrown), none; an output
    /// that was there before is then left as it was.
    virtual void write(const std::vector<Table>& tables) = 0;
};

/// A file that belongs to an output beside its tables (the ITM model's GeoTIFFs): written by
/// a file sink with the tables, inside the output folder for the folder formats and beside a
/// GeoPackage (side_file_path()), and swapped in with them: each one is written before the
/// output is swapped in, so a failure leaves the old output and the old files as they were.
struct SideFile {
    std::string name; ///< the file's name, e.g. "signal_dbm_any.tif"
    /// Writes the file at the path given (a temporary, with the name's extension).
    std::function<void(const std::filesystem::path&)> write;
};

/// Where the side file `name` of the file output `target` goes: `target/name` when `format`
/// writes a folder, else beside the file as `STEM_name` (results.gpkg → results_NAME).
std::filesystem::path side_file_path(const std::filesystem::path& target, OutputFormat format,
                                     std::string_view name);

/// The names of signal_files(), in order, for an analysis with `stations` and with
/// `measurements` (a calibration).
std::vector<std::string> signal_file_names(bool stations, bool measurements);

/// The ITM model's files of an analysis (docs/itm.md#outputs), in this order: per class
/// `signal_dbm_CLASS.tif` and `best_server_CLASS.tif`; with `stations`
/// (PreparedInputs::stations) `best_server_stations.csv`; with `stations` and `calibration`
/// also `measurements.csv`. They refer to their arguments, which must outlive them.
std::vector<SideFile> signal_files(const SignalResult& signal, const std::string& crs_wkt,
                                   const std::vector<Station>* stations,
                                   const Calibration* calibration);

/// The sink for `options` (output_format(options) decides which), with geometries in `crs`
/// (WKT, "EPSG:n" or a PROJ string). `stage` prefixes messages ("write", "generate").
/// With `provenance` (not owned; it must outlive the sink), every output carries it
/// (docs/output.md#provenance).
/// `side`: files that go with a file output (ignored by PostGIS and the console).
/// `log`: warnings about values a format cannot hold whole (a file sink's; make_file_sink()).
/// `threads`: a file sink's (make_file_sink()).
std::unique_ptr<Sink> make_sink(const WriteOptions& options, const std::string& crs,
                                std::string_view stage = "write",
                                const Provenance* provenance = nullptr,
                                std::vector<SideFile> side = {}, Log log = {}, int threads = 1);

/// A sink of GDAL files: one GeoPackage (with QGIS's `layer_styles`, styles.hpp, a
/// `provenance` table registered in gpkg_metadata, and each layer's description in
/// gpkg_contents), or a folder of one file per table (with `provenance.json`). `csv_bom`: CSV
/// files start with a UTF-8 byte-order mark. `side`: files written with the tables
/// (SideFile); without `overwrite` an existing one is refused like the output itself.
/// `log`: one warning per Shapefile field whose longer values were cut to 254 bytes
/// (`log.warn`), and the carried fields a Shapefile names otherwise (`log.info`).
/// `threads`: the tables and the side files are written at once on up to this many threads
/// (each file on one; the same files for any number).
std::unique_ptr<Sink> make_file_sink(const std::string& path, OutputFormat format, bool overwrite,
                                     const std::string& crs, std::string_view stage,
                                     const Provenance* provenance = nullptr, bool csv_bom = true,
                                     std::vector<SideFile> side = {}, Log log = {},
                                     int threads = 1);

/// The console: every table's attributes as aligned text on `out`, no geometry.
std::unique_ptr<Sink> make_console_sink(std::ostream& out);

/// A sink of PostGIS tables, all written in one transaction (with a `provenance` table).
/// `connection` is "PG:…".
std::unique_ptr<Sink> make_postgis_sink(const std::string& connection, bool overwrite,
                                        const std::string& crs,
                                        const Provenance* provenance = nullptr);

/// The `provenance` table of `provenance` (provenance_rows(): columns key and value, no
/// geometry); the rows point into `rows`, which must outlive the table.
Table provenance_table(const std::vector<std::pair<std::string, std::string>>& rows);

/// Throws InputError when PostGIS cannot be reached at `connection`, or (without
/// `overwrite`) when one of `tables` exists there. Changes nothing.
void check_postgis(const std::string& connection, const std::vector<std::string>& tables,
                   bool overwrite);

/// The GDAL driver table of the file formats: whether `format` writes a folder.
bool writes_folder(OutputFormat format);

} // namespace whitezone::report
