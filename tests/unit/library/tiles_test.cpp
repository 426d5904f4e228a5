// Runs in parts: two halves of a synthetic country, each restricted with its halo of
// stations, give every village the fields of the whole run, and their merged summaries the
// whole run's summary.

#include "whitezone/whitezone.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

using namespace whitezone;

namespace {

Inputs country() {
    GenerateOptions o;
    o.villages = 400;
    o.sites = 250;
    o.seed = 7;
    Inputs in;
    in.prepared = generate_country(o);
    return in;
}

// The default options. validate_config() is not for in-memory runs: it also asks for the
// input files' paths.
Config options() { return Config{}; }

// The two halves of the plane, split at the median village centre's x: together they hold
// every village and every station once.
std::pair<Extent, Extent> halves(const PreparedInputs& p) {
    std::vector<double> xs;
    for (const Village& v : p.villages)
        xs.push_back(v.centre.x);
    std::sort(xs.begin(), xs.end());
    const double mid = xs[xs.size() / 2];
    constexpr double kFar = 1e12;
    return {Extent{-kFar, -kFar, mid, kFar}, Extent{mid, -kFar, kFar, kFar}};
}

void expect_same_counts(const ClassCounts& a, const ClassCounts& b) {
    EXPECT_EQ(a.villages, b.villages);
    EXPECT_EQ(a.covered, b.covered);
    EXPECT_EQ(a.partial, b.partial);
    EXPECT_EQ(a.white, b.white);
    EXPECT_NEAR(a.people_without, b.people_without, 1e-6 * std::max(1.0, a.people_without));
}

} // namespace

TEST(Tiles, TwoHalvesWithHalosGiveEveryVillageTheFieldsOfTheWholeRun) {
    const Config config = options();
    const Context ctx;
    const Inputs all = country();
    const double reach = reach_m(all.prepared.stations, config, ctx);
    ASSERT_GT(reach, 0.0);
    const AnalysisResult whole = analyze(all, config, ctx);
    std::map<std::string, std::size_t> index;
    for (std::size_t v = 0; v < whole.inputs.villages.size(); ++v)
        index[whole.inputs.villages[v].id] = v;

    const auto [left, right] = halves(all.prepared);
    std::size_t seen = 0;
    Summary merged;
    bool first = true;
    for (const Extent& e : {left, right}) {
        Inputs part = restrict_inputs(all, e, reach);
        ASSERT_FALSE(part.prepared.villages.empty());
        ASSERT_LT(part.prepared.villages.size(), all.prepared.villages.size());
        ASSERT_LT(part.prepared.stations.size(), all.prepared.stations.size());
        const AnalysisResult r = analyze(std::move(part), config, ctx);
        for (std::size_t v = 0; v < r.inputs.villages.size(); ++v) {
            const std::size_t w = index.at(r.inputs.villages[v].id);
            ++seen;
            for (ServiceClass cls : kServiceClasses) {
                const auto k = index_of(cls);
                SCOPED_TRACE(r.inputs.villages[v].id + " " + std::string(to_string(cls)));
                const VillageOverlay& a = r.overlay.villages[k][v];
                const VillageOverlay& b = whole.overlay.villages[k][w];
                EXPECT_EQ(a.centre, b.centre);
                EXPECT_EQ(a.share, b.share);
                EXPECT_EQ(a.clusters, b.clusters);
                EXPECT_EQ(a.clusters_without, b.clusters_without);
                const VillageStatus& s = r.classification.villages[k][v];
                const VillageStatus& t = whole.classification.villages[k][w];
                EXPECT_EQ(s.status, t.status);
                EXPECT_EQ(s.basis, t.basis);
                EXPECT_EQ(s.people_without, t.people_without);
            }
        }
        merged = first ? r.summary : merge_summaries(merged, r.summary);
        first = false;
    }
    EXPECT_EQ(seen, whole.inputs.villages.size()); // the halves partition the villages

    // The merged summary is the whole run's: every unit and every site once.
    ASSERT_EQ(merged.rows.size(), whole.summary.rows.size());
    for (std::size_t i = 0; i < merged.rows.size(); ++i) {
        const SummaryRow& a = merged.rows[i];
        const SummaryRow& b = whole.summary.rows[i];
        EXPECT_EQ(a.level, b.level);
        EXPECT_EQ(a.province, b.province);
        EXPECT_EQ(a.district, b.district);
        EXPECT_EQ(a.commune, b.commune);
        for (ServiceClass cls : kServiceClasses)
            expect_same_counts(a.counts[index_of(cls)], b.counts[index_of(cls)]);
    }
    ASSERT_EQ(merged.sites.size(), whole.summary.sites.size());
    for (std::size_t i = 0; i < merged.sites.size(); ++i) {
        EXPECT_EQ(merged.sites[i].operator_name, whole.summary.sites[i].operator_name);
        EXPECT_EQ(merged.sites[i].tech, whole.summary.sites[i].tech);
        EXPECT_EQ(merged.sites[i].sites, whole.summary.sites[i].sites);
        EXPECT_EQ(merged.sites[i].cells, whole.summary.sites[i].cells);
    }
    // And so are the operators per unit: villages reached, alone or not, and sites joined.
    ASSERT_FALSE(whole.summary.operators.empty());
    ASSERT_EQ(merged.operators.size(), whole.summary.operators.size());
    for (std::size_t i = 0; i < merged.operators.size(); ++i) {
        const OperatorCount& a = merged.operators[i];
        const OperatorCount& b = whole.summary.operators[i];
        const SummaryRow& unit = whole.summary.unit_of(b);
        SCOPED_TRACE(unit.level + " " + unit.commune + " " + b.operator_name);
        EXPECT_EQ(merged.unit_of(a).level, unit.level);
        EXPECT_EQ(merged.unit_of(a).commune, unit.commune);
        EXPECT_EQ(merged.unit_of(a).commune_code, unit.commune_code);
        EXPECT_EQ(a.operator_name, b.operator_name);
        EXPECT_EQ(a.sites(), b.sites());
        EXPECT_EQ(merged.site_ids_of(a), whole.summary.site_ids_of(b));
        EXPECT_EQ(a.villages_any, b.villages_any);
        EXPECT_EQ(a.villages_broadband, b.villages_broadband);
        EXPECT_EQ(a.only_any, b.only_any);
        EXPECT_EQ(a.only_broadband, b.only_broadband);
    }
}

