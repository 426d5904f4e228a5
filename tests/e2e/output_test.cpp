// End-to-end: output safety (docs/output.md#replacing-an-output). --overwrite replaces only a
// GeoPackage or a folder whitezone wrote; special files, links and other people's folders are
// refused with nothing touched; temporaries of dead runs are cleaned up; a full disk fails
// the run and keeps the previous output. Also the FlatGeobuf output read back with GDAL.

#include "whitezone/error.hpp"
#include "whitezone/report.hpp"

#include "e2e/e2e.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

namespace whitezone::test::e2e {
namespace {

namespace fs = std::filesystem;

// The PID of a process that has exited.
long dead_pid() {
    const pid_t child = fork();
    if (child == 0)
        _exit(0);
    int status = 0;
    waitpid(child, &status, 0);
    return child;
}

// Features in the order of their attributes and geometry.
std::vector<OutFeature> sorted(std::vector<OutFeature> features) {
    auto key = [](const OutFeature& f) {
        std::string k;
        for (const auto& [name, value] : f.fields)
            k += name + "=" + value + ";";
        return k + f.wkt;
    };
    std::sort(features.begin(), features.end(),
              [&](const OutFeature& a, const OutFeature& b) { return key(a) < key(b); });
    return features;
}

// A tmpfs of `size` ("size=1m") mounted at `dir` for the length of a test, unmounted after.
// Mounting needs root (CI): mounted() is false otherwise, and `why` says why.
class SmallDisk {
  public:
    SmallDisk(fs::path dir, const char* size) : m_dir(std::move(dir)) {
        fs::create_directory(m_dir);
        m_mounted = mount("tmpfs", m_dir.c_str(), "tmpfs", 0, size) == 0;
        if (!m_mounted)
            why = std::string("cannot mount a tmpfs here (") + std::strerror(errno) +
                  "); the full-disk tests run as root (CI)";
    }
    ~SmallDisk() {
        if (m_mounted)
            umount2(m_dir.c_str(), MNT_DETACH);
    }
    SmallDisk(const SmallDisk&) = delete;
    SmallDisk& operator=(const SmallDisk&) = delete;
    [[nodiscard]] bool mounted() const { return m_mounted; }
    [[nodiscard]] const fs::path& path() const { return m_dir; }
    std::string why;

  private:
    fs::path m_dir;
    bool m_mounted = false;
};

// Every file under `dir` (relative path) with its bytes; folders with "".
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& f : list_tree(dir))
        files[f] = fs::is_regular_file(dir / f) ? read_file(dir / f) : std::string();
    return files;
}

// Each case: something that is not whitezone's output sits at --out; with --overwrite the
// run fails with exit 2 and the message, and nothing in the folder changes.
TEST(OutputSafety, OverwriteNeverReplacesWhatWhitezoneDidNotWrite) {
    TempDir tmp;
    fs::create_directory(tmp.path() / "documents");
    tmp.write("documents/thesis.txt", "years of work");
    tmp.write("notes.gpkg", "not a GeoPackage");
    tmp.write("notes.txt", "a file");
    fs::create_symlink(tmp.path() / "documents", tmp.path() / "link");
    ASSERT_EQ(mkfifo(tmp.file("fifo").c_str(), 0600), 0);
    const std::vector<std::pair<std::string, std::vector<std::string>>> cases{
        {"documents", {"--format", "geojson"}}, // an unrelated folder
        {"documents", {}},                      // the same, for a GeoPackage
        {"notes.gpkg", {}},                     // a file that is not a GeoPackage
        {"notes.txt", {"--format", "csv"}},     // a file where a folder is written
        {"link", {"--format", "geojson"}},      // a symbolic link to a folder
        {"fifo", {}},                           // a FIFO
    };
    const std::vector<std::string> messages{"did not write",       "is a folder",
                                            "is not a GeoPackage", "is a file",
                                            "is a symbolic link",  "is a FIFO"};
    const auto before = list_tree(tmp.path());
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const auto& [name, extra] = cases[i];
        SCOPED_TRACE(name);
        std::vector<std::string> flags = extra;
        flags.emplace_back("--overwrite");
        const RunResult r = run_in_process(known_args(tmp.file(name), flags));
        EXPECT_EQ(r.code, 2) << r.err;
        EXPECT_TRUE(contains(r.err, messages[i])) << r.err;
        EXPECT_TRUE(contains(r.err, "even with --overwrite")) << r.err;
        EXPECT_EQ(list_tree(tmp.path()), before);
    }
    EXPECT_EQ(read_file(tmp.path() / "documents" / "thesis.txt"), "years of work");
    EXPECT_EQ(read_file(tmp.path() / "notes.gpkg"), "not a GeoPackage");
}

