// End-to-end: `whitezone plan` on the sample province in data/ with a budget of five sites.
// Like analyze_test.cpp it checks properties of every correct run, not golden numbers.

#include "e2e/e2e.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace whitezone::test::e2e {
namespace {

TEST(PlanE2E, FiveSitesOnTheSampleWithNonIncreasingGains) {
    const TempDir tmp;
    const std::string out = tmp.file("plan.gpkg");
    const RunResult r = run_binary({"plan", "--stations", sample_path("stations.csv"), "--villages",
                                    sample_path("villages.gpkg"), "--budget", "5", "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");
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
        EXPECT_EQ(sites[i].number("order"), static_cast<double>(i + 1));
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
        if (link.number("to_order") == 0.0) {
            EXPECT_FALSE(link.text("to_site").empty());
        }
    }
}

} // namespace
} // namespace whitezone::test::e2e
