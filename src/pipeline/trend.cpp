// `whitezone trend`: the analysis with today's network, then coverage, overlay and classify
// again for each year with the stations on air by its end. The inputs are read and prepared
// once; each year models only its own network.

#include "whitezone/report/trend.hpp"

#include "whitezone/classify.hpp"
#include "whitezone/coverage.hpp"
#include "whitezone/error.hpp"
#include "whitezone/pipeline.hpp"
#include "whitezone/prepare.hpp"
#include "whitezone/read.hpp"
#include "whitezone/report.hpp"

#include "common/atomic.hpp"
#include "common/text.hpp"
#include "pipeline/stage.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <utility>

namespace whitezone {

namespace {

namespace fs = std::filesystem;

// Throws UsageError when --chart names the output itself, or a file inside an output folder:
// the one would be written over the other.
void check_chart_apart(const std::string& chart, const WriteOptions& write) {
    const OutputFormat format = output_format(write);
    if (format == OutputFormat::PostGIS || format == OutputFormat::Console)
        return;
    const atomic::Overlap o =
        atomic::overlap(output_path(write), format != OutputFormat::GeoPackage, chart);
    if (o != atomic::Overlap::None)
        throw UsageError(
            "--chart '" + chart + "' is " +
            (o == atomic::Overlap::Same ? "the output itself" : "inside the output folder") +
            " (--out '" + output_path(write) + "'); give the chart a path of its own, e.g. '" +
            trend_chart_path(TrendOptions{}, write) + "'.");
}

using pipeline::count;
using pipeline::stage;

// The first and last on-air years of the stations, and how many have none.
struct OnAirYears {
    int first = 0, last = 0;
    long dated = 0, undated = 0;
};

OnAirYears on_air_years(const std::vector<Station>& stations) {
    OnAirYears y;
    for (const Station& s : stations) {
        if (!s.on_air_year) {
            ++y.undated;
            continue;
        }
        y.first = y.dated == 0 ? *s.on_air_year : std::min(y.first, *s.on_air_year);
        y.last = y.dated == 0 ? *s.on_air_year : std::max(y.last, *s.on_air_year);
        ++y.dated;
    }
    return y;
}

// The years counted: the flags, else the stations' first and last on-air years.
// The library says which option is at fault (OptionError); the CLI names its flag.
std::pair<int, int> year_range(const TrendOptions& options, const OnAirYears& years) {
    const int from = options.from.value_or(years.first);
    const int to = options.to.value_or(years.last);
    if (from > to)
        throw OptionError(options.from ? "trend.from" : "trend.to",
                          "trend: the first year " + std::to_string(from) +
                              (options.from ? "" : " (the first on-air year)") +
                              " is after the last " + std::to_string(to) +
                              (options.to ? "" : " (the last on-air year)") +
                              "; ask for years in order.");
    return {from, to};
}

// The stations on air by the end of `year`, in layer order: those with an on-air year of at
// most `year`, and those without one.
std::vector<Station> on_air_by(const std::vector<Station>& stations, int year) {
    std::vector<Station> out;
    for (const Station& s : stations)
        if (!s.on_air_year || *s.on_air_year <= year)
            out.push_back(s);
    return out;
}

} // namespace

void require_on_air_years(const PreparedInputs& inputs, const std::string& source) {
    if (on_air_years(inputs.stations).dated > 0)
        return;
    throw InputError(
        "trend: no station in '" + source +
        "' has an on-air year: the layer has no on-air field (on_air, on_air_date, start_date, "
        "…) or it is empty in every row. Add a field 'on_air' with the year or date each "
        "station went on air (2019, 2019-05-01, 01/05/2019), or name yours with "
        "\"stations.fields.on_air\" in the config.");
}

YearNetworks load_year_stations(const Config& config, const std::map<int, std::string>& paths,
                                const std::string& work_crs, const Context& ctx) {
    YearNetworks out;
    for (const auto& entry : paths) {
        const int year = entry.first; // not a structured binding: lambdas capture it below
        const std::string& path = entry.second;
        const std::string role = "stations " + std::to_string(year);
        // Read like --stations: the same CSV columns, CRS, encoding and field mapping.
        LayerSource source = config.stations;
        source.path = path;
        source.layer.clear();
        RawLayer raw = stage(
            ctx, "read", [&] { return read_layer(source, role); },
            [&](const RawLayer& l) {
                return count(l.features.size(), "stations") + " (" + std::to_string(year) + ")";
            });
        out[year] = stage(
            ctx, "prepare",
            [&] {
                const PrepareOptions prepare = pipeline::stage_options(config, ctx).prepare;
                return prepare_more_stations(std::move(raw), prepare, work_crs, role, ctx.log);
            },
            [&](const std::vector<Station>& st) {
                return count(st.size(), "stations") + " (" + std::to_string(year) + ")";
            });
    }
    return out;
}

Trend trend(const AnalysisResult& analysis, const TrendOptions& options, const Config& config,
            const Context& ctx, const YearNetworks& networks) {
    if (options.from && options.to && *options.from > *options.to)
        throw OptionError("trend.from", "trend: the first year " + std::to_string(*options.from) +
                                            " is after the last " + std::to_string(*options.to) +
                                            "; ask for years in order.");
    const std::vector<Station>& all = analysis.inputs.stations;
    const bool lists = !networks.empty();
    Trend out;
    out.service_class = config.rank.service_class;
    out.year_lists = lists;
    std::vector<int> years;
    if (lists) {
        // Each list is the network at the end of its year; the on-air field is not used.
        for (const auto& [year, stations] : networks)
            if ((!options.from || year >= *options.from) && (!options.to || year <= *options.to))
                years.push_back(year);
        if (years.empty())
            throw OptionError(options.from ? "trend.from" : "trend.to",
                              "trend: no --stations-year list falls within the years asked for (" +
                                  std::to_string(networks.begin()->first) + " to " +
                                  std::to_string(networks.rbegin()->first) +
                                  " are given); widen --from and --to.");
    } else {
        require_on_air_years(analysis.inputs, config.stations.path);
        const OnAirYears on_air = on_air_years(all);
        const auto [from, to] = year_range(options, on_air);
        for (int year = from; year <= to; ++year)
            years.push_back(year);
        out.undated = on_air.undated;
        if (on_air.undated > 0)
            ctx.log.warning("trend: " + text::thousands(on_air.undated) +
                            (on_air.undated == 1 ? " station has no on-air year and is"
                                                 : " stations have no on-air year and are") +
                            " counted as on air in every year (give it in the on-air field).");
    }

    // Each year is a new network over the analysis' villages, which are read, not copied or
    // changed.
    const pipeline::Surroundings surroundings = pipeline::surroundings_of(analysis);
    const CoverageOptions coverage = pipeline::stage_options(config, ctx).coverage;
    const auto span = static_cast<double>(years.size());
    std::optional<TrendRow> previous;
    std::vector<TrendUnitRow> previous_units;
    // Terrain mode with on-air years: the coverage raster of the network up to
    // `carried_year`, so that each year traces only the stations that came on air since (the
    // networks only grow). Per-year lists may drop sites, so each of their years starts anew.
    std::optional<CoverageRaster> carried;
    std::optional<int> carried_year;
    for (std::size_t k = 0; k < years.size(); ++k) {
        const int year = years[k];
        ctx.check_cancelled("trend");
        const std::vector<Station> stations = lists ? networks.at(year) : on_air_by(all, year);
        const std::string label = " (" + std::to_string(year) + ")";
        TrendRow row;
        std::vector<TrendUnitRow> units;
        if (!lists && previous && static_cast<std::size_t>(previous->stations) == stations.size()) {
            row = *previous; // no station came on air: the same network as the year before
            units = previous_units;
        } else if (!lists && stations.size() == all.size()) {
            row = trend_row(year, stations, analysis.classification);
            units = trend_unit_rows(year, analysis.inputs, analysis.classification);
        } else {
            // One progress bar over all years; warnings were given by the analysis already.
            Context quiet = ctx;
            quiet.log.warn = nullptr;
            if (ctx.log.progress)
                quiet.log.progress = [&ctx, k, span](std::string_view, double f) {
                    ctx.log.advance(
                        "trend", std::min(1.0, (static_cast<double>(k) + std::min(f, 1.0)) / span));
                };
            Footprints footprints = stage(
                quiet, "coverage", [&] { return model_coverage(stations, coverage); },
                [&](const Footprints& f) { return count(f.items.size(), "footprints") + label; });
            const bool carry = surroundings.dem && !lists;
            if (carry && carried_year)
                std::erase_if(footprints.items, [&](const Footprint& f) {
                    const auto& on_air = stations[f.station].on_air_year;
                    return !on_air || *on_air <= *carried_year; // already in `carried`
                });
            const Overlay overlay =
                pipeline::model_network(config, analysis.inputs, stations, std::move(footprints),
                                        surroundings, /*polygons=*/false, quiet, label,
                                        carry ? &carried : nullptr)
                    .overlay;
            if (carry)
                carried_year = year;
            const Classification classification = stage(
                quiet, "classify",
                [&] { return classify_villages(analysis.inputs, overlay, config.classify); },
                [&](const Classification& c) {
                    return count(c.villages[0].size(), "villages") + label;
                });
            row = trend_row(year, stations, classification);
            units = trend_unit_rows(year, analysis.inputs, classification);
        }
        row.year = year;
        for (TrendUnitRow& u : units)
            u.year = year;
        const ClassCounts& c = row.counts[index_of(out.service_class)];
        ctx.log.say("trend: " + std::to_string(year) + ": " +
                    count(static_cast<std::size_t>(row.stations), "stations") + ", " +
                    text::thousands(c.white + c.partial) + " white + partial (" +
                    std::string(to_string(out.service_class)) + ")");
        out.rows.push_back(row);
        out.units.insert(out.units.end(), units.begin(), units.end());
        previous = row;
        previous_units = std::move(units);
    }
    ctx.log.advance("trend", 1.0);
    return out;
}

TrendResult run_trend_and_write(const Config& config, const TrendOptions& options,
                                const Context& run_ctx) {
    const RunRecord record(config, run_ctx); // provenance: start time, warnings counted
    const Context& ctx = record.context();
    validate_config(config);
    if (options.from && options.to && *options.from > *options.to)
        throw OptionError("trend.from", "trend: the first year " + std::to_string(*options.from) +
                                            " is after the last " + std::to_string(*options.to) +
                                            "; ask for years in order.");
    check_output(config.write); // a bad --out or --chart fails before any work
    std::vector<InputPath> read = pipeline::input_paths(config);
    for (const auto& [year, path] : options.stations_by_year)
        read.push_back({"--stations-year " + std::to_string(year), path});
    check_output_apart(config.write, read);
    TrendResult r;
    if (options.write_chart) {
        r.chart = trend_chart_path(options, config.write);
        check_chart_apart(r.chart, config.write);
        check_trend_chart(r.chart, config.write.overwrite);
    }
    Inputs inputs = load_inputs(config, ctx);
    // Before the long stages, so that it fails early.
    YearNetworks networks;
    if (options.stations_by_year.empty())
        require_on_air_years(inputs.prepared, config.stations.path);
    else
        networks =
            load_year_stations(config, options.stations_by_year, inputs.prepared.work_crs, ctx);
    r.analysis = analyze(std::move(inputs), config, ctx);
    r.trend = trend(r.analysis, options, config, ctx, networks);

    stage(
        ctx, "write",
        [&] {
            const Provenance provenance = record.finish(r.analysis.inputs.work_crs, false);
            // The chart goes with the output: written first under a temporary name, swapped in
            // right after it, so that a failure leaves the old output and the old chart.
            std::optional<atomic::Staged> chart;
            if (!r.chart.empty()) {
                check_trend_chart(r.chart, config.write.overwrite);
                const std::string svg = trend_chart_svg(r.trend);
                chart.emplace(r.chart, atomic::Kind::Svg, "", [&](const fs::path& temp) {
                    atomic::write_text(temp, svg, "write: chart", r.chart);
                });
            }
            write_outputs(OutputSet{&r.analysis, nullptr, nullptr, &r.trend, &provenance},
                          config.write, ctx.log);
            if (chart)
                chart->commit();
            return true;
        },
        [&](const bool&) {
            return output_path(config.write) + (r.chart.empty() ? "" : " and " + r.chart);
        });
    return r;
}

} // namespace whitezone
