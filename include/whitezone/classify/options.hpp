#pragma once
/// \file classify/options.hpp
/// Options of the classify stage (config keys "status_rule", "white_below",
/// "covered_from"), declared once in declare_options() below.

#include "whitezone/names.hpp"
#include "whitezone/options.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace whitezone {

/// How the status is decided (config "status_rule").
enum class StatusRule : std::uint8_t {
    Centre,    ///< "centre": the official Vietnamese rule (docs/method.md)
    AreaShare, ///< "area_share": the covered share of the area alone
};

/// Names of the status rules; "center" is accepted for "centre".
inline constexpr EnumNames<StatusRule, 3> kStatusRuleNames{{{
    {StatusRule::Centre, "centre"},
    {StatusRule::Centre, "center"},
    {StatusRule::AreaShare, "area_share"},
}}};

std::string_view to_string(StatusRule rule);
std::optional<StatusRule> parse_status_rule(std::string_view text);

/// Options of the classify stage.
struct ClassifyOptions {
    StatusRule rule = StatusRule::Centre;
    double white_below = 0.05;  ///< area_share: white when share < white_below
    double covered_from = 0.80; ///< covered when share >= covered_from (both rules)
};

/// The top-level keys of the classify stage.
inline void declare_options(OptionSet& o, ClassifyOptions& classify) {
    o.choice(
        "status_rule", classify.rule, kStatusRuleNames,
        "How the status is decided ([method.md §6](method.md#6-status-white-partial-covered)). "
        "Same as `--status-rule`.");
    o.number("white_below", classify.white_below, {0.0, 1.0},
             "`area_share` rule: a village whose share is below this is white. Must be ≤ "
             "`covered_from`.");
    o.number("covered_from", classify.covered_from, {0.0, 1.0},
             "Both rules: a share at or above this counts as covered. With the `centre` rule it "
             "only applies to polygon villages without clusters.");
}

} // namespace whitezone
