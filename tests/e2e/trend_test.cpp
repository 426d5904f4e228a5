// End-to-end: `whitezone trend`. A hand-made case whose counts per year are known, the sample
// province (on-air dates in data/stations.csv), the same trend whatever the thread count, and
// the errors (no on-air field, a bad date, a chart that is not SVG, years out of order).

#include "e2e/e2e.hpp"

#include <cpl_minixml.h>
#include <gtest/gtest.h>

#include <filesystem>

namespace whitezone::test::e2e {
namespace {

namespace fs = std::filesystem;

// Three 100 m x 100 m villages 10 km apart in UTM 48N, and a 4G site (3,500 m with
// known_config.json) at the centre of each: V1's on air in 2018, V2's in 2020, V3's in 2022,
// written in three of the accepted forms. Each site covers its own village only, so from
// 2017 on the white villages are 3, 2, 2, 1, 1, 0 and the covered ones 0, 1, 1, 2, 2, 3.
constexpr const char* kCrs =
    R"("crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32648"}},)";

std::string square(double x, double y) {
    const std::string x0 = std::to_string(x - 50), x1 = std::to_string(x + 50);
    const std::string y0 = std::to_string(y - 50), y1 = std::to_string(y + 50);
    return R"({"type": "Polygon", "coordinates": [[[)" + x0 + "," + y0 + "],[" + x1 + "," + y0 +
           "],[" + x1 + "," + y1 + "],[" + x0 + "," + y1 + "],[" + x0 + "," + y0 + "]]]}";
}

std::string write_villages(const TempDir& tmp) {
    std::string features;
    for (int i = 0; i < 3; ++i)
        features += std::string(i ? ",\n" : "") +
                    R"({"type": "Feature", "properties": {"village_id": "V)" +
                    std::to_string(i + 1) + R"(", "population": 100}, "geometry": )" +
                    square(600000 + 10000 * i, 2400000) + "}";
    return tmp.write("villages.geojson", R"({"type": "FeatureCollection", )" + std::string(kCrs) +
                                             "\n\"features\": [\n" + features + "\n]}\n");
}

// The stations with these on-air values (an empty one is written as "").
std::string write_stations(const TempDir& tmp, const std::vector<std::string>& on_air,
                           const std::string& field = "on_air") {
    std::string features;
    for (std::size_t i = 0; i < on_air.size(); ++i)
        features += std::string(i ? ",\n" : "") +
                    R"({"type": "Feature", "properties": {"site_id": "S)" + std::to_string(i + 1) +
                    R"(", "operator": "Viettel", "tech": "4G", ")" + field + R"(": ")" + on_air[i] +
                    R"("}, "geometry": {"type": "Point", "coordinates": [)" +
                    std::to_string(600000 + 10000 * static_cast<int>(i)) + ", 2400000]}}";
    return tmp.write("stations.geojson", R"({"type": "FeatureCollection", )" + std::string(kCrs) +
                                             "\n\"features\": [\n" + features + "\n]}\n");
}

std::vector<std::string> trend_args(const TempDir& tmp, const std::string& stations,
                                    const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"trend",
                                  "--stations",
                                  stations,
                                  "--villages",
                                  write_villages(tmp),
                                  "--config",
                                  data_path("known_config.json"),
                                  "--out",
                                  tmp.file("out.gpkg")};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

