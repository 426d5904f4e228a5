#include "whitezone/config.hpp"
#include "whitezone/error.hpp"
#include "whitezone/plan.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <tuple>

using namespace whitezone;

namespace {

// Villages with their people without signal; one status for both classes.
struct Case {
    PreparedInputs inputs;
    Classification classification;

    void add(XY centre, double people, Status status = Status::White) {
        Village v;
        v.row = static_cast<std::int64_t>(inputs.villages.size()) + 1;
        v.id = "V" + std::to_string(v.row);
        v.centre = centre;
        v.population = people;
        inputs.villages.push_back(v);
        for (auto& per_class : classification.villages)
            per_class.push_back(
                {status, StatusBasis::Centre, status == Status::Covered ? 0.0 : people});
    }
    [[nodiscard]] std::vector<PlanCandidate> gaps() const {
        return gap_candidates(inputs, classification, ServiceClass::Broadband);
    }
};

constexpr double kRadius = 3500.0;

// Four white villages and one covered one (x in km, y = 0); a new site reaches 3.5 km:
//
//   A(100) --3-- B(60) --3-- C(60) ------- 30 ------- D(150)      E (covered, at 60 km)
//
// A site at A covers A, B (160 people); at B: A, B, C (220); at C: B, C (120); at D: D (150).
Case line_case() {
    Case c;
    c.add({0, 0}, 100);
    c.add({3000, 0}, 60);
    c.add({6000, 0}, 60);
    c.add({36000, 0}, 150);
    c.add({60000, 0}, 80, Status::Covered);
    return c;
}

PlanOptions budget(std::size_t n) {
    PlanOptions o;
    o.budget = n;
    return o;
}

} // namespace

TEST(Plan, GreedyTakesTheSiteThatReachesMostPeopleFirst) {
    const Case c = line_case();
    const Plan p = plan_sites(c.inputs, c.classification, c.gaps(), budget(5), kRadius);
    ASSERT_EQ(p.sites.size(), 2u);
    EXPECT_EQ(p.sites[0].village_id, "V2"); // B: 220 people
    EXPECT_EQ(p.sites[0].new_villages, 3);
    EXPECT_DOUBLE_EQ(p.sites[0].new_people, 220.0);
    EXPECT_EQ(p.sites[0].villages, (std::vector<std::size_t>{0, 1, 2}));
    EXPECT_EQ(p.sites[1].village_id, "V4"); // D: 150; A and C now gain nothing
    EXPECT_DOUBLE_EQ(p.sites[1].new_people, 150.0);
    EXPECT_DOUBLE_EQ(p.sites[1].cumulative_people, 370.0);
    EXPECT_EQ(p.sites[0].pick, 1);
    EXPECT_EQ(p.sites[1].pick, 2);
    EXPECT_EQ(p.sites[0].source, CandidateSource::GapVillage);
    EXPECT_EQ(p.stop, PlanStop::TargetRate); // every village covered: the default rate 1
    EXPECT_EQ(p.candidates, 4u);
    EXPECT_DOUBLE_EQ(p.start_rate, 0.2);
    EXPECT_DOUBLE_EQ(p.sites[0].reached_rate, 0.8);
    EXPECT_DOUBLE_EQ(p.sites[1].reached_rate, 1.0);
}

TEST(Plan, BudgetStopsTheChoice) {
    const Case c = line_case();
    const Plan p = plan_sites(c.inputs, c.classification, c.gaps(), budget(1), kRadius);
    ASSERT_EQ(p.sites.size(), 1u);
    EXPECT_EQ(p.sites[0].village_id, "V2");
    EXPECT_EQ(p.stop, PlanStop::Budget);
    const Plan none = plan_sites(c.inputs, c.classification, c.gaps(), budget(0), kRadius);
    EXPECT_TRUE(none.sites.empty());
    EXPECT_EQ(none.stop, PlanStop::Budget);
}

