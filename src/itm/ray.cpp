// What the prefixes of one ray's profile share (detail.hpp, RayTerrain): itm_received_power()
// runs ITM over many prefixes of the same profile, and the parts of Hufford's preparatory step
// that scan the whole profile (the mean height, the least-squares fits, the transmitter's
// horizon) are answered here from sums and a hull computed once per ray, and the deciles of
// the terrain irregularity are selected near the previous prefix's. The result is the
// point-to-point model's on the prefix up to rounding (tests/unit/itm/raster_test.cpp checks
// 1e-6 dB on SRTM terrain).

#include "itm/detail.hpp"

#include <cstddef>
#include <limits>

namespace whitezone::itm {

void RayTerrain::assign(std::span<const double> z, double step_m, double h_tx_m) {
    const std::size_t n = z.size();
    m_sum.assign(n + 1, 0.0);
    m_moment.assign(n + 1, 0.0);
    m_d.assign(n, 0.0);
    m_slope.assign(n, 0.0);
    const double z_tx = z[0] + h_tx_m;
    double d = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        m_sum[i + 1] = m_sum[i] + z[i];
        m_moment[i + 1] = m_moment[i] + static_cast<double>(i) * z[i];
        if (i > 0) {
            d += step_m; // summed step by step, as hzns does
            m_d[i] = d;
            m_slope[i] = (z[i] - z_tx) / d;
        }
    }
    m_hull.clear();
    m_hull_np = 1;
    m_deciles = {std::numeric_limits<double>::quiet_NaN(),
                 std::numeric_limits<double>::quiet_NaN()};
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

double RayTerrain::angle(int i, double a_e_m) const {
    const auto u = static_cast<std::size_t>(i);
    return m_slope[u] - m_d[u] / (2.0 * a_e_m); // hzns's (z_i − z_tx)/d − d/2a, term by term
}

bool RayTerrain::tx_horizon(int np, double a_e_m, double& theta, double& d_m) const {
    // The angle of point i is slope_i − d_i/2a: linear in 1/2a, so the highest angle for any
    // earth radius lies on the upper convex hull of the points (d_i, slope_i), where the
    // angles rise and then fall along the hull. The effective radius depends on the prefix
    // (through its mean height), which is why a running maximum would not do.
    if (np < m_hull_np) {
        m_hull.clear();
        m_hull_np = 1;
    }
    for (; m_hull_np < np; ++m_hull_np) {
        const auto p = static_cast<std::size_t>(m_hull_np);
        while (m_hull.size() >= 2) {
            const auto a = static_cast<std::size_t>(m_hull[m_hull.size() - 2]);
            const auto b = static_cast<std::size_t>(m_hull.back());
            const double cross = (m_d[b] - m_d[a]) * (m_slope[p] - m_slope[a]) -
                                 (m_slope[b] - m_slope[a]) * (m_d[p] - m_d[a]);
            if (cross < 0.0)
                break; // b stays strictly above the line from a to p
            m_hull.pop_back();
        }
        m_hull.push_back(m_hull_np);
    }
    if (m_hull.empty())
        return false;
    // The first vertex whose angle is not below its successor's: the highest, the nearest
    // among equals (hzns keeps the first of equal angles).
    std::size_t lo = 0, hi = m_hull.size() - 1;
    while (lo < hi) {
        const std::size_t mid = (lo + hi) / 2;
        if (angle(m_hull[mid], a_e_m) < angle(m_hull[mid + 1], a_e_m))
            lo = mid + 1;
        else
            hi = mid;
    }
    theta = angle(m_hull[lo], a_e_m);
    d_m = m_d[static_cast<std::size_t>(m_hull[lo])];
    return true;
}

} // namespace whitezone::itm
