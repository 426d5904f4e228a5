#include "whitezone/provenance.hpp"

#include "support/support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>

namespace whitezone {
namespace {

// The digest `sha256sum` prints for a file, so that the test compares with an independent tool.
std::string sha256sum(const std::string& path) {
    const std::string command = "sha256sum '" + path + "'";
    std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(command.c_str(), "r"), &pclose);
    if (!pipe)
        return "";
    char buf[65] = {};
    if (std::fread(buf, 1, 64, pipe.get()) != 64)
        return "";
    return std::string(buf, 64);
}

TEST(Provenance, FileDigestEqualsSha256sum) {
    const std::string path = test::data_path("known_stations.csv");
    const std::string expected = sha256sum(path);
    ASSERT_EQ(expected.size(), 64U) << "sha256sum is needed for this test";
    EXPECT_EQ(sha256_file(path), expected);
}

TEST(Provenance, EmptyFileHasTheEmptyDigest) {
    const test::TempDir dir;
    const std::string path = dir.write("empty.csv", "");
    EXPECT_EQ(sha256_file(path),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Provenance, VectorInputIsDescribedWithCountCrsExtentAndDigest) {
    const std::string path = test::data_path("wgs84_villages.geojson");
    const InputRecord r = describe_vector_input("villages", path, "");
    EXPECT_EQ(r.role, "villages");
    EXPECT_EQ(r.driver, "GeoJSON");
    EXPECT_GT(r.features, 0);
    EXPECT_EQ(r.crs, "EPSG:4326");
    ASSERT_TRUE(r.extent.has_value());
    EXPECT_LT((*r.extent)[0], (*r.extent)[2]);
    EXPECT_EQ(r.sha256, sha256sum(path));
    EXPECT_GT(r.file_bytes, 0);
}

TEST(Provenance, JsonHoldsTheConfigAsAnObject) {
    Provenance p;
    p.version = "0.1";
    p.config_json = R"({"status_rule": "centre"})";
    InputRecord stations;
    stations.role = "stations";
    stations.source = "s.csv";
    stations.driver = "CSV";
    stations.features = 3;
    stations.crs = "EPSG:4326";
    stations.file_bytes = 10;
    stations.sha256 = "ab";
    p.inputs.push_back(stations);
    const auto doc = nlohmann::json::parse(to_json(p));
    EXPECT_EQ(doc["config"]["status_rule"], "centre");
    EXPECT_EQ(doc["inputs"][0]["features"], 3);
    EXPECT_EQ(doc["inputs"][0]["sha256"], "ab");
    EXPECT_FALSE(doc["inputs"][0].contains("raster_cols"));
    EXPECT_FALSE(doc["inputs"][0].contains("vintage"));
}

TEST(Provenance, RowsFlattenTheConfigAndNameEachInputByItsRole) {
    Provenance p;
    p.version = "0.1";
    p.config_json = R"({"hata": {"receiver_height_m": 1.5}, "settlements": null})";
    p.warnings.push_back({"read: 2 rows skipped", 3});
    InputRecord dem;
    dem.role = "dem";
    dem.raster_cols = 4;
    dem.raster_rows = 5;
    dem.vintage = "2020-01-31 (from the raster's TIFFTAG_DATETIME)";
    p.inputs.push_back(dem);
    std::map<std::string, std::string> rows;
    for (const auto& [key, value] : provenance_rows(p))
        rows[key] = value;
    EXPECT_EQ(rows.at("whitezone_version"), "0.1");
    EXPECT_EQ(rows.at("config.hata.receiver_height_m"), "1.5");
    EXPECT_EQ(rows.at("config.settlements"), "null");
    EXPECT_EQ(rows.at("warning.1.message"), "read: 2 rows skipped");
    EXPECT_EQ(rows.at("warning.1.count"), "3");
    EXPECT_EQ(rows.at("input.dem.raster_cols"), "4");
    EXPECT_EQ(rows.at("input.dem.vintage"), "2020-01-31 (from the raster's TIFFTAG_DATETIME)");
    EXPECT_EQ(rows.count("input.dem.sha256"), 0U);
}

} // namespace
} // namespace whitezone
