// The output layers' definitions (write.hpp): every layer's fields, types and Shapefile
// names, as docs/output.md, docs/plan.md and docs/trend.md list them.

#include "whitezone/error.hpp"
#include "whitezone/write.hpp"

#include "common/text.hpp"
#include "report/layers.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace whitezone {
namespace {

using T = ColumnType;

struct Expected {
    std::string name, shp;
    ColumnType type;
};

// "name", "shp", type, expanded per service class: name_any / name_broadband, shp_any /
// shp_bb.
void per_class(std::vector<Expected>& out, const std::string& name, const std::string& shp,
               ColumnType type) {
    out.push_back({name + "_any", shp + "_any", type});
    out.push_back({name + "_broadband", shp + "_bb", type});
}

const LayerInfo& layer(const std::vector<LayerInfo>& layers, const std::string& name) {
    for (const auto& l : layers)
        if (l.name == name)
            return l;
    throw std::runtime_error("no layer " + name);
}

void expect_columns(const LayerInfo& layer, const std::vector<Expected>& expected) {
    ASSERT_EQ(layer.columns.size(), expected.size()) << layer.name;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(layer.columns[i].name, expected[i].name) << layer.name << " field " << i;
        EXPECT_EQ(layer.columns[i].shapefile_name, expected[i].shp) << expected[i].name;
        EXPECT_EQ(layer.columns[i].type, expected[i].type) << expected[i].name;
    }
}

const std::vector<LayerInfo> kAll = output_layers({.plan = true, .whatif = true, .trend = true});

TEST(Layers, AnAnalysisWritesSixLayersInOrder) {
    EXPECT_EQ(output_layer_names({}),
              (std::vector<std::string>{"villages", "coverage", "stations", "summary", "sites",
                                        "summary_operators"}));
}

TEST(Layers, PlanWhatIfAndTrendAddTheirLayersAfterTheSix) {
    EXPECT_EQ(output_layer_names({.plan = true}),
              (std::vector<std::string>{"villages", "coverage", "stations", "summary", "sites",
                                        "summary_operators", "proposed_sites", "backhaul_links",
                                        "planned_stations", "unlinkable_candidates"}));
    EXPECT_EQ(output_layer_names({.plan = true, .whatif = true}).back(), "whatif");
    EXPECT_EQ(output_layer_names({.trend = true}).back(), "trend_units");
    EXPECT_EQ(output_layer_names({.plan = true, .whatif = true, .trend = true}).size(), 13u);
}

TEST(Layers, VillagesHaveTheDocumentedFieldsTypesAndShapefileNames) {
    std::vector<Expected> e;
    per_class(e, "share", "sh", T::Real);
    per_class(e, "centre", "ctr", T::Integer);
    per_class(e, "status", "st", T::String);
    per_class(e, "status_basis", "bas", T::String);
    per_class(e, "stability", "stab", T::Real);
    per_class(e, "status_likely", "st_lik", T::String);
    per_class(e, "signal_dbm_centre", "dbm", T::Real);
    per_class(e, "best_site", "bsite", T::String);
    e.push_back({"clusters", "clusters", T::Integer});
    per_class(e, "clusters_without", "cl_no", T::Integer);
    per_class(e, "people_without", "pw", T::Real);
    e.push_back({"people_without_signal", "pw_signal", T::Real});
    e.push_back({"people_grid", "people_grd", T::Real});
    e.push_back({"centre_source", "ctr_src", T::String});
    e.push_back({"repaired", "repaired", T::Integer});
    e.push_back({"flags", "flags", T::String});
    e.push_back({"unit_code", "unit_code", T::String});
    e.push_back({"unit_name", "unit_name", T::String});
    per_class(e, "operators", "ops", T::String);
    e.push_back({"operators_any_count", "n_ops_any", T::Integer});
    e.push_back({"operators_broadband_count", "n_ops_bb", T::Integer});
    e.push_back({"area_m2", "area_m2", T::Real});
    e.push_back({"nearest_site_m", "near_m", T::Real});
    e.push_back({"reach_villages", "reach_n", T::Integer});
    e.push_back({"reach_people", "reach_pw", T::Real});
    e.push_back({"cluster_id", "clust_id", T::Integer64});
    e.push_back({"cluster_villages", "clust_n", T::Integer});
    e.push_back({"cluster_people", "clust_pw", T::Real});
    e.push_back({"power_factor", "f_power", T::Real});
    e.push_back({"distance_factor", "f_dist", T::Real});
    e.push_back({"gap_score", "gap_score", T::Real});
    e.push_back({"gap_rank", "gap_rank", T::Integer64});
    const LayerInfo& v = layer(kAll, "villages");
    EXPECT_EQ(v.geometry, GeometryType::Polygons);
    EXPECT_TRUE(v.carries_input_fields);
    expect_columns(v, e);
}

