#include "whitezone/context.hpp"
#include "whitezone/overlay.hpp"

#include "geos/geos.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <stop_token>

using namespace whitezone;
using whitezone::test::square;

namespace {

Village polygon_village(Polygon p, double area_m2, XY centre) {
    Village v;
    v.area = {std::move(p)};
    v.area_m2 = area_m2;
    v.centre = centre;
    return v;
}

Village point_village(XY p) {
    Village v;
    v.centre = p;
    v.centre_source = CentreSource::Point;
    return v;
}

Station cell(Tech tech, XY xy, std::optional<double> range = std::nullopt,
             std::optional<double> azimuth = std::nullopt,
             std::optional<double> beamwidth = std::nullopt) {
    Station s;
    s.tech = tech;
    s.xy = xy;
    s.range_m = range;
    s.azimuth_deg = azimuth;
    s.beamwidth_deg = beamwidth;
    return s;
}

Overlay run(const PreparedInputs& in, CoverageOptions coverage = {}, OverlayOptions opt = {}) {
    const Footprints f = model_coverage(in.stations, coverage);
    return overlay_villages(in, f, opt, Log{});
}

const VillageOverlay& any(const Overlay& o, std::size_t v) {
    return o.villages[index_of(ServiceClass::Any)][v];
}
const VillageOverlay& broadband(const Overlay& o, std::size_t v) {
    return o.villages[index_of(ServiceClass::Broadband)][v];
}

} // namespace

// A 100 m square whose centre sits on a 180° sector's straight edge:
//
//     +-----+-----+
//     |     |#####|     # = inside the east-facing half-plane wedge
//     |     A#####|     A = the antenna, at the square's centre
//     |     |#####|
//     +-----+-----+
TEST(Overlay, SquareHalfInsideASectorHasShareOneHalf) {
    PreparedInputs in;
    in.villages = {polygon_village(square(0, 0, 100), 10000.0, {25, 50})};
    in.stations = {cell(Tech::G4, {50, 50}, 5000.0, 90.0, 180.0)};
    const Overlay o = run(in);
    EXPECT_NEAR(any(o, 0).share, 0.5, 1e-9);
    EXPECT_FALSE(any(o, 0).centre); // the centre (25, 50) is west of the antenna
}

TEST(Overlay, SquareHalfInsideADiskHasShareOneHalf) {
    // A disk so large that its edge is nearly straight across the square, with a polygon
    // vertex exactly on the square's middle: the square [R-50, R+50] x [-50, 50].
    const double r = 1e6;
    PreparedInputs in;
    in.villages = {polygon_village(square(r - 50, -50, 100), 10000.0, {r - 25, 0})};
    in.stations = {cell(Tech::G4, {0, 0}, r)};
    CoverageOptions coverage;
    coverage.quad_segs = 64;
    const Overlay o = run(in, coverage);
    EXPECT_NEAR(any(o, 0).share, 0.5, 0.01);
    EXPECT_TRUE(any(o, 0).centre);
}

TEST(Overlay, OverlappingFootprintsAreNotCountedTwice) {
    PreparedInputs in;
    in.villages = {polygon_village(square(0, 0, 100), 10000.0, {75, 50})};
    in.stations = {cell(Tech::G4, {50, 50}, 5000.0, 90.0, 180.0),
                   cell(Tech::G4, {50, 50}, 5000.0, 90.0, 180.0)};
    EXPECT_NEAR(any(run(in), 0).share, 0.5, 1e-9);
}

TEST(Overlay, TwoHalvesFromTwoSectorsCoverTheWholeVillage) {
    PreparedInputs in;
    in.villages = {polygon_village(square(0, 0, 100), 10000.0, {75, 50})};
    in.stations = {cell(Tech::G4, {50, 50}, 5000.0, 90.0, 180.0),
                   cell(Tech::G4, {50, 50}, 5000.0, 270.0, 180.0)};
    EXPECT_NEAR(any(run(in), 0).share, 1.0, 1e-9);
}

TEST(Overlay, VillageFarFromEveryStationHasNoSignal) {
    PreparedInputs in;
    in.villages = {polygon_village(square(0, 0, 100), 10000.0, {50, 50})};
    in.stations = {cell(Tech::G2, {20000, 0})};
    const Overlay o = run(in);
    EXPECT_EQ(any(o, 0).share, 0.0);
    EXPECT_FALSE(any(o, 0).centre);
}

TEST(Overlay, TwoGOnlyVillageHasSignalButNoBroadband) {
    PreparedInputs in;
    in.villages = {polygon_village(square(0, 0, 100), 10000.0, {50, 50})};
    in.stations = {cell(Tech::G2, {0, 0})};
    const Overlay o = run(in);
    EXPECT_EQ(any(o, 0).share, 1.0);
    EXPECT_TRUE(any(o, 0).centre);
    EXPECT_EQ(broadband(o, 0).share, 0.0);
    EXPECT_FALSE(broadband(o, 0).centre);
}

