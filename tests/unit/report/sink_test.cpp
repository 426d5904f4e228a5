// The file sinks (report/sinks/sink.hpp). Side files: the ITM model's GeoTIFFs and tables go
// with the output, written before it is swapped in, so one that fails leaves the old output
// and every old side file as they were, with no temporary left behind. Shapefiles: field
// names and text values within dBase's byte limits, cut at UTF-8 character boundaries
// (docs/output.md#shapefile-limits).

#include "whitezone/error.hpp"
#include "whitezone/provenance.hpp"

#include "common/files.hpp"
#include "common/text.hpp"
#include "common/unicode.hpp"
#include "report/sinks/ogr_table.hpp"
#include "report/sinks/sink.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <set>
#include <sqlite3.h>
#include <string>
#include <thread>
#include <vector>

namespace whitezone {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every name under `root`, recursively, relative to it.
std::set<std::string> tree(const fs::path& root) {
    std::set<std::string> names;
    for (const auto& e : fs::recursive_directory_iterator(root))
        names.insert(fs::relative(e.path(), root).string());
    return names;
}

report::SideFile text_file(const std::string& name, const std::string& text) {
    return {name, [text](const fs::path& f) { std::ofstream(f, std::ios::binary) << text; }};
}

report::SideFile failing_file(const std::string& name) {
    return {name, [](const fs::path& f) {
                std::ofstream(f, std::ios::binary) << "half";
                throw ExternalError("report: cannot write '" + f.filename().string() + "'");
            }};
}

// The side files are written at once with the output on `threads` threads
// (make_file_sink()); every test of them runs with one thread and with more.
void write_output(const fs::path& out, OutputFormat format, bool overwrite,
                  std::vector<report::SideFile> side, int threads = 1) {
    report::make_file_sink(out.string(), format, overwrite, "EPSG:4326", "write", nullptr, true,
                           std::move(side), {}, threads)
        ->write({});
}

class SideFiles : public ::testing::TestWithParam<int> {};
INSTANTIATE_TEST_SUITE_P(Threads, SideFiles, ::testing::Values(1, 3));

TEST_P(SideFiles, BesideAGeoPackageTheyAreNamedAfterItAndAFailureKeepsTheOldOnes) {
    const auto write = [threads = GetParam()](const fs::path& out, OutputFormat format,
                                              bool overwrite, std::vector<report::SideFile> side) {
        write_output(out, format, overwrite, std::move(side), threads);
    };
    test::TempDir tmp;
    const fs::path& dir = tmp.path();
    const fs::path out = dir / "results.gpkg";
    write(out, OutputFormat::GeoPackage, false,
          {text_file("a.tif", "one"), text_file("b.csv", "one")});
    EXPECT_EQ(read_all(dir / "results_a.tif"), "one");
    EXPECT_EQ(read_all(dir / "results_b.csv"), "one");
    EXPECT_EQ(report::side_file_path(out, OutputFormat::GeoPackage, "a.tif"),
              dir / "results_a.tif");
    const std::string gpkg = read_all(out);
    const auto before = tree(dir);

    // The second side file fails: the new first one is not swapped in, nor is the output.
    EXPECT_THROW(write(out, OutputFormat::GeoPackage, true,
                       {text_file("a.tif", "two"), failing_file("b.csv")}),
                 ExternalError);
    EXPECT_EQ(read_all(dir / "results_a.tif"), "one");
    EXPECT_EQ(read_all(dir / "results_b.csv"), "one");
    EXPECT_EQ(read_all(out), gpkg);
    EXPECT_EQ(tree(dir), before) << "no temporary is left";

    // Without --overwrite an existing side file is refused like the output, and kept.
    fs::remove(out);
    EXPECT_THROW(write(out, OutputFormat::GeoPackage, false, {text_file("a.tif", "three")}),
                 InputError);
    EXPECT_EQ(read_all(dir / "results_a.tif"), "one");
    EXPECT_FALSE(fs::exists(out));

    // With --overwrite all of them are replaced together.
    write(out, OutputFormat::GeoPackage, true,
          {text_file("a.tif", "four"), text_file("b.csv", "four")});
    EXPECT_EQ(read_all(dir / "results_a.tif"), "four");
    EXPECT_EQ(read_all(dir / "results_b.csv"), "four");
}

TEST_P(SideFiles, InAFolderOutputTheyAreInsideItAndAFailureKeepsTheOldFolder) {
    const auto write = [threads = GetParam()](const fs::path& out, OutputFormat format,
                                              bool overwrite, std::vector<report::SideFile> side) {
        write_output(out, format, overwrite, std::move(side), threads);
    };
    test::TempDir tmp;
    const fs::path& dir = tmp.path();
    const fs::path out = dir / "results";
    write(out, OutputFormat::GeoJSON, false, {text_file("a.tif", "one")});
    EXPECT_EQ(read_all(out / "a.tif"), "one");
    EXPECT_EQ(report::side_file_path(out, OutputFormat::GeoJSON, "a.tif"), out / "a.tif");
    const auto before = tree(dir);
    EXPECT_THROW(
        write(out, OutputFormat::GeoJSON, true, {text_file("a.tif", "two"), failing_file("b.csv")}),
        ExternalError);
    EXPECT_EQ(read_all(out / "a.tif"), "one");
    EXPECT_EQ(tree(dir), before);
}

// A full disk fails every file being written at once, and not every driver's error says why
// (libtiff names a scanline): of the failures, the one that says the disk is full is reported,
// whichever came first.
TEST(SideFilesAtOnce, OfFailuresTheOneThatSaysTheDiskIsFullIsReported) {
    std::atomic<bool> full_started{false}, vague_failed{false};
    const auto wait_for = [](const std::atomic<bool>& flag) {
        for (int i = 0; i < 10000 && !flag; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    };
    const report::SideFile vague{"a.tif", [&](const fs::path&) {
                                     wait_for(full_started);
                                     vague_failed = true;
                                     throw ExternalError("report: a.tif: closing the output "
                                                         "failed: Write error at scanline 256");
                                 }};
    const report::SideFile full{"b.gpkg", [&](const fs::path&) {
                                    full_started = true;
                                    wait_for(vague_failed);
                                    throw ExternalError("report: b.gpkg: database or disk is full");
                                }};
    test::TempDir tmp;
    try {
        write_output(tmp.path() / "results.gpkg", OutputFormat::GeoPackage, false, {vague, full},
                     3);
        FAIL() << "both side files fail";
    } catch (const ExternalError& e) {
        EXPECT_TRUE(vague_failed) << "the vague failure came first";
        EXPECT_NE(std::string(e.what()).find("disk is full"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(tree(tmp.path()).empty()) << "no temporary is left";
}

// The hint added to a driver's error after a failed write: from the write's errno when it says
// the disk ran out of space (the space left may have been freed since by the removal of other
// failed files), else from the space left; nothing for another failure on a disk with room.
TEST(FullDiskHint, SaysTheDiskIsFullWhenTheWriteRanOutOfSpaceWhateverIsFreeNow) {
    test::TempDir tmp;
    const fs::path file = tmp.path() / "a.tif";
    std::ofstream(file) << "half";
    errno = ENOSPC;
    const std::string hint = files::full_disk_hint(file.string());
    EXPECT_NE(hint.find("the disk holding '" + tmp.path().string() + "' is full"),
              std::string::npos)
        << hint;
    errno = EIO;
    EXPECT_EQ(files::full_disk_hint(file.string()), "") << "the test's folder has room";
    errno = ENOSPC;
    EXPECT_EQ(files::full_disk_hint("PG:dbname=x"), "") << "not a file";
}

// --- Late tables ---------------------------------------------------------------------------

// A table whose rows are still being made (Table::late, the coverage dissolved beside the
// write) is filled after the others, and the file still lists the layers in the tables' order.
TEST(LateTables, AreFilledLastWithTheLayersInTheirOrder) {
    for (const OutputFormat format : {OutputFormat::GeoPackage, OutputFormat::GeoJSON}) {
        test::TempDir tmp;
        const fs::path out = tmp.path() / (format == OutputFormat::GeoPackage ? "r.gpkg" : "r");
        std::vector<std::string> filled; // each table's name when its first row is filled
        std::vector<report::Table> tables;
        for (const char* name : {"first", "late", "last"}) {
            report::Table t;
            t.info.name = name;
            t.info.geometry = GeometryType::Points;
            t.info.columns = {{"n", "n", ColumnType::Integer}};
            t.rows = 3;
            t.late = std::string(name) == "late";
            t.fill = [&filled, name](std::size_t i, report::Row& row) {
                if (i == 0)
                    filled.emplace_back(name);
                row.values[0] = static_cast<std::int64_t>(i);
                row.shape.kind = report::Shape::Kind::Point;
                row.shape.a = {106.0, 21.0 + 0.01 * static_cast<double>(i)};
            };
            tables.push_back(std::move(t));
        }
        report::make_file_sink(out.string(), format, false, "EPSG:4326", "write", nullptr, true, {})
            ->write(tables);
        EXPECT_EQ(filled, (std::vector<std::string>{"first", "last", "late"}));
        if (format == OutputFormat::GeoPackage) {
            const auto names = test::layer_names(out.string());
            ASSERT_GE(names.size(), 3u);
            EXPECT_EQ(std::vector<std::string>(names.begin(), names.begin() + 3),
                      (std::vector<std::string>{"first", "late", "last"}));
        }
        for (const char* name : {"first", "late", "last"}) {
            const fs::path file =
                format == OutputFormat::GeoPackage ? out : out / (std::string(name) + ".geojson");
            EXPECT_EQ(test::read_layer_features(file.string(), name).size(), 3u) << name;
        }
    }
}

// --- Shapefiles ----------------------------------------------------------------------------

// A table of points whose carried fields are `carried` and
// whose one own column is `own` (Shapefile name `own_shp`); row i's values are `values(i)`.
report::Table table_of(std::string name, const std::vector<FieldDef>& carried,
                       const std::string& own, const std::string& own_shp, std::size_t rows,
                       std::function<std::vector<Value>(std::size_t)> values) {
    report::Table t;
    t.info.name = std::move(name);
    t.info.geometry = GeometryType::Points;
    t.info.columns = {{own, own_shp, ColumnType::String}};
    t.carried = carried;
    t.rows = rows;
    t.fill = [values = std::move(values)](std::size_t i, report::Row& row) {
        row.values = values(i);
        row.shape.kind = report::Shape::Kind::Point;
        row.shape.a = {106.0 + 0.01 * static_cast<double>(i), 21.0};
    };
    return t;
}

// The field names of the one layer of `path` in order, as GDAL reads them.
std::vector<std::string> field_names(const fs::path& path) {
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds || ds->GetLayerCount() != 1)
        throw std::runtime_error("cannot open " + path.string());
    std::vector<std::string> names;
    const OGRFeatureDefn* defn = ds->GetLayer(0)->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i)
        names.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
    return names;
}

// The field names in the header of a .dbf, as stored (bytes up to the first NUL).
std::vector<std::string> dbf_header_names(const fs::path& dbf) {
    const std::string d = read_all(dbf);
    const std::size_t header = static_cast<unsigned char>(d.at(8)) |
                               static_cast<std::size_t>(static_cast<unsigned char>(d.at(9))) << 8;
    std::vector<std::string> names;
    for (std::size_t at = 32; at + 32 <= header && d[at] != '\x0D'; at += 32)
        names.emplace_back(d.c_str() + at, std::min<std::size_t>(11, std::strlen(d.c_str() + at)));
    return names;
}

const std::vector<FieldDef> kVietnameseFields = {
    {"Xã_phường", FieldType::String},       {"Xã_phường_cũ", FieldType::String},
    {"XÃ_PHƯỜNG", FieldType::String},       {"Tên_xã", FieldType::String},
    {"Dân_số", FieldType::Integer},         {"st_any", FieldType::String},
    {"population_2019", FieldType::String}, {"population_2020", FieldType::String},
};

std::vector<Value> vietnamese_row(std::size_t i) {
    return {std::string("Xã Đình Lập"),
            std::string("Xã Cũ"),
            std::string("XÃ ĐÌNH LẬP"),
            std::string("Lạng Sơn"),
            std::int64_t{1200 + static_cast<std::int64_t>(i)},
            std::string("theirs"),
            std::string("a"),
            std::string("b"),
            std::string("white")};
}

TEST(ShapefileNames, VietnameseNamesAreCutAtCharactersAndMadeUniqueWithinTenBytes) {
    test::TempDir tmp;
    const fs::path out = tmp.path() / "results";
    report::make_file_sink(out.string(), OutputFormat::Shapefile, false, "EPSG:4326", "write")
        ->write(
            {table_of("villages", kVietnameseFields, "status_any", "st_any", 2, vietnamese_row)});
    // Cut after a whole character ("Xã_phường" is 13 bytes; "ờ" would end at byte 11), then
    // "_2", "_3" (XÃ_PHƯ is xã_phư ignoring case) with the name before them cut to fit; an
    // input field named like an output field gets "_in" first, as in every format.
    const std::vector<std::string> expected = {"Xã_phư",     "Xã_phư_2",   "XÃ_PHƯ_3",
                                               "Tên_xã",     "Dân_số",     "st_any_in",
                                               "population", "populati_2", "st_any"};
    EXPECT_EQ(field_names(out / "villages.shp"), expected) << "as GDAL reads them back";
    const auto stored = dbf_header_names(out / "villages.dbf");
    EXPECT_EQ(stored, expected) << "as stored in the .dbf";
    std::set<std::string> folded;
    for (const std::string& name : stored) {
        EXPECT_LE(name.size(), report::kDbfNameBytes) << name;
        EXPECT_FALSE(text::invalid_utf8_at(name)) << text::printable(name);
        EXPECT_TRUE(folded.insert(unicode::fold_case(name)).second) << name << " twice";
    }
    // The .cpg declares UTF-8 (QGIS reads the names and values by it), and the values are
    // read back as written.
    EXPECT_EQ(read_all(out / "villages.cpg").substr(0, 5), "UTF-8");
    const auto features = test::read_layer_features((out / "villages.shp").string(), "villages");
    ASSERT_EQ(features.size(), 2u);
    EXPECT_EQ(features[0].text("Xã_phư"), "Xã Đình Lập");
    EXPECT_EQ(features[0].text("XÃ_PHƯ_3"), "XÃ ĐÌNH LẬP");
    EXPECT_EQ(features[1].text("Tên_xã"), "Lạng Sơn");
    EXPECT_EQ(features[1].number("Dân_số"), 1201);
}

TEST(ShapefileNames, OtherFormatsKeepTheInputNamesWhole) {
    test::TempDir tmp;
    const fs::path out = tmp.path() / "results.gpkg";
    report::make_file_sink(out.string(), OutputFormat::GeoPackage, false, "EPSG:4326", "write")
        ->write(
            {table_of("villages", kVietnameseFields, "status_any", "st_any", 2, vietnamese_row)});
    const auto features = test::read_layer_features(out.string(), "villages");
    ASSERT_EQ(features.size(), 2u);
    EXPECT_EQ(features[0].text("Xã_phường_cũ"), "Xã Cũ");
    EXPECT_EQ(features[0].text("population_2020"), "b");
    EXPECT_EQ(features[0].text("st_any"), "theirs") << "an output column named status_any";
    EXPECT_EQ(features[0].text("status_any"), "white");
}

TEST(ShapefileNames, AFieldThatFitsKeepsItsOwnNameBeforeARenamedOne) {
    report::Table t;
    t.info.columns = {{"status_any", "st_any", ColumnType::String}};
    t.carried = {{"abcdefghijk"}, {"abcdefghijz"}, {"abcdefgh_2"}, {"ST_ANY"}, {"st_any_in"}};
    // The second would be abcdefgh_2, but that is the third's own name; ST_ANY is the
    // output's st_any ignoring case: st_any_in, which the last one holds, so st_any_in2.
    EXPECT_EQ(report::shapefile_carried_names(t, {"st_any"}),
              (std::vector<std::string>{"abcdefghij", "abcdefgh_3", "abcdefgh_2", "ST_ANY_in2",
                                        "st_any_in"}));
}

TEST(ShapefileValues, TextLongerThan254BytesIsCutAtACharacterWithOneWarningPerField) {
    test::TempDir tmp;
    const fs::path out = tmp.path() / "results";
    // 1 + 3 * 100 bytes: the 254th byte is inside a three-byte "ờ".
    const std::string ids = "a" + [] {
        std::string s;
        for (int i = 0; i < 100; ++i)
            s += "ờ";
        return s;
    }();
    const std::string exact(254, 'x');
    std::vector<std::string> warnings, info;
    Log log;
    log.warn = [&](std::string_view m) { warnings.emplace_back(m); };
    log.info = [&](std::string_view m) { info.emplace_back(m); };
    report::make_file_sink(out.string(), OutputFormat::Shapefile, false, "EPSG:4326", "write",
                           nullptr, true, {}, log)
        ->write({table_of(
            "proposed_sites", {{"note", FieldType::String}}, "reached_ids", "reach_ids", 3,
            [&](std::size_t i) -> std::vector<Value> {
                return {i == 0 ? exact : std::string("short"), i == 1 ? ids : std::string("1,2")};
            })});
    const auto features =
        test::read_layer_features((out / "proposed_sites.shp").string(), "proposed_sites");
    ASSERT_EQ(features.size(), 3u);
    const std::string cut = features[1].text("reach_ids");
    EXPECT_EQ(cut.size(), 253u) << "1 + 84 whole characters of 3 bytes";
    EXPECT_FALSE(text::invalid_utf8_at(cut));
    EXPECT_EQ(ids.substr(0, cut.size()), cut);
    EXPECT_EQ(features[0].text("note"), exact) << "254 bytes fit";
    EXPECT_EQ(features[2].text("reach_ids"), "1,2");

    ASSERT_EQ(warnings.size(), 1u) << "one field cut, once";
    const std::string& w = warnings[0];
    for (const char* part :
         {"write: layer 'proposed_sites', field 'reached_ids' ('reach_ids' in the file)",
          "1 of 3 values", "254 bytes", "--format gpkg --out FILE.gpkg"})
        EXPECT_TRUE(test::contains(w, part)) << w;
    EXPECT_TRUE(info.empty()) << "no field was renamed: " << (info.empty() ? "" : info[0]);

    // A GeoPackage holds the value whole, without a warning.
    warnings.clear();
    const fs::path gpkg = tmp.path() / "results.gpkg";
    report::make_file_sink(gpkg.string(), OutputFormat::GeoPackage, false, "EPSG:4326", "write",
                           nullptr, true, {}, log)
        ->write({table_of("proposed_sites", {}, "reached_ids", "reach_ids", 1,
                          [&](std::size_t) -> std::vector<Value> { return {ids}; })});
    EXPECT_EQ(test::read_layer_features(gpkg.string(), "proposed_sites")[0].text("reached_ids"),
              ids);
    EXPECT_TRUE(warnings.empty());
}

// The cut is a warning of the write itself, issued after the run's provenance was made: it
// is counted in the provenance.json written with the layers all the same, after the run's own
// warnings, and a second write with the same sink counts it once again, not twice.
TEST(ShapefileValues, CutValuesAreCountedInTheProvenanceWritten) {
    test::TempDir tmp;
    const fs::path out = tmp.path() / "results";
    Provenance run;
    run.version = "test";
    run.warnings = {{"villages: 3 villages flagged no_population", 1}};
    std::vector<std::string> printed;
    Log log;
    log.warn = [&](std::string_view m) { printed.emplace_back(m); };
    const auto sink = report::make_file_sink(out.string(), OutputFormat::Shapefile, true,
                                             "EPSG:4326", "write", &run, true, {}, log);
    const report::Table table =
        table_of("proposed_sites", {}, "reached_ids", "reach_ids", 2,
                 [](std::size_t i) -> std::vector<Value> {
                     return {i == 0 ? std::string(300, 'x') : std::string("1,2")};
                 });
    for (int pass = 0; pass < 2; ++pass) {
        sink->write({table});
        const auto doc = nlohmann::json::parse(read_all(out / "provenance.json"));
        const auto& warnings = doc.at("warnings");
        ASSERT_EQ(warnings.size(), 2u) << doc.dump(1);
        EXPECT_EQ(warnings[0].at("message"), run.warnings[0].message);
        EXPECT_EQ(warnings[0].at("count"), 1);
        EXPECT_EQ(warnings[1].at("message"), printed.back());
        EXPECT_TRUE(test::contains(printed.back(), "field 'reached_ids'")) << printed.back();
        EXPECT_EQ(warnings[1].at("count"), 1) << "pass " << pass;
    }
    EXPECT_EQ(printed.size(), 2u) << "printed once per write";
    EXPECT_EQ(run.warnings.size(), 1u) << "the run's own record is not changed";
}

// --- GeoPackage pages ----------------------------------------------------------------------

// A GeoPackage's SQLite page size, as the file says.
long page_size(const fs::path& file) {
    const std::vector<std::string> size = test::sqlite_rows(file, "PRAGMA page_size");
    return size.size() == 1 ? std::stol(size[0]) : 0;
}

// Pages of 16 KiB (a quarter of SQLite's default count for the same rows: the national write
// is faster, docs/performance.md), unless the user gives GDAL a page size of their own.
TEST(GeoPackagePages, AreOf16KiBUnlessTheUserGivesGdalAnother) {
    test::TempDir tmp;
    report::Table t = table_of("points", {}, "name", "name", 2000, [](std::size_t i) {
        return std::vector<Value>{std::string("Thôn ") + std::to_string(i)};
    });
    const fs::path ours = tmp.path() / "ours.gpkg";
    report::make_file_sink(ours.string(), OutputFormat::GeoPackage, false, "EPSG:4326", "write")
        ->write({t});
    EXPECT_EQ(page_size(ours), 16384);
    EXPECT_EQ(test::read_layer_features(ours.string(), "points").size(), 2000u);

    const fs::path theirs = tmp.path() / "theirs.gpkg";
    CPLSetConfigOption("OGR_SQLITE_PRAGMA", "page_size=8192");
    report::make_file_sink(theirs.string(), OutputFormat::GeoPackage, false, "EPSG:4326", "write")
        ->write({t});
    CPLSetConfigOption("OGR_SQLITE_PRAGMA", nullptr);
    EXPECT_EQ(page_size(theirs), 8192);
    EXPECT_EQ(test::read_layer_features(theirs.string(), "points").size(), 2000u);
}

} // namespace
} // namespace whitezone
