// Unit tests of the trend's report: its rows, the console table, the SVG chart (well-formed
// XML with every year and value) and where the chart goes.

#include "whitezone/error.hpp"
#include "whitezone/report/trend.hpp"

#include "support/support.hpp"

#include <cpl_minixml.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace whitezone {
namespace {

using test::contains;
using test::message_of;

// A classification of `statuses.size()` villages with the same status in both classes.
Classification classified(const std::vector<Status>& statuses) {
    Classification c;
    for (ServiceClass cls : kServiceClasses)
        for (Status s : statuses)
            c.villages[index_of(cls)].push_back(
                {s, StatusBasis::Centre, s == Status::Covered ? 0.0 : 10.0});
    return c;
}

Station station(const std::string& op, const std::string& site) {
    Station s;
    s.operator_name = op;
    s.site_id = site;
    return s;
}

TEST(TrendRow, CountsStationsSitesAndVillages) {
    const std::vector<Station> on_air{station("Viettel", "A"), station("Viettel", "A"),
                                      station("MobiFone", "A"), station("Viettel", "B")};
    const TrendRow row = trend_row(
        2020, on_air, classified({Status::White, Status::Partial, Status::Covered, Status::White}));
    EXPECT_EQ(row.year, 2020);
    EXPECT_EQ(row.stations, 4);
    EXPECT_EQ(row.sites, 3); // one site id of two operators is two sites
    const ClassCounts& bb = row.counts[index_of(ServiceClass::Broadband)];
    EXPECT_EQ(bb.villages, 4);
    EXPECT_EQ(bb.white, 2);
    EXPECT_EQ(bb.partial, 1);
    EXPECT_EQ(bb.covered, 1);
    EXPECT_DOUBLE_EQ(bb.people_without, 30.0);
}

// The provinces' series, 360 → 179 → 169 → 138, as white + partial of 1,462 villages.
Trend series() {
    Trend t;
    t.service_class = ServiceClass::Broadband;
    const int years[] = {2022, 2023, 2024, 2025};
    const long white[] = {300, 120, 110, 90}, partial[] = {60, 59, 59, 48};
    const long sites[] = {1136, 1180, 1200, 1217};
    for (int i = 0; i < 4; ++i) {
        TrendRow r;
        r.year = years[i];
        r.sites = sites[i];
        r.stations = 3 * sites[i];
        for (ServiceClass cls : kServiceClasses) {
            ClassCounts& c = r.counts[index_of(cls)];
            c.villages = 1462;
            c.white = cls == ServiceClass::Broadband ? white[i] : white[i] / 2;
            c.partial = partial[i];
            c.covered = c.villages - c.white - c.partial;
            c.people_without = 100.5 * static_cast<double>(c.white);
        }
        t.rows.push_back(r);
    }
    return t;
}

TEST(TrendTable, OneLinePerYearAndTheSeries) {
    const std::string table = format_trend(series());
    EXPECT_TRUE(contains(table, "trend: 1,462 villages")) << table;
    EXPECT_TRUE(contains(table, "broadband (3G and up)")) << table;
    EXPECT_TRUE(contains(table, "white + partial (broadband): 360 -> 179 -> 169 -> 138")) << table;
    for (const char* year : {"2022", "2023", "2024", "2025"})
        EXPECT_TRUE(contains(table, std::string("\n") + year + " ")) << year << "\n" << table;
    EXPECT_TRUE(contains(table, "1,217")) << table;
    EXPECT_FALSE(contains(table, "without an on-air year")) << table;

    Trend undated = series();
    undated.undated = 3;
    EXPECT_TRUE(contains(format_trend(undated), "3 stations without an on-air year counted in "
                                                "every year"));
}

TEST(TrendTable, TheRankedClassComesFirst) {
    Trend t = series();
    t.service_class = ServiceClass::Any;
    const std::string table = format_trend(t);
    EXPECT_LT(table.find("any (2G and up)"), table.find("broadband (3G and up)")) << table;
    EXPECT_TRUE(contains(table, "white + partial (any): 210 -> 119 -> 114 -> 93")) << table;
}

// Counts the elements of a parsed XML tree named `name`.
int count_elements(const CPLXMLNode* node, const std::string& name) {
    int n = 0;
    for (; node; node = node->psNext) {
        if (node->eType == CXT_Element) {
            n += name == node->pszValue ? 1 : 0;
            n += count_elements(node->psChild, name);
        }
    }
    return n;
}

TEST(TrendChart, IsWellFormedSvgWithEveryYearAndValue) {
    const std::string svg = trend_chart_svg(series());
    EXPECT_EQ(svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 0), 0u) << svg;
    EXPECT_TRUE(contains(svg, "xmlns=\"http://www.w3.org/2000/svg\""));
    EXPECT_TRUE(contains(svg, "viewBox=\"0 0 "));
    CPLXMLNode* root = CPLParseXMLString(svg.c_str());
    ASSERT_NE(root, nullptr) << "not well-formed XML:\n" << svg;
    EXPECT_EQ(count_elements(root, "svg"), 1);
    EXPECT_EQ(count_elements(root, "rect"), 1 + 2 + 2 * 4); // background, legend, 4 stacked bars
    CPLDestroyXMLNode(root);
    // Years, the bars' totals (the series), the segments and the sites on air.
    for (const char* text : {">2022<", ">2023<", ">2024<", ">2025<", ">360<", ">179<", ">169<",
                             ">138<", ">300<", ">60<", ">48<", ">1,217<", ">1,462 villages"})
        EXPECT_TRUE(contains(svg, text)) << text;
    EXPECT_TRUE(contains(svg, "trắng sóng")); // UTF-8 kept as is
    EXPECT_TRUE(contains(svg, "White and partial villages per year, broadband signal"));
}

