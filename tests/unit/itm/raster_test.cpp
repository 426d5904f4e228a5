// ITM received power over a DEM grid (itm_raster.hpp) on synthetic terrain.

#include "whitezone/error.hpp"
#include "whitezone/itm_raster.hpp"

#include "itm/detail.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

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

// How the cells with a power in `full` are decided at `level` dBm: served, not, and decided
// otherwise in `other`.
struct Decisions {
    std::size_t served = 0, unserved = 0, differ = 0;
};
Decisions decisions(const Raster<float>& full, const Raster<float>& other, double level) {
    Decisions d;
    for (std::size_t i = 0; i < full.values.size(); ++i) {
        if (std::isnan(full.values[i]))
            continue;
        const bool f = full.values[i] >= level;
        (f ? d.served : d.unserved) += 1;
        d.differ += f != (other.values[i] >= level) ? 1U : 0U;
    }
    return d;
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

// Near the range the rays are almost a cell apart, and some cells lie between two rays' points
// with none inside: each takes the nearest ray point around its centre, no further away than a
// point inside a cell can be, and shares that point's evaluation instead of a profile of its
// own. On flat ground the power falls with distance, so every cell's value lies between the
// flat profile's at its centre distance ± half the cell's diagonal.
TEST(ItmRaster, CellsBetweenTheRaysTakeTheNearestRayPoint) {
    const Raster<float> flat = dem(201, [](double, double) { return 100.0; }); // 6 km square
    const ItmRasterOptions o = options(2900.0);
    ItmRasterStats stats;
    const Raster<float> p = itm_received_power(flat, {15.0, 15.0}, o, &stats);
    const auto flat_dbm = [&](double d) {
        const auto n = static_cast<std::size_t>(std::max(2.0, std::round(d / 30.0)));
        const std::vector<double> z(n + 1, 100.0);
        return 60.0 - itm_point_to_point(z, d / static_cast<double>(n), o.itm).loss_db;
    };
    const double half_diagonal = 15.0 * std::sqrt(2.0);
    std::size_t cells = 0, checked = 0;
    for (int row = 0; row < p.grid.rows; ++row)
        for (int col = 0; col < p.grid.cols; ++col) {
            const XY c = p.grid.centre(col, row);
            const double d = std::hypot(c.x - 15.0, c.y - 15.0);
            if (d > o.range_m)
                continue;
            const double v = p.at(col, row);
            ASSERT_FALSE(std::isnan(v)) << col << "," << row;
            ++cells;
            if (d < 2000.0 || (col + row) % 3 != 0)
                continue;
            EXPECT_LE(v, flat_dbm(d - half_diagonal) + 1e-3) << col << "," << row;
            EXPECT_GE(v, flat_dbm(d + half_diagonal) - 1e-3) << col << "," << row;
            ++checked;
        }
    EXPECT_GT(checked, 2000U);
    // Fewer evaluations than cells: the cells between the rays cost none of their own.
    EXPECT_LT(stats.evaluations, cells);
    std::cout << cells << " cells, " << stats.evaluations << " evaluations\n";
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

// A gorge 120 m wide and 60 m deep running north-south 2.1 km east of a 30 m mast on flat
// ground: its floor lies in the shadow of its western rim, both rims in the open. With ITM at
// every 8th ray point beyond 1 km (240 m apart), the blind interpolation carries the rims'
// power across the floor; the adaptive sampling sees the visibility change and computes the
// floor's points as the full computation does, bit for bit, while it still interpolates
// elsewhere.
TEST(ItmRaster, AdaptiveSamplingFindsTheShadowThatInterpolationMisses) {
    const Raster<float> terrain =
        dem(201, [](double x, double) { return x > 2100.0 && x < 2220.0 ? 40.0 : 100.0; });
    ItmRasterOptions o = options(2900.0);
    o.itm.h_tx_m = 30.0;
    const Raster<float> full = itm_received_power(terrain, {15.0, 15.0}, o);
    o.far_from_m = 1000.0;
    o.far_step = 8;
    o.refine = false;
    ItmRasterStats blind_stats;
    const Raster<float> blind = itm_received_power(terrain, {15.0, 15.0}, o, &blind_stats);
    o.refine = true;
    ItmRasterStats stats;
    const Raster<float> adaptive = itm_received_power(terrain, {15.0, 15.0}, o, &stats);
    std::size_t floor = 0, missed = 0, differ = 0;
    double shadow_db = 0.0;
    for (int row = 0; row < terrain.grid.rows; ++row)
        for (int col = 0; col < terrain.grid.cols; ++col) {
            const XY c = terrain.grid.centre(col, row);
            if (c.x < 2125.0 || c.x > 2195.0 || std::abs(c.y) > 800.0)
                continue;
            ++floor;
            const float f = full.at(col, row);
            shadow_db = std::max(shadow_db, power_at(full, c.x - 90.0, c.y) - f);
            missed += blind.at(col, row) - f > 10.0F;
            differ += adaptive.at(col, row) != f;
        }
    ASSERT_GT(floor, 100U);
    std::cout << "gorge floor: " << floor << " cells, up to " << shadow_db
              << " dB below the rim; blind interpolation 10 dB too high on " << missed
              << ", adaptive differs on " << differ << "; " << stats.interpolated
              << " cells interpolated\n";
    EXPECT_GT(shadow_db, 20.0);
    EXPECT_GT(missed, floor / 4);
    EXPECT_EQ(differ, 0U);
    EXPECT_GT(stats.interpolated, 5000U);
    // What refined the floor's segments is counted (the coverage stage's -v line): the
    // antenna's visibility changes at the western rim. The blind run refines nothing and
    // interpolates more.
    EXPECT_GE(stats.refined_visibility, floor / 2);
    EXPECT_EQ(blind_stats.refined_visibility + blind_stats.refined_clearance +
                  blind_stats.refined_margin,
              0U);
    EXPECT_GT(blind_stats.interpolated, stats.interpolated);
    EXPECT_LT(stats.evaluations, blind_stats.evaluations + stats.refined_visibility +
                                     stats.refined_clearance + stats.refined_margin + 1);
}

// With a decision band, the adaptive sampling serves the same cells as the full computation
// over rolling hills at a level that cuts through them: the segments near the level are
// computed in full, and only the ones far above or below it are interpolated.
TEST(ItmRaster, AdaptiveSamplingDecidesEveryCellAsTheFullComputation) {
    const Raster<float> terrain = dem(201, [](double x, double y) {
        return 200.0 + 60.0 * std::sin(x / 700.0) * std::cos(y / 900.0);
    });
    ItmRasterOptions o = options(2900.0);
    const Raster<float> full = itm_received_power(terrain, {0.0, 0.0}, o);
    const double level = -55.0;
    o.far_from_m = 1000.0;
    o.far_step = 4;
    o.decision_low_dbm = o.decision_high_dbm = level;
    ItmRasterStats stats;
    const Raster<float> adaptive = itm_received_power(terrain, {0.0, 0.0}, o, &stats);
    const auto [served, unserved, differ] = decisions(full, adaptive, level);
    std::cout << "decision at " << level << " dBm: " << served << " cells served, " << unserved
              << " not, " << differ << " decided otherwise; " << stats.interpolated
              << " interpolated\n";
    EXPECT_GT(served, 1000U);
    EXPECT_GT(unserved, 1000U);
    EXPECT_EQ(differ, 0U);
    EXPECT_GT(stats.interpolated, 1000U);
    EXPECT_GT(stats.refined_margin, 100U); // the segments near the level, counted
}

// The rays are at most a cell apart at the range: every fourth ray computes its anchors, and
// the rays between take the mean of the two rays' beside them (two rays away for the one
// halfway, one for the odd ones) when the three agree: the same visibility, clearances within
// `refine_clearance_m`, powers on one side of the band beyond the margin
// (ItmRasterOptions::share_close_rays). With a 6 km range: over rolling hills many anchors
// shared, far fewer evaluations, and every cell still decided as the full computation decides
// it; over hills with small bumps, hardly more cells decided otherwise than with every anchor
// computed.
TEST(ItmRaster, AnchorsOfCloseRaysAreSharedWhereTheyAgree) {
    const auto decide = [](double bumps_m, bool share) {
        const Raster<float> terrain = dem(401, [&](double x, double y) {
            return 200.0 + 60.0 * std::sin(x / 700.0) * std::cos(y / 900.0) +
                   bumps_m * std::sin(x / 37.0) * std::cos(y / 53.0);
        });
        ItmRasterOptions o = options(6000.0);
        const Raster<float> full = itm_received_power(terrain, {0.0, 0.0}, o);
        const double level = -70.0;
        o.far_from_m = 1000.0;
        o.far_step = 4;
        o.decision_low_dbm = o.decision_high_dbm = level;
        o.share_close_rays = share;
        ItmRasterStats stats;
        const Raster<float> coarse = itm_received_power(terrain, {0.0, 0.0}, o, &stats);
        const auto [served, unserved, differ] = decisions(full, coarse, level);
        std::cout << "bumps " << bumps_m << " m, sharing " << share << ": " << served
                  << " cells served, " << unserved << " not, " << differ << " decided otherwise; "
                  << stats.across << " anchors shared, " << stats.evaluations << " evaluations\n";
        EXPECT_GT(served, 10000U);
        EXPECT_GT(unserved, 10000U);
        return std::pair{differ, stats};
    };
    const auto [smooth, shared] = decide(0.0, true);
    const auto [smooth_every, every] = decide(0.0, false);
    EXPECT_EQ(smooth, 0U);
    EXPECT_EQ(smooth_every, 0U);
    EXPECT_GT(shared.across, 5000U);
    EXPECT_EQ(every.across, 0U);
    EXPECT_LT(shared.evaluations + 20000, every.evaluations);
    const auto [bumpy, bumpy_shared] = decide(25.0, true);
    const auto [bumpy_every, bumpy_stats] = decide(25.0, false);
    EXPECT_GT(bumpy_shared.across, 3000U);
    EXPECT_LE(bumpy, bumpy_every + bumpy_every / 20);
}

// Far out, a stretch whose ends lie far below the decision band, in the same shadow, with no
// receiver between whose knife edge could make up the difference, is interpolated without the
// anchors between (ItmRasterOptions::deep_db): for a station in a basin whose rim (150 m high,
// 1.1 km out) shadows everything beyond it, far fewer evaluations, and every cell decided as
// with every anchor and as the full computation decides it.
TEST(ItmRaster, StretchesFarBelowTheBandSkipTheAnchorsBetween) {
    const Raster<float> terrain = dem(201, [](double x, double y) {
        const double rim = std::abs(std::hypot(x, y) - 1100.0) < 100.0 ? 150.0 : 0.0;
        return 200.0 + rim + 12.0 * std::sin(x / 230.0) * std::cos(y / 310.0);
    });
    ItmRasterOptions o = options(2900.0);
    const Raster<float> full = itm_received_power(terrain, {0.0, 0.0}, o);
    const double inside = power_at(full, 800.0, 0.0), beyond = power_at(full, 2000.0, 0.0);
    const double level = inside - 20.0;
    o.far_from_m = 1000.0;
    o.far_step = 4;
    o.decision_low_dbm = o.decision_high_dbm = level;
    o.share_close_rays = false; // the levels' own saving
    o.deep_db = 1000.0;
    ItmRasterStats every;
    const Raster<float> anchors = itm_received_power(terrain, {0.0, 0.0}, o, &every);
    o.deep_db = 20.0;
    ItmRasterStats stats;
    const Raster<float> skipped = itm_received_power(terrain, {0.0, 0.0}, o, &stats);
    std::size_t served = 0, differ = 0;
    for (std::size_t i = 0; i < full.values.size(); ++i) {
        if (std::isnan(full.values[i]))
            continue;
        const bool f = full.values[i] >= level;
        served += f ? 1 : 0;
        differ += f != (skipped.values[i] >= level) ? 1 : 0;
        EXPECT_EQ(anchors.values[i] >= level, skipped.values[i] >= level);
    }
    std::cout << "inside the rim " << inside << " dBm, beyond " << beyond << " dBm; " << served
              << " cells served, " << differ << " decided otherwise; evaluations "
              << every.evaluations << " with every anchor, " << stats.evaluations
              << " skipping the deep stretches\n";
    EXPECT_LT(beyond, level - 30.0);
    EXPECT_GT(served, 1000U);
    EXPECT_EQ(differ, 0U);
    // The anchors come in levels, each stretch halved only where it is not deep: over 40 %
    // fewer evaluations (two levels, every 4th anchor and those between, saved 36 %).
    EXPECT_LT(static_cast<double>(stats.evaluations), 0.6 * static_cast<double>(every.evaluations));
}

// The coverage model's passes: the part near the antenna and the part far out, with
// `defer_refined`, together give every cell the one-pass value except the cells the refinement
// computes in full, left +∞; asked for exactly those (`wanted`, `in_full`), the last pass gives
// them the one-pass values, bit for bit, and nothing else. A cell unwanted far out is left NaN.
// Over hills with small bumps, for two co-sited stations (one mast).
TEST(ItmRaster, ThePassesGiveTheOnePassValues) {
    const Raster<float> terrain = dem(201, [](double x, double y) {
        return 200.0 + 60.0 * std::sin(x / 700.0) * std::cos(y / 900.0) +
               25.0 * std::sin(x / 37.0) * std::cos(y / 53.0);
    });
    std::vector<ItmRasterOptions> group(2, options(2900.0));
    group[1].itm.f_mhz = 1800.0;
    group[1].eirp_dbm = 55.0;
    for (ItmRasterOptions& o : group) {
        o.far_from_m = 1000.0;
        o.far_step = 4;
        o.decision_low_dbm = o.decision_high_dbm = -60.0;
    }
    const std::vector<Raster<float>> one = itm_received_power(terrain, {0.0, 0.0}, group);
    for (ItmRasterOptions& o : group) {
        o.defer_refined = true;
        o.part = ItmRasterPart::near;
    }
    const std::vector<Raster<float>> near = itm_received_power(terrain, {0.0, 0.0}, group);
    for (ItmRasterOptions& o : group)
        o.part = ItmRasterPart::far;
    std::vector<ItmRasterStats> stats(2);
    const std::vector<Raster<float>> far = itm_received_power(terrain, {0.0, 0.0}, group, stats);
    std::vector<std::vector<std::uint8_t>> masks(2);
    for (std::size_t m = 0; m < 2; ++m) {
        masks[m].assign(terrain.grid.size(), 0);
        std::size_t deferred = 0, same = 0, cells = 0, both = 0, near_cells = 0;
        for (std::size_t i = 0; i < terrain.grid.size(); ++i) {
            both += !std::isnan(near[m].values[i]) && !std::isnan(far[m].values[i]);
            near_cells += !std::isnan(near[m].values[i]);
            const float v = std::isnan(near[m].values[i]) ? far[m].values[i] : near[m].values[i];
            if (std::isinf(v) && v > 0.0F) {
                masks[m][i] = 1;
                ++deferred;
            } else {
                cells += std::isnan(v) ? 0U : 1U;
                same += (std::isnan(v) && std::isnan(one[m].values[i])) || v == one[m].values[i];
            }
        }
        EXPECT_EQ(deferred, stats[m].deferred);
        EXPECT_EQ(deferred, stats[m].refined_visibility + stats[m].refined_clearance +
                                stats[m].refined_margin);
        EXPECT_GT(deferred, 1000U);
        EXPECT_GT(cells, 10000U);
        EXPECT_EQ(same, terrain.grid.size() - deferred);
        EXPECT_EQ(both, 0U);
        EXPECT_GT(near_cells, 1000U);
    }
    // Far out, the cells not wanted are left out and the others keep their values.
    std::vector<std::uint8_t> half(terrain.grid.size(), 0);
    for (std::size_t i = 0; i < half.size(); i += 2)
        half[i] = 1;
    group[0].wanted = &half;
    std::vector<ItmRasterStats> half_stats(2);
    const std::vector<Raster<float>> halved =
        itm_received_power(terrain, {0.0, 0.0}, group, half_stats);
    std::size_t changed = 0, left = 0;
    for (std::size_t i = 0; i < half.size(); ++i) {
        const float v = halved[0].values[i], w = far[0].values[i];
        if (half[i] == 0)
            left += std::isnan(w) ? 0U : 1U;
        else
            changed += (std::isnan(v) && std::isnan(w)) || v == w ? 0U : 1U;
        EXPECT_TRUE(half[i] != 0 || std::isnan(v));
    }
    EXPECT_EQ(changed, 0U);
    EXPECT_EQ(left, half_stats[0].left_out);
    EXPECT_GT(half_stats[0].left_out, 1000U);
    EXPECT_LT(half_stats[0].evaluations, stats[0].evaluations);
    for (std::size_t m = 0; m < 2; ++m) {
        group[m].defer_refined = false;
        group[m].part = ItmRasterPart::all;
        group[m].wanted = &masks[m];
        group[m].in_full = true;
    }
    const std::vector<Raster<float>> second = itm_received_power(terrain, {0.0, 0.0}, group);
    for (std::size_t m = 0; m < 2; ++m) {
        std::size_t computed = 0, same = 0, other = 0;
        for (std::size_t i = 0; i < terrain.grid.size(); ++i) {
            if (masks[m][i] == 0) {
                other += std::isnan(second[m].values[i]) ? 0U : 1U;
                continue;
            }
            ++computed;
            same += second[m].values[i] == one[m].values[i];
        }
        EXPECT_EQ(same, computed);
        EXPECT_EQ(other, 0U);
    }
}

// The part near the antenna reads the DEM only as far as itm_near_reach_m() says (the coverage
// model cuts each station's DEM to it for that pass): on a grid cut two cells beyond it, every
// cell gets bit for bit what the whole grid gives.
TEST(ItmRaster, TheNearPartReadsTheDemOnlyAsFarAsItsReach) {
    const Raster<float> terrain = dem(201, [](double x, double y) {
        return 200.0 + 60.0 * std::sin(x / 700.0) * std::cos(y / 900.0) +
               25.0 * std::sin(x / 37.0) * std::cos(y / 53.0);
    });
    const XY antenna{130.0, -70.0};
    ItmRasterOptions o = options(2900.0);
    o.far_from_m = 1000.0;
    o.far_step = 4;
    o.decision_low_dbm = o.decision_high_dbm = -60.0;
    o.part = ItmRasterPart::near;
    const double reach = itm_near_reach_m(o, terrain.grid.cell);
    EXPECT_GT(reach, o.far_from_m);
    EXPECT_LT(reach, o.range_m);
    o.far_from_m = 0.0;
    EXPECT_EQ(itm_near_reach_m(o, terrain.grid.cell), o.range_m); // no coarser sampling
    o.far_from_m = 1000.0;
    const Raster<float> whole = itm_received_power(terrain, antenna, o);
    // The cells within `r` of the antenna and two more, as the coverage model cuts them.
    const auto cut = [&](double r) {
        const GridSpec& g = terrain.grid;
        const int c0 = static_cast<int>(std::floor((antenna.x - r - g.x0) / g.cell)) - 2;
        const int c1 = static_cast<int>(std::floor((antenna.x + r - g.x0) / g.cell)) + 2;
        const int r0 = static_cast<int>(std::floor((g.y0 - antenna.y - r) / g.cell)) - 2;
        const int r1 = static_cast<int>(std::floor((g.y0 - antenna.y + r) / g.cell)) + 2;
        Raster<float> part;
        part.grid = {g.x0 + c0 * g.cell, g.y0 - r0 * g.cell, g.cell, c1 - c0 + 1, r1 - r0 + 1};
        for (int row = r0; row <= r1; ++row)
            for (int col = c0; col <= c1; ++col)
                part.values.push_back(terrain.at(col, row));
        return part;
    };
    // Cells of `part` whose value differs from the whole grid's; the cells with a value.
    const auto differing = [&](const Raster<float>& part, std::size_t& valued) {
        const Raster<float> p = itm_received_power(part, antenna, o);
        std::size_t differ = 0;
        valued = 0;
        for (int row = 0; row < p.grid.rows; ++row)
            for (int col = 0; col < p.grid.cols; ++col) {
                const double v = p.at(col, row);
                const double w =
                    power_at(whole, p.grid.centre(col, row).x, p.grid.centre(col, row).y);
                valued += std::isnan(v) ? 0U : 1U;
                differ += (std::isnan(v) && std::isnan(w)) || v == w ? 0U : 1U;
            }
        return differ;
    };
    std::size_t valued = 0;
    EXPECT_EQ(differing(cut(reach), valued), 0U);
    EXPECT_GT(valued, 3000U);
    // Cut five cells inside the part, the cells at its edge lose the ray points that decide
    // them: the comparison sees a DEM cut too short.
    EXPECT_GT(differing(cut(o.far_from_m - 5.0 * terrain.grid.cell), valued), 0U);
}

// A few cells wanted, each computed in full, get bit for bit what computing every cell gives
// them, whether their ray points are found from the cells (fewer than one in eight of the disc
// wanted, no hole, the disc inside the DEM) or from a scan of the rays (a hole in the DEM, or the
// antenna near its edge): near the antenna, between the rays and at the range.
TEST(ItmRaster, AFewWantedCellsGetTheValuesOfEveryCell) {
    const auto hills = [](double x, double y) {
        return 200.0 + 60.0 * std::sin(x / 700.0) * std::cos(y / 900.0) +
               25.0 * std::sin(x / 37.0) * std::cos(y / 53.0);
    };
    Raster<float> holed = dem(201, hills);
    for (int col = 120; col < 126; ++col)
        holed.values[holed.grid.index(col, 90)] = std::numeric_limits<float>::quiet_NaN();
    const struct {
        Raster<float> terrain;
        XY antenna;
    } cases[] = {
        {dem(201, hills), {0.0, 0.0}}, {holed, {0.0, 0.0}}, {dem(201, hills), {1900.0, -400.0}}};
    for (const auto& [terrain, antenna] : cases) {
        std::vector<ItmRasterOptions> group(2, options(2900.0));
        group[1].itm.h_tx_m = 45.0;
        for (ItmRasterOptions& o : group)
            o.in_full = true;
        const std::vector<Raster<float>> every = itm_received_power(terrain, antenna, group);
        std::vector<std::vector<std::uint8_t>> masks(
            2, std::vector<std::uint8_t>(terrain.grid.size()));
        for (std::size_t i = 0; i < terrain.grid.size(); ++i)
            masks[i % 97 < 48 ? 0 : 1][i] = i % 41 == 0 || i % 43 == 0 ? 1 : 0;
        for (std::size_t m = 0; m < 2; ++m)
            group[m].wanted = &masks[m];
        const std::vector<Raster<float>> few = itm_received_power(terrain, antenna, group);
        for (std::size_t m = 0; m < 2; ++m) {
            std::size_t wanted = 0, same = 0, computed = 0, other = 0;
            for (std::size_t i = 0; i < terrain.grid.size(); ++i) {
                const float v = few[m].values[i], w = every[m].values[i];
                if (masks[m][i] == 0) {
                    other += std::isnan(v) ? 0U : 1U;
                    continue;
                }
                ++wanted;
                computed += std::isnan(v) ? 0U : 1U;
                same += (std::isnan(v) && std::isnan(w)) || v == w ? 1U : 0U;
            }
            EXPECT_EQ(same, wanted);
            EXPECT_GT(computed, 300U);
            EXPECT_EQ(other, 0U);
        }
    }
}

// Co-sited stations computed as one group (rays, profiles and receivers' horizons shared; the
// path geometry shared by those with the same mast) get bit for bit the powers each gets
// alone: over rolling hills, five stations of one range differing in frequency, EIRP,
// reliability, mast height and sampling.
TEST(ItmRaster, CoSitedStationsGetExactlyWhatEachGetsAlone) {
    const Raster<float> terrain = dem(201, [](double x, double y) {
        return 200.0 + 60.0 * std::sin(x / 700.0) * std::cos(y / 900.0) + 0.37 * std::sin(x / 45.0);
    });
    std::vector<ItmRasterOptions> group(5, options(2900.0));
    group[1].itm.f_mhz = 1800.0;
    group[1].eirp_dbm = 48.0;
    group[2].itm.f_mhz = 2100.0;
    group[2].eirp_dbm = 33.0;
    group[2].itm.location_pct = 90.0;
    group[3].itm.h_tx_m = 45.0; // another mast: its own path geometry
    group[4].itm.f_mhz = 2600.0;
    group[4].far_from_m = 1000.0; // the adaptive sampling, near a level that cuts the hills
    group[4].far_step = 4;
    group[4].decision_low_dbm = group[4].decision_high_dbm = -60.0;
    std::vector<ItmRasterStats> stats(group.size());
    const std::vector<Raster<float>> together =
        itm_received_power(terrain, {15.0, 15.0}, group, stats);
    ASSERT_EQ(together.size(), group.size());
    for (std::size_t m = 0; m < group.size(); ++m) {
        ItmRasterStats alone_stats;
        const Raster<float> alone =
            itm_received_power(terrain, {15.0, 15.0}, group[m], &alone_stats);
        std::size_t valued = 0, differ = 0;
        for (std::size_t i = 0; i < alone.values.size(); ++i) {
            const float a = alone.values[i], b = together[m].values[i];
            valued += std::isnan(a) ? 0 : 1;
            differ += std::isnan(a) ? !std::isnan(b) : a != b;
        }
        EXPECT_GT(valued, 20000U) << "station " << m;
        EXPECT_EQ(differ, 0U) << "station " << m;
        EXPECT_EQ(stats[m].evaluations, alone_stats.evaluations) << "station " << m;
        EXPECT_EQ(stats[m].interpolated, alone_stats.interpolated) << "station " << m;
    }
    // Not one power shared by accident: the frequencies and budgets do show.
    EXPECT_NE(together[0].values[together[0].grid.index(150, 100)],
              together[1].values[together[1].grid.index(150, 100)]);
    EXPECT_GT(stats[4].interpolated, 1000U);
    // A group is one range: the rays are the range's.
    group[1].range_m = 2000.0;
    EXPECT_THROW((void)itm_received_power(terrain, {15.0, 15.0}, group), std::invalid_argument);
}

namespace {

// The SRTM tile ../shared/data/srtm/N21E105.hgt (3 arc-seconds, 1,201 × 1,201 big-endian
// 16-bit heights, north row first), read raw: `points` heights from (col, row) on, one step of
// (dc, dr) at a time.
std::vector<double> srtm_profile(int col, int row, int dc, int dr, std::size_t points) {
    std::ifstream in(std::string(WHITEZONE_SHARED_DATA_DIR) + "/srtm/N21E105.hgt",
                     std::ios::binary);
    EXPECT_TRUE(in.good());
    std::vector<double> z;
    for (std::size_t i = 0; i < points; ++i, col += dc, row += dr) {
        in.seekg(2 * (static_cast<std::streamoff>(row) * 1201 + col));
        unsigned char b[2] = {0, 0};
        in.read(reinterpret_cast<char*>(b), 2);
        z.push_back(static_cast<std::int16_t>((b[0] << 8) | b[1]));
    }
    return z;
}

} // namespace

// ITM over each prefix of a ray, from what the prefixes share (running sums, the transmitter's
// horizon on a hull), agrees with the point-to-point model on the same prefix as a profile of
// its own: on real mountain profiles, every prefix, a low and a high mast, two frequencies.
TEST(ItmRaster, RayPrefixesAgreeWithPointToPointOnSrtm) {
    struct Path {
        int col, row, dc, dr;
    };
    // Rows (about 86 m apart east-west), columns (93 m) and diagonals across the ranges
    // around 105.55 E, 21.55 N, each rising or falling over 1,000 m, and clear of the tile's
    // voids.
    const Path paths[] = {{660, 660, 0, -1}, {660, 480, 0, 1},  {540, 720, 1, -1},
                          {480, 480, 1, 0},  {780, 480, -1, 0}, {660, 540, 1, 1},
                          {420, 300, 1, 1},  {600, 840, 1, -1}};
    std::size_t checked = 0;
    double worst = 0.0;
    for (const Path& path : paths) {
        // Resampled linearly at a third of the tile's spacing (about 30 m, as a ray samples a
        // 30 m grid), so that the heights are no longer whole metres and sums round.
        const std::vector<double> tile = srtm_profile(path.col, path.row, path.dc, path.dr, 120);
        std::vector<double> z;
        for (std::size_t i = 0; i + 1 < tile.size(); ++i)
            for (const double t : {0.0, 1.0 / 3.0, 2.0 / 3.0})
                z.push_back(tile[i] + (tile[i + 1] - tile[i]) * t);
        const double step_m = (path.dc != 0 && path.dr != 0 ? 126.5
                               : path.dr != 0               ? 92.6
                                                            : 86.2) /
                              3.0;
        for (const auto& [h_tx, f_mhz] : {std::pair{10.0, 900.0}, std::pair{60.0, 2100.0}}) {
            ItmParameters p;
            p.h_tx_m = h_tx;
            p.f_mhz = f_mhz;
            itm::RayTerrain ray;
            ray.assign(z, step_m);
            for (std::size_t n = 3; n <= z.size(); ++n) {
                const std::span<const double> prefix(z.data(), n);
                const double expected = itm_point_to_point(prefix, step_m, p).loss_db;
                const double got = itm::point_to_point(prefix, step_m, p, 0, &ray).loss_db;
                worst = std::max(worst, std::abs(got - expected));
                ASSERT_NEAR(got, expected, 1e-6)
                    << "path " << &path - paths << ", " << n << " points, mast " << h_tx << " m";
                ++checked;
            }
            // The coarse sampling asks for its anchors first, then the points between: a
            // shorter prefix after a longer one gets the same answer.
            for (const std::size_t n : {std::size_t{300}, std::size_t{40}, std::size_t{41}}) {
                const std::span<const double> prefix(z.data(), n);
                EXPECT_NEAR(itm::point_to_point(prefix, step_m, p, 0, &ray).loss_db,
                            itm_point_to_point(prefix, step_m, p).loss_db, 1e-6);
            }
        }
    }
    EXPECT_EQ(checked, 8U * 2U * 355U);
    std::cout << "ray prefixes on SRTM: " << checked << " losses, largest difference " << worst
              << " dB\n";
}

// dlthx's resampling, two points at a time, gives the same bits as its formula one point at a
// time, and so do the sums of zlsq1's line through the points, lane by lane: any count (odd and
// even), steps finer and coarser than the profile's, and points past the profile's end (its
// last interval extended), on heights with and without fractions.
TEST(ItmRaster, ResamplingTwoPointsAtATimeIsTheFormulasBits) {
    std::mt19937 random(37);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    int compared = 0;
    for (int round = 0; round < 400; ++round) {
        const auto np = static_cast<std::size_t>(2 + round % 300);
        std::vector<double> z(np + 1);
        for (double& h : z)
            h = round % 2 == 0 ? std::round(1500.0 * unit(random)) : 1500.0 * unit(random);
        const double x_start = 3.0 * unit(random);
        const double dx = 0.2 + 2.0 * unit(random);
        const std::size_t count = 1 + static_cast<std::size_t>(unit(random) * 245.0);
        std::vector<double> out(count);
        const itm::ResampledSums sums = itm::resample(z, x_start, dx, out);
        const int last = static_cast<int>(np) - 1;
        itm::ResampledSums expected_sums;
        for (std::size_t j = 0; j < count; ++j) {
            const double x = x_start + static_cast<double>(j) * dx;
            const int i = std::min(static_cast<int>(x), last);
            const double z0 = z[static_cast<std::size_t>(i)];
            const double expected = z0 + (z[static_cast<std::size_t>(i) + 1] - z0) * (x - i);
            ASSERT_EQ(std::bit_cast<std::uint64_t>(out[j]), std::bit_cast<std::uint64_t>(expected))
                << "round " << round << ", point " << j << " at x = " << x;
            ++compared;
            if (j >= 1 && j + 2 <= count) {
                expected_sums.inner[(j - 1) % 4] += expected;
                expected_sums.moment[(j - 1) % 4] += expected * static_cast<double>(j);
            }
        }
        for (std::size_t lane = 0; lane < 4; ++lane) {
            EXPECT_EQ(std::bit_cast<std::uint64_t>(sums.inner[lane]),
                      std::bit_cast<std::uint64_t>(expected_sums.inner[lane]))
                << "round " << round << ", lane " << lane;
            EXPECT_EQ(std::bit_cast<std::uint64_t>(sums.moment[lane]),
                      std::bit_cast<std::uint64_t>(expected_sums.moment[lane]))
                << "round " << round << ", lane " << lane;
        }
    }
    EXPECT_GT(compared, 40000);
}

// ITM's log10 (ln · log10 e) and fourth root (two square roots), which stand in for the
// library's slower calls in every evaluation, stay within two units in the last place of
// std::log10 and one of std::pow(x, 0.25) over the arguments ITM gives them, and agree at the
// special values.
TEST(ItmRaster, Log10AndFourthRootWithinTwoUnitsInTheLastPlaceOfTheLibrarys) {
    std::mt19937 random(38);
    std::uniform_real_distribution<double> exponent(-6.0, 12.0);
    const auto ulps = [](double a, double b) {
        return std::abs(std::bit_cast<std::int64_t>(a) - std::bit_cast<std::int64_t>(b));
    };
    for (int i = 0; i < 100000; ++i) {
        const double x = std::pow(10.0, exponent(random));
        ASSERT_LE(ulps(itm::log10_of(x), std::log10(x)), 2) << "log10 of " << x;
        ASSERT_LE(ulps(itm::fourth_root(x), std::pow(x, 0.25)), 1) << "fourth root of " << x;
    }
    EXPECT_EQ(itm::log10_of(1.0), 0.0);
    EXPECT_EQ(itm::log10_of(1000.0), 3.0);
    EXPECT_EQ(itm::log10_of(0.0), -std::numeric_limits<double>::infinity());
    EXPECT_TRUE(std::isnan(itm::log10_of(-1.0)));
    EXPECT_EQ(itm::fourth_root(0.0), 0.0);
    EXPECT_EQ(itm::fourth_root(16.0), 2.0);
}

// The receiver's horizon of each prefix of a ray, found by scanning back from the receiver
// only as far as a higher angle is still possible, is the full scan's to the last bit: the same
// angle and the same point (the first of equal angles from the transmitter's side), on SRTM's
// whole-metre heights (where equal angles happen), a plateau, at steps whose multiples are
// exact (30 m, 90 m) and one whose are not (the distances then summed step by step, as hzns
// does).
TEST(ItmRaster, RayReceiverHorizonIsTheFullScansOnEveryPrefix) {
    std::vector<std::vector<double>> profiles = {srtm_profile(660, 660, 0, -1, 400),
                                                 srtm_profile(480, 480, 1, 0, 400),
                                                 srtm_profile(420, 300, 1, 1, 400)};
    std::vector<double> plateau(200, 500.0);
    for (std::size_t i = 0; i < plateau.size(); ++i)
        plateau[i] += i < 60 ? 2.0 * static_cast<double>(i) : i < 140 ? 120.0 : 0.0;
    profiles.push_back(plateau);
    std::size_t checked = 0;
    for (const std::vector<double>& z : profiles)
        for (const double step_m : {30.0, 90.0, 30.87})
            for (const double a_e_m : {8.5e6, 6.37e6 * 1.2})
                for (const double h_rx_m : {1.5, 10.0}) {
                    itm::RayTerrain ray;
                    ray.assign(z, step_m);
                    for (std::size_t n = 2; n <= z.size(); ++n) {
                        const std::span<const double> prefix(z.data(), n);
                        const itm::Horizon want =
                            itm::receiver_terrain_horizon(prefix, step_m, h_rx_m, a_e_m);
                        const itm::Horizon got = ray.rx_horizon(prefix, h_rx_m, a_e_m);
                        ASSERT_EQ(got.theta, want.theta) << n << " points, step " << step_m;
                        ASSERT_EQ(got.d_m, want.d_m) << n << " points, step " << step_m;
                        ++checked;
                    }
                }
    EXPECT_EQ(checked, 2U * 2U * 3U * (3U * 399U + 199U));

    // Two points at exactly the same angle (every operation exact: steps of 32 m, an earth
    // of 2^22 m, the receiver's eye at height 0): the one nearer the transmitter is the
    // horizon, as in hzns.
    std::vector<double> tie(12, -100.0);
    tie[11] = -1.5;          // the receiver's ground; its eye 1.5 m above, at 0
    tie[9] = 10.0;           // 64 m away: 10/64 − 64/2^23
    tie[7] = 20.0 + 0x1p-10; // 128 m away: the same angle
    const double a_e_m = 0x1p22;
    const itm::Horizon want = itm::receiver_terrain_horizon(tie, 32.0, 1.5, a_e_m);
    ASSERT_EQ(want.d_m, 128.0);
    itm::RayTerrain ray;
    ray.assign(tie, 32.0);
    const itm::Horizon got = ray.rx_horizon(tie, 1.5, a_e_m);
    EXPECT_EQ(got.theta, want.theta);
    EXPECT_EQ(got.d_m, 128.0);
}

TEST(ItmRaster, RefusesAnAntennaOutsideTheDem) {
    const Raster<float> flat = dem(21, [](double, double) { return 100.0; });
    EXPECT_TRUE(contains(message_of<InputError>([&] {
                             (void)itm_received_power(flat, {5000.0, 0.0}, options(500.0));
                         }),
                         "outside the DEM's grid"));
}

} // namespace whitezone::test
