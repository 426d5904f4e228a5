#pragma once
/// \file itm.hpp
/// The Irregular Terrain Model (ITM, Longley-Rice), version 1.2.2, point-to-point mode: the
/// basic transmission loss along a terrain profile between two antennas, with the radio
/// climate, surface refractivity, ground constants, polarisation and the time / location /
/// situation variability of the model. Written from G.A. Hufford, "The ITS Irregular Terrain
/// Model, version 1.2.2: the Algorithm" (NTIA/ITS, 1995) and Hufford's 1985 memo on the
/// changes from 1.2.1; it agrees with NTIA/ITS's reference implementation (version 1.3,
/// `ITM_P2P_TLS_Ex`) to 0.1 dB on 1,260 mountain paths (docs/itm.md).
///
/// Validity (Hufford; the reference warns outside it): frequency 40 MHz to 10 GHz (refused
/// outside 20 MHz to 20 GHz), antenna heights 1 to 1,000 m above ground (refused outside
/// 0.5 to 3,000 m), path length 1 to 2,000 km (shorter paths are computed but flagged).
/// Pure functions of their arguments: no global state, safe to call from many threads.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace whitezone {

/// ITM's radio climates (Hufford, Algorithm §5, Table 5.1), with ITM's numeric codes.
enum class ItmClimate {
    Equatorial = 1,                ///< e.g. Congo: monotonously humid
    ContinentalSubtropical = 2,    ///< e.g. Sudan, inland monsoon lands: wet and dry seasons
    MaritimeSubtropical = 3,       ///< coasts between about 20° and 40° latitude
    Desert = 4,                    ///< e.g. Sahara
    ContinentalTemperate = 5,      ///< large land masses of the temperate zone
    MaritimeTemperateOverLand = 6, ///< e.g. the United Kingdom
    MaritimeTemperateOverSea = 7,  ///< sea paths in the temperate zone
};

/// Antenna polarisation, with ITM's numeric codes.
enum class ItmPolarisation { Horizontal = 0, Vertical = 1 };

/// ITM's modes of variability (`mdvar`, Hufford, Algorithm §5): how the three percentages
/// combine. Add 10 to drop location variability (a profile known exactly), 20 to drop direct
/// situation variability (interference studies); both: 30 + mode.
enum class ItmVariabilityMode {
    SingleMessage = 0, ///< time, location and situation merged: one percentage counts (situation)
    Accidental = 1,    ///< location merged into situation; time separate
    Mobile = 2,        ///< time and location merged (reliability = time); situation separate
    Broadcast = 3,     ///< all three separate: each percentage acts as given
};

/// Propagation mode as ITM reports it. ITM calls a path "line of sight" when it is shorter than
/// the smooth-earth line-of-sight range, so many obstructed mountain paths count as that.
enum class ItmMode { LineOfSight = 1, Diffraction = 2, Troposcatter = 3 };

/// ITM's warning bits (the reference implementation's values): the result is computed but one
/// input or intermediate value lies near or beyond the model's validity.
namespace itm_warning {
inline constexpr std::uint32_t TxHeight = 0x0001;           ///< h_tx outside 1–1,000 m
inline constexpr std::uint32_t RxHeight = 0x0002;           ///< h_rx outside 1–1,000 m
inline constexpr std::uint32_t Frequency = 0x0004;          ///< outside 40 MHz–10 GHz
inline constexpr std::uint32_t PathTooLong1 = 0x0008;       ///< path over 1,000 km
inline constexpr std::uint32_t PathTooLong2 = 0x0010;       ///< path over 2,000 km
inline constexpr std::uint32_t PathTooShort1 = 0x0020;      ///< path under |h_e1 − h_e2| / 0.2
inline constexpr std::uint32_t PathTooShort2 = 0x0040;      ///< path under 1 km
inline constexpr std::uint32_t TxHorizonAngle = 0x0080;     ///< |θ_hzn,tx| over 0.2 rad
inline constexpr std::uint32_t RxHorizonAngle = 0x0100;     ///< |θ_hzn,rx| over 0.2 rad
inline constexpr std::uint32_t TxHorizonNear = 0x0200;      ///< tx horizon under 1/10 smooth earth
inline constexpr std::uint32_t RxHorizonNear = 0x0400;      ///< rx horizon under 1/10 smooth earth
inline constexpr std::uint32_t TxHorizonFar = 0x0800;       ///< tx horizon over 3× smooth earth
inline constexpr std::uint32_t RxHorizonFar = 0x1000;       ///< rx horizon over 3× smooth earth
inline constexpr std::uint32_t ExtremeVariability = 0x2000; ///< a percentage beyond ±3.1 σ
inline constexpr std::uint32_t LowRefractivity = 0x4000;    ///< surface refractivity under 250 N
} // namespace itm_warning

