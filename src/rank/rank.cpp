#include "whitezone/rank.hpp"

#include "whitezone/error.hpp"

#include "common/grid.hpp"

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace whitezone {

namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

// Distance from each village centre to the nearest station of any technology, with a
// Boost.Geometry R-tree of the stations' distinct positions (logarithmic whatever the spread
// of the data; a site's cells share one position, and a national run has a million cells).
void nearest_sites(const PreparedInputs& inputs, std::vector<VillageRank>& out) {
    namespace bg = boost::geometry;
    using Point = bg::model::point<double, 2, bg::cs::cartesian>;
    if (inputs.stations.empty())
        return;
    std::vector<Point> points;
    points.reserve(inputs.stations.size());
    for (const Station& s : inputs.stations)
        points.emplace_back(s.xy.x, s.xy.y);
    const auto xy = [](const Point& p) { return std::pair(bg::get<0>(p), bg::get<1>(p)); };
    std::sort(points.begin(), points.end(),
              [&](const Point& a, const Point& b) { return xy(a) < xy(b); });
    points.erase(std::unique(points.begin(), points.end(),
                             [&](const Point& a, const Point& b) { return xy(a) == xy(b); }),
                 points.end());
    const bg::index::rtree<Point, bg::index::rstar<16>> tree(points);
    points = {};
    std::vector<Point> found;
    for (std::size_t v = 0; v < inputs.villages.size(); ++v) {
        const XY c = inputs.villages[v].centre;
        found.clear();
        tree.query(bg::index::nearest(Point(c.x, c.y), 1), std::back_inserter(found));
        out[v].nearest_site_m =
            std::hypot(bg::get<0>(found.front()) - c.x, bg::get<1>(found.front()) - c.y);
    }
}

// Edges between gap villages whose centres are within `distance` (one new tower between
// them could serve both), found with a hash grid of that cell size: only neighbouring grid
// cells are compared, never all pairs.
Graph gap_graph(const std::vector<XY>& centres, double distance) {
    Graph g(centres.size());
    if (distance <= 0.0)
        return g;
    grid::GridIndex index(distance);
    for (std::size_t i = 0; i < centres.size(); ++i)
        index.insert(grid::Box::around(centres[i], 0.0), i);
    std::vector<std::size_t> near;
    for (std::size_t i = 0; i < centres.size(); ++i) {
        index.query(grid::Box::around(centres[i], distance), near);
        for (std::size_t j : near)
            if (j > i &&
                std::hypot(centres[j].x - centres[i].x, centres[j].y - centres[i].y) <= distance)
                boost::add_edge(i, j, g);
    }
    return g;
}

} // namespace

Ranking rank_villages(const PreparedInputs& inputs, const Classification& classification,
                      const RankOptions& options) {
    if (options.cluster_weight < 0.0 || options.no_power_factor < 0.0 ||
        options.distance_scale_m < 0.0 || options.cluster_distance_m < 0.0)
        throw UsageError("rank: \"rank\" weights and distances must be >= 0; fix the config.");
    const std::size_t n = inputs.villages.size();
    const auto& statuses = classification.villages[index_of(options.service_class)];
    Ranking out;
    out.villages.assign(n, VillageRank{});
    nearest_sites(inputs, out.villages);

    std::vector<std::size_t> gaps;
    std::vector<XY> centres;
    for (std::size_t v = 0; v < n; ++v)
        if (statuses[v].status != Status::Covered) {
            gaps.push_back(v);
            centres.push_back(inputs.villages[v].centre);
            out.villages[v].gap = true;
        }
    out.gap_count = static_cast<long>(gaps.size());
    out.service_class = options.service_class;

    const Graph graph = gap_graph(centres, options.cluster_distance_m);
    std::vector<int> component(gaps.size());
    const int components = gaps.empty() ? 0 : boost::connected_components(graph, component.data());
    out.cluster_count = components;
    std::vector<double> cluster_people(static_cast<std::size_t>(components), 0.0);
    std::vector<int> cluster_size(static_cast<std::size_t>(components), 0);
    for (std::size_t k = 0; k < gaps.size(); ++k) {
        const auto c = static_cast<std::size_t>(component[k]);
        cluster_people[c] += statuses[gaps[k]].people_without;
        ++cluster_size[c];
    }

    for (std::size_t k = 0; k < gaps.size(); ++k) {
        const std::size_t v = gaps[k];
        VillageRank& r = out.villages[v];
        const auto c = static_cast<std::size_t>(component[k]);
        r.people_without = statuses[v].people_without;
        // One tower at this village reaches its neighbours in the gap graph.
        r.reach_villages = 1;
        r.reach_people = r.people_without;
        for (auto [e, end] = boost::adjacent_vertices(k, graph); e != end; ++e) {
            ++r.reach_villages;
            r.reach_people += statuses[gaps[*e]].people_without;
        }
        r.cluster_id = static_cast<long>(c) + 1;
        r.cluster_villages = cluster_size[c];
        r.cluster_people = cluster_people[c];
        r.power_factor =
            inputs.villages[v].has_power.value_or(true) ? 1.0 : options.no_power_factor;
        r.distance_factor = (options.distance_scale_m > 0.0 && r.nearest_site_m >= 0.0)
                                ? 1.0 / (1.0 + r.nearest_site_m / options.distance_scale_m)
                                : 1.0;
        const double people =
            r.people_without + options.cluster_weight * (r.reach_people - r.people_without);
        r.score = people * r.power_factor * r.distance_factor;
    }

    std::vector<std::size_t> order = gaps;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const auto& ra = out.villages[a];
        const auto& rb = out.villages[b];
        if (ra.score != rb.score)
            return ra.score > rb.score;
        if (ra.people_without != rb.people_without)
            return ra.people_without > rb.people_without;
        return inputs.villages[a].row < inputs.villages[b].row;
    });
    for (std::size_t i = 0; i < order.size(); ++i)
        out.villages[order[i]].rank = static_cast<long>(i) + 1;
    return out;
}

} // namespace whitezone
