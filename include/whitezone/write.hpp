#pragma once
/// \file write.hpp
/// Writing the results: the output layers, each defined once (name, fields and their types,
/// Shapefile names), and the sinks they are written to (GeoPackage, GeoJSON, Shapefile, CSV,
/// FlatGeobuf, PostGIS). Every file output is written beside its target, flushed to disk and
/// swapped in with one atomic step; a PostGIS output is written in one transaction
/// (docs/output.md). Included by report.hpp.

#include "whitezone/report/options.hpp"
#include "whitezone/types.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone {

struct AnalysisResult; // report.hpp
struct Plan;           // plan.hpp
struct WhatIf;         // report.hpp
struct Trend;          // report/trend.hpp
struct Provenance;     // provenance.hpp
struct Comparison;     // compare.hpp

/// The accepted --format values for messages: "gpkg, geojson, shp, csv, fgb or postgis".
std::string output_format_choices();

/// Whether `path` is a PostgreSQL connection string ("PG:…").
bool is_postgis_path(std::string_view path);

/// The format write_outputs() uses: PostGIS for a "PG:" path, else options.format. Throws
/// UsageError when a "PG:" path is given another format, or PostGIS a path that is not one.
OutputFormat output_format(const WriteOptions& options);

/// The output as it may be shown: the path write_outputs() writes, defaults applied; a
/// connection string with its password replaced by "***".
std::string output_path(const WriteOptions& options);

/// Throws InputError when the output exists and may not be replaced (it exists without
/// `overwrite`; it is a folder, a device, a FIFO, a socket or a symbolic link where a
/// GeoPackage is written; a file that is not a GeoPackage; a folder without whitezone's
/// manifest), or when its folder cannot be written. Touches nothing but what dead runs left
/// beside the output (their temporaries are removed, an old output they had moved aside is
/// put back). Called before any work so that a bad --out fails at once. For PostGIS: throws
/// InputError when the server cannot be reached, or (without `overwrite`) when the database
/// has one of the five tables every run writes.
void check_output(const WriteOptions& options);

/// A file a run reads, as given: `flag` ("--villages") and `path`.
struct InputPath {
    std::string flag, path;
};

/// Throws InputError when the output `options` names is one of `inputs` (the same file by
/// any path or link) or, for a folder format, holds one: writing would replace the input, so
/// it is refused even with --overwrite. Called before any work with every file a run reads.
void check_output_apart(const WriteOptions& options, const std::vector<InputPath>& inputs);

/// Which optional layers an output holds.
struct LayerSelection {
    bool plan = false;   ///< proposed_sites, backhaul_links (whitezone plan)
    bool whatif = false; ///< whatif (whitezone plan --planned)
    bool trend = false;  ///< trend (whitezone trend)
    /// The five layers of an analysis (villages, coverage, stations, summary, sites); false
    /// for the output of whitezone compare, which holds only its own two.
    bool analysis = true;
    bool changes = false;  ///< changes, change_summary (whitezone compare)
    bool baseline = false; ///< the summary's "since last year" columns (analyze --baseline)
    /// The ITM model's GeoTIFFs and tables with the output (OutputSet::signal_files): beside
    /// a GeoPackage they are checked like the output itself.
    bool signal_files = false;
    bool measurements = false; ///< with signal_files: measurements.csv too (--measurements)
};

/// check_output() for an output of the layers of `selection` (PostGIS: those tables are
/// checked).
void check_output(const WriteOptions& options, const LayerSelection& selection);

/// Type of an output field.
enum class ColumnType : std::uint8_t { Integer, Integer64, Real, String };

/// Geometry of an output layer.
enum class GeometryType : std::uint8_t {
    None,     ///< a table
    Points,   ///< points
    Lines,    ///< lines
    Polygons, ///< (multi)polygons (the villages layer: points when the villages are points)
    Mixed,    ///< points and polygons mixed (villages of both kinds)
};

/// One output field.
struct ColumnInfo {
    std::string name; ///< the field's name (GeoPackage, GeoJSON, CSV, FlatGeobuf, PostGIS)
    std::string shapefile_name; ///< its name in a Shapefile, at most 10 characters
    ColumnType type = ColumnType::String;
};

/// One output layer. Layers that carry the input layer's own fields (villages, stations)
/// have them first, before `columns`.
struct LayerInfo {
    std::string name;
    GeometryType geometry = GeometryType::None;
    bool carries_input_fields = false;
    std::vector<ColumnInfo> columns;
    /// What the layer holds, one line (a GeoPackage's gpkg_contents.description).
    std::string description;
};

/// The layers written for `selection`, in the order they are written.
std::vector<LayerInfo> output_layers(const LayerSelection& selection);

/// The names of output_layers(selection): "villages", "coverage", "stations", "summary",
/// "sites", then the optional ones.
std::vector<std::string> output_layer_names(const LayerSelection& selection);

