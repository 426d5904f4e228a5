// `whitezone trend`: the analysis with today's network, then coverage, overlay and classify
// again for each year with the stations on air by its end. The inputs are read and prepared
// once; each year models only its own network.

#include "whitezone/classify.hpp"
#include "whitezone/coverage.hpp"
#include "whitezone/error.hpp"
#include "whitezone/pipeline.hpp"
#include "whitezone/report.hpp"
#include "whitezone/report/trend.hpp"

#include "common/text.hpp"
#include "pipeline/stage.hpp"

#include <algorithm>
#include <optional>
#include <utility>

namespace whitezone {

namespace {

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

// Throws InputError when no station has an on-air year: there is no trend to count.
void require_on_air(const Config& config, const PreparedInputs& inputs) {
    if (on_air_years(inputs.stations).dated > 0)
        return;
    throw InputError(
        "trend: no station in '" + config.stations.path +
        "' has an on-air year: the layer has no on-air field (on_air, on_air_date, start_date, "
        "…) or it is empty in every row. Add a field 'on_air' with the year or date each "
        "station went on air (2019, 2019-05-01, 01/05/2019), or name yours with "
        "\"stations.fields.on_air\" in the config.");
}

// The years counted: the flags, else the stations' first and last on-air years.
std::pair<int, int> year_range(const TrendOptions& options, const OnAirYears& years) {
    const int from = options.from.value_or(years.first);
    const int to = options.to.value_or(years.last);
    if (from > to)
        throw UsageError("trend: the first year " + std::to_string(from) +
                         (options.from ? " (--from)" : " (the first on-air year)") +
                         " is after the last " + std::to_string(to) +
                         (options.to ? " (--to)" : " (the last on-air year)") +
                         "; give --from and --to in order.");
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

TrendResult run_trend_and_write(const Config& config, const TrendOptions& options, const Log& log) {
    validate_config(config);
    if (options.from && options.to && *options.from > *options.to)
        throw UsageError("trend: --from " + std::to_string(*options.from) + " is after --to " +
                         std::to_string(*options.to) + "; give the years in order.");
    check_output(config.write); // a bad --out or --chart fails before any work
    TrendResult r;
    if (options.write_chart) {
        r.chart = trend_chart_path(options, config.write);
        check_trend_chart(r.chart, config.write.overwrite);
    }
    r.analysis = pipeline::run_analysis(
        config, log, [&](const PreparedInputs& in) { require_on_air(config, in); });

    const OnAirYears years = on_air_years(r.analysis.inputs.stations);
    const auto [from, to] = year_range(options, years);
    r.trend.service_class = config.rank.service_class;
    r.trend.undated = years.undated;
    if (years.undated > 0)
        log.warning("trend: " + text::thousands(years.undated) +
                    (years.undated == 1 ? " station has no on-air year and is"
                                        : " stations have no on-air year and are") +
                    " counted as on air in every year (give it in the on-air field).");

    // Each year's network replaces the analysis' stations for its run, so that the villages
    // are not copied; today's stations are put back before the write.
    PreparedInputs& inputs = r.analysis.inputs;
    std::vector<Station> all = std::move(inputs.stations);
    const pipeline::Surroundings surroundings = pipeline::surroundings_of(r.analysis);
    CoverageOptions coverage = config.coverage;
    coverage.threads = pipeline::worker_threads(config);
    const auto span = static_cast<double>(to - from + 1);
    std::optional<TrendRow> previous;
    // Terrain mode: the coverage raster of the network up to `carried_year`, so that each
    // year traces only the stations that came on air since (the networks only grow).
    std::optional<CoverageRaster> carried;
    std::optional<int> carried_year;
    for (int year = from; year <= to; ++year) {
        inputs.stations = on_air_by(all, year);
        const std::string label = " (" + std::to_string(year) + ")";
        TrendRow row;
        if (previous && static_cast<std::size_t>(previous->stations) == inputs.stations.size()) {
            row = *previous; // no station came on air: the same network as the year before
        } else if (inputs.stations.size() == all.size()) {
            row = trend_row(year, inputs.stations, r.analysis.classification);
        } else {
            // One progress bar over all years; warnings were given by the analysis already.
            Log quiet = log;
            quiet.warn = nullptr;
            if (log.progress)
                quiet.progress = [&log, k = year - from, span](std::string_view, double f) {
                    log.advance("trend", std::min(1.0, (k + std::min(f, 1.0)) / span));
                };
            Footprints footprints = stage(
                quiet, "coverage", [&] { return model_coverage(inputs.stations, coverage); },
                [&](const Footprints& f) { return count(f.items.size(), "footprints") + label; });
            if (surroundings.dem && carried_year)
                std::erase_if(footprints.items, [&](const Footprint& f) {
                    const auto& on_air = inputs.stations[f.station].on_air_year;
                    return !on_air || *on_air <= *carried_year; // already in `carried`
                });
            const Overlay overlay =
                pipeline::model_network(config, inputs, std::move(footprints), surroundings,
                                        /*polygons=*/false, quiet, label, &carried)
                    .overlay;
            if (surroundings.dem)
                carried_year = year;
            const Classification classification = stage(
                quiet, "classify",
                [&] { return classify_villages(inputs, overlay, config.classify); },
                [&](const Classification& c) {
                    return count(c.villages[0].size(), "villages") + label;
                });
            row = trend_row(year, inputs.stations, classification);
        }
        row.year = year;
        const ClassCounts& c = row.counts[index_of(r.trend.service_class)];
        log.say("trend: " + std::to_string(year) + ": " +
                count(static_cast<std::size_t>(row.stations), "stations") + ", " +
                text::thousands(c.white + c.partial) + " white + partial (" +
                std::string(to_string(r.trend.service_class)) + ")");
        r.trend.rows.push_back(row);
        previous = row;
    }
    inputs.stations = std::move(all);
    log.advance("trend", 1.0);

    stage(
        log, "write",
        [&] {
            write_outputs(r.analysis, config.write, nullptr, nullptr, &r.trend);
            if (!r.chart.empty())
                write_trend_chart(r.trend, r.chart, config.write.overwrite);
            return true;
        },
        [&](const bool&) {
            return output_path(config.write) + (r.chart.empty() ? "" : " and " + r.chart);
        });
    return r;
}

} // namespace whitezone
