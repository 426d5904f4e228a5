#pragma once
// A GeoPackage's rows inserted through SQLite's own prepared statements rather than GDAL's
// CreateFeature, which costs about twice as much for the same rows (docs/performance.md,
// session 41). GDAL makes the file and its layers and closes it; the rows then go in through
// one connection as GDAL would have written them: the same values (converted as an OGR
// feature converts a value of another type than its field's), the same geometry blobs
// (gpkg_blob()), the same feature ids, and the layer's feature count (gpkg_ogr_contents),
// extent and last change (gpkg_contents) brought up to date.
// tests/unit/report/gpkg_rows_test.cpp holds it to GDAL's file row for row.

#include "report/layers.hpp"
#include "report/sinks/gpkg_rtree.hpp"
#include "report/sinks/ogr_table.hpp"
#include "report/sinks/sqlite.hpp"

#include <ogr_core.h>
#include <ogr_feature.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace whitezone::report {

/// The GeoPackage geometry blob (the standard's GeoPackageBinary, as GDAL writes it) of
/// `shape` in spatial reference `srs_id`, into `out`: "GP", version 0, the flags
/// (little-endian; the empty flag and no envelope for an empty area, no envelope for a point,
/// the XY envelope otherwise), the SRS id, then the ISO WKB of a point, a line string or a
/// multipolygon. Returns the envelope of a shape that is not empty. `out` is left empty for
/// Shape::Kind::None (a NULL geometry).
std::optional<OGREnvelope> gpkg_blob(const Shape& shape, std::int32_t srs_id, std::string& out);

/// The rows of a GeoPackage whose layers GDAL has made (and closed). Every failure throws
/// ExternalError naming the stage, the layer and the file.
class GpkgRows {
  public:
    GpkgRows(const std::filesystem::path& file, std::string stage);

    /// Inserts every row of `table` into its layer, made by create_table_layer() with the fields
    /// `written` and the definition `defn` (kept past the dataset's close), in one transaction,
    /// on `threads` as write_table() does (`log`: as there). The layer's feature count, extent and
    /// last change are updated with it, and a layer with geometry gets its spatial index, packed
    /// from the boxes gathered as the rows went in (build_gpkg_rtree()).
    void fill(const Table& table, OGRFeatureDefn& defn, const std::vector<std::string>& written,
              const LayerStyle& style, const Log& log, int threads);

    /// The time spent packing spatial indexes so far, in seconds.
    [[nodiscard]] double index_seconds() const { return m_index_seconds; }

  private:
    sqlite::Connection m_db;
    std::string m_stage;
    double m_index_seconds = 0;
};

} // namespace whitezone::report
