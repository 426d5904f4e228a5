// ITM's reference attenuation A_ref: the median loss beyond free space, from a line-of-sight
// model, a diffraction line and a troposcatter line joined at their ranges (Hufford,
// Algorithm §4, subroutine lrprop, with adiff, alos, ascat). Equation numbers in brackets
// name the source the algorithm took each formula from.

#include "whitezone/error.hpp"
#include "whitezone/itm.hpp"

#include "itm/detail.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstddef>
#include <numbers>
#include <string>
#include <utility>

namespace whitezone::itm {

namespace {

constexpr double kActualEarthRadius_m = 6370e3; // a_0 of Vogler's method
constexpr double kThird = 1.0 / 3.0;

double dim(double x, double y) { return x > y ? x - y : 0.0; }

// Wave number k = 2π/λ in 1/m for f in MHz: f / 47.7.
double wave_number(double f_mhz) { return f_mhz / 47.7; }

// Double knife edge over the two horizons [TN101, Eq. I.1, I.7].
double knife_edge_loss(double d_m, double f_mhz, double a_e, double theta_los, const Pair& d_hzn) {
    const double d_ml = d_hzn[0] + d_hzn[1];
    const double theta_nlos = d_m / a_e - theta_los; // Algorithm Eq. 4.12
    const double d_nlos = d_m - d_ml;
    const double k = 0.0795775 * wave_number(f_mhz) * theta_nlos * theta_nlos; // 1/(4π) · k θ²
    const double v1 = k * d_hzn[0] * d_nlos / (d_nlos + d_hzn[0]);
    const double v2 = k * d_hzn[1] * d_nlos / (d_nlos + d_hzn[1]);
    return fresnel_knife_edge(v1) + fresnel_knife_edge(v2);
}

// Height-gain function F(x, K) of Vogler's smooth-earth method [Vogler 1964; Algorithm §4].
double height_gain(double x_km, double k) {
    if (x_km < 200.0) {
        const double w = -std::log(k);
        if (k < 1e-5 || x_km * w * w * w > 5495.0) {
            double result = -117.0;
            if (x_km > 1.0)
                result += 17.372 * std::log(x_km);
            return result;
        }
        return 2.5e-5 * x_km * x_km / k - 8.686 * w - 15.0;
    }
    double result = 0.05751 * x_km - 4.343 * std::log(x_km);
    if (x_km < 2000.0) {
        const double w = 0.0134 * x_km * std::exp(-0.005 * x_km);
        result = (1.0 - w) * result + w * (17.372 * std::log(x_km) - 117.0);
    }
    return result;
}

// The diffraction loss at distances beyond the horizons (Algorithm §4, adiff; ERL 79 Eq. 3.23,
// 3.38c): smooth earth (Vogler's three-radius method, Algorithm Eq. 4.13–4.20) and knife edge
// weighted by the roughness, plus the clutter factor. What depends on the path alone (the
// terminals' radii and height gains, the clutter factor, the weight's terms) is computed once,
// as adiff's set-up call does, for the two distances of the diffraction line.
class Diffraction {
  public:
    Diffraction(const ProfileGeometry& g, const Radio& radio, double a_e, const Pair& h_m,
                double theta_los, double d_sml)
        : m_g(g), m_a_e(a_e), m_theta_los(theta_los), m_f_mhz(radio.params.f_mhz),
          m_d_ml(g.d_hzn_m[0] + g.d_hzn_m[1]) {
        const double f_mhz = m_f_mhz;
        // Vogler: the radius of each terminal's horizon [Vogler 1964, Eq. 3], its C_0 (Eq. 2),
        // K (Eq. 6a/7a), B_0 x (Fig. 4) and height gain.
        m_f_third = radio.f_third;
        m_k_factor = radio.k_factor;
        m_abs_z_g = radio.abs_z_g;
        for (std::size_t i = 0; i < 2; ++i) {
            const double a = 0.5 * g.d_hzn_m[i] * g.d_hzn_m[i] / g.h_e_m[i];
            const auto [c0, k] = radius_terms(a);
            m_x_km[i] = (1.607 - k) * c0 * c0 * m_f_third * (g.d_hzn_m[i] / 1000.0);
            m_height_gain[i] = height_gain(m_x_km[i], k);
        }
        // Clutter factor, with the roughness at the smooth-earth line-of-sight distance
        // [ERL 79, p. 3-13 and Eq. 3.38c].
        const double sigma_h_d = sigma_h(terrain_roughness(d_sml, g.delta_h_m));
        m_a_fo = std::min(15.0, 5.0 * log10_of(1.0 + 1e-5 * h_m[0] * h_m[1] * f_mhz * sigma_h_d));
        // The weight's terms [ERL 79, Eq. 3.23]; C ≈ 10 m² for point-to-point paths with known
        // profiles [ERL 79, p. 3-8].
        const double q_h = h_m[0] * h_m[1] + 10.0;
        const double qk = g.h_e_m[0] * g.h_e_m[1] - h_m[0] * h_m[1];
        m_root = std::sqrt(1.0 + qk / q_h);
    }

