// The report's sentences: one table of templates per language (the words a provincial
// department's report uses: thôn trắng sóng, thôn lõm sóng, trạm BTS, phủ sóng), filled
// with the numbers of the result. docs/report.md lists both tables and the reasons' rules.

#include "publish/publish.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <optional>
#include <set>

namespace whitezone::publish {

namespace {

const Templates kVietnamese{
    "vi",
    "Báo cáo hiện trạng phủ sóng di động",
    "toàn vùng",
    "Lập bằng whitezone từ {file}.",
    "Trên địa bàn {area} có {sites} trạm BTS.",
    "Số trạm theo công nghệ: {items} (một trạm phát nhiều công nghệ được tính ở mỗi công nghệ).",
    "{tech}: {n} trạm",
    "Theo nhà mạng: {items}.",
    "{operator} {n} trạm",
    "Dữ liệu không có trạm BTS nào.",
    "Trong tổng số {villages} thôn, bản, {covered} thôn được phủ sóng băng rộng (3G trở lên), "
    "{partial} thôn lõm sóng và {white} thôn trắng sóng.",
    "Tính cả sóng 2G, {covered_any} thôn được phủ sóng, {partial_any} thôn lõm sóng và "
    "{white_any} thôn trắng sóng.",
    "Tỷ lệ thôn được phủ sóng băng rộng đạt {rate}; {signal_rate} số thôn có sóng băng rộng tại "
    "trung tâm thôn.",
    "Khoảng {people} người dân chưa có sóng băng rộng.",
    "So với kỳ trước ({villages_before} thôn): số thôn trắng sóng từ {white_before} thành "
    "{white} ({white_delta}), số thôn được phủ sóng từ {covered_before} thành {covered} "
    "({covered_delta}).",
    "Trong đó {newly_covered} thôn mới được phủ sóng và {newly_white} thôn mới trở thành trắng "
    "sóng.",
    "Kỳ trước không có số liệu cho cùng đơn vị.",
    "Theo nhà mạng (băng rộng): {items}.",
    "{operator} phủ sóng {villages} thôn, trong đó {only} thôn chỉ có {operator}",
    "Mười thôn cần ưu tiên xây trạm BTS nhất (theo thứ hạng):",
    "{rank}. {name}, {place}: {people} người chưa có sóng; {reasons}.",
    "{rank}. {name}, {place}: {people} người chưa có sóng.",
    "Không còn thôn trắng sóng hay lõm sóng nào cần xếp hạng.",
    "chưa có điện lưới",
    "bị địa hình che khuất (trạm gần nhất cách {km} km)",
    "xa mạng lưới (trạm gần nhất cách {km} km)",
    "ít hộ dân ({households} hộ)",
    "Giới hạn của dữ liệu: {flagged} thôn có ghi chú về dữ liệu ({items}).",
    "{flag}: {n}",
    "Không thôn nào có ghi chú về dữ liệu.",
    "Mô hình phủ sóng: {model}.",
    "Kết quả không ghi mô hình phủ sóng đã dùng.",
    "Tóm tắt",
    "Bản đồ",
    "Theo đơn vị ({level})",
    "Theo nhà mạng",
    "Diễn biến theo năm",
    "Trạm đề xuất",
    "Đơn vị",
    "Số thôn",
    "Phủ sóng",
    "Lõm sóng",
    "Trắng sóng",
    "Tỷ lệ phủ sóng",
    "Người chưa có sóng",
    "kỳ trước",
    "Nhà mạng",
    "Số trạm",
    "Thôn có sóng",
    "Thôn có sóng băng rộng",
    "Chỉ nhà mạng này",
    "Chỉ nhà mạng này (băng rộng)",
    "thôn trắng sóng",
    "thôn lõm sóng",
    "thôn được phủ sóng",
    "vùng phủ sóng (2G trở lên)",
    "vùng phủ sóng băng rộng (3G trở lên)",
    "trạm BTS",
    "trạm đề xuất",
    "tuyến truyền dẫn",
    "trạm theo kế hoạch",
    "thôn, bản",
    "tỉnh",
    "huyện",
    "xã",
    "đơn vị hành chính",
    "Kế hoạch đề xuất {n} trạm BTS mới, phủ sóng thêm cho khoảng {people} người.",
    "Thứ tự chọn",
    "Loại vị trí",
    "Mã thôn",
    "Kinh độ",
    "Vĩ độ",
    "Số thôn có sóng mới",
    "Số người có sóng mới",
    "Nối mạng truyền dẫn",
    "Chặng truyền dẫn (m)",
    "tâm thôn trắng/lõm sóng",
    "điểm cao gần thôn",
    "vị trí ứng viên",
    "có",
    "không",
    {{"no_population", "thiếu số dân"},
     {"households_as_people", "lấy số hộ thay số dân"},
     {"power_unknown", "chưa rõ có điện lưới"},
     {"centre_outside", "tâm thôn nằm ngoài ranh giới"},
     {"centre_estimated", "tâm thôn ước tính"},
     {"repaired", "ranh giới thôn được sửa"},
     {"no_dem", "không có dữ liệu địa hình tại tâm thôn"},
     {"dem_partial", "thiếu một phần dữ liệu địa hình"},
     {"far_from_stations", "không có trạm trong tầm phủ"},
     {"settlement_unmatched", "không khớp cụm dân cư"},
     {"outside_units", "không thuộc đơn vị hành chính nào"}},
    {{"village_id", "Mã thôn"},
     {"name", "Tên thôn"},
     {"ten_thon", "Tên thôn"},
     {"village_name", "Tên thôn"},
     {"commune", "Xã"},
     {"xa", "Xã"},
     {"commune_code", "Mã xã"},
     {"district", "Huyện"},
     {"huyen", "Huyện"},
     {"district_code", "Mã huyện"},
     {"province", "Tỉnh"},
     {"province_code", "Mã tỉnh"},
     {"unit_name", "Đơn vị hành chính"},
     {"unit_code", "Mã đơn vị hành chính"},
     {"population", "Số dân"},
     {"households", "Số hộ"},
     {"has_power", "Có điện lưới"},
     {"status_broadband", "Sóng băng rộng (3G trở lên)"},
     {"status_any", "Sóng di động (2G trở lên)"},
     {"share_broadband", "Tỷ lệ diện tích có sóng băng rộng"},
     {"share_any", "Tỷ lệ diện tích có sóng (2G trở lên)"},
     {"people_without_broadband", "Số người chưa có sóng băng rộng"},
     {"nearest_site_m", "Cách trạm gần nhất (m)"},
     {"operators_broadband", "Nhà mạng có sóng băng rộng tại tâm thôn"},
     {"operators_any", "Nhà mạng có sóng tại tâm thôn"},
     {"flags", "Ghi chú dữ liệu"},
     {"gap_rank", "Thứ hạng ưu tiên xây trạm"},
     {"class", "Loại sóng"},
     {"area_km2", "Diện tích (km²)"},
     {"site_key", "Trạm"},
     {"technology", "Công nghệ"},
     {"operator_name", "Nhà mạng"},
     {"radius_m", "Bán kính phủ sóng (m)"}},
    {{"white", "trắng sóng"}, {"partial", "lõm sóng"}, {"covered", "được phủ sóng"}},
};

const Templates kEnglish{
    "en",
    "Mobile coverage report",
    "the area",
    "Made with whitezone from {file}.",
    "{area} has {sites} BTS sites.",
    "Sites per technology: {items} (a site with several technologies counts in each).",
    "{tech}: {n} sites",
    "Per operator: {items}.",
    "{operator} {n} sites",
    "The data holds no BTS site.",
    "Of {villages} villages, {covered} are covered by broadband (3G and up), {partial} are "
    "partial (lõm sóng) and {white} are white (trắng sóng).",
    "Counting 2G too, {covered_any} villages are covered, {partial_any} partial and {white_any} "
    "white.",
    "The broadband coverage rate is {rate}; {signal_rate} of the villages have broadband signal "
    "at their centre.",
    "About {people} people have no broadband signal.",
    "Since the baseline ({villages_before} villages): white villages from {white_before} to "
    "{white} ({white_delta}), covered villages from {covered_before} to {covered} "
    "({covered_delta}).",
    "{newly_covered} villages are newly covered and {newly_white} newly white.",
    "The baseline has no numbers for the same units.",
    "Per operator (broadband): {items}.",
    "{operator} covers {villages} villages, {only} of them with {operator} only",
    "The ten highest-ranked gap villages for a new BTS site:",
    "{rank}. {name}, {place}: {people} people without signal; {reasons}.",
    "{rank}. {name}, {place}: {people} people without signal.",
    "No white or partial village is left to rank.",
    "no grid power",
    "behind terrain (nearest site {km} km away)",
    "far from the network (nearest site {km} km away)",
    "few households ({households})",
    "Data limits: {flagged} villages carry a data flag ({items}).",
    "{flag}: {n}",
    "No village carries a data flag.",
    "Coverage model: {model}.",
    "The result does not record its coverage model.",
    "Summary",
    "Map",
    "Per unit ({level})",
    "Per operator",
    "Trend per year",
    "Proposed sites",
    "Unit",
    "Villages",
    "Covered",
    "Partial",
    "White",
    "Coverage rate",
    "People without signal",
    "baseline",
    "Operator",
    "Sites",
    "Villages with signal",
    "Villages with broadband",
    "This operator only",
    "This operator only (broadband)",
    "white village (trắng sóng)",
    "partial village (lõm sóng)",
    "covered village (phủ sóng)",
    "coverage (2G and up)",
    "broadband coverage (3G and up)",
    "BTS sites",
    "proposed sites",
    "backhaul links",
    "planned stations",
    "villages",
    "province",
    "district",
    "commune",
    "administrative unit",
    "The plan proposes {n} new BTS sites, bringing signal to about {people} more people.",
    "Pick",
    "Source",
    "Village id",
    "Longitude",
    "Latitude",
    "New villages with signal",
    "People newly with signal",
    "Linked to the network",
    "Hop (m)",
    "gap village centre",
    "high point near a village",
    "given candidate",
    "yes",
    "no",
    {{"no_population", "no population"},
     {"households_as_people", "households counted as people"},
     {"power_unknown", "grid power unknown"},
     {"centre_outside", "centre outside the village"},
     {"centre_estimated", "centre estimated"},
     {"repaired", "polygon repaired"},
     {"no_dem", "no terrain at the centre"},
     {"dem_partial", "terrain partly missing"},
     {"far_from_stations", "no station within reach"},
     {"settlement_unmatched", "no settlement matched"},
     {"outside_units", "in no unit of --units"}},
    {{"village_id", "Village id"},
     {"name", "Name"},
     {"ten_thon", "Name"},
     {"village_name", "Name"},
     {"commune", "Commune"},
     {"xa", "Commune"},
     {"commune_code", "Commune code"},
     {"district", "District"},
     {"huyen", "District"},
     {"district_code", "District code"},
     {"province", "Province"},
     {"province_code", "Province code"},
     {"unit_name", "Unit"},
     {"unit_code", "Unit code"},
     {"population", "Population"},
     {"households", "Households"},
     {"has_power", "Grid power"},
     {"status_broadband", "Broadband (3G and up)"},
     {"status_any", "Any signal (2G and up)"},
     {"share_broadband", "Share of the area with broadband"},
     {"share_any", "Share of the area with signal (2G and up)"},
     {"people_without_broadband", "People without broadband"},
     {"nearest_site_m", "Nearest site (m)"},
     {"operators_broadband", "Operators with broadband at the centre"},
     {"operators_any", "Operators with signal at the centre"},
     {"flags", "Data flags"},
     {"gap_rank", "Gap rank"},
     {"class", "Signal"},
     {"area_km2", "Area (km²)"},
     {"site_key", "Site"},
     {"technology", "Technology"},
     {"operator_name", "Operator"},
     {"radius_m", "Coverage radius (m)"}},
    {{"white", "white (no signal at the centre)"}, {"partial", "partial"}, {"covered", "covered"}},
};

// Rules of the reasons (docs/report.md#reasons): a village is "far from the network" beyond
// 5 km from the nearest site (or flagged far_from_stations), "behind terrain" when the terrain
// mode was used and a site lies within the broadband nominal radius yet the village has no
// broadband at its centre, and has "few households" under 30.
constexpr double kFarM = 5000.0;
constexpr double kFewHouseholds = 30.0;

// The value of a numeric provenance item, or nullopt.
std::optional<double> provenance_number(const ReportSource& s, const std::string& key) {
    const auto it = s.provenance.find(key);
    if (it == s.provenance.end())
        return std::nullopt;
    try {
        return std::stod(it->second);
    } catch (...) {
        return std::nullopt;
    }
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i ? std::string(sep) : "") + items[i];
    return out;
}

std::string delta(double d, ReportLanguage lang) {
    const auto n = static_cast<long long>(std::llround(d));
    return (n > 0 ? "+" : "") + format_count(n, lang);
}

// The names of the units at level `level` of the summary, for "{area}".
std::string area_of(const ReportLayer& summary, const Templates& t) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < summary.rows.size(); ++i)
        if (summary.text(i, "level") == "province" && !summary.text(i, "province").empty())
            names.push_back(summary.text(i, "province"));
    return names.empty() ? std::string(t.area_all) : join(names, ", ");
}

