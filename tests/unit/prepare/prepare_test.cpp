// Unit tests of the prepare stage, on layers built in code: technologies and operators,
// sites, ranges, the work CRS, field aliases, repair, centres, settlements and reprojection.

#include "whitezone/error.hpp"
#include "whitezone/prepare.hpp"

#include "proj/proj.hpp"
#include "support/support.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <clocale>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace whitezone {
namespace {

using test::contains;
using test::message_of;

// A layer with string fields, to which features are added row by row.
RawLayer make_layer(const std::string& source, std::vector<std::string> fields,
                    const std::string& crs = "EPSG:4326") {
    RawLayer layer;
    layer.source = source;
    layer.layer = source.substr(0, source.find('.'));
    layer.crs_wkt = crs;
    for (auto& f : fields)
        layer.fields.push_back({std::move(f), FieldType::String});
    return layer;
}

void add_point(RawLayer& layer, double x, double y, std::vector<Value> values = {}) {
    RawFeature f;
    f.row = static_cast<std::int64_t>(layer.features.size() + layer.empty_rows.size() + 1);
    f.geometry.kind = RawGeometry::Kind::Point;
    f.geometry.type = "Point";
    f.geometry.point = {x, y};
    values.resize(layer.fields.size());
    f.values = std::move(values);
    layer.features.push_back(std::move(f));
}

void add_area(RawLayer& layer, MultiPolygon area, std::vector<Value> values = {}) {
    RawFeature f;
    f.row = static_cast<std::int64_t>(layer.features.size() + layer.empty_rows.size() + 1);
    f.geometry.kind = RawGeometry::Kind::Area;
    f.geometry.type = area.size() == 1 ? "Polygon" : "Multi Polygon";
    f.geometry.area = std::move(area);
    values.resize(layer.fields.size());
    f.values = std::move(values);
    layer.features.push_back(std::move(f));
}

Polygon polygon(std::vector<XY> shell) {
    if (shell.front().x != shell.back().x || shell.front().y != shell.back().y)
        shell.push_back(shell.front());
    return Polygon{{std::move(shell)}};
}

using test::CommaLocale;

// One point village near Cao Bằng (lon 106.7, lat 21.8) and the given stations.
RawInputs with_stations(RawLayer stations) {
    RawInputs raw;
    raw.stations = std::move(stations);
    raw.villages = make_layer("villages.csv", {"id"});
    add_point(raw.villages, 106.7, 21.8, {std::string("T1")});
    return raw;
}

// Stations in OpenCelliD's layout.
RawLayer opencellid() {
    return make_layer("452.csv", {"radio", "mcc", "net", "area", "cell", "unit", "lon", "lat",
                                  "range", "samples"});
}

void add_cell(RawLayer& layer, const std::string& radio, int mcc, int net, double lon, double lat,
              const std::string& range = "1000") {
    add_point(layer, lon, lat,
              {radio, std::to_string(mcc), std::to_string(net), std::string("1"),
               std::to_string(layer.features.size() + 1), std::string("0"), std::to_string(lon),
               std::to_string(lat), range, std::string("3")});
}

struct Captured {
    std::vector<std::string> warnings;
    Log log() {
        Log l;
        l.warn = [this](std::string_view m) { warnings.emplace_back(m); };
        return l;
    }
    [[nodiscard]] bool any(const std::string& needle) const {
        return std::any_of(warnings.begin(), warnings.end(),
                           [&](const std::string& w) { return contains(w, needle); });
    }
};

// Whether p lies strictly inside the shell of `poly` (ray casting).
bool inside(const Polygon& poly, XY p) {
    bool in = false;
    const Ring& r = poly.rings.front();
    for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) {
        if ((r[i].y > p.y) != (r[j].y > p.y) &&
            p.x < (r[j].x - r[i].x) * (p.y - r[i].y) / (r[j].y - r[i].y) + r[i].x)
            in = !in;
    }
    return in;
}

// ---------------------------------------------------------------------------------------
// Technologies and operators

TEST(Prepare, TechnologyIsParsedFromGenerationsAndRadioNamesInAnyCase) {
    const std::vector<std::pair<std::string, Tech>> cases{
        {"2G", Tech::G2}, {"2g", Tech::G2},   {"GSM", Tech::G2},  {"gsm", Tech::G2},
        {"3G", Tech::G3}, {"UMTS", Tech::G3}, {"umts", Tech::G3}, {"WCDMA", Tech::G3},
        {"4G", Tech::G4}, {"LTE", Tech::G4},  {"Lte", Tech::G4},  {" 4g ", Tech::G4},
        {"5G", Tech::G5}, {"NR", Tech::G5},   {"nr", Tech::G5}};
    for (const auto& [text, tech] : cases) {
        auto parsed = parse_tech(text);
        ASSERT_TRUE(parsed.has_value()) << "'" << text << "'";
        EXPECT_EQ(*parsed, tech) << "'" << text << "'";
    }
    EXPECT_FALSE(parse_tech("6G"));
    EXPECT_FALSE(parse_tech(""));
    EXPECT_FALSE(parse_tech("wifi"));
}

TEST(Prepare, StationTechnologiesAreReadFromTheTechField) {
    RawLayer stations = make_layer("bts.csv", {"tech", "operator"});
    for (const char* t : {"2G", "umts", "LTE", "nr"})
        add_point(stations, 106.7, 21.8, {std::string(t), std::string("Viettel")});
    const PreparedInputs out = prepare_inputs(with_stations(stations), {}, {});
    ASSERT_EQ(out.stations.size(), 4U);
    EXPECT_EQ(out.stations[0].tech, Tech::G2);
    EXPECT_EQ(out.stations[1].tech, Tech::G3);
    EXPECT_EQ(out.stations[2].tech, Tech::G4);
    EXPECT_EQ(out.stations[3].tech, Tech::G5);
    EXPECT_EQ(out.stations[0].operator_name, "Viettel");
}

TEST(Prepare, OperatorSpellingsBecomeOneNameAndConfiguredAliasesWin) {
    RawLayer stations = make_layer("bts.csv", {"tech", "operator"});
    for (const char* op : {"VNPT", "Vinaphone", "VIETTEL", "mobifone", "Itel"})
        add_point(stations, 106.7, 21.8, {std::string("4G"), std::string(op)});
    PrepareOptions options;
    options.operator_aliases = {{"ITEL", "VinaPhone"}};
    const PreparedInputs out = prepare_inputs(with_stations(stations), options, {});
    ASSERT_EQ(out.stations.size(), 5U);
    EXPECT_EQ(out.stations[0].operator_name, "VinaPhone");
    EXPECT_EQ(out.stations[1].operator_name, "VinaPhone");
    EXPECT_EQ(out.stations[2].operator_name, "Viettel");
    EXPECT_EQ(out.stations[3].operator_name, "MobiFone");
    EXPECT_EQ(out.stations[4].operator_name, "VinaPhone");
}

TEST(Prepare, UnknownTechnologiesAreAllListedInOneInputError) {
    RawLayer stations = make_layer("bts.csv", {"tech"});
    add_point(stations, 106.7, 21.8, {std::string("4G")});
    add_point(stations, 106.7, 21.8, {std::string("6G")});
    add_point(stations, 106.7, 21.8, {std::string("wifi")});
    add_point(stations, 106.7, 21.8, {std::string("6G")});
    const std::string msg =
        message_of<InputError>([&] { prepare_inputs(with_stations(stations), {}, {}); });
    EXPECT_TRUE(contains(msg, "'6G' (2 rows, first row 2)")) << msg;
    EXPECT_TRUE(contains(msg, "'wifi' (1 row, first row 3)")) << msg;
    EXPECT_TRUE(contains(msg, "field 'tech'")) << msg;
    EXPECT_TRUE(contains(msg, "2G, 3G, 4G or 5G")) << msg;
}

TEST(Prepare, StationsWithoutATechFieldAreAnInputErrorNamingTheConfigKey) {
    RawLayer stations = make_layer("bts.csv", {"name"});
    add_point(stations, 106.7, 21.8, {std::string("A")});
    const std::string msg =
        message_of<InputError>([&] { prepare_inputs(with_stations(stations), {}, {}); });
    EXPECT_TRUE(contains(msg, "\"stations.fields.tech\"")) << msg;
}

TEST(Prepare, ConfiguredStationFieldNamesOverrideTheAliases) {
    RawLayer stations = make_layer("bts.csv", {"tech", "the_generation", "carrier_name"});
    add_point(stations, 106.7, 21.8,
              {std::string("junk"), std::string("3G"), std::string("MobiFone")});
    PrepareOptions options;
    options.station_fields = {{"tech", "the_generation"}, {"operator", "carrier_name"}};
    const PreparedInputs out = prepare_inputs(with_stations(stations), options, {});
    ASSERT_EQ(out.stations.size(), 1U);
    EXPECT_EQ(out.stations[0].tech, Tech::G3);
    EXPECT_EQ(out.stations[0].operator_name, "MobiFone");
}

