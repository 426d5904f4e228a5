// kill -9 at random points of a write: `whitezone generate --size M --overwrite` (two
// GeoPackages of 23 and 5 MB) 20 times and `analyze --format geojson --overwrite` (a
// folder) 10 times are killed at a random moment. After every kill, what is at --out is a whole
// output (the old one, or the new one when the kill came after the swap), never a partial
// one; after the next complete run nothing but the output is left in the folder. Label
// `slow` (about a minute). Ctrl-C (SIGINT) at random moments of `analyze` cancels the run
// (exit 130) or lets it finish, and never leaves a partial output or a temporary file.

#include "e2e/e2e.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace whitezone::test::e2e {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Starts the binary with `args` (stdout to /dev/null, stderr to `err`) and returns its PID.
pid_t start(const std::vector<std::string>& args, const std::string& err = "/dev/null") {
    std::vector<std::string> all{WHITEZONE_BINARY};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
        throw std::runtime_error("cannot start " + all[0]);
    return pid;
}

// Runs to the end; returns the exit code.
int run(const std::vector<std::string>& args) {
    int status = 0;
    waitpid(start(args), &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Seconds one complete run takes.
double timed(const std::vector<std::string>& args) {
    const auto t0 = Clock::now();
    EXPECT_EQ(run(args), 0);
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Starts `args`, kills it with SIGKILL after `seconds`, reaps it.
void kill_after(const std::vector<std::string>& args, double seconds) {
    const pid_t pid = start(args);
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
}

// Features of `layer` in `path` when GDAL opens it (-1 otherwise); `read_all`: counted by
// reading every feature, else as the format reports it.
long whole_features(const std::string& path, const std::string& layer, bool read_all = true) {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds)
        return -1;
    OGRLayer* l = ds->GetLayerByName(layer.c_str());
    if (!l)
        return -1;
    if (!read_all)
        return static_cast<long>(l->GetFeatureCount(TRUE));
    long n = 0;
    for (auto& f : *l)
        n += f ? 1 : 0;
    return n;
}

// Whether `n` is one of `counts`.
bool one_of(long n, std::pair<long, long> counts) {
    return n == counts.first || n == counts.second;
}

TEST(KillDuringWrite, AGeneratedCountryIsAlwaysWholeAndNothingIsLeftAfterTheNextRun) {
    TempDir tmp;
    const std::string out = tmp.file("country");
    const std::string villages = out + "/villages.gpkg", stations = out + "/stations.gpkg";
    const std::vector<std::string> args{"generate", "--size",      "M",     "--seed",
                                        "2",        "--overwrite", "--out", out};
    // The old country (seed 1), then the new one (seed 2): their feature counts.
    ASSERT_EQ(run({"generate", "--size", "M", "--out", out}), 0);
    std::pair<long, long> nv{whole_features(villages, "villages"), 0};
    std::pair<long, long> ns{whole_features(stations, "stations"), 0};
    ASSERT_GT(nv.first, 0);
    const double seconds = timed(args);
    nv.second = whole_features(villages, "villages");
    ns.second = whole_features(stations, "stations");
    std::mt19937 rng(12345);
    std::uniform_real_distribution<double> when(0.0, seconds);
    for (int i = 0; i < 20; ++i) {
        const double t = when(rng);
        SCOPED_TRACE("killed after " + std::to_string(t) + " s");
        kill_after(args, t);
        // A GeoPackage at --out opens and holds one whole country's features; a half-written
        // one would not open (SQLite checks its header and pages) or would be short.
        EXPECT_TRUE(one_of(whole_features(villages, "villages", false), nv));
        EXPECT_TRUE(one_of(whole_features(stations, "stations", false), ns));
    }
    ASSERT_EQ(run(args), 0);
    EXPECT_EQ(whole_features(villages, "villages"), nv.second);
    EXPECT_EQ(whole_features(stations, "stations"), ns.second);
    EXPECT_EQ(list_tree(tmp.path()),
              (std::set<std::string>{"country", "country/villages.gpkg", "country/stations.gpkg"}));
}

TEST(KillDuringWrite, AGeoJsonFolderIsAlwaysWholeAndNothingIsLeftAfterTheNextRun) {
    TempDir tmp;
    const std::string out = tmp.file("results");
    const std::vector<std::string> args{"analyze",
                                        "--stations",
                                        sample_path("stations.csv"),
                                        "--villages",
                                        sample_path("villages.gpkg"),
                                        "--format",
                                        "geojson",
                                        "--overwrite",
                                        "--out",
                                        out};
    ASSERT_EQ(run(args), 0);
    const auto written = list_tree(tmp.path());
    const long villages = whole_features(out + "/villages.geojson", "villages");
    ASSERT_GT(villages, 0);
    const double seconds = timed(args);
    std::mt19937 rng(54321);
    std::uniform_real_distribution<double> when(0.0, seconds);
    for (int i = 0; i < 10; ++i) {
        const double t = when(rng);
        SCOPED_TRACE("killed after " + std::to_string(t) + " s");
        kill_after(args, t);
        for (const auto& layer : kLayers)
            EXPECT_GT(whole_features(out + "/" + layer + ".geojson", layer), 0) << layer;
        EXPECT_EQ(whole_features(out + "/villages.geojson", "villages"), villages);
    }
    ASSERT_EQ(run(args), 0);
    EXPECT_EQ(list_tree(tmp.path()), written);
}

// Waits until process `pid` blocks SIGINT (main() does so first thing, and then handles it):
// before that, on a busy machine still loading its libraries, Ctrl-C ends it as it would any
// program. At most 10 s.
void wait_until_sigint_is_blocked(pid_t pid) {
    const unsigned long long sigint = 1ULL << (SIGINT - 1);
    for (int i = 0; i < 1000; ++i) {
        std::ifstream status("/proc/" + std::to_string(pid) + "/status");
        for (std::string line; std::getline(status, line);)
            if (line.rfind("SigBlk:", 0) == 0 &&
                (std::stoull(line.substr(7), nullptr, 16) & sigint))
                return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

TEST(CtrlC, CancelsTheRunWithExit130AndLeavesTheOldOutputWhole) {
    TempDir tmp;
    const std::string out = tmp.file("results.gpkg");
    const std::vector<std::string> args{"analyze",
                                        "--stations",
                                        sample_path("stations.csv"),
                                        "--villages",
                                        sample_path("villages.gpkg"),
                                        "--overwrite",
                                        "--out",
                                        out};
    ASSERT_EQ(run(args), 0);
    const auto written = list_tree(tmp.path());
    const long villages = whole_features(out, "villages");
    ASSERT_GT(villages, 0);
    const double seconds = timed(args);
    std::mt19937 rng(777);
    // From a tenth of the run (once the program has blocked the signal) to its end.
    std::uniform_real_distribution<double> when(0.1 * seconds, seconds);
    const TempDir logs; // what each run printed, outside the folder checked
    const std::string err = logs.file("stderr.txt");
    // On a busy machine a run can be quicker than the one timed, and ten signals can all come
    // once its analysis is done (the write then finishes): up to ten more come in the first
    // quarter of the run, until one cancels it.
    std::uniform_real_distribution<double> early(0.1 * seconds, 0.25 * seconds);
    int cancelled = 0;
    for (int i = 0; i < 10 || (cancelled == 0 && i < 20); ++i) {
        const double t = i < 10 ? when(rng) : early(rng);
        SCOPED_TRACE("Ctrl-C after " + std::to_string(t) + " s");
        const auto started = Clock::now();
        const pid_t pid = start(args, err);
        wait_until_sigint_is_blocked(pid);
        std::this_thread::sleep_until(started + std::chrono::duration<double>(t));
        kill(pid, SIGINT);
        int status = 0;
        waitpid(pid, &status, 0);
        // The program ends by itself: cancelled (130), or done when the signal came late.
        ASSERT_TRUE(WIFEXITED(status)) << "ended by signal " << WTERMSIG(status);
        const int code = WEXITSTATUS(status);
        EXPECT_TRUE(code == 130 || code == 0) << code << ": " << read_file(err);
        cancelled += code == 130 ? 1 : 0;
        EXPECT_EQ(whole_features(out, "villages"), villages);
        EXPECT_EQ(list_tree(tmp.path()), written) << "a cancelled run leaves nothing behind";
    }
    EXPECT_GT(cancelled, 0) << "no Ctrl-C cancelled the run";
}

} // namespace
} // namespace whitezone::test::e2e
