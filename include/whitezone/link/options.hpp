#pragma once
/// \file link/options.hpp
/// Options of `whitezone link` (config object "link"): the ITM parameters and the power
/// budget, declared once in declare_options() below; docs/config.md's table is generated from
/// the declaration and docs/itm.md explains the defaults.

#include "whitezone/itm.hpp"
#include "whitezone/options.hpp"

#include <memory>

namespace whitezone {

/// What `whitezone link` needs besides the two points: the ITM parameters and the power budget.
struct LinkSettings {
    ItmParameters itm;        ///< antennas, radio, climate, ground and variability
    double eirp_dbm = 58.0;   ///< transmitter EIRP: 20 W (43 dBm) into a 15 dBi sector antenna
    double rx_gain_dbi = 0.0; ///< receiving antenna gain (a handset: 0 dBi)
    double step_m = 0.0;      ///< profile step from a DEM; 0: one DEM cell
};

/// The keys of the "link" object, named as the columns of `whitezone link --batch`: h_tx_m,
/// h_rx_m, climate, n0, f_mhz, pol, epsilon, sigma, mdvar, time, location, situation, plus
/// eirp_dbm, rx_gain_dbi and step_m. The ranges are the ones ITM accepts (itm.hpp).
inline void declare_options(OptionSet& o, LinkSettings& link) {
    ItmParameters& p = link.itm;
    o.number("h_tx_m", p.h_tx_m, {0.5, 3000.0},
             "Transmitting antenna above ground, in metres (ITM warns outside 1-1,000 m).");
    o.number("h_rx_m", p.h_rx_m, {0.5, 3000.0},
             "Receiving antenna above ground, in metres; 1.5 m is a handset.");
    // The enums are given by ITM's numeric codes: a whole number converted after it is read.
    auto climate = std::make_shared<int>(static_cast<int>(p.climate));
    o.whole_number(
         "climate", *climate, {1, 7},
         "ITM radio climate: 1 equatorial, 2 continental subtropical, 3 maritime "
         "subtropical, 4 desert, 5 continental temperate, 6 maritime temperate over "
         "land, 7 maritime temperate over sea ([itm.md](itm.md#inputs-defaults-and-why)).")
        .after = [climate, &p] { p.climate = itm_climate_from_code(*climate, "\"link.climate\""); };
    o.number("n0", p.n0, {250.0, 400.0}, "Surface refractivity at sea level, in N-units.");
    o.number("f_mhz", p.f_mhz, {20.0, 20000.0},
             "Frequency, in MHz (ITM warns outside 40-10,000 MHz).");
    auto pol = std::make_shared<int>(static_cast<int>(p.polarisation));
    o.whole_number("pol", *pol, {0, 1}, "Polarisation: 0 horizontal, 1 vertical.").after =
        [pol, &p] { p.polarisation = static_cast<ItmPolarisation>(*pol); };
    o.number("epsilon", p.epsilon, {1.0, 1000.0},
             "Relative permittivity of the ground; 15 is ITM's average ground.");
    o.number("sigma", p.sigma, {1e-6, 100.0},
             "Ground conductivity, in S/m; 0.005 is ITM's average ground.");
    o.whole_number("mdvar", p.mdvar, {0, 33},
                   "ITM mode of variability: 0 single message, 1 accidental, 2 mobile, 3 "
                   "broadcast; +10 without location variability, +20 without direct situation "
                   "variability ([itm.md](itm.md#variability-and-reliability)).");
    o.number("time", p.time_pct, {0.001, 99.999},
             "Time percentage: the loss not exceeded this share of the time.");
    o.number("location", p.location_pct, {0.001, 99.999},
             "Location percentage: the loss not exceeded at this share of the locations.");
    o.number("situation", p.situation_pct, {0.001, 99.999}, "Situation (confidence) percentage.");
    o.number("eirp_dbm", link.eirp_dbm, {-50.0, 100.0},
             "Transmitter EIRP, in dBm; 58 dBm is 20 W (43 dBm) into a 15 dBi sector antenna.");
    o.number("rx_gain_dbi", link.rx_gain_dbi, {-50.0, 60.0},
             "Receiving antenna gain, in dBi; 0 for a handset.");
    o.number("step_m", link.step_m, {0.0, 100000.0},
             "Profile step along a path sampled from the DEM, in metres; 0 takes one DEM cell.");
}

} // namespace whitezone
