// End-to-end: every output carries its provenance (docs/output.md#provenance): a GeoPackage's
// `provenance` table and gpkg_metadata document, each layer's gpkg_contents.description, a
// folder's provenance.json, the console's first line naming the model; the config with every
// default, the inputs' SHA-256 as sha256sum computes it, the warnings with their counts, and
// no password anywhere.

#include "whitezone/config.hpp"
#include "whitezone/context.hpp"
#include "whitezone/pipeline.hpp"
#include "whitezone/provenance.hpp"

#include "e2e/e2e.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include <cstdio>
#include <map>
#include <memory>

namespace whitezone::test::e2e {
namespace {

namespace fs = std::filesystem;

// The digest `sha256sum` prints for a file: an independent tool to compare with.
std::string sha256sum(const std::string& path) {
    const std::string command = "sha256sum '" + path + "'";
    std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(command.c_str(), "r"), &pclose);
    char buf[65] = {};
    if (!pipe || std::fread(buf, 1, 64, pipe.get()) != 64)
        return "";
    return std::string(buf, 64);
}

// The provenance table of an output as key → value.
std::map<std::string, std::string> provenance_table(const std::string& path) {
    std::map<std::string, std::string> rows;
    for (const auto& f : read_layer_features(path, "provenance"))
        rows[f.text("key")] = f.text("value");
    return rows;
}

// The rows of an SQL query on a GeoPackage, each row's fields as text.
std::vector<std::vector<std::string>> query(const std::string& gpkg, const std::string& sql) {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(gpkg.c_str(), GDAL_OF_VECTOR));
    std::vector<std::vector<std::string>> rows;
    if (!ds)
        return rows;
    OGRLayer* result = ds->ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (!result)
        return rows;
    while (OGRFeatureUniquePtr f{result->GetNextFeature()}) {
        std::vector<std::string> row;
        for (int i = 0; i < f->GetFieldCount(); ++i)
            row.emplace_back(f->IsFieldSetAndNotNull(i) ? f->GetFieldAsString(i) : "");
        rows.push_back(row);
    }
    ds->ReleaseResultSet(result);
    return rows;
}

// The first line of `text`.
std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

TEST(Provenance, AGeoPackageHoldsTheProvenanceTableWithDefaultsAndInputDigests) {
    const TempDir tmp;
    const std::string out = tmp.file("results.gpkg");
    const RunResult r = run_in_process(known_args(out));
    ASSERT_EQ(r.code, 0) << r.err;
    const auto rows = provenance_table(out);
    // known_config.json sets quad_segs and radius_m only: every other key has its default.
    EXPECT_EQ(rows.at("config.quad_segs"), "128");
    EXPECT_EQ(rows.at("config.radius_m.2G"), "5000.0");
    EXPECT_EQ(rows.at("config.hata.receiver_height_m"), "1.5");
    EXPECT_EQ(rows.at("config.use_station_range"), "true");
    EXPECT_EQ(rows.at("config.output.path"), out);
    EXPECT_EQ(rows.at("config.settlements"), "null"); // an optional layer not given
    // The inputs, with the digests sha256sum computes.
    const std::string stations = data_path("known_stations.geojson");
    const std::string villages = data_path("known_villages.geojson");
    EXPECT_EQ(rows.at("input.stations.source"), stations);
    EXPECT_EQ(rows.at("input.stations.sha256"), sha256sum(stations));
    EXPECT_EQ(rows.at("input.villages.sha256"), sha256sum(villages));
    EXPECT_EQ(rows.at("input.villages.driver"), "GeoJSON");
    EXPECT_EQ(rows.at("input.villages.file_bytes"), std::to_string(fs::file_size(villages)));
    EXPECT_EQ(rows.count("input.dem.sha256"), 0U) << "no DEM was used";
    // The run itself.
    EXPECT_EQ(rows.at("command").rfind("whitezone analyze --stations " + stations, 0), 0U)
        << rows.at("command");
    EXPECT_EQ(rows.at("model").rfind("model disk: radius 2G 5000/3G 3000/4G 3500/5G 1000 m", 0), 0U)
        << rows.at("model");
    EXPECT_EQ(rows.at("work_crs"), "EPSG:32648");
    EXPECT_FALSE(rows.at("whitezone_version").empty());
    EXPECT_EQ(rows.at("started_utc").size(), 20U) << rows.at("started_utc");
    EXPECT_GE(std::stod(rows.at("duration_s")), 0.0);
    // The console's first line is the same model line.
    EXPECT_EQ(first_line(r.out), rows.at("model"));
}

