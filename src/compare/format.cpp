// The console table of a comparison (docs/compare.md#console).

#include "whitezone/compare.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <sstream>

namespace whitezone {

namespace {

using text::pad_left;
using text::pad_right;
using text::width;

std::string arrow(const std::string& before, const std::string& after) {
    return before + " → " + after;
}

// The rows shown: the totals, each province followed by its districts (its communes when the
// runs have no district level); the lower levels are in the change_summary table.
std::vector<const ChangeRow*> shown_rows(const std::vector<ChangeRow>& rows) {
    const bool districts = std::any_of(rows.begin(), rows.end(),
                                       [](const ChangeRow& r) { return r.level == "district"; });
    const std::string below = districts ? "district" : "commune";
    const bool provinces = std::any_of(rows.begin(), rows.end(),
                                       [](const ChangeRow& r) { return r.level == "province"; });
    std::vector<const ChangeRow*> shown;
    for (const auto& row : rows) {
        if (row.level == "all")
            shown.push_back(&row);
        if (!provinces && row.level == below)
            shown.push_back(&row);
        if (row.level != "province")
            continue;
        shown.push_back(&row);
        for (const auto& sub : rows)
            if (sub.level == below && sub.province == row.province)
                shown.push_back(&sub);
    }
    return shown;
}

} // namespace

std::string format_comparison(const Comparison& comparison) {
    std::ostringstream out;
    const std::vector<const ChangeRow*> shown = shown_rows(comparison.rows);
    std::size_t name_w = 14;
    for (const ChangeRow* row : shown)
        name_w = std::max(name_w, width(text::unit_label(*row)) + 1);
    using T = Transition;
    const std::array<std::pair<T, const char*>, 7> columns{{{T::NewlyCovered, "+covered"},
                                                            {T::NewlyPartial, "+partial"},
                                                            {T::Improved, "improved"},
                                                            {T::NewlyWhite, "+white"},
                                                            {T::Worsened, "worsened"},
                                                            {T::NewVillage, "new"},
                                                            {T::GoneVillage, "gone"}}};
    for (ServiceClass cls : {ServiceClass::Broadband, ServiceClass::Any}) {
        out << (cls == ServiceClass::Broadband ? "broadband (3G+)" : "\nany (2G+)")
            << ": before → after\n";
        out << pad_right("unit", name_w) << pad_left("villages", 15) << pad_left("white", 15)
            << pad_left("covered", 17);
        for (const auto& [t, label] : columns)
            out << pad_left(label, 10);
        out << "\n";
        for (const ChangeRow* row : shown) {
            const ChangeCounts& k = row->counts[index_of(cls)];
            out << pad_right(text::unit_label(*row), name_w)
                << pad_left(
                       arrow(text::thousands(k.before.villages), text::thousands(k.after.villages)),
                       15)
                << pad_left(arrow(text::thousands(k.before.white), text::thousands(k.after.white)),
                            15)
                << pad_left(arrow(text::percent(k.before.coverage_rate()),
                                  text::percent(k.after.coverage_rate())),
                            17);
            for (const auto& [t, label] : columns)
                out << pad_left(text::thousands(k.count(t)), 10);
            out << "\n";
        }
    }
    long by_id = 0, by_place = 0, added = 0, gone = 0;
    for (const VillageChange& c : comparison.changes) {
        by_id += c.matched_by == MatchKind::Id;
        by_place += c.matched_by == MatchKind::Geometry;
        added += c.before < 0;
        gone += c.after < 0;
    }
    out << "\nvillages: " << text::thousands(by_id) << " matched by id, "
        << text::thousands(by_place) << " by place (within "
        << text::fixed(comparison.match_tolerance_m, 0) << " m), " << text::thousands(added)
        << " only after (new), " << text::thousands(gone) << " only before (gone)\n";
    return out.str();
}

} // namespace whitezone