TEST(TrendE2E, KnownCountsPerYear) {
    const TempDir tmp;
    const std::string stations = write_stations(tmp, {"2018", "2020-03-15", "01/07/2022"});
    const RunResult r = run_in_process(trend_args(tmp, stations, {"--from", "2017"}));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(without_flag_warnings(r.err), "");
    EXPECT_TRUE(contains(r.out, "white + partial (broadband): 3 -> 2 -> 2 -> 1 -> 1 -> 0"))
        << r.out;
    EXPECT_TRUE(contains(r.out, "chart " + tmp.file("out-trend.svg"))) << r.out;

    const auto rows = read_layer_features(tmp.file("out.gpkg"), "trend");
    ASSERT_EQ(rows.size(), 6u);
    const double white[] = {3, 2, 2, 1, 1, 0}, on_air[] = {0, 1, 1, 2, 2, 3};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(rows[i].number("year"), 2017.0 + static_cast<double>(i));
        EXPECT_EQ(rows[i].number("stations"), on_air[i]);
        EXPECT_EQ(rows[i].number("sites"), on_air[i]);
        EXPECT_EQ(rows[i].number("villages"), 3.0);
        for (const char* cls : {"any", "broadband"}) {
            EXPECT_EQ(rows[i].number(std::string("white_") + cls), white[i]) << cls;
            EXPECT_EQ(rows[i].number(std::string("partial_") + cls), 0.0) << cls;
            EXPECT_EQ(rows[i].number(std::string("covered_") + cls), 3.0 - white[i]) << cls;
            EXPECT_NEAR(rows[i].number(std::string("people_without_") + cls), 100.0 * white[i],
                        1e-6)
                << cls;
        }
    }
    // The other layers are today's analysis, every station on air.
    EXPECT_EQ(feature_count(tmp.file("out.gpkg"), "stations"), 3);
    const std::string svg = read_file(tmp.file("out-trend.svg"));
    CPLXMLNode* root = CPLParseXMLString(svg.c_str());
    EXPECT_NE(root, nullptr);
    CPLDestroyXMLNode(root);
    for (const char* year : {">2017<", ">2022<"})
        EXPECT_TRUE(contains(svg, year)) << year;
}

TEST(TrendE2E, DefaultYearsAreTheFirstAndLastOnAirYears) {
    const TempDir tmp;
    const std::string stations = write_stations(tmp, {"2018", "2020", "2022"}, "start_date");
    const RunResult r = run_in_process(trend_args(tmp, stations, {"--no-chart"}));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "white + partial (broadband): 2 -> 2 -> 1 -> 1 -> 0")) << r.out;
    EXPECT_FALSE(contains(r.out, "chart ")) << r.out;
    EXPECT_FALSE(fs::exists(tmp.file("out-trend.svg")));
    const auto rows = read_layer_features(tmp.file("out.gpkg"), "trend");
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_EQ(rows.front().number("year"), 2018.0);
    EXPECT_EQ(rows.back().number("year"), 2022.0);
}

TEST(TrendE2E, StationsWithoutADateAreOnAirEveryYearWithOneWarning) {
    const TempDir tmp;
    const std::string stations = write_stations(tmp, {"2018", "", "2022"});
    const RunResult r =
        run_in_process(trend_args(tmp, stations, {"--from", "2016", "--to", "2019"}));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(without_flag_warnings(r.err),
              "warning: trend: 1 station has no on-air year and is counted as on air in "
              "every year (give it in the on-air field).\n");
    EXPECT_TRUE(contains(r.out, "white + partial (broadband): 2 -> 2 -> 1 -> 1")) << r.out;
    EXPECT_TRUE(contains(r.out, "1 station without an on-air year counted in every year")) << r.out;
}

TEST(TrendE2E, FolderFormatsHoldTheTrendTableAndTheChartGoesBeside) {
    const TempDir tmp;
    const std::string stations = write_stations(tmp, {"2018", "2020", "2022"});
    std::vector<std::string> args = trend_args(tmp, stations, {"--format", "csv"});
    args[8] = tmp.file("results");
    const RunResult r = run_in_process(args);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(list_tree(tmp.file("results")).count("trend.csv"));
    EXPECT_TRUE(fs::exists(tmp.file("results-trend.svg")));
}