TEST(Plan, TargetRateStopsOnceEnoughVillagesAreCovered) {
    const Case c = line_case();
    PlanOptions o = budget(5);
    o.target_rate = 0.7; // 1 of 5 covered; B brings it to 4 of 5
    Plan p = plan_sites(c.inputs, c.classification, c.gaps(), o, kRadius);
    ASSERT_EQ(p.sites.size(), 1u);
    EXPECT_EQ(p.stop, PlanStop::TargetRate);
    o.target_rate = 0.2; // reached before any site
    p = plan_sites(c.inputs, c.classification, c.gaps(), o, kRadius);
    EXPECT_TRUE(p.sites.empty());
    EXPECT_EQ(p.stop, PlanStop::TargetRate);
}

// One big village alone, three small ones in a row (x in km):
//
//   P(500)  ------- 20 -------  Q(10) --2-- R(10) --2-- S(10)
//
// By people P comes first (500 > 30); by villages R does (3 villages > 1).
TEST(Plan, ByVillagesAndByPeopleChooseDifferently) {
    Case c;
    c.add({0, 0}, 500);
    c.add({20000, 0}, 10);
    c.add({22000, 0}, 10);
    c.add({24000, 0}, 10);
    PlanOptions o = budget(1);
    Plan p = plan_sites(c.inputs, c.classification, c.gaps(), o, kRadius);
    ASSERT_EQ(p.sites.size(), 1u);
    EXPECT_EQ(p.sites[0].village_id, "V1");
    o.by = PlanObjective::Villages;
    p = plan_sites(c.inputs, c.classification, c.gaps(), o, kRadius);
    ASSERT_EQ(p.sites.size(), 1u);
    EXPECT_EQ(p.sites[0].village_id, "V3");
    EXPECT_EQ(p.sites[0].new_villages, 3);
    EXPECT_DOUBLE_EQ(p.sites[0].new_people, 30.0);
}

// Two villages 6 km apart: neither centre reaches the other, a given candidate midway
// reaches both and is chosen first.
TEST(Plan, AGivenCandidateBetweenVillagesCanCoverBoth) {
    Case c;
    c.add({0, 0}, 40);
    c.add({6000, 0}, 50);
    std::vector<PlanCandidate> candidates = c.gaps();
    candidates.push_back({{3000, 0}, CandidateSource::Candidates, -1, 1});
    const Plan p = plan_sites(c.inputs, c.classification, candidates, budget(3), kRadius);
    ASSERT_EQ(p.sites.size(), 1u);
    EXPECT_EQ(p.sites[0].source, CandidateSource::Candidates);
    EXPECT_EQ(p.sites[0].village, -1);
    EXPECT_EQ(p.sites[0].village_id, "");
    EXPECT_EQ(p.sites[0].candidate, 2u);
    EXPECT_DOUBLE_EQ(p.sites[0].new_people, 90.0);
}

TEST(Plan, TiesGoToMorePeopleThenTheEarlierCandidate) {
    Case c;
    c.add({0, 0}, 10);
    c.add({50000, 0}, 10);
    c.add({100000, 0}, 10);
    PlanOptions o = budget(3);
    Plan p = plan_sites(c.inputs, c.classification, c.gaps(), o, kRadius);
    ASSERT_EQ(p.sites.size(), 3u);
    EXPECT_EQ(p.sites[0].village_id, "V1");
    EXPECT_EQ(p.sites[1].village_id, "V2");
    EXPECT_EQ(p.sites[2].village_id, "V3");
    // By villages every gain is 1: the one with more people goes first.
    c.classification.villages[index_of(ServiceClass::Broadband)][2].people_without = 20.0;
    o.by = PlanObjective::Villages;
    p = plan_sites(c.inputs, c.classification, c.gaps(), o, kRadius);
    EXPECT_EQ(p.sites[0].village_id, "V3");
    EXPECT_EQ(p.sites[1].village_id, "V1");
}

