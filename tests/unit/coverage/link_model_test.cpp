// The link-model registry (coverage/link_model.hpp): the registered models, their radii and
// terrain margins, and how "coverage_model" finds them.

#include "whitezone/config.hpp"
#include "whitezone/coverage.hpp"
#include "whitezone/error.hpp"

#include "support/support.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace whitezone {
namespace {

using test::contains;
using test::message_of;

Station station(Tech tech) {
    Station s;
    s.row = 7;
    s.tech = tech;
    return s;
}

TEST(LinkModel, DiskHataAndItmAreRegisteredInThatOrder) {
    EXPECT_EQ(coverage_model_names(), (std::vector<std::string>{"disk", "hata", "itm"}));
    ASSERT_NE(find_link_model("disk"), nullptr);
    ASSERT_NE(find_link_model("hata"), nullptr);
    ASSERT_NE(find_link_model("itm"), nullptr);
    EXPECT_TRUE(find_link_model("itm")->needs_dem());
    EXPECT_FALSE(find_link_model("hata")->needs_dem());
    EXPECT_EQ(find_link_model("cost231"), nullptr);
    EXPECT_EQ(&link_model(CoverageModel::Hata), find_link_model("hata"));
}

TEST(LinkModel, CoverageModelNamesParseOnlyToRegisteredModels) {
    EXPECT_EQ(parse_coverage_model("hata"), CoverageModel::Hata);
    EXPECT_EQ(to_string(*parse_coverage_model("disk")), "disk");
    EXPECT_FALSE(parse_coverage_model("Hata").has_value());
    EXPECT_FALSE(parse_coverage_model("cost231").has_value());
}

TEST(LinkModel, AnUnregisteredModelIsAUsageErrorListingTheRegisteredOnes) {
    CoverageOptions options;
    options.model = CoverageModel("cost231");
    const std::string msg =
        message_of<UsageError>([&] { model_coverage({station(Tech::G4)}, options); });
    EXPECT_TRUE(contains(msg, "\"coverage_model\" must be \"disk\", \"hata\" or \"itm\", not "
                              "\"cost231\""))
        << msg;
}

TEST(LinkModel, DiskGivesTheTechnologyRadiusAndNoTerrainMargin) {
    CoverageOptions options;
    options.radius_m[Tech::G3] = 2750.0;
    const LinkModel& disk = link_model(CoverageModel::Disk);
    const ModelRadius r = disk.radius(station(Tech::G3), options);
    EXPECT_DOUBLE_EQ(r.radius_m, 2750.0);
    EXPECT_EQ(r.source, RadiusSource::Technology);
    EXPECT_EQ(r.flag, "");
    EXPECT_FALSE(disk.diffraction_margin(station(Tech::G3), options).has_value());
    options.radius_m.erase(Tech::G5);
    const std::string msg =
        message_of<UsageError>([&] { (void)disk.radius(station(Tech::G5), options); });
    EXPECT_TRUE(contains(msg, "\"radius_m\"")) << msg;
}

TEST(LinkModel, HataGivesItsRadiusAndTheMarginWhereTheLevelMeetsTheThreshold) {
    CoverageOptions options;
    options.hata.environment = HataEnvironment::Urban;
    const LinkModel& hata = link_model(CoverageModel::Hata);
    const Station s = station(Tech::G2);
    const ModelRadius r = hata.radius(s, options);
    const HataRadius expected = station_hata_radius(s, options.hata);
    EXPECT_DOUBLE_EQ(r.radius_m, expected.radius_m);
    EXPECT_EQ(r.source, RadiusSource::Hata);
    const auto margin = hata.diffraction_margin(s, options);
    ASSERT_TRUE(margin.has_value());
    EXPECT_DOUBLE_EQ(margin->reach_m, expected.uncapped_m);
    // B = 44.9 − 6.55 log 30 m; at the reach the margin is 0, a decade closer it is B.
    EXPECT_NEAR(margin->slope_db_per_decade, 44.9 - 6.55 * std::log10(30.0), 1e-12);
    EXPECT_DOUBLE_EQ(margin->slope_db_per_decade, hata_slope_db_per_decade(30.0));
    // The margin is the link budget left: EIRP − L(d) − threshold at a tenth of the reach.
    HataLink link;
    link.environment = HataEnvironment::Urban;
    const double d_km = margin->reach_m / 10000.0;
    EXPECT_NEAR(58.0 - hata_path_loss_db(link, d_km) - (-90.0), margin->slope_db_per_decade, 1e-9);
}

TEST(LinkModel, TheConfigKeyNamesTheRegisteredModels) {
    Config c;
    apply_config_json(c, R"({"coverage_model": "hata"})", "t");
    EXPECT_EQ(&link_model(c.coverage.model), find_link_model("hata"));
}

} // namespace
} // namespace whitezone
