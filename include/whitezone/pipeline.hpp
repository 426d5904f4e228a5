#pragma once
/// \file pipeline.hpp
/// The stages in order: read → prepare → model coverage → overlay → classify → rank →
/// report, as separate calls: load_inputs() reads and prepares (files → memory), analyze(),
/// plan() and trend() compute (memory → memory, no file read or written), and the
/// `run_*_and_write` functions of the commands compose them with write_outputs(). The only
/// code that calls every stage. docs/architecture.md draws it.

#include "whitezone/config.hpp"
#include "whitezone/context.hpp"
#include "whitezone/plan.hpp"
#include "whitezone/provenance.hpp"
#include "whitezone/raster.hpp"
#include "whitezone/read/raster.hpp"
#include "whitezone/report.hpp"
#include "whitezone/report/trend.hpp"
#include "whitezone/types.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone {

/// Everything an analysis reads, in memory and in one metric work CRS. load_inputs() fills
/// it from the files a Config names; a front end may build it itself instead (e.g.
/// `prepare_inputs()` on RawInputs made in memory, with PrepareOptions::work_crs fixed when
/// several runs must share one CRS).
struct Inputs {
    /// Stations, villages, settlements and their fields in the work CRS.
    PreparedInputs prepared;
    /// The terrain mode's DEM on the work grid, over the villages and the reach of the
    /// widest footprint around them; unset: no terrain mode.
    std::optional<Raster<float>> dem;
    /// The population grid's cells over the villages (people per cell); empty: shares are
    /// shares of area.
    std::vector<PopulationCell> population;
    /// Per station of `prepared.stations`, 1 when it is only there for its signal near the
    /// edge of an extent (restrict_inputs()): it is modelled, but its site is counted in
    /// another part's summary. Empty: every station counts.
    std::vector<char> halo;
};

/// The provenance of one run as it goes (provenance.hpp, docs/output.md#provenance): made at
/// the start of a command, it notes the start time and hands out a context that counts every
/// warning; finish() adds the model, the work CRS, the inputs (described and hashed then) and
/// the duration. `config` must outlive it.
class RunRecord {
  public:
    RunRecord(const Config& config, const Context& ctx);
    /// The context to run with: the caller's, with its warnings counted.
    [[nodiscard]] const Context& context() const { return m_ctx; }
    /// The record so far. `plan_inputs`: also the plan's candidates and planned stations.
    /// Throws InputError when an input can no longer be read to hash it.
    [[nodiscard]] Provenance finish(const std::string& work_crs, bool plan_inputs) const;
    /// `p`, a record finish() made earlier in the run, brought up to now: the warnings
    /// counted and the time taken.
    void refresh(Provenance& p) const;

  private:
    const Config& m_config;
    std::shared_ptr<WarningTally> m_tally;
    Context m_ctx;
    std::string m_started_utc;
    std::chrono::steady_clock::time_point m_start;
};

/// Reads config's stations, villages, settlements and centres (read), prepares them into the
/// work CRS (prepare), then reads the DEM (over the villages and the reach of the widest
/// footprint) and the population grid when the config names them. Each step logs one line
/// through ctx.log and checks ctx.stop. The config must have passed validate_config().
/// Throws InputError, UsageError or ExternalError tagged with the stage, Cancelled.
Inputs load_inputs(const Config& config, const Context& ctx);

/// How far beyond a village a station may still change its result: the widest footprint of
/// `stations` under config.coverage, plus overlay.village_radius_m (metres). Throws what
/// model_coverage() throws.
double reach_m(const std::vector<Station>& stations, const Config& config, const Context& ctx);

/// The part of `inputs` that one tile or province needs, for a run whose villages' fields
/// equal those of the whole run (overlay, status, people without signal; the rank stage's
/// order and clusters are global, see docs/architecture.md): the villages whose centre lies
/// in `extent` (x in [minx, maxx), y in [miny, maxy), work CRS), their settlements, and the
/// stations within `reach` metres (reach_m() of all stations) of those villages' own extent.
/// Stations of sites whose first cell lies outside `extent` are marked in Inputs::halo.
/// The work CRS, DEM and population grid are kept, so every tile of one load shares them.
Inputs restrict_inputs(const Inputs& inputs, const Extent& extent, double reach);

