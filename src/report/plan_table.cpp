// The console table printed after `whitezone plan`: what a planner reads first.

#include "whitezone/report.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace whitezone {

namespace {

using text::pad_left;
using text::pad_right;

std::string metres(double m) { return text::thousands(static_cast<long long>(std::lround(m))); }

std::string stop_reason(PlanStop stop) {
    switch (stop) {
    case PlanStop::Budget:
        return "the budget is spent";
    case PlanStop::NoGain:
        return "no candidate covers another gap village";
    case PlanStop::TargetRate:
        return "the target rate is reached";
    }
    return "?";
}

} // namespace

std::string format_plan(const Plan& plan) {
    std::ostringstream out;
    out << "plan: " << plan.sites.size() << " new site" << (plan.sites.size() == 1 ? "" : "s")
        << " from " << text::thousands(static_cast<long long>(plan.candidates))
        << " candidates (radius " << metres(plan.radius_m)
        << " m); stopped: " << stop_reason(plan.stop) << "\n";
    std::size_t id_w = 10;
    for (const auto& s : plan.sites)
        id_w = std::max(id_w, text::width(s.village_id) + 2);
    out << pad_left("pick", 5) << "  " << pad_right("source", 13) << pad_right("village", id_w)
        << pad_left("new vill.", 10) << pad_left("new people", 12) << pad_left("cum. people", 13)
        << pad_left("reached", 9) << pad_left("link to", 9) << pad_left("hop m", 9) << "\n";
    for (const auto& s : plan.sites) {
        out << pad_left(std::to_string(s.pick), 5) << "  "
            << pad_right(std::string(to_string(s.source)), 13)
            << pad_right(s.village_id.empty() ? "-" : s.village_id, id_w)
            << pad_left(std::to_string(s.new_villages), 10)
            << pad_left(text::fixed(s.new_people, 1), 12)
            << pad_left(text::fixed(s.cumulative_people, 1), 13)
            << pad_left(text::percent(s.reached_rate), 9)
            << pad_left(!s.connected         ? std::string("none")
                        : s.parent_pick == 0 ? std::string("network")
                                             : "#" + std::to_string(s.parent_pick),
                        9)
            << pad_left(s.connected ? metres(s.hop_m) : std::string("-"), 9) << "\n";
    }
    // The headline is the covered share as analyze classifies the villages with the new
    // sites; the share the greedy choice counts (covered, or centre reached) follows it.
    out << "covered share of villages";
    if (plan.planned_stations > 0)
        out << " with the " << text::thousands(static_cast<long long>(plan.planned_stations))
            << " planned station" << (plan.planned_stations == 1 ? "" : "s");
    out << ": " << text::percent(plan.start_rate) << " -> "
        << (plan.end_rate ? text::percent(*plan.end_rate) + ", analyzed with the new sites on air"
                          : std::string("? (not analyzed with the new sites)"))
        << "\n";
    if (!plan.sites.empty()) {
        long reached = 0;
        for (const auto& s : plan.sites)
            reached += s.new_villages;
        out << "reached: the new sites reach the centres of " << reached << " gap village"
            << (reached == 1 ? "" : "s")
            << "; covered or reached: " << text::percent(plan.start_rate) << " -> "
            << text::percent(plan.sites.back().reached_rate) << "\n";
    }
    out << "backhaul: " << plan.connected << " connected, " << plan.unconnectable
        << " unconnectable\n";
    if (!plan.unlinkable.empty()) {
        out << "not chosen, no backhaul within " << metres(plan.max_hop_m) << " m (layer "
            << "unlinkable_candidates): " << plan.unlinkable.size() << " candidate"
            << (plan.unlinkable.size() == 1 ? "" : "s") << "\n";
    }
    return out.str();
}

} // namespace whitezone
