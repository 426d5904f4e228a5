// Unit tests of the JSON config: every key applied, defaults kept, and errors that name the
// key (unknown keys list the valid ones).

#include "whitezone/config.hpp"
#include "whitezone/error.hpp"

#include "support/support.hpp"

#include <gtest/gtest.h>

#include <clocale>
#include <string>

namespace whitezone {
namespace {

using test::contains;
using test::message_of;

Config applied(const std::string& json) {
    Config config;
    apply_config_json(config, json, "test.json");
    return config;
}

std::string usage_error(const std::string& json) {
    return message_of<UsageError>([&] { applied(json); });
}

using test::CommaLocale;

// A config that validate_config accepts.
Config valid_config() {
    Config config;
    config.stations.path = "bts.csv";
    config.villages.path = "thon.gpkg";
    return config;
}

TEST(Config, EveryTopLevelKeyIsApplied) {
    const Config c = applied(R"({
      "work_crs": "EPSG:3405",
      "radius_m": {"2G": 6000, "3G": 3100, "4G": 2500.5, "5G": 800},
      "use_station_range": false,
      "quad_segs": 32,
      "status_rule": "area_share",
      "white_below": 0.1,
      "covered_from": 0.9,
      "village_radius_m": 750,
      "site_merge_m": 25,
      "min_range_m": 200,
      "max_range_m": 20000,
      "threads": 4,
      "stations": {"path": "bts.csv", "layer": "bts", "crs": "EPSG:4326",
                   "fields": {"tech": "cong_nghe", "operator": "nha_mang", "lon": "kinh_do",
                              "lat": "vi_do", "range_m": "ban_kinh"}},
      "villages": {"path": "thon.gpkg", "layer": "thon", "crs": "EPSG:9210",
                   "fields": {"id": "ma", "population": "dan_so_2024", "wkt": "hinh"}},
      "settlements": {"path": "xom.geojson", "fields": {"village_id": "thon_ma"}},
      "centres": {"path": "nvh.csv", "layer": "nvh", "fields": {"village_id": "ma_thon"}},
      "rank": {"class": "any", "cluster_distance_m": 5000, "cluster_weight": 0.25,
               "no_power_factor": 0.5, "distance_scale_m": 10000},
      "output": {"path": "out/cao-bang.gpkg", "format": "geojson", "overwrite": true}
    })");
    EXPECT_EQ(c.prepare.work_crs, "EPSG:3405");
    EXPECT_DOUBLE_EQ(c.coverage.radius_m.at(Tech::G2), 6000.0);
    EXPECT_DOUBLE_EQ(c.coverage.radius_m.at(Tech::G3), 3100.0);
    EXPECT_DOUBLE_EQ(c.coverage.radius_m.at(Tech::G4), 2500.5);
    EXPECT_DOUBLE_EQ(c.coverage.radius_m.at(Tech::G5), 800.0);
    EXPECT_FALSE(c.coverage.use_station_range);
    EXPECT_EQ(c.coverage.quad_segs, 32);
    EXPECT_EQ(c.classify.rule, StatusRule::AreaShare);
    EXPECT_DOUBLE_EQ(c.classify.white_below, 0.1);
    EXPECT_DOUBLE_EQ(c.classify.covered_from, 0.9);
    EXPECT_DOUBLE_EQ(c.overlay.village_radius_m, 750.0);
    EXPECT_DOUBLE_EQ(c.prepare.site_merge_m, 25.0);
    EXPECT_DOUBLE_EQ(c.prepare.min_range_m, 200.0);
    EXPECT_DOUBLE_EQ(c.prepare.max_range_m, 20000.0);
    EXPECT_EQ(c.threads, 4);

    EXPECT_EQ(c.stations.path, "bts.csv");
    EXPECT_EQ(c.stations.layer, "bts");
    EXPECT_EQ(c.stations.crs, "EPSG:4326");
    EXPECT_EQ(c.stations.lon_field, "kinh_do");
    EXPECT_EQ(c.stations.lat_field, "vi_do");
    EXPECT_EQ(c.prepare.station_fields.at("tech"), "cong_nghe");
    EXPECT_EQ(c.prepare.station_fields.at("operator"), "nha_mang");
    EXPECT_EQ(c.prepare.station_fields.at("range_m"), "ban_kinh");

