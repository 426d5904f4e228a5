#include "whitezone/report.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

using namespace whitezone;

namespace {

struct Case {
    PreparedInputs inputs;
    Classification classification;
};

Case make_case(bool with_district) {
    Case c;
    auto add = [&](const char* district, const char* commune, Status any, Status bb,
                   double people) {
        Village v;
        v.province = "Lạng Sơn";
        v.district = with_district ? district : "";
        v.commune = commune;
        c.inputs.villages.push_back(v);
        c.classification.villages[index_of(ServiceClass::Any)].push_back(
            {any, StatusBasis::Centre, any == Status::Covered ? 0.0 : people});
        c.classification.villages[index_of(ServiceClass::Broadband)].push_back(
            {bb, StatusBasis::Centre, bb == Status::Covered ? 0.0 : people});
    };
    add("Đình Lập", "Bắc Xa", Status::White, Status::White, 100);
    add("Đình Lập", "Bắc Xa", Status::Covered, Status::Partial, 40);
    add("Đình Lập", "Kiên Mộc", Status::Covered, Status::Covered, 0);
    add("Bắc Sơn", "Vũ Lễ", Status::Partial, Status::White, 30);
    return c;
}

const SummaryRow& row(const Summary& s, const std::string& level, const std::string& name) {
    for (const auto& r : s.rows)
        if (r.level == level &&
            (level == "all" || r.province == name || r.district == name || r.commune == name))
            if (level != "province" || r.province == name)
                if (level != "district" || r.district == name)
                    if (level != "commune" || r.commune == name)
                        return r;
    throw std::runtime_error("no summary row " + level + " " + name);
}

} // namespace

TEST(Report, SummaryCountsEveryLevelTheVillagesCarry) {
    const Case c = make_case(true);
    const Summary s = summarize(c.inputs, c.classification);
    ASSERT_EQ(s.rows.front().level, "all");
    const auto& all = s.rows.front().counts[index_of(ServiceClass::Broadband)];
    EXPECT_EQ(all.villages, 4);
    EXPECT_EQ(all.white, 2);
    EXPECT_EQ(all.partial, 1);
    EXPECT_EQ(all.covered, 1);
    EXPECT_DOUBLE_EQ(all.people_without, 170.0);
    EXPECT_DOUBLE_EQ(all.coverage_rate(), 0.25);
    EXPECT_DOUBLE_EQ(all.signal_rate(), 0.5);

    const auto& dinh_lap = row(s, "district", "Đình Lập").counts[index_of(ServiceClass::Any)];
    EXPECT_EQ(dinh_lap.villages, 3);
    EXPECT_EQ(dinh_lap.white, 1);
    EXPECT_EQ(dinh_lap.covered, 2);
    const auto& bac_xa = row(s, "commune", "Bắc Xa").counts[index_of(ServiceClass::Broadband)];
    EXPECT_EQ(bac_xa.villages, 2);
    EXPECT_EQ(bac_xa.partial, 1);
    EXPECT_EQ(row(s, "province", "Lạng Sơn").counts[0].villages, 4);
}

TEST(Report, SummaryCountsFlaggedVillagesPerUnitAndPerFlag) {
    Case c = make_case(true);
    c.inputs.villages[0].flags = bit(VillageFlag::NoPopulation) | bit(VillageFlag::PowerUnknown);
    c.inputs.villages[1].flags = bit(VillageFlag::NoPopulation);
    c.inputs.villages[3].flags = bit(VillageFlag::FarFromStations);
    const Summary s = summarize(c.inputs, c.classification);
    const auto n = [](VillageFlag f) { return static_cast<std::size_t>(f); };
    const SummaryRow& all = s.rows.front();
    EXPECT_EQ(all.flagged, 3);
    EXPECT_EQ(all.flag_counts[n(VillageFlag::NoPopulation)], 2);
    EXPECT_EQ(all.flag_counts[n(VillageFlag::PowerUnknown)], 1);
    EXPECT_EQ(all.flag_counts[n(VillageFlag::FarFromStations)], 1);
    EXPECT_EQ(all.flag_counts[n(VillageFlag::Repaired)], 0);
    const SummaryRow& bac_xa = row(s, "commune", "Bắc Xa");
    EXPECT_EQ(bac_xa.flagged, 2);
    EXPECT_EQ(bac_xa.flag_counts[n(VillageFlag::NoPopulation)], 2);
    EXPECT_EQ(row(s, "commune", "Kiên Mộc").flagged, 0);
    EXPECT_EQ(row(s, "district", "Bắc Sơn").flag_counts[n(VillageFlag::FarFromStations)], 1);
}