TEST(Plan, VillagesWithoutPeopleWithoutSignalGainNothingByPeople) {
    Case c;
    c.add({0, 0}, 0);
    const Plan p = plan_sites(c.inputs, c.classification, c.gaps(), budget(3), kRadius);
    EXPECT_TRUE(p.sites.empty());
    EXPECT_EQ(p.stop, PlanStop::NoGain);
}

TEST(Plan, RadiusDefaultsToTheTechnologyRadius) {
    PlanOptions o;
    const CoverageOptions coverage;
    EXPECT_DOUBLE_EQ(plan_radius_m(o, coverage), 3500.0);
    o.tech = Tech::G3;
    EXPECT_DOUBLE_EQ(plan_radius_m(o, coverage), 3000.0);
    o.radius_m = 5000.0;
    EXPECT_DOUBLE_EQ(plan_radius_m(o, coverage), 5000.0);
}

TEST(Plan, BadRadiusOrTargetRateIsAUsageError) {
    const Case c = line_case();
    EXPECT_THROW(plan_sites(c.inputs, c.classification, c.gaps(), budget(1), 0.0), UsageError);
    PlanOptions o = budget(1);
    o.target_rate = 1.5;
    EXPECT_THROW(plan_sites(c.inputs, c.classification, c.gaps(), o, kRadius), UsageError);
}

namespace {

// The greedy choice computed from scratch at every step: every candidate's gain summed
// anew over the villages not yet reached, by brute force over all pairs.
std::vector<std::tuple<std::size_t, int, double>>
from_scratch(const Case& c, const std::vector<PlanCandidate>& candidates, const PlanOptions& o,
             double radius) {
    const auto& st = c.classification.villages[index_of(o.service_class)];
    std::vector<char> reached(c.inputs.villages.size(), 0);
    std::vector<std::tuple<std::size_t, int, double>> out;
    while (out.size() < o.budget) {
        double best_gain = 0.0, best_people = 0.0;
        long best = -1;
        for (std::size_t k = 0; k < candidates.size(); ++k) {
            double gain = 0.0, people = 0.0;
            for (std::size_t v = 0; v < c.inputs.villages.size(); ++v) {
                const XY a = candidates[k].xy, b = c.inputs.villages[v].centre;
                if (st[v].status == Status::Covered || reached[v] ||
                    std::hypot(a.x - b.x, a.y - b.y) > radius)
                    continue;
                gain += o.by == PlanObjective::People ? st[v].people_without : 1.0;
                people += st[v].people_without;
            }
            if (gain > 0.0 &&
                (best < 0 || gain > best_gain || (gain == best_gain && people > best_people))) {
                best = static_cast<long>(k);
                best_gain = gain;
                best_people = people;
            }
        }
        if (best < 0)
            break;
        int n = 0;
        for (std::size_t v = 0; v < c.inputs.villages.size(); ++v) {
            const XY a = candidates[static_cast<std::size_t>(best)].xy,
                     b = c.inputs.villages[v].centre;
            if (st[v].status != Status::Covered && !reached[v] &&
                std::hypot(a.x - b.x, a.y - b.y) <= radius) {
                reached[v] = 1;
                ++n;
            }
        }
        out.emplace_back(static_cast<std::size_t>(best), n, best_people);
    }
    return out;
}

} // namespace