/// Everything ITM needs besides the terrain profile. The defaults suit the mobile networks of
/// northern Vietnam; docs/itm.md gives the reasons.
struct ItmParameters {
    double h_tx_m = 30.0; ///< transmitter antenna above ground, m (valid 1–1,000; 0.5–3,000)
    double h_rx_m = 1.5;  ///< receiver antenna above ground, m (FCC's 1.5 m handset)
    ItmClimate climate = ItmClimate::ContinentalSubtropical; ///< inland monsoon climate
    double n0 = 320.0;    ///< surface refractivity at sea level, N-units (250–400)
    double f_mhz = 900.0; ///< frequency, MHz (20–20,000; valid 40–10,000)
    ItmPolarisation polarisation = ItmPolarisation::Vertical; ///< mobile antennas
    double epsilon = 15.0;      ///< relative permittivity of the ground (≥ 1; 15: average ground)
    double sigma = 0.005;       ///< ground conductivity, S/m (> 0; 0.005: average ground)
    int mdvar = 3;              ///< mode of variability, ItmVariabilityMode (+10, +20 modifiers)
    double time_pct = 50.0;     ///< time percentage, strictly between 0 and 100
    double location_pct = 50.0; ///< location percentage, strictly between 0 and 100
    double situation_pct = 50.0; ///< situation (confidence) percentage, strictly 0–100
};

/// A terrain profile and the radio parameters: one ITM point-to-point case.
struct ItmInputs {
    double step_m = 0.0;              ///< distance between profile points, m (> 0)
    std::vector<double> elevations_m; ///< ground heights above sea level, m, tx first (≥ 3)
    ItmParameters params;             ///< antennas, radio and variability parameters
};

/// The loss and the model's intermediate values.
struct ItmResult {
    double loss_db = 0.0;       ///< basic transmission loss at the requested percentages, dB
    double free_space_db = 0.0; ///< free-space loss over the path length, dB
    double a_ref_db = 0.0;      ///< reference attenuation (median, beyond free space), dB
    std::uint32_t warnings = 0; ///< itm_warning bits; 0 when all inputs are well within range
    ItmMode mode = ItmMode::LineOfSight; ///< propagation mode, as ITM reports it
    double d_km = 0.0;                   ///< path length (intervals × step), km
    double dhzn_tx_km = 0.0;             ///< horizon distance of the transmitter, km
    double dhzn_rx_km = 0.0;             ///< horizon distance of the receiver, km
    double theta_hzn_tx = 0.0;           ///< horizon elevation angle at the transmitter, rad
    double theta_hzn_rx = 0.0;           ///< horizon elevation angle at the receiver, rad
    double h_e_tx_m = 0.0;               ///< effective height of the transmitter, m
    double h_e_rx_m = 0.0;               ///< effective height of the receiver, m
    double delta_h_m = 0.0;              ///< terrain irregularity parameter Δh, m
    double n_s = 0.0;            ///< surface refractivity at the path's mean height, N-units
    double earth_radius_m = 0.0; ///< effective earth radius from n_s, m
};

/// ITM point-to-point loss along `elevations_m` (ground heights above sea level, m, from the
/// transmitter to the receiver, one every `step_m` metres; at least 3 points). Throws
/// InputError naming the field and its valid range when an input is refused (heights, climate,
/// refractivity, frequency, polarisation, ground constants, mdvar, percentages, a profile too
/// short or with a non-finite height), or when the model itself refuses the derived values
/// (effective earth radius, surface refractivity, ground impedance). Thread-safe.
ItmResult itm_point_to_point(std::span<const double> elevations_m, double step_m,
                             const ItmParameters& params);

/// Checks `params` as itm_point_to_point() does, before any terrain is read (so that a bad
/// flag fails at once). Throws InputError naming the field and its valid range.
void validate_itm_parameters(const ItmParameters& params);

/// The same for an ItmInputs value.
ItmResult itm_point_to_point(const ItmInputs& inputs);

/// Free-space basic transmission loss, dB, over `d_m` metres at `f_mhz` MHz: 32.45 + 20 log f
/// + 20 log d_km (the constant ITM uses).
double free_space_loss_db(double d_m, double f_mhz);

/// The warning bits in words, one phrase per bit set, joined with "; " (empty for 0).
std::string describe_itm_warnings(std::uint32_t warnings);

/// The climate for ITM's numeric code 1–7; throws InputError naming `where` otherwise.
ItmClimate itm_climate_from_code(int code, const std::string& where);

} // namespace whitezone
