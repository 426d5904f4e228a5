#pragma once
// The spatial indexes of a GeoPackage (its R-tree extension, gpkg_rtree_index), packed in bulk
// once a layer's rows are written. GDAL 3.6 (Debian 12) fills each index with one SQLite R*Tree
// insertion per row, about 10 µs a feature: 2 s of the national write for the 204,000 cells
// alone (docs/performance.md, "The spatial indexes packed in bulk"). Packed whole
// (sort-tile-recursive), every index of that file takes 0.36 s against GDAL's 2.8 s. The file GDAL
// reads back is the same kind: the R*Tree virtual table, its shadow tables filled as SQLite's own
// module lays them out, the standard's triggers that keep it current when a GIS edits the layer,
// and the extension's row.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace whitezone::report {

/// gpkg_extensions as the GeoPackage standard defines it (created where a file has none).
inline constexpr const char* kCreateGpkgExtensions =
    "CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, "
    "extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, "
    "CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))";

/// A row in a spatial index: its feature id and its box as the R*Tree stores it (32-bit floats
/// rounded outward, so that the box holds the geometry's own).
struct RtreeCell {
    std::int64_t id;
    float minx, maxx, miny, maxy;
};

/// The cell of feature `id` whose geometry's box is the one given; none where a coordinate is
/// not a number (the standard's triggers leave such a geometry out, as an empty one).
std::optional<RtreeCell> rtree_cell(std::int64_t id, double minx, double maxx, double miny,
                                    double maxy);

namespace sqlite {
class Connection;
}

/// Builds the R-tree spatial index of the geometry column `column` of `table` through `db`, in
/// the caller's transaction: the R*Tree, its tables filled from `cells` (GpkgRows gathers them as
/// it writes the rows; the vector is emptied) or, where null, from every
/// geometry read back (rows with an empty or no geometry are left out, as the standard's
/// triggers leave them out), then the standard's triggers and the extension's row (and
/// gpkg_extensions where the file has none). Throws ExternalError naming the stage and the table
/// when SQLite refuses a step or a geometry cannot be read.
void build_gpkg_rtree(sqlite::Connection& db, const std::string& table, const std::string& column,
                      std::vector<RtreeCell>* cells = nullptr);

/// Builds, with build_gpkg_rtree() from the geometries read back, the spatial index of every
/// feature table of the GeoPackage `file` that has none (a layer written with
/// SPATIAL_INDEX=NO). One transaction; the file is not synced.
void build_gpkg_rtrees(const std::filesystem::path& file, const std::string& stage);

} // namespace whitezone::report
