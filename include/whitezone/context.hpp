#pragma once
/// \file context.hpp
/// The execution context of a run: worker threads, logging, progress and cancellation,
/// passed together to the pipeline's stages (one value instead of a `threads` field copied
/// into every stage's options). A front end makes one per run: the CLI from its flags, a
/// QGIS provider with its feedback object's Cancel button, a Dask task with its timeout.

#include "whitezone/error.hpp"
#include "whitezone/provenance.hpp"
#include "whitezone/types.hpp"

#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>

namespace whitezone {

/// Thrown when a run is cancelled through Context::stop. Nothing is written: the pipeline
/// checks before each stage and before the write, and an atomic write that was already
/// under way removes its temporary output. Not a failure of the data or of a library; the
/// CLI maps it to exit code 130 (as for Ctrl-C).
class Cancelled : public Error {
  public:
    using Error::Error;
};

/// A bad value of one option of a library call. The message describes the problem in the
/// library's words; `option()` names the option as the options struct or config spells it
/// (e.g. "trend.from"), so that a front end can add its own way to set it (the CLI its flag).
class OptionError : public UsageError {
  public:
    OptionError(std::string option, const std::string& message)
        : UsageError(message), m_option(std::move(option)) {}
    /// The option at fault, e.g. "trend.from".
    [[nodiscard]] const std::string& option() const { return m_option; }

  private:
    std::string m_option;
};

/// Threads, log, progress and cancellation of one run.
struct Context {
    /// Worker threads for every stage that has them; 0 means all cores. Results do not
    /// depend on it.
    int threads = 1;
    /// Progress lines (`log.info`), data warnings (`log.warn`) and the fraction done of the
    /// current long step (`log.progress`); any may be empty.
    Log log;
    /// Cancellation: when its stop_source requests a stop (from any thread), the run throws
    /// Cancelled at the next check. A default token never stops.
    std::stop_token stop;
    /// The command line as run, for the provenance record of the outputs (passwords are
    /// removed when it is recorded); "" for a library call.
    std::string command;

    /// `threads`, with 0 resolved to the number of cores (at least 1).
    [[nodiscard]] int worker_threads() const;
    /// Whether a stop was requested.
    [[nodiscard]] bool cancelled() const { return stop.stop_requested(); }
    /// Throws Cancelled ("<where>: cancelled") when a stop was requested.
    void check_cancelled(std::string_view where) const;
};

/// The warnings of one run, counted by message, for the provenance record. Warnings may come
/// from worker threads: add() and counts() lock.
class WarningTally {
  public:
    /// Counts one warning (its text with passwords removed).
    void add(std::string_view message);
    /// Each message once with how often it was issued, in the order first issued.
    [[nodiscard]] std::vector<WarningCount> counts() const;

  private:
    mutable std::mutex m_mutex;
    std::vector<WarningCount> m_counts;
};

/// A copy of `ctx` whose `log.warn` first counts each warning in `tally`, then passes it on
/// to ctx's own `log.warn` (when it has one). The one place where warnings are counted.
Context counting_warnings(const Context& ctx, std::shared_ptr<WarningTally> tally);

} // namespace whitezone