TEST(Tiles, AnExtentWithoutVillagesKeepsOnlyItsOwnStations) {
    const Inputs all = country();
    const Extent nowhere{-1e9, -1e9, -1e9 + 1, -1e9 + 1};
    const Inputs part = restrict_inputs(all, nowhere, 1e6);
    EXPECT_TRUE(part.prepared.villages.empty());
    EXPECT_TRUE(part.prepared.stations.empty());
    EXPECT_EQ(part.prepared.work_crs, all.prepared.work_crs);
}

TEST(Tiles, MergingSummariesAddsTheCountsOfTheSameUnit) {
    Summary a, b;
    SummaryRow row{"commune", "P", "", "X", {}};
    row.counts[0] = {3, 1, 1, 1, 10.0};
    row.flagged = 2;
    row.flag_counts[static_cast<std::size_t>(VillageFlag::NoPopulation)] = 2;
    a.rows.push_back({"all", "", "", "", row.counts});
    a.rows.push_back(row);
    row.flagged = 0;
    row.flag_counts = {};
    row.commune = "Y";
    row.counts[0] = {2, 2, 0, 0, 0.0};
    b.rows.push_back({"all", "", "", "", row.counts});
    b.rows.push_back(row);
    row.commune = "X";
    row.counts[0] = {1, 0, 0, 1, 5.0};
    row.flagged = 1;
    row.flag_counts[static_cast<std::size_t>(VillageFlag::NoDem)] = 1;
    b.rows.push_back(row);
    a.sites.push_back({"Viettel", Tech::G4, 2, 3});
    b.sites.push_back({"Viettel", Tech::G4, 1, 1});
    b.sites.push_back({"MobiFone", Tech::G3, 1, 2});

    const Summary m = merge_summaries(a, b);
    ASSERT_EQ(m.rows.size(), 3u); // all, commune X, commune Y
    EXPECT_EQ(m.rows[0].level, "all");
    EXPECT_EQ(m.rows[0].counts[0].villages, 5);
    EXPECT_EQ(m.rows[1].commune, "X");
    EXPECT_EQ(m.rows[1].counts[0].villages, 4);
    EXPECT_EQ(m.rows[1].counts[0].white, 2);
    EXPECT_DOUBLE_EQ(m.rows[1].counts[0].people_without, 15.0);
    EXPECT_EQ(m.rows[2].commune, "Y");
    ASSERT_EQ(m.sites.size(), 2u);
    EXPECT_EQ(m.sites[0].operator_name, "MobiFone");
    EXPECT_EQ(m.rows[1].flagged, 3);
    EXPECT_EQ(m.rows[1].flag_counts[static_cast<std::size_t>(VillageFlag::NoPopulation)], 2);
    EXPECT_EQ(m.rows[1].flag_counts[static_cast<std::size_t>(VillageFlag::NoDem)], 1);
    EXPECT_EQ(m.sites[1].sites, 3);
    EXPECT_EQ(m.sites[1].cells, 4);
}

