// Population weighting of the overlay (--population): people per grid cell, given to the
// village that holds the cell's centre.

#include "whitezone/overlay.hpp"

#include "common/grid.hpp"
#include "common/parallel.hpp"
#include "common/polygon.hpp"

#include <algorithm>
#include <memory>

namespace whitezone {

void count_cluster(VillageOverlay& o, const Settlement& cluster, bool signal) {
    const std::optional<double> people = cluster.people();
    ++o.clusters;
    o.clusters_with_people += people ? 1 : 0;
    o.cluster_people += people.value_or(0.0);
    if (signal)
        return;
    ++o.clusters_without;
    if (people)
        o.cluster_people_without += *people;
    else
        ++o.clusters_without_unknown;
}

SignalAt signal_from_footprints(const Footprints& footprints) {
    double largest = 0.0;
    for (const auto& f : footprints.items)
        largest = std::max(largest, f.radius_m);
    auto index = std::make_shared<grid::GridIndex>(std::clamp(largest, 500.0, 10000.0));
    for (std::size_t i = 0; i < footprints.items.size(); ++i)
        index->insert(grid::Box::around(footprints.items[i].centre, footprints.items[i].radius_m),
                      i);
    return [index, &footprints](ServiceClass cls, XY p) {
        thread_local std::vector<std::size_t> near;
        index->query(grid::Box::around(p, 0.0), near);
        return std::any_of(near.begin(), near.end(), [&](std::size_t i) {
            const Footprint& f = footprints.items[i];
            return serves(cls, f.tech) && f.covers(p);
        });
    };
}

void apply_population(Overlay& overlay, const PreparedInputs& inputs,
                      const std::vector<PopulationCell>& cells, const SignalAt& signal,
                      const OverlayOptions& options) {
    const auto& villages = inputs.villages;
    double typical = 0.0;
    std::size_t areas = 0;
    for (const Village& v : villages)
        if (!v.is_point()) {
            typical += std::sqrt(std::max(v.area_m2, 1.0));
            ++areas;
        }
    if (areas == 0 || cells.empty())
        return;
    grid::GridIndex index(std::max(typical / static_cast<double>(areas), 100.0));
    std::vector<Extent> extents(villages.size());
    for (std::size_t v = 0; v < villages.size(); ++v)
        if (!villages[v].is_point()) {
            extents[v] = polygon::extent_of(villages[v].area);
            index.insert({extents[v].minx, extents[v].miny, extents[v].maxx, extents[v].maxy}, v);
        }

    // Each worker sums its own cells; the sums are added in worker order, so the result does
    // not depend on how the cells were dealt.
    struct Sums {
        std::vector<double> people;
        PerClass<std::vector<double>> with;
        std::vector<int> clusters; // cells of at least cluster_min_people
        PerClass<std::vector<int>> clusters_without;
    };
    const bool grid_clusters = !inputs.settlements;
    const int workers = std::max(1, options.threads);
    std::vector<Sums> sums(static_cast<std::size_t>(workers));
    parallel::for_ranges(
        cells.size(), workers, [&](std::size_t w, std::size_t begin, std::size_t end) {
            Sums& s = sums[w];
            s.people.assign(villages.size(), 0.0);
            for (auto& with : s.with)
                with.assign(villages.size(), 0.0);
            s.clusters.assign(villages.size(), 0);
            for (auto& without : s.clusters_without)
                without.assign(villages.size(), 0);
            std::vector<std::size_t> near;
            for (std::size_t k = begin; k < end; ++k) {
                const PopulationCell& c = cells[k];
                index.query(grid::Box::around(c.xy, 0.0), near);
                for (std::size_t v : near) {
                    const Extent& e = extents[v];
                    if (c.xy.x < e.minx || c.xy.x > e.maxx || c.xy.y < e.miny || c.xy.y > e.maxy ||
                        !polygon::contains(villages[v].area, c.xy))
                        continue;
                    const bool cluster = c.people >= options.cluster_min_people;
                    s.people[v] += c.people;
                    s.clusters[v] += cluster ? 1 : 0;
                    for (ServiceClass cls : kServiceClasses) {
                        if (signal(cls, c.xy))
                            s.with[index_of(cls)][v] += c.people;
                        else if (cluster)
                            ++s.clusters_without[index_of(cls)][v];
                    }
                    break; // villages do not overlap: the first one holds it
                }
            }
        });
    for (std::size_t v = 0; v < villages.size(); ++v) {
        double people = 0.0;
        PerClass<double> with{};
        int clusters = 0;
        PerClass<int> without{};
        for (const Sums& s : sums) {
            if (s.people.empty())
                continue;
            people += s.people[v];
            clusters += s.clusters[v];
            for (ServiceClass cls : kServiceClasses) {
                with[index_of(cls)] += s.with[index_of(cls)][v];
                without[index_of(cls)] += s.clusters_without[index_of(cls)][v];
            }
        }
        if (!(people > 0.0))
            continue;
        for (ServiceClass cls : kServiceClasses) {
            VillageOverlay& o = overlay.villages[index_of(cls)][v];
            o.people = people;
            o.share = std::clamp(with[index_of(cls)] / people, 0.0, 1.0);
            if (grid_clusters) {
                o.clusters = clusters;
                o.clusters_without = without[index_of(cls)];
            }
        }
    }
}

} // namespace whitezone