TEST(Prepare, OpenCellidMccAndNetBecomeVietnameseOperatorNames) {
    RawLayer stations = opencellid();
    add_cell(stations, "LTE", 452, 1, 106.70, 21.80);
    add_cell(stations, "LTE", 452, 2, 106.71, 21.80);
    add_cell(stations, "LTE", 452, 4, 106.72, 21.80);
    add_cell(stations, "LTE", 452, 5, 106.73, 21.80);
    add_cell(stations, "GSM", 452, 7, 106.74, 21.80);
    add_cell(stations, "GSM", 452, 3, 106.75, 21.80);
    add_cell(stations, "LTE", 310, 260, 106.76, 21.80);
    const PreparedInputs out = prepare_inputs(with_stations(stations), {}, {});
    ASSERT_EQ(out.stations.size(), 7U);
    EXPECT_EQ(out.stations[0].operator_name, "MobiFone");
    EXPECT_EQ(out.stations[1].operator_name, "VinaPhone");
    EXPECT_EQ(out.stations[2].operator_name, "Viettel");
    EXPECT_EQ(out.stations[3].operator_name, "Vietnamobile");
    EXPECT_EQ(out.stations[4].operator_name, "Gmobile");
    // Others are named "mcc-net", the network code with its usual two digits at least.
    EXPECT_EQ(out.stations[5].operator_name, "452-03");
    EXPECT_EQ(out.stations[6].operator_name, "310-260");
    EXPECT_EQ(out.stations[4].tech, Tech::G2);
}

TEST(Prepare, OpenCellidCellsOfOneOperatorAtOneLocationAreOneSite) {
    RawLayer stations = opencellid();
    add_cell(stations, "GSM", 452, 4, 106.70, 21.80);
    add_cell(stations, "UMTS", 452, 4, 106.70, 21.80);
    add_cell(stations, "LTE", 452, 4, 106.70, 21.80);
    const PreparedInputs out = prepare_inputs(with_stations(stations), {}, {});
    ASSERT_EQ(out.stations.size(), 3U);
    EXPECT_EQ(out.site_count, 1U);
    EXPECT_FALSE(out.stations[0].site_id.empty());
    EXPECT_EQ(out.stations[1].site_id, out.stations[0].site_id);
    EXPECT_EQ(out.stations[2].site_id, out.stations[0].site_id);
}

TEST(Prepare, OpenCellidCellsOfDifferentOperatorsAtOneLocationAreDifferentSites) {
    RawLayer stations = opencellid();
    add_cell(stations, "LTE", 452, 4, 106.70, 21.80); // Viettel
    add_cell(stations, "LTE", 452, 1, 106.70, 21.80); // MobiFone, same mast
    add_cell(stations, "GSM", 452, 4, 106.70, 21.80); // Viettel again
    const PreparedInputs out = prepare_inputs(with_stations(stations), {}, {});
    ASSERT_EQ(out.stations.size(), 3U);
    EXPECT_EQ(out.site_count, 2U);
    EXPECT_NE(out.stations[0].site_id, out.stations[1].site_id);
    EXPECT_EQ(out.stations[0].site_id, out.stations[2].site_id);
}

TEST(Prepare, HeaderlessOpenCellidFileReadFromDiskBecomesSitesOfNamedOperators) {
    test::TempDir dir;
    LayerSource source;
    source.path = dir.write("452.csv", "GSM,452,4,1,11,0,106.70,21.80,1200,4,1,0,0,0\n"
                                       "LTE,452,4,1,12,0,106.70,21.80,20,4,1,0,0,0\n"
                                       "LTE,452,2,1,13,0,106.70,21.80,90000,4,1,0,0,0\n"
                                       "UMTS,452,1,1,14,0,,,1000,4,1,0,0,0\n");
    RawInputs raw = with_stations(read_layer(source, "stations"));
    Captured captured;
    const PreparedInputs out = prepare_inputs(raw, {}, captured.log());
    ASSERT_EQ(out.stations.size(), 3U);
    EXPECT_EQ(out.stations[0].operator_name, "Viettel");
    EXPECT_EQ(out.stations[0].tech, Tech::G2);
    EXPECT_EQ(out.stations[1].tech, Tech::G4);
    EXPECT_EQ(out.stations[2].operator_name, "VinaPhone");
    EXPECT_EQ(out.site_count, 2U);
    EXPECT_EQ(out.stations[0].site_id, out.stations[1].site_id);
    EXPECT_EQ(out.stations[1].range_flag, "clamped_low");
    EXPECT_EQ(out.stations[2].range_flag, "clamped_high");
    EXPECT_NEAR(out.stations[0].xy.x, 675739.22, 1.0);
    EXPECT_NEAR(out.stations[0].xy.y, 2411658.44, 1.0);
    EXPECT_TRUE(captured.any("skipped 1 stations with empty coordinates (row 4)"))
        << ::testing::PrintToString(captured.warnings);
}

TEST(Prepare, CellsOfOneOperatorWithinTheMergeDistanceAreOneSite) {
    // 0.0002° of latitude is about 22 m; 0.002° about 221 m.
    RawLayer stations = opencellid();
    add_cell(stations, "LTE", 452, 4, 106.70, 21.8000);
    add_cell(stations, "LTE", 452, 4, 106.70, 21.8002);
    add_cell(stations, "LTE", 452, 4, 106.70, 21.8020);
    PrepareOptions options;
    options.site_merge_m = 50.0;
    const PreparedInputs out = prepare_inputs(with_stations(stations), options, {});
    EXPECT_EQ(out.site_count, 2U);
    EXPECT_EQ(out.stations[0].site_id, out.stations[1].site_id);
    EXPECT_NE(out.stations[0].site_id, out.stations[2].site_id);
}

TEST(Prepare, GivenSiteIdsAreKept) {
    RawLayer stations = make_layer("bts.csv", {"tech", "operator", "site_id"});
    add_point(stations, 106.70, 21.80,
              {std::string("2G"), std::string("Viettel"), std::string("CBG001")});
    add_point(stations, 106.70, 21.80,
              {std::string("4G"), std::string("Viettel"), std::string("CBG001")});
    add_point(stations, 106.90, 21.90,
              {std::string("4G"), std::string("Viettel"), std::string("CBG002")});
    const PreparedInputs out = prepare_inputs(with_stations(stations), {}, {});
    EXPECT_EQ(out.site_count, 2U);
    EXPECT_EQ(out.stations[0].site_id, "CBG001");
    EXPECT_EQ(out.stations[2].site_id, "CBG002");
}

TEST(Prepare, RangeOutsideTheLimitsIsClampedAndFlagged) {
    RawLayer stations = opencellid();
    add_cell(stations, "LTE", 452, 4, 106.70, 21.80, "50");
    add_cell(stations, "LTE", 452, 4, 106.80, 21.80, "50000");
    add_cell(stations, "LTE", 452, 4, 106.90, 21.80, "2000");
    add_cell(stations, "LTE", 452, 4, 107.00, 21.80, "");
    PrepareOptions options;
    options.min_range_m = 100.0;
    options.max_range_m = 35000.0;
    Captured captured;
    const PreparedInputs out = prepare_inputs(with_stations(stations), options, captured.log());
    ASSERT_EQ(out.stations.size(), 4U);
    EXPECT_DOUBLE_EQ(*out.stations[0].range_m, 100.0);
    EXPECT_EQ(out.stations[0].range_flag, "clamped_low");
    EXPECT_DOUBLE_EQ(*out.stations[1].range_m, 35000.0);
    EXPECT_EQ(out.stations[1].range_flag, "clamped_high");
    EXPECT_DOUBLE_EQ(*out.stations[2].range_m, 2000.0);
    EXPECT_EQ(out.stations[2].range_flag, "");
    EXPECT_FALSE(out.stations[3].range_m.has_value());
    EXPECT_TRUE(captured.any("2 station ranges")) << ::testing::PrintToString(captured.warnings);
    EXPECT_TRUE(captured.any("rows 1, 2")) << ::testing::PrintToString(captured.warnings);
}

TEST(Prepare, NumbersInTextFieldsAreParsedWithAPointWhateverTheLocale) {
    CommaLocale locale;
    if (!locale.ok)
        GTEST_SKIP() << "no locale with a decimal comma is installed (e.g. de_DE.UTF-8)";
    RawLayer stations = opencellid();
    add_cell(stations, "LTE", 452, 4, 106.70, 21.80, "1500.5");
    const PreparedInputs out = prepare_inputs(with_stations(stations), {}, {});
    ASSERT_TRUE(out.stations[0].range_m.has_value());
    EXPECT_DOUBLE_EQ(*out.stations[0].range_m, 1500.5);
}

TEST(Prepare, NonNumericRangeIsAnInputErrorNamingRowAndField) {
    RawLayer stations = opencellid();
    add_cell(stations, "LTE", 452, 4, 106.70, 21.80, "1000");
    add_cell(stations, "LTE", 452, 4, 106.70, 21.80, "far");
    const std::string msg =
        message_of<InputError>([&] { prepare_inputs(with_stations(stations), {}, {}); });
    EXPECT_TRUE(contains(msg, "row 2, field 'range'")) << msg;
    EXPECT_TRUE(contains(msg, "'far'")) << msg;
}