TEST(Tiles, MergingSummariesJoinsAnOperatorsSitesOnceEachInOrder) {
    // One commune split between two parts: a site serving villages of both counts once.
    Summary a, b;
    a.site_ids = {"S10", "S2", "S4"};
    b.site_ids = {"S1", "S2", "S3"};
    SummaryRow all{"all", "", "", "", {}}, x{"commune", "", "", "X", {}};
    a.rows = {all, x};
    b.rows = {all, x};
    OperatorCount c;
    c.row = 1; // commune X
    c.operator_name = "Viettel";
    c.site_numbers = {0, 1}; // S10, S2
    c.villages_any = 1;
    a.operators.push_back(c);
    c.site_numbers = {0, 1, 2}; // S1, S2, S3
    c.villages_any = 2;
    b.operators.push_back(c);

    const Summary m = merge_summaries(a, b);
    ASSERT_EQ(m.operators.size(), 1u);
    EXPECT_EQ(m.unit_of(m.operators[0]).commune, "X");
    EXPECT_EQ(m.site_ids_of(m.operators[0]), (std::vector<std::string>{"S1", "S10", "S2", "S3"}));
    EXPECT_EQ(m.operators[0].sites(), 4);
    EXPECT_EQ(m.operators[0].villages_any, 3);
}

// Two villages, west (centre x 500) and east (x 5500), a settlement in each, and three
// stations: one in the west, one just east of the split (x 3100, within reach of the west
// village), one far east (x 9000).
TEST(Tiles, ARestrictedPartKeepsItsSettlementsAndMarksTheStationsOfOtherParts) {
    Inputs in;
    PreparedInputs& p = in.prepared;
    for (double x0 : {0.0, 5000.0}) {
        Village v;
        v.row = static_cast<std::int64_t>(p.villages.size()) + 1;
        v.id = "V" + std::to_string(v.row);
        v.area = {Polygon{{{{x0, 0}, {x0 + 1000, 0}, {x0 + 1000, 1000}, {x0, 1000}, {x0, 0}}}}};
        v.centre = {x0 + 500, 500};
        p.villages.push_back(v);
    }
    p.settlements =
        std::vector<Settlement>{{1, {200, 200}, 0, {}, {}}, {2, {5200, 200}, 1, {}, {}}};
    const double xs[] = {500, 3100, 9000};
    for (double x : xs) {
        Station s;
        s.row = static_cast<std::int64_t>(p.stations.size()) + 1;
        s.xy = {x, 500};
        s.site_id = "S" + std::to_string(s.row);
        p.stations.push_back(s);
    }

    const Inputs east = restrict_inputs(in, Extent{3000, -1e9, 1e9, 1e9}, 2500.0);
    ASSERT_EQ(east.prepared.villages.size(), 1u);
    EXPECT_EQ(east.prepared.villages[0].id, "V2");
    ASSERT_TRUE(east.prepared.settlements.has_value());
    ASSERT_EQ(east.prepared.settlements->size(), 1u);
    EXPECT_EQ(east.prepared.settlements->front().row, 2);
    EXPECT_EQ(east.prepared.settlements->front().village, 0); // renumbered
    ASSERT_EQ(east.prepared.stations.size(), 2u);             // S2 and S3, both its own
    EXPECT_EQ(east.halo, (std::vector<char>{0, 0}));

    const Inputs west = restrict_inputs(in, Extent{-1e9, -1e9, 3000, 1e9}, 2500.0);
    ASSERT_EQ(west.prepared.villages.size(), 1u);
    ASSERT_EQ(west.prepared.stations.size(), 2u); // S1, and S2 within 2,500 m of V1
    EXPECT_EQ(west.prepared.stations[1].site_id, "S2");
    EXPECT_EQ(west.halo, (std::vector<char>{0, 1}));
    EXPECT_EQ(west.prepared.settlements->front().village, 0);
}

