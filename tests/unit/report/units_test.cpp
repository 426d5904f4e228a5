// Units and operators: codes that key the summary, villages assigned to the units of
// --units, the console's --level, and the operators reaching each village's centre in the
// vector and the terrain mode, with the summary_operators counts.

#include "whitezone/coverage/itm.hpp"
#include "whitezone/coverage/terrain.hpp"
#include "whitezone/operators.hpp"
#include "whitezone/report.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace whitezone;

namespace {

constexpr auto kAny = index_of(ServiceClass::Any);
constexpr auto kBb = index_of(ServiceClass::Broadband);

MultiPolygon box(double x0, double y0, double x1, double y1) {
    Polygon p;
    p.rings.push_back({{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}});
    return {p};
}

Village village(XY centre, const std::string& commune, const std::string& code) {
    Village v;
    v.centre = centre;
    v.centre_source = CentreSource::Point;
    v.province = "Lạng Sơn";
    v.province_code = "20";
    v.commune = commune;
    v.commune_code = code;
    return v;
}

void add_status(Classification& c, Status any, Status bb) {
    c.villages[kAny].push_back({any, StatusBasis::Centre, any == Status::White ? 10.0 : 0.0});
    c.villages[kBb].push_back({bb, StatusBasis::Centre, bb == Status::White ? 10.0 : 0.0});
}

std::vector<const SummaryRow*> rows_of(const Summary& s, const std::string& level) {
    std::vector<const SummaryRow*> out;
    for (const auto& r : s.rows)
        if (r.level == level)
            out.push_back(&r);
    return out;
}

Station station(XY xy, Tech tech, const std::string& op, const std::string& site) {
    Station s;
    s.xy = xy;
    s.tech = tech;
    s.operator_name = op;
    s.site_id = site;
    return s;
}

Footprint disk(std::size_t station, const Station& s, double radius) {
    Footprint f;
    f.station = station;
    f.tech = s.tech;
    f.centre = s.xy;
    f.radius_m = radius;
    f.inner_radius_m = radius;
    return f;
}

// Two operators on a line: A (4G) at x = 0 and B (2G) at x = 3000, both reaching 2000 m.
// Village 0 at x = 500: A alone; 1 at x = 1500: both (broadband: A alone); 2 at x = 2800: B
// alone (no broadband); 3 at x = 10000: none.
struct TwoOperators {
    PreparedInputs inputs;
    Footprints footprints;
    TwoOperators() {
        inputs.stations = {station({0, 0}, Tech::G4, "Viettel", "A1"),
                           station({3000, 0}, Tech::G2, "MobiFone", "B1")};
        for (std::size_t i = 0; i < inputs.stations.size(); ++i)
            footprints.items.push_back(disk(i, inputs.stations[i], 2000.0));
        int k = 0;
        for (double x : {500.0, 1500.0, 2800.0, 10000.0}) {
            Village v = village({x, 0}, k < 2 ? "Xã Một" : "Xã Hai", k < 2 ? "1" : "2");
            v.id = "V" + std::to_string(k++);
            inputs.villages.push_back(v);
        }
    }
};

std::vector<std::string> names_of(const VillageOperators& o, ServiceClass cls, std::size_t v) {
    std::vector<std::string> out;
    for (std::uint32_t k : o.reach[index_of(cls)][v])
        out.push_back(o.names[k]);
    return out;
}

void expect_two_operators(const VillageOperators& o) {
    using V = std::vector<std::string>;
    EXPECT_EQ(names_of(o, ServiceClass::Any, 0), V{"Viettel"});
    EXPECT_EQ(names_of(o, ServiceClass::Any, 1), (V{"MobiFone", "Viettel"}));
    EXPECT_EQ(names_of(o, ServiceClass::Any, 2), V{"MobiFone"});
    EXPECT_EQ(names_of(o, ServiceClass::Any, 3), V{});
    EXPECT_EQ(names_of(o, ServiceClass::Broadband, 0), V{"Viettel"});
    EXPECT_EQ(names_of(o, ServiceClass::Broadband, 1), V{"Viettel"});
    EXPECT_EQ(names_of(o, ServiceClass::Broadband, 2), V{});
    EXPECT_EQ(o.text(ServiceClass::Any, 1), "MobiFone,Viettel");
    EXPECT_EQ(o.count(ServiceClass::Any, 1), 2u);
    EXPECT_EQ(o.count(ServiceClass::Broadband, 2), 0u);
}

// Flat ground under TwoOperators, the masts 30 m high: signal everywhere within the
// footprints.
Raster<float> flat_ground(TwoOperators& t) {
    for (Station& s : t.inputs.stations)
        s.height_m = 30.0;
    Raster<float> dem;
    dem.grid = {-3000.0, 3000.0, 50.0, 300, 120};
    dem.values.assign(dem.grid.size(), 100.0f);
    return dem;
}

Overlay centres_of(const std::vector<std::vector<bool>>& any_bb) {
    Overlay o;
    for (const auto& v : any_bb) {
        o.villages[kAny].push_back({});
        o.villages[kAny].back().centre = v[0];
        o.villages[kBb].push_back({});
        o.villages[kBb].back().centre = v[1];
    }
    return o;
}

} // namespace

