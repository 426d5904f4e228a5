// Unit tests of the Hata model: path losses against hand computations, the radius solver,
// the validity flags, hard limits, per-station values and model_coverage with "hata".

#include "whitezone/coverage.hpp"
#include "whitezone/coverage/hata.hpp"
#include "whitezone/error.hpp"

#include "support/support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace whitezone {
namespace {

using test::contains;

using test::message_of;
HataLink link(double f, HataEnvironment env, double hb = 30.0, double hm = 1.5) {
    HataLink l;
    l.frequency_mhz = f;
    l.environment = env;
    l.base_height_m = hb;
    l.mobile_height_m = hm;
    return l;
}

Station station(Tech tech) {
    Station s;
    s.row = 7;
    s.tech = tech;
    return s;
}

// Hand computation shared by the 900 MHz cases (hb 30 m, hm 1.5 m; log = log10):
//   log f  = log 900 = 2.954243          log hb = log 30 = 1.477121
//   a(hm)  = (1.1·2.954243 − 0.7)·1.5 − (1.56·2.954243 − 0.8)
//          = 3.824500 − 3.808618 = 0.015882
//   L(1km) = 69.55 + 26.16·2.954243 − 13.82·1.477121 − 0.015882
//          = 69.55 + 77.282984 − 20.413816 − 0.015882 = 126.403286
//   B      = 44.9 − 6.55·1.477121 = 44.9 − 9.675144 = 35.224856
constexpr double kUrban900At1Km = 126.403286;
constexpr double kSlopeAt30M = 35.224856;

TEST(Hata, UrbanLossAt900MHzMatchesTheHandComputation) {
    const HataLink l = link(900, HataEnvironment::Urban);
    // 1 km: log d = 0, so L = L(1km) = 126.40 dB.
    EXPECT_NEAR(hata_path_loss_db(l, 1.0), 126.40, 0.1);
    // 10 km: log d = 1, so L = 126.403 + 35.225 = 161.63 dB.
    EXPECT_NEAR(hata_path_loss_db(l, 10.0), 161.63, 0.1);
    EXPECT_NEAR(hata_path_loss_db(l, 1.0), kUrban900At1Km, 1e-4);
    EXPECT_NEAR(hata_path_loss_db(l, 10.0) - hata_path_loss_db(l, 1.0), kSlopeAt30M, 1e-4);
}

TEST(Hata, Cost231LossAt1800MHzMatchesTheHandComputation) {
    // log f = log 1800 = 3.255273
    // a(hm) = (1.1·3.255273 − 0.7)·1.5 − (1.56·3.255273 − 0.8) = 4.321200 − 4.278225 = 0.042975
    // L(1km) = 46.3 + 33.9·3.255273 − 13.82·1.477121 − 0.042975 (Cm = 0)
    //        = 46.3 + 110.353738 − 20.413816 − 0.042975 = 136.196947
    // L(10km) = 136.196947 + 35.224856 = 171.421803
    const HataLink l = link(1800, HataEnvironment::Urban);
    EXPECT_NEAR(hata_path_loss_db(l, 1.0), 136.20, 0.1);
    EXPECT_NEAR(hata_path_loss_db(l, 10.0), 171.42, 0.1);
}

TEST(Hata, SuburbanAndRuralCorrectionsMatchTheHandComputation) {
    // 900 MHz, 5 km: L_urban = 126.403286 + 35.224856·log 5 = 126.403286 + 24.621118
    //                        = 151.024404
    // suburban: log(900/28) = 1.507084; 2·1.507084² + 5.4 = 9.942607
    //           L = 151.024404 − 9.942607 = 141.081797
    // rural:    4.78·2.954243² − 18.33·2.954243 + 40.94 = 41.717683 − 54.151265 + 40.94
    //           = 28.506418;  L = 151.024404 − 28.506418 = 122.517986
    EXPECT_NEAR(hata_path_loss_db(link(900, HataEnvironment::Urban), 5.0), 151.02, 0.1);
    EXPECT_NEAR(hata_path_loss_db(link(900, HataEnvironment::Suburban), 5.0), 141.08, 0.1);
    EXPECT_NEAR(hata_path_loss_db(link(900, HataEnvironment::Rural), 5.0), 122.52, 0.1);
    // 1800 MHz (COST-231), 1 km: suburban 2·(log(1800/28))² + 5.4 = 2·1.808136² + 5.4
    // = 11.938556 → 136.196947 − 11.938556 = 124.258391; rural 4.78·3.255273² −
    // 18.33·3.255273 + 40.94 = 31.923555 → 136.196947 − 31.923555 = 104.273392.
    EXPECT_NEAR(hata_path_loss_db(link(1800, HataEnvironment::Suburban), 1.0), 124.26, 0.1);
    EXPECT_NEAR(hata_path_loss_db(link(1800, HataEnvironment::Rural), 1.0), 104.27, 0.1);
}

TEST(Hata, OkumuraHataHoldsUpTo1500MHzAndCost231Above) {
    // At 1500 MHz: Hata 69.55 + 26.16 log f, just above: COST-231 46.3 + 33.9 log f; the two
    // differ by 1.3 dB there (46.3 + 33.9·3.176091 − 69.55 − 26.16·3.176091 = 1.33).
    const double hata = hata_path_loss_db(link(1500, HataEnvironment::Urban), 1.0);
    const double cost = hata_path_loss_db(link(1500.001, HataEnvironment::Urban), 1.0);
    EXPECT_NEAR(cost - hata, 1.33, 0.01);
}

TEST(Hata, LossGrowsWithDistanceAndFrequencyAndFallsWithAntennaHeight) {
    const HataLink l = link(900, HataEnvironment::Suburban);
    EXPECT_LT(hata_path_loss_db(l, 2.0), hata_path_loss_db(l, 3.0));
    EXPECT_LT(hata_path_loss_db(l, 2.0),
              hata_path_loss_db(link(1800, HataEnvironment::Suburban), 2.0));
    EXPECT_GT(hata_path_loss_db(l, 2.0),
              hata_path_loss_db(link(900, HataEnvironment::Suburban, 60.0), 2.0));
}

TEST(Hata, RadiusInvertsTheLoss) {
    for (HataEnvironment env :
         {HataEnvironment::Rural, HataEnvironment::Suburban, HataEnvironment::Urban})
        for (double f : {450.0, 900.0, 1800.0, 2100.0, 2600.0, 3500.0})
            for (double hb : {15.0, 30.0, 45.0, 120.0}) {
                const HataLink l = link(f, env, hb);
                const HataRadius r = hata_radius(l, 50.0, -95.0, 1e5);
                ASSERT_FALSE(r.capped);
                EXPECT_NEAR(hata_path_loss_db(l, r.radius_m / 1000.0), 50.0 - -95.0, 1e-9)
                    << "f " << f << " hb " << hb << " env " << to_string(env);
            }
}

TEST(Hata, RadiusOfTheWorkedExample) {
    // 900 MHz urban, hb 30 m, EIRP 58 dBm, threshold −90 dBm: allowed loss 148 dB;
    // d = 10^((148 − 126.403286) / 35.224856) = 10^0.613107 = 4.103 km.
    const HataRadius r = hata_radius(link(900, HataEnvironment::Urban), 58.0, -90.0, 30000.0);
    EXPECT_NEAR(r.radius_m, 4103.1, 0.5);
    EXPECT_NEAR(r.uncapped_m, r.radius_m, 1e-9);
    EXPECT_EQ(r.flag(), "");
}

TEST(Hata, HigherAntennaGivesALargerRadius) {
    double previous = 0.0;
    for (double hb : {10.0, 20.0, 30.0, 50.0, 100.0, 200.0, 300.0}) {
        const double r =
            hata_radius(link(1800, HataEnvironment::Suburban, hb), 33.0, -110.0, 1e5).radius_m;
        EXPECT_GT(r, previous) << "hb " << hb;
        previous = r;
    }
}

TEST(Hata, RadiusGrowsWithEirpAndShrinksWithAStricterThreshold) {
    const HataLink l = link(900, HataEnvironment::Suburban);
    const double base = hata_radius(l, 58.0, -90.0, 1e5).radius_m;
    EXPECT_GT(hata_radius(l, 61.0, -90.0, 1e5).radius_m, base);
    EXPECT_LT(hata_radius(l, 58.0, -85.0, 1e5).radius_m, base);
}

TEST(Hata, RadiusIsCappedAndFlagged) {
    // Rural 900 MHz with 170 dB allowed: 10^((170 − 97.896868) / 35.224856) = 111 km.
    const HataRadius r = hata_radius(link(900, HataEnvironment::Rural), 60.0, -110.0, 30000.0);
    EXPECT_TRUE(r.capped);
    EXPECT_DOUBLE_EQ(r.radius_m, 30000.0);
    EXPECT_GT(r.uncapped_m, 100000.0);
    EXPECT_TRUE(r.distance_extrapolated); // 30 km is beyond 20 km
    EXPECT_EQ(r.flag(), "distance_extrapolated,capped");
    // A cap inside the validity range: only "capped".
    EXPECT_EQ(hata_radius(link(900, HataEnvironment::Rural), 60.0, -110.0, 15000.0).flag(),
              "capped");
}

TEST(Hata, ExtrapolationsAreFlagged) {
    // 3500 MHz: COST-231 extrapolated; 15 m mast: below Hata's 30 m.
    const HataRadius r =
        hata_radius(link(3500, HataEnvironment::Suburban, 15.0), 35.0, -110.0, 30000.0);
    EXPECT_TRUE(r.frequency_extrapolated);
    EXPECT_TRUE(r.height_extrapolated);
    EXPECT_FALSE(r.capped);
    EXPECT_TRUE(contains(r.flag(), "frequency_extrapolated,height_extrapolated"));
    // A small allowed loss puts the radius below 1 km.
    const HataRadius near = hata_radius(link(900, HataEnvironment::Urban), 20.0, -100.0, 30000.0);
    EXPECT_LT(near.radius_m, 1000.0);
    EXPECT_GT(near.radius_m, 0.0);
    EXPECT_EQ(near.flag(), "distance_extrapolated");
}

TEST(Hata, InputsOutsideTheHardLimitsAreErrors) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    auto loss = [](double f, double hb, double hm, double d) {
        return hata_path_loss_db(link(f, HataEnvironment::Urban, hb, hm), d);
    };
    EXPECT_THROW(loss(100, 30, 1.5, 1), std::invalid_argument); // below 150 MHz
    EXPECT_THROW(loss(149.9, 30, 1.5, 1), std::invalid_argument);
    EXPECT_THROW(loss(7000, 30, 1.5, 1), std::invalid_argument); // millimetre waves
    EXPECT_THROW(loss(nan, 30, 1.5, 1), std::invalid_argument);
    EXPECT_THROW(loss(900, 0, 1.5, 1), std::invalid_argument);   // no mast
    EXPECT_THROW(loss(900, 850, 1.5, 1), std::invalid_argument); // an altitude
    EXPECT_THROW(loss(900, 30, 0.5, 1), std::invalid_argument);
    EXPECT_THROW(loss(900, 30, 12, 1), std::invalid_argument);
    EXPECT_THROW(loss(900, 30, 1.5, 0), std::invalid_argument);
    EXPECT_THROW(loss(900, 30, 1.5, -2), std::invalid_argument);
    EXPECT_NO_THROW(loss(150, 1, 1, 0.01));
    EXPECT_NO_THROW(loss(6000, 300, 10, 100));

