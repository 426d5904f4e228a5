// End-to-end: `whitezone compare` and `analyze --baseline` on the sample province. Last year's
// run uses the first stations of data/stations.csv only, this year's all of them; the
// comparison must agree with the two runs' own summaries. Then the errors (exit 2, nothing
// written).

#include "e2e/e2e.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/stat.h>
#include <tuple>

namespace whitezone::test::e2e {
namespace {

namespace fs = std::filesystem;

const std::array<std::string, 2> kClasses{"any", "broadband"};
const std::array<std::string, 3> kStatuses{"white", "partial", "covered"};

// Both analyses of the sample, run once for the suite.
class CompareSample : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_tmp = new TempDir();
        // Last year: the first 300 cells of the sample (a network that has grown since).
        std::ifstream in(sample_path("stations.csv"));
        std::ostringstream subset;
        std::string line;
        for (int n = 0; n <= 300 && std::getline(in, line); ++n)
            subset << line << "\n";
        const std::string last_stations = s_tmp->write("stations_last.csv", subset.str());
        for (const auto& [stations, out] :
             {std::pair{last_stations, s_tmp->file("last.gpkg")},
              std::pair{sample_path("stations.csv"), s_tmp->file("this.gpkg")}}) {
            const RunResult r = run_in_process({"analyze", "--stations", stations, "--villages",
                                                sample_path("villages.gpkg"), "--out", out});
            ASSERT_EQ(r.code, 0) << r.err;
        }
    }
    static void TearDownTestSuite() {
        delete s_tmp;
        s_tmp = nullptr;
    }
    static std::string file(const std::string& name) { return s_tmp->file(name); }
    static TempDir* s_tmp;
};
TempDir* CompareSample::s_tmp = nullptr;

using Unit = std::tuple<std::string, std::string, std::string, std::string>;

Unit unit_of(const OutFeature& f) {
    return {f.text("level"), f.text("province"), f.text("district"), f.text("commune")};
}

std::map<Unit, OutFeature> by_unit(const std::vector<OutFeature>& rows) {
    std::map<Unit, OutFeature> out;
    for (const auto& r : rows)
        out[unit_of(r)] = r;
    return out;
}

TEST_F(CompareSample, TheChangesAddUpToTheDifferenceOfTheTwoSummaries) {
    const RunResult r = run_in_process({"compare", "--before", file("last.gpkg"), "--after",
                                        file("this.gpkg"), "--out", file("changes.gpkg")});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_TRUE(contains(r.out, "matched by id")) << r.out;
    EXPECT_EQ(
        layer_names(file("changes.gpkg")),
        (std::vector<std::string>{"changes", "change_summary", "layer_styles", "provenance"}));

    const auto changes = read_layer_features(file("changes.gpkg"), "changes");
    const auto last = by_unit(read_layer_features(file("last.gpkg"), "summary"));
    const auto now = by_unit(read_layer_features(file("this.gpkg"), "summary"));
    const Unit all{"all", "", "", ""};
    ASSERT_EQ(static_cast<double>(changes.size()), now.at(all).number("villages"));
    for (const std::string& cls : kClasses) {
        std::map<std::string, long> transitions, before, after;
        long covered_to_white = 0;
        for (const auto& f : changes) {
            EXPECT_EQ(f.text("matched_by"), "id");
            ++transitions[f.text("transition_" + cls)];
            ++before[f.text("status_before_" + cls)];
            ++after[f.text("status_after_" + cls)];
            covered_to_white += f.text("status_before_" + cls) == "covered" &&
                                f.text("status_after_" + cls) == "white";
        }
        for (const std::string& s : kStatuses) {
            EXPECT_EQ(before[s], last.at(all).number(s + "_" + cls)) << s << " " << cls;
            EXPECT_EQ(after[s], now.at(all).number(s + "_" + cls)) << s << " " << cls;
        }
        // More stations: villages only gain signal, and the sample shows each kind of gain.
        EXPECT_GT(transitions["newly_covered"], 0) << cls;
        EXPECT_GT(transitions["newly_partial"], 0) << cls;
        EXPECT_GT(transitions["improved"], 0) << cls;
        const double d_white =
            now.at(all).number("white_" + cls) - last.at(all).number("white_" + cls);
        EXPECT_EQ(d_white,
                  static_cast<double>(transitions["newly_white"] - transitions["newly_covered"] -
                                      transitions["newly_partial"]))
            << cls;
        const double d_covered =
            now.at(all).number("covered_" + cls) - last.at(all).number("covered_" + cls);
        EXPECT_EQ(d_covered,
                  static_cast<double>(transitions["newly_covered"] + transitions["improved"] -
                                      transitions["worsened"] - covered_to_white))
            << cls;
    }
}