/// The results one output holds: an analysis and, optionally, a plan, a what-if and a trend;
/// or a comparison alone (not owned; they must outlive the call).
struct OutputSet {
    const AnalysisResult* analysis = nullptr; ///< required, unless `changes` is given
    const Plan* plan = nullptr;
    const WhatIf* whatif = nullptr;
    const Trend* trend = nullptr;
    /// How the results were made: written as the `provenance` table (GeoPackage, PostGIS) or
    /// `provenance.json` (folder formats); none when null (docs/output.md#provenance).
    const Provenance* provenance = nullptr;
    /// whitezone compare: the `changes` layer and the `change_summary` table.
    const Comparison* changes = nullptr;
    /// analyze --baseline: the comparison of `analysis` with the baseline, whose counts the
    /// summary carries as "since last year" columns.
    const Comparison* baseline = nullptr;
    /// analyze with the ITM model (analysis->signal): its GeoTIFFs, best_server_stations.csv
    /// and (with a calibration) measurements.csv go with the output, written with it and
    /// swapped in with it (signal_file_paths()); not written to PostGIS or the console.
    bool signal_files = false;
    /// When set, `analysis->coverage` is still being made while the other layers are written
    /// (whitezone analyze dissolves the footprints beside the write): called once before the
    /// coverage layer's rows are read, it returns when the polygons are there (or throws the
    /// error that made them fail). A GeoPackage or a folder then gets that layer last, with
    /// the order of its layers unchanged.
    std::function<void()> wait_for_coverage = {};
    /// When set, the analysis is still running (its stages after the overlay) while the
    /// write begins (whitezone analyze, begin_write()): called before the rows of the villages
    /// and the summary tables are counted or read, it returns when they are there (or throws
    /// the error that stopped the analysis). Only the stations layer and the footprints must
    /// be final when the write begins; a GeoPackage or a folder then gets the stations layer
    /// first, with the order of its layers unchanged.
    std::function<void()> wait_for_analysis = {};
    /// A file output and its side files (`signal_files`) are written at once on up to this
    /// many threads, each file by one: the files are the same for any number.
    int threads = 1;
};

/// Where write_outputs() puts the ITM model's files (OutputSet::signal_files) for an output
/// written as `options` says, in the order written: `RESULTS_signal_dbm_any.tif`, … beside a
/// GeoPackage `RESULTS.gpkg`, `FOLDER/signal_dbm_any.tif`, … inside a folder of layers; with
/// `measurements`, `measurements.csv` last. Empty for PostGIS and the console.
std::vector<std::string> signal_file_paths(const WriteOptions& options, bool measurements);

/// Writes every layer of `outputs` (output_layers()) to the output `options` names.
/// Atomic: files are written beside the target and swapped in whole; PostGIS tables are
/// written in one transaction. On any error nothing new is left and an existing output is
/// untouched. Throws InputError when the output may not be replaced (check_output()) or
/// the data cannot be held by the format (mixed points and polygons in a Shapefile),
/// ExternalError when writing fails (a full disk, a lost connection). `log.warn` gets one
/// warning per Shapefile field whose values were cut to the format's 254 bytes.
void write_outputs(const OutputSet& outputs, const WriteOptions& options, const Log& log = {});

/// write_outputs() in two steps, for a caller that writes while it finishes the analysis
/// (OutputSet::wait_for_analysis): checks the output and makes the tables now, on the calling
/// thread, while `outputs.analysis` holds the prepared inputs, the footprints and the
/// overlay; the function returned writes them (on any thread, once), as write_outputs()
/// does. `outputs`, `options` and `log` must outlive it.
std::function<void()> begin_write(const OutputSet& outputs, const WriteOptions& options,
                                  const Log& log = {});

/// One output layer in memory, with the fields and values write_outputs() writes (a front end
/// that keeps the results in memory: the Python module). Column-major: `values[k][i]` is field
/// k of row i.
struct LayerTable {
    std::string name;
    GeometryType geometry = GeometryType::None; ///< resolved for the data, as written
    /// The carried input fields (a name that an output column or "geometry" already takes
    /// gets "_in" appended, as in the files), then LayerInfo::columns.
    std::vector<std::string> fields;
    std::vector<ColumnType> types; ///< per field; carried integers are Integer64
    std::vector<std::vector<Value>> values;
    /// Per row, the geometry as ISO WKB in the work CRS (`crs_wkt`), "" for none; empty for a
    /// layer without geometry.
    std::vector<std::string> wkb;
    std::size_t rows = 0;
    std::string crs_wkt; ///< the work CRS (WKT)
};

/// The layers of `outputs` (output_layers() order), as write_outputs() would write them, in
/// memory. Reads and writes no file.
std::vector<LayerTable> output_tables(const OutputSet& outputs);

/// write_outputs() for an analysis with an optional plan, what-if and trend.
void write_outputs(const AnalysisResult& result, const WriteOptions& options,
                   const Plan* plan = nullptr, const WhatIf* whatif = nullptr,
                   const Trend* trend = nullptr);

} // namespace whitezone
