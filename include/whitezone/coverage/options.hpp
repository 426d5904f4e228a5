#pragma once
/// \file coverage/options.hpp
/// Options of the coverage stage (config keys "coverage_model", "radius_m",
/// "use_station_range", "quad_segs" and the objects "hata" and "terrain"), declared once in
/// declare_options() below; docs/config.md's tables are generated from these declarations.

#include "whitezone/itm.hpp"
#include "whitezone/names.hpp"
#include "whitezone/options.hpp"
#include "whitezone/types.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone {

/// A link model, by its name in the registry of coverage/link_model.hpp (config
/// "coverage_model"): where a footprint's radius comes from when the station's own range is
/// not used, and what margin a knife edge may take in the terrain mode.
class CoverageModel {
  public:
    static const CoverageModel Disk; ///< the technology's radius, CoverageOptions::radius_m
    static const CoverageModel Hata; ///< Okumura-Hata / COST-231 Hata (coverage/hata.hpp)

    CoverageModel() = default;
    /// The model registered under `name` (not checked here; parse_coverage_model() checks).
    explicit CoverageModel(std::string name) : m_name(std::move(name)) {}
    [[nodiscard]] const std::string& name() const { return m_name; }
    friend bool operator==(const CoverageModel&, const CoverageModel&) = default;

  private:
    std::string m_name = "disk";
};
inline const CoverageModel CoverageModel::Disk{"disk"};
inline const CoverageModel CoverageModel::Hata{"hata"};

/// The registered model's name: "disk", "hata", …
std::string_view to_string(const CoverageModel& model);

/// The registered model named `text` (exact); nullopt otherwise.
std::optional<CoverageModel> parse_coverage_model(std::string_view text);

/// The names of the registered link models, in registration order.
std::vector<std::string> coverage_model_names();

/// The clutter around the receiver, as Okumura classed it.
enum class HataEnvironment : std::uint8_t {
    Rural,    ///< Hata's "open area": fields and rice paddies, nothing tall within 300–400 m
    Suburban, ///< villages and roads with scattered houses and trees (Okumura's suburban)
    Urban,    ///< a small or medium city (Hata's basic formula; COST-231 with Cm = 0 dB)
};

/// Names of the Hata environments (exact, lower case).
inline constexpr EnumNames<HataEnvironment, 3> kHataEnvironmentNames{{{
    {HataEnvironment::Rural, "rural"},
    {HataEnvironment::Suburban, "suburban"},
    {HataEnvironment::Urban, "urban"},
}}};

/// "rural", "suburban" or "urban".
std::string_view to_string(HataEnvironment environment);

/// Parses "rural", "suburban" or "urban" (exact, lower case); nullopt otherwise.
std::optional<HataEnvironment> parse_hata_environment(std::string_view text);

/// Hard limits of the Hata model: a value outside is an error, not an extrapolation. Below
/// 150 MHz the models are not defined; above 6,000 MHz (millimetre waves) an extrapolated
/// Hata means nothing; a base height above 300 m is an altitude, not a height above ground;
/// the receiver height must lie within the models' own range, 1–10 m.
inline constexpr double kHataMinFrequencyMhz = 150.0;
inline constexpr double kHataMaxFrequencyMhz = 6000.0;
inline constexpr double kHataMinBaseHeightM = 1.0;
inline constexpr double kHataMaxBaseHeightM = 300.0;
inline constexpr double kHataMinMobileHeightM = 1.0;
inline constexpr double kHataMaxMobileHeightM = 10.0;
inline constexpr double kHataMinEirpDbm = -20.0;
inline constexpr double kHataMaxEirpDbm = 100.0;
inline constexpr double kHataMinThresholdDbm = -160.0;
inline constexpr double kHataMaxThresholdDbm = -20.0;