ReportParagraph sites_paragraph(const ReportSource& r, const Templates& t, ReportLanguage lang) {
    ReportParagraph p{"sites", "", {}, {}};
    const ReportLayer* sites = r.layer("sites");
    const ReportLayer* stations = r.layer("stations");
    // Distinct sites: (operator, site_key) of the stations layer when it is there, else the
    // largest count of one technology (a lower bound).
    std::map<std::string, double> per_tech;
    std::map<std::string, std::map<std::string, double>> per_operator;
    if (sites)
        for (std::size_t i = 0; i < sites->rows.size(); ++i) {
            const double n = sites->number(i, "sites").value_or(0);
            per_tech[sites->text(i, "technology")] += n;
            per_operator[sites->text(i, "operator")][sites->text(i, "technology")] += n;
        }
    double total = 0;
    if (stations && stations->has("site_key")) {
        std::set<std::pair<std::string, std::string>> keys;
        for (std::size_t i = 0; i < stations->rows.size(); ++i)
            keys.emplace(stations->text(i, "operator_name"), stations->text(i, "site_key"));
        total = static_cast<double>(keys.size());
    } else {
        for (const auto& [tech, n] : per_tech)
            total = std::max(total, n);
    }
    if (total == 0 && per_tech.empty()) {
        p.text = t.no_sites;
        p.numbers["sites"] = 0;
        return p;
    }
    p.numbers["sites"] = total;
    const auto* summary = r.layer("summary");
    p.text = fill(t.sites, {{"area", area_of(*summary, t)},
                            {"sites", format_count(std::llround(total), lang)}});
    std::vector<std::string> items;
    for (const auto& [tech, n] : per_tech) {
        items.push_back(
            fill(t.sites_tech_item, {{"tech", tech}, {"n", format_count(std::llround(n), lang)}}));
        p.numbers["sites_" + tech] = n;
    }
    if (!items.empty())
        p.text += " " + fill(t.sites_per_tech, {{"items", join(items, "; ")}});
    std::vector<std::string> ops;
    for (const auto& [op, techs] : per_operator) {
        std::vector<std::string> parts;
        for (const auto& [tech, n] : techs)
            parts.push_back(tech + " " + format_count(std::llround(n), lang));
        ops.push_back((op.empty() ? std::string("?") : op) + " (" + join(parts, ", ") + ")");
    }
    if (!ops.empty())
        p.text += " " + fill(t.sites_operators, {{"items", join(ops, "; ")}});
    return p;
}