// A site (an operator's site id) counts in the part of its first cell, even when a later cell
// of it lies in another part's box: given the first cells or not, the parts agree.
TEST(Tiles, ASiteCountsInThePartOfItsFirstCellWhereverItsOtherCellsLie) {
    Inputs in;
    PreparedInputs& p = in.prepared;
    Village v;
    v.id = "V1";
    v.centre = {500, 500};
    p.villages.push_back(v);
    // A's site 1 at x = 500 then again at x = 900 (another cell), B's site 1 at x = 700.
    for (const auto& [x, op] : {std::pair{500.0, "A"}, {700.0, "B"}, {900.0, "A"}}) {
        Station s;
        s.row = static_cast<std::int64_t>(p.stations.size()) + 1;
        s.xy = {x, 500};
        s.operator_name = op;
        s.site_id = "1";
        p.stations.push_back(s);
    }
    const std::vector<std::size_t> first = first_station_of_sites(p);
    EXPECT_EQ(first, (std::vector<std::size_t>{0, 1, 0}));
    // The third cell is marked as this part's own, but its site's first cell is not.
    const std::vector<char> own{0, 1, 1};
    for (const std::vector<std::size_t>* given : {&first, static_cast<decltype(&first)>(nullptr)}) {
        const Inputs part = restrict_inputs(in, {1}, own, 1000.0, nullptr, given);
        ASSERT_EQ(part.prepared.stations.size(), 3u);
        EXPECT_EQ(part.halo, (std::vector<char>{1, 0, 1}));
        EXPECT_EQ(part.prepared.site_count, 2u);
    }
}

// The Dask driver's parts by province: villages chosen by a mask, each site given to one part.
TEST(Tiles, PartsChosenByMasksGiveEveryVillageTheStatusOfTheWholeRunAndEverySiteOnce) {
    const Config config = options();
    const Context ctx;
    const Inputs all = country();
    const double reach = reach_m(all.prepared.stations, config, ctx);
    const AnalysisResult whole = analyze(all, config, ctx);
    const auto [left, right] = halves(all.prepared); // stations owned by their half
    const std::size_t nv = all.prepared.villages.size();
    const std::size_t ns = all.prepared.stations.size();
    std::size_t villages_seen = 0, own_seen = 0;
    for (int part = 0; part < 2; ++part) {
        // Odd and even villages: parts that are no box at all.
        std::vector<char> villages(nv, 0), own(ns, 0);
        for (std::size_t v = 0; v < nv; ++v)
            villages[v] = static_cast<char>(v % 2 == static_cast<std::size_t>(part));
        const Extent& e = part == 0 ? left : right;
        for (std::size_t i = 0; i < ns; ++i) {
            const XY p = all.prepared.stations[i].xy;
            own[i] = static_cast<char>(p.x >= e.minx && p.x < e.maxx);
        }
        std::vector<std::size_t> station_index;
        Inputs in = restrict_inputs(all, villages, own, reach, &station_index);
        ASSERT_EQ(station_index.size(), in.prepared.stations.size());
        for (std::size_t k = 0; k < station_index.size(); ++k) {
            EXPECT_EQ(in.prepared.stations[k].site_id,
                      all.prepared.stations[station_index[k]].site_id);
            own_seen += in.halo[k] == 0 ? 1 : 0;
        }
        const AnalysisResult r = analyze(std::move(in), config, ctx);
        for (std::size_t v = 0, k = 0; v < nv; ++v) {
            if (!villages[v])
                continue;
            ++villages_seen;
            for (ServiceClass cls : kServiceClasses) {
                const auto c = index_of(cls);
                EXPECT_EQ(r.overlay.villages[c][k].share, whole.overlay.villages[c][v].share);
                EXPECT_EQ(r.classification.villages[c][k].status,
                          whole.classification.villages[c][v].status);
                EXPECT_EQ(r.classification.villages[c][k].people_without,
                          whole.classification.villages[c][v].people_without);
            }
            ++k;
        }
    }
    EXPECT_EQ(villages_seen, nv);
    EXPECT_EQ(own_seen, ns); // every station counted in exactly one part
}