TEST(OutputSafety, ADeviceNodeIsNeverReplaced) {
    const RunResult r = run_in_process(known_args("/dev/null", {"--overwrite"}));
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "'/dev/null' is a device")) << r.err;
    struct stat st {};
    ASSERT_EQ(stat("/dev/null", &st), 0);
    EXPECT_TRUE(S_ISCHR(st.st_mode)) << "/dev/null must still be a character device";
}

// --out an existing folder for a GeoPackage: the suggestion given must work.
TEST(OutputSafety, TheSuggestionForAFolderGivenAsAGeoPackageWorks) {
    TempDir tmp;
    fs::create_directory(tmp.path() / "results");
    const RunResult r = run_in_process(known_args(tmp.file("results")));
    EXPECT_EQ(r.code, 2);
    const std::string suggested = tmp.file("results/whitezone-results.gpkg");
    ASSERT_TRUE(contains(r.err, "'" + suggested + "'")) << r.err;
    const RunResult again = run_in_process(known_args(suggested));
    EXPECT_EQ(again.code, 0) << again.err;
    EXPECT_EQ(feature_count(suggested, "villages"), 5);
}

// --out naming one of the run's own inputs (or a folder that holds one) once replaced the
// input with the results when --overwrite was given: refused before any work, input kept.
TEST(OutputSafety, AnInputIsNeverReplacedByTheOutput) {
    TempDir tmp;
    fs::copy_file(data_path("known_villages.geojson"), tmp.file("villages.geojson"));
    const std::string villages = read_file(tmp.file("villages.geojson"));
    fs::create_directory(tmp.path() / "sub");
    const std::vector<std::string> stations{"--stations", data_path("known_stations.geojson"),
                                            "--config", data_path("known_config.json")};
    const auto analyze = [&](const std::string& in, const std::string& out,
                             std::vector<std::string> extra) {
        std::vector<std::string> args{"analyze", "--villages", in, "--out", out, "--overwrite"};
        args.insert(args.end(), stations.begin(), stations.end());
        args.insert(args.end(), extra.begin(), extra.end());
        return run_in_process(args);
    };
    // The same GeoPackage (a result of an earlier run, read as villages), by another path.
    ASSERT_EQ(analyze(tmp.file("villages.geojson"), tmp.file("a.gpkg"), {}).code, 0);
    const std::string a = read_file(tmp.file("a.gpkg"));
    const RunResult same =
        analyze(tmp.file("a.gpkg"), tmp.file("sub/../a.gpkg"), {"--villages-layer", "villages"});
    EXPECT_EQ(same.code, 2);
    EXPECT_TRUE(contains(same.err, "is the --villages input; whitezone never writes over its "
                                   "inputs, even with --overwrite"))
        << same.err;
    EXPECT_EQ(read_file(tmp.file("a.gpkg")), a);
    // A folder output that holds the input (a whitezone folder, so --overwrite could replace it).
    ASSERT_EQ(
        analyze(tmp.file("villages.geojson"), tmp.file("results"), {"--format", "geojson"}).code,
        0);
    const std::string held = tmp.file("results/villages.geojson");
    const std::string before = read_file(held);
    const RunResult folder = analyze(held, tmp.file("results"), {"--format", "geojson"});
    EXPECT_EQ(folder.code, 2);
    EXPECT_TRUE(contains(folder.err, "holds the --villages input '" + held + "'")) << folder.err;
    EXPECT_EQ(read_file(held), before);
    EXPECT_EQ(read_file(tmp.file("villages.geojson")), villages);
    // compare: --out naming --before.
    const RunResult compare =
        run_in_process({"compare", "--before", tmp.file("a.gpkg"), "--after", tmp.file("a.gpkg"),
                        "--out", tmp.file("a.gpkg"), "--overwrite"});
    EXPECT_EQ(compare.code, 2);
    EXPECT_TRUE(contains(compare.err, "is the --before input")) << compare.err;
    EXPECT_EQ(read_file(tmp.file("a.gpkg")), a);
}

