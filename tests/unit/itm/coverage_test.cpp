// The ITM coverage model (coverage/itm.hpp) on synthetic DEMs and on the real SRTM tile
// N21E105: smooth-earth loss on flat ground, a ridge's shadow, a taller mast, the sector
// pattern, the reliability setting, the per-village values, and the DEM it needs.

#include "whitezone/config.hpp"
#include "whitezone/coverage.hpp"
#include "whitezone/coverage/itm.hpp"
#include "whitezone/coverage/terrain.hpp"
#include "whitezone/error.hpp"
#include "whitezone/read/raster.hpp"
#include "whitezone/report.hpp"

#include "support/support.hpp"

#include <gtest/gtest.h>
#include <ogr_spatialref.h>

#include <array>
#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <numbers>

namespace whitezone::test {
namespace {

// A square DEM of `n` × `n` cells of 30 m centred on (0, 0), heights from `z(x, y)`.
Raster<float> dem(int n, const std::function<double(double, double)>& z) {
    return synthetic_dem(n * 15.0, 30.0, z);
}

Station station(Tech tech, XY xy, std::optional<double> height = std::nullopt) {
    Station s;
    s.tech = tech;
    s.xy = xy;
    s.height_m = height;
    return s;
}

// The ITM coverage of `stations` over `ground` with footprints of `radius_m`.
ItmCoverage itm(const std::vector<Station>& stations, const Raster<float>& ground,
                CoverageOptions options, double radius_m) {
    for (auto& [tech, r] : options.radius_m)
        r = radius_m;
    options.use_station_range = false;
    options.model = CoverageModel("itm");
    return model_itm_coverage(stations, model_coverage(stations, options), ground, options);
}

double power_at(const ItmCoverage& c, XY p, ServiceClass cls = ServiceClass::Any) {
    int col = 0, row = 0;
    EXPECT_TRUE(c.signal.grid.cell_of(p, col, row));
    return c.signal.best_dbm[index_of(cls)][c.signal.grid.index(col, row)];
}

std::size_t served_cells(const ItmCoverage& c, ServiceClass cls = ServiceClass::Any) {
    const auto& v = c.raster.covered[index_of(cls)];
    return static_cast<std::size_t>(std::count(v.begin(), v.end(), 1));
}

} // namespace

// On flat ground a cell's received power is the EIRP less ITM's loss over a flat profile of
// its distance, at the reliability asked (90 % of locations), within the half-cell offset of
// the ray point from the cell centre.
TEST(ItmCoverage, FlatGroundAgreesWithItmsSmoothEarthLoss) {
    const Raster<float> flat = dem(201, [](double, double) { return 100.0; });
    CoverageOptions options;
    const ItmCoverage c = itm({station(Tech::G2, {15.0, 15.0})}, flat, options, 2900.0);
    ItmParameters p;
    p.h_tx_m = options.hata.antenna_height_m;
    p.h_rx_m = options.hata.receiver_height_m;
    p.f_mhz = options.hata.frequency_mhz.at(Tech::G2);
    p.location_pct = 90.0;
    const double eirp = options.hata.eirp_dbm.at(Tech::G2);
    double max_error = 0.0;
    int checked = 0;
    for (const double d : {400.0, 900.0, 1500.0, 2100.0, 2700.0})
        for (const double angle : {0.3, 1.7, 3.9}) {
            const XY at{15.0 + d * std::cos(angle), 15.0 + d * std::sin(angle)};
            int col = 0, row = 0;
            ASSERT_TRUE(flat.grid.cell_of(at, col, row));
            const XY centre = flat.grid.centre(col, row);
            const double dist = std::hypot(centre.x - 15.0, centre.y - 15.0);
            const auto n = static_cast<std::size_t>(std::round(dist / 30.0));
            const std::vector<double> z(n + 1, 100.0);
            const double expected =
                eirp - itm_point_to_point(z, dist / static_cast<double>(n), p).loss_db;
            max_error = std::max(max_error, std::abs(power_at(c, centre) - expected));
            ++checked;
        }
    EXPECT_EQ(checked, 15);
    EXPECT_LT(max_error, 0.5);
    // 2G serves the class "any" only; beyond the range nothing.
    EXPECT_TRUE(std::isnan(power_at(c, {15.0, 15.0}, ServiceClass::Broadband)));
    EXPECT_TRUE(std::isnan(power_at(c, {2950.0, 15.0})));
    EXPECT_EQ(c.signal.best_station[0][flat.grid.index(100, 100)], 0);
}

// A 150 m ridge 1 km east of a 30 m mast shadows a village 2 km east that the disk model
// (3.5 km for 4G) covers; a 300 m mast reaches it again; the side without a ridge is served
// either way.
TEST(ItmCoverage, RidgeShadowsAVillageThatATallerMastReaches) {
    const Raster<float> ground = dem(201, [](double x, double) {
        return 100.0 + 150.0 * std::max(0.0, 1.0 - std::abs(x - 1000.0) / 150.0);
    });
    CoverageOptions options;
    const XY village{2000.0, 0.0}, open{-2000.0, 0.0};
    const std::vector<Station> low = {station(Tech::G4, {0.0, 0.0}, 30.0)};
    const Footprints disk = model_coverage(low, options);
    ASSERT_TRUE(disk.items[0].covers(village));

    const ItmCoverage shadowed = itm(low, ground, options, 3500.0);
    EXPECT_FALSE(shadowed.raster.covers(ServiceClass::Any, village));
    EXPECT_FALSE(shadowed.raster.covers(ServiceClass::Broadband, village));
    EXPECT_TRUE(shadowed.raster.covers(ServiceClass::Broadband, open));
    EXPECT_LT(power_at(shadowed, village), options.itm.threshold_dbm.at(Tech::G4));

    const ItmCoverage tall = itm({station(Tech::G4, {0.0, 0.0}, 300.0)}, ground, options, 3500.0);
    EXPECT_TRUE(tall.raster.covers(ServiceClass::Broadband, village));
    EXPECT_GT(power_at(tall, village), power_at(shadowed, village) + 20.0);
}

// The 3GPP TR 36.814 horizontal pattern: 0 dB on the azimuth, −3 dB at half the beamwidth,
// −20 dB at most, symmetric and periodic; omni antennas have none.
TEST(ItmCoverage, SectorGainFollowsThe3gppPattern) {
    EXPECT_DOUBLE_EQ(sector_gain_db(0.0, 65.0), 0.0);
    EXPECT_NEAR(sector_gain_db(32.5, 65.0), -3.0, 1e-12);
    EXPECT_NEAR(sector_gain_db(-32.5, 65.0), -3.0, 1e-12);
    EXPECT_NEAR(sector_gain_db(360.0 + 32.5, 65.0), -3.0, 1e-12);
    EXPECT_DOUBLE_EQ(sector_gain_db(90.0, 65.0), -20.0);
    EXPECT_DOUBLE_EQ(sector_gain_db(180.0, 65.0), -20.0);
    EXPECT_DOUBLE_EQ(sector_gain_db(120.0, 360.0), 0.0);
}

// A sector pointing east on flat ground: 2 km east gets the boresight's power, 2 km west
// 20 dB less (the pattern's floor), and north, 90° off a 65° beam, also 20 dB less.
TEST(ItmCoverage, SectorAntennaGainTowardTheCell) {
    const Raster<float> flat = dem(201, [](double, double) { return 100.0; });
    Station s = station(Tech::G4, {0.0, 0.0});
    s.azimuth_deg = 90.0;
    s.beamwidth_deg = 65.0;
    const ItmCoverage sector = itm({s}, flat, CoverageOptions{}, 2900.0);
    const ItmCoverage omni = itm({station(Tech::G4, {0.0, 0.0})}, flat, CoverageOptions{}, 2900.0);
    EXPECT_NEAR(power_at(sector, {2010.0, 0.0}), power_at(omni, {2010.0, 0.0}), 1e-4);
    EXPECT_NEAR(power_at(sector, {-2010.0, 0.0}), power_at(omni, {-2010.0, 0.0}) - 20.0, 1e-3);
    EXPECT_NEAR(power_at(sector, {0.0, 2010.0}), power_at(omni, {0.0, 2010.0}) - 20.0, 1e-3);
}

// The band of a sector along a ray (sector_gain_between()): the lowest and the highest gain
// toward a span of bearings, on the axis, across north however written, off the axis, and
// with the back inside.
TEST(ItmCoverage, SectorGainBetweenBearings) {
    using Gains = std::pair<double, double>;
    EXPECT_EQ(sector_gain_between(80.0, 100.0, 90.0, 65.0), Gains(sector_gain_db(10.0, 65.0), 0.0));
    EXPECT_EQ(sector_gain_between(-10.0, 5.0, 0.0, 65.0), Gains(sector_gain_db(10.0, 65.0), 0.0));
    EXPECT_EQ(sector_gain_between(350.0, 365.0, 0.0, 65.0), Gains(sector_gain_db(10.0, 65.0), 0.0));
    EXPECT_EQ(sector_gain_between(20.0, 40.0, 300.0, 65.0),
              Gains(-20.0, sector_gain_db(80.0, 65.0)));
    EXPECT_EQ(sector_gain_between(5.0, 15.0, 300.0, 65.0),
              Gains(sector_gain_db(75.0, 65.0), sector_gain_db(65.0, 65.0)));
    EXPECT_EQ(sector_gain_between(100.0, 140.0, 300.0, 65.0), Gains(-20.0, -20.0));
    EXPECT_EQ(sector_gain_between(0.0, 10.0, 0.0, 360.0), Gains(0.0, 0.0));
}

// With the coarser sampling a sector's decision band is taken along each ray
// (ItmRasterOptions::gain_between) instead of the whole 20 dB of its pattern: over hills every
// cell is decided (its power plus the gain toward it against the threshold) as the full
// computation decides it, with fewer evaluations than with the wide band.
TEST(ItmCoverage, ASectorsDecisionBandIsTakenAlongEachRay) {
    const Raster<float> hills = dem(401, [](double x, double y) {
        return 200.0 + 60.0 * std::sin(x / 700.0) * std::cos(y / 900.0);
    });
    Station s = station(Tech::G4, {0.0, 0.0}, 30.0);
    s.azimuth_deg = 60.0;
    s.beamwidth_deg = 65.0;
    CoverageOptions options;
    for (auto& [tech, r] : options.radius_m)
        r = 5500.0;
    options.use_station_range = false;
    options.model = CoverageModel("itm");
    options.itm.threshold_dbm[Tech::G4] = -105.0; // an edge inside the range
    options.itm.far_from_m = 1000.0;
    options.itm.far_step = 4;
    const std::vector<Station> net{s};
    const Footprints footprints = model_coverage(net, options);
    const Footprint& f = footprints.items.at(0);
    ItmRasterOptions narrow = itm_radio_of(f, s, options);
    ASSERT_TRUE(narrow.gain_between);
    ItmRasterOptions wide = narrow;
    wide.gain_between = nullptr;
    ItmRasterOptions every = narrow;
    every.far_from_m = 0.0;
    every.far_step = 1;
    ItmRasterStats by_ray, whole;
    const Raster<float> full = itm_received_power(hills, s.xy, every);
    const Raster<float> along = itm_received_power(hills, s.xy, narrow, &by_ray);
    const Raster<float> wider = itm_received_power(hills, s.xy, wide, &whole);
    std::size_t served = 0, unserved = 0, differ = 0, differ_wide = 0;
    for (int row = 0; row < hills.grid.rows; ++row)
        for (int col = 0; col < hills.grid.cols; ++col) {
            const std::size_t i = hills.grid.index(col, row);
            if (std::isnan(full.values[i]))
                continue;
            const XY c = hills.grid.centre(col, row);
            const double gain =
                sector_gain_db(std::atan2(c.x, c.y) * 180.0 / std::numbers::pi - 60.0, 65.0);
            const auto decide = [&](const Raster<float>& p) {
                return p.values[i] + gain >= narrow.decision_low_dbm;
            };
            ++(decide(full) ? served : unserved);
            differ += decide(along) != decide(full) ? 1U : 0U;
            differ_wide += decide(wider) != decide(full) ? 1U : 0U;
        }
    std::cout << served << " cells served, " << unserved << " not; decided otherwise: " << differ
              << " (band along each ray), " << differ_wide << " (the whole pattern's); "
              << by_ray.evaluations << " against " << whole.evaluations << " evaluations\n";
    EXPECT_GT(served, 10000U);
    EXPECT_GT(unserved, 10000U);
    EXPECT_EQ(differ, 0U);
    EXPECT_EQ(differ_wide, 0U);
    EXPECT_LT(by_ray.evaluations, whole.evaluations * 9 / 10);
}

// Asking for the power reached at 90 % of locations instead of 50 % lowers every cell's
// power, so fewer cells reach the threshold.
TEST(ItmCoverage, HigherLocationReliabilityServesFewerCells) {
    const Raster<float> hills = dem(201, [](double x, double y) {
        return 200.0 + 60.0 * std::sin(x / 700.0) * std::cos(y / 900.0);
    });
    CoverageOptions options;
    options.itm.threshold_dbm[Tech::G4] = -85.0; // an edge inside the range
    options.itm.location_pct = 50.0;
    const std::vector<Station> net = {station(Tech::G4, {0.0, 0.0})};
    const ItmCoverage median = itm(net, hills, options, 2900.0);
    options.itm.location_pct = 90.0;
    const ItmCoverage reliable = itm(net, hills, options, 2900.0);
    EXPECT_GT(served_cells(median), 0U);
    EXPECT_LT(served_cells(reliable), served_cells(median));
    EXPECT_LT(power_at(reliable, {1500.0, 300.0}), power_at(median, {1500.0, 300.0}));
    std::cout << "served cells: " << served_cells(median) << " at 50 %, " << served_cells(reliable)
              << " at 90 % of locations\n";
}

// Two stations: each cell's best server is the stronger, and a village centre takes the
// best server's power and index; a 2G station serves "any" only.
TEST(ItmCoverage, VillagesTakeTheBestServerAtTheirCentre) {
    const Raster<float> flat = dem(201, [](double, double) { return 100.0; });
    const std::vector<Station> net = {station(Tech::G4, {-1500.0, 0.0}),
                                      station(Tech::G2, {1500.0, 0.0})};
    const ItmCoverage c = itm(net, flat, CoverageOptions{}, 2900.0);
    std::vector<Village> villages(3);
    villages[0].centre = {-1200.0, 0.0};
    villages[1].centre = {1200.0, 0.0};
    villages[2].centre = {1e6, 0.0}; // off the grid
    const SignalResult s = signal_at_villages(c.signal, villages);
    ASSERT_EQ(s.best_site_any.size(), 3U);
    EXPECT_EQ(s.best_site_any[0], 0);
    EXPECT_EQ(s.best_site_broadband[0], 0);
    EXPECT_EQ(s.best_site_any[1], 1);
    EXPECT_EQ(s.best_site_broadband[1], 0); // only the 4G station serves broadband
    EXPECT_LT(s.signal_dbm_centre_broadband[1], s.signal_dbm_centre_any[1]);
    EXPECT_DOUBLE_EQ(s.signal_dbm_centre_any[0], power_at(c, {-1200.0, 0.0}));
    EXPECT_EQ(s.best_site_any[2], -1);
    EXPECT_TRUE(std::isnan(s.signal_dbm_centre_any[2]));
}

// The model needs a DEM: without one the config is refused with the flag to give.
TEST(ItmCoverage, WithoutADemTheConfigIsRefused) {
    Config config;
    config.stations.path = "s.csv";
    config.villages.path = "v.gpkg";
    apply_config_json(config, R"({"coverage_model": "itm"})", "test");
    try {
        validate_config(config);
        FAIL() << "no error";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("needs a DEM; pass --dem FILE"), std::string::npos)
            << e.what();
    }
    config.dem = "dem.tif";
    EXPECT_NO_THROW(validate_config(config));
}