TEST(TrendE2E, SampleProvinceSeriesNeverRisesAndEndsAtTodaysSummary) {
    const TempDir tmp;
    const std::string out = tmp.file("trend.gpkg");
    const RunResult r = run_binary({"trend", "--stations", sample_path("stations.csv"),
                                    "--villages", sample_path("villages.gpkg"), "--settlements",
                                    sample_path("settlements.gpkg"), "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(without_flag_warnings(r.err), "");
    EXPECT_TRUE(contains(r.out, "white + partial (broadband): ")) << r.out;

    const auto rows = read_layer_features(out, "trend");
    ASSERT_GE(rows.size(), 10u);
    for (std::size_t i = 1; i < rows.size(); ++i) {
        SCOPED_TRACE(rows[i].number("year"));
        EXPECT_EQ(rows[i].number("year"), rows[i - 1].number("year") + 1);
        EXPECT_GE(rows[i].number("stations"), rows[i - 1].number("stations"));
        for (const char* cls : {"any", "broadband"}) {
            const std::string c(cls);
            // More stations never make a village worse off.
            EXPECT_LE(rows[i].number("white_" + c), rows[i - 1].number("white_" + c)) << cls;
            EXPECT_LE(rows[i].number("white_" + c) + rows[i].number("partial_" + c),
                      rows[i - 1].number("white_" + c) + rows[i - 1].number("partial_" + c))
                << cls;
            EXPECT_GE(rows[i].number("covered_" + c), rows[i - 1].number("covered_" + c)) << cls;
        }
    }
    // A real decrease over the years, and the last year is today's network.
    EXPECT_LT(rows.back().number("white_broadband") + rows.back().number("partial_broadband"),
              rows.front().number("white_broadband") + rows.front().number("partial_broadband"));
    const auto summary = read_layer_features(out, "summary");
    const OutFeature& all = find_feature(summary, "level", "all");
    for (const char* field : {"white_any", "partial_any", "covered_any", "white_broadband",
                              "partial_broadband", "covered_broadband", "villages"})
        EXPECT_EQ(rows.back().number(field), all.number(field)) << field;
    EXPECT_EQ(rows.back().number("stations"), static_cast<double>(feature_count(out, "stations")));
    EXPECT_TRUE(fs::exists(tmp.file("trend-trend.svg")));
}

TEST(TrendE2E, SameTrendWhateverTheThreadCount) {
    const TempDir tmp;
    std::vector<RunResult> runs;
    for (const char* threads : {"1", "4"}) {
        const std::string out = tmp.file(std::string("t") + threads + ".gpkg");
        runs.push_back(run_in_process({"trend", "--stations", sample_path("stations.csv"),
                                       "--villages", sample_path("villages.gpkg"), "--from", "2015",
                                       "--threads", threads, "--no-chart", "--out", out}));
        ASSERT_EQ(runs.back().code, 0) << runs.back().err;
    }
    EXPECT_EQ(without_path(runs[0].out, tmp.file("t1.gpkg")),
              without_path(runs[1].out, tmp.file("t4.gpkg")));
    expect_same_features(read_layer_features(tmp.file("t1.gpkg"), "trend"),
                         read_layer_features(tmp.file("t4.gpkg"), "trend"));
}

TEST(TrendE2E, WithoutOnAirDatesItSaysWhichFieldToAdd) {
    const TempDir tmp;
    const RunResult r = run_in_process(trend_args(tmp, data_path("known_stations.geojson")));
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "known_stations.geojson' has an on-air year")) << r.err;
    EXPECT_TRUE(contains(r.err, "Add a field 'on_air'")) << r.err;
    EXPECT_TRUE(contains(r.err, "\"stations.fields.on_air\"")) << r.err;
    EXPECT_EQ(line_count(r.err), 1u) << r.err;
    EXPECT_FALSE(fs::exists(tmp.file("out.gpkg")));
    EXPECT_FALSE(fs::exists(tmp.file("out-trend.svg")));
}

TEST(TrendE2E, ABadDateNamesTheRowFieldAndValue) {
    const TempDir tmp;
    const std::string stations = write_stations(tmp, {"2018", "next year"});
    const RunResult r = run_in_process(trend_args(tmp, stations));
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "stations.geojson row 2, field 'on_air': 'next year' is not an "
                                "on-air date; expected a year (2019)"))
        << r.err;
    EXPECT_FALSE(fs::exists(tmp.file("out.gpkg")));
}

TEST(TrendE2E, BadFlagsFailBeforeAnyWork) {
    const TempDir tmp;
    const std::string stations = write_stations(tmp, {"2018", "2020"});
    struct Case {
        std::vector<std::string> extra;
        const char* message;
    };
    const Case cases[] = {
        {{"--chart", tmp.file("chart.png")}, "the chart is written as SVG only"},
        {{"--from", "2022", "--to", "2019"}, "--from 2022 is after --to 2019"},
        {{"--from", "1800"}, "--from 1800 is out of range; give a year from 1900 to 2100"},
        {{"--from", "2030"},
         "the first year 2030 is after the last 2020 (the last on-air year); ask for years in "
         "order. Set them with --from and --to."},
        {{"--chart", tmp.file("c.svg"), "--no-chart"}, "--chart and --no-chart"},
        {{"--from", "soon"}, "--from"},
        // The chart over the output: refused before anything is written at that path.
        {{"--chart", tmp.file("out.gpkg")}, "is the output itself (--out '"},
        {{"--chart", tmp.file("sub/../out.gpkg")}, "is the output itself"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.message);
        const RunResult r = run_in_process(trend_args(tmp, stations, c.extra));
        EXPECT_EQ(r.code, 2) << r.err;
        EXPECT_TRUE(contains(r.err, c.message)) << r.err;
        EXPECT_FALSE(fs::exists(tmp.file("out.gpkg")));
    }
}

