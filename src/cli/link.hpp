#pragma once
// `whitezone link`: the loss and received power between two points over a DEM, or for a
// table of links (--batch). Parsing is separate from running, so bad flags fail at once.

#include <CLI/CLI.hpp>

#include <optional>
#include <ostream>
#include <string>

namespace whitezone::cli {

/// The flags of `whitezone link`, as parsed (unset: the config's "link" value, else ITM's
/// documented default).
struct LinkFlags {
    std::string from, to, dem, batch, out, config, profile_out;
    bool overwrite = false;
    std::optional<double> step_m, tx_height, rx_height, freq_mhz, eirp_dbm, rx_gain_dbi;
    std::optional<double> n0, epsilon, sigma, time, location, situation;
    std::optional<int> climate, mdvar;
    std::string pol;
};

/// Declares the flags of `link` on its subcommand `app`, bound to `flags`.
void add_link_flags(CLI::App& app, LinkFlags& flags);

/// Runs `whitezone link` with parsed `flags`: the report of one link, or the batch table, on
/// `out` (or in --out). Throws UsageError or InputError for bad flags or data (exit code 2 at
/// the caller) and other errors for anything else.
int run_link(const LinkFlags& flags, std::ostream& out, std::ostream& err);

} // namespace whitezone::cli