TEST(OutputSafety, TemporariesOfDeadRunsAreRemovedByTheNextRun) {
    TempDir tmp;
    const long pid = dead_pid();
    const std::string p = std::to_string(pid);
    tmp.write(".results.gpkg.wztmp-" + p + ".gpkg", "half written");
    tmp.write(".results.gpkg.wztmp-" + p + ".gpkg-journal", "journal");
    tmp.write(".results.tmp" + p + ".gpkg", "older version's temporary");
    fs::create_directory(tmp.path() / (".folder.wztmp-" + p));
    tmp.write(".folder.wztmp-" + p + "/villages.geojson", "{");
    tmp.write(".unrelated.wztmp-" + p, "another output's: kept until that output is written");
    tmp.write(".results.gpkg.wztmp-1", "PID 1 is alive: kept");
    const RunResult r = run_in_process(known_args(tmp.file("results.gpkg")));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(list_tree(tmp.path()),
              (std::set<std::string>{"results.gpkg", ".folder.wztmp-" + p,
                                     ".folder.wztmp-" + p + "/villages.geojson",
                                     ".unrelated.wztmp-" + p, ".results.gpkg.wztmp-1"}));
    const RunResult folder = run_in_process(known_args(tmp.file("folder"), {"--format", "csv"}));
    ASSERT_EQ(folder.code, 0) << folder.err;
    EXPECT_FALSE(fs::exists(tmp.path() / (".folder.wztmp-" + p)));
}

// A crash between the two renames of the fallback (file systems without RENAME_EXCHANGE)
// leaves the old folder aside; the next run puts it back before anything else, so --out is
// never lost, and it is then kept without --overwrite.
TEST(OutputSafety, AnOldOutputLeftAsideByADeadRunIsPutBack) {
    TempDir tmp;
    const std::string out = tmp.file("results");
    ASSERT_EQ(run_in_process(known_args(out, {"--format", "csv"})).code, 0);
    const auto written = list_tree(tmp.path());
    const fs::path aside = tmp.path() / (".results.wzold-" + std::to_string(dead_pid()));
    fs::rename(out, aside);
    const RunResult r = run_in_process(known_args(out, {"--format", "csv"}));
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "already exists")) << r.err;
    EXPECT_EQ(list_tree(tmp.path()), written);
}

TEST(FlatGeobuf, EveryLayerReadsBackWithGdalAsInTheGeoPackage) {
    TempDir tmp;
    const std::string gpkg = tmp.file("results.gpkg"), fgb = tmp.file("fgb");
    ASSERT_EQ(run_in_process(known_args(gpkg)).code, 0);
    const RunResult r = run_in_process(known_args(fgb, {"--format", "fgb"}));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(list_tree(fgb),
              (std::set<std::string>{".whitezone.json", "villages.fgb", "coverage.fgb",
                                     "stations.fgb", "summary.csv", "summary.csvt", "sites.csv",
                                     "sites.csvt", "summary_operators.csv",
                                     "summary_operators.csvt", "provenance.json"}));
    for (const std::string layer : {"villages", "coverage", "stations"}) {
        SCOPED_TRACE(layer);
        const std::string file = fgb + "/" + layer + ".fgb";
        EXPECT_EQ(layer_names(file), std::vector<std::string>{layer});
        EXPECT_EQ(field_names(file, layer), field_names(gpkg, layer));
        // FlatGeobuf's spatial index orders the features along a Hilbert curve.
        expect_same_features(sorted(read_layer_features(gpkg, layer)),
                             sorted(read_layer_features(file, layer)));
    }
    // FlatGeobuf holds only features with geometry: the tables are CSV files beside them.
    for (const std::string layer : {"summary", "sites"}) {
        const std::string file = fgb + "/" + layer + ".csv";
        EXPECT_EQ(feature_count(file, layer), feature_count(gpkg, layer)) << layer;
        EXPECT_EQ(field_names(file, layer), field_names(gpkg, layer)) << layer;
    }
}

