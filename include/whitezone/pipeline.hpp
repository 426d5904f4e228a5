#pragma once
/// \file pipeline.hpp
/// The stages in order: read → prepare → model coverage → overlay → classify → rank →
/// report. The only code that calls every stage.

#include "whitezone/config.hpp"
#include "whitezone/plan.hpp"
#include "whitezone/report.hpp"
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
/// the planned stations added to the existing ones and writes the comparison (`whatif`).
PlanResult run_plan_and_write(const Config& config, const Log& log);

} // namespace whitezone
