#pragma once
/// \file stability.hpp
/// How firm each village's status is (issue #10, docs/method.md §Stability): the analysis is
/// run again many times with its inputs varied within their uncertainty — station positions
/// jittered, footprint radii varied, the status thresholds varied — and each village's status
/// is compared with today's. A white village that stays white in every run is surely white;
/// one that flips in a third of the runs is borderline and worth a field check before a crew
/// is sent.

#include "whitezone/names.hpp"
#include "whitezone/options.hpp"
#include "whitezone/types.hpp"

#include <cstdint>
#include <vector>

namespace whitezone {

/// Options of the stability assessment (config object "stability").
struct StabilityOptions {
    /// Run it (`--stability`). Off by default: it costs `runs` extra coverage + overlay +
    /// classify passes (the inputs are prepared once).
    bool enabled = false;
    /// Number of varied runs.
    int runs = 32;
    /// Standard deviation of each site's position error, metres, in x and y. OpenCelliD
    /// positions are averages of where phones saw a cell: off by hundreds of metres.
    double position_sigma_m = 200.0;
    /// Each site's footprint radius is multiplied by a factor drawn uniformly from
    /// [1 − radius_spread, 1 + radius_spread]: radii are defaults, not measurements.
    double radius_spread = 0.20;
    /// `white_below` and `covered_from` are shifted by an amount drawn uniformly from
    /// [−threshold_spread, +threshold_spread] in each run (one draw per run).
    double threshold_spread = 0.05;
    /// Seed of the draws: the same seed gives the same result, whatever the thread count.
    int seed = 1;
    /// A white village is "firm" when its stability is at least this, else "borderline".
    double firm_from = 0.9;
};

/// The keys of the "stability" object.
inline void declare_options(OptionSet& o, StabilityOptions& s) {
    o.boolean("enabled", s.enabled,
              "Compute how firm each village's status is ([method.md](method.md#stability)). "
              "`--stability` sets it.");
    o.whole_number("runs", s.runs, {1, 10000}, "Number of varied runs.");
    o.number("position_sigma_m", s.position_sigma_m, {0.0, 1e5},
             "Standard deviation of a site's position error in x and in y, metres.");
    o.number("radius_spread", s.radius_spread, {0.0, 0.95},
             "A site's radius is multiplied by a factor drawn from [1 − spread, 1 + spread].");
    o.number("threshold_spread", s.threshold_spread, {0.0, 1.0},
             "`white_below` and `covered_from` are shifted by up to ± this in each run.");
    o.whole_number("seed", s.seed, {0, 2147483647}, "Seed of the random draws.");
    o.number("firm_from", s.firm_from, {0.0, 1.0},
             "A white village with at least this stability counts as firm, else borderline.");
}

/// The stability of every village, per class, in village order.
struct Stability {
    int runs = 0;
    /// Share of the runs (0-1) in which the village had today's status.
    PerClass<std::vector<double>> share_same;
    /// The status the village had most often over the runs (ties: today's status, then the
    /// worse one).
    PerClass<std::vector<Status>> likely;
};

} // namespace whitezone
