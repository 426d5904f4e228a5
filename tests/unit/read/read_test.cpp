// Unit tests of the read stage: CSV coordinates (aliases, WKT, configured columns, locale),
// OpenCelliD exports without a header, GeoJSON and GeoPackage layers, and the errors that
// name the file, layer, row and column.

#include "whitezone/error.hpp"
#include "whitezone/read.hpp"

#include "support/support.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <clocale>
#include <string>
#include <vector>

namespace whitezone {
namespace {

using test::TempDir;

using test::CommaLocale;
using test::message_of;
RawLayer read_csv(const TempDir& dir, const std::string& text, LayerSource source = {}) {
    source.path = dir.write("stations.csv", text);
    return read_layer(source, "stations");
}

Value value_of(const RawLayer& layer, const RawFeature& f, const std::string& field) {
    const int i = layer.field_index(field);
    EXPECT_GE(i, 0) << "no field " << field;
    EXPECT_LT(static_cast<std::size_t>(i), f.values.size());
    return f.values[static_cast<std::size_t>(i)];
}

// A GeoPackage with one point layer per name, each holding one feature at (lon, lat) of
// WGS 84, plus attribute tables (no geometry) for the names in `tables`.
std::string make_gpkg(const TempDir& dir, const std::vector<std::string>& point_layers,
                      const std::vector<std::string>& tables = {}) {
    GDALAllRegister();
    const std::string path = dir.file("layers.gpkg");
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    EXPECT_NE(driver, nullptr);
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    EXPECT_NE(ds, nullptr);
    OGRSpatialReference srs;
    srs.importFromEPSG(4326);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    double lon = 106.0;
    for (const auto& name : point_layers) {
        OGRLayer* layer = ds->CreateLayer(name.c_str(), &srs, wkbPoint, nullptr);
        OGRFieldDefn field("name", OFTString);
        layer->CreateField(&field);
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        f->SetField("name", name.c_str());
        OGRPoint p(lon, 21.5);
        f->SetGeometry(&p);
        EXPECT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
        lon += 0.5;
    }
    for (const auto& name : tables) {
        OGRLayer* layer = ds->CreateLayer(name.c_str(), nullptr, wkbNone, nullptr);
        OGRFieldDefn field("name", OFTString);
        layer->CreateField(&field);
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        f->SetField("name", "x");
        EXPECT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
    }
    GDALClose(ds.release());
    return path;
}

// ---------------------------------------------------------------------------------------
// CSV coordinates

TEST(Read, CsvLonLatColumnsAreFoundByEveryAlias) {
    const std::vector<std::pair<std::string, std::string>> pairs{
        {"lon", "lat"},       {"lng", "latitude"},       {"longitude", "y"}, {"x", "lat"},
        {"long", "latitude"}, {"Longitude", "Latitude"}, {"X", "Y"}};
    for (const auto& [lon, lat] : pairs) {
        SCOPED_TRACE(lon + "/" + lat);
        TempDir dir;
        const RawLayer layer =
            read_csv(dir, "name," + lon + "," + lat + "\nA,106.75,21.85\nB,105.5,10.25\n");
        ASSERT_EQ(layer.features.size(), 2U);
        EXPECT_EQ(layer.features[0].geometry.kind, RawGeometry::Kind::Point);
        EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.x, 106.75);
        EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.y, 21.85);
        EXPECT_DOUBLE_EQ(layer.features[1].geometry.point.x, 105.5);
        EXPECT_DOUBLE_EQ(layer.features[1].geometry.point.y, 10.25);
        EXPECT_EQ(layer.features[0].row, 1);
        EXPECT_EQ(layer.features[1].row, 2);
    }
}

TEST(Read, DecomposedNamesAreReadInTheirPrecomposedForm) {
    TempDir dir;
    // "Lạng Sơn" twice: decomposed (a + combining dot below, o + combining horn), then
    // precomposed. Both must read as the same text, or one province splits in two.
    const RawLayer layer = read_csv(dir, "province,lon,lat\nLa\xcc\xa3ng So\xcc\x9bn,106.7,21.8\n"
                                         "L\xe1\xba\xa1ng S\xc6\xa1n,106.8,21.9\n");
    ASSERT_EQ(layer.features.size(), 2U);
    EXPECT_EQ(std::get<std::string>(layer.features[0].values[0]), "L\xe1\xba\xa1ng S\xc6\xa1n");
    EXPECT_EQ(layer.features[0].values[0], layer.features[1].values[0]);
}
TEST(Read, CsvLatitudeColumnBeforeLongitudeStillGivesXAsLongitude) {
    TempDir dir;
    const RawLayer layer = read_csv(dir, "lat,lon,name\n21.8,106.7,A\n");
    ASSERT_EQ(layer.features.size(), 1U);
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.x, 106.7);
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.y, 21.8);
}

