// The file sinks' side files (report/sinks/sink.hpp): the ITM model's GeoTIFFs and tables go
// with the output, written before it is swapped in, so one that fails leaves the old output
// and every old side file as they were, with no temporary left behind.

#include "whitezone/error.hpp"

#include "report/sinks/sink.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

namespace whitezone {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every name under `root`, recursively, relative to it.
std::set<std::string> tree(const fs::path& root) {
    std::set<std::string> names;
    for (const auto& e : fs::recursive_directory_iterator(root))
        names.insert(fs::relative(e.path(), root).string());
    return names;
}

report::SideFile text_file(const std::string& name, const std::string& text) {
    return {name, [text](const fs::path& f) { std::ofstream(f, std::ios::binary) << text; }};
}

report::SideFile failing_file(const std::string& name) {
    return {name, [](const fs::path& f) {
                std::ofstream(f, std::ios::binary) << "half";
                throw ExternalError("report: cannot write '" + f.filename().string() + "'");
            }};
}

void write(const fs::path& out, OutputFormat format, bool overwrite,
           std::vector<report::SideFile> side) {
    report::make_file_sink(out.string(), format, overwrite, "EPSG:4326", "write", nullptr, true,
                           std::move(side))
        ->write({});
}

TEST(SideFiles, BesideAGeoPackageTheyAreNamedAfterItAndAFailureKeepsTheOldOnes) {
    test::TempDir tmp;
    const fs::path& dir = tmp.path();
    const fs::path out = dir / "results.gpkg";
    write(out, OutputFormat::GeoPackage, false,
          {text_file("a.tif", "one"), text_file("b.csv", "one")});
    EXPECT_EQ(read_all(dir / "results_a.tif"), "one");
    EXPECT_EQ(read_all(dir / "results_b.csv"), "one");
    EXPECT_EQ(report::side_file_path(out, OutputFormat::GeoPackage, "a.tif"),
              dir / "results_a.tif");
    const std::string gpkg = read_all(out);
    const auto before = tree(dir);

    // The second side file fails: the new first one is not swapped in, nor is the output.
    EXPECT_THROW(write(out, OutputFormat::GeoPackage, true,
                       {text_file("a.tif", "two"), failing_file("b.csv")}),
                 ExternalError);
    EXPECT_EQ(read_all(dir / "results_a.tif"), "one");
    EXPECT_EQ(read_all(dir / "results_b.csv"), "one");
    EXPECT_EQ(read_all(out), gpkg);
    EXPECT_EQ(tree(dir), before) << "no temporary is left";

    // Without --overwrite an existing side file is refused like the output, and kept.
    fs::remove(out);
    EXPECT_THROW(write(out, OutputFormat::GeoPackage, false, {text_file("a.tif", "three")}),
                 InputError);
    EXPECT_EQ(read_all(dir / "results_a.tif"), "one");
    EXPECT_FALSE(fs::exists(out));

    // With --overwrite all of them are replaced together.
    write(out, OutputFormat::GeoPackage, true,
          {text_file("a.tif", "four"), text_file("b.csv", "four")});
    EXPECT_EQ(read_all(dir / "results_a.tif"), "four");
    EXPECT_EQ(read_all(dir / "results_b.csv"), "four");
}

TEST(SideFiles, InAFolderOutputTheyAreInsideItAndAFailureKeepsTheOldFolder) {
    test::TempDir tmp;
    const fs::path& dir = tmp.path();
    const fs::path out = dir / "results";
    write(out, OutputFormat::GeoJSON, false, {text_file("a.tif", "one")});
    EXPECT_EQ(read_all(out / "a.tif"), "one");
    EXPECT_EQ(report::side_file_path(out, OutputFormat::GeoJSON, "a.tif"), out / "a.tif");
    const auto before = tree(dir);
    EXPECT_THROW(
        write(out, OutputFormat::GeoJSON, true, {text_file("a.tif", "two"), failing_file("b.csv")}),
        ExternalError);
    EXPECT_EQ(read_all(out / "a.tif"), "one");
    EXPECT_EQ(tree(dir), before);
}

} // namespace
} // namespace whitezone