// 400 villages and 80 extra candidates at random in a 40 km square, integer people (so
// that sums are exact whatever their order): the incremental gains pick the same sites with
// the same gains as recomputing everything at every step.
TEST(Plan, IncrementalGainsEqualARecomputationFromScratch) {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> coord(0.0, 40000.0);
    std::uniform_int_distribution<int> people(0, 60), status(0, 3);
    Case c;
    for (int i = 0; i < 400; ++i)
        c.add({coord(rng), coord(rng)}, people(rng),
              status(rng) == 0   ? Status::Covered
              : status(rng) == 1 ? Status::Partial
                                 : Status::White);
    std::vector<PlanCandidate> candidates = c.gaps();
    for (int i = 0; i < 80; ++i)
        candidates.push_back({{coord(rng), coord(rng)}, CandidateSource::Candidates, -1, i + 1});
    for (PlanObjective by : {PlanObjective::People, PlanObjective::Villages}) {
        PlanOptions o = budget(60);
        o.by = by;
        const Plan p = plan_sites(c.inputs, c.classification, candidates, o, kRadius);
        const auto expected = from_scratch(c, candidates, o, kRadius);
        ASSERT_EQ(p.sites.size(), expected.size()) << to_string(by);
        ASSERT_GT(p.sites.size(), 20u);
        for (std::size_t i = 0; i < expected.size(); ++i) {
            EXPECT_EQ(p.sites[i].candidate, std::get<0>(expected[i])) << to_string(by) << " " << i;
            EXPECT_EQ(p.sites[i].new_villages, std::get<1>(expected[i]));
            EXPECT_DOUBLE_EQ(p.sites[i].new_people, std::get<2>(expected[i]));
            if (i > 0 && by == PlanObjective::People) {
                EXPECT_LE(p.sites[i].new_people, p.sites[i - 1].new_people);
            }
        }
    }
}

namespace {

Plan sites_at(const std::vector<XY>& points) {
    Plan p;
    for (std::size_t i = 0; i < points.size(); ++i) {
        ProposedSite s;
        s.pick = static_cast<long>(i) + 1;
        s.xy = points[i];
        p.sites.push_back(s);
    }
    return p;
}

Station station(XY xy, const std::string& site_id) {
    Station s;
    s.xy = xy;
    s.site_id = site_id;
    return s;
}

} // namespace

// A chain of proposed sites east of the network, one far away (x in km, hops of 20 km):
//
//   EX1(-10) --10-- #1(0) --15-- #2(15) --15-- #3(30)  ......  #4(100)
//                                               |18 (EX2 north of #3, a longer link)
//
// The tree: #1 to the network (10), #2 to #1 (15), #3 to #2 (15, not 18 to EX2); #4 has no
// edge within 20 km and is unconnectable.
TEST(Plan, BackhaulIsTheSpanningTreeOfTheNetworksComponent) {
    const Plan sites = sites_at({{0, 0}, {15000, 0}, {30000, 0}, {100000, 0}});
    const std::vector<Station> stations{station({-10000, 0}, "EX1"), station({-12000, 0}, "EX0"),
                                        station({30000, 18000}, "EX2")};
    const Plan p = plan_backhaul(sites, stations, PlanOptions{});
    EXPECT_EQ(p.connected, 3);
    EXPECT_EQ(p.unconnectable, 1);
    ASSERT_EQ(p.links.size(), 3u);
    EXPECT_EQ(p.links[0].from_pick, 1);
    EXPECT_EQ(p.links[0].to_pick, 0);
    EXPECT_EQ(p.links[0].to_site, "EX1");
    EXPECT_DOUBLE_EQ(p.links[0].length_m, 10000.0);
    EXPECT_DOUBLE_EQ(p.links[0].to.x, -10000.0);
    EXPECT_EQ(p.links[1].from_pick, 2);
    EXPECT_EQ(p.links[1].to_pick, 1);
    EXPECT_EQ(p.links[1].to_site, "");
    EXPECT_DOUBLE_EQ(p.links[1].length_m, 15000.0);
    EXPECT_EQ(p.links[2].from_pick, 3);
    EXPECT_EQ(p.links[2].to_pick, 2);
    EXPECT_DOUBLE_EQ(p.links[2].length_m, 15000.0);
    EXPECT_TRUE(p.sites[2].connected);
    EXPECT_EQ(p.sites[2].parent_pick, 2);
    EXPECT_DOUBLE_EQ(p.sites[2].hop_m, 15000.0);
    EXPECT_FALSE(p.sites[3].connected);
    EXPECT_EQ(p.sites[3].parent_pick, -1);
}