// The baseline's row of the unit at level "all".
std::vector<ReportParagraph> village_paragraphs(const ReportData& data, const Templates& t,
                                                ReportLanguage lang) {
    std::vector<ReportParagraph> out;
    const ReportLayer& s = *data.results.layer("summary");
    const long all = all_row(s);
    if (all < 0)
        return out;
    const auto row = static_cast<std::size_t>(all);
    auto n = [&](const std::string& f) { return s.number(row, f).value_or(0); };
    auto c = [&](const std::string& f) { return format_count(std::llround(n(f)), lang); };
    ReportParagraph v{"villages", "", {}, {}};
    v.text = fill(t.villages, {{"villages", c("villages")},
                               {"covered", c("covered_broadband")},
                               {"partial", c("partial_broadband")},
                               {"white", c("white_broadband")}});
    for (const char* f : {"villages", "covered_broadband", "partial_broadband", "white_broadband",
                          "covered_any", "partial_any", "white_any"})
        v.numbers[f] = n(f);
    if (s.has("white_any"))
        v.text += " " + fill(t.villages_any, {{"covered_any", c("covered_any")},
                                              {"partial_any", c("partial_any")},
                                              {"white_any", c("white_any")}});
    const double rate =
        s.number(row, "coverage_rate_broadband")
            .value_or(n("villages") > 0 ? n("covered_broadband") / n("villages") : 0.0);
    const double signal =
        s.number(row, "signal_rate_broadband")
            .value_or(n("villages") > 0
                          ? (n("covered_broadband") + n("partial_broadband")) / n("villages")
                          : 0.0);
    v.text += " " + fill(t.share, {{"rate", format_percent(rate, lang)},
                                   {"signal_rate", format_percent(signal, lang)}});
    v.numbers["coverage_rate_broadband"] = rate;
    out.push_back(std::move(v));

    ReportParagraph people{"people", "", {}, {}};
    people.numbers["people_without_broadband"] = n("people_without_broadband");
    people.text = fill(t.people, {{"people", c("people_without_broadband")}});
    out.push_back(std::move(people));

    // Since the baseline: the baseline's own summary, or the columns analyze --baseline adds.
    ReportParagraph change{"change", "", {}, {}};
    std::optional<double> villages_before, white_before, covered_before;
    if (data.baseline) {
        const ReportLayer& b = *data.baseline->layer("summary");
        const long ball = all_row(b);
        if (ball >= 0) {
            const auto br = static_cast<std::size_t>(ball);
            villages_before = b.number(br, "villages");
            white_before = b.number(br, "white_broadband");
            covered_before = b.number(br, "covered_broadband");
        }
    } else if (s.has("white_before_broadband")) {
        villages_before = s.number(row, "villages_before_broadband");
        white_before = s.number(row, "white_before_broadband");
        covered_before = s.number(row, "covered_before_broadband");
    }
    if (white_before && covered_before) {
        change.text = fill(
            t.change,
            {{"villages_before", format_count(std::llround(villages_before.value_or(0)), lang)},
             {"white_before", format_count(std::llround(*white_before), lang)},
             {"white", c("white_broadband")},
             {"white_delta", delta(n("white_broadband") - *white_before, lang)},
             {"covered_before", format_count(std::llround(*covered_before), lang)},
             {"covered", c("covered_broadband")},
             {"covered_delta", delta(n("covered_broadband") - *covered_before, lang)}});
        change.numbers["white_before"] = *white_before;
        change.numbers["covered_before"] = *covered_before;
        if (s.has("newly_covered_broadband") && s.has("newly_white_broadband")) {
            change.text +=
                " " + fill(t.change_newly, {{"newly_covered", c("newly_covered_broadband")},
                                            {"newly_white", c("newly_white_broadband")}});
            change.numbers["newly_covered"] = n("newly_covered_broadband");
            change.numbers["newly_white"] = n("newly_white_broadband");
        }
        out.push_back(std::move(change));
    } else if (data.baseline) {
        change.text = t.no_baseline_rows;
        out.push_back(std::move(change));
    }
    return out;
}

