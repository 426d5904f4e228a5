// Population weighting: people per grid cell, given to the village that holds the cell's
// centre, and the polygon-to-grid helpers it rests on.

#include "whitezone/classify.hpp"
#include "whitezone/overlay.hpp"

#include "common/polygon.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

using namespace whitezone;
using whitezone::test::square;

namespace {

Village polygon_village(Polygon p) {
    Village v;
    v.area = {std::move(p)};
    v.area_m2 = 10000.0;
    v.population = 500; // the attribute, which the grid overrides
    return v;
}

Overlay blank(std::size_t n) {
    Overlay o;
    for (auto& per_class : o.villages)
        per_class.assign(n, VillageOverlay{});
    return o;
}

} // namespace

// 90 people in the covered west half, 10 in the east half: 90 % of the people have signal,
// whatever share of the area that is, and 10 are without it.
TEST(Population, ShareIsThatOfPeopleAndPeopleWithoutComeFromTheGrid) {
    PreparedInputs in;
    in.villages = {polygon_village(square(0, 0, 100)), polygon_village(square(200, 0, 100))};
    const std::vector<PopulationCell> cells = {
        {{25, 50}, 60.0},
        {{25, 20}, 30.0},
        {{75, 50}, 10.0},    // village 0
        {{150, 50}, 1000.0}, // between villages: nobody's
    };
    const SignalAt west = [](ServiceClass cls, XY p) {
        return cls == ServiceClass::Any && p.x < 50;
    };
    Overlay o = blank(2);
    o.villages[0][0].share = 0.5; // the area share, replaced
    o.villages[0][1].share = 0.25;
    OverlayOptions options;
    options.threads = 2;
    apply_population(o, in, cells, west, options);
    const VillageOverlay& v0 = o.villages[index_of(ServiceClass::Any)][0];
    ASSERT_TRUE(v0.people);
    EXPECT_DOUBLE_EQ(*v0.people, 100.0);
    EXPECT_DOUBLE_EQ(v0.share, 0.9);
    EXPECT_DOUBLE_EQ(o.villages[index_of(ServiceClass::Broadband)][0].share, 0.0);
    // Village 1 holds no cell: its area share stays, and its population field counts.
    EXPECT_FALSE(o.villages[0][1].people);
    EXPECT_DOUBLE_EQ(o.villages[0][1].share, 0.25);

    const Classification c = classify_villages(in, o, ClassifyOptions{});
    EXPECT_DOUBLE_EQ(c.villages[index_of(ServiceClass::Any)][0].people_without, 10.0);
    EXPECT_DOUBLE_EQ(c.villages[index_of(ServiceClass::Broadband)][0].people_without, 100.0);
    EXPECT_DOUBLE_EQ(c.villages[index_of(ServiceClass::Any)][1].people_without, 375.0);
}

TEST(Population, SignalFromFootprintsUsesTheExactDiskPerClass) {
    std::vector<Station> stations(2);
    stations[0].tech = Tech::G2;
    stations[0].xy = {0, 0};
    stations[1].tech = Tech::G4;
    stations[1].xy = {20000, 0};
    const Footprints f = model_coverage(stations, {});
    const SignalAt signal = signal_from_footprints(f);
    EXPECT_TRUE(signal(ServiceClass::Any, {4999, 0}));
    EXPECT_FALSE(signal(ServiceClass::Any, {5001, 0}));
    EXPECT_FALSE(signal(ServiceClass::Broadband, {0, 0})); // 2G only
    EXPECT_TRUE(signal(ServiceClass::Broadband, {20000, 3000}));
}

TEST(Polygon, CellCentresInsideASquareWithAHole) {
    const GridSpec grid{0, 100, 10, 10, 10};
    Polygon p = square(0, 0, 100);
    p.rings.push_back(square(40, 40, 20).rings[0]); // a 2 × 2-cell hole
    int n = 0;
    polygon::for_each_cell_in({p}, grid, [&](int col, int row) {
        ++n;
        EXPECT_FALSE(col >= 4 && col <= 5 && row >= 4 && row <= 5);
    });
    EXPECT_EQ(n, 96);
    EXPECT_TRUE(polygon::contains({p}, {5, 5}));
    EXPECT_FALSE(polygon::contains({p}, {50, 50}));
    EXPECT_FALSE(polygon::contains({p}, {150, 50}));
    // A triangle: the cells whose centres are under the diagonal x + y < 100.
    const Polygon triangle{{{{0, 0}, {100, 0}, {0, 100}, {0, 0}}}};
    int under = 0;
    polygon::for_each_cell_in({triangle}, grid, [&](int col, int row) {
        const XY c = grid.centre(col, row);
        EXPECT_LT(c.x + c.y, 100.0);
        ++under;
    });
    EXPECT_EQ(under, 45);
}

// Without a settlements layer the grid's populated cells are the residential clusters of the
// official rule: a village with signal at its centre but a populated cell without it is
// partial. Cells under cluster_min_people people do not count; a settlements layer wins.
TEST(Population, PopulatedCellsAreTheClustersWhenThereAreNoSettlements) {
    PreparedInputs in;
    in.villages = {polygon_village(square(0, 0, 100))};
    const std::vector<PopulationCell> cells = {
        {{25, 50}, 60.0}, {{75, 50}, 10.0}, {{75, 20}, 0.4}}; // the last: too few people
    const SignalAt west = [](ServiceClass, XY p) { return p.x < 50; };
    OverlayOptions options;
    Overlay o = blank(1);
    for (auto& per_class : o.villages)
        per_class[0].centre = true;
    apply_population(o, in, cells, west, options);
    EXPECT_EQ(o.villages[0][0].clusters, 2);
    EXPECT_EQ(o.villages[0][0].clusters_without, 1);
    StatusBasis basis{};
    EXPECT_EQ(classify_one(o.villages[0][0], false, ClassifyOptions{}, &basis), Status::Partial);
    EXPECT_EQ(basis, StatusBasis::Clusters);

    options.cluster_min_people = 20.0; // only the 60-people cell, which has signal
    o = blank(1);
    o.villages[0][0].centre = true;
    apply_population(o, in, cells, west, options);
    EXPECT_EQ(o.villages[0][0].clusters, 1);
    EXPECT_EQ(classify_one(o.villages[0][0], false, ClassifyOptions{}), Status::Covered);

    in.settlements.emplace(); // a settlements layer (here empty) keeps its own clusters
    o = blank(1);
    apply_population(o, in, cells, west, options);
    EXPECT_EQ(o.villages[0][0].clusters, 0);
}
