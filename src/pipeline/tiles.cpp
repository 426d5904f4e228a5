// Runs in parts: the inputs of one tile or province (its villages, and the stations near
// enough to change them), and the merge of the parts' summaries.

#include "whitezone/pipeline.hpp"

#include "common/unicode.hpp"
#include "pipeline/stage.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <map>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace whitezone {

namespace {

bool inside(const Extent& e, XY p) {
    return p.x >= e.minx && p.x < e.maxx && p.y >= e.miny && p.y < e.maxy;
}

void add(ClassCounts& to, const ClassCounts& from) {
    to.villages += from.villages;
    to.covered += from.covered;
    to.partial += from.partial;
    to.white += from.white;
    to.people_without += from.people_without;
    to.white_firm += from.white_firm;
    to.white_borderline += from.white_borderline;
}

} // namespace

namespace pipeline {

double distance_to(const Extent& e, XY p) {
    const double dx = std::max({e.minx - p.x, 0.0, p.x - e.maxx});
    const double dy = std::max({e.miny - p.y, 0.0, p.y - e.maxy});
    return std::hypot(dx, dy);
}

PreparedInputs village_part(const PreparedInputs& all, const std::vector<char>& villages) {
    PreparedInputs part;
    part.work_crs = all.work_crs;
    part.work_crs_wkt = all.work_crs_wkt;
    part.station_fields = all.station_fields;
    part.village_fields = all.village_fields;
    std::vector<long> new_index(all.villages.size(), -1);
    for (std::size_t v = 0; v < all.villages.size(); ++v) {
        if (v >= villages.size() || !villages[v])
            continue;
        new_index[v] = static_cast<long>(part.villages.size());
        part.villages.push_back(all.villages[v]);
    }
    if (all.settlements) {
        part.settlements.emplace();
        for (const Settlement& s : *all.settlements)
            if (s.village >= 0 && new_index[static_cast<std::size_t>(s.village)] >= 0) {
                Settlement moved = s;
                moved.village = new_index[static_cast<std::size_t>(s.village)];
                part.settlements->push_back(moved);
            }
    }
    return part;
}

} // namespace pipeline

Inputs restrict_inputs(const Inputs& inputs, const Extent& extent, double reach) {
    const PreparedInputs& all = inputs.prepared;
    std::vector<char> villages(all.villages.size(), 0);
    for (std::size_t v = 0; v < all.villages.size(); ++v)
        villages[v] = inside(extent, all.villages[v].centre) ? 1 : 0;
    std::vector<char> own(all.stations.size(), 0);
    for (std::size_t i = 0; i < all.stations.size(); ++i)
        own[i] = inside(extent, all.stations[i].xy) ? 1 : 0;
    return restrict_inputs(inputs, villages, own, reach);
}

std::vector<std::size_t> first_station_of_sites(const PreparedInputs& inputs) {
    struct Hash {
        std::size_t operator()(const std::pair<std::string_view, std::string_view>& k) const {
            const std::size_t a = std::hash<std::string_view>()(k.first);
            return a ^ (std::hash<std::string_view>()(k.second) + 0x9e3779b97f4a7c15ULL + (a << 6) +
                        (a >> 2));
        }
    };
    std::unordered_map<std::pair<std::string_view, std::string_view>, std::size_t, Hash> first;
    first.reserve(inputs.stations.size());
    std::vector<std::size_t> out(inputs.stations.size());
    for (std::size_t i = 0; i < inputs.stations.size(); ++i) {
        const Station& s = inputs.stations[i];
        out[i] = first.try_emplace({s.operator_name, s.site_id}, i).first->second;
    }
    return out;
}

Inputs restrict_inputs(const Inputs& inputs, const std::vector<char>& villages,
                       const std::vector<char>& own_stations, double reach,
                       std::vector<std::size_t>* station_index,
                       const std::vector<std::size_t>* first_of_site) {
    const PreparedInputs& all = inputs.prepared;
    Inputs out;
    out.prepared = pipeline::village_part(all, villages);
    PreparedInputs& part = out.prepared;
    // The extent the part's villages really cover (a point village's empty polygon adds none).
    const Extent covered = pipeline::study_area_of(part);

    // A site belongs to the part that holds its first cell, so that the parts' summaries
    // count every site once. The stations kept are the part's own and those of other parts
    // within `reach` of its villages (the halo), in their original order, so that the
    // footprints' order, and with it every overlay, is that of the whole run.
    std::vector<std::size_t> first_here;
    if (!first_of_site) {
        first_here = first_station_of_sites(all);
        first_of_site = &first_here;
    }
    if (first_of_site->size() != all.stations.size())
        throw ExternalError("restrict_inputs: the sites' first stations are of other inputs");
    auto own = [&](std::size_t i) {
        return i < own_stations.size() && own_stations[i] &&
               (inputs.halo.empty() || !inputs.halo[i]);
    };
    const bool any_village = !part.villages.empty();
    std::unordered_set<std::size_t> sites;
    for (std::size_t i = 0; i < all.stations.size(); ++i) {
        const Station& s = all.stations[i];
        const std::size_t first = (*first_of_site)[i];
        const bool own_site = own(first);
        if (!own_site && !(any_village && pipeline::distance_to(covered, s.xy) <= reach))
            continue;
        part.stations.push_back(s);
        out.halo.push_back(own_site ? 0 : 1);
        if (station_index)
            station_index->push_back(i);
        sites.insert(first);
    }
    part.site_count = sites.size();

    out.dem = inputs.dem;
    for (const PopulationCell& c : inputs.population)
        if (any_village && pipeline::distance_to(covered, c.xy) == 0.0)
            out.population.push_back(c);
    return out;
}

