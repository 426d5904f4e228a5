// End-to-end: bad flags, bad config and bad input give exit code 2 and a one-line message
// that says what was wrong, where, and how to fix it, and write nothing; existing outputs are
// kept unless --overwrite; a failed write leaves nothing behind.

#include "e2e/e2e.hpp"

#include <gtest/gtest.h>

namespace whitezone::test::e2e {
namespace {

namespace fs = std::filesystem;

// One case per line. Arguments follow "analyze" (unless the case is about the subcommand);
// "{data}" is tests/data, "{tmp}" a fresh folder holding:
//   out/        an empty folder; "--out {tmp}/out/result.gpkg" is added unless a case has --out
//   empty/      an empty folder
//   noprj.shp   tests/data/wgs84_villages.geojson as a Shapefile without its .prj
//   table.gpkg  a GeoPackage whose only layer is an attribute table (no geometry)
// `what` names the problem and where it is; `fix` is the part of the message that says what to
// do. `lines` is 1 for our messages; CLI11's parse errors add a second line (the help hint).
struct BadCase {
    const char* name;
    std::vector<std::string> args;
    int code;
    const char* what;
    const char* fix;
    std::size_t lines = 1;
};

const std::string kS = "{data}/known_stations.geojson";
const std::string kV = "{data}/wgs84_villages.geojson";

// One line per case: clang-format would break them up.
// clang-format off
const BadCase kBadCases[] = {
    // --- flags --------------------------------------------------------------------------
    {"NoSubcommand", {}, 2, "A subcommand is required", "whitezone --help", 2},
    {"UnknownFlag", {"analyze", "--stations", kS, "--villages", kV, "--bogus"}, 2, "--bogus", "analyze --help", 2},
    {"UnknownFormat", {"analyze", "--stations", kS, "--villages", kV, "--format", "kml"}, 2, "--format 'kml' is not known", "use gpkg, geojson, shp, csv, fgb, postgis or console"},
    {"NegativeThreads", {"analyze", "--stations", kS, "--villages", kV, "--threads", "-1"}, 2, "--threads -1 is out of range", "from 1 to 1024"},
    {"UnknownStatusRule", {"analyze", "--stations", kS, "--villages", kV, "--status-rule", "vote"}, 2, "'vote' is not known", "use centre or area_share"},
    {"NoVillages", {"analyze", "--stations", kS}, 2, "no villages given", "pass --villages FILE"},
    {"NoStations", {"analyze", "--villages", kV}, 2, "no stations given", "pass --stations FILE"},
    {"GeographicWorkCrs", {"analyze", "--stations", kS, "--villages", kV, "--work-crs", "EPSG:4326"}, 2, "\"work_crs\" 'EPSG:4326' (WGS 84) is not projected in metres", "e.g. a UTM zone"},
    // --- config -------------------------------------------------------------------------
    {"ConfigUnknownKey", {"analyze", "--stations", kS, "--villages", kV, "--config", "{data}/config_unknown_key.json"}, 2, "unknown key \"radius\"", "valid keys at the top level are"},
    {"ConfigMalformedJson", {"analyze", "--stations", kS, "--villages", kV, "--config", "{data}/config_malformed.json"}, 2, "config_malformed.json' is not valid JSON", "fix the file"},
    {"ConfigWrongType", {"analyze", "--stations", kS, "--villages", kV, "--config", "{data}/config_bad_value.json"}, 2, "\"quad_segs\" must be a number, not \"many\"", "must be a number"},
    {"ConfigMissing", {"analyze", "--stations", kS, "--villages", kV, "--config", "{tmp}/none.json"}, 2, "config file '{tmp}/none.json' cannot be read", "check the path given to --config"},
    // --- files and layers ---------------------------------------------------------------
    {"VillagesMissing", {"analyze", "--stations", kS, "--villages", "{tmp}/nowhere.gpkg"}, 2, "villages file '{tmp}/nowhere.gpkg' does not exist", "check the path given to --villages"},
    {"VillagesIsAFolder", {"analyze", "--stations", kS, "--villages", "{tmp}/empty"}, 2, "villages '{tmp}/empty' is a folder without vector layers", "give the file itself"},
    {"VillagesUnreadable", {"analyze", "--stations", kS, "--villages", "{data}/not_geojson.geojson"}, 2, "cannot open villages", "'ogrinfo"},
    // Both read at once (two threads): the stations' error is the one reported, as on one thread.
    {"BothUnreadable", {"analyze", "--stations", "{data}/not_geojson.geojson", "--villages", "{data}/not_geojson.geojson", "--threads", "2"}, 2, "cannot open stations", "'ogrinfo"},
    {"VillagesUnknownLayer", {"analyze", "--stations", kS, "--villages", kV, "--villages-layer", "thon"}, 2, "has no layer 'thon'; its layers are 'wgs84_villages'", "pass one of them to --villages-layer"},
    {"VillagesAttributeTable", {"analyze", "--stations", kS, "--villages", "{tmp}/table.gpkg"}, 2, "table.gpkg, layer 'cells' has no geometry", "pick a layer with geometry"},
    {"StationsAttributeTable", {"analyze", "--stations", "{tmp}/table.gpkg", "--villages", kV}, 2, "layer 'cells' has no geometry; stations must be points", "pick a layer with geometry"},
    {"StationsCsvWithoutCoordinates", {"analyze", "--stations", "{data}/stations_no_coords.csv", "--villages", kV}, 2, "stations_no_coords.csv has no coordinates", "\"stations.fields.lon\""},
    {"VillagesEmpty", {"analyze", "--stations", kS, "--villages", "{data}/villages_empty.geojson"}, 2, "villages_empty.geojson has no villages", "at least one feature"},
    {"ShapefileWithoutPrj", {"analyze", "--stations", kS, "--villages", "{tmp}/noprj.shp"}, 2, "noprj.shp has no CRS", "set \"villages.crs\""},
    // --- rows and fields ----------------------------------------------------------------
    {"LatitudeNotANumber", {"analyze", "--stations", "{data}/stations_bad_lat.csv", "--villages", kV}, 2, "stations_bad_lat.csv row 2, column 'lat': 'twenty' is not a number", "decimal number with a point"},
    {"PopulationNotANumber", {"analyze", "--stations", kS, "--villages", "{data}/villages_bad_population.geojson"}, 2, "row 2, field 'population': 'many' is not a number", "or leave it empty"},
    {"UnknownTechnologiesListed", {"analyze", "--stations", "{data}/stations_wimax.csv", "--villages", kV}, 2, "unknown technology values 'WiMAX' (2 rows, first row 2), 'iDEN'", "use 2G, 3G, 4G or 5G"},
    {"NoTechnologyField", {"analyze", "--stations", "{data}/stations_no_tech.csv", "--villages", kV}, 2, "stations_no_tech.csv has no technology field", "\"stations.fields.tech\""},
    {"LongitudeOutOfRange", {"analyze", "--stations", "{data}/stations_lon200.csv", "--villages", kV}, 2, "row 1: coordinate (200.000000, 21.850000) is out of range", "set \"stations.crs\""},
    {"ProjectedCsvWithoutCrs", {"analyze", "--stations", kS, "--villages", "{data}/known_villages.csv"}, 2, "known_villages.csv row 1: coordinate (599950.000000, 2400950.000000) is out of range", "set \"villages.crs\""},
    // --- output -------------------------------------------------------------------------
    {"OutputFolderMissing", {"analyze", "--stations", kS, "--villages", kV, "--out", "{tmp}/missing/result.gpkg"}, 2, "cannot write into folder '{tmp}/missing' (does not exist)", "create it or choose another --out"},
    {"GeoPackageOntoAFolder", {"analyze", "--stations", kS, "--villages", kV, "--out", "{tmp}/out", "--overwrite"}, 2, "output '{tmp}/out' is a folder", "give a path ending in .gpkg"},
    {"ShapefileOfMixedGeometries", {"analyze", "--stations", kS, "--villages", "{data}/mixed_villages.geojson", "--format", "shp", "--out", "{tmp}/out/result"}, 2, "the villages mix points and polygons", "use --format gpkg or geojson"},
};
// clang-format on

// ctest names the case by this (GoogleTest would print the bytes of the struct).
void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class BadInput : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadInput, FailsWithCode2AMessageAndNoOutput) {
    const BadCase& c = GetParam();
    TempDir tmp;
    fs::create_directory(tmp.path() / "out");
    fs::create_directory(tmp.path() / "empty");
    write_shapefile_without_prj(data_path("wgs84_villages.geojson"), tmp.file("noprj.shp"));
    write_attribute_table_gpkg(tmp.file("table.gpkg"));

    std::vector<std::string> args;
    bool has_out = false;
    for (const auto& a : c.args) {
        args.push_back(expand(a, tmp.path()));
        has_out = has_out || a == "--out";
    }
    if (!has_out && !args.empty())
        args.insert(args.end(), {"--out", tmp.file("out/result.gpkg")});

    const auto before = list_tree(tmp.path());
    const auto cwd_before = list_tree(fs::current_path());
    const RunResult r = run_in_process(args);

    EXPECT_EQ(r.code, c.code) << r.err;
    EXPECT_EQ(r.out, "") << "nothing on stdout after an error";
    // A failure after the analysis (the write) follows the warnings of the village flags.
    EXPECT_EQ(without_flag_warnings(r.err).rfind("error: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(expand(c.what, tmp.path())), std::string::npos)
        << "expected '" << expand(c.what, tmp.path()) << "' in:\n"
        << r.err;
    EXPECT_NE(r.err.find(c.fix), std::string::npos) << "expected '" << c.fix << "' in:\n" << r.err;
    EXPECT_EQ(line_count(without_flag_warnings(r.err)), c.lines) << r.err;
    EXPECT_EQ(list_tree(tmp.path()), before) << "a failed run must write nothing";
    EXPECT_EQ(list_tree(fs::current_path()), cwd_before);
}

INSTANTIATE_TEST_SUITE_P(Analyze, BadInput, ::testing::ValuesIn(kBadCases),
                         [](const ::testing::TestParamInfo<BadCase>& param) {
                             return std::string(param.param.name);
                         });

TEST(ExistingOutput, IsKeptWithoutOverwrite) {
    TempDir tmp;
    const std::string out = tmp.file("results.gpkg");
    ASSERT_EQ(run_in_process(known_args(out)).code, 0);
    const std::string before = read_file(out);
    const RunResult r = run_in_process(known_args(out));
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("'" + out + "' already exists"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("pass --overwrite to replace it"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(out), before);
    EXPECT_EQ(list_tree(tmp.path()), std::set<std::string>{"results.gpkg"});
}

TEST(ExistingOutput, IsReplacedWithOverwrite) {
    TempDir tmp;
    const std::string out = tmp.file("results.gpkg");
    ASSERT_EQ(run_in_process(known_args(out, {"--status-rule", "area_share"})).code, 0);
    const RunResult r = run_in_process(known_args(out, {"--overwrite"}));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(without_flag_warnings(r.err), "");
    std::vector<std::string> layers = kLayers;
    layers.emplace_back("summary_operators"); // per unit and operator (docs/output.md)
    layers.emplace_back("layer_styles");      // QGIS's default styles (docs/output.md)
    layers.emplace_back("provenance");        // docs/output.md#provenance
    EXPECT_EQ(layer_names(out), layers);
    EXPECT_EQ(feature_count(out, "villages"), 5);
    EXPECT_EQ(list_tree(tmp.path()), std::set<std::string>{"results.gpkg"})
        << "neither the temporary nor the old output is left";
}

// A folder is replaced only when whitezone wrote it (its manifest, .whitezone.json).
TEST(ExistingOutput, FolderIsKeptWithoutOverwriteAndReplacedWithIt) {
    TempDir tmp;
    const std::string out = tmp.file("results");
    ASSERT_EQ(run_in_process(known_args(out, {"--format", "csv"})).code, 0);
    const std::set<std::string> csv = list_tree(tmp.path());
    EXPECT_EQ(csv.count("results/.whitezone.json"), 1u);

    const RunResult kept = run_in_process(known_args(out, {"--format", "geojson"}));
    EXPECT_EQ(kept.code, 2);
    EXPECT_NE(kept.err.find("pass --overwrite"), std::string::npos) << kept.err;
    EXPECT_EQ(list_tree(tmp.path()), csv);

    const RunResult replaced =
        run_in_process(known_args(out, {"--format", "geojson", "--overwrite"}));
    ASSERT_EQ(replaced.code, 0) << replaced.err;
    EXPECT_EQ(
        list_tree(tmp.path()),
        (std::set<std::string>{"results", "results/.whitezone.json", "results/villages.geojson",
                               "results/coverage.geojson", "results/stations.geojson",
                               "results/summary.geojson", "results/sites.geojson",
                               "results/summary_operators.geojson", "results/provenance.json"}));
}

// "results/" is the folder "results" in the current folder, not something inside it.
TEST(ExistingOutput, FolderGivenWithATrailingSlashIsWrittenAndReplaced) {
    TempDir tmp;
    const std::string out = tmp.file("results") + "/";
    const std::set<std::string> written{"results",
                                        "results/.whitezone.json",
                                        "results/villages.geojson",
                                        "results/coverage.geojson",
                                        "results/stations.geojson",
                                        "results/summary.geojson",
                                        "results/sites.geojson",
                                        "results/summary_operators.geojson",
                                        "results/provenance.json"};
    const RunResult first = run_in_process(known_args(out, {"--format", "geojson"}));
    ASSERT_EQ(first.code, 0) << first.err;
    EXPECT_EQ(list_tree(tmp.path()), written);
    const RunResult again = run_in_process(known_args(out, {"--format", "geojson", "--overwrite"}));
    ASSERT_EQ(again.code, 0) << again.err;
    EXPECT_EQ(list_tree(tmp.path()), written);
}

// Mixed points and polygons cannot go into a Shapefile: the run fails, nothing temporary is
// left, and the old output is untouched.
TEST(FailedWrite, LeavesNoTemporaryFilesAndKeepsTheOldOutput) {
    TempDir tmp;
    const std::string out = tmp.file("results");
    ASSERT_EQ(run_in_process(known_args(out, {"--format", "shp"})).code, 0);
    const std::set<std::string> before = list_tree(tmp.path());
    const std::string dbf = read_file(tmp.path() / "results" / "villages.dbf");
    const RunResult r = run_in_process(
        {"analyze", "--stations", data_path("known_stations.geojson"), "--villages",
         data_path("mixed_villages.geojson"), "--format", "shp", "--overwrite", "--out", out});
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("mix points and polygons"), std::string::npos) << r.err;
    EXPECT_EQ(list_tree(tmp.path()), before);
    EXPECT_EQ(read_file(tmp.path() / "results" / "villages.dbf"), dbf);
}

TEST(FailedWrite, BadInputWithOverwriteKeepsTheOldOutput) {
    TempDir tmp;
    const std::string out = tmp.write("results.gpkg", "last year's results");
    const RunResult r =
        run_in_process({"analyze", "--stations", data_path("stations_wimax.csv"), "--villages",
                        data_path("wgs84_villages.geojson"), "--overwrite", "--out", out});
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_EQ(read_file(out), "last year's results");
    EXPECT_EQ(list_tree(tmp.path()), std::set<std::string>{"results.gpkg"});
}

// Input fields whose names the output format uses itself: QGIS exports carry "fid", and a
// CSV read through its WKT column carries "WKT". They are kept, renamed with "_in", and the
// output stays readable.
TEST(OutputFields, InputFieldsNamedFidAndGeomAreCarriedIntoAGeoPackage) {
    TempDir tmp;
    const std::string out = tmp.file("fid.gpkg");
    const RunResult r =
        run_in_process({"analyze", "--stations", data_path("known_stations.geojson"), "--villages",
                        data_path("villages_with_fid.geojson"), "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(without_flag_warnings(r.err), "");
    const auto villages = read_layer_features(out, "villages");
    ASSERT_EQ(villages.size(), 2u);
    EXPECT_EQ(villages[0].text("fid_in"), "17");
    EXPECT_EQ(villages[1].text("fid_in"), "17");
    EXPECT_EQ(villages[0].text("geom_in"), "thôn cũ");
    EXPECT_EQ(villages[0].text("village_id"), "F1");
}

// An input field named like an output field and another named like its renamed copy
// (status_any, status_any_in): the first becomes status_any_in2, and in every format each
// value stays under its own name (GeoJSON once shifted every later value by one field).
TEST(OutputFields, RenamedInputFieldsNeverTakeAnotherFieldsName) {
    TempDir tmp;
    std::string text = read_file(data_path("villages_with_fid.geojson"));
    for (std::size_t at; (at = text.find("\"fid\": 17, ")) != std::string::npos;)
        text.replace(at, 11, "\"status_any\": \"A\", \"status_any_in\": \"B\", ");
    const std::string villages = tmp.write("villages.geojson", text);
    for (const char* format : {"gpkg", "geojson", "fgb", "csv"}) {
        SCOPED_TRACE(format);
        const std::string out = tmp.file(std::string("out-") + format);
        const RunResult r =
            run_in_process({"analyze", "--stations", data_path("known_stations.geojson"),
                            "--villages", villages, "--format", format, "--out", out});
        ASSERT_EQ(r.code, 0) << r.err;
        const auto rows = std::string(format) == "gpkg"
                              ? read_layer_features(out, "villages")
                              : read_layer_features(out + "/villages." + format, "villages");
        ASSERT_EQ(rows.size(), 2u);
        const OutFeature& f1 = find_feature(rows, "village_id", "F1"); // FlatGeobuf reorders
        EXPECT_EQ(f1.text("status_any_in2"), "A");
        EXPECT_EQ(f1.text("status_any_in"), "B");
        const std::string status = f1.text("status_any");
        EXPECT_TRUE(status == "white" || status == "covered" || status == "partial") << status;
    }
}

TEST(OutputFields, CsvInputWithAWktColumnWritesOneGeometryColumnToCsv) {
    TempDir tmp;
    const fs::path out = tmp.path() / "results";
    const RunResult r = run_in_process({"analyze", "--stations", data_path("known_stations.csv"),
                                        "--villages", data_path("known_villages.csv"), "--config",
                                        data_path("known_config_utm_csv.json"), "--format", "csv",
                                        "--out", out.string()});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string file = (out / "villages.csv").string();
    EXPECT_EQ(geometry_field_count(file, "villages"), 1)
        << "header: " << read_file(file).substr(0, read_file(file).find('\n'));
    const auto villages = read_layer_features(file, "villages");
    ASSERT_EQ(villages.size(), 5u);
    EXPECT_EQ(villages[0].wkt.rfind("MULTIPOLYGON", 0), 0u) << villages[0].wkt;
}

TEST(Help, ListsTheAnalyzeOptionsWithExitCode0) {
    const RunResult r = run_in_process({"analyze", "--help"});
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(without_flag_warnings(r.err), "");
    for (const char* flag :
         {"--stations", "--villages", "--settlements", "--centres", "--config", "--out", "--format",
          "--overwrite", "--threads", "--stations-layer", "--villages-layer", "--verbose"})
        EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
}

} // namespace
} // namespace whitezone::test::e2e
