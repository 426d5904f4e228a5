#pragma once
// What the analysis commands (analyze, plan, trend) share: the flags of the inputs, options
// and output, the config built from them, and the execution context of a run.

#include "whitezone/config.hpp"
#include "whitezone/context.hpp"
#include "whitezone/write.hpp"

#include "cli/command.hpp"

#include <optional>
#include <string>

namespace whitezone::cli {

/// The analysis' flags as parsed, before they are laid over the config file.
struct AnalysisFlags {
    std::string stations, villages, settlements, centres, config;
    std::string stations_layer, villages_layer, settlements_layer, centres_layer;
    std::string units, units_layer;
    std::string out, format, work_crs, status_rule, dem, population;
    bool overwrite = false, verbose = false, stability = false;
    std::optional<int> threads; ///< unset: the config's, else all cores
};

/// "villages, coverage, …": the layers an output holds (write.hpp's definitions).
std::string layer_list(const LayerSelection& selection);

/// Declares the analysis' flags on a command.
void add_analysis_flags(CLI::App& cmd, AnalysisFlags& f);

/// Builds the config: defaults, then the JSON file, then flags (flags win). Not validated:
/// the library's run_*_and_write() validate it once, before any work. Throws UsageError for
/// a flag value that cannot be used.
Config config_from_flags(const AnalysisFlags& f);

/// The context of a run: the config's threads, the log on `io.err` (stage lines with
/// --verbose, warnings always, a progress bar on a terminal).
Context make_context(const Io& io, const Config& config, bool verbose);

/// A number flag given as text, so that the message can quote what the user typed. Throws
/// UsageError outside [lo, hi].
double number_flag(const std::string& flag, const std::string& value, double lo, double hi,
                   const std::string& expected);

/// How to set an option the library names in an OptionError ("trend.from"), as a sentence
/// naming the flags ("Set them with --from and --to."); "" when the CLI has no flag for it.
std::string flag_hint(const std::string& option);

} // namespace whitezone::cli