TEST(Provenance, AFileThatPlaysSeveralRolesGetsItsDigestInEachRecord) {
    // Stations and villages in one GeoPackage: two records, one file, the same digest.
    const std::string both = data_path("known_villages.geojson");
    const std::string other = data_path("known_stations.geojson");
    std::vector<InputRecord> inputs(3);
    inputs[0].source = both;
    inputs[1].source = other;
    inputs[2].source = both;
    add_file_digests(inputs);
    EXPECT_EQ(inputs[0].sha256, sha256sum(both));
    EXPECT_EQ(inputs[1].sha256, sha256sum(other));
    EXPECT_EQ(inputs[2].sha256, sha256sum(both));
    EXPECT_EQ(inputs[2].file_bytes, static_cast<long long>(fs::file_size(both)));
    // A database (not a file) gets none.
    std::vector<InputRecord> db(1);
    db[0].source = "PG:dbname=none";
    add_file_digests(db);
    EXPECT_EQ(db[0].sha256, "");
    EXPECT_EQ(db[0].file_bytes, -1);
}

TEST(Provenance, AGeoPackageRegistersItInTheMetadataExtensionAndDescribesEachLayer) {
    const TempDir tmp;
    const std::string out = tmp.file("results.gpkg");
    ASSERT_EQ(run_in_process(known_args(out)).code, 0);
    const auto documents = query(out, "SELECT id, md_scope, mime_type, metadata FROM "
                                      "gpkg_metadata WHERE mime_type = 'application/json'");
    ASSERT_EQ(documents.size(), 1U);
    EXPECT_EQ(documents[0][1], "dataset");
    const auto doc = nlohmann::json::parse(documents[0][3]);
    EXPECT_EQ(doc["inputs"][0]["sha256"], sha256sum(data_path("known_stations.geojson")));
    EXPECT_EQ(doc["config"]["quad_segs"], 128);
    const std::string id = documents[0][0];
    EXPECT_EQ(query(out, "SELECT 1 FROM gpkg_metadata_reference WHERE reference_scope = "
                         "'geopackage' AND table_name IS NULL AND md_file_id = " +
                             id)
                  .size(),
              1U);
    for (const auto& layer : kLayers)
        EXPECT_EQ(query(out, "SELECT 1 FROM gpkg_metadata_reference WHERE reference_scope = "
                             "'table' AND table_name = '" +
                                 layer + "' AND md_file_id = " + id)
                      .size(),
                  1U)
            << layer;
    EXPECT_EQ(
        query(out, "SELECT table_name FROM gpkg_extensions WHERE extension_name = "
                   "'gpkg_metadata' ORDER BY table_name"),
        (std::vector<std::vector<std::string>>{{"gpkg_metadata"}, {"gpkg_metadata_reference"}}));
    std::vector<std::string> described = kLayers;
    described.emplace_back("summary_operators");
    described.emplace_back("provenance");
    for (const auto& layer : described) {
        const auto rows =
            query(out, "SELECT description FROM gpkg_contents WHERE table_name = '" + layer + "'");
        ASSERT_EQ(rows.size(), 1U) << layer;
        EXPECT_GT(rows[0][0].size(), 20U) << layer;
        EXPECT_EQ(rows[0][0].find('\n'), std::string::npos) << layer;
    }
    EXPECT_TRUE(contains(query(out, "SELECT description FROM gpkg_contents WHERE table_name = "
                                    "'villages'")[0][0],
                         "model disk"));
}

