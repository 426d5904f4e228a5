// The plan stage: greedy maximal covering for new sites, then a minimum spanning tree of
// backhaul hops to the existing network.

#include "whitezone/plan.hpp"

#include "whitezone/coverage/options.hpp"
#include "whitezone/dem.hpp"
#include "whitezone/error.hpp"

#include "common/grid.hpp"
#include "common/text.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/prim_minimum_spanning_tree.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <queue>
#include <set>
#include <tuple>

namespace whitezone {

std::string_view to_string(PlanObjective objective) { return kPlanObjectiveNames.name(objective); }

std::optional<PlanObjective> parse_plan_objective(std::string_view text) {
    return kPlanObjectiveNames.parse(text);
}

std::string_view to_string(CandidateSource source) { return kCandidateSourceNames.name(source); }

std::string_view to_string(PlanStop stop) { return kPlanStopNames.name(stop); }

double plan_radius_m(const PlanOptions& options, const CoverageOptions& coverage) {
    if (options.radius_m)
        return *options.radius_m;
    auto it = coverage.radius_m.find(options.tech);
    return it != coverage.radius_m.end() ? it->second : 3500.0;
}

std::vector<PlanCandidate> gap_candidates(const PreparedInputs& inputs,
                                          const Classification& classification, ServiceClass cls) {
    const auto& statuses = classification.villages[index_of(cls)];
    std::vector<PlanCandidate> out;
    for (std::size_t v = 0; v < inputs.villages.size(); ++v)
        if (statuses[v].status != Status::Covered)
            out.push_back({inputs.villages[v].centre, CandidateSource::GapVillage,
                           static_cast<long>(v), inputs.villages[v].row});
    return out;
}

std::vector<PlanCandidate> high_point_candidates(const std::vector<PlanCandidate>& gaps,
                                                 const Raster<float>& dem,
                                                 const PlanOptions& options) {
    std::vector<PlanCandidate> out;
    if (!(options.high_point_search_m > 0.0))
        return out;
    std::vector<XY> centres;
    centres.reserve(gaps.size());
    for (const PlanCandidate& c : gaps)
        centres.push_back(c.xy);
    const auto tops = highest_points(dem, centres, options.high_point_search_m);
    std::set<std::pair<double, double>> seen;
    for (std::size_t i = 0; i < gaps.size(); ++i) {
        if (!tops[i])
            continue;
        const XY top = *tops[i];
        // The centre's own cell: the village centre is already a candidate.
        if (std::abs(top.x - gaps[i].xy.x) <= dem.grid.cell / 2 &&
            std::abs(top.y - gaps[i].xy.y) <= dem.grid.cell / 2)
            continue;
        if (seen.insert({top.x, top.y}).second)
            out.push_back({top, CandidateSource::HighPoint, gaps[i].village, gaps[i].row});
    }
    return out;
}

namespace {

double distance(XY a, XY b) { return std::hypot(a.x - b.x, a.y - b.y); }

// Compressed lists: items[start[i] .. start[i + 1]) belong to i.
struct Lists {
    std::vector<std::size_t> start, items;
    [[nodiscard]] std::size_t size(std::size_t i) const { return start[i + 1] - start[i]; }
    [[nodiscard]] const std::size_t* begin(std::size_t i) const { return items.data() + start[i]; }
    [[nodiscard]] const std::size_t* end(std::size_t i) const {
        return items.data() + start[i + 1];
    }
};

// For each candidate, the gap villages whose centres lie within `radius` (ascending), from a
// hash grid of the gap centres with cells of the radius: each candidate looks at the 3 x 3
// cells around it, never at every village.
Lists villages_near(const std::vector<PlanCandidate>& candidates, const PreparedInputs& inputs,
                    const std::vector<std::size_t>& gaps, double radius, const SiteReach& reaches) {
    grid::GridIndex index(radius);
    for (std::size_t v : gaps)
        index.insert(grid::Box::around(inputs.villages[v].centre, 0.0), v);
    Lists out;
    out.start.reserve(candidates.size() + 1);
    out.start.push_back(0);
    std::vector<std::size_t> near;
    for (const auto& c : candidates) {
        index.query_cells(grid::Box::around(c.xy, radius), near);
        std::sort(near.begin(), near.end());
        for (std::size_t v : near)
            if (distance(c.xy, inputs.villages[v].centre) <= radius &&
                (!reaches || reaches(c.xy, inputs.villages[v].centre)))
                out.items.push_back(v);
        out.start.push_back(out.items.size());
    }
    return out;
}

// The inverse lists: for each village, the candidates whose site would cover it.
Lists candidates_near(const Lists& near, std::size_t village_count) {
    Lists out;
    out.start.assign(village_count + 1, 0);
    for (std::size_t v : near.items)
        ++out.start[v + 1];
    for (std::size_t v = 0; v < village_count; ++v)
        out.start[v + 1] += out.start[v];
    out.items.resize(near.items.size());
    std::vector<std::size_t> fill(out.start.begin(), out.start.end() - 1);
    for (std::size_t c = 0; c + 1 < near.start.size(); ++c)
        for (const std::size_t* v = near.begin(c); v != near.end(c); ++v)
            out.items[fill[*v]++] = c; // candidates ascending, as c is
    return out;
}

// The current gain of one candidate: what it would add if chosen now.
struct Gain {
    double gain = 0.0;   // people or villages, by the objective
    double people = 0.0; // people without signal
    long villages = 0;
};

// A queue entry: a candidate's gain when it was pushed. Largest gain first, then most
// people, then the earliest candidate.
struct Entry {
    double gain, people;
    std::size_t candidate;
    bool operator<(const Entry& o) const {
        return std::tie(gain, people, o.candidate) < std::tie(o.gain, o.people, candidate);
    }
};

} // namespace

Plan plan_sites(const PreparedInputs& inputs, const Classification& classification,
                const std::vector<PlanCandidate>& candidates, const PlanOptions& options,
                double radius_m, const SiteReach& reaches, const SiteLinkable& linkable) {
    if (!(radius_m > 0.0))
        throw UsageError("plan: the new-site radius must be > 0 m, not " +
                         text::fixed(radius_m, 1) + "; fix \"plan.radius_m\" in the config.");
    if (!(options.target_rate >= 0.0 && options.target_rate <= 1.0))
        throw UsageError("plan: --target-rate " + text::fixed(options.target_rate, 3) +
                         " is out of range; give a share from 0 to 1, e.g. 0.95.");
    const auto& statuses = classification.villages[index_of(options.service_class)];
    const std::size_t n = inputs.villages.size();
    std::vector<std::size_t> gaps;
    for (std::size_t v = 0; v < n; ++v)
        if (statuses[v].status != Status::Covered)
            gaps.push_back(v);

    Plan plan;
    plan.radius_m = radius_m;
    plan.candidates = candidates.size();
    plan.tech = options.tech;
    plan.mast_height_m = options.mast_height_m;
    plan.max_hop_m = options.max_hop_m;
    long covered = static_cast<long>(n - gaps.size());
    auto rate = [&] {
        return n == 0 ? 1.0 : static_cast<double>(covered) / static_cast<double>(n);
    };
    plan.start_rate = rate();

    const Lists near = villages_near(candidates, inputs, gaps, radius_m, reaches);
    const Lists covering = candidates_near(near, n);
    auto weight = [&](std::size_t v) {
        return options.by == PlanObjective::People ? statuses[v].people_without : 1.0;
    };
    std::vector<Gain> gains(candidates.size());
    std::priority_queue<Entry> queue;
    for (std::size_t c = 0; c < candidates.size(); ++c) {
        for (const std::size_t* v = near.begin(c); v != near.end(c); ++v) {
            gains[c].gain += weight(*v);
            gains[c].people += statuses[*v].people_without;
        }
        gains[c].villages = static_cast<long>(near.size(c));
        if (gains[c].villages > 0)
            queue.push({gains[c].gain, gains[c].people, c});
    }

    // Incremental sums drift by rounding (a gain of 1e-13 left after subtracting every
    // village); a gain this small is no gain.
    double total = 0.0;
    for (std::size_t v : gaps)
        total += weight(v);
    const double epsilon = 1e-9 * std::max(1.0, total);

    std::vector<char> reached(n, 0);
    // With a link check: the chosen sites' positions, and the candidates set aside because
    // they could not be linked when they were the best (index into plan.unlinkable).
    std::vector<XY> chosen;
    std::vector<std::pair<std::size_t, std::size_t>> pending; // (candidate, unlinkable index)
    std::vector<char> is_pending(candidates.size(), 0);
    plan.stop = PlanStop::NoGain;
    while (true) {
        if (plan.sites.size() >= options.budget) {
            plan.stop = PlanStop::Budget;
            break;
        }
        if (rate() >= options.target_rate) {
            plan.stop = PlanStop::TargetRate;
            break;
        }
        // Lazy queue: an entry is stale when the candidate's gain fell after it was pushed;
        // gains only fall, so the first entry that is current is the best candidate.
        std::optional<std::size_t> best;
        while (!queue.empty()) {
            const Entry top = queue.top();
            queue.pop();
            const Gain& g = gains[top.candidate];
            if (g.villages == 0 || g.gain <= epsilon)
                continue;
            if (top.gain != g.gain || top.people != g.people) {
                queue.push({g.gain, g.people, top.candidate});
                continue;
            }
            if (linkable && !linkable(candidates[top.candidate].xy, chosen)) {
                // Set aside, not dropped: a later site may bring the network within a hop.
                if (!is_pending[top.candidate]) {
                    is_pending[top.candidate] = 1;
                    UnlinkableCandidate u;
                    u.candidate = top.candidate;
                    u.xy = candidates[top.candidate].xy;
                    u.source = candidates[top.candidate].source;
                    u.village = candidates[top.candidate].village;
                    if (u.village >= 0)
                        u.village_id = inputs.villages[static_cast<std::size_t>(u.village)].id;
                    u.candidate_values = candidates[top.candidate].values;
                    u.villages = g.villages;
                    u.people = g.people;
                    pending.emplace_back(top.candidate, plan.unlinkable.size());
                    plan.unlinkable.push_back(std::move(u));
                }
                continue;
            }
            best = top.candidate;
            break;
        }
        if (!best)
            break;

        const std::size_t c = *best;
        ProposedSite site;
        site.pick = static_cast<long>(plan.sites.size()) + 1;
        site.candidate = c;
        site.xy = candidates[c].xy;
        site.source = candidates[c].source;
        site.village = candidates[c].village;
        site.candidate_values = candidates[c].values;
        if (site.village >= 0)
            site.village_id = inputs.villages[static_cast<std::size_t>(site.village)].id;
        for (const std::size_t* v = near.begin(c); v != near.end(c); ++v) {
            if (reached[*v])
                continue;
            reached[*v] = 1;
            site.villages.push_back(*v);
            const Village& village = inputs.villages[*v];
            site.village_ids.push_back(village.id);
            site.village_names.push_back(village.name);
            if (!village.commune.empty() && std::find(site.communes.begin(), site.communes.end(),
                                                      village.commune) == site.communes.end())
                site.communes.push_back(village.commune);
            site.new_people += statuses[*v].people_without;
            // Only the candidates that also cover this village lose gain.
            const double w = weight(*v);
            for (const std::size_t* o = covering.begin(*v); o != covering.end(*v); ++o) {
                Gain& g = gains[*o];
                g.gain -= w;
                g.people -= statuses[*v].people_without;
                if (--g.villages == 0)
                    g = Gain{};
            }
        }
        site.new_villages = static_cast<int>(site.villages.size());
        covered += site.new_villages;
        site.cumulative_people =
            (plan.sites.empty() ? 0.0 : plan.sites.back().cumulative_people) + site.new_people;
        site.reached_rate = rate();
        if (linkable) {
            chosen.push_back(site.xy);
            // The set-aside candidates compete again: this site may be within a hop of them.
            for (const auto& [k, u] : pending)
                if (is_pending[k] && k != c)
                    queue.push({gains[k].gain, gains[k].people, k});
            if (is_pending[c])
                is_pending[c] = 2; // chosen after all
        }
        plan.sites.push_back(std::move(site));
    }
    // Listed: the set-aside candidates that still cannot be linked with every site chosen;
    // one chosen later, or brought within a hop by a later site (and then only short of
    // gain), is not. They keep the gain they had when they were set aside.
    std::vector<UnlinkableCandidate> unlinkable;
    for (const auto& [k, u] : pending)
        if (is_pending[k] == 1 && !linkable(candidates[k].xy, chosen))
            unlinkable.push_back(std::move(plan.unlinkable[u]));
    plan.unlinkable = std::move(unlinkable);
    return plan;
}

std::string proposed_site_id(long pick) { return "plan-" + std::to_string(pick); }

std::vector<Station> proposed_stations(const Plan& plan) {
    std::vector<Station> out;
    out.reserve(plan.sites.size());
    for (const ProposedSite& s : plan.sites) {
        Station st;
        st.row = s.pick;
        st.xy = s.xy;
        st.tech = plan.tech;
        st.site_id = proposed_site_id(s.pick);
        st.height_m = plan.mast_height_m;
        out.push_back(std::move(st));
    }
    return out;
}

namespace {

using WeightedGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                          boost::property<boost::edge_weight_t, double>>;

// The station nearest to `p` within `max_m`, or nullopt: the stations' hash grid is
// searched over the square of half-width max_m; ties go to the earlier station.
// The nearest station within max_m of p that `clear` (when set) lets a hop reach; ties go
// to the first station.
std::optional<std::size_t> nearest_station(const grid::GridIndex& index,
                                           const std::vector<Station>& stations, XY p, double max_m,
                                           const std::function<bool(std::size_t)>& clear,
                                           std::vector<std::size_t>& near) {
    index.query(grid::Box::around(p, max_m), near);
    std::vector<std::pair<double, std::size_t>> by_distance;
    for (std::size_t i : near)
        if (const double d = distance(p, stations[i].xy); d <= max_m)
            by_distance.emplace_back(d, i);
    std::sort(by_distance.begin(), by_distance.end());
    for (const auto& [d, i] : by_distance)
        if (!clear || clear(i))
            return i;
    return std::nullopt;
}

} // namespace

SiteLinkable backhaul_link_check(const std::vector<Station>& stations, const PlanOptions& options,
                                 const HopClear& clear) {
    if (!(options.max_hop_m >= 0.0))
        throw UsageError("plan: --max-hop-m must be >= 0, not " +
                         text::fixed(options.max_hop_m, 1) + ".");
    const double hop = options.max_hop_m;
    const double mast = options.mast_height_m;
    auto index = std::make_shared<grid::GridIndex>(std::max(hop, 1.0));
    for (std::size_t i = 0; i < stations.size(); ++i)
        index->insert(grid::Box::around(stations[i].xy, 0.0), i);
    // The same tests as plan_backhaul()'s edges, so a site that passes is connected there.
    return [&stations, index, hop, mast, clear](XY site, const std::vector<XY>& chosen) {
        for (const XY& other : chosen)
            if (distance(site, other) <= hop && (!clear || clear(site, mast, other, mast)))
                return true;
        std::function<bool(std::size_t)> sees;
        if (clear)
            sees = [&](std::size_t s) {
                return clear(site, mast, stations[s].xy, stations[s].height_m.value_or(mast));
            };
        std::vector<std::size_t> near;
        return nearest_station(*index, stations, site, hop, sees, near).has_value();
    };
}

Plan plan_backhaul(const Plan& plan, const std::vector<Station>& stations,
                   const PlanOptions& options, const HopClear& clear) {
    if (!(options.max_hop_m >= 0.0))
        throw UsageError("plan: --max-hop-m must be >= 0, not " +
                         text::fixed(options.max_hop_m, 1) + ".");
    Plan out = plan;
    out.links.clear();
    out.connected = out.unconnectable = 0;
    const std::size_t k = out.sites.size();
    if (k == 0)
        return out;
    // Vertex 0 is the existing network (every station contracted into one node); vertex i
    // is the site of order i.
    WeightedGraph graph(k + 1);
    const double hop = options.max_hop_m;
    const double cell = std::max(hop, 1.0);
    std::vector<std::size_t> near;

    std::vector<std::optional<std::size_t>> to_network(k + 1);
    if (!stations.empty()) {
        grid::GridIndex index(cell);
        for (std::size_t i = 0; i < stations.size(); ++i)
            index.insert(grid::Box::around(stations[i].xy, 0.0), i);
        for (std::size_t i = 1; i <= k; ++i) {
            const XY site = out.sites[i - 1].xy;
            std::function<bool(std::size_t)> sees;
            if (clear)
                sees = [&](std::size_t s) {
                    return clear(site, options.mast_height_m, stations[s].xy,
                                 stations[s].height_m.value_or(options.mast_height_m));
                };
            to_network[i] = nearest_station(index, stations, site, hop, sees, near);
            if (to_network[i])
                boost::add_edge(0, i, distance(out.sites[i - 1].xy, stations[*to_network[i]].xy),
                                graph);
        }
    }
    grid::GridIndex sites(cell);
    for (std::size_t i = 1; i <= k; ++i)
        sites.insert(grid::Box::around(out.sites[i - 1].xy, 0.0), i);
    for (std::size_t i = 1; i <= k; ++i) {
        sites.query(grid::Box::around(out.sites[i - 1].xy, hop), near);
        for (std::size_t j : near) {
            if (j <= i)
                continue;
            const XY a = out.sites[i - 1].xy, b = out.sites[j - 1].xy;
            const double d = distance(a, b);
            if (d <= hop && (!clear || clear(a, options.mast_height_m, b, options.mast_height_m)))
                boost::add_edge(i, j, d, graph);
        }
    }

    // Prim from the network node spans exactly its connected component: the vertices it
    // never reaches keep themselves as predecessor.
    std::vector<std::size_t> parent(k + 1);
    boost::prim_minimum_spanning_tree(graph, parent.data(), boost::root_vertex(0));
    const auto weight = boost::get(boost::edge_weight, graph);
    for (std::size_t i = 1; i <= k; ++i) {
        ProposedSite& s = out.sites[i - 1];
        if (parent[i] == i) {
            s.connected = false;
            s.parent_pick = -1;
            s.hop_m = 0.0;
            ++out.unconnectable;
            continue;
        }
        const auto [edge, found] = boost::edge(parent[i], i, graph);
        s.connected = true;
        s.parent_pick = static_cast<long>(parent[i]);
        s.hop_m = found ? boost::get(weight, edge) : 0.0;
        ++out.connected;
        BackhaulLink link;
        link.from_pick = s.pick;
        link.to_pick = s.parent_pick;
        link.length_m = s.hop_m;
        link.from = s.xy;
        if (parent[i] == 0) {
            const Station& st = stations[*to_network[i]];
            link.to_site = st.site_id;
            link.to = st.xy;
        } else {
            link.to = out.sites[parent[i] - 1].xy;
        }
        out.links.push_back(std::move(link));
    }
    return out;
}

} // namespace whitezone
