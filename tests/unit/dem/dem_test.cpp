// The DEM module (dem.hpp): elevation, profiles and the Earth's curvature on small synthetic
// DEMs (line of sight and high points are tested with the terrain mode).

#include "whitezone/dem.hpp"
#include "whitezone/read/raster.hpp"

#include "support/support.hpp"

#include <gdal_priv.h>
#include <gdal_utils.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <string>

namespace whitezone {
namespace {

// A DEM of `cell` metres over [-half, half]², heights from `z(x, y)`.
Raster<float> dem(double half, double cell, const std::function<double(double, double)>& z) {
    Raster<float> r;
    const int n = static_cast<int>(std::lround(2 * half / cell));
    r.grid = {-half, half, cell, n, n};
    r.values.resize(r.grid.size());
    for (int row = 0; row < n; ++row)
        for (int col = 0; col < n; ++col) {
            const XY p = r.grid.centre(col, row);
            r.values[r.grid.index(col, row)] = static_cast<float>(z(p.x, p.y));
        }
    return r;
}

TEST(Dem, ElevationIsBilinearBetweenCellCentresAndNaNOutside) {
    // A plane rising 1 m per 10 m eastwards: bilinear interpolation is exact on it.
    const Raster<float> ramp = dem(1000, 10, [](double x, double) { return 100.0 + x / 10.0; });
    EXPECT_NEAR(elevation_at(ramp, {0, 0}), 100.0, 1e-4);
    EXPECT_NEAR(elevation_at(ramp, {123.4, -56.7}), 112.34, 1e-3);
    EXPECT_TRUE(std::isnan(elevation_at(ramp, {5000, 0})));
}

TEST(Dem, ProfilesSampleEveryStepFromEndToEnd) {
    const Raster<float> ramp = dem(1000, 10, [](double x, double) { return x / 10.0; });
    const auto p = terrain_profile(ramp, {-500, 0}, {500, 0}, 100.0);
    ASSERT_EQ(p.size(), 11u);
    EXPECT_DOUBLE_EQ(p.front().distance_m, 0.0);
    EXPECT_DOUBLE_EQ(p.back().distance_m, 1000.0);
    for (const auto& s : p)
        EXPECT_NEAR(s.elevation_m, (s.distance_m - 500.0) / 10.0, 1e-3) << s.distance_m;
    // The DEM's cell by default, and the last step shortened to end at b.
    const auto q = terrain_profile(ramp, {0, 0}, {0, 25});
    ASSERT_EQ(q.size(), 4u);
    EXPECT_DOUBLE_EQ(q[3].distance_m, 25.0);
    EXPECT_TRUE(terrain_profile(ramp, {3, 3}, {3, 3}).empty());
}

TEST(Dem, EarthBulgeIsZeroForAFlatEarthAndHalvesWithTwiceTheFactor) {
    EXPECT_DOUBLE_EQ(earth_bulge_per_m2(0.0), 0.0);
    // 10 km away with k = 4/3 a point sits 5.9 m lower.
    EXPECT_NEAR(10000.0 * 10000.0 * earth_bulge_per_m2(4.0 / 3.0), 5.89, 0.01);
    EXPECT_DOUBLE_EQ(earth_bulge_per_m2(2.0), earth_bulge_per_m2(1.0) / 2.0);
}

TEST(Dem, LineOfSightAgreesWithTheProfileOverAHill) {
    const Raster<float> hill =
        dem(3000, 20, [](double x, double) { return 200.0 * std::exp(-x * x / 200000.0); });
    // From 10 m masts at ±2 km the 200 m hill in between hides each from the other.
    EXPECT_FALSE(in_line_of_sight(hill, {-2000, 0}, 10, {2000, 0}, 10, 0.0));
    double highest = 0.0;
    for (const auto& s : terrain_profile(hill, {-2000, 0}, {2000, 0}))
        highest = std::max(highest, s.elevation_m);
    EXPECT_NEAR(highest, 200.0, 1.0);
    // 250 m masts clear it.
    EXPECT_TRUE(in_line_of_sight(hill, {-2000, 0}, 250, {2000, 0}, 250, 0.0));
}

} // namespace

// read_dem() lets GDAL decode and warp on the run's threads: the real SRTM tile (warped from
// degrees into UTM) and a tiled, DEFLATE-compressed GeoTIFF copy of it give the same grid,
// value for value, on one thread and on three.
TEST(Dem, ReadOnSeveralThreadsGivesTheSameGrid) {
    const std::string work_wkt = test::epsg_wkt(32648);
    const std::string hgt = std::string(WHITEZONE_SHARED_DATA_DIR) + "/srtm/N21E105.hgt";
    test::TempDir dir;
    const std::string tif = dir.file("srtm.tif");
    {
        GDALAllRegister();
        GDALDatasetUniquePtr src(GDALDataset::Open(hgt.c_str(), GDAL_OF_RASTER));
        ASSERT_TRUE(src);
        char* args[] = {const_cast<char*>("-co"), const_cast<char*>("TILED=YES"),
                        const_cast<char*>("-co"), const_cast<char*>("COMPRESS=DEFLATE"), nullptr};
        GDALTranslateOptions* options = GDALTranslateOptionsNew(args, nullptr);
        GDALDatasetH out = GDALTranslate(tif.c_str(), src.get(), options, nullptr);
        GDALTranslateOptionsFree(options);
        ASSERT_NE(out, nullptr);
        GDALClose(out);
    }
    const Extent area{540000.0, 2370000.0, 575000.0, 2400000.0};
    for (const std::string& path : {hgt, tif}) {
        const Raster<float> one = read_dem(path, "dem", work_wkt, area, 30.0, 1);
        const Raster<float> three = read_dem(path, "dem", work_wkt, area, 30.0, 3);
        ASSERT_EQ(one.grid.size(), three.grid.size());
        ASSERT_EQ(one.grid.size(), std::size_t{1167} * 1000);
        std::size_t data = 0;
        for (const float z : one.values)
            data += std::isnan(z) ? 0U : 1U;
        EXPECT_GT(data, one.values.size() / 100 * 99) << path; // the tile has a few voids
        EXPECT_EQ(
            std::memcmp(one.values.data(), three.values.data(), one.values.size() * sizeof(float)),
            0)
            << path;
    }
}

} // namespace whitezone