// On the real SRTM tile: a station on the ridge top at 1,358 m (105.566667 E, 21.555 N)
// serves more cells within 5 km than one in the valley 3 km to the west.
TEST(ItmCoverage, OnSrtmARidgeTopServesMoreThanAValley) {
    OGRSpatialReference utm, wgs;
    utm.importFromEPSG(32648);
    wgs.importFromEPSG(4326);
    wgs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    utm.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> to_utm(
        OGRCreateCoordinateTransformation(&wgs, &utm));
    ASSERT_TRUE(to_utm);
    auto project = [&](double lon, double lat) {
        double x = lon, y = lat;
        EXPECT_TRUE(to_utm->Transform(1, &x, &y));
        return XY{x, y};
    };
    const XY ridge = project(105.566667, 21.555), valley = project(105.541667, 21.543333);
    char* wkt = nullptr;
    utm.exportToWkt(&wkt);
    const std::string work_wkt(wkt);
    CPLFree(wkt);
    const Extent extent{std::min(ridge.x, valley.x) - 6000.0, std::min(ridge.y, valley.y) - 6000.0,
                        std::max(ridge.x, valley.x) + 6000.0, std::max(ridge.y, valley.y) + 6000.0};
    const Raster<float> ground =
        read_dem(std::string(WHITEZONE_SHARED_DATA_DIR) + "/srtm/N21E105.hgt", "dem", work_wkt,
                 extent, 90.0);
    const ItmCoverage top = itm({station(Tech::G4, ridge)}, ground, CoverageOptions{}, 5000.0);
    const ItmCoverage low = itm({station(Tech::G4, valley)}, ground, CoverageOptions{}, 5000.0);
    std::cout << "SRTM N21E105, 4G within 5 km: ridge top serves " << served_cells(top)
              << " cells, valley " << served_cells(low) << "\n";
    EXPECT_GT(served_cells(top), served_cells(low));
}

