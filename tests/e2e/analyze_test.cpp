// End-to-end: `whitezone analyze` on the sample province in data/ (Lạng Sơn, described in
// data/README.md), in every output format, with 1 and 2 threads, and under a
// German locale. The tests check properties every correct run has (shares in [0, 1], the
// official rule, the summary agreeing with the villages), not golden numbers: the sample
// data may be regenerated; tests/e2e/analyze_inputs_test.cpp has the hand-computed answers.

#include "e2e/e2e.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace whitezone::test::e2e {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> sample_args(const std::string& out,
                                     const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"analyze",
                                  "--stations",
                                  sample_path("stations.csv"),
                                  "--villages",
                                  sample_path("villages.gpkg"),
                                  "--settlements",
                                  sample_path("settlements.gpkg"),
                                  "--out",
                                  out};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

bool contains(const std::vector<std::string>& items, const std::string& item) {
    return std::find(items.begin(), items.end(), item) != items.end();
}

// The summary's row for all villages.
const OutFeature& all_row(const std::vector<OutFeature>& summary) {
    return find_feature(summary, "level", "all");
}

// Village counts per status of one class, from the villages layer.
std::map<std::string, long> status_counts(const std::vector<OutFeature>& villages,
                                          const std::string& field) {
    std::map<std::string, long> out;
    for (const auto& v : villages)
        ++out[v.text(field)];
    return out;
}

// The summary's 'all' row agrees with the villages layer, for both classes. `suffix` maps a
// class to the field suffix the format uses ("_any"/"_broadband"; Shapefile "_any"/"_bb").
void expect_summary_matches(const std::vector<OutFeature>& villages,
                            const std::vector<OutFeature>& summary,
                            const std::string& status_prefix,
                            const std::map<std::string, std::string>& summary_fields) {
    const OutFeature& all = all_row(summary);
    EXPECT_EQ(all.number(summary_fields.at("villages")), static_cast<double>(villages.size()));
    for (const std::string cls : {"any", "broadband"}) {
        const std::string suffix =
            summary_fields.count("suffix_" + cls) ? summary_fields.at("suffix_" + cls) : cls;
        auto counts = status_counts(villages, status_prefix + suffix);
        EXPECT_EQ(all.number(summary_fields.at("covered") + suffix),
                  static_cast<double>(counts["covered"]))
            << cls;
        EXPECT_EQ(all.number(summary_fields.at("partial") + suffix),
                  static_cast<double>(counts["partial"]))
            << cls;
        EXPECT_EQ(all.number(summary_fields.at("white") + suffix),
                  static_cast<double>(counts["white"]))
            << cls;
    }
}

const std::map<std::string, std::string> kSummaryFields{{"villages", "villages"},
                                                        {"covered", "covered_"},
                                                        {"partial", "partial_"},
                                                        {"white", "white_"}};

// Fields the issue names as part of the villages layer (docs/output.md has the full list).
const std::vector<std::string> kVillageOutputFields{
    "share_any",        "share_broadband", "centre_any", "centre_broadband", "status_any",
    "status_broadband", "nearest_site_m",  "gap_score",  "gap_rank",         "cluster_id"};