TEST(Report, NoDistrictLevelWhenTheVillagesHaveNoDistrict) {
    const Case c = make_case(false);
    const Summary s = summarize(c.inputs, c.classification);
    for (const auto& r : s.rows)
        EXPECT_NE(r.level, "district");
    EXPECT_EQ(row(s, "commune", "Vũ Lễ").counts[0].villages, 1);
}

TEST(Report, SitesAreCountedOncePerOperatorAndTechnology) {
    Case c = make_case(true);
    auto add = [&](const char* op, const char* site, Tech t) {
        Station s;
        s.operator_name = op;
        s.site_id = site;
        s.tech = t;
        c.inputs.stations.push_back(s);
    };
    add("Viettel", "S1", Tech::G4);
    add("Viettel", "S1", Tech::G4); // a second 4G sector of the same site
    add("Viettel", "S1", Tech::G2);
    add("Viettel", "S2", Tech::G4);
    add("MobiFone", "S3", Tech::G4);
    const Summary s = summarize(c.inputs, c.classification);
    auto find = [&](const std::string& op, Tech t) {
        for (const auto& x : s.sites)
            if (x.operator_name == op && x.tech == t)
                return x;
        throw std::runtime_error("no site count");
    };
    EXPECT_EQ(find("Viettel", Tech::G4).sites, 2);
    EXPECT_EQ(find("Viettel", Tech::G4).cells, 3);
    EXPECT_EQ(find("Viettel", Tech::G2).sites, 1);
    EXPECT_EQ(find("MobiFone", Tech::G4).sites, 1);
}

TEST(Report, AnOperatorsSitesAreCountedOncePerUnitHoweverManyVillagesTheyServe) {
    // 300 villages in two communes, taken in turn, each served by every cell of two Viettel
    // sites (three cells each) and the commune's own MobiFone site: thousands of repeats to
    // de-duplicate. A MobiFone cell whose site id is also a Viettel site's ("V-2") serves the
    // first village: a site of each operator, counted for both.
    PreparedInputs inputs;
    Classification classification;
    VillageOperators operators;
    operators.names = {"MobiFone", "Viettel"};
    for (const char* site : {"V-10", "V-2"})
        for (int cell = 0; cell < 3; ++cell) {
            Station s;
            s.operator_name = "Viettel";
            s.site_id = site;
            inputs.stations.push_back(s);
        }
    for (const char* site : {"M-A", "M-B"}) {
        Station s;
        s.operator_name = "MobiFone";
        s.site_id = site;
        inputs.stations.push_back(s);
    }
    Station shared_id;
    shared_id.operator_name = "MobiFone";
    shared_id.site_id = "V-2";
    inputs.stations.push_back(shared_id);
    for (int i = 0; i < 300; ++i) {
        Village v;
        v.province = "Lạng Sơn";
        v.commune = i % 2 == 0 ? "Bắc Xa" : "Kiên Mộc";
        inputs.villages.push_back(v);
        for (ServiceClass cls : kServiceClasses) {
            classification.villages[index_of(cls)].push_back(
                {Status::Covered, StatusBasis::Centre, 0.0});
            operators.reach[index_of(cls)].push_back({0, 1});
        }
        operators.stations.push_back({0, 1, 2, 3, 4, 5, i % 2 == 0 ? 6u : 7u});
    }
    operators.stations[0].push_back(8);
    const Summary s = summarize(inputs, classification, nullptr, 0.9, &operators);
    auto find = [&](const std::string& level, const std::string& commune, const std::string& op) {
        for (const auto& c : s.operators)
            if (s.unit_of(c).level == level && s.unit_of(c).commune == commune &&
                c.operator_name == op)
                return c;
        throw std::runtime_error("no operator row " + level + " " + commune + " " + op);
    };
    EXPECT_EQ(s.site_ids_of(find("all", "", "Viettel")), (std::vector<std::string>{"V-10", "V-2"}));
    EXPECT_EQ(s.site_ids_of(find("all", "", "MobiFone")),
              (std::vector<std::string>{"M-A", "M-B", "V-2"}));
    EXPECT_EQ(s.site_ids_of(find("commune", "Bắc Xa", "MobiFone")),
              (std::vector<std::string>{"M-A", "V-2"}));
    EXPECT_EQ(s.site_ids_of(find("commune", "Bắc Xa", "Viettel")),
              (std::vector<std::string>{"V-10", "V-2"}));
    EXPECT_EQ(find("commune", "Kiên Mộc", "MobiFone").sites(), 1);
    EXPECT_EQ(find("commune", "Kiên Mộc", "Viettel").sites(), 2);
    EXPECT_EQ(find("all", "", "Viettel").villages_any, 300);
    EXPECT_EQ(find("commune", "Bắc Xa", "Viettel").only_any, 0);
}

