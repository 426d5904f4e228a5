#include "whitezone/rank.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace whitezone;

namespace {

// Four villages on a line (x in metres), all white in broadband except D:
//
//   A(100 people) --2 km-- B(50) ---------- 20 km ---------- C(120)     D (covered)
//
// One tower reaches 3.5 km: A and B reach each other, C stands alone.
struct Case {
    PreparedInputs inputs;
    Classification classification;
};

Case make_case() {
    Case c;
    auto add = [&](XY centre, double people, Status status) {
        Village v;
        v.row = static_cast<std::int64_t>(c.inputs.villages.size()) + 1;
        v.centre = centre;
        v.population = people;
        c.inputs.villages.push_back(v);
        for (auto& per_class : c.classification.villages)
            per_class.push_back(
                {status, StatusBasis::Centre, status == Status::Covered ? 0.0 : people});
    };
    add({0, 0}, 100, Status::White);
    add({2000, 0}, 50, Status::White);
    add({22000, 0}, 120, Status::White);
    add({40000, 0}, 80, Status::Covered);
    return c;
}

RankOptions no_distance() {
    RankOptions o;
    o.distance_scale_m = 0.0; // distance factor off: scores are people only
    return o;
}

} // namespace

TEST(Rank, NeighboursOneTowerCanReachRaiseTheScore) {
    const Case c = make_case();
    const Ranking r = rank_villages(c.inputs, c.classification, no_distance());
    // A: 100 + 0.5 * 50 = 125; B: 50 + 0.5 * 100 = 100; C: 120.
    EXPECT_DOUBLE_EQ(r.villages[0].score, 125.0);
    EXPECT_DOUBLE_EQ(r.villages[1].score, 100.0);
    EXPECT_DOUBLE_EQ(r.villages[2].score, 120.0);
    EXPECT_EQ(r.villages[0].rank, 1);
    EXPECT_EQ(r.villages[2].rank, 2);
    EXPECT_EQ(r.villages[1].rank, 3);
    EXPECT_EQ(r.villages[3].rank, 0); // covered: not ranked
    EXPECT_FALSE(r.villages[3].gap);
    EXPECT_EQ(r.gap_count, 3);
}

TEST(Rank, GapVillagesWithinReachFormOneCluster) {
    const Case c = make_case();
    const Ranking r = rank_villages(c.inputs, c.classification, no_distance());
    EXPECT_EQ(r.cluster_count, 2);
    EXPECT_EQ(r.villages[0].cluster_id, r.villages[1].cluster_id);
    EXPECT_NE(r.villages[0].cluster_id, r.villages[2].cluster_id);
    EXPECT_EQ(r.villages[0].cluster_villages, 2);
    EXPECT_DOUBLE_EQ(r.villages[0].cluster_people, 150.0);
    EXPECT_EQ(r.villages[0].reach_villages, 2);
    EXPECT_DOUBLE_EQ(r.villages[2].reach_people, 120.0);
    EXPECT_EQ(r.villages[3].cluster_id, -1);
}

TEST(Rank, VillageWithoutGridPowerDropsInTheRanking) {
    Case c = make_case();
    c.inputs.villages[2].has_power = false; // C: 120 * 0.7 = 84
    const Ranking r = rank_villages(c.inputs, c.classification, no_distance());
    EXPECT_DOUBLE_EQ(r.villages[2].power_factor, 0.7);
    EXPECT_DOUBLE_EQ(r.villages[2].score, 84.0);
    EXPECT_EQ(r.villages[2].rank, 3);
    EXPECT_EQ(r.villages[1].rank, 2);
}

TEST(Rank, DistanceToTheNearestSiteIsMeasuredFromTheCentre) {
    Case c = make_case();
    Station s;
    s.xy = {2000, 3000};
    c.inputs.stations = {s};
    const Ranking r = rank_villages(c.inputs, c.classification, RankOptions{});
    EXPECT_DOUBLE_EQ(r.villages[1].nearest_site_m, 3000.0);
    EXPECT_NEAR(r.villages[0].nearest_site_m, std::hypot(2000.0, 3000.0), 1e-9);
    // distance factor 1 / (1 + d / 20 km)
    EXPECT_NEAR(r.villages[1].distance_factor, 1.0 / 1.15, 1e-12);
}

TEST(Rank, WithoutStationsTheNearestSiteIsUnknown) {
    const Case c = make_case();
    const Ranking r = rank_villages(c.inputs, c.classification, RankOptions{});
    EXPECT_EQ(r.villages[0].nearest_site_m, -1.0);
    EXPECT_EQ(r.villages[0].distance_factor, 1.0);
}

TEST(Rank, TiesAreBrokenByPeopleThenRow) {
    Case c;
    for (int i = 0; i < 3; ++i) {
        Village v;
        v.row = i + 1;
        v.centre = {i * 50000.0, 0};
        c.inputs.villages.push_back(v);
        for (auto& per_class : c.classification.villages)
            per_class.push_back({Status::White, StatusBasis::Centre, 10.0});
    }
    const Ranking r = rank_villages(c.inputs, c.classification, no_distance());
    EXPECT_EQ(r.villages[0].rank, 1);
    EXPECT_EQ(r.villages[1].rank, 2);
    EXPECT_EQ(r.villages[2].rank, 3);
}
