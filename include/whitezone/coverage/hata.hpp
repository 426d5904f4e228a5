#pragma once
/// \file coverage/hata.hpp
/// A cell's radius from a path-loss model: Okumura-Hata (150–1,500 MHz) and COST-231 Hata
/// (1,500–2,000 MHz, extrapolated above), and the distance at which the median received
/// level falls to a receiver threshold. docs/method.md explains the formulas, the defaults
/// and what happens outside the models' validity ranges.
///
/// Notation (all logarithms base 10):
///
///     f   frequency, MHz            hb  base station antenna height above ground, m
///     d   distance, km              hm  receiver (mobile) antenna height above ground, m
///
///     a(hm) = (1.1 log f − 0.7) hm − (1.56 log f − 0.8)                  [dB]
///
/// a(hm) is Hata's mobile-antenna correction for a small or medium city; it is used in every
/// environment (Hata defines the suburban and open-area losses from the medium-city one; the
/// large-city correction is not offered). The medium-city ("urban") median loss is
///
///     f ≤ 1,500:  L = 69.55 + 26.16 log f − 13.82 log hb − a(hm) + (44.9 − 6.55 log hb) log d
///     f > 1,500:  L = 46.3  + 33.9  log f − 13.82 log hb − a(hm) + (44.9 − 6.55 log hb) log d + Cm
///
/// (M. Hata, "Empirical formula for propagation loss in land mobile radio services", IEEE
/// Trans. Veh. Technol. 29(3), 1980; COST Action 231 Final Report, 1999, ch. 4, with
/// Cm = 0 dB for medium-sized cities and suburban centres: the 3 dB of metropolitan centres
/// is not offered). The other environments subtract Hata's corrections:
///
///     suburban:  L − 2 (log(f / 28))² − 5.4
///     rural:     L − 4.78 (log f)² + 18.33 log f − 40.94     (Hata's "open area")
///
/// also above 1,500 MHz, as ITU-R SM.2028's extended Hata does, and evaluated at the actual
/// frequency. The loss is linear in log d, L(d) = L(1 km) + B log d with
/// B = 44.9 − 6.55 log hb, so the radius has a closed form.
///
/// Validity of the published models: f 150–2,000 MHz, hb 30–200 m, hm 1–10 m,
/// d 1–20 km. Outside them (up to the hard limits below) the same formulas are extrapolated
/// and the result says so (HataRadius); beyond the hard limits the functions throw.

#include "whitezone/coverage/options.hpp"
#include "whitezone/prepare.hpp"
#include "whitezone/types.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace whitezone {

/// Validity ranges of the published models: outside them results are extrapolated and
/// flagged.
inline constexpr double kHataMaxValidFrequencyMhz = 2000.0;
inline constexpr double kHataMinValidBaseHeightM = 30.0;
inline constexpr double kHataMaxValidBaseHeightM = 200.0;
inline constexpr double kHataMinValidDistanceKm = 1.0;
inline constexpr double kHataMaxValidDistanceKm = 20.0;
/// Where Okumura-Hata hands over to COST-231 Hata (Okumura-Hata up to and including it).
inline constexpr double kHataCost231FromMhz = 1500.0;

/// The hard limits (kHataMinFrequencyMhz, …) are in coverage/options.hpp, beside the
/// options they bound.

/// One radio link's geometry and frequency.
struct HataLink {
    double frequency_mhz = 900.0;
    double base_height_m = 30.0;  ///< antenna height above ground, metres
    double mobile_height_m = 1.5; ///< receiver height above ground, metres
    HataEnvironment environment = HataEnvironment::Suburban;
};

/// Median path loss in dB between the base antenna and a receiver `distance_km` away
/// (formulas in the file comment: Okumura-Hata for f ≤ 1,500 MHz, COST-231 Hata above).
/// Distances outside 1–20 km are extrapolated with the same formula. Throws
/// std::invalid_argument when the frequency or a height is outside the hard limits, or when
/// `distance_km` is not > 0; the message names the value and the limits.
double hata_path_loss_db(const HataLink& link, double distance_km);

/// The slope B = 44.9 − 6.55 log hb of the loss in dB per decade of distance, for a base
/// antenna `base_height_m` metres above ground (no range check: the caller's).
double hata_slope_db_per_decade(double base_height_m);

/// The radius where the median received level, EIRP − L(d), equals the threshold, and how
/// far the models had to be stretched to give it.
struct HataRadius {
    double radius_m = 0.0;   ///< after the cap; always > 0
    double uncapped_m = 0.0; ///< the solution of EIRP − L(d) = threshold, before the cap
    bool frequency_extrapolated = false; ///< f above 2,000 MHz (COST-231 extrapolated)
    bool height_extrapolated = false;    ///< hb outside 30–200 m
    bool distance_extrapolated = false;  ///< the radius (after the cap) outside 1–20 km
    bool capped = false;                 ///< the uncapped radius exceeded max_radius_m

    /// "" when every input and the radius lie within the models' validity; otherwise the
    /// reasons, comma-separated, in this order: "frequency_extrapolated",
    /// "height_extrapolated", "distance_extrapolated", "capped".
    [[nodiscard]] std::string flag() const;
};

/// Solves EIRP − L(d) = threshold for d in closed form:
///
///     d = 10^((EIRP − threshold − L(1 km)) / (44.9 − 6.55 log hb))  km
///
/// then caps it at `max_radius_m`. EIRP and threshold must describe the same signal (see
/// HataOptions). Throws std::invalid_argument for inputs outside the hard limits or
/// `max_radius_m` not > 0.
HataRadius hata_radius(const HataLink& link, double eirp_dbm, double threshold_dbm,
                       double max_radius_m);

/// The Hata radius of one station: its own `freq_mhz`, `height_m` and `eirp_dbm` where
/// given (any value, even one ≤ 0, counts as given), the technology's defaults in `options`
/// otherwise. Throws InputError naming the station row and role when one of the station's
/// values is outside the hard limits, UsageError when an option is, or when `options` lacks
/// the station's technology.
HataRadius station_hata_radius(const Station& station, const HataOptions& options);

} // namespace whitezone
