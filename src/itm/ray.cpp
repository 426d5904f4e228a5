// What the prefixes of one ray's profile share (detail.hpp, RayTerrain): itm_received_power()
// runs ITM over many prefixes of the same profile, and the parts of Hufford's preparatory step
// that scan the whole profile (the mean height, the least-squares fits, the transmitter's
// horizon) are answered here from sums computed once per ray and a hull per transmitter height,
// the receiver's horizon over a prefix is scanned once for all the co-sited antennas on the ray
// (it does not depend on the transmitter's height), and the deciles of the terrain irregularity
// are selected near the previous prefix's (or, for a walk's first prefix, near those of the same
// prefix on the ray before). The result is the point-to-point model's on the
// prefix up to rounding (tests/unit/itm/raster_test.cpp checks 1e-6 dB on SRTM terrain).

#include "itm/detail.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace whitezone::itm {

void RayTerrain::assign(std::span<const double> z, double step_m) {
    const std::size_t n = z.size();
    m_z.assign(z.begin(), z.end());
    // The distances depend on the step alone: kept from the ray before when it had the same
    // step and at least as many points.
    if (m_step_m != step_m || m_d.size() < n) {
        m_d.assign(n, 0.0);
        double d = 0.0;
        for (std::size_t i = 1; i < n; ++i) {
            d += step_m; // summed step by step, as hzns does
            m_d[i] = d;
        }
    }
    m_step_m = step_m;
    m_sum.resize(n + 1);
    m_moment.resize(n + 1);
    m_highest.resize(n);
    constexpr auto block = static_cast<std::size_t>(kBlock);
    m_block_highest.assign(n / block + 1, -std::numeric_limits<double>::infinity());
    m_sum[0] = 0.0;
    m_moment[0] = 0.0;
    if (n > 0)
        m_highest[0] = -std::numeric_limits<double>::infinity();
    // The running values kept in locals: read back from the arrays just written, each point
    // would wait on the store before it.
    double sum = 0.0, moment = 0.0, highest = -std::numeric_limits<double>::infinity();
    double block_highest = highest;
    for (std::size_t i = 0; i < n; ++i) {
        if (i % block == 0)
            block_highest = -std::numeric_limits<double>::infinity();
        if (i > 0) {
            highest = std::max(highest, z[i]);
            m_highest[i] = highest;
            block_highest = std::max(block_highest, z[i]);
            m_block_highest[i / block] = block_highest;
        }
        sum += z[i];
        moment += static_cast<double>(i) * z[i];
        m_sum[i + 1] = sum;
        m_moment[i + 1] = moment;
    }
    // Whether k · step_m is a double for every k up to n: step_m = M · 2^e with M · n < 2^53.
    int e = 0;
    auto mantissa = static_cast<std::int64_t>(std::ldexp(std::frexp(step_m, &e), 53));
    while (mantissa != 0 && mantissa % 2 == 0)
        mantissa /= 2;
    m_exact_steps = std::isfinite(step_m) && step_m > 0.0 &&
                    static_cast<double>(mantissa) * static_cast<double>(n) < 0x1p53;
    m_hulls_used = 0; // the hulls keep their storage for the next ray
    // The receivers' horizons found on the rays before are told apart by the ray's number.
    if (m_seen.size() < n)
        m_seen.resize(n);
    if (++m_ray == 0) { // after 2^64 rays: none may pass for this one
        std::fill(m_seen.begin(), m_seen.end(), Seen{});
        m_ray = 1;
    }
    m_deciles.fill(
        {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()});
    m_lane = 0;
}

Pair RayTerrain::last_deciles(int np) const {
    const Pair& lane = m_deciles[m_lane];
    const auto at = static_cast<std::size_t>(np);
    if (!std::isnan(lane[0]) || at >= m_deciles_at.size())
        return lane;
    return m_deciles_at[at];
}

void RayTerrain::remember_deciles(int np, Pair deciles) const {
    m_deciles[m_lane] = deciles;
    const auto at = static_cast<std::size_t>(np);
    if (at >= m_deciles_at.size())
        m_deciles_at.resize(at + 1, {std::numeric_limits<double>::quiet_NaN(),
                                     std::numeric_limits<double>::quiet_NaN()});
    m_deciles_at[at] = deciles;
}

double RayTerrain::sum(int first, int last) const {
    return last < first
               ? 0.0
               : m_sum[static_cast<std::size_t>(last) + 1] - m_sum[static_cast<std::size_t>(first)];
}

double RayTerrain::moment(int first, int last) const {
    return last < first ? 0.0
                        : m_moment[static_cast<std::size_t>(last) + 1] -
                              m_moment[static_cast<std::size_t>(first)];
}

RayTerrain::Hull& RayTerrain::hull_of(double h_tx_m) const {
    const auto used = m_hulls.begin() + static_cast<std::ptrdiff_t>(m_hulls_used);
    const auto it =
        std::find_if(m_hulls.begin(), used, [&](const Hull& h) { return h.h_tx_m == h_tx_m; });
    if (it != used)
        return *it;
    if (m_hulls_used == m_hulls.size())
        m_hulls.emplace_back();
    Hull& h = m_hulls[m_hulls_used++];
    const double z_tx = m_z[0] + h_tx_m;
    h.h_tx_m = h_tx_m;
    // Every entry read is written first: the storage of the ray before is reused as it is.
    h.slope.resize(std::max<std::size_t>(m_z.size(), 1));
    h.slope[0] = 0.0;
    for (std::size_t i = 1; i < m_z.size(); ++i)
        h.slope[i] = (m_z[i] - z_tx) / m_d[i];
    h.below.resize(std::max<std::size_t>(m_z.size(), 1));
    h.below[0] = 0;
    h.np = 1;
    return h;
}

