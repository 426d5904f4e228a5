// End-to-end: `whitezone plan` on the sample province in data/ with a budget of five sites.
// Like analyze_test.cpp it checks properties of every correct run, not golden numbers.

#include "e2e/e2e.hpp"

#include <gtest/gtest.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <memory>
#include <sstream>
#include <tuple>

namespace whitezone::test::e2e {
namespace {

TEST(PlanE2E, FiveSitesOnTheSampleWithNonIncreasingGains) {
    const TempDir tmp;
    const std::string out = tmp.file("plan.gpkg");
    const RunResult r = run_binary({"plan", "--stations", sample_path("stations.csv"), "--villages",
                                    sample_path("villages.gpkg"), "--budget", "5", "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(without_flag_warnings(r.err), "");
    EXPECT_NE(r.out.find("backhaul: "), std::string::npos) << r.out;

    const std::vector<std::string> layers = layer_names(out);
    for (const char* name : {"villages", "proposed_sites", "backhaul_links"})
        EXPECT_NE(std::find(layers.begin(), layers.end(), name), layers.end()) << name;

    const std::vector<OutFeature> sites = read_layer_features(out, "proposed_sites");
    ASSERT_FALSE(sites.empty());
    ASSERT_LE(sites.size(), 5u);
    double cumulative = 0.0;
    long connected = 0;
    for (std::size_t i = 0; i < sites.size(); ++i) {
        EXPECT_EQ(sites[i].number("pick"), static_cast<double>(i + 1));
        EXPECT_GT(sites[i].number("new_villages"), 0.0);
        if (i > 0) {
            EXPECT_LE(sites[i].number("new_people"), sites[i - 1].number("new_people"));
        }
        cumulative += sites[i].number("new_people");
        EXPECT_NEAR(sites[i].number("cumulative_people"), cumulative, 1e-6);
        if (sites[i].text("candidate_source") == "gap_village") {
            EXPECT_FALSE(sites[i].text("village_id").empty());
        }
        connected += sites[i].number("connected") == 1.0;
    }
    const std::vector<OutFeature> links = read_layer_features(out, "backhaul_links");
    EXPECT_EQ(static_cast<long>(links.size()), connected);
    for (const auto& link : links) {
        EXPECT_GT(link.number("length_m"), 0.0);
        EXPECT_LE(link.number("length_m"), 20000.0);
        if (link.number("to_pick") == 0.0) {
            EXPECT_FALSE(link.text("to_site").empty());
        }
    }
}

// Two planned 4G sites at the centres (point on surface, lon/lat) of two villages that are
// white in the sample, far from any station: 2090713-005 (Huyện Bình Gia) and 2091557-010
// (Huyện Lộc Bình). The test checks that they are white today before it counts on them.
std::string write_planned_csv(const TempDir& tmp) {
    return tmp.write("planned.csv", "site_id,operator,tech,lon,lat,height_m\n"
                                    "PLAN-1,Viettel,4G,106.113470,22.064647,30\n"
                                    "PLAN-2,Viettel,4G,106.852785,21.510144,30\n");
}

TEST(PlanE2E, PlannedStationsImproveTheirVillagesInTheWhatIfLayer) {
    const TempDir tmp;
    const std::string base = tmp.file("base.gpkg");
    const std::string out = tmp.file("whatif.gpkg");
    const std::vector<std::string> args{"plan",
                                        "--stations",
                                        sample_path("stations.csv"),
                                        "--villages",
                                        sample_path("villages.gpkg"),
                                        "--budget",
                                        "1"};
    std::vector<std::string> without = args, with = args;
    without.insert(without.end(), {"--out", base});
    with.insert(with.end(), {"--planned", write_planned_csv(tmp), "--out", out});
    const RunResult a = run_binary(without);
    ASSERT_EQ(a.code, 0) << a.err;
    const RunResult b = run_binary(with);
    ASSERT_EQ(b.code, 0) << b.err;
    EXPECT_EQ(without_flag_warnings(b.err), "");
    EXPECT_EQ(a.out.find("what-if"), std::string::npos) << a.out;
    EXPECT_NE(b.out.find("what-if: 2 planned stations on air (broadband)"), std::string::npos)
        << b.out;

    const std::vector<std::string> base_layers = layer_names(base);
    EXPECT_EQ(std::find(base_layers.begin(), base_layers.end(), "whatif"), base_layers.end());
    const std::vector<std::string> layers = layer_names(out);
    ASSERT_NE(std::find(layers.begin(), layers.end(), "whatif"), layers.end());

    // The villages layer is today's, whether or not planned stations are given.
    const std::vector<OutFeature> villages = read_layer_features(out, "villages");
    expect_same_features(read_layer_features(base, "villages"), villages);
    for (const char* id : {"2090713-005", "2091557-010"})
        EXPECT_EQ(find_feature(villages, "village_id", id).text("status_broadband"), "white") << id;

    const std::vector<OutFeature> rows = read_layer_features(out, "whatif");
    ASSERT_GE(rows.size(), 2u);
    const OutFeature& all = rows.front();
    ASSERT_EQ(all.text("level"), "all");
    EXPECT_EQ(all.number("villages"), static_cast<double>(villages.size()));
    EXPECT_GE(all.number("improved"), 2.0);
    EXPECT_GT(all.number("people_newly"), 0.0);

    // Today's counts are the summary's; each row adds up; the unit rows add up to "all".
    const std::vector<OutFeature> summary = read_layer_features(out, "summary");
    const OutFeature& summary_all = find_feature(summary, "level", "all");
    EXPECT_EQ(all.number("white_today"), summary_all.number("white_broadband"));
    EXPECT_EQ(all.number("partial_today"), summary_all.number("partial_broadband"));
    EXPECT_EQ(all.number("covered_today"), summary_all.number("covered_broadband"));
    const std::vector<std::string> counts{"villages",        "white_today",     "white_planned",
                                          "partial_today",   "partial_planned", "covered_today",
                                          "covered_planned", "improved",        "people_newly"};
    std::vector<double> sums(counts.size(), 0.0);
    for (const auto& row : rows) {
        EXPECT_EQ(row.number("white_today") + row.number("partial_today") +
                      row.number("covered_today"),
                  row.number("villages"));
        EXPECT_EQ(row.number("white_planned") + row.number("partial_planned") +
                      row.number("covered_planned"),
                  row.number("villages"));
        EXPECT_LE(row.number("white_planned"), row.number("white_today"));
        EXPECT_GE(row.number("covered_planned"), row.number("covered_today"));
        // Each improvement lowers white or raises covered by one (white → partial, white →
        // covered, partial → covered).
        EXPECT_LE(row.number("improved"), row.number("white_today") - row.number("white_planned") +
                                              row.number("covered_planned") -
                                              row.number("covered_today"));
        if (&row == &all)
            continue;
        EXPECT_EQ(row.text("level"), "district");
        for (std::size_t k = 0; k < counts.size(); ++k)
            sums[k] += row.number(counts[k]);
    }
    for (std::size_t k = 0; k < counts.size(); ++k)
        EXPECT_NEAR(sums[k], all.number(counts[k]), 1e-6) << counts[k];
    for (const char* district : {"Huyện Bình Gia", "Huyện Lộc Bình"})
        EXPECT_GE(find_feature(rows, "unit", district).number("improved"), 1.0) << district;
}

// The share printed before the arrow of "covered share of villages…: 57.6% -> 60.5%".
std::string start_share(const std::string& out) {
    const std::size_t line = out.find("covered share of villages");
    const std::size_t colon = out.find(": ", line);
    const std::size_t arrow = out.find(" -> ", colon);
    if (line == std::string::npos || colon == std::string::npos || arrow == std::string::npos)
        return "";
    return out.substr(colon + 2, arrow - colon - 2);
}

// The site the plan chooses first without planned stations is the centre of a gap village X.
// A planned 4G station at that very point brings X on air, so with --planned the plan must
// not spend a site on X: it plans on the gaps left once the planned stations are on air, as
// if they were existing stations. The oracle is the plan run with the planned station added
// to --stations: its proposed sites and backhaul links must be the same.
TEST(PlanE2E, NewSitesAreChosenOnTheGapsLeftByThePlannedStations) {
    const TempDir tmp;
    const std::vector<std::string> args{"plan",     "--villages", sample_path("villages.gpkg"),
                                        "--budget", "3",          "--overwrite"};
    auto with = [&](std::vector<std::string> extra) {
        std::vector<std::string> all = args;
        all.insert(all.end(), extra.begin(), extra.end());
        return all;
    };
    const std::string today = tmp.file("today");
    const RunResult a = run_binary(
        with({"--stations", sample_path("stations.csv"), "--format", "geojson", "--out", today}));
    ASSERT_EQ(a.code, 0) << a.err;
    const std::vector<OutFeature> first_plan =
        read_layer_features(today + "/proposed_sites.geojson", "proposed_sites");
    ASSERT_FALSE(first_plan.empty());
    const OutFeature& first = first_plan.front();
    ASSERT_EQ(first.text("candidate_source"), "gap_village");
    const std::string village = first.text("village_id");
    double lon = 0.0, lat = 0.0;
    ASSERT_EQ(std::sscanf(first.wkt.c_str(), "POINT (%lf %lf)", &lon, &lat), 2) << first.wkt;

    std::ostringstream point;
    point << std::setprecision(12) << lon << "," << lat;
    const std::string planned =
        tmp.write("planned.csv", "site_id,operator,tech,lon,lat,height_m\nPLAN-X,Viettel,4G," +
                                     point.str() + ",30\n");
    // The sample's columns begin site_id,operator,tech,lon,lat,height_m; the others are empty.
    const std::string stations = read_file(sample_path("stations.csv"));
    const auto columns = std::count(stations.begin(),
                                    stations.begin() + static_cast<long>(stations.find('\n')), ',');
    ASSERT_GE(columns, 5);
    const std::string both =
        tmp.write("both.csv", stations + "PLAN-X,Viettel,4G," + point.str() + ",30" +
                                  std::string(static_cast<std::size_t>(columns - 5), ',') + "\n");
    const std::string planned_out = tmp.file("planned.gpkg");
    const std::string oracle_out = tmp.file("oracle.gpkg");
    const RunResult b = run_binary(with(
        {"--stations", sample_path("stations.csv"), "--planned", planned, "--out", planned_out}));
    ASSERT_EQ(b.code, 0) << b.err;
    const RunResult c = run_binary(with({"--stations", both, "--out", oracle_out}));
    ASSERT_EQ(c.code, 0) << c.err;

    // X is covered once the planned station is on air (else the test proves nothing) …
    const std::vector<OutFeature> oracle_villages = read_layer_features(oracle_out, "villages");
    ASSERT_EQ(find_feature(oracle_villages, "village_id", village).text("status_broadband"),
              "covered")
        << village;
    // … so no new site goes to it, and the plan is the one made with the station on air.
    const std::vector<OutFeature> sites = read_layer_features(planned_out, "proposed_sites");
    ASSERT_FALSE(sites.empty());
    for (const auto& site : sites)
        EXPECT_NE(site.text("village_id"), village);
    expect_same_features(read_layer_features(oracle_out, "proposed_sites"), sites);
    expect_same_features(read_layer_features(oracle_out, "backhaul_links"),
                         read_layer_features(planned_out, "backhaul_links"));

    // The covered share the plan starts from counts the planned station; the what-if and the
    // villages layer are unchanged (today's against the planned, and today's).
    EXPECT_NE(b.out.find("covered share of villages with the 1 planned station: "),
              std::string::npos)
        << b.out;
    EXPECT_EQ(start_share(b.out), start_share(c.out)) << b.out << c.out;
    EXPECT_NE(start_share(b.out), start_share(a.out)) << b.out << a.out;
    const OutFeature all = read_layer_features(planned_out, "whatif").front();
    EXPECT_GE(all.number("improved"), 1.0);
    EXPECT_EQ(find_feature(read_layer_features(planned_out, "villages"), "village_id", village)
                  .text("status_broadband"),
              find_feature(read_layer_features(today + "/villages.geojson", "villages"),
                           "village_id", village)
                  .text("status_broadband"));
}

// "planned" and "candidates" in the config file, with their own column names, give the plan
// and the what-if that --planned and --candidates give with the usual names.
TEST(PlanE2E, PlannedAndCandidatesFromTheConfigFileAreThoseOfTheFlags) {
    const TempDir tmp;
    const std::string planned = write_planned_csv(tmp);
    const std::string candidates = tmp.write("candidates.csv", "name,lon,lat\n"
                                                               "Đỉnh A,106.50,21.80\n"
                                                               "Đỉnh B,106.90,21.55\n");
    const std::string own_planned =
        tmp.write("ke_hoach.csv", "ma_so,nha_mang,loai_song,kinh_do,vi_do,height_m\n"
                                  "PLAN-1,Viettel,4G,106.113470,22.064647,30\n"
                                  "PLAN-2,Viettel,4G,106.852785,21.510144,30\n");
    const std::string own_candidates =
        tmp.write("dinh.csv", "ten,kd,vd\nĐỉnh A,106.50,21.80\nĐỉnh B,106.90,21.55\n");
    const std::string config =
        tmp.write("plan.json", R"({"planned": {"path": ")" + own_planned + R"(", "fields": {
                       "site_id": "ma_so", "tech": "loai_song", "lon": "kinh_do", "lat": "vi_do"}},
                     "candidates": {"path": ")" +
                                   own_candidates + R"(", "fields": {"lon": "kd", "lat": "vd"}}})");
    const std::vector<std::string> args{"plan",
                                        "--stations",
                                        sample_path("stations.csv"),
                                        "--villages",
                                        sample_path("villages.gpkg"),
                                        "--budget",
                                        "3"};
    std::vector<std::string> from_flags = args, from_config = args;
    const std::string flags_out = tmp.file("flags.gpkg");
    const std::string config_out = tmp.file("config.gpkg");
    from_flags.insert(from_flags.end(),
                      {"--planned", planned, "--candidates", candidates, "--out", flags_out});
    from_config.insert(from_config.end(), {"--config", config, "--out", config_out});
    const RunResult a = run_binary(from_flags);
    ASSERT_EQ(a.code, 0) << a.err;
    const RunResult b = run_binary(from_config);
    ASSERT_EQ(b.code, 0) << b.err;
    EXPECT_EQ(without_path(b.out, config_out), without_path(a.out, flags_out));
    EXPECT_NE(b.out.find("what-if: 2 planned stations on air"), std::string::npos) << b.out;
    // proposed_sites carries each candidates layer's own columns, which differ by name here:
    // the plan's own fields must agree.
    auto without_candidate_fields = [](std::vector<OutFeature> features) {
        for (OutFeature& f : features)
            for (const char* field : {"name", "lon_in", "lat_in", "ten", "kd", "vd"})
                f.fields.erase(field);
        return features;
    };
    for (const char* layer : {"whatif", "proposed_sites", "backhaul_links"})
        expect_same_features(without_candidate_fields(read_layer_features(flags_out, layer)),
                             without_candidate_fields(read_layer_features(config_out, layer)));
    // The candidates: the gaps left with the planned stations on air, and the two points.
    const OutFeature all = read_layer_features(config_out, "whatif").front();
    const long gaps = std::lround(all.number("white_planned") + all.number("partial_planned"));
    EXPECT_NE(b.out.find("from " + std::to_string(gaps + 2) + " candidates"), std::string::npos)
        << b.out;