TEST(Prepare, StationWithLineGeometryIsAnInputError) {
    RawLayer stations = make_layer("bts.geojson", {"tech"});
    RawFeature f;
    f.row = 1;
    f.geometry.kind = RawGeometry::Kind::Other;
    f.geometry.type = "Line String";
    f.values = {std::string("4G")};
    stations.features.push_back(f);
    const std::string msg =
        message_of<InputError>([&] { prepare_inputs(with_stations(stations), {}, {}); });
    EXPECT_TRUE(contains(msg, "row 1 is a Line String")) << msg;
}

TEST(Prepare, SectorIsKeptOnlyWithAzimuthAndANarrowBeam) {
    RawLayer stations = make_layer("bts.csv", {"tech", "azimuth", "beamwidth"});
    add_point(stations, 106.7, 21.8, {std::string("4G"), std::string("-30"), std::string("65")});
    add_point(stations, 106.7, 21.8, {std::string("4G"), std::string("90"), std::string("360")});
    add_point(stations, 106.7, 21.8, {std::string("4G"), std::string("90"), std::string("")});
    const PreparedInputs out = prepare_inputs(with_stations(stations), {}, {});
    ASSERT_TRUE(out.stations[0].azimuth_deg.has_value());
    EXPECT_DOUBLE_EQ(*out.stations[0].azimuth_deg, 330.0);
    EXPECT_DOUBLE_EQ(*out.stations[0].beamwidth_deg, 65.0);
    EXPECT_FALSE(out.stations[1].azimuth_deg.has_value());
    EXPECT_FALSE(out.stations[2].azimuth_deg.has_value());

    RawLayer bad = make_layer("bts.csv", {"tech", "azimuth", "beamwidth"});
    add_point(bad, 106.7, 21.8, {std::string("4G"), std::string("0"), std::string("400")});
    const std::string msg =
        message_of<InputError>([&] { prepare_inputs(with_stations(bad), {}, {}); });
    EXPECT_TRUE(contains(msg, "row 1, field 'beamwidth'")) << msg;
}

TEST(Prepare, EmptyStationRowsAreReportedAsSkipped) {
    RawLayer stations = make_layer("bts.csv", {"tech"});
    add_point(stations, 106.7, 21.8, {std::string("4G")});
    stations.empty_rows = {2, 5};
    Captured captured;
    prepare_inputs(with_stations(stations), {}, captured.log());
    EXPECT_TRUE(captured.any("skipped 2 stations with empty coordinates (rows 2, 5)"))
        << ::testing::PrintToString(captured.warnings);
}

// ---------------------------------------------------------------------------------------
// Work CRS

RawInputs villages_at(double lon, double lat) {
    RawLayer stations = make_layer("bts.csv", {"tech"});
    add_point(stations, lon, lat, {std::string("4G")});
    RawInputs raw;
    raw.stations = stations;
    raw.villages = make_layer("villages.csv", {"id"});
    add_point(raw.villages, lon - 0.05, lat - 0.05, {std::string("A")});
    add_point(raw.villages, lon + 0.05, lat + 0.05, {std::string("B")});
    return raw;
}

TEST(Prepare, WorkCrsIsTheUtmZoneOfTheVillagesCentre) {
    EXPECT_EQ(prepare_inputs(villages_at(106.7, 21.8), {}, {}).work_crs, "EPSG:32648");
    EXPECT_EQ(prepare_inputs(villages_at(105.0, 10.0), {}, {}).work_crs, "EPSG:32648");
    EXPECT_EQ(prepare_inputs(villages_at(-47.9, -15.8), {}, {}).work_crs, "EPSG:32723");
    EXPECT_EQ(prepare_inputs(villages_at(2.35, 48.85), {}, {}).work_crs, "EPSG:32631");
    const PreparedInputs out = prepare_inputs(villages_at(106.7, 21.8), {}, {});
    EXPECT_TRUE(contains(out.work_crs_wkt, "UTM zone 48N")) << out.work_crs_wkt;
}

TEST(Prepare, WorkCrsAutoIsFoundFromProjectedVillages) {
    RawInputs raw = villages_at(106.7, 21.8);
    raw.villages = make_layer("villages.csv", {"id"}, "EPSG:32648");
    add_point(raw.villages, 675739.0, 2411658.0, {std::string("A")});
    EXPECT_EQ(prepare_inputs(raw, {}, {}).work_crs, "EPSG:32648");
}

TEST(Prepare, ConfiguredWorkCrsIsUsedAsIs) {
    PrepareOptions options;
    options.work_crs = "EPSG:3405"; // VN-2000 / UTM zone 48N
    const PreparedInputs out = prepare_inputs(villages_at(106.7, 21.8), options, {});
    EXPECT_EQ(out.work_crs, "EPSG:3405");
    EXPECT_TRUE(contains(out.work_crs_wkt, "VN-2000")) << out.work_crs_wkt;
    // Other zone than auto would pick: still used.
    options.work_crs = "EPSG:32649";
    EXPECT_EQ(prepare_inputs(villages_at(106.7, 21.8), options, {}).work_crs, "EPSG:32649");
}

// A PROJ string as docs/config.md allows it (PROJ alone reads it as a conversion unless it
// says +type=crs), and a CRS's exact name, work; a word PROJ would match loosely ("foo" in
// "Amersfoort") is refused with the nearest name.
TEST(Prepare, WorkCrsMayBeAProjStringOrAnExactName) {
    PrepareOptions options;
    options.work_crs = "+proj=utm +zone=48 +datum=WGS84 +units=m +no_defs";
    const PreparedInputs out = prepare_inputs(villages_at(106.7, 21.8), options, {});
    const PreparedInputs utm = prepare_inputs(villages_at(106.7, 21.8), {}, {}); // EPSG:32648
    EXPECT_NEAR(out.villages.at(0).centre.x, utm.villages.at(0).centre.x, 1e-6);
    EXPECT_NEAR(out.villages.at(0).centre.y, utm.villages.at(0).centre.y, 1e-6);
    options.work_crs = "WGS 84 / UTM zone 48N";
    EXPECT_TRUE(contains(prepare_inputs(villages_at(106.7, 21.8), options, {}).work_crs_wkt,
                         "UTM zone 48N"));
    options.work_crs = "foo";
    const std::string msg =
        message_of<UsageError>([&] { prepare_inputs(villages_at(106.7, 21.8), options, {}); });
    EXPECT_TRUE(contains(msg, "'foo' is not the name of a CRS (the nearest PROJ finds is '"))
        << msg;
}

TEST(Prepare, GeographicWorkCrsIsAUsageError) {
    PrepareOptions options;
    options.work_crs = "EPSG:4326";
    const std::string msg =
        message_of<UsageError>([&] { prepare_inputs(villages_at(106.7, 21.8), options, {}); });
    EXPECT_TRUE(contains(msg, "\"work_crs\" 'EPSG:4326'")) << msg;
    EXPECT_TRUE(contains(msg, "metres")) << msg;
}

TEST(Prepare, UnknownWorkCrsIsAUsageError) {
    PrepareOptions options;
    options.work_crs = "EPSG:99999999";
    const std::string msg =
        message_of<UsageError>([&] { prepare_inputs(villages_at(106.7, 21.8), options, {}); });
    EXPECT_TRUE(contains(msg, "'EPSG:99999999'")) << msg;
}

TEST(Prepare, VillagesWithoutACrsAreAnInputErrorNamingTheConfigKey) {
    RawInputs raw = villages_at(106.7, 21.8);
    raw.villages.crs_wkt.clear();
    const std::string msg = message_of<InputError>([&] { prepare_inputs(raw, {}, {}); });
    EXPECT_TRUE(contains(msg, "has no CRS")) << msg;
    EXPECT_TRUE(contains(msg, "\"villages.crs\"")) << msg;
}

TEST(Prepare, StationsWithoutACrsAreAnInputErrorNamingTheConfigKey) {
    RawInputs raw = villages_at(106.7, 21.8);
    raw.stations.crs_wkt.clear();
    const std::string msg = message_of<InputError>([&] { prepare_inputs(raw, {}, {}); });
    EXPECT_TRUE(contains(msg, "\"stations.crs\"")) << msg;
}

TEST(Prepare, CoordinatesOutOfRangeInWgs84AreAnInputErrorNamingTheRow) {
    RawInputs raw = villages_at(106.7, 21.8);
    add_point(raw.villages, 2411658.0, 675739.0, {std::string("C")}); // metres, not degrees
    const std::string msg = message_of<InputError>([&] { prepare_inputs(raw, {}, {}); });
    EXPECT_TRUE(contains(msg, "villages.csv row 3")) << msg;
    EXPECT_TRUE(contains(msg, "out of range")) << msg;
    EXPECT_TRUE(contains(msg, "\"villages.crs\"")) << msg;

    RawInputs raw2 = villages_at(106.7, 21.8);
    add_point(raw2.stations, 106.7, 95.0, {std::string("4G")});
    const std::string msg2 = message_of<InputError>([&] { prepare_inputs(raw2, {}, {}); });
    EXPECT_TRUE(contains(msg2, "bts.csv row 2")) << msg2;
}

