#include "whitezone/context.hpp"
#include "whitezone/coverage.hpp"
#include "whitezone/error.hpp"
#include "whitezone/generate.hpp"

#include "support/support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <set>
#include <stop_token>

using namespace whitezone;

namespace {

Station station(Tech tech, XY xy) {
    Station s;
    s.tech = tech;
    s.xy = xy;
    return s;
}

double ring_area(const Ring& r) {
    double a = 0.0;
    for (std::size_t i = 0; i + 1 < r.size(); ++i)
        a += r[i].x * r[i + 1].y - r[i + 1].x * r[i].y;
    return std::abs(a) / 2.0;
}

} // namespace

TEST(Coverage, RadiusComesFromTheTechnology) {
    const Footprints f = model_coverage({station(Tech::G2, {0, 0}), station(Tech::G3, {0, 0}),
                                         station(Tech::G4, {0, 0}), station(Tech::G5, {0, 0})},
                                        CoverageOptions{});
    ASSERT_EQ(f.items.size(), 4u);
    EXPECT_DOUBLE_EQ(f.items[0].radius_m, 5000.0);
    EXPECT_DOUBLE_EQ(f.items[1].radius_m, 3000.0);
    EXPECT_DOUBLE_EQ(f.items[2].radius_m, 3500.0);
    EXPECT_DOUBLE_EQ(f.items[3].radius_m, 1000.0);
    EXPECT_EQ(f.items[0].radius_source, RadiusSource::Technology);
}

TEST(Coverage, StationRangeReplacesTheTechnologyRadiusUnlessDisabled) {
    Station s = station(Tech::G4, {0, 0});
    s.range_m = 1234.0;
    CoverageOptions options;
    EXPECT_DOUBLE_EQ(model_coverage({s}, options).items[0].radius_m, 1234.0);
    EXPECT_EQ(model_coverage({s}, options).items[0].radius_source, RadiusSource::Station);
    options.use_station_range = false;
    EXPECT_DOUBLE_EQ(model_coverage({s}, options).items[0].radius_m, 3500.0);
}

TEST(Coverage, DiskPolygonHasQuadSegsVerticesPerQuarterAndNearlyTheCircleArea) {
    CoverageOptions options;
    options.quad_segs = 16;
    const Footprint f = model_coverage({station(Tech::G4, {100, 200})}, options).items[0];
    ASSERT_EQ(f.shape().rings.size(), 1u);
    EXPECT_EQ(f.shape().rings[0].size(), 65u); // 64 vertices + closing point
    const double circle = std::numbers::pi * 3500.0 * 3500.0;
    // A regular 64-gon inscribed in the circle has 99.84 % of its area.
    EXPECT_NEAR(ring_area(f.shape().rings[0]) / circle, 0.9984, 0.0005);
}

TEST(Coverage, DiskCoversPointsWithinItsRadius) {
    const Footprint f = model_coverage({station(Tech::G3, {0, 0})}, {}).items[0];
    EXPECT_TRUE(f.covers({0, 0}));
    EXPECT_TRUE(f.covers({2999.9, 0}));
    EXPECT_TRUE(f.covers({0, -3000}));
    EXPECT_FALSE(f.covers({2200, 2200})); // 3111 m away
}

TEST(Coverage, SectorCoversOnlyItsWedge) {
    Station s = station(Tech::G4, {0, 0});
    s.azimuth_deg = 90.0; // facing east
    s.beamwidth_deg = 60.0;
    const Footprint f = model_coverage({s}, {}).items[0];
    ASSERT_TRUE(f.sector);
    EXPECT_TRUE(f.covers({1000, 0}));     // due east
    EXPECT_TRUE(f.covers({1000, 500}));   // bearing 63.4°, inside 60..120
    EXPECT_FALSE(f.covers({1000, 1000})); // bearing 45°, outside
    EXPECT_FALSE(f.covers({-1000, 0}));   // behind the antenna
    EXPECT_FALSE(f.covers({3600, 0}));    // beyond the radius
}

