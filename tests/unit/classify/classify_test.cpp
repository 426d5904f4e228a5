#include "whitezone/classify.hpp"
#include "whitezone/error.hpp"

#include <gtest/gtest.h>

using namespace whitezone;

namespace {

VillageOverlay overlay(bool centre, double share, int clusters = 0, int without = 0) {
    VillageOverlay o;
    o.centre = centre;
    o.share = share;
    o.clusters = clusters;
    o.clusters_without = without;
    return o;
}

ClassifyOptions area_rule() {
    ClassifyOptions o;
    o.rule = StatusRule::AreaShare;
    return o;
}

} // namespace

TEST(Classify, CentreWithoutSignalIsWhiteWhateverTheShare) {
    StatusBasis basis{};
    EXPECT_EQ(classify_one(overlay(false, 0.95), false, {}, &basis), Status::White);
    EXPECT_EQ(basis, StatusBasis::Centre);
}

TEST(Classify, CentreWithSignalAndAClusterWithoutIsPartial) {
    StatusBasis basis{};
    EXPECT_EQ(classify_one(overlay(true, 0.99, 3, 1), false, {}, &basis), Status::Partial);
    EXPECT_EQ(basis, StatusBasis::Clusters);
}

TEST(Classify, CentreAndEveryClusterWithSignalIsCoveredEvenWithLittleArea) {
    EXPECT_EQ(classify_one(overlay(true, 0.30, 4, 0), false, {}), Status::Covered);
}

TEST(Classify, WithoutClustersTheAreaShareDecidesPartialOrCovered) {
    StatusBasis basis{};
    EXPECT_EQ(classify_one(overlay(true, 0.80), false, {}, &basis), Status::Covered);
    EXPECT_EQ(basis, StatusBasis::AreaShare);
    EXPECT_EQ(classify_one(overlay(true, 0.7999), false, {}), Status::Partial);
}

TEST(Classify, PointVillageWithSignalAtItsCentreIsCovered) {
    EXPECT_EQ(classify_one(overlay(true, 1.0), true, {}), Status::Covered);
    EXPECT_EQ(classify_one(overlay(false, 0.0), true, {}), Status::White);
}

TEST(Classify, AreaShareThresholdEdges) {
    const ClassifyOptions o = area_rule(); // white below 0.05, covered from 0.80
    EXPECT_EQ(classify_one(overlay(true, 0.0499), false, o), Status::White);
    EXPECT_EQ(classify_one(overlay(true, 0.05), false, o), Status::Partial);
    EXPECT_EQ(classify_one(overlay(true, 0.7999), false, o), Status::Partial);
    EXPECT_EQ(classify_one(overlay(false, 0.80), false, o), Status::Covered);
    EXPECT_EQ(classify_one(overlay(true, 1.0), false, o), Status::Covered);
}

TEST(Classify, VillageWithHalfCoverIsPartialUnderTheAreaRule) {
    EXPECT_EQ(classify_one(overlay(true, 0.5), false, area_rule()), Status::Partial);
}

TEST(Classify, PeopleWithoutSignalUsePopulationThenHouseholdsThenOne) {
    PreparedInputs in;
    in.villages.resize(3);
    in.villages[0].population = 200;
    in.villages[0].area = {Polygon{}};
    in.villages[1].households = 40;
    in.villages[1].area = {Polygon{}};
    in.villages[2].area = {Polygon{}};
    Overlay o;
    for (auto& c : o.villages)
        c = {overlay(true, 0.25), overlay(true, 0.5), overlay(false, 0.0)};
    const Classification c = classify_villages(in, o, {});
    const auto& any = c.villages[index_of(ServiceClass::Any)];
    EXPECT_DOUBLE_EQ(any[0].people_without, 150.0);
    EXPECT_DOUBLE_EQ(any[1].people_without, 20.0);
    EXPECT_DOUBLE_EQ(any[2].people_without, 1.0);
}

TEST(Classify, PartialVillagesCountThePeopleOfTheirClustersWithoutSignal) {
    // A village of 300 people whose centre and whole area have signal, with 3 clusters: one
    // of 10 households without signal, one without figures and without signal (it weighs the
    // mean, 15), one of 20 households with signal: 300 x (10 + 15) / (10 + 15 + 20).
    PreparedInputs in;
    in.villages.resize(2);
    in.villages[0].population = 300;
    in.villages[0].area = {Polygon{}};
    in.villages[1].population = 300; // its clusters carry no figures: the share rule
    in.villages[1].area = {Polygon{}};
    Overlay o;
    for (auto& c : o.villages) {
        VillageOverlay with = overlay(true, 1.0, 3, 2);
        with.clusters_with_people = 2;
        with.cluster_people = 30.0;
        with.cluster_people_without = 10.0;
        with.clusters_without_unknown = 1;
        c = {with, overlay(true, 1.0, 3, 2)};
    }
    const Classification c = classify_villages(in, o, {});
    const auto& bb = c.villages[index_of(ServiceClass::Broadband)];
    EXPECT_EQ(bb[0].status, Status::Partial);
    EXPECT_NEAR(bb[0].people_without, 300.0 * 25.0 / 45.0, 1e-9);
    EXPECT_EQ(bb[1].status, Status::Partial);
    EXPECT_DOUBLE_EQ(bb[1].people_without, 0.0);
}

TEST(Classify, ClusterFiguresDoNotChangeWhiteVillages) {
    PreparedInputs in;
    in.villages.resize(1);
    in.villages[0].population = 300;
    in.villages[0].area = {Polygon{}};
    Overlay o;
    for (auto& c : o.villages) {
        VillageOverlay white = overlay(false, 0.25, 2, 2);
        white.clusters_with_people = 2;
        white.cluster_people = 90.0;
        white.cluster_people_without = 90.0;
        c = {white};
    }
    const Classification c = classify_villages(in, o, {});
    EXPECT_DOUBLE_EQ(c.villages[0][0].people_without, 225.0); // 300 x (1 - 0.25)
}

TEST(Classify, ClusterFiguresDoNotChangeVillagesCoveredByTheirClusters) {
    PreparedInputs in;
    in.villages.resize(1);
    in.villages[0].population = 200;
    in.villages[0].area = {Polygon{}};
    Overlay o;
    for (auto& c : o.villages) {
        VillageOverlay covered = overlay(true, 0.75, 2, 0);
        covered.clusters_with_people = 2;
        covered.cluster_people = 50.0;
        c = {covered};
    }
    const Classification c = classify_villages(in, o, {});
    EXPECT_EQ(c.villages[0][0].status, Status::Covered);
    EXPECT_DOUBLE_EQ(c.villages[0][0].people_without, 50.0); // 200 x (1 - 0.75)
}

TEST(Classify, ThresholdsOutOfOrderAreAUsageError) {
    ClassifyOptions o;
    o.white_below = 0.9;
    o.covered_from = 0.5;
    EXPECT_THROW(classify_villages(PreparedInputs{}, Overlay{}, o), UsageError);
}
