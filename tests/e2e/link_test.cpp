// End-to-end: `whitezone link`, one link over the real SRTM tile of ../shared/data/srtm and
// batches of links, against the ITM reference values of ../shared/data/itm_reference.

#include "e2e/e2e.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/stat.h>

namespace whitezone::test::e2e {
namespace {

namespace fs = std::filesystem;

const fs::path kShared(WHITEZONE_SHARED_DATA_DIR);
const std::string kTile = (kShared / "srtm" / "N21E105.hgt").string();

// A CSV without quoted fields: rows of cells by column name.
std::vector<std::map<std::string, std::string>> read_rows(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    std::vector<std::string> header;
    std::vector<std::map<std::string, std::string>> rows;
    const auto split = [](const std::string& l) {
        std::vector<std::string> out;
        std::string cell;
        std::istringstream s(l);
        while (std::getline(s, cell, ','))
            out.push_back(cell);
        return out;
    };
    if (std::getline(in, line))
        header = split(line);
    while (std::getline(in, line)) {
        const auto cells = split(line);
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i)
            row[header[i]] = cells[i];
        rows.push_back(std::move(row));
    }
    return rows;
}

double num(const std::string& s) {
    std::istringstream in(s);
    in.imbue(std::locale::classic());
    double v = NAN;
    in >> v;
    return v;
}

// The number after `label` in the report, e.g. "ITM loss: " -> 163.0.
double reported(const std::string& out, const std::string& label) {
    const std::size_t at = out.find(label);
    return at == std::string::npos ? NAN : num(out.substr(at + label.size()));
}

#define REQUIRE_SHARED_DATA(path)                                                                  \
    if (!fs::exists(path))                                                                         \
    GTEST_SKIP() << "shared data set not there: " << (path)                                        \
                 << " (../shared/data next to the source tree)"

} // namespace

