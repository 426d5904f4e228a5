// The union of convex footprints from the pieces of their sides (coverage/convex_union.hpp)
// against GEOS's union, and the cases it hands back to GEOS.

#include "whitezone/context.hpp"
#include "whitezone/coverage.hpp"
#include "whitezone/generate.hpp"

#include "coverage/convex_union.hpp"
#include "geos/geos.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

namespace whitezone {
namespace {

using test::regular_polygon;

std::vector<convex::Ring> rings_of(const std::vector<Polygon>& polygons) {
    std::vector<convex::Ring> out;
    for (const Polygon& p : polygons)
        out.push_back(convex::ring_of(p));
    return out;
}

double signed_area(const Ring& r) {
    double a = 0.0;
    for (std::size_t i = 0; i + 1 < r.size(); ++i)
        a += (r[i].x - r[0].x) * (r[i + 1].y - r[0].y) - (r[i + 1].x - r[0].x) * (r[i].y - r[0].y);
    return a / 2.0;
}

// How `mine` compares with GEOS's union of `polygons`: both areas and the area of their
// symmetric difference; each of mine valid for GEOS.
struct Against {
    double mine = 0.0, geos = 0.0, apart = 0.0;
    std::size_t my_parts = 0, geos_parts = 0, my_holes = 0, geos_holes = 0;
};

Against against_geos(const MultiPolygon& mine, const std::vector<Polygon>& polygons) {
    geos::Context ctx;
    const geos::Geom all = geos::make_multipolygon(ctx, polygons);
    const geos::Geom u = geos::own(ctx, GEOSUnaryUnion_r(ctx.handle(), all.get()), "UnaryUnion");
    const geos::Geom m = geos::make_multipolygon(ctx, mine);
    EXPECT_TRUE(geos::check(ctx, GEOSisValid_r(ctx.handle(), m.get()), "isValid"));
    const geos::Geom apart =
        geos::own(ctx, GEOSSymDifference_r(ctx.handle(), m.get(), u.get()), "SymDifference");
    Against a{geos::area(ctx, m.get()), geos::area(ctx, u.get()), geos::area(ctx, apart.get())};
    const MultiPolygon theirs = geos::to_multipolygon(ctx, u.get());
    a.my_parts = mine.size();
    a.geos_parts = theirs.size();
    for (const Polygon& p : mine)
        a.my_holes += p.rings.size() - 1;
    for (const Polygon& p : theirs)
        a.geos_holes += p.rings.size() - 1;
    return a;
}

void expect_orientation(const MultiPolygon& mp) {
    for (const Polygon& p : mp)
        for (std::size_t r = 0; r < p.rings.size(); ++r) {
            ASSERT_GE(p.rings[r].size(), 4u);
            EXPECT_EQ(p.rings[r].front().x, p.rings[r].back().x) << "closed";
            EXPECT_EQ(p.rings[r].front().y, p.rings[r].back().y) << "closed";
            EXPECT_EQ(signed_area(p.rings[r]) > 0.0, r == 0) << "shells CCW, holes CW";
        }
}

TEST(ConvexUnion, AgreesWithGeosOnDisksOfRandomCentresAndRadiiAtUtmCoordinates) {
    for (unsigned seed : {1u, 2u, 3u}) {
        std::mt19937 rng(seed);
        std::uniform_real_distribution<double> x(500000.0, 540000.0), y(2300000.0, 2340000.0),
            r(400.0, 3500.0);
        std::vector<Polygon> disks;
        for (int i = 0; i < 400; ++i)
            disks.push_back(regular_polygon({x(rng), y(rng)}, r(rng), i % 2 ? 64 : 32, 0.001 * i));
        const auto mine = coverage::convex_union(rings_of(disks), 2);
        ASSERT_TRUE(mine) << seed;
        expect_orientation(*mine);
        const Against a = against_geos(*mine, disks);
        EXPECT_NEAR(a.mine, a.geos, 1e-12 * a.geos) << seed;
        EXPECT_LT(a.apart, 1e-9 * a.geos) << seed;
        EXPECT_EQ(a.my_parts, a.geos_parts) << seed;
        EXPECT_EQ(a.my_holes, a.geos_holes) << seed;
        EXPECT_GT(a.my_holes, 0u) << seed << ": the test should have holes";
    }
}

TEST(ConvexUnion, AHoleGoesToItsShellAndAnIslandInTheHoleIsAPolygonOfItsOwn) {
    // Twelve disks on a circle around an uncovered middle, a small disk in the middle of that,
    // and a disk far away.
    std::vector<Polygon> disks;
    for (int i = 0; i < 12; ++i) {
        const double a = 2.0 * std::numbers::pi * i / 12;
        disks.push_back(regular_polygon({3000.0 * std::cos(a), 3000.0 * std::sin(a)}, 1000.0, 32));
    }
    disks.push_back(regular_polygon({0.0, 0.0}, 300.0, 32));
    disks.push_back(regular_polygon({20000.0, 0.0}, 1000.0, 32));
    for (int threads : {1, 3}) {
        const auto mine = coverage::convex_union(rings_of(disks), threads);
        ASSERT_TRUE(mine);
        expect_orientation(*mine);
        ASSERT_EQ(mine->size(), 3u);
        std::size_t with_hole = 0;
        for (const Polygon& p : *mine)
            with_hole += p.rings.size() == 2 ? 1 : 0;
        EXPECT_EQ(with_hole, 1u);
        const Against a = against_geos(*mine, disks);
        EXPECT_NEAR(a.mine, a.geos, 1e-12 * a.geos);
        EXPECT_LT(a.apart, 1e-9 * a.geos);
    }
}

TEST(ConvexUnion, TheResultDoesNotDependOnTheThreadCount) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> x(0.0, 30000.0), r(500.0, 3000.0);
    std::vector<Polygon> disks;
    for (int i = 0; i < 300; ++i)
        disks.push_back(regular_polygon({x(rng), x(rng)}, r(rng), 64));
    const auto one = coverage::convex_union(rings_of(disks), 1);
    ASSERT_TRUE(one);
    for (int threads : {2, 5})
        EXPECT_TRUE(test::same_area(*coverage::convex_union(rings_of(disks), threads), *one));
}

TEST(ConvexUnion, DeclinesWhereSidesRunAlongEachOtherOrAVertexLiesOnAnotherRingsSide) {
    const Polygon disk = regular_polygon({1000.0, 1000.0}, 500.0, 32);
    EXPECT_FALSE(coverage::convex_union(rings_of({disk, disk}), 1)) << "the same ring twice";
    const Polygon a{{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}}};
    const Polygon b{{{{10, 2}, {20, 2}, {20, 8}, {10, 8}, {10, 2}}}};
    EXPECT_FALSE(coverage::convex_union(rings_of({a, b}), 1)) << "a side along another";
    const Polygon c{{{{10, 5}, {15, 0}, {20, 5}, {15, 10}, {10, 5}}}};
    EXPECT_FALSE(coverage::convex_union(rings_of({a, c}), 1)) << "a vertex on a side";
    const Polygon d{{{{5, 5}, {15, 5}, {15, 15}, {5, 15}, {5, 5}}}};
    const auto crossing = coverage::convex_union(rings_of({a, d}), 1);
    ASSERT_TRUE(crossing) << "two squares crossing: no degeneracy";
    EXPECT_NEAR(against_geos(*crossing, {a, d}).mine, 175.0, 1e-9);
}

