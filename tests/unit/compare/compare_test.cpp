// Comparing two runs (compare.hpp, docs/compare.md): the transitions, matching by id and by
// place, new and gone villages, the counts per unit and the layers' definitions.

#include "whitezone/compare.hpp"
#include "whitezone/error.hpp"

#include "common/text.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace whitezone {
namespace {

using S = Status;
using T = Transition;

constexpr const char* kUtm48 = "EPSG:32648";

// A square village of side 100 m with its lower-left corner at (x, y), its centre in the
// middle, the same status in both classes unless `broadband` is given.
CompareVillage square(std::string id, double x, double y, Status any,
                      std::optional<Status> broadband = std::nullopt) {
    CompareVillage v;
    v.id = std::move(id);
    v.area = {Polygon{{Ring{{x, y}, {x + 100, y}, {x + 100, y + 100}, {x, y + 100}, {x, y}}}}};
    v.centre = {x + 50, y + 50};
    v.status = {any, broadband.value_or(any)};
    v.province = "Lạng Sơn";
    return v;
}

CompareVillage point(std::string id, double x, double y, Status s) {
    CompareVillage v;
    v.id = std::move(id);
    v.centre = {x, y};
    v.status = {s, s};
    return v;
}

CompareOptions tolerance(double metres) {
    CompareOptions options;
    options.match_tolerance_m = metres;
    return options;
}

CompareSide side(std::vector<CompareVillage> villages) {
    return CompareSide{"test", kUtm48, std::move(villages)};
}

// The change of the later run's village `after_id` (or the earlier's `before_id` when gone).
const VillageChange& change_of(const Comparison& c, const std::string& id) {
    for (const auto& ch : c.changes) {
        const auto& v = ch.after >= 0 ? c.after.villages[static_cast<std::size_t>(ch.after)]
                                      : c.before.villages[static_cast<std::size_t>(ch.before)];
        if (v.id == id)
            return ch;
    }
    throw std::runtime_error("no change for " + id);
}

TEST(Transitions, EveryPairOfStatusesHasItsDocumentedTransition) {
    EXPECT_EQ(transition_of(S::White, S::Covered), T::NewlyCovered);
    EXPECT_EQ(transition_of(S::White, S::Partial), T::NewlyPartial);
    EXPECT_EQ(transition_of(S::Partial, S::Covered), T::Improved);
    EXPECT_EQ(transition_of(S::Partial, S::White), T::NewlyWhite);
    EXPECT_EQ(transition_of(S::Covered, S::White), T::NewlyWhite);
    EXPECT_EQ(transition_of(S::Covered, S::Partial), T::Worsened);
    for (Status s : {S::White, S::Partial, S::Covered}) {
        EXPECT_EQ(transition_of(s, s), T::Unchanged);
        EXPECT_EQ(transition_of(std::nullopt, s), T::NewVillage);
        EXPECT_EQ(transition_of(s, std::nullopt), T::GoneVillage);
    }
}

TEST(Transitions, NamesAreTheFieldValuesOfTheDocs) {
    std::set<std::string> names;
    for (Transition t : kTransitions)
        names.insert(std::string(to_string(t)));
    EXPECT_EQ(names,
              (std::set<std::string>{"newly_covered", "newly_partial", "improved", "newly_white",
                                     "worsened", "unchanged", "new_village", "gone_village"}));
}

TEST(Compare, VillagesWithTheSameIdAreMatchedByIdEvenWhenTheyMoved) {
    // v1 moved 5 km (a redrawn polygon) but kept its id; v2 stayed.
    const Comparison c = compare_results(
        side({square("v1", 0, 0, S::White), square("v2", 1000, 0, S::Partial)}),
        side({square("v2", 1000, 0, S::Covered), square("v1", 5000, 0, S::Covered)}));
    ASSERT_EQ(c.changes.size(), 2u);
    const VillageChange& v1 = change_of(c, "v1");
    EXPECT_EQ(v1.matched_by, MatchKind::Id);
    EXPECT_NEAR(v1.match_distance_m, 5000.0, 1e-9);
    EXPECT_EQ(v1.transition[index_of(ServiceClass::Any)], T::NewlyCovered);
    const VillageChange& v2 = change_of(c, "v2");
    EXPECT_EQ(v2.matched_by, MatchKind::Id);
    EXPECT_EQ(v2.transition[index_of(ServiceClass::Broadband)], T::Improved);
}

TEST(Compare, AVillageWhoseIdChangedIsMatchedByItsPlace) {
    // The same square, renumbered from "old-7" to "new-7"; a neighbour 2 km away is not it.
    const Comparison c =
        compare_results(side({square("old-7", 0, 0, S::Covered), square("x", 2000, 0, S::White)}),
                        side({square("new-7", 0, 0, S::Partial), square("x", 2000, 0, S::White)}));
    const VillageChange& v = change_of(c, "new-7");
    EXPECT_EQ(v.matched_by, MatchKind::Geometry);
    EXPECT_EQ(c.before.villages[static_cast<std::size_t>(v.before)].id, "old-7");
    EXPECT_EQ(v.transition[index_of(ServiceClass::Any)], T::Worsened);
    EXPECT_EQ(change_of(c, "x").transition[0], T::Unchanged);
}

TEST(Compare, PointVillagesAreMatchedByTheNearestCentreWithinTheTolerance) {
    // a: 120 m from A (matched); b: 900 m from B (beyond 300 m: new and gone).
    const Comparison c =
        compare_results(side({point("A", 0, 0, S::White), point("B", 5000, 0, S::White)}),
                        side({point("a", 120, 0, S::Covered), point("b", 5900, 0, S::Covered)}));
    EXPECT_EQ(change_of(c, "a").matched_by, MatchKind::Geometry);
    EXPECT_NEAR(change_of(c, "a").match_distance_m, 120.0, 1e-9);
    EXPECT_EQ(change_of(c, "b").transition[0], T::NewVillage);
    EXPECT_EQ(change_of(c, "B").transition[0], T::GoneVillage);
    // With a wider tolerance they match.
    const Comparison wide = compare_results(
        side({point("A", 0, 0, S::White), point("B", 5000, 0, S::White)}),
        side({point("a", 120, 0, S::Covered), point("b", 5900, 0, S::Covered)}), tolerance(1000.0));
    EXPECT_EQ(change_of(wide, "b").matched_by, MatchKind::Geometry);
    EXPECT_EQ(wide.changes.size(), 2u);
}

TEST(Compare, NewAndGoneVillagesAreListedNotDropped) {
    const Comparison c =
        compare_results(side({square("a", 0, 0, S::White), square("gone", 9000, 0, S::Covered)}),
                        side({square("a", 0, 0, S::White), square("new", 20000, 0, S::White)}));
    ASSERT_EQ(c.changes.size(), 3u);
    // The later run's villages in its order, then the gone ones.
    EXPECT_EQ(c.changes[0].before, 0);
    EXPECT_EQ(c.changes[1].before, -1);
    EXPECT_EQ(c.changes[1].matched_by, MatchKind::None);
    EXPECT_EQ(c.changes[1].transition[0], T::NewVillage);
    EXPECT_EQ(c.changes[2].after, -1);
    EXPECT_EQ(c.changes[2].transition[1], T::GoneVillage);
    const ChangeCounts& all = c.rows.front().counts[0];
    EXPECT_EQ(all.count(T::NewVillage), 1);
    EXPECT_EQ(all.count(T::GoneVillage), 1);
    EXPECT_EQ(all.count(T::Unchanged), 1);
}

TEST(Compare, DuplicatedIdsFallBackToMatchingByPlace) {
    // Two villages "d" in the earlier run: the id says nothing, their places do.
    const Comparison c =
        compare_results(side({square("d", 0, 0, S::White), square("d", 3000, 0, S::Covered)}),
                        side({square("e", 3000, 0, S::Covered), square("f", 0, 0, S::Partial)}));
    EXPECT_EQ(change_of(c, "e").matched_by, MatchKind::Geometry);
    EXPECT_EQ(change_of(c, "e").transition[0], T::Unchanged);
    EXPECT_EQ(change_of(c, "f").transition[0], T::NewlyPartial);
}

TEST(Compare, EachSidesRatesCountItsOwnVillagesPerUnitInVietnameseOrder) {
    auto in = [](CompareVillage v, std::string district, std::string commune) {
        v.district = std::move(district);
        v.commune = std::move(commune);
        return v;
    };
    const Comparison c =
        compare_results(side({in(square("1", 0, 0, S::White), "Bình Gia", "Xã 10"),
                              in(square("2", 1000, 0, S::Covered), "Bắc Sơn", "Xã 2"),
                              in(square("3", 2000, 0, S::Partial), "Bắc Sơn", "Xã 2")}),
                        side({in(square("1", 0, 0, S::Covered), "Bình Gia", "Xã 10"),
                              in(square("2", 1000, 0, S::Covered), "Bắc Sơn", "Xã 2"),
                              in(square("3", 2000, 0, S::White), "Bắc Sơn", "Xã 2"),
                              in(square("4", 8000, 0, S::White), "Bắc Sơn", "Xã 2")}));
    std::vector<std::string> order;
    for (const auto& r : c.rows)
        order.push_back(r.level + ":" + r.district + ":" + r.commune);
    EXPECT_EQ(order, (std::vector<std::string>{"all::", "province::", "district:Bắc Sơn:",
                                               "district:Bình Gia:", "commune:Bắc Sơn:Xã 2",
                                               "commune:Bình Gia:Xã 10"}));
    const ChangeCounts& bac_son = c.rows[2].counts[index_of(ServiceClass::Any)];
    EXPECT_EQ(bac_son.before.villages, 2);
    EXPECT_EQ(bac_son.after.villages, 3);
    EXPECT_DOUBLE_EQ(bac_son.before.coverage_rate(), 0.5);
    EXPECT_DOUBLE_EQ(bac_son.after.coverage_rate(), 1.0 / 3.0);
    EXPECT_DOUBLE_EQ(bac_son.before.signal_rate(), 1.0);
    EXPECT_EQ(bac_son.after.white, 2);
    EXPECT_EQ(bac_son.count(T::NewlyWhite), 1);
    EXPECT_EQ(bac_son.count(T::NewVillage), 1);
    EXPECT_EQ(c.rows[3].counts[0].count(T::NewlyCovered), 1);
    // The totals add up: every village of either run once.
    long sum = 0;
    for (Transition t : kTransitions)
        sum += c.rows.front().counts[0].count(t);
    EXPECT_EQ(sum, static_cast<long>(c.changes.size()));
}

// A village in unit `code` of --units.
CompareVillage in_unit(CompareVillage v, std::string code, std::string name) {
    v.unit_code = std::move(code);
    v.unit_name = std::move(name);
    return v;
}

TEST(Compare, UnitsOfUnitsAreRowsKeyedByTheirCodeAfterTheCommunes) {
    // Two units of one name stay apart by code; "b" moved from U2 to U1 (a boundary change);
    // "c" is outside every unit this year.
    const Comparison c =
        compare_results(side({in_unit(square("a", 0, 0, S::White), "U1", "Xã Một"),
                              in_unit(square("b", 1000, 0, S::White), "U2", "Xã Một"),
                              in_unit(square("c", 2000, 0, S::Covered), "U2", "Xã Một")}),
                        side({in_unit(square("a", 0, 0, S::Covered), "U1", "Xã Một"),
                              in_unit(square("b", 1000, 0, S::Covered), "U1", "Xã Một"),
                              square("c", 2000, 0, S::White)}));
    EXPECT_FALSE(c.before_units_borrowed);
    EXPECT_FALSE(c.after_units_borrowed);
    std::vector<std::string> units;
    for (const auto& r : c.rows)
        if (r.level == "unit")
            units.push_back(r.unit_code + ":" + r.unit_name + ":" + r.province);
    EXPECT_EQ(units, (std::vector<std::string>{"U1:Xã Một:Lạng Sơn", "U2:Xã Một:Lạng Sơn"}));
    EXPECT_EQ(c.rows.back().level, "unit");
    auto counts = [&](const std::string& code) -> const ChangeCounts& {
        for (const auto& r : c.rows)
            if (r.level == "unit" && r.unit_code == code)
                return r.counts[index_of(ServiceClass::Any)];
        throw std::runtime_error("no unit " + code);
    };
    // Each side by its own units; the transitions under this year's unit.
    EXPECT_EQ(counts("U1").before.villages, 1);
    EXPECT_EQ(counts("U1").after.villages, 2);
    EXPECT_EQ(counts("U1").count(T::NewlyCovered), 2);
    EXPECT_EQ(counts("U2").before.villages, 2);
    EXPECT_EQ(counts("U2").after.villages, 0);
    EXPECT_EQ(counts("U2").count(T::NewlyWhite), 0) << "c is in no unit this year";
    EXPECT_EQ(c.rows.front().counts[0].count(T::NewlyWhite), 1);
}

TEST(Compare, ARunWithoutUnitsIsCountedInTheUnitsOfItsMatchedVillages) {
    // Last year without --units, this year with: "a" and "b" matched (by id and by place),
    // "gone" matched nothing and stays in no unit.
    CompareVillage renamed = square("old-b", 1000, 0, S::White);
    const Comparison c = compare_results(
        side({square("a", 0, 0, S::White), renamed, square("gone", 50000, 0, S::White)}),
        side({in_unit(square("a", 0, 0, S::Covered), "U1", "Xã Một"),
              in_unit(square("b", 1000, 0, S::White), "U2", "Xã Hai")}));
    EXPECT_TRUE(c.before_units_borrowed);
    EXPECT_FALSE(c.after_units_borrowed);
    EXPECT_EQ(c.units_unplaced, 1);
    std::map<std::string, const ChangeRow*> units;
    for (const auto& r : c.rows)
        if (r.level == "unit")
            units[r.unit_code] = &r;
    ASSERT_EQ(units.size(), 2u);
    const ChangeCounts& u1 = units.at("U1")->counts[0];
    EXPECT_EQ(u1.before.villages, 1);
    EXPECT_EQ(u1.before.white, 1);
    EXPECT_EQ(u1.count(T::NewlyCovered), 1);
    const ChangeCounts& u2 = units.at("U2")->counts[0];
    EXPECT_EQ(u2.before.villages, 1);
    EXPECT_EQ(u2.count(T::Unchanged), 1);
    EXPECT_EQ(units.at("U2")->unit_name, "Xã Hai");
    EXPECT_EQ(c.rows.front().counts[0].before.villages, 3) << "the gone village still counts";

    // The other way round: this year without units takes last year's.
    const Comparison back =
        compare_results(side({in_unit(square("a", 0, 0, S::White), "U1", "Xã Một")}),
                        side({square("a", 0, 0, S::Covered), square("new", 9000, 0, S::White)}));
    EXPECT_TRUE(back.after_units_borrowed);
    EXPECT_EQ(back.units_unplaced, 1);
    EXPECT_EQ(back.rows.back().unit_code, "U1");
    EXPECT_EQ(back.rows.back().counts[0].after.villages, 1);
}

TEST(Compare, TheEarlierRunIsReprojectedIntoTheLaterRunsCrs) {
    // The same point in WGS 84 and in UTM 48N (105.0 E, 21.0 N; 30 m apart).
    CompareSide before{"before", "EPSG:4326", {point("x", 105.0, 21.0, S::White)}};
    before.villages[0].id = "old";
    CompareSide after{"after", kUtm48, {point("new", 500000.0, 2322177.6, S::Covered)}};
    const Comparison c = compare_results(std::move(before), std::move(after));
    ASSERT_EQ(c.changes.size(), 1u);
    EXPECT_EQ(c.changes[0].matched_by, MatchKind::Geometry);
    EXPECT_NEAR(c.changes[0].match_distance_m, 30.0, 0.1);
}

// A result read back from a GeoPackage records its CRS as WKT; this run's work CRS may be
// "EPSG:32648": the same CRS, so the earlier run's coordinates are kept as they are.
TEST(Compare, ACrsWrittenDifferentlyIsTheSameCrsAndMovesNothing) {
    const double x = 500123.456789, y = 2322177.123456;
    CompareSide before{"before",
                       "+proj=utm +zone=48 +datum=WGS84 +units=m +no_defs +type=crs",
                       {square("a", x, y, S::White)}};
    const Comparison c = compare_results(std::move(before), side({square("a", x, y, S::Covered)}));
    ASSERT_EQ(c.before.villages.size(), 1u);
    EXPECT_EQ(c.before.crs_wkt, kUtm48);
    EXPECT_TRUE(test::same_area(c.before.villages[0].area, square("a", x, y, S::White).area));
    EXPECT_EQ(c.changes[0].transition[0], T::NewlyCovered);
}

// Polygons are moved ring by ring with their centres; a point PROJ cannot move names the
// village and its coordinates as the file holds them.
TEST(Compare, TheEarlierRunsPolygonsAreReprojectedAndABadPointIsNamed) {
    CompareVillage v;
    v.id = "old";
    v.area = {Polygon{{Ring{{104.999, 20.999},
                            {105.001, 20.999},
                            {105.001, 21.001},
                            {104.999, 21.001},
                            {104.999, 20.999}}}}};
    v.centre = {105.0, 21.0};
    v.status = {S::White, S::White};
    CompareSide before{"before.gpkg", "EPSG:4326", {v}};
    const Comparison c = compare_results(
        before, side({point("new", 500000.0, 2322177.6 + 30.0, S::Covered)}), tolerance(0.0));
    ASSERT_EQ(c.changes.size(), 1u);
    EXPECT_EQ(c.changes[0].matched_by, MatchKind::Geometry); // its centre inside the square
    const Ring& ring = c.before.villages[0].area[0].rings[0];
    ASSERT_EQ(ring.size(), 5u);
    EXPECT_NEAR(ring[0].x, 499896.0, 1.0);  // 0.001° (104 m) west of the central meridian
    EXPECT_NEAR(ring[0].y, 2322037.0, 1.0); // 0.001° (110.7 m) south of 21° N
    EXPECT_TRUE(ring.front().x == ring.back().x && ring.front().y == ring.back().y);

    before.villages[0].area[0].rings[0][2] = {105.001, 95.0}; // no such latitude
    const std::string msg = test::message_of<InputError>(
        [&] { compare_results(before, side({point("new", 500000.0, 2322177.6, S::Covered)})); });
    EXPECT_NE(msg.find("compare: before.gpkg: village id 'old': its coordinates (105.001000, "
                       "95.000000) cannot be transformed into"),
              std::string::npos)
        << msg;
}

TEST(Compare, ANegativeToleranceIsRefusedWithItsName) {
    try {
        compare_results(side({}), side({}), tolerance(-1.0));
        FAIL() << "no error";
    } catch (const OptionError& e) {
        EXPECT_EQ(e.option(), "compare.match_tolerance_m");
    }
}

TEST(Compare, TheConsoleTableShowsTheUnitsAndTheUnmatchedCount) {
    const Comparison c =
        compare_results(side({square("a", 0, 0, S::White)}),
                        side({square("a", 0, 0, S::Covered), square("b", 9000, 0, S::White)}));
    const std::string table = format_comparison(c);
    EXPECT_NE(table.find("Lạng Sơn"), std::string::npos) << table;
    EXPECT_NE(table.find("1 matched by id"), std::string::npos) << table;
    EXPECT_NE(table.find("1 only after (new)"), std::string::npos) << table;
}

TEST(CompareLayers, CompareWritesChangesAndChangeSummaryOnly) {
    EXPECT_EQ(output_layer_names({.analysis = false, .changes = true}),
              (std::vector<std::string>{"changes", "change_summary"}));
    const auto layers = output_layers({.analysis = false, .changes = true});
    std::vector<std::string> names;
    for (const auto& col : layers[0].columns)
        names.push_back(col.name);
    EXPECT_EQ(names, (std::vector<std::string>{
                         "village_id", "village_id_before", "name", "province", "district",
                         "commune", "matched_by", "match_distance_m", "status_before_any",
                         "status_before_broadband", "status_after_any", "status_after_broadband",
                         "transition_any", "transition_broadband"}));
    EXPECT_EQ(layers[1].geometry, GeometryType::None);
    EXPECT_EQ(layers[1].columns.size(), 6u + 2u * (12u + kTransitions.size()));
    EXPECT_EQ(layers[1].columns[4].name, "unit_code");
    EXPECT_EQ(layers[1].columns[5].name, "unit_name");
}

TEST(CompareLayers, TheBaselineAddsSinceLastYearColumnsToTheSummary) {
    const auto plain = output_layers({});
    const auto since = output_layers({.baseline = true});
    ASSERT_EQ(since[3].name, "summary");
    ASSERT_EQ(since[3].columns.size(), plain[3].columns.size() + 10u);
    EXPECT_EQ(since[3].columns[plain[3].columns.size()].name, "villages_before_any");
    EXPECT_EQ(since[3].columns.back().name, "newly_white_broadband");
}

TEST(CompareLayers, ShapefileNamesFitDBaseAndAreUnique) {
    for (const auto& l : output_layers({.changes = true, .baseline = true})) {
        std::set<std::string> shp;
        for (const auto& col : l.columns) {
            EXPECT_LE(col.shapefile_name.size(), 10u) << l.name << "." << col.name;
            EXPECT_TRUE(shp.insert(text::lower(col.shapefile_name)).second)
                << l.name << "." << col.shapefile_name;
        }
    }
}

} // namespace
} // namespace whitezone