    EXPECT_EQ(c.villages.path, "thon.gpkg");
    EXPECT_EQ(c.villages.layer, "thon");
    EXPECT_EQ(c.villages.crs, "EPSG:9210");
    EXPECT_EQ(c.villages.wkt_field, "hinh");
    EXPECT_EQ(c.prepare.village_fields.at("id"), "ma");
    EXPECT_EQ(c.prepare.village_fields.at("population"), "dan_so_2024");

    ASSERT_TRUE(c.settlements.has_value());
    EXPECT_EQ(c.settlements->path, "xom.geojson");
    EXPECT_EQ(c.prepare.settlement_fields.at("village_id"), "thon_ma");
    ASSERT_TRUE(c.centres.has_value());
    EXPECT_EQ(c.centres->path, "nvh.csv");
    EXPECT_EQ(c.centres->layer, "nvh");
    EXPECT_EQ(c.prepare.centre_fields.at("village_id"), "ma_thon");

    EXPECT_EQ(c.rank.service_class, ServiceClass::Any);
    EXPECT_DOUBLE_EQ(c.rank.cluster_distance_m, 5000.0);
    EXPECT_DOUBLE_EQ(c.rank.cluster_weight, 0.25);
    EXPECT_DOUBLE_EQ(c.rank.no_power_factor, 0.5);
    EXPECT_DOUBLE_EQ(c.rank.distance_scale_m, 10000.0);

    EXPECT_EQ(c.write.path, "out/cao-bang.gpkg");
    EXPECT_EQ(c.write.format, OutputFormat::GeoJSON);
    EXPECT_TRUE(c.write.overwrite);
}

TEST(Config, AbsentKeysKeepTheirDefaults) {
    const Config defaults;
    const Config c = applied(R"({"radius_m": {"4G": 2000}})");
    EXPECT_DOUBLE_EQ(c.coverage.radius_m.at(Tech::G4), 2000.0);
    EXPECT_DOUBLE_EQ(c.coverage.radius_m.at(Tech::G2), defaults.coverage.radius_m.at(Tech::G2));
    EXPECT_DOUBLE_EQ(c.coverage.radius_m.at(Tech::G3), defaults.coverage.radius_m.at(Tech::G3));
    EXPECT_EQ(c.prepare.work_crs, "auto");
    EXPECT_EQ(c.classify.rule, StatusRule::Centre);
    EXPECT_DOUBLE_EQ(c.classify.covered_from, defaults.classify.covered_from);
    EXPECT_EQ(c.rank.service_class, ServiceClass::Broadband);
    EXPECT_EQ(c.write.format, OutputFormat::GeoPackage);
    EXPECT_FALSE(c.settlements.has_value());
    EXPECT_FALSE(c.centres.has_value());
}

TEST(Config, EmptyObjectChangesNothing) {
    const Config c = applied("{}");
    const Config defaults;
    EXPECT_EQ(c.prepare.work_crs, defaults.prepare.work_crs);
    EXPECT_DOUBLE_EQ(c.classify.white_below, defaults.classify.white_below);
    EXPECT_EQ(c.coverage.quad_segs, defaults.coverage.quad_segs);
}

TEST(Config, LaterDocumentOverridesOnlyItsOwnKeys) {
    Config c;
    apply_config_json(c, R"({"work_crs": "EPSG:32648", "stations": {"path": "a.csv"}})", "a");
    apply_config_json(c, R"({"stations": {"layer": "cells"}})", "b");
    EXPECT_EQ(c.prepare.work_crs, "EPSG:32648");
    EXPECT_EQ(c.stations.path, "a.csv");
    EXPECT_EQ(c.stations.layer, "cells");
}

TEST(Config, StatusRuleCenterIsAcceptedAsCentre) {
    EXPECT_EQ(applied(R"({"status_rule": "area_share"})").classify.rule, StatusRule::AreaShare);
    EXPECT_EQ(applied(R"({"status_rule": "centre"})").classify.rule, StatusRule::Centre);
}

TEST(Config, NumbersAreParsedAndPrintedWithAPointWhateverTheLocale) {
    CommaLocale locale;
    if (!locale.ok)
        GTEST_SKIP() << "no locale with a decimal comma is installed (e.g. de_DE.UTF-8)";
    Config c = valid_config();
    apply_config_json(c, R"({"white_below": 0.65, "covered_from": 0.5})", "t");
    EXPECT_DOUBLE_EQ(c.classify.white_below, 0.65);
    const std::string msg = message_of<UsageError>([&] { validate_config(c); });
    EXPECT_TRUE(contains(msg, "(0.65)")) << msg;
}

TEST(Config, CommentsAreAllowed) {
    const Config c = applied(R"({
      // the official rule
      "status_rule": "centre",
      /* Cao Bằng is in UTM 48N */
      "work_crs": "EPSG:32648"
    })");
    EXPECT_EQ(c.prepare.work_crs, "EPSG:32648");
}

