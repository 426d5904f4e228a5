// docs/config.md's key tables are generated from the stages' declarations: a test fails when
// they are out of date (scripts/update-config-doc.sh rewrites them). Also the declarations
// themselves: every key documented, "did you mean", and the reader following them.

#include "whitezone/config.hpp"
#include "whitezone/error.hpp"

#include "support/support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace whitezone {
namespace {

using test::contains;
using test::message_of;

std::string config_md_path() {
    return (std::filesystem::path(test::sample_path("")) / ".." / "docs" / "config.md").string();
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(ConfigDoc, KeyTablesInDocsConfigMdMatchTheDeclarations) {
    const std::string path = config_md_path();
    const std::string current = read_text(path);
    ASSERT_FALSE(current.empty()) << "cannot read " << path;
    const std::string generated = regenerate_config_doc(current);
    if (const char* update = std::getenv("WHITEZONE_UPDATE_DOCS"); update && *update == '1') {
        std::ofstream(path) << generated;
        return;
    }
    EXPECT_EQ(current, generated)
        << "docs/config.md is out of date with the options the stages declare; run "
           "scripts/update-config-doc.sh and commit the result.";
}

TEST(ConfigDoc, EveryTableHasItsPlaceInDocsConfigMd) {
    const std::string md = read_text(config_md_path());
    for (const auto& name : config_doc_tables())
        EXPECT_TRUE(contains(md, "<!-- generated: config-table " + name + " -->")) << name;
}

TEST(ConfigDoc, EveryTopLevelKeyAndEveryObjectKeyIsInATable) {
    Config config;
    OptionSet top;
    declare_options(top, config);
    const std::string table = config_doc_table("top-level");
    for (const auto& d : top.options()) {
        EXPECT_TRUE(contains(table, "| `" + d.key + "` |")) << d.key;
        EXPECT_FALSE(d.doc.empty()) << d.key << " has no doc";
        if (!d.section.empty()) {
            OptionSet inner(d.key);
            d.declare_object(inner);
            const std::string section = config_doc_table(d.section);
            for (const auto& k : inner.keys())
                EXPECT_TRUE(contains(section, "| `" + k + "` |")) << d.key << "." << k;
        }
    }
}

TEST(ConfigDoc, TablesShowDefaultsRangesAndAcceptedNamesFromTheDeclarations) {
    const std::string top = config_doc_table("top-level");
    EXPECT_TRUE(contains(top, "| `quad_segs` | whole number | `8` | 1–1,000 |")) << top;
    EXPECT_TRUE(contains(top, "`{\"2G\": 5000, \"3G\": 3000, \"4G\": 3500, \"5G\": 1000}`"));
    EXPECT_TRUE(contains(top, "`\"centre\"` (or `\"center\"`), `\"area_share\"`")) << top;
    EXPECT_TRUE(contains(
        top, "| `coverage_model` | string | `\"disk\"` | `\"disk\"`, `\"hata\"`, `\"itm\"` |"))
        << top;
    const std::string hata = config_doc_table("hata");
    EXPECT_TRUE(contains(hata, "| `threshold_dbm` | object |")) << hata;
    EXPECT_TRUE(contains(hata, "each −160 to −20")) << hata;
    EXPECT_TRUE(
        contains(config_doc_table("rank"), "| `cluster_weight` | number | `0.5` | 0–10⁹ |"));
    EXPECT_TRUE(contains(config_doc_table("terrain"), "`1.3333`"));
    EXPECT_THROW(config_doc_table("nowhere"), std::out_of_range);
}

TEST(ConfigDoc, RegeneratingReplacesOnlyTheBlocks) {
    const std::string md = "# Title\n\ntext before\n<!-- generated: config-table rank -->\n"
                           "| stale |\n<!-- end generated -->\ntext after\n";
    const std::string out = regenerate_config_doc(md);
    EXPECT_TRUE(
        contains(out, "# Title\n\ntext before\n<!-- generated: config-table rank -->\n| key"))
        << out;
    EXPECT_FALSE(contains(out, "stale"));
    EXPECT_TRUE(contains(out, "`cluster_distance_m`"));
    EXPECT_TRUE(contains(out, "<!-- end generated -->\ntext after\n"));
    EXPECT_EQ(regenerate_config_doc(out), out);
    EXPECT_THROW(regenerate_config_doc("<!-- generated: config-table rank -->\n| x |\n"),
                 std::invalid_argument);
    EXPECT_THROW(regenerate_config_doc("<!-- generated: config-table nope -->\n<!-- end generated "
                                       "-->\n"),
                 std::invalid_argument);
}

std::string usage_error(const std::string& json) {
    return message_of<UsageError>([&] {
        Config config;
        apply_config_json(config, json, "test.json");
    });
}

TEST(ConfigDoc, UnknownKeySuggestsTheClosestValidKey) {
    std::string msg = usage_error(R"({"rank": {"klass": "any"}})");
    EXPECT_TRUE(contains(msg, "unknown key \"rank.klass\" (did you mean \"rank.class\"?)")) << msg;
    msg = usage_error(R"({"radius": 3000})");
    EXPECT_TRUE(contains(msg, "(did you mean \"radius_m\"?)")) << msg;
    msg = usage_error(R"({"hata": {"frequency_mhz": {"4g": 1800}}})");
    EXPECT_TRUE(contains(msg, "did you mean \"hata.frequency_mhz.4G\"")) << msg;
    msg = usage_error(R"({"zzzzzzzz": 1})");
    EXPECT_FALSE(contains(msg, "did you mean")) << msg;
}

TEST(ConfigDoc, ClosestKeyIgnoresCaseAndRejectsFarKeys) {
    EXPECT_EQ(closest_key("Work_CRS", {"work_crs", "threads"}), "work_crs");
    EXPECT_EQ(closest_key("plannned", {"planned", "plan"}), "planned");
    EXPECT_EQ(closest_key("colour", {"path", "layer", "crs", "fields"}), "");
}

TEST(ConfigDoc, AcceptedValuesInMessagesComeFromTheNameTables) {
    std::string msg = usage_error(R"({"output": {"format": "kml"}})");
    EXPECT_TRUE(contains(msg, "\"output.format\" must be " +
                                  alternatives(kOutputFormatNames.canonical()) + ", not \"kml\""))
        << msg;
    msg = usage_error(R"({"coverage_model": "cost231"})");
    EXPECT_TRUE(contains(msg, alternatives(coverage_model_names()))) << msg;
    msg = usage_error(R"({"plan": {"tech": "6G"}})");
    EXPECT_TRUE(contains(msg, "\"plan.tech\" must be \"2G\", \"3G\", \"4G\" or \"5G\", not \"6G\""))
        << msg;
}

TEST(ConfigDoc, AliasesOfTheNameTablesAreAcceptedInTheConfig) {
    Config c;
    apply_config_json(c,
                      R"({"status_rule": "center", "plan": {"tech": " LTE "},
                          "output": {"format": "GeoPackage"}})",
                      "t");
    EXPECT_EQ(c.classify.rule, StatusRule::Centre);
    EXPECT_EQ(c.plan.tech, Tech::G4);
    EXPECT_EQ(c.write.format, OutputFormat::GeoPackage);
}

TEST(ConfigDoc, PlanRadiusIsAbsentUntilSet) {
    Config c;
    apply_config_json(c, "{}", "t");
    EXPECT_FALSE(c.plan.radius_m.has_value());
    apply_config_json(c, R"({"plan": {"radius_m": 4200}})", "t");
    ASSERT_TRUE(c.plan.radius_m.has_value());
    EXPECT_DOUBLE_EQ(*c.plan.radius_m, 4200.0);
}

} // namespace
} // namespace whitezone