TEST(Provenance, AFolderOutputHoldsProvenanceJsonListedInItsManifest) {
    const TempDir tmp;
    const std::string gpkg = tmp.file("results.gpkg");
    const std::string folder = tmp.file("results");
    ASSERT_EQ(run_in_process(known_args(gpkg)).code, 0);
    const RunResult r = run_in_process(known_args(folder, {"--format", "geojson"}));
    ASSERT_EQ(r.code, 0) << r.err;
    const auto doc = nlohmann::json::parse(read_file(fs::path(folder) / "provenance.json"));
    const auto manifest = nlohmann::json::parse(read_file(fs::path(folder) / ".whitezone.json"));
    EXPECT_EQ(manifest["provenance"], "provenance.json");
    // The same inputs, digests and config as the GeoPackage's table.
    const auto rows = provenance_table(gpkg);
    ASSERT_EQ(doc["inputs"].size(), 2U);
    for (const auto& input : doc["inputs"]) {
        const std::string role = input["role"];
        EXPECT_EQ(input["sha256"], rows.at("input." + role + ".sha256")) << role;
        EXPECT_EQ(input["sha256"], sha256sum(input["source"])) << role;
    }
    EXPECT_EQ(doc["config"]["hata"]["receiver_height_m"], 1.5);
    EXPECT_EQ(doc["config"]["output"]["format"], "geojson");
    EXPECT_EQ(doc["model"], rows.at("model"));
    EXPECT_EQ(doc["model"], first_line(r.out));
    // No other file: the layers, the manifest and provenance.json.
    std::set<std::string> expected{".whitezone.json", "provenance.json",
                                   "summary_operators.geojson"};
    for (const auto& layer : kLayers)
        expected.insert(layer + ".geojson");
    EXPECT_EQ(list_tree(folder), expected);
}

