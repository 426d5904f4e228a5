// The pieces of `whitezone link`: obstruction, CSV tables, profiles from a DEM.

#include "whitezone/error.hpp"
#include "whitezone/link.hpp"

#include "support/support.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <cmath>

namespace whitezone::test {
namespace {

// A GeoTIFF in /vsimem/ in EPSG:4326 whose heights form the plane z = 1000 (lon − 105) +
// 2000 (lat − 21) + 100 (at the cell centres), so that bilinear interpolation is exact.
std::string plane_dem(const std::string& name) {
    GDALAllRegister();
    const std::string path = "/vsimem/" + name + ".tif";
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GTiff");
    GDALDatasetUniquePtr ds(drv->Create(path.c_str(), 200, 200, 1, GDT_Float32, nullptr));
    const double cell = 0.001;
    double gt[6] = {105.0, cell, 0.0, 21.2, 0.0, -cell};
    ds->SetGeoTransform(gt);
    OGRSpatialReference srs;
    srs.importFromEPSG(4326);
    ds->SetSpatialRef(&srs);
    std::vector<float> z(200 * 200);
    for (int r = 0; r < 200; ++r)
        for (int c = 0; c < 200; ++c) {
            const double lon = 105.0 + (c + 0.5) * cell, lat = 21.2 - (r + 0.5) * cell;
            z[static_cast<std::size_t>(r * 200 + c)] =
                static_cast<float>(1000.0 * (lon - 105.0) + 2000.0 * (lat - 21.0) + 100.0);
        }
    EXPECT_EQ(ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, 200, 200, z.data(), 200, 200,
                                             GDT_Float32, 0, 0, nullptr),
              CE_None);
    return path;
}

} // namespace

TEST(Link, ProfileFromADemFollowsTheTerrainBetweenTheEnds) {
    const std::string dem = plane_dem("plane");
    const DemProfiler profiler(dem);
    const TerrainProfile p = profiler.profile(105.02, 21.05, 105.15, 21.12);
    // About one cell (0.001° ≈ 105 m here) per step, equal steps over the geodesic.
    EXPECT_GT(p.step_m, 90.0);
    EXPECT_LT(p.step_m, 120.0);
    EXPECT_NEAR(p.length_m(), 15800.0, 300.0);
    EXPECT_NEAR(p.elevations_m.front(), 1000.0 * 0.02 + 2000.0 * 0.05 + 100.0, 0.01);
    EXPECT_NEAR(p.elevations_m.back(), 1000.0 * 0.15 + 2000.0 * 0.12 + 100.0, 0.01);
    for (std::size_t i = 1; i < p.elevations_m.size(); ++i)
        EXPECT_GT(p.elevations_m[i], p.elevations_m[i - 1]); // uphill all the way
    const DemProfiler fine(dem, 10.0);
    EXPECT_NEAR(fine.profile(105.02, 21.05, 105.15, 21.12).step_m, 10.0, 0.01);
    EXPECT_TRUE(contains(
        message_of<InputError>([&] { (void)profiler.profile(105.02, 21.05, 105.5, 21.1); }),
        "has no height"));
    EXPECT_TRUE(contains(
        message_of<InputError>([&] { (void)profiler.profile(105.02, 21.05, 105.02, 21.05); }),
        "give two different points"));
    VSIUnlink(dem.c_str());
}

// A 100 m hill in the middle of a flat 10 km path between 30 m masts on an earth too large to
// bulge: it rises 70 m above the ray; without it the ray clears the ground by 30 m.
TEST(Link, ObstructionIsTheHighestTerrainAboveTheRay) {
    TerrainProfile p{100.0, std::vector<double>(101, 50.0)};
    const Obstruction clear = find_obstruction(p, 30.0, 30.0, 1e15, 900.0);
    EXPECT_NEAR(clear.above_ray_m, -30.0, 1e-6);
    p.elevations_m[50] = 150.0;
    const Obstruction hill = find_obstruction(p, 30.0, 30.0, 1e15, 900.0);
    EXPECT_NEAR(hill.above_ray_m, 70.0, 1e-6);
    EXPECT_NEAR(hill.distance_m, 5000.0, 1e-9);
    EXPECT_NEAR(hill.ground_m, 150.0, 1e-9);
    // First Fresnel zone in the middle: sqrt(λ d/4), λ = 1/3 m at 900 MHz.
    EXPECT_NEAR(hill.fresnel_radius_m, std::sqrt(299.792458 / 900.0 * 10000.0 / 4.0), 1e-9);
    // On the real earth (4/3 radius) the flat ground bulges by d²/8a = 1.47 m in the middle.
    EXPECT_NEAR(find_obstruction(TerrainProfile{100.0, std::vector<double>(101, 50.0)}, 30.0, 30.0,
                                 8.5e6, 900.0)
                    .above_ray_m,
                -30.0 + 1e8 / (8.0 * 8.5e6), 1e-6);
}

TEST(Link, ComputeLinkGivesReceivedPowerFromEirpAndLoss) {
    const TerrainProfile p{100.0, std::vector<double>(101, 50.0)};
    ItmParameters params;
    const LinkResult r = compute_link(p, params, 60.0, 2.0);
    EXPECT_NEAR(r.received_dbm, 60.0 - r.itm.loss_db + 2.0, 1e-9);
    EXPECT_EQ(r.profile.points, 101U);
    EXPECT_NEAR(r.profile.length_m, 10000.0, 1e-9);
    EXPECT_NEAR(r.profile.mean_m, 50.0, 1e-9);
}

TEST(Link, CsvTablesKeepQuotedCommasAndRoundTrip) {
    TempDir tmp;
    const std::string path = tmp.write(
        "t.csv", "\xEF\xBB\xBFname,note\r\n\"Bản A, xóm 2\",\"say \"\"hi\"\"\"\r\nB,\r\n");
    const Table t = read_csv_table(path);
    ASSERT_EQ(t.columns, (std::vector<std::string>{"name", "note"}));
    ASSERT_EQ(t.rows.size(), 2U);
    EXPECT_EQ(t.rows[0][0], "Bản A, xóm 2");
    EXPECT_EQ(t.rows[0][1], "say \"hi\"");
    EXPECT_EQ(t.rows[1][1], "");
    EXPECT_EQ(format_csv_table(t), "name,note\n\"Bản A, xóm 2\",\"say \"\"hi\"\"\"\nB,\n");
}

TEST(Link, BatchRefusesAnInputThatAlreadyHasTheAddedColumn) {
    Table t;
    t.columns = {"step_m", "elevations_m", "loss_db"};
    t.rows = {{"30", "1 2 3", "120"}};
    EXPECT_TRUE(contains(message_of<InputError>([&] { run_link_batch(t, {}, nullptr, "x.csv"); }),
                         "rename it"));
}

} // namespace whitezone::test