TEST(TrendChart, HandlesNoVillagesAndManyYears) {
    CPLXMLNode* empty = CPLParseXMLString(trend_chart_svg(Trend{}).c_str());
    EXPECT_NE(empty, nullptr);
    CPLDestroyXMLNode(empty);

    Trend many;
    for (int y = 1990; y <= 2025; ++y) {
        TrendRow r;
        r.year = y;
        const long white = 1000 + (2025 - y) * 10;
        for (ServiceClass cls : kServiceClasses)
            r.counts[index_of(cls)] = {80000, 80000 - 2000 - white, 2000, white, 0.0};
        many.rows.push_back(r);
    }
    const std::string svg = trend_chart_svg(many);
    CPLXMLNode* root = CPLParseXMLString(svg.c_str());
    ASSERT_NE(root, nullptr);
    CPLDestroyXMLNode(root);
    EXPECT_TRUE(contains(svg, ">1990<"));
    EXPECT_TRUE(contains(svg, ">2025<"));
}

TEST(TrendChart, DefaultPathIsBesideTheOutput) {
    WriteOptions gpkg;
    EXPECT_EQ(trend_chart_path({}, gpkg), "whitezone-results-trend.svg");
    gpkg.path = "out/lang_son.gpkg";
    EXPECT_EQ(trend_chart_path({}, gpkg), "out/lang_son-trend.svg");
    WriteOptions folder;
    folder.format = OutputFormat::GeoJSON;
    folder.path = "out/results.v2/";
    EXPECT_EQ(trend_chart_path({}, folder), "out/results.v2-trend.svg");
    WriteOptions postgis;
    postgis.path = "PG:dbname=wz password=secret";
    EXPECT_EQ(trend_chart_path({}, postgis), "whitezone-results-trend.svg");
    TrendOptions given;
    given.chart = "chart.svg";
    EXPECT_EQ(trend_chart_path(given, gpkg), "chart.svg");
}

TEST(TrendChart, OnlySvgIsWrittenAndAnExistingChartIsKept) {
    const test::TempDir tmp;
    const std::string png =
        message_of<UsageError>([&] { check_trend_chart(tmp.file("chart.png"), false); });
    EXPECT_TRUE(contains(png, "chart.png': the chart is written as SVG only")) << png;

    const std::string path = tmp.write("chart.svg", "<svg><!-- old --></svg>");
    const std::string exists =
        message_of<InputError>([&] { write_trend_chart(series(), path, false); });
    EXPECT_TRUE(contains(exists, "pass --overwrite")) << exists;
    std::ifstream old(path);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(old), {}), "<svg><!-- old --></svg>");

    write_trend_chart(series(), path, true);
    std::ifstream in(path);
    const std::string written(std::istreambuf_iterator<char>(in), {});
    EXPECT_EQ(written, trend_chart_svg(series()));
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(tmp.path()),
                            std::filesystem::directory_iterator()),
              1); // no temporary left beside it

    const std::string nowhere =
        message_of<InputError>([&] { check_trend_chart(tmp.file("missing/chart.svg"), false); });
    EXPECT_TRUE(contains(nowhere, "does not exist")) << nowhere;
}

} // namespace
} // namespace whitezone
