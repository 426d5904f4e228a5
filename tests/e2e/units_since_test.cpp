// End-to-end: the units of --units beyond analyze's own summary. The `trend_units` table, the
// "since last year" columns of `analyze --baseline`, the `change_summary` of `compare` and
// the report's table per unit all carry `unit` rows, identified by the unit's code as in the
// summary; a baseline analyzed without --units is counted in the units of its matched
// villages.
//
// The case: three 100 m villages 10 km apart on one line (UTM 48N), each with its own 4G
// site (3,500 m with known_config.json, so a site covers its own village only), on air in
// 2018, 2020 and 2022. Two units: U1 "Xã Một" holds V1 and V2, U2 "Xã Hai" holds V3. Last
// year's network is S1 alone (V1 covered, V2 and V3 white); this year's has all three.
//
//     y = 2,400,000   V1 ------ V2 ------ V3        x = 600, 610, 620 km
//                   |---- U1 "Xã Một" ----|- U2 -|  split at x = 615 km

#include "e2e/e2e.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace whitezone::test::e2e {
namespace {

constexpr const char* kCrs =
    R"("crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32648"}},)";

std::string collection(const std::string& features) {
    return R"({"type": "FeatureCollection", )" + std::string(kCrs) + "\n\"features\": [\n" +
           features + "\n]}\n";
}

std::string square(double x, double y, double half) {
    const std::string x0 = std::to_string(x - half), x1 = std::to_string(x + half);
    const std::string y0 = std::to_string(y - half), y1 = std::to_string(y + half);
    return R"({"type": "Polygon", "coordinates": [[[)" + x0 + "," + y0 + "],[" + x1 + "," + y0 +
           "],[" + x1 + "," + y1 + "],[" + x0 + "," + y1 + "],[" + x0 + "," + y0 + "]]]}";
}

std::string rectangle(double x0, double x1) {
    const std::string a = std::to_string(x0), b = std::to_string(x1);
    return R"({"type": "Polygon", "coordinates": [[[)" + a + ",2390000],[" + b + ",2390000],[" + b +
           ",2410000],[" + a + ",2410000],[" + a + ",2390000]]]}";
}

class UnitsSince : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_tmp = new TempDir();
        std::string villages;
        for (int i = 0; i < 3; ++i)
            villages += std::string(i ? ",\n" : "") +
                        R"({"type": "Feature", "properties": {"village_id": "V)" +
                        std::to_string(i + 1) +
                        R"(", "commune": "Xã Cũ", "province": "Tỉnh P", "population": 100}, )"
                        R"("geometry": )" +
                        square(600000 + 10000 * i, 2400000, 50) + "}";
        s_tmp->write("villages.geojson", collection(villages));
        s_tmp->write("stations_last.geojson", collection(station(1, "2018")));
        s_tmp->write("stations.geojson",
                     collection(station(1, "2018") + ",\n" + station(2, "2020") + ",\n" +
                                station(3, "2022")));
        s_tmp->write(
            "units.geojson",
            collection(
                R"({"type": "Feature", "properties": {"ma": "U1", "ten": "Xã Một", "cap": "xã", )"
                R"("ma_cha": "P"}, "geometry": )" +
                rectangle(590000, 615000) +
                "},\n"
                R"({"type": "Feature", "properties": {"ma": "U2", "ten": "Xã Hai", "cap": "xã", )"
                R"("ma_cha": "P"}, "geometry": )" +
                rectangle(615000, 630000) + "}"));
        // Last year with and without the units; this year with them.
        for (const auto& [stations, units, out] :
             {std::tuple{"stations_last.geojson", true, "last.gpkg"},
              std::tuple{"stations_last.geojson", false, "last_no_units.gpkg"},
              std::tuple{"stations.geojson", true, "this.gpkg"}}) {
            const RunResult r = run_in_process(analyze(stations, out, units));
            ASSERT_EQ(r.code, 0) << r.err;
        }
    }
    static void TearDownTestSuite() {
        delete s_tmp;
        s_tmp = nullptr;
    }
    static std::string station(int i, const std::string& on_air) {
        return R"({"type": "Feature", "properties": {"site_id": "S)" + std::to_string(i) +
               R"(", "operator": "Viettel", "tech": "4G", "on_air": ")" + on_air +
               R"("}, "geometry": {"type": "Point", "coordinates": [)" +
               std::to_string(590000 + 10000 * i) + ", 2400000]}}";
    }
    static std::string file(const std::string& name) { return s_tmp->file(name); }
    static std::vector<std::string> analyze(const std::string& stations, const std::string& out,
                                            bool units,
                                            const std::vector<std::string>& extra = {}) {
        std::vector<std::string> args{"analyze",
                                      "--stations",
                                      file(stations),
                                      "--villages",
                                      file("villages.geojson"),
                                      "--config",
                                      data_path("known_config.json"),
                                      "--out",
                                      file(out)};
        if (units) {
            args.push_back("--units");
            args.push_back(file("units.geojson"));
        }
        args.insert(args.end(), extra.begin(), extra.end());
        return args;
    }
    // The `unit` rows of layer `layer` of `gpkg`, by unit code.
    static std::map<std::string, OutFeature> unit_rows(const std::string& gpkg,
                                                       const std::string& layer) {
        std::map<std::string, OutFeature> out;
        for (const auto& row : read_layer_features(gpkg, layer)) {
            if (row.text("level") == "unit") {
                EXPECT_TRUE(out.emplace(row.text("unit_code"), row).second)
                    << "unit " << row.text("unit_code") << " twice in " << layer;
            }
        }
        return out;
    }

    static TempDir* s_tmp;
};

