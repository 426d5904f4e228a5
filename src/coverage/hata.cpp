// Okumura-Hata and COST-231 Hata median path loss, and the radius where the received level
// falls to the threshold. Formulas, sources and validity ranges: include/whitezone/coverage/
// hata.hpp and docs/method.md.

#include "whitezone/coverage/hata.hpp"

#include "whitezone/error.hpp"

#include "common/text.hpp"

#include <cmath>
#include <stdexcept>

namespace whitezone {

std::string_view to_string(HataEnvironment environment) {
    return kHataEnvironmentNames.name(environment);
}

std::optional<HataEnvironment> parse_hata_environment(std::string_view text) {
    return kHataEnvironmentNames.parse(text);
}

namespace {

// A number as messages show it: whole numbers without decimals, others with one.
std::string shown(double v) {
    return text::fixed(v, std::floor(v) == v && std::abs(v) < 1e12 ? 0 : 1);
}

// "" when lo <= value <= hi (NaN is outside), else what is wrong, e.g. "frequency 100 MHz is
// outside [150, 6000] MHz; the Hata models start at 150 MHz".
std::string range_problem(double value, double lo, double hi, std::string_view what,
                          std::string_view unit, std::string_view why) {
    if (value >= lo && value <= hi)
        return {};
    std::string u = unit.empty() ? "" : " " + std::string(unit);
    return std::string(what) + " " + shown(value) + u + " is outside [" + shown(lo) + ", " +
           shown(hi) + "]" + u + "; " + std::string(why);
}

constexpr std::string_view kWhyFrequency =
    "the Hata models start at 150 MHz, and above 6000 MHz their extrapolation means nothing";
constexpr std::string_view kWhyBaseHeight =
    "give the antenna's height above ground in metres, not its altitude";
constexpr std::string_view kWhyMobileHeight =
    "the Hata models hold for receivers 1 to 10 m above ground";
constexpr std::string_view kWhyEirp = "give the EIRP of the measured signal in dBm";
constexpr std::string_view kWhyThreshold = "give the lowest usable received level in dBm";

void require(const std::string& problem) {
    if (!problem.empty())
        throw std::invalid_argument(problem);
}

// The distance-independent part of the loss, L(1 km), and the slope B in L = L(1 km) +
// B log d. Frequencies up to 1,500 MHz use Okumura-Hata, above it COST-231 Hata (Cm = 0:
// medium city and suburban centres); above 2,000 MHz COST-231 is extrapolated as it stands.
// The suburban and open-area corrections are Hata's, at the actual frequency (ITU-R
// SM.2028's extended Hata applies them above 1,500 MHz too, but holds f at 2,000 MHz in
// them; we keep one formula throughout, which at 3,500 MHz gives 1.9 dB (suburban) and
// 3.5 dB (rural) less loss than that clamp).
struct LossTerms {
    double at_1km_db;
    double slope_db_per_decade;
};

LossTerms loss_terms(const HataLink& link) {
    require(range_problem(link.frequency_mhz, kHataMinFrequencyMhz, kHataMaxFrequencyMhz,
                          "frequency", "MHz", kWhyFrequency));
    require(range_problem(link.base_height_m, kHataMinBaseHeightM, kHataMaxBaseHeightM,
                          "antenna height", "m", kWhyBaseHeight));
    require(range_problem(link.mobile_height_m, kHataMinMobileHeightM, kHataMaxMobileHeightM,
                          "receiver height", "m", kWhyMobileHeight));
    const double lf = std::log10(link.frequency_mhz);
    const double lhb = std::log10(link.base_height_m);
    const double hm = link.mobile_height_m;
    // Hata's small/medium-city mobile-antenna correction, used in every environment.
    const double a_hm = (1.1 * lf - 0.7) * hm - (1.56 * lf - 0.8);
    const double base =
        link.frequency_mhz <= kHataCost231FromMhz ? 69.55 + 26.16 * lf : 46.3 + 33.9 * lf;
    double l1 = base - 13.82 * lhb - a_hm;
    switch (link.environment) {
    case HataEnvironment::Urban:
        break;
    case HataEnvironment::Suburban: {
        const double x = std::log10(link.frequency_mhz / 28.0);
        l1 -= 2.0 * x * x + 5.4;
        break;
    }
    case HataEnvironment::Rural:
        l1 -= 4.78 * lf * lf - 18.33 * lf + 40.94;
        break;
    }
    // Positive for every height up to the hard limit (it vanishes near 7,000 km).
    return {l1, hata_slope_db_per_decade(link.base_height_m)};
}

} // namespace

double hata_slope_db_per_decade(double base_height_m) {
    return 44.9 - 6.55 * std::log10(base_height_m);
}

double hata_path_loss_db(const HataLink& link, double distance_km) {
    if (!(distance_km > 0.0) || !std::isfinite(distance_km))
        throw std::invalid_argument("distance " + shown(distance_km) +
                                    " km is not a positive number of kilometres");
    const LossTerms t = loss_terms(link);
    return t.at_1km_db + t.slope_db_per_decade * std::log10(distance_km);
}

std::string HataRadius::flag() const {
    std::string out;
    auto add = [&](bool on, const char* name) {
        if (on)
            out += (out.empty() ? "" : ",") + std::string(name);
    };
    add(frequency_extrapolated, "frequency_extrapolated");
    add(height_extrapolated, "height_extrapolated");
    add(distance_extrapolated, "distance_extrapolated");
    add(capped, "capped");
    return out;
}

HataRadius hata_radius(const HataLink& link, double eirp_dbm, double threshold_dbm,
                       double max_radius_m) {
    const LossTerms t = loss_terms(link);
    require(range_problem(eirp_dbm, kHataMinEirpDbm, kHataMaxEirpDbm, "EIRP", "dBm", kWhyEirp));
    require(range_problem(threshold_dbm, kHataMinThresholdDbm, kHataMaxThresholdDbm, "threshold",
                          "dBm", kWhyThreshold));
    if (!(max_radius_m > 0.0) || !std::isfinite(max_radius_m))
        throw std::invalid_argument("maximum radius " + shown(max_radius_m) +
                                    " m is not a positive number of metres");
    // EIRP − L(1 km) − B log d = threshold  ⇒  log d = (EIRP − threshold − L(1 km)) / B.
    // Within the hard limits the exponent stays within about ±10, so d is finite and > 0.
    const double allowed_loss_db = eirp_dbm - threshold_dbm;
    const double d_km = std::pow(10.0, (allowed_loss_db - t.at_1km_db) / t.slope_db_per_decade);
    HataRadius r;
    r.uncapped_m = d_km * 1000.0;
    r.capped = r.uncapped_m > max_radius_m;
    r.radius_m = r.capped ? max_radius_m : r.uncapped_m;
    r.frequency_extrapolated = link.frequency_mhz > kHataMaxValidFrequencyMhz;
    r.height_extrapolated = link.base_height_m < kHataMinValidBaseHeightM ||
                            link.base_height_m > kHataMaxValidBaseHeightM;
    r.distance_extrapolated = r.radius_m < kHataMinValidDistanceKm * 1000.0 ||
                              r.radius_m > kHataMaxValidDistanceKm * 1000.0;
    return r;
}

HataRadius station_hata_radius(const Station& station, const HataOptions& options) {
    const std::string tech(to_string(station.tech));
    auto tech_default = [&](const std::map<Tech, double>& values, const char* key) {
        auto it = values.find(station.tech);
        if (it == values.end())
            throw UsageError("coverage: no \"hata." + std::string(key) + "\" for " + tech +
                             "; add \"" + tech + "\" to it in the config.");
        return it->second;
    };
    // A station's own value that is unusable is the data's fault (InputError, with its row);
    // a default that is unusable is the config's (UsageError). The config reader checks the
    // same ranges, so the second only happens to options built in code.
    auto check = [&](double value, bool from_station, const char* role, const std::string& key,
                     double lo, double hi, std::string_view what, std::string_view unit,
                     std::string_view why) {
        const std::string problem = range_problem(value, lo, hi, what, unit, why);
        if (problem.empty())
            return;
        if (from_station)
            throw InputError("coverage: station row " + std::to_string(station.row) + ", " + role +
                             ": " + problem + " (or leave it empty to use \"hata." + key + "\").");
        throw UsageError("coverage: \"hata." + key + "\": " + problem + ".");
    };

    HataLink link;
    link.environment = options.environment;
    link.mobile_height_m = options.receiver_height_m;
    link.frequency_mhz =
        station.freq_mhz ? *station.freq_mhz : tech_default(options.frequency_mhz, "frequency_mhz");
    link.base_height_m = station.height_m.value_or(options.antenna_height_m);
    const double eirp =
        station.eirp_dbm ? *station.eirp_dbm : tech_default(options.eirp_dbm, "eirp_dbm");
    const double threshold = tech_default(options.threshold_dbm, "threshold_dbm");

    check(link.frequency_mhz, station.freq_mhz.has_value(), "freq_mhz", "frequency_mhz." + tech,
          kHataMinFrequencyMhz, kHataMaxFrequencyMhz, "frequency", "MHz", kWhyFrequency);
    check(link.base_height_m, station.height_m.has_value(), "height_m", "antenna_height_m",
          kHataMinBaseHeightM, kHataMaxBaseHeightM, "antenna height", "m", kWhyBaseHeight);
    check(eirp, station.eirp_dbm.has_value(), "eirp_dbm", "eirp_dbm." + tech, kHataMinEirpDbm,
          kHataMaxEirpDbm, "EIRP", "dBm", kWhyEirp);
    try {
        return hata_radius(link, eirp, threshold, options.max_radius_m);
    } catch (const std::invalid_argument& e) {
        // Only the options are left: receiver height, threshold, maximum radius.
        throw UsageError("coverage: the \"hata\" settings are unusable: " + std::string(e.what()) +
                         "; fix them in the config.");
    }
}

} // namespace whitezone
