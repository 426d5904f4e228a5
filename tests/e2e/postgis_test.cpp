// End-to-end: the PostGIS sink (--out PG:…) against a real PostgreSQL + PostGIS server that
// the test starts (scripts/postgis-test-server.sh: a throw-away cluster on a Unix socket in a
// temporary folder) and stops. Skipped, with the reason, only where the server binaries or
// PostGIS are not installed (scripts/install-deps.sh installs them).

#include "e2e/e2e.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <cstdio>
#include <filesystem>
#include <sys/wait.h>

namespace whitezone::test::e2e {
namespace {

const std::string kScript =
    std::string(WHITEZONE_SAMPLE_DIR) + "/../scripts/postgis-test-server.sh";

class PostGIS : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        FILE* p = popen(("bash '" + kScript + "' start 2>&1").c_str(), "r");
        std::string out;
        char buf[512];
        while (p && fgets(buf, sizeof buf, p))
            out += buf;
        const int status = p ? pclose(p) : -1;
        const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (code == 77) {
            s_skip = out;
            return;
        }
        if (code != 0) {
            s_failure = "cannot start the test server: " + out;
            return;
        }
        const auto nl = out.find('\n');
        s_dir = out.substr(0, nl);
        s_conn = out.substr(nl + 1);
        while (!s_conn.empty() && s_conn.back() == '\n')
            s_conn.pop_back();
    }
    static void TearDownTestSuite() {
        if (!s_dir.empty())
            std::system(("bash '" + kScript + "' stop '" + s_dir + "' >/dev/null 2>&1").c_str());
    }
    void SetUp() override {
        if (!s_skip.empty())
            GTEST_SKIP() << "PostgreSQL/PostGIS not installed: " << s_skip;
        ASSERT_TRUE(s_failure.empty()) << s_failure;
    }

    // Runs SQL statements in the test database.
    static void sql(const std::string& statement) {
        GDALAllRegister();
        GDALDatasetUniquePtr ds(GDALDataset::Open(s_conn.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
        ASSERT_TRUE(ds) << "cannot connect to " << s_conn;
        OGRLayer* result = ds->ExecuteSQL(statement.c_str(), nullptr, nullptr);
        if (result)
            ds->ReleaseResultSet(result);
    }

    // Whether the table exists (with any columns).
    static bool has_table(const std::string& name) {
        GDALAllRegister();
        GDALDatasetUniquePtr ds(GDALDataset::Open(s_conn.c_str(), GDAL_OF_VECTOR));
        OGRLayer* r = ds->ExecuteSQL(
            ("SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = '" + name + "'")
                .c_str(),
            nullptr, nullptr);
        const bool found = r && r->GetFeatureCount() > 0;
        if (r)
            ds->ReleaseResultSet(r);
        return found;
    }

    static void drop_all() {
        for (const auto& t : kLayers)
            sql("DROP TABLE IF EXISTS " + t + " CASCADE");
        sql("DROP TABLE IF EXISTS summary_operators CASCADE");
        sql("DROP TABLE IF EXISTS provenance CASCADE");
    }

    static inline std::string s_dir, s_conn, s_skip, s_failure;
};

TEST_F(PostGIS, EveryLayerEqualsTheGeoPackageOutput) {
    drop_all();
    TempDir tmp;
    const std::string gpkg = tmp.file("results.gpkg");
    ASSERT_EQ(run_in_process(known_args(gpkg)).code, 0);
    const RunResult r = run_in_process(known_args(s_conn));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(without_flag_warnings(r.err), "");
    for (const auto& layer : kLayers) {
        SCOPED_TRACE(layer);
        EXPECT_EQ(field_names(s_conn, layer), field_names(gpkg, layer));
        const auto pg = read_layer_features(s_conn, layer);
        const auto gp = read_layer_features(gpkg, layer);
        EXPECT_EQ(pg.size(), gp.size());
        expect_same_features(gp, pg);
    }
    // The provenance table, written in the same transaction: the same inputs as the
    // GeoPackage's.
    std::map<std::string, std::string> pg_rows, gp_rows;
    for (const auto& f : read_layer_features(s_conn, "provenance"))
        pg_rows[f.text("key")] = f.text("value");
    for (const auto& f : read_layer_features(gpkg, "provenance"))
        gp_rows[f.text("key")] = f.text("value");
    ASSERT_TRUE(pg_rows.count("input.stations.sha256")) << "no provenance table in PostGIS";
    EXPECT_EQ(pg_rows["input.stations.sha256"], gp_rows["input.stations.sha256"]);
    EXPECT_EQ(pg_rows["config.quad_segs"], "128");
    // The shares themselves, not only their text.
    const auto villages = read_layer_features(s_conn, "villages");
    const auto expected = read_layer_features(gpkg, "villages");
    for (std::size_t i = 0; i < villages.size() && i < expected.size(); ++i)
        EXPECT_EQ(villages[i].number("share_broadband"), expected[i].number("share_broadband"));
}

// The ITM model writes its signal rasters beside a file output. A database has no folder
// beside it: the run says they are not written, exits 0 with the tables written, and writes
// no file anywhere (it once tried 'PG:host=…_signal_dbm_any.tif' in the working folder and
// failed after the tables were in).
TEST_F(PostGIS, TheItmModelsRastersAreNotWrittenBesideADatabase) {
    drop_all();
    TempDir tmp, cwd;
    const std::string config = tmp.write("itm.json", R"({"coverage_model": "itm"})");
    const std::filesystem::path here = std::filesystem::current_path();
    std::filesystem::current_path(cwd.path());
    const RunResult r =
        run_in_process({"analyze", "--stations", sample_path("stations.csv"), "--villages",
                        sample_path("villages.gpkg"), "--dem", sample_path("dem.tif"), "--config",
                        config, "--out", s_conn});
    std::filesystem::current_path(here);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "rasters: not written (a PostGIS output")) << r.out;
    EXPECT_TRUE(std::filesystem::is_empty(cwd.path()));
    EXPECT_TRUE(has_table("villages"));
    EXPECT_EQ(read_layer_features(s_conn, "villages").size(), 1654u);
}