/// restrict_inputs() for a part that is not a box (a province, a district; the Dask driver,
/// docs/scale-out.md): the villages `v` with `villages[v]` set, their settlements, and the
/// stations within `reach` metres of those villages' extent. A site counts in this part's
/// summary (Inputs::halo 0) when `own_stations` is set for its first station; give every
/// site to exactly one part so that the parts' summaries add up. `station_index`, when
/// given, receives the index into inputs.prepared.stations of each station kept, in order.
/// `first_of_site`, when given (first_station_of_sites() of the same inputs), spares a
/// caller that cuts one load into many parts from finding every site's first station again.
Inputs restrict_inputs(const Inputs& inputs, const std::vector<char>& villages,
                       const std::vector<char>& own_stations, double reach,
                       std::vector<std::size_t>* station_index = nullptr,
                       const std::vector<std::size_t>* first_of_site = nullptr);

/// For each station, the index of the first station (in input order) of its site, a site
/// being an operator's site id.
std::vector<std::size_t> first_station_of_sites(const PreparedInputs& inputs);

/// Runs coverage → overlay → classify → rank → summary on `inputs` (moved into the result:
/// pass std::move() to avoid copying the villages). Reads and writes no file. `config`
/// gives the stages' options (its paths are not used) and must have passed
/// validate_config(); ctx gives threads, log and cancellation. Throws the stages' errors
/// tagged with the stage, Cancelled. `coverage_polygons` false leaves
/// AnalysisResult::coverage empty (the `coverage` layer's polygons, the dissolve): for a
/// caller that makes them itself, as the Dask driver does from all parts' footprints.
AnalysisResult analyze(Inputs inputs, const Config& config, const Context& ctx,
                       bool coverage_polygons = true);

/// load_inputs() then analyze(), validating the config once; writes nothing.
AnalysisResult run_analysis(const Config& config, const Context& ctx);

/// `whitezone analyze`: validates the config, checks the output, loads, analyzes and writes
/// the outputs atomically (write_outputs()). Cancelled before the write: nothing is written.
AnalysisResult run_and_write(const Config& config, const Context& ctx);

/// The villages of an analysis under another network.
struct NetworkRun {
    Footprints footprints; ///< of the network's stations, indexed like them
    Overlay overlay;
    Classification classification;
};

/// The villages of `analysis` with the network `stations` instead of its own: coverage,
/// overlay (with the analysis' DEM and population grid) and classify, as analyze() runs them.
/// The analysis is read, not changed. The what-if of plan() is one; a comparison of two
/// networks is another. `label` ends each log line (" with planned"). Reads and writes no
/// file. Throws the stages' errors, Cancelled.
NetworkRun classify_network(const AnalysisResult& analysis, const std::vector<Station>& stations,
                            const Config& config, const Context& ctx, std::string_view label = "");

/// How firm each village's status in `analysis` is (docs/method.md#stability):
/// config.stability.runs classifications of the villages with the analysis' network varied —
/// each site moved by a normal error of position_sigma_m in x and y and its radius scaled by a
/// factor in [1 − radius_spread, 1 + radius_spread], the thresholds shifted by up to
/// ± threshold_spread — counted against today's statuses. The draws come from
/// config.stability.seed, the run and the site, so the result is the same for any thread
/// count. Reads and writes no file; the analysis is not changed. Throws UsageError for
/// runs < 1, Cancelled.
Stability assess_stability(const AnalysisResult& analysis, const Config& config,
                           const Context& ctx);

