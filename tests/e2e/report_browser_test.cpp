// The HTML report in a real browser: headless Chromium (Debian's `chromium`) loads the page
// from the file, offline, runs its scripts and dumps the DOM. The page's own check record
// (#wz-check: script errors caught, village features drawn, numbers stated) must show no
// error, as many village features as the result has villages, and the summary's counts; a
// screenshot is kept in the build tree (tests/e2e/browser/report.png) as the run's artefact.
// Skipped when Chromium is not installed (scripts/install-deps.sh installs it).

#include "whitezone/publish.hpp"

#include "e2e/e2e.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

namespace whitezone::test::e2e {
namespace {

namespace fs = std::filesystem;

std::string unescape_html(std::string s) {
    const std::pair<const char*, const char*> entities[] = {
        {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
    for (const auto& [from, to] : entities)
        for (std::size_t i = s.find(from); i != std::string::npos; i = s.find(from, i + 1))
            s.replace(i, std::string_view(from).size(), to);
    return s;
}

// The text of the element that starts with `open_tag`, up to `close_tag`.
std::string element(const std::string& dom, const std::string& open_tag,
                    const std::string& close_tag) {
    const std::size_t at = dom.find(open_tag);
    if (at == std::string::npos)
        return {};
    const std::size_t body = dom.find('>', at) + 1;
    return dom.substr(body, dom.find(close_tag, body) - body);
}

// Runs headless Chromium on `page` with `flags`; returns its exit code, stdout in `out`.
int chromium(const std::string& page, const std::string& flags, const fs::path& tmp,
             std::string& out, std::string& err) {
    const fs::path out_file = tmp / "chromium.out", err_file = tmp / "chromium.err";
    const std::string cmd = "timeout 180 '" + std::string(WHITEZONE_CHROMIUM) +
                            "' --headless --disable-gpu --no-sandbox --no-first-run "
                            "--disable-extensions --disable-background-networking "
                            "--user-data-dir='" +
                            (tmp / "profile").string() +
                            "' --enable-logging=stderr --v=0 --virtual-time-budget=15000 " + flags +
                            " 'file://" + page + "' >'" + out_file.string() + "' 2>'" +
                            err_file.string() + "'";
    const int code = std::system(cmd.c_str());
    out = read_file(out_file);
    err = read_file(err_file);
    return code;
}

TEST(ReportBrowser, ChromiumDrawsEveryVillageWithoutErrorsAndTheTextStatesTheSummary) {
    if (!fs::exists(WHITEZONE_CHROMIUM))
        GTEST_SKIP() << "Chromium not found (install Debian's chromium: scripts/install-deps.sh)";
    TempDir tmp;
    const std::string results = tmp.file("this.gpkg");
    const RunResult a =
        run_in_process({"analyze", "--stations", sample_path("stations.csv"), "--villages",
                        sample_path("villages.gpkg"), "--out", results});
    ASSERT_EQ(a.code, 0) << a.err;
    const std::string page = tmp.file("report.html");
    const RunResult r = run_binary({"report", "--results", results, "--out", page});
    ASSERT_EQ(r.code, 0) << r.err;

    std::string dom, err;
    ASSERT_EQ(chromium(page, "--dump-dom", tmp.path(), dom, err), 0) << err;
    const std::string record = unescape_html(element(dom, "<pre id=\"wz-check\"", "</pre>"));
    ASSERT_FALSE(record.empty()) << "the page's script did not run; DOM: " << dom.substr(0, 500);
    const nlohmann::json check = nlohmann::json::parse(record);
    EXPECT_TRUE(check.at("errors").empty()) << check.at("errors").dump();
    EXPECT_EQ(err.find("Uncaught"), std::string::npos) << err;
    EXPECT_EQ(check.at("villages").get<long>(), feature_count(results, "villages"));
    EXPECT_EQ(check.at("layers").at("stations").get<long>(), feature_count(results, "stations"));
    EXPECT_FALSE(check.at("bounds").get<std::string>().empty());

    // The first village's popup: its fields named in Vietnamese, its status in words.
    const OutFeature first = read_layer_features(results, "villages").at(0);
    std::map<std::string, std::string> popup;
    for (const auto& row : check.at("popup"))
        popup[row.at(0).get<std::string>()] =
            row.at(1).is_string() ? row.at(1).get<std::string>() : row.at(1).dump();
    EXPECT_EQ(popup["Mã thôn"], first.text("village_id")) << check.at("popup").dump();
    const std::map<std::string, std::string> status_words{
        {"white", "trắng sóng"}, {"partial", "lõm sóng"}, {"covered", "được phủ sóng"}};
    EXPECT_EQ(popup["Sóng băng rộng (3G trở lên)"], status_words.at(first.text("status_broadband")))
        << check.at("popup").dump();
    for (const char* raw : {"village_id", "status_broadband", "share_any", "gap_rank"})
        EXPECT_EQ(popup.count(raw), 0U) << raw << " shown by its field name";

    const auto summary = read_layer_features(results, "summary");
    const OutFeature& all = find_feature(summary, "level", "all");
    const std::string text = element(dom, "<p id=\"p-villages\"", "</p>");
    for (const char* f : {"villages", "covered_broadband", "partial_broadband", "white_broadband",
                          "covered_any", "partial_any", "white_any"}) {
        EXPECT_EQ(check.at("numbers").at(f).get<double>(), all.number(f)) << f;
        EXPECT_NE(text.find(format_count(std::lround(all.number(f)), ReportLanguage::Vi)),
                  std::string::npos)
            << f << ": " << text;
    }
    EXPECT_NEAR(check.at("numbers").at("people_without_broadband").get<double>(),
                all.number("people_without_broadband"), 1e-3);
    EXPECT_EQ(check.at("numbers").at("flagged").get<double>(), all.number("flagged"));

    // The screenshot: the artefact of this run, in the build tree.
    const fs::path shots = WHITEZONE_ARTEFACT_DIR;
    fs::create_directories(shots);
    const fs::path png = shots / "report.png";
    fs::remove(png);
    std::string out;
    ASSERT_EQ(
        chromium(page,
                 "--hide-scrollbars --window-size=1280,2000 --screenshot='" + png.string() + "'",
                 tmp.path(), out, err),
        0)
        << err;
    ASSERT_TRUE(fs::exists(png)) << err;
    EXPECT_GT(fs::file_size(png), 20'000U); // a drawn page, not a blank one
    EXPECT_EQ(read_file(png).substr(1, 3), "PNG");
}

} // namespace
} // namespace whitezone::test::e2e