TEST_F(PostGIS, AnExistingTableIsKeptWithoutOverwriteAndReplacedWithIt) {
    drop_all();
    sql("CREATE TABLE summary (note text)");
    sql("INSERT INTO summary VALUES ('last year')");
    const RunResult kept = run_in_process(known_args(s_conn));
    EXPECT_EQ(kept.code, 2) << kept.err;
    EXPECT_TRUE(contains(kept.err, "already has the table 'summary'")) << kept.err;
    EXPECT_TRUE(contains(kept.err, "pass --overwrite")) << kept.err;
    EXPECT_EQ(read_layer_features(s_conn, "summary").size(), 1u);
    EXPECT_FALSE(has_table("villages")) << "nothing is written when a table is refused";

    const RunResult replaced = run_in_process(known_args(s_conn, {"--overwrite"}));
    ASSERT_EQ(replaced.code, 0) << replaced.err;
    const auto summary = read_layer_features(s_conn, "summary");
    ASSERT_FALSE(summary.empty());
    EXPECT_EQ(summary.front().fields.count("note"), 0u);
    EXPECT_EQ(summary.front().text("level"), "all");
}

// The third table cannot be dropped (a view of the user's depends on it): the transaction is
// rolled back, so the two tables written before it are gone and the old one and the view
// are kept.
TEST_F(PostGIS, AFailedWriteLeavesNothingBehind) {
    drop_all();
    sql("CREATE TABLE stations (note text)");
    sql("CREATE VIEW station_notes AS SELECT note FROM stations");
    const RunResult r = run_in_process(known_args(s_conn, {"--overwrite"}));
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "table 'stations' cannot be replaced")) << r.err;
    EXPECT_FALSE(has_table("villages"));
    EXPECT_FALSE(has_table("coverage"));
    EXPECT_TRUE(has_table("stations"));
    EXPECT_EQ(read_layer_features(s_conn, "station_notes").size(), 0u);
    sql("DROP VIEW station_notes");
}

// PostgreSQL would cut a name of more than 63 bytes: an input field with a longer name (a
// Vietnamese one of 26 letters can be) is refused before any table is touched.
TEST_F(PostGIS, AFieldNameLongerThanPostgreSQLKeepsIsRefusedBeforeAnythingIsWritten) {
    drop_all();
    TempDir tmp;
    const std::string name = "số_hộ_gia_đình_được_điều_tra_năm_hai_nghìn_không_trăm_mười_chín";
    ASSERT_GT(name.size(), 63U);
    std::string villages = read_file(data_path("known_villages.geojson"));
    for (std::size_t at = 0;
         (at = villages.find("\"properties\": {\"village_id\"", at)) != std::string::npos; at += 10)
        villages.insert(at + 15, "\"" + name + "\": 1, ");
    const std::string input = tmp.write("villages.geojson", villages);
    std::vector<std::string> args = known_args(s_conn);
    args[4] = input; // --villages
    const RunResult r = run_in_process(args);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "layer 'villages' has the field '" + name + "'")) << r.err;
    EXPECT_TRUE(contains(r.err, "at most 63 bytes")) << r.err;
    for (const auto& layer : kLayers)
        EXPECT_FALSE(has_table(layer)) << layer;
    // The same input into a GeoPackage keeps the name whole.
    const std::string gpkg = tmp.file("out.gpkg");
    args[8] = gpkg; // --out
    ASSERT_EQ(run_in_process(args).code, 0);
    EXPECT_EQ(read_layer_features(gpkg, "villages").at(0).text(name), "1");
}

TEST_F(PostGIS, ThePasswordIsNeverPrinted) {
    const std::string conn = s_conn + " password=s3cret-word";
    const RunResult wrong_port = run_in_process(known_args(conn + " port=1"));
    EXPECT_EQ(wrong_port.code, 2);
    EXPECT_TRUE(contains(wrong_port.err, "password=***")) << wrong_port.err;
    drop_all();
    const RunResult ok = run_in_process(known_args(conn));
    ASSERT_EQ(ok.code, 0) << ok.err;
    const RunResult exists = run_in_process(known_args(conn));
    EXPECT_EQ(exists.code, 2);
    for (const auto& text : {wrong_port.err, ok.out, ok.err, exists.err})
        EXPECT_FALSE(contains(text, "s3cret")) << text;
    // Nor written: the command line in the provenance table has it removed.
    bool command_seen = false;
    for (const auto& f : read_layer_features(conn, "provenance")) {
        EXPECT_FALSE(contains(f.text("value"), "s3cret")) << f.text("key");
        command_seen = command_seen ||
                       (f.text("key") == "command" && contains(f.text("value"), "password=***"));
    }
    EXPECT_TRUE(command_seen);
}

} // namespace
} // namespace whitezone::test::e2e
