#pragma once
/// \file pipeline.hpp
/// The stages in order: read → prepare → model coverage → overlay → classify → rank →
/// report. The only code that calls every stage.

#include "whitezone/config.hpp"
#include "whitezone/plan.hpp"
#include "whitezone/report.hpp"
#include "whitezone/report/trend.hpp"
#include "whitezone/types.hpp"

#include <optional>

namespace whitezone {

/// Runs the analysis without writing anything. Each stage logs one line with its count and
/// time through `log.info`; errors are tagged with the stage name.
AnalysisResult run_analysis(const Config& config, const Log& log);

/// Runs the analysis and writes the outputs atomically.
AnalysisResult run_and_write(const Config& config, const Log& log);

/// An analysis and the new sites planned on it.
struct PlanResult {
    AnalysisResult analysis;
    Plan plan;
    /// With config.planned: today's statuses against those with the planned stations on air.
    std::optional<WhatIf> whatif;
};

/// `whitezone plan`: runs the analysis, reads config.candidates (when set) into the work CRS,
/// chooses new sites (plan_sites(), gaps of config.rank.service_class), links them to the
/// network (plan_backhaul()) and writes the analysis' layers plus `proposed_sites` and
/// `backhaul_links` atomically. With config.planned it also classifies the villages again with
/// the planned stations added to the existing ones and writes the comparison (`whatif`); the
/// new sites are then chosen on the gaps of that classification, and their backhaul may link
/// to planned stations as well as existing ones. The other layers stay today's.
PlanResult run_plan_and_write(const Config& config, const Log& log);

/// An analysis and the trend of its villages per year.
struct TrendResult {
    AnalysisResult analysis; ///< with every station on air (today's network)
    Trend trend;
    std::string chart; ///< the chart written, "" without one
};

/// `whitezone trend` (docs/trend.md): runs the analysis with every station, then for each year
/// from options.from to options.to models coverage, overlays and classifies the villages again
/// with the stations on air by the end of that year (an on-air year at most that year, or
/// none); prepares the inputs once. Writes the analysis' layers plus the `trend` table
/// atomically, then the chart. Throws InputError when no station has an on-air year, and
/// UsageError for years out of order or a chart path that is not .svg.
TrendResult run_trend_and_write(const Config& config, const TrendOptions& options, const Log& log);

} // namespace whitezone