TEST(Config, MalformedJsonIsAUsageErrorNamingTheDocument) {
    const std::string msg = usage_error(R"({"work_crs": "EPSG:32648",})");
    EXPECT_TRUE(contains(msg, "'test.json' is not valid JSON")) << msg;
    EXPECT_TRUE(contains(usage_error("{\"white_below\": 0.1"), "not valid JSON"));
    EXPECT_TRUE(contains(usage_error(""), "not valid JSON"));
}

// A key written twice in one object: JSON keeps only one silently, so the other setting
// would be lost; refused with the key's full name. The same key in two objects is fine.
TEST(Config, AKeyGivenTwiceInOneObjectIsAUsageError) {
    std::string msg = usage_error(R"({"coverage_model": "disk", "coverage_model": "hata"})");
    EXPECT_TRUE(contains(msg, "'test.json' gives the key \"coverage_model\" twice")) << msg;
    msg = usage_error(R"({"radius_m": {"4G": 3000, "2G": 5000, "4G": 5000}})");
    EXPECT_TRUE(contains(msg, "gives the key \"radius_m.4G\" twice")) << msg;
    msg = usage_error(R"({"stations": {"fields": {"tech": "a", "tech": "b"}}})");
    EXPECT_TRUE(contains(msg, "\"stations.fields.tech\" twice")) << msg;
    EXPECT_EQ(applied(R"({"radius_m": {"4G": 3000}, "hata": {"environment": "rural"}})")
                  .coverage.radius_m.at(Tech::G4),
              3000.0);
}

TEST(Config, TopLevelThatIsNotAnObjectIsAUsageError) {
    const std::string msg = usage_error("[1, 2]");
    EXPECT_TRUE(contains(msg, "must be a JSON object")) << msg;
}

TEST(Config, UnknownTopLevelKeyIsAUsageErrorListingTheValidKeys) {
    const std::string msg = usage_error(R"({"radius": 3000})");
    EXPECT_TRUE(contains(msg, "unknown key \"radius\"")) << msg;
    for (const char* key :
         {"'work_crs'", "'radius_m'", "'status_rule'", "'white_below'", "'covered_from'",
          "'village_radius_m'", "'rank'", "'output'", "'stations'", "'villages'"})
        EXPECT_TRUE(contains(msg, key)) << key << " missing from: " << msg;
    EXPECT_TRUE(contains(msg, "test.json")) << msg;
}

TEST(Config, UnknownNestedKeysAreUsageErrorsListingTheValidKeysThere) {
    std::string msg = usage_error(R"({"rank": {"weight": 1}})");
    EXPECT_TRUE(contains(msg, "unknown key \"rank.weight\"")) << msg;
    EXPECT_TRUE(contains(msg, "'cluster_weight'")) << msg;

    msg = usage_error(R"({"output": {"file": "x.gpkg"}})");
    EXPECT_TRUE(contains(msg, "unknown key \"output.file\"")) << msg;
    EXPECT_TRUE(contains(msg, "'path', 'format', 'overwrite'")) << msg;

    msg = usage_error(R"({"radius_m": {"4g": 3000}})");
    EXPECT_TRUE(contains(msg, "unknown key \"radius_m.4g\"")) << msg;
    EXPECT_TRUE(contains(msg, "'2G', '3G', '4G', '5G'")) << msg;

    msg = usage_error(R"({"villages": {"file": "thon.gpkg"}})");
    EXPECT_TRUE(contains(msg, "unknown key \"villages.file\"")) << msg;
    EXPECT_TRUE(contains(msg, "'path'")) << msg;
}

