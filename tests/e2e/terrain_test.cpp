// End-to-end: the terrain mode (--dem) and population grids (--population) on the known
// fixture of analyze_inputs_test.cpp: one site S at (600000, 2400000) in UTM 48N with a 2G
// cell (5000 m) and a 4G cell (3500 m), five 100 m villages V1–V5 around it.

#include "e2e/e2e.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>

namespace whitezone::test::e2e {
namespace {

// A config for the fixture on a 10 m work grid.
std::string terrain_config(const TempDir& tmp, const std::string& extra = "") {
    const std::string path = tmp.file("terrain.json");
    std::ofstream(path) << R"({"radius_m": {"2G": 5000, "3G": 3000, "4G": 3500, "5G": 1000},
                              "terrain": {"cell_m": 10)"
                        << extra << "}}";
    return path;
}

} // namespace

// Flat ground, given in WGS 84 at 0.001° (any CRS is warped onto the work grid): every
// status is the disk model's, and the shares agree within the 10 m cells' resolution.
TEST(TerrainE2E, FlatDemInAnotherCrsGivesTheDiskModelsAnswers) {
    TempDir tmp;
    const std::string dem = tmp.file("flat.tif");
    write_geotiff(dem, 4326, 105.85, 21.90, 0.001, 350, 400, [](double, double) { return 250.0; });
    const std::string out = tmp.file("flat.gpkg");
    const RunResult r = run_in_process(known_args(out, {"--dem", dem}, terrain_config(tmp)));
    ASSERT_EQ(r.code, 0) << r.err;
    const auto villages = read_layer_features(out, "villages");
    const struct {
        const char* id;
        double any, broadband;
        const char *status_any, *status_broadband;
    } expected[] = {{"V1", 1.0, 1.0, "covered", "covered"},
                    {"V2", 1.0, 0.699, "covered", "partial"},
                    {"V3", 1.0, 0.0, "covered", "white"},
                    {"V4", 0.599, 0.0, "partial", "white"},
                    {"V5", 0.0, 0.0, "white", "white"}};
    for (const auto& k : expected) {
        SCOPED_TRACE(k.id);
        const OutFeature& v = find_feature(villages, "village_id", k.id);
        EXPECT_NEAR(v.number("share_any"), k.any, 0.03);
        EXPECT_NEAR(v.number("share_broadband"), k.broadband, 0.03);
        EXPECT_EQ(v.text("status_any"), k.status_any);
        EXPECT_EQ(v.text("status_broadband"), k.status_broadband);
    }
    // The coverage layer is the covered cells as polygons, clipped to the study area (the
    // villages' extent, x ≥ 599950): the east half of each disk and a 50 m strip.
    const auto coverage = read_layer_features(out, "coverage");
    EXPECT_NEAR(find_feature(coverage, "class", "any").number("area_km2"),
                std::numbers::pi * 25.0 / 2 + 0.05 * 10.0, 0.05);
    EXPECT_NEAR(find_feature(coverage, "class", "broadband").number("area_km2"),
                std::numbers::pi * 3.5 * 3.5 / 2 + 0.05 * 7.0, 0.05);
}

// A wall 200 m high at x = 602000–602100 hides V2 and V3 (east of it) from S; V1 and V4, on
// S's side, keep their signal.
TEST(TerrainE2E, ARidgeMakesTheVillagesBehindItWhite) {
    TempDir tmp;
    const std::string dem = tmp.file("ridge.tif");
    write_geotiff(dem, 32648, 590000, 2416000, 10, 2600, 2800,
                  [](double x, double) { return x >= 602000 && x <= 602100 ? 400.0 : 200.0; });
    const std::string out = tmp.file("ridge.gpkg");
    const RunResult r = run_in_process(known_args(out, {"--dem", dem, "-v"}, terrain_config(tmp)));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(contains(r.err, "terrain line of sight")) << r.err;
    const auto villages = read_layer_features(out, "villages");
    for (const char* id : {"V2", "V3"}) {
        SCOPED_TRACE(id);
        const OutFeature& v = find_feature(villages, "village_id", id);
        EXPECT_EQ(v.number("share_any"), 0.0);
        EXPECT_EQ(v.text("status_any"), "white");
        EXPECT_EQ(v.text("status_broadband"), "white");
    }
    EXPECT_EQ(find_feature(villages, "village_id", "V1").text("status_broadband"), "covered");
    EXPECT_EQ(find_feature(villages, "village_id", "V4").text("status_any"), "partial");
}

// Population cells of 50 m: V2 (x = 603430–603530) holds 30 people west of the 4G edge
// (x ≈ 603500) and 10 east of it: 75 % of its people have broadband, 10 do not, whatever
// the share of its area. Works without a DEM too (signal from the footprints' disks).
TEST(TerrainE2E, PopulationGridGivesSharesOfPeopleAndPeopleWithoutSignal) {
    TempDir tmp;
    const std::string pop = tmp.file("people.tif");
    write_geotiff(pop, 32648, 603430, 2400050, 50, 2, 2, [](double x, double y) {
        return y > 2400000 ? 0.0 : (x < 603480 ? 30.0 : 10.0);
    });
    const std::string out = tmp.file("people.gpkg");
    const RunResult r = run_in_process(known_args(out, {"--population", pop}));
    ASSERT_EQ(r.code, 0) << r.err;
    const auto villages = read_layer_features(out, "villages");
    const OutFeature& v2 = find_feature(villages, "village_id", "V2");
    EXPECT_DOUBLE_EQ(v2.number("people_grid"), 40.0);
    EXPECT_DOUBLE_EQ(v2.number("share_broadband"), 0.75);
    EXPECT_DOUBLE_EQ(v2.number("people_without_broadband"), 10.0);
    EXPECT_DOUBLE_EQ(v2.number("people_without_signal"), 10.0); // the ranked class
    // The ranking counts them: a tower at V2 reaches its 10 and V3's 300 (1,020 m away).
    EXPECT_DOUBLE_EQ(v2.number("reach_people"), 310.0);
    // Villages without grid cells keep their population field.
    EXPECT_EQ(find_feature(villages, "village_id", "V3").text("people_grid"), "");
    EXPECT_DOUBLE_EQ(find_feature(villages, "village_id", "V3").number("people_without_broadband"),
                     300.0);
}

TEST(TerrainE2E, BadRastersAreClearErrors) {
    TempDir tmp;
    const std::string out = tmp.file("bad.gpkg");
    RunResult r = run_in_process(known_args(out, {"--dem", tmp.file("missing.tif")}));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(contains(r.err, "dem file")) << r.err;
    EXPECT_TRUE(contains(r.err, "does not exist")) << r.err;

    const std::string no_crs = tmp.file("nocrs.tif");
    write_geotiff(no_crs, 0, 590000, 2416000, 100, 10, 10, [](double, double) { return 1.0; });
    r = run_in_process(known_args(out, {"--dem", no_crs}));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(contains(r.err, "has no CRS")) << r.err;

    // A DEM far away from the villages covers nothing of the study area.
    const std::string elsewhere = tmp.file("elsewhere.tif");
    write_geotiff(elsewhere, 4326, 10.0, 50.0, 0.01, 10, 10, [](double, double) { return 1.0; });
    r = run_in_process(known_args(out, {"--dem", elsewhere}));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(contains(r.err, "does not cover the study area")) << r.err;

    r = run_in_process(known_args(out, {"--population", tmp.file("none.tif")}));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(contains(r.err, "population file")) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out));
}

} // namespace whitezone::test::e2e