// Per operator, from summary_operators (when the result has it): its row at level "all".
std::optional<ReportParagraph> operators_paragraph(const ReportSource& r, const Templates& t,
                                                   ReportLanguage lang) {
    const ReportLayer* ops = r.layer("summary_operators");
    if (!ops || !ops->has("operator") || !ops->has("villages_broadband"))
        return std::nullopt;
    ReportParagraph p{"operators", "", {}, {}};
    std::vector<std::string> items;
    for (std::size_t i = 0; i < ops->rows.size(); ++i) {
        if (ops->has("level") && ops->text(i, "level") != "all")
            continue;
        const std::string op = ops->text(i, "operator");
        const double villages = ops->number(i, "villages_broadband").value_or(0);
        const double only = ops->number(i, "only_broadband").value_or(0);
        items.push_back(
            fill(t.operator_item, {{"operator", op},
                                   {"villages", format_count(std::llround(villages), lang)},
                                   {"only", format_count(std::llround(only), lang)}}));
        p.numbers["villages_broadband_" + op] = villages;
    }
    if (items.empty())
        return std::nullopt;
    p.text = fill(t.operators, {{"items", join(items, "; ")}});
    return p;
}

// The first of `names` that the layer has, or "".
std::string first_field(const ReportLayer& l, std::initializer_list<const char*> names) {
    for (const char* n : names)
        if (l.has(n))
            return n;
    return {};
}