    // A "planned" object without a path is an error of plan (not of analyze), before any work.
    const std::string no_path = tmp.write("no_path.json", R"({"planned": {"layer": "x"}})");
    std::vector<std::string> bad = args;
    bad.insert(bad.end(), {"--config", no_path, "--out", tmp.file("bad.gpkg")});
    const RunResult c = run_binary(bad);
    EXPECT_EQ(c.code, 2) << c.err;
    EXPECT_NE(c.err.find("--planned FILE"), std::string::npos) << c.err;
    EXPECT_FALSE(std::filesystem::exists(tmp.file("bad.gpkg")));
}

TEST(PlanE2E, AnEmptyPlannedFileIsAnInputError) {
    const TempDir tmp;
    const std::string planned = tmp.write("planned.csv", "site_id,operator,tech,lon,lat\n");
    const RunResult r = run_binary({"plan", "--stations", sample_path("stations.csv"), "--villages",
                                    sample_path("villages.gpkg"), "--budget", "1", "--planned",
                                    planned, "--out", tmp.file("out.gpkg")});
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("planned.csv"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(tmp.file("out.gpkg")));
}

// A small case in UTM 48N (x in km from 600 km, all at y = 2,400 km), one existing 4G site
// EX and one given candidate C between V1 and V2 (known_config.json: 4G reaches 3.5 km):
//
//   EX(-3.52) ... V1(0) --3-- C(3) --3-- V2(6) ............... V3(60)
//
// EX's signal reaches V1's polygon (100 m wide) but not its centre: V1 is white. C reaches V1
// and V2 (200 people, more than either centre alone) and links to EX (6.5 km); V3 is 57 km
// from C and 63.5 km from EX, beyond a 20 km hop.
constexpr const char* kUtm48 =
    R"("crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32648"}},)";

std::string point_json(double x_km) {
    return R"({"type": "Point", "coordinates": [)" + std::to_string(600000 + 1000 * x_km) +
           ", 2400000]}";
}

std::string collection(const std::string& features) {
    return R"({"type": "FeatureCollection", )" + std::string(kUtm48) + "\n\"features\": [\n" +
           features + "\n]}\n";
}

struct SmallCase {
    std::string villages, stations, candidates;
};

// `v2_width_m`: V2's width (east-west); wider than 1 km, C reaches its centre but not all of it.
SmallCase write_small_case(const TempDir& tmp, double v2_width_m = 100.0) {
    SmallCase c;
    const std::array<std::tuple<const char*, const char*, const char*, double, double>, 3> villages{
        {{"V1", "Nà Lầu", "Xã Tân Văn", 0.0, 100.0},
         {"V2", "Khuổi Hẩu", "Xã Hồng Phong", 6.0, v2_width_m},
         {"V3", "Pò Mã", "Xã Tân Văn", 60.0, 100.0}}};
    std::string features;
    for (const auto& [id, name, commune, x, width_m] : villages) {
        const double x0 = 600000 + 1000 * x - width_m / 2, x1 = x0 + width_m;
        features += std::string(features.empty() ? "" : ",\n") +
                    R"({"type": "Feature", "properties": {"village_id": ")" + id +
                    R"(", "name": ")" + name + R"(", "commune": ")" + commune +
                    R"(", "province": "Lạng Sơn", "population": 100}, "geometry": )" +
                    R"({"type": "Polygon", "coordinates": [[[)" + std::to_string(x0) +
                    ",2399950],[" + std::to_string(x1) + ",2399950],[" + std::to_string(x1) +
                    ",2400050],[" + std::to_string(x0) + ",2400050],[" + std::to_string(x0) +
                    ",2399950]]]}}";
    }
    c.villages = tmp.write("villages.geojson", collection(features));
    c.stations = tmp.write(
        "stations.geojson",
        collection(R"({"type": "Feature", "properties": {"site_id": "EX", "operator": "Viettel", )"
                   R"("tech": "4G"}, "geometry": )" +
                   point_json(-3.52) + "}"));
    c.candidates = tmp.write(
        "candidates.geojson",
        collection(R"({"type": "Feature", "properties": {"cand_name": "Đồi Gió", "owner": )"
                   R"("VNPT", "rent_vnd": 1200000}, "geometry": )" +
                   point_json(3) + "}"));
    return c;
}