TEST(Read, CsvWithoutACrsIsTakenAsWgs84) {
    TempDir dir;
    const RawLayer layer = read_csv(dir, "lon,lat\n106.7,21.8\n");
    EXPECT_EQ(layer.crs_wkt, "EPSG:4326");
}

TEST(Read, CsvCrsGivenInTheSourceIsUsed) {
    TempDir dir;
    LayerSource source;
    source.crs = "EPSG:32648";
    const RawLayer layer = read_csv(dir, "x,y\n500000,2400000\n", source);
    EXPECT_NE(layer.crs_wkt.find("UTM zone 48N"), std::string::npos) << layer.crs_wkt;
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.x, 500000.0);
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.y, 2400000.0);
}

TEST(Read, CrsThatProjDoesNotKnowIsAnInputErrorNamingIt) {
    TempDir dir;
    LayerSource source;
    source.crs = "EPSG:99999999";
    const std::string msg =
        message_of<InputError>([&] { read_csv(dir, "lon,lat\n1,2\n", source); });
    EXPECT_NE(msg.find("'EPSG:99999999'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("stations"), std::string::npos) << msg;
}

TEST(Read, CsvWktColumnNamedGeometryGivesPointsAndPolygons) {
    TempDir dir;
    const RawLayer layer =
        read_csv(dir, "id,geometry\n"
                      "1,\"POINT (106.7 21.8)\"\n"
                      "2,\"POLYGON ((106 21, 107 21, 107 22, 106 22, 106 21))\"\n");
    ASSERT_EQ(layer.features.size(), 2U);
    EXPECT_EQ(layer.features[0].geometry.kind, RawGeometry::Kind::Point);
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.x, 106.7);
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.y, 21.8);
    EXPECT_EQ(layer.features[1].geometry.kind, RawGeometry::Kind::Area);
    ASSERT_EQ(layer.features[1].geometry.area.size(), 1U);
    EXPECT_EQ(layer.features[1].geometry.area[0].rings[0].size(), 5U);
}

TEST(Read, CsvWktColumnNamedWktGivesPoints) {
    TempDir dir;
    const RawLayer layer = read_csv(dir, "id,WKT\n1,\"POINT (106.7 21.8)\"\n");
    ASSERT_EQ(layer.features.size(), 1U);
    EXPECT_EQ(layer.features[0].geometry.kind, RawGeometry::Kind::Point);
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.x, 106.7);
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.y, 21.8);
}

TEST(Read, CsvInvalidWktIsAnInputErrorNamingTheRowAndColumn) {
    TempDir dir;
    const std::string msg = message_of<InputError>(
        [&] { read_csv(dir, "id,geometry\n1,\"POINT (106.7 21.8)\"\n2,\"POINT (oops)\"\n"); });
    EXPECT_NE(msg.find("row 2"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'geometry'"), std::string::npos) << msg;
}

TEST(Read, CsvConfiguredLonLatColumnsWinOverAliases) {
    TempDir dir;
    LayerSource source;
    source.lon_field = "kinh_do";
    source.lat_field = "vi_do";
    // x/y hold something else (a local grid); the configured columns must be used.
    const RawLayer layer = read_csv(dir, "x,y,kinh_do,vi_do\n1,2,106.7,21.8\n", source);
    ASSERT_EQ(layer.features.size(), 1U);
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.x, 106.7);
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.y, 21.8);
}

TEST(Read, CsvConfiguredColumnThatDoesNotExistIsAnInputErrorNamingTheKey) {
    TempDir dir;
    LayerSource source;
    source.lon_field = "kinh_do";
    const std::string msg =
        message_of<InputError>([&] { read_csv(dir, "lon,lat\n106.7,21.8\n", source); });
    EXPECT_NE(msg.find("'kinh_do'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("\"stations.fields.lon\""), std::string::npos) << msg;
    EXPECT_NE(msg.find("'lat'"), std::string::npos) << "lists the columns: " << msg;
}