ReportParagraph gaps_paragraph(const ReportSource& r, const Templates& t, ReportLanguage lang) {
    ReportParagraph p{"gaps", std::string(t.gaps), {}, {}};
    const ReportLayer& v = *r.layer("villages");
    std::vector<std::pair<double, std::size_t>> ranked;
    if (v.has("gap_rank"))
        for (std::size_t i = 0; i < v.rows.size(); ++i)
            if (const auto rank = v.number(i, "gap_rank"); rank && *rank > 0)
                ranked.emplace_back(*rank, i);
    std::sort(ranked.begin(), ranked.end());
    if (ranked.size() > 10)
        ranked.resize(10);
    if (ranked.empty()) {
        p.text = t.no_gaps;
        return p;
    }
    const std::string name = first_field(v, {"name", "ten_thon", "village_name", "ten", "village"});
    const std::string commune = first_field(v, {"commune", "xa", "ten_xa", "commune_name"});
    // A report over several provinces names each village's province too (a commune's name is
    // not unique across the country); one province's report does not repeat it.
    const std::string province = first_field(v, {"province", "tinh", "ten_tinh", "province_name"});
    bool provinces = false;
    if (!province.empty())
        for (std::size_t i = 1; i < v.rows.size() && !provinces; ++i)
            provinces = v.text(i, province) != v.text(0, province);
    const std::string people =
        first_field(v, {"people_without_signal", "people_without_broadband"});
    const bool terrain = r.provenance.count("input.dem.source") > 0;
    const double terrain_reach_m = provenance_number(r, "config.radius_m.3G").value_or(3000.0);
    for (const auto& [rank, i] : ranked) {
        std::vector<std::string> reasons;
        if (v.has("has_power") && v.number(i, "has_power") == 0.0)
            reasons.emplace_back(t.reason_no_power);
        const std::optional<double> near = v.number(i, "nearest_site_m");
        const std::string flags = v.text(i, "flags");
        const std::string km = near ? format_decimal(*near / 1000.0, 1, lang) : "?";
        if ((near && *near > kFarM) || flags.find("far_from_stations") != std::string::npos)
            reasons.push_back(fill(t.reason_far, {{"km", km}}));
        else if (terrain && near && *near <= terrain_reach_m &&
                 v.text(i, "centre_broadband") == "0")
            reasons.push_back(fill(t.reason_terrain, {{"km", km}}));
        if (const auto hh = v.number(i, "households"); hh && *hh < kFewHouseholds)
            reasons.push_back(fill(t.reason_few_households,
                                   {{"households", format_count(std::llround(*hh), lang)}}));
        const std::map<std::string, std::string> values{
            {"rank", format_count(std::llround(rank), lang)},
            {"name", name.empty() ? v.text(i, "village_id") : v.text(i, name)},
            {"place", (commune.empty() ? std::string("?") : v.text(i, commune)) +
                          (provinces ? ", " + v.text(i, province) : std::string())},
            {"people", format_count(std::llround(v.number(i, people).value_or(0)), lang)},
            {"reasons", join(reasons, ", ")}};
        p.items.push_back(fill(reasons.empty() ? t.gap_item_no_reason : t.gap_item, values));
    }
    p.numbers["gaps_listed"] = static_cast<double>(ranked.size());
    return p;
}

