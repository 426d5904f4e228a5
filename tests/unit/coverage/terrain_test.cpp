// The terrain mode on small synthetic DEMs: flat ground, a ridge, a raised antenna, a
// shallow obstacle with knife-edge diffraction.

#include "whitezone/classify.hpp"
#include "whitezone/coverage.hpp"
#include "whitezone/overlay.hpp"
#include "whitezone/read/raster.hpp"

#include "support/support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

using namespace whitezone;
using whitezone::test::square;

namespace {

// A DEM of `cell` metres over [-half, half]², heights from `z(x, y)`.
Raster<float> dem(double half, double cell, const std::function<double(double, double)>& z) {
    return whitezone::test::synthetic_dem(half, cell, z);
}

Station station(Tech tech, XY xy, std::optional<double> height = std::nullopt) {
    Station s;
    s.tech = tech;
    s.xy = xy;
    s.height_m = height;
    return s;
}

// A village on an axis-aligned rectangle, centred.
Village village(Polygon p) {
    Village v;
    const XY a = p.rings[0][0], c = p.rings[0][2];
    v.centre = {(a.x + c.x) / 2, (a.y + c.y) / 2};
    v.area_m2 = std::abs((c.x - a.x) * (c.y - a.y));
    v.area = {std::move(p)};
    return v;
}

// The terrain overlay of `in` over `ground`.
Overlay terrain(const PreparedInputs& in, const Raster<float>& ground,
                CoverageOptions options = {}) {
    const Footprints f = model_coverage(in.stations, options);
    const CoverageRaster raster = model_terrain_coverage(in.stations, f, ground, options);
    return overlay_villages_raster(in, raster, OverlayOptions{});
}

double share(const Overlay& o, std::size_t v, ServiceClass cls = ServiceClass::Any) {
    return o.villages[index_of(cls)][v].share;
}

// Area of a polygon's shell (shoelace).
double shell_area(const Polygon& p) {
    double twice = 0.0;
    const Ring& ring = p.rings[0];
    for (std::size_t i = 1; i < ring.size(); ++i)
        twice += ring[i - 1].x * ring[i].y - ring[i].x * ring[i - 1].y;
    return std::abs(twice) / 2.0;
}

// A ridge 100 m high and 100 m wide at x = 1,000–1,100 m, on flat ground at 0 m.
double ridge(double x, double) { return x >= 1000 && x <= 1100 ? 100.0 : 0.0; }

} // namespace

TEST(Terrain, KnifeEdgeLossFollowsItuP526) {
    EXPECT_DOUBLE_EQ(knife_edge_loss_db(-1.0), 0.0);  // clear of the first Fresnel zone
    EXPECT_NEAR(knife_edge_loss_db(0.0), 6.03, 0.01); // grazing: about 6 dB
    EXPECT_NEAR(knife_edge_loss_db(1.0), 13.92, 0.01);
    EXPECT_NEAR(knife_edge_loss_db(2.4), 20.5, 0.1);
    EXPECT_LT(knife_edge_loss_db(-0.5), knife_edge_loss_db(0.0));
}

// On flat ground every cell of the range is in sight: the terrain shares equal the disk
// model's (within 0.02, the cell-centre sampling), for disks and sectors alike.
TEST(Terrain, FlatGroundAgreesWithTheDiskModel) {
    PreparedInputs in;
    in.stations = {station(Tech::G4, {0, 0}), station(Tech::G2, {-2000, 2500})};
    in.stations[1].azimuth_deg = 90.0;
    in.stations[1].beamwidth_deg = 120.0;
    in.villages = {village(square(-500, -300, 400)),  village(square(3000, -200, 1000)),
                   village(square(5000, 5000, 500)),  village(square(-1500, 1800, 900)),
                   village(square(2500, 2500, 1200)), village(square(-3000, -3000, 700))};
    const Raster<float> flat = dem(6000, 10, [](double, double) { return 120.0; });
    const Overlay by_terrain = terrain(in, flat);
    const Footprints f = model_coverage(in.stations, {});
    const Overlay by_disk = overlay_villages(in, f, OverlayOptions{}, Log{});
    for (std::size_t v = 0; v < in.villages.size(); ++v)
        for (ServiceClass cls : kServiceClasses) {
            EXPECT_NEAR(share(by_terrain, v, cls), share(by_disk, v, cls), 0.02)
                << "village " << v << " class " << to_string(cls);
            EXPECT_EQ(by_terrain.villages[index_of(cls)][v].centre,
                      by_disk.villages[index_of(cls)][v].centre)
                << "village " << v;
        }
    EXPECT_GT(share(by_terrain, 1), 0.3); // the village across the edge is really partial
    EXPECT_LT(share(by_terrain, 1), 0.7);
}