TEST(Provenance, WarningsAreCountedInTheProvenance) {
    const TempDir tmp;
    const std::string out = tmp.file("repaired.gpkg");
    const RunResult r =
        run_in_process({"analyze", "--stations", data_path("known_stations.geojson"), "--villages",
                        data_path("invalid_villages.geojson"), "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto rows = provenance_table(out);
    // Each warning printed is in the table with its count, the repair among them.
    int warnings = 0;
    bool repaired = false;
    for (const auto& [key, value] : rows) {
        if (key.rfind("warning.", 0) != 0 || !contains(key, ".message"))
            continue;
        ++warnings;
        EXPECT_TRUE(contains(r.err, "warning: " + value)) << value;
        const std::string count = rows.at(key.substr(0, key.size() - 7) + "count");
        EXPECT_EQ(count, "1") << value;
        repaired = repaired || contains(value, "repaired 1 invalid village polygon");
    }
    EXPECT_TRUE(repaired) << r.err;
    std::size_t printed = 0;
    for (std::size_t at = 0; (at = r.err.find("warning: ", at)) != std::string::npos; ++at)
        ++printed;
    EXPECT_EQ(static_cast<std::size_t>(warnings), printed) << r.err;
}

TEST(Provenance, TheTerrainModeRecordsTheDemItsResolutionVintageAndDigest) {
    const TempDir tmp;
    const std::string dem = tmp.file("flat.tif");
    write_geotiff(dem, 4326, 105.85, 21.90, 0.001, 350, 400, [](double, double) { return 250.0; });
    const std::string out = tmp.file("flat.gpkg");
    const RunResult r = run_in_process(known_args(out, {"--dem", dem}));
    ASSERT_EQ(r.code, 0) << r.err;
    const auto rows = provenance_table(out);
    EXPECT_EQ(rows.at("input.dem.sha256"), sha256sum(dem));
    EXPECT_EQ(rows.at("input.dem.raster_cols"), "350");
    EXPECT_TRUE(contains(rows.at("input.dem.vintage"), "(from the file's modification date)"));
    const std::string model = rows.at("model");
    EXPECT_TRUE(contains(model, "terrain DEM flat.tif, vintage ")) << model;
    EXPECT_TRUE(contains(model, "resolution 3.6″ (about 111 m, the DEM's own)")) << model;
    EXPECT_TRUE(contains(model, "receiver 1.5 m")) << model;
    EXPECT_EQ(first_line(r.out), model);
}

TEST(Provenance, PasswordsAreRemovedFromTheConfigAndTheCommand) {
    Config config;
    config.stations.path = "PG:host=db user=planner password=hunter2 dbname=network";
    config.villages.path = data_path("known_villages.geojson");
    const std::string json = config_to_json(config);
    EXPECT_FALSE(contains(json, "hunter2")) << json;
    EXPECT_TRUE(contains(json, "password=***")) << json;

    // The command as the CLI records it, and the run's record of it.
    Config files;
    files.stations.path = data_path("known_stations.geojson");
    files.villages.path = data_path("known_villages.geojson");
    Context ctx;
    ctx.command = "whitezone analyze --out 'PG:dbname=x password=hunter2'";
    const RunRecord record(files, ctx);
    const Provenance p = record.finish("EPSG:32648", false);
    EXPECT_FALSE(contains(p.command, "hunter2")) << p.command;
    EXPECT_FALSE(contains(to_json(p), "hunter2"));
    ASSERT_EQ(p.inputs.size(), 2U);
    EXPECT_EQ(p.inputs[0].sha256, sha256sum(files.stations.path));
}

TEST(Provenance, TheRecordCountsEachWarningAndPassesItOn) {
    Context ctx;
    std::vector<std::string> shown;
    ctx.log.warn = [&shown](std::string_view m) { shown.emplace_back(m); };
    Config config;
    const RunRecord record(config, ctx);
    record.context().log.warning("read: 3 rows skipped");
    record.context().log.warning("read: 3 rows skipped");
    record.context().log.warning("prepare: password=secret in a path");
    EXPECT_EQ(shown.size(), 3U);
    const Provenance p = record.finish("EPSG:32648", false);
    ASSERT_EQ(p.warnings.size(), 2U);
    EXPECT_EQ(p.warnings[0].message, "read: 3 rows skipped");
    EXPECT_EQ(p.warnings[0].count, 2);
    EXPECT_EQ(p.warnings[1].message, "prepare: password=*** in a path");
    EXPECT_EQ(p.warnings[1].count, 1);
}

// `whitezone compare` records its provenance too: both results as inputs with their digests,
// the tolerance it matched with (the config key, or the flag over it) as its model line.
TEST(Provenance, ACompareOutputRecordsBothResultsAndTheMatchTolerance) {
    const TempDir tmp;
    const std::string result = tmp.file("results.gpkg");
    ASSERT_EQ(run_in_process(known_args(result)).code, 0);
    const std::string config =
        tmp.write("compare.json", R"({"compare": {"match_tolerance_m": 50}})");
    const std::string from_config = tmp.file("changes.gpkg");
    const RunResult r = run_in_process({"compare", "--before", result, "--after", result,
                                        "--config", config, "--out", from_config});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto rows = provenance_table(from_config);
    EXPECT_EQ(rows.at("command").rfind("whitezone compare --before " + result, 0), 0U)
        << rows.at("command");
    EXPECT_EQ(rows.at("input.before.source"), result);
    EXPECT_EQ(rows.at("input.before.sha256"), sha256sum(result));
    EXPECT_EQ(rows.at("input.after.sha256"), sha256sum(result));
    EXPECT_EQ(std::stod(rows.at("config.compare.match_tolerance_m")), 50.0);
    EXPECT_TRUE(contains(rows.at("model"), "within 50 m")) << rows.at("model");
    EXPECT_FALSE(rows.at("whitezone_version").empty());

    // The flag overrides the config key.
    const std::string from_flag = tmp.file("changes_flag.gpkg");
    ASSERT_EQ(run_in_process({"compare", "--before", result, "--after", result, "--config", config,
                              "--match-tolerance", "150", "--out", from_flag})
                  .code,
              0);
    const auto flag_rows = provenance_table(from_flag);
    EXPECT_TRUE(contains(flag_rows.at("model"), "within 150 m")) << flag_rows.at("model");
    EXPECT_EQ(std::stod(flag_rows.at("config.compare.match_tolerance_m")), 150.0);
}

} // namespace
} // namespace whitezone::test::e2e
