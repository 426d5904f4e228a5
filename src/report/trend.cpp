// The trend of white and partial villages per year: its rows and its console table.

#include "whitezone/report/trend.hpp"

#include "common/text.hpp"

#include <set>
#include <sstream>
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

namespace {

using text::pad_left;
using text::pad_right;

std::string n(long value) { return text::thousands(value); }

// "broadband (3G and up)", "any (2G and up)".
std::string class_label(ServiceClass cls) {
    return std::string(to_string(cls)) +
           (cls == ServiceClass::Broadband ? " (3G and up)" : " (2G and up)");
}

} // namespace

std::string format_trend(const Trend& trend) {
    const ServiceClass first = trend.service_class;
    const ServiceClass second =
        first == ServiceClass::Broadband ? ServiceClass::Any : ServiceClass::Broadband;
    const long villages = trend.rows.empty() ? 0 : trend.rows.front().counts[0].villages;

    std::ostringstream out;
    out << "trend: " << n(villages) << " villages, with the stations on air by the end of each "
        << "year\n";
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
    return out.str();
}

} // namespace whitezone