TEST_F(CompareSample, TheChangeSummaryRatesAreEachRunsOwnSummaryRates) {
    const RunResult r = run_in_process({"compare", "--before", file("last.gpkg"), "--after",
                                        file("this.gpkg"), "--out", file("rates.gpkg")});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto rows = read_layer_features(file("rates.gpkg"), "change_summary");
    const auto last = by_unit(read_layer_features(file("last.gpkg"), "summary"));
    const auto now = by_unit(read_layer_features(file("this.gpkg"), "summary"));
    ASSERT_EQ(rows.size(), now.size()); // the same villages, so the same units
    for (const auto& row : rows) {
        const OutFeature& b = last.at(unit_of(row));
        const OutFeature& a = now.at(unit_of(row));
        for (const std::string& cls : kClasses) {
            for (const std::string rate : {"coverage_rate", "signal_rate"}) {
                EXPECT_DOUBLE_EQ(row.number(rate + "_before_" + cls), b.number(rate + "_" + cls));
                EXPECT_DOUBLE_EQ(row.number(rate + "_after_" + cls), a.number(rate + "_" + cls));
            }
            EXPECT_EQ(row.number("white_before_" + cls), b.number("white_" + cls));
            EXPECT_EQ(row.number("white_after_" + cls), a.number("white_" + cls));
        }
    }
}

TEST_F(CompareSample, AResultComparedWithItselfIsUnchangedEverywhere) {
    const RunResult r =
        run_in_process({"compare", "--before", file("this.gpkg"), "--after", file("this.gpkg"),
                        "--out", file("same"), "--format", "geojson"});
    ASSERT_EQ(r.code, 0) << r.err;
    for (const auto& f : read_layer_features(file("same/changes.geojson"), "changes"))
        for (const std::string& cls : kClasses)
            ASSERT_EQ(f.text("transition_" + cls), "unchanged");
}

TEST_F(CompareSample, TheBaselineAddsSinceLastYearColumnsToThisYearsSummary) {
    const RunResult r =
        run_in_process({"analyze", "--stations", sample_path("stations.csv"), "--villages",
                        sample_path("villages.gpkg"), "--baseline", file("last.gpkg"), "--out",
                        file("since.gpkg"), "--threads", "2", "-v"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "since the baseline")) << r.out;
    // On two threads the footprints are dissolved while the comparison and the write run;
    // the coverage layer is the plain run's.
    EXPECT_TRUE(contains(r.err, ", beside the comparison and the write")) << r.err;
    // Layer `name` of the --baseline run equals the plain run's: geometries and fields.
    const auto same_as_plain_run = [&](const std::string& name) {
        const auto since = read_layer_features(file("since.gpkg"), name);
        const auto plain = read_layer_features(file("this.gpkg"), name);
        ASSERT_EQ(since.size(), plain.size()) << name;
        for (std::size_t k = 0; k < since.size(); ++k) {
            ASSERT_FALSE(plain[k].wkt.empty()) << name;
            EXPECT_EQ(since[k].wkt, plain[k].wkt) << name << " " << k;
            EXPECT_EQ(since[k].fields, plain[k].fields) << name << " " << k;
        }
    };
    same_as_plain_run("coverage");
    const auto last = by_unit(read_layer_features(file("last.gpkg"), "summary"));
    const auto rows = read_layer_features(file("since.gpkg"), "summary");
    ASSERT_EQ(rows.size(), last.size());
    for (const auto& row : rows)
        for (const std::string& cls : kClasses) {
            EXPECT_EQ(row.number("white_before_" + cls),
                      last.at(unit_of(row)).number("white_" + cls));
            EXPECT_EQ(row.number("covered_before_" + cls),
                      last.at(unit_of(row)).number("covered_" + cls));
            EXPECT_EQ(row.number("villages_before_" + cls), row.number("villages"));
        }
    // The "all" row: the white villages now are those before, less the newly covered ones.
    const OutFeature& all = find_feature(rows, "level", "all");
    EXPECT_GT(all.number("newly_covered_broadband"), 0.0);
    // The villages' polygons, moved to a temporary file after the overlay and read back for
    // the comparison and the write, are this year's run's without a baseline.
    same_as_plain_run("villages");
}