Summary merge_summaries(const Summary& a, const Summary& b) {
    static const std::map<std::string, int> level_order{
        {"all", 0}, {"province", 1}, {"district", 2}, {"commune", 3}, {"unit", 4}};
    auto order_of = [](const std::string& level) {
        const auto it = level_order.find(level);
        return it == level_order.end() ? 5 : it->second;
    };
    // Rows in summarize()'s order: level, then the units in Vietnamese collation order.
    const unicode::Collator collator;
    // Names in collation order, then codes: the units of summarize() (told apart by code).
    using Key = std::tuple<int, std::string, std::string, std::string, std::string, std::string>;
    auto key_of = [&](const std::string& level, const std::string& province,
                      const std::string& district, const std::string& commune,
                      const std::string& unit_name, const std::string& codes) {
        return Key{order_of(level),
                   collator.sort_key(province),
                   collator.sort_key(district),
                   collator.sort_key(commune),
                   collator.sort_key(unit_name),
                   codes};
    };
    auto codes_of = [](const auto& r) {
        return r.province_code + '\x1f' + r.district_code + '\x1f' + r.commune_code + '\x1f' +
               r.unit_code;
    };
    std::map<Key, SummaryRow> rows;
    for (const Summary* s : {&a, &b})
        for (const SummaryRow& row : s->rows) {
            const Key key = key_of(row.level, row.province, row.district, row.commune,
                                   row.unit_name, codes_of(row));
            auto [it, added] = rows.try_emplace(key, row);
            if (!added) {
                for (ServiceClass cls : kServiceClasses)
                    add(it->second.counts[index_of(cls)], row.counts[index_of(cls)]);
                it->second.flagged += row.flagged;
                for (std::size_t f = 0; f < row.flag_counts.size(); ++f)
                    it->second.flag_counts[f] += row.flag_counts[f];
            }
        }
    std::map<std::pair<std::string, Tech>, std::pair<long, long>> sites;
    for (const Summary* s : {&a, &b})
        for (const SiteCount& c : s->sites) {
            auto& [n_sites, n_cells] = sites[{c.operator_name, c.tech}];
            n_sites += c.sites;
            n_cells += c.cells;
        }

    // The site ids of both, each once in byte order; each side's numbers renumbered into
    // them (an increasing map, so each row's numbers stay ascending).
    Summary out;
    std::set_union(a.site_ids.begin(), a.site_ids.end(), b.site_ids.begin(), b.site_ids.end(),
                   std::back_inserter(out.site_ids));
    auto renumbering = [&out](const Summary& s) {
        std::vector<std::uint32_t> to(s.site_ids.size());
        for (std::size_t k = 0; k < to.size(); ++k)
            to[k] = static_cast<std::uint32_t>(
                std::lower_bound(out.site_ids.begin(), out.site_ids.end(), s.site_ids[k]) -
                out.site_ids.begin());
        return to;
    };
    const std::array<std::vector<std::uint32_t>, 2> renumbered{renumbering(a), renumbering(b)};
    std::map<std::pair<Key, std::string>, OperatorCount> operators;
    for (std::size_t side = 0; side < 2; ++side) {
        const Summary& s = side == 0 ? a : b;
        for (OperatorCount c : s.operators) {
            for (std::uint32_t& k : c.site_numbers)
                k = renumbered[side].at(k);
            const SummaryRow& row = s.unit_of(c);
            const Key unit = key_of(row.level, row.province, row.district, row.commune,
                                    row.unit_name, codes_of(row));
            auto [it, added] = operators.try_emplace({unit, c.operator_name}, c);
            if (!added) {
                OperatorCount& to = it->second;
                std::vector<std::uint32_t> both;
                both.reserve(to.site_numbers.size() + c.site_numbers.size());
                std::set_union(to.site_numbers.begin(), to.site_numbers.end(),
                               c.site_numbers.begin(), c.site_numbers.end(),
                               std::back_inserter(both));
                to.site_numbers = std::move(both);
                to.villages_any += c.villages_any;
                to.villages_broadband += c.villages_broadband;
                to.only_any += c.only_any;
                to.only_broadband += c.only_broadband;
            }
        }
    }

    std::map<Key, std::size_t> row_index; // each unit's row in out.rows
    for (const auto& [key, row] : rows) {
        row_index.emplace(key, out.rows.size());
        out.rows.push_back(row);
    }
    for (auto& [key, c] : operators) {
        c.row = row_index.at(key.first);
        out.operators.push_back(std::move(c));
    }
    out.stability_runs = std::max(a.stability_runs, b.stability_runs);
    out.firm_from = a.stability_runs > 0 ? a.firm_from : b.firm_from;
    for (const auto& [key, n] : sites)
        out.sites.push_back({key.first, key.second, n.first, n.second});
    return out;
}

} // namespace whitezone
