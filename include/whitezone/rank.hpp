#pragma once
/// \file rank.hpp
/// Stage 6, rank: the gap villages (white or partial) ranked for new towers by an
/// explainable score; every factor is its own output field (docs/method.md).

#include "whitezone/classify.hpp"
#include "whitezone/prepare.hpp"
#include "whitezone/rank/options.hpp"
#include "whitezone/types.hpp"

#include <vector>

namespace whitezone {

/// One village's ranking; zeros and -1 for villages that are not gaps.
struct VillageRank {
    bool gap = false;
    double nearest_site_m = -1.0; ///< centre to the nearest site of any technology; -1: none
    double people_without = 0.0;  ///< of the ranked class (classify's people_without)
    int reach_villages = 0;       ///< gap villages a tower here reaches, this one included
    double reach_people = 0.0;    ///< their people without signal, summed
    long cluster_id = -1;         ///< connected component of the gap graph, 1-based
    int cluster_villages = 0;     ///< gap villages in that cluster
    double cluster_people = 0.0;  ///< their people without signal, summed
    double power_factor = 1.0;
    double distance_factor = 1.0;
    double score = 0.0;
    long rank = 0; ///< 1 = first to get a tower; 0 = not a gap
};

/// Rankings in village order.
struct Ranking {
    std::vector<VillageRank> villages;
    long gap_count = 0;
    long cluster_count = 0;
    ServiceClass service_class = ServiceClass::Broadband; ///< the ranked class
};

/// Ranks the gap villages. Deterministic: ties are broken by people without signal, then
/// by input row.
Ranking rank_villages(const PreparedInputs& inputs, const Classification& classification,
                      const RankOptions& options);

} // namespace whitezone
