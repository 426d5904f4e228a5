// End-to-end: tiny hand-made inputs whose answers are known: shares and statuses computed by
// hand, other input formats (CSV with WKT or x/y columns in a projected CRS), OpenCelliD
// exports with and without their header, repaired polygons and duplicate ids.

#include "e2e/e2e.hpp"

#include <gtest/gtest.h>

#include <clocale>
#include <locale>

namespace whitezone::test::e2e {
namespace {

namespace fs = std::filesystem;

// tests/data/known_*.geojson, in UTM 48N (EPSG:32648, metres; also the work CRS the
// villages choose, so nothing is reprojected). One Viettel site S at (600000, 2400000) with
// a 2G cell (radius 5000 m) and a 4G cell (3500 m); known_config.json sets these radii and
// 128 segments per quarter circle, so the drawn disk is within 0.07 m of the true circle.
// Five 100 m x 100 m villages, centres given relative to S:
//
//                                  V5 (10000, 10000)  outside both disks
//      V1 (0, 1000)    inside both disks
//      S ------------- V2 (3480, 0) - V3 (4500, 0)
//      |                 4G edge        inside 2G only
//      V4 (0, -4990)   2G edge
//
// V2 spans x = 3430..3530: the 4G circle x = sqrt(3500² − y²) ≈ 3500 − y²/7000 cuts it, so
//   share_broadband = (100·70 − ∫₋₅₀⁵⁰ y²/7000 dy) / 100² = (7000 − 11.9) / 10000 = 0.699;
//   its centre (3480 m from S) has signal: partial (share < covered_from 0.80).
// V4 spans y = −5040..−4940: the 2G circle y ≈ −(5000 − x²/10000) cuts it, so
//   share_any = (100·60 − ∫₋₅₀⁵⁰ x²/10000 dx) / 100² = (6000 − 8.3) / 10000 = 0.599;
//   its centre (4990 m) has 2G signal: partial; no broadband: white.
// V3: nearest point 4450 m, farthest corner 4550.3 m: all 2G, no 4G.
// Without settlements a village with signal at its centre is covered from share 0.80 on.
struct Expected {
    const char* id;
    double share_any, share_broadband;
    int centre_any, centre_broadband;
    const char* status_any;
    const char* status_broadband;
    double nearest_site_m;
};
const Expected kKnown[] = {
    // id   share any  bb     centre   status any  status bb  nearest site
    {"V1", 1.00, 1.00, 1, 1, "covered", "covered", 1000.0},
    {"V2", 1.00, 0.699, 1, 1, "covered", "partial", 3480.0},
    {"V3", 1.00, 0.00, 1, 0, "covered", "white", 4500.0},
    {"V4", 0.599, 0.00, 1, 0, "partial", "white", 4990.0},
    {"V5", 0.00, 0.00, 0, 0, "white", "white", 14142.14}, // 10000·√2
};

void expect_known_answers(const std::vector<OutFeature>& villages) {
    ASSERT_EQ(villages.size(), std::size(kKnown));
    for (const auto& k : kKnown) {
        SCOPED_TRACE(k.id);
        const OutFeature& v = find_feature(villages, "village_id", k.id);
        EXPECT_NEAR(v.number("share_any"), k.share_any, 0.01);
        EXPECT_NEAR(v.number("share_broadband"), k.share_broadband, 0.01);
        EXPECT_EQ(v.number("centre_any"), k.centre_any);
        EXPECT_EQ(v.number("centre_broadband"), k.centre_broadband);
        EXPECT_EQ(v.text("status_any"), k.status_any);
        EXPECT_EQ(v.text("status_broadband"), k.status_broadband);
        EXPECT_NEAR(v.number("nearest_site_m"), k.nearest_site_m, 0.01);
    }
}

TEST(KnownAnswers, SharesAndStatusesMatchTheHandComputation) {
    TempDir tmp;
    const std::string out = tmp.file("known.gpkg");
    const RunResult r = run_in_process(known_args(out));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(without_flag_warnings(r.err), "");
    EXPECT_NE(r.out.find("CRS EPSG:32648"), std::string::npos) << r.out;

    const auto villages = read_layer_features(out, "villages");
    expect_known_answers(villages);

    // People without signal = population × (1 − share): V2 has 200 people.
    EXPECT_NEAR(find_feature(villages, "village_id", "V2").number("people_without_broadband"),
                200 * (1 - 0.699), 2.0);
    EXPECT_NEAR(find_feature(villages, "village_id", "V4").number("area_m2"), 10000.0, 1e-6);

    // Broadband gaps: V2 (partial), V3, V4, V5 (white), ranked 1..4. V2 and V3 are 1020 m
    // apart (< 3500 m, one tower reaches both): one cluster; V4 and V5 are alone.
    std::set<double> ranks;
    for (const char* id : {"V2", "V3", "V4", "V5"})
        ranks.insert(find_feature(villages, "village_id", id).number("gap_rank"));
    EXPECT_EQ(ranks, (std::set<double>{1, 2, 3, 4}));
    EXPECT_EQ(find_feature(villages, "village_id", "V1").text("gap_rank"), "");
    auto cluster = [&](const char* id) {
        return find_feature(villages, "village_id", id).number("cluster_id");
    };
    EXPECT_EQ(cluster("V2"), cluster("V3"));
    EXPECT_NE(cluster("V2"), cluster("V4"));
    EXPECT_NE(cluster("V4"), cluster("V5"));
    EXPECT_NE(cluster("V2"), cluster("V5"));
    EXPECT_EQ(find_feature(villages, "village_id", "V2").number("reach_villages"), 2);

    // summary, all villages: any 3 covered / 1 partial / 1 white; broadband 1 / 1 / 3.
    const auto summary = read_layer_features(out, "summary");
    const OutFeature& all = find_feature(summary, "level", "all");
    EXPECT_EQ(all.number("villages"), 5);
    EXPECT_EQ(all.number("covered_any"), 3);
    EXPECT_EQ(all.number("partial_any"), 1);
    EXPECT_EQ(all.number("white_any"), 1);
    EXPECT_EQ(all.number("covered_broadband"), 1);
    EXPECT_EQ(all.number("partial_broadband"), 1);
    EXPECT_EQ(all.number("white_broadband"), 3);
    EXPECT_NEAR(all.number("coverage_rate_any"), 0.6, 1e-9);

    // stations: the technology radii from the config; one site.
    const auto stations = read_layer_features(out, "stations");
    ASSERT_EQ(stations.size(), 2u);
    EXPECT_EQ(find_feature(stations, "technology", "2G").number("radius_m"), 5000.0);
    EXPECT_EQ(find_feature(stations, "technology", "4G").number("radius_m"), 3500.0);
    EXPECT_EQ(find_feature(stations, "technology", "4G").text("radius_source"), "technology");
    EXPECT_EQ(stations[0].text("site_key"), stations[1].text("site_key"));

    // coverage: the 2G disk is π·5000² m² = 78.54 km²; broadband the 4G disk, 38.48 km².
    const auto coverage = read_layer_features(out, "coverage");
    EXPECT_NEAR(find_feature(coverage, "class", "any").number("area_km2"), 78.54, 0.01);
    EXPECT_NEAR(find_feature(coverage, "class", "broadband").number("area_km2"), 38.48, 0.01);
}

// The official rule with residential clusters: a settlement at (0, 1030) in V1 has both
// classes; one at (3520, 20) in V2 is 3520.06 m from S, outside the 4G disk: V2 is partial
// for broadband because of it (basis "clusters"), covered for any.
TEST(KnownAnswers, SettlementsWithoutSignalMakeAVillagePartial) {
    TempDir tmp;
    const std::string out = tmp.file("known.gpkg");
    const RunResult r =
        run_in_process(known_args(out, {"--settlements", data_path("known_settlements.geojson")}));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(without_flag_warnings(r.err), "");
    const auto villages = read_layer_features(out, "villages");
    const OutFeature& v1 = find_feature(villages, "village_id", "V1");
    EXPECT_EQ(v1.text("status_broadband"), "covered");
    EXPECT_EQ(v1.text("status_basis_broadband"), "clusters");
    EXPECT_EQ(v1.number("clusters"), 1);
    const OutFeature& v2 = find_feature(villages, "village_id", "V2");
    EXPECT_EQ(v2.text("status_any"), "covered");
    EXPECT_EQ(v2.text("status_broadband"), "partial");
    EXPECT_EQ(v2.text("status_basis_broadband"), "clusters");
    EXPECT_EQ(v2.number("clusters_without_broadband"), 1);
    EXPECT_EQ(v2.number("clusters_without_any"), 0);
    // A village without settlements keeps the share-based answer.
    EXPECT_EQ(find_feature(villages, "village_id", "V4").text("status_any"), "partial");
}

// The same villages as CSV with a WKT column and the station as x/y columns, both in UTM:
// CSV is taken as WGS 84 unless the config says otherwise ("villages.crs", "stations.crs").
TEST(KnownAnswers, CsvWithWktAndXyColumnsInTheConfiguredCrsGivesTheSameAnswers) {
    TempDir tmp;
    const std::string out = tmp.file("known.gpkg");
    const RunResult r = run_in_process({"analyze", "--stations", data_path("known_stations.csv"),
                                        "--villages", data_path("known_villages.csv"), "--config",
                                        data_path("known_config_utm_csv.json"), "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(without_flag_warnings(r.err), "");
    expect_known_answers(read_layer_features(out, "villages"));
}

// The cultural house of V2 (tests/data/known_centres.geojson) stands at (3520, 40) inside the
// village, 3520.2 m from S: outside the 4G disk, so V2 is white for broadband although 70% of
// its area has 4G (the official rule looks at the centre). Also reads the layers by name.
TEST(KnownAnswers, GivenCentresDecideTheStatus) {
    TempDir tmp;
    const std::string out = tmp.file("known.gpkg");
    const RunResult r = run_in_process(
        known_args(out, {"--centres", data_path("known_centres.geojson"), "--villages-layer",
                         "known_villages", "--stations-layer", "known_stations"}));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(without_flag_warnings(r.err), "");
    const auto villages = read_layer_features(out, "villages");
    const OutFeature& v2 = find_feature(villages, "village_id", "V2");
    EXPECT_EQ(v2.text("centre_source"), "given");
    EXPECT_EQ(v2.number("centre_broadband"), 0);
    EXPECT_EQ(v2.text("status_broadband"), "white");
    EXPECT_NEAR(v2.number("share_broadband"), 0.699, 0.01);
    EXPECT_NEAR(v2.number("nearest_site_m"), 3520.23, 0.01);
    EXPECT_EQ(find_feature(villages, "village_id", "V1").text("centre_source"), "point_on_surface");
}

// Villages known only as points (x/y columns, UTM via the config): the centre alone decides,
// share 1 or 0, no area.
TEST(KnownAnswers, PointVillagesAreJudgedByTheirPoint) {
    TempDir tmp;
    const std::string out = tmp.file("points.gpkg");
    const RunResult r = run_in_process({"analyze", "--stations", data_path("known_stations.csv"),
                                        "--villages", data_path("point_villages.csv"), "--config",
                                        data_path("known_config_utm_csv.json"), "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(without_flag_warnings(r.err), "");
    const auto villages = read_layer_features(out, "villages");
    ASSERT_EQ(villages.size(), 5u);
    const char* any[] = {"covered", "covered", "covered", "covered", "white"};
    const char* broadband[] = {"covered", "covered", "white", "white", "white"};
    for (std::size_t i = 0; i < villages.size(); ++i) {
        SCOPED_TRACE(villages[i].text("village_id"));
        EXPECT_EQ(villages[i].text("status_any"), any[i]);
        EXPECT_EQ(villages[i].text("status_broadband"), broadband[i]);
        EXPECT_EQ(villages[i].number("share_broadband"),
                  std::string(broadband[i]) == "covered" ? 1.0 : 0.0);
        EXPECT_EQ(villages[i].text("centre_source"), "point");
        EXPECT_EQ(villages[i].number("area_m2"), 0.0);
        EXPECT_EQ(villages[i].wkt.rfind("POINT", 0), 0u) << villages[i].wkt;
    }
    EXPECT_NEAR(villages[3].number("nearest_site_m"), 4990.0, 0.01);
}

TEST(KnownAnswers, VerboseLogsEachStageOnStderr) {
    TempDir tmp;
    const RunResult r = run_in_process(known_args(tmp.file("known.gpkg"), {"-v"}));
    ASSERT_EQ(r.code, 0) << r.err;
    for (const char* stage :
         {"read: ", "prepare: ", "coverage: ", "overlay: ", "classify: ", "rank: ", "write: "})
        EXPECT_NE(r.err.find(stage), std::string::npos) << stage << " not logged:\n" << r.err;
    EXPECT_EQ(without_flag_warnings(r.err).find("warning"), std::string::npos) << r.err;
}

TEST(KnownAnswers, DefaultOutputIsAGeoPackageInTheWorkingDirectory) {
    TempDir tmp;
    const fs::path before = fs::current_path();
    fs::current_path(tmp.path());
    std::vector<std::string> args = known_args("unused");
    args.resize(args.size() - 2); // no --out
    const RunResult r = run_in_process(args);
    fs::current_path(before);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(list_tree(tmp.path()), std::set<std::string>{"whitezone-results.gpkg"});
    EXPECT_NE(r.out.find("outputs: whitezone-results.gpkg"), std::string::npos) << r.out;
    expect_known_answers(read_layer_features(tmp.file("whitezone-results.gpkg"), "villages"));
}

// Number parsing and formatting inside the process under a German C and C++ locale (the
// binary test in analyze_test.cpp only sets the environment, which the program need not
// apply). Skipped where the locale is not installed (Debian: locales, then
// `localedef -i de_DE -f UTF-8 de_DE.UTF-8`).
TEST(KnownAnswers, GermanLocaleInProcessReadsCsvAndJsonNumbers) {
    const std::string saved = std::setlocale(LC_ALL, nullptr);
    if (!std::setlocale(LC_ALL, "de_DE.UTF-8"))
        GTEST_SKIP() << "locale de_DE.UTF-8 is not installed";
    const std::locale saved_cpp = std::locale::global(std::locale("de_DE.UTF-8"));
    TempDir tmp;
    const std::string out = tmp.file("known.gpkg");
    const RunResult r = run_in_process({"analyze", "--stations", data_path("known_stations.csv"),
                                        "--villages", data_path("known_villages.csv"), "--config",
                                        data_path("known_config_utm_csv.json"), "--out", out});
    std::locale::global(saved_cpp);
    std::setlocale(LC_ALL, saved.c_str());
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(without_flag_warnings(r.err), "");
    EXPECT_NE(r.out.find("60.0%"), std::string::npos) << "rates printed with a point:\n" << r.out;
    expect_known_answers(read_layer_features(out, "villages"));
}

// tests/data/opencellid.csv: the OpenCelliD header and 7 cells.
//   rows 1-4  Viettel (452/4)   GSM, UMTS, LTE at A; LTE 14 m from A  -> one site
//   row 5     VinaPhone (452/2) LTE at A                              -> its own site
//   rows 6-7  MobiFone (452/1)  UMTS (range 200000: clamped), LTE at B -> one site
void expect_opencellid_sites(const std::string& out) {
    const auto stations = read_layer_features(out, "stations");
    ASSERT_EQ(stations.size(), 7u);
    const std::vector<std::string> operators{"Viettel",   "Viettel",  "Viettel", "Viettel",
                                             "VinaPhone", "MobiFone", "MobiFone"};
    const std::vector<std::string> techs{"2G", "3G", "4G", "4G", "4G", "3G", "4G"};
    for (std::size_t i = 0; i < stations.size(); ++i) {
        EXPECT_EQ(stations[i].text("operator_name"), operators[i]) << "row " << i + 1;
        EXPECT_EQ(stations[i].text("technology"), techs[i]) << "row " << i + 1;
    }
    const auto key = [&](std::size_t row) { return stations[row - 1].text("site_key"); };
    EXPECT_NE(key(1), "");
    for (std::size_t row : {2, 3, 4})
        EXPECT_EQ(key(row), key(1)) << "Viettel cells at one place are one site";
    EXPECT_NE(key(5), key(1)) << "another operator at the same place is another site";
    EXPECT_EQ(key(7), key(6));
    EXPECT_NE(key(6), key(1));
    EXPECT_NE(key(6), key(5));

    // The implausible range is clamped to max_range_m and flagged; the others are used.
    EXPECT_EQ(stations[5].text("range_flag"), "clamped_high");
    EXPECT_EQ(stations[5].number("radius_m"), 35000.0);
    EXPECT_EQ(stations[0].text("range_flag"), "");
    EXPECT_EQ(stations[0].number("radius_m"), 1500.0);
    EXPECT_EQ(stations[0].text("radius_source"), "station");

    // sites: per operator and technology, Viettel's two LTE cells are one 4G site.
    const auto sites = read_layer_features(out, "sites");
    ASSERT_EQ(sites.size(), 6u);
    long total_cells = 0;
    for (const auto& s : sites) {
        EXPECT_EQ(s.number("sites"), 1) << s.text("operator") << " " << s.text("technology");
        total_cells += static_cast<long>(s.number("cells"));
    }
    EXPECT_EQ(total_cells, 7);
    for (const auto& s : sites) {
        if (s.text("operator") == "Viettel" && s.text("technology") == "4G") {
            EXPECT_EQ(s.number("cells"), 2);
        }
    }
}

std::vector<std::string> opencellid_args(const std::string& stations, const std::string& out) {
    return {"analyze", "--stations", stations, "--villages", data_path("wgs84_villages.geojson"),
            "--out",   out};
}

TEST(OpenCellid, ExportWithHeaderBecomesSitesPerOperatorAndPlace) {
    TempDir tmp;
    const std::string out = tmp.file("ocid.gpkg");
    const RunResult r = run_in_process(opencellid_args(data_path("opencellid.csv"), out));
    ASSERT_EQ(r.code, 0) << r.err;
    // The clamp is reported (row 6), and that the clamped 35 km range alone reaches W3
    // (docs/method.md#11-sanity-checks-on-the-inputs); nothing else but the village flags.
    EXPECT_NE(r.err.find("clamped"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("row 6"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("own ranges alone"), std::string::npos) << r.err;
    EXPECT_EQ(line_count(without_flag_warnings(r.err)), 2u) << r.err;
    expect_opencellid_sites(out);
    // The input columns are carried as read.
    const auto stations = read_layer_features(out, "stations");
    EXPECT_EQ(stations[5].text("range"), "200000");
    EXPECT_EQ(stations[0].text("radio"), "GSM");
    EXPECT_EQ(stations[0].text("mcc"), "452");
}

TEST(OpenCellid, HeaderlessCountryExportReadsLikeTheHeaderedOne) {
    TempDir tmp;
    const std::string with = tmp.file("with.gpkg"), without = tmp.file("without.gpkg");
    const RunResult a = run_in_process(opencellid_args(data_path("opencellid.csv"), with));
    const RunResult b =
        run_in_process(opencellid_args(data_path("opencellid_noheader.csv"), without));
    ASSERT_EQ(a.code, 0) << a.err;
    ASSERT_EQ(b.code, 0) << b.err;
    expect_opencellid_sites(without);
    expect_same_features(read_layer_features(with, "stations"),
                         read_layer_features(without, "stations"));
    expect_same_features(read_layer_features(with, "villages"),
                         read_layer_features(without, "villages"));
}

// tests/data/invalid_villages.geojson: row 3 is a bow-tie (a self-intersecting ring, two
// triangles of 2500 m² each); rows 1 and 2 share the id 'V1'.
TEST(RepairedInput, BowTieVillageIsRepairedAndCountedInAWarning) {
    TempDir tmp;
    const std::string out = tmp.file("repaired.gpkg");
    const RunResult r =
        run_in_process({"analyze", "--stations", data_path("known_stations.geojson"), "--villages",
                        data_path("invalid_villages.geojson"), "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("warning: prepare: repaired 1 invalid village polygon"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("(row 3)"), std::string::npos) << r.err;
    const auto villages = read_layer_features(out, "villages");
    ASSERT_EQ(villages.size(), 3u);
    EXPECT_NEAR(villages[2].number("area_m2"), 5000.0, 1e-6);
    EXPECT_NEAR(villages[2].number("share_any"), 1.0, 1e-9);
}

TEST(RepairedInput, DuplicateVillageIdsAreWarned) {
    TempDir tmp;
    const RunResult r =
        run_in_process({"analyze", "--stations", data_path("known_stations.geojson"), "--villages",
                        data_path("invalid_villages.geojson"), "--out", tmp.file("dup.gpkg")});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("repeat an id already used (row 2)"), std::string::npos) << r.err;
    // Both villages are kept.
    EXPECT_EQ(feature_count(tmp.file("dup.gpkg"), "villages"), 3);
}

} // namespace
} // namespace whitezone::test::e2e
