// The summary per administrative unit and the site counts.

#include "whitezone/report.hpp"

#include "common/parallel.hpp"
#include "common/unicode.hpp"

#include <algorithm>
#include <array>
#include <future>
#include <limits>
#include <map>
#include <string_view>
#include <tuple>
#include <unordered_map>

namespace whitezone {

double ClassCounts::coverage_rate() const {
    return villages > 0 ? static_cast<double>(covered) / static_cast<double>(villages) : 0.0;
}

double ClassCounts::signal_rate() const {
    return villages > 0 ? static_cast<double>(covered + partial) / static_cast<double>(villages)
                        : 0.0;
}

namespace {

// How firm white villages are counted: none without a stability assessment.
struct Firmness {
    const Stability* stability = nullptr;
    double firm_from = 0.9;
};

void count(PerClass<ClassCounts>& counts, const Classification& c, std::size_t v,
           const Firmness& firmness = {}) {
    for (ServiceClass cls : kServiceClasses) {
        const VillageStatus& s = c.villages[index_of(cls)][v];
        ClassCounts& k = counts[index_of(cls)];
        ++k.villages;
        k.covered += s.status == Status::Covered;
        k.partial += s.status == Status::Partial;
        k.white += s.status == Status::White;
        k.people_without += s.people_without;
        if (firmness.stability && s.status == Status::White) {
            const bool firm =
                firmness.stability->share_same[index_of(cls)][v] >= firmness.firm_from;
            k.white_firm += firm;
            k.white_borderline += !firm;
        }
    }
}

} // namespace

PerClass<ClassCounts> count_villages(const Classification& classification) {
    PerClass<ClassCounts> total{};
    for (std::size_t i = 0; i < classification.villages[0].size(); ++i)
        count(total, classification, i);
    return total;
}

namespace {

// A unit's key at one level: its code when it has one, else its name.
std::string unit_key(const std::string& code, const std::string& name) {
    return code.empty() ? "n:" + name : "c:" + code;
}

// Whether `row` (a level's unit) gets villages from `v`: their names and codes as the row's.
void name_row(SummaryRow& row, const Village& v, bool province, bool district, bool commune) {
    if (province) {
        row.province = v.province;
        row.province_code = v.province_code;
    }
    if (district) {
        row.district = v.district;
        row.district_code = v.district_code;
    }
    if (commune) {
        row.commune = v.commune;
        row.commune_code = v.commune_code;
    }
}

} // namespace

Summary summarize(const PreparedInputs& inputs, const Classification& classification,
                  const Stability* stability, double firm_from, const VillageOperators* operators,
                  int threads) {
    const Firmness firmness{stability, firm_from};
    // Each station's site and operator as numbers, in their texts' byte order (the two at
    // once).
    auto numbering = std::async(threads > 1 ? std::launch::async : std::launch::deferred,
                                [&] { return number_sites(inputs.stations); });
    TextNumbers operator_numbers = number_operators(inputs.stations);
    SiteNumbers sites = numbering.get();
    Summary out;
    // Sites are counted once per (operator, site) for each technology they carry: the cells
    // in (operator, technology, site) order, counted in runs. The numbers sort as the names
    // and ids do.
    {
        using CellKey = std::tuple<std::uint32_t, Tech, std::uint32_t>;
        std::vector<CellKey> cells;
        cells.reserve(inputs.stations.size());
        for (std::size_t k = 0; k < inputs.stations.size(); ++k)
            cells.emplace_back(operator_numbers.of[k], inputs.stations[k].tech, sites.of[k]);
        std::sort(cells.begin(), cells.end());
        for (std::size_t k = 0; k < cells.size(); ++k) {
            const auto [op, tech, site] = cells[k];
            if (k == 0 || op != std::get<0>(cells[k - 1]) || tech != std::get<1>(cells[k - 1]))
                out.sites.push_back({std::string(operator_numbers.ids[op]), tech, 0, 0});
            SiteCount& count = out.sites.back();
            count.sites += k == 0 || cells[k - 1] != cells[k];
            ++count.cells;
        }
    }
    // A level is reported when the villages carry it: some village has a name or code for it.
    bool has_province = false, has_district = false, has_commune = false, has_unit = false;
    for (const auto& v : inputs.villages) {
        has_province = has_province || !v.province.empty() || !v.province_code.empty();
        has_district = has_district || !v.district.empty() || !v.district_code.empty();
        has_commune = has_commune || !v.commune.empty() || !v.commune_code.empty();
        has_unit = has_unit || v.unit;
    }

    using Key = std::tuple<std::string, std::string, std::string>;
    SummaryRow total{"all", "", "", "", {}};
    std::map<Key, SummaryRow> provinces, districts, communes, units;
    // A unit row's province: that of its villages while they all share one.
    std::map<Key, bool> unit_province_mixed;
    auto add = [&](SummaryRow& row, std::size_t i) {
        count(row.counts, classification, i, firmness);
        const Village& v = inputs.villages[i];
        row.flagged += v.flags != 0 ? 1 : 0;
        for (VillageFlag f : kVillageFlagNames.values())
            row.flag_counts[static_cast<std::size_t>(f)] += v.has(f) ? 1 : 0;
    };
    // Village i's row at each level (null for a level not reported); map nodes stay put.
    std::vector<std::array<const SummaryRow*, 4>> rows_of(inputs.villages.size());
    for (std::size_t i = 0; i < inputs.villages.size(); ++i) {
        const Village& v = inputs.villages[i];
        const std::string p = unit_key(v.province_code, v.province);
        const std::string d = has_district ? unit_key(v.district_code, v.district) : "";
        const std::string c = unit_key(v.commune_code, v.commune);
        add(total, i);
        if (has_province) {
            auto [it, added] = provinces.try_emplace({p, "", ""});
            if (added)
                name_row(it->second, v, true, false, false);
            add(it->second, i);
            rows_of[i][0] = &it->second;
        }
        if (has_district) {
            auto [it, added] = districts.try_emplace({p, d, ""});
            if (added)
                name_row(it->second, v, true, true, false);
            add(it->second, i);
            rows_of[i][1] = &it->second;
        }
        if (has_commune) {
            auto [it, added] = communes.try_emplace({p, d, c});
            if (added)
                name_row(it->second, v, true, has_district, true);
            add(it->second, i);
            rows_of[i][2] = &it->second;
        }
        if (v.unit) {
            const Key key{v.unit->code, "", ""};
            auto [it, added] = units.try_emplace(key);
            SummaryRow& row = it->second;
            if (added) {
                name_row(row, v, true, false, false);
                row.unit_code = v.unit->code;
                row.unit_name = v.unit->name;
                row.unit_level = v.unit->level;
                row.parent_code = v.unit->parent_code;
            } else if (row.province != v.province || row.province_code != v.province_code) {
                unit_province_mixed[key] = true;
            }
            add(row, i);
            rows_of[i][3] = &row;
        }
    }
    for (const auto& [key, mixed] : unit_province_mixed)
        if (mixed) {
            units[key].province.clear();
            units[key].province_code.clear();
        }

    out.rows.push_back(total);
    // Units in the order a Vietnamese reader expects ("Bắc Sơn" before "Bình Gia", "Xã 2"
    // before "Xã 10"), province, then district, then commune; equal names by code, then in
    // byte order.
    const unicode::Collator collator;
    // Where each unit's row went in out.rows.
    std::unordered_map<const SummaryRow*, std::size_t> index_of_row;
    auto emit = [&](std::map<Key, SummaryRow>& rows, const char* level) {
        using Sorted = std::pair<std::array<std::string, 5>, std::pair<const Key, SummaryRow>*>;
        std::vector<Sorted> sorted;
        sorted.reserve(rows.size());
        for (auto& unit : rows) {
            const SummaryRow& r = unit.second;
            sorted.push_back({{collator.sort_key(r.province), collator.sort_key(r.district),
                               collator.sort_key(r.commune), collator.sort_key(r.unit_name),
                               r.province_code + '\x1f' + r.district_code + '\x1f' +
                                   r.commune_code + '\x1f' + r.unit_code},
                              &unit});
        }
        std::sort(sorted.begin(), sorted.end(),
                  [](const Sorted& a, const Sorted& b) { return a.first < b.first; });
        for (const auto& [sort_key, unit] : sorted) {
            // Moved out: only the node's address is used from here on (index_of_row).
            SummaryRow& row = unit->second;
            row.level = level;
            index_of_row[&unit->second] = out.rows.size();
            out.rows.push_back(std::move(row));
        }
    };
    emit(provinces, "province");
    emit(districts, "district");
    emit(communes, "commune");
    emit(units, "unit");

    // Each village's row at each level: "all" (row 0), then those of rows_of. The maps' nodes
    // (their rows moved out) are freed before the operators' tallies are made.
    constexpr std::uint32_t kNoRow = std::numeric_limits<std::uint32_t>::max();
    constexpr std::size_t kLevels = 5;
    const std::size_t n = inputs.villages.size();
    std::vector<std::uint32_t> row_at;
    if (operators && !operators->names.empty()) {
        row_at.assign(n * kLevels, kNoRow);
        for (std::size_t i = 0; i < n; ++i) {
            row_at[i * kLevels] = 0;
            for (std::size_t l = 0; l < rows_of[i].size(); ++l)
                if (rows_of[i][l])
                    row_at[i * kLevels + 1 + l] =
                        static_cast<std::uint32_t>(index_of_row.at(rows_of[i][l]));
        }
    }
    rows_of = {};
    index_of_row = {};
    provinces = {};
    districts = {};
    communes = {};
    units = {};

    if (operators && !operators->names.empty()) {
        // Per row and operator: the villages it reaches, alone or not, and its sites there.
        const std::size_t ops = operators->names.size();
        const auto any = index_of(ServiceClass::Any), bb = index_of(ServiceClass::Broadband);
        struct Tally {
            bool used = false;
            long villages_any = 0, villages_broadband = 0, only_any = 0, only_broadband = 0;
            std::vector<std::uint32_t> sites; // each once
        };
        std::vector<Tally> tallies(out.rows.size() * ops);
        for (std::size_t k = 0; k < ops; ++k)
            tallies[k].used = true; // every operator in the "all" row, even one that reaches none
        // Each station's operator as its index in operators->names.
        std::map<std::string_view, std::uint32_t> op_index;
        for (std::uint32_t k = 0; k < ops; ++k)
            op_index.emplace(operators->names[k], k);
        std::vector<std::uint32_t> index_of_op(operator_numbers.ids.size());
        for (std::size_t k = 0; k < index_of_op.size(); ++k)
            index_of_op[k] = op_index.at(operator_numbers.ids[k]);
        out.site_ids.assign(sites.ids.begin(), sites.ids.end());
        std::vector<std::uint32_t> station_op(inputs.stations.size());
        for (std::size_t k = 0; k < inputs.stations.size(); ++k)
            station_op[k] = index_of_op[operator_numbers.of[k]];
        for (std::size_t i = 0; i < n; ++i) {
            const auto& reach_any = operators->reach[any][i];
            const auto& reach_bb = operators->reach[bb][i];
            for (std::size_t l = 0; l < kLevels; ++l) {
                const std::uint32_t r = row_at[i * kLevels + l];
                if (r == kNoRow)
                    continue;
                Tally* t = &tallies[r * ops];
                for (std::uint32_t op : reach_any) {
                    t[op].used = true;
                    ++t[op].villages_any;
                    t[op].only_any += reach_any.size() == 1;
                }
                for (std::uint32_t op : reach_bb) {
                    t[op].used = true;
                    ++t[op].villages_broadband;
                    t[op].only_broadband += reach_bb.size() == 1;
                }
            }
        }
        // The sites: level by level (the levels on threads of their own: each level's rows
        // are its own), the villages taken row by row (a counting sort by row), so that a site
        // already listed for the row and operator is known by a stamp (the last row that listed
        // it): each list is made without repeats, and sorted once. A station's site and
        // operator as one slot of the stamps.
        std::vector<std::size_t> slot_of(inputs.stations.size());
        for (std::size_t k = 0; k < slot_of.size(); ++k)
            slot_of[k] = static_cast<std::size_t>(sites.of[k]) * ops + station_op[k];
        const std::size_t slots = sites.ids.size() * ops;
        parallel::for_ranges(
            kLevels, threads, [&](std::size_t, std::size_t first, std::size_t end) {
                std::vector<std::uint32_t> last_row(slots);
                std::vector<std::uint32_t> order(n), start(out.rows.size() + 1);
                for (std::size_t l = first; l < end; ++l) {
                    std::fill(start.begin(), start.end(), 0);
                    for (std::size_t i = 0; i < n; ++i)
                        if (const std::uint32_t r = row_at[i * kLevels + l]; r != kNoRow)
                            ++start[r + 1];
                    for (std::size_t r = 0; r < out.rows.size(); ++r)
                        start[r + 1] += start[r];
                    for (std::size_t i = 0; i < n; ++i)
                        if (const std::uint32_t r = row_at[i * kLevels + l]; r != kNoRow)
                            order[start[r]++] = static_cast<std::uint32_t>(i);
                    const std::size_t listed = start[out.rows.size()];
                    std::fill(last_row.begin(), last_row.end(), kNoRow);
                    for (std::size_t k = 0; k < listed; ++k) {
                        const std::uint32_t i = order[k];
                        const std::uint32_t r = row_at[i * kLevels + l];
                        for (std::uint32_t st : operators->stations[i]) {
                            const std::size_t slot = slot_of[st];
                            if (last_row[slot] == r)
                                continue;
                            last_row[slot] = r;
                            Tally& t = tallies[r * ops + slot % ops];
                            t.used = true;
                            t.sites.push_back(static_cast<std::uint32_t>(slot / ops));
                        }
                    }
                }
            });
        // The lists are made: what found them goes before the rows are.
        row_at = {};
        slot_of = {};
        station_op = {};
        sites = {};
        operator_numbers = {};
        out.operators.reserve(static_cast<std::size_t>(
            std::count_if(tallies.begin(), tallies.end(), [](const Tally& t) { return t.used; })));
        for (std::size_t k = 0; k < tallies.size(); ++k) {
            Tally& t = tallies[k];
            if (!t.used)
                continue;
            OperatorCount c;
            c.row = k / ops;
            c.operator_name = operators->names[k % ops];
            c.villages_any = t.villages_any;
            c.villages_broadband = t.villages_broadband;
            c.only_any = t.only_any;
            c.only_broadband = t.only_broadband;
            std::sort(t.sites.begin(), t.sites.end());
            c.site_numbers.assign(t.sites.begin(), t.sites.end()); // no spare capacity
            out.operators.push_back(std::move(c));
            t.sites = {};
        }
    }

    return out;
}

std::vector<std::string> Summary::site_ids_of(const OperatorCount& c) const {
    std::vector<std::string> ids;
    ids.reserve(c.site_numbers.size());
    for (std::uint32_t k : c.site_numbers)
        ids.push_back(site_ids.at(k));
    return ids;
}

} // namespace whitezone