TEST(Prepare, PolygonVertexOutOfRangeIsAnInputErrorNamingTheRow) {
    RawInputs raw = villages_at(106.7, 21.8);
    add_area(raw.villages, {polygon({{106.0, 21.0}, {186.0, 21.0}, {106.0, 22.0}})});
    const std::string msg = message_of<InputError>([&] { prepare_inputs(raw, {}, {}); });
    EXPECT_TRUE(contains(msg, "row 3")) << msg;
}

// ---------------------------------------------------------------------------------------
// Reprojection

TEST(Prepare, ReprojectionToUtm48NIsAccurate) {
    // On the central meridian (105° E) easting is 500 000 m and northing is k0 × the
    // meridian arc: 0 at the equator, 0.9996 × 1 105 854.83 m = 1 105 412.49 m at 10° N.
    RawLayer stations = make_layer("bts.csv", {"tech"});
    add_point(stations, 105.0, 0.0, {std::string("4G")});
    add_point(stations, 105.0, 10.0, {std::string("4G")});
    RawInputs raw;
    raw.stations = stations;
    raw.villages = make_layer("villages.csv", {"id"});
    add_point(raw.villages, 105.0, 0.0, {std::string("A")});
    add_point(raw.villages, 105.0, 10.0, {std::string("B")});
    PrepareOptions options;
    options.work_crs = "EPSG:32648";
    const PreparedInputs out = prepare_inputs(raw, options, {});
    EXPECT_NEAR(out.stations[0].xy.x, 500000.0, 1.0);
    EXPECT_NEAR(out.stations[0].xy.y, 0.0, 1.0);
    EXPECT_NEAR(out.stations[1].xy.x, 500000.0, 1.0);
    EXPECT_NEAR(out.stations[1].xy.y, 1105412.49, 1.0);
    EXPECT_NEAR(out.villages[0].centre.x, 500000.0, 1.0);
    EXPECT_NEAR(out.villages[0].centre.y, 0.0, 1.0);
    EXPECT_NEAR(out.villages[1].centre.y, 1105412.49, 1.0);
}

TEST(Prepare, ReprojectionToSouthernUtmIsAccurate) {
    RawInputs raw = villages_at(105.0, -10.0);
    raw.villages = make_layer("villages.csv", {"id"});
    add_point(raw.villages, 105.0, -10.0, {std::string("A")});
    const PreparedInputs out = prepare_inputs(raw, {}, {});
    EXPECT_EQ(out.work_crs, "EPSG:32748");
    EXPECT_NEAR(out.villages[0].centre.x, 500000.0, 1.0);
    EXPECT_NEAR(out.villages[0].centre.y, 10000000.0 - 1105412.49, 1.0);
}

TEST(Prepare, LongitudeStaysEastingThroughPrepare) {
    // A point east of the central meridian has easting > 500 km and a positive northing;
    // swapped axes (lat, lon) would land far away or fail.
    RawInputs raw = villages_at(106.7, 21.8);
    raw.villages = make_layer("villages.csv", {"id"});
    add_point(raw.villages, 106.7, 21.8, {std::string("A")});
    const PreparedInputs out = prepare_inputs(raw, {}, {});
    EXPECT_NEAR(out.villages[0].centre.x, 675739.22, 1.0);
    EXPECT_NEAR(out.villages[0].centre.y, 2411658.44, 1.0);
}

TEST(Prepare, LonLatOrderSurvivesReadAndPrepareFromCsvWithAnAssignedWgs84) {
    // EPSG:4326 officially orders latitude first; x must stay the longitude all the same.
    test::TempDir dir;
    LayerSource source;
    source.path = dir.write("thon.csv", "id,lon,lat\nA,106.7,21.8\n");
    source.crs = "EPSG:4326";
    RawInputs raw = villages_at(106.7, 21.8);
    raw.villages = read_layer(source, "villages");
    const PreparedInputs out = prepare_inputs(raw, {}, {});
    EXPECT_EQ(out.work_crs, "EPSG:32648");
    EXPECT_NEAR(out.villages[0].centre.x, 675739.22, 1.0);
    EXPECT_NEAR(out.villages[0].centre.y, 2411658.44, 1.0);
}

TEST(Prepare, LonLatOrderSurvivesReadAndPrepareFromAGeoPackage) {
    test::TempDir dir;
    const std::string path = dir.file("thon.gpkg");
    {
        GDALAllRegister();
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
        ASSERT_NE(driver, nullptr);
        GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        ASSERT_NE(ds, nullptr);
        OGRSpatialReference srs;
        srs.importFromEPSG(4326);
        srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        OGRLayer* layer = ds->CreateLayer("thon", &srs, wkbPoint, nullptr);
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        OGRPoint p(106.7, 21.8);
        f->SetGeometry(&p);
        ASSERT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
    }
    LayerSource source;
    source.path = path;
    RawInputs raw = villages_at(106.7, 21.8);
    raw.villages = read_layer(source, "villages");
    const PreparedInputs out = prepare_inputs(raw, {}, {});
    EXPECT_EQ(out.work_crs, "EPSG:32648");
    EXPECT_NEAR(out.villages[0].centre.x, 675739.22, 1.0);
    EXPECT_NEAR(out.villages[0].centre.y, 2411658.44, 1.0);
}

// ---------------------------------------------------------------------------------------
// Village fields

TEST(Prepare, VietnameseFieldAliasesAreResolved) {
    RawInputs raw = villages_at(106.7, 21.8);
    raw.villages = make_layer("thon.csv", {"ma_thon", "ten_thon", "ten_xa", "ten_huyen", "ten_tinh",
                                           "dan_so", "so_ho", "co_dien"});
    add_point(raw.villages, 106.7, 21.8,
              {std::string("CB-001"), std::string("Bản Khuổi"), std::string("Xã Quang Trung"),
               std::string("Trùng Khánh"), std::string("Cao Bằng"), std::string("412"),
               std::string("87"), std::string("không")});
    const PreparedInputs out = prepare_inputs(raw, {}, {});
    ASSERT_EQ(out.villages.size(), 1U);
    const Village& v = out.villages[0];
    EXPECT_EQ(v.id, "CB-001");
    EXPECT_EQ(v.name, "Bản Khuổi");
    EXPECT_EQ(v.commune, "Xã Quang Trung");
    EXPECT_EQ(v.district, "Trùng Khánh");
    EXPECT_EQ(v.province, "Cao Bằng");
    ASSERT_TRUE(v.population.has_value());
    EXPECT_DOUBLE_EQ(*v.population, 412.0);
    EXPECT_DOUBLE_EQ(*v.households, 87.0);
    ASSERT_TRUE(v.has_power.has_value());
    EXPECT_FALSE(*v.has_power);
    EXPECT_EQ(out.village_fields.size(), 8U);
    EXPECT_EQ(v.values.size(), 8U);
}

TEST(Prepare, ConfiguredVillageFieldNamesAreUsed) {
    RawInputs raw = villages_at(106.7, 21.8);
    raw.villages = make_layer("thon.csv", {"code_2024", "people", "population"});
    add_point(raw.villages, 106.7, 21.8,
              {std::string("X9"), std::string("250"), std::string("999")});
    PrepareOptions options;
    options.village_fields = {{"id", "code_2024"}, {"population", "people"}};
    const PreparedInputs out = prepare_inputs(raw, options, {});
    EXPECT_EQ(out.villages[0].id, "X9");
    EXPECT_DOUBLE_EQ(*out.villages[0].population, 250.0);
}

TEST(Prepare, ConfiguredFieldThatDoesNotExistIsAnInputErrorListingTheFields) {
    RawInputs raw = villages_at(106.7, 21.8);
    raw.villages = make_layer("thon.csv", {"ma_thon", "dan_so"});
    add_point(raw.villages, 106.7, 21.8, {std::string("A"), std::string("10")});
    PrepareOptions options;
    options.village_fields = {{"population", "nhan_khau_2024"}};
    const std::string msg = message_of<InputError>([&] { prepare_inputs(raw, options, {}); });
    EXPECT_TRUE(contains(msg, "no field 'nhan_khau_2024'")) << msg;
    EXPECT_TRUE(contains(msg, "\"villages.fields.population\"")) << msg;
    EXPECT_TRUE(contains(msg, "'ma_thon', 'dan_so'")) << msg;
}

TEST(Prepare, NegativePopulationIsAnInputError) {
    RawInputs raw = villages_at(106.7, 21.8);
    raw.villages = make_layer("thon.csv", {"id", "dan_so"});
    add_point(raw.villages, 106.7, 21.8, {std::string("A"), std::string("-5")});
    const std::string msg = message_of<InputError>([&] { prepare_inputs(raw, {}, {}); });
    EXPECT_TRUE(contains(msg, "row 1, field 'dan_so'")) << msg;
}

