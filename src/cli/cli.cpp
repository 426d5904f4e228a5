#include "cli/cli.hpp"

#include "whitezone/config.hpp"
#include "whitezone/error.hpp"
#include "whitezone/generate.hpp"
#include "whitezone/pipeline.hpp"
#include "whitezone/report/trend.hpp"

#include "cli/link.hpp"
#include "common/text.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <optional>
#include <utility>

namespace whitezone::cli {

namespace {

// Flags as parsed, before they are laid over the config file.
struct Flags {
    std::string stations, villages, settlements, centres, config;
    std::string stations_layer, villages_layer, settlements_layer, centres_layer;
    std::string out, format, work_crs, status_rule, dem, population;
    bool overwrite = false, verbose = false;
    std::optional<int> threads; ///< unset: the config's, else all cores
};

// Flags of `whitezone plan` on top of the analysis' flags.
struct PlanFlags {
    long budget = 0;
    std::string candidates, candidates_layer, planned, planned_layer, by, target_rate, max_hop_m;
};

// Flags of `whitezone trend` on top of the analysis' flags.
struct TrendFlags {
    std::optional<int> from, to;
    std::string chart;
    bool no_chart = false;
};

struct GenerateFlags {
    std::string size = "S", out;
    std::size_t villages = 0, sites = 0;
    std::uint64_t seed = 1;
    bool overwrite = false;
};

void add_analyze_options(CLI::App& cmd, Flags& f) {
    cmd.add_option("--stations", f.stations,
                   "Base stations (cells or sites): any vector source GDAL opens, an OpenCelliD "
                   "CSV, or a PG: connection string");
    cmd.add_option("--villages", f.villages, "Village polygons or points");
    cmd.add_option("--settlements", f.settlements,
                   "Optional residential clusters (points or polygons) for the official rule");
    cmd.add_option("--centres", f.centres,
                   "Optional village centres (cultural houses), joined by village id");
    cmd.add_option("--stations-layer", f.stations_layer, "Layer of --stations to read");
    cmd.add_option("--villages-layer", f.villages_layer, "Layer of --villages to read");
    cmd.add_option("--settlements-layer", f.settlements_layer, "Layer of --settlements");
    cmd.add_option("--centres-layer", f.centres_layer, "Layer of --centres");
    cmd.add_option("--dem", f.dem,
                   "Elevation raster (GeoTIFF, HGT, VRT; any CRS): the terrain mode, line of "
                   "sight from each antenna (docs/terrain.md)");
    cmd.add_option("--population", f.population,
                   "Population raster, people per cell (WorldPop, GHSL): shares of people "
                   "instead of area");
    cmd.add_option("--config", f.config, "JSON config file (docs/config.md)");
    cmd.add_option("--out", f.out,
                   "Output .gpkg file, or folder for --format geojson|shp|csv "
                   "(default whitezone-results.gpkg / whitezone-results/)");
    cmd.add_option("--format", f.format, "gpkg (default), geojson, shp or csv");
    cmd.add_flag("--overwrite", f.overwrite, "Replace an existing output");
    cmd.add_option("--threads", f.threads, "Worker threads (default: all cores)");
    cmd.add_option("--work-crs", f.work_crs,
                   "Metric work CRS, e.g. EPSG:32648 (default: UTM zone of the villages)");
    cmd.add_option("--status-rule", f.status_rule, "centre (default, official) or area_share");
    cmd.add_flag("-v,--verbose", f.verbose, "Log each stage with counts and times");
}

// Builds the config: defaults, then the JSON file, then flags (flags win). Not validated.
Config config_from_flags(const Flags& f) {
    Config c;
    c.threads = 0; // the command's default: all cores (the config may say otherwise)
    if (!f.config.empty())
        apply_config_file(c, f.config);
    auto layer = [](LayerSource& src, const std::string& path, const std::string& name) {
        if (!path.empty())
            src.path = path;
        if (!name.empty())
            src.layer = name;
    };
    layer(c.stations, f.stations, f.stations_layer);
    layer(c.villages, f.villages, f.villages_layer);
    if (!f.settlements.empty() || !f.settlements_layer.empty()) {
        if (!c.settlements)
            c.settlements.emplace();
        layer(*c.settlements, f.settlements, f.settlements_layer);
    }
    if (!f.centres.empty() || !f.centres_layer.empty()) {
        if (!c.centres)
            c.centres.emplace();
        layer(*c.centres, f.centres, f.centres_layer);
    }
    if (!f.out.empty())
        c.write.path = f.out;
    if (f.format.empty() && c.write.format == OutputFormat::GeoPackage && !f.out.empty()) {
        // Five layers do not fit in one GeoJSON, Shapefile or CSV file.
        const std::string ext = text::lower(std::filesystem::path(f.out).extension().string());
        if (ext == ".geojson" || ext == ".json" || ext == ".shp" || ext == ".csv")
            throw UsageError("--out '" + f.out + "' names a single " + ext.substr(1) +
                             " file, but the output has five layers; give a folder and the "
                             "format, e.g. --out results --format " +
                             (ext == ".json" ? std::string("geojson") : ext.substr(1)) +
                             ", or a .gpkg file.");
    }
    if (!f.format.empty()) {
        auto parsed = parse_output_format(f.format);
        if (!parsed)
            throw UsageError("--format '" + f.format +
                             "' is not known; use gpkg, geojson, shp or csv.");
        c.write.format = *parsed;
    }
    if (f.overwrite)
        c.write.overwrite = true;
    if (!f.work_crs.empty())
        c.prepare.work_crs = f.work_crs;
    if (!f.dem.empty())
        c.dem = f.dem;
    if (!f.population.empty())
        c.population = f.population;
    if (!f.status_rule.empty()) {
        auto parsed = parse_status_rule(f.status_rule);
        if (!parsed)
            throw UsageError("--status-rule '" + f.status_rule +
                             "' is not known; use centre or area_share.");
        c.classify.rule = *parsed;
    }
    if (f.threads && (*f.threads < 0 || *f.threads > 1024))
        throw UsageError("--threads " + std::to_string(*f.threads) +
                         " is out of range; give a number of threads from 1 to 1024 (0: all "
                         "cores).");
    if (f.threads)
        c.threads = *f.threads;
    return c;
}

Config make_config(const Flags& f) {
    Config c = config_from_flags(f);
    validate_config(c);
    return c;
}

void add_plan_options(CLI::App& cmd, PlanFlags& f) {
    cmd.add_option("--budget", f.budget, "Number of new sites to propose")->required();
    cmd.add_option("--candidates", f.candidates,
                   "Optional candidate sites (points), besides the gap villages' centres");
    cmd.add_option("--candidates-layer", f.candidates_layer, "Layer of --candidates");
    cmd.add_option("--planned", f.planned,
                   "Optional stations planned but not on air (fields of --stations): new sites "
                   "go to the gaps they leave; prints and writes what they improve (whatif)");
    cmd.add_option("--planned-layer", f.planned_layer, "Layer of --planned");
    cmd.add_option("--by", f.by, "people (default) or villages: what a new site's gain counts");
    cmd.add_option("--target-rate", f.target_rate,
                   "Stop once this share of villages (0-1) is covered (default 1)")
        ->type_name("SHARE");
    cmd.add_option("--max-hop-m", f.max_hop_m,
                   "Longest backhaul hop in metres (default 20000, config \"plan.max_hop_m\")")
        ->type_name("METRES");
}

void add_trend_options(CLI::App& cmd, TrendFlags& f) {
    cmd.add_option("--from", f.from, "First year counted (default: the first on-air year)")
        ->type_name("YEAR");
    cmd.add_option("--to", f.to, "Last year counted (default: the last on-air year)")
        ->type_name("YEAR");
    cmd.add_option("--chart", f.chart,
                   "The chart, an .svg file (default: beside the output, <out>-trend.svg)");
    cmd.add_flag("--no-chart", f.no_chart, "Write no chart");
}

// The trend's own options; the years must be plausible on-air years.
TrendOptions make_trend_options(const TrendFlags& f) {
    for (const auto& [flag, year] : {std::pair{"--from", f.from}, std::pair{"--to", f.to}})
        if (year && (*year < 1900 || *year > 2100))
            throw UsageError(std::string(flag) + " " + std::to_string(*year) +
                             " is out of range; give a year from 1900 to 2100.");
    if (f.no_chart && !f.chart.empty())
        throw UsageError("--chart and --no-chart are given together; choose one.");
    TrendOptions options;
    options.from = f.from;
    options.to = f.to;
    options.chart = f.chart;
    options.write_chart = !f.no_chart;
    return options;
}

// A number flag given as text, so that the message can quote what the user typed.
double number_flag(const std::string& flag, const std::string& value, double lo, double hi,
                   const std::string& expected) {
    auto parsed = text::parse_double(value);
    if (!parsed || *parsed < lo || *parsed > hi)
        throw UsageError(flag + " '" + value + "' is not valid; give " + expected + ".");
    return *parsed;
}

// The analysis' config plus the plan's flags (flags win over the "plan", "planned" and
// "candidates" config keys).
Config make_plan_config(const Flags& f, const PlanFlags& p) {
    Config c = config_from_flags(f);
    if (p.budget < 0 || p.budget > 100000)
        throw UsageError("--budget " + std::to_string(p.budget) +
                         " is out of range; give a number of new sites from 0 to 100000.");
    c.plan.budget = static_cast<std::size_t>(p.budget);
    if (!p.candidates.empty() || !p.candidates_layer.empty()) {
        if (p.candidates.empty() && !c.candidates)
            throw UsageError("--candidates-layer is given without --candidates FILE.");
        if (!c.candidates)
            c.candidates.emplace();
        if (!p.candidates.empty())
            c.candidates->path = p.candidates;
        if (!p.candidates_layer.empty())
            c.candidates->layer = p.candidates_layer;
    }
    if (!p.planned.empty() || !p.planned_layer.empty()) {
        if (p.planned.empty() && !c.planned)
            throw UsageError("--planned-layer is given without --planned FILE.");
        if (!c.planned) {
            // The planned stations are read like --stations: same CSV columns, CRS and fields.
            c.planned = c.stations;
            c.planned->path.clear();
            c.planned->layer.clear();
        }
        if (!p.planned.empty())
            c.planned->path = p.planned;
        if (!p.planned_layer.empty())
            c.planned->layer = p.planned_layer;
    }
    if (!p.by.empty()) {
        auto parsed = parse_plan_objective(p.by);
        if (!parsed)
            throw UsageError("--by '" + p.by + "' is not known; use people or villages.");
        c.plan.by = *parsed;
    }
    if (!p.target_rate.empty())
        c.plan.target_rate =
            number_flag("--target-rate", p.target_rate, 0.0, 1.0, "a share from 0 to 1, e.g. 0.95");
    if (!p.max_hop_m.empty())
        c.plan.max_hop_m = number_flag("--max-hop-m", p.max_hop_m, 0.0, 1e7,
                                       "a length in metres >= 0, e.g. 20000");
    validate_plan_config(c);
    return c;
}

// Runs a command's body and maps its exceptions to exit codes (the only place that knows
// them): 2 for bad usage or bad input, 1 for anything else.
int guarded(std::ostream& err, const std::function<int()>& body) {
    try {
        return body();
    } catch (const UsageError& e) {
        err << "error: " << e.what() << "\n";
        return 2;
    } catch (const InputError& e) {
        err << "error: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        err << "error: " << e.what() << "\n";
        return 1;
    }
}

Log make_log(std::ostream& err, bool verbose, bool terminal) {
    Log log;
    if (verbose)
        log.info = [&err](std::string_view m) { err << m << "\n"; };
    log.warn = [&err, terminal](std::string_view m) {
        if (terminal)
            err << "\r\033[K";
        err << "warning: " << m << "\n";
    };
    if (terminal) {
        log.progress = [&err](std::string_view step, double fraction) {
            constexpr int kWidth = 30;
            const int filled = static_cast<int>(fraction * kWidth);
            err << "\r" << step << " [" << std::string(static_cast<std::size_t>(filled), '#')
                << std::string(static_cast<std::size_t>(kWidth - filled), ' ') << "] "
                << static_cast<int>(fraction * 100) << "%";
            if (fraction >= 1.0)
                err << "\r\033[K";
            err.flush();
        };
    }
    return log;
}

} // namespace

int run_cli(std::span<const std::string> args, std::ostream& out, std::ostream& err,
            bool err_is_terminal) {
    CLI::App app{"whitezone: finds the villages a mobile network does not reach.", "whitezone"};
    app.set_version_flag("--version", "whitezone 0.1");
    app.require_subcommand(1);
    Flags flags;
    CLI::App* analyze = app.add_subcommand(
        "analyze", "Coverage, white/partial/covered status and gap ranking of every village");
    add_analyze_options(*analyze, flags);

    PlanFlags plan_flags;
    CLI::App* plan = app.add_subcommand(
        "plan", "Analyze, then propose new sites (greedy maximal covering) and their backhaul");
    add_analyze_options(*plan, flags);
    add_plan_options(*plan, plan_flags);

    TrendFlags trend_flags;
    CLI::App* trend = app.add_subcommand(
        "trend", "White and partial villages per year from the stations' on-air dates, as a "
                 "table and a chart");
    add_analyze_options(*trend, flags);
    add_trend_options(*trend, trend_flags);

    GenerateFlags gen;
    CLI::App* generate = app.add_subcommand(
        "generate", "Write a synthetic country (villages.gpkg, stations.gpkg) for benchmarks");
    generate->add_option("--size", gen.size, "S, M, L or XL (default S)");
    generate->add_option("--villages", gen.villages, "Number of villages (overrides --size)");
    generate->add_option("--sites", gen.sites, "Number of sites (overrides --size)");
    generate->add_option("--seed", gen.seed, "Random seed (default 1)");
    generate->add_option("--out", gen.out, "Output folder")->required();
    generate->add_flag("--overwrite", gen.overwrite, "Replace existing files");

    LinkFlags link_flags;
    CLI::App* link = add_link_command(app, link_flags);

    try {
        std::vector<std::string> reversed(args.rbegin(), args.rend()); // CLI11 wants it so
        app.parse(reversed);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
            // --help or --version
            if (dynamic_cast<const CLI::CallForVersion*>(&e))
                out << e.what() << "\n";
            else
                out << (analyze->parsed() ? analyze->help()
                        : plan->parsed()  ? plan->help()
                        : trend->parsed() ? trend->help()
                        : link->parsed()  ? link->help()
                                          : app.help());
            return 0;
        }
        err << "error: " << e.what() << "\nRun 'whitezone "
            << (analyze->parsed() ? "analyze "
                : plan->parsed()  ? "plan "
                : trend->parsed() ? "trend "
                : link->parsed()  ? "link "
                                  : "")
            << "--help' for the options.\n";
        return 2;
    }

