// The console table printed after a run.

#include "whitezone/report.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace whitezone {

namespace {

using text::pad_left;
using text::pad_right;
using text::width;

std::string pct(double share) { return text::fixed(share * 100.0, 1) + "%"; }

std::string unit_label(const SummaryRow& row) {
    if (row.level == "all")
        return "all villages";
    if (row.level == "province")
        return row.province.empty() ? "(no province)" : row.province;
    return "  " + (row.district.empty() ? std::string("(no district)") : row.district);
}

} // namespace

std::string format_summary(const Summary& summary) {
    std::ostringstream out;
    std::size_t name_w = 14;
    for (const auto& row : summary.rows)
        if (row.level != "commune")
            name_w = std::max(name_w, width(unit_label(row)) + 1);

    const auto& any = index_of(ServiceClass::Any);
    const auto& bb = index_of(ServiceClass::Broadband);
    out << pad_right("unit", name_w) << pad_left("villages", 9) << pad_left("white", 8)
        << pad_left("partial", 9) << pad_left("covered", 9) << pad_left("white", 8)
        << pad_left("partial", 9) << pad_left("covered", 9) << pad_left("people w/o", 12) << "\n";
    out << pad_right("", name_w) << pad_left("", 9) << pad_left("--- any (2G+) ---", 26)
        << pad_left("--- broadband (3G+) ---", 26) << pad_left("broadband", 12) << "\n";
    // Each province followed by its own districts (communes are in the layer only).
    std::vector<const SummaryRow*> shown;
    for (const auto& row : summary.rows)
        if (row.level == "all" || row.level == "province")
            shown.push_back(&row);
    for (std::size_t k = shown.size(); k-- > 0;) {
        if (shown[k]->level != "province")
            continue;
        std::vector<const SummaryRow*> districts;
        for (const auto& row : summary.rows)
            if (row.level == "district" && row.province == shown[k]->province)
                districts.push_back(&row);
        shown.insert(shown.begin() + static_cast<long>(k) + 1, districts.begin(), districts.end());
    }
    if (std::none_of(shown.begin(), shown.end(),
                     [](const SummaryRow* r) { return r->level == "province"; }))
        for (const auto& row : summary.rows)
            if (row.level == "district")
                shown.push_back(&row);
    for (const SummaryRow* shown_row : shown) {
        const SummaryRow& row = *shown_row;
        const ClassCounts& a = row.counts[any];
        const ClassCounts& b = row.counts[bb];
        out << pad_right(unit_label(row), name_w) << pad_left(text::thousands(a.villages), 9)
            << pad_left(text::thousands(a.white), 8) << pad_left(text::thousands(a.partial), 9)
            << pad_left(pct(a.coverage_rate()), 9) << pad_left(text::thousands(b.white), 8)
            << pad_left(text::thousands(b.partial), 9) << pad_left(pct(b.coverage_rate()), 9)
            << pad_left(text::thousands(static_cast<long long>(b.people_without + 0.5)), 12)
            << "\n";
    }
    if (summary.stability_runs > 0 && !summary.rows.empty()) {
        // One line: how many of today's white villages stay white under the inputs' uncertainty.
        const ClassCounts& b = summary.rows.front().counts[bb];
        out << "\nstability: of " << text::thousands(b.white) << " white (broadband) villages, "
            << text::thousands(b.white_firm)
            << " are firm (same status in >= " << text::fixed(100.0 * summary.firm_from, 0)
            << " % of " << summary.stability_runs << " varied runs) and "
            << text::thousands(b.white_borderline) << " borderline\n";
    }

    std::set<std::string> operators;
    std::map<std::pair<std::string, Tech>, long> sites;
    for (const auto& s : summary.sites) {
        operators.insert(s.operator_name);
        sites[{s.operator_name, s.tech}] = s.sites;
    }
    out << "\n" << pad_right("sites", 16);
    for (Tech t : kTechs)
        out << pad_left(std::string(to_string(t)), 7);
    out << "\n";
    for (const auto& op : operators) {
        out << pad_right(op.empty() ? "(unknown)" : op, 16);
        for (Tech t : kTechs) {
            auto it = sites.find({op, t});
            out << pad_left(it == sites.end() ? "-" : text::thousands(it->second), 7);
        }
        out << "\n";
    }
    return out.str();
}

} // namespace whitezone