TEST(Plan, WithoutStationsWithinReachNoSiteConnects) {
    const Plan sites = sites_at({{0, 0}, {5000, 0}});
    Plan p = plan_backhaul(sites, {}, PlanOptions{});
    EXPECT_EQ(p.connected, 0);
    EXPECT_EQ(p.unconnectable, 2);
    EXPECT_TRUE(p.links.empty());
    PlanOptions o;
    o.max_hop_m = 1000.0;
    p = plan_backhaul(sites, {station({0, 1500}, "X")}, o);
    EXPECT_EQ(p.connected, 0);
}

TEST(Plan, ConfigKeyPlanSetsRadiusTechnologyAndHop) {
    Config c;
    apply_config_json(c, R"({"plan": {"radius_m": 5000, "tech": "3G", "max_hop_m": 15000}})",
                      "test");
    ASSERT_TRUE(c.plan.radius_m.has_value());
    EXPECT_DOUBLE_EQ(*c.plan.radius_m, 5000.0);
    EXPECT_EQ(c.plan.tech, Tech::G3);
    EXPECT_DOUBLE_EQ(c.plan.max_hop_m, 15000.0);
    EXPECT_THROW(apply_config_json(c, R"({"plan": {"budget": 3}})", "test"), UsageError);
    EXPECT_THROW(apply_config_json(c, R"({"plan": {"tech": "6G"}})", "test"), UsageError);
}

// With a DEM, a site reaches only the villages it sees: here a ridge hides everything east
// of x = 4,500 m, so the site at B reaches A and B but not C (3 km east of it).
TEST(Plan, WithTerrainASiteReachesOnlyTheVillagesItSees) {
    const Case c = line_case();
    const SiteReach west_of_ridge = [](XY site, XY village) {
        return (site.x < 4500) == (village.x < 4500);
    };
    const Plan p =
        plan_sites(c.inputs, c.classification, c.gaps(), budget(1), kRadius, west_of_ridge);
    ASSERT_EQ(p.sites.size(), 1u);
    EXPECT_EQ(p.sites[0].village_id, "V1"); // A and B: 160, more than D's 150
    EXPECT_EQ(p.sites[0].villages, (std::vector<std::size_t>{0, 1}));
}

// A hop needs line of sight: the nearest station is hidden, so the site links to the next
// one; with every station hidden it cannot connect; sites that do not see each other are
// not linked to each other. Heights: the site's mast, the station's own height_m.
TEST(Plan, WithTerrainAHopNeedsLineOfSight) {
    const Plan sites = sites_at({{0, 0}, {15000, 0}});
    std::vector<Station> stations{station({-5000, 0}, "NEAR"), station({-9000, 0}, "FAR")};
    stations[1].height_m = 60.0;
    std::vector<double> heights;
    const HopClear not_near = [&](XY, double ha, XY b, double hb) {
        heights.push_back(ha);
        heights.push_back(hb);
        return b.x != -5000;
    };
    PlanOptions o;
    o.mast_height_m = 40.0;
    Plan p = plan_backhaul(sites, stations, o, not_near);
    ASSERT_EQ(p.links.size(), 2u);
    EXPECT_EQ(p.links[0].to_site, "FAR");
    EXPECT_DOUBLE_EQ(p.links[0].length_m, 9000.0);
    EXPECT_EQ(p.links[1].to_pick, 1); // the second site through the first
    EXPECT_NE(std::find(heights.begin(), heights.end(), 60.0), heights.end());
    EXPECT_NE(std::find(heights.begin(), heights.end(), 40.0), heights.end());

    const HopClear nothing = [](XY, double, XY, double) { return false; };
    p = plan_backhaul(sites, stations, o, nothing);
    EXPECT_EQ(p.connected, 0);
    EXPECT_EQ(p.unconnectable, 2);
}