TEST(Overlay, SmallDiskInsideALargeVillageCoversItsAreaShare) {
    // A 1 km 3G-range disk in the middle of a 10 km square: share = disk / square.
    PreparedInputs in;
    in.villages = {polygon_village(square(0, 0, 10000), 1e8, {5000, 5000})};
    in.stations = {cell(Tech::G3, {5000, 5000}, 1000.0)};
    // The disk is drawn as a regular 32-gon (quad_segs 8): n/(2π)·sin(2π/n) of the circle.
    const double n = 32.0;
    const double expected = n / (2 * std::numbers::pi) * std::sin(2 * std::numbers::pi / n) *
                            std::numbers::pi * 1e6 / 1e8;
    EXPECT_NEAR(any(run(in), 0).share, expected, 1e-4);
}

// A footprint whose box meets the village's but whose disk stays clear of it cuts nothing:
// the share is exactly 0, not the last bits by which the area left, summed from the
// village's edges, differs from its area_m2. The same where the footprint is not convex
// (a 300 degree sector, cut with GEOS).
TEST(Overlay, AFootprintThatMissesTheVillageLeavesAShareOfExactlyZero) {
    const double x0 = 612345.678, y0 = 2398765.432;
    Ring ring;
    for (int i = 0; i < 37; ++i) { // an irregular 37-gon of about 600 m
        const double a = 2.0 * std::numbers::pi * i / 37;
        const double r = 600.0 + 90.0 * std::sin(5.0 * a) + 17.0 * std::cos(11.0 * a);
        ring.push_back({x0 + r * std::cos(a), y0 + r * std::sin(a)});
    }
    ring.push_back(ring.front());
    geos::Context ctx;
    const MultiPolygon shape{Polygon{{ring}}};
    const double area_m2 = geos::area(ctx, geos::make_multipolygon(ctx, shape).get());
    // 3 km disks whose centres lie 3.75 km off along the diagonals: their boxes reach over
    // the village's corners, their circles stop about 1 km short of it.
    for (const double dir : {1.0, -1.0})
        for (const std::optional<double> beamwidth : {std::optional<double>{}, {300.0}}) {
            PreparedInputs in;
            in.villages = {polygon_village(Polygon{{ring}}, area_m2, {x0, y0})};
            const double d = 3750.0 / std::numbers::sqrt2;
            in.stations = {
                cell(Tech::G4, {x0 + dir * d, y0 + dir * d}, 3000.0,
                     beamwidth ? std::optional<double>{dir > 0 ? 225.0 : 45.0} : std::nullopt,
                     beamwidth)};
            const Overlay o = run(in);
            EXPECT_EQ(any(o, 0).share, 0.0) << dir;
            EXPECT_EQ(broadband(o, 0).share, 0.0) << dir;
        }
}

TEST(Overlay, PointVillageShareIsOneOrZeroFromItsCentre) {
    PreparedInputs in;
    in.villages = {point_village({100, 0}), point_village({9000, 0})};
    in.stations = {cell(Tech::G4, {0, 0})};
    const Overlay o = run(in);
    EXPECT_EQ(any(o, 0).share, 1.0);
    EXPECT_TRUE(any(o, 0).centre);
    EXPECT_EQ(any(o, 1).share, 0.0);
    EXPECT_FALSE(any(o, 1).centre);
}

TEST(Overlay, PointVillageWithARadiusUsesTheShareOfItsDisk) {
    // The point sits on the straight edge of an east-facing half-plane sector.
    PreparedInputs in;
    in.villages = {point_village({0, 0})};
    in.stations = {cell(Tech::G4, {0, 0}, 5000.0, 90.0, 180.0)};
    OverlayOptions opt;
    opt.village_radius_m = 200.0;
    EXPECT_NEAR(any(run(in, {}, opt), 0).share, 0.5, 0.01);
}

TEST(Overlay, ClustersWithoutSignalAreCounted) {
    PreparedInputs in;
    in.villages = {polygon_village(square(0, 0, 8000), 6.4e7, {1000, 1000})};
    in.stations = {cell(Tech::G4, {0, 0})};
    in.settlements = std::vector<Settlement>{
        {1, {500, 500}, 0, {}, {}}, {2, {7000, 7000}, 0, {}, {}}, {3, {1000, 2000}, 0, {}, {}}};
    const Overlay o = run(in);
    EXPECT_EQ(any(o, 0).clusters, 3);
    EXPECT_EQ(any(o, 0).clusters_without, 1);
}