Horizon RayTerrain::tx_horizon(int np, double h_tx_m, double a_e_m) const {
    // The angle of point i is slope_i − d_i/2a: linear in 1/2a, so the highest angle for any
    // earth radius lies on the upper convex hull of the points (d_i, slope_i), where the
    // angles rise and then fall along the hull. The effective radius depends on the prefix
    // (through its mean height), which is why a running maximum would not do.
    //
    // The hull is built once per ray and height, point after point, as a stack whose states
    // all stay readable: `below[p]` is the vertex under p when p was pushed, so the hull of
    // points 1 … p is the chain p, below[p], below[below[p]], … (0 ends it). Any prefix's hull
    // is then at hand, in whatever order the prefixes are asked for.
    Hull& h = hull_of(h_tx_m);
    const std::vector<double>& slope = h.slope;
    const std::vector<int>& below = h.below;
    {
        // Through plain pointers and a local count: written through the members, every store
        // to `below` would make the compiler load the count and the arrays again.
        const double* const s = slope.data();
        const double* const d = m_d.data();
        int* const under = h.below.data();
        for (auto p = static_cast<std::size_t>(h.np); p < static_cast<std::size_t>(np); ++p) {
            auto b = p - 1; // the top of the hull of points 1 … p − 1 (0: empty)
            while (b != 0 && under[b] != 0) {
                const auto a = static_cast<std::size_t>(under[b]);
                const double cross = (d[b] - d[a]) * (s[p] - s[a]) - (s[b] - s[a]) * (d[p] - d[a]);
                if (cross < 0.0)
                    break; // b stays strictly above the line from a to p
                b = a;
            }
            under[p] = static_cast<int>(b);
        }
        h.np = std::max(h.np, np);
    }
    if (np <= 1)
        return {-std::numeric_limits<double>::infinity(), 0.0};
    // hzns's (z_i − z_tx)/d − d/2a, term by term.
    const auto angle = [&](std::size_t i) { return slope[i] - m_d[i] / (2.0 * a_e_m); };
    // The first vertex whose angle is not below its successor's: the highest, the nearest
    // among equals (hzns keeps the first of equal angles). From the last vertex back, while
    // the one before is at least as high.
    auto v = static_cast<std::size_t>(np - 1);
    double theta = angle(v);
    for (auto u = static_cast<std::size_t>(below[v]); u != 0;
         u = static_cast<std::size_t>(below[u])) {
        const double before = angle(u);
        if (before < theta)
            break;
        v = u;
        theta = before;
    }
    return {theta, m_d[v]};
}

Horizon RayTerrain::rx_horizon(std::span<const double> z, double h_rx_m, double a_e_m) const {
    Seen& seen = m_seen[z.size() - 1];
    if (seen.ray == m_ray && seen.a_e_m == a_e_m && seen.h_rx_m == h_rx_m)
        return seen.horizon;
    // receiver_terrain_horizon()'s angles, scanned from the receiver back toward the
    // transmitter; the last of equal angles found is then the first from the transmitter's
    // side, as there. The scan goes block by block (kBlock points), and a point at most `top`
    // high and at least `d` away rises to no more than (top − z_rx)/d − d/2a: a block whose
    // highest point cannot beat the best angle found (with a margin far above rounding) is
    // skipped, and once the highest of all the points left cannot, the scan stops.
    const int np = static_cast<int>(z.size()) - 1;
    const double d_m = np * m_step_m;
    // The distances exactly as the forward scan subtracts them, step after step: (np − i)
    // steps when every multiple of the step is a double (a step of 30 m), else the same
    // subtractions done first.
    if (!m_exact_steps) {
        m_to_receiver.resize(static_cast<std::size_t>(np) + 1);
        double d_rx = d_m;
        for (std::size_t i = 1; i < static_cast<std::size_t>(np); ++i) {
            d_rx -= m_step_m;
            m_to_receiver[i] = d_rx;
        }
    }
    const auto distance = [&](int i) {
        return m_exact_steps ? (np - i) * m_step_m : m_to_receiver[static_cast<std::size_t>(i)];
    };
    const double z_rx = z[static_cast<std::size_t>(np)] + h_rx_m;
    Horizon h{-std::numeric_limits<double>::infinity(), d_m};
    const auto cannot_beat = [&](double top, double d) {
        const double bound = std::max(top - z_rx, 0.0) / d - d / (2.0 * a_e_m);
        return bound + 1e-9 * (1.0 + std::abs(bound)) < h.theta;
    };
    for (int hi = np - 1; hi >= 1;) {
        const int lo = std::max(1, hi / kBlock * kBlock);
        const double d_hi = distance(hi); // the block's nearest point to the receiver
        if (cannot_beat(m_highest[static_cast<std::size_t>(hi)], d_hi))
            break;
        if (!cannot_beat(m_block_highest[static_cast<std::size_t>(hi / kBlock)], d_hi))
            for (int i = hi; i >= lo; --i) {
                const double d_rx = distance(i);
                const double theta =
                    receiver_angle(z_rx, z[static_cast<std::size_t>(i)], d_rx, a_e_m);
                // theta ≥ h.theta (neither is NaN), written so that it compiles to no branch:
                // which points rise above the others is not predictable.
                const bool lower = h.theta > theta;
                h.d_m = lower ? h.d_m : d_rx;
                h.theta = lower ? h.theta : theta;
            }
        hi = lo - 1;
    }
    seen = {m_ray, h_rx_m, a_e_m, h};
    return h;
}

} // namespace whitezone::itm
