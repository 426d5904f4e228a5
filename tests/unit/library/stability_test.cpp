// How firm each status is (issue #10): the analysis run again with the inputs varied.

#include "whitezone/whitezone.hpp"

#include <gtest/gtest.h>

using namespace whitezone;

namespace {

// One 4G cell of range 3 km at the origin and three 100 m square villages (work CRS, metres):
//
//   deep (0, 0)           rim (2950, 0)                 far (20000, 0)
//   [#]*-----------------[#]|   3 km                         [#]
//
// `deep` stays covered however the station moves by a few hundred metres or its radius by
// 20 %; `rim` sits on the footprint's edge and flips; `far` is white whatever happens.
Inputs rim_layout() {
    Inputs in;
    PreparedInputs& p = in.prepared;
    p.work_crs = "EPSG:32648";
    const std::pair<const char*, double> villages[] = {{"deep", 0}, {"rim", 2950}, {"far", 20000}};
    for (const auto& [id, x] : villages) {
        Village v;
        v.row = static_cast<std::int64_t>(p.villages.size()) + 1;
        v.id = id;
        v.area = {
            Polygon{{{{x - 50, -50}, {x + 50, -50}, {x + 50, 50}, {x - 50, 50}, {x - 50, -50}}}}};
        v.area_m2 = 1e4;
        v.centre = {x, 0};
        v.population = 100;
        v.province = "P";
        v.commune = id;
        p.villages.push_back(v);
    }
    Station s;
    s.row = 1;
    s.xy = {0, 0};
    s.tech = Tech::G4;
    s.operator_name = "Viettel";
    s.site_id = "S1";
    s.range_m = 3000.0;
    p.stations.push_back(s);
    p.site_count = 1;
    return in;
}

Context threads(int n) {
    Context ctx;
    ctx.threads = n;
    return ctx;
}

Config with_stability(int threads = 1) {
    Config c;
    c.stability.enabled = true;
    c.threads = threads;
    return c;
}

constexpr std::size_t kBroadband = index_of(ServiceClass::Broadband);

TEST(Stability, VillageDeepInsideAFootprintIsAlwaysTheSame) {
    const AnalysisResult r = analyze(rim_layout(), with_stability(), Context{});
    ASSERT_TRUE(r.stability.has_value());
    EXPECT_EQ(r.stability->runs, 32);
    EXPECT_EQ(r.classification.villages[kBroadband][0].status, Status::Covered);
    EXPECT_DOUBLE_EQ(r.stability->share_same[kBroadband][0], 1.0);
    EXPECT_EQ(r.stability->likely[kBroadband][0], Status::Covered);
}

TEST(Stability, VillageOnTheRimIsLessFirm) {
    const AnalysisResult r = analyze(rim_layout(), with_stability(), Context{});
    const double rim = r.stability->share_same[kBroadband][1];
    EXPECT_GT(rim, 0.0);
    EXPECT_LT(rim, 0.9);
}

TEST(Stability, FarWhiteVillageIsFirmAndCountedSo) {
    const AnalysisResult r = analyze(rim_layout(), with_stability(), Context{});
    EXPECT_EQ(r.classification.villages[kBroadband][2].status, Status::White);
    EXPECT_DOUBLE_EQ(r.stability->share_same[kBroadband][2], 1.0);
    EXPECT_EQ(r.stability->likely[kBroadband][2], Status::White);
    const ClassCounts& all = r.summary.rows.front().counts[kBroadband];
    EXPECT_EQ(all.white, 1);
    EXPECT_EQ(all.white_firm, 1);
    EXPECT_EQ(all.white_borderline, 0);
    EXPECT_NE(format_summary(r.summary).find("1 are firm"), std::string::npos);
}

TEST(Stability, SameResultForOneAndTwoThreadsAndForTheSameSeed) {
    const AnalysisResult one = analyze(rim_layout(), with_stability(1), threads(1));
    const AnalysisResult two = analyze(rim_layout(), with_stability(2), threads(2));
    for (ServiceClass cls : kServiceClasses) {
        EXPECT_EQ(one.stability->share_same[index_of(cls)],
                  two.stability->share_same[index_of(cls)]);
        EXPECT_EQ(one.stability->likely[index_of(cls)], two.stability->likely[index_of(cls)]);
    }
}

TEST(Stability, AnotherSeedDrawsOtherVariations) {
    Config other = with_stability();
    other.stability.seed = 7;
    other.stability.runs = 200;
    Config first = with_stability();
    first.stability.runs = 200;
    const AnalysisResult a = analyze(rim_layout(), first, Context{});
    const AnalysisResult b = analyze(rim_layout(), other, Context{});
    EXPECT_NE(a.stability->share_same[kBroadband][1], b.stability->share_same[kBroadband][1]);
    // Both estimate one probability: with 200 runs they agree to a few hundredths.
    EXPECT_NEAR(a.stability->share_same[kBroadband][1], b.stability->share_same[kBroadband][1],
                0.15);
}

TEST(Stability, WithoutSpreadEveryVillageIsFirm) {
    Config c = with_stability();
    c.stability.position_sigma_m = 0.0;
    c.stability.radius_spread = 0.0;
    c.stability.threshold_spread = 0.0;
    const AnalysisResult r = analyze(rim_layout(), c, Context{});
    for (ServiceClass cls : kServiceClasses)
        for (double share : r.stability->share_same[index_of(cls)])
            EXPECT_DOUBLE_EQ(share, 1.0);
}

TEST(Stability, IsNotComputedUnlessAskedFor) {
    const AnalysisResult r = analyze(rim_layout(), Config{}, Context{});
    EXPECT_FALSE(r.stability.has_value());
    EXPECT_EQ(r.summary.rows.front().counts[kBroadband].white_firm, 0);
    EXPECT_EQ(format_summary(r.summary).find("stability"), std::string::npos);
}

} // namespace