TEST(Read, CsvWithoutCoordinateColumnsIsAnInputErrorSayingHowToNameThem) {
    TempDir dir;
    const std::string msg =
        message_of<InputError>([&] { read_csv(dir, "name,kinh_do,vi_do\nA,106.7,21.8\n"); });
    EXPECT_NE(msg.find("no coordinates"), std::string::npos) << msg;
    EXPECT_NE(msg.find("\"stations.fields.lon\""), std::string::npos) << msg;
}

TEST(Read, CsvNonNumericLatitudeIsAnInputErrorNamingRowAndColumn) {
    TempDir dir;
    const std::string msg = message_of<InputError>(
        [&] { read_csv(dir, "name,lon,lat\nA,106.7,21.8\nB,106.8,21.9\nC,106.9,twenty\n"); });
    EXPECT_NE(msg.find("stations.csv row 3, column 'lat'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'twenty' is not a number"), std::string::npos) << msg;
}

TEST(Read, CsvDecimalCommaIsNotANumber) {
    TempDir dir;
    const std::string msg = message_of<InputError>([&] { read_csv(dir, "lon;lat\n106,7;21,8\n"); });
    EXPECT_NE(msg.find("row 1"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'106,7'"), std::string::npos) << msg;
}

TEST(Read, CsvBlankCoordinatesAreCountedAsEmptyRows) {
    TempDir dir;
    const RawLayer layer = read_csv(dir, "name,lon,lat\nA,106.7,21.8\nB,,\nC, , \nD,106.9,21.9\n");
    ASSERT_EQ(layer.features.size(), 2U);
    EXPECT_EQ(layer.features[0].row, 1);
    EXPECT_EQ(layer.features[1].row, 4);
    EXPECT_EQ(layer.empty_rows, (std::vector<std::int64_t>{2, 3}));
}

TEST(Read, CsvWithOneCoordinateBlankIsAnInputErrorNamingTheEmptyColumn) {
    TempDir dir;
    const std::string msg =
        message_of<InputError>([&] { read_csv(dir, "name,lon,lat\nA,106.7,21.8\nB,106.8,\n"); });
    EXPECT_NE(msg.find("row 2, column 'lat'"), std::string::npos) << msg;
}

TEST(Read, CsvWhoseRowsAreAllBlankIsAnInputError) {
    TempDir dir;
    const std::string msg = message_of<InputError>([&] { read_csv(dir, "name,lon,lat\nA,,\n"); });
    EXPECT_NE(msg.find("no stations with coordinates"), std::string::npos) << msg;
}

TEST(Read, CsvNumbersAreParsedWithAPointWhateverTheLocale) {
    const CommaLocale comma;
    if (!comma.ok)
        GTEST_SKIP() << "no locale with a decimal comma is installed (e.g. de_DE.UTF-8)";
    ASSERT_STREQ(std::localeconv()->decimal_point, ",");

    TempDir dir;
    const RawLayer layer = read_csv(dir, "name,lon,lat\nA,106.75,21.85\n");
    ASSERT_EQ(layer.features.size(), 1U);
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.x, 106.75);
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.y, 21.85);
}

TEST(Read, CsvRowsAreCountedFromOneWithoutTheHeader) {
    TempDir dir;
    const RawLayer layer = read_csv(dir, "name,lon,lat\nA,1,2\nB,3,4\nC,5,6\n");
    ASSERT_EQ(layer.features.size(), 3U);
    for (std::size_t i = 0; i < 3; ++i)
        EXPECT_EQ(layer.features[i].row, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(std::get<std::string>(value_of(layer, layer.features[2], "name")), "C");
}

// ---------------------------------------------------------------------------------------
// OpenCelliD

TEST(Read, HeaderlessOpenCellidExportGetsItsColumnNames) {
    TempDir dir;
    LayerSource source;
    source.path = dir.write("452.csv", "LTE,452,4,10101,123456,0,106.70,21.80,1000,5,1,1500000000,"
                                       "1600000000,0\n"
                                       "GSM,452,1,10102,2345,0,105.50,10.25,800,3,1,1500000000,"
                                       "1600000000,0\n");
    const RawLayer layer = read_layer(source, "stations");
    const std::vector<std::string> expected{
        "radio", "mcc",   "net",     "area",       "cell",    "unit",    "lon",
        "lat",   "range", "samples", "changeable", "created", "updated", "averageSignal"};
    ASSERT_EQ(layer.fields.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i)
        EXPECT_EQ(layer.fields[i].name, expected[i]);
    // The first line is data, not a header.
    ASSERT_EQ(layer.features.size(), 2U);
    EXPECT_EQ(layer.features[0].row, 1);
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.x, 106.70);
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.y, 21.80);
    EXPECT_EQ(std::get<std::string>(value_of(layer, layer.features[0], "radio")), "LTE");
    EXPECT_EQ(std::get<std::string>(value_of(layer, layer.features[1], "radio")), "GSM");
    EXPECT_EQ(std::get<std::string>(value_of(layer, layer.features[1], "net")), "1");
}