TEST(Coverage, SectorAcrossNorthWrapsAround) {
    Station s = station(Tech::G4, {0, 0});
    s.azimuth_deg = 350.0;
    s.beamwidth_deg = 40.0; // 330° .. 10°
    const Footprint f = model_coverage({s}, {}).items[0];
    EXPECT_TRUE(f.covers({100, 1000}));  // bearing 5.7°
    EXPECT_TRUE(f.covers({-500, 1000})); // bearing 333°
    EXPECT_FALSE(f.covers({500, 1000})); // bearing 26.6°
}

TEST(Coverage, SectorPolygonIsAWedgeOfTheRightArea) {
    Station s = station(Tech::G4, {0, 0});
    s.azimuth_deg = 0.0;
    s.beamwidth_deg = 120.0;
    CoverageOptions options;
    options.quad_segs = 64;
    const Footprint f = model_coverage({s}, options).items[0];
    const double wedge = std::numbers::pi * 3500.0 * 3500.0 / 3.0;
    const Polygon shape = f.shape();
    EXPECT_NEAR(ring_area(shape.rings[0]) / wedge, 1.0, 0.001);
    for (const XY& p : shape.rings[0])
        EXPECT_GE(p.y, -1e-6); // a north-facing 120° wedge stays north of its apex
}

// A beamwidth far below any antenna's (1e-12°, allowed: it is in (0, 360]) still gives a
// wedge with distinct arc points at UTM coordinates, which GEOS accepts as a polygon (it once
// collapsed to a line and failed the overlay with "Invalid number of points in LinearRing").
TEST(Coverage, AHairlineSectorIsStillAPolygon) {
    Station s = station(Tech::G4, {700000.0, 2400000.0});
    s.azimuth_deg = 90.0;
    s.beamwidth_deg = 1e-12;
    const Footprints footprints = model_coverage({s}, {});
    const Polygon shape = footprints.items[0].shape();
    std::set<std::pair<double, double>> distinct;
    for (const XY& p : shape.rings[0])
        distinct.insert({p.x, p.y});
    EXPECT_GE(distinct.size(), 3U);
    EXPECT_GT(ring_area(shape.rings[0]), 0.0);
    EXPECT_FALSE(dissolve_coverage(footprints, ServiceClass::Any).empty());
}

TEST(Coverage, ZeroRadiusIsAnInputError) {
    CoverageOptions options;
    options.radius_m[Tech::G4] = 0.0;
    EXPECT_THROW(model_coverage({station(Tech::G4, {0, 0})}, options), InputError);
}

TEST(Coverage, DissolveMergesOverlappingFootprintsPerClass) {
    CoverageOptions options;
    options.radius_m[Tech::G2] = 1000.0;
    options.radius_m[Tech::G4] = 1000.0;
    const Footprints f = model_coverage(
        {station(Tech::G2, {0, 0}), station(Tech::G4, {500, 0}), station(Tech::G4, {10000, 0})},
        options);
    const MultiPolygon any = dissolve_coverage(f, ServiceClass::Any);
    const MultiPolygon broadband = dissolve_coverage(f, ServiceClass::Broadband);
    EXPECT_EQ(any.size(), 2u);       // the two overlapping disks merge into one part
    EXPECT_EQ(broadband.size(), 2u); // the 2G disk is not broadband
    double bb_area = 0.0;
    for (const auto& p : broadband)
        bb_area += ring_area(p.rings[0]);
    // Default quad_segs 8: regular 32-gons, 99.36 % of the circle each.
    EXPECT_NEAR(bb_area, 2 * 0.9936 * std::numbers::pi * 1e6, 0.002 * bb_area);
}