// The dissolve takes the pieces where it can and GEOS where they decline; the result is the
// union of the footprints either way.
Station station(Tech tech, XY xy, double azimuth = -1.0) {
    Station s;
    s.tech = tech;
    s.xy = xy;
    if (azimuth >= 0.0) {
        s.azimuth_deg = azimuth;
        s.beamwidth_deg = 120.0;
    }
    return s;
}

// The drawn footprints of the class (`outer`: the outer ones only).
std::vector<Polygon> shapes(const Footprints& f, ServiceClass cls, bool outer = false) {
    std::vector<Polygon> out;
    for (std::size_t i = 0; i < f.items.size(); ++i)
        if (outer ? f.outer[index_of(cls)][i] != 0 : serves(cls, f.items[i].tech))
            out.push_back(f.items[i].shape());
    return out;
}

TEST(ConvexUnion, TheDissolveIsTheUnionWithCoSitedTwinsAndWithSectorsSideBySide) {
    // Two operators' 4G cells on one mast (the same disk twice), a third nearby; then three
    // 120° sectors of one site, whose straight sides lie along each other (GEOS's case).
    const Footprints twins =
        model_coverage({station(Tech::G4, {500000, 2300000}), station(Tech::G4, {500000, 2300000}),
                        station(Tech::G4, {503000, 2300500})},
                       {});
    const Footprints sectors = model_coverage(
        {station(Tech::G4, {500000, 2300000}, 0.0), station(Tech::G4, {500000, 2300000}, 120.0),
         station(Tech::G4, {500000, 2300000}, 240.0), station(Tech::G2, {504000, 2300000})},
        {});
    for (const Footprints* f : {&twins, &sectors})
        for (ServiceClass cls : kServiceClasses) {
            const MultiPolygon u = dissolve_coverage(*f, cls, 2);
            const Against a = against_geos(u, shapes(*f, cls));
            EXPECT_NEAR(a.mine, a.geos, 1e-9 * a.geos);
            EXPECT_LT(a.apart, 1e-6 * a.geos);
            EXPECT_EQ(a.my_parts, a.geos_parts);
        }
}

