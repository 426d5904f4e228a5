#pragma once
// Private helpers of the report (src/publish): the sentence templates of each language, the
// tables per unit, the trend read back for the chart, and the embedded map library.

#include "whitezone/publish.hpp"
#include "whitezone/report/trend.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone::publish {

/// The words and sentence templates of one language, in one table (sentences.cpp;
/// docs/report.md lists both). "{key}" in a template is replaced by fill().
struct Templates {
    std::string_view html_lang;
    std::string_view title, area_all, generated_from;
    std::string_view sites, sites_per_tech, sites_tech_item, sites_operators, sites_operator_item,
        no_sites;
    std::string_view villages, villages_any, share, people;
    std::string_view change, change_newly, no_baseline_rows;
    std::string_view operators, operator_item;
    std::string_view gaps, gap_item, gap_item_no_reason, no_gaps;
    std::string_view reason_no_power, reason_terrain, reason_far, reason_few_households;
    std::string_view limits, limit_item, no_limits;
    std::string_view model, model_unknown;
    // Headings and table columns.
    std::string_view h_summary, h_map, h_units, h_operators, h_trend, h_plan;
    std::string_view c_unit, c_villages, c_covered, c_partial, c_white, c_rate, c_people, c_before,
        c_operator, c_sites, c_villages_any, c_villages_bb, c_only_any, c_only_bb;
    // Map legend.
    std::string_view l_white, l_partial, l_covered, l_coverage_any, l_coverage_bb, l_stations,
        l_proposed, l_links, l_planned, l_villages;
    // The levels' names, in the unit table's title.
    std::string_view level_province, level_district, level_commune, level_unit;
    std::string_view plan_sentence;
    // The plan's table: its columns, the sources of its sites and whether one is linked.
    std::string_view c_pick, c_source, c_village_id, c_lon, c_lat, c_new_villages, c_new_people,
        c_connected, c_hop;
    std::string_view source_gap_village, source_high_point, source_candidates, yes, no;
    /// Flag names (summary "flag_<name>") in the language; a flag not listed keeps its name.
    std::map<std::string, std::string, std::less<>> flags;
    /// The map popups' field names in the language; a field not listed keeps its name.
    std::map<std::string, std::string, std::less<>> fields;
    /// The statuses ("white", "partial", "covered") as the popups write them.
    std::map<std::string, std::string, std::less<>> statuses;
};

/// The table of `language`.
const Templates& templates(ReportLanguage language);

/// The words of the trend chart in `language` (English: the chart of `whitezone trend`).
TrendChartWords chart_words(ReportLanguage language);

/// `tmpl` with each "{key}" replaced by values.at(key); unknown keys stay as written.
std::string fill(std::string_view tmpl, const std::map<std::string, std::string>& values);

/// A table of text cells: headings and rows (the numbers already formatted).
struct TextTable {
    std::string title;
    std::vector<std::string> head;
    std::vector<std::vector<std::string>> rows;
};

/// The level of the unit tables: options.level, or (empty or "auto") unit where the summary
/// has unit rows (analyze --units), else district, else commune, else province. Throws
/// UsageError for an unknown level and InputError when the summary has no rows of it.
std::string table_level(const ReportData& data, const ReportOptions& options);

/// The tables of the report: units at `level` (with the baseline's white and covered
/// villages beside when given), villages per operator (summary_operators, when present),
/// the plan's proposed sites (when given).
std::vector<TextTable> report_tables(const ReportData& data, const ReportOptions& options);

/// The trend layer read back as the rows trend_chart_svg() draws.
Trend trend_of(const ReportLayer& layer);

/// The map library, inlined into the page (third_party/leaflet, embedded at build time).
std::string_view leaflet_js();
std::string_view leaflet_css();

/// The index of the summary's row at level "all", or −1.
long all_row(const ReportLayer& summary);

} // namespace whitezone::publish