TEST(Units, CodesKeepTwoCommunesOfOneNameApart) {
    PreparedInputs in;
    Classification c;
    // No district level (after the 2025 reform): two "Xã Tân Thành" told apart by code only.
    in.villages = {village({0, 0}, "Xã Tân Thành", "06001"),
                   village({1, 0}, "Xã Tân Thành", "06002"),
                   village({2, 0}, "Xã Tân Thành", "06002")};
    for (int i = 0; i < 3; ++i)
        add_status(c, Status::White, Status::White);
    const Summary s = summarize(in, c);
    const auto communes = rows_of(s, "commune");
    ASSERT_EQ(communes.size(), 2u);
    EXPECT_EQ(communes[0]->commune, "Xã Tân Thành");
    EXPECT_EQ(communes[1]->commune, "Xã Tân Thành");
    EXPECT_EQ(communes[0]->commune_code, "06001");
    EXPECT_EQ(communes[0]->counts[kAny].villages, 1);
    EXPECT_EQ(communes[1]->commune_code, "06002");
    EXPECT_EQ(communes[1]->counts[kAny].villages, 2);
    EXPECT_EQ(communes[1]->province_code, "20");
    // Without codes they are one commune, as before.
    for (auto& v : in.villages)
        v.commune_code.clear();
    EXPECT_EQ(rows_of(summarize(in, c), "commune").size(), 1u);
}

TEST(Units, VillagesAreAssignedToTheUnitHoldingTheirCentreAndTheOthersFlagged) {
    std::vector<Village> villages = {village({5, 5}, "", ""), village({15, 5}, "", ""),
                                     village({50, 50}, "", "")};
    std::vector<AdminUnit> units(2);
    units[0] = {1, "06001", "Bắc Sơn", "commune", "20", box(0, 0, 10, 10)};
    units[1] = {2, "06002", "Đồng Đăng", "ward", "20", box(10, 0, 20, 10)};
    EXPECT_EQ(assign_units(villages, units), 1u);
    EXPECT_EQ(villages[0].unit_code, "06001");
    EXPECT_EQ(villages[0].unit_name, "Bắc Sơn");
    EXPECT_EQ(villages[1].unit_code, "06002");
    EXPECT_EQ(villages[1].unit_level, "ward");
    EXPECT_EQ(villages[1].unit_parent_code, "20");
    EXPECT_TRUE(villages[2].unit_code.empty());
    EXPECT_TRUE(villages[2].has(VillageFlag::OutsideUnits));
    EXPECT_FALSE(villages[0].has(VillageFlag::OutsideUnits));
    EXPECT_EQ(flags_text(villages[2].flags), "outside_units");

    // The summary counts per unit, and the village outside every unit in the flag's count.
    PreparedInputs in;
    in.villages = villages;
    Classification c;
    add_status(c, Status::Covered, Status::Covered);
    add_status(c, Status::White, Status::White);
    add_status(c, Status::White, Status::White);
    const Summary s = summarize(in, c);
    const auto units_rows = rows_of(s, "unit");
    ASSERT_EQ(units_rows.size(), 2u);
    EXPECT_EQ(units_rows[0]->unit_name, "Bắc Sơn");
    EXPECT_EQ(units_rows[0]->counts[kAny].covered, 1);
    EXPECT_EQ(units_rows[1]->unit_name, "Đồng Đăng");
    EXPECT_EQ(units_rows[1]->counts[kAny].white, 1);
    EXPECT_EQ(units_rows[1]->parent_code, "20");
    EXPECT_EQ(units_rows[1]->province, "Lạng Sơn");
    EXPECT_EQ(s.rows.front().flag_counts[static_cast<std::size_t>(VillageFlag::OutsideUnits)], 1);
}