/// Options of the Hata model (config object "hata"); defaults and their sources in
/// docs/method.md. A station's own `freq_mhz`, `height_m` and `eirp_dbm` replace these.
///
/// EIRP and threshold refer to the signal a phone measures for each technology: the 2G
/// BCCH carrier (RxLev), the 3G pilot (CPICH RSCP), the 4G reference signal per resource
/// element (RSRP) and the 5G SS block per resource element (SS-RSRP).
struct HataOptions {
    HataEnvironment environment = HataEnvironment::Suburban;
    /// Receiver height above ground, metres; 1.5 m is a phone at hand height.
    double receiver_height_m = 1.5;
    /// Base antenna height above ground when a station has no `height_m`, metres.
    double antenna_height_m = 30.0;
    /// The radius never exceeds this, metres (the footprint is then flagged "capped").
    double max_radius_m = 30000.0;
    /// Carrier frequency per technology when a station has no `freq_mhz`, MHz.
    std::map<Tech, double> frequency_mhz{
        {Tech::G2, 900.0}, {Tech::G3, 2100.0}, {Tech::G4, 1800.0}, {Tech::G5, 3500.0}};
    /// EIRP of the measured signal per technology when a station has no `eirp_dbm`, dBm.
    std::map<Tech, double> eirp_dbm{
        {Tech::G2, 58.0}, {Tech::G3, 48.0}, {Tech::G4, 33.0}, {Tech::G5, 35.0}};
    /// Lowest received level that counts as signal, per technology, dBm.
    std::map<Tech, double> threshold_dbm{
        {Tech::G2, -90.0}, {Tech::G3, -105.0}, {Tech::G4, -110.0}, {Tech::G5, -110.0}};
};

/// Options of the terrain mode (config object "terrain"). The antenna height of a station
/// without `height_m` and the receiver height are the "hata" object's (30 m and 1.5 m).
struct TerrainOptions {
    /// Add a knife-edge diffraction loss at the steepest obstacle instead of cutting the
    /// signal at the first obstruction.
    bool diffraction = false;
    /// Disk model with diffraction: the most a knife edge may cost before the cell counts as
    /// without signal, dB (the Hata model uses its own link margin instead).
    double diffraction_margin_db = 6.0;
    /// Effective Earth radius factor for refraction; 0 ignores the Earth's curvature.
    double k_factor = 4.0 / 3.0;
    /// Cell size of the work grid, metres; 0 keeps the DEM's own resolution.
    double cell_m = 0.0;
};

/// Options of the ITM coverage model (`"coverage_model": "itm"`, config object "itm"; docs/itm.md,
/// "Coverage as received power"). Frequency, EIRP and the antenna and receiver heights are the
/// "hata" object's (a station's own `freq_mhz`, `eirp_dbm` and `height_m` win).
struct ItmCoverageOptions {
    /// Lowest received level that serves a cell, per technology, dBm: 2G RxLev, 3G CPICH RSCP,
    /// 4G RSRP, 5G SS-RSRP (sources in docs/itm.md).
    std::map<Tech, double> threshold_dbm{
        {Tech::G2, -100.0}, {Tech::G3, -105.0}, {Tech::G4, -110.0}, {Tech::G5, -110.0}};
    /// Reliability: the received power is the one exceeded at this share of locations (%) …
    double location_pct = 90.0;
    /// … this share of the time (%) …
    double time_pct = 50.0;
    /// … with this confidence (situation, %). ITM's broadcast mode: each acts as given.
    double situation_pct = 50.0;
    ItmClimate climate = ItmClimate::ContinentalSubtropical; ///< radio climate
    double n0 = 320.0;                                       ///< surface refractivity, N-units
    double epsilon = 15.0; ///< relative permittivity of the ground (average ground)
    double sigma = 0.005;  ///< ground conductivity, S/m (average ground)
    /// Added to every received power of the technology before the threshold, dB: a
    /// calibration against measurements (`"calibrate": true` fits it; docs/itm.md).
    std::map<Tech, double> offset_db{
        {Tech::G2, 0.0}, {Tech::G3, 0.0}, {Tech::G4, 0.0}, {Tech::G5, 0.0}};
    /// Coarser sampling far from the antenna (ItmRasterOptions): beyond this distance, m
    /// (0: never), ITM runs at every `far_step`-th point of a ray and interpolates between,
    /// except where interpolating could decide a cell differently (refined: every point).
    double far_from_m = 0.0;
    int far_step = 1; ///< 1: every point
    /// With the coarser sampling: the points between two computed ones are computed too when
    /// the powers come within this many dB of deciding a cell (the threshold less the offset,
    /// up to 20 dB more for a sector off axis), or the visibility changes between them.
    double refine_margin_db = 6.0;
    /// With the coarser sampling: the points between two computed ones are computed too when a
    /// receiver between them in the shadow lies more than this many metres off the line
    /// between their clearances (a valley or a crest that interpolating would pass over).
    double refine_clearance_m = 10.0;
    /// With the coarser sampling: a stretch far out whose ends lie more than this many dB
    /// below deciding a cell is interpolated without the anchors between (ItmRasterOptions::
    /// deep_db, docs/itm.md).
    double skip_below_db = 20.0;
    /// With the coarser sampling: an odd ray's anchor may take the mean of the two rays'
    /// beside it (ItmRasterOptions::share_close_rays, docs/itm.md).
    bool share_close_rays = true;
};