// The coarser sampling's settings reach each station's computation, and the stage counts what
// it computed (the -v line): over rolling hills with small bumps, a wide clearance tolerance
// refines no segment for the clearance, the default one some; the rest is the same check.
TEST(ItmCoverage, TheCoarserSamplingsSettingsAndCountsReachTheStage) {
    const Raster<float> hills = dem(201, [](double x, double y) {
        return 200.0 + 60.0 * std::sin(x / 700.0) * std::cos(y / 900.0) +
               25.0 * std::sin(x / 37.0) * std::cos(y / 53.0);
    });
    const std::vector<Station> stations{station(Tech::G4, {0.0, 0.0}, 30.0),
                                        station(Tech::G2, {400.0, -300.0}, 25.0)};
    CoverageOptions options;
    for (auto& [tech, r] : options.radius_m)
        r = 2900.0;
    options.use_station_range = false;
    options.model = CoverageModel("itm");
    const Footprints footprints = model_coverage(stations, options);
    TerrainStats full;
    model_itm_coverage(stations, footprints, hills, options, &full);
    EXPECT_GT(full.itm.evaluations, 10000U);
    EXPECT_EQ(full.itm.interpolated, 0U);
    options.itm.far_from_m = 1000.0;
    options.itm.far_step = 4;
    TerrainStats tight, loose;
    model_itm_coverage(stations, footprints, hills, options, &tight);
    options.itm.refine_clearance_m = 1000.0;
    model_itm_coverage(stations, footprints, hills, options, &loose);
    EXPECT_GT(tight.itm.interpolated, 1000U);
    EXPECT_LT(tight.itm.evaluations, full.itm.evaluations);
    EXPECT_GT(tight.itm.refined_clearance, 0U);
    EXPECT_EQ(loose.itm.refined_clearance, 0U);
    EXPECT_EQ(loose.itm.refined_visibility, tight.itm.refined_visibility);
    EXPECT_GT(loose.itm.interpolated, tight.itm.interpolated);
}

