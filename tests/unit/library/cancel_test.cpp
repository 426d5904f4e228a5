// Cancellation: a run whose context is stopped throws Cancelled and writes nothing, whether
// the stop comes before the run or between two stages (a QGIS user pressing Cancel).

#include "whitezone/whitezone.hpp"

#include "support/support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <stop_token>

using namespace whitezone;
using namespace whitezone::test;

namespace {

Config known(const std::string& out) {
    Config c;
    c.stations.path = data_path("known_stations.geojson");
    c.villages.path = data_path("known_villages.geojson");
    c.write.path = out;
    return c;
}

} // namespace

TEST(Cancel, ARunCancelledBeforeItStartsThrowsAndWritesNothing) {
    const TempDir tmp;
    const std::string out = tmp.file("out.gpkg");
    std::stop_source stop;
    stop.request_stop();
    Context ctx;
    ctx.stop = stop.get_token();
    EXPECT_THROW(run_and_write(known(out), ctx), Cancelled);
    EXPECT_FALSE(std::filesystem::exists(out));
    EXPECT_TRUE(std::filesystem::is_empty(tmp.path())); // no temporary left either
}

TEST(Cancel, ARunCancelledBetweenStagesThrowsAtTheNextStageAndWritesNothing) {
    const TempDir tmp;
    const std::string out = tmp.file("out.gpkg");
    std::stop_source stop;
    Context ctx;
    ctx.stop = stop.get_token();
    std::vector<std::string> stages;
    ctx.log.info = [&](std::string_view line) {
        stages.emplace_back(line.substr(0, line.find(':')));
        if (stages.back() == "overlay")
            stop.request_stop(); // pressed while the overlay ran
    };
    const std::string message = message_of<Cancelled>([&] { run_and_write(known(out), ctx); });
    EXPECT_EQ(message, "classify: cancelled; nothing was written.");
    EXPECT_EQ(stages.back(), "overlay");
    EXPECT_FALSE(std::filesystem::exists(out));
    EXPECT_TRUE(std::filesystem::is_empty(tmp.path()));

    // The same run without the stop writes its output.
    Context plain;
    run_and_write(known(out), plain);
    EXPECT_TRUE(std::filesystem::exists(out));
}

// On two threads the GeoPackage's stations layer is being written when the stages after the
// overlay run (run_and_write()): stopped there, the write stops too and leaves nothing.
TEST(Cancel, ARunCancelledWhileItsStationsAreWrittenThrowsAndWritesNothing) {
    const TempDir tmp;
    const std::string out = tmp.file("out.gpkg");
    std::stop_source stop;
    Context ctx;
    ctx.threads = 2;
    ctx.stop = stop.get_token();
    std::vector<std::string> stages;
    ctx.log.info = [&](std::string_view line) {
        stages.emplace_back(line.substr(0, line.find(':')));
        if (stages.back() == "classify")
            stop.request_stop();
    };
    const std::string message = message_of<Cancelled>([&] { run_and_write(known(out), ctx); });
    EXPECT_EQ(message, "overlay: cancelled; nothing was written.");
    EXPECT_EQ(stages.back(), "classify");
    EXPECT_FALSE(std::filesystem::exists(out));
    EXPECT_TRUE(std::filesystem::is_empty(tmp.path())); // the write's temporary file is gone
}

TEST(Cancel, ACancelledTrendStopsBeforeItsNextYear) {
    std::stop_source stop;
    Context ctx;
    ctx.stop = stop.get_token();
    Config config = known("");
    validate_config(config);
    AnalysisResult today = run_analysis(config, ctx);
    for (std::size_t i = 0; i < today.inputs.stations.size(); ++i)
        today.inputs.stations[i].on_air_year = 2018 + static_cast<int>(i % 3);
    stop.request_stop();
    EXPECT_THROW(trend(today, TrendOptions{}, config, ctx), Cancelled);
}