TEST(Read, HeaderlessOpenCellidExportResavedWithABomAndQuotesIsStillDetected) {
    TempDir dir;
    LayerSource source;
    source.path =
        dir.write("452.csv", "\xEF\xBB\xBF\"UMTS\",452,2,1,2,0,106.1,21.1,500,1,1,0,0,0\n");
    const RawLayer layer = read_layer(source, "stations");
    ASSERT_EQ(layer.features.size(), 1U);
    EXPECT_EQ(layer.fields[0].name, "radio");
    EXPECT_EQ(std::get<std::string>(value_of(layer, layer.features[0], "radio")), "UMTS");
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.x, 106.1);
}

TEST(Read, HeaderlessOpenCellidExportInMemoryIsDetected) {
    const std::string path = "/vsimem/whitezone_read_test_452.csv";
    const std::string text = "NR,452,4,1,2,0,105.5,10.5,300,1,1,0,0,0\n";
    GDALAllRegister();
    VSILFILE* f =
        VSIFileFromMemBuffer(path.c_str(), reinterpret_cast<GByte*>(const_cast<char*>(text.data())),
                             static_cast<vsi_l_offset>(text.size()), FALSE);
    ASSERT_NE(f, nullptr);
    VSIFCloseL(f);
    LayerSource source;
    source.path = path;
    const RawLayer layer = read_layer(source, "stations");
    VSIUnlink(path.c_str());
    ASSERT_EQ(layer.features.size(), 1U);
    EXPECT_EQ(layer.fields[2].name, "net");
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.x, 105.5);
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.y, 10.5);
}

TEST(Read, OpenCellidExportWithItsHeaderIsReadAsIs) {
    TempDir dir;
    const RawLayer layer = read_csv(
        dir, "radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,"
             "averageSignal\n"
             "UMTS,452,2,1,2,0,106.1,21.1,500,1,1,0,0,0\n");
    ASSERT_EQ(layer.features.size(), 1U);
    EXPECT_EQ(layer.fields[0].name, "radio");
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.x, 106.1);
    EXPECT_EQ(std::get<std::string>(value_of(layer, layer.features[0], "radio")), "UMTS");
}

// ---------------------------------------------------------------------------------------
// GeoJSON and GeoPackage

TEST(Read, GeoJsonPolygonsAndMultiPolygonsAreAreasInTheLayersCrs) {
    TempDir dir;
    LayerSource source;
    source.path = dir.write("thon.geojson", R"({
  "type": "FeatureCollection",
  "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32648"}},
  "features": [
    {"type": "Feature", "properties": {"id": "T1", "dan_so": 120},
     "geometry": {"type": "Polygon", "coordinates": [[[500000, 2400000], [501000, 2400000],
        [501000, 2401000], [500000, 2401000], [500000, 2400000]],
        [[500200, 2400200], [500400, 2400200], [500400, 2400400], [500200, 2400200]]]}},
    {"type": "Feature", "properties": {"id": "T2", "dan_so": 80},
     "geometry": {"type": "MultiPolygon", "coordinates": [
        [[[502000, 2400000], [503000, 2400000], [503000, 2401000], [502000, 2400000]]],
        [[[504000, 2400000], [505000, 2400000], [505000, 2401000], [504000, 2400000]]]]}}
  ]})");
    const RawLayer layer = read_layer(source, "villages");
    EXPECT_NE(layer.crs_wkt.find("UTM zone 48N"), std::string::npos) << layer.crs_wkt;
    ASSERT_EQ(layer.features.size(), 2U);
    const RawGeometry& poly = layer.features[0].geometry;
    EXPECT_EQ(poly.kind, RawGeometry::Kind::Area);
    ASSERT_EQ(poly.area.size(), 1U);
    ASSERT_EQ(poly.area[0].rings.size(), 2U) << "the hole is kept";
    EXPECT_DOUBLE_EQ(poly.area[0].rings[0][1].x, 501000.0);
    EXPECT_DOUBLE_EQ(poly.area[0].rings[0][1].y, 2400000.0);
    const RawGeometry& multi = layer.features[1].geometry;
    EXPECT_EQ(multi.kind, RawGeometry::Kind::Area);
    EXPECT_EQ(multi.area.size(), 2U);
    EXPECT_EQ(std::get<std::string>(value_of(layer, layer.features[1], "id")), "T2");
    EXPECT_EQ(std::get<std::int64_t>(value_of(layer, layer.features[0], "dan_so")), 120);
}

