// End-to-end: `whitezone report` on the sample province (data/), analyzed first, in both
// formats and languages; with last year's result as the baseline and a plan; and the errors
// (exit 2, nothing written). The numbers expected come from the result's own summary layer.

#include "whitezone/publish.hpp"

#include "e2e/e2e.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace whitezone::test::e2e {
namespace {

namespace fs = std::filesystem;

class ReportSample : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_tmp = new TempDir();
        // Last year: the first 300 cells of the sample (a network that has grown since).
        std::ifstream in(sample_path("stations.csv"));
        std::ostringstream subset;
        std::string line;
        for (int n = 0; n <= 300 && std::getline(in, line); ++n)
            subset << line << "\n";
        const std::string last = s_tmp->write("stations_last.csv", subset.str());
        for (const auto& [stations, out] :
             {std::pair{last, file("last.gpkg")},
              std::pair{sample_path("stations.csv"), file("this.gpkg")}}) {
            const RunResult r = run_in_process({"analyze", "--stations", stations, "--villages",
                                                sample_path("villages.gpkg"), "--out", out});
            ASSERT_EQ(r.code, 0) << r.err;
        }
        const RunResult p = run_in_process({"plan", "--stations", sample_path("stations.csv"),
                                            "--villages", sample_path("villages.gpkg"), "--budget",
                                            "3", "--out", file("plan.gpkg")});
        ASSERT_EQ(p.code, 0) << p.err;
        const RunResult t = run_in_process({"trend", "--stations", sample_path("stations.csv"),
                                            "--villages", sample_path("villages.gpkg"), "--out",
                                            file("trend.gpkg"), "--no-chart"});
        ASSERT_EQ(t.code, 0) << t.err;
    }
    static void TearDownTestSuite() {
        delete s_tmp;
        s_tmp = nullptr;
    }
    static std::string file(const std::string& name) { return s_tmp->file(name); }
    static const OutFeature& all_row(const std::string& gpkg) {
        static std::map<std::string, std::vector<OutFeature>> cache;
        auto& rows = cache[gpkg];
        if (rows.empty())
            rows = read_layer_features(gpkg, "summary");
        return find_feature(rows, "level", "all");
    }
    static long count(const OutFeature& f, const std::string& field) {
        return std::lround(f.number(field));
    }
    static TempDir* s_tmp;
};
TempDir* ReportSample::s_tmp = nullptr;