ReportParagraph limits_paragraph(const ReportSource& r, const Templates& t, ReportLanguage lang) {
    ReportParagraph p{"limits", "", {}, {}};
    const ReportLayer& s = *r.layer("summary");
    const long all = all_row(s);
    const auto row = static_cast<std::size_t>(std::max(0L, all));
    const double flagged = all < 0 ? 0 : s.number(row, "flagged").value_or(0);
    p.numbers["flagged"] = flagged;
    if (flagged <= 0) {
        p.text = t.no_limits;
        return p;
    }
    std::vector<std::string> items;
    for (const std::string& f : s.fields) {
        if (f.rfind("flag_", 0) != 0)
            continue;
        const double n = s.number(row, f).value_or(0);
        if (n <= 0)
            continue;
        const std::string name = f.substr(5);
        const auto it = t.flags.find(name);
        items.push_back(fill(t.limit_item, {{"flag", it == t.flags.end() ? name : it->second},
                                            {"n", format_count(std::llround(n), lang)}}));
        p.numbers[f] = n;
    }
    p.text = fill(t.limits, {{"flagged", format_count(std::llround(flagged), lang)},
                             {"items", join(items, "; ")}});
    return p;
}

// The coverage model in Vietnamese, from the parameters the result records (provenance
// "config.*", as `whitezone analyze` writes them); nullopt for a result that does not record
// them (the recorded English line is shown then).
std::optional<std::string> model_in_vietnamese(const std::map<std::string, std::string>& p) {
    const auto text = [&](const std::string& key) -> std::optional<std::string> {
        const auto it = p.find(key);
        return it == p.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    const auto model = text("config.coverage_model");
    if (!model || model->empty())
        return std::nullopt;
    const auto number = [&](const std::string& key) -> std::optional<double> {
        const auto v = text(key);
        double out = 0.0;
        if (!v || v->empty() ||
            std::from_chars(v->data(), v->data() + v->size(), out).ec != std::errc())
            return std::nullopt;
        return out;
    };
    // A number as the report writes it (1.000; 1,5; 1,33).
    const auto num = [](double v) {
        const double whole = std::round(v);
        if (std::abs(v - whole) < 1e-9)
            return format_count(std::llround(whole), ReportLanguage::Vi);
        const bool tenths = std::abs(v * 10.0 - std::round(v * 10.0)) < 1e-9;
        return format_decimal(v, tenths ? 1 : 2, ReportLanguage::Vi);
    };
    const auto value = [&](const std::string& key, const std::string& unit) {
        const auto v = number(key);
        return v ? num(*v) + unit : std::string("?");
    };
    // "2G 900 MHz, 3G 2.100 MHz, …" for the technologies the result records.
    const auto per_tech = [&](const std::string& prefix, const std::string& unit) {
        std::string out;
        for (const char* tech : {"2G", "3G", "4G", "5G"})
            if (const auto v = number(prefix + tech))
                out += (out.empty() ? "" : ", ") + std::string(tech) + " " + num(*v) + unit;
        return out.empty() ? std::string("?") : out;
    };
    const auto file = [&](const std::string& key) {
        return std::filesystem::path(text(key).value_or("")).filename().string();
    };
    const std::string heights = "anten cao " + value("config.hata.antenna_height_m", " m") +
                                " (trạm không ghi độ cao), máy thu cao " +
                                value("config.hata.receiver_height_m", " m");
    std::string out;
    if (*model == "disk") {
        out = "mô hình đĩa, bán kính " + per_tech("config.radius_m.", " m");
    } else if (*model == "hata") {
        const std::string env = text("config.hata.environment").value_or("");
        out = "mô hình Hata (" +
              (env == "urban"      ? std::string("đô thị")
               : env == "suburban" ? std::string("ngoại ô")
               : env == "rural"    ? std::string("nông thôn")
                                   : env) +
              "): tần số " + per_tech("config.hata.frequency_mhz.", " MHz") +
              "; công suất phát (EIRP) " + per_tech("config.hata.eirp_dbm.", " dBm") +
              "; ngưỡng thu " + per_tech("config.hata.threshold_dbm.", " dBm") + "; " + heights +
              "; bán kính tối đa " + value("config.hata.max_radius_m", " m");
    } else if (*model == "itm") {
        out = "mô hình ITM (Longley-Rice): tần số " +
              per_tech("config.hata.frequency_mhz.", " MHz") + "; độ tin cậy " +
              value("config.itm.location", " %") + " vị trí và " + value("config.itm.time", " %") +
              " thời gian; ngưỡng thu " + per_tech("config.itm.threshold_dbm.", " dBm") +
              "; công suất phát (EIRP) " + per_tech("config.hata.eirp_dbm.", " dBm") + "; " +
              heights + "; tầm xa tối đa " + per_tech("config.radius_m.", " m");
    } else {
        out = "mô hình " + *model;
    }
    if (text("config.use_station_range") == "true")
        out += "; dùng bán kính riêng của trạm khi có";
    if (!file("config.dem").empty())
        out += "; có tính địa hình (DEM " + file("config.dem") + ", hệ số k " +
               value("config.terrain.k_factor", "") + ", nhiễu xạ " +
               (text("config.terrain.diffraction") == "true" ? "có" : "không") + ")";
    else
        out += "; không tính địa hình (không có DEM)";
    if (!file("config.population").empty())
        out += "; lưới dân số " + file("config.population");
    return out;
}

} // namespace