TEST(Units, TheConsoleListsCommunesUnderTheProvinceWithoutDistrictsAndWhatLevelChooses) {
    PreparedInputs in;
    Classification c;
    in.villages = {village({0, 0}, "Xã Tân Thành", "06001"), village({1, 0}, "Xã Vũ Lễ", "06002")};
    add_status(c, Status::White, Status::White);
    add_status(c, Status::Covered, Status::Covered);
    const Summary s = summarize(in, c);
    const std::string table = format_summary(s);
    EXPECT_NE(table.find("  Xã Tân Thành"), std::string::npos) << table;
    EXPECT_NE(table.find("  Xã Vũ Lễ"), std::string::npos) << table;
    const std::string provinces = format_summary(s, "province");
    EXPECT_EQ(provinces.find("Xã Vũ Lễ"), std::string::npos) << provinces;
    EXPECT_NE(provinces.find("Lạng Sơn"), std::string::npos) << provinces;
}

TEST(Operators, InTheVectorModeEachVillageGetsTheOperatorsWhoseFootprintHoldsItsCentre) {
    const TwoOperators t;
    const VillageOperators o =
        operators_at_villages(t.inputs, t.footprints, Overlay{}, nullptr, CoverageOptions{});
    ASSERT_EQ(o.names, (std::vector<std::string>{"MobiFone", "Viettel"}));
    expect_two_operators(o);
    EXPECT_EQ(o.stations[1], (std::vector<std::uint32_t>{0, 1}));
    EXPECT_TRUE(o.stations[3].empty());
}

TEST(Operators, InTheTerrainModeEachOperatorsOwnCoveredCellsDecide) {
    TwoOperators t;
    const Raster<float> dem = flat_ground(t);
    CoverageOptions options;
    const CoverageRaster all =
        model_terrain_coverage(t.inputs.stations, t.footprints, dem, options);
    std::vector<std::vector<bool>> centres;
    for (const Village& v : t.inputs.villages)
        centres.push_back({all.covers(ServiceClass::Any, v.centre),
                           all.covers(ServiceClass::Broadband, v.centre)});
    ASSERT_EQ(centres[1], (std::vector<bool>{true, true}));
    ASSERT_EQ(centres[3], (std::vector<bool>{false, false}));
    const VillageOperators o =
        operators_at_villages(t.inputs, t.footprints, centres_of(centres), &dem, options);
    expect_two_operators(o);
}

// The ITM model keeps, for each village centre's cell, the stations that serve it; the
// operators come from those, with the same answer as a model run per operator and the
// calibration offsets the network was modelled with.
TEST(Operators, InTheItmModelTheNetworksServersAtTheCentresGiveTheOperators) {
    TwoOperators t;
    const Raster<float> dem = flat_ground(t);
    CoverageOptions options;
    options.model = CoverageModel("itm");
    std::vector<XY> centres;
    for (const Village& v : t.inputs.villages)
        centres.push_back(v.centre);
    const ItmCoverage all = model_itm_coverage(t.inputs.stations, t.footprints, dem, options,
                                               nullptr, nullptr, centres);
    ASSERT_EQ(all.probe_servers[kAny].size(), 4u);
    EXPECT_EQ(all.probe_servers[kAny][1], (std::vector<std::uint32_t>{0, 1}));
    EXPECT_EQ(all.probe_servers[kBb][1], std::vector<std::uint32_t>{0});
    EXPECT_TRUE(all.probe_servers[kAny][3].empty());
    std::vector<std::vector<bool>> covered;
    for (const Village& v : t.inputs.villages)
        covered.push_back({all.raster.covers(ServiceClass::Any, v.centre),
                           all.raster.covers(ServiceClass::Broadband, v.centre)});
    const Overlay overlay = centres_of(covered);
    const VillageOperators from_servers =
        operators_at_villages(t.inputs, t.footprints, overlay, &dem, options, &all.probe_servers);
    expect_two_operators(from_servers);
    const VillageOperators remodelled =
        operators_at_villages(t.inputs, t.footprints, overlay, &dem, options);
    EXPECT_EQ(from_servers.reach, remodelled.reach);
    EXPECT_EQ(from_servers.stations, remodelled.stations);

    // A calibration offset that takes MobiFone's 2G below its threshold everywhere: the
    // network's own servers say so.
    options.itm.offset_db[Tech::G2] = -200.0;
    const ItmCoverage calibrated = model_itm_coverage(t.inputs.stations, t.footprints, dem, options,
                                                      nullptr, nullptr, centres);
    EXPECT_EQ(calibrated.probe_servers[kAny][1], std::vector<std::uint32_t>{0});
    EXPECT_TRUE(calibrated.probe_servers[kAny][2].empty());
}

