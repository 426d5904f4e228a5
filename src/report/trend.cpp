// The trend of white and partial villages per year: its rows and its console table.

#include "whitezone/report/trend.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <tuple>
#include <utility>

namespace whitezone {

TrendRow trend_row(int year, const std::vector<Station>& on_air,
                   const Classification& classification) {
    TrendRow row;
    row.year = year;
    row.stations = static_cast<long>(on_air.size());
    std::set<std::pair<std::string_view, std::string_view>> sites;
    for (const auto& s : on_air)
        sites.insert({s.operator_name, s.site_id});
    row.sites = static_cast<long>(sites.size());
    row.counts = count_villages(classification);
    return row;
}

std::vector<TrendUnitRow> trend_unit_rows(int year, const PreparedInputs& inputs,
                                          const Classification& classification) {
    // The summary's units, so that the trend per unit and the summary agree (the last year
    // with every station on air equals the summary's rows).
    const Summary summary = summarize(inputs, classification);
    std::vector<TrendUnitRow> out;
    for (const SummaryRow& r : summary.rows)
        if (r.level != "all")
            out.push_back({year, r.level, r.province, r.district, r.commune, r.counts,
                           r.province_code, r.district_code, r.commune_code, r.unit_code,
                           r.unit_name, r.unit_level, r.parent_code});
    return out;
}

namespace {

using text::pad_left;
using text::pad_right;

std::string n(long value) { return text::thousands(value); }

// "broadband (3G and up)", "any (2G and up)".
std::string class_label(ServiceClass cls) {
    return std::string(to_string(cls)) +
           (cls == ServiceClass::Broadband ? " (3G and up)" : " (2G and up)");
}

// The unit's name as the console shows it: "Lạng Sơn", "Cao Lộc (Lạng Sơn)".
std::string unit_label(const TrendUnitRow& r) {
    if (r.level == "province")
        return r.province;
    const std::string& name = r.level == "district" ? r.district : r.commune;
    return (name.empty() ? "(none)" : name) + (r.province.empty() ? "" : " (" + r.province + ")");
}

// The series of white + partial per unit: the provinces and the level below them (districts,
// else communes), one line each, in the summary's order.
std::string format_unit_series(const Trend& trend) {
    if (trend.units.empty() || trend.rows.empty())
        return {};
    bool has_district = false;
    for (const auto& u : trend.units)
        has_district = has_district || u.level == "district";
    const std::string below = has_district ? "district" : "commune";
    using Key = std::tuple<std::string, std::string, std::string, std::string>;
    std::vector<Key> order;
    std::map<Key, std::map<int, long>> series;
    std::map<Key, std::string> labels;
    for (const auto& u : trend.units) {
        if (u.level != "province" && u.level != below)
            continue;
        const Key key{u.level, u.province, u.district, u.commune};
        if (!series.contains(key)) {
            order.push_back(key);
            labels[key] = unit_label(u);
        }
        const ClassCounts& c = u.counts[index_of(trend.service_class)];
        series[key][u.year] = c.white + c.partial;
    }
    if (order.empty())
        return {};
    std::size_t width = 8;
    for (const auto& [key, label] : labels)
        width = std::max(width, text::width(label) + 2);
    std::ostringstream out;
    out << "white + partial (" << to_string(trend.service_class) << ") per province and " << below
        << ":\n";
    for (const Key& key : order) {
        out << "  " << pad_right(labels[key], width);
        bool first_year = true;
        for (const auto& r : trend.rows) {
            const auto it = series[key].find(r.year);
            out << (first_year ? "" : " -> ") << (it == series[key].end() ? "-" : n(it->second));
            first_year = false;
        }
        out << "\n";
    }
    return out.str();
}

} // namespace

std::string format_trend(const Trend& trend) {
    const ServiceClass first = trend.service_class;
    const ServiceClass second =
        first == ServiceClass::Broadband ? ServiceClass::Any : ServiceClass::Broadband;
    const long villages = trend.rows.empty() ? 0 : trend.rows.front().counts[0].villages;

    std::ostringstream out;
    out << "trend: " << n(villages) << " villages, with "
        << (trend.year_lists ? "each year's own station list (--stations-year)"
                             : "the stations on air by the end of each year")
        << "\n";
    // Column widths: year, sites, stations, then per class white, partial, covered, people.
    constexpr std::size_t kYear = 4, kSites = 8, kStations = 10, kCount = 9, kPeople = 13;
    constexpr std::size_t kClass = 3 * kCount + kPeople;
    out << pad_right("", kYear + kSites + kStations) << "  "
        << pad_right(class_label(first), kClass) << "  " << class_label(second) << "\n";
    auto class_head = [&] {
        return pad_left("white", kCount) + pad_left("partial", kCount) +
               pad_left("covered", kCount) + pad_left("people w/o", kPeople);
    };
    out << pad_right("year", kYear) << pad_left("sites", kSites) << pad_left("stations", kStations)
        << "  " << class_head() << "  " << class_head() << "\n";
    auto class_cells = [&](const ClassCounts& c) {
        return pad_left(n(c.white), kCount) + pad_left(n(c.partial), kCount) +
               pad_left(n(c.covered), kCount) + pad_left(text::fixed(c.people_without, 1), kPeople);
    };
    for (const auto& r : trend.rows) {
        out << pad_right(std::to_string(r.year), kYear) << pad_left(n(r.sites), kSites)
            << pad_left(n(r.stations), kStations) << "  " << class_cells(r.counts[index_of(first)])
            << "  " << class_cells(r.counts[index_of(second)]) << "\n";
    }
    // The provinces' series: villages with no or weak signal.
    out << "white + partial (" << to_string(first) << "):";
    for (std::size_t i = 0; i < trend.rows.size(); ++i) {
        const ClassCounts& c = trend.rows[i].counts[index_of(first)];
        out << (i ? " -> " : " ") << n(c.white + c.partial);
    }
    out << "\n";
    if (trend.undated > 0)
        out << n(trend.undated) << " station" << (trend.undated == 1 ? "" : "s")
            << " without an on-air year counted in every year\n";
    out << format_unit_series(trend);
    return out.str();
}

} // namespace whitezone
