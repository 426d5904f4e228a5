// The terrain mode's line of sight against GDAL's own viewshed (gdal_viewshed,
// GDALViewshedGenerate) on a rough synthetic DEM: the two algorithms sample the terrain
// differently (rays with bilinear samples here; GDAL propagates horizon heights cell by cell
// from the observer), so they may disagree on cells that are nearly grazed, but on little
// else.

#include "whitezone/coverage.hpp"

#include <gdal_alg.h>
#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <cmath>

using namespace whitezone;

TEST(TerrainReference, LineOfSightAgreesWithGdalViewshed) {
    GDALAllRegister();
    constexpr int kCells = 401;
    constexpr double kCell = 20.0, kHalf = kCells * kCell / 2;
    Raster<float> dem;
    dem.grid = {-kHalf, kHalf, kCell, kCells, kCells};
    dem.values.resize(dem.grid.size());
    for (int row = 0; row < kCells; ++row)
        for (int col = 0; col < kCells; ++col) {
            const XY p = dem.grid.centre(col, row);
            dem.values[dem.grid.index(col, row)] = static_cast<float>(
                300.0 + 60.0 * std::sin(p.x / 900.0) * std::cos(p.y / 700.0) +
                25.0 * std::sin((p.x + 2 * p.y) / 260.0) + 10.0 * std::cos(p.x / 90.0));
        }

    // Ours: one 4G station at the centre, 30 m mast, 3,500 m disk, receiver 1.5 m, k = 4/3.
    Station station;
    station.tech = Tech::G4;
    station.xy = {0.0, 0.0};
    const std::vector<Station> stations{station};
    CoverageOptions options;
    const Footprints footprints = model_coverage(stations, options);
    const CoverageRaster ours = model_terrain_coverage(stations, footprints, dem, options);

    // GDAL's: the same DEM in a MEM dataset. The observer height is above the ground at the
    // observer's cell; GDAL lowers heights by coeff · d² / (2 R), ours by d² / (2 k R).
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDatasetUniquePtr ds(mem->Create("", kCells, kCells, 1, GDT_Float32, nullptr));
    double transform[6] = {-kHalf, kCell, 0.0, kHalf, 0.0, -kCell};
    ds->SetGeoTransform(transform);
    ASSERT_EQ(ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, kCells, kCells, dem.values.data(),
                                             kCells, kCells, GDT_Float32, 0, 0, nullptr),
              CE_None);
    GDALDatasetUniquePtr view(GDALDataset::FromHandle(GDALViewshedGenerate(
        ds->GetRasterBand(1), "MEM", "", nullptr, 0.0, 0.0, 30.0, 1.5, 1.0, 0.0, 2.0, -1.0,
        1.0 / (4.0 / 3.0), GVM_Edge, 3500.0, nullptr, nullptr, GVOT_NORMAL, nullptr)));
    ASSERT_TRUE(view);
    const int cols = view->GetRasterXSize(), rows = view->GetRasterYSize();
    double vt[6];
    view->GetGeoTransform(vt);
    std::vector<float> theirs(static_cast<std::size_t>(cols) * static_cast<std::size_t>(rows));
    ASSERT_EQ(view->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, cols, rows, theirs.data(), cols, rows,
                                               GDT_Float32, 0, 0, nullptr),
              CE_None);

    long compared = 0, agree = 0, visible = 0;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            const XY p{vt[0] + (c + 0.5) * vt[1], vt[3] + (r + 0.5) * vt[5]};
            const double d = std::hypot(p.x, p.y);
            if (d > 3400.0 || d < 100.0)
                continue; // the edge of the range is drawn differently
            const float g = theirs[static_cast<std::size_t>(r) * static_cast<std::size_t>(cols) +
                                   static_cast<std::size_t>(c)];
            ++compared;
            visible += ours.covers(ServiceClass::Any, p) ? 1 : 0;
            agree += (g == 1.0F) == ours.covers(ServiceClass::Any, p) ? 1 : 0;
        }
    ASSERT_GT(compared, 80000);
    const double share = static_cast<double>(agree) / static_cast<double>(compared);
    EXPECT_GT(share, 0.97) << agree << " of " << compared << " cells agree";
    // Not a trivial case: a good part of the disk is hidden.
    EXPECT_GT(visible, compared / 5);
    EXPECT_LT(visible, compared * 4 / 5);
    std::printf("agreement with GDAL viewshed: %.4f (%ld cells, %ld visible)\n", share, compared,
                visible);
}