TEST(Config, UnknownFieldRoleIsAUsageErrorListingTheRoles) {
    const std::string msg = usage_error(R"({"stations": {"fields": {"frequency": "f"}}})");
    EXPECT_TRUE(contains(msg, "unknown key \"stations.fields.frequency\"")) << msg;
    EXPECT_TRUE(contains(msg, "'tech'")) << msg;
    EXPECT_TRUE(contains(msg, "'operator'")) << msg;

    const std::string msg2 = usage_error(R"({"villages": {"fields": {"tech": "x"}}})");
    EXPECT_TRUE(contains(msg2, "\"villages.fields.tech\"")) << msg2;
    EXPECT_TRUE(contains(msg2, "'population'")) << msg2;
}

TEST(Config, WrongTypesAreUsageErrorsNamingTheKey) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {R"({"white_below": "0.1"})", "\"white_below\" must be a number"},
        {R"({"work_crs": 32648})", "\"work_crs\" must be a string"},
        {R"({"use_station_range": "yes"})", "\"use_station_range\" must be true or false"},
        {R"({"radius_m": 3000})", "\"radius_m\" must be a JSON object"},
        {R"({"radius_m": {"3G": "3km"}})", "\"radius_m.3G\" must be a number"},
        {R"({"status_rule": 1})", "\"status_rule\" must be a string"},
        {R"({"stations": "bts.csv"})", "\"stations\" must be a JSON object"},
        {R"({"villages": {"path": 5}})", "\"villages.path\" must be a string"},
        {R"({"villages": {"fields": {"population": 3}}})",
         "\"villages.fields.population\" must be a string"},
        {R"({"rank": {"cluster_weight": null}})", "\"rank.cluster_weight\" must be a number"},
        {R"({"rank": {"class": true}})", "\"rank.class\" must be a string"},
        {R"({"output": {"overwrite": 1}})", "\"output.overwrite\" must be true or false"},
        {R"({"output": []})", "\"output\" must be a JSON object"},
        {R"({"quad_segs": 2.5})", "\"quad_segs\" must be a whole number"},
        {R"({"threads": 1.5})", "\"threads\" must be a whole number"},
    };
    for (const auto& [json, expected] : cases) {
        const std::string msg = usage_error(json);
        EXPECT_TRUE(contains(msg, expected)) << json << " -> " << msg;
    }
}

TEST(Config, OutOfRangeValuesAreUsageErrorsNamingTheKey) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {R"({"white_below": 1.5})", "\"white_below\" must be in [0.00, 1.00]"},
        {R"({"covered_from": -0.1})", "\"covered_from\" must be in"},
        {R"({"radius_m": {"4G": 0}})", "\"radius_m.4G\" must be in"},
        {R"({"radius_m": {"2G": 1e7}})", "\"radius_m.2G\" must be in"},
        {R"({"village_radius_m": -1})", "\"village_radius_m\" must be in"},
        {R"({"quad_segs": 0})", "\"quad_segs\" must be in"},
        {R"({"threads": -2})", "\"threads\" must be in"},
        {R"({"site_merge_m": -5})", "\"site_merge_m\" must be in"},
        {R"({"max_range_m": 0})", "\"max_range_m\" must be in"},
        {R"({"rank": {"cluster_distance_m": -1}})", "\"rank.cluster_distance_m\" must be in"},
        {R"({"rank": {"no_power_factor": -0.5}})", "\"rank.no_power_factor\" must be in"},
    };
    for (const auto& [json, expected] : cases) {
        const std::string msg = usage_error(json);
        EXPECT_TRUE(contains(msg, expected)) << json << " -> " << msg;
    }
}

