#include "cli/common.hpp"

#include "whitezone/error.hpp"
#include "whitezone/report.hpp"

#include "common/text.hpp"

#include <filesystem>
#include <map>

namespace whitezone::cli {

std::string layer_list(const LayerSelection& selection) {
    std::string list;
    for (const auto& name : output_layer_names(selection))
        list += (list.empty() ? "" : ", ") + name;
    return list;
}

void add_analysis_flags(CLI::App& cmd, AnalysisFlags& f) {
    cmd.add_option("--stations", f.stations,
                   "Base stations (cells or sites): any vector source GDAL opens, an OpenCelliD "
                   "CSV, or a PG: connection string");
    cmd.add_option("--villages", f.villages, "Village polygons or points");
    cmd.add_option("--settlements", f.settlements,
                   "Optional residential clusters (points or polygons) for the official rule");
    cmd.add_option("--centres", f.centres,
                   "Optional village centres (cultural houses), joined by village id");
    cmd.add_option("--units", f.units,
                   "Optional administrative units (polygons, e.g. the 2025 communes): villages "
                   "are counted in the unit holding their centre (docs/input.md)");
    cmd.add_option("--units-layer", f.units_layer, "Layer of --units");
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
                   "Output .gpkg file, folder for --format geojson|shp|csv|fgb, or PG:… (PostGIS) "
                   "(default whitezone-results.gpkg / whitezone-results/)");
    cmd.add_option(
        "--format", f.format,
        "gpkg (default), geojson, shp, csv, fgb, postgis or console (the layers as text, no file)");
    cmd.add_flag("--overwrite", f.overwrite, "Replace an existing output");
    cmd.add_option("--threads", f.threads, "Worker threads (default: all cores)");
    cmd.add_option("--work-crs", f.work_crs,
                   "Metric work CRS, e.g. EPSG:32648 (default: UTM zone of the villages)");
    cmd.add_option("--status-rule", f.status_rule, "centre (default, official) or area_share");
    cmd.add_flag("--stability", f.stability,
                 "Also say how firm each status is: the analysis run again with the inputs "
                 "varied (config \"stability\", docs/method.md#stability)");
    cmd.add_flag("-v,--verbose", f.verbose, "Log each stage with counts and times");
}

Config config_from_flags(const AnalysisFlags& f) {
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
    if (!f.units.empty() || !f.units_layer.empty()) {
        if (!c.units)
            c.units.emplace();
        layer(*c.units, f.units, f.units_layer);
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
            throw UsageError("--format '" + f.format + "' is not known; use " +
                             output_format_choices() + ".");
        c.write.format = *parsed;
    }
    if (f.stability)
        c.stability.enabled = true;
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

double number_flag(const std::string& flag, const std::string& value, double lo, double hi,
                   const std::string& expected) {
    auto parsed = text::parse_double(value);
    if (!parsed || *parsed < lo || *parsed > hi)
        throw UsageError(flag + " '" + value + "' is not valid; give " + expected + ".");
    return *parsed;
}

namespace {

Log make_log(std::ostream& err, bool verbose, bool terminal) {
    Log log;
    if (verbose)
        log.info = [&err](std::string_view m) { err << text::scrub_secrets(m) << "\n"; };
    log.warn = [&err, terminal](std::string_view m) {
        if (terminal)
            err << "\r\033[K";
        err << "warning: " << text::scrub_secrets(m) << "\n";
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

Context make_context(const Io& io, const Config& config, bool verbose) {
    Context ctx;
    ctx.threads = config.threads;
    ctx.log = make_log(io.err, verbose, io.err_is_terminal);
    ctx.command = io.command;
    ctx.stop = io.stop;
    return ctx;
}

std::string flag_hint(const std::string& option) {
    static const std::map<std::string, std::string> hints{
        {"trend.from", "Set them with --from and --to."},
        {"trend.to", "Set them with --from and --to."},
    };
    const auto it = hints.find(option);
    return it == hints.end() ? std::string() : it->second;
}

} // namespace whitezone::cli