    [[nodiscard]] double loss(double d_m) const {
        const double a_k = knife_edge_loss(d_m, m_f_mhz, m_a_e, m_theta_los, m_g.d_hzn_m);
        const double a_se = smooth_earth_loss(d_m);
        const double delta_h_d = terrain_roughness(d_m, m_g.delta_h_m);
        const double q = (m_root + (-m_theta_los * m_a_e + m_d_ml) / d_m) *
                         std::min(delta_h_d * wave_number(m_f_mhz), 6283.2);
        const double w = 25.1 / (25.1 + std::sqrt(q));
        return w * a_se + (1.0 - w) * a_k + m_a_fo;
    }

  private:
    // C_0 and K of a radius `a` [Vogler 1964, Eq. 2, 6a/7a].
    [[nodiscard]] std::pair<double, double> radius_terms(double a) const {
        const double c0 = std::pow((4.0 / 3.0) * kActualEarthRadius_m / a, kThird);
        return {c0, 0.017778 * c0 * m_k_factor / m_abs_z_g};
    }

    // Smooth-earth loss at `d_m` (Algorithm Eq. 4.13–4.20): the diffracting path's radius and
    // x, with the terminals' from the set-up.
    [[nodiscard]] double smooth_earth_loss(double d_m) const {
        const double theta_nlos = d_m / m_a_e - m_theta_los;
        const double a = (d_m - m_d_ml) / (d_m / m_a_e - m_theta_los);
        const auto [c0, k] = radius_terms(a);
        const double x_km =
            (1.607 - k) * c0 * c0 * m_f_third * (a * theta_nlos / 1000.0) + m_x_km[0] + m_x_km[1];
        const double g_x = 0.05751 * x_km - 10.0 * log10_of(x_km); // TN101 Eq. 8.4
        return g_x - m_height_gain[0] - m_height_gain[1] - 20.0;   // Eq. 4.20
    }

