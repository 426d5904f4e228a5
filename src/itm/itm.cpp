// ITM point-to-point mode: input checks, the path's refractivity and ground impedance, then
// the three steps of the algorithm (profile, reference attenuation, variability) plus free
// space (Hufford, Algorithm §2-§5; entry point as in subroutine point_to_point and NTIA/ITS's
// ITM_P2P_TLS_Ex).

#include "whitezone/itm.hpp"

#include "whitezone/error.hpp"

#include "itm/detail.hpp"

#include <cmath>
#include <complex>
#include <sstream>

namespace whitezone {

namespace {

std::string num(double v) {
    std::ostringstream s;
    s.imbue(std::locale::classic());
    s << v;
    return s.str();
}

// Refuses what ITM refuses, and sets the warning bits of values near the limits (the
// reference's validity checks; Algorithm §2 states the ranges).
std::uint32_t check_parameters(const ItmParameters& p) {
    std::uint32_t warnings = 0;
    const auto height = [&](double h, const char* key, std::uint32_t bit) {
        if (!(h >= 0.5 && h <= 3000.0))
            throw InputError(std::string("itm: antenna height '") + key + "' = " + num(h) +
                             " m is outside ITM's range of 0.5-3,000 m above ground (valid "
                             "1-1,000 m); give the height of the antenna above the ground.");
        if (h < 1.0 || h > 1000.0)
            warnings |= bit;
    };
    height(p.h_tx_m, "h_tx_m", itm_warning::TxHeight);
    height(p.h_rx_m, "h_rx_m", itm_warning::RxHeight);
    const int climate = static_cast<int>(p.climate);
    if (climate < 1 || climate > 7)
        throw InputError("itm: 'climate' = " + std::to_string(climate) +
                         " is not an ITM radio climate; use 1 equatorial, 2 continental "
                         "subtropical, 3 maritime subtropical, 4 desert, 5 continental temperate, "
                         "6 maritime temperate over land or 7 maritime temperate over sea.");
    if (!(p.n0 >= 250.0 && p.n0 <= 400.0))
        throw InputError("itm: surface refractivity 'n0' = " + num(p.n0) +
                         " N-units is outside ITM's 250-400; 301 is the world average, 320 "
                         "suits continental subtropical climates.");
    if (!(p.f_mhz >= 20.0 && p.f_mhz <= 20000.0))
        throw InputError("itm: frequency 'f_mhz' = " + num(p.f_mhz) +
                         " MHz is outside ITM's 20 MHz-20 GHz (valid 40 MHz-10 GHz); give the "
                         "frequency in MHz, e.g. 900 or 2100.");
    if (p.f_mhz < 40.0 || p.f_mhz > 10000.0)
        warnings |= itm_warning::Frequency;
    const int pol = static_cast<int>(p.polarisation);
    if (pol != 0 && pol != 1)
        throw InputError("itm: polarisation 'pol' = " + std::to_string(pol) +
                         " is not known; use 0 horizontal or 1 vertical.");
    // Ground constants beyond any ground's (sea water: 80 and 5 S/m) give no loss at all
    // (NaN): the config's ranges.
    if (!(p.epsilon >= 1.0 && p.epsilon <= 1000.0))
        throw InputError("itm: relative permittivity 'epsilon' = " + num(p.epsilon) +
                         " must be from 1 to 1,000; average ground is 15, sea water 80.");
    if (!(p.sigma > 0.0 && p.sigma <= 100.0))
        throw InputError("itm: ground conductivity 'sigma' = " + num(p.sigma) +
                         " S/m must be above 0 and at most 100; average ground is 0.005, sea "
                         "water 5.");
    const int base = p.mdvar % 10;
    if (p.mdvar < 0 || p.mdvar > 33 || base > 3)
        throw InputError("itm: mode of variability 'mdvar' = " + std::to_string(p.mdvar) +
                         " is not known; use 0 single message, 1 accidental, 2 mobile or 3 "
                         "broadcast, plus 10 without location variability and/or 20 without "
                         "situation variability.");
    const auto pct = [](double v, const char* key) {
        if (!(v > 0.0 && v < 100.0))
            throw InputError(std::string("itm: '") + key + "' = " + num(v) +
                             " must be a percentage strictly between 0 and 100, e.g. 50 for "
                             "the median or 90 for a 90 % reliability.");
    };
    pct(p.situation_pct, "situation");
    pct(p.time_pct, "time");
    pct(p.location_pct, "location");
    return warnings;
}

// The parameters' checks, then the profile's.
std::uint32_t validate(std::span<const double> z, double step_m, const ItmParameters& p) {
    const std::uint32_t warnings = check_parameters(p);
    if (!(step_m > 0.0 && std::isfinite(step_m)))
        throw InputError("itm: profile step 'step_m' = " + num(step_m) +
                         " must be a positive distance in metres.");
    if (z.size() < 3)
        throw InputError("itm: the terrain profile has " + std::to_string(z.size()) +
                         " points; ITM needs at least 3 (two intervals), from the transmitter "
                         "to the receiver.");
    for (std::size_t i = 0; i < z.size(); ++i)
        if (!std::isfinite(z[i]))
            throw InputError("itm: terrain profile point " + std::to_string(i + 1) + " of " +
                             std::to_string(z.size()) +
                             " has no height (no data); the path leaves the DEM or crosses a "
                             "void: fill the DEM or choose points inside it.");
    return warnings;
}

} // namespace

void validate_itm_parameters(const ItmParameters& params) { check_parameters(params); }

namespace {

// Free-space loss over `d_m` from its value over 1 km, `at_1km_db`, as free_space_loss_db() adds.
double free_space_from_1km(double at_1km_db, double d_m) {
    return at_1km_db + 20.0 * itm::log10_of(d_m / 1000.0);
}

} // namespace

double free_space_loss_db(double d_m, double f_mhz) {
    return free_space_from_1km(32.45 + 20.0 * std::log10(f_mhz), d_m);
}

ItmResult itm_point_to_point(std::span<const double> z, double step_m, const ItmParameters& p) {
    return itm::point_to_point(z, step_m, p, validate(z, step_m, p), nullptr);
}

itm::PathGeometry itm::analyse_path(std::span<const double> z, double step_m,
                                    const ItmParameters& p, const itm::RayTerrain* ray) {
    const int np = static_cast<int>(z.size()) - 1;

    // Mean height of the path, the first and last tenth left out: the refractivity is scaled
    // to it (Algorithm §3; TN101 Eq. 4.3), which is why mountain paths see a lower N_s.
    const int p10 = static_cast<int>(0.1 * np);
    double h_sys = 0.0;
    if (ray)
        h_sys = ray->sum(p10, np - p10);
    else
        for (int i = p10; i <= np - p10; ++i)
            h_sys += z[static_cast<std::size_t>(i)];
    h_sys /= np - 2 * p10 + 1;
    itm::PathGeometry g;
    g.n_s = h_sys == 0.0 ? p.n0 : p.n0 * std::exp(-h_sys / 9460.0);
    // Effective earth curvature, 157e-9 1/m being the actual earth's (TN101 Eq. 4.4, reworked).
    g.gamma_e = 157e-9 * (1.0 - 0.04665 * std::exp(g.n_s / 179.3));
    g.profile = itm::analyse_profile(z, step_m, g.gamma_e, {p.h_tx_m, p.h_rx_m}, ray);
    return g;
}

itm::Radio::Radio(const ItmParameters& p) : params(p) {
    // Ground impedance from the complex relative permittivity (Algorithm §3, Eq. 3.1).
    const std::complex<double> ep_r(p.epsilon, 18000.0 * p.sigma / p.f_mhz);
    z_g = std::sqrt(ep_r - 1.0);
    if (p.polarisation == ItmPolarisation::Vertical)
        z_g /= ep_r;
    abs_z_g = std::abs(z_g);
    f_third = std::pow(p.f_mhz, 1.0 / 3.0);
    k_factor = std::pow(p.f_mhz, -(1.0 / 3.0));
    log_f = std::log(p.f_mhz);
    free_space_1km_db = 32.45 + 20.0 * std::log10(p.f_mhz);
    variability_constants(*this);
}

ItmResult itm::path_loss(const itm::PathGeometry& path, const ItmParameters& p,
                         std::uint32_t warnings) {
    return path_loss(path, Radio(p), warnings);
}

ItmResult itm::path_loss(const itm::PathGeometry& path, const Radio& radio,
                         std::uint32_t warnings) {
    const ItmParameters& p = radio.params;
    const itm::ProfileGeometry& g = path.profile;
    const itm::Reference ref = itm::reference_attenuation(g, radio, path.gamma_e, path.n_s,
                                                          {p.h_tx_m, p.h_rx_m}, warnings);

    ItmResult r;
    r.free_space_db = free_space_from_1km(radio.free_space_1km_db, g.d_m);
    r.loss_db = itm::variability(radio, g.h_e_m, g.delta_h_m, g.d_m, ref.a_ref_db, warnings) +
                r.free_space_db;
    r.a_ref_db = ref.a_ref_db;
    r.warnings = warnings;
    r.mode = static_cast<ItmMode>(ref.mode);
    r.d_km = g.d_m / 1000.0;
    r.dhzn_tx_km = g.d_hzn_m[0] / 1000.0;
    r.dhzn_rx_km = g.d_hzn_m[1] / 1000.0;
    r.theta_hzn_tx = g.theta_hzn[0];
    r.theta_hzn_rx = g.theta_hzn[1];
    r.h_e_tx_m = g.h_e_m[0];
    r.h_e_rx_m = g.h_e_m[1];
    r.delta_h_m = g.delta_h_m;
    r.n_s = path.n_s;
    r.earth_radius_m = 1.0 / path.gamma_e;
    return r;
}

ItmResult itm::point_to_point(std::span<const double> z, double step_m, const ItmParameters& p,
                              std::uint32_t warnings, const itm::RayTerrain* ray) {
    return path_loss(analyse_path(z, step_m, p, ray), p, warnings);
}

ItmResult itm_point_to_point(const ItmInputs& inputs) {
    return itm_point_to_point(inputs.elevations_m, inputs.step_m, inputs.params);
}

std::string describe_itm_warnings(std::uint32_t warnings) {
    static constexpr std::pair<std::uint32_t, const char*> kText[] = {
        {itm_warning::TxHeight, "transmitter height outside 1-1,000 m"},
        {itm_warning::RxHeight, "receiver height outside 1-1,000 m"},
        {itm_warning::Frequency, "frequency outside 40 MHz-10 GHz"},
        {itm_warning::PathTooLong1, "path longer than 1,000 km"},
        {itm_warning::PathTooLong2, "path longer than 2,000 km"},
        {itm_warning::PathTooShort1, "path short for the difference of the antenna heights"},
        {itm_warning::PathTooShort2, "path shorter than 1 km"},
        {itm_warning::TxHorizonAngle, "transmitter horizon steeper than 0.2 rad"},
        {itm_warning::RxHorizonAngle, "receiver horizon steeper than 0.2 rad"},
        {itm_warning::TxHorizonNear, "transmitter horizon under 1/10 of the smooth-earth one"},
        {itm_warning::RxHorizonNear, "receiver horizon under 1/10 of the smooth-earth one"},
        {itm_warning::TxHorizonFar, "transmitter horizon over 3 times the smooth-earth one"},
        {itm_warning::RxHorizonFar, "receiver horizon over 3 times the smooth-earth one"},
        {itm_warning::ExtremeVariability, "a percentage far in the tail (beyond 3.1 sigma)"},
        {itm_warning::LowRefractivity, "surface refractivity under 250 N-units"},
    };
    std::string out;
    for (const auto& [bit, text] : kText)
        if ((warnings & bit) != 0) {
            if (!out.empty())
                out += "; ";
            out += text;
        }
    return out;
}

ItmClimate itm_climate_from_code(int code, const std::string& where) {
    if (code < 1 || code > 7)
        throw InputError(where + ": climate " + std::to_string(code) +
                         " is not an ITM radio climate; use 1 equatorial, 2 continental "
                         "subtropical, 3 maritime subtropical, 4 desert, 5 continental "
                         "temperate, 6 maritime temperate over land or 7 maritime temperate "
                         "over sea.");
    return static_cast<ItmClimate>(code);
}

} // namespace whitezone