// The reference's 1,260 cases as one batch (profiles given as step_m and elevations_m, the
// inputs as columns named as in expected.csv): every input column comes back unchanged, and
// the losses are the reference's (0.1 dB; the 19 cases where the reference's unrounded step
// fell on the other side of one of ITM's truncations are within 0.5 dB, see
// tests/unit/itm/itm_test.cpp).
TEST(LinkE2E, BatchOfTheReferenceProfilesReproducesTheReferenceLosses) {
    const fs::path ref = kShared / "itm_reference";
    REQUIRE_SHARED_DATA(ref / "expected.csv");
    std::map<std::string, std::pair<std::string, std::string>> profiles;
    for (const auto& p : read_rows(read_file(ref / "profiles.csv")))
        profiles[p.at("profile_id")] = {p.at("step_m"), p.at("elevations_m")};
    const auto cases = read_rows(read_file(ref / "expected.csv"));
    const char* inputs[] = {"case_id", "h_tx_m", "h_rx_m", "climate", "n0",       "f_mhz",    "pol",
                            "epsilon", "sigma",  "mdvar",  "time",    "location", "situation"};
    std::ostringstream batch;
    for (const char* c : inputs)
        batch << c << ",";
    batch << "step_m,elevations_m\n";
    for (const auto& c : cases) {
        for (const char* k : inputs)
            batch << c.at(k) << ",";
        const auto& [step, elevations] = profiles.at(c.at("profile_id"));
        batch << step << "," << elevations << "\n";
    }
    TempDir tmp;
    const std::string in = tmp.write("batch.csv", batch.str());
    const std::string out = tmp.file("losses.csv");
    const RunResult r = run_binary({"link", "--batch", in, "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_TRUE(contains(r.out, "1260 links"));
    const auto rows = read_rows(read_file(out));
    ASSERT_EQ(rows.size(), cases.size());
    std::size_t beyond_tenth = 0;
    double max_error = 0.0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        for (const char* k : inputs)
            EXPECT_EQ(rows[i].at(k), cases[i].at(k)) << "row " << i + 1 << " column " << k;
        const double error = std::abs(num(rows[i].at("loss_db")) - num(cases[i].at("loss_db")));
        max_error = std::max(max_error, error);
        beyond_tenth += error > 0.1;
        EXPECT_LE(error, 0.5) << "case " << cases[i].at("case_id");
        EXPECT_EQ(rows[i].at("itm_warnings"), cases[i].at("warnings"));
    }
    EXPECT_LE(beyond_tenth, 19U);
    std::cout << "link --batch: " << rows.size() << " reference cases, " << beyond_tenth
              << " beyond 0.1 dB, max " << max_error << " dB\n";
}

// The reference's first path sampled from the SRTM tile by `link` itself (geodesic, bilinear)
// has the reference's terrain within a metre or so, and the same loss within 0.1 dB.
TEST(LinkE2E, DemProfileOfAReferencePathGivesTheReferenceLoss) {
    REQUIRE_SHARED_DATA(kTile);
    REQUIRE_SHARED_DATA(kShared / "itm_reference" / "expected.csv");
    TempDir tmp;
    const std::string batch = tmp.write(
        "dem.csv", "tx_lon,tx_lat,rx_lon,rx_lat,h_tx_m,h_rx_m,climate,n0,f_mhz,pol,epsilon,sigma,"
                   "mdvar,time,location,situation\n"
                   "105.383416,21.890703,105.282457,21.794741,25,1.5,5,301,2100,1,15,0.005,3,50,"
                   "90,50\n");
    const RunResult r =
        run_in_process({"link", "--batch", batch, "--dem", kTile, "--step-m", "30"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto rows = read_rows(r.out);
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_NEAR(num(rows[0].at("loss_db")), 219.0386, 0.1); // expected.csv, case 0
}

// A station on a ridge top reaches a receiver 9 km away almost in the clear; one in the
// valley below, 3 km from it and nearer the receiver, is shadowed by the valley's side.
TEST(LinkE2E, RidgeTopStationLosesLessThanTheValleyStationOnRealTerrain) {
    REQUIRE_SHARED_DATA(kTile);
    const auto link = [&](const std::string& from) {
        const RunResult r = run_in_process(
            {"link", "--from", from, "--to", "105.50,21.50", "--dem", kTile, "--tx-height", "30"});
        EXPECT_EQ(r.code, 0) << r.err;
        EXPECT_EQ(r.err, "");
        return r.out;
    };
    const std::string ridge = link("105.566667,21.555");     // 1,358 m
    const std::string valley = link("105.541667,21.543333"); // 168 m
    const double ridge_loss = reported(ridge, "ITM loss: ");
    const double valley_loss = reported(valley, "ITM loss: ");
    EXPECT_GT(valley_loss, ridge_loss + 20.0) << ridge << valley;
    EXPECT_TRUE(contains(ridge, "obstruction: none")) << ridge;
    EXPECT_GT(reported(valley, "obstruction: the terrain rises "), 50.0) << valley;
    // The report's parts agree with each other: received power = EIRP - loss.
    EXPECT_NEAR(reported(valley, "received power: "), 58.0 - valley_loss, 0.11);
    EXPECT_GT(reported(valley, "free-space loss: "), 100.0);
}

// The "link" object is read with the declared config keys: a config shared with analyze
// (other keys present) sets the link's radio, a flag wins over it, and a value out of range
// names the key.
TEST(LinkE2E, ConfigLinkObjectIsReadWithTheDeclaredKeys) {
    REQUIRE_SHARED_DATA(kTile);
    TempDir tmp;
    const std::string config =
        tmp.write("shared.json", R"({"coverage_model": "hata", "radius_m": {"4G": 3000},
                                     "link": {"f_mhz": 1800, "eirp_dbm": 60, "h_tx_m": 40}})");
    const auto link = [&](std::vector<std::string> extra) {
        std::vector<std::string> args{"link", "--from",       "105.566667,21.555",
                                      "--to", "105.50,21.50", "--dem",
                                      kTile,  "--config",     config};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_in_process(args);
    };
    const RunResult r = link({});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "antennas: 40.0 m and 1.5 m above ground; 1800.0 MHz")) << r.out;
    EXPECT_TRUE(contains(r.out, "(EIRP 60.0 dBm")) << r.out;
    const RunResult flag = link({"--tx-height", "25"});
    ASSERT_EQ(flag.code, 0) << flag.err;
    EXPECT_TRUE(contains(flag.out, "antennas: 25.0 m and 1.5 m")) << flag.out;
    const std::string bad = tmp.write("bad.json", R"({"link": {"climate": 9}})");
    const RunResult refused = run_in_process({"link", "--from", "105.566667,21.555", "--to",
                                              "105.50,21.50", "--dem", kTile, "--config", bad});
    EXPECT_EQ(refused.code, 2);
    EXPECT_TRUE(contains(refused.err, "\"link.climate\" must be in [1.00, 7.00], not 9"))
        << refused.err;
}

