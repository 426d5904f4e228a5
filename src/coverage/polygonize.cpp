// The terrain mode's coverage raster turned into polygons with GDAL's polygonize.

#include "whitezone/coverage/terrain.hpp"
#include "whitezone/error.hpp"

#include "gdal/gdal.hpp"

#include <gdal_alg.h>
#include <ogrsf_frmts.h>

#include <algorithm>

namespace whitezone {

MultiPolygon polygonize_coverage(const CoverageRaster& raster, ServiceClass cls,
                                 const GridSpec& window) {
    gdal::ensure_initialised();
    const GridSpec& g = raster.grid;
    // The window in the raster's cells (it was cut from the same grid; clamp for safety).
    const int c0 =
        std::clamp(static_cast<int>(std::lround((window.x0 - g.x0) / g.cell)), 0, g.cols);
    const int r0 =
        std::clamp(static_cast<int>(std::lround((g.y0 - window.y0) / g.cell)), 0, g.rows);
    const int cols = std::min(window.cols, g.cols - c0), rows = std::min(window.rows, g.rows - r0);
    MultiPolygon out;
    if (cols <= 0 || rows <= 0)
        return out;

    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDriver* ogr_mem = GetGDALDriverManager()->GetDriverByName("Memory");
    if (!mem || !ogr_mem)
        throw ExternalError("coverage: GDAL lacks its MEM / Memory drivers.");
    GDALDatasetUniquePtr ds(mem->Create("", cols, rows, 1, GDT_Byte, nullptr));
    GDALDatasetUniquePtr vec(ogr_mem->Create("", 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds || !vec)
        throw ExternalError("coverage: cannot create in-memory datasets: " + gdal::last_error());
    double transform[6] = {g.x0 + c0 * g.cell, g.cell, 0.0, g.y0 - r0 * g.cell, 0.0, -g.cell};
    ds->SetGeoTransform(transform);
    const auto& covered = raster.covered[index_of(cls)];
    std::vector<std::uint8_t> window_cells(static_cast<std::size_t>(cols) *
                                           static_cast<std::size_t>(rows));
    for (int r = 0; r < rows; ++r)
        std::copy_n(covered.begin() + static_cast<std::ptrdiff_t>(g.index(c0, r0 + r)), cols,
                    window_cells.begin() + static_cast<std::ptrdiff_t>(r) * cols);
    GDALRasterBand* band = ds->GetRasterBand(1);
    if (band->RasterIO(GF_Write, 0, 0, cols, rows, window_cells.data(), cols, rows, GDT_Byte, 0, 0,
                       nullptr) != CE_None)
        throw ExternalError("coverage: cannot fill the coverage raster: " + gdal::last_error());

    OGRLayer* layer = vec->CreateLayer("coverage", nullptr, wkbPolygon, nullptr);
    OGRFieldDefn value("covered", OFTInteger);
    if (!layer || layer->CreateField(&value) != OGRERR_NONE)
        throw ExternalError("coverage: cannot create the polygon layer: " + gdal::last_error());
    // The band is its own mask: cells of 0 make no polygon.
    if (GDALPolygonize(band, band, layer, 0, nullptr, nullptr, nullptr) != CE_None)
        throw ExternalError("coverage: polygonize failed: " + gdal::last_error());

    layer->ResetReading();
    for (auto& feature : *layer) {
        bool other = false;
        if (const OGRGeometry* geom = feature->GetGeometryRef())
            gdal::collect_polygons(*geom, out, other);
    }
    return out;
}

} // namespace whitezone
