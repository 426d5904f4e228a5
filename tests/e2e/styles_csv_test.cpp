// End-to-end: the outputs as QGIS users and spreadsheet users open them (docs/output.md):
// QGIS's layer_styles table in every GeoPackage (PyQGIS checks it loads:
// tests/qgis/check_styles.py), and CSV files that Excel reads: numbers unquoted, a UTF-8
// byte-order mark unless output.csv_bom is false, the CRS in a .prj beside each file with
// geometry and the field types in a .csvt.

#include "whitezone/compare.hpp"

#include "e2e/e2e.hpp"
#include "report/styles.hpp"

#include <gdal_priv.h>
#include <gdal_utils.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <array>
#include <regex>

namespace whitezone::test::e2e {
namespace {

namespace fs = std::filesystem;

const std::string kBom = "\xEF\xBB\xBF";

// `analyze` of the CSV fixture (its fields are read as text, numbers included) to a CSV
// folder, with `config` (tests/data/known_config_utm_csv.json when empty).
RunResult analyze_to_csv(const fs::path& out, const std::string& config = "") {
    return run_in_process({"analyze", "--stations", data_path("known_stations.csv"), "--villages",
                           data_path("known_villages.csv"), "--config",
                           config.empty() ? data_path("known_config_utm_csv.json") : config,
                           "--format", "csv", "--out", out.string()});
}

struct StyleRow {
    std::string geometry_column;
    std::string qml;
    std::string sld;
    int default_style = 0;
};

std::map<std::string, StyleRow> layer_styles(const std::string& gpkg) {
    GDALDatasetUniquePtr ds(GDALDataset::Open(gpkg.c_str(), GDAL_OF_VECTOR));
    std::map<std::string, StyleRow> rows;
    OGRLayer* layer = ds ? ds->GetLayerByName("layer_styles") : nullptr;
    if (!layer)
        return rows;
    while (OGRFeatureUniquePtr f{layer->GetNextFeature()})
        rows[f->GetFieldAsString("f_table_name")] = {
            f->GetFieldAsString("f_geometry_column"), f->GetFieldAsString("styleQML"),
            f->GetFieldAsString("styleSLD"), f->GetFieldAsInteger("useAsDefault")};
    return rows;
}

TEST(QgisStyles, EveryGeoPackageLayerWithGeometryHasADefaultStyleInLayerStyles) {
    TempDir tmp;
    const std::string out = tmp.file("results.gpkg");
    const RunResult r = run_in_process(known_args(out));
    ASSERT_EQ(r.code, 0) << r.err;
    const auto styles = layer_styles(out);
    ASSERT_EQ(styles.size(), 3u);
    for (const std::string layer : {"villages", "coverage", "stations"}) {
        SCOPED_TRACE(layer);
        ASSERT_EQ(styles.count(layer), 1u);
        const StyleRow& s = styles.at(layer);
        EXPECT_EQ(s.geometry_column, "geom");
        EXPECT_EQ(s.default_style, 1);
        EXPECT_TRUE(contains(s.qml, "<renderer-v2 type=\"categorizedSymbol\"")) << s.qml;
        EXPECT_TRUE(contains(s.sld, "<StyledLayerDescriptor")) << s.sld;
    }
    // The villages: by broadband status, labelled with the field their names were read from.
    const std::string& qml = styles.at("villages").qml;
    EXPECT_TRUE(contains(qml, "attr=\"status_broadband\"")) << qml;
    for (const char* status : {"white", "partial", "covered"})
        EXPECT_TRUE(contains(qml, std::string("value=\"") + status + "\"")) << status;
    EXPECT_TRUE(contains(qml, "labelsEnabled=\"1\"")) << qml;
    EXPECT_TRUE(contains(qml, "fieldName=\"name\"")) << qml;
    EXPECT_TRUE(contains(styles.at("coverage").qml, "attr=\"class\""));
    EXPECT_TRUE(contains(styles.at("stations").qml, "attr=\"technology\""));
}

// The looks name fields that the layers have (layers.cpp), not copies that could drift.
TEST(QgisStyles, EachLookIsCategorisedOnAFieldOfItsLayer) {
    const std::map<std::string, std::string> expected{
        {"villages", "status_broadband"}, {"coverage", "class"},
        {"stations", "technology"},       {"proposed_sites", "connected"},
        {"backhaul_links", ""},           {"planned_stations", "technology"},
        {"unlinkable_candidates", ""}};
    std::size_t looked = 0;
    for (const LayerInfo& info : output_layers({.plan = true, .whatif = true, .trend = true})) {
        SCOPED_TRACE(info.name);
        report::Table table{info, {}, 0, {}, {}};
        const auto look = report::look_of(table);
        if (info.geometry == GeometryType::None) {
            EXPECT_FALSE(look.has_value());
            continue;
        }
        ASSERT_TRUE(look.has_value());
        ASSERT_EQ(expected.count(info.name), 1u);
        EXPECT_EQ(look->field, expected.at(info.name));
        std::set<std::string> colours;
        for (const auto& c : look->classes)
            colours.insert(c.colour);
        EXPECT_EQ(colours.size(), look->classes.size()) << "every class its own colour";
        ++looked;
    }
    EXPECT_EQ(looked, expected.size());
}

TEST(QgisStyles, TheChangesLayerIsStyledByItsBroadbandTransition) {
    for (const LayerInfo& info : output_layers({.analysis = false, .changes = true})) {
        if (info.name != "changes")
            continue;
        const auto look = report::look_of(report::Table{info, {}, 0, {}, {}});
        ASSERT_TRUE(look.has_value());
        EXPECT_EQ(look->field, "transition_broadband");
        EXPECT_EQ(look->classes.size(), kTransitions.size());
        return;
    }
    FAIL() << "no changes layer";
}

TEST(CsvOutput, NumbersAreUnquotedAndVietnameseNamesIntactAfterAByteOrderMark) {
    TempDir tmp;
    const fs::path out = tmp.path() / "results";
    const RunResult r = analyze_to_csv(out);
    ASSERT_EQ(r.code, 0) << r.err;
    const std::regex quoted_number("\"-?[0-9]+(\\.[0-9]+)?\"");
    for (const std::string layer : {"villages", "stations", "summary", "sites", "coverage"}) {
        SCOPED_TRACE(layer);
        const std::string text = read_file(out / (layer + ".csv"));
        EXPECT_EQ(text.substr(0, 3), kBom);
        EXPECT_FALSE(std::regex_search(text, quoted_number)) << text.substr(0, 400);
    }
    const std::string villages = read_file(out / "villages.csv");
    // The input's population, read as text from the CSV, is written as it came: 100.
    EXPECT_TRUE(contains(villages, ",Bản Trong,100,20,")) << villages.substr(0, 600);
    EXPECT_TRUE(contains(villages, "Bản Núi")) << villages.substr(0, 600);
    // GDAL reads the file back (the byte-order mark skipped) with the names intact.
    const auto features = read_layer_features((out / "villages.csv").string(), "villages");
    ASSERT_EQ(features.size(), 5u);
    EXPECT_EQ(features[0].text("name"), "Bản Trong");
}

TEST(CsvOutput, CsvBomFalseWritesNoByteOrderMark) {
    TempDir tmp;
    const std::string config =
        tmp.write("config.json", "{\"villages\": {\"crs\": \"EPSG:32648\"}, \"stations\": "
                                 "{\"crs\": \"EPSG:32648\"}, \"output\": {\"csv_bom\": false}}");
    const fs::path out = tmp.path() / "results";
    const RunResult r = analyze_to_csv(out, config);
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string text = read_file(out / "villages.csv");
    EXPECT_NE(text.substr(0, 3), kBom);
    EXPECT_EQ(text.rfind("WKT,village_id,name", 0), 0u) << text.substr(0, 100);
}

TEST(CsvOutput, TheCrsIsWrittenBesideEachFileWithGeometry) {
    TempDir tmp;
    const fs::path out = tmp.path() / "results";
    ASSERT_EQ(analyze_to_csv(out).code, 0);
    for (const std::string layer : {"villages", "coverage", "stations"}) {
        SCOPED_TRACE(layer);
        ASSERT_TRUE(fs::exists(out / (layer + ".prj")));
        OGRSpatialReference prj, utm48n;
        ASSERT_EQ(prj.SetFromUserInput(read_file(out / (layer + ".prj")).c_str()), OGRERR_NONE);
        utm48n.importFromEPSG(32648);
        EXPECT_TRUE(prj.IsSame(&utm48n)) << read_file(out / (layer + ".prj"));
        EXPECT_TRUE(fs::exists(out / (layer + ".csvt")));
    }
    // Tables without geometry have no CRS: their types only.
    EXPECT_FALSE(fs::exists(out / "summary.prj"));
    EXPECT_TRUE(fs::exists(out / "summary.csvt"));
}

// A GeoPackage a user styled in QGIS holds QGIS's `layer_styles` table beside the data; it is
// not data, so the villages are read without --villages-layer (and so is a whitezone output).
TEST(QgisStyles, AnInputStyledInQgisIsReadWithoutNamingItsLayer) {
    TempDir tmp;
    const std::string styled = tmp.file("styled.gpkg");
    {
        GDALAllRegister();
        GDALDatasetUniquePtr src(
            GDALDataset::Open(data_path("known_villages.geojson").c_str(), GDAL_OF_VECTOR));
        ASSERT_TRUE(src);
        std::array<char*, 3> argv{const_cast<char*>("-f"), const_cast<char*>("GPKG"), nullptr};
        GDALVectorTranslateOptions* options = GDALVectorTranslateOptionsNew(argv.data(), nullptr);
        GDALDatasetH in = GDALDataset::ToHandle(src.get());
        GDALDatasetUniquePtr dst(GDALDataset::FromHandle(
            GDALVectorTranslate(styled.c_str(), nullptr, 1, &in, options, nullptr)));
        GDALVectorTranslateOptionsFree(options);
        ASSERT_TRUE(dst);
        OGRLayer* styles = dst->CreateLayer("layer_styles", nullptr, wkbNone, nullptr);
        ASSERT_NE(styles, nullptr);
        OGRFieldDefn field("styleName", OFTString);
        ASSERT_EQ(styles->CreateField(&field), OGRERR_NONE);
    }
    ASSERT_EQ(layer_names(styled).size(), 2u);
    std::vector<std::string> args = known_args(tmp.file("out.gpkg"));
    *std::next(std::find(args.begin(), args.end(), "--villages")) = styled;
    const RunResult r = run_in_process(args);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(feature_count(tmp.file("out.gpkg"), "villages"),
              feature_count(data_path("known_villages.geojson"), "known_villages"));
}

} // namespace
} // namespace whitezone::test::e2e