TEST(Layers, CoverageHasOneRowFieldSetPerClass) {
    const LayerInfo& c = layer(kAll, "coverage");
    EXPECT_EQ(c.geometry, GeometryType::Polygons);
    EXPECT_FALSE(c.carries_input_fields);
    expect_columns(c, {{"class", "class", T::String},
                       {"area_km2", "area_km2", T::Real},
                       {"footprints", "footprints", T::Integer}});
}

TEST(Layers, StationsCarryTheirInputFieldsThenTheModelsFields) {
    const LayerInfo& s = layer(kAll, "stations");
    EXPECT_EQ(s.geometry, GeometryType::Points);
    EXPECT_TRUE(s.carries_input_fields);
    expect_columns(s, {{"site_key", "site_key", T::String},
                       {"technology", "techno", T::String},
                       {"operator_name", "oper_name", T::String},
                       {"radius_m", "radius_m", T::Real},
                       {"radius_source", "radius_src", T::String},
                       {"radius_flag", "radius_flg", T::String},
                       {"range_flag", "range_flag", T::String},
                       {"sector", "sector", T::Integer},
                       {"terrain_flag", "terr_flag", T::String}});
}

TEST(Layers, SummaryIsATableWithCountsRatesAndPeoplePerClass) {
    std::vector<Expected> e{{"level", "level", T::String},
                            {"province", "province", T::String},
                            {"district", "district", T::String},
                            {"commune", "commune", T::String},
                            {"province_code", "prov_code", T::String},
                            {"district_code", "dist_code", T::String},
                            {"commune_code", "comm_code", T::String},
                            {"unit_code", "unit_code", T::String},
                            {"unit_name", "unit_name", T::String},
                            {"unit_level", "unit_level", T::String},
                            {"parent_code", "par_code", T::String},
                            {"villages", "villages", T::Integer}};
    per_class(e, "covered", "cov", T::Integer);
    per_class(e, "partial", "par", T::Integer);
    per_class(e, "white", "wht", T::Integer);
    per_class(e, "coverage_rate", "rate", T::Real);
    per_class(e, "signal_rate", "sig", T::Real);
    per_class(e, "people_without", "pw", T::Real);
    per_class(e, "white_firm", "wfirm", T::Integer);
    per_class(e, "white_borderline", "wbord", T::Integer);
    e.push_back({"flagged", "flagged", T::Integer});
    for (const auto& [flag, shp] :
         std::vector<std::pair<std::string, std::string>>{{"no_population", "f_nopop"},
                                                          {"households_as_people", "f_hhpeople"},
                                                          {"power_unknown", "f_pwrunk"},
                                                          {"centre_outside", "f_ctrout"},
                                                          {"centre_estimated", "f_ctrest"},
                                                          {"repaired", "f_repair"},
                                                          {"no_dem", "f_nodem"},
                                                          {"dem_partial", "f_dempart"},
                                                          {"far_from_stations", "f_far"},
                                                          {"settlement_unmatched", "f_setunm"},
                                                          {"outside_units", "f_outunit"}})
        e.push_back({"flag_" + flag, shp, T::Integer});
    const LayerInfo& s = layer(kAll, "summary");
    EXPECT_EQ(s.geometry, GeometryType::None);
    expect_columns(s, e);
}

TEST(Layers, SummaryOperatorsCountTheVillagesEachOperatorReachesPerUnit) {
    const LayerInfo& s = layer(kAll, "summary_operators");
    EXPECT_EQ(s.geometry, GeometryType::None);
    expect_columns(s, {{"level", "level", T::String},
                       {"province", "province", T::String},
                       {"district", "district", T::String},
                       {"commune", "commune", T::String},
                       {"province_code", "prov_code", T::String},
                       {"district_code", "dist_code", T::String},
                       {"commune_code", "comm_code", T::String},
                       {"unit_code", "unit_code", T::String},
                       {"unit_name", "unit_name", T::String},
                       {"operator", "operator", T::String},
                       {"sites", "sites", T::Integer},
                       {"villages_any", "vill_any", T::Integer},
                       {"villages_broadband", "vill_bb", T::Integer},
                       {"only_any", "only_any", T::Integer},
                       {"only_broadband", "only_bb", T::Integer}});
}