/// Options of the coverage stage; defaults explained in docs/method.md.
struct CoverageOptions {
    /// Where radii come from (config "coverage_model"); a station's own range still wins when
    /// use_station_range is true.
    CoverageModel model = CoverageModel::Disk;
    /// The Hata model's options (config "hata"), used when model is Hata; its antenna and
    /// receiver heights also serve the terrain mode.
    HataOptions hata;
    /// The terrain mode's options (config "terrain"), used with a DEM.
    TerrainOptions terrain;
    /// The ITM model's options (config "itm"), used when model is "itm" (with a DEM).
    ItmCoverageOptions itm;
    /// Radius of a cell's footprint per technology, metres (config "radius_m").
    std::map<Tech, double> radius_m{
        {Tech::G2, 5000.0}, {Tech::G3, 3000.0}, {Tech::G4, 3500.0}, {Tech::G5, 1000.0}};
    /// Use a station's own `range_m` instead of the technology radius when it has one.
    bool use_station_range = true;
    /// Worker threads for finding the outer footprints and the terrain mode; results do not
    /// depend on it.
    int threads = 1;
    /// Segments per quarter circle when a footprint is drawn as a polygon; 8 is PostGIS's
    /// ST_Buffer default (a 32-gon holds 99.4 % of the disk's area).
    int quad_segs = 8;
};

/// The keys of the "hata" object.
inline void declare_options(OptionSet& o, HataOptions& hata) {
    o.choice("environment", hata.environment, kHataEnvironmentNames,
             "The clutter around the receiver: `rural` is Hata's open area (fields, nothing tall "
             "nearby), `suburban` villages with scattered houses and trees, `urban` a small or "
             "medium city.");
    o.number("receiver_height_m", hata.receiver_height_m,
             {kHataMinMobileHeightM, kHataMaxMobileHeightM},
             "Height of the phone above ground, in metres.");
    o.number("antenna_height_m", hata.antenna_height_m, {kHataMinBaseHeightM, kHataMaxBaseHeightM},
             "Antenna height above ground for stations without `height_m`, in metres. Heights "
             "outside 30–200 m are extrapolated and flagged.");
    o.number("max_radius_m", hata.max_radius_m, {1.0, 100000.0},
             "The largest radius the model may give, in metres. A longer one is cut to this and "
             "flagged `capped`.");
    o.per_tech("frequency_mhz", hata.frequency_mhz, {kHataMinFrequencyMhz, kHataMaxFrequencyMhz},
               "Carrier frequency per technology, in MHz, for stations without `freq_mhz`. Above "
               "2,000 MHz the model is extrapolated and flagged.");
    o.per_tech("eirp_dbm", hata.eirp_dbm, {kHataMinEirpDbm, kHataMaxEirpDbm},
               "EIRP per technology, in dBm, for stations without `eirp_dbm`. It is the EIRP of "
               "the signal the threshold measures: the 2G carrier, the 3G pilot (CPICH), one 4G "
               "or 5G reference-signal resource element.");
    o.per_tech("threshold_dbm", hata.threshold_dbm, {kHataMinThresholdDbm, kHataMaxThresholdDbm},
               "The lowest received level that counts as signal, in dBm: RxLev for 2G, RSCP for "
               "3G, RSRP for 4G, SS-RSRP for 5G.");
}