TEST(TrendE2E, AnExistingChartIsKeptWithoutOverwrite) {
    const TempDir tmp;
    const std::string stations = write_stations(tmp, {"2018", "2020"});
    const std::string mine = "<svg xmlns=\"http://www.w3.org/2000/svg\"><!-- mine --></svg>";
    const std::string chart = tmp.write("out-trend.svg", mine);
    const RunResult r = run_in_process(trend_args(tmp, stations));
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "out-trend.svg' already exists; pass --overwrite")) << r.err;
    EXPECT_FALSE(fs::exists(tmp.file("out.gpkg")));
    EXPECT_EQ(read_file(chart), mine);

    const RunResult again = run_in_process(trend_args(tmp, stations, {"--overwrite"}));
    ASSERT_EQ(again.code, 0) << again.err;
    EXPECT_TRUE(contains(read_file(chart), "<svg "));
}

TEST(TrendE2E, HelpListsTheTrendFlags) {
    const RunResult r = run_in_process({"trend", "--help"});
    EXPECT_EQ(r.code, 0);
    for (const char* flag : {"--from", "--to", "--chart", "--no-chart", "--stations", "--out"})
        EXPECT_TRUE(contains(r.out, flag)) << flag;
}

// One station list per year (--stations-year), in the villages of two communes: a 2G site at
// V1 closes in 2024 (the 2G switch-off) and a 4G site at V3 opens in 2025; the 4G site at V2
// stays. Each site covers its own village only (villages 10 km apart).
//
//   2023: S1 (2G, V1), S2 (4G, V2)    2024: S2    2025: S2, S3 (4G, V3)
std::string write_year_list(const TempDir& tmp, int year,
                            const std::vector<std::pair<std::string, int>>& sites) {
    std::string features;
    for (const auto& [tech, village] : sites)
        features += std::string(features.empty() ? "" : ",\n") +
                    R"({"type": "Feature", "properties": {"site_id": "S)" +
                    std::to_string(village + 1) + R"(", "operator": "Viettel", "tech": ")" + tech +
                    R"("}, "geometry": {"type": "Point", "coordinates": [)" +
                    std::to_string(600000 + 10000 * village) + ", 2400000]}}";
    return tmp.write("stations_" + std::to_string(year) + ".geojson",
                     R"({"type": "FeatureCollection", )" + std::string(kCrs) +
                         "\n\"features\": [\n" + features + "\n]}\n");
}

std::string write_villages_in_communes(const TempDir& tmp) {
    const char* communes[] = {"Xã A", "Xã A", "Xã B"};
    std::string features;
    for (int i = 0; i < 3; ++i)
        features +=
            std::string(i ? ",\n" : "") + R"({"type": "Feature", "properties": {"village_id": "V)" +
            std::to_string(i + 1) + R"(", "province": "Tỉnh P", "commune": ")" + communes[i] +
            R"(", "population": 100}, "geometry": )" + square(600000 + 10000 * i, 2400000) + "}";
    return tmp.write("villages_communes.geojson", R"({"type": "FeatureCollection", )" +
                                                      std::string(kCrs) + "\n\"features\": [\n" +
                                                      features + "\n]}\n");
}