TEST(Layers, SitesCountSitesAndCellsPerOperatorAndTechnology) {
    const LayerInfo& s = layer(kAll, "sites");
    EXPECT_EQ(s.geometry, GeometryType::None);
    expect_columns(s, {{"operator", "operator", T::String},
                       {"technology", "techno", T::String},
                       {"sites", "sites", T::Integer},
                       {"cells", "cells", T::Integer}});
}

TEST(Layers, PlanLayersAreProposedSitePointsAndBackhaulLines) {
    const LayerInfo& p = layer(kAll, "proposed_sites");
    EXPECT_EQ(p.geometry, GeometryType::Points);
    EXPECT_TRUE(p.carries_input_fields); // the candidates' own fields
    expect_columns(p, {{"pick", "pick", T::Integer},
                       {"candidate_source", "cand_src", T::String},
                       {"village_id", "village_id", T::String},
                       {"lon", "lon", T::Real},
                       {"lat", "lat", T::Real},
                       {"new_villages", "new_vill", T::Integer},
                       {"new_people", "new_people", T::Real},
                       {"reached_ids", "reach_ids", T::String},
                       {"reached_names", "reach_name", T::String},
                       {"reached_communes", "reach_comm", T::String},
                       {"cumulative_people", "cum_people", T::Real},
                       {"connected", "connected", T::Integer},
                       {"hop_m", "hop_m", T::Real}});
    const LayerInfo& b = layer(kAll, "backhaul_links");
    EXPECT_EQ(b.geometry, GeometryType::Lines);
    expect_columns(b, {{"from_pick", "from_pick", T::Integer},
                       {"to_pick", "to_pick", T::Integer},
                       {"to_site", "to_site", T::String},
                       {"length_m", "length_m", T::Real}});
}

// The planned stations carry the fields --stations reads (site_id, technology, operator,
// height_m, on_air), so that they can be read back as stations.
TEST(Layers, PlannedStationsAreAStationsLayerAndUnlinkableCandidatesArePoints) {
    const LayerInfo& s = layer(kAll, "planned_stations");
    EXPECT_EQ(s.geometry, GeometryType::Points);
    expect_columns(s, {{"site_id", "site_id", T::String},
                       {"technology", "technology", T::String},
                       {"operator", "operator", T::String},
                       {"height_m", "height_m", T::Real},
                       {"on_air", "on_air", T::String},
                       {"pick", "pick", T::Integer},
                       {"lon", "lon", T::Real},
                       {"lat", "lat", T::Real}});
    const LayerInfo& u = layer(kAll, "unlinkable_candidates");
    EXPECT_EQ(u.geometry, GeometryType::Points);
    EXPECT_TRUE(u.carries_input_fields);
    expect_columns(u, {{"candidate_source", "cand_src", T::String},
                       {"village_id", "village_id", T::String},
                       {"lon", "lon", T::Real},
                       {"lat", "lat", T::Real},
                       {"villages", "villages", T::Integer},
                       {"people", "people", T::Real}});
}

TEST(Layers, WhatIfComparesTodayWithThePlannedStations) {
    const LayerInfo& w = layer(kAll, "whatif");
    EXPECT_EQ(w.geometry, GeometryType::None);
    expect_columns(w, {{"level", "level", T::String},
                       {"province", "province", T::String},
                       {"unit", "unit", T::String},
                       {"villages", "villages", T::Integer},
                       {"white_today", "wht_today", T::Integer},
                       {"white_planned", "wht_plan", T::Integer},
                       {"partial_today", "par_today", T::Integer},
                       {"partial_planned", "par_plan", T::Integer},
                       {"covered_today", "cov_today", T::Integer},
                       {"covered_planned", "cov_plan", T::Integer},
                       {"improved", "improved", T::Integer},
                       {"people_newly", "new_people", T::Real}});
}

TEST(Layers, TrendHasOneRowPerYearWithCountsPerClass) {
    std::vector<Expected> e{{"year", "year", T::Integer},
                            {"stations", "stations", T::Integer},
                            {"sites", "sites", T::Integer},
                            {"villages", "villages", T::Integer}};
    per_class(e, "white", "wht", T::Integer);
    per_class(e, "partial", "par", T::Integer);
    per_class(e, "covered", "cov", T::Integer);
    per_class(e, "people_without", "pw", T::Real);
    const LayerInfo& t = layer(kAll, "trend");
    EXPECT_EQ(t.geometry, GeometryType::None);
    expect_columns(t, e);
}