    const ProfileGeometry& m_g;
    double m_a_e, m_theta_los, m_f_mhz, m_d_ml;
    double m_f_third = 0.0, m_k_factor = 0.0, m_abs_z_g = 0.0;
    Pair m_x_km{}, m_height_gain{};
    double m_a_fo = 0.0, m_root = 0.0;
};

// Line-of-sight loss at distance `d_m`: two rays over rough ground, blended with the extended
// diffraction line (Algorithm §4, alos, Eq. 4.44–4.51).
double line_of_sight_loss(double d_m, const Pair& h_e, std::complex<double> z_g, double delta_h,
                          double m_d, double a_d0, double d_sml, double f_mhz) {
    const double sigma_h_d = sigma_h(terrain_roughness(d_m, delta_h));
    const double wn = wave_number(f_mhz);
    const double h_sum = h_e[0] + h_e[1];
    const double sin_psi = h_sum / std::sqrt(d_m * d_m + h_sum * h_sum); // Eq. 4.46
    // Effective reflection coefficient, reduced by the roughness (Eq. 4.47), and kept from
    // falling too low (Eq. 4.48).
    std::complex<double> r_e =
        (sin_psi - z_g) / (sin_psi + z_g) * std::exp(-std::min(10.0, wn * sigma_h_d * sin_psi));
    const double q = std::norm(r_e);
    if (q < 0.25 || q < sin_psi)
        r_e *= std::sqrt(sin_psi / q);
    // Phase difference of the two rays (Eq. 4.49), limited beyond π/2 (Eq. 4.50).
    double delta_phi = wn * 2.0 * h_e[0] * h_e[1] / d_m;
    constexpr double pi = std::numbers::pi;
    if (delta_phi > pi / 2.0)
        delta_phi = pi - (pi / 2.0) * (pi / 2.0) / delta_phi;
    const std::complex<double> rr =
        std::complex<double>(std::cos(delta_phi), -std::sin(delta_phi)) + r_e;
    const double a_t = -10.0 * log10_of(std::norm(rr));
    const double a_d = m_d * d_m + a_d0;
    const double w = 1.0 / (1.0 + f_mhz * delta_h / std::max(10e3, d_sml)); // Eq. 4.51
    return w * a_t + (1.0 - w) * a_d;
}

// F(θd) of the troposcatter loss (Algorithm Eq. 6.9).
double scatter_attenuation(double td) {
    if (td <= 10e3)
        return 133.4 + 0.332e-3 * td - 10.0 * log10_of(td);
    if (td <= 70e3)
        return 104.6 + 0.212e-3 * td - 2.5 * log10_of(td);
    return 71.8 + 0.157e-3 * td + 5.0 * log10_of(td);
}

// Frequency gain function H_01(r, j) (Algorithm Eq. 6.13).
double h0_curve(int j, double r) {
    constexpr std::array<double, 5> a = {25.0, 80.0, 177.0, 395.0, 705.0};
    constexpr std::array<double, 5> b = {24.0, 45.0, 68.0, 80.0, 105.0};
    const auto i = static_cast<std::size_t>(j);
    return 10.0 * log10_of(1.0 + a[i] * std::pow(1.0 / r, 4) + b[i] * std::pow(1.0 / r, 2));
}

// H_0(r, η_s), interpolated between the curves of whole η_s in [1, 5] [TN101 §9.2].
double h0_function(double r, double eta_s) {
    eta_s = std::clamp(eta_s, 1.0, 5.0);
    const int i = static_cast<int>(eta_s);
    const double q = eta_s - i;
    double result = h0_curve(i - 1, r);
    if (q != 0.0)
        result = (1.0 - q) * result + q * h0_curve(i, r);
    return result;
}

// Troposcatter loss at `d_m` (Algorithm §4, ascat, Eq. 4.63–4.67; TN101 Eq. 9.3–9.5).
// `h0` carries H_0 between the two calls (negative before the first): "if, at d_5,
// calculations show that H_0 will exceed 15 dB, they are replaced by the value it has at d_6".
double troposcatter_loss(double d_m, const ProfileGeometry& g, double a_e, double n_s, double f_mhz,
                         double theta_los, double& h0) {
    const double wn = wave_number(f_mhz);
    double h_0;
    if (h0 > 15.0) {
        h_0 = h0;
    } else {
        double ad = g.d_hzn_m[0] - g.d_hzn_m[1];
        double rr = g.h_e_m[1] / g.h_e_m[0];
        if (ad < 0.0) {
            ad = -ad;
            rr = 1.0 / rr;
        }
        const double theta = g.theta_hzn[0] + g.theta_hzn[1] + d_m / a_e;
        const double r1 = 2.0 * wn * theta * g.h_e_m[0]; // TN101 Eq. 9.4a
        const double r2 = 2.0 * wn * theta * g.h_e_m[1];
        if (r1 < 0.2 && r2 < 0.2)
            return 1001.0; // A_scat undefined (Algorithm p. 11): no troposcatter line
        double s = (d_m - ad) / (d_m + ad);
        const double q = std::min(std::max(0.1, rr / s), 10.0); // truncated (Algorithm p. 16)
        s = std::max(0.1, s);
        const double h_cross = (d_m - ad) * (d_m + ad) * theta * 0.25 / d_m; // Eq. 4.66
        constexpr double z0 = 1.7556e3, z1 = 8.0e3;                          // Eq. 4.67
        const double eta_s =
            (h_cross / z0) * (1.0 + (0.031 - n_s * 2.32e-3 + n_s * n_s * 5.67e-6) *
                                        std::exp(-std::pow(std::min(1.7, h_cross / z1), 6)));
        const double h_00 = (h0_function(r1, eta_s) + h0_function(r2, eta_s)) / 2.0;
        const double delta_h0 = std::min(h_00, 6.0 * (0.6 - log10_of(std::max(eta_s, 1.0))) *
                                                   log10_of(s) * log10_of(q));
        h_0 = std::max(h_00 + delta_h0, 0.0); // TN101 Eq. 9.5, never negative
        if (eta_s < 1.0) {
            const double sqrt2 = std::numbers::sqrt2;
            h_0 = eta_s * h_0 + (1.0 - eta_s) * 10.0 *
                                    log10_of(std::pow((1.0 + sqrt2 / r1) * (1.0 + sqrt2 / r2), 2) *
                                             (r1 + r2) / (r1 + r2 + 2.0 * sqrt2));
        }
        if (h_0 > 15.0 && h0 >= 0.0)
            h_0 = h0;
    }
    h0 = h_0;
    const double th = d_m / a_e - theta_los;
    constexpr double d0 = 40e3; // Algorithm Eq. 6.8
    return scatter_attenuation(th * d_m) + 10.0 * log10_of(wn * 47.7 * std::pow(th, 4)) -
           0.1 * (n_s - 301.0) * std::exp(-th * d_m / d0) + h_0; // Eq. 4.63
}

} // namespace

double terrain_roughness(double d_m, double delta_h_m) {
    return delta_h_m * (1.0 - 0.8 * std::exp(-d_m / 50e3));
}

double sigma_h(double delta_h_m) {
    return 0.78 * delta_h_m * std::exp(-0.5 * fourth_root(delta_h_m));
}

double fresnel_knife_edge(double v2) {
    // [TN101 v2, Eq. III.24b–c; ERL 79, Eq. 3.27]
    if (v2 < 5.76) // v < 2.4
        return 6.02 + 9.11 * std::sqrt(v2) - 1.27 * v2;
    return 12.953 + 10.0 * log10_of(v2);
}

Reference reference_attenuation(const ProfileGeometry& g, const Radio& radio, double gamma_e,
                                double n_s, Pair h_m, std::uint32_t& warnings) {
    const double f_mhz = radio.params.f_mhz;
    const std::complex<double> z_g = radio.z_g;
    const double a_e = 1.0 / gamma_e;
    const Pair d_hzn_s = {std::sqrt(2.0 * g.h_e_m[0] * a_e), std::sqrt(2.0 * g.h_e_m[1] * a_e)};
    const double d_sml = d_hzn_s[0] + d_hzn_s[1];    // smooth-earth line-of-sight range
    const double d_ml = g.d_hzn_m[0] + g.d_hzn_m[1]; // the path's line-of-sight range
    const double theta_los = -std::max(g.theta_hzn[0] + g.theta_hzn[1], -d_ml / a_e);

    // The algorithm's validity checks (Algorithm §4, lrprop: "kwx" flags).
    if (std::abs(g.theta_hzn[0]) > 200e-3)
        warnings |= itm_warning::TxHorizonAngle;
    if (std::abs(g.theta_hzn[1]) > 200e-3)
        warnings |= itm_warning::RxHorizonAngle;
    if (g.d_hzn_m[0] < 0.1 * d_hzn_s[0])
        warnings |= itm_warning::TxHorizonNear;
    if (g.d_hzn_m[1] < 0.1 * d_hzn_s[1])
        warnings |= itm_warning::RxHorizonNear;
    if (g.d_hzn_m[0] > 3.0 * d_hzn_s[0])
        warnings |= itm_warning::TxHorizonFar;
    if (g.d_hzn_m[1] > 3.0 * d_hzn_s[1])
        warnings |= itm_warning::RxHorizonFar;

    const std::string hint = " Check the profile's heights (metres above sea level) and 'n0'.";
    if (n_s < 150.0)
        throw InputError("itm: the surface refractivity at the path's height is " +
                         std::to_string(n_s) + " N-units, below ITM's limit of 150." + hint);
    if (n_s > 400.0)
        throw InputError("itm: the surface refractivity at the path's height is " +
                         std::to_string(n_s) + " N-units, above ITM's limit of 400." + hint);
    if (n_s < 250.0)
        warnings |= itm_warning::LowRefractivity;
    if (a_e < 4000000.0 || a_e > 13333333.0)
        throw InputError("itm: the effective earth radius " + std::to_string(a_e / 1000.0) +
                         " km is outside ITM's 4,000-13,333 km." + hint);
    if (z_g.real() <= std::abs(z_g.imag()))
        throw InputError("itm: the ground impedance from 'epsilon' and 'sigma' is outside ITM's "
                         "range (its real part must exceed its imaginary part); use typical "
                         "ground constants, e.g. epsilon 15 and sigma 0.005.");

    // The diffraction line through two distances far beyond the horizons (Algorithm §4).
    const double scale = std::pow(a_e * a_e / f_mhz, kThird);
    const double d3 = std::max(d_sml, d_ml + 5.0 * scale);
    const double d4 = d3 + 10.0 * scale;
    const Diffraction diffraction(g, radio, a_e, h_m, theta_los, d_sml);
    const double a3 = diffraction.loss(d3);
    const double a4 = diffraction.loss(d4);
    const double m_d = (a4 - a3) / (d4 - d3);
    const double a_d0 = a3 - m_d * d3;

    const double d_m = g.d_m;
    if (d_m < std::abs(g.h_e_m[0] - g.h_e_m[1]) / 200e-3)
        warnings |= itm_warning::PathTooShort1;
    if (d_m < 1e3)
        warnings |= itm_warning::PathTooShort2;
    if (d_m > 1000e3)
        warnings |= itm_warning::PathTooLong1;
    if (d_m > 2000e3)
        warnings |= itm_warning::PathTooLong2;

    Reference ref;
    if (d_m < d_sml) {
        // Line of sight: A_ref = A_o + k1 d + k2 ln d through three points, the last on the
        // diffraction line at d_sML [ERL 79, Eq. 3.16–3.21].
        const double a_sml = d_sml * m_d + a_d0;
        double d0 = 0.04 * f_mhz * g.h_e_m[0] * g.h_e_m[1]; // ERL 79 Eq. 3.16a
        double d1;
        if (a_d0 >= 0.0) {
            d0 = std::min(d0, 0.5 * d_ml);
            d1 = d0 + 0.25 * (d_ml - d0); // ERL 79 Eq. 3.16d
        } else {
            d1 = std::max(-a_d0 / m_d, 0.25 * d_ml);
        }
        const double a1 =
            line_of_sight_loss(d1, g.h_e_m, z_g, g.delta_h_m, m_d, a_d0, d_sml, f_mhz);
        bool fitted = false;
        double k1 = 0.0, k2 = 0.0;
        if (d0 < d1) {
            const double a0 =
                line_of_sight_loss(d0, g.h_e_m, z_g, g.delta_h_m, m_d, a_d0, d_sml, f_mhz);
            const double q = std::log(d_sml / d0);
            k2 = std::max(0.0, ((d_sml - d0) * (a1 - a0) - (d1 - d0) * (a_sml - a0)) /
                                   ((d_sml - d0) * std::log(d1 / d0) - (d1 - d0) * q)); // Eq. 3.20
            fitted = a_d0 > 0.0 || k2 > 0.0;
            if (fitted) {
                k1 = (a_sml - a0 - k2 * q) / (d_sml - d0); // Eq. 3.21
                if (k1 < 0.0) {
                    k1 = 0.0;
                    k2 = dim(a_sml, a0) / q;
                    if (k2 == 0.0)
                        k1 = m_d;
                }
            }
        }
        if (!fitted) {
            k1 = dim(a_sml, a1) / (d_sml - d1);
            k2 = 0.0;
            if (k1 == 0.0)
                k1 = m_d;
        }
        const double a_o = a_sml - k1 * d_sml - k2 * std::log(d_sml);
        ref.a_ref_db = a_o + k1 * d_m + k2 * std::log(d_m); // ERL 79 Eq. 3.19
        ref.mode = 1;
    } else {
        // Beyond the smooth-earth horizon: the diffraction line, or the troposcatter line
        // through two distances far beyond, whichever applies at this distance.
        const double d5 = d_ml + 200e3;
        const double d6 = d_ml + 400e3;
        double h0 = -1.0;
        const double a6 = troposcatter_loss(d6, g, a_e, n_s, f_mhz, theta_los, h0);
        const double a5 = troposcatter_loss(d5, g, a_e, n_s, f_mhz, theta_los, h0);
        double m_s = m_d, a_s0 = a_d0, d_x = 10e6;
        if (a5 < 1000.0) {
            m_s = (a6 - a5) / 200e3;
            d_x = std::max(std::max(d_sml, d_ml + 1.088 * scale * radio.log_f),
                           (a5 - a_d0 - m_s * d5) / (m_d - m_s));
            a_s0 = (m_d - m_s) * d_x + a_d0;
        }
        if (d_m > d_x) {
            ref.a_ref_db = m_s * d_m + a_s0;
            ref.mode = 3;
        } else {
            ref.a_ref_db = m_d * d_m + a_d0;
            ref.mode = 2;
        }
    }
    ref.a_ref_db = std::max(ref.a_ref_db, 0.0);
    return ref;
}

} // namespace whitezone::itm