    const HataLink ok = link(900, HataEnvironment::Urban);
    EXPECT_THROW(hata_radius(ok, 200.0, -90.0, 30000.0), std::invalid_argument); // EIRP
    EXPECT_THROW(hata_radius(ok, 58.0, 10.0, 30000.0), std::invalid_argument);   // threshold
    EXPECT_THROW(hata_radius(ok, 58.0, -90.0, 0.0), std::invalid_argument);
    EXPECT_THROW(hata_radius(link(120, HataEnvironment::Urban), 58.0, -90.0, 30000.0),
                 std::invalid_argument);
    const std::string msg = message_of<std::invalid_argument>(
        [] { hata_path_loss_db(link(100, HataEnvironment::Urban), 1.0); });
    EXPECT_TRUE(contains(msg, "frequency 100 MHz is outside [150, 6000] MHz")) << msg;
}

TEST(Hata, EnvironmentNamesRoundTrip) {
    for (HataEnvironment e :
         {HataEnvironment::Rural, HataEnvironment::Suburban, HataEnvironment::Urban})
        EXPECT_EQ(parse_hata_environment(to_string(e)), e);
    EXPECT_FALSE(parse_hata_environment("open").has_value());
    EXPECT_FALSE(parse_hata_environment("Urban").has_value());
}