// The console format's blocks: "NAME (N rows)", a header, then aligned rows. Columns are cut
// at the header's positions (in code points), so empty cells and names with spaces are read
// as they were printed.
std::map<std::string, std::vector<std::map<std::string, std::string>>>
console_tables(const std::string& out) {
    auto code_points = [](const std::string& s) {
        std::vector<std::string> cps;
        for (std::size_t i = 0; i < s.size();) {
            std::size_t n = 1;
            while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80)
                ++n;
            cps.push_back(s.substr(i, n));
            i += n;
        }
        return cps;
    };
    auto trim = [](std::string s) {
        while (!s.empty() && s.back() == ' ')
            s.pop_back();
        return s;
    };
    std::map<std::string, std::vector<std::map<std::string, std::string>>> tables;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) {
        const auto open = line.find(" (");
        if (open == std::string::npos || line.find(" row") == std::string::npos ||
            line.back() != ')')
            continue;
        const std::string name = line.substr(0, open);
        const long rows = std::stol(line.substr(open + 2));
        std::string header;
        std::getline(in, header);
        const auto h = code_points(header);
        std::vector<std::pair<std::string, std::size_t>> columns; // name, start
        for (std::size_t i = 0; i < h.size(); ++i)
            if (h[i] != " " && (i == 0 || h[i - 1] == " ")) {
                std::string n;
                for (std::size_t j = i; j < h.size() && h[j] != " "; ++j)
                    n += h[j];
                columns.emplace_back(n, i);
            }
        auto& table = tables[name];
        for (long r = 0; r < rows && std::getline(in, line); ++r) {
            const auto cps = code_points(line);
            std::map<std::string, std::string> row;
            for (std::size_t c = 0; c < columns.size(); ++c) {
                const std::size_t end = c + 1 < columns.size() ? columns[c + 1].second : cps.size();
                std::string v;
                for (std::size_t j = columns[c].second; j < std::min(end, cps.size()); ++j)
                    v += cps[j];
                row[columns[c].first] = trim(v);
            }
            table.push_back(std::move(row));
        }
    }
    return tables;
}

TEST(ConsoleFormat, PrintsEveryLayersAttributesAsInTheGeoPackageAndWritesNoFile) {
    TempDir tmp;
    const std::string gpkg = tmp.file("results.gpkg");
    ASSERT_EQ(run_in_process(known_args(gpkg)).code, 0);
    std::vector<std::string> args = known_args("", {"--format", "console"});
    const auto out_flag = std::find(args.begin(), args.end(), "--out");
    args.erase(out_flag, out_flag + 2);
    // Run in an empty folder: nothing may appear there.
    const fs::path cwd = fs::current_path();
    fs::create_directory(tmp.path() / "here");
    fs::current_path(tmp.path() / "here");
    const RunResult r = run_in_process(args);
    fs::current_path(cwd);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(list_tree(tmp.path() / "here").empty()) << "the console format writes no file";
    EXPECT_TRUE(contains(r.out, "outputs: standard output")) << r.out;

    const auto tables = console_tables(r.out);
    for (const std::string& layer : kLayers) {
        SCOPED_TRACE(layer);
        ASSERT_TRUE(tables.count(layer)) << r.out;
        const auto& printed = tables.at(layer);
        const auto expected = read_layer_features(gpkg, layer);
        ASSERT_EQ(printed.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            ASSERT_EQ(printed[i].size(), expected[i].fields.size()) << "row " << i;
            for (const auto& [field, value] : expected[i].fields) {
                ASSERT_TRUE(printed[i].count(field)) << field;
                const std::string& got = printed[i].at(field);
                char* end_a = nullptr;
                char* end_b = nullptr;
                const double a = std::strtod(value.c_str(), &end_a);
                const double b = std::strtod(got.c_str(), &end_b);
                if (!value.empty() && *end_a == '\0' && !got.empty() && *end_b == '\0')
                    EXPECT_NEAR(a, b, 1e-9 * std::max(1.0, std::abs(a))) << field << " row " << i;
                else
                    EXPECT_EQ(got, value) << field << " row " << i;
            }
        }
    }
}

TEST(ConsoleFormat, AnOutputPathIsRefusedBecauseNothingIsWritten) {
    TempDir tmp;
    const RunResult r = run_in_process(known_args(tmp.file("x.gpkg"), {"--format", "console"}));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(contains(r.err, "writes no file")) << r.err;
    EXPECT_FALSE(fs::exists(tmp.file("x.gpkg")));
}

// A small tmpfs: the previous output fits, the new GeoJSON does not. The run must fail and
// the previous output stay as it was, with nothing else left on the disk.
TEST(FullDisk, AGeoJsonOutputThatDoesNotFitFailsAndKeepsThePreviousOutput) {
    TempDir tmp;
    const SmallDisk disk(tmp.path() / "disk", "size=1m");
    if (!disk.mounted())
        GTEST_SKIP() << disk.why;
    const std::string out = (disk.path() / "results").string();
    const RunResult small = run_in_process(known_args(out, {"--format", "geojson"}));
    ASSERT_EQ(small.code, 0) << small.err;
    const auto before = snapshot(disk.path());

    const RunResult big = run_binary({"analyze", "--stations", sample_path("stations.csv"),
                                      "--villages", sample_path("villages.gpkg"), "--format",
                                      "geojson", "--overwrite", "--out", out});
    EXPECT_TRUE(big.code == 1 || big.code == 2) << big.code << " " << big.err;
    EXPECT_TRUE(contains(big.err, "disk")) << big.err;
    EXPECT_EQ(snapshot(disk.path()), before) << "nothing new is left on the full disk";
}

