// The summary per administrative unit and the site counts.

#include "whitezone/report.hpp"

#include "common/unicode.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <tuple>

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
                  const Stability* stability, double firm_from, const VillageOperators* operators) {
    const Firmness firmness{stability, firm_from};
    // A level is reported when the villages carry it: some village has a name or code for it.
    bool has_province = false, has_district = false, has_commune = false, has_unit = false;
    for (const auto& v : inputs.villages) {
        has_province = has_province || !v.province.empty() || !v.province_code.empty();
        has_district = has_district || !v.district.empty() || !v.district_code.empty();
        has_commune = has_commune || !v.commune.empty() || !v.commune_code.empty();
        has_unit = has_unit || !v.unit_code.empty();
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
    // The keys of village i's rows at each level ("" for a level not reported).
    std::vector<std::array<Key, 4>> keys(inputs.villages.size());
    for (std::size_t i = 0; i < inputs.villages.size(); ++i) {
        const Village& v = inputs.villages[i];
        const std::string p = unit_key(v.province_code, v.province);
        const std::string d = has_district ? unit_key(v.district_code, v.district) : "";
        const std::string c = unit_key(v.commune_code, v.commune);
        add(total, i);
        if (has_province) {
            keys[i][0] = {p, "", ""};
            auto [it, added] = provinces.try_emplace(keys[i][0]);
            if (added)
                name_row(it->second, v, true, false, false);
            add(it->second, i);
        }
        if (has_district) {
            keys[i][1] = {p, d, ""};
            auto [it, added] = districts.try_emplace(keys[i][1]);
            if (added)
                name_row(it->second, v, true, true, false);
            add(it->second, i);
        }
        if (has_commune) {
            keys[i][2] = {p, d, c};
            auto [it, added] = communes.try_emplace(keys[i][2]);
            if (added)
                name_row(it->second, v, true, has_district, true);
            add(it->second, i);
        }
        if (!v.unit_code.empty()) {
            keys[i][3] = {v.unit_code, "", ""};
            auto [it, added] = units.try_emplace(keys[i][3]);
            SummaryRow& row = it->second;
            if (added) {
                name_row(row, v, true, false, false);
                row.unit_code = v.unit_code;
                row.unit_name = v.unit_name;
                row.unit_level = v.unit_level;
                row.parent_code = v.unit_parent_code;
            } else if (row.province != v.province || row.province_code != v.province_code) {
                unit_province_mixed[keys[i][3]] = true;
            }
            add(row, i);
        }
    }
    for (const auto& [key, mixed] : unit_province_mixed)
        if (mixed) {
            units[key].province.clear();
            units[key].province_code.clear();
        }

    Summary out;
    out.rows.push_back(total);
    // Units in the order a Vietnamese reader expects ("Bắc Sơn" before "Bình Gia", "Xã 2"
    // before "Xã 10"), province, then district, then commune; equal names by code, then in
    // byte order.
    const unicode::Collator collator;
    std::array<std::map<Key, std::size_t>, 4> index_of_row;
    auto emit = [&](const std::map<Key, SummaryRow>& rows, const char* level, std::size_t k) {
        using Sorted =
            std::pair<std::array<std::string, 5>, const std::pair<const Key, SummaryRow>*>;
        std::vector<Sorted> sorted;
        sorted.reserve(rows.size());
        for (const auto& unit : rows) {
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
            SummaryRow row = unit->second;
            row.level = level;
            index_of_row[k][unit->first] = out.rows.size();
            out.rows.push_back(std::move(row));
        }
    };
    emit(provinces, "province", 0);
    emit(districts, "district", 1);
    emit(communes, "commune", 2);
    emit(units, "unit", 3);

    if (operators && !operators->names.empty()) {
        // Per row and operator: the villages it reaches, alone or not, and its sites there.
        std::map<std::pair<std::size_t, std::uint32_t>, OperatorCount> counts;
        const auto any = index_of(ServiceClass::Any), bb = index_of(ServiceClass::Broadband);
        std::map<std::string, std::uint32_t> op_index;
        for (std::uint32_t k = 0; k < operators->names.size(); ++k)
            op_index.emplace(operators->names[k], k);
        for (std::uint32_t k = 0; k < operators->names.size(); ++k)
            counts[{0, k}]; // every operator in the "all" row, even one that reaches none
        std::vector<std::size_t> rows;
        for (std::size_t i = 0; i < inputs.villages.size(); ++i) {
            rows.assign(1, 0);
            for (std::size_t k = 0; k < 4; ++k)
                if (auto it = index_of_row[k].find(keys[i][k]); it != index_of_row[k].end())
                    rows.push_back(it->second);
            const auto& reach_any = operators->reach[any][i];
            const auto& reach_bb = operators->reach[bb][i];
            for (std::size_t r : rows) {
                for (std::uint32_t op : reach_any) {
                    OperatorCount& c = counts[{r, op}];
                    ++c.villages_any;
                    c.only_any += reach_any.size() == 1;
                }
                for (std::uint32_t op : reach_bb) {
                    OperatorCount& c = counts[{r, op}];
                    ++c.villages_broadband;
                    c.only_broadband += reach_bb.size() == 1;
                }
                for (std::uint32_t st : operators->stations[i]) {
                    const Station& s = inputs.stations[st];
                    counts[{r, op_index.at(s.operator_name)}].site_ids.insert(s.site_id);
                }
            }
        }
        for (auto& [key, c] : counts) {
            const SummaryRow& row = out.rows[key.first];
            c.level = row.level;
            c.province = row.province;
            c.district = row.district;
            c.commune = row.commune;
            c.province_code = row.province_code;
            c.district_code = row.district_code;
            c.commune_code = row.commune_code;
            c.unit_code = row.unit_code;
            c.unit_name = row.unit_name;
            c.operator_name = operators->names[key.second];
            out.operators.push_back(std::move(c));
        }
    }

    // Sites are counted once per (operator, site) for each technology they carry.
    std::map<std::pair<std::string, Tech>, std::set<std::string>> sites;
    std::map<std::pair<std::string, Tech>, long> cells;
    for (const auto& s : inputs.stations) {
        sites[{s.operator_name, s.tech}].insert(s.site_id);
        ++cells[{s.operator_name, s.tech}];
    }
    for (const auto& [key, ids] : sites)
        out.sites.push_back({key.first, key.second, static_cast<long>(ids.size()), cells[key]});
    return out;
}

} // namespace whitezone