TEST(Prepare, VillageWithoutIdIsNamedByItsRow) {
    RawInputs raw = villages_at(106.7, 21.8);
    raw.villages = make_layer("thon.csv", {"name"});
    add_point(raw.villages, 106.7, 21.8, {std::string("A")});
    add_point(raw.villages, 106.8, 21.8, {std::string("B")});
    const PreparedInputs out = prepare_inputs(raw, {}, {});
    EXPECT_EQ(out.villages[0].id, "1");
    EXPECT_EQ(out.villages[1].id, "2");
}

TEST(Prepare, DuplicateVillageIdsAreWarned) {
    RawInputs raw = villages_at(106.7, 21.8);
    raw.villages = make_layer("thon.csv", {"id"});
    add_point(raw.villages, 106.7, 21.8, {std::string("T1")});
    add_point(raw.villages, 106.8, 21.8, {std::string("T2")});
    add_point(raw.villages, 106.9, 21.8, {std::string("T1")});
    Captured captured;
    const PreparedInputs out = prepare_inputs(raw, {}, captured.log());
    EXPECT_EQ(out.villages.size(), 3U);
    EXPECT_TRUE(captured.any("1 villages in thon.csv repeat an id already used (row 3)"))
        << ::testing::PrintToString(captured.warnings);
}

TEST(Prepare, VillageThatIsALineIsAnInputError) {
    RawInputs raw = villages_at(106.7, 21.8);
    RawFeature f;
    f.row = 3;
    f.geometry.kind = RawGeometry::Kind::Other;
    f.geometry.type = "Line String";
    f.values = {std::string("C")};
    raw.villages.features.push_back(f);
    const std::string msg = message_of<InputError>([&] { prepare_inputs(raw, {}, {}); });
    EXPECT_TRUE(contains(msg, "row 3 is a Line String")) << msg;
}

// ---------------------------------------------------------------------------------------
// Polygons and centres (villages drawn in UTM 48N so that sizes are in metres)

constexpr double kX0 = 600000.0, kY0 = 2400000.0;

RawInputs utm_villages() {
    RawInputs raw;
    raw.stations = make_layer("bts.csv", {"tech"}, "EPSG:32648");
    add_point(raw.stations, kX0, kY0, {std::string("4G")});
    raw.villages = make_layer("thon.gpkg", {"id"}, "EPSG:32648");
    raw.villages.layer = "thon";
    return raw;
}

TEST(Prepare, BowTiePolygonIsRepairedWithAWarning) {
    //  (0,1000) ┐   ┌ (1000,1000)
    //           ╲ ╱
    //           ╱ ╲
    //  (0,0)   ┘   └ (1000,0)        two triangles of 250 000 m² each
    RawInputs raw = utm_villages();
    add_area(
        raw.villages,
        {polygon({{kX0, kY0}, {kX0 + 1000, kY0 + 1000}, {kX0 + 1000, kY0}, {kX0, kY0 + 1000}})},
        {std::string("T1")});
    add_area(raw.villages, {test::square(kX0 + 5000, kY0, 1000)}, {std::string("T2")});
    Captured captured;
    const PreparedInputs out = prepare_inputs(raw, {}, captured.log());
    ASSERT_EQ(out.villages.size(), 2U);
    const Village& v = out.villages[0];
    EXPECT_TRUE(v.repaired);
    EXPECT_FALSE(v.is_point());
    EXPECT_NEAR(v.area_m2, 500000.0, 1.0);
    EXPECT_EQ(v.centre_source, CentreSource::PointOnSurface);
    EXPECT_FALSE(out.villages[1].repaired);
    EXPECT_NEAR(out.villages[1].area_m2, 1000000.0, 1.0);
    EXPECT_TRUE(captured.any("repaired 1 invalid village polygons in thon.gpkg"))
        << ::testing::PrintToString(captured.warnings);
    EXPECT_TRUE(captured.any("(row 1)")) << ::testing::PrintToString(captured.warnings);
}

TEST(Prepare, PolygonWithNoAreaIsKeptAsAPointVillageWithAWarning) {
    RawInputs raw = utm_villages();
    // All three vertices on one line: make-valid leaves no area.
    add_area(raw.villages, {polygon({{kX0, kY0}, {kX0 + 100, kY0}, {kX0 + 200, kY0}})},
             {std::string("FLAT")});
    add_area(raw.villages, {test::square(kX0 + 5000, kY0, 1000)}, {std::string("T2")});
    Captured captured;
    const PreparedInputs out = prepare_inputs(raw, {}, captured.log());
    ASSERT_EQ(out.villages.size(), 2U);
    const Village& v = out.villages[0];
    EXPECT_TRUE(v.repaired);
    EXPECT_TRUE(v.is_point());
    EXPECT_EQ(v.centre_source, CentreSource::Point);
    EXPECT_EQ(v.area_m2, 0.0);
    EXPECT_NEAR(v.centre.y, kY0, 1e-6);
    EXPECT_GE(v.centre.x, kX0 - 1e-6);
    EXPECT_LE(v.centre.x, kX0 + 200 + 1e-6);
    EXPECT_TRUE(captured.any("have no area after repair and are treated as points (row 1)"))
        << ::testing::PrintToString(captured.warnings);
}

TEST(Prepare, PointVillageHasItsPointAsCentre) {
    RawInputs raw = utm_villages();
    add_point(raw.villages, kX0 + 123, kY0 + 456, {std::string("T1")});
    const PreparedInputs out = prepare_inputs(raw, {}, {});
    const Village& v = out.villages[0];
    EXPECT_TRUE(v.is_point());
    EXPECT_EQ(v.centre_source, CentreSource::Point);
    EXPECT_NEAR(v.centre.x, kX0 + 123, 1e-6);
    EXPECT_NEAR(v.centre.y, kY0 + 456, 1e-6);
    EXPECT_EQ(v.area_m2, 0.0);
}

TEST(Prepare, PolygonVillageCentreIsAPointInsideItEvenWhenConcave) {
    // A U whose centroid (150, 136) falls in the notch, outside the polygon:
    //  ┌─┐ ┌─┐ 300
    //  │ │ │ │
    //  │ └─┘ │ 100
    //  └─────┘ 0
    //  0     300
    RawInputs raw = utm_villages();
    const Polygon u = polygon({{kX0, kY0},
                               {kX0 + 300, kY0},
                               {kX0 + 300, kY0 + 300},
                               {kX0 + 200, kY0 + 300},
                               {kX0 + 200, kY0 + 100},
                               {kX0 + 100, kY0 + 100},
                               {kX0 + 100, kY0 + 300},
                               {kX0, kY0 + 300}});
    add_area(raw.villages, {u}, {std::string("U")});
    const PreparedInputs out = prepare_inputs(raw, {}, {});
    const Village& v = out.villages[0];
    EXPECT_EQ(v.centre_source, CentreSource::PointOnSurface);
    EXPECT_TRUE(inside(u, v.centre)) << v.centre.x - kX0 << ", " << v.centre.y - kY0;
    EXPECT_NEAR(v.area_m2, 70000.0, 1e-3);
    EXPECT_FALSE(v.repaired);
}

TEST(Prepare, MultiPolygonVillageAreaIsTheSumOfItsParts) {
    RawInputs raw = utm_villages();
    add_area(raw.villages, {test::square(kX0, kY0, 100), test::square(kX0 + 1000, kY0, 200)},
             {std::string("M")});
    const PreparedInputs out = prepare_inputs(raw, {}, {});
    EXPECT_NEAR(out.villages[0].area_m2, 50000.0, 1e-3);
    EXPECT_EQ(out.villages[0].area.size(), 2U);
}

TEST(Prepare, CentreFieldsGiveTheCentre) {
    // Same lon/lat as a point village: the given centre must land on the same x/y.
    RawInputs raw;
    raw.stations = make_layer("bts.csv", {"tech"});
    add_point(raw.stations, 106.7, 21.8, {std::string("4G")});
    raw.villages = make_layer("thon.csv", {"id", "centre_x", "centre_y"});
    add_area(raw.villages,
             {polygon({{106.70, 21.80}, {106.72, 21.80}, {106.72, 21.82}, {106.70, 21.82}})},
             {std::string("A"), std::string("106.713"), std::string("21.817")});
    add_point(raw.villages, 106.713, 21.817, {std::string("B")});
    const PreparedInputs out = prepare_inputs(raw, {}, {});
    EXPECT_EQ(out.villages[0].centre_source, CentreSource::Given);
    EXPECT_EQ(out.villages[1].centre_source, CentreSource::Point);
    EXPECT_NEAR(out.villages[0].centre.x, out.villages[1].centre.x, 1e-6);
    EXPECT_NEAR(out.villages[0].centre.y, out.villages[1].centre.y, 1e-6);
    EXPECT_GT(out.villages[0].area_m2, 0.0);
}

