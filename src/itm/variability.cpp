// ITM's variability: the reference attenuation moved to the requested time, location and
// situation percentages under the radio climate and the mode of variability (Hufford,
// Algorithm §5, subroutine avar; the curve constants are those of the algorithm, fitted to
// TN101 Fig. 10.13 and TN101 v2 Eq. III.69-III.70).

#include "whitezone/itm.hpp"

#include "itm/detail.hpp"

#include <array>
#include <cmath>

namespace whitezone::itm {

namespace {

using PerClimate = std::array<double, 7>;

// The all-year median V_med and the time-variability curves, per climate 1-7.
constexpr std::array<PerClimate, 5> kAllYear = {{
    {-9.67, -0.62, 1.26, -9.21, -0.62, -0.39, 3.15},
    {12.7, 9.19, 15.5, 9.05, 9.19, 2.86, 857.9},
    {144.9e3, 228.9e3, 262.6e3, 84.1e3, 228.9e3, 141.7e3, 2222.e3},
    {190.3e3, 205.2e3, 185.2e3, 101.1e3, 205.2e3, 315.9e3, 164.8e3},
    {133.8e3, 143.6e3, 99.8e3, 98.6e3, 143.6e3, 167.4e3, 116.3e3},
}};
constexpr PerClimate kBsm1 = {2.13, 2.66, 6.11, 1.98, 2.68, 6.86, 8.51};
constexpr PerClimate kBsm2 = {159.5, 7.67, 6.65, 13.11, 7.16, 10.38, 169.8};
constexpr PerClimate kXsm1 = {762.2e3, 100.4e3, 138.2e3, 139.1e3, 93.7e3, 187.8e3, 609.8e3};
constexpr PerClimate kXsm2 = {123.6e3, 172.5e3, 242.2e3, 132.7e3, 186.8e3, 169.6e3, 119.9e3};
constexpr PerClimate kXsm3 = {94.5e3, 136.4e3, 178.6e3, 193.5e3, 133.5e3, 108.9e3, 106.6e3};
constexpr PerClimate kBsp1 = {2.11, 6.87, 10.08, 3.68, 4.75, 8.58, 8.43};
constexpr PerClimate kBsp2 = {102.3, 15.53, 9.60, 159.3, 8.12, 13.97, 8.19};
constexpr PerClimate kXsp1 = {636.9e3, 138.7e3, 165.3e3, 464.4e3, 93.2e3, 216.0e3, 136.2e3};
constexpr PerClimate kXsp2 = {134.8e3, 143.7e3, 225.7e3, 93.1e3, 135.9e3, 152.0e3, 188.5e3};
constexpr PerClimate kXsp3 = {95.6e3, 98.6e3, 129.7e3, 94.2e3, 113.4e3, 122.7e3, 122.9e3};
// Algorithm Table 5.1: C_D and z_D, the deviations above which time variability changes slope.
constexpr PerClimate kCd = {1.224, 0.801, 1.380, 1.000, 1.224, 1.518, 1.518};
constexpr PerClimate kZd = {1.282, 2.161, 1.282, 20.0, 1.282, 1.282, 1.282};
// Frequency factors g(f) of time variability.
constexpr PerClimate kBfm1 = {1.0, 1.0, 1.0, 1.0, 0.92, 1.0, 1.0};
constexpr PerClimate kBfm2 = {0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0};
constexpr PerClimate kBfm3 = {0.0, 0.0, 0.0, 0.0, 1.77, 0.0, 0.0};
constexpr PerClimate kBfp1 = {1.0, 0.93, 1.0, 0.93, 0.93, 1.0, 1.0};
constexpr PerClimate kBfp2 = {0.0, 0.31, 0.0, 0.19, 0.31, 0.0, 0.0};
constexpr PerClimate kBfp3 = {0.0, 2.00, 0.0, 1.79, 2.00, 0.0, 0.0};

constexpr double kReferenceRadius_m = 9000e3; // Algorithm Eq. 5.3

// The curve shape of Algorithm Eq. 5.5 / TN101 v2 Eq. III.69-III.70.
double curve(double c1, double c2, double x1, double x2, double x3, double d_e) {
    const double r = (d_e / x1) * (d_e / x1);
    return (c1 + c2 / (1.0 + std::pow((d_e - x2) / x3, 2))) * r / (1.0 + r);
}

// Standard normal deviate exceeded with probability q: Q⁻¹(q), by Abramowitz & Stegun 26.2.23
// (error below 4.5e-4).
double inverse_ccdf(double q) {
    constexpr double c0 = 2.515516, c1 = 0.802853, c2 = 0.010328;
    constexpr double d1 = 1.432788, d2 = 0.189269, d3 = 0.001308;
    const double x = q > 0.5 ? 1.0 - q : q;
    const double t = std::sqrt(-2.0 * std::log(x));
    const double zeta = ((c2 * t + c1) * t + c0) / (((d3 * t + d2) * t + d1) * t + 1.0);
    return q > 0.5 ? -(t - zeta) : t - zeta;
}

} // namespace

void variability_constants(Radio& r) {
    const ItmParameters& p = r.params;
    r.z_t = inverse_ccdf(p.time_pct / 100.0);
    r.z_l = inverse_ccdf(p.location_pct / 100.0);
    r.z_s = inverse_ccdf(p.situation_pct / 100.0);
    const auto c = static_cast<std::size_t>(static_cast<int>(p.climate) - 1);
    r.wn = p.f_mhz / 47.7;
    r.d_ex_f = std::pow(575.7e12 / r.wn, 1.0 / 3.0);

    // mdvar ≥ 20: no direct situation variability (interference studies, Hufford 1982);
    // then ≥ 10: no location variability.
    int mode = p.mdvar;
    r.no_situation = mode >= 20;
    if (r.no_situation)
        mode -= 20;
    r.no_location = mode >= 10;
    if (r.no_location)
        mode -= 10;
    r.mode = mode;
    const auto vm = static_cast<ItmVariabilityMode>(mode);
    if (vm == ItmVariabilityMode::SingleMessage) {
        r.z_t = r.z_s;
        r.z_l = r.z_s;
    } else if (vm == ItmVariabilityMode::Accidental) {
        r.z_l = r.z_s;
    } else if (vm == ItmVariabilityMode::Mobile) {
        r.z_l = r.z_t;
    }
    r.extreme = std::abs(r.z_t) > 3.10 || std::abs(r.z_l) > 3.10 || std::abs(r.z_s) > 3.10;
    // Frequency factors g(f) of time variability.
    const double q = std::log(0.133 * r.wn);
    r.g_minus = kBfm1[c] + kBfm2[c] / (std::pow(kBfm3[c] * q, 2) + 1.0);
    r.g_plus = kBfp1[c] + kBfp2[c] / (std::pow(kBfp3[c] * q, 2) + 1.0);
}

double variability(const Radio& r, Pair h_e_m, double delta_h_m, double d_m, double a_ref_db,
                   std::uint32_t& warnings) {
    const double z_t = r.z_t, z_l = r.z_l, z_s = r.z_s;
    const auto c = static_cast<std::size_t>(static_cast<int>(r.params.climate) - 1);
    const double wn = r.wn;

    // Effective distance (Algorithm Eq. 5.3-5.4).
    const double d_ex = std::sqrt(2.0 * kReferenceRadius_m * h_e_m[0]) +
                        std::sqrt(2.0 * kReferenceRadius_m * h_e_m[1]) + r.d_ex_f;
    const double d_e = d_m < d_ex ? 130e3 * d_m / d_ex : 130e3 + d_m - d_ex;

    const bool no_situation = r.no_situation, no_location = r.no_location;
    const double sigma_s = no_situation ? 0.0 : 5.0 + 3.0 * std::exp(-d_e / 100e3); // Eq. 5.10

    const double v_med =
        curve(kAllYear[0][c], kAllYear[1][c], kAllYear[2][c], kAllYear[3][c], kAllYear[4][c], d_e);

    const auto vm = static_cast<ItmVariabilityMode>(r.mode);
    if (r.extreme)
        warnings |= itm_warning::ExtremeVariability;

    // Location variability (Algorithm Eq. 5.9).
    double sigma_l = 0.0;
    if (!no_location) {
        const double dh_d = terrain_roughness(d_m, delta_h_m);
        sigma_l = 10.0 * wn * dh_d / (wn * dh_d + 13.0);
    }
    const double y_l = sigma_l * z_l;

    // Time variability, with separate slopes below and above the median and beyond z_D
    // (Algorithm Eq. 5.5-5.8).
    const double sigma_t_minus =
        curve(kBsm1[c], kBsm2[c], kXsm1[c], kXsm2[c], kXsm3[c], d_e) * r.g_minus;
    const double sigma_t_plus =
        curve(kBsp1[c], kBsp2[c], kXsp1[c], kXsp2[c], kXsp3[c], d_e) * r.g_plus;
    const double sigma_td = kCd[c] * sigma_t_plus;
    const double tgtd = (sigma_t_plus - sigma_td) * kZd[c];
    double sigma_t = sigma_t_plus;
    if (z_t < 0.0)
        sigma_t = sigma_t_minus;
    else if (z_t > kZd[c])
        sigma_t = sigma_td + tgtd / z_t;
    const double y_t = sigma_t * z_t;

    // Combination per mode (Algorithm Eq. 5.11).
    const double y_s_base =
        sigma_s * sigma_s + y_t * y_t / (7.8 + z_s * z_s) + y_l * y_l / (24.0 + z_s * z_s);
    double y_r = 0.0, y_s = 0.0;
    switch (vm) {
    case ItmVariabilityMode::SingleMessage:
        y_r = 0.0;
        y_s = std::sqrt(sigma_t * sigma_t + sigma_l * sigma_l + y_s_base) * z_s;
        break;
    case ItmVariabilityMode::Accidental:
        y_r = y_t;
        y_s = std::sqrt(sigma_l * sigma_l + y_s_base) * z_s;
        break;
    case ItmVariabilityMode::Mobile:
        y_r = std::sqrt(sigma_t * sigma_t + sigma_l * sigma_l) * z_t;
        y_s = std::sqrt(y_s_base) * z_s;
        break;
    case ItmVariabilityMode::Broadcast:
        y_r = y_t + y_l;
        y_s = std::sqrt(y_s_base) * z_s;
        break;
    }

    double result = a_ref_db - v_med - y_r - y_s;
    // A loss below free space is compressed toward 0 (Algorithm Eq. 5.12).
    if (result < 0.0)
        result = result * (29.0 - result) / (29.0 - 10.0 * result);
    return result;
}

} // namespace whitezone::itm