TempDir* UnitsSince::s_tmp = nullptr;

TEST_F(UnitsSince, TrendUnitRowsCarryTheUnitsCodeAndNameAsTheSummaryDoes) {
    const RunResult r =
        run_in_process({"trend", "--stations", file("stations.geojson"), "--villages",
                        file("villages.geojson"), "--units", file("units.geojson"), "--config",
                        data_path("known_config.json"), "--out", file("trend.gpkg"), "--no-chart"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto rows = read_layer_features(file("trend.gpkg"), "trend_units");
    std::map<std::pair<double, std::string>, const OutFeature*> units;
    for (const auto& row : rows) {
        if (row.text("level") != "unit")
            continue;
        EXPECT_FALSE(row.text("unit_code").empty()) << "a unit row without its code";
        units[{row.number("year"), row.text("unit_code")}] = &row;
    }
    ASSERT_EQ(units.size(), 10u) << "two units in each year 2018 to 2022";
    const OutFeature& u1 = *units.at({2018.0, "U1"});
    EXPECT_EQ(u1.text("unit_name"), "Xã Một");
    EXPECT_EQ(u1.text("unit_level"), "xã");
    EXPECT_EQ(u1.text("parent_code"), "P");
    EXPECT_EQ(u1.text("province"), "Tỉnh P");
    EXPECT_EQ(u1.number("villages"), 2.0);
    EXPECT_EQ(u1.number("white_broadband"), 1.0); // V2 waits for 2020
    EXPECT_EQ(units.at({2018.0, "U2"})->text("unit_name"), "Xã Hai");
    EXPECT_EQ(units.at({2021.0, "U2"})->number("white_broadband"), 1.0);
    EXPECT_EQ(units.at({2022.0, "U2"})->number("white_broadband"), 0.0);
    // The last year, every station on air, is the summary's unit rows.
    const auto summary = unit_rows(file("trend.gpkg"), "summary");
    ASSERT_EQ(summary.size(), 2u);
    for (const auto& [code, row] : summary)
        for (const char* f : {"unit_name", "unit_level", "parent_code", "province", "villages",
                              "white_any", "covered_broadband"})
            EXPECT_EQ(units.at({2022.0, code})->text(f), row.text(f)) << code << " " << f;
}

TEST_F(UnitsSince, TheBaselineFillsTheSummarysUnitRowsByUnitCode) {
    const RunResult r = run_in_process(
        analyze("stations.geojson", "since.gpkg", true, {"--baseline", file("last.gpkg")}));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(without_flag_warnings(r.err), "");
    const auto units = unit_rows(file("since.gpkg"), "summary");
    ASSERT_EQ(units.size(), 2u);
    const OutFeature& u1 = units.at("U1");
    EXPECT_EQ(u1.number("villages_before_broadband"), 2.0);
    EXPECT_EQ(u1.number("white_before_broadband"), 1.0);
    EXPECT_EQ(u1.number("covered_before_broadband"), 1.0);
    EXPECT_EQ(u1.number("newly_covered_broadband"), 1.0);
    EXPECT_EQ(u1.number("newly_white_broadband"), 0.0);
    const OutFeature& u2 = units.at("U2");
    EXPECT_EQ(u2.number("villages_before_any"), 1.0);
    EXPECT_EQ(u2.number("white_before_any"), 1.0);
    EXPECT_EQ(u2.number("newly_covered_any"), 1.0);
    // The other levels as before.
    const auto summary = read_layer_features(file("since.gpkg"), "summary");
    EXPECT_EQ(find_feature(summary, "level", "all").number("white_before_broadband"), 2.0);
    EXPECT_EQ(find_feature(summary, "level", "commune").number("newly_covered_broadband"), 2.0);
}

TEST_F(UnitsSince, ABaselineWithoutUnitsIsCountedInTheUnitsOfItsMatchedVillagesWithAWarning) {
    const RunResult r = run_in_process(analyze("stations.geojson", "since_no_units.gpkg", true,
                                               {"--baseline", file("last_no_units.gpkg")}));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(contains(r.err, "has no units of --units")) << r.err;
    EXPECT_TRUE(contains(r.err, "counted in the units of the villages they matched")) << r.err;
    EXPECT_FALSE(contains(r.err, "counted in no unit row")) << "every village matched: " << r.err;
    // The same numbers as with a baseline analyzed with the units: the same villages.
    const auto units = unit_rows(file("since_no_units.gpkg"), "summary");
    ASSERT_EQ(units.size(), 2u);
    const OutFeature& u1 = units.at("U1");
    EXPECT_EQ(u1.number("villages_before_broadband"), 2.0);
    EXPECT_EQ(u1.number("white_before_broadband"), 1.0);
    EXPECT_EQ(u1.number("covered_before_any"), 1.0);
    EXPECT_EQ(u1.number("newly_covered_broadband"), 1.0);
    const OutFeature& u2 = units.at("U2");
    EXPECT_EQ(u2.number("villages_before_any"), 1.0);
    EXPECT_EQ(u2.number("white_before_broadband"), 1.0);
    EXPECT_EQ(u2.number("newly_white_any"), 0.0);
}

TEST_F(UnitsSince, CompareAddsUnitRowsToTheChangeSummary) {
    const RunResult r = run_in_process({"compare", "--before", file("last.gpkg"), "--after",
                                        file("this.gpkg"), "--out", file("changes.gpkg")});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    const auto units = unit_rows(file("changes.gpkg"), "change_summary");
    ASSERT_EQ(units.size(), 2u);
    const OutFeature& u1 = units.at("U1");
    EXPECT_EQ(u1.text("unit_name"), "Xã Một");
    EXPECT_EQ(u1.text("province"), "Tỉnh P");
    EXPECT_EQ(u1.number("villages_before_broadband"), 2.0);
    EXPECT_EQ(u1.number("villages_after_broadband"), 2.0);
    EXPECT_EQ(u1.number("white_before_broadband"), 1.0);
    EXPECT_EQ(u1.number("white_after_broadband"), 0.0);
    EXPECT_EQ(u1.number("newly_covered_broadband"), 1.0);
    EXPECT_EQ(u1.number("unchanged_broadband"), 1.0);
    const OutFeature& u2 = units.at("U2");
    EXPECT_EQ(u2.text("unit_name"), "Xã Hai");
    EXPECT_EQ(u2.number("newly_covered_any"), 1.0);
    // Each side's unit counts are its own summary's.
    const auto after = unit_rows(file("this.gpkg"), "summary");
    for (const auto& [code, row] : after)
        EXPECT_EQ(units.at(code).text("white_after_any"), row.text("white_any")) << code;

    // A run without units compared with one with them: counted in its matched villages' units.
    const RunResult n =
        run_in_process({"compare", "--before", file("last_no_units.gpkg"), "--after",
                        file("this.gpkg"), "--out", file("changes_no_units.gpkg")});
    ASSERT_EQ(n.code, 0) << n.err;
    EXPECT_TRUE(contains(n.err, "--before '" + file("last_no_units.gpkg") + "' has no units"))
        << n.err;
    const auto borrowed = unit_rows(file("changes_no_units.gpkg"), "change_summary");
    ASSERT_EQ(borrowed.size(), 2u);
    for (const auto& [code, row] : units)
        for (const char* f : {"villages_before_any", "white_before_broadband",
                              "covered_before_broadband", "newly_covered_broadband"})
            EXPECT_EQ(borrowed.at(code).text(f), row.text(f)) << code << " " << f;
}

TEST_F(UnitsSince, TheReportListsTheUnitsAtLevelUnitAndByDefault) {
    for (const std::string level : {"unit", ""}) {
        SCOPED_TRACE("--level '" + level + "'");
        const std::string out = file("report-" + level + ".md");
        std::vector<std::string> args{
            "report",   "--results", file("this.gpkg"), "--baseline", file("last.gpkg"),
            "--format", "md",        "--lang",          "en",         "--out",
            out};
        if (!level.empty()) {
            args.push_back("--level");
            args.push_back(level);
        }
        const RunResult r = run_in_process(args);
        ASSERT_EQ(r.code, 0) << r.err;
        const std::string md = read_file(out);
        EXPECT_TRUE(contains(md, "Per unit (administrative unit)")) << md;
        // Unit, villages, villages before, covered, partial, white, covered before, white
        // before, rate, people.
        EXPECT_TRUE(contains(md, "| Xã Một [U1] | 2 | 2 | 2 | 0 | 0 | 1 | 1 |")) << md;
        EXPECT_TRUE(contains(md, "| Xã Hai [U2] | 1 | 1 | 1 | 0 | 0 | 0 | 1 |")) << md;
        EXPECT_FALSE(contains(md, "Xã Cũ")) << "the commune level is not listed";
    }
    // The commune level is still there on request.
    const RunResult c =
        run_in_process({"report", "--results", file("this.gpkg"), "--format", "md", "--level",
                        "commune", "--lang", "en", "--out", file("report-commune.md")});
    ASSERT_EQ(c.code, 0) << c.err;
    EXPECT_TRUE(contains(read_file(file("report-commune.md")), "Xã Cũ"));
    // A result analyzed without --units has no unit rows: exit 2, with what to do.
    const RunResult bad =
        run_in_process({"report", "--results", file("last_no_units.gpkg"), "--format", "md",
                        "--level", "unit", "--out", file("report-bad.md")});
    EXPECT_EQ(bad.code, 2);
    EXPECT_TRUE(contains(bad.err, "has no 'unit' rows")) << bad.err;
    EXPECT_TRUE(contains(bad.err, "--units")) << bad.err;
    EXPECT_FALSE(std::filesystem::exists(file("report-bad.md")));
    const RunResult unknown =
        run_in_process({"report", "--results", file("this.gpkg"), "--format", "md", "--level",
                        "hamlet", "--out", file("report-hamlet.md")});
    EXPECT_EQ(unknown.code, 2);
    EXPECT_TRUE(contains(unknown.err, "use province, district, commune, unit or auto"))
        << unknown.err;
}

} // namespace
} // namespace whitezone::test::e2e