TEST(Read, GeoJsonPointsKeepLongitudeAsX) {
    TempDir dir;
    LayerSource source;
    source.path = dir.write("bts.geojson", R"({"type": "FeatureCollection", "features": [
      {"type": "Feature", "properties": {"tech": "4G"},
       "geometry": {"type": "Point", "coordinates": [106.7, 21.8]}}]})");
    const RawLayer layer = read_layer(source, "stations");
    ASSERT_EQ(layer.features.size(), 1U);
    EXPECT_EQ(layer.features[0].geometry.kind, RawGeometry::Kind::Point);
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.x, 106.7);
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.y, 21.8);
    EXPECT_NE(layer.crs_wkt.find("WGS 84"), std::string::npos) << layer.crs_wkt;
}

TEST(Read, GeoJsonLinesAreKeptAsOtherGeometry) {
    TempDir dir;
    LayerSource source;
    source.path = dir.write("roads.geojson", R"({"type": "FeatureCollection", "features": [
      {"type": "Feature", "properties": {},
       "geometry": {"type": "LineString", "coordinates": [[106.7, 21.8], [106.8, 21.9]]}}]})");
    const RawLayer layer = read_layer(source, "villages");
    ASSERT_EQ(layer.features.size(), 1U);
    EXPECT_EQ(layer.features[0].geometry.kind, RawGeometry::Kind::Other);
    EXPECT_EQ(layer.features[0].geometry.type, "Line String");
}

TEST(Read, GeoJsonFeatureWithoutGeometryIsAnEmptyRow) {
    TempDir dir;
    LayerSource source;
    source.path = dir.write("v.geojson", R"({"type": "FeatureCollection", "features": [
      {"type": "Feature", "properties": {"id": 1}, "geometry": null},
      {"type": "Feature", "properties": {"id": 2},
       "geometry": {"type": "Point", "coordinates": [106.7, 21.8]}}]})");
    const RawLayer layer = read_layer(source, "villages");
    ASSERT_EQ(layer.features.size(), 1U);
    EXPECT_EQ(layer.features[0].row, 2);
    EXPECT_EQ(layer.empty_rows, std::vector<std::int64_t>{1});
}

TEST(Read, EmptyLayerIsAnInputError) {
    TempDir dir;
    LayerSource source;
    source.path = dir.write("villages.geojson", R"({"type": "FeatureCollection", "features": []})");
    const std::string msg = message_of<InputError>([&] { read_layer(source, "villages"); });
    EXPECT_NE(msg.find("villages.geojson"), std::string::npos) << msg;
    EXPECT_NE(msg.find("no villages"), std::string::npos) << msg;
}

TEST(Read, CsvWithOnlyAHeaderIsAnInputError) {
    TempDir dir;
    EXPECT_THROW(read_csv(dir, "name,lon,lat\n"), InputError);
}

TEST(Read, MissingFileIsAnInputErrorNamingThePathAndFlag) {
    TempDir dir;
    LayerSource source;
    source.path = dir.file("nowhere.gpkg");
    const std::string msg = message_of<InputError>([&] { read_layer(source, "villages"); });
    EXPECT_NE(msg.find("nowhere.gpkg"), std::string::npos) << msg;
    EXPECT_NE(msg.find("does not exist"), std::string::npos) << msg;
    EXPECT_NE(msg.find("--villages"), std::string::npos) << msg;
}