namespace {

double total_area(const MultiPolygon& mp) {
    double a = 0.0;
    for (const auto& p : mp) {
        a += ring_area(p.rings[0]);
        for (std::size_t h = 1; h < p.rings.size(); ++h)
            a -= ring_area(p.rings[h]);
    }
    return a;
}

// The union of every footprint of a class, without the outer-footprint shortcut.
MultiPolygon union_of_all(Footprints f, ServiceClass cls) {
    for (auto& flags : f.outer)
        for (std::size_t i = 0; i < f.items.size(); ++i)
            flags[i] = serves(cls, f.items[i].tech) ? 1 : 0;
    return dissolve_coverage(f, cls);
}

} // namespace

TEST(Coverage, ADiskInsideAnotherIsNotOuter) {
    const Footprints f = model_coverage(
        {station(Tech::G2, {0, 0}), station(Tech::G4, {0, 0}), station(Tech::G4, {8000, 0})}, {});
    const auto& any = f.outer[index_of(ServiceClass::Any)];
    EXPECT_TRUE(any[0]);  // the 2G disk, 5 km
    EXPECT_FALSE(any[1]); // the 4G disk of the same site, 3.5 km, inside it
    EXPECT_TRUE(any[2]);
    const auto& broadband = f.outer[index_of(ServiceClass::Broadband)];
    EXPECT_FALSE(broadband[0]); // 2G is not broadband
    EXPECT_TRUE(broadband[1]);  // without the 2G disk, the 4G disk is on the outside
}

TEST(Coverage, ADiskWithinAnotherDisksInnerCircleIsNotOuterThoughItsCellsStickOut) {
    // A 3 km 3G disk and a 3.5 km 4G disk on one site: the 3G disk's circle lies within the
    // 4G polygon's inner circle (3,483 m), though corners of the 8 x 8 cells over it do not.
    const Footprints f = model_coverage({station(Tech::G3, {0, 0}), station(Tech::G4, {0, 0})}, {});
    const auto& broadband = f.outer[index_of(ServiceClass::Broadband)];
    EXPECT_FALSE(broadband[0]);
    EXPECT_TRUE(broadband[1]);
    EXPECT_NEAR(total_area(dissolve_coverage(f, ServiceClass::Broadband)),
                total_area(union_of_all(f, ServiceClass::Broadband)), 1e-6);
    // 500 m apart the 3G circle reaches beyond the inner circle: it stays outer.
    const Footprints apart =
        model_coverage({station(Tech::G3, {500, 0}), station(Tech::G4, {0, 0})}, {});
    EXPECT_TRUE(apart.outer[index_of(ServiceClass::Broadband)][0]);
}

// The footprints of one mast: a shorter range inside a longer one's inner circle is not outer
// whatever else stands there; inside a sector of the mast it is, where the sector does not hold
// it.
TEST(Coverage, OnOneMastOnlyAFullDiskHoldsAShorterRangeByItsInnerCircle) {
    Station sector = station(Tech::G4, {0, 0});
    sector.azimuth_deg = 90.0;
    sector.beamwidth_deg = 120.0;
    const Footprints f = model_coverage(
        {station(Tech::G3, {0, 0}), sector, station(Tech::G5, {0, 0}), station(Tech::G2, {0, 0})},
        {});
    const auto& broadband = f.outer[index_of(ServiceClass::Broadband)];
    EXPECT_TRUE(broadband[0]) << "the 4G sector does not hold the 3G disk";
    EXPECT_FALSE(broadband[2]) << "the 3G disk holds the 5G one";
    const auto& any = f.outer[index_of(ServiceClass::Any)];
    EXPECT_FALSE(any[0]) << "the 2G disk holds the 3G one";
    EXPECT_TRUE(any[3]);
    for (ServiceClass cls : kServiceClasses)
        EXPECT_NEAR(total_area(dissolve_coverage(f, cls)), total_area(union_of_all(f, cls)),
                    1e-6 * total_area(union_of_all(f, cls)));
}