const Templates& templates(ReportLanguage language) {
    return language == ReportLanguage::Vi ? kVietnamese : kEnglish;
}

TrendChartWords chart_words(ReportLanguage language) {
    if (language != ReportLanguage::Vi)
        return {};
    TrendChartWords w;
    w.title = "Số thôn trắng sóng và lõm sóng theo năm";
    w.class_broadband = "sóng băng rộng (3G trở lên)";
    w.class_any = "sóng di động (2G trở lên)";
    w.subtitle = "thôn, bản; trạm BTS phát sóng đến cuối mỗi năm; trên mỗi cột: trắng sóng + "
                 "lõm sóng";
    w.white_key = "trắng sóng: không có sóng tại trung tâm thôn";
    w.partial_key = "lõm sóng: có sóng tại trung tâm thôn, chưa có ở mọi cụm dân cư";
    w.white = "thôn trắng sóng";
    w.partial = "thôn lõm sóng";
    w.axis_y = "số thôn";
    w.axis_x = "năm (số màu xám: trạm BTS phát sóng đến cuối năm); lập bằng whitezone trend";
    w.thousands = '.';
    return w;
}

std::string fill(std::string_view tmpl, const std::map<std::string, std::string>& values) {
    std::string out;
    std::size_t i = 0;
    while (i < tmpl.size()) {
        const std::size_t open = tmpl.find('{', i);
        if (open == std::string_view::npos)
            break;
        const std::size_t close = tmpl.find('}', open);
        if (close == std::string_view::npos)
            break;
        out.append(tmpl.substr(i, open - i));
        const auto it = values.find(std::string(tmpl.substr(open + 1, close - open - 1)));
        out.append(it == values.end() ? tmpl.substr(open, close - open + 1)
                                      : std::string_view(it->second));
        i = close + 1;
    }
    out.append(tmpl.substr(std::min(i, tmpl.size())));
    return out;
}

