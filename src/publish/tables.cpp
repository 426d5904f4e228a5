// The tables of the report: one row per unit at the chosen level (with the baseline's numbers
// beside), villages per operator, the plan's proposed sites; and the trend read back.

#include "whitezone/error.hpp"

#include "publish/publish.hpp"

#include <algorithm>
#include <cmath>

namespace whitezone::publish {

namespace {

// A unit's key: its codes where the summary has them (two communes with one name stay apart),
// else its names; a unit of --units by its code alone, as analyze --baseline matches it.
std::string unit_key(const ReportLayer& s, std::size_t i) {
    std::string key = s.text(i, "level");
    if (key == "unit")
        return key + '\x1f' + s.text(i, "unit_code");
    for (const char* f : {"province", "district", "commune"}) {
        const std::string code = std::string(f) + "_code";
        key += '\x1f';
        key += s.has(code) && !s.text(i, code).empty() ? s.text(i, code) : s.text(i, f);
    }
    return key;
}

// The unit's name as the table shows it, with the units above it in brackets so that two
// units of one name stay apart (Xã Tân Lập is a commune of several provinces, Huyện Bảo Lâm a
// district of two): "commune (district, province)", "district (province)"; with its code in
// square brackets where the summary has one.
std::string unit_name(const ReportLayer& s, std::size_t i, const std::string& level) {
    if (level == "unit") {
        // A unit of --units: its name, else its code alone.
        const std::string code = s.text(i, "unit_code"), name = s.text(i, "unit_name");
        return name.empty() ? code : code.empty() ? name : name + " [" + code + "]";
    }
    const std::string province = s.text(i, "province"), district = s.text(i, "district");
    std::string name = s.text(i, level);
    std::vector<std::string> above;
    if (level == "commune" && !district.empty())
        above.push_back(district);
    if (level == "district" && district.empty())
        name = province; // the villages of the province that carry no district
    else if (level != "province" && !province.empty())
        above.push_back(province);
    for (std::size_t k = 0; k < above.size(); ++k)
        name += (k == 0 ? " (" : ", ") + above[k] + (k + 1 == above.size() ? ")" : "");
    const std::string code = s.text(i, level + "_code");
    if (!code.empty())
        name += " [" + code + "]";
    return name;
}

std::string count(const ReportLayer& s, std::size_t i, const std::string& f, ReportLanguage l) {
    const auto n = s.number(i, f);
    return n ? format_count(std::llround(*n), l) : "–";
}

bool has_level(const ReportLayer& s, const std::string& level) {
    for (std::size_t i = 0; i < s.rows.size(); ++i)
        if (s.text(i, "level") == level)
            return true;
    return false;
}

TextTable unit_table(const ReportData& data, const ReportOptions& options,
                     const std::string& level) {
    const Templates& t = templates(options.language);
    const ReportLanguage l = options.language;
    const ReportLayer& s = *data.results.layer("summary");
    const ReportLayer* b = data.baseline ? data.baseline->layer("summary") : nullptr;
    std::map<std::string, std::size_t> before;
    if (b)
        for (std::size_t i = 0; i < b->rows.size(); ++i)
            before.emplace(unit_key(*b, i), i);
    TextTable table;
    table.title = fill(t.h_units, {{"level", std::string(level == "province"   ? t.level_province
                                                         : level == "district" ? t.level_district
                                                         : level == "unit"     ? t.level_unit
                                                                           : t.level_commune)}});
    const std::string before_suffix = " (" + std::string(t.c_before) + ")";
    table.head = {std::string(t.c_unit), std::string(t.c_villages)};
    if (b)
        table.head.push_back(std::string(t.c_villages) + before_suffix);
    table.head.insert(table.head.end(),
                      {std::string(t.c_covered), std::string(t.c_partial), std::string(t.c_white)});
    if (b)
        table.head.insert(table.head.end(), {std::string(t.c_covered) + before_suffix,
                                             std::string(t.c_white) + before_suffix});
    table.head.insert(table.head.end(), {std::string(t.c_rate), std::string(t.c_people)});
    for (std::size_t i = 0; i < s.rows.size(); ++i) {
        const std::string row_level = s.text(i, "level");
        if (row_level != level && row_level != "all")
            continue;
        std::vector<std::string> row{row_level == "all" ? std::string(t.area_all)
                                                        : unit_name(s, i, level),
                                     count(s, i, "villages", l)};
        const auto it = b ? before.find(unit_key(s, i)) : before.end();
        const bool matched = b && it != before.end();
        if (b)
            row.push_back(matched ? count(*b, it->second, "villages", l) : "–");
        for (const char* f : {"covered_broadband", "partial_broadband", "white_broadband"})
            row.push_back(count(s, i, f, l));
        if (b) {
            row.push_back(matched ? count(*b, it->second, "covered_broadband", l) : "–");
            row.push_back(matched ? count(*b, it->second, "white_broadband", l) : "–");
        }
        const auto rate = s.number(i, "coverage_rate_broadband");
        row.push_back(rate ? format_percent(*rate, l) : "–");
        row.push_back(count(s, i, "people_without_broadband", l));
        table.rows.push_back(std::move(row));
    }
    return table;
}

// Villages per operator (summary_operators) at `level` and "all", when the result has it.
std::optional<TextTable> operator_table(const ReportData& data, const ReportOptions& options,
                                        const std::string& level) {
    const ReportLayer* ops = data.results.layer("summary_operators");
    if (!ops || !ops->has("operator"))
        return std::nullopt;
    const Templates& t = templates(options.language);
    TextTable table;
    table.title = std::string(t.h_operators);
    table.head = {std::string(t.c_unit), std::string(t.c_operator)};
    const std::vector<std::pair<std::string, std::string_view>> columns{
        {"sites", t.c_sites},
        {"villages_any", t.c_villages_any},
        {"villages_broadband", t.c_villages_bb},
        {"only_any", t.c_only_any},
        {"only_broadband", t.c_only_bb}};
    for (const auto& [f, head] : columns)
        if (ops->has(f))
            table.head.emplace_back(head);
    for (std::size_t i = 0; i < ops->rows.size(); ++i) {
        const std::string row_level = ops->has("level") ? ops->text(i, "level") : "all";
        if (row_level != level && row_level != "all")
            continue;
        std::vector<std::string> row{row_level == "all" ? std::string(t.area_all)
                                                        : unit_name(*ops, i, level),
                                     ops->text(i, "operator")};
        for (const auto& [f, head] : columns)
            if (ops->has(f))
                row.push_back(count(*ops, i, f, options.language));
        table.rows.push_back(std::move(row));
    }
    return table;
}

std::optional<TextTable> plan_table(const ReportData& data, const ReportOptions& options) {
    if (!data.plan)
        return std::nullopt;
    const ReportLayer& p = *data.plan->layer("proposed_sites");
    const Templates& t = templates(options.language);
    const ReportLanguage l = options.language;
    TextTable table;
    table.title = std::string(t.h_plan);
    // The fields the plan writes, in this order, where present (`pick` replaces `order`),
    // with their headings in the language.
    const std::vector<std::pair<std::string, std::string_view>> wanted{
        {"pick", t.c_pick},
        {"order", t.c_pick},
        {"lon", t.c_lon},
        {"lat", t.c_lat},
        {"village_id", t.c_village_id},
        {"candidate_source", t.c_source},
        {"new_villages", t.c_new_villages},
        {"new_people", t.c_new_people},
        {"connected", t.c_connected},
        {"hop_m", t.c_hop}};
    std::vector<std::string> fields;
    for (const auto& [f, head] : wanted)
        if (p.has(f)) {
            fields.push_back(f);
            table.head.emplace_back(head);
        }
    const std::map<std::string, std::string_view, std::less<>> sources{
        {"gap_village", t.source_gap_village},
        {"high_point", t.source_high_point},
        {"candidates", t.source_candidates}};
    for (std::size_t i = 0; i < p.rows.size(); ++i) {
        std::vector<std::string> row;
        for (const std::string& f : fields) {
            const auto n = p.number(i, f);
            if (f == "candidate_source") {
                const auto it = sources.find(p.text(i, f));
                row.push_back(it == sources.end() ? p.text(i, f) : std::string(it->second));
            } else if (!n) {
                row.push_back(p.text(i, f));
            } else if (f == "connected") {
                row.emplace_back(*n != 0.0 ? t.yes : t.no);
            } else if (f == "lon" || f == "lat") {
                row.push_back(format_decimal(*n, 5, l));
            } else {
                row.push_back(format_count(std::llround(*n), l));
            }
        }
        table.rows.push_back(std::move(row));
    }
    return table;
}

} // namespace

std::string table_level(const ReportData& data, const ReportOptions& options) {
    const ReportLayer& s = *data.results.layer("summary");
    if (!options.level.empty() && options.level != "auto") {
        if (options.level != "province" && options.level != "district" &&
            options.level != "commune" && options.level != "unit")
            throw UsageError("report: --level '" + options.level +
                             "' is not a level; use province, district, commune, unit or auto.");
        if (!has_level(s, options.level))
            throw InputError(
                "report: the summary of '" + options.results + "' has no '" + options.level +
                "' rows" +
                (options.level == "district" ? " (data after the July 2025 reform has no districts)"
                 : options.level == "unit"
                     ? " (the result was analyzed without --units; run analyze again with "
                       "--units FILE to count the villages in those units)"
                     : "") +
                "; use --level province, district, commune or unit with a level the "
                "summary has.");
        return options.level;
    }
    // As analyze's console (--level auto): the units of --units, else districts, else communes.
    for (const char* level : {"unit", "district", "commune", "province"})
        if (has_level(s, level))
            return level;
    return "province";
}

std::vector<TextTable> report_tables(const ReportData& data, const ReportOptions& options) {
    const std::string level = table_level(data, options);
    std::vector<TextTable> out{unit_table(data, options, level)};
    if (auto ops = operator_table(data, options, level))
        out.push_back(std::move(*ops));
    if (auto plan = plan_table(data, options))
        out.push_back(std::move(*plan));
    return out;
}

Trend trend_of(const ReportLayer& layer) {
    Trend trend;
    for (std::size_t i = 0; i < layer.rows.size(); ++i) {
        TrendRow row;
        row.year = static_cast<int>(layer.number(i, "year").value_or(0));
        row.stations = std::lround(layer.number(i, "stations").value_or(0));
        row.sites = std::lround(layer.number(i, "sites").value_or(0));
        for (ServiceClass cls : kServiceClasses) {
            const std::string suffix = "_" + std::string(to_string(cls));
            ClassCounts& c = row.counts[index_of(cls)];
            c.villages = std::lround(layer.number(i, "villages").value_or(0));
            c.white = std::lround(layer.number(i, "white" + suffix).value_or(0));
            c.partial = std::lround(layer.number(i, "partial" + suffix).value_or(0));
            c.covered = std::lround(layer.number(i, "covered" + suffix).value_or(0));
            c.people_without = layer.number(i, "people_without" + suffix).value_or(0);
        }
        trend.rows.push_back(row);
    }
    return trend;
}

} // namespace whitezone::publish