// lon/lat (WGS 84) of a point of UTM 48N, by GDAL rather than by whitezone's own PROJ code.
std::pair<double, double> utm48_to_lon_lat(double x, double y) {
    OGRSpatialReference utm, wgs84;
    utm.importFromEPSG(32648);
    wgs84.importFromEPSG(4326);
    utm.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> t(OGRCreateCoordinateTransformation(&utm, &wgs84));
    EXPECT_TRUE(t && t->Transform(1, &x, &y));
    return {x, y};
}

TEST(PlanE2E, ProposedSitesCarryLonLatTheVillagesTheyReachAndTheCandidatesFields) {
    const TempDir tmp;
    const SmallCase c = write_small_case(tmp);
    const std::string out = tmp.file("plan.gpkg");
    const RunResult r = run_binary({"plan", "--stations", c.stations, "--villages", c.villages,
                                    "--candidates", c.candidates, "--config",
                                    data_path("known_config.json"), "--budget", "2", "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "unlinkable_candidates): 1 candidate")) << r.out;
    for (const char* layer :
         {"proposed_sites", "backhaul_links", "planned_stations", "unlinkable_candidates"}) {
        const auto layers = layer_names(out);
        EXPECT_NE(std::find(layers.begin(), layers.end(), layer), layers.end()) << layer;
    }

    // C is chosen; V3 cannot be linked and uses none of the budget of two.
    const std::vector<OutFeature> sites = read_layer_features(out, "proposed_sites");
    ASSERT_EQ(sites.size(), 1u);
    const OutFeature& site = sites[0];
    EXPECT_EQ(site.number("pick"), 1.0);
    EXPECT_EQ(site.text("candidate_source"), "candidates");
    EXPECT_EQ(site.text("cand_name"), "Đồi Gió");
    EXPECT_EQ(site.text("owner"), "VNPT");
    EXPECT_EQ(site.number("rent_vnd"), 1200000.0);
    EXPECT_EQ(site.text("reached_ids"), "V1, V2");
    EXPECT_EQ(site.text("reached_names"), "Nà Lầu, Khuổi Hẩu");
    EXPECT_EQ(site.text("reached_communes"), "Xã Tân Văn, Xã Hồng Phong");
    EXPECT_EQ(site.number("new_villages"), 2.0);
    // Their people without signal, as the villages layer gives them (EX's signal covers a
    // strip of V1, so V1 has fewer than its 100).
    const std::vector<OutFeature> today = read_layer_features(out, "villages");
    EXPECT_NEAR(site.number("new_people"),
                find_feature(today, "village_id", "V1").number("people_without_broadband") +
                    find_feature(today, "village_id", "V2").number("people_without_broadband"),
                1e-6);
    EXPECT_EQ(site.number("connected"), 1.0);
    const auto [lon, lat] = utm48_to_lon_lat(603000, 2400000);
    EXPECT_NEAR(site.number("lon"), lon, 1e-7);
    EXPECT_NEAR(site.number("lat"), lat, 1e-7);
    EXPECT_EQ(site.wkt, "POINT (603000 2400000)");

    const std::vector<OutFeature> unlinkable = read_layer_features(out, "unlinkable_candidates");
    ASSERT_EQ(unlinkable.size(), 1u);
    EXPECT_EQ(unlinkable[0].text("candidate_source"), "gap_village");
    EXPECT_EQ(unlinkable[0].text("village_id"), "V3");
    EXPECT_EQ(unlinkable[0].number("villages"), 1.0);
    EXPECT_NEAR(unlinkable[0].number("people"), 100.0, 1e-6);
    EXPECT_EQ(unlinkable[0].text("cand_name"), ""); // not a candidate's point: NULL

    // The planned stations are stations: analyze reads them as --stations, and with them
    // alone exactly the villages C reaches have signal.
    const std::string next = tmp.file("next.gpkg");
    const RunResult a = run_binary({"analyze", "--stations", out, "--stations-layer",
                                    "planned_stations", "--villages", c.villages, "--config",
                                    data_path("known_config.json"), "--out", next});
    ASSERT_EQ(a.code, 0) << a.err;
    const std::vector<OutFeature> stations = read_layer_features(next, "stations");
    ASSERT_EQ(stations.size(), 1u);
    EXPECT_EQ(stations[0].text("technology"), "4G");
    EXPECT_EQ(stations[0].text("site_id"), "plan-1");
    const std::vector<OutFeature> villages = read_layer_features(next, "villages");
    for (const char* id : {"V1", "V2"})
        EXPECT_EQ(find_feature(villages, "village_id", id).text("status_broadband"), "covered")
            << id;
    EXPECT_EQ(find_feature(villages, "village_id", "V3").text("status_broadband"), "white");
}

// The share printed after the arrow of "covered share of villages: 0.0% -> 33.3%, …".
std::string end_share(const std::string& out) {
    const std::size_t line = out.find("covered share of villages");
    const std::size_t arrow = out.find(" -> ", line);
    const std::size_t end = out.find_first_of(",\n", arrow);
    if (line == std::string::npos || arrow == std::string::npos || end == std::string::npos)
        return "";
    return out.substr(arrow + 4, end - arrow - 4);
}

// The small case with V2 5 km wide (3.5 to 8.5 km): C reaches the centres of V1 and V2, but
// its 3.5 km disk covers only 60 % of V2, which the status rule makes partial (below 80 %).
// The covered share the plan prints is the one a new analysis gives with the planned
// stations added to the stations: 1 of 3 villages, not the 2 of 3 whose centre C reaches.
TEST(PlanE2E, TheCoveredSharePrintedIsThatOfANewAnalysisWithThePlannedStations) {
    const TempDir tmp;
    const SmallCase c = write_small_case(tmp, 5000.0);
    const std::string out = tmp.file("plan.gpkg");
    const RunResult r = run_binary({"plan", "--stations", c.stations, "--villages", c.villages,
                                    "--candidates", c.candidates, "--config",
                                    data_path("known_config.json"), "--budget", "2", "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::vector<OutFeature> sites = read_layer_features(out, "proposed_sites");
    ASSERT_EQ(sites.size(), 1u);
    EXPECT_EQ(sites[0].text("reached_ids"), "V1, V2");
    EXPECT_TRUE(contains(r.out, "reach the centres of 2 gap villages; covered or reached: "
                                "0.0% -> 66.7%"))
        << r.out;

    // Today's stations and the planned_stations layer as one stations file, analyzed again.
    std::string features =
        R"({"type": "Feature", "properties": {"site_id": "EX", "operator": "Viettel", )"
        R"("tech": "4G"}, "geometry": )" +
        point_json(-3.52) + "}";
    for (const OutFeature& s : read_layer_features(out, "planned_stations")) {
        double x = 0.0, y = 0.0;
        ASSERT_EQ(std::sscanf(s.wkt.c_str(), "POINT (%lf %lf)", &x, &y), 2) << s.wkt;
        std::ostringstream f;
        f << std::setprecision(12) << R"(,{"type": "Feature", "properties": {"site_id": ")"
          << s.text("site_id") << R"(", "tech": ")" << s.text("technology") << R"(", "height_m": )"
          << s.number("height_m") << R"(}, "geometry": {"type": "Point", "coordinates": [)" << x
          << ", " << y << "]}}";
        features += f.str();
    }
    const std::string both = tmp.write("both.geojson", collection(features));
    const std::string again = tmp.file("again.gpkg");
    const RunResult a = run_binary({"analyze", "--stations", both, "--villages", c.villages,
                                    "--config", data_path("known_config.json"), "--out", again});
    ASSERT_EQ(a.code, 0) << a.err;
    const std::vector<OutFeature> villages = read_layer_features(again, "villages");
    EXPECT_EQ(find_feature(villages, "village_id", "V1").text("status_broadband"), "covered");
    EXPECT_EQ(find_feature(villages, "village_id", "V2").text("status_broadband"), "partial");
    const OutFeature all = find_feature(read_layer_features(again, "summary"), "level", "all");
    std::ostringstream share;
    share << std::fixed << std::setprecision(1)
          << 100.0 * all.number("covered_broadband") / all.number("villages") << "%";
    EXPECT_EQ(share.str(), "33.3%");
    EXPECT_EQ(end_share(r.out), share.str()) << r.out;
    EXPECT_TRUE(contains(r.out, "covered share of villages: 0.0% -> 33.3%, analyzed with the new "
                                "sites on air"))
        << r.out;
}

// On the sample, with and without planned stations: the covered share printed after the plan
// is the one analyze gives with the stations, the planned stations and the planned_stations
// layer as its stations. Only the villages near the new sites are classified again, so this
// also checks that the others keep their status and the near ones come out as in a whole run.
TEST(PlanE2E, TheCoveredSharePrintedOnTheSampleIsThatOfANewAnalysis) {
    const TempDir tmp;
    const std::string sample = read_file(sample_path("stations.csv"));
    // The sample's columns begin site_id,operator,tech,lon,lat,height_m; the others are empty.
    const auto columns =
        std::count(sample.begin(), sample.begin() + static_cast<long>(sample.find('\n')), ',');
    ASSERT_GE(columns, 5);
    const std::string empty(static_cast<std::size_t>(columns - 5), ',');
    for (const bool with_planned : {false, true}) {
        const std::string out = tmp.file(with_planned ? "planned.gpkg" : "plan.gpkg");
        std::vector<std::string> args{"plan",
                                      "--stations",
                                      sample_path("stations.csv"),
                                      "--villages",
                                      sample_path("villages.gpkg"),
                                      "--budget",
                                      "5",
                                      "--out",
                                      out};
        std::string stations = sample;
        if (with_planned) {
            args.insert(args.end(), {"--planned", write_planned_csv(tmp), "--overwrite"});
            stations += "PLAN-1,Viettel,4G,106.113470,22.064647,30" + empty + "\n" +
                        "PLAN-2,Viettel,4G,106.852785,21.510144,30" + empty + "\n";
        }
        const RunResult r = run_binary(args);
        ASSERT_EQ(r.code, 0) << r.err;
        const std::vector<OutFeature> planned = read_layer_features(out, "planned_stations");
        ASSERT_EQ(planned.size(), 5u);
        for (const OutFeature& s : planned) {
            std::ostringstream row;
            row << std::setprecision(15) << s.text("site_id") << ",," << s.text("technology") << ","
                << s.number("lon") << "," << s.number("lat") << "," << s.number("height_m") << empty
                << "\n";
            stations += row.str();
        }
        const std::string again = tmp.file(with_planned ? "again-planned.gpkg" : "again.gpkg");
        const RunResult a =
            run_binary({"analyze", "--stations", tmp.write("stations.csv", stations), "--villages",
                        sample_path("villages.gpkg"), "--out", again, "--overwrite"});
        ASSERT_EQ(a.code, 0) << a.err;
        const OutFeature all = find_feature(read_layer_features(again, "summary"), "level", "all");
        std::ostringstream share;
        share << std::fixed << std::setprecision(1)
              << 100.0 * all.number("covered_broadband") / all.number("villages") << "%";
        EXPECT_EQ(end_share(r.out), share.str()) << with_planned << "\n" << r.out;
    }
}

TEST(PlanE2E, WithoutTheBackhaulRequirementAnUnlinkableSiteIsChosenAndLeftUnconnected) {
    const TempDir tmp;
    const SmallCase c = write_small_case(tmp);
    const std::string config =
        tmp.write("config.json", R"({"quad_segs": 128, "radius_m": {"4G": 3500},
                           "plan": {"require_backhaul": false}})");
    const std::string out = tmp.file("plan.gpkg");
    const RunResult r =
        run_binary({"plan", "--stations", c.stations, "--villages", c.villages, "--candidates",
                    c.candidates, "--config", config, "--budget", "2", "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::vector<OutFeature> sites = read_layer_features(out, "proposed_sites");
    ASSERT_EQ(sites.size(), 2u);
    EXPECT_EQ(sites[1].text("village_id"), "V3");
    EXPECT_EQ(sites[1].number("connected"), 0.0);
    EXPECT_EQ(sites[1].text("cand_name"), "");
    EXPECT_EQ(read_layer_features(out, "unlinkable_candidates").size(), 0u);
    EXPECT_TRUE(contains(r.out, "backhaul: 1 connected, 1 unconnectable")) << r.out;
}

} // namespace
} // namespace whitezone::test::e2e