namespace whitezone::test::e2e {

// whitezone plan with a DEM: behind the 200 m wall at x = 602000–602100 a new site neither
// reaches villages across it nor links to S (30 m masts); without the DEM every site links.
// With "plan.require_backhaul" (the default) a site that cannot link is not chosen, so every
// chosen site is connected; without it such sites are chosen and listed as unconnected.
TEST(TerrainE2E, PlanWithADemLinksOnlyMastsThatSeeEachOther) {
    TempDir tmp;
    const std::string dem = tmp.file("ridge.tif");
    write_geotiff(dem, 32648, 590000, 2416000, 20, 1300, 1400,
                  [](double x, double) { return x >= 602000 && x <= 602100 ? 400.0 : 200.0; });
    auto plan = [&](const std::string& out, const std::vector<std::string>& extra,
                    const std::string& config) {
        std::vector<std::string> args = known_args(out, extra, config);
        args[0] = "plan";
        args.insert(args.end(), {"--budget", "4"});
        const RunResult r = run_in_process(args);
        EXPECT_EQ(r.code, 0) << r.err;
        return read_layer_features(out, "proposed_sites");
    };
    const std::string required = terrain_config(tmp);
    const auto flat = plan(tmp.file("flat.gpkg"), {}, required);
    for (const auto& s : flat)
        EXPECT_EQ(s.number("connected"), 1);

    const auto linked = plan(tmp.file("linked.gpkg"), {"--dem", dem}, required);
    ASSERT_FALSE(linked.empty());
    for (const auto& s : linked)
        EXPECT_EQ(s.number("connected"), 1) << "a chosen site must link to the network";

    // The terrain config's "terrain" object closed early to add a top-level "plan" key.
    const std::string optional = terrain_config(tmp, R"(}, "plan": {"require_backhaul": false)");
    const auto ridge = plan(tmp.file("ridge.gpkg"), {"--dem", dem}, optional);
    ASSERT_FALSE(ridge.empty());
    long unconnected = 0;
    for (const auto& s : ridge)
        unconnected += s.number("connected") == 0 ? 1 : 0;
    EXPECT_GT(unconnected, 0);
    for (const auto& link : read_layer_features(tmp.file("ridge.gpkg"), "backhaul_links")) {
        // A hop never crosses the wall: both ends on the same side (x from the WKT).
        const auto xs = link.wkt.substr(link.wkt.find('(') + 1);
        const double x1 = std::stod(xs);
        const double x2 = std::stod(xs.substr(xs.find(',') + 1));
        EXPECT_EQ(x1 < 602050, x2 < 602050) << link.wkt;
    }
}

} // namespace whitezone::test::e2e

