// The villages' polygons in a temporary file (common/spill.hpp): each read back exactly as
// written, in any order and from any thread; a temporary folder that cannot take them is an
// error that names it, and leaves nothing behind.

#include "whitezone/error.hpp"

#include "common/spill.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace whitezone {
namespace {

// Village i: a point (none) every third, else i % 4 + 1 polygons, each with a hole when odd;
// coordinates that are not round in binary.
std::vector<MultiPolygon> villages(std::size_t n) {
    std::vector<MultiPolygon> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (i % 3 == 0)
            continue;
        for (std::size_t p = 0; p < i % 4 + 1; ++p) {
            const double x = 500000.1 * static_cast<double>(i) + 0.3 * static_cast<double>(p);
            Polygon poly = test::square(x, 2.0e6 / 3.0, 100.7);
            if (p % 2 == 1)
                poly.rings.push_back(test::square(x + 10.1, 2.0e6 / 3.0 + 10.1, 5.3).rings[0]);
            out[i].push_back(std::move(poly));
        }
    }
    return out;
}

TEST(AreaSpill, EachAreaIsReadBackExactlyInAnyOrderAndFromAnyThread) {
    const std::vector<MultiPolygon> areas = villages(6000); // more than one write of 1 MiB
    const AreaSpill spill(areas.size(),
                          [&](std::size_t i) -> const MultiPolygon& { return areas[i]; });
    ASSERT_EQ(spill.size(), areas.size());
    EXPECT_GT(spill.bytes(), std::uint64_t{1} << 20);
    MultiPolygon out{test::square(0, 0, 1)}; // replaced, not appended to
    for (std::size_t i = areas.size(); i-- > 0;) {
        spill.read(i, out);
        ASSERT_TRUE(test::same_area(out, areas[i])) << "area " << i;
    }
    std::vector<char> ok(2, 1);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < 2; ++t)
        threads.emplace_back([&, t] {
            MultiPolygon mine;
            for (std::size_t i = t; i < areas.size(); i += 2) {
                spill.read(i, mine);
                ok[t] = ok[t] && test::same_area(mine, areas[i]);
            }
        });
    for (auto& th : threads)
        th.join();
    EXPECT_TRUE(ok[0] && ok[1]);
}

TEST(AreaSpill, NoAreasIsAnEmptySpill) {
    const AreaSpill spill(0, [](std::size_t) -> const MultiPolygon& { std::abort(); });
    EXPECT_EQ(spill.size(), 0u);
    EXPECT_EQ(spill.bytes(), 0u);
}

TEST(AreaSpill, TheFileHasNoNameInTheTemporaryFolder) {
    const test::TempDir tmp;
    const test::EnvVar env("TMPDIR", tmp.path().string());
    const std::vector<MultiPolygon> areas = villages(10);
    const AreaSpill spill(areas.size(),
                          [&](std::size_t i) -> const MultiPolygon& { return areas[i]; });
    EXPECT_TRUE(std::filesystem::is_empty(tmp.path()));
    MultiPolygon out;
    spill.read(4, out);
    EXPECT_TRUE(test::same_area(out, areas[4]));
}

TEST(AreaSpill, AMissingTemporaryFolderIsAnErrorThatNamesIt) {
    const test::EnvVar env("TMPDIR", "/nonexistent/whitezone-tmp");
    const std::vector<MultiPolygon> areas = villages(10);
    try {
        const AreaSpill spill(areas.size(),
                              [&](std::size_t i) -> const MultiPolygon& { return areas[i]; });
        FAIL() << "no error";
    } catch (const ExternalError& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/whitezone-tmp"), std::string::npos)
            << e.what();
    }
}

} // namespace
} // namespace whitezone