// With the coarser sampling, every station's cells near its antenna are computed, then the
// cells far out (those a check refines computed in full at once), each part in rounds of sites
// and each only where the station could still add service (its cell not yet served in one of
// its classes, by the rounds and passes before) or at a probe: the served cells and the
// probes' servers are those of computing every cell (each station's one-pass power against its
// threshold), and some cells far out are left out. The rounds do not depend on the threads: one
// thread and three give the same rasters.
TEST(ItmCoverage, ThePassesServeWhatComputingEveryCellServes) {
    const Raster<float> hills = dem(201, [](double x, double y) {
        return 200.0 + 60.0 * std::sin(x / 700.0) * std::cos(y / 900.0) +
               25.0 * std::sin(x / 37.0) * std::cos(y / 53.0);
    });
    // 18 sites (so that each part runs in two rounds), of every technology and several heights.
    std::vector<Station> stations;
    const std::array<Tech, 4> techs{Tech::G4, Tech::G2, Tech::G3, Tech::G5};
    for (int i = 0; i < 18; ++i)
        stations.push_back(station(techs[static_cast<std::size_t>(i) % techs.size()],
                                   {-2300.0 + 900.0 * (i % 6) + 37.0 * (i % 4),
                                    -1900.0 + 1500.0 * (i / 6) - 53.0 * (i % 3)},
                                   20.0 + 5.0 * (i % 4)));
    CoverageOptions options;
    for (auto& [tech, r] : options.radius_m)
        r = 3000.0;
    options.use_station_range = false;
    options.model = CoverageModel("itm");
    options.itm.far_from_m = 1000.0;
    options.itm.far_step = 4;
    const Footprints footprints = model_coverage(stations, options);
    std::vector<XY> probes;
    for (int i = -3; i <= 3; ++i)
        for (int j = -3; j <= 3; ++j)
            probes.push_back({i * 850.0 + 7.0, j * 850.0 - 11.0});
    TerrainStats stats;
    options.threads = 1;
    const ItmCoverage two =
        model_itm_coverage(stations, footprints, hills, options, &stats, nullptr, probes);
    options.threads = 3;
    const ItmCoverage three =
        model_itm_coverage(stations, footprints, hills, options, nullptr, nullptr, probes);
    for (std::size_t k = 0; k < kServiceClasses.size(); ++k) {
        EXPECT_EQ(three.signal.best_station[k], two.signal.best_station[k]);
        EXPECT_EQ(std::memcmp(three.signal.best_dbm[k].data(), two.signal.best_dbm[k].data(),
                              two.signal.best_dbm[k].size() * sizeof(float)),
                  0);
    }

    PerClass<std::vector<std::uint8_t>> covered;
    PerClass<std::vector<std::vector<std::uint32_t>>> servers;
    for (std::size_t k = 0; k < kServiceClasses.size(); ++k) {
        covered[k].assign(hills.grid.size(), 0);
        servers[k].assign(probes.size(), {});
    }
    for (const Footprint& f : footprints.items) {
        const Raster<float> power =
            itm_received_power(hills, f.centre, itm_radio_of(f, stations[f.station], options));
        const double threshold = options.itm.threshold_dbm.at(f.tech);
        const auto serves_cell = [&](std::size_t i) {
            return !std::isnan(power.values[i]) &&
                   static_cast<float>(power.values[i] - threshold) >= 0.0F;
        };
        for (ServiceClass cls : kServiceClasses) {
            if (!serves(cls, f.tech))
                continue;
            const std::size_t k = index_of(cls);
            for (std::size_t i = 0; i < hills.grid.size(); ++i)
                covered[k][i] = static_cast<std::uint8_t>(covered[k][i] | (serves_cell(i) ? 1 : 0));
            for (std::size_t p = 0; p < probes.size(); ++p) {
                int col = 0, row = 0;
                if (hills.grid.cell_of(probes[p], col, row) &&
                    serves_cell(hills.grid.index(col, row)))
                    servers[k][p].push_back(static_cast<std::uint32_t>(f.station));
            }
        }
    }
    for (std::size_t k = 0; k < kServiceClasses.size(); ++k) {
        EXPECT_EQ(two.raster.covered[k], covered[k]);
        EXPECT_EQ(two.probe_servers[k], servers[k]);
        EXPECT_GT(std::count(covered[k].begin(), covered[k].end(), 1), 1000);
    }
    const std::size_t refined =
        stats.itm.refined_visibility + stats.itm.refined_clearance + stats.itm.refined_margin;
    std::cout << stats.itm.left_out << " cells far out left out; " << refined
              << " refined cells computed in full\n";
    EXPECT_GT(stats.itm.left_out, 1000U);
    EXPECT_GT(refined, 100U);
    EXPECT_EQ(stats.itm.deferred, 0U);
}