TEST(Prepare, CentresLayerIsJoinedByVillageId) {
    RawInputs raw = utm_villages();
    add_area(raw.villages, {test::square(kX0, kY0, 1000)}, {std::string("T1")});
    add_area(raw.villages, {test::square(kX0 + 2000, kY0, 1000)}, {std::string("T2")});
    raw.centres = make_layer("nha_van_hoa.csv", {"village_id"});
    add_point(*raw.centres, 106.0, 21.0, {std::string("nowhere")}); // matches no village
    // Centres in WGS 84: the cultural house of T2, from its UTM position.
    add_point(*raw.centres, 106.9677, 21.6922, {std::string("T2")});
    Captured captured;
    const PreparedInputs out = prepare_inputs(raw, {}, captured.log());
    EXPECT_EQ(out.villages[0].centre_source, CentreSource::PointOnSurface);
    const Village& v = out.villages[1];
    EXPECT_EQ(v.centre_source, CentreSource::Given);
    // Reprojected into the work CRS (about (602 000 + …, 2 400 000 + …)), not left in degrees.
    EXPECT_GT(v.centre.x, 500000.0);
    EXPECT_GT(v.centre.y, 2000000.0);
    EXPECT_TRUE(captured.any("1 centres in nha_van_hoa.csv name no known village id (row 1)"))
        << ::testing::PrintToString(captured.warnings);
}

TEST(Prepare, CentresLayerWithoutVillageIdIsAnInputError) {
    RawInputs raw = utm_villages();
    add_area(raw.villages, {test::square(kX0, kY0, 1000)}, {std::string("T1")});
    raw.centres = make_layer("nha_van_hoa.csv", {"name"});
    add_point(*raw.centres, 106.0, 21.0, {std::string("x")});
    const std::string msg = message_of<InputError>([&] { prepare_inputs(raw, {}, {}); });
    EXPECT_TRUE(contains(msg, "\"centres.fields.village_id\"")) << msg;
}

TEST(Prepare, CentresLayerWithAConfiguredIdFieldIsJoined) {
    RawInputs raw = utm_villages();
    add_area(raw.villages, {test::square(kX0, kY0, 1000)}, {std::string("T1")});
    raw.centres = make_layer("nvh.csv", {"thon"}, "EPSG:32648");
    add_point(*raw.centres, kX0 + 10, kY0 + 20, {std::string("T1")});
    PrepareOptions options;
    options.centre_fields = {{"village_id", "thon"}};
    const PreparedInputs out = prepare_inputs(raw, options, {});
    EXPECT_EQ(out.villages[0].centre_source, CentreSource::Given);
    EXPECT_NEAR(out.villages[0].centre.x, kX0 + 10, 1e-6);
    EXPECT_NEAR(out.villages[0].centre.y, kY0 + 20, 1e-6);
}

// ---------------------------------------------------------------------------------------
// Settlements

TEST(Prepare, SettlementsAreJoinedToTheVillageContainingThem) {
    //  T1 [0,1000]²   T2 [2000,3000]x[0,1000]; settlement 3 lies between them.
    RawInputs raw = utm_villages();
    add_area(raw.villages, {test::square(kX0, kY0, 1000)}, {std::string("T1")});
    add_area(raw.villages, {test::square(kX0 + 2000, kY0, 1000)}, {std::string("T2")});
    raw.settlements = make_layer("xom.csv", {"name"}, "EPSG:32648");
    add_point(*raw.settlements, kX0 + 2500, kY0 + 500, {std::string("a")});
    add_point(*raw.settlements, kX0 + 100, kY0 + 900, {std::string("b")});
    add_point(*raw.settlements, kX0 + 1500, kY0 + 500, {std::string("c")});
    add_area(*raw.settlements, {test::square(kX0 + 2100, kY0 + 100, 50)}, {std::string("d")});
    Captured captured;
    const PreparedInputs out = prepare_inputs(raw, {}, captured.log());
    ASSERT_TRUE(out.settlements.has_value());
    ASSERT_EQ(out.settlements->size(), 4U);
    EXPECT_EQ((*out.settlements)[0].village, 1);
    EXPECT_EQ((*out.settlements)[1].village, 0);
    EXPECT_EQ((*out.settlements)[2].village, -1);
    EXPECT_EQ((*out.settlements)[3].village, 1);
    EXPECT_NEAR((*out.settlements)[0].xy.x, kX0 + 2500, 1e-6);
    EXPECT_TRUE(captured.any("1 settlements in xom.csv lie in no village (row 3)"))
        << ::testing::PrintToString(captured.warnings);
}

TEST(Prepare, SettlementsAreJoinedByVillageIdWhenTheyHaveOne) {
    RawInputs raw = utm_villages();
    add_area(raw.villages, {test::square(kX0, kY0, 1000)}, {std::string("T1")});
    add_area(raw.villages, {test::square(kX0 + 2000, kY0, 1000)}, {std::string("T2")});
    raw.settlements = make_layer("xom.csv", {"village_id"}, "EPSG:32648");
    // Inside T1's polygon but recorded as belonging to T2: the id wins.
    add_point(*raw.settlements, kX0 + 500, kY0 + 500, {std::string("T2")});
    add_point(*raw.settlements, kX0 + 9000, kY0 + 9000, {std::string("T1")});
    add_point(*raw.settlements, kX0 + 500, kY0 + 500, {std::string("T9")});
    const PreparedInputs out = prepare_inputs(raw, {}, {});
    ASSERT_TRUE(out.settlements.has_value());
    EXPECT_EQ((*out.settlements)[0].village, 1);
    EXPECT_EQ((*out.settlements)[1].village, 0);
    EXPECT_EQ((*out.settlements)[2].village, -1);
}

TEST(Prepare, NoSettlementsLayerGivesNoSettlements) {
    RawInputs raw = utm_villages();
    add_area(raw.villages, {test::square(kX0, kY0, 1000)}, {std::string("T1")});
    EXPECT_FALSE(prepare_inputs(raw, {}, {}).settlements.has_value());
}

TEST(Prepare, FieldRolesListTheKeysAConfigMayMap) {
    const auto& villages = field_roles("villages");
    for (const char* role : {"id", "name", "commune", "population", "households", "has_power",
                             "centre_x", "centre_y", "lon", "lat", "wkt"})
        EXPECT_NE(std::find(villages.begin(), villages.end(), role), villages.end()) << role;
    const auto& stations = field_roles("stations");
    for (const char* role : {"tech", "operator", "site_id", "range_m", "mcc", "net"})
        EXPECT_NE(std::find(stations.begin(), stations.end(), role), stations.end()) << role;
    EXPECT_TRUE(field_roles("roads").empty());
}

TEST(Prepare, StationFrequencyAndEirpAreReadForTheHataModel) {
    RawLayer stations = make_layer("bts.csv", {"tech", "Frequency", "EIRP", "height"});
    add_point(stations, 106.7, 21.8,
              {std::string("4G"), std::string("1800"), std::string("33.5"), std::string("35")});
    add_point(stations, 106.7, 21.8, {std::string("2G"), std::string(""), std::string("")});
    const PreparedInputs out = prepare_inputs(with_stations(stations), {}, {});
    ASSERT_TRUE(out.stations[0].freq_mhz.has_value());
    EXPECT_DOUBLE_EQ(*out.stations[0].freq_mhz, 1800.0);
    EXPECT_DOUBLE_EQ(*out.stations[0].eirp_dbm, 33.5);
    EXPECT_DOUBLE_EQ(*out.stations[0].height_m, 35.0);
    EXPECT_FALSE(out.stations[1].freq_mhz.has_value());
    EXPECT_FALSE(out.stations[1].eirp_dbm.has_value());

    RawLayer bad = make_layer("bts.csv", {"tech", "tan_so"});
    add_point(bad, 106.7, 21.8, {std::string("3G"), std::string("2,1 GHz")});
    const std::string msg =
        message_of<InputError>([&] { prepare_inputs(with_stations(bad), {}, {}); });
    EXPECT_TRUE(contains(msg, "row 1, field 'tan_so': '2,1 GHz' is not a number")) << msg;
    EXPECT_TRUE(contains(msg, "a carrier frequency in MHz")) << msg;
    const auto& roles = field_roles("stations");
    for (const char* role : {"freq_mhz", "eirp_dbm"})
        EXPECT_NE(std::find(roles.begin(), roles.end(), role), roles.end()) << role;
}

// PROJ gives no message (errno 0) when two CRSs have no operation between them; the
// message used to be appended as a NULL char pointer (issue 12).
// ---------------------------------------------------------------------------------------
// Flags and the sanity checks of the stations