TEST(Overlay, ResultsDoNotDependOnTheThreadCount) {
    PreparedInputs in;
    for (int i = 0; i < 300; ++i)
        in.villages.push_back(
            polygon_village(square(i * 1000.0, 0, 900), 810000.0, {i * 1000.0 + 450, 450}));
    for (int i = 0; i < 40; ++i)
        in.stations.push_back(cell(i % 2 ? Tech::G2 : Tech::G4, {i * 7300.0, 3000}));
    OverlayOptions one, four;
    four.threads = 4;
    const Overlay a = run(in, {}, one), b = run(in, {}, four);
    for (ServiceClass cls : kServiceClasses)
        for (std::size_t v = 0; v < in.villages.size(); ++v) {
            EXPECT_EQ(a.villages[index_of(cls)][v].share, b.villages[index_of(cls)][v].share);
            EXPECT_EQ(a.villages[index_of(cls)][v].centre, b.villages[index_of(cls)][v].centre);
        }
}

// The two coverage representations behind CoverageView, given the same disk (the raster made
// by rasterizing the footprint at 10 m), agree on what the pipeline asks of them: signal at
// points, each village's centre status and share, and the covered area.
TEST(CoverageView, FootprintsAndARasterOfTheSameDiskGiveTheSameAnswers) {
    PreparedInputs in;
    in.stations = {cell(Tech::G4, {0, 0}, 1000.0)};
    in.villages = {polygon_village(square(-200, -200, 400), 160000.0, {0, 0}),       // inside
                   polygon_village(square(900, -100, 200), 40000.0, {990, 0}),       // on the rim
                   polygon_village(square(3000, 3000, 200), 40000.0, {3100, 3100})}; // outside
    const Footprints f = model_coverage(in.stations, {});
    CoverageRaster raster;
    raster.grid = {-1500, 3500, 10, 500, 500};
    for (auto& cls : raster.covered)
        cls.assign(raster.grid.size(), 0);
    const SignalAt exact = signal_from_footprints(f);
    for (int row = 0; row < raster.grid.rows; ++row)
        for (int col = 0; col < raster.grid.cols; ++col)
            for (ServiceClass cls : kServiceClasses)
                raster.covered[index_of(cls)][raster.grid.index(col, row)] =
                    exact(cls, raster.grid.centre(col, row)) ? 1 : 0;

    const auto vector_view = footprint_coverage(f);
    const auto raster_view = raster_coverage(raster);
    EXPECT_EQ(vector_view->kind(), "footprints");
    EXPECT_EQ(raster_view->kind(), "raster");
    for (const XY p : {XY{0, 0}, XY{990, 0}, XY{1010, 0}, XY{3100, 3100}})
        EXPECT_EQ(vector_view->signal()(ServiceClass::Any, p),
                  raster_view->signal()(ServiceClass::Any, p))
            << p.x << " " << p.y;

    const Overlay a = vector_view->overlay(in, {}, Log{});
    const Overlay b = raster_view->overlay(in, {}, Log{});
    for (std::size_t v = 0; v < in.villages.size(); ++v) {
        EXPECT_EQ(any(a, v).centre, any(b, v).centre) << v;
        EXPECT_NEAR(any(a, v).share, any(b, v).share, 0.05) << v; // 10 m cells on the rim
    }
    EXPECT_TRUE(any(a, 0).centre);
    EXPECT_NEAR(any(a, 0).share, 1.0, 1e-9);
    EXPECT_NEAR(any(a, 2).share, 0.0, 1e-9);

    const Extent study{-1500, -1500, 3500, 3500};
    const double disk = std::numbers::pi * 1000.0 * 1000.0;
    const auto area = [](const MultiPolygon& m) { // shoelace: outer rings minus holes
        auto ring_area = [](const Ring& r) {
            double twice = 0.0;
            for (std::size_t i = 0; i + 1 < r.size(); ++i)
                twice += r[i].x * r[i + 1].y - r[i + 1].x * r[i].y;
            return std::abs(twice) / 2.0;
        };
        double sum = 0.0;
        for (const Polygon& p : m)
            for (std::size_t k = 0; k < p.rings.size(); ++k)
                sum += (k == 0 ? 1.0 : -1.0) * ring_area(p.rings[k]);
        return sum;
    };
    EXPECT_NEAR(area(vector_view->shapes(study, 1)[index_of(ServiceClass::Any)]), disk,
                0.01 * disk);
    EXPECT_NEAR(area(raster_view->shapes(study, 2)[index_of(ServiceClass::Any)]), disk,
                0.02 * disk);

    // A caller that no longer needs the polygons (the write failed, the run was cancelled)
    // stops either representation; a stop that is never requested changes nothing.
    std::stop_source stopped;
    stopped.request_stop();
    EXPECT_THROW((void)vector_view->shapes(study, 2, stopped.get_token()), Cancelled);
    EXPECT_THROW((void)raster_view->shapes(study, 2, stopped.get_token()), Cancelled);
    const std::stop_source running;
    EXPECT_NEAR(
        area(vector_view->shapes(study, 2, running.get_token())[index_of(ServiceClass::Any)]), disk,
        0.01 * disk);
}