TEST(Config, UnknownEnumeratedValuesAreUsageErrorsListingTheChoices) {
    std::string msg = usage_error(R"({"status_rule": "majority"})");
    EXPECT_TRUE(contains(msg, "\"status_rule\" must be \"centre\" or \"area_share\"")) << msg;
    EXPECT_TRUE(contains(msg, "majority")) << msg;

    msg = usage_error(R"({"rank": {"class": "voice"}})");
    EXPECT_TRUE(contains(msg, "\"rank.class\" must be \"any\" or \"broadband\"")) << msg;

    msg = usage_error(R"({"output": {"format": "kml"}})");
    EXPECT_TRUE(contains(msg, "\"output.format\" must be")) << msg;
    EXPECT_TRUE(contains(msg, "\"gpkg\"")) << msg;
}

TEST(Config, OutputFormatsAreParsed) {
    EXPECT_EQ(applied(R"({"output": {"format": "gpkg"}})").write.format, OutputFormat::GeoPackage);
    EXPECT_EQ(applied(R"({"output": {"format": "shp"}})").write.format, OutputFormat::Shapefile);
    EXPECT_EQ(applied(R"({"output": {"format": "csv"}})").write.format, OutputFormat::CSV);
}

TEST(Config, ConfigFileIsReadAndNamedInMessages) {
    test::TempDir dir;
    const std::string path = dir.write("cao-bang.json", R"({"work_crs": "EPSG:32648"})");
    Config c;
    apply_config_file(c, path);
    EXPECT_EQ(c.prepare.work_crs, "EPSG:32648");

    const std::string bad = dir.write("bad.json", R"({"work_crs": 1})");
    const std::string msg = message_of<UsageError>([&] {
        Config c2;
        apply_config_file(c2, bad);
    });
    EXPECT_TRUE(contains(msg, "bad.json")) << msg;
    EXPECT_TRUE(contains(msg, "\"work_crs\"")) << msg;
}

TEST(Config, MissingConfigFileIsAUsageErrorNamingTheFlag) {
    test::TempDir dir;
    const std::string msg = message_of<UsageError>([&] {
        Config c;
        apply_config_file(c, dir.file("nowhere.json"));
    });
    EXPECT_TRUE(contains(msg, "nowhere.json")) << msg;
    EXPECT_TRUE(contains(msg, "--config")) << msg;
}

TEST(Config, ValidateAcceptsACompleteConfig) { EXPECT_NO_THROW(validate_config(valid_config())); }

TEST(Config, ValidateRejectsMissingStationsAndVillages) {
    Config c = valid_config();
    c.stations.path.clear();
    std::string msg = message_of<UsageError>([&] { validate_config(c); });
    EXPECT_TRUE(contains(msg, "--stations")) << msg;
    EXPECT_TRUE(contains(msg, "\"stations.path\"")) << msg;

    c = valid_config();
    c.villages.path.clear();
    msg = message_of<UsageError>([&] { validate_config(c); });
    EXPECT_TRUE(contains(msg, "--villages")) << msg;
}

TEST(Config, ValidateRejectsWhiteBelowAboveCoveredFrom) {
    Config c = valid_config();
    apply_config_json(c, R"({"white_below": 0.6, "covered_from": 0.5})", "t");
    const std::string msg = message_of<UsageError>([&] { validate_config(c); });
    EXPECT_TRUE(contains(msg, "\"white_below\" (0.60)")) << msg;
    EXPECT_TRUE(contains(msg, "\"covered_from\" (0.50)")) << msg;

    apply_config_json(c, R"({"white_below": 0.5})", "t");
    EXPECT_NO_THROW(validate_config(c)) << "equal thresholds are allowed";
}

TEST(Config, ValidateRejectsMinRangeAboveMaxRange) {
    Config c = valid_config();
    apply_config_json(c, R"({"min_range_m": 5000, "max_range_m": 1000})", "t");
    const std::string msg = message_of<UsageError>([&] { validate_config(c); });
    EXPECT_TRUE(contains(msg, "\"min_range_m\"")) << msg;
}