TEST(Coverage, ADiskCoveredByItsNeighboursIsNotOuterAndTheUnionIsUnchanged) {
    //   four 5 km disks around a 1 km disk at the origin cover it together
    //   (no single one covers it); a fifth disk far away is partly alone.
    std::vector<Station> s{station(Tech::G5, {0, 0}),         station(Tech::G2, {1500, 1500}),
                           station(Tech::G2, {-1500, 1500}),  station(Tech::G2, {1500, -1500}),
                           station(Tech::G2, {-1500, -1500}), station(Tech::G2, {20000, 0})};
    const Footprints f = model_coverage(s, {});
    EXPECT_FALSE(f.outer[index_of(ServiceClass::Any)][0]);
    EXPECT_TRUE(f.outer[index_of(ServiceClass::Any)][5]);
    EXPECT_NEAR(total_area(dissolve_coverage(f, ServiceClass::Any)),
                total_area(union_of_all(f, ServiceClass::Any)),
                1e-6 * total_area(union_of_all(f, ServiceClass::Any)));
}

TEST(Coverage, ADiskCoveredByLargerDisksOfOtherSizesTogetherIsNotOuter) {
    // A 1 km 5G disk: its western part lies inside a 5 km 2G disk 4.5 km to the west, its
    // eastern part inside a 3 km 3G disk 2.6 km to the east; neither holds it alone. The
    // larger disks are looked for as far as their own radii reach, not the small one's.
    const XY at{7000, 2500};
    const Footprints f = model_coverage(
        {station(Tech::G5, at), station(Tech::G2, {2500, 2500}), station(Tech::G3, {9600, 2500})},
        {});
    EXPECT_FALSE(f.outer[index_of(ServiceClass::Any)][0]);
    EXPECT_TRUE(f.outer[index_of(ServiceClass::Broadband)][0]) << "3G alone does not hold it";
    const Footprints west = model_coverage(
        {station(Tech::G5, at), station(Tech::G2, {2500, 2500}), station(Tech::G3, {16000, 2500})},
        {});
    EXPECT_TRUE(west.outer[index_of(ServiceClass::Any)][0]) << "2G alone does not hold it";
}

TEST(Coverage, ADiskOnlyPartlyCoveredStaysOuter) {
    const Footprints f =
        model_coverage({station(Tech::G4, {0, 0}), station(Tech::G2, {4000, 0})}, {});
    EXPECT_TRUE(f.outer[index_of(ServiceClass::Any)][0]);
    EXPECT_TRUE(f.outer[index_of(ServiceClass::Any)][1]);
}

TEST(Coverage, DissolvingOuterFootprintsGivesTheUnionOfAllOnAGeneratedCountry) {
    const PreparedInputs country = generate_country({400, 600, 3});
    CoverageOptions options;
    options.threads = 2;
    const Footprints f = model_coverage(country.stations, options);
    for (ServiceClass cls : kServiceClasses) {
        const auto& flags = f.outer[index_of(cls)];
        EXPECT_LT(std::count(flags.begin(), flags.end(), 1), static_cast<long>(f.items.size()));
        const double all = total_area(union_of_all(f, cls));
        EXPECT_NEAR(total_area(dissolve_coverage(f, cls, 2)), all, 1e-6 * all);
    }
}

namespace {

// Every ring's size and vertices of `a`, in order, for comparing shapes exactly.
std::vector<double> vertex_list(const MultiPolygon& a) {
    std::vector<double> out;
    for (const Polygon& p : a)
        for (const Ring& r : p.rings) {
            out.push_back(static_cast<double>(r.size()));
            for (const XY& v : r) {
                out.push_back(v.x);
                out.push_back(v.y);
            }
        }
    return out;
}

} // namespace