namespace whitezone::test::e2e {

// whitezone trend with a DEM traces each year only the stations new that year and adds them
// to the year before's coverage; a year counted on its own (--from Y --to Y, everything
// traced at once) must give the same row.
TEST(TerrainE2E, TrendWithADemAddsEachYearsStationsToTheYearBefore) {
    TempDir tmp;
    auto trend = [&](const std::string& name, const std::vector<std::string>& years) {
        std::vector<std::string> args{"trend",
                                      "--stations",
                                      sample_path("stations.csv"),
                                      "--villages",
                                      sample_path("villages.gpkg"),
                                      "--dem",
                                      sample_path("dem.tif"),
                                      "--no-chart",
                                      "--out",
                                      tmp.file(name)};
        args.insert(args.end(), years.begin(), years.end());
        const RunResult r = run_in_process(args);
        EXPECT_EQ(r.code, 0) << r.err;
        return read_layer_features(tmp.file(name), "trend");
    };
    const auto series = trend("all.gpkg", {"--from", "2012", "--to", "2018"});
    const auto alone = trend("one.gpkg", {"--from", "2016", "--to", "2016"});
    ASSERT_EQ(series.size(), 7u);
    ASSERT_EQ(alone.size(), 1u);
    const OutFeature& in_series = find_feature(series, "year", "2016");
    for (const char* field : {"stations", "white_any", "partial_any", "covered_any",
                              "white_broadband", "partial_broadband", "covered_broadband"})
        EXPECT_EQ(in_series.number(field), alone[0].number(field)) << field;
    EXPECT_LT(series.back().number("white_any"), series.front().number("white_any"));
}

} // namespace whitezone::test::e2e