TEST(Hata, DefaultsGiveTheRadiiInTheDocs) {
    // docs/method.md, "Radius from a path-loss model (Hata)": suburban, hb 30 m, hm 1.5 m.
    const HataOptions defaults;
    auto radius = [&](Tech t) { return station_hata_radius(station(t), defaults).radius_m; };
    EXPECT_NEAR(radius(Tech::G2), 7859.0, 1.0); // 900 MHz, 58 − (−90) = 148 dB
    EXPECT_NEAR(radius(Tech::G3), 5830.0, 1.0); // 2100 MHz, 48 − (−105) = 153 dB
    EXPECT_NEAR(radius(Tech::G4), 3405.0, 1.0); // 1800 MHz, 33 − (−110) = 143 dB
    EXPECT_NEAR(radius(Tech::G5), 2375.0, 1.0); // 3500 MHz, 35 − (−110) = 145 dB
}

TEST(Hata, StationValuesReplaceTheTechnologyDefaults) {
    HataOptions options;
    options.environment = HataEnvironment::Urban;
    Station s = station(Tech::G4); // defaults: 1800 MHz, 33 dBm, −110 dBm, hb 30 m
    s.freq_mhz = 900.0;
    s.eirp_dbm = 20.0;
    s.height_m = 30.0;
    // 900 MHz urban, hb 30: allowed loss 20 + 110 = 130 dB → 10^((130 − 126.403286) /
    // 35.224856) km = 1.265 km.
    EXPECT_NEAR(station_hata_radius(s, options).radius_m, 1265.3, 0.5);
    s.height_m = 60.0;
    EXPECT_GT(station_hata_radius(s, options).radius_m, 1265.3);
}