TEST(Report, ConsoleTableShowsTotalsDistrictsAndSites) {
    Case c = make_case(true);
    Station st;
    st.operator_name = "Viettel";
    st.site_id = "S1";
    c.inputs.stations.push_back(st);
    const std::string table = format_summary(summarize(c.inputs, c.classification));
    EXPECT_NE(table.find("all villages"), std::string::npos);
    EXPECT_NE(table.find("Đình Lập"), std::string::npos);
    EXPECT_NE(table.find("Viettel"), std::string::npos);
    EXPECT_EQ(table.find("Kiên Mộc"), std::string::npos); // communes only in the layer
}

namespace {

// Five villages with their broadband status today and with the planned stations, and a
// different "any" status so that a comparison of the wrong class shows.
struct WhatIfCase {
    PreparedInputs inputs;
    Classification today, planned;
};

WhatIfCase make_whatif_case(bool with_district) {
    WhatIfCase c;
    auto add = [&](const char* district, const char* commune, Status before, double people_before,
                   Status after, double people_after) {
        Village v;
        v.province = "Lạng Sơn";
        v.district = with_district ? district : "";
        v.commune = commune;
        c.inputs.villages.push_back(v);
        c.today.villages[index_of(ServiceClass::Broadband)].push_back(
            {before, StatusBasis::Centre, people_before});
        c.planned.villages[index_of(ServiceClass::Broadband)].push_back(
            {after, StatusBasis::Centre, people_after});
        c.today.villages[index_of(ServiceClass::Any)].push_back(
            {Status::Covered, StatusBasis::Centre, 0.0});
        c.planned.villages[index_of(ServiceClass::Any)].push_back(
            {Status::Covered, StatusBasis::Centre, 0.0});
    };
    add("Đình Lập", "Bắc Xa", Status::White, 100, Status::Covered, 0);
    add("Đình Lập", "Bắc Xa", Status::White, 50, Status::Partial, 20);
    add("Đình Lập", "Kiên Mộc", Status::Partial, 40, Status::Covered, 0);
    add("Bắc Sơn", "Vũ Lễ", Status::Covered, 0, Status::Covered, 0);
    add("Bắc Sơn", "Vũ Lễ", Status::White, 30, Status::White, 30);
    return c;
}

const WhatIfRow& whatif_row(const WhatIf& w, const std::string& unit) {
    for (const auto& r : w.rows)
        if (r.unit == unit)
            return r;
    throw std::runtime_error("no what-if row " + unit);
}

} // namespace