namespace whitezone::test::e2e {

// A DEM that stops 1 km east of S: S stands on no ground, gives no signal, and says so (a
// warning and terrain_flag = no_dem), rather than being modelled on made-up terrain.
TEST(TerrainE2E, AStationOutsideTheDemIsFlaggedAndGivesNoSignal) {
    TempDir tmp;
    const std::string dem = tmp.file("east.tif");
    write_geotiff(dem, 32648, 601000, 2416000, 20, 500, 1400, [](double, double) { return 200.0; });
    const std::string out = tmp.file("east.gpkg");
    const RunResult r = run_in_process(known_args(out, {"--dem", dem}, terrain_config(tmp)));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(contains(r.err, "2 stations stand where the DEM has no data")) << r.err;
    EXPECT_TRUE(contains(r.err, "has no data on")) << r.err; // part of the study area, too
    for (const auto& s : read_layer_features(out, "stations"))
        EXPECT_EQ(s.text("terrain_flag"), "no_dem");
    for (const auto& v : read_layer_features(out, "villages"))
        EXPECT_EQ(v.text("status_any"), "white") << v.text("village_id");
}

} // namespace whitezone::test::e2e

namespace whitezone::test::e2e {

// A DEM of the whole world in degrees (here 0.5° cells) has no single pixel size in metres,
// and most of it cannot be projected into UTM 48N: its size is measured at the study area.
TEST(TerrainE2E, AWorldDemInDegreesIsMeasuredAtTheStudyArea) {
    TempDir tmp;
    const std::string dem = tmp.file("world.tif");
    write_geotiff(dem, 4326, -180, 90, 0.5, 720, 360, [](double, double) { return 100.0; });
    const std::string out = tmp.file("world.gpkg");
    const RunResult r = run_in_process(known_args(out, {"--dem", dem, "-v"}));
    ASSERT_EQ(r.code, 0) << r.err;
    // 0.5° at 21.7° N: 51.7 km east-west by 55.3 km north-south, about 53.5 km square.
    EXPECT_TRUE(contains(r.err, "cells of 535")) << r.err; // 53,5xx.x m
}

} // namespace whitezone::test::e2e