TEST(Hata, BadStationValuesAreInputErrorsNamingTheRowAndRole) {
    Station s = station(Tech::G2);
    s.height_m = 0.0;
    std::string msg = message_of<InputError>([&] { station_hata_radius(s, {}); });
    EXPECT_TRUE(contains(msg, "station row 7, height_m: antenna height 0 m")) << msg;
    EXPECT_TRUE(contains(msg, "\"hata.antenna_height_m\"")) << msg;

    s = station(Tech::G3);
    s.freq_mhz = 90.0;
    msg = message_of<InputError>([&] { station_hata_radius(s, {}); });
    EXPECT_TRUE(contains(msg, "station row 7, freq_mhz: frequency 90 MHz is outside")) << msg;
    EXPECT_TRUE(contains(msg, "\"hata.frequency_mhz.3G\"")) << msg;

    s = station(Tech::G4);
    s.eirp_dbm = 250.0;
    msg = message_of<InputError>([&] { station_hata_radius(s, {}); });
    EXPECT_TRUE(contains(msg, "eirp_dbm: EIRP 250 dBm")) << msg;
}

TEST(Hata, MissingOrBadDefaultsAreUsageErrors) {
    HataOptions options;
    options.threshold_dbm.erase(Tech::G5);
    std::string msg =
        message_of<UsageError>([&] { station_hata_radius(station(Tech::G5), options); });
    EXPECT_TRUE(contains(msg, "no \"hata.threshold_dbm\" for 5G")) << msg;

    options = HataOptions{};
    options.frequency_mhz[Tech::G2] = 50.0;
    msg = message_of<UsageError>([&] { station_hata_radius(station(Tech::G2), options); });
    EXPECT_TRUE(contains(msg, "\"hata.frequency_mhz.2G\": frequency 50 MHz")) << msg;

    options = HataOptions{};
    options.receiver_height_m = 20.0;
    msg = message_of<UsageError>([&] { station_hata_radius(station(Tech::G2), options); });
    EXPECT_TRUE(contains(msg, "receiver height 20 m")) << msg;
}