// One line per case: clang-format would break them up.
// clang-format off
struct BadLink {
    const char* name;
    std::vector<std::string> args;
    const char* what;
    const char* fix;
};
const BadLink kBadLinks[] = {
    {"NoPoints", {"link", "--dem", "{tile}"}, "give --from LON,LAT and --to LON,LAT", "--batch FILE.csv"},
    {"NoDem", {"link", "--from", "105.5,21.5", "--to", "105.6,21.6"}, "need --dem FILE", "--dem FILE"},
    {"LatLonSwapped", {"link", "--from", "21.5,105.5", "--to", "105.6,21.6", "--dem", "{tile}"}, "--from '21.5,105.5' is not a point", "longitude first"},
    {"FrequencyOutOfRange", {"link", "--from", "105.5,21.5", "--to", "105.6,21.6", "--dem", "{tile}", "--freq-mhz", "50000"}, "'f_mhz' = 50000 MHz is outside ITM's 20 MHz-20 GHz", "give the frequency in MHz"},
    {"UnknownClimate", {"link", "--from", "105.5,21.5", "--to", "105.6,21.6", "--dem", "{tile}", "--climate", "9"}, "--climate: climate 9 is not an ITM radio climate", "use 1 equatorial"},
    {"PathLeavesTheDem", {"link", "--from", "105.5,21.5", "--to", "106.5,21.5", "--dem", "{tile}"}, "has no height at", "give a DEM that covers the whole path"},
    {"DemMissing", {"link", "--from", "105.5,21.5", "--to", "105.6,21.6", "--dem", "{tmp}/none.tif"}, "DEM file '{tmp}/none.tif' does not exist", "check the path given to --dem"},
    {"BatchRowBadNumber", {"link", "--batch", "{tmp}/bad_number.csv"}, "bad_number.csv row 2, column 'f_mhz': 'nine hundred' is not a number", "use a decimal point"},
    {"BatchRowOutOfRange", {"link", "--batch", "{tmp}/bad_height.csv"}, "bad_height.csv row 1: antenna height 'h_tx_m' = 0.1 m", "give the height of the antenna above the ground"},
    {"BatchRowWithoutPath", {"link", "--batch", "{tmp}/no_path.csv"}, "no_path.csv row 1, column 'elevations_m': the row has no path", "step_m and elevations_m"},
    {"BatchPointsWithoutDem", {"link", "--batch", "{tmp}/points.csv"}, "points.csv row 1, column 'tx_lon': the row gives end points but no DEM", "add --dem FILE"},
    {"BatchSemicolons", {"link", "--batch", "{tmp}/semicolons.csv"}, "semicolons.csv' has its columns separated by ';', not by commas", "save it as comma-separated CSV"},
    {"BatchFolder", {"link", "--batch", "{tmp}"}, "batch file '{tmp}' is a folder", "give the CSV file itself to --batch"},
    {"BatchColumnAbsent", {"link", "--batch", "{tmp}/three.csv", "--dem", "{tile}"}, "column 'rx_lat': the file has no such column", "needs tx_lon, tx_lat, rx_lon and rx_lat"},
    {"BatchMissing", {"link", "--batch", "{tmp}/none.csv"}, "batch file '{tmp}/none.csv' cannot be read", "check the path given to --batch"},
    {"OutExists", {"link", "--batch", "{tmp}/good.csv", "--out", "{tmp}/good.csv"}, "output '{tmp}/good.csv' already exists", "pass --overwrite"},
    {"OutIsTheBatch", {"link", "--batch", "{tmp}/good.csv", "--out", "{tmp}/good.csv", "--overwrite"}, "--out '{tmp}/good.csv' is the --batch input", "choose another --out"},
    {"ConfigUnknownKey", {"link", "--batch", "{tmp}/good.csv", "--config", "{tmp}/config.json"}, "unknown key \"link.frequency\"", "valid keys in \"link\" are"},
    // Flags and columns beyond the config keys' ranges: once printed "received power: nan dBm".
    {"EirpNotANumber", {"link", "--from", "105.5,21.5", "--to", "105.6,21.6", "--dem", "{tile}", "--eirp-dbm", "nan"}, "--eirp-dbm 'nan' is outside -50 to 100", "give the transmitter's EIRP in dBm"},
    {"RxGainTooHigh", {"link", "--from", "105.5,21.5", "--to", "105.6,21.6", "--dem", "{tile}", "--rx-gain-dbi", "500"}, "--rx-gain-dbi '500.0' is outside -50 to 60", "e.g. 0 for a handset"},
    {"SigmaTooHigh", {"link", "--from", "105.5,21.5", "--to", "105.6,21.6", "--dem", "{tile}", "--sigma", "2000"}, "'sigma' = 2000 S/m must be above 0 and at most 100", "average ground is 0.005"},
    {"BatchEpsilonTooHigh", {"link", "--batch", "{tmp}/bad_epsilon.csv"}, "bad_epsilon.csv row 1: relative permittivity 'epsilon' = 100000 must be from 1 to 1,000", "average ground is 15"},
    // Special files: once read without end (/dev/zero) or blocked for ever (a FIFO).
    {"BatchDevice", {"link", "--batch", "/dev/zero"}, "batch file '/dev/zero' is a character device, not a data file", "give that to --batch"},
    {"DemFifo", {"link", "--from", "105.5,21.5", "--to", "105.6,21.6", "--dem", "{tmp}/fifo"}, "DEM '{tmp}/fifo' is a FIFO (named pipe), not a data file", "give that to --dem"},
};
// clang-format on