namespace whitezone::test::e2e {

// The ITM model on the sample: `analyze --dem` with {"coverage_model": "itm"} exits 0, writes
// the coverage layer from the served cells, and the four signal rasters beside the output
// (float32 dBm and int32 best server per class, tiled, DEFLATE, with overviews).
TEST(TerrainE2E, ItmModelOnTheSampleWritesCoverageAndSignalRasters) {
    TempDir tmp;
    const std::string config = tmp.file("itm.json");
    { std::ofstream(config) << R"({"coverage_model": "itm"})"; }
    const std::string out = tmp.file("itm.gpkg");
    const RunResult r =
        run_in_process({"analyze", "--stations", sample_path("stations.csv"), "--villages",
                        sample_path("villages.gpkg"), "--dem", sample_path("dem.tif"), "--config",
                        config, "--out", out, "-v"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(contains(r.err, "ITM received power on")) << r.err;
    EXPECT_GT(feature_count(out, "coverage"), 0);
    for (const char* name :
         {"signal_dbm_any", "signal_dbm_broadband", "best_server_any", "best_server_broadband"}) {
        const std::string path = tmp.file(std::string("itm_") + name + ".tif");
        EXPECT_TRUE(contains(r.out, "raster: " + path)) << r.out;
        GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
        ASSERT_TRUE(ds) << path;
        GDALRasterBand* band = ds->GetRasterBand(1);
        EXPECT_EQ(band->GetRasterDataType(), name[0] == 's' ? GDT_Float32 : GDT_Int32) << name;
        EXPECT_GT(band->GetOverviewCount(), 0) << name;
        const char* compression = ds->GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE");
        EXPECT_STREQ(compression, "DEFLATE") << name;
        int bx = 0, by = 0;
        band->GetBlockSize(&bx, &by);
        EXPECT_EQ(bx, 256) << name;
    }
    // Without a DEM the model is refused with exit code 2 and the flag to give.
    const RunResult no_dem = run_in_process({"analyze", "--stations", sample_path("stations.csv"),
                                             "--villages", sample_path("villages.gpkg"), "--config",
                                             config, "--out", tmp.file("none.gpkg")});
    EXPECT_EQ(no_dem.code, 2);
    EXPECT_TRUE(contains(no_dem.err, "needs a DEM; pass --dem FILE")) << no_dem.err;
}

} // namespace whitezone::test::e2e

namespace whitezone::test::e2e {

// The ITM model's files belong to the output: without --overwrite one left from an earlier
// run is refused before any work, as the output itself would be; one that is a folder is
// refused even with --overwrite; nothing is touched either way. A folder format holds them
// inside the folder.
TEST(TerrainE2E, TheItmFilesAreCheckedAndReplacedWithTheOutput) {
    TempDir tmp;
    const std::string config = tmp.write("itm.json", R"({"coverage_model": "itm"})");
    const std::string out = tmp.file("itm.gpkg");
    const auto args = [&](const std::string& to, const std::vector<std::string>& extra) {
        return itm_sample_args(config, to, extra);
    };
    ASSERT_EQ(run_in_process(args(out, {})).code, 0);
    const std::string raster = tmp.file("itm_signal_dbm_any.tif");
    const std::string bytes = read_file(raster);
    ASSERT_FALSE(bytes.empty());

    // The GeoPackage is gone, its rasters are not: refused without --overwrite.
    std::filesystem::remove(out);
    const auto before = list_tree(tmp.path());
    const RunResult again = run_in_process(args(out, {}));
    EXPECT_EQ(again.code, 2);
    EXPECT_TRUE(contains(again.err, "itm_signal_dbm_any.tif' already exists; pass --overwrite"))
        << again.err;
    EXPECT_EQ(list_tree(tmp.path()), before);
    EXPECT_EQ(read_file(raster), bytes);

    // The stations' table is a folder: refused even with --overwrite, the output untouched.
    ASSERT_EQ(run_in_process(args(out, {"--overwrite"})).code, 0);
    const std::string gpkg = read_file(out);
    std::filesystem::remove(tmp.file("itm_best_server_stations.csv"));
    std::filesystem::create_directory(tmp.file("itm_best_server_stations.csv"));
    const RunResult folder = run_in_process(args(out, {"--overwrite"}));
    EXPECT_EQ(folder.code, 2);
    EXPECT_TRUE(contains(folder.err, "itm_best_server_stations.csv' is a folder")) << folder.err;
    EXPECT_EQ(read_file(out), gpkg);

    // A folder of GeoJSON files holds them inside.
    const std::string dir = tmp.file("itm-geojson");
    const RunResult json = run_in_process(args(dir, {"--format", "geojson"}));
    ASSERT_EQ(json.code, 0) << json.err;
    EXPECT_TRUE(contains(json.out, "raster: " + dir + "/signal_dbm_any.tif")) << json.out;
    for (const char* name : {"signal_dbm_any.tif", "best_server_broadband.tif",
                             "best_server_stations.csv", "villages.geojson"})
        EXPECT_TRUE(std::filesystem::is_regular_file(std::filesystem::path(dir) / name)) << name;
}

// Measurements with the ITM model on the sample: 4G points 600 m north of the first 4G sites,
// the model's error reported on the console and in the provenance, the offset fitted with
// "calibrate", measurements.csv and best_server_stations.csv beside the rasters; a bad file,
// or measurements without the ITM model, exit with code 2 and a message naming the problem.
TEST(TerrainE2E, MeasurementsAreComparedAndCalibratedOnTheSample) {
    TempDir tmp;
    std::string csv = "lon,lat,rsrp,tech\n";
    {
        std::ifstream stations(sample_path("stations.csv"));
        std::string line;
        int n = 0;
        while (std::getline(stations, line) && n < 30)
            if (line.find(",4G,") != std::string::npos) {
                // site_id,operator,tech,lon,lat,…
                std::vector<std::string> f;
                std::stringstream ss(line);
                for (std::string cell; std::getline(ss, cell, ',');)
                    f.push_back(cell);
                csv += f[3] + "," + std::to_string(std::stod(f[4]) + 0.0054) + "," +
                       std::to_string(-75 - (n % 7) * 3) + ",LTE\n";
                ++n;
            }
    }
    const std::string measurements = tmp.write("drive.csv", csv);
    const std::string config =
        tmp.write("itm.json", R"({"coverage_model": "itm", "calibrate": true})");
    const std::string out = tmp.file("cal.gpkg");
    const std::vector<std::string> base{"analyze",
                                        "--stations",
                                        sample_path("stations.csv"),
                                        "--villages",
                                        sample_path("villages.gpkg"),
                                        "--dem",
                                        sample_path("dem.tif")};
    auto args = base;
    for (const std::string& a : {std::string("--config"), config, std::string("--measurements"),
                                 measurements, std::string("--out"), out})
        args.push_back(a);
    const RunResult r = run_in_process(args);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "accuracy against " + measurements)) << r.out;
    EXPECT_TRUE(contains(r.out, "4G: 30 of 30 points predicted, mean error ")) << r.out;
    EXPECT_TRUE(contains(r.out, "cross-validated (5-fold)")) << r.out;
    EXPECT_TRUE(contains(r.out, "measurements: " + tmp.file("cal_measurements.csv"))) << r.out;
    EXPECT_TRUE(contains(r.out, "table: " + tmp.file("cal_best_server_stations.csv"))) << r.out;
    const auto points = read_layer_features(tmp.file("cal_measurements.csv"), "cal_measurements");
    ASSERT_EQ(points.size(), 30U);
    double before = 0.0, after = 0.0;
    for (const auto& p : points) {
        EXPECT_NEAR(p.number("error_db"), p.number("predicted_dbm") - p.number("measured_dbm"),
                    0.011);
        before += p.number("error_db");
        after += p.number("calibrated_error_db");
    }
    EXPECT_NEAR(after / 30.0, 0.0, 0.01); // the fitted offset removes the mean error
    EXPECT_GT(std::abs(before / 30.0), 0.1);
    const auto table =
        read_layer_features(tmp.file("cal_best_server_stations.csv"), "cal_best_server_stations");
    ASSERT_EQ(table.size(), 713U);
    EXPECT_EQ(table[0].text("index"), "0");
    EXPECT_EQ(table[0].text("site_id"), "LSN-MBF-0001");
    EXPECT_EQ(table[0].text("technology"), "3G");
    bool recorded = false;
    for (const auto& row : read_layer_features(out, "provenance"))
        recorded = recorded || (row.text("key") == "accuracy.1" &&
                                contains(row.text("value"), "4G: 30 of 30 points"));
    EXPECT_TRUE(recorded);

    // A level that is not a number: exit code 2, the file, row and column named.
    const std::string bad = tmp.write("bad.csv", "lon,lat,rsrp,tech\n106.7,21.8,strong,4G\n");
    args = base;
    for (const std::string& a : {std::string("--config"), config, std::string("--measurements"),
                                 bad, std::string("--out"), tmp.file("bad.gpkg")})
        args.push_back(a);
    const RunResult b = run_in_process(args);
    EXPECT_EQ(b.code, 2);
    EXPECT_TRUE(contains(b.err, "bad.csv' row 1, column 'rsrp'")) << b.err;
    // Measurements with the disk model: refused before any work.
    const RunResult disk =
        run_in_process({"analyze", "--stations", sample_path("stations.csv"), "--villages",
                        sample_path("villages.gpkg"), "--measurements", measurements, "--out",
                        tmp.file("disk.gpkg")});
    EXPECT_EQ(disk.code, 2);
    EXPECT_TRUE(contains(disk.err, "set \"coverage_model\": \"itm\"")) << disk.err;
}

} // namespace whitezone::test::e2e
