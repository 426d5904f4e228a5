// End-to-end: the village flags (docs/output.md#flags) and the sanity checks of the inputs
// (docs/method.md#11-sanity-checks-on-the-inputs): blank populations, stations far from the
// villages, OpenCelliD ranges with and without use_station_range, NFD names.

#include "e2e/e2e.hpp"

#include <gtest/gtest.h>

#include <map>

namespace whitezone::test::e2e {
namespace {

// tests/data/known_villages.geojson with the population of V1 and V2 removed.
std::string villages_without_population(const TempDir& tmp) {
    std::string text = read_file(data_path("known_villages.geojson"));
    for (const char* pop : {"\"population\": 100, ", "\"population\": 200, "}) {
        const auto at = text.find(pop);
        EXPECT_NE(at, std::string::npos) << pop;
        if (at != std::string::npos)
            text.erase(at, std::string(pop).size());
    }
    return tmp.write("villages.geojson", text);
}

TEST(Flags, BlankPopulationsAreFlaggedCountedAndWarnedOnce) {
    TempDir tmp;
    const std::string out = tmp.file("out.gpkg");
    const RunResult r =
        run_in_process({"analyze", "--stations", data_path("known_stations.geojson"), "--villages",
                        villages_without_population(tmp), "--config",
                        data_path("known_config.json"), "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("warning: villages: 2 villages flagged no_population ("),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("warning: villages: 2 villages flagged households_as_people ("),
              std::string::npos)
        << r.err;
    const auto villages = read_layer_features(out, "villages");
    EXPECT_EQ(find_feature(villages, "village_id", "V1").text("flags"),
              "no_population,households_as_people,power_unknown,centre_estimated");
    EXPECT_EQ(find_feature(villages, "village_id", "V3").text("flags"),
              "power_unknown,centre_estimated");

    // The summary's counts are the villages layer's, flag by flag.
    std::map<std::string, long> counted;
    long flagged = 0;
    for (const auto& v : villages) {
        const std::string flags = v.text("flags");
        flagged += flags.empty() ? 0 : 1;
        std::size_t start = 0;
        while (start < flags.size()) {
            const std::size_t end = std::min(flags.find(',', start), flags.size());
            ++counted[flags.substr(start, end - start)];
            start = end + 1;
        }
    }
    const auto summary = read_layer_features(out, "summary");
    const OutFeature& all = find_feature(summary, "level", "all");
    EXPECT_EQ(all.number("flagged"), flagged);
    for (const char* flag : {"no_population", "households_as_people", "power_unknown",
                             "centre_outside", "centre_estimated", "repaired", "no_dem",
                             "dem_partial", "far_from_stations", "settlement_unmatched"})
        EXPECT_EQ(all.number(std::string("flag_") + flag), counted[flag]) << flag;
    EXPECT_EQ(counted["no_population"], 2);
}

// tests/data/known_stations.csv (one site at (600000, 2400000), EPSG:32648), moved by `dx`.
std::string stations_csv(const TempDir& tmp, const std::string& name,
                         const std::vector<std::pair<double, double>>& sites) {
    std::string text = "site_id,operator,tech,x,y\n";
    int n = 0;
    for (const auto& [x, y] : sites) {
        const std::string id = "VT-" + std::to_string(++n);
        for (const char* tech : {"2G", "4G"})
            text +=
                id + ",Viettel," + tech + "," + std::to_string(x) + "," + std::to_string(y) + "\n";
    }
    return tmp.write(name, text);
}

std::vector<std::string> csv_args(const std::string& stations, const std::string& out) {
    return {"analyze",
            "--stations",
            stations,
            "--villages",
            data_path("known_villages.csv"),
            "--config",
            data_path("known_config_utm_csv.json"),
            "--out",
            out};
}

TEST(Flags, AStationFileFarFromEveryVillageStopsWithExitCode2) {
    TempDir tmp;
    const std::string stations = stations_csv(tmp, "far.csv", {{600000.0, 2800000.0}});
    const RunResult r = run_in_process(csv_args(stations, tmp.file("out.gpkg")));
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("none of the 2 stations in '" + stations +
                         "' lies within 5,000 m (the widest footprint's reach) of any village"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("row 1 (site 'VT-1') at "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("not swapped"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(tmp.file("out.gpkg")));
}

TEST(Flags, AStationFilePartlyFarFromTheVillagesIsWarnedWithCountAndExample) {
    TempDir tmp;
    const std::string stations =
        stations_csv(tmp, "part.csv", {{600000.0, 2400000.0}, {600000.0, 2800000.0}});
    const std::string out = tmp.file("out.gpkg");
    const RunResult r = run_in_process(csv_args(stations, out));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("warning: prepare: 2 of 4 stations (50.0 %) in '" + stations +
                         "' lie farther than 5,000 m from every village and serve none, e.g. "
                         "row 3 (site 'VT-2') at "),
              std::string::npos)
        << r.err;
    // V5 (14 km from the site) has no station within reach; V1 has.
    const auto villages = read_layer_features(out, "villages");
    EXPECT_NE(find_feature(villages, "village_id", "V5").text("flags").find("far_from_stations"),
              std::string::npos);
    EXPECT_EQ(find_feature(villages, "village_id", "V1").text("flags").find("far_from_stations"),
              std::string::npos);
}

// tests/data/opencellid.csv: MobiFone's 3G cell at B has range 200 km, which reaches W3 (12 km
// from B) where the 3 km technology radius does not.
TEST(Flags, OpenCellidRangesThatAloneCoverVillagesAreWarnedWithHowToTurnThemOff) {
    TempDir tmp;
    const std::string out = tmp.file("ocid.gpkg");
    const RunResult r =
        run_in_process({"analyze", "--stations", data_path("opencellid.csv"), "--villages",
                        data_path("wgs84_villages.geojson"), "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("warning: coverage: the stations' own ranges alone give signal at the "
                         "centre of 1 of 3 villages (33.3 %)"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("\"use_station_range\": false"), std::string::npos) << r.err;
    const auto stations = read_layer_features(out, "stations");
    EXPECT_EQ(stations[5].text("range_flag"), "clamped_high");
}

TEST(Flags, OpenCellidRangesAreNeitherClampedNorFlaggedWhenNotUsed) {
    TempDir tmp;
    const std::string out = tmp.file("ocid.gpkg");
    const std::string config = tmp.write("c.json", R"({"use_station_range": false})");
    const RunResult r =
        run_in_process({"analyze", "--stations", data_path("opencellid.csv"), "--villages",
                        data_path("wgs84_villages.geojson"), "--config", config, "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err.find("clamped"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("own ranges"), std::string::npos) << r.err;
    EXPECT_EQ(without_flag_warnings(r.err), "");
    const auto stations = read_layer_features(out, "stations");
    ASSERT_EQ(stations.size(), 7u);
    for (const auto& s : stations) {
        EXPECT_EQ(s.text("range_flag"), "");
        EXPECT_NE(s.text("radius_source"), "station");
    }
}

TEST(Flags, NamesInDecomposedUnicodeAreStillOneProvince) {
    TempDir tmp;
    // known_villages.geojson with "Tỉnh Kiểm" decomposed (NFD) in V1 only.
    std::string text = read_file(data_path("known_villages.geojson"));
    const std::string nfc = "T\xe1\xbb\x89nh Ki\xe1\xbb\x83m"; // Tỉnh Kiểm, precomposed
    const std::string nfd = "Ti\xcc\x89nh Kie\xcc\x82\xcc\x89m";
    const auto at = text.find(nfc);
    ASSERT_NE(at, std::string::npos);
    text.replace(at, nfc.size(), nfd);
    const std::string villages = tmp.write("nfd.geojson", text);
    const std::string out = tmp.file("out.gpkg");
    const RunResult r =
        run_in_process({"analyze", "--stations", data_path("known_stations.geojson"), "--villages",
                        villages, "--config", data_path("known_config.json"), "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    long provinces = 0;
    for (const auto& row : read_layer_features(out, "summary"))
        provinces += row.text("level") == "province" ? 1 : 0;
    EXPECT_EQ(provinces, 1);
}

} // namespace
} // namespace whitezone::test::e2e
