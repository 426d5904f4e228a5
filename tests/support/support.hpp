#pragma once
// Helpers shared by the tests: fixture paths, a temporary folder per test, running the CLI
// in-process or as the real binary, and reading outputs back with GDAL.

#include "whitezone/raster.hpp"
#include "whitezone/types.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace whitezone::test {

/// tests/data/<name>
std::string data_path(const std::string& name);
/// data/<name> (the sample province)
std::string sample_path(const std::string& name);

/// A fresh empty folder, removed with everything in it on destruction.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    /// path() / name, as a string.
    [[nodiscard]] std::string file(const std::string& name) const;
    /// Writes `content` to path() / name and returns the path.
    std::string write(const std::string& name, const std::string& content) const;

  private:
    std::filesystem::path m_path;
};

/// The outcome of one run of the program.
struct RunResult {
    int code = -1;
    std::string out, err;
};

/// Runs run_cli() in-process with these arguments (no program name).
RunResult run_in_process(const std::vector<std::string>& args);
/// Runs the built `whitezone` binary with these arguments and extra environment
/// assignments ("LC_ALL=de_DE.UTF-8").
RunResult run_binary(const std::vector<std::string>& args,
                     const std::vector<std::string>& env = {});

/// One feature of an output layer: its attributes as text (NULL -> "") and its geometry
/// as WKT ("" when none).
struct OutFeature {
    std::map<std::string, std::string> fields;
    std::string wkt;
    [[nodiscard]] double number(const std::string& field) const;
    [[nodiscard]] const std::string& text(const std::string& field) const;
};

/// All features of a layer of a GDAL dataset, in file order. Fails the test (throws) when
/// the dataset or layer cannot be opened.
std::vector<OutFeature> read_layer_features(const std::string& path, const std::string& layer);

/// Names of the layers of a dataset.
std::vector<std::string> layer_names(const std::string& path);

/// The feature whose `field` equals `value`; throws when there is none.
const OutFeature& find_feature(const std::vector<OutFeature>& features, const std::string& field,
                               const std::string& value);

/// Runs `fn`, which must throw E, and returns the message (fails the test otherwise).
template <class E, class Fn> std::string message_of(Fn&& fn) {
    try {
        fn();
    } catch (const E& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "threw the wrong exception type: " << e.what();
        return {};
    }
    ADD_FAILURE() << "did not throw";
    return {};
}

/// Whether `haystack` contains `needle`.
inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

/// Switches LC_NUMERIC to a locale whose decimal point is a comma for one scope; `ok` is false
/// when none is installed.
class CommaLocale {
  public:
    CommaLocale();
    ~CommaLocale();
    CommaLocale(const CommaLocale&) = delete;
    CommaLocale& operator=(const CommaLocale&) = delete;
    bool ok = false;

  private:
    std::string m_before;
};

/// Sets the environment variable `name` to `value` for one scope, then restores it.
class EnvVar {
  public:
    EnvVar(const char* name, const std::string& value);
    ~EnvVar();
    EnvVar(const EnvVar&) = delete;
    EnvVar& operator=(const EnvVar&) = delete;

  private:
    const char* m_name;
    std::optional<std::string> m_before;
};

/// Whether `a` and `b` hold the same polygons, rings and coordinates, exactly.
bool same_area(const MultiPolygon& a, const MultiPolygon& b);

/// A polygon from "x y, x y, …" (closed automatically), for inline geometry in tests.
Polygon square(double x0, double y0, double size);

/// A regular `n`-gon around `c` with its vertices `r` from it, the first at angle `turn`
/// (radians, counter-clockwise from east), counter-clockwise and closed.
Polygon regular_polygon(XY c, double r, int n, double turn = 0.0);

/// A synthetic DEM in a metric work CRS: cells of `cell` metres over [−half, half]² (north
/// up), each cell's height `z(x, y)` at its centre.
Raster<float> synthetic_dem(double half, double cell,
                            const std::function<double(double, double)>& z);

/// The WKT of the CRS EPSG:`code` (e.g. 32648, UTM 48N: a work CRS of Vietnam).
std::string epsg_wkt(int code);

/// The rows of an SQL query on the SQLite file `file` (a GeoPackage), read-only, each row's
/// values joined by '|': as text, NULL as "∅"; or, `typed`, each with its SQLite type so that
/// two files compare exactly: "i<integer>", "r<the 64 bits of a real, in hex>", "t'<text>'",
/// "x<a blob in hex>", "NULL". A query SQLite refuses fails the test.
std::vector<std::string> sqlite_rows(const std::filesystem::path& file, const std::string& sql,
                                     bool typed = false);

} // namespace whitezone::test