TEST(TrendE2E, PerYearStationListsCountSitesThatCloseAndEachUnitAddsUpToTheWhole) {
    const TempDir tmp;
    const std::string l23 = write_year_list(tmp, 2023, {{"2G", 0}, {"4G", 1}});
    const std::string l24 = write_year_list(tmp, 2024, {{"4G", 1}});
    const std::string l25 = write_year_list(tmp, 2025, {{"4G", 1}, {"4G", 2}});
    const std::string out = tmp.file("out.gpkg");
    const RunResult r = run_in_process(
        {"trend", "--stations", l25, "--villages", write_villages_in_communes(tmp), "--config",
         data_path("known_config.json"), "--out", out, "--no-chart", "--stations-year",
         "2024=" + l24, "--stations-year", "2023=" + l23, "--stations-year", "2025=" + l25});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "each year's own station list")) << r.out;
    EXPECT_TRUE(contains(r.out, "white + partial (broadband): 2 -> 2 -> 1")) << r.out;

    const auto rows = read_layer_features(out, "trend");
    ASSERT_EQ(rows.size(), 3u);
    const double sites[] = {2, 1, 2}, covered_any[] = {2, 1, 2}, covered_bb[] = {1, 1, 2};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(rows[i].number("year"), 2023.0 + static_cast<double>(i));
        EXPECT_EQ(rows[i].number("sites"), sites[i]);
        EXPECT_EQ(rows[i].number("covered_any"), covered_any[i]);
        EXPECT_EQ(rows[i].number("white_any"), 3.0 - covered_any[i]);
        EXPECT_EQ(rows[i].number("covered_broadband"), covered_bb[i]);
    }

    // Per year: the province and both communes; each level adds up to the year's row.
    const auto units = read_layer_features(out, "trend_units");
    ASSERT_EQ(units.size(), 9u);
    for (const auto& row : rows) {
        for (const char* level : {"province", "commune"}) {
            for (const char* field :
                 {"villages", "white_any", "partial_any", "covered_any", "white_broadband",
                  "covered_broadband", "people_without_any"}) {
                double sum = 0.0;
                for (const auto& u : units)
                    if (u.number("year") == row.number("year") && u.text("level") == level)
                        sum += u.number(field);
                EXPECT_NEAR(sum, row.number(field), 1e-6)
                    << row.number("year") << " " << level << " " << field;
            }
        }
    }
    // Xã B (V3) gains its 4G site in 2025; in Xã A, V1 loses its 2G signal in 2024.
    auto unit = [&](double year, const std::string& commune) {
        for (const auto& u : units)
            if (u.number("year") == year && u.text("commune") == commune)
                return u;
        ADD_FAILURE() << "no row for " << commune << " in " << year;
        return OutFeature{};
    };
    EXPECT_EQ(unit(2024, "Xã B").number("white_broadband"), 1.0);
    EXPECT_EQ(unit(2025, "Xã B").number("white_broadband"), 0.0);
    EXPECT_EQ(unit(2023, "Xã A").number("covered_any"), 2.0);
    EXPECT_EQ(unit(2024, "Xã A").number("covered_any"), 1.0);
    EXPECT_EQ(unit(2024, "Xã A").text("province"), "Tỉnh P");
    // The console's per-unit series.
    EXPECT_TRUE(contains(r.out, "white + partial (broadband) per province and commune:")) << r.out;
    const auto line = r.out.find("  Xã B (Tỉnh P)");
    ASSERT_NE(line, std::string::npos) << r.out;
    const std::string series = r.out.substr(line, r.out.find('\n', line) - line);
    EXPECT_TRUE(series.ends_with("1 -> 1 -> 0")) << series;
}

TEST(TrendE2E, ABadStationsYearIsAUsageError) {
    const TempDir tmp;
    const std::string stations = write_stations(tmp, {"2018"});
    for (const auto& [value, message] :
         {std::pair{"2024", "is not YEAR=PATH"}, std::pair{"24x=a.csv", "is not YEAR=PATH"},
          std::pair{"1800=a.csv", "out of range"}}) {
        const RunResult r =
            run_in_process(trend_args(tmp, stations, {"--stations-year", value, "--no-chart"}));
        EXPECT_EQ(r.code, 2) << value;
        EXPECT_TRUE(contains(r.err, message)) << r.err;
    }
    const RunResult twice = run_in_process(
        trend_args(tmp, stations,
                   {"--stations-year", "2024=" + stations, "--stations-year", "2024=" + stations}));
    EXPECT_EQ(twice.code, 2);
    EXPECT_TRUE(contains(twice.err, "twice")) << twice.err;
    EXPECT_FALSE(fs::exists(tmp.file("out.gpkg")));
}

} // namespace
} // namespace whitezone::test::e2e
