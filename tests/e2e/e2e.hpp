#pragma once
// Helpers of the end-to-end tests only (tests/support has the shared ones): argument
// templates, folder listings, layer comparisons and small GDAL files made at run time.

#include "support/support.hpp"

#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace whitezone::test::e2e {

/// The five layers every run writes.
inline const std::vector<std::string> kLayers{"villages", "coverage", "stations", "summary",
                                              "sites"};

/// `analyze` on the hand-made fixture with known answers (tests/data/known_*.geojson and
/// `config`, by default known_config.json; see analyze_inputs_test.cpp), writing to `out`,
/// then `extra`.
inline std::vector<std::string> known_args(const std::string& out,
                                           const std::vector<std::string>& extra = {},
                                           const std::string& config = "") {
    std::vector<std::string> args{"analyze",
                                  "--stations",
                                  data_path("known_stations.geojson"),
                                  "--villages",
                                  data_path("known_villages.geojson"),
                                  "--config",
                                  config.empty() ? data_path("known_config.json") : config,
                                  "--out",
                                  out};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

/// `analyze` with the ITM model on the sample (data/: stations, villages and dem.tif) and the
/// config `config` ({"coverage_model": "itm"}, …), writing to `out`, then `extra`.
inline std::vector<std::string> itm_sample_args(const std::string& config, const std::string& out,
                                                const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"analyze",
                                  "--stations",
                                  sample_path("stations.csv"),
                                  "--villages",
                                  sample_path("villages.gpkg"),
                                  "--dem",
                                  sample_path("dem.tif"),
                                  "--config",
                                  config,
                                  "--out",
                                  out};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

/// `err` without the warnings of the village flags ("warning: villages: N villages flagged
/// …", one line each): what a run says beyond what its villages' data lacks.
inline std::string without_flag_warnings(const std::string& err) {
    std::string out;
    std::size_t start = 0;
    while (start < err.size()) {
        std::size_t end = err.find('\n', start);
        end = end == std::string::npos ? err.size() : end + 1;
        const std::string line = err.substr(start, end - start);
        if (line.rfind("warning: villages: ", 0) != 0 ||
            line.find(" flagged ") == std::string::npos)
            out += line;
        start = end;
    }
    return out;
}

/// Replaces "{data}" (tests/data), "{sample}" (data/) and "{tmp}" (`tmp`) in `arg`.
std::string expand(const std::string& arg, const std::filesystem::path& tmp);

/// Every path under `dir`, relative to it, hidden files included ("a", "a/b.shp", …).
std::set<std::string> list_tree(const std::filesystem::path& dir);

/// The file's bytes.
std::string read_file(const std::filesystem::path& path);

/// Number of lines of `text` (a last line without "\n" counts).
std::size_t line_count(const std::string& text);

/// `out` with every occurrence of `path` replaced by "<out>" (to compare stdout of runs that
/// wrote to different places).
std::string without_path(std::string out, const std::string& path);

/// Number of features of `layer`, counted by GDAL (-1 when it cannot be opened).
long feature_count(const std::string& path, const std::string& layer);

/// Bounding box of a layer's geometries: {minx, miny, maxx, maxy}.
std::array<double, 4> layer_extent(const std::string& path, const std::string& layer);

/// Number of geometry fields of a layer as GDAL reads it back.
int geometry_field_count(const std::string& path, const std::string& layer);

/// Field names of a layer, in order.
std::vector<std::string> field_names(const std::string& path, const std::string& layer);

/// Copies the vector file `source` to an ESRI Shapefile `target` (.shp) and deletes the
/// .prj it wrote: a layer without a CRS.
void write_shapefile_without_prj(const std::string& source, const std::string& target);

/// A GeoPackage whose only layer, `cells`, is an attribute table (no geometry column).
void write_attribute_table_gpkg(const std::string& target);

/// Writes a one-band Float32 GeoTIFF of `cols` × `rows` cells of `cell` CRS units, north-west
/// corner (x0, y0), in EPSG:`epsg` (0: no CRS), each cell `value(x, y)` at its centre.
void write_geotiff(const std::string& target, int epsg, double x0, double y0, double cell, int cols,
                   int rows, const std::function<double(double x, double y)>& value);

/// Expects two layers to hold the same features: same count, and per feature (in file order)
/// the same attributes; geometries too when `compare_geometry`.
void expect_same_features(const std::vector<OutFeature>& a, const std::vector<OutFeature>& b,
                          bool compare_geometry = true);

} // namespace whitezone::test::e2e
