// The what-if of planned stations: village statuses today against with the planned stations on
// air, per district (or commune), and its console table.

#include "whitezone/report.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <cassert>
#include <map>
#include <sstream>
#include <utility>

namespace whitezone {

namespace {

int rank_of(Status s) {
    switch (s) {
    case Status::White:
        return 0;
    case Status::Partial:
        return 1;
    case Status::Covered:
        return 2;
    }
    return 0;
}

void add(WhatIfRow& row, const VillageStatus& today, const VillageStatus& planned) {
    ++row.villages;
    row.white_today += today.status == Status::White;
    row.white_planned += planned.status == Status::White;
    row.partial_today += today.status == Status::Partial;
    row.partial_planned += planned.status == Status::Partial;
    row.covered_today += today.status == Status::Covered;
    row.covered_planned += planned.status == Status::Covered;
    row.improved += rank_of(planned.status) > rank_of(today.status);
    // More stations never lower a village's coverage; the clamp only drops rounding noise.
    row.people_newly += std::max(0.0, today.people_without - planned.people_without);
}

using text::pad_left;
using text::pad_right;

std::string change(long today, long planned) {
    return std::to_string(today) + " -> " + std::to_string(planned);
}

} // namespace

WhatIf compare_whatif(const PreparedInputs& inputs, const Classification& today,
                      const Classification& planned, ServiceClass cls) {
    const auto& before = today.villages[index_of(cls)];
    const auto& after = planned.villages[index_of(cls)];
    assert(before.size() == inputs.villages.size() && after.size() == inputs.villages.size());

    // The unit is the district when the villages carry one (as the summary does), else the
    // commune (Vietnam dropped districts in July 2025).
    bool has_district = false, has_commune = false;
    for (const auto& v : inputs.villages) {
        has_district = has_district || !v.district.empty();
        has_commune = has_commune || !v.commune.empty();
    }
    const char* level = has_district ? "district" : "commune";

    WhatIf out;
    out.service_class = cls;
    WhatIfRow all;
    all.level = "all";
    std::map<std::pair<std::string, std::string>, WhatIfRow> units;
    for (std::size_t i = 0; i < inputs.villages.size(); ++i) {
        const Village& v = inputs.villages[i];
        add(all, before[i], after[i]);
        if (has_district || has_commune) {
            const std::string& name = has_district ? v.district : v.commune;
            WhatIfRow& row = units[{v.province, name}];
            if (row.villages == 0) {
                row.level = level;
                row.province = v.province;
                row.unit = name;
            }
            add(row, before[i], after[i]);
        }
    }
    out.rows.push_back(std::move(all));
    for (auto& [key, row] : units)
        out.rows.push_back(std::move(row));
    return out;
}

std::string format_whatif(const WhatIf& whatif) {
    std::ostringstream out;
    out << "what-if: " << whatif.planned_stations << " planned station"
        << (whatif.planned_stations == 1 ? "" : "s") << " on air ("
        << to_string(whatif.service_class) << ")\n";
    std::size_t unit_w = 6;
    for (const auto& r : whatif.rows)
        unit_w = std::max(unit_w, text::width(r.unit.empty() ? r.level : r.unit) + 2);
    out << pad_right("unit", unit_w) << pad_left("villages", 9) << pad_left("white", 14)
        << pad_left("partial", 14) << pad_left("covered", 14) << pad_left("improved", 10)
        << pad_left("new people", 12) << "\n";
    for (const auto& r : whatif.rows) {
        const std::string name = r.unit.empty() ? r.level : r.unit;
        out << pad_right(name, unit_w) << pad_left(std::to_string(r.villages), 9)
            << pad_left(change(r.white_today, r.white_planned), 14)
            << pad_left(change(r.partial_today, r.partial_planned), 14)
            << pad_left(change(r.covered_today, r.covered_planned), 14)
            << pad_left(std::to_string(r.improved), 10)
            << pad_left(text::fixed(r.people_newly, 1), 12) << "\n";
    }
    return out.str();
}

} // namespace whitezone
