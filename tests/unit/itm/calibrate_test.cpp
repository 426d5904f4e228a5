// Calibration against measurements (calibrate.hpp) on a synthetic flat DEM: measurements made
// from ITM's own loss with a known offset and noise; the error reported, the offset recovered,
// the cross-validated error, the offset applied to the coverage, the serving cell, and the
// measurements file's checks.

#include "whitezone/calibrate.hpp"
#include "whitezone/coverage.hpp"
#include "whitezone/error.hpp"
#include "whitezone/itm.hpp"
#include "whitezone/prepare.hpp"

#include "support/support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

namespace whitezone::test {
namespace {

constexpr double kGround = 100.0; // m, the flat DEM's height

Raster<float> flat_dem() {
    return synthetic_dem(3015.0, 30.0, [](double, double) { return kGround; });
}

Station station(Tech tech, XY xy) {
    Station s;
    s.tech = tech;
    s.xy = xy;
    s.row = 1;
    return s;
}

CoverageOptions itm_options() {
    CoverageOptions o;
    for (auto& [tech, r] : o.radius_m)
        r = 2900.0;
    o.use_station_range = false;
    o.model = CoverageModel("itm");
    return o;
}

// ITM's median received power over flat ground `d_m` from a 30 m mast (a multiple of 30 m),
// computed here from a flat profile of its own, independently of the code under test.
double flat_median_dbm(double d_m, Tech tech, const CoverageOptions& o) {
    ItmParameters p;
    p.h_tx_m = o.hata.antenna_height_m;
    p.h_rx_m = o.hata.receiver_height_m;
    p.f_mhz = o.hata.frequency_mhz.at(tech);
    p.climate = o.itm.climate;
    p.n0 = o.itm.n0;
    p.epsilon = o.itm.epsilon;
    p.sigma = o.itm.sigma;
    p.polarisation = ItmPolarisation::Vertical;
    p.mdvar = static_cast<int>(ItmVariabilityMode::Broadcast);
    p.time_pct = p.location_pct = p.situation_pct = 50.0;
    const std::vector<double> profile(static_cast<std::size_t>(std::lround(d_m / 30.0)) + 1,
                                      kGround);
    return o.hata.eirp_dbm.at(tech) - itm_point_to_point(profile, 30.0, p).loss_db;
}

// `n` 4G measurements around a station at the origin, 300 m to 2.7 km away on a spiral, each
// ITM's median less `bias_db` plus Gaussian noise of `noise_db` (fixed seed).
std::vector<Measurement> measurements(int n, double bias_db, double noise_db,
                                      const CoverageOptions& o) {
    std::mt19937 random(20261202);
    std::normal_distribution<double> noise(0.0, noise_db);
    std::vector<Measurement> out;
    for (int i = 0; i < n; ++i) {
        const double d = 300.0 + 30.0 * static_cast<double>((i * 7) % 80);
        const double angle = 2.0 * std::numbers::pi * (i * 0.618034);
        Measurement m;
        m.row = i + 1;
        m.tech = Tech::G4;
        m.xy = {d * std::cos(angle), d * std::sin(angle)};
        m.measured_dbm = flat_median_dbm(d, Tech::G4, o) - bias_db + noise(random);
        out.push_back(m);
    }
    return out;
}

Calibration predict(std::vector<Measurement> points, const std::vector<Station>& stations,
                    const CoverageOptions& o) {
    return predict_at_measurements(std::move(points), stations, model_coverage(stations, o),
                                   flat_dem(), o);
}

} // namespace

// On flat ground the prediction at a point is ITM's median over a flat profile of its
// distance: measurements without noise 6 dB below it give a mean error and an RMS of 6 dB.
TEST(Calibration, PredictionIsItmsMedianAndTheErrorOfAKnownBiasIsReported) {
    const CoverageOptions o = itm_options();
    Calibration c = predict(measurements(40, 6.0, 0.0, o), {station(Tech::G4, {0, 0})}, o);
    for (std::size_t i = 0; i < c.points.size(); ++i)
        EXPECT_NEAR(c.predicted_dbm[i] - c.points[i].measured_dbm, 6.0, 0.05) << i;
    assess_accuracy(c, false);
    ASSERT_EQ(c.techs.size(), 1U);
    EXPECT_EQ(c.techs[0].tech, Tech::G4);
    EXPECT_EQ(c.techs[0].predicted, 40);
    EXPECT_NEAR(c.techs[0].mean_error_db, 6.0, 0.05);
    EXPECT_NEAR(c.techs[0].rms_error_db, 6.0, 0.05);
    EXPECT_FALSE(c.techs[0].offset_db);
    EXPECT_TRUE(calibration_offsets(c).empty());
}

// With noise of 5 dB on top of a 6 dB bias: the error is reported (mean about 6, RMS about
// √(6² + 5²)), calibration recovers the offset (−6 dB within 1 dB) and the cross-validated
// error after it is about the noise alone.
TEST(Calibration, FitRecoversAKnownOffsetAndCrossValidatesIt) {
    const CoverageOptions o = itm_options();
    Calibration c = predict(measurements(200, 6.0, 5.0, o), {station(Tech::G4, {0, 0})}, o);
    assess_accuracy(c, true);
    ASSERT_EQ(c.techs.size(), 1U);
    const TechAccuracy& a = c.techs[0];
    EXPECT_NEAR(a.mean_error_db, 6.0, 1.0);
    EXPECT_NEAR(a.rms_error_db, std::sqrt(36.0 + 25.0), 1.0);
    ASSERT_TRUE(a.offset_db);
    EXPECT_NEAR(*a.offset_db, -6.0, 1.0);
    EXPECT_DOUBLE_EQ(*a.offset_db, -a.mean_error_db);
    EXPECT_EQ(a.folds, kCalibrationFolds);
    EXPECT_NEAR(a.cv_mean_error_db, 0.0, 1.0);
    EXPECT_NEAR(a.cv_rms_error_db, 5.0, 0.8);
    EXPECT_LT(a.cv_rms_error_db, a.rms_error_db);
    // Held-out points never see their own fold: the cross-validated RMS is above the
    // in-sample one (the noise's standard deviation about the fitted mean).
    double in_sample = 0.0;
    for (std::size_t i = 0; i < c.points.size(); ++i) {
        const double e = c.predicted_dbm[i] + *a.offset_db - c.points[i].measured_dbm;
        in_sample += e * e;
    }
    EXPECT_GE(a.cv_rms_error_db, std::sqrt(in_sample / 200.0));
    EXPECT_EQ(calibration_offsets(c).at(Tech::G4), *a.offset_db);
    EXPECT_DOUBLE_EQ(c.offset_db(Tech::G4), *a.offset_db);
    EXPECT_EQ(c.offset_db(Tech::G2), 0.0);
    // The lines for the console and the provenance.
    const auto lines = describe_accuracy(c);
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_NE(lines[0].find("4G: 200 of 200 points predicted, mean error +"), std::string::npos)
        << lines[0];
    EXPECT_NE(lines[0].find("cross-validated (5-fold)"), std::string::npos) << lines[0];
}

// Fewer points than folds: one fold per point; a single point cannot be cross-validated.
TEST(Calibration, FewPointsGetOneFoldEachAndOnePointNone) {
    const CoverageOptions o = itm_options();
    Calibration three = predict(measurements(3, 2.0, 1.0, o), {station(Tech::G4, {0, 0})}, o);
    assess_accuracy(three, true);
    EXPECT_EQ(three.techs.at(0).folds, 3);
    Calibration one = predict(measurements(1, 2.0, 0.0, o), {station(Tech::G4, {0, 0})}, o);
    assess_accuracy(one, true);
    EXPECT_EQ(one.techs.at(0).folds, 0);
    EXPECT_NE(describe_accuracy(one)[0].find("too few points"), std::string::npos);
}

// The offset (itm.offset_db) is added to the received power before the threshold: the
// rasters' power drops by it and fewer cells are served; the prediction includes it too.
TEST(Calibration, OffsetMovesThePowerAndTheServedCells) {
    CoverageOptions o = itm_options();
    const std::vector<Station> stations{station(Tech::G4, {0, 0})};
    const Raster<float> dem = flat_dem();
    // The threshold at the median power of the cells: half of them are served.
    const ItmCoverage probe =
        model_itm_coverage(stations, model_coverage(stations, o), dem, o, nullptr);
    std::vector<float> powers;
    for (float v : probe.signal.best_dbm[0])
        if (!std::isnan(v))
            powers.push_back(v);
    std::nth_element(powers.begin(), powers.begin() + static_cast<long>(powers.size() / 2),
                     powers.end());
    o.itm.threshold_dbm[Tech::G4] = powers[powers.size() / 2];
    const ItmCoverage before =
        model_itm_coverage(stations, model_coverage(stations, o), dem, o, nullptr);
    o.itm.offset_db[Tech::G4] = -6.0;
    const ItmCoverage after =
        model_itm_coverage(stations, model_coverage(stations, o), dem, o, nullptr);
    const auto& b = before.signal.best_dbm[0];
    const auto& a = after.signal.best_dbm[0];
    std::size_t compared = 0;
    for (std::size_t i = 0; i < b.size(); ++i)
        if (!std::isnan(b[i])) {
            EXPECT_NEAR(a[i], b[i] - 6.0, 1e-3);
            ++compared;
        }
    EXPECT_GT(compared, 1000U);
    const auto served = [](const ItmCoverage& c) {
        return std::count(c.raster.covered[0].begin(), c.raster.covered[0].end(), 1);
    };
    EXPECT_LT(served(after), served(before));
    EXPECT_GT(served(after), 0);
    const Calibration c = predict(measurements(5, 0.0, 0.0, o), stations, o);
    for (std::size_t i = 0; i < c.points.size(); ++i)
        EXPECT_NEAR(c.predicted_dbm[i] - c.points[i].measured_dbm, -6.0, 0.05);
}

// A measurement that names its serving cell is compared with that station, not the best
// server; one of another technology or out of range has no prediction.
TEST(Calibration, ServingCellIsComparedAndOthersAreLeftOut) {
    const CoverageOptions o = itm_options();
    std::vector<Station> stations{station(Tech::G4, {0, 0}), station(Tech::G4, {2400, 0}),
                                  station(Tech::G3, {600, 0})};
    stations[1].row = 2;
    stations[2].row = 3;
    Measurement near;
    near.xy = {1800, 0};
    near.tech = Tech::G4;
    near.measured_dbm = -80.0;
    Measurement served = near;
    served.station = 0; // the farther station, named by the file
    Measurement far = near;
    far.xy = {-2950, 0}; // beyond the 2.9 km footprints
    Measurement g2 = near;
    g2.tech = Tech::G2;
    const Calibration c = predict({near, served, far, g2}, stations, o);
    EXPECT_EQ(c.predicted_station[0], 1); // the best server, 600 m away
    EXPECT_EQ(c.predicted_station[1], 0);
    EXPECT_GT(c.predicted_dbm[0], c.predicted_dbm[1] + 5.0); // 600 m against 1.8 km
    EXPECT_TRUE(std::isnan(c.predicted_dbm[2]));
    EXPECT_TRUE(std::isnan(c.predicted_dbm[3]));
    Calibration counted = c;
    assess_accuracy(counted, true);
    ASSERT_EQ(counted.techs.size(), 2U); // 2G and 4G, in technology order
    EXPECT_EQ(counted.techs[0].tech, Tech::G2);
    EXPECT_EQ(counted.techs[0].predicted, 0);
    EXPECT_FALSE(counted.techs[0].offset_db);
    EXPECT_EQ(counted.techs[1].points, 3);
    EXPECT_EQ(counted.techs[1].predicted, 2);
}

// The file: drive-test columns, OpenCelliD's (averageSignal 0 skipped; cells matched on
// mcc/net/area/cell), and points transformed to the work CRS.
TEST(Calibration, MeasurementsFileReadsDriveTestsAndOpenCellidRows) {
    TempDir tmp;
    std::vector<Station> stations{station(Tech::G4, {0, 0}), station(Tech::G2, {0, 0})};
    stations[0].row = 7;
    const std::string drive =
        tmp.write("drive.csv", "lon,lat,signal_dbm,tech,station_row\n105.5,21.5,-85.5,LTE,7\n"
                               "105.51,21.5,-101,4G,\n");
    const auto d = read_measurements(drive, stations, {}, "EPSG:32648");
    ASSERT_EQ(d.size(), 2U);
    EXPECT_EQ(d[0].tech, Tech::G4);
    EXPECT_EQ(d[0].measured_dbm, -85.5);
    ASSERT_TRUE(d[0].station);
    EXPECT_EQ(*d[0].station, 0U);
    EXPECT_FALSE(d[1].station);
    EXPECT_NEAR(d[0].xy.x, 552000.0, 1000.0); // UTM 48N easting of 105.5° E
    EXPECT_NEAR(d[1].xy.x - d[0].xy.x, 1036.0, 5.0);

    // OpenCelliD: the stations carry the cell key as fields.
    const std::vector<FieldDef> fields{{"mcc", FieldType::Integer},
                                       {"net", FieldType::Integer},
                                       {"area", FieldType::Integer},
                                       {"cell", FieldType::Integer}};
    stations[1].values = {std::int64_t{452}, std::int64_t{4}, std::int64_t{10101},
                          std::int64_t{20001}};
    const std::string cells = tmp.write(
        "cells.csv",
        "radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,"
        "averageSignal\nGSM,452,4,10101,20001,0,106.75,21.85,1500,12,1,1459813000,1689000000,"
        "-77\nUMTS,452,4,10101,20002,0,106.75,21.85,2000,30,1,1459813000,1689000000,0\n");
    const auto o = read_measurements(cells, stations, fields, "EPSG:32648");
    ASSERT_EQ(o.size(), 1U);
    EXPECT_EQ(o[0].tech, Tech::G2);
    EXPECT_EQ(o[0].measured_dbm, -77.0);
    EXPECT_EQ(o[0].cell, "452-4-10101-20001");
    ASSERT_TRUE(o[0].station);
    EXPECT_EQ(*o[0].station, 1U);
}

// A bad file is an InputError (exit code 2) that names the file, the row and the column.
TEST(Calibration, BadMeasurementsFileIsRefusedWithRowAndColumn) {
    TempDir tmp;
    const std::vector<Station> stations{station(Tech::G4, {0, 0})};
    const auto error = [&](const std::string& name, const std::string& text) {
        const std::string path = tmp.write(name, text);
        return message_of<InputError>([&] { read_measurements(path, stations, {}, "EPSG:32648"); });
    };
    EXPECT_NE(error("a.csv", "lon,lat,tech\n105,21,4G\n").find("has no signal level column"),
              std::string::npos);
    EXPECT_NE(error("b.csv", "x,y,dbm,tech\n105,21,-80,4G\n").find("has no coordinate column"),
              std::string::npos);
    const std::string nan = error("c.csv", "lon,lat,dbm,tech\n105,21,-80,4G\n105,21,strong,4G\n");
    EXPECT_NE(nan.find("row 2, column 'dbm'"), std::string::npos) << nan;
    const std::string asu = error("d.csv", "lon,lat,dbm,tech\n105,21,31,4G\n");
    EXPECT_NE(asu.find("row 1: the level 31.0 dBm lies outside"), std::string::npos) << asu;
    const std::string tech = error("e.csv", "lon,lat,dbm,tech\n105,21,-80,wifi\n");
    EXPECT_NE(tech.find("column 'tech': 'wifi' is not a technology"), std::string::npos) << tech;
    const std::string row = error("f.csv", "lon,lat,dbm,tech,station_row\n105,21,-80,4G,9\n");
    EXPECT_NE(row.find("station_row 9 is not a row of the stations input"), std::string::npos)
        << row;
    const std::string empty = error("g.csv", "lon,lat,averageSignal,radio\n105,21,0,LTE\n");
    EXPECT_NE(empty.find("has no row with a signal level"), std::string::npos) << empty;
    const std::string missing =
        message_of<InputError>([&] { read_measurements(tmp.file("none.csv"), stations, {}, ""); });
    EXPECT_NE(missing.find("none.csv"), std::string::npos) << missing;
}

} // namespace whitezone::test
