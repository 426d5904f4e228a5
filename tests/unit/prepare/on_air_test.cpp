// Unit tests of the stations' on-air year (role `on_air`, for `whitezone trend`): the forms
// accepted, typed fields, aliases and the config mapping, OpenCelliD's `created`, and the
// message for a value that is not a date.

#include "whitezone/error.hpp"
#include "whitezone/prepare.hpp"

#include "prepare/fields.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace whitezone {
namespace {

using prepare::parse_year;
using test::contains;
using test::message_of;

TEST(OnAirYear, YearsAndDatesGiveTheirYear) {
    EXPECT_EQ(parse_year("2019"), 2019);
    EXPECT_EQ(parse_year(" 2019 "), 2019);
    EXPECT_EQ(parse_year("2019-05-01"), 2019);
    EXPECT_EQ(parse_year("2019/05/01"), 2019); // GDAL's text of a Date field
    EXPECT_EQ(parse_year("2019.5.1"), 2019);
    EXPECT_EQ(parse_year("2019-05"), 2019);
    EXPECT_EQ(parse_year("2019/05"), 2019);
    EXPECT_EQ(parse_year("2019-05-01T08:30:00Z"), 2019);
    EXPECT_EQ(parse_year("2019/05/01 08:30:00+07"), 2019); // GDAL's text of a DateTime field
    EXPECT_EQ(parse_year("01/05/2019"), 2019);             // day first, as Vietnam writes it
    EXPECT_EQ(parse_year("12/31/2019"), 2019);             // month first
    EXPECT_EQ(parse_year("1-5-2019"), 2019);
    EXPECT_EQ(parse_year("05/2019"), 2019);
    EXPECT_EQ(parse_year("20190501"), 2019);
    EXPECT_EQ(parse_year("1459813000"), 2016); // Unix seconds: 2016-04-04 23:36:40 UTC
    EXPECT_EQ(parse_year("1483228799"), 2016); // 2016-12-31 23:59:59 UTC
    EXPECT_EQ(parse_year("1483228800"), 2017); // 2017-01-01 00:00:00 UTC
}

TEST(OnAirYear, AnythingElseIsNotAYear) {
    for (const char* bad : {"",           "soon",          "2019a",       "19",
                            "219",        "20190",         "1800",        "2200",
                            "2019-13-01", "2019-00",       "2019-05-32",  "32/13/2019",
                            "13/2019",    "2019/05/01/02", "05-01",       "2019--05",
                            "0",          "123456789",     "12345678901", "2019,5",
                            "-2019",      "2019-5-1x"})
        EXPECT_EQ(parse_year(bad), std::nullopt) << "'" << bad << "'";
}

RawLayer stations_layer(const std::string& source, std::vector<FieldDef> fields) {
    RawLayer layer;
    layer.source = source;
    layer.layer = source.substr(0, source.find('.'));
    layer.crs_wkt = "EPSG:4326";
    layer.fields = std::move(fields);
    return layer;
}

void add_station(RawLayer& layer, std::vector<Value> values) {
    RawFeature f;
    f.row = static_cast<std::int64_t>(layer.features.size() + 1);
    f.geometry.kind = RawGeometry::Kind::Point;
    f.geometry.type = "Point";
    f.geometry.point = {106.7, 21.8};
    values.resize(layer.fields.size());
    f.values = std::move(values);
    layer.features.push_back(std::move(f));
}

PreparedInputs prepare_with(RawLayer stations, const PrepareOptions& options = {}) {
    RawInputs raw;
    raw.stations = std::move(stations);
    raw.villages = stations_layer("villages.csv", {{"id", FieldType::String}});
    RawFeature v;
    v.row = 1;
    v.geometry.kind = RawGeometry::Kind::Point;
    v.geometry.type = "Point";
    v.geometry.point = {106.7, 21.8};
    v.values = {std::string("T1")};
    raw.villages.features.push_back(v);
    return prepare_inputs(std::move(raw), options, Log{});
}

std::vector<std::optional<int>> years_of(const PreparedInputs& p) {
    std::vector<std::optional<int>> out;
    for (const auto& s : p.stations)
        out.push_back(s.on_air_year);
    return out;
}

TEST(OnAirYear, TextIntegerAndEmptyValuesOfTheOnAirField) {
    RawLayer text = stations_layer("stations.csv",
                                   {{"tech", FieldType::String}, {"on_air", FieldType::String}});
    add_station(text, {std::string("4G"), std::string("2019-05-01")});
    add_station(text, {std::string("4G"), std::string("")});
    add_station(text, {std::string("4G"), std::monostate{}});
    add_station(text, {std::string("4G"), std::string("2021")});
    EXPECT_EQ(years_of(prepare_with(std::move(text))),
              (std::vector<std::optional<int>>{2019, std::nullopt, std::nullopt, 2021}));

    RawLayer typed = stations_layer(
        "stations.gpkg", {{"tech", FieldType::String}, {"on_air_year", FieldType::Integer}});
    add_station(typed, {std::string("4G"), std::int64_t{2018}});
    add_station(typed, {std::string("4G"), std::int64_t{20200115}});
    EXPECT_EQ(years_of(prepare_with(std::move(typed))),
              (std::vector<std::optional<int>>{2018, 2020}));

    RawLayer real =
        stations_layer("stations.shp", {{"tech", FieldType::String}, {"onair", FieldType::Real}});
    add_station(real, {std::string("4G"), 2017.0});
    EXPECT_EQ(years_of(prepare_with(std::move(real))), (std::vector<std::optional<int>>{2017}));
}

TEST(OnAirYear, WithoutTheFieldNoStationHasAYear) {
    RawLayer layer = stations_layer("stations.csv", {{"tech", FieldType::String}});
    add_station(layer, {std::string("4G")});
    EXPECT_EQ(years_of(prepare_with(std::move(layer))),
              (std::vector<std::optional<int>>{std::nullopt}));
}

TEST(OnAirYear, AliasesAndTheConfigMapping) {
    RawLayer alias = stations_layer(
        "stations.csv", {{"tech", FieldType::String}, {"ngay_phat_song", FieldType::String}});
    add_station(alias, {std::string("4G"), std::string("15/08/2016")});
    EXPECT_EQ(years_of(prepare_with(std::move(alias))), (std::vector<std::optional<int>>{2016}));

    RawLayer mapped = stations_layer("stations.csv", {{"tech", FieldType::String},
                                                      {"khai_thac", FieldType::String},
                                                      {"on_air", FieldType::String}});
    add_station(mapped, {std::string("4G"), std::string("2015"), std::string("2011")});
    PrepareOptions options;
    options.station_fields["on_air"] = "khai_thac";
    EXPECT_EQ(years_of(prepare_with(std::move(mapped), options)),
              (std::vector<std::optional<int>>{2015}));
}

TEST(OnAirYear, AValueThatIsNotADateNamesRowFieldValueAndTheForms) {
    RawLayer layer = stations_layer("stations.csv",
                                    {{"tech", FieldType::String}, {"on_air", FieldType::String}});
    add_station(layer, {std::string("4G"), std::string("2019")});
    add_station(layer, {std::string("4G"), std::string("next spring")});
    const std::string msg = message_of<InputError>([&] { prepare_with(std::move(layer)); });
    EXPECT_TRUE(contains(msg, "stations.csv row 2, field 'on_air'")) << msg;
    EXPECT_TRUE(contains(msg, "'next spring' is not an on-air date")) << msg;
    EXPECT_TRUE(contains(msg, "2019-05-01")) << msg;
    EXPECT_TRUE(contains(msg, "leave it empty")) << msg;

    RawLayer integer = stations_layer(
        "stations.gpkg", {{"tech", FieldType::String}, {"on_air", FieldType::Integer}});
    add_station(integer, {std::string("4G"), std::int64_t{1850}});
    const std::string old = message_of<InputError>([&] { prepare_with(std::move(integer)); });
    EXPECT_TRUE(contains(old, "row 1, field 'on_air': '1850' is not an on-air date")) << old;
}

TEST(OnAirYear, OpenCellidCreatedStandsInAndABadOneIsIgnored) {
    RawLayer layer = stations_layer("452.csv", {{"radio", FieldType::String},
                                                {"mcc", FieldType::Integer},
                                                {"net", FieldType::Integer},
                                                {"created", FieldType::Integer}});
    add_station(layer,
                {std::string("LTE"), std::int64_t{452}, std::int64_t{4}, std::int64_t{1459813000}});
    add_station(layer, {std::string("LTE"), std::int64_t{452}, std::int64_t{4}, std::int64_t{0}});
    EXPECT_EQ(years_of(prepare_with(std::move(layer))),
              (std::vector<std::optional<int>>{2016, std::nullopt}));
}

TEST(OnAirYear, IsARoleTheConfigMayMap) {
    const auto& roles = field_roles("stations");
    EXPECT_NE(std::find(roles.begin(), roles.end(), "on_air"), roles.end());
}

} // namespace
} // namespace whitezone