TEST(Terrain, ARidgeBetweenStationAndVillageMakesItWhite) {
    PreparedInputs in;
    in.stations = {station(Tech::G4, {0, 0})};
    in.villages = {village(square(2000, -250, 500)),   // behind the ridge
                   village(square(-1500, -250, 500))}; // on the station's side
    const Overlay o = terrain(in, dem(4000, 10, ridge));
    EXPECT_DOUBLE_EQ(share(o, 0), 0.0);
    EXPECT_FALSE(o.villages[0][0].centre);
    EXPECT_EQ(classify_one(o.villages[0][0], false, ClassifyOptions{}), Status::White);
    EXPECT_DOUBLE_EQ(share(o, 1), 1.0);
    EXPECT_EQ(classify_one(o.villages[0][1], false, ClassifyOptions{}), Status::Covered);
}

// 250 m above the ground the antenna looks over the ridge: (100 − 250) / 1,000 is steeper
// downwards than (1.5 − 250) / 2,000, the line to the nearest house of the village.
TEST(Terrain, AnAntennaRaisedAboveTheRidgeReachesTheVillageAgain) {
    PreparedInputs in;
    in.stations = {station(Tech::G4, {0, 0}, 250.0)};
    in.villages = {village(square(2000, -250, 500))};
    const Overlay o = terrain(in, dem(4000, 10, ridge));
    EXPECT_DOUBLE_EQ(share(o, 0), 1.0);
    EXPECT_TRUE(o.villages[0][0].centre);
}

// A 16.5 m bump (20 m wide) halfway to a village 2 km away: 0.75 m above the line from a 30 m mast
// to a 1.5 m receiver. Line of sight alone cuts the signal; as a knife edge (v ≈ 0.08 at 900 MHz, J
// ≈ 6.7 dB) it fits in a 10 dB margin but not in a 3 dB one.
TEST(Terrain, DiffractionLetsAShallowObstacleCostDecibelsInsteadOfTheSignal) {
    PreparedInputs in;
    in.stations = {station(Tech::G2, {0, 0})};
    in.villages = {village(square(1990, -10, 20))};
    const Raster<float> bump =
        dem(3000, 10, [](double x, double) { return std::abs(x - 1000) < 6 ? 16.5 : 0.0; });
    CoverageOptions options;
    options.terrain.k_factor = 0.0;
    EXPECT_DOUBLE_EQ(share(terrain(in, bump, options), 0), 0.0);
    options.terrain.diffraction = true;
    options.terrain.diffraction_margin_db = 10.0;
    EXPECT_DOUBLE_EQ(share(terrain(in, bump, options), 0), 1.0);
    options.terrain.diffraction_margin_db = 3.0;
    EXPECT_DOUBLE_EQ(share(terrain(in, bump, options), 0), 0.0);
}