TEST(Read, FileGdalCannotOpenIsAnInputError) {
    TempDir dir;
    LayerSource source;
    // The size comes from the literal itself (without its terminating NUL), so it cannot
    // overrun it.
    constexpr char kBytes[] = "\x01\x02\x03 not a vector file";
    source.path = dir.write("notes.bin", std::string(kBytes, sizeof kBytes - 1));
    const std::string msg = message_of<InputError>([&] { read_layer(source, "stations"); });
    EXPECT_NE(msg.find("cannot open stations"), std::string::npos) << msg;
}

TEST(Read, LayerIsPickedByName) {
    TempDir dir;
    LayerSource source;
    source.path = make_gpkg(dir, {"thon", "xa", "huyen"});
    source.layer = "xa";
    const RawLayer layer = read_layer(source, "villages");
    EXPECT_EQ(layer.layer, "xa");
    ASSERT_EQ(layer.features.size(), 1U);
    EXPECT_EQ(std::get<std::string>(value_of(layer, layer.features[0], "name")), "xa");
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.x, 106.5);
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.y, 21.5);
    EXPECT_NE(layer.where().find("layer 'xa'"), std::string::npos) << layer.where();
}

TEST(Read, UnknownLayerIsAnInputErrorListingTheLayers) {
    TempDir dir;
    LayerSource source;
    source.path = make_gpkg(dir, {"thon", "xa"});
    source.layer = "ban";
    const std::string msg = message_of<InputError>([&] { read_layer(source, "villages"); });
    EXPECT_NE(msg.find("no layer 'ban'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'thon', 'xa'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("--villages-layer"), std::string::npos) << msg;
}

TEST(Read, SeveralLayersWithoutANameIsAnInputErrorListingThem) {
    TempDir dir;
    LayerSource source;
    source.path = make_gpkg(dir, {"thon", "xa"});
    const std::string msg = message_of<InputError>([&] { read_layer(source, "villages"); });
    EXPECT_NE(msg.find("2 layers"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'thon', 'xa'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("--villages-layer"), std::string::npos) << msg;
}

TEST(Read, OnlyLayerIsPickedWithoutAName) {
    TempDir dir;
    LayerSource source;
    source.path = make_gpkg(dir, {"thon"});
    const RawLayer layer = read_layer(source, "villages");
    EXPECT_EQ(layer.layer, "thon");
    EXPECT_NE(layer.crs_wkt.find("WGS 84"), std::string::npos);
}

TEST(Read, LayerWithoutGeometryIsAnInputError) {
    TempDir dir;
    LayerSource source;
    source.path = make_gpkg(dir, {"thon"}, {"attributes"});
    source.layer = "attributes";
    const std::string msg = message_of<InputError>([&] { read_layer(source, "villages"); });
    EXPECT_NE(msg.find("no geometry"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'attributes'"), std::string::npos) << msg;
}

TEST(Read, InMemoryGeoJsonIsRead) {
    const std::string path = "/vsimem/whitezone_read_test.geojson";
    const std::string text = R"({"type": "FeatureCollection", "features": [
      {"type": "Feature", "properties": {"id": "A"},
       "geometry": {"type": "Point", "coordinates": [105.0, 10.0]}}]})";
    GDALAllRegister();
    VSILFILE* f =
        VSIFileFromMemBuffer(path.c_str(), reinterpret_cast<GByte*>(const_cast<char*>(text.data())),
                             static_cast<vsi_l_offset>(text.size()), FALSE);
    ASSERT_NE(f, nullptr);
    VSIFCloseL(f);
    LayerSource source;
    source.path = path;
    const RawLayer layer = read_layer(source, "villages");
    VSIUnlink(path.c_str());
    ASSERT_EQ(layer.features.size(), 1U);
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.x, 105.0);
    EXPECT_DOUBLE_EQ(layer.features[0].geometry.point.y, 10.0);
}

TEST(Read, FieldIndexIgnoresCase) {
    RawLayer layer;
    layer.fields = {{"Ten_Thon", FieldType::String}, {"DAN_SO", FieldType::Integer}};
    EXPECT_EQ(layer.field_index("ten_thon"), 0);
    EXPECT_EQ(layer.field_index("dan_so"), 1);
    EXPECT_EQ(layer.field_index("so_ho"), -1);
}

} // namespace
} // namespace whitezone