// Villages T1..T6 with the attributes that decide the data flags, 2 km apart along x.
RawInputs flagged_villages() {
    RawInputs raw;
    raw.stations = make_layer("bts.csv", {"tech"}, "EPSG:32648");
    add_point(raw.stations, kX0, kY0, {std::string("4G")});
    raw.villages = make_layer(
        "thon.gpkg", {"id", "population", "households", "has_power", "cx", "cy"}, "EPSG:32648");
    const std::string x = std::to_string(kX0), y = std::to_string(kY0);
    auto row = [](const char* id, Value pop, Value hh, Value power, Value cx = {}, Value cy = {}) {
        return std::vector<Value>{std::string(id), pop, hh, power, cx, cy};
    };
    const Value one = std::string("1"), none;
    // T1: every figure and a centre inside: no flag.
    add_area(raw.villages, {test::square(kX0, kY0, 1000)},
             row("T1", std::string("300"), std::string("60"), one, std::to_string(kX0 + 500),
                 std::to_string(kY0 + 500)));
    // T2: households only, power unknown, centre outside its polygon.
    add_area(raw.villages, {test::square(kX0 + 2000, kY0, 1000)},
             row("T2", none, std::string("60"), none, std::to_string(kX0 + 5000),
                 std::to_string(kY0 + 500)));
    // T3: no figures at all, no centre: point-on-surface.
    add_area(raw.villages, {test::square(kX0 + 4000, kY0, 1000)}, row("T3", none, none, one));
    // T4: a bow tie, repaired.
    add_area(raw.villages,
             {polygon({{kX0 + 6000, kY0},
                       {kX0 + 7000, kY0 + 1000},
                       {kX0 + 7000, kY0},
                       {kX0 + 6000, kY0 + 1000}})},
             row("T4", std::string("10"), none, one, std::to_string(kX0 + 6250),
                 std::to_string(kY0 + 500)));
    // T5: a point village with its figures.
    add_point(raw.villages, kX0 + 8000, kY0, row("T5", std::string("5"), none, one));
    return raw;
}

PrepareOptions flag_options() {
    PrepareOptions o;
    o.village_fields = {{"centre_x", "cx"}, {"centre_y", "cy"}};
    return o;
}

std::string flags_of(const PreparedInputs& p, const std::string& id) {
    for (const Village& v : p.villages)
        if (v.id == id)
            return flags_text(v.flags);
    return "?";
}

// With two threads the stations are prepared while the villages are: what the user reads
// must be what one thread gives, the villages' messages first, and the villages' error when
// both layers are wrong.
TEST(Prepare, OnTwoThreadsTheMessagesAndTheErrorAreThoseOfOneThread) {
    const auto inputs = [] {
        RawInputs raw = flagged_villages(); // T4 is repaired: a villages' warning
        raw.stations.empty_rows = {7};      // a stations' warning
        return raw;
    };
    PrepareOptions one = flag_options(), two = flag_options();
    two.threads = 2;
    Captured a, b;
    const PreparedInputs pa = prepare_inputs(inputs(), one, a.log());
    const PreparedInputs pb = prepare_inputs(inputs(), two, b.log());
    EXPECT_EQ(a.warnings, b.warnings);
    ASSERT_GE(a.warnings.size(), 2u);
    EXPECT_TRUE(contains(a.warnings.front(), "repaired 1 invalid village polygons"))
        << ::testing::PrintToString(a.warnings);
    EXPECT_TRUE(contains(a.warnings.back(), "skipped 1 stations with empty coordinates"))
        << ::testing::PrintToString(a.warnings);
    EXPECT_EQ(pa.site_count, pb.site_count);
    ASSERT_EQ(pb.stations.size(), 1u);
    EXPECT_EQ(pa.stations.front().xy.x, pb.stations.front().xy.x);

    RawInputs both_wrong = inputs();
    both_wrong.villages.features.front().geometry.kind = RawGeometry::Kind::Other;
    both_wrong.villages.features.front().geometry.type = "LineString";
    both_wrong.stations.features.front().geometry.kind = RawGeometry::Kind::Other;
    both_wrong.stations.features.front().geometry.type = "LineString";
    for (const PrepareOptions& options : {one, two}) {
        const std::string msg =
            message_of<InputError>([&] { prepare_inputs(both_wrong, options, {}); });
        EXPECT_TRUE(contains(msg, "villages must be polygons")) << options.threads << ": " << msg;
    }
    RawInputs stations_wrong = inputs();
    stations_wrong.stations.features.front().geometry =
        both_wrong.stations.features.front().geometry;
    Captured c;
    const std::string msg =
        message_of<InputError>([&] { prepare_inputs(stations_wrong, two, c.log()); });
    EXPECT_TRUE(contains(msg, "stations must be points")) << msg;
    EXPECT_TRUE(c.any("repaired 1 invalid village polygons"))
        << ::testing::PrintToString(c.warnings);
}

TEST(Flags, EachDataFlagIsSetOnTheVillageWhoseDataLacksItAndNowhereElse) {
    const PreparedInputs out = prepare_inputs(flagged_villages(), flag_options(), {});
    EXPECT_EQ(flags_of(out, "T1"), "");
    EXPECT_EQ(flags_of(out, "T2"), "no_population,households_as_people,power_unknown,"
                                   "centre_outside");
    EXPECT_EQ(flags_of(out, "T3"), "no_population,centre_estimated");
    EXPECT_EQ(flags_of(out, "T4"), "repaired");
    EXPECT_EQ(flags_of(out, "T5"), "");
}

TEST(Flags, FlagsAreWrittenInTheVocabularysOrderWhateverTheBits) {
    const VillageFlags all = static_cast<VillageFlags>((1u << kVillageFlagCount) - 1u);
    EXPECT_EQ(flags_text(all), "no_population,households_as_people,power_unknown,centre_outside,"
                               "centre_estimated,repaired,no_dem,dem_partial,far_from_stations,"
                               "settlement_unmatched,outside_units");
    EXPECT_EQ(flags_text(bit(VillageFlag::SettlementUnmatched) | bit(VillageFlag::NoPopulation)),
              "no_population,settlement_unmatched");
    EXPECT_EQ(flags_text(0), "");
}

TEST(Flags, EveryFlagOfTheVillagesGetsOneWarningWithItsCount) {
    const PreparedInputs out = prepare_inputs(flagged_villages(), flag_options(), {});
    Captured captured;
    warn_village_flags(out.villages, captured.log());
    EXPECT_EQ(captured.warnings.size(), 6U) << ::testing::PrintToString(captured.warnings);
    EXPECT_TRUE(captured.any("villages: 2 villages flagged no_population ("))
        << ::testing::PrintToString(captured.warnings);
    EXPECT_TRUE(captured.any("villages: 1 village flagged repaired ("));
    EXPECT_FALSE(captured.any("far_from_stations"));
}

TEST(Flags, VillagesThatNoSettlementMatchedAreFlaggedSettlementUnmatched) {
    RawInputs raw = utm_villages();
    add_area(raw.villages, {test::square(kX0, kY0, 1000)}, {std::string("T1")});
    add_area(raw.villages, {test::square(kX0 + 2000, kY0, 1000)}, {std::string("T2")});
    raw.settlements = make_layer("xom.csv", {"name", "households"}, "EPSG:32648");
    add_point(*raw.settlements, kX0 + 500, kY0 + 500, {std::string("a"), std::string("12")});
    add_point(*raw.settlements, kX0 + 600, kY0 + 500, {std::string("b"), Value()});
    const PreparedInputs out = prepare_inputs(raw, {}, {});
    EXPECT_FALSE(out.villages[0].has(VillageFlag::SettlementUnmatched));
    EXPECT_TRUE(out.villages[1].has(VillageFlag::SettlementUnmatched));
    // The clusters' own households are read for the people of partial villages.
    ASSERT_TRUE(out.settlements.has_value());
    EXPECT_EQ((*out.settlements)[0].people(), std::optional<double>(12.0));
    EXPECT_FALSE((*out.settlements)[1].people().has_value());
}

TEST(Flags, WithoutASettlementsLayerNoVillageIsSettlementUnmatched) {
    const PreparedInputs out = prepare_inputs(flagged_villages(), flag_options(), {});
    for (const Village& v : out.villages)
        EXPECT_FALSE(v.has(VillageFlag::SettlementUnmatched)) << v.id;
}

TEST(Flags, StationsWhereNoneIsWithinReachOfAnyVillageAreAnInputError) {
    PreparedInputs p = prepare_inputs(flagged_villages(), flag_options(), {});
    for (Station& s : p.stations)
        s.xy.x += 400000.0; // 400 km east: a shifted file
    const std::string msg =
        message_of<InputError>([&] { check_station_reach(p, 5000.0, 0.25, "'bts.csv'", {}); });
    EXPECT_TRUE(contains(msg, "none of the 1 stations in 'bts.csv' lies within 5,000 m")) << msg;
    EXPECT_TRUE(contains(msg, "row 1 (site 'S1') at ")) << msg;
    EXPECT_TRUE(contains(msg, "(lon/lat)")) << msg;
    EXPECT_TRUE(contains(msg, "swapped")) << msg;
}