TEST(Config, ValidateRejectsSettlementsOrCentresWithoutPath) {
    Config c = valid_config();
    apply_config_json(c, R"({"settlements": {"layer": "xom"}})", "t");
    std::string msg = message_of<UsageError>([&] { validate_config(c); });
    EXPECT_TRUE(contains(msg, "\"settlements\"")) << msg;
    EXPECT_TRUE(contains(msg, "--settlements")) << msg;

    c = valid_config();
    apply_config_json(c, R"({"centres": {"fields": {"village_id": "ma"}}})", "t");
    msg = message_of<UsageError>([&] { validate_config(c); });
    EXPECT_TRUE(contains(msg, "--centres")) << msg;
}

TEST(Config, PlannedAndCandidatesAreLayerObjects) {
    const Config c = applied(R"({
      "stations": {"path": "bts.csv", "crs": "EPSG:4326",
                   "fields": {"tech": "cong_nghe", "lon": "kinh_do", "lat": "vi_do"}},
      "planned": {"path": "bts-2026.csv", "layer": "ke_hoach",
                  "fields": {"site_id": "ma", "tech": "loai"}},
      "candidates": {"path": "dinh_nui.csv", "crs": "EPSG:9210", "fields": {"wkt": "hinh"}}
    })");
    ASSERT_TRUE(c.planned.has_value());
    EXPECT_EQ(c.planned->path, "bts-2026.csv");
    EXPECT_EQ(c.planned->layer, "ke_hoach");
    EXPECT_EQ(c.planned_fields.at("site_id"), "ma");
    EXPECT_EQ(c.planned_fields.at("tech"), "loai");
    EXPECT_EQ(c.prepare.station_fields.at("tech"), "cong_nghe") << "stations keep their own";
    // Read like the stations unless "planned" says otherwise: their CRS and CSV columns.
    EXPECT_EQ(c.planned->crs, "EPSG:4326");
    EXPECT_EQ(c.planned->lon_field, "kinh_do");
    EXPECT_EQ(c.planned->lat_field, "vi_do");

    ASSERT_TRUE(c.candidates.has_value());
    EXPECT_EQ(c.candidates->path, "dinh_nui.csv");
    EXPECT_EQ(c.candidates->layer, "");
    EXPECT_EQ(c.candidates->crs, "EPSG:9210");
    EXPECT_EQ(c.candidates->wkt_field, "hinh");
}

TEST(Config, PlannedCrsAndColumnsReplaceThoseOfTheStations) {
    const Config c = applied(R"({
      "stations": {"path": "bts.csv", "layer": "cells", "crs": "EPSG:4326",
                   "fields": {"lon": "kinh_do", "lat": "vi_do"}},
      "planned": {"path": "ke_hoach.csv", "crs": "EPSG:32648",
                  "fields": {"lon": "x", "lat": "y"}}
    })");
    ASSERT_TRUE(c.planned.has_value());
    EXPECT_EQ(c.planned->layer, "") << "the stations' layer is not the planned file's";
    EXPECT_EQ(c.planned->crs, "EPSG:32648");
    EXPECT_EQ(c.planned->lon_field, "x");
    EXPECT_EQ(c.planned->lat_field, "y");
    EXPECT_EQ(c.stations.lon_field, "kinh_do");
}

TEST(Config, PlannedAndCandidatesAreAbsentByDefault) {
    const Config c = applied(R"({"stations": {"path": "bts.csv"}})");
    EXPECT_FALSE(c.planned.has_value());
    EXPECT_FALSE(c.candidates.has_value());
    EXPECT_TRUE(c.planned_fields.empty());
}