// A cell is covered when its own centre is within reach, so a village's centre can lie a
// little beyond a station's radius in a covered cell. That station's operator reaches the
// village whether or not the run holds other villages that the station reaches (a Dask part
// holds fewer villages than the whole run, and must find the same operators).
TEST(Operators, InTheTerrainModeAStationCoveringTheCentresCellCountsWhateverTheOtherVillages) {
    PreparedInputs inputs;
    inputs.stations = {station({0, 0}, Tech::G4, "Viettel", "A1"),
                       station({-2500, 0}, Tech::G2, "MobiFone", "B1")};
    for (Station& s : inputs.stations)
        s.height_m = 30.0;
    Footprints footprints;
    footprints.items = {disk(0, inputs.stations[0], 2000.0), disk(1, inputs.stations[1], 300.0)};
    // Cells of 50 m from x = -2990: the cell [1960, 2010) x [-25, 25) has its centre (1985, 0)
    // within A's 2,000 m; the village's centre (2005, 0) in it is 2,005 m from A.
    Raster<float> dem;
    dem.grid = {-2990.0, 3025.0, 50.0, 300, 121};
    dem.values.assign(dem.grid.size(), 100.0f);
    const CoverageOptions options;
    const CoverageRaster all = model_terrain_coverage(inputs.stations, footprints, dem, options);
    Village edge = village({2005, 0}, "Xã Một", "1");
    ASSERT_TRUE(all.covers(ServiceClass::Any, edge.centre));
    ASSERT_FALSE(footprints.items[0].covers(edge.centre));
    using V = std::vector<std::string>;
    // Alone, and beside a village that A reaches anyway.
    for (const bool beside : {false, true}) {
        inputs.villages = {edge};
        if (beside)
            inputs.villages.push_back(village({1000, 0}, "Xã Một", "1"));
        std::vector<std::vector<bool>> centres(inputs.villages.size(), {true, true});
        const VillageOperators o =
            operators_at_villages(inputs, footprints, centres_of(centres), &dem, options);
        EXPECT_EQ(names_of(o, ServiceClass::Any, 0), V{"Viettel"}) << "beside " << beside;
        EXPECT_EQ(names_of(o, ServiceClass::Broadband, 0), V{"Viettel"}) << "beside " << beside;
        // Serving stations are the footprints that hold the centre exactly: none here.
        EXPECT_TRUE(o.stations[0].empty());
    }
}

TEST(Operators, SummaryOperatorsCountsAreTheVillagesCountsPerUnit) {
    const TwoOperators t;
    const VillageOperators o =
        operators_at_villages(t.inputs, t.footprints, Overlay{}, nullptr, CoverageOptions{});
    Classification c;
    for (std::size_t i = 0; i < t.inputs.villages.size(); ++i)
        add_status(c, Status::White, Status::White); // the counts do not depend on statuses
    const Summary s = summarize(t.inputs, c, nullptr, 0.9, &o);
    auto find = [&](const std::string& level, const std::string& code, const std::string& op) {
        for (const auto& r : s.operators)
            if (r.level == level && r.commune_code == code && r.operator_name == op)
                return r;
        ADD_FAILURE() << "no row " << level << " " << code << " " << op;
        return OperatorCount{};
    };
    const OperatorCount viettel = find("all", "", "Viettel");
    EXPECT_EQ(viettel.villages_any, 2);
    EXPECT_EQ(viettel.villages_broadband, 2);
    EXPECT_EQ(viettel.only_any, 1);       // village 0
    EXPECT_EQ(viettel.only_broadband, 2); // villages 0 and 1
    EXPECT_EQ(viettel.sites(), 1);
    const OperatorCount mobifone = find("all", "", "MobiFone");
    EXPECT_EQ(mobifone.villages_any, 2);
    EXPECT_EQ(mobifone.villages_broadband, 0);
    EXPECT_EQ(mobifone.only_any, 1); // village 2
    // Per commune: "Xã Hai" (villages 2 and 3) is reached by MobiFone alone.
    const OperatorCount hai = find("commune", "2", "MobiFone");
    EXPECT_EQ(hai.villages_any, 1);
    EXPECT_EQ(hai.only_any, 1);
    EXPECT_EQ(hai.commune, "Xã Hai");
    for (const auto& r : s.operators)
        EXPECT_FALSE(r.level == "commune" && r.commune_code == "2" && r.operator_name == "Viettel");
    // The console lists the operators after the sites.
    const std::string table = format_summary(s);
    EXPECT_NE(table.find("operator"), std::string::npos) << table;
    EXPECT_NE(table.find("MobiFone"), std::string::npos) << table;
}
