// `whitezone link` (docs/itm.md): flags into LinkSettings, then compute_link() or
// run_link_batch(), and the report.

#include "cli/link.hpp"

#include "whitezone/config.hpp"
#include "whitezone/error.hpp"
#include "whitezone/link.hpp"

#include "cli/command.hpp"
#include "common/atomic.hpp"
#include "common/text.hpp"

#include <filesystem>
#include <fstream>

namespace whitezone::cli {

namespace {

// "LON,LAT" in degrees.
std::pair<double, double> lon_lat(const std::string& flag, const std::string& value) {
    const std::size_t comma = value.find(',');
    const auto lon =
        comma == std::string::npos ? std::nullopt : text::parse_double(value.substr(0, comma));
    const auto lat =
        comma == std::string::npos ? std::nullopt : text::parse_double(value.substr(comma + 1));
    if (!lon || !lat || *lon < -180 || *lon > 180 || *lat < -90 || *lat > 90)
        throw UsageError(flag + " '" + value +
                         "' is not a point; give LON,LAT in degrees WGS 84, longitude first, "
                         "e.g. " +
                         flag + " 105.85,21.02.");
    return {*lon, *lat};
}

LinkSettings settings_from(const LinkFlags& f) {
    // The "link" object of the config, read with the declared keys of every command (so a
    // config shared with analyze works, and its other keys are checked too).
    Config config;
    if (!f.config.empty())
        apply_config_file(config, f.config);
    LinkSettings s = config.link;
    ItmParameters& p = s.itm;
    const auto set = [](const std::optional<double>& flag, double& field) {
        if (flag)
            field = *flag;
    };
    set(f.tx_height, p.h_tx_m);
    set(f.rx_height, p.h_rx_m);
    set(f.freq_mhz, p.f_mhz);
    set(f.n0, p.n0);
    set(f.epsilon, p.epsilon);
    set(f.sigma, p.sigma);
    set(f.time, p.time_pct);
    set(f.location, p.location_pct);
    set(f.situation, p.situation_pct);
    set(f.eirp_dbm, s.eirp_dbm);
    set(f.rx_gain_dbi, s.rx_gain_dbi);
    // The ranges of the config keys "link.eirp_dbm" and "link.rx_gain_dbi".
    const auto in_range = [](double v, const char* flag, double lo, double hi, const char* hint) {
        if (!(v >= lo && v <= hi))
            throw UsageError(std::string(flag) + " '" + text::fixed(v, 1) + "' is outside " +
                             text::fixed(lo, 0) + " to " + text::fixed(hi, 0) + "; " + hint);
    };
    in_range(s.eirp_dbm, "--eirp-dbm", -50.0, 100.0,
             "give the transmitter's EIRP in dBm, e.g. 58 (20 W into a 15 dBi antenna).");
    in_range(s.rx_gain_dbi, "--rx-gain-dbi", -50.0, 60.0,
             "give the receiving antenna's gain in dBi, e.g. 0 for a handset.");
    set(f.step_m, s.step_m);
    if (f.climate)
        p.climate = itm_climate_from_code(*f.climate, "--climate");
    if (f.mdvar)
        p.mdvar = *f.mdvar;
    if (!f.pol.empty()) {
        const std::string v = text::lower(f.pol);
        if (v == "v" || v == "vertical" || v == "1")
            p.polarisation = ItmPolarisation::Vertical;
        else if (v == "h" || v == "horizontal" || v == "0")
            p.polarisation = ItmPolarisation::Horizontal;
        else
            throw UsageError("--pol '" + f.pol +
                             "' is not known; use v (vertical) or h "
                             "(horizontal).");
    }
    validate_itm_parameters(p); // before any data is read
    return s;
}

// Refuses to replace an existing output unless --overwrite (DESIGN: nothing is lost).
// A regular file only: a folder, a link or a device is never replaced (atomic.hpp).
void check_target(const std::string& flag, const std::string& path, bool overwrite) {
    if (!path.empty())
        atomic::check_replaceable(path, atomic::Kind::File, overwrite, "link", flag);
}

// Writes `text` to `path` atomically (whole or not at all).
void write_text(const std::string& path, const std::string& text) {
    atomic::write(path, atomic::Kind::File, "", [&](const std::filesystem::path& temp) {
        atomic::write_text(temp, text, "link", path);
    });
}

const char* mode_name(ItmMode m) {
    switch (m) {
    case ItmMode::LineOfSight:
        return "line of sight";
    case ItmMode::Diffraction:
        return "diffraction";
    case ItmMode::Troposcatter:
        return "troposcatter";
    }
    return "?";
}

void print_link(std::ostream& out, const LinkResult& r, const LinkSettings& s,
                const std::string& dem) {
    const ProfileSummary& p = r.profile;
    const ItmResult& m = r.itm;
    const auto f = [](double v, int d) { return text::fixed(v, d); };
    out << "link: " << f(p.length_m / 1000.0, 2) << " km, " << p.points << " points every "
        << f(p.step_m, 1) << " m from " << dem << "\n";
    out << "  terrain: " << f(p.min_m, 0) << "-" << f(p.max_m, 0) << " m (mean " << f(p.mean_m, 0)
        << " m); ground " << f(p.tx_ground_m, 1) << " m at the transmitter, " << f(p.rx_ground_m, 1)
        << " m at the receiver; delta_h " << f(m.delta_h_m, 1) << " m\n";
    out << "  antennas: " << f(s.itm.h_tx_m, 1) << " m and " << f(s.itm.h_rx_m, 1)
        << " m above ground; " << f(s.itm.f_mhz, 1) << " MHz\n";
    const Obstruction& o = r.obstruction;
    if (o.above_ray_m > 0.0)
        out << "  obstruction: the terrain rises " << f(o.above_ray_m, 1)
            << " m above the line of sight at " << f(o.distance_m / 1000.0, 2)
            << " km from the transmitter (ground " << f(o.ground_m, 1) << " m)\n";
    else
        out << "  obstruction: none; the closest terrain is " << f(-o.above_ray_m, 1)
            << " m below the line of sight at " << f(o.distance_m / 1000.0, 2)
            << " km from the transmitter (" << f(-o.above_ray_m / o.fresnel_radius_m * 100.0, 0)
            << " % of the first Fresnel zone radius, " << f(o.fresnel_radius_m, 1) << " m)\n";
    out << "  horizons: " << f(m.dhzn_tx_km, 2) << " km from the transmitter, "
        << f(m.dhzn_rx_km, 2) << " km from the receiver; ITM mode: " << mode_name(m.mode) << "\n";
    out << "  free-space loss: " << f(m.free_space_db, 1) << " dB\n";
    out << "  ITM loss: " << f(m.loss_db, 1) << " dB (time " << f(s.itm.time_pct, 0)
        << " %, location " << f(s.itm.location_pct, 0) << " %, situation "
        << f(s.itm.situation_pct, 0) << " %, mdvar " << s.itm.mdvar << ")\n";
    out << "  received power: " << f(r.received_dbm, 1) << " dBm (EIRP " << f(s.eirp_dbm, 1)
        << " dBm, receive antenna " << f(s.rx_gain_dbi, 1) << " dBi)\n";
    if (m.warnings != 0)
        out << "  ITM warnings: " << describe_itm_warnings(m.warnings) << "\n";
}

} // namespace

void add_link_flags(CLI::App& app, LinkFlags& f) {
    CLI::App* cmd = &app;
    cmd->add_option("--from", f.from, "Transmitter, LON,LAT in degrees WGS 84")
        ->type_name("LON,LAT");
    cmd->add_option("--to", f.to, "Receiver, LON,LAT in degrees WGS 84")->type_name("LON,LAT");
    cmd->add_option("--dem", f.dem, "Elevation raster (GeoTIFF, HGT, VRT; any CRS)");
    cmd->add_option("--batch", f.batch,
                    "CSV of links: tx_lon,tx_lat,rx_lon,rx_lat (with --dem) or step_m and "
                    "elevations_m, plus ITM inputs as columns (docs/itm.md)");
    cmd->add_option("--out", f.out, "CSV written by --batch (default: standard output)");
    cmd->add_option("--profile-out", f.profile_out,
                    "Also write the terrain profile of --from/--to as a one-row CSV (columns "
                    "of --batch: tx_lon, tx_lat, rx_lon, rx_lat, intervals, step_m, "
                    "elevations_m)");
    cmd->add_flag("--overwrite", f.overwrite, "Replace an existing --out or --profile-out file");
    cmd->add_option("--config", f.config, "JSON config; its \"link\" object (docs/itm.md)");
    cmd->add_option("--step-m", f.step_m, "Profile step from the DEM (default: one DEM cell)")
        ->type_name("METRES");
    cmd->add_option("--tx-height", f.tx_height, "Transmitting antenna above ground (default 30)")
        ->type_name("METRES");
    cmd->add_option("--rx-height", f.rx_height, "Receiving antenna above ground (default 1.5)")
        ->type_name("METRES");
    cmd->add_option("--freq-mhz", f.freq_mhz, "Frequency, 20-20000 (default 900)")
        ->type_name("MHZ");
    cmd->add_option("--eirp-dbm", f.eirp_dbm, "Transmitter EIRP (default 58)")->type_name("DBM");
    cmd->add_option("--rx-gain-dbi", f.rx_gain_dbi, "Receiving antenna gain (default 0)")
        ->type_name("DBI");
    cmd->add_option("--climate", f.climate,
                    "ITM radio climate 1-7 (default 2, continental subtropical)");
    cmd->add_option("--n0", f.n0, "Surface refractivity, N-units 250-400 (default 320)");
    cmd->add_option("--pol", f.pol, "Polarisation v or h (default v)");
    cmd->add_option("--epsilon", f.epsilon, "Ground relative permittivity (default 15)");
    cmd->add_option("--sigma", f.sigma, "Ground conductivity, S/m (default 0.005)");
    cmd->add_option("--mdvar", f.mdvar, "ITM mode of variability (default 3, broadcast)");
    cmd->add_option("--time", f.time, "Time percentage, 0-100 exclusive (default 50)");
    cmd->add_option("--location", f.location, "Location percentage (default 50)");
    cmd->add_option("--situation", f.situation, "Situation percentage (default 50)");
}

int run_link(const LinkFlags& f, std::ostream& out, std::ostream& /*err*/) {
    const LinkSettings s = settings_from(f);
    if (!f.batch.empty()) {
        if (!f.from.empty() || !f.to.empty())
            throw UsageError("link: --batch and --from/--to are given together; choose one.");
        check_target("--out", f.out, f.overwrite);
        if (!f.out.empty())
            atomic::check_not_an_input(f.out, false, "--batch", f.batch, "link");
        std::optional<DemProfiler> dem;
        if (!f.dem.empty())
            dem.emplace(f.dem, s.step_m);
        const Table input = read_csv_table(f.batch);
        const Table result = run_link_batch(input, s.itm, dem ? &*dem : nullptr, f.batch);
        const std::string csv = format_csv_table(result);
        if (f.out.empty()) {
            out << csv;
        } else {
            write_text(f.out, csv);
            out << "link: " << result.rows.size() << " links from " << f.batch << " written to "
                << f.out << "\n";
        }
        return 0;
    }
    if (f.from.empty() || f.to.empty())
        throw UsageError("link: give --from LON,LAT and --to LON,LAT with --dem FILE, or "
                         "--batch FILE.csv; 'whitezone link --help' lists the options.");
    if (f.dem.empty())
        throw UsageError("link: --from and --to need --dem FILE for the terrain between them.");
    const auto [tx_lon, tx_lat] = lon_lat("--from", f.from);
    const auto [rx_lon, rx_lat] = lon_lat("--to", f.to);
    check_target("--profile-out", f.profile_out, f.overwrite);
    const DemProfiler dem(f.dem, s.step_m);
    const TerrainProfile profile = dem.profile(tx_lon, tx_lat, rx_lon, rx_lat);
    if (!f.profile_out.empty()) {
        std::string elevations;
        for (const double z : profile.elevations_m)
            elevations += (elevations.empty() ? "" : " ") + text::fixed(z, 2);
        Table t;
        t.columns = {"tx_lon", "tx_lat", "rx_lon", "rx_lat", "intervals", "step_m", "elevations_m"};
        t.rows.push_back({text::fixed(tx_lon, 6), text::fixed(tx_lat, 6), text::fixed(rx_lon, 6),
                          text::fixed(rx_lat, 6), std::to_string(profile.elevations_m.size() - 1),
                          text::fixed(profile.step_m, 6), elevations});
        write_text(f.profile_out, format_csv_table(t));
    }
    const LinkResult r = compute_link(profile, s.itm, s.eirp_dbm, s.rx_gain_dbi);
    print_link(out, r, s, f.dem);
    return 0;
}

namespace {

class LinkCommand final : public Command {
  public:
    [[nodiscard]] std::string_view name() const override { return "link"; }
    [[nodiscard]] std::string_view description() const override {
        return "Loss and received power between two points over a DEM (ITM, Longley-Rice), or "
               "for a table of links (docs/itm.md)";
    }
    void setup(CLI::App& app) override { add_link_flags(app, m_flags); }
    int run(const Io& io) override { return run_link(m_flags, io.out, io.err); }

  private:
    LinkFlags m_flags;
};

} // namespace

std::unique_ptr<Command> make_link_command() { return std::make_unique<LinkCommand>(); }

} // namespace whitezone::cli