// With a DEM each gap village also proposes the highest point within the search radius:
// one hill 800 m from A is A's and B's high point (listed once); C sits on its own top.
TEST(Plan, HighPointsNearGapVillagesBecomeCandidates) {
    Raster<float> dem;
    dem.grid = {-2000, 2000, 20, 500, 200}; // x −2,000…8,000, y −2,000…2,000
    dem.values.resize(dem.grid.size());
    for (int row = 0; row < dem.grid.rows; ++row)
        for (int col = 0; col < dem.grid.cols; ++col) {
            const XY p = dem.grid.centre(col, row);
            const double hill = 400.0 * std::exp(-(std::pow(p.x - 1500, 2) + p.y * p.y) / 2e5);
            const double bump = 50.0 * std::exp(-(std::pow(p.x - 6010, 2) + p.y * p.y) / 1e4);
            dem.values[dem.grid.index(col, row)] = static_cast<float>(hill + bump);
        }
    const Case c = line_case();
    PlanOptions o;
    o.high_point_search_m = 1600.0;
    const auto tops = high_point_candidates(c.gaps(), dem, o);
    ASSERT_EQ(tops.size(), 1u);
    EXPECT_EQ(tops[0].source, CandidateSource::HighPoint);
    EXPECT_NEAR(tops[0].xy.x, 1500, 20.0);
    EXPECT_NEAR(tops[0].xy.y, 0, 20.0);
    EXPECT_EQ(tops[0].village, 0); // found first from A
    EXPECT_EQ(to_string(CandidateSource::HighPoint), "high_point");
    o.high_point_search_m = 0.0;
    EXPECT_TRUE(high_point_candidates(c.gaps(), dem, o).empty());
}

// The villages a site brings signal to are the gap villages it newly covers: their ids,
// names and communes (each commune once), exactly those counted by new_villages/new_people.
TEST(Plan, EachSiteListsTheVillagesItNewlyReachesWithTheirNamesAndCommunes) {
    Case c = line_case();
    const char* names[] = {"Nà A", "Bản B", "Khuổi C", "Pò D", "Nà E"};
    const char* communes[] = {"Xã 1", "Xã 2", "Xã 1", "Xã 3", "Xã 3"};
    for (std::size_t v = 0; v < c.inputs.villages.size(); ++v) {
        c.inputs.villages[v].name = names[v];
        c.inputs.villages[v].commune = communes[v];
    }
    const Plan p = plan_sites(c.inputs, c.classification, c.gaps(), budget(3), kRadius);
    ASSERT_EQ(p.sites.size(), 2u); // B (A, B, C), then D; nothing is left to gain
    EXPECT_EQ(p.sites[0].village_ids, (std::vector<std::string>{"V1", "V2", "V3"}));
    EXPECT_EQ(p.sites[0].village_names, (std::vector<std::string>{"Nà A", "Bản B", "Khuổi C"}));
    EXPECT_EQ(p.sites[0].communes, (std::vector<std::string>{"Xã 1", "Xã 2"}));
    EXPECT_EQ(p.sites[1].village_ids, (std::vector<std::string>{"V4"}));
    EXPECT_EQ(p.sites[1].communes, (std::vector<std::string>{"Xã 3"}));
    for (const ProposedSite& s : p.sites) {
        EXPECT_EQ(s.village_ids.size(), static_cast<std::size_t>(s.new_villages));
        double people = 0.0;
        for (std::size_t v : s.villages)
            people += c.classification.villages[1][v].people_without;
        EXPECT_DOUBLE_EQ(people, s.new_people);
    }
}