/// The summaries of two parts (tiles, provinces) of one run as one: counts of the same unit
/// added (units are keyed by level, province, district and commune), rows and sites in
/// summarize()'s order. Merging the summaries of restrict_inputs() tiles that partition the
/// villages gives the whole run's summary.
Summary merge_summaries(const Summary& a, const Summary& b);

/// What the plan reads besides the analysis' inputs.
struct PlanInputs {
    /// Stations planned but not on air (config.planned), prepared like the stations into the
    /// work CRS; unset: no what-if.
    std::optional<std::vector<Station>> planned;
    /// Extra candidate sites (config.candidates) in the work CRS.
    std::vector<PreparedPoint> candidates;
    /// The candidates layer's own fields, and per candidate its values (in that order): the
    /// proposed sites from a candidate carry them.
    std::vector<FieldDef> candidate_fields;
    std::vector<std::vector<Value>> candidate_values;
};

/// Reads and prepares config.planned and config.candidates into `work_crs` (the analysis').
PlanInputs load_plan_inputs(const Config& config, const std::string& work_crs, const Context& ctx);

/// An analysis and the new sites planned on it.
struct PlanResult {
    AnalysisResult analysis;
    Plan plan;
    /// With planned stations: today's statuses against those with them on air.
    std::optional<WhatIf> whatif;
};

/// The plan on an analysis, in memory: with planned stations, first classifies the villages
/// again with a new network of the existing and the planned stations (the analysis is not
/// changed) and compares (the what-if); then chooses new sites (plan_sites(), on the gaps of
/// rank.class, of the what-if when there is one) among the gap villages, the DEM's high
/// points and `extra.candidates`, and links them to the network (plan_backhaul()). Reads and
/// writes no file. Throws the stages' errors, Cancelled.
PlanResult plan(AnalysisResult analysis, const PlanInputs& extra, const Config& config,
                const Context& ctx);

/// `whitezone plan`: validate_plan_config(), the output checked, load_inputs(), analyze(),
/// load_plan_inputs(), plan(), then the analysis' layers plus `proposed_sites`,
/// `backhaul_links` (and `whatif`) written atomically.
PlanResult run_plan_and_write(const Config& config, const Context& ctx);

/// Throws InputError when no station of `inputs` has an on-air year (there is no trend to
/// count); `source` names the stations in the message.
void require_on_air_years(const PreparedInputs& inputs, const std::string& source);

/// Reads and prepares one station list per year (TrendOptions::stations_by_year) into
/// `work_crs` (the analysis'), each as --stations is read: its fields, CRS, CSV columns and
/// field mapping ("stations.fields"). Throws what load_plan_inputs() throws for --planned.
YearNetworks load_year_stations(const Config& config, const std::map<int, std::string>& paths,
                                const std::string& work_crs, const Context& ctx);

/// The trend of an analysis' villages, in memory: for each year from options.from to
/// options.to (default: the stations' first and last on-air years), coverage, overlay and
/// classify again with a new network of the stations on air by the end of that year (an
/// on-air year at most that year, or none). With `networks` (one station list per year), the
/// years are those of the lists (within options.from and options.to when given) and each
/// year's network is its list as it is, so sites that close count. Also counts each year per
/// unit (Trend::units). The analysis is not changed. Throws InputError when no station has an
/// on-air year (without `networks`), UsageError for years out of order or no list within
/// them, Cancelled.
Trend trend(const AnalysisResult& analysis, const TrendOptions& options, const Config& config,
            const Context& ctx, const YearNetworks& networks = {});

/// An analysis and the trend of its villages per year.
struct TrendResult {
    AnalysisResult analysis; ///< with every station on air (today's network)
    Trend trend;
    std::string chart; ///< the chart written, "" without one
};

/// `whitezone trend` (docs/trend.md): the config validated, output and chart checked,
/// load_inputs(), the on-air years checked, analyze(), trend(), then the analysis' layers
/// plus the `trend` table written atomically, then the chart.
TrendResult run_trend_and_write(const Config& config, const TrendOptions& options,
                                const Context& ctx);

} // namespace whitezone