// With the Hata model the knife edge spends the link's own margin, EIRP − L(d) − threshold
// = B log(d0 / d): about 21 dB at 2 km from a default 2G mast (d0 ≈ 7.9 km), 3 dB at
// 0.82 d0. The same bump just above the line (≈ 6.5 dB) is paid near the mast, not there.
TEST(Terrain, WithHataTheKnifeEdgeSpendsTheLinkMargin) {
    PreparedInputs in;
    in.stations = {station(Tech::G2, {0, 0})};
    CoverageOptions options;
    options.model = CoverageModel::Hata;
    options.terrain.k_factor = 0.0;
    options.terrain.diffraction = true;
    const double radius = model_coverage(in.stations, options).items[0].radius_m;
    ASSERT_GT(radius, 5000.0);
    // Ground at 0 m, and with `bump` a 20 m wide wall 0.5 m above the line from the 30 m
    // mast to a receiver `at` metres away, halfway there.
    auto run = [&](double at, bool bump) {
        const double top = 30.0 + (1.5 - 30.0) / 2 + 0.5;
        in.villages = {village(square(at - 10, -10, 20))};
        return share(terrain(in,
                             dem(radius + 500, 10,
                                 [&](double x, double) {
                                     return bump && std::abs(x - at / 2) < 6 ? top : 0.0;
                                 }),
                             options),
                     0);
    };
    EXPECT_DOUBLE_EQ(run(2000, true), 1.0);
    const double far = std::round(0.82 * radius / 20) * 20; // the bump on cell edges
    EXPECT_DOUBLE_EQ(run(far, false), 1.0);
    EXPECT_DOUBLE_EQ(run(far, true), 0.0);
}

TEST(Terrain, ResultsDoNotDependOnThreads) {
    std::vector<Station> stations;
    for (int i = 0; i < 12; ++i)
        stations.push_back(
            station(i % 3 == 0 ? Tech::G2 : Tech::G4, {-2500.0 + 450.0 * i, 1500.0 * std::sin(i)}));
    const Raster<float> hills = dem(5000, 20, [](double x, double y) {
        return 80.0 * std::sin(x / 700.0) * std::cos(y / 900.0) + 40.0 * std::sin(y / 300.0);
    });
    CoverageOptions options;
    const Footprints f = model_coverage(stations, options);
    options.threads = 1;
    const CoverageRaster one = model_terrain_coverage(stations, f, hills, options);
    options.threads = 3;
    const CoverageRaster three = model_terrain_coverage(stations, f, hills, options);
    EXPECT_EQ(one.covered, three.covered);
    long covered = 0;
    for (auto c : one.covered[0])
        covered += c;
    EXPECT_GT(covered, 0);
    EXPECT_LT(covered, static_cast<long>(one.grid.size())); // hills hide something
}

TEST(Terrain, AStationWhereTheDemHasNoDataCoversNothingAndIsCounted) {
    std::vector<Station> stations = {station(Tech::G4, {0, 0}), station(Tech::G4, {9000, 0})};
    Raster<float> ground = dem(2000, 20, [](double, double) { return 0.0; });
    const Footprints f = model_coverage(stations, {});
    TerrainStats stats;
    const CoverageRaster r = model_terrain_coverage(stations, f, ground, {}, &stats);
    EXPECT_EQ(stats.without_ground, std::vector<std::size_t>{1});
    EXPECT_TRUE(r.covers(ServiceClass::Any, {100, 100}));
}

TEST(Terrain, PolygonizedCoverageHasTheCoveredCellsArea) {
    CoverageRaster r;
    r.grid = {0, 200, 20, 10, 10};
    for (auto& c : r.covered)
        c.assign(r.grid.size(), 0);
    for (int row = 2; row < 5; ++row)
        for (int col = 1; col < 6; ++col)
            r.covered[0][r.grid.index(col, row)] = 1; // 15 cells of 400 m²
    const MultiPolygon all = polygonize_coverage(r, ServiceClass::Any, r.grid);
    ASSERT_EQ(all.size(), 1u);
    EXPECT_NEAR(shell_area(all[0]), 15 * 400.0, 1e-6);
    EXPECT_TRUE(polygonize_coverage(r, ServiceClass::Broadband, r.grid).empty());
    // Clipped to the west half (columns 0–4): columns 1–4 of the block remain, 3 × 4 cells.
    const GridSpec west{0, 200, 20, 5, 10};
    const MultiPolygon clipped = polygonize_coverage(r, ServiceClass::Any, west);
    ASSERT_EQ(clipped.size(), 1u);
    EXPECT_NEAR(shell_area(clipped[0]), 12 * 400.0, 1e-6);
}