    if (generate->parsed()) {
        return guarded(err, [&] {
            auto options = generate_preset(gen.size);
            if (!options)
                throw UsageError("generate: --size '" + gen.size +
                                 "' is not known; use S, M, "
                                 "L or XL.");
            if (gen.villages > 0)
                options->villages = gen.villages;
            if (gen.sites > 0)
                options->sites = gen.sites;
            options->seed = gen.seed;
            const PreparedInputs country = generate_country(*options);
            write_country(country, gen.out, gen.overwrite);
            out << "generate: " << text::thousands(static_cast<long long>(country.villages.size()))
                << " villages, " << text::thousands(static_cast<long long>(options->sites))
                << " sites (" << text::thousands(static_cast<long long>(country.stations.size()))
                << " cells) in " << gen.out << "\n";
            return 0;
        });
    }

    if (link->parsed())
        return guarded(err, [&] { return run_link(link_flags, out, err); });

    if (plan->parsed()) {
        return guarded(err, [&] {
            const Config config = make_plan_config(flags, plan_flags);
            const Log log = make_log(err, flags.verbose, err_is_terminal);
            const PlanResult r = run_plan_and_write(config, log);
            out << format_plan(r.plan);
            if (r.whatif)
                out << "\n" << format_whatif(*r.whatif);
            out << "\noutputs: " << output_path(config.write)
                << " (layers villages, coverage, stations, summary, sites, proposed_sites, "
                   "backhaul_links"
                << (r.whatif ? ", whatif" : "") << ")\n";
            return 0;
        });
    }

    if (trend->parsed()) {
        return guarded(err, [&] {
            const Config config = make_config(flags);
            const TrendOptions options = make_trend_options(trend_flags);
            const Log log = make_log(err, flags.verbose, err_is_terminal);
            const TrendResult r = run_trend_and_write(config, options, log);
            out << format_trend(r.trend);
            out << "\noutputs: " << output_path(config.write)
                << " (layers villages, coverage, stations, summary, sites, trend)";
            if (!r.chart.empty())
                out << "; chart " << r.chart;
            out << "\n";
            return 0;
        });
    }

    return guarded(err, [&] {
        const Config config = make_config(flags);
        const Log log = make_log(err, flags.verbose, err_is_terminal);
        const AnalysisResult r = run_and_write(config, log);
        out << format_summary(r.summary);
        out << "\noutputs: " << output_path(config.write)
            << " (layers villages, coverage, stations, summary, sites; CRS "
            << (config.write.format == OutputFormat::GeoJSON ? std::string("EPSG:4326")
                                                             : r.inputs.work_crs)
            << ")\n";
        return 0;
    });
}

} // namespace whitezone::cli
