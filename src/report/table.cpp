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

// The level listed under each province: `level`, or for "auto" the units of --units, else
// districts, else communes (with no district level after the 2025 reform).
std::string listed_level(const Summary& summary, std::string_view level) {
    if (!level.empty() && level != "auto")
        return std::string(level);
    for (const char* l : {"unit", "district", "commune"})
        for (const auto& row : summary.rows)
            if (row.level == l)
                return l;
    return "province";
}

} // namespace

std::string format_summary(const Summary& summary, std::string_view level) {
    std::ostringstream out;
    const std::string listed = listed_level(summary, level);
    std::size_t name_w = 14;
    for (const auto& row : summary.rows)
        if (row.level == "all" || row.level == "province" || row.level == listed)
            name_w = std::max(name_w, width(text::unit_label(row)) + 1);

    const auto& any = index_of(ServiceClass::Any);
    const auto& bb = index_of(ServiceClass::Broadband);
    out << pad_right("unit", name_w) << pad_left("villages", 9) << pad_left("white", 8)
        << pad_left("partial", 9) << pad_left("covered", 9) << pad_left("white", 8)
        << pad_left("partial", 9) << pad_left("covered", 9) << pad_left("people w/o", 12) << "\n";
    out << pad_right("", name_w) << pad_left("", 9) << pad_left("--- any (2G+) ---", 26)
        << pad_left("--- broadband (3G+) ---", 26) << pad_left("broadband", 12) << "\n";
    // Each province followed by its own units of the listed level (the others are in the
    // `summary` layer); units under no province shown (a unit of --units across two) last.
    std::vector<const SummaryRow*> shown;
    for (const auto& row : summary.rows)
        if (row.level == "all" || row.level == "province")
            shown.push_back(&row);
    std::set<const SummaryRow*> placed;
    const bool lists = listed != "province" && listed != "all";
    for (std::size_t k = shown.size(); lists && k-- > 0;) {
        if (shown[k]->level != "province")
            continue;
        std::vector<const SummaryRow*> units;
        for (const auto& row : summary.rows)
            if (row.level == listed && row.province == shown[k]->province &&
                row.province_code == shown[k]->province_code) {
                units.push_back(&row);
                placed.insert(&row);
            }
        shown.insert(shown.begin() + static_cast<long>(k) + 1, units.begin(), units.end());
    }
    for (const auto& row : summary.rows)
        if (lists && row.level == listed && !placed.count(&row))
            shown.push_back(&row);
    for (const SummaryRow* shown_row : shown) {
        const SummaryRow& row = *shown_row;
        const ClassCounts& a = row.counts[any];
        const ClassCounts& b = row.counts[bb];
        out << pad_right(text::unit_label(row), name_w) << pad_left(text::thousands(a.villages), 9)
            << pad_left(text::thousands(a.white), 8) << pad_left(text::thousands(a.partial), 9)
            << pad_left(text::percent(a.coverage_rate()), 9)
            << pad_left(text::thousands(b.white), 8) << pad_left(text::thousands(b.partial), 9)
            << pad_left(text::percent(b.coverage_rate()), 9)
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

    // Per operator, of all villages: those whose centre it reaches, and those it alone reaches.
    std::vector<const OperatorCount*> all_ops;
    for (const auto& c : summary.operators)
        if (summary.unit_of(c).level == "all")
            all_ops.push_back(&c);
    if (!all_ops.empty()) {
        out << "\n"
            << pad_right("operator", 16) << pad_left("sites", 7) << pad_left("villages", 10)
            << pad_left("alone", 8) << pad_left("villages", 10) << pad_left("alone", 8) << "\n"
            << pad_right("", 23) << pad_left("--- any (2G+) ---", 18)
            << pad_left("--- broadband ---", 18) << "\n";
        for (const OperatorCount* c : all_ops)
            out << pad_right(c->operator_name.empty() ? std::string(kUnknownOperator)
                                                      : c->operator_name,
                             16)
                << pad_left(text::thousands(c->sites()), 7)
                << pad_left(text::thousands(c->villages_any), 10)
                << pad_left(text::thousands(c->only_any), 8)
                << pad_left(text::thousands(c->villages_broadband), 10)
                << pad_left(text::thousands(c->only_broadband), 8) << "\n";
    }
    return out.str();
}

} // namespace whitezone
