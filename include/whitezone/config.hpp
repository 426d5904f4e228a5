#pragma once
/// \file config.hpp
/// The whole configuration of an analysis: inputs, every stage's options and the output.
/// One JSON file sets any of them; docs/config.md lists every key and its default.

#include "whitezone/classify.hpp"
#include "whitezone/coverage.hpp"
#include "whitezone/overlay.hpp"
#include "whitezone/plan.hpp"
#include "whitezone/prepare.hpp"
#include "whitezone/rank.hpp"
#include "whitezone/read.hpp"
#include "whitezone/report.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace whitezone {

/// Inputs, options and output of one run.
struct Config {
    LayerSource stations, villages;
    std::optional<LayerSource> settlements, centres;
    PrepareOptions prepare;
    CoverageOptions coverage;
    OverlayOptions overlay;
    ClassifyOptions classify;
    RankOptions rank;
    /// `whitezone plan` only: new sites and backhaul (config "plan", flags --budget, …).
    PlanOptions plan;
    /// `whitezone plan` only: extra candidate sites (--candidates, config "candidates"),
    /// besides gap villages.
    std::optional<LayerSource> candidates;
    /// `whitezone plan` only: stations planned but not on air (--planned, config "planned"),
    /// with the fields of `stations`: the what-if of the `whatif` table, and the network the
    /// new sites are planned on.
    std::optional<LayerSource> planned;
    /// Field roles of `planned` ("planned.fields"); a role left out takes the mapping of
    /// prepare.station_fields, then the built-in aliases.
    std::map<std::string, std::string> planned_fields;
    /// The terrain mode's DEM (--dem, config "dem"): any raster GDAL opens; empty: no terrain.
    std::string dem;
    /// A population grid, people per cell (--population, config "population"); empty: none.
    std::string population;
    WriteOptions write;
    /// Worker threads for every stage that has them (the stages' own `threads` options are
    /// set from it); 0 means all cores. Results do not depend on it.
    int threads = 1;
};

/// Applies a JSON config document over `config`: keys present replace defaults, keys absent
/// keep them. `origin` names the document in messages. Throws UsageError for malformed JSON,
/// an unknown key (with the valid ones), or a value of the wrong type or range.
void apply_config_json(Config& config, std::string_view json_text, std::string_view origin);

/// Reads a JSON config file and applies it. Throws UsageError when it cannot be read.
void apply_config_file(Config& config, const std::string& path);

/// Checks values that no single key can check (e.g. white_below <= covered_from).
void validate_config(const Config& config);

/// validate_config(), plus what only `whitezone plan` reads: a path for `planned` and
/// `candidates` when they are set (`analyze` ignores both).
void validate_plan_config(const Config& config);

} // namespace whitezone