// Backhaul hops: 30 m masts 2 km apart do not see each other over the 100 m ridge between
// them; 150 m masts (the line at 150 m over the ridge) do; on flat ground they always do.
TEST(Terrain, MastsSeeEachOtherOverTheRidgeOnlyWhenTallEnough) {
    const Raster<float> wall = dem(4000, 10, ridge);
    EXPECT_FALSE(in_line_of_sight(wall, {0, 0}, 30, {2000, 0}, 30, 4.0 / 3.0));
    EXPECT_TRUE(in_line_of_sight(wall, {0, 0}, 150, {2000, 0}, 150, 4.0 / 3.0));
    EXPECT_TRUE(in_line_of_sight(wall, {0, 0}, 30, {900, 0}, 30, 4.0 / 3.0)); // same side
    const Raster<float> flat = dem(4000, 10, [](double, double) { return 50.0; });
    EXPECT_TRUE(in_line_of_sight(flat, {-3000, 0}, 2, {3000, 0}, 2, 4.0 / 3.0));
    // Over 60 km of flat ground the Earth's bulge (53 m at the middle for k = 4/3) hides
    // 30 m masts from each other; without curvature they see each other.
    const Raster<float> plain = dem(31000, 100, [](double, double) { return 0.0; });
    EXPECT_FALSE(in_line_of_sight(plain, {-30000, 0}, 30, {30000, 0}, 30, 4.0 / 3.0));
    EXPECT_TRUE(in_line_of_sight(plain, {-30000, 0}, 30, {30000, 0}, 30, 0.0));
    EXPECT_FALSE(in_line_of_sight(plain, {0, 0}, 30, {90000, 0}, 30, 0.0)); // no ground there
}

TEST(Terrain, HighestPointsAreTheTopsOfTheNearestHills) {
    const Raster<float> hill = dem(2000, 20, [](double x, double y) {
        return 300.0 * std::exp(-((x - 500) * (x - 500) + (y - 500) * (y - 500)) / 40000.0);
    });
    const auto tops = highest_points(hill, {{0, 0}, {-1500, -1500}, {5000, 5000}}, 1000.0);
    ASSERT_TRUE(tops[0]);
    EXPECT_NEAR(tops[0]->x, 500, 10.0);
    EXPECT_NEAR(tops[0]->y, 500, 10.0);
    ASSERT_TRUE(tops[1]); // the hill is 2.8 km away: the slope's highest cell within 1 km
    EXPECT_LT(std::hypot(tops[1]->x + 1500, tops[1]->y + 1500), 1000.0 + 15.0);
    EXPECT_GT(tops[1]->x + tops[1]->y, -3000.0 + 1000.0); // towards the hill
    EXPECT_FALSE(tops[2]);                                // outside the DEM
}

// A growing network: the coverage of the first stations plus the new ones' equals the
// coverage of all of them at once.
TEST(Terrain, StartingFromAnEarlierCoverageAddsOnlyTheNewStations) {
    const std::vector<Station> stations{station(Tech::G2, {-1500, 0}),
                                        station(Tech::G4, {1800, 900}),
                                        station(Tech::G3, {0, -2000})};
    const Raster<float> hills = dem(5000, 20, [](double x, double y) {
        return 70.0 * std::sin(x / 600.0) * std::cos(y / 800.0);
    });
    const CoverageOptions options;
    const Footprints all = model_coverage(stations, options);
    const CoverageRaster together = model_terrain_coverage(stations, all, hills, options);
    Footprints first = all, later = all;
    first.items.resize(1);
    later.items.erase(later.items.begin());
    const CoverageRaster before = model_terrain_coverage(stations, first, hills, options);
    const CoverageRaster grown =
        model_terrain_coverage(stations, later, hills, options, nullptr, &before);
    EXPECT_EQ(grown.covered, together.covered);
    EXPECT_NE(before.covered, together.covered);
}