TEST(Report, WhatIfCountsMovesPerDistrict) {
    const WhatIfCase c = make_whatif_case(true);
    const WhatIf w = compare_whatif(c.inputs, c.today, c.planned, ServiceClass::Broadband);
    ASSERT_EQ(w.rows.size(), 3u); // all, Bắc Sơn, Đình Lập
    const WhatIfRow& all = w.rows.front();
    EXPECT_EQ(all.level, "all");
    EXPECT_EQ(all.villages, 5);
    EXPECT_EQ(all.white_today, 3);
    EXPECT_EQ(all.white_planned, 1);
    EXPECT_EQ(all.partial_today, 1);
    EXPECT_EQ(all.partial_planned, 1);
    EXPECT_EQ(all.covered_today, 1);
    EXPECT_EQ(all.covered_planned, 3);
    EXPECT_EQ(all.improved, 3);
    EXPECT_DOUBLE_EQ(all.people_newly, 170.0);

    const WhatIfRow& dl = whatif_row(w, "Đình Lập");
    EXPECT_EQ(dl.level, "district");
    EXPECT_EQ(dl.province, "Lạng Sơn");
    EXPECT_EQ(dl.villages, 3);
    EXPECT_EQ(dl.white_today, 2);
    EXPECT_EQ(dl.white_planned, 0);
    EXPECT_EQ(dl.partial_today, 1);
    EXPECT_EQ(dl.partial_planned, 1);
    EXPECT_EQ(dl.covered_today, 0);
    EXPECT_EQ(dl.covered_planned, 2);
    EXPECT_EQ(dl.improved, 3);
    EXPECT_DOUBLE_EQ(dl.people_newly, 170.0);

    const WhatIfRow& bs = whatif_row(w, "Bắc Sơn");
    EXPECT_EQ(bs.villages, 2);
    EXPECT_EQ(bs.white_today, 1);
    EXPECT_EQ(bs.white_planned, 1);
    EXPECT_EQ(bs.covered_today, 1);
    EXPECT_EQ(bs.covered_planned, 1);
    EXPECT_EQ(bs.improved, 0);
    EXPECT_DOUBLE_EQ(bs.people_newly, 0.0);

    // The "any" class did not change at all.
    const WhatIf any = compare_whatif(c.inputs, c.today, c.planned, ServiceClass::Any);
    EXPECT_EQ(any.rows.front().improved, 0);
    EXPECT_EQ(any.rows.front().covered_today, 5);
}

TEST(Report, WhatIfGroupsByCommuneWithoutDistricts) {
    const WhatIfCase c = make_whatif_case(false);
    const WhatIf w = compare_whatif(c.inputs, c.today, c.planned, ServiceClass::Broadband);
    ASSERT_EQ(w.rows.size(), 4u); // all, Bắc Xa, Kiên Mộc, Vũ Lễ
    const WhatIfRow& bx = whatif_row(w, "Bắc Xa");
    EXPECT_EQ(bx.level, "commune");
    EXPECT_EQ(bx.villages, 2);
    EXPECT_EQ(bx.improved, 2);
    EXPECT_DOUBLE_EQ(bx.people_newly, 130.0);
    EXPECT_EQ(whatif_row(w, "Kiên Mộc").improved, 1);
    EXPECT_EQ(whatif_row(w, "Vũ Lễ").improved, 0);
}

TEST(Report, WhatIfTableShowsTodayAgainstPlanned) {
    const WhatIfCase c = make_whatif_case(true);
    WhatIf w = compare_whatif(c.inputs, c.today, c.planned, ServiceClass::Broadband);
    w.planned_stations = 2;
    const std::string table = format_whatif(w);
    EXPECT_NE(table.find("what-if: 2 planned stations on air (broadband)"), std::string::npos)
        << table;
    EXPECT_NE(table.find("3 -> 1"), std::string::npos) << table; // white, all villages
    EXPECT_NE(table.find("Đình Lập"), std::string::npos) << table;
}