/// The keys of the "terrain" object.
inline void declare_options(OptionSet& o, TerrainOptions& terrain) {
    o.boolean("diffraction", terrain.diffraction,
              "Add a knife-edge diffraction loss (ITU-R P.526) at the steepest obstacle instead "
              "of cutting the signal at the first obstruction.");
    o.number("diffraction_margin_db", terrain.diffraction_margin_db, {0.0, 100.0},
             "Disk model with `diffraction`: the most a knife edge may cost, in dB, before a "
             "cell counts as without signal. The Hata model uses its own link margin instead.");
    o.number("k_factor", terrain.k_factor, {0.0, 100.0},
             "Effective Earth radius factor for refraction (4/3 is the standard atmosphere); 0 "
             "ignores the Earth's curvature.");
    o.number("cell_m", terrain.cell_m, {0.0, 10000.0},
             "Cell size of the work grid in metres; 0 keeps the DEM's own resolution.");
}

/// The keys of the "itm" object.
inline void declare_options(OptionSet& o, ItmCoverageOptions& itm) {
    o.per_tech("threshold_dbm", itm.threshold_dbm, {kHataMinThresholdDbm, kHataMaxThresholdDbm},
               "The lowest received level that serves a cell, in dBm, at the reliability below: "
               "RxLev for 2G, CPICH RSCP for 3G, RSRP for 4G, SS-RSRP for 5G "
               "([itm.md](itm.md#thresholds)).");
    o.number("location", itm.location_pct, {1.0, 99.0},
             "Reliability: the share of locations, in %, where the received power must reach the "
             "threshold (90: the FCC's cell-edge probability).");
    o.number("time", itm.time_pct, {1.0, 99.0}, "Reliability: the share of the time, in %.");
    o.number("situation", itm.situation_pct, {1.0, 99.0},
             "Confidence (ITM's situation variability), in %.");
    auto climate = std::make_shared<int>(static_cast<int>(itm.climate));
    o.whole_number("climate", *climate, {1, 7},
                   "ITM radio climate, 1-7 ([itm.md](itm.md#inputs-defaults-and-why)); 2 is "
                   "continental subtropical.")
        .after = [climate, &itm] {
        itm.climate = itm_climate_from_code(*climate, "\"itm.climate\"");
    };
    o.number("n0", itm.n0, {250.0, 400.0}, "Surface refractivity at sea level, in N-units.");
    o.number("epsilon", itm.epsilon, {1.0, 1000.0}, "Relative permittivity of the ground.");
    o.number("sigma", itm.sigma, {1e-6, 100.0}, "Ground conductivity, in S/m.");
    o.per_tech("offset_db", itm.offset_db, {-60.0, 60.0},
               "Added to every received power of the technology before the threshold, in dB: a "
               "calibration. `\"calibrate\": true` with `--measurements` replaces it by the "
               "offset fitted to the measurements ([itm.md](itm.md#calibration-against-"
               "measurements)).");
    o.number("far_from_m", itm.far_from_m, {0.0, 100000.0},
             "Coarser sampling: beyond this distance from the antenna, in metres, ITM runs at "
             "every `far_step`-th point of a ray and the power between is interpolated, except "
             "between two points where the visibility from the antenna changes or the power "
             "comes within `refine_margin_db` of the threshold (computed in full). A station is "
             "then computed only where it could still add service (cells another station "
             "serves already are left out, but not village centres), so the served cells are "
             "those of its sampling while the best-power and best-server rasters there hold "
             "the best of the stations computed; 0 computes every point "
             "([itm.md](itm.md#speed)).");
    o.whole_number("far_step", itm.far_step, {1, 64},
                   "With `far_from_m`: ITM at every n-th point of a ray beyond it; 1 computes "
                   "every point.");
    o.number("refine_margin_db", itm.refine_margin_db, {0.0, 100.0},
             "With `far_from_m`: the points between two computed ones are computed too when "
             "their power comes within this many dB of deciding a cell (the threshold less "
             "`offset_db`; for a sector up to 20 dB above it, off axis).");
    o.number("refine_clearance_m", itm.refine_clearance_m, {0.0, 10000.0},
             "With `far_from_m`: the points between two computed ones are computed too when a "
             "receiver between them in the shadow of the terrain lies more than this many "
             "metres above or below the straight line between their clearances (a valley or a "
             "crest the interpolation would pass over; [itm.md](itm.md#speed)).");
    o.number("skip_below_db", itm.skip_below_db, {0.0, 1000.0},
             "With `far_from_m`: every 16th anchor of a ray is computed first, then the middle of "
             "each stretch between two computed ones, halving the stretches down to the anchors, "
             "but only where the stretch could still be served: a stretch whose "
             "ends lie more than this many dB below deciding a cell, along which the visibility "
             "from the antenna does not change and no receiver's knife-edge loss behind the "
             "horizon is lower than the ends' by more than the ends lie below this level less "
             "`refine_margin_db`, is interpolated (and stays unserved). 1000 computes every "
             "anchor ([itm.md](itm.md#speed)).");
    o.boolean("share_close_rays", itm.share_close_rays,
              "With `far_from_m`: every fourth ray computes its anchors; the ray halfway between "
              "two of them (within two cells) and then each odd-numbered ray (between the two "
              "rays beside it, within a cell) take the mean of those rays' anchors when the "
              "three see the antenna alike, its clearance lies within `refine_clearance_m` of "
              "theirs and both powers lie on one side of deciding a cell, beyond "
              "`refine_margin_db`; false computes every anchor on every ray "
              "([itm.md](itm.md#speed)).");
}