TEST(Layers, TrendUnitsHaveOneRowPerYearAndUnitWithTheSummarysNamesAndCodes) {
    std::vector<Expected> e{{"year", "year", T::Integer},
                            {"level", "level", T::String},
                            {"province", "province", T::String},
                            {"district", "district", T::String},
                            {"commune", "commune", T::String},
                            {"province_code", "prov_code", T::String},
                            {"district_code", "dist_code", T::String},
                            {"commune_code", "comm_code", T::String},
                            {"unit_code", "unit_code", T::String},
                            {"unit_name", "unit_name", T::String},
                            {"unit_level", "unit_level", T::String},
                            {"parent_code", "par_code", T::String},
                            {"villages", "villages", T::Integer}};
    per_class(e, "white", "wht", T::Integer);
    per_class(e, "partial", "par", T::Integer);
    per_class(e, "covered", "cov", T::Integer);
    per_class(e, "people_without", "pw", T::Real);
    const LayerInfo& t = layer(kAll, "trend_units");
    EXPECT_EQ(t.geometry, GeometryType::None);
    expect_columns(t, e);
}

TEST(Layers, ShapefileNamesFitDBaseAndNoTwoFieldsOfALayerShareAName) {
    for (const auto& l : kAll) {
        std::set<std::string> names, shp;
        for (const auto& c : l.columns) {
            EXPECT_LE(c.shapefile_name.size(), 10u) << l.name << "." << c.name;
            EXPECT_FALSE(c.shapefile_name.empty()) << l.name << "." << c.name;
            EXPECT_TRUE(names.insert(text::lower(c.name)).second) << l.name << "." << c.name;
            EXPECT_TRUE(shp.insert(text::lower(c.shapefile_name)).second)
                << l.name << "." << c.shapefile_name;
        }
    }
}

TEST(OutputFormats, EveryFormatParsesFromItsShortNameAndPrintsIt) {
    for (auto f : {OutputFormat::GeoPackage, OutputFormat::GeoJSON, OutputFormat::Shapefile,
                   OutputFormat::CSV, OutputFormat::FlatGeobuf, OutputFormat::PostGIS,
                   OutputFormat::Console})
        EXPECT_EQ(parse_output_format(to_string(f)), f) << to_string(f);
    EXPECT_EQ(parse_output_format("FlatGeobuf"), OutputFormat::FlatGeobuf);
    EXPECT_EQ(parse_output_format("GPKG"), OutputFormat::GeoPackage);
    EXPECT_FALSE(parse_output_format("kml"));
    EXPECT_EQ(parse_output_format("text"), OutputFormat::Console);
    EXPECT_EQ(output_format_choices(), "gpkg, geojson, shp, csv, fgb, postgis or console");
}

TEST(OutputFormats, APgPathIsPostGISAndItsPasswordIsNeverShown) {
    WriteOptions o;
    o.path = "PG:dbname=wz host=db user=me password=s3cret";
    EXPECT_EQ(output_format(o), OutputFormat::PostGIS);
    EXPECT_EQ(output_path(o), "PG:dbname=wz host=db user=me password=***");
    o.path = "PG:dbname=wz password='a b\\'c' user=me";
    EXPECT_EQ(output_path(o), "PG:dbname=wz password=*** user=me");
    o.path = "PG:postgresql://me:s3cret@db/wz";
    EXPECT_EQ(output_path(o), "PG:postgresql://me:***@db/wz");
    o.format = OutputFormat::GeoJSON;
    o.path = "PG:dbname=wz";
    EXPECT_THROW((void)output_format(o), UsageError);
    o.format = OutputFormat::PostGIS;
    o.path = "out";
    EXPECT_THROW((void)output_format(o), UsageError);
}

// An input field named like an output field is written with "_in"; when that name is taken
// too (by another input field, in any case), "_in2", … : every name unique ignoring case, so
// that no driver drops a field and shifts the values after it under the wrong names.
TEST(CarriedFields, RenamedCopiesNeverCollide) {
    report::Table t;
    for (const char* name :
         {"status_any", "status_any_in", "Name", "name", "fid", "STATUS_ANY_IN2"})
        t.carried.push_back({name, FieldType::String});
    const std::vector<std::string> names = report::carried_names(t, {"status_any", "fid", "geom"});
    EXPECT_EQ(names, (std::vector<std::string>{"status_any_in3", "status_any_in", "Name", "name_in",
                                               "fid_in", "STATUS_ANY_IN2"}));
    std::set<std::string> lower;
    for (const auto& n : names)
        lower.insert(text::lower(n));
    EXPECT_EQ(lower.size(), names.size());
}

} // namespace
} // namespace whitezone