// A GeoPackage whose rows do not fit (its layers do): the message says that the disk is full
// and where, the run exits with an error and leaves nothing on the disk.
TEST(FullDisk, AGeoPackageWhoseRowsDoNotFitSaysTheDiskIsFullAndWhere) {
    TempDir tmp;
    const SmallDisk disk(tmp.path() / "disk", "size=2m"); // the sample's output takes 2.7 MB
    if (!disk.mounted())
        GTEST_SKIP() << disk.why;
    const RunResult r = run_binary({"analyze", "--stations", sample_path("stations.csv"),
                                    "--villages", sample_path("villages.gpkg"), "--out",
                                    (disk.path() / "results.gpkg").string()});
    EXPECT_TRUE(r.code == 1 || r.code == 2) << r.code << " " << r.err;
    EXPECT_TRUE(contains(r.err, "is full")) << r.err;
    EXPECT_TRUE(contains(r.err, disk.path().string())) << r.err;
    EXPECT_TRUE(snapshot(disk.path()).empty()) << "nothing is left on the full disk";
}

// The ITM model's GeoTIFFs go with the GeoPackage: on a disk with room for one output but not
// for a second beside it, the run with --overwrite fails (its new rasters were already
// written, the GeoPackage does not fit) and leaves the old GeoPackage and the old rasters as
// they were, with no temporary left.
TEST(FullDisk, AnItmOutputThatDoesNotFitKeepsTheOldGeoPackageAndItsRasters) {
    TempDir tmp;
    const SmallDisk disk(tmp.path() / "disk", "size=8m");
    if (!disk.mounted())
        GTEST_SKIP() << disk.why;
    const std::string config = tmp.write("itm.json", R"({"coverage_model": "itm"})");
    const auto args = itm_sample_args(config, (disk.path() / "itm.gpkg").string(), {"--overwrite"});
    const RunResult first = run_in_process(args);
    ASSERT_EQ(first.code, 0) << first.err;
    const auto before = snapshot(disk.path());
    ASSERT_TRUE(before.count("itm_signal_dbm_any.tif")) << "the rasters are beside the output";

    const RunResult second = run_binary(args);
    EXPECT_TRUE(second.code == 1 || second.code == 2) << second.code << " " << second.err;
    EXPECT_TRUE(contains(second.err, "disk")) << second.err;
    EXPECT_EQ(snapshot(disk.path()), before) << "nothing new is left on the full disk";
}

// A GeoTIFF that does not fit: the message says that the disk is full and where, and the file
// is not left half written.
TEST(FullDisk, AGeoTiffThatDoesNotFitSaysTheDiskIsFull) {
    TempDir tmp;
    const SmallDisk disk(tmp.path() / "disk", "size=1m");
    if (!disk.mounted())
        GTEST_SKIP() << disk.why;
    // 1,000 × 1,000 cells of values DEFLATE cannot squeeze into a megabyte.
    SignalResult signal;
    signal.rasters.grid = {500000.0, 2400000.0, 30.0, 1000, 1000};
    std::uint32_t seed = 7;
    for (std::size_t k = 0; k < kServiceClasses.size(); ++k) {
        for (std::size_t i = 0; i < signal.rasters.grid.size(); ++i) {
            seed = seed * 1664525U + 1013904223U;
            signal.rasters.best_dbm[k].push_back(-140.0F + static_cast<float>(seed >> 8) * 1e-5F);
            signal.rasters.best_station[k].push_back(static_cast<std::int32_t>(seed >> 12));
        }
    }
    try {
        write_signal_rasters(signal, test::epsg_wkt(32648), (disk.path() / "itm_").string());
        FAIL() << "the rasters cannot fit on a disk of 1 MB";
    } catch (const ExternalError& e) {
        EXPECT_TRUE(contains(e.what(), "is full")) << e.what();
        EXPECT_TRUE(contains(e.what(), disk.path().string())) << e.what();
    }
    EXPECT_TRUE(snapshot(disk.path()).empty()) << "nothing is left on the full disk";
}

} // namespace
} // namespace whitezone::test::e2e
