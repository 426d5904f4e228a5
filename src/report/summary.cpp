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

Summary summarize(const PreparedInputs& inputs, const Classification& classification,
                  const Stability* stability, double firm_from) {
    const Firmness firmness{stability, firm_from};
    // A level is reported when the villages carry it: some village has a value for it.
    bool has_province = false, has_district = false, has_commune = false;
    for (const auto& v : inputs.villages) {
        has_province = has_province || !v.province.empty();
        has_district = has_district || !v.district.empty();
        has_commune = has_commune || !v.commune.empty();
    }

    using Key = std::tuple<std::string, std::string, std::string>;
    SummaryRow total{"all", "", "", "", {}};
    std::map<Key, SummaryRow> provinces, districts, communes;
    auto add = [&](SummaryRow& row, std::size_t i) {
        count(row.counts, classification, i, firmness);
        const Village& v = inputs.villages[i];
        row.flagged += v.flags != 0 ? 1 : 0;
        for (VillageFlag f : kVillageFlagNames.values())
            row.flag_counts[static_cast<std::size_t>(f)] += v.has(f) ? 1 : 0;
    };
    for (std::size_t i = 0; i < inputs.villages.size(); ++i) {
        const Village& v = inputs.villages[i];
        add(total, i);
        if (has_province)
            add(provinces[{v.province, "", ""}], i);
        if (has_district)
            add(districts[{v.province, v.district, ""}], i);
        if (has_commune)
            add(communes[{v.province, has_district ? v.district : "", v.commune}], i);
    }

    Summary out;
    out.rows.push_back(total);
    // Units in the order a Vietnamese reader expects ("Bắc Sơn" before "Bình Gia", "Xã 2"
    // before "Xã 10"), province, then district, then commune; equal names keep byte order.
    const unicode::Collator collator;
    auto emit = [&](const std::map<Key, SummaryRow>& units, const char* level) {
        std::vector<std::pair<std::array<std::string, 3>, const std::pair<const Key, SummaryRow>*>>
            sorted;
        sorted.reserve(units.size());
        for (const auto& unit : units)
            sorted.push_back({{collator.sort_key(std::get<0>(unit.first)),
                               collator.sort_key(std::get<1>(unit.first)),
                               collator.sort_key(std::get<2>(unit.first))},
                              &unit});
        std::sort(sorted.begin(), sorted.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        for (const auto& [sort_key, unit] : sorted) {
            SummaryRow row = unit->second;
            row.level = level;
            row.province = std::get<0>(unit->first);
            row.district = std::get<1>(unit->first);
            row.commune = std::get<2>(unit->first);
            out.rows.push_back(std::move(row));
        }
    };
    emit(provinces, "province");
    emit(districts, "district");
    emit(communes, "commune");

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
