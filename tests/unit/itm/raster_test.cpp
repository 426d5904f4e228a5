// ITM received power over a DEM grid (itm_raster.hpp) on synthetic terrain.

#include "whitezone/error.hpp"
#include "whitezone/itm_raster.hpp"

#include "support/support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <iostream>

namespace whitezone::test {
namespace {

// A square DEM of `n` × `n` cells of 30 m centred on (0, 0), heights from `z(x, y)`.
Raster<float> dem(int n, const std::function<double(double, double)>& z) {
    return synthetic_dem(n * 15.0, 30.0, z);
}

ItmRasterOptions options(double range_m) {
    ItmRasterOptions o;
    o.range_m = range_m;
    o.eirp_dbm = 60.0;
    return o;
}

// Power at the cell holding (x, y).
double power_at(const Raster<float>& p, double x, double y) {
    int col = 0, row = 0;
    EXPECT_TRUE(p.grid.cell_of({x, y}, col, row));
    return p.at(col, row);
}

} // namespace

// On flat ground every cell gets ITM's smooth-earth loss for its distance (a flat profile of
// the same length), within what the ray point's offset from the cell centre (at most half a
// cell) changes; beyond the range nothing.
TEST(ItmRaster, FlatGroundAgreesWithItmsSmoothEarthLoss) {
    const Raster<float> flat = dem(201, [](double, double) { return 100.0; }); // 6 km square
    const ItmRasterOptions o = options(2900.0);
    const Raster<float> p = itm_received_power(flat, {15.0, 15.0}, o);
    std::size_t checked = 0;
    double max_error = 0.0;
    for (int row = 0; row < p.grid.rows; row += 7)
        for (int col = 0; col < p.grid.cols; col += 7) {
            const XY c = p.grid.centre(col, row);
            const double d = std::hypot(c.x - 15.0, c.y - 15.0);
            const double v = p.at(col, row);
            if (d > o.range_m) {
                EXPECT_TRUE(std::isnan(v)) << col << "," << row;
                continue;
            }
            ASSERT_FALSE(std::isnan(v)) << col << "," << row;
            if (d < 300.0)
                continue; // near the antenna the half-cell offset is a large share of d
            const auto n = static_cast<std::size_t>(std::max(2.0, std::round(d / 30.0)));
            const std::vector<double> z(n + 1, 100.0);
            const double expected =
                60.0 - itm_point_to_point(z, d / static_cast<double>(n), o.itm).loss_db;
            max_error = std::max(max_error, std::abs(v - expected));
            ++checked;
        }
    EXPECT_GT(checked, 300U);
    EXPECT_LT(max_error, 0.5);
    std::cout << "flat ground: " << checked << " cells, max difference " << max_error << " dB\n";
    // Every cell within the range has a value, the antenna's own included.
    EXPECT_FALSE(std::isnan(power_at(p, 15.0, 15.0)));
}

// A 150 m ridge running north-south 1 km east of the antenna: the cells behind it receive far
// less than those at the same distance to the west; a mast that clears the ridge reaches them.
TEST(ItmRaster, RidgeShadowsTheCellsBehindItAndATallerMastReachesThem) {
    const auto ridge = [](double x, double) {
        return 100.0 + 150.0 * std::max(0.0, 1.0 - std::abs(x - 1000.0) / 100.0);
    };
    const Raster<float> terrain = dem(201, ridge);
    ItmRasterOptions o = options(2900.0);
    o.itm.h_tx_m = 20.0;
    const Raster<float> low = itm_received_power(terrain, {0.0, 0.0}, o);
    const double west = power_at(low, -2000.0, 0.0), east = power_at(low, 2000.0, 0.0);
    EXPECT_GT(west - east, 15.0) << "west " << west << " dBm, east " << east << " dBm";
    std::cout << "ridge: " << west << " dBm in the open, " << east << " dBm behind it\n";
    // In front of the ridge both sides are alike.
    EXPECT_NEAR(power_at(low, -500.0, 0.0), power_at(low, 500.0, 0.0), 3.0);
    o.itm.h_tx_m = 300.0;
    const Raster<float> tall = itm_received_power(terrain, {0.0, 0.0}, o);
    EXPECT_GT(power_at(tall, 2000.0, 0.0) - east, 15.0);
    std::cout << "300 m mast: " << power_at(tall, 2000.0, 0.0) << " dBm behind the ridge\n";
}

// Coarser sampling far out (ITM at every 4th ray point beyond 1 km, interpolated between):
// over rolling hills the same cells get a value, the near ones the same value, the far ones
// within a few dB (the interpolation smooths the terrain's detail between computed points).
TEST(ItmRaster, CoarseSamplingFarOutKeepsTheCellsAndStaysClose) {
    const auto hills = [](double x, double y) {
        return 200.0 + 60.0 * std::sin(x / 700.0) * std::cos(y / 900.0);
    };
    const Raster<float> terrain = dem(201, hills);
    ItmRasterOptions o = options(2900.0);
    const Raster<float> full = itm_received_power(terrain, {0.0, 0.0}, o);
    o.far_from_m = 1000.0;
    o.far_step = 4;
    const Raster<float> coarse = itm_received_power(terrain, {0.0, 0.0}, o);
    double sum2 = 0.0, near_max = 0.0;
    std::size_t far = 0, changed = 0;
    for (int row = 0; row < terrain.grid.rows; ++row)
        for (int col = 0; col < terrain.grid.cols; ++col) {
            const float a = full.at(col, row), b = coarse.at(col, row);
            ASSERT_EQ(std::isnan(a), std::isnan(b)) << col << ", " << row;
            if (std::isnan(a))
                continue;
            const XY c = terrain.grid.centre(col, row);
            const double d = std::hypot(c.x, c.y), diff = std::abs(a - b);
            if (d < 950.0) {
                near_max = std::max(near_max, diff);
            } else {
                sum2 += diff * diff;
                ++far;
                changed += diff > 1e-3;
            }
        }
    EXPECT_EQ(near_max, 0.0);
    ASSERT_GT(far, 10000U);
    EXPECT_GT(changed, far / 2); // the option does something
    const double rms = std::sqrt(sum2 / static_cast<double>(far));
    EXPECT_LT(rms, 3.0);
    std::cout << "coarse sampling: " << far << " far cells, RMS difference " << rms << " dB\n";
}

TEST(ItmRaster, RefusesAnAntennaOutsideTheDem) {
    const Raster<float> flat = dem(21, [](double, double) { return 100.0; });
    EXPECT_TRUE(contains(message_of<InputError>([&] {
                             (void)itm_received_power(flat, {5000.0, 0.0}, options(500.0));
                         }),
                         "outside the DEM's grid"));
}

} // namespace whitezone::test
