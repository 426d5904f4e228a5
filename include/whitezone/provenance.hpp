#pragma once
/// \file provenance.hpp
/// How an output was made (issue #10, DESIGN.md "Trust"): the whitezone version, the command,
/// the complete config, the model, the work CRS, the threads, when and how long, every warning
/// with its count, and for each input its source, layer, driver, size, CRS, extent and
/// SHA-256. Every output carries it: a `provenance` table (GeoPackage, PostGIS) or
/// `provenance.json` (folder formats).

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace whitezone {

struct Config; // config.hpp

/// One input as it was read.
struct InputRecord {
    std::string role;        ///< "stations", "villages", "settlements", "centres", "dem", …
    std::string source;      ///< the path or connection string, any password removed
    std::string layer;       ///< vector layer read ("" for rasters)
    std::string driver;      ///< GDAL driver short name ("GPKG", "CSV", "GTiff", "PostgreSQL")
    long long features = -1; ///< vector: features in the layer; -1 for rasters
    int raster_cols = 0, raster_rows = 0; ///< raster size in pixels; 0 for vectors
    std::string crs; ///< "EPSG:4326" where the CRS has an authority code, else its name
    /// Extent in the source's own CRS (minx, miny, maxx, maxy); absent when unknown.
    std::optional<std::array<double, 4>> extent;
    long long file_bytes = -1; ///< size of the file; -1 for databases and folders
    std::string sha256;        ///< hex digest of the file's bytes; "" for databases and folders
    /// Rasters: the pixel size (x, y) in the CRS's units; absent for vectors.
    std::optional<std::array<double, 2>> pixel_size;
    /// Rasters: the date of the data, "YYYY-MM-DD (from …)": from the raster's own metadata
    /// (TIFFTAG_DATETIME, ACQUISITION_DATE, …) where GDAL gives one, else the file's
    /// modification date; "" when neither is known.
    std::string vintage;
};

/// One kind of warning and how many times it was issued.
struct WarningCount {
    std::string message; ///< the first message of its kind
    long count = 0;
};

/// Everything that says how one output was made.
struct Provenance {
    std::string version;     ///< whitezone's version
    std::string command;     ///< the command line as run (passwords removed)
    std::string config_json; ///< the complete config, every default resolved (JSON)
    std::string model;       ///< coverage model and its key parameters, one line
    std::string work_crs;    ///< e.g. "EPSG:32648"
    int threads = 1;         ///< worker threads used
    std::string started_utc; ///< ISO 8601, e.g. "2026-12-01T20:31:47Z"
    double duration_s = 0.0; ///< wall time of the run
    std::vector<WarningCount> warnings;
    std::vector<InputRecord> inputs;
    /// The ITM model against measurements (--measurements): one line per technology with the
    /// mean and RMS error, and the calibration (describe_accuracy(), calibrate.hpp); empty
    /// without measurements.
    std::vector<std::string> accuracy;
};

/// The provenance as (key, value) rows, the `provenance` table of a GeoPackage or PostGIS
/// output (docs/output.md#provenance): the scalar fields under their own names, the config
/// flattened to "config.<key>.<key>" (values as JSON text), each warning as
/// "warning.<n>.message" / "warning.<n>.count", each input's facts as "input.<role>.<fact>".
std::vector<std::pair<std::string, std::string>> provenance_rows(const Provenance& provenance);

/// The coverage model and its key parameters in one line, the first line of the console and
/// the provenance's `model`: the radii per technology (disk), or the frequencies, EIRP,
/// thresholds, antenna and receiver heights (Hata; ITM also its climate, polarisation,
/// reliability and confidence), and with a DEM the terrain: its file, resolution, vintage,
/// receiver height and Earth radius factor (FCC's Broadband Data Collection asks for model,
/// resolution, receiver height, terrain source and vintage). Reads the DEM's header only.
std::string describe_model(const Config& config);

/// The provenance as one JSON document (keys as the field names above; `config` is the
/// config object itself, not a string).
std::string to_json(const Provenance& provenance);

/// Describes a vector input: driver, features, CRS and extent from GDAL; with `digest`, also
/// size and SHA-256 from the file's bytes. `layer` empty picks the only layer. Throws
/// InputError when the source cannot be opened (it was read a moment before, so this is rare).
InputRecord describe_vector_input(const std::string& role, const std::string& source,
                                  const std::string& layer, bool digest = true);

/// Describes a raster input (DEM, population grid): driver, size, CRS, extent, pixel size and
/// vintage; with `digest`, also the file's size and SHA-256 (reading every byte).
InputRecord describe_raster_input(const std::string& role, const std::string& source,
                                  bool digest = true);

/// The SHA-256 of a file's bytes as 64 lower-case hex digits, read in blocks (a national
/// GeoPackage is not held in memory). Throws InputError when the file cannot be read.
std::string sha256_file(const std::string& path);

/// Adds size and SHA-256 to the records of `inputs` that are regular files and have none,
/// reading each file once however many records name it (stations and villages in one
/// GeoPackage).
void add_file_digests(std::vector<InputRecord>& inputs);

} // namespace whitezone
