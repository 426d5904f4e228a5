#pragma once
/// \file config.hpp
/// The whole configuration of an analysis: inputs, every stage's options and the output.
/// One JSON file sets any of them; docs/config.md lists every key and its default.

#include "whitezone/classify/options.hpp"
#include "whitezone/compare/options.hpp"
#include "whitezone/coverage/options.hpp"
#include "whitezone/link/options.hpp"
#include "whitezone/options.hpp"
#include "whitezone/overlay/options.hpp"
#include "whitezone/plan/options.hpp"
#include "whitezone/prepare/options.hpp"
#include "whitezone/rank/options.hpp"
#include "whitezone/read.hpp"
#include "whitezone/report/options.hpp"
#include "whitezone/stability.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone {

/// Inputs, options and output of one run.
struct Config {
    LayerSource stations, villages;
    std::optional<LayerSource> settlements, centres;
    /// Administrative units (polygons, e.g. the 2025 communes; --units, config "units") to
    /// which villages are assigned by their centre; the summary also counts per unit.
    std::optional<LayerSource> units;
    /// The units the console table lists under each province (--level, config "level"):
    /// "auto" (the units of --units, else districts, else communes), "province", "district",
    /// "commune" or "unit".
    std::string level = "auto";
    PrepareOptions prepare;
    CoverageOptions coverage;
    OverlayOptions overlay;
    ClassifyOptions classify;
    RankOptions rank;
    /// `whitezone plan` only: new sites and backhaul (config "plan", flags --budget, …).
    PlanOptions plan;
    /// `whitezone compare` and `analyze --baseline`: how villages are matched (config
    /// "compare", flag --match-tolerance); village_fields is filled from "villages.fields".
    CompareOptions compare;
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
    /// Measured signal levels to check the ITM model against (--measurements, config
    /// "measurements"; calibrate.hpp); empty: none.
    std::string measurements;
    /// Fit a per-technology offset to the measurements and apply it (config "calibrate").
    bool calibrate = false;
    WriteOptions write;
    /// How firm each status is (config "stability", --stability): `whitezone analyze` only.
    StabilityOptions stability;
    /// `whitezone link` only: the ITM parameters and power budget of a link (config "link").
    LinkSettings link;
    /// Worker threads for every stage that has them (the stages' own `threads` options are
    /// set from it); 0 means all cores. Results do not depend on it.
    int threads = 1;
};

/// Declares every config key, bound to the fields of `config`: each stage's own keys (its
/// declare_options()), the layers, the rasters and `threads`. The JSON reader, its messages
/// and the tables of docs/config.md are made from this.
void declare_options(OptionSet& top, Config& config);

/// The generated part of docs/config.md named `table`: "top-level", "layer", or an object's
/// section ("hata", "terrain", "itm", "rank", "plan", "link", "output"), as a Markdown table of its
/// keys with their defaults. Throws std::out_of_range for another name.
std::string config_doc_table(std::string_view table);

/// The names config_doc_table() accepts, in the order docs/config.md shows them.
std::vector<std::string> config_doc_tables();

/// `markdown` (docs/config.md) with each generated table replaced by config_doc_table(): the
/// lines between `<!-- generated: config-table NAME -->` and `<!-- end generated -->`.
/// Throws std::invalid_argument for a block that is not closed or names no table.
std::string regenerate_config_doc(std::string_view markdown);

/// Applies a JSON config document over `config`: keys present replace defaults, keys absent
/// keep them. Keys are applied in declaration order. `origin` names the document in messages.
/// Throws UsageError for malformed JSON, an unknown key (with the valid ones and the closest),
/// or a value of the wrong type or range, naming the key as spelled in the JSON.
void apply_config_json(Config& config, std::string_view json_text, std::string_view origin);

/// The complete config as one JSON object with the keys of docs/config.md, every default
/// resolved (an absent optional layer or number is null); passwords in paths and connection
/// strings are replaced by "***". Made from the same declarations as the reader and
/// docs/config.md's tables, so the keys are the same. The provenance record's `config`.
std::string config_to_json(const Config& config);

/// Reads a JSON config file and applies it. Throws UsageError when it cannot be read.
void apply_config_file(Config& config, const std::string& path);

/// Checks values that no single key can check (e.g. white_below <= covered_from).
void validate_config(const Config& config);

/// validate_config(), plus what only `whitezone plan` reads: a path for `planned` and
/// `candidates` when they are set (`analyze` ignores both).
void validate_plan_config(const Config& config);

} // namespace whitezone