TEST(Config, BadPlannedAndCandidatesKeysAreUsageErrorsNamingTheKey) {
    std::string msg = usage_error(R"({"planned": {"file": "p.csv"}})");
    EXPECT_TRUE(contains(msg, "unknown key \"planned.file\"")) << msg;
    EXPECT_TRUE(contains(msg, "'path', 'layer', 'crs', 'encoding', 'fields'")) << msg;

    msg = usage_error(R"({"planned": {"fields": {"population": "dan_so"}}})");
    EXPECT_TRUE(contains(msg, "unknown key \"planned.fields.population\"")) << msg;
    EXPECT_TRUE(contains(msg, "'tech'")) << msg << " (the roles of the stations)";

    msg = usage_error(R"({"candidates": {"fields": {"tech": "t"}}})");
    EXPECT_TRUE(contains(msg, "unknown key \"candidates.fields.tech\"")) << msg;
    EXPECT_TRUE(contains(msg, "'lon', 'lat', 'wkt'")) << msg;

    msg = usage_error(R"({"planned": "p.csv"})");
    EXPECT_TRUE(contains(msg, "\"planned\" must be a JSON object")) << msg;
    msg = usage_error(R"({"candidates": {"path": 3}})");
    EXPECT_TRUE(contains(msg, "\"candidates.path\" must be a string")) << msg;
    msg = usage_error(R"({"planned": {"fields": {"tech": 4}}})");
    EXPECT_TRUE(contains(msg, "\"planned.fields.tech\" must be a string")) << msg;

    msg = usage_error(R"({"plannned": {}})");
    EXPECT_TRUE(contains(msg, "'planned'")) << msg;
    EXPECT_TRUE(contains(msg, "'candidates'")) << msg;
}

TEST(Config, PlanValidationRejectsPlannedOrCandidatesWithoutPath) {
    Config c = valid_config();
    apply_config_json(c, R"({"planned": {"layer": "ke_hoach"}})", "t");
    EXPECT_NO_THROW(validate_config(c)) << "analyze ignores \"planned\"";
    std::string msg = message_of<UsageError>([&] { validate_plan_config(c); });
    EXPECT_TRUE(contains(msg, "\"planned\"")) << msg;
    EXPECT_TRUE(contains(msg, "--planned")) << msg;

    c = valid_config();
    apply_config_json(c, R"({"candidates": {"crs": "EPSG:4326"}})", "t");
    EXPECT_NO_THROW(validate_config(c));
    msg = message_of<UsageError>([&] { validate_plan_config(c); });
    EXPECT_TRUE(contains(msg, "--candidates")) << msg;

    c = valid_config();
    apply_config_json(c, R"({"planned": {"path": "p.csv"}, "candidates": {"path": "c.csv"}})", "t");
    EXPECT_NO_THROW(validate_plan_config(c));
    c.villages.path.clear();
    msg = message_of<UsageError>([&] { validate_plan_config(c); });
    EXPECT_TRUE(contains(msg, "--villages")) << msg << " (validate_config's checks too)";
}

TEST(Config, CoverageModelDefaultsToDiskAndAcceptsHata) {
    EXPECT_EQ(applied("{}").coverage.model, CoverageModel::Disk);
    EXPECT_EQ(applied(R"({"coverage_model": "hata"})").coverage.model, CoverageModel::Hata);
    EXPECT_EQ(applied(R"({"coverage_model": "disk"})").coverage.model, CoverageModel::Disk);
    const std::string msg = usage_error(R"({"coverage_model": "cost231"})");
    EXPECT_TRUE(contains(msg, "\"coverage_model\" must be \"disk\", \"hata\" or \"itm\"")) << msg;
}

TEST(Config, EveryHataKeyIsApplied) {
    const Config c = applied(R"({"coverage_model": "hata", "hata": {
        "environment": "rural", "receiver_height_m": 2, "antenna_height_m": 40,
        "max_radius_m": 25000,
        "frequency_mhz": {"2G": 1800, "5G": 2600},
        "eirp_dbm": {"3G": 46},
        "threshold_dbm": {"4G": -115}}})");
    const HataOptions& h = c.coverage.hata;
    EXPECT_EQ(h.environment, HataEnvironment::Rural);
    EXPECT_DOUBLE_EQ(h.receiver_height_m, 2.0);
    EXPECT_DOUBLE_EQ(h.antenna_height_m, 40.0);
    EXPECT_DOUBLE_EQ(h.max_radius_m, 25000.0);
    EXPECT_DOUBLE_EQ(h.frequency_mhz.at(Tech::G2), 1800.0);
    EXPECT_DOUBLE_EQ(h.frequency_mhz.at(Tech::G5), 2600.0);
    EXPECT_DOUBLE_EQ(h.frequency_mhz.at(Tech::G3), 2100.0) << "absent technologies keep theirs";
    EXPECT_DOUBLE_EQ(h.eirp_dbm.at(Tech::G3), 46.0);
    EXPECT_DOUBLE_EQ(h.eirp_dbm.at(Tech::G2), 58.0);
    EXPECT_DOUBLE_EQ(h.threshold_dbm.at(Tech::G4), -115.0);
    EXPECT_DOUBLE_EQ(h.threshold_dbm.at(Tech::G2), -90.0);
}