TEST(SampleProvince, WritesEveryLayerAndASummaryThatAgreesWithTheVillages) {
    TempDir tmp;
    const std::string out = tmp.file("lang-son.gpkg");
    const RunResult r = run_in_process(sample_args(out));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(without_flag_warnings(r.err), "") << "a successful run writes nothing to stderr";

    // stdout: the summary table, then where the outputs are.
    EXPECT_NE(r.out.find("all villages"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("outputs: " + out), std::string::npos) << r.out;
    EXPECT_EQ(list_tree(tmp.path()), std::set<std::string>{"lang-son.gpkg"})
        << "no temporary file is left beside the output";

    const auto names = layer_names(out);
    for (const auto& layer : kLayers)
        EXPECT_TRUE(contains(names, layer)) << "missing layer " << layer;

    // villages: every input field with its values, in input order, plus the output fields.
    const auto input = read_layer_features(sample_path("villages.gpkg"), "villages");
    const auto villages = read_layer_features(out, "villages");
    ASSERT_EQ(villages.size(), input.size());
    const auto input_fields = field_names(sample_path("villages.gpkg"), "villages");
    const auto output_fields = field_names(out, "villages");
    ASSERT_FALSE(input_fields.empty());
    for (const auto& f : input_fields)
        EXPECT_TRUE(contains(output_fields, f)) << "input field " << f << " not carried";
    for (const auto& f : kVillageOutputFields)
        EXPECT_TRUE(contains(output_fields, f)) << "output field " << f << " missing";
    for (std::size_t i = 0; i < input.size(); ++i)
        for (const auto& f : input_fields)
            ASSERT_EQ(villages[i].text(f), input[i].text(f)) << "village " << i << ", " << f;

    const std::set<std::string> statuses{"white", "partial", "covered"};
    std::vector<long> ranks;
    long gaps = 0;
    for (const auto& v : villages) {
        const double any = v.number("share_any"), bb = v.number("share_broadband");
        EXPECT_GE(any, 0.0);
        EXPECT_LE(any, 1.0);
        EXPECT_GE(bb, 0.0);
        EXPECT_LE(bb, 1.0);
        // Broadband cells (3G+) are a subset of all cells.
        EXPECT_LE(bb, any + 1e-9) << v.text("village_id");
        EXPECT_LE(v.number("centre_broadband"), v.number("centre_any"));
        for (const std::string cls : {"any", "broadband"}) {
            const std::string& status = v.text("status_" + cls);
            EXPECT_TRUE(statuses.count(status)) << status;
            // The official rule: white exactly when the village centre has no signal.
            EXPECT_EQ(status == "white", v.number("centre_" + cls) == 0.0)
                << v.text("village_id") << " " << cls;
        }
        EXPECT_GE(v.number("nearest_site_m"), 0.0);
        // Gaps are ranked for the broadband class by default.
        const bool gap = v.text("status_broadband") != "covered";
        if (gap) {
            ++gaps;
            ranks.push_back(static_cast<long>(v.number("gap_rank")));
            EXPECT_GE(v.number("cluster_id"), 1.0);
            EXPECT_GE(v.number("gap_score"), 0.0);
        } else {
            EXPECT_EQ(v.text("gap_rank"), "") << v.text("village_id");
            EXPECT_EQ(v.text("cluster_id"), "") << v.text("village_id");
        }
    }
    std::sort(ranks.begin(), ranks.end());
    std::vector<long> expected(static_cast<std::size_t>(gaps));
    std::iota(expected.begin(), expected.end(), 1L);
    EXPECT_EQ(ranks, expected) << "gap_rank must be 1..N over the gap villages";

    // A plausible share of villages without full signal (the sample is a mountain province).
    for (const std::string cls : {"any", "broadband"}) {
        auto counts = status_counts(villages, "status_" + cls);
        const double gap_share = static_cast<double>(counts["white"] + counts["partial"]) /
                                 static_cast<double>(villages.size());
        EXPECT_GE(gap_share, 0.10) << cls;
        EXPECT_LE(gap_share, 0.50) << cls;
    }

    // summary: 'all' agrees with the villages; the districts add up to it.
    const auto summary = read_layer_features(out, "summary");
    expect_summary_matches(villages, summary, "status_", kSummaryFields);
    double district_villages = 0;
    for (const auto& row : summary)
        if (row.text("level") == "district")
            district_villages += row.number("villages");
    EXPECT_EQ(district_villages, static_cast<double>(villages.size()));

    // stations: one per input row, each with the radius used; sites count every cell.
    const auto input_stations = read_layer_features(sample_path("stations.csv"), "stations");
    const auto stations = read_layer_features(out, "stations");
    ASSERT_EQ(stations.size(), input_stations.size());
    for (const auto& s : stations) {
        EXPECT_GT(s.number("radius_m"), 0.0);
        EXPECT_NE(s.text("site_key"), "");
    }
    double cells = 0;
    for (const auto& s : read_layer_features(out, "sites"))
        cells += s.number("cells");
    EXPECT_EQ(cells, static_cast<double>(stations.size()));

    // coverage: one feature per class; broadband covers no more than any.
    const auto coverage = read_layer_features(out, "coverage");
    ASSERT_EQ(coverage.size(), 2u);
    const double any_km2 = find_feature(coverage, "class", "any").number("area_km2");
    const double bb_km2 = find_feature(coverage, "class", "broadband").number("area_km2");
    EXPECT_GT(bb_km2, 0.0);
    EXPECT_LE(bb_km2, any_km2 + 1e-6);
}

TEST(SampleProvince, GeoJsonFolderHoldsEveryLayerInLonLat) {
    TempDir tmp;
    const fs::path out = tmp.path() / "results";
    const RunResult r = run_in_process(sample_args(out.string(), {"--format", "geojson"}));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(without_flag_warnings(r.err), "");
    EXPECT_EQ(
        list_tree(tmp.path()),
        (std::set<std::string>{"results", "results/.whitezone.json", "results/villages.geojson",
                               "results/coverage.geojson", "results/stations.geojson",
                               "results/summary.geojson", "results/sites.geojson",
                               "results/summary_operators.geojson", "results/provenance.json"}));
    for (const auto& layer : kLayers)
        EXPECT_GT(feature_count((out / (layer + ".geojson")).string(), layer), 0) << layer;

    const std::string file = (out / "villages.geojson").string();
    const auto villages = read_layer_features(file, "villages");
    EXPECT_EQ(villages.size(),
              read_layer_features(sample_path("villages.gpkg"), "villages").size());
    // RFC 7946: WGS 84 longitude/latitude, no "crs" member. The villages' box must be the
    // input's (which is in lon/lat) to the 7 decimals GDAL writes.
    EXPECT_EQ(read_file(file).find("\"crs\""), std::string::npos);
    const auto got = layer_extent(file, "villages");
    const auto want = layer_extent(sample_path("villages.gpkg"), "villages");
    for (std::size_t i = 0; i < 4; ++i)
        EXPECT_NEAR(got[i], want[i], 1e-6) << "extent coordinate " << i;

    expect_summary_matches(villages,
                           read_layer_features((out / "summary.geojson").string(), "summary"),
                           "status_", kSummaryFields);
}

TEST(SampleProvince, ShapefileFolderHoldsEveryLayerWithShortFieldNames) {
    TempDir tmp;
    const fs::path out = tmp.path() / "results";
    const RunResult r = run_in_process(sample_args(out.string(), {"--format", "shp"}));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(without_flag_warnings(r.err), "");
    const auto files = list_tree(out);
    for (const char* f : {"villages.shp", "villages.shx", "villages.dbf", "villages.prj",
                          "coverage.shp", "stations.shp", "summary.dbf", "sites.dbf"})
        EXPECT_TRUE(files.count(f)) << "missing " << f;
    for (const auto& layer : kLayers) {
        const std::string file =
            (out / (layer + (layer == "summary" || layer == "sites" ? ".dbf" : ".shp"))).string();
        EXPECT_GT(feature_count(file, layer), 0) << layer;
    }
    // The work CRS (UTM 48N for Lạng Sơn) is in the .prj.
    EXPECT_NE(read_file(out / "villages.prj").find("48N"), std::string::npos);

    // dBase names are at most 10 characters; Vietnamese names survive (UTF-8).
    const std::string shp = (out / "villages.shp").string();
    const auto villages = read_layer_features(shp, "villages");
    const auto input = read_layer_features(sample_path("villages.gpkg"), "villages");
    ASSERT_EQ(villages.size(), input.size());
    for (const auto& name : field_names(shp, "villages"))
        EXPECT_LE(name.size(), 10u) << name;
    for (std::size_t i = 0; i < input.size(); ++i)
        ASSERT_EQ(villages[i].text("name"), input[i].text("name")) << "village " << i;
    for (const auto& v : villages) {
        EXPECT_GE(v.number("sh_any"), 0.0);
        EXPECT_LE(v.number("sh_bb"), 1.0);
    }
    expect_summary_matches(villages, read_layer_features((out / "summary.dbf").string(), "summary"),
                           "st_",
                           {{"villages", "villages"},
                            {"covered", "cov_"},
                            {"partial", "par_"},
                            {"white", "wht_"},
                            {"suffix_broadband", "bb"}});
}

TEST(SampleProvince, CsvFolderHoldsEveryLayerWithWktGeometry) {
    TempDir tmp;
    const fs::path out = tmp.path() / "results";
    const RunResult r = run_in_process(sample_args(out.string(), {"--format", "csv"}));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(without_flag_warnings(r.err), "");
    // Each CSV with its field types (.csvt) and, with geometry, its CRS (.prj).
    EXPECT_EQ(list_tree(out),
              (std::set<std::string>{
                  ".whitezone.json", "villages.csv", "villages.csvt", "villages.prj",
                  "coverage.csv", "coverage.csvt", "coverage.prj", "stations.csv", "stations.csvt",
                  "stations.prj", "summary.csv", "summary.csvt", "sites.csv", "sites.csvt",
                  "summary_operators.csv", "summary_operators.csvt", "provenance.json"}));
    for (const auto& layer : kLayers)
        EXPECT_GT(feature_count((out / (layer + ".csv")).string(), layer), 0) << layer;
    const std::string file = (out / "villages.csv").string();
    const auto villages = read_layer_features(file, "villages");
    EXPECT_EQ(villages.size(),
              read_layer_features(sample_path("villages.gpkg"), "villages").size());
    ASSERT_FALSE(villages.empty());
    EXPECT_EQ(villages.front().wkt.rfind("MULTIPOLYGON", 0), 0u) << "geometry as WKT";
    for (const auto& f : kVillageOutputFields)
        EXPECT_TRUE(villages.front().fields.count(f)) << f;
    expect_summary_matches(villages, read_layer_features((out / "summary.csv").string(), "summary"),
                           "status_", kSummaryFields);
}

TEST(SampleProvince, SameOutputsWithOneAndTwoThreads) {
    TempDir tmp;
    const std::string one = tmp.file("one.gpkg"), two = tmp.file("two.gpkg");
    const RunResult r1 = run_in_process(sample_args(one, {"--threads", "1"}));
    const RunResult r2 = run_in_process(sample_args(two, {"--threads", "2"}));
    ASSERT_EQ(r1.code, 0) << r1.err;
    ASSERT_EQ(r2.code, 0) << r2.err;
    expect_same_features(read_layer_features(one, "villages"),
                         read_layer_features(two, "villages"));
    expect_same_features(read_layer_features(one, "summary"), read_layer_features(two, "summary"));
    expect_same_features(read_layer_features(one, "coverage"),
                         read_layer_features(two, "coverage"));
    EXPECT_EQ(without_path(r1.out, one), without_path(r2.out, two));
}

// Numbers must be read and written with a decimal point whatever the locale (PDAL and PROJ
// run their tests once under a German locale). This runs the real binary: main() does not
// call setlocale() today, so this guards against a program that starts to honour the
// environment's locale (the in-process test in analyze_inputs_test.cpp sets the locale
// itself). stderr is a file here, so it also checks that no progress bar is drawn when stderr
// is not a terminal.
TEST(SampleProvince, GermanLocaleGivesTheSameOutputs) {
    TempDir tmp;
    const std::string plain = tmp.file("plain.gpkg"), german = tmp.file("german.gpkg");
    const std::vector<std::string> no_settlements{"analyze", "--stations",
                                                  sample_path("stations.csv"), "--villages",
                                                  sample_path("villages.gpkg")};
    auto with_out = [&](const std::string& out) {
        auto args = no_settlements;
        args.insert(args.end(), {"--out", out});
        return args;
    };
    const RunResult a = run_binary(with_out(plain));
    const RunResult b = run_binary(with_out(german), {"LC_ALL=de_DE.UTF-8", "LANG=de_DE.UTF-8"});
    ASSERT_EQ(a.code, 0) << a.err;
    ASSERT_EQ(b.code, 0) << b.err;
    EXPECT_EQ(without_flag_warnings(a.err), "");
    EXPECT_EQ(without_flag_warnings(b.err), "");
    EXPECT_EQ(without_path(a.out, plain), without_path(b.out, german));
    expect_same_features(read_layer_features(plain, "villages"),
                         read_layer_features(german, "villages"));
    expect_same_features(read_layer_features(plain, "stations"),
                         read_layer_features(german, "stations"));
}

} // namespace
} // namespace whitezone::test::e2e
