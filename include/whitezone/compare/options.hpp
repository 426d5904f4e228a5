#pragma once
/// \file compare/options.hpp
/// Options of `whitezone compare` and `analyze --baseline` (flag --match-tolerance and the
/// config object "compare"); the config keys are declared once in declare_options() below.

#include "whitezone/options.hpp"

#include <map>
#include <string>

namespace whitezone {

/// How villages are matched and read.
struct CompareOptions {
    /// Villages whose ids are missing or changed are matched by place: a centre inside the
    /// other's polygon, else the nearest centre at most this far (metres;
    /// "compare.match_tolerance_m", --match-tolerance overrides it).
    double match_tolerance_m = 300.0;
    /// The villages' field names by role ("id", "name", "province", "district", "commune"),
    /// as the config's "villages.fields" maps them; unmapped roles use the built-in aliases
    /// (docs/input.md). Not a key of "compare".
    std::map<std::string, std::string> village_fields;
};

/// The keys of the "compare" object.
inline void declare_options(OptionSet& o, CompareOptions& compare) {
    o.number("match_tolerance_m", compare.match_tolerance_m, {0.0, 1e6},
             "Villages without a matching id are matched by place: a centre inside the other's "
             "polygon, else the nearest centre within this many metres "
             "([compare.md](compare.md#matching)). `--match-tolerance` overrides it.");
}

} // namespace whitezone