TEST(Flags, StationsPartlyFarFromEveryVillageAreWarnedWithCountAndExample) {
    PreparedInputs p = prepare_inputs(flagged_villages(), flag_options(), {});
    Station far = p.stations.front();
    far.row = 2;
    far.site_id = "FAR";
    far.xy = {kX0 + 300000.0, kY0 + 300000.0};
    p.stations.push_back(far);
    Captured captured;
    check_station_reach(p, 3000.0, 0.25, "'bts.csv'", captured.log());
    EXPECT_TRUE(captured.any("1 of 2 stations (50.0 %) in 'bts.csv' lie farther than 3,000 m"))
        << ::testing::PrintToString(captured.warnings);
    EXPECT_TRUE(captured.any("row 2 (site 'FAR') at "))
        << ::testing::PrintToString(captured.warnings);
    // T1 holds the station; T2 (2 km off) is within 3 km; T3 (4 km off) is not, nor T4, T5.
    EXPECT_FALSE(p.villages[0].has(VillageFlag::FarFromStations));
    EXPECT_FALSE(p.villages[1].has(VillageFlag::FarFromStations));
    EXPECT_TRUE(p.villages[2].has(VillageFlag::FarFromStations));
    EXPECT_TRUE(p.villages[4].has(VillageFlag::FarFromStations));
    // Below the share, no warning about far stations.
    Captured quiet;
    check_station_reach(p, 3000.0, 0.5, "'bts.csv'", quiet.log());
    EXPECT_FALSE(quiet.any("lie farther")) << ::testing::PrintToString(quiet.warnings);
}

TEST(Flags, TheReachChecksGiveTheSameFlagsAndWarningsOnAnyThreadCount) {
    PreparedInputs one = prepare_inputs(flagged_villages(), flag_options(), {});
    // Pairs of cells on one position, every 500 m eastwards 2 km south of the villages' row,
    // up to 2 km west of T1 (the last pair alone within 3 km of a village: T1's square), and
    // 15 more pairs 200 km away.
    const Station first = one.stations.front();
    one.stations.clear();
    for (int i = 0; i < 60; ++i) {
        Station s = first;
        s.row = i + 1;
        s.site_id = "X" + std::to_string(i / 2);
        const int k = (i / 2) % 15;
        s.xy = {kX0 - 9000.0 + 500.0 * k + (i < 30 ? 0.0 : 200000.0), kY0 - 2000.0};
        one.stations.push_back(s);
    }
    PreparedInputs three = one;
    Captured a, b;
    check_station_reach(one, 3000.0, 0.25, "'bts.csv'", a.log(), 1);
    check_station_reach(three, 3000.0, 0.25, "'bts.csv'", b.log(), 3);
    EXPECT_EQ(a.warnings, b.warnings);
    EXPECT_TRUE(a.any("58 of 60 stations")) << ::testing::PrintToString(a.warnings);
    std::string far;
    for (std::size_t v = 0; v < one.villages.size(); ++v) {
        EXPECT_EQ(one.villages[v].flags, three.villages[v].flags) << v;
        if (one.villages[v].has(VillageFlag::FarFromStations))
            far += one.villages[v].id + " ";
    }
    EXPECT_EQ(far, "T2 T3 T4 T5 ");
}

TEST(Flags, StationsWhoseExtentBarelyMeetsTheVillagesAreWarned) {
    PreparedInputs p = prepare_inputs(flagged_villages(), flag_options(), {});
    // One station at the north-east corner of the villages (within 4 km of T5), 20 far to the
    // north-east: the boxes share 3 km x 1.5 km, 3 % of the villages' widened box.
    p.stations.front().xy = {kX0 + 9000.0, kY0 + 3500.0};
    for (int i = 0; i < 20; ++i) {
        Station s = p.stations.front();
        s.row = i + 2;
        s.xy = {kX0 + 200000.0 + 1000.0 * i, kY0 + 200000.0 + 500.0 * i};
        p.stations.push_back(s);
    }
    Captured captured;
    check_station_reach(p, 4000.0, 1.0, "'bts.csv'", captured.log());
    EXPECT_TRUE(captured.any("barely overlap")) << ::testing::PrintToString(captured.warnings);
    Captured near;
    PreparedInputs q = prepare_inputs(flagged_villages(), flag_options(), {});
    check_station_reach(q, 3000.0, 1.0, "'bts.csv'", near.log());
    EXPECT_TRUE(near.warnings.empty()) << ::testing::PrintToString(near.warnings);
}

TEST(Flags, VillagesOffTheDemOrInItsNoDataAreFlagged) {
    PreparedInputs p = prepare_inputs(flagged_villages(), flag_options(), {});
    // A DEM of 100 m cells over x = kX0-500 .. kX0+5500: T1 and T3 whole, T2 with a no-data
    // cell (its given centre, at x = kX0+5000, has data); T4's centre and T5 lie off it.
    Raster<float> dem;
    dem.grid = {kX0 - 500.0, kY0 + 1500.0, 100.0, 60, 20};
    dem.values.assign(60 * 20, 100.0f);
    int col = 0, row = 0;
    ASSERT_TRUE(dem.grid.cell_of({kX0 + 2900, kY0 + 900}, col, row));
    dem.values[dem.grid.index(col, row)] = std::numeric_limits<float>::quiet_NaN();
    flag_dem_gaps(p, dem);
    EXPECT_EQ(flags_of(p, "T1"), "");
    EXPECT_TRUE(p.villages[1].has(VillageFlag::DemPartial));
    EXPECT_FALSE(p.villages[1].has(VillageFlag::NoDem));
    EXPECT_FALSE(p.villages[2].has(VillageFlag::NoDem));
    EXPECT_FALSE(p.villages[2].has(VillageFlag::DemPartial));
    EXPECT_TRUE(p.villages[3].has(VillageFlag::NoDem));
    EXPECT_TRUE(p.villages[4].has(VillageFlag::NoDem));
}

TEST(Flags, StationRangesAreNeitherClampedNorFlaggedWhenTheyAreNotUsed) {
    RawLayer stations = opencellid();
    add_cell(stations, "LTE", 452, 4, 106.70, 21.80, "50");
    add_cell(stations, "LTE", 452, 4, 106.80, 21.80, "60000");
    PrepareOptions options;
    options.use_station_range = false;
    Captured captured;
    const PreparedInputs out = prepare_inputs(with_stations(stations), options, captured.log());
    ASSERT_EQ(out.stations.size(), 2U);
    EXPECT_EQ(out.stations[0].range_flag, "");
    EXPECT_EQ(out.stations[1].range_flag, "");
    EXPECT_DOUBLE_EQ(*out.stations[1].range_m, 60000.0);
    EXPECT_FALSE(captured.any("clamped")) << ::testing::PrintToString(captured.warnings);
}

TEST(Proj, TransformerBetweenUnrelatedCrsIsAnInputErrorNotACrash) {
    const std::string local = R"(ENGCRS["site grid",EDATUM["site"],CS[Cartesian,2],)"
                              R"(AXIS["x",east],AXIS["y",north],LENGTHUNIT["metre",1]])";
    const std::string msg =
        test::message_of<InputError>([&] { proj::Transformer to_wgs84(local, "EPSG:4326"); });
    EXPECT_NE(msg.find("PROJ finds no transformation from 'site grid' to 'WGS 84'"),
              std::string::npos)
        << msg;
}

TEST(Proj, OnlyEarthCrsReachWgs84) {
    EXPECT_TRUE(proj::reaches_wgs84("EPSG:32648"));
    EXPECT_TRUE(proj::reaches_wgs84("EPSG:9215"));       // VN-2000 / UTM 48N
    EXPECT_FALSE(proj::reaches_wgs84("IAU_2015:30100")); // the Moon
}

// The same CRS written another way is the same; a neighbouring zone, another datum or an
// unreadable text is not (compare moves nothing between equivalent CRSs).
TEST(Proj, EquivalentCrsAreTheSameCrsWrittenDifferently) {
    EXPECT_TRUE(proj::equivalent("EPSG:32648", "EPSG:32648"));
    EXPECT_TRUE(
        proj::equivalent("EPSG:32648", "+proj=utm +zone=48 +datum=WGS84 +units=m +type=crs"));
    // EPSG:4326's official axis order is latitude first; coordinates here are x = longitude.
    EXPECT_TRUE(proj::equivalent("EPSG:4326", "OGC:CRS84"));
    // As a GeoPackage records it (GDAL's WKT 1) and as a Shapefile's .prj does (ESRI WKT).
    const std::string esri =
        R"(PROJCS["WGS_1984_UTM_Zone_48N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",)"
        R"(SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],)"
        R"(UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],)"
        R"(PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],)"
        R"(PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",0.9996],)"
        R"(PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]])";
    OGRSpatialReference gdal_wkt;
    ASSERT_EQ(gdal_wkt.importFromEPSG(32648), OGRERR_NONE);
    char* wkt = nullptr;
    ASSERT_EQ(gdal_wkt.exportToWkt(&wkt), OGRERR_NONE);
    const std::string gpkg(wkt);
    CPLFree(wkt);
    EXPECT_TRUE(proj::equivalent(gpkg, "EPSG:32648"));
    EXPECT_TRUE(proj::equivalent(esri, "EPSG:32648"));
    EXPECT_TRUE(proj::equivalent(esri, gpkg));
    EXPECT_FALSE(proj::equivalent("EPSG:32648", "EPSG:32649"));
    EXPECT_FALSE(proj::equivalent("EPSG:32648", "EPSG:9215")); // VN-2000 / UTM 48N
    EXPECT_FALSE(proj::equivalent("EPSG:32648", "not a CRS"));
}

} // namespace
} // namespace whitezone