long all_row(const ReportLayer& summary) {
    for (std::size_t i = 0; i < summary.rows.size(); ++i)
        if (summary.text(i, "level") == "all")
            return static_cast<long>(i);
    return -1;
}

} // namespace whitezone::publish

namespace whitezone {

std::vector<ReportParagraph> report_sentences(const ReportData& data, ReportLanguage language) {
    using namespace publish;
    const Templates& t = templates(language);
    std::vector<ReportParagraph> out;
    out.push_back(sites_paragraph(data.results, t, language));
    for (ReportParagraph& p : village_paragraphs(data, t, language))
        out.push_back(std::move(p));
    if (auto ops = operators_paragraph(data.results, t, language))
        out.push_back(std::move(*ops));
    out.push_back(gaps_paragraph(data.results, t, language));
    if (data.plan) {
        const ReportLayer* sites = data.plan->layer("proposed_sites");
        double people = 0;
        const std::string f = sites->has("new_people") ? "new_people" : "people";
        for (std::size_t i = 0; i < sites->rows.size(); ++i)
            people += sites->number(i, f).value_or(0);
        ReportParagraph p{"plan", "", {}, {}};
        p.text = fill(t.plan_sentence,
                      {{"n", format_count(static_cast<long long>(sites->rows.size()), language)},
                       {"people", format_count(std::llround(people), language)}});
        p.numbers["proposed_sites"] = static_cast<double>(sites->rows.size());
        out.push_back(std::move(p));
    }
    out.push_back(limits_paragraph(data.results, t, language));
    const auto model = data.results.provenance.find("model");
    ReportParagraph m{"model", "", {}, {}};
    const std::optional<std::string> in_vietnamese =
        language == ReportLanguage::Vi ? model_in_vietnamese(data.results.provenance)
                                       : std::nullopt;
    if (in_vietnamese)
        m.text = fill(t.model, {{"model", *in_vietnamese}});
    else
        m.text = model == data.results.provenance.end() || model->second.empty()
                     ? std::string(t.model_unknown)
                     : fill(t.model, {{"model", model->second.rfind("model ", 0) == 0
                                                    ? model->second.substr(6)
                                                    : model->second}});
    out.push_back(std::move(m));
    return out;
}

} // namespace whitezone