// Both classes dissolved together (their strips in one queue, as the pipeline does) give
// each class's own dissolve, vertex for vertex, in its own place, on any number of threads.
TEST(Coverage, BothClassesDissolvedTogetherAreEachClassDissolvedAlone) {
    const PreparedInputs country = generate_country({400, 600, 3});
    const Footprints f = model_coverage(country.stations, {});
    for (int threads : {1, 3}) {
        const PerClass<MultiPolygon> both = dissolve_coverage(f, threads);
        for (ServiceClass cls : kServiceClasses)
            EXPECT_EQ(vertex_list(both[index_of(cls)]), vertex_list(dissolve_coverage(f, cls, 1)))
                << threads;
    }
    EXPECT_NE(total_area(dissolve_coverage(f, 2)[index_of(ServiceClass::Any)]),
              total_area(dissolve_coverage(f, 2)[index_of(ServiceClass::Broadband)]));
}

// run_and_write() dissolves beside the write and stops the dissolve when the write fails or
// the run is cancelled: the workers take no more strips and it says so.
TEST(Coverage, ADissolveAskedToStopTakesNoMoreStripsAndThrowsCancelled) {
    const PreparedInputs country = generate_country({400, 600, 3});
    const Footprints f = model_coverage(country.stations, {});
    for (int threads : {1, 2}) {
        std::stop_source stop;
        stop.request_stop();
        try {
            (void)dissolve_coverage(f, threads, stop.get_token());
            ADD_FAILURE() << "no Cancelled on " << threads << " threads";
        } catch (const Cancelled& e) {
            EXPECT_STREQ(e.what(), "coverage: cancelled");
        }
    }
}

TEST(Coverage, OuterFootprintsDoNotDependOnTheThreadCount) {
    const PreparedInputs country = generate_country({300, 500, 4});
    CoverageOptions one, two;
    two.threads = 2;
    EXPECT_EQ(model_coverage(country.stations, one).outer,
              model_coverage(country.stations, two).outer);
}

// The generator's vertex spacing (generate --vertex-spacing) makes denser polygons of the
// same villages: same count, about the same area, several times the vertices.
TEST(Generate, AFinerVertexSpacingGivesDenserPolygonsOfTheSameVillages) {
    GenerateOptions coarse{400, 300, 5};
    GenerateOptions dense = coarse;
    dense.vertex_spacing_m = 40.0;
    const PreparedInputs a = generate_country(coarse), b = generate_country(dense);
    ASSERT_EQ(a.villages.size(), b.villages.size());
    auto vertices = [](const PreparedInputs& in) {
        std::size_t n = 0;
        for (const Village& v : in.villages)
            for (const Polygon& p : v.area)
                for (const Ring& r : p.rings)
                    n += r.size();
        return n;
    };
    EXPECT_GT(vertices(b), 3 * vertices(a));
    double area_a = 0.0, area_b = 0.0;
    for (std::size_t i = 0; i < a.villages.size(); ++i) {
        area_a += total_area(a.villages[i].area);
        area_b += total_area(b.villages[i].area);
    }
    EXPECT_NEAR(area_b, area_a, 0.01 * area_a);
    EXPECT_THROW(generate_country({400, 300, 5, 0.0}), UsageError);
}

// `whitezone generate` checks its output folder before it generates (a minute at XL), with
// the same answer as the write itself would give.
TEST(Generate, TheOutputFolderIsCheckedAsTheWriteChecksIt) {
    test::TempDir tmp;
    const std::string folder = tmp.path().string();
    EXPECT_NO_THROW(check_country_output(folder, false)); // nothing there yet
    write_country(generate_country({20, 5, 1}), folder, false);
    const std::string msg =
        test::message_of<InputError>([&] { check_country_output(folder, false); });
    EXPECT_NE(msg.find("villages.gpkg' already exists; pass --overwrite"), std::string::npos)
        << msg;
    EXPECT_THROW(write_country(generate_country({20, 5, 1}), folder, false), InputError);
    EXPECT_NO_THROW(check_country_output(folder, true));
    tmp.write("stations.gpkg", "not a GeoPackage");
    EXPECT_THROW(check_country_output(folder, true), InputError);
}
