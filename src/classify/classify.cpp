#include "whitezone/classify.hpp"

#include "whitezone/error.hpp"

#include "common/text.hpp"

namespace whitezone {

std::string_view to_string(StatusRule rule) { return kStatusRuleNames.name(rule); }

std::optional<StatusRule> parse_status_rule(std::string_view text) {
    return kStatusRuleNames.parse(text);
}

std::string_view to_string(StatusBasis basis) { return kStatusBasisNames.name(basis); }

Status classify_one(const VillageOverlay& o, bool point_village, const ClassifyOptions& options,
                    StatusBasis* basis) {
    StatusBasis why = StatusBasis::AreaShare;
    Status status = Status::Covered;
    if (options.rule == StatusRule::AreaShare) {
        status = o.share < options.white_below     ? Status::White
                 : o.share >= options.covered_from ? Status::Covered
                                                   : Status::Partial;
    } else if (!o.centre) {
        // The official criterion: no signal at the village centre (cultural house).
        why = StatusBasis::Centre;
        status = Status::White;
    } else if (o.clusters > 0) {
        // Signal at the centre; lõm sóng when a residential cluster has none.
        why = StatusBasis::Clusters;
        status = o.clusters_without > 0 ? Status::Partial : Status::Covered;
    } else if (point_village) {
        // A point village without clusters: its centre is all we know.
        why = StatusBasis::Centre;
        status = Status::Covered;
    } else {
        // No clusters known: the covered share of the area stands in for them.
        status = o.share >= options.covered_from ? Status::Covered : Status::Partial;
    }
    if (basis)
        *basis = why;
    return status;
}

double cluster_people_without(const VillageOverlay& o, double village_people) {
    // Each cluster weighs its own figure; one without weighs the mean of those with one.
    const double mean =
        o.clusters_with_people > 0 ? o.cluster_people / o.clusters_with_people : 1.0;
    const double all = o.cluster_people + (o.clusters - o.clusters_with_people) * mean;
    const double without = o.cluster_people_without + o.clusters_without_unknown * mean;
    if (!(all > 0.0)) // every figure is 0: the clusters count alike
        return o.clusters > 0 ? village_people * o.clusters_without / o.clusters : 0.0;
    return village_people * without / all;
}

Classification classify_villages(const PreparedInputs& inputs, const Overlay& overlay,
                                 const ClassifyOptions& options) {
    if (!(options.white_below >= 0.0 && options.white_below <= options.covered_from &&
          options.covered_from <= 1.0)) {
        throw UsageError("classify: thresholds must satisfy 0 <= \"white_below\" (" +
                         text::fixed(options.white_below, 2) + ") <= \"covered_from\" (" +
                         text::fixed(options.covered_from, 2) + ") <= 1; fix the config.");
    }
    Classification out;
    const std::size_t n = inputs.villages.size();
    for (ServiceClass cls : kServiceClasses) {
        auto& statuses = out.villages[index_of(cls)];
        statuses.resize(n);
        for (std::size_t v = 0; v < n; ++v) {
            const Village& village = inputs.villages[v];
            const VillageOverlay& o = overlay.villages[index_of(cls)][v];
            VillageStatus& s = statuses[v];
            s.status = classify_one(o, village.is_point(), options, &s.basis);
            const double people = o.people             ? *o.people
                                  : village.population ? *village.population
                                  : village.households ? *village.households
                                                       : 1.0;
            s.people_without = s.status == Status::Partial && s.basis == StatusBasis::Clusters &&
                                       o.clusters_with_people > 0
                                   ? cluster_people_without(o, people)
                                   : people * (1.0 - o.share);
        }
    }
    return out;
}

} // namespace whitezone