// terrain_servers() gives each probe point the stations whose line of sight, run for that
// station alone, covers the probe's cell: checked on every probe of a 2 km lattice over
// the real SRTM tile N21E105 (mountains and valleys west of Hà Nội, 60 m cells), for 2G / 4G /
// 5G stations of several heights, omni and sector, without and with knife-edge diffraction,
// on one and on three threads.
TEST(Terrain, TheServersOfAPointAreTheStationsWhoseOwnLineOfSightCoversItsCell) {
    const std::string work_wkt = test::epsg_wkt(32648);
    // 105.55 E, 21.55 N in UTM 48N, and 12 km around it.
    const XY mid{557300.0, 2383500.0};
    const Raster<float> ground =
        read_dem(std::string(WHITEZONE_SHARED_DATA_DIR) + "/srtm/N21E105.hgt", "dem", work_wkt,
                 {mid.x - 12000, mid.y - 12000, mid.x + 12000, mid.y + 12000}, 60.0);
    std::vector<Station> stations;
    const Tech techs[] = {Tech::G2, Tech::G4, Tech::G5, Tech::G4};
    for (int i = 0; i < 12; ++i) {
        Station s =
            station(techs[i % 4], {mid.x - 7000.0 + 1300.0 * i, mid.y + 6000.0 * std::sin(1.7 * i)},
                    10.0 + 7.0 * (i % 5));
        if (i % 3 == 1) {
            s.azimuth_deg = 40.0 * i;
            s.beamwidth_deg = 65.0;
        }
        stations.push_back(s);
    }
    std::vector<XY> probes;
    for (double x = -11000; x <= 11000; x += 2000)
        for (double y = -11000; y <= 11000; y += 2000)
            probes.push_back({mid.x + x + 17.0, mid.y + y - 23.0});
    probes.push_back({mid.x + 50000.0, mid.y}); // off the grid

    for (const bool diffraction : {false, true}) {
        CoverageOptions options;
        options.terrain.diffraction = diffraction;
        const Footprints footprints = model_coverage(stations, options);
        ASSERT_EQ(footprints.items.size(), stations.size());
        // The long way: each station alone.
        PerClass<std::vector<std::vector<std::uint32_t>>> expected;
        for (auto& lists : expected)
            lists.assign(probes.size(), {});
        std::size_t served = 0, shadowed = 0;
        for (std::size_t i = 0; i < stations.size(); ++i) {
            Footprints one;
            one.items = {footprints.items[i]};
            one.items[0].station = 0;
            const CoverageRaster alone =
                model_terrain_coverage({stations[i]}, one, ground, options);
            for (std::size_t p = 0; p < probes.size(); ++p) {
                for (ServiceClass cls : kServiceClasses)
                    if (alone.covers(cls, probes[p]))
                        expected[index_of(cls)][p].push_back(static_cast<std::uint32_t>(i));
                const bool within = std::hypot(probes[p].x - footprints.items[i].centre.x,
                                               probes[p].y - footprints.items[i].centre.y) <
                                    footprints.items[i].radius_m - 100.0;
                if (within && !footprints.items[i].sector)
                    ++(alone.covers(ServiceClass::Any, probes[p]) ? served : shadowed);
            }
        }
        EXPECT_GT(served, 10u);
        EXPECT_GT(shadowed, 10u) << "the terrain hides part of the footprints";
        for (const int threads : {1, 3}) {
            options.threads = threads;
            EXPECT_EQ(terrain_servers(stations, footprints, ground, options, probes), expected)
                << "diffraction " << diffraction << ", threads " << threads;
        }
    }
}
