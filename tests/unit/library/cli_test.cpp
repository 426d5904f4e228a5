// The command table of the CLI: a mistyped command gets the closest one, and every
// registered command answers --help.

#include "cli/command.hpp"
#include "cli/suggest.hpp"
#include "common/text.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

using namespace whitezone;
using namespace whitezone::test;

TEST(Cli, AMistypedCommandGetsDidYouMeanAndExitCodeTwo) {
    const RunResult r = run_in_process({"analyse", "--stations", "x.csv"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(contains(r.err, "'analyse' is not a whitezone command; did you mean 'analyze'?"))
        << r.err;
    EXPECT_TRUE(r.out.empty());
}

TEST(Cli, AnUnrelatedWordGetsTheListOfCommandsWithoutAGuess) {
    const RunResult r = run_in_process({"frobnicate"});
    EXPECT_EQ(r.code, 2);
    EXPECT_FALSE(contains(r.err, "did you mean")) << r.err;
    EXPECT_TRUE(contains(r.err, "Commands: analyze plan trend generate")) << r.err;
}

TEST(Cli, ClosestNameAllowsAFewEditsAndIgnoresCase) {
    const std::vector<std::string> names{"analyze", "plan", "trend", "generate"};
    EXPECT_EQ(cli::closest_name("analyse", names), "analyze");
    EXPECT_EQ(cli::closest_name("Trend", names), "trend");
    EXPECT_EQ(cli::closest_name("plna", names), "plan");
    EXPECT_EQ(cli::closest_name("genrate", names), "generate");
    EXPECT_FALSE(cli::closest_name("report", names).has_value());
    EXPECT_EQ(text::edit_distance("kitten", "sitting"), 3u);
    EXPECT_EQ(text::edit_distance("", "abc"), 3u);
}

TEST(Cli, EveryRegisteredCommandAnswersHelp) {
    for (const cli::CommandFactory make : cli::command_table()) {
        const std::string name(make()->name());
        SCOPED_TRACE(name);
        const RunResult r = run_in_process({name, "--help"});
        EXPECT_EQ(r.code, 0) << r.err;
        EXPECT_TRUE(contains(r.out, name)) << r.out;
    }
}