// The plan's console table lines up by what the eye sees: a village id with Vietnamese marks
// (several bytes per letter) takes as many columns as its letters.
TEST(Report, PlanTableAlignsVietnameseIdsByDisplayWidth) {
    Plan plan;
    for (const char* id : {"Th\xc3\xb4n \xc4\x90\xe1\xbb\x93ng", "Thon Dong"}) { // Thôn Đồng
        ProposedSite s;
        s.pick = static_cast<long>(plan.sites.size()) + 1;
        s.village_id = id;
        s.new_villages = 7;
        plan.sites.push_back(s);
    }
    const std::string table = format_plan(plan);
    std::vector<std::size_t> ends; // display column where each site row's "new vill." ends
    std::istringstream lines(table);
    for (std::string line; std::getline(lines, line);)
        if (line.find("Th") != std::string::npos && line.find("plan:") == std::string::npos) {
            const std::size_t seven = line.find(" 7 ");
            ASSERT_NE(seven, std::string::npos) << line;
            std::size_t columns = 0; // code points up to the "7"
            for (std::size_t i = 0; i <= seven + 1; ++i)
                columns += (static_cast<unsigned char>(line[i]) & 0xC0) != 0x80;
            ends.push_back(columns);
        }
    ASSERT_EQ(ends.size(), 2u);
    EXPECT_EQ(ends[0], ends[1]) << table;
}

// Units are listed in Vietnamese alphabetical order, not in the order of their UTF-8 bytes.
TEST(Report, SummaryUnitsSortInVietnameseOrder) {
    PreparedInputs in;
    Classification c;
    const char* communes[] = {"\xc4\x90\xc3\xacnh L\xe1\xba\xadp", // Đình Lập
                              "B\xc3\xacnh Gia",                   // Bình Gia
                              "X\xc3\xa3 10", "X\xc3\xa3 2",       // Xã 10, Xã 2
                              "B\xe1\xba\xaf\x63 S\xc6\xa1n"};     // Bắc Sơn
    for (const char* name : communes) {
        Village v;
        v.province = "P";
        v.commune = name;
        in.villages.push_back(v);
        for (auto& cls : c.villages)
            cls.push_back(VillageStatus{});
    }
    const Summary s = summarize(in, c);
    std::vector<std::string> order;
    for (const auto& row : s.rows)
        if (row.level == "commune")
            order.push_back(row.commune);
    const std::vector<std::string> expected{"B\xe1\xba\xaf\x63 S\xc6\xa1n", "B\xc3\xacnh Gia",
                                            "\xc4\x90\xc3\xacnh L\xe1\xba\xadp", "X\xc3\xa3 2",
                                            "X\xc3\xa3 10"};
    EXPECT_EQ(order, expected);
}

// After the 2025 reform villages carry no district; Xã Tân Lập is a commune of several
// provinces. Each is its own row with its province, whether the villages carry codes or not.
TEST(Report, SameNameCommunesOfTwoProvincesAreSeparateRows) {
    for (const bool codes : {false, true}) {
        PreparedInputs in;
        Classification c;
        auto add = [&](const char* province, const char* commune, const char* code) {
            Village v;
            v.province = province;
            v.commune = commune;
            if (codes)
                v.commune_code = code;
            in.villages.push_back(v);
            for (auto& cls : c.villages)
                cls.push_back(VillageStatus{});
        };
        add("Tuyên Quang", "Xã Tân Lập", "08125");
        add("Tuyên Quang", "Xã Tân Lập", "08125");
        add("Phú Thọ", "Xã Tân Lập", "25351");
        const Summary s = summarize(in, c);
        std::vector<std::string> communes;
        for (const auto& r : s.rows) {
            EXPECT_NE(r.level, "district");
            if (r.level == "commune")
                communes.push_back(r.province + "/" + r.commune + "/" + r.commune_code + "/" +
                                   std::to_string(r.counts[0].villages));
        }
        const std::string tq = codes ? "08125" : "", pt = codes ? "25351" : "";
        EXPECT_EQ(communes, (std::vector<std::string>{"Phú Thọ/Xã Tân Lập/" + pt + "/1",
                                                      "Tuyên Quang/Xã Tân Lập/" + tq + "/2"}))
            << codes;
    }
}