// gtest prints the case's name rather than its bytes.
void PrintTo(const BadLink& c, std::ostream* os) { *os << c.name; }

class LinkBadInput : public ::testing::TestWithParam<BadLink> {};

TEST_P(LinkBadInput, ExitsWithCodeTwoAndSaysHowToFixIt) {
    const BadLink& c = GetParam();
    if (!fs::exists(kTile))
        GTEST_SKIP() << "shared data set not there: " << kTile;
    TempDir tmp;
    const std::string profile = "step_m,elevations_m\n30,100 110 120 130 120 110 100\n";
    tmp.write("good.csv", profile);
    tmp.write("bad_number.csv", "f_mhz,step_m,elevations_m\n900,30,100 110 100\nnine hundred,30,"
                                "100 110 100\n");
    tmp.write("bad_height.csv", "h_tx_m,step_m,elevations_m\n0.1,30,100 110 100\n");
    tmp.write("no_path.csv", "h_tx_m,f_mhz\n30,900\n");
    tmp.write("points.csv", "tx_lon,tx_lat,rx_lon,rx_lat\n105.5,21.5,105.6,21.6\n");
    tmp.write("config.json", "{\"link\": {\"frequency\": 900}}");
    tmp.write("semicolons.csv", "tx_lon;tx_lat;rx_lon;rx_lat\n105.5;21.5;105.6;21.6\n");
    tmp.write("three.csv", "TX_LON,tx_lat,rx_lon\n105.5,21.5,105.6\n");
    tmp.write("bad_epsilon.csv", "epsilon,step_m,elevations_m\n100000,30,100 110 100\n");
    ASSERT_EQ(mkfifo(tmp.file("fifo").c_str(), 0600), 0);
    std::vector<std::string> args;
    for (const auto& a : c.args) {
        std::string e = expand(a, tmp.path());
        for (std::size_t at; (at = e.find("{tile}")) != std::string::npos;)
            e.replace(at, 6, kTile);
        args.push_back(e);
    }
    const RunResult r = run_in_process(args);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(contains(r.err, expand(c.what, tmp.path()))) << r.err;
    EXPECT_TRUE(contains(r.err, expand(c.fix, tmp.path()))) << r.err;
    EXPECT_EQ(line_count(r.err), 1U) << r.err;
}

INSTANTIATE_TEST_SUITE_P(Cases, LinkBadInput, ::testing::ValuesIn(kBadLinks),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

// Rows without an input column take the flags' values (then ITM's defaults): a frequency
// column overrides --freq-mhz only where it is filled in.
TEST(LinkE2E, BatchColumnsOverrideFlagsOnlyWhereFilledIn) {
    TempDir tmp;
    const std::string z = "100 120 160 150 130 170 140 120 110 100 100";
    const std::string in = tmp.write("mixed.csv", "name,f_mhz,step_m,elevations_m\n"
                                                  "a,,500,\"" +
                                                      z +
                                                      "\"\n"
                                                      "b,1800,500,\"" +
                                                      z + "\"\n");
    const RunResult r = run_in_process({"link", "--batch", in, "--freq-mhz", "1800"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto rows = read_rows(r.out);
    ASSERT_EQ(rows.size(), 2U);
    EXPECT_EQ(rows[0].at("loss_db"), rows[1].at("loss_db"));
    const RunResult d = run_in_process({"link", "--batch", in});
    ASSERT_EQ(d.code, 0) << d.err;
    const auto defaults = read_rows(d.out);
    EXPECT_LT(num(defaults[0].at("loss_db")), num(defaults[1].at("loss_db"))); // 900 < 1800 MHz
}

} // namespace whitezone::test::e2e
