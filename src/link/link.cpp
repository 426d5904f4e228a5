// One radio link over a terrain profile (link.hpp): ITM's loss, the received power, the worst
// obstruction of the ray and a summary of the profile.

#include "whitezone/link.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace whitezone {

Obstruction find_obstruction(const TerrainProfile& profile, double h_tx_m, double h_rx_m,
                             double earth_radius_m, double f_mhz) {
    const auto& z = profile.elevations_m;
    const std::size_t n = z.size();
    Obstruction worst;
    if (n < 2)
        return worst;
    const double d = profile.length_m();
    const double a_tx = z.front() + h_tx_m, a_rx = z.back() + h_rx_m;
    const double wavelength_m = 299.792458 / f_mhz;
    worst.above_ray_m = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double x = profile.step_m * static_cast<double>(i);
        // The ray is straight on an earth of the effective radius, so the ground rises by the
        // earth's bulge x(d − x)/2a above the chord between the ends.
        const double ground = z[i] + x * (d - x) / (2.0 * earth_radius_m);
        const double ray = a_tx + (a_rx - a_tx) * x / d;
        if (ground - ray > worst.above_ray_m) {
            worst.above_ray_m = ground - ray;
            worst.distance_m = x;
            worst.ground_m = z[i];
            worst.fresnel_radius_m = std::sqrt(wavelength_m * x * (d - x) / d);
        }
    }
    if (n == 2) {
        worst.above_ray_m = -h_rx_m;
        worst.distance_m = d;
        worst.ground_m = z.back();
    }
    return worst;
}

LinkResult compute_link(const TerrainProfile& profile, const ItmParameters& params, double eirp_dbm,
                        double rx_gain_dbi) {
    LinkResult r;
    r.itm = itm_point_to_point(profile.elevations_m, profile.step_m, params);
    r.received_dbm = eirp_dbm - r.itm.loss_db + rx_gain_dbi;
    r.obstruction =
        find_obstruction(profile, params.h_tx_m, params.h_rx_m, r.itm.earth_radius_m, params.f_mhz);
    const auto& z = profile.elevations_m;
    ProfileSummary& s = r.profile;
    s.points = z.size();
    s.step_m = profile.step_m;
    s.length_m = profile.length_m();
    const auto [lo, hi] = std::minmax_element(z.begin(), z.end());
    s.min_m = *lo;
    s.max_m = *hi;
    s.mean_m = std::accumulate(z.begin(), z.end(), 0.0) / static_cast<double>(z.size());
    s.tx_ground_m = z.front();
    s.rx_ground_m = z.back();
    return r;
}

} // namespace whitezone