TEST(Config, HataDefaultsAreKeptWhenAbsent) {
    const HataOptions& h = applied(R"({"hata": {}})").coverage.hata;
    EXPECT_EQ(h.environment, HataEnvironment::Suburban);
    EXPECT_DOUBLE_EQ(h.receiver_height_m, 1.5);
    EXPECT_DOUBLE_EQ(h.antenna_height_m, 30.0);
    EXPECT_DOUBLE_EQ(h.max_radius_m, 30000.0);
    EXPECT_DOUBLE_EQ(h.frequency_mhz.at(Tech::G4), 1800.0);
}

TEST(Config, BadHataKeysAndValuesAreUsageErrorsNamingTheKey) {
    std::string msg = usage_error(R"({"hata": {"enviroment": "rural"}})");
    EXPECT_TRUE(contains(msg, "unknown key \"hata.enviroment\"")) << msg;
    EXPECT_TRUE(contains(msg, "'environment'")) << msg;
    EXPECT_TRUE(contains(msg, "'threshold_dbm'")) << msg;

    msg = usage_error(R"({"hata": {"environment": "open"}})");
    EXPECT_TRUE(contains(msg, "\"hata.environment\" must be \"rural\", \"suburban\" or "
                              "\"urban\", not \"open\""))
        << msg;

    msg = usage_error(R"({"hata": {"frequency_mhz": {"6G": 7000}}})");
    EXPECT_TRUE(contains(msg, "unknown key \"hata.frequency_mhz.6G\"")) << msg;

    msg = usage_error(R"({"hata": {"frequency_mhz": {"2G": 100}}})");
    EXPECT_TRUE(contains(msg, "\"hata.frequency_mhz.2G\" must be in [150.00, 6000.00]")) << msg;

    msg = usage_error(R"({"hata": {"receiver_height_m": 0.5}})");
    EXPECT_TRUE(contains(msg, "\"hata.receiver_height_m\" must be in [1.00, 10.00]")) << msg;

    msg = usage_error(R"({"hata": {"antenna_height_m": 500}})");
    EXPECT_TRUE(contains(msg, "\"hata.antenna_height_m\"")) << msg;

    msg = usage_error(R"({"hata": {"threshold_dbm": {"4G": "-110"}}})");
    EXPECT_TRUE(contains(msg, "\"hata.threshold_dbm.4G\" must be a number")) << msg;

    msg = usage_error(R"({"hata": {"max_radius_m": 0}})");
    EXPECT_TRUE(contains(msg, "\"hata.max_radius_m\"")) << msg;

    msg = usage_error(R"({"hata": 30})");
    EXPECT_TRUE(contains(msg, "\"hata\" must be a JSON object")) << msg;
}

} // namespace
} // namespace whitezone

TEST(Config, OperatorAliasesTakeAnyNameAndRefuseNonText) {
    whitezone::Config c;
    whitezone::apply_config_json(
        c, R"({"operator_aliases": {"VNPT-Net": "VinaPhone", "Itel": "VinaPhone"}})", "a.json");
    EXPECT_EQ(c.prepare.operator_aliases.at("VNPT-Net"), "VinaPhone");
    EXPECT_EQ(c.prepare.operator_aliases.size(), 2U);
    whitezone::Config d;
    try {
        whitezone::apply_config_json(d, R"({"operator_aliases": {"VNPT": 3}})", "a.json");
        FAIL() << "a number as an operator name was accepted";
    } catch (const whitezone::UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("operator_aliases.VNPT"), std::string::npos)
            << e.what();
    }
}