/// The top-level keys of the coverage stage, with its objects "hata" and "terrain".
inline void declare_options(OptionSet& o, CoverageOptions& coverage) {
    o.per_tech("radius_m", coverage.radius_m, {1.0, 100000.0},
               "Footprint radius per technology, in metres. Allowed keys are `2G`, `3G`, `4G`, "
               "`5G`; a key you leave out keeps its default.");
    o.choice(
        "coverage_model", coverage_model_names(),
        [&coverage](std::string_view text) {
            auto parsed = parse_coverage_model(text);
            if (parsed)
                coverage.model = *parsed;
            return parsed.has_value();
        },
        [&coverage] { return coverage.model.name(); },
        "Where a footprint's radius comes from when the station's own range is not used: "
        "`\"disk\"` takes `radius_m`; `\"hata\"` computes it with the Okumura-Hata / COST-231 "
        "Hata path-loss model and the [`hata`](#hata) settings "
        "([method.md §2](method.md#radius-from-a-path-loss-model-hata)); `\"itm\"` (needs "
        "`--dem`) computes the received power of every station on the terrain with the "
        "Longley-Rice model and serves the cells that reach the [`itm`](#itm) threshold "
        "([itm.md](itm.md#coverage-as-received-power)).");
    o.boolean("use_station_range", coverage.use_station_range,
              "Use a station's own `range_m` (for example OpenCelliD's `range`) instead of the "
              "technology radius, or of the Hata radius, when it is greater than 0.");
    o.whole_number("quad_segs", coverage.quad_segs, {1, 1000},
                   "Segments per quarter circle when a footprint is drawn as a polygon. 8 is "
                   "PostGIS's `ST_Buffer` default; 16 draws smoother disks "
                   "([method.md §2](method.md#polygons-and-the-exact-test)).");
    o.object(
         "hata", [&coverage](OptionSet& h) { declare_options(h, coverage.hata); },
         "The Hata model's settings ([below](#hata)); used only with `\"coverage_model\": "
         "\"hata\"`, except `antenna_height_m` and `receiver_height_m`, which the terrain mode "
         "also uses.")
        .documented_in("hata");
    o.object(
         "terrain", [&coverage](OptionSet& t) { declare_options(t, coverage.terrain); },
         "The terrain mode's settings ([below](#terrain)).")
        .documented_in("terrain");
    o.object(
         "itm", [&coverage](OptionSet& t) { declare_options(t, coverage.itm); },
         "The ITM model's settings ([below](#itm)); used only with `\"coverage_model\": "
         "\"itm\"`.")
        .documented_in("itm");
}

} // namespace whitezone
