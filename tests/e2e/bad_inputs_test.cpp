// End-to-end: the bad-input corpus of issue 12. Every case is one line: the files it needs
// (written into a fresh folder at run time), the arguments after "analyze", and the words the
// message must hold. Each asserts exit code 2, a message that starts with "error: " and holds
// the words (what, where, how to fix), no secret in it, and that nothing was written: no
// --out, and no file beside the inputs.

#include "e2e/e2e.hpp"

#include <gdal_priv.h>
#include <gdal_utils.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sys/stat.h>

namespace whitezone::test::e2e {
namespace {

namespace fs = std::filesystem;

// --- fixtures written as text -------------------------------------------------------------

// The bytes of a literal that holds NUL bytes, without its terminating NUL.
template <std::size_t N> std::string bytes(const char (&literal)[N]) {
    return std::string(literal, N - 1);
}

// One village (W1 of tests/data/wgs84_villages.geojson, a 1 km square in Lạng Sơn) with these
// properties and this geometry.
std::string village(const std::string& properties,
                    const std::string& geometry = "{\"type\": \"Polygon\", \"coordinates\": "
                                                  "[[[106.745, 21.845], [106.755, 21.845], "
                                                  "[106.755, 21.855], [106.745, 21.855], "
                                                  "[106.745, 21.845]]]}",
                    const std::string& head = "") {
    return "{\"type\": \"FeatureCollection\", " + head +
           "\"features\": [{\"type\": \"Feature\", \"properties\": {" + properties +
           "}, \"geometry\": " + geometry + "}]}";
}

const std::string kRing1 = R"({"type": "Polygon", "coordinates": [[[106.75, 21.85]]]})";
const std::string kRing2 =
    R"({"type": "Polygon", "coordinates": [[[106.75, 21.85], [106.75, 21.85]]]})";
const std::string kRing3 =
    R"({"type": "Polygon", "coordinates": [[[106.75, 21.85], [106.76, 21.85], [106.75, 21.85]]]})";
const std::string kLine =
    R"({"type": "LineString", "coordinates": [[106.75, 21.85], [106.76, 21.86]]})";

// A stations CSV with one 4G cell and `extra` columns / values.
std::string cell_csv(const std::string& extra_header = "", const std::string& extra = "",
                     const std::string& lon = "106.75", const std::string& lat = "21.85") {
    return "lon,lat,tech" + extra_header + "\n" + lon + "," + lat + ",4G" + extra + "\n";
}

// A headerless OpenCelliD row with this mcc and net.
std::string opencellid(const std::string& mcc, const std::string& net) {
    return "LTE," + mcc + "," + net +
           ",10101,123456,0,106.750000,21.850000,1000,5,1,1500000000,1600000000,0\n";
}

// --- fixtures made with GDAL (or the system) when a case names them -------------------------

using Maker = void (*)(const fs::path& dir);

void make_vector(const std::string& geojson_text, const fs::path& target, const char* format,
                 const std::vector<std::string>& extra = {}) {
    const fs::path src = target.parent_path() / (target.stem().string() + "_src.geojson");
    std::ofstream(src) << geojson_text;
    GDALAllRegister();
    GDALDatasetUniquePtr in(GDALDataset::Open(src.c_str(), GDAL_OF_VECTOR));
    if (!in)
        throw std::runtime_error("cannot open " + src.string());
    std::vector<std::string> args{"-f", format};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    GDALVectorTranslateOptions* opts = GDALVectorTranslateOptionsNew(argv.data(), nullptr);
    GDALDatasetH h = in.get();
    GDALDatasetH out = GDALVectorTranslate(target.c_str(), nullptr, 1, &h, opts, nullptr);
    GDALVectorTranslateOptionsFree(opts);
    if (!out)
        throw std::runtime_error("cannot write " + target.string());
    GDALClose(out);
    fs::remove(src);
}

std::string villages_text() { return read_file(data_path("wgs84_villages.geojson")); }

// A GeoPackage of polygon villages whose real field `population` holds `value`.
void gpkg_with_population(const fs::path& target, double value) {
    GDALAllRegister();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    GDALDatasetUniquePtr ds(driver->Create(target.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    OGRLayer* layer = ds->CreateLayer("villages", &wgs84, wkbPolygon, nullptr);
    OGRFieldDefn pop("population", OFTReal);
    layer->CreateField(&pop);
    OGRFeature f(layer->GetLayerDefn());
    OGRGeometry* g = nullptr;
    OGRGeometryFactory::createFromWkt(
        "POLYGON ((106.745 21.845, 106.755 21.845, 106.755 21.855, 106.745 21.845))", nullptr, &g);
    f.SetGeometryDirectly(g);
    f.SetField("population", value);
    if (layer->CreateFeature(&f) != OGRERR_NONE)
        throw std::runtime_error("cannot write " + target.string());
}

// A 30 km × 30 km GeoTIFF in UTM 48N around the known fixture's site (600000, 2400000).
void utm_tif(const fs::path& target, double value, int epsg = 32648) {
    write_geotiff(target.string(), epsg, 585000, 2415000, 100, 300, 300,
                  [value](double, double) { return value; });
}

const std::map<std::string, Maker>& makers() {
    static const std::map<std::string, Maker> table{
        {"fifo", [](const fs::path& d) { ::mkfifo((d / "fifo").c_str(), 0600); }},
        {"folder.json", [](const fs::path& d) { fs::create_directory(d / "folder.json"); }},
        {"noprj.shp",
         [](const fs::path& d) {
             write_shapefile_without_prj(data_path("wgs84_villages.geojson"),
                                         (d / "noprj.shp").string());
         }},
        {"badprj.shp",
         [](const fs::path& d) {
             make_vector(villages_text(), d / "badprj.shp", "ESRI Shapefile");
             std::ofstream(d / "badprj.prj") << "this is not a CRS";
         }},
        {"cutshp.shp",
         [](const fs::path& d) {
             make_vector(villages_text(), d / "cutshp.shp", "ESRI Shapefile");
             fs::resize_file(d / "cutshp.shp", 50);
         }},
        {"table.gpkg",
         [](const fs::path& d) { write_attribute_table_gpkg((d / "table.gpkg").string()); }},
        {"two.gpkg",
         [](const fs::path& d) {
             make_vector(villages_text(), d / "two.gpkg", "GPKG", {"-nln", "thon"});
             make_vector(villages_text(), d / "two.gpkg", "GPKG", {"-update", "-nln", "xa"});
         }},
        {"nofeatures.gpkg",
         [](const fs::path& d) {
             make_vector(villages_text(), d / "nofeatures.gpkg", "GPKG", {"-where", "1 = 0"});
         }},
        {"infpop.gpkg",
         [](const fs::path& d) {
             gpkg_with_population(d / "infpop.gpkg", std::numeric_limits<double>::infinity());
         }},
        {"hugepop.gpkg",
         [](const fs::path& d) { gpkg_with_population(d / "hugepop.gpkg", 1e308); }},
        {"wide.csv",
         [](const fs::path& d) {
             std::string header = "lon,lat,tech", row = "106.75,21.85,4G";
             for (int i = 0; i < 2000; ++i) {
                 header += ",c" + std::to_string(i);
                 row += ",1";
             }
             std::ofstream(d / "wide.csv") << header << "\n" << row << "\n";
         }},
        {"long.csv",
         [](const fs::path& d) {
             std::ofstream(d / "long.csv")
                 << "lon,lat,tech,note\n106.75,21.85,4G," << std::string(12'000'000, 'x') << "\n";
         }},
        {"dem_huge.tif", [](const fs::path& d) { utm_tif(d / "dem_huge.tif", 1e30); }},
        {"dem_nodata.tif", [](const fs::path& d) { utm_tif(d / "dem_nodata.tif", -32768); }},
        {"dem_nocrs.tif", [](const fs::path& d) { utm_tif(d / "dem_nocrs.tif", 100, 0); }},
        {"pop_inf.tif",
         [](const fs::path& d) {
             utm_tif(d / "pop_inf.tif", std::numeric_limits<double>::infinity());
         }},
        {"pop_negative.tif", [](const fs::path& d) { utm_tif(d / "pop_negative.tif", -5); }},
        {"pop_nocrs.tif", [](const fs::path& d) { utm_tif(d / "pop_nocrs.tif", 10, 0); }},
    };
    return table;
}

struct Case {
    const char* name;
    std::vector<std::pair<std::string, std::string>> files; ///< written into {tmp} as text
    std::vector<std::string> args;                          ///< after "analyze"
    std::vector<std::string> words;                         ///< all must be in the message
    std::vector<std::string> absent = {};                   ///< none may be in it
    std::size_t lines = 1;
};

const std::string kS = "{data}/known_stations.geojson";
const std::string kV = "{data}/wgs84_villages.geojson";
const std::string kKnownV = "{data}/known_villages.geojson";
const std::string kKnownConfig = "{data}/known_config.json";

std::vector<std::string> S(const std::string& stations) {
    return {"--stations", stations, "--villages", kV};
}
std::vector<std::string> V(const std::string& villages) {
    return {"--stations", kS, "--villages", villages};
}
std::vector<std::string> C(const std::string& config) {
    return {"--stations", kS, "--villages", kV, "--config", config};
}
std::vector<std::string> plus(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}
std::vector<std::string> known(const std::vector<std::string>& extra) {
    return plus({"--stations", kS, "--villages", kKnownV, "--config", kKnownConfig}, extra);
}

// One line per case: clang-format would break them up.
// clang-format off
const Case kCases[] = {
    // --- stations as CSV --------------------------------------------------------------------
    {"CsvEmptyFile", {{"s.csv", ""}}, S("{tmp}/s.csv"), {"stations file '{tmp}/s.csv' is empty (0 bytes)", "give the file with the data to --stations"}},
    {"CsvOnlyBlankLines", {{"s.csv", "\n  \n\n"}}, S("{tmp}/s.csv"), {"'{tmp}/s.csv' holds no data", "give the file with the data"}},
    {"CsvHeaderOnly", {{"s.csv", "lon,lat,tech\n"}}, S("{tmp}/s.csv"), {"s.csv has no stations", "at least one feature"}},
    {"CsvPipeDelimited", {{"s.csv", "lon|lat|tech\n106.75|21.85|4G\n"}}, S("{tmp}/s.csv"), {"line 1 ('lon|lat|tech') is separated by '|'", "save the file with commas"}},
    {"CsvUnclosedQuote", {{"s.csv", "lon,lat,tech,name\n106.75,21.85,4G,\"Đồi A\n106.76,21.85,4G,B\n106.77,21.85,4G,C\n"}}, S("{tmp}/s.csv"), {"s.csv' line 2", "a quote (\") opens a field that is never closed", "close the quote or remove it"}},
    {"CsvNulByte", {{"s.csv", bytes("lon,lat,tech\n106.75,21.85,4G\n106.76,21.\0" "85,4G\n")}}, S("{tmp}/s.csv"), {"s.csv' line 3", "holds a NUL byte", "save it as UTF-8 CSV"}},
    {"CsvUtf16", {{"s.csv", bytes("\xFF\xFEl\0o\0n\0")}}, S("{tmp}/s.csv"), {"line 1", "NUL byte", "UTF-16"}},
    {"CsvLineOver10MB", {}, S("{tmp}/long.csv"), {"long.csv' line 2", "longer than 10,000,000 bytes", "shorten the long field"}},
    {"CsvLatitudeNaN", {{"s.csv", cell_csv("", "", "106.75", "nan")}}, S("{tmp}/s.csv"), {"s.csv row 1, column 'lat': 'nan' is not a finite number", "decimal number with a point"}},
    {"CsvLongitudeInfinity", {{"s.csv", cell_csv("", "", "inf")}}, S("{tmp}/s.csv"), {"row 1, column 'lon': 'inf' is not a finite number", "decimal number"}},
    {"CsvLatitude1e999", {{"s.csv", cell_csv("", "", "106.75", "1e999")}}, S("{tmp}/s.csv"), {"column 'lat': '1e999' is not a finite number"}},
    {"CsvLatitudeMissing", {{"s.csv", cell_csv("", "", "106.75", "")}}, S("{tmp}/s.csv"), {"row 1, column 'lat' is empty while the other coordinate is set", "fill it in"}},
    {"CsvLatitude95", {{"s.csv", cell_csv("", "", "106.75", "95")}}, S("{tmp}/s.csv"), {"row 1: coordinate (106.750000, 95.000000) is out of range", "set \"stations.crs\""}},
    {"CsvWktCut", {{"s.csv", "wkt,tech\n\"POINT (106.75 21.85\",4G\n"}}, S("{tmp}/s.csv"), {"s.csv row 1, column 'wkt': 'POINT (106.75 21.85' is not valid WKT", "e.g. 'POINT (106.7 21.8)'"}},
    {"CsvWktWords", {{"s.csv", "tech,geometry\n4G,somewhere near the school\n"}}, S("{tmp}/s.csv"), {"row 1, column 'geometry': 'somewhere near the school' is not valid WKT"}},
    {"CsvWktSecondRowBad", {{"s.csv", "WKT,tech\nPOINT (106.75 21.85),4G\nPOINT (nowhere),4G\n"}}, S("{tmp}/s.csv"), {"row 2, column 'WKT'", "is not valid WKT"}},
    {"CsvWktTwoGeometries", {{"s.csv", "WKT,tech\n\"POINT (106.75 21.85) POINT (106.8 21.9)\",4G\n"}}, S("{tmp}/s.csv"), {"row 1, column 'WKT': 'POINT (106.75 21.85) POINT (106.8 21.9)' is not valid WKT", "one geometry per row"}},
    {"CsvWktTrailingWords", {{"s.csv", "tech,geometry\n4G,POINT (106.75 21.85) near the school\n"}}, S("{tmp}/s.csv"), {"row 1, column 'geometry'", "is not valid WKT"}},
    {"CsvWktLineForStation", {{"s.csv", "wkt,tech\n\"LINESTRING (106.75 21.85, 106.76 21.86)\",4G\n"}}, S("{tmp}/s.csv"), {"row 1 is a Line String; stations must be points"}},
    {"CsvUnknownTechnology", {{"s.csv", "lon,lat,tech\n106.75,21.85,6G\n"}}, S("{tmp}/s.csv"), {"unknown technology values '6G' (1 row, first row 1)", "use 2G, 3G, 4G or 5G"}},
    {"CsvNoTechnology", {{"s.csv", "lon,lat,operator\n106.75,21.85,Viettel\n"}}, S("{tmp}/s.csv"), {"s.csv has no technology field", "\"stations.fields.tech\""}},
    {"CsvDuplicateColumns", {{"s.csv", "lon,lat,tech,name,name\n106.75,21.85,4G,a,b\n"}}, S("{tmp}/s.csv"), {"s.csv has two fields named 'name' and 'name'", "rename one of them"}},
    {"CsvCaseDuplicateColumns", {{"s.csv", "lon,lat,tech,Name,name\n106.75,21.85,4G,a,b\n"}}, S("{tmp}/s.csv"), {"has two fields named 'Name' and 'name'", "rename one of them"}},
    {"CsvTooManyColumns", {}, S("{tmp}/wide.csv"), {"wide.csv has 2,0", "fields, more than the 1,900", "keep only the fields you need"}},
    {"CsvLatin1Text", {{"s.csv", cell_csv(",name", ",Tr\xE1m \xD0\xF4ng")}}, S("{tmp}/s.csv"), {"row 1, field 'name': 'Tr\\xE1m", "is not valid UTF-8 (byte 3)", "\"stations.encoding\""}},
    {"CsvLatin1FieldName", {{"s.csv", "lon,lat,tech,t\xEAn\n106.75,21.85,4G,a\n"}}, S("{tmp}/s.csv"), {"field 4 (its name)", "not valid UTF-8", "\"stations.encoding\""}},
    {"CsvUnknownEncoding", {{"s.csv", cell_csv()}, {"c.json", R"({"stations": {"encoding": "NO-SUCH-CODEPAGE"}})"}}, plus(S("{tmp}/s.csv"), {"--config", "{tmp}/c.json"}), {"the encoding 'NO-SUCH-CODEPAGE' given by \"stations.encoding\" is not one iconv knows"}},
    {"CsvBeamwidth400", {{"s.csv", cell_csv(",azimuth,beamwidth", ",90,400")}}, S("{tmp}/s.csv"), {"row 1, field 'beamwidth': beamwidth 400.0 is outside (0, 360]"}},
    {"CsvBeamwidthNaN", {{"s.csv", cell_csv(",azimuth,beamwidth", ",90,NaN")}}, S("{tmp}/s.csv"), {"field 'beamwidth': 'NaN' is not a finite number", "or leave it empty"}},
    {"CsvHeightWords", {{"s.csv", cell_csv(",height_m", ",thirty")}}, S("{tmp}/s.csv"), {"field 'height_m': 'thirty' is not a number", "an antenna height in metres"}},
    {"CsvRangeInfinity", {{"s.csv", cell_csv(",range_m", ",Infinity")}}, S("{tmp}/s.csv"), {"field 'range_m': 'Infinity' is not a finite number"}},
    {"CsvOnAirWords", {{"s.csv", cell_csv(",on_air", ",someday")}}, S("{tmp}/s.csv"), {"field 'on_air': 'someday' is not an on-air date", "expected a year (2019)"}},
    {"CsvOnAirYear1800", {{"s.csv", cell_csv(",on_air", ",1800")}}, S("{tmp}/s.csv"), {"'1800' is not an on-air date"}},
    {"CsvPolygonStation", {{"s.csv", "wkt,tech\n\"POLYGON ((106.7 21.8, 106.8 21.8, 106.8 21.9, 106.7 21.8))\",4G\n"}}, S("{tmp}/s.csv"), {"row 1 is a Polygon; stations must be points"}},
    {"CsvStationsFifo", {}, S("{tmp}/fifo"), {"stations '{tmp}/fifo' is a FIFO (named pipe), not a data file", "give that to --stations"}},
    {"StationsDevZero", {}, S("/dev/zero"), {"stations '/dev/zero' is a character device", "whitezone reads only regular files"}},
    // --- OpenCelliD ---------------------------------------------------------------------------
    {"OpenCellidMcc1e300", {{"oc.csv", opencellid("1e300", "4")}}, S("{tmp}/oc.csv"), {"row 1, field 'mcc': 1e+300 is not a mobile country or network code", "from 0 to 999"}},
    {"OpenCellidNetNegative", {{"oc.csv", opencellid("452", "-4")}}, S("{tmp}/oc.csv"), {"field 'net': -4 is not a mobile country or network code"}},
    {"OpenCellidMccFraction", {{"oc.csv", opencellid("452.5", "4")}}, S("{tmp}/oc.csv"), {"field 'mcc'", "not a mobile country or network code"}},
    {"OpenCellidMccNaN", {{"oc.csv", opencellid("nan", "4")}}, S("{tmp}/oc.csv"), {"field 'mcc': 'nan' is not a finite number", "a mobile country code"}},
    {"OpenCellidLatitudeWords", {{"oc.csv", "LTE,452,4,10101,1,0,106.75,north,1000,5,1,1500000000,1600000000,0\n"}}, S("{tmp}/oc.csv"), {"row 1, column 'lat': 'north' is not a number"}},
    {"OpenCellidUnknownRadio", {{"oc.csv", "radio,mcc,net,area,cell,unit,lon,lat,range\nWIMAX,452,4,1,1,0,106.75,21.85,1000\n"}}, S("{tmp}/oc.csv"), {"unknown technology values 'WIMAX'"}},
    {"OpenCellidUnclosedQuote", {{"oc.csv", "\"LTE,452,4,10101,1,0,106.75,21.85,1000,5,1,1500000000,1600000000,0\n" + opencellid("452", "4")}}, S("{tmp}/oc.csv"), {"oc.csv' line 1", "never closed"}},
    // --- villages as GeoJSON ------------------------------------------------------------------
    {"GeoJsonEmptyFile", {{"v.geojson", ""}}, V("{tmp}/v.geojson"), {"villages file '{tmp}/v.geojson' is empty (0 bytes)", "--villages"}},
    {"GeoJsonTruncated", {{"v.geojson", village("\"population\": 10").substr(0, 120)}}, V("{tmp}/v.geojson"), {"cannot open villages '{tmp}/v.geojson': it is not valid GeoJSON (parse error at line 1, column", "fix the file there"}},
    {"GeoJsonTruncatedOnLine3", {{"v.geojson", "{\n\"type\": \"FeatureCollection\",\n\"features\": [ {\"type\": \"Feat"}}, V("{tmp}/v.geojson"), {"not valid GeoJSON (parse error at line 3, column"}},
    {"GeoJsonUnknownEpsg", {{"v.geojson", village("\"population\": 10", R"({"type": "Point", "coordinates": [106.75, 21.85]})", R"("crs": {"type": "name", "properties": {"name": "EPSG:999999"}}, )")}}, V("{tmp}/v.geojson"), {"names the CRS 'EPSG:999999' in its \"crs\" member, which PROJ does not know", "set \"villages.crs\""}},
    {"GeoJsonUnknownUrnCrs", {{"v.geojson", village("\"population\": 10", R"({"type": "Point", "coordinates": [106.75, 21.85]})", R"("crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4327000"}}, )")}}, V("{tmp}/v.geojson"), {"names the CRS 'urn:ogc:def:crs:EPSG::4327000'"}},
    {"GeoJsonPopulationNaN", {{"v.geojson", village("\"population\": NaN")}}, V("{tmp}/v.geojson"), {"v.geojson row 1, field 'population': nan is not a finite number", "leave it empty (null)"}},
    {"GeoJsonPopulationInfinity", {{"v.geojson", village("\"population\": Infinity")}}, V("{tmp}/v.geojson"), {"field 'population': inf is not a finite number"}},
    {"GeoJsonPopulationMinusInfinity", {{"v.geojson", village("\"population\": -Infinity")}}, V("{tmp}/v.geojson"), {"field 'population': -inf is not a finite number"}},
    {"GeoJsonPopulation1e308", {{"v.geojson", village("\"population\": 1e308")}}, V("{tmp}/v.geojson"), {"field 'population': 1e+308 is more than any village holds", "give the village's own count"}},
    {"GeoJsonPopulationNegative", {{"v.geojson", village("\"population\": -3")}}, V("{tmp}/v.geojson"), {"field 'population': -3 is negative", "give a count >= 0"}},
    {"GeoJsonHouseholdsNaN", {{"v.geojson", village("\"households\": NaN")}}, V("{tmp}/v.geojson"), {"field 'households': nan is not a finite number"}},
    {"GeoJsonHouseholds1e20", {{"v.geojson", village("\"households\": 1e20")}}, V("{tmp}/v.geojson"), {"field 'households'", "is more than any village holds"}},
    {"GeoJsonPowerMaybe", {{"v.geojson", village("\"has_power\": \"maybe\"")}}, V("{tmp}/v.geojson"), {"field 'has_power': 'maybe' is not a yes/no value", "use 1/0, true/false or yes/no"}},
    {"GeoJsonRingOfOnePoint", {{"v.geojson", village("\"population\": 10", kRing1)}}, V("{tmp}/v.geojson"), {"v.geojson row 1: a polygon ring has only", "at least three distinct corners", "fix the geometry or remove the row"}},
    {"GeoJsonRingOfTwoIdenticalPoints", {{"v.geojson", village("\"population\": 10", kRing2)}}, V("{tmp}/v.geojson"), {"row 1: a polygon ring has only 2 points once closed (106.750000 21.850000, …)"}},
    {"GeoJsonRingOfThreePoints", {{"v.geojson", village("\"population\": 10", kRing3)}}, V("{tmp}/v.geojson"), {"row 1: a polygon ring has only 3 points once closed"}},
    {"GeoJsonLineVillage", {{"v.geojson", village("\"population\": 10", kLine)}}, V("{tmp}/v.geojson"), {"row 1 is a Line String; villages must be polygons, multipolygons or points"}},
    {"GeoJsonNoFeatures", {{"v.geojson", R"({"type": "FeatureCollection", "features": []})"}}, V("{tmp}/v.geojson"), {"v.geojson has no villages", "at least one feature"}},
    {"GeoJsonNullGeometry", {{"v.geojson", village("\"population\": 10", "null")}}, V("{tmp}/v.geojson"), {"has no villages with coordinates"}},
    {"GeoJsonCentreYWithoutX", {{"v.geojson", village("\"centre_y\": 21.85")}}, V("{tmp}/v.geojson"), {"v.geojson has a centre y field 'centre_y' but no centre x field", "\"villages.fields.centre_x\""}},
    {"GeoJsonCentreXWithoutY", {{"v.geojson", village("\"center_lon\": 106.75")}}, V("{tmp}/v.geojson"), {"has a centre x field 'center_lon' but no centre y field"}},
    {"GeoJsonCentreOutOfRange", {{"v.geojson", village("\"centre_x\": 200, \"centre_y\": 200")}}, V("{tmp}/v.geojson"), {"row 1: the centre given in its centre fields (200.000000, 200.000000) cannot be transformed", "longitude -180 to 180"}},
    {"GeoJsonCentreHalfGiven", {{"v.geojson", village("\"centre_x\": 106.75, \"centre_y\": null")}}, V("{tmp}/v.geojson"), {"row 1, field 'centre_y': the village centre has only one coordinate", "or neither"}},
    {"GeoJsonCaseDuplicateFields", {{"v.geojson", village("\"Name\": \"a\", \"name\": \"b\"")}}, V("{tmp}/v.geojson"), {"has two fields named 'Name' and 'name'", "rename one of them"}},
    {"GeoJsonLongitude200", {{"v.geojson", village("\"population\": 10", R"({"type": "Point", "coordinates": [200, 21.85]})")}}, V("{tmp}/v.geojson"), {"row 1: coordinate (200.000000, 21.850000) is out of range", "set \"villages.crs\""}},
    {"GeoJsonNotJsonAtAll", {{"v.geojson", "village,population\nA,10\n"}}, V("{tmp}/v.geojson"), {"cannot open villages", "not valid GeoJSON (parse error at line 1, column 1"}},
    {"GeoJsonVillagesFifo", {}, V("{tmp}/fifo"), {"villages '{tmp}/fifo' is a FIFO (named pipe)", "--villages"}},
    // --- CRS ------------------------------------------------------------------------------------
    {"LunarCrsInConfig", {{"c.json", R"({"villages": {"crs": "IAU_2015:30100"}})"}}, C("{tmp}/c.json"), {"the CRS of", "wgs84_villages.geojson ('Moon (2015) - Sphere / Ocentric') cannot be transformed to WGS 84", "set \"villages.crs\""}},
    {"EngineeringCrsForStations", {{"c.json", R"({"stations": {"crs": "ENGCRS[\"site grid\",EDATUM[\"site\"],CS[Cartesian,2],AXIS[\"x\",east],AXIS[\"y\",north],LENGTHUNIT[\"metre\",1]]"}})"}}, C("{tmp}/c.json"), {"the CRS of", "known_stations.geojson ('site grid') cannot be transformed to WGS 84", "set \"stations.crs\""}},
    {"LunarWorkCrs", {}, plus(V(kV), {"--work-crs", "IAU_2015:30110"}), {"\"work_crs\" 'IAU_2015:30110'", "cannot be transformed to WGS 84", "\"EPSG:32648\""}},
    {"UnknownCrsInConfig", {{"c.json", R"({"villages": {"crs": "EPSG:999999"}})"}}, C("{tmp}/c.json"), {"the CRS 'EPSG:999999' given for villages is not one PROJ knows"}},
    // --- Shapefile ------------------------------------------------------------------------------
    {"ShapefileUnreadablePrj", {}, V("{tmp}/badprj.shp"), {"badprj.shp: its CRS file '{tmp}/badprj.prj' cannot be read as a CRS", "set \"villages.crs\""}},
    {"ShapefileWithoutPrj", {}, V("{tmp}/noprj.shp"), {"noprj.shp has no CRS", "add a .prj next to the file"}},
    {"ShapefileCut", {}, V("{tmp}/cutshp.shp"), {"villages", "cutshp.shp"}},
    {"ShapefileWithoutItsFiles", {{"x.shp", "not a shapefile at all, only text"}}, V("{tmp}/x.shp"), {"cannot open villages '{tmp}/x.shp'"}},
    // --- GeoPackage -----------------------------------------------------------------------------
    {"GeoPackageAttributeTable", {}, V("{tmp}/table.gpkg"), {"layer 'cells' has no geometry", "pick a layer with geometry"}},
    {"GeoPackageTwoLayers", {}, V("{tmp}/two.gpkg"), {"two.gpkg has 2 layers ('thon', 'xa')", "pick one with --villages-layer"}},
    {"GeoPackageUnknownLayer", {}, plus(V("{tmp}/two.gpkg"), {"--villages-layer", "huyen"}), {"has no layer 'huyen'; its layers are 'thon', 'xa'"}},
    {"GeoPackageNoFeatures", {}, V("{tmp}/nofeatures.gpkg"), {"has no villages", "at least one feature"}},
    {"GeoPackageInfinitePopulation", {}, V("{tmp}/infpop.gpkg"), {"infpop.gpkg, layer 'villages' row 1, field 'population': inf is not a finite number"}},
    {"GeoPackagePopulation1e308", {}, V("{tmp}/hugepop.gpkg"), {"field 'population': 1e+308 is more than any village holds"}},
    {"GeoPackageThatIsText", {{"v.gpkg", "SQLite format 3? no: plain text"}}, V("{tmp}/v.gpkg"), {"cannot open villages '{tmp}/v.gpkg'"}},
    // --- config ---------------------------------------------------------------------------------
    {"ConfigNulByte", {{"c.json", bytes("{\"threads\": 1}\0{\"radius\": 5}")}}, C("{tmp}/c.json"), {"config '{tmp}/c.json' holds a NUL byte on line 1 (byte 15)", "save it as UTF-8"}},
    {"ConfigNumber1e999", {{"c.json", R"({"radius_m": {"4G": 1e999}})"}}, C("{tmp}/c.json"), {"config '{tmp}/c.json' holds a number too large for a double", "1e999"}},
    {"ConfigFolder", {}, C("{tmp}/folder.json"), {"config '{tmp}/folder.json' is a folder", "give the JSON file itself to --config"}},
    {"ConfigFifo", {}, C("{tmp}/fifo"), {"config '{tmp}/fifo' is a FIFO (named pipe)", "give a JSON file to --config"}},
    {"ConfigDevZero", {}, C("/dev/zero"), {"config '/dev/zero' is a character device"}},
    {"ConfigTooLarge", {{"c.json", "{" + std::string(1'200'000, ' ') + "}"}}, C("{tmp}/c.json"), {"is 1,200,002 bytes, more than the 1,000,000 a config may have"}},
    {"ConfigEmpty", {{"c.json", ""}}, C("{tmp}/c.json"), {"config '{tmp}/c.json' is not valid JSON", "fix the file"}},
    {"ConfigTrailingText", {{"c.json", "{\"threads\": 1}\nthreads: 2\n"}}, C("{tmp}/c.json"), {"is not valid JSON: parse error at line 2"}},
    {"ConfigLatin1", {{"c.json", "{\"villages\": {\"layer\": \"th\xF4n\"}}"}}, C("{tmp}/c.json"), {"is not valid JSON", "UTF-8"}},
    {"ConfigArray", {{"c.json", "[1, 2]"}}, C("{tmp}/c.json"), {"\"(top level)\" must be a JSON object"}},
    {"ConfigRadiusNegative", {{"c.json", R"({"radius_m": {"4G": -5}})"}}, C("{tmp}/c.json"), {"\"radius_m.4G\" must be in [1.00, 100000.00], not -5"}},
    {"ConfigThreadsFraction", {{"c.json", R"({"threads": 1.5})"}}, C("{tmp}/c.json"), {"\"threads\" must be a whole number, not 1.5"}},
    {"ConfigThreads1e308", {{"c.json", R"({"threads": 1e308})"}}, C("{tmp}/c.json"), {"\"threads\" must be in [0.00, 1024.00]"}},
    {"ConfigEncodingNotAString", {{"c.json", R"({"villages": {"encoding": 1252}})"}}, C("{tmp}/c.json"), {"\"villages.encoding\" must be a string, not 1252"}},
    {"ConfigUnknownLayerKey", {{"c.json", R"({"villages": {"pth": "v.gpkg"}})"}}, C("{tmp}/c.json"), {"unknown key \"villages.pth\"", "'encoding'"}},
    // --- flags ----------------------------------------------------------------------------------
    {"ThreadsMany", {}, plus(V(kV), {"--threads", "many"}), {"--threads", "many", "a whole number from 0, all cores, to 1024"}, {}, 2},
    {"Threads5000", {}, plus(V(kV), {"--threads", "5000"}), {"--threads 5000 is out of range", "from 1 to 1024"}},
    {"StationsEmptyGeoJson", {{"s.geojson", ""}}, S("{tmp}/s.geojson"), {"stations file '{tmp}/s.geojson' is empty (0 bytes)"}},
    // --- rasters: DEM and population ------------------------------------------------------------
    {"DemFifo", {}, known({"--dem", "{tmp}/fifo"}), {"dem '{tmp}/fifo' is a FIFO (named pipe)", "give that to --dem"}},
    {"DemEmptyFile", {{"dem.tif", ""}}, known({"--dem", "{tmp}/dem.tif"}), {"dem file '{tmp}/dem.tif' is empty (0 bytes)"}},
    {"DemNotARaster", {{"dem.tif", "elevation: high"}}, known({"--dem", "{tmp}/dem.tif"}), {"dem file '{tmp}/dem.tif' is not a raster GDAL can read", "give a GeoTIFF"}},
    {"DemMissing", {}, known({"--dem", "{tmp}/none.tif"}), {"dem file '{tmp}/none.tif' does not exist"}},
    {"DemFolder", {}, known({"--dem", "{tmp}"}), {"dem '{tmp}' is a folder", "give the raster file itself"}},
    {"DemWithoutCrs", {}, known({"--dem", "{tmp}/dem_nocrs.tif"}), {"dem '{tmp}/dem_nocrs.tif' has no CRS", "gdal_edit.py -a_srs"}},
    {"DemElevation1e30", {}, known({"--dem", "{tmp}/dem_huge.tif"}), {"dem '{tmp}/dem_huge.tif' holds an elevation of 1e+30 m", "set the raster's nodata value"}},
    {"DemUndeclaredNodata", {}, known({"--dem", "{tmp}/dem_nodata.tif"}), {"holds an elevation of -32768 m", "gdal_edit.py -a_nodata"}},
    {"PopulationFifo", {}, known({"--population", "{tmp}/fifo"}), {"population '{tmp}/fifo' is a FIFO (named pipe)", "--population"}},
    {"PopulationEmptyFile", {{"pop.tif", ""}}, known({"--population", "{tmp}/pop.tif"}), {"population file '{tmp}/pop.tif' is empty (0 bytes)"}},
    {"PopulationInfinity", {}, known({"--population", "{tmp}/pop_inf.tif"}), {"holds inf people in pixel", "more than any cell can hold"}},
    {"PopulationNegative", {}, known({"--population", "{tmp}/pop_negative.tif"}), {"holds -5.00 people in pixel", "set its nodata value"}},
    {"PopulationWithoutCrs", {}, known({"--population", "{tmp}/pop_nocrs.tif"}), {"population '{tmp}/pop_nocrs.tif' has no CRS"}},
    // --- secrets --------------------------------------------------------------------------------
    {"PostgisPasswordKeyword", {}, S("PG:host=127.0.0.1 port=1 dbname=gis user=planner password=hunter2 connect_timeout=2"), {"stations"}, {"hunter2"}},
    {"PostgisPasswordQuoted", {}, S("PG:host=127.0.0.1 port=1 dbname=gis password='hunter 2' connect_timeout=2"), {"stations"}, {"hunter"}},
    {"PostgisPasswordUri", {}, S("PG:postgresql://planner:hunter2@127.0.0.1:1/gis?connect_timeout=2"), {"stations"}, {"hunter2"}},
};
// clang-format on

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class BadInputCorpus : public ::testing::TestWithParam<Case> {};

TEST_P(BadInputCorpus, FailsWithCode2AMessageThatSaysWhatWhereAndHowAndWritesNothing) {
    const Case& c = GetParam();
    TempDir tmp;
    for (const auto& [name, content] : c.files)
        tmp.write(name, content);
    for (const auto& arg : c.args)
        for (const auto& [name, make] : makers())
            if (arg == "{tmp}/" + name + "" || arg.find("{tmp}/" + name) != std::string::npos)
                if (!fs::exists(fs::symlink_status(tmp.path() / name)))
                    make(tmp.path());
    std::vector<std::string> args{"analyze"};
    for (const auto& a : c.args) // expand() folds "//", which a postgresql:// URI needs
        args.push_back(a.find('{') == std::string::npos ? a : expand(a, tmp.path()));
    const std::string out = tmp.file("out.gpkg");
    args.insert(args.end(), {"--out", out});

    const auto before = list_tree(tmp.path());
    const RunResult r = run_in_process(args);

    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
    for (const auto& word : c.words)
        EXPECT_NE(r.err.find(expand(word, tmp.path())), std::string::npos)
            << "expected '" << expand(word, tmp.path()) << "' in:\n"
            << r.err;
    for (const auto& word : c.absent)
        EXPECT_EQ(r.err.find(word), std::string::npos) << "'" << word << "' leaked in:\n" << r.err;
    EXPECT_EQ(line_count(r.err), c.lines) << r.err;
    EXPECT_FALSE(fs::exists(out)) << "a failed run must not write --out";
    EXPECT_EQ(list_tree(tmp.path()), before) << "a failed run must write nothing";
}

INSTANTIATE_TEST_SUITE_P(Issue12, BadInputCorpus, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& param) {
                             return std::string(param.param.name);
                         });

TEST(BadInputCorpus, HoldsAtLeastEightyCases) { EXPECT_GE(std::size(kCases), 80u); }

// The other side of "encoding": Latin-1 text named as such is converted, not refused.
TEST(Encoding, Latin1StationsNamedInTheConfigAreReadAsUtf8) {
    TempDir tmp;
    const std::string stations =
        tmp.write("s.csv", "lon,lat,tech,name\n106.75,21.85,4G,Tr\xE1m \xD0\xF4ng\n");
    const std::string config = tmp.write("c.json", R"({"stations": {"encoding": "ISO-8859-1"}})");
    const std::string out = tmp.file("out.gpkg");
    const RunResult r =
        run_in_process({"analyze", "--stations", stations, "--villages",
                        data_path("wgs84_villages.geojson"), "--config", config, "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto features = read_layer_features(out, "stations");
    ASSERT_EQ(features.size(), 1u);
    EXPECT_EQ(features[0].text("name"), "Trám Ðông");
}

// A password never reaches a message, whatever prints it: the scrubbing is at the edge.
TEST(Secrets, PasswordInAMissingConfigPathIsNotPrinted) {
    const RunResult r = run_in_process({"analyze", "--stations", "s.csv", "--villages", "v.csv",
                                        "--config", "/nowhere/password=hunter2.json"});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err.find("hunter2"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("password=***"), std::string::npos) << r.err;
}

} // namespace
} // namespace whitezone::test::e2e