// Bad input: exit 2, a message that says what to give, nothing written.
TEST_F(CompareSample, ABadInputExitsWithTwoAndWritesNothing) {
    struct Case {
        std::string before, after, message;
    };
    const std::vector<Case> cases{
        {file("missing.gpkg"), file("this.gpkg"), "does not exist"},
        {sample_path("villages.gpkg"), file("this.gpkg"), "has no field 'status_any'"},
        {file("this.gpkg"), sample_path("stations.csv"), "has no 'villages' layer"},
        {s_tmp->path().string(), file("this.gpkg"), "is a folder without a villages layer"},
        {file("last_csv"), file("this.gpkg"), "does not record its CRS"},
        // A FIFO once blocked the run for ever, deaf to Ctrl-C.
        {file("fifo"), file("this.gpkg"), "'" + file("fifo") + "' is a FIFO (named pipe)"},
        {file("this.gpkg"), file("fifo"), "give that to --after"},
    };
    if (!fs::exists(file("fifo"))) {
        ASSERT_EQ(mkfifo(file("fifo").c_str(), 0600), 0);
    }
    ASSERT_EQ(
        run_in_process({"analyze", "--stations", sample_path("stations.csv"), "--villages",
                        sample_path("villages.gpkg"), "--out", file("last_csv"), "--format", "csv"})
            .code,
        0);
    for (const Case& c : cases) {
        const std::string out = file("bad.gpkg");
        const RunResult r =
            run_in_process({"compare", "--before", c.before, "--after", c.after, "--out", out});
        EXPECT_EQ(r.code, 2) << c.before << " " << c.after << "\n" << r.err;
        EXPECT_TRUE(contains(r.err, c.message)) << r.err;
        EXPECT_FALSE(fs::exists(out)) << c.before;
    }
    const RunResult r = run_in_process({"compare", "--before", file("last.gpkg"), "--after",
                                        file("this.gpkg"), "--match-tolerance", "-5"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(contains(r.err, "--match-tolerance")) << r.err;
    const RunResult base =
        run_in_process({"analyze", "--stations", sample_path("stations.csv"), "--villages",
                        sample_path("villages.gpkg"), "--baseline", sample_path("villages.gpkg"),
                        "--out", file("bad_baseline.gpkg")});
    EXPECT_EQ(base.code, 2);
    EXPECT_TRUE(contains(base.err, "--baseline")) << base.err;
    EXPECT_FALSE(fs::exists(file("bad_baseline.gpkg")));
    const RunResult fifo = run_in_process({"analyze", "--stations", sample_path("stations.csv"),
                                           "--villages", sample_path("villages.gpkg"), "--baseline",
                                           file("fifo"), "--out", file("bad_baseline.gpkg")});
    EXPECT_EQ(fifo.code, 2);
    EXPECT_TRUE(contains(fifo.err, "is a FIFO (named pipe), not a data file")) << fifo.err;
}

} // namespace
} // namespace whitezone::test::e2e