// The passes take the stations that serve broadband (3G and newer) before those that serve
// `any` alone (2G), whatever the input's order: a 2G station then leaves out the cells that a
// broadband station of an earlier round serves (the other way round it could leave out none
// of a broadband station's, whose cells unserved in broadband stay open). Listing the 2G
// stations first or last gives the same work and the same served cells.
TEST(ItmCoverage, BroadbandStationsAreComputedBefore2GWhateverTheInputOrder) {
    const Raster<float> hills = dem(201, [](double x, double y) {
        return 200.0 + 50.0 * std::sin(x / 600.0) * std::cos(y / 800.0) +
               20.0 * std::sin(x / 41.0) * std::cos(y / 47.0);
    });
    // 16 sites, each with a 2G station of 2 km and a 4G station of 1.5 km (two work items:
    // their ranges differ), so that the passes run in four rounds.
    const auto sites = [](Tech tech) {
        std::vector<Station> out;
        for (int i = 0; i < 16; ++i)
            out.push_back(station(tech,
                                  {-1800.0 + 1200.0 * (i % 4) + 31.0 * (i % 3),
                                   -1800.0 + 1200.0 * (i / 4) - 29.0 * (i % 5)},
                                  25.0 + 5.0 * (i % 3)));
        return out;
    };
    std::vector<Station> g2_first = sites(Tech::G2), g4_first = sites(Tech::G4);
    for (const Station& s : sites(Tech::G4))
        g2_first.push_back(s);
    for (const Station& s : sites(Tech::G2))
        g4_first.push_back(s);
    CoverageOptions options;
    options.radius_m[Tech::G2] = 2000.0;
    options.radius_m[Tech::G4] = 1500.0;
    options.use_station_range = false;
    options.model = CoverageModel("itm");
    options.itm.far_from_m = 500.0;
    options.itm.far_step = 4;
    TerrainStats a, b;
    const ItmCoverage first = model_itm_coverage(g2_first, model_coverage(g2_first, options), hills,
                                                 options, &a, nullptr, {});
    const ItmCoverage last = model_itm_coverage(g4_first, model_coverage(g4_first, options), hills,
                                                options, &b, nullptr, {});
    for (std::size_t k = 0; k < kServiceClasses.size(); ++k)
        EXPECT_EQ(first.raster.covered[k], last.raster.covered[k]);
    EXPECT_GT(served_cells(first, ServiceClass::Broadband), 1000U);
    EXPECT_EQ(a.itm.evaluations, b.itm.evaluations);
    EXPECT_EQ(a.itm.left_out, b.itm.left_out);
    EXPECT_GT(a.itm.left_out, 10000U);
}

} // namespace whitezone::test
