#pragma once
/// \file classify.hpp
/// Stage 5, classify: white / partial / covered per village and service class.

#include "whitezone/classify/options.hpp"
#include "whitezone/names.hpp"
#include "whitezone/overlay.hpp"
#include "whitezone/prepare.hpp"
#include "whitezone/types.hpp"

#include <string_view>
#include <vector>

namespace whitezone {

/// What decided a status, for the `status_basis_*` fields.
enum class StatusBasis : std::uint8_t { Centre, Clusters, AreaShare };
/// Names of the status bases, as the `status_basis_*` fields write them.
inline constexpr EnumNames<StatusBasis, 3> kStatusBasisNames{{{
    {StatusBasis::Centre, "centre"},
    {StatusBasis::Clusters, "clusters"},
    {StatusBasis::AreaShare, "area_share"},
}}};
std::string_view to_string(StatusBasis basis);

/// One village's class result.
struct VillageStatus {
    Status status = Status::White;
    StatusBasis basis = StatusBasis::Centre;
    /// people × (1 − share): the people the population grid puts in the village when it
    /// does (the people without signal there), else its population field, else households,
    /// else 1. For a village partial by its clusters (StatusBasis::Clusters) some of which
    /// carry figures: those people's share in its clusters without signal
    /// (cluster_people_without()).
    double people_without = 0.0;
};

/// Statuses of every village, per class, in village order.
struct Classification {
    PerClass<std::vector<VillageStatus>> villages;
};

/// The status of one village from its overlay (the rule itself, exposed for tests).
Status classify_one(const VillageOverlay& overlay, bool point_village,
                    const ClassifyOptions& options, StatusBasis* basis = nullptr);

/// The people of a village's residential clusters without signal: `village_people` times
/// the clusters' weight without signal over the weight of all its clusters, each cluster
/// weighing its own population, else its households, else the mean weight of the village's
/// clusters that have one.
double cluster_people_without(const VillageOverlay& overlay, double village_people);

/// Classifies every village. Throws UsageError when the thresholds are not
/// 0 <= white_below <= covered_from <= 1.
Classification classify_villages(const PreparedInputs& inputs, const Overlay& overlay,
                                 const ClassifyOptions& options);

} // namespace whitezone