TEST_F(ReportSample, TheHtmlReportIsOneSelfContainedPageThatStatesTheSummary) {
    const std::string out = file("report.html");
    const RunResult r = run_binary({"report", "--results", file("this.gpkg"), "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    const std::string html = read_file(out);
    // Leaflet inlined, nothing fetched from elsewhere.
    EXPECT_NE(html.find("Leaflet"), std::string::npos);
    EXPECT_EQ(html.find("<script src="), std::string::npos);
    EXPECT_EQ(html.find("<link "), std::string::npos);
    EXPECT_EQ(html.find("url(images/"), std::string::npos);
    EXPECT_NE(html.find("<html lang=\"vi\">"), std::string::npos);
    const OutFeature& all = all_row(file("this.gpkg"));
    for (const char* f : {"villages", "white_broadband", "partial_broadband", "covered_broadband"})
        EXPECT_NE(html.find(format_count(count(all, f), ReportLanguage::Vi) + " thôn"),
                  std::string::npos)
            << f;
    // One village feature per village of the result.
    const long villages = feature_count(file("this.gpkg"), "villages");
    std::size_t features = 0;
    const std::size_t start = html.find("\"villages\":{\"type\":\"FeatureCollection\"");
    const std::size_t end = html.find("\"coverage\":{\"type\":\"FeatureCollection\"");
    ASSERT_NE(start, std::string::npos);
    ASSERT_NE(end, std::string::npos);
    for (std::size_t i = html.find("\"type\":\"Feature\"", start); i < end;
         i = html.find("\"type\":\"Feature\"", i + 1))
        ++features;
    EXPECT_EQ(static_cast<long>(features), villages);
}

TEST_F(ReportSample, TheMarkdownReportInEnglishHasTheSameNumbersAndTheUnitTable) {
    const std::string out = file("report.md");
    const RunResult r = run_binary(
        {"report", "--results", file("this.gpkg"), "--format", "md", "--lang", "en", "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string md = read_file(out);
    const OutFeature& all = all_row(file("this.gpkg"));
    EXPECT_NE(md.find("Of " + format_count(count(all, "villages"), ReportLanguage::En) +
                      " villages, " +
                      format_count(count(all, "covered_broadband"), ReportLanguage::En)),
              std::string::npos)
        << md;
    EXPECT_NE(md.find(format_percent(all.number("coverage_rate_broadband"), ReportLanguage::En)),
              std::string::npos);
    EXPECT_NE(md.find("## Per unit (district)"), std::string::npos);
    EXPECT_NE(md.find("| Unit | Villages |"), std::string::npos);
    EXPECT_EQ(md.find("<script"), std::string::npos);
    // Ten ranked gap villages, numbered.
    EXPECT_NE(md.find("\n1. "), std::string::npos);
    EXPECT_NE(md.find("\n10. "), std::string::npos);
    EXPECT_EQ(md.find("\n11. "), std::string::npos);
}

TEST_F(ReportSample, TheBaselinesNumbersStandBesideThisYearsAndTheChangeIsStated) {
    const std::string out = file("change.md");
    const RunResult r =
        run_binary({"report", "--results", file("this.gpkg"), "--baseline", file("last.gpkg"),
                    "--format", "md", "--lang", "en", "--level", "commune", "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string md = read_file(out);
    const OutFeature& now = all_row(file("this.gpkg"));
    const OutFeature& before = all_row(file("last.gpkg"));
    auto en = [](long n) { return format_count(n, ReportLanguage::En); };
    EXPECT_NE(md.find("white villages from " + en(count(before, "white_broadband")) + " to " +
                      en(count(now, "white_broadband"))),
              std::string::npos)
        << md;
    EXPECT_NE(md.find("Covered (baseline)"), std::string::npos);
    EXPECT_NE(md.find("## Per unit (commune)"), std::string::npos);
}

TEST_F(ReportSample, APlanAddsItsSitesToTheMapAndATable) {
    const std::string out = file("plan.html");
    const RunResult r = run_binary({"report", "--results", file("this.gpkg"), "--plan",
                                    file("plan.gpkg"), "--lang", "en", "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string html = read_file(out);
    EXPECT_NE(html.find("\"proposed\":{\"type\":\"FeatureCollection\""), std::string::npos);
    EXPECT_NE(html.find("\"links\":{\"type\":\"FeatureCollection\""), std::string::npos);
    EXPECT_NE(html.find("<h2>Proposed sites</h2>"), std::string::npos);
    EXPECT_NE(html.find("The plan proposes 3 new BTS sites"), std::string::npos);
}

TEST_F(ReportSample, ATrendAddsItsChartOneBarPerYear) {
    const std::string out = file("trend.html");
    const RunResult r = run_binary(
        {"report", "--results", file("this.gpkg"), "--trend", file("trend.gpkg"), "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string html = read_file(out);
    const std::size_t at = html.find("<section id=\"trend\">");
    ASSERT_NE(at, std::string::npos);
    EXPECT_NE(html.find("<svg", at), std::string::npos);
    EXPECT_EQ(html.find("<?xml"), std::string::npos);
    for (const OutFeature& year : read_layer_features(file("trend.gpkg"), "trend"))
        EXPECT_NE(html.find(">" + year.text("year") + "</text>", at), std::string::npos)
            << year.text("year");
}

// The part of `html` from `open` to the next `close` after it ("" when there is none).
std::string between(const std::string& html, const std::string& open, const std::string& close) {
    const std::size_t at = html.find(open);
    const std::size_t end = at == std::string::npos ? at : html.find(close, at);
    return end == std::string::npos ? "" : html.substr(at, end - at);
}

TEST_F(ReportSample, AVietnameseReportWritesThePlanTableAndTheTrendChartInVietnamese) {
    const std::string out = file("plan-trend-vi.html");
    const RunResult r =
        run_binary({"report", "--results", file("this.gpkg"), "--plan", file("plan.gpkg"),
                    "--trend", file("trend.gpkg"), "--lang", "vi", "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string html = read_file(out);
    const std::string tables = between(html, "<section id=\"tables\">", "</section>");
    const std::string plan = between(tables, "<h2>Trạm đề xuất</h2>", "</table>");
    ASSERT_FALSE(plan.empty()) << tables;
    for (const char* head :
         {"<th>Thứ tự chọn</th>", "<th>Loại vị trí</th>", "<th>Mã thôn</th>", "<th>Kinh độ</th>",
          "<th>Vĩ độ</th>", "<th>Số thôn có sóng mới</th>", "<th>Số người có sóng mới</th>",
          "<th>Nối mạng truyền dẫn</th>", "<th>Chặng truyền dẫn (m)</th>"})
        EXPECT_NE(plan.find(head), std::string::npos) << head << "\n" << plan;
    EXPECT_NE(plan.find("<td>tâm thôn trắng/lõm sóng</td>"), std::string::npos) << plan;
    EXPECT_NE(plan.find("<td>có</td>"), std::string::npos) << plan;
    // Coordinates with the decimal comma (the sample lies at 106° E, 21–22° N).
    EXPECT_NE(plan.find("<td>106,"), std::string::npos) << plan;
    for (const char* english : {"pick", "candidate_source", "village_id", "new_villages",
                                "new_people", "connected", "hop_m", "gap_village", "lon<", "lat<"})
        EXPECT_EQ(plan.find(english), std::string::npos) << english << "\n" << plan;

    const std::string chart = between(html, "<section id=\"trend\">", "</section>");
    ASSERT_FALSE(chart.empty());
    for (const char* words :
         {"Số thôn trắng sóng và lõm sóng theo năm, sóng băng rộng (3G trở lên)",
          "trắng sóng: không có sóng tại trung tâm thôn", ">số thôn<", "năm (số màu xám"})
        EXPECT_NE(chart.find(words), std::string::npos) << words;
    for (const char* english : {"White and partial", "villages per year", "broadband signal",
                                "no signal at the village centre", ">villages<", "year (grey",
                                "white + partial", " white<", " partial<", ": white "})
        EXPECT_EQ(chart.find(english), std::string::npos) << english;
    // The sample counts 1,654 villages: the Vietnamese subtitle groups them with a dot.
    const long villages = feature_count(file("this.gpkg"), "villages");
    EXPECT_NE(chart.find(">" + format_count(villages, ReportLanguage::Vi) + " thôn, bản;"),
              std::string::npos)
        << chart.substr(0, 2000);
}

// Villages of 2025 (no district) in two provinces that each have a Xã Tân Lập: the report's
// commune table lists both, each with its province (and its code when the villages carry one).
TEST(Report, SameNameCommunesOfTwoProvincesStayApartInTheCommuneTable) {
    const TempDir tmp;
    const std::string stations =
        tmp.write("stations.csv", "site_id,operator,tech,lon,lat\nS1,Viettel,4G,105.2,21.5\n");
    for (const bool codes : {false, true}) {
        std::string features;
        const struct {
            const char *id, *province, *commune, *code;
            double lon;
        } villages[] = {{"T1", "Tuyên Quang", "Xã Tân Lập", "08125", 105.20},
                        {"T2", "Tuyên Quang", "Xã Tân Lập", "08125", 105.21},
                        {"P1", "Phú Thọ", "Xã Tân Lập", "25351", 105.30},
                        {"P2", "Phú Thọ", "Xã Hùng Sơn", "25352", 105.31}};
        for (const auto& v : villages)
            features += std::string(features.empty() ? "" : ",\n") +
                        R"({"type": "Feature", "properties": {"village_id": ")" + v.id +
                        R"(", "province": ")" + v.province + R"(", "commune": ")" + v.commune +
                        (codes ? R"(", "commune_code": ")" + std::string(v.code) : "") +
                        R"(", "population": 100}, "geometry": {"type": "Point", "coordinates": [)" +
                        std::to_string(v.lon) + ", 21.5]}}";
        const std::string name = codes ? "codes" : "names";
        const std::string village_file =
            tmp.write(name + ".geojson",
                      R"({"type": "FeatureCollection", "features": [)" + features + "]}\n");
        const std::string result = tmp.file(name + ".gpkg");
        const RunResult a = run_binary(
            {"analyze", "--stations", stations, "--villages", village_file, "--out", result});
        ASSERT_EQ(a.code, 0) << a.err;
        const std::string md = tmp.file(name + ".md");
        const RunResult r =
            run_binary({"report", "--results", result, "--format", "md", "--out", md});
        ASSERT_EQ(r.code, 0) << r.err;
        const std::string text = read_file(md);
        EXPECT_NE(text.find("## Theo đơn vị (xã)"), std::string::npos) << text;
        for (const std::string row :
             {codes ? "| Xã Tân Lập (Tuyên Quang) [08125] | 2 |"
                    : "| Xã Tân Lập (Tuyên Quang) | 2 |",
              codes ? "| Xã Tân Lập (Phú Thọ) [25351] | 1 |" : "| Xã Tân Lập (Phú Thọ) | 1 |",
              codes ? "| Xã Hùng Sơn (Phú Thọ) [25352] | 1 |" : "| Xã Hùng Sơn (Phú Thọ) | 1 |"})
            EXPECT_NE(text.find(row), std::string::npos) << row << "\n" << text;
    }
}

TEST_F(ReportSample, BadInputExitsWithTwoAndWritesNothing) {
    const std::string out = file("bad.html");
    const struct {
        std::vector<std::string> args;
        std::string message;
    } cases[] = {
        {{"--results", file("missing.gpkg")}, "does not exist"},
        {{"--results", sample_path("villages.gpkg")}, "not a result of whitezone analyze"},
        {{"--results", file("this.gpkg"), "--plan", file("last.gpkg")}, "'proposed_sites'"},
        {{"--results", file("this.gpkg"), "--trend", file("last.gpkg")}, "'trend' layer"},
        {{"--results", file("this.gpkg"), "--lang", "fr"}, "use vi"},
        {{"--results", file("this.gpkg"), "--format", "pdf"}, "use html or md"},
        {{"--results", file("this.gpkg"), "--level", "thon"},
         "province, district, commune, unit or auto"},
        // A FIFO once blocked the run for ever.
        {{"--results", file("fifo")}, "is a FIFO (named pipe), not a data file"},
        {{"--results", file("this.gpkg"), "--baseline", file("fifo")}, "give that to --baseline"},
        {{"--results", file("edited.gpkg")},
         "1 village has a status_broadband that is not white, partial or covered (row 2"},
    };
    if (!fs::exists(file("fifo"))) {
        ASSERT_EQ(mkfifo(file("fifo").c_str(), 0600), 0);
    }
    // A result edited by hand: a status analyze never writes.
    if (!fs::exists(file("edited.gpkg"))) {
        fs::copy_file(file("this.gpkg"), file("edited.gpkg"));
        GDALAllRegister();
        GDALDatasetUniquePtr ds(
            GDALDataset::Open(file("edited.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
        ASSERT_TRUE(ds);
        ds->ExecuteSQL("UPDATE villages SET status_broadband = 'Trắng' WHERE fid = 2", nullptr,
                       nullptr);
    }
    for (const auto& c : cases) {
        std::vector<std::string> args{"report"};
        args.insert(args.end(), c.args.begin(), c.args.end());
        args.insert(args.end(), {"--out", out});
        const RunResult r = run_binary(args);
        EXPECT_EQ(r.code, 2) << c.args[1] << ": " << r.err;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
        EXPECT_FALSE(fs::exists(out));
    }
    // An existing report is kept without --overwrite.
    const std::string kept = s_tmp->write("kept.html", "mine");
    const RunResult r = run_binary({"report", "--results", file("this.gpkg"), "--out", kept});
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("--overwrite"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(kept), "mine");
}

} // namespace
} // namespace whitezone::test::e2e
