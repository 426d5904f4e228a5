// Units and operators: codes that key the summary, villages assigned to the units of
// --units, the console's --level, and the operators reaching each village's centre in the
// vector and the terrain mode, with the summary_operators counts.

#include "whitezone/coverage/itm.hpp"
#include "whitezone/coverage/terrain.hpp"
#include "whitezone/operators.hpp"
#include "whitezone/report.hpp"
#include "whitezone/report/trend.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

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

// Each operator's reach the long way: the model (`run(stations, footprints)`, a
// CoverageRaster) run on that operator's stations alone; a centre is reached where that run
// covers its cell and the overlay's centre is covered.
template <class Run>
PerClass<std::vector<std::vector<std::uint32_t>>>
reach_run_per_operator(const PreparedInputs& in, const Footprints& footprints,
                       const Overlay& overlay, const std::vector<std::string>& names, Run run) {
    PerClass<std::vector<std::vector<std::uint32_t>>> out;
    for (auto& lists : out)
        lists.assign(in.villages.size(), {});
    for (std::uint32_t k = 0; k < names.size(); ++k) {
        std::vector<Station> stations;
        Footprints own;
        for (const Footprint& f : footprints.items)
            if (in.stations[f.station].operator_name == names[k]) {
                own.items.push_back(f);
                own.items.back().station = stations.size();
                stations.push_back(in.stations[f.station]);
            }
        const CoverageRaster cells = run(stations, own);
        for (std::size_t v = 0; v < in.villages.size(); ++v)
            for (ServiceClass cls : kServiceClasses)
                if (overlay.villages[index_of(cls)][v].centre &&
                    cells.covers(cls, in.villages[v].centre))
                    out[index_of(cls)][v].push_back(k);
    }
    return out;
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
    EXPECT_EQ(villages[0].unit_code(), "06001");
    EXPECT_EQ(villages[0].unit_name(), "Bắc Sơn");
    EXPECT_EQ(villages[1].unit_code(), "06002");
    EXPECT_EQ(villages[1].unit_level(), "ward");
    EXPECT_EQ(villages[1].unit_parent_code(), "20");
    EXPECT_TRUE(villages[2].unit_code().empty());
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

TEST(Units, TrendUnitRowsCarryTheSummarysUnitCodesAndNames) {
    PreparedInputs in;
    in.villages = {village({5, 5}, "Xã Cũ", "06100"), village({15, 5}, "Xã Cũ", "06100")};
    std::vector<AdminUnit> units(2);
    units[0] = {1, "06001", "Bắc Sơn", "commune", "20", box(0, 0, 10, 10)};
    units[1] = {2, "06002", "Đồng Đăng", "ward", "20", box(10, 0, 20, 10)};
    ASSERT_EQ(assign_units(in.villages, units), 0u);
    Classification c;
    add_status(c, Status::Covered, Status::Covered);
    add_status(c, Status::White, Status::White);
    const auto rows = trend_unit_rows(2024, in, c);
    std::vector<const TrendUnitRow*> unit_rows;
    for (const auto& r : rows) {
        EXPECT_EQ(r.year, 2024);
        EXPECT_EQ(r.province_code, "20");
        if (r.level == "commune") {
            EXPECT_EQ(r.commune_code, "06100");
        }
        if (r.level == "unit")
            unit_rows.push_back(&r);
    }
    ASSERT_EQ(unit_rows.size(), 2u);
    EXPECT_EQ(unit_rows[0]->unit_code, "06001");
    EXPECT_EQ(unit_rows[0]->unit_name, "Bắc Sơn");
    EXPECT_EQ(unit_rows[0]->unit_level, "commune");
    EXPECT_EQ(unit_rows[0]->parent_code, "20");
    EXPECT_EQ(unit_rows[0]->counts[kAny].covered, 1);
    EXPECT_EQ(unit_rows[1]->unit_code, "06002");
    EXPECT_EQ(unit_rows[1]->unit_name, "Đồng Đăng");
    EXPECT_EQ(unit_rows[1]->counts[kAny].white, 1);
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

TEST(Operators, EachSiteServingAVillageIsListedOncePerOperator) {
    TwoOperators t;
    // A second Viettel cell on site A1 (another technology, a wider disk), and a MobiFone cell
    // under the same site id (a shared tower): A1 serves village 1 for both operators.
    t.inputs.stations.push_back(station({0, 0}, Tech::G2, "Viettel", "A1"));
    t.inputs.stations.push_back(station({0, 0}, Tech::G3, "MobiFone", "A1"));
    for (std::size_t i = 2; i < t.inputs.stations.size(); ++i)
        t.footprints.items.push_back(disk(i, t.inputs.stations[i], 3000.0));
    const VillageOperators o =
        operators_at_villages(t.inputs, t.footprints, Overlay{}, nullptr, CoverageOptions{});
    // Village 1 (x 1500): stations 0 and 2 (Viettel, A1), 1 (MobiFone, B1), 3 (MobiFone, A1).
    EXPECT_EQ(o.stations[1], (std::vector<std::uint32_t>{0, 1, 3}));
    // Village 2 (x 2800): only the wider disks of A1 reach it, and B1.
    EXPECT_EQ(o.stations[2], (std::vector<std::uint32_t>{1, 2, 3}));
}

// The villages are dealt to the threads in ranges; a village's lists must not depend on
// which thread took it or on the villages another thread took (each thread keeps its own
// record of the sites it listed).
TEST(Operators, TheListsDoNotDependOnTheThreadCount) {
    PreparedInputs inputs;
    Footprints footprints;
    const char* operators[] = {"Viettel", "MobiFone", "Vinaphone"};
    for (int k = 0; k < 90; ++k) {
        // 30 sites on a 6 x 5 lattice, 3 cells each; sites shared by two operators.
        const int site = k / 3;
        const XY xy{1000.0 * (site % 6), 1000.0 * (site / 6)};
        const Tech tech = k % 3 == 0 ? Tech::G2 : k % 3 == 1 ? Tech::G3 : Tech::G4;
        inputs.stations.push_back(
            station(xy, tech, operators[(site + k % 2) % 3], "S" + std::to_string(site)));
        footprints.items.push_back(
            disk(inputs.stations.size() - 1, inputs.stations.back(), 700.0 + 150.0 * (k % 4)));
    }
    for (int v = 0; v < 400; ++v)
        inputs.villages.push_back(
            village({-500.0 + 17.0 * (v % 40) * 10.0, -500.0 + 130.0 * (v / 40)}, "Xã", "1"));
    CoverageOptions one, three;
    three.threads = 3;
    const VillageOperators a = operators_at_villages(inputs, footprints, Overlay{}, nullptr, one);
    const VillageOperators b = operators_at_villages(inputs, footprints, Overlay{}, nullptr, three);
    EXPECT_EQ(a.names, (std::vector<std::string>{"MobiFone", "Viettel", "Vinaphone"}));
    EXPECT_EQ(a.names, b.names);
    EXPECT_EQ(a.reach, b.reach);
    EXPECT_EQ(a.stations, b.stations);
    // Not vacuous: villages reached by several operators and served by several sites.
    const auto several = [&](const auto& lists) {
        return std::count_if(lists.begin(), lists.end(),
                             [](const auto& l) { return l.size() > 1; });
    };
    EXPECT_GT(several(a.reach[kAny]), 50);
    EXPECT_GT(several(a.stations), 50);
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
    EXPECT_EQ(from_servers.reach,
              reach_run_per_operator(t.inputs, t.footprints, overlay, from_servers.names,
                                     [&](const std::vector<Station>& s, const Footprints& f) {
                                         return model_itm_coverage(s, f, dem, options).raster;
                                     }));
    const VillageOperators found_here =
        operators_at_villages(t.inputs, t.footprints, overlay, &dem, options);
    EXPECT_EQ(from_servers.reach, found_here.reach);
    EXPECT_EQ(from_servers.stations, found_here.stations);

    // A calibration offset that takes MobiFone's 2G below its threshold everywhere: the
    // network's own servers say so.
    options.itm.offset_db[Tech::G2] = -200.0;
    const ItmCoverage calibrated = model_itm_coverage(t.inputs.stations, t.footprints, dem, options,
                                                      nullptr, nullptr, centres);
    EXPECT_EQ(calibrated.probe_servers[kAny][1], std::vector<std::uint32_t>{0});
    EXPECT_TRUE(calibrated.probe_servers[kAny][2].empty());
}

// Over hills, with three operators: an operator reaches a village centre exactly where a run
// of the model on its own stations alone covers the centre's cell (and the network does),
// in the terrain mode (line of sight, and with knife edges) and in ITM; from the network
// run's servers at the centres or found by operators_at_villages() itself.
TEST(Operators, InTheRasterModesAnOperatorReachesWhereItsOwnStationsAloneWould) {
    PreparedInputs in;
    const char* ops[] = {"Viettel", "MobiFone", "VinaPhone"};
    const Tech techs[] = {Tech::G2, Tech::G4, Tech::G3, Tech::G4, Tech::G5};
    for (int i = 0; i < 10; ++i) {
        Station s = station({-2600.0 + 580.0 * i, 1800.0 * std::sin(1.3 * i)}, techs[i % 5],
                            ops[i % 3], "S" + std::to_string(i));
        s.height_m = 12.0 + 4.0 * (i % 4);
        in.stations.push_back(s);
    }
    for (int k = 0; k < 64; ++k) {
        in.villages.push_back(
            village({-3200.0 + 100.0 * k, 2500.0 * std::cos(0.7 * k)}, "Xã Một", "1"));
        in.villages.back().id = "V" + std::to_string(k);
    }
    Raster<float> hills;
    hills.grid = {-5000.0, 5000.0, 40.0, 250, 250};
    for (int row = 0; row < hills.grid.rows; ++row)
        for (int col = 0; col < hills.grid.cols; ++col) {
            const XY p = hills.grid.centre(col, row);
            hills.values.push_back(
                static_cast<float>(200.0 + 90.0 * std::sin(p.x / 650.0) * std::cos(p.y / 800.0) +
                                   35.0 * std::sin(p.y / 260.0)));
        }
    std::vector<XY> centres;
    for (const Village& v : in.villages)
        centres.push_back(v.centre);

    for (const std::string model : {"terrain", "terrain+diffraction", "itm"}) {
        CoverageOptions options;
        options.radius_m = {
            {Tech::G2, 2500.0}, {Tech::G3, 2000.0}, {Tech::G4, 1800.0}, {Tech::G5, 900.0}};
        options.terrain.diffraction = model == "terrain+diffraction";
        if (model == "itm")
            options.model = CoverageModel("itm");
        const Footprints footprints = model_coverage(in.stations, options);
        auto run = [&](const std::vector<Station>& s, const Footprints& f) {
            return model == "itm" ? model_itm_coverage(s, f, hills, options).raster
                                  : model_terrain_coverage(s, f, hills, options);
        };
        const CoverageRaster all = run(in.stations, footprints);
        std::vector<std::vector<bool>> covered;
        for (const Village& v : in.villages)
            covered.push_back({all.covers(ServiceClass::Any, v.centre),
                               all.covers(ServiceClass::Broadband, v.centre)});
        const Overlay overlay = centres_of(covered);
        const auto servers =
            model == "itm" ? model_itm_coverage(in.stations, footprints, hills, options, nullptr,
                                                nullptr, centres)
                                 .probe_servers
                           : terrain_servers(in.stations, footprints, hills, options, centres);
        const VillageOperators o =
            operators_at_villages(in, footprints, overlay, &hills, options, &servers);
        const auto expected = reach_run_per_operator(in, footprints, overlay, o.names, run);
        EXPECT_EQ(o.reach, expected) << model;
        EXPECT_EQ(operators_at_villages(in, footprints, overlay, &hills, options).reach, expected)
            << model;
        // The hills matter: some centres have more than one operator, some one, some none.
        std::size_t one = 0, more = 0, none = 0;
        for (const auto& list : o.reach[kAny])
            ++(list.empty() ? none : list.size() == 1 ? one : more);
        EXPECT_GT(one, 0u) << model;
        EXPECT_GT(more, 0u) << model;
        EXPECT_GT(none, 0u) << model;
    }
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
            if (s.unit_of(r).level == level && s.unit_of(r).commune_code == code &&
                r.operator_name == op)
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
    EXPECT_EQ(s.unit_of(hai).commune, "Xã Hai");
    for (const auto& r : s.operators)
        EXPECT_FALSE(s.unit_of(r).level == "commune" && s.unit_of(r).commune_code == "2" &&
                     r.operator_name == "Viettel");
    // The console lists the operators after the sites.
    const std::string table = format_summary(s);
    EXPECT_NE(table.find("operator"), std::string::npos) << table;
    EXPECT_NE(table.find("MobiFone"), std::string::npos) << table;
}
