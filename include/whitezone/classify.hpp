#pragma once
/// \file classify.hpp
/// Stage 5, classify: white / partial / covered per village and service class.

#include "whitezone/overlay.hpp"
#include "whitezone/prepare.hpp"
#include "whitezone/types.hpp"

#include <string_view>
#include <vector>

namespace whitezone {

/// How the status is decided (config "status_rule").
enum class StatusRule : std::uint8_t {
    Centre,    ///< "centre": the official Vietnamese rule (docs/method.md)
    AreaShare, ///< "area_share": the covered share of the area alone
};
std::string_view to_string(StatusRule rule);
std::optional<StatusRule> parse_status_rule(std::string_view text);

/// Options of the classify stage.
struct ClassifyOptions {
    StatusRule rule = StatusRule::Centre;
    double white_below = 0.05;  ///< area_share: white when share < white_below
    double covered_from = 0.80; ///< covered when share >= covered_from (both rules)
};

/// What decided a status, for the `status_basis_*` fields.
enum class StatusBasis : std::uint8_t { Centre, Clusters, AreaShare };
std::string_view to_string(StatusBasis basis);

/// One village's class result.
struct VillageStatus {
    Status status = Status::White;
    StatusBasis basis = StatusBasis::Centre;
    /// people × (1 − share): the people the population grid puts in the village when it
    /// does (the people without signal there), else its population field, else households,
    /// else 1.
    double people_without = 0.0;
};

/// Statuses of every village, per class, in village order.
struct Classification {
    PerClass<std::vector<VillageStatus>> villages;
};

/// The status of one village from its overlay (the rule itself, exposed for tests).
Status classify_one(const VillageOverlay& overlay, bool point_village,
                    const ClassifyOptions& options, StatusBasis* basis = nullptr);

/// Classifies every village. Throws UsageError when the thresholds are not
/// 0 <= white_below <= covered_from <= 1.
Classification classify_villages(const PreparedInputs& inputs, const Overlay& overlay,
                                 const ClassifyOptions& options);

} // namespace whitezone
