// The area of a village outside its footprints from the boundary pieces (overlay/exact.hpp)
// against GEOS's differences, and the cases it hands back to GEOS.

#include "geos/geos.hpp"
#include "overlay/exact.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

namespace whitezone {
namespace {

using test::regular_polygon;

double geos_outside(const MultiPolygon& area, const std::vector<Polygon>& cuts) {
    geos::Context ctx;
    geos::Geom rest = geos::make_multipolygon(ctx, area);
    for (const Polygon& p : cuts) {
        geos::Geom c = geos::make_polygon(ctx, p);
        rest = geos::own(ctx, GEOSDifference_r(ctx.handle(), rest.get(), c.get()), "Difference");
    }
    return geos::area(ctx, rest.get());
}

bool geos_meets(const MultiPolygon& area, const std::vector<Polygon>& cuts) {
    geos::Context ctx;
    const geos::Geom a = geos::make_multipolygon(ctx, area);
    for (const Polygon& p : cuts)
        if (geos::check(ctx,
                        GEOSIntersects_r(ctx.handle(), a.get(), geos::make_polygon(ctx, p).get()),
                        "Intersects"))
            return true;
    return false;
}

std::optional<overlay::Outside> exact_outside(const MultiPolygon& area,
                                              const std::vector<Polygon>& cuts) {
    std::vector<convex::Ring> rings;
    for (const Polygon& p : cuts)
        rings.push_back(convex::ring_of(p));
    std::vector<const convex::Ring*> ptrs;
    for (const auto& r : rings)
        ptrs.push_back(&r);
    return overlay::area_outside(area, ptrs);
}

TEST(ExactOverlay, AgreesWithGeosOnVillagesWithHolesAndFootprintsAround) {
    // A notched village (not convex) with a hole, in UTM-sized coordinates, and a second part;
    // disks and wedges of random centres and radii around it.
    const double x0 = 650000.0, y0 = 2400000.0;
    Ring shell{{x0, y0},        {x0 + 2000, y0}, {x0 + 2000, y0 + 1500}, {x0 + 1000, y0 + 700},
               {x0, y0 + 1500}, {x0, y0}};
    Ring hole{{x0 + 300, y0 + 200},
              {x0 + 300, y0 + 500},
              {x0 + 700, y0 + 500},
              {x0 + 700, y0 + 200},
              {x0 + 300, y0 + 200}};
    const MultiPolygon village{Polygon{{shell, hole}},
                               regular_polygon({x0 + 3500, y0 + 500}, 400, 7, 0.3)};
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> x(x0 - 2000, x0 + 5000), y(y0 - 2000, y0 + 3000),
        r(300, 3000), turn(0, 1);
    double total = 0.0;
    for (int trial = 0; trial < 300; ++trial) {
        std::vector<Polygon> cuts;
        const int k = 1 + trial % 6;
        for (int i = 0; i < k; ++i)
            cuts.push_back(regular_polygon({x(rng), y(rng)}, r(rng), 8 + 8 * (i % 4), turn(rng)));
        const std::optional<overlay::Outside> exact = exact_outside(village, cuts);
        ASSERT_TRUE(exact.has_value()) << trial;
        const double expected = geos_outside(village, cuts);
        EXPECT_NEAR(exact->area, expected, 1e-9 * 3.2e6) << trial;
        EXPECT_EQ(exact->untouched, !geos_meets(village, cuts)) << trial;
        total += expected;
    }
    EXPECT_GT(total, 0.0);
    // Nothing cut: the whole area; the village inside one footprint: nothing left.
    EXPECT_NEAR(exact_outside(village, {})->area, geos_outside(village, {}), 1e-6);
    EXPECT_TRUE(exact_outside(village, {})->untouched);
    EXPECT_NEAR(exact_outside(village, {regular_polygon({x0 + 1500, y0 + 500}, 20000, 32)})->area,
                0.0, 1e-6);
    // A footprint in the hole, and one beside the notch (inside the village's box, outside
    // the village): nothing cut.
    const auto apart = exact_outside(village, {regular_polygon({x0 + 500, y0 + 350}, 100, 16),
                                               regular_polygon({x0 + 1000, y0 + 1300}, 300, 16)});
    EXPECT_TRUE(apart->untouched);
    EXPECT_EQ(apart->area, exact_outside(village, {})->area);
    // A footprint wholly inside the village touches it though no village edge enters it.
    EXPECT_FALSE(
        exact_outside(village, {regular_polygon({x0 + 1500, y0 + 300}, 100, 16)})->untouched);
}

TEST(ExactOverlay, EdgesAlongEachOtherAreLeftToGeos) {
    const MultiPolygon square{Polygon{{{{0, 0}, {1000, 0}, {1000, 1000}, {0, 1000}, {0, 0}}}}};
    // Two equal footprints: their edges lie along each other.
    const Polygon disk = regular_polygon({500, 1200}, 600, 32);
    EXPECT_FALSE(exact_outside(square, {disk, disk}).has_value());
    // A footprint whose edge runs along the village's edge.
    const Polygon half{{{{-500, 0}, {1500, 0}, {1500, -800}, {-500, -800}, {-500, 0}}}};
    EXPECT_FALSE(exact_outside(square, {half}).has_value());
    // Apart, the same footprint is exact.
    const Polygon below{{{{-500, -1}, {1500, -1}, {1500, -800}, {-500, -800}, {-500, -1}}}};
    EXPECT_NEAR(exact_outside(square, {below})->area, 1e6, 1e-6);
}

} // namespace
} // namespace whitezone