// With the backhaul required, D (150 people, 30 km from anything) cannot be linked to the
// network at -5 km, nor to the site at B: it is set aside, uses no budget, and is listed with
// what it would have brought. Without the requirement it is chosen and left unconnected.
TEST(Plan, WithBackhaulRequiredAnUnlinkableCandidateIsSetAsideAndUsesNoBudget) {
    const Case c = line_case();
    const std::vector<Station> network{station({-5000, 0}, "EX")};
    PlanOptions o = budget(2);
    const SiteLinkable linkable = backhaul_link_check(network, o);
    const Plan with = plan_backhaul(
        plan_sites(c.inputs, c.classification, c.gaps(), o, kRadius, {}, linkable), network, o);
    ASSERT_EQ(with.sites.size(), 1u);
    EXPECT_EQ(with.sites[0].village_id, "V2");
    EXPECT_EQ(with.stop, PlanStop::NoGain);
    EXPECT_EQ(with.unconnectable, 0);
    ASSERT_EQ(with.unlinkable.size(), 1u);
    EXPECT_EQ(with.unlinkable[0].village_id, "V4");
    EXPECT_EQ(with.unlinkable[0].villages, 1);
    EXPECT_DOUBLE_EQ(with.unlinkable[0].people, 150.0);

    const Plan without =
        plan_backhaul(plan_sites(c.inputs, c.classification, c.gaps(), o, kRadius), network, o);
    ASSERT_EQ(without.sites.size(), 2u);
    EXPECT_EQ(without.sites[1].village_id, "V4");
    EXPECT_FALSE(without.sites[1].connected);
    EXPECT_TRUE(without.unlinkable.empty());
}

// A candidate set aside is tried again after each choice: Q (500 people) is 45 km from the
// network at -15 km; P at 0 links to the network, R at 15 km to P, and then Q to R.
//
//   EX(-15) --15-- P(0, 100) --15-- R(15, 50) --15-- Q(30, 500)
TEST(Plan, ASetAsideCandidateIsChosenOnceALaterSiteBringsTheNetworkWithinAHop) {
    Case c;
    c.add({0, 0}, 100);
    c.add({30000, 0}, 500);
    c.add({15000, 0}, 50);
    const std::vector<Station> network{station({-15000, 0}, "EX")};
    PlanOptions o = budget(3);
    const SiteLinkable linkable = backhaul_link_check(network, o);
    const Plan p = plan_backhaul(
        plan_sites(c.inputs, c.classification, c.gaps(), o, kRadius, {}, linkable), network, o);
    ASSERT_EQ(p.sites.size(), 3u);
    EXPECT_EQ(p.sites[0].village_id, "V1");
    EXPECT_EQ(p.sites[1].village_id, "V3");
    EXPECT_EQ(p.sites[2].village_id, "V2");
    EXPECT_EQ(p.connected, 3);
    EXPECT_TRUE(p.unlinkable.empty());
    // With one site only (P), Q stays beyond a hop and is listed; with two, R brings it within
    // one, and Q is only short of budget: not listed.
    o.budget = 1;
    const Plan one = plan_sites(c.inputs, c.classification, c.gaps(), o, kRadius, {}, linkable);
    ASSERT_EQ(one.sites.size(), 1u);
    ASSERT_EQ(one.unlinkable.size(), 1u);
    EXPECT_EQ(one.unlinkable[0].village_id, "V2");
    o.budget = 2;
    EXPECT_TRUE(plan_sites(c.inputs, c.classification, c.gaps(), o, kRadius, {}, linkable)
                    .unlinkable.empty());
}

TEST(Plan, ConfigKeyRequireBackhaulDefaultsToTrue) {
    Config c;
    EXPECT_TRUE(c.plan.require_backhaul);
    apply_config_json(c, R"({"plan": {"require_backhaul": false}})", "test");
    EXPECT_FALSE(c.plan.require_backhaul);
    EXPECT_THROW(apply_config_json(c, R"({"plan": {"require_backhaul": "yes"}})", "test"),
                 UsageError);
}
