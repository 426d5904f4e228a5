// The provenance of a run (provenance.hpp): the one-line model description, and RunRecord,
// which notes the start, counts the warnings and describes the inputs at the end.

#include "whitezone/provenance.hpp"

#include "whitezone/config.hpp"
#include "whitezone/pipeline.hpp"
#include "whitezone/version.hpp"

#include "common/text.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>

namespace whitezone {

namespace {

// A parameter as the model line shows it: up to four significant decimals, no trailing zeros.
std::string num(double v) {
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%.6g", v);
    return buf.data();
}

// "2G 900/3G 2100/4G 1800/5G 3500 MHz"
std::string per_tech(const std::map<Tech, double>& values, const std::string& unit) {
    std::string out;
    for (const auto& [tech, value] : values)
        out += (out.empty() ? "" : "/") + std::string(to_string(tech)) + " " + num(value);
    return out + " " + unit;
}

std::string climate_name(ItmClimate c) {
    switch (c) {
    case ItmClimate::Equatorial:
        return "equatorial";
    case ItmClimate::ContinentalSubtropical:
        return "continental subtropical";
    case ItmClimate::MaritimeSubtropical:
        return "maritime subtropical";
    case ItmClimate::Desert:
        return "desert";
    case ItmClimate::ContinentalTemperate:
        return "continental temperate";
    case ItmClimate::MaritimeTemperateOverLand:
        return "maritime temperate over land";
    case ItmClimate::MaritimeTemperateOverSea:
        return "maritime temperate over sea";
    }
    return "climate " + std::to_string(static_cast<int>(c));
}

// The terrain part: the DEM, its resolution and vintage, the receiver height.
std::string terrain_part(const Config& config) {
    const CoverageOptions& c = config.coverage;
    std::string out = "terrain DEM " + std::filesystem::path(config.dem).filename().string();
    std::string resolution = c.terrain.cell_m > 0 ? num(c.terrain.cell_m) + " m" : "";
    std::string vintage;
    try {
        const InputRecord dem = describe_raster_input("dem", config.dem, /*digest=*/false);
        vintage = dem.vintage;
        if (resolution.empty() && dem.pixel_size) {
            const double px = (*dem.pixel_size)[0];
            // A geographic DEM's pixel is in degrees: also in metres at the equator.
            resolution = px < 0.1 ? num(px * 3600.0) + "″ (about " +
                                        num(std::round(px * 111320.0)) + " m, the DEM's own)"
                                  : num(px) + " m (the DEM's own)";
        }
    } catch (const Error&) {
        // Unreadable: the read stage says why; the line names the file only.
    }
    if (!vintage.empty())
        out += ", vintage " + vintage;
    if (!resolution.empty())
        out += ", resolution " + resolution;
    out += ", receiver " + num(c.hata.receiver_height_m) + " m, antenna " +
           num(c.hata.antenna_height_m) + " m where a station has no height, k " +
           num(c.terrain.k_factor) + ", diffraction " + (c.terrain.diffraction ? "on" : "off");
    return out;
}

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&t, &utc);
    std::array<char, 32> buf{};
    std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buf.data();
}

} // namespace

std::string describe_model(const Config& config) {
    const CoverageOptions& c = config.coverage;
    const HataOptions& h = c.hata;
    const std::string& name = c.model.name();
    std::string out = "model " + name;
    if (name == "disk") {
        out += ": radius " + per_tech(c.radius_m, "m");
    } else if (name == "hata") {
        out += " (" + std::string(to_string(h.environment)) + "): frequency " +
               per_tech(h.frequency_mhz, "MHz") + ", EIRP " + per_tech(h.eirp_dbm, "dBm") +
               ", threshold " + per_tech(h.threshold_dbm, "dBm") + ", antenna " +
               num(h.antenna_height_m) + " m, receiver " + num(h.receiver_height_m) +
               " m, radius at most " + num(h.max_radius_m) + " m";
    } else if (name == "itm") {
        const ItmCoverageOptions& i = c.itm;
        out += ": frequency " + per_tech(h.frequency_mhz, "MHz") +
               ", polarisation vertical, climate " + climate_name(i.climate) + ", N0 " + num(i.n0) +
               ", reliability " + num(i.location_pct) + " % of locations and " + num(i.time_pct) +
               " % of time, confidence " + num(i.situation_pct) + " %, threshold " +
               per_tech(i.threshold_dbm, "dBm") + ", EIRP " + per_tech(h.eirp_dbm, "dBm") +
               ", antenna " + num(h.antenna_height_m) + " m, receiver " + num(h.receiver_height_m) +
               " m, reach " + per_tech(c.radius_m, "m");
    }
    if (c.use_station_range)
        out += "; a station's own range where it has one";
    out += "; " + (config.dem.empty() ? std::string("no terrain (no DEM)") : terrain_part(config));
    if (!config.population.empty())
        out += "; population grid " + std::filesystem::path(config.population).filename().string();
    return out;
}

RunRecord::RunRecord(const Config& config, const Context& ctx)
    : m_config(config), m_tally(std::make_shared<WarningTally>()),
      m_ctx(counting_warnings(ctx, m_tally)), m_started_utc(utc_now()),
      m_start(std::chrono::steady_clock::now()) {}

Provenance RunRecord::finish(const std::string& work_crs, bool plan_inputs) const {
    Provenance p;
    p.version = std::string(version());
    p.command = text::scrub_secrets(m_ctx.command);
    p.config_json = config_to_json(m_config);
    p.model = describe_model(m_config);
    p.work_crs = work_crs;
    p.threads = m_ctx.worker_threads();
    p.started_utc = m_started_utc;
    const auto vector_input = [&](const std::string& role, const LayerSource& source) {
        if (!source.path.empty())
            p.inputs.push_back(
                describe_vector_input(role, source.path, source.layer, /*digest=*/false));
    };
    vector_input("stations", m_config.stations);
    vector_input("villages", m_config.villages);
    if (m_config.settlements)
        vector_input("settlements", *m_config.settlements);
    if (m_config.centres)
        vector_input("centres", *m_config.centres);
    if (!m_config.dem.empty())
        p.inputs.push_back(describe_raster_input("dem", m_config.dem, /*digest=*/false));
    if (!m_config.population.empty())
        p.inputs.push_back(
            describe_raster_input("population", m_config.population, /*digest=*/false));
    if (!m_config.measurements.empty())
        p.inputs.push_back(
            describe_vector_input("measurements", m_config.measurements, "", /*digest=*/false));
    if (plan_inputs && m_config.candidates)
        vector_input("candidates", *m_config.candidates);
    if (plan_inputs && m_config.planned)
        vector_input("planned", *m_config.planned);
    add_file_digests(p.inputs); // each file read once, whatever the roles it plays
    refresh(p);
    return p;
}

void RunRecord::refresh(Provenance& p) const {
    p.warnings = m_tally->counts();
    p.duration_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
}

} // namespace whitezone
