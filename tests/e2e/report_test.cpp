// End-to-end: `whitezone report` on the sample province (data/), analyzed first, in both
// formats and languages; with last year's result as the baseline and a plan; and the errors
// (exit 2, nothing written). The numbers expected come from the result's own summary layer.

#include "whitezone/publish.hpp"

#include "e2e/e2e.hpp"

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
    };
    if (!fs::exists(file("fifo"))) {
        ASSERT_EQ(mkfifo(file("fifo").c_str(), 0600), 0);
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