// Layouts that real tables give and random ones seldom do: sites on a coarse lattice (many
// share an x or a y), a few ranges, masts shared by operators, sectors at round azimuths.
TEST(ConvexUnion, TheDissolveIsTheUnionOnAwkwardLayouts) {
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> lattice(0, 12), pick(0, 5), azimuth(0, 11);
    const Tech techs[] = {Tech::G2, Tech::G3, Tech::G4, Tech::G4, Tech::G5, Tech::G4};
    const double beams[] = {60.0, 90.0, 120.0, 180.0};
    int by_pieces = 0;
    for (int layout = 0; layout < 60; ++layout) {
        std::vector<Station> stations;
        for (int s = 0; s < 25; ++s) {
            const XY at{500000.0 + 1000.0 * lattice(rng), 2300000.0 + 1000.0 * lattice(rng)};
            const int kind = pick(rng);
            stations.push_back(station(techs[pick(rng)], at));
            if (kind == 0) // a second operator on the same mast
                stations.push_back(stations.back());
            if (kind == 1 && layout % 2) { // a sector instead
                stations.back().azimuth_deg = 30.0 * azimuth(rng);
                stations.back().beamwidth_deg = beams[pick(rng) % 4];
            }
        }
        const Footprints f = model_coverage(stations, {});
        for (ServiceClass cls : kServiceClasses) {
            by_pieces += coverage::convex_union(rings_of(shapes(f, cls, true)), 1) ? 1 : 0;
            const MultiPolygon u = dissolve_coverage(f, cls, 2);
            const Against a = against_geos(u, shapes(f, cls));
            EXPECT_NEAR(a.mine, a.geos, 1e-9 * a.geos) << layout;
            EXPECT_LT(a.apart, 1e-6 * a.geos) << layout;
            EXPECT_EQ(a.my_parts, a.geos_parts) << layout;
            EXPECT_EQ(a.my_holes, a.geos_holes) << layout;
        }
    }
    EXPECT_GT(by_pieces, 0) << "some layouts should not need GEOS";
}

TEST(ConvexUnion, TheDissolveOfAGeneratedCountryIsGeossUnionOfEveryFootprint) {
    const PreparedInputs country = generate_country({400, 600, 3});
    CoverageOptions options;
    options.quad_segs = 16;
    const Footprints f = model_coverage(country.stations, options);
    for (ServiceClass cls : kServiceClasses) {
        EXPECT_TRUE(coverage::convex_union(rings_of(shapes(f, cls, true)), 2))
            << "the pieces, not GEOS";
        const MultiPolygon u = dissolve_coverage(f, cls, 2);
        expect_orientation(u);
        const Against a = against_geos(u, shapes(f, cls));
        EXPECT_NEAR(a.mine, a.geos, 1e-12 * a.geos);
        EXPECT_LT(a.apart, 1e-9 * a.geos);
        EXPECT_EQ(a.my_parts, a.geos_parts);
        EXPECT_EQ(a.my_holes, a.geos_holes);
    }
}

} // namespace
} // namespace whitezone