TEST(Hata, ModelCoverageUsesTheHataRadiusAndRecordsItsSource) {
    CoverageOptions options;
    options.model = CoverageModel::Hata;
    options.hata.environment = HataEnvironment::Urban;
    options.hata.eirp_dbm[Tech::G2] = 58.0;
    options.hata.threshold_dbm[Tech::G2] = -90.0;
    Station s = station(Tech::G2);
    s.xy = {1000.0, 2000.0};
    const Footprints f = model_coverage({s}, options);
    ASSERT_EQ(f.items.size(), 1u);
    // The worked example: 900 MHz urban, hb 30 m, 148 dB → 4,103 m.
    EXPECT_NEAR(f.items[0].radius_m, 4103.1, 0.5);
    EXPECT_EQ(f.items[0].radius_source, RadiusSource::Hata);
    EXPECT_EQ(to_string(f.items[0].radius_source), "hata");
    EXPECT_EQ(f.items[0].radius_flag, "");
    EXPECT_TRUE(f.items[0].covers({1000.0 + 4100.0, 2000.0}));
    EXPECT_FALSE(f.items[0].covers({1000.0 + 4110.0, 2000.0}));
}

TEST(Hata, StationRangeStillWinsUnlessDisabled) {
    CoverageOptions options;
    options.model = CoverageModel::Hata;
    Station s = station(Tech::G4);
    s.range_m = 1234.0;
    Footprint f = model_coverage({s}, options).items[0];
    EXPECT_DOUBLE_EQ(f.radius_m, 1234.0);
    EXPECT_EQ(f.radius_source, RadiusSource::Station);
    options.use_station_range = false;
    f = model_coverage({s}, options).items[0];
    EXPECT_EQ(f.radius_source, RadiusSource::Hata);
    EXPECT_NEAR(f.radius_m, 3400.0, 50.0);
}

TEST(Hata, ModelCoverageFlagsExtrapolatedRadiiAndRejectsBadStations) {
    CoverageOptions options;
    options.model = CoverageModel::Hata;
    // 5G at the default 3500 MHz is outside COST-231's 2000 MHz.
    EXPECT_EQ(model_coverage({station(Tech::G5)}, options).items[0].radius_flag,
              "frequency_extrapolated");
    Station bad = station(Tech::G2);
    bad.height_m = 1200.0;
    EXPECT_THROW(model_coverage({bad}, options), InputError);
    // The disk model ignores the Hata fields.
    options.model = CoverageModel::Disk;
    EXPECT_DOUBLE_EQ(model_coverage({bad}, options).items[0].radius_m, 5000.0);
}

TEST(Hata, CoverageModelNamesRoundTrip) {
    EXPECT_EQ(parse_coverage_model("disk"), CoverageModel::Disk);
    EXPECT_EQ(parse_coverage_model("hata"), CoverageModel::Hata);
    EXPECT_EQ(to_string(CoverageModel::Hata), "hata");
    EXPECT_FALSE(parse_coverage_model("cost231").has_value());
    EXPECT_EQ(CoverageOptions{}.model, CoverageModel::Disk);
}

} // namespace
} // namespace whitezone
