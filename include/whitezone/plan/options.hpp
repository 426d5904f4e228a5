#pragma once
/// \file plan/options.hpp
/// Options of the plan stage (flags of `whitezone plan` and the config object "plan"); the
/// config keys are declared once in declare_options() below.

#include "whitezone/names.hpp"
#include "whitezone/options.hpp"
#include "whitezone/types.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace whitezone {

/// What a new site's gain counts (flag --by).
enum class PlanObjective : std::uint8_t {
    People,   ///< "people": people without signal in the villages it newly covers
    Villages, ///< "villages": the number of villages it newly covers
};

/// Names of the plan objectives (any case).
inline constexpr EnumNames<PlanObjective, 2> kPlanObjectiveNames{
    {{{PlanObjective::People, "people"}, {PlanObjective::Villages, "villages"}}},
    NameMatch::IgnoreCase};

std::string_view to_string(PlanObjective objective);
std::optional<PlanObjective> parse_plan_objective(std::string_view text);

/// Options of the plan stage: flags of `whitezone plan` and the config key "plan".
struct PlanOptions {
    /// Most new sites to propose (--budget); 0 proposes none.
    std::size_t budget = 10;
    /// What a site's gain counts (--by).
    PlanObjective by = PlanObjective::People;
    /// Stop once this share (0-1) of all villages is covered or reached by the proposed sites
    /// (ProposedSite::reached_rate, --target-rate); 1 stops only when nothing more can be
    /// gained.
    double target_rate = 1.0;
    /// Which status is a gap; the pipeline sets it from the rank stage ("rank.class").
    ServiceClass service_class = ServiceClass::Broadband;
    /// Reach of a new site, metres ("plan.radius_m"): it covers a gap village whose centre
    /// is this close. nullopt: CoverageOptions::radius_m of `tech` (3,500 m for 4G).
    std::optional<double> radius_m;
    /// Technology of a new site ("plan.tech"), for the default radius.
    Tech tech = Tech::G4;
    /// Longest backhaul hop, metres ("plan.max_hop_m", --max-hop-m): a microwave link of
    /// 20 km is usual in mountain terrain with line of sight.
    double max_hop_m = 20000.0;
    /// With a DEM: height of a new site's antennas and microwave dishes above ground, and of
    /// an existing mast without `height_m`, metres ("plan.mast_height_m").
    double mast_height_m = 30.0;
    /// With a DEM: a gap village also proposes the highest point of the terrain within this
    /// distance of its centre as a candidate, metres ("plan.high_point_search_m"); 0: none.
    double high_point_search_m = 1500.0;
    /// A site that cannot be linked to the network (no station or chosen site within
    /// max_hop_m, in line of sight with a DEM) is not chosen and uses no budget
    /// ("plan.require_backhaul"); false: it may be chosen and is left unconnected.
    bool require_backhaul = true;
};

/// The keys of the "plan" object (--budget, --by and --target-rate are flags only).
inline void declare_options(OptionSet& o, PlanOptions& plan) {
    o.number("radius_m", plan.radius_m, {1.0, 100000.0},
             "Reach of a new site: it covers a gap village whose centre is this close, in "
             "metres.")
        .shown_default("the `radius_m` of `tech` (3500 for 4G)");
    o.choice("tech", plan.tech, kTechNames,
             "Technology of a new site; gives the default `radius_m`.")
        .shown_range("`\"2G\"`, `\"3G\"`, `\"4G\"`, `\"5G\"`");
    o.number("max_hop_m", plan.max_hop_m, {0.0, 1e9},
             "Longest backhaul hop, in metres. `--max-hop-m` overrides it.");
    o.number("mast_height_m", plan.mast_height_m, {1.0, 300.0},
             "With a DEM: height above ground of a new site's antennas and dishes, and of an "
             "existing mast without `height_m`, in metres ([plan.md](plan.md#terrain)).");
    o.number("high_point_search_m", plan.high_point_search_m, {0.0, 50000.0},
             "With a DEM: each gap village also proposes the highest point of the terrain "
             "within this distance of its centre as a candidate; 0 turns this off.");
    o.boolean("require_backhaul", plan.require_backhaul,
              "A site that cannot be linked to the network (no station or chosen site within "
              "`max_hop_m`) is not chosen and uses no budget; it is listed in "
              "`unlinkable_candidates` ([plan.md](plan.md#backhaul)). false: it may be chosen "
              "and is left unconnected.");
}

} // namespace whitezone
