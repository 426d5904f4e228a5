// The report's number formats and sentences (src/publish), on layers built in memory: the
// counts the text states are the summary's, in both languages.

#include "whitezone/error.hpp"
#include "whitezone/prepare.hpp"
#include "whitezone/publish.hpp"

#include "publish/publish.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace whitezone {
namespace {

TEST(ReportNumbers, VietnameseGroupsThousandsWithADotAndMarksDecimalsWithAComma) {
    EXPECT_EQ(format_count(1026, ReportLanguage::Vi), "1.026");
    EXPECT_EQ(format_count(1234567, ReportLanguage::Vi), "1.234.567");
    EXPECT_EQ(format_count(999, ReportLanguage::Vi), "999");
    EXPECT_EQ(format_count(0, ReportLanguage::Vi), "0");
    EXPECT_EQ(format_count(-4500, ReportLanguage::Vi), "-4.500");
    EXPECT_EQ(format_percent(0.965, ReportLanguage::Vi), "96,5 %");
    EXPECT_EQ(format_decimal(1234.56, 1, ReportLanguage::Vi), "1.234,6");
}

TEST(ReportNumbers, EnglishGroupsThousandsWithACommaAndMarksDecimalsWithADot) {
    EXPECT_EQ(format_count(1026, ReportLanguage::En), "1,026");
    EXPECT_EQ(format_count(1234567, ReportLanguage::En), "1,234,567");
    EXPECT_EQ(format_percent(0.965, ReportLanguage::En), "96.5 %");
    EXPECT_EQ(format_percent(1.0, ReportLanguage::En), "100.0 %");
    EXPECT_EQ(format_decimal(0.05, 1, ReportLanguage::En), "0.1");
    EXPECT_EQ(format_decimal(-0.04, 1, ReportLanguage::En), "0.0");
}

TEST(ReportNumbers, TemplatesKeepKeysTheyAreNotGiven) {
    EXPECT_EQ(publish::fill("{a} and {b}", {{"a", "1"}}), "1 and {b}");
    EXPECT_EQ(publish::fill("no keys", {}), "no keys");
}

// A result of analyze as layers: two provinces' worth of numbers at level "all", three
// villages of which two are ranked gaps, and the sites per operator and technology.
ReportData sample_data() {
    ReportData d;
    ReportLayer summary;
    summary.name = "summary";
    summary.fields = {"level",
                      "province",
                      "villages",
                      "covered_any",
                      "partial_any",
                      "white_any",
                      "covered_broadband",
                      "partial_broadband",
                      "white_broadband",
                      "coverage_rate_broadband",
                      "people_without_broadband",
                      "flagged",
                      "flag_power_unknown",
                      "flag_far_from_stations"};
    summary.rows.push_back({std::string("all"), std::string(""), std::int64_t{1026},
                            std::int64_t{990}, std::int64_t{20}, std::int64_t{16},
                            std::int64_t{800}, std::int64_t{126}, std::int64_t{100}, 800.0 / 1026,
                            12345.4, std::int64_t{7}, std::int64_t{5}, std::int64_t{2}});
    summary.rows.push_back({std::string("province"), std::string("Lạng Sơn"), std::int64_t{1026},
                            std::int64_t{990}, std::int64_t{20}, std::int64_t{16},
                            std::int64_t{800}, std::int64_t{126}, std::int64_t{100}, 800.0 / 1026,
                            12345.4, std::int64_t{7}, std::int64_t{5}, std::int64_t{2}});
    ReportLayer villages;
    villages.name = "villages";
    villages.fields = {"village_id",
                       "name",
                       "commune",
                       "households",
                       "has_power",
                       "status_broadband",
                       "centre_broadband",
                       "nearest_site_m",
                       "flags",
                       "people_without_signal",
                       "gap_rank"};
    villages.rows.push_back({std::string("v1"), std::string("Bản Pác"), std::string("Xã A"),
                             std::int64_t{12}, std::int64_t{0}, std::string("white"),
                             std::int64_t{0}, 7200.0, std::string(""), 340.0, std::int64_t{2}});
    villages.rows.push_back({std::string("v2"), std::string("Thôn Nà"), std::string("Xã B"),
                             std::int64_t{80}, std::int64_t{1}, std::string("white"),
                             std::int64_t{0}, 1200.0, std::string(""), 500.0, std::int64_t{1}});
    villages.rows.push_back({std::string("v3"), std::string("Phố"), std::string("Xã B"),
                             std::int64_t{300}, std::int64_t{1}, std::string("covered"),
                             std::int64_t{1}, 100.0, std::string(""), 0.0, std::monostate{}});
    ReportLayer sites;
    sites.name = "sites";
    sites.fields = {"operator", "technology", "sites", "cells"};
    sites.rows.push_back(
        {std::string("Viettel"), std::string("4G"), std::int64_t{1200}, std::int64_t{3600}});
    sites.rows.push_back(
        {std::string("VinaPhone"), std::string("4G"), std::int64_t{300}, std::int64_t{900}});
    sites.rows.push_back(
        {std::string("Viettel"), std::string("2G"), std::int64_t{50}, std::int64_t{150}});
    d.results.path = "this.gpkg";
    d.results.layers = {{"summary", summary}, {"villages", villages}, {"sites", sites}};
    d.results.provenance["model"] = "model disk: radius 4G 3500 m";
    return d;
}

const ReportParagraph& paragraph(const std::vector<ReportParagraph>& ps, const std::string& id) {
    for (const auto& p : ps)
        if (p.id == id)
            return p;
    throw std::runtime_error("no paragraph " + id);
}

TEST(ReportSentences, TheVillageCountsInTheTextAreTheSummarysInBothLanguages) {
    const ReportData d = sample_data();
    const ReportLayer& s = *d.results.layer("summary");
    for (ReportLanguage lang : {ReportLanguage::Vi, ReportLanguage::En}) {
        const auto ps = report_sentences(d, lang);
        const ReportParagraph& v = paragraph(ps, "villages");
        for (const char* f : {"villages", "covered_broadband", "partial_broadband",
                              "white_broadband", "covered_any", "white_any"}) {
            const double expected = *s.number(0, f);
            EXPECT_EQ(v.numbers.at(f), expected) << f;
            EXPECT_NE(v.text.find(format_count(std::llround(expected), lang)), std::string::npos)
                << f << " in: " << v.text;
        }
        EXPECT_NE(v.text.find(format_percent(800.0 / 1026, lang)), std::string::npos) << v.text;
        EXPECT_NE(paragraph(ps, "people").text.find(format_count(12345, lang)), std::string::npos);
        EXPECT_EQ(paragraph(ps, "limits").numbers.at("flagged"), 7);
        EXPECT_NE(paragraph(ps, "model").text.find(": disk: radius 4G 3500 m."), std::string::npos);
    }
}

// The Vietnamese report states the coverage model in Vietnamese, from the parameters the
// result records (provenance "config.*"), its numbers written the Vietnamese way; the English
// report, and a result that records no parameters, keep the recorded line.
TEST(ReportSentences, TheVietnameseReportStatesTheModelInVietnamese) {
    ReportData d = sample_data();
    auto& p = d.results.provenance;
    p["config.coverage_model"] = "hata";
    p["config.hata.environment"] = "suburban";
    p["config.hata.frequency_mhz.2G"] = "900.0";
    p["config.hata.frequency_mhz.4G"] = "1800.0";
    p["config.hata.eirp_dbm.4G"] = "33.0";
    p["config.hata.threshold_dbm.4G"] = "-110.0";
    p["config.hata.antenna_height_m"] = "30.0";
    p["config.hata.receiver_height_m"] = "1.5";
    p["config.hata.max_radius_m"] = "30000.0";
    p["config.use_station_range"] = "true";
    p["config.dem"] = "/data/srtm/N21E105.tif";
    p["config.terrain.k_factor"] = "1.3333333333333333";
    p["config.terrain.diffraction"] = "true";
    p["config.population"] = "";
    const auto model = [&](ReportLanguage lang) {
        return paragraph(report_sentences(d, lang), "model").text;
    };
    const std::string hata = model(ReportLanguage::Vi);
    for (const char* part :
         {"Mô hình phủ sóng: mô hình Hata (ngoại ô): tần số 2G 900 MHz, 4G 1.800 MHz;",
          "công suất phát (EIRP) 4G 33 dBm;", "ngưỡng thu 4G -110 dBm;", "máy thu cao 1,5 m",
          "bán kính tối đa 30.000 m", "dùng bán kính riêng của trạm khi có",
          "có tính địa hình (DEM N21E105.tif, hệ số k 1,33, nhiễu xạ có)."})
        EXPECT_NE(hata.find(part), std::string::npos) << part << " in: " << hata;
    for (const char* english : {"radius", "terrain", "receiver", "frequency", "hata ("})
        EXPECT_EQ(hata.find(english), std::string::npos) << english << " in: " << hata;
    EXPECT_NE(model(ReportLanguage::En).find("disk: radius 4G 3500 m"), std::string::npos);

    p["config.coverage_model"] = "itm";
    p["config.itm.location"] = "90.0";
    p["config.itm.time"] = "50.0";
    p["config.itm.threshold_dbm.4G"] = "-110.0";
    p["config.radius_m.4G"] = "10000.0";
    const std::string itm = model(ReportLanguage::Vi);
    for (const char* part :
         {"mô hình ITM (Longley-Rice)", "độ tin cậy 90 % vị trí và 50 % thời gian",
          "tầm xa tối đa 4G 10.000 m"})
        EXPECT_NE(itm.find(part), std::string::npos) << part << " in: " << itm;

    p["config.coverage_model"] = "disk";
    p["config.dem"] = "";
    p["config.use_station_range"] = "false";
    p["config.population"] = "/data/pop.tif";
    EXPECT_EQ(model(ReportLanguage::Vi),
              "Mô hình phủ sóng: mô hình đĩa, bán kính 4G 10.000 m; "
              "không tính địa hình (không có DEM); lưới dân số pop.tif.");

    p.erase("config.coverage_model");
    EXPECT_NE(model(ReportLanguage::Vi).find(": disk: radius 4G 3500 m."), std::string::npos);
}

TEST(ReportSentences, VietnameseUsesTheWordsOfProvincialReports) {
    const auto ps = report_sentences(sample_data(), ReportLanguage::Vi);
    const std::string& v = paragraph(ps, "villages").text;
    EXPECT_NE(v.find("1.026 thôn"), std::string::npos) << v;
    EXPECT_NE(v.find("thôn trắng sóng"), std::string::npos) << v;
    EXPECT_NE(v.find("thôn lõm sóng"), std::string::npos) << v;
    EXPECT_NE(v.find("phủ sóng"), std::string::npos) << v;
    EXPECT_NE(paragraph(ps, "sites").text.find("trạm BTS"), std::string::npos);
}

TEST(ReportSentences, SitesAreCountedPerTechnologyAndOperatorFromTheSitesLayer) {
    const auto ps = report_sentences(sample_data(), ReportLanguage::En);
    const ReportParagraph& p = paragraph(ps, "sites");
    EXPECT_EQ(p.numbers.at("sites_4G"), 1500);
    EXPECT_EQ(p.numbers.at("sites_2G"), 50);
    EXPECT_NE(p.text.find("4G: 1,500 sites"), std::string::npos) << p.text;
    EXPECT_NE(p.text.find("Viettel (2G 50, 4G 1,200)"), std::string::npos) << p.text;
}

TEST(ReportSentences, GapVillagesComeInRankOrderWithTheReasonsTheirFieldsGive) {
    const auto en = paragraph(report_sentences(sample_data(), ReportLanguage::En), "gaps");
    ASSERT_EQ(en.items.size(), 2U); // the covered village has no rank
    EXPECT_EQ(en.items[0].rfind("1. Thôn Nà, Xã B: 500 people", 0), 0U) << en.items[0];
    EXPECT_EQ(en.items[0].find("reasons"), std::string::npos);
    EXPECT_NE(en.items[1].find("no grid power"), std::string::npos) << en.items[1];
    EXPECT_NE(en.items[1].find("far from the network (nearest site 7.2 km away)"),
              std::string::npos)
        << en.items[1];
    EXPECT_NE(en.items[1].find("few households (12)"), std::string::npos) << en.items[1];
    const auto vi = paragraph(report_sentences(sample_data(), ReportLanguage::Vi), "gaps");
    EXPECT_NE(vi.items[1].find("chưa có điện lưới"), std::string::npos) << vi.items[1];
    EXPECT_NE(vi.items[1].find("7,2 km"), std::string::npos) << vi.items[1];
}

TEST(ReportSentences, AGapVillageNamesItsProvinceWhenTheReportCoversSeveral) {
    ReportData d = sample_data();
    ReportLayer& v = d.results.layers.at("villages");
    v.fields.push_back("province");
    const std::vector<std::string> provinces{"Tỉnh Lạng Sơn", "Tỉnh Cao Bằng", "Tỉnh Lạng Sơn"};
    for (std::size_t i = 0; i < v.rows.size(); ++i)
        v.rows[i].push_back(provinces[i]);
    const auto two = paragraph(report_sentences(d, ReportLanguage::Vi), "gaps");
    ASSERT_EQ(two.items.size(), 2U);
    EXPECT_EQ(two.items[0].rfind("1. Thôn Nà, Xã B, Tỉnh Cao Bằng: 500 người", 0), 0U)
        << two.items[0];
    EXPECT_EQ(two.items[1].rfind("2. Bản Pác, Xã A, Tỉnh Lạng Sơn: 340 người", 0), 0U)
        << two.items[1];
    // One province: named once by the report, not in every line.
    for (auto& row : v.rows)
        row.back() = std::string("Tỉnh Lạng Sơn");
    const auto one = paragraph(report_sentences(d, ReportLanguage::En), "gaps");
    EXPECT_EQ(one.items[0].rfind("1. Thôn Nà, Xã B: 500 people", 0), 0U) << one.items[0];
}

TEST(ReportHtml, TheMapPopupsNameTheFieldsAndStatusesInTheReportsLanguage) {
    ReportOptions vi;
    vi.language = ReportLanguage::Vi;
    const std::string page_vi = render_report_html(sample_data(), vi);
    EXPECT_NE(page_vi.find(R"x("status_broadband":"Sóng băng rộng (3G trở lên)")x"),
              std::string::npos);
    EXPECT_NE(page_vi.find(R"x("white":"trắng sóng")x"), std::string::npos);
    EXPECT_NE(page_vi.find(R"x("has_power":{"0":"không","1":"có"})x"), std::string::npos);
    ReportOptions en;
    en.language = ReportLanguage::En;
    const std::string page_en = render_report_html(sample_data(), en);
    EXPECT_NE(page_en.find(R"x("status_broadband":"Broadband (3G and up)")x"), std::string::npos);
    EXPECT_NE(page_en.find(R"x("gap_rank":"Gap rank")x"), std::string::npos);
    EXPECT_EQ(page_en.find("Sóng băng rộng"), std::string::npos);
}

TEST(ReportSentences, TheChangeSinceTheBaselineStatesBothYearsAndTheDifference) {
    ReportData d = sample_data();
    ReportSource before;
    before.layers = {{"summary", *d.results.layer("summary")}};
    ReportLayer& s = before.layers.at("summary");
    s.rows[0][static_cast<std::size_t>(s.field("white_broadband"))] = std::int64_t{1130};
    s.rows[0][static_cast<std::size_t>(s.field("covered_broadband"))] = std::int64_t{700};
    d.baseline = before;
    const auto en = paragraph(report_sentences(d, ReportLanguage::En), "change");
    EXPECT_NE(en.text.find("from 1,130 to 100 (-1,030)"), std::string::npos) << en.text;
    EXPECT_NE(en.text.find("from 700 to 800 (+100)"), std::string::npos) << en.text;
    const auto vi = paragraph(report_sentences(d, ReportLanguage::Vi), "change");
    EXPECT_NE(vi.text.find("từ 1.130 thành 100 (-1.030)"), std::string::npos) << vi.text;
}

TEST(ReportSentences, NoChangeParagraphWithoutABaseline) {
    for (const auto& p : report_sentences(sample_data(), ReportLanguage::Vi))
        EXPECT_NE(p.id, "change");
}

TEST(ReportSentences, PerOperatorCountsAppearWhenTheResultHasThem) {
    ReportData d = sample_data();
    ReportLayer ops;
    ops.fields = {"level", "operator", "villages_broadband", "only_broadband"};
    ops.rows.push_back(
        {std::string("all"), std::string("Viettel"), std::int64_t{900}, std::int64_t{120}});
    d.results.layers["summary_operators"] = ops;
    const auto p = paragraph(report_sentences(d, ReportLanguage::En), "operators");
    EXPECT_NE(p.text.find("Viettel covers 900 villages, 120 of them with Viettel only"),
              std::string::npos)
        << p.text;
    const auto tables = publish::report_tables(d, ReportOptions{});
    ASSERT_EQ(tables.size(), 2U);
    EXPECT_EQ(tables[1].rows.at(0).at(1), "Viettel");
}

TEST(ReportTables, TheUnitTableShowsCodesWhereTheSummaryHasThem) {
    ReportData d = sample_data();
    ReportLayer& s = d.results.layers.at("summary");
    s.fields.push_back("province_code");
    s.rows[0].emplace_back(std::string(""));
    s.rows[1].emplace_back(std::string("20"));
    ReportOptions o;
    o.level = "province";
    const auto tables = publish::report_tables(d, o);
    ASSERT_EQ(tables[0].rows.size(), 2U);
    EXPECT_EQ(tables[0].rows[1][0], "Lạng Sơn [20]");
    EXPECT_EQ(tables[0].rows[1][1], "1.026");
    o.level = "commune";
    EXPECT_THROW(publish::report_tables(d, o), InputError);
}

TEST(ReportTables, TheUnitLevelListsTheUnitsOfUnitsByCodeAndIsTheDefaultWhenTheyAreThere) {
    // Two units of one name (codes 06001, 06002), each with its baseline row matched by code.
    ReportData d = sample_data();
    ReportLayer& s = d.results.layers.at("summary");
    s.fields.insert(s.fields.end(), {"unit_code", "unit_name"});
    for (auto& row : s.rows)
        row.insert(row.end(), {std::string(""), std::string("")});
    auto unit = [&](const std::string& code, std::int64_t villages, std::int64_t white) {
        std::vector<ReportValue> row = s.rows[1];
        row[0] = std::string("unit");
        row[static_cast<std::size_t>(s.field("villages"))] = villages;
        row[static_cast<std::size_t>(s.field("white_broadband"))] = white;
        row[static_cast<std::size_t>(s.field("unit_code"))] = code;
        row[static_cast<std::size_t>(s.field("unit_name"))] = std::string("Xã Tân Văn");
        return row;
    };
    s.rows.push_back(unit("06001", 600, 40));
    s.rows.push_back(unit("06002", 426, 60));
    ReportSource before;
    before.layers = {{"summary", s}};
    ReportLayer& b = before.layers.at("summary");
    b.rows[2][static_cast<std::size_t>(b.field("white_broadband"))] = std::int64_t{70};
    b.rows[3][static_cast<std::size_t>(b.field("white_broadband"))] = std::int64_t{90};
    std::swap(b.rows[2], b.rows[3]); // matched by code, not by place in the table
    d.baseline = before;
    ReportOptions o;
    o.language = ReportLanguage::En;
    for (const std::string level : {"", "auto", "unit"}) {
        o.level = level;
        EXPECT_EQ(publish::table_level(d, o), "unit") << level;
        const auto tables = publish::report_tables(d, o);
        EXPECT_EQ(tables[0].title, "Per unit (administrative unit)");
        ASSERT_EQ(tables[0].rows.size(), 3U);
        EXPECT_EQ(tables[0].rows[1][0], "Xã Tân Văn [06001]");
        EXPECT_EQ(tables[0].rows[1][1], "600");
        EXPECT_EQ(tables[0].rows[1][7], "70") << "the baseline's white of 06001";
        EXPECT_EQ(tables[0].rows[2][0], "Xã Tân Văn [06002]");
        EXPECT_EQ(tables[0].rows[2][7], "90");
    }
    o.level = "hamlet";
    EXPECT_THROW(publish::report_tables(d, o), UsageError);
}

TEST(ReportSentences, EveryFlagHasItsOwnNameInBothLanguages) {
    for (VillageFlag f : kVillageFlagNames.values()) {
        const std::string name(kVillageFlagNames.name(f));
        for (ReportLanguage lang : {ReportLanguage::Vi, ReportLanguage::En}) {
            const auto& flags = publish::templates(lang).flags;
            const auto it = flags.find(name);
            ASSERT_NE(it, flags.end()) << name;
            EXPECT_NE(it->second, name);
        }
    }
    // The limits sentence names outside_units in Vietnamese.
    ReportData d = sample_data();
    ReportLayer& s = d.results.layers.at("summary");
    s.fields.push_back("flag_outside_units");
    s.rows[0].emplace_back(std::int64_t{3});
    s.rows[1].emplace_back(std::int64_t{3});
    const auto vi = paragraph(report_sentences(d, ReportLanguage::Vi), "limits");
    EXPECT_NE(vi.text.find("không thuộc đơn vị hành chính nào: 3"), std::string::npos) << vi.text;
    EXPECT_EQ(vi.text.find("outside_units"), std::string::npos) << vi.text;
}

// A plan's proposed sites as `whitezone plan` writes them: two sites, the second unlinked.
ReportSource plan_source() {
    ReportLayer sites;
    sites.name = "proposed_sites";
    sites.fields = {"pick",         "candidate_source", "village_id", "lon",  "lat",
                    "new_villages", "new_people",       "connected",  "hop_m"};
    sites.rows.push_back({std::int64_t{1}, std::string("gap_village"), std::string("v1"),
                          106.123456, 21.5, std::int64_t{12}, 4993.1, std::int64_t{1}, 5470.2});
    sites.rows.push_back({std::int64_t{2}, std::string("high_point"), std::string("v2"), 106.5,
                          22.25, std::int64_t{3}, 1200.0, std::int64_t{0}, std::monostate{}});
    ReportSource plan;
    plan.path = "plan.gpkg";
    plan.layers = {{"proposed_sites", sites}};
    return plan;
}

TEST(ReportTables, ThePlanTableIsInTheReportsLanguage) {
    ReportData d = sample_data();
    d.plan = plan_source();
    ReportOptions o;
    const auto vi = publish::report_tables(d, o).back();
    EXPECT_EQ(vi.title, "Trạm đề xuất");
    const std::vector<std::string> head{"Thứ tự chọn",
                                        "Kinh độ",
                                        "Vĩ độ",
                                        "Mã thôn",
                                        "Loại vị trí",
                                        "Số thôn có sóng mới",
                                        "Số người có sóng mới",
                                        "Nối mạng truyền dẫn",
                                        "Chặng truyền dẫn (m)"};
    EXPECT_EQ(vi.head, head);
    const std::vector<std::string> first{
        "1",  "106,12346", "21,50000", "v1",   "tâm thôn trắng/lõm sóng",
        "12", "4.993",     "có",       "5.470"};
    EXPECT_EQ(vi.rows.at(0), first);
    const std::vector<std::string> second{"2", "106,50000", "22,25000", "v2", "điểm cao gần thôn",
                                          "3", "1.200",     "không",    ""};
    EXPECT_EQ(vi.rows.at(1), second);

    o.language = ReportLanguage::En;
    const auto en = publish::report_tables(d, o).back();
    EXPECT_EQ(en.head.front(), "Pick");
    const std::vector<std::string> first_en{
        "1", "106.12346", "21.50000", "v1", "gap village centre", "12", "4,993", "yes", "5,470"};
    EXPECT_EQ(en.rows.at(0), first_en);
}

TEST(ReportTables, SameNameCommunesOfTwoProvincesAreTwoRowsEachWithItsProvince) {
    // After July 2025 there are no districts: two provinces each with a Xã Tân Lập.
    ReportData d = sample_data();
    ReportLayer& s = d.results.layers.at("summary");
    s.fields.insert(s.fields.end(), {"district", "commune"});
    for (auto& row : s.rows)
        row.insert(row.end(), {std::string(""), std::string("")});
    auto commune = [&](const std::string& province, std::int64_t villages) {
        std::vector<ReportValue> row = s.rows[1];
        row[0] = std::string("commune");
        row[static_cast<std::size_t>(s.field("province"))] = province;
        row[static_cast<std::size_t>(s.field("commune"))] = std::string("Xã Tân Lập");
        row[static_cast<std::size_t>(s.field("villages"))] = villages;
        return row;
    };
    s.rows.push_back(commune("Phú Thọ", 26));
    s.rows.push_back(commune("Tuyên Quang", 1000));
    ReportOptions o;
    EXPECT_EQ(publish::table_level(d, o), "commune");
    auto names = [&] {
        std::vector<std::string> out;
        const auto tables = publish::report_tables(d, o);
        for (const auto& row : tables[0].rows)
            out.push_back(row[0] + " " + row[1]);
        return out;
    };
    EXPECT_EQ(names(), (std::vector<std::string>{"toàn vùng 1.026", "Xã Tân Lập (Phú Thọ) 26",
                                                 "Xã Tân Lập (Tuyên Quang) 1.000"}));
    // With codes, the commune's code too; a district shows its province likewise.
    s.fields.push_back("commune_code");
    for (auto& row : s.rows)
        row.emplace_back(std::string(""));
    s.rows[2].back() = std::string("08125");
    s.rows[3].back() = std::string("25351");
    EXPECT_EQ(names(),
              (std::vector<std::string>{"toàn vùng 1.026", "Xã Tân Lập (Phú Thọ) [08125] 26",
                                        "Xã Tân Lập (Tuyên Quang) [25351] 1.000"}));
    s.rows[3][0] = std::string("district");
    s.rows[3][static_cast<std::size_t>(s.field("district"))] = std::string("Huyện Bảo Lâm");
    o.level = "district";
    EXPECT_EQ(names()[1], "Huyện Bảo Lâm (Tuyên Quang) 1.000");
}

} // namespace
} // namespace whitezone
