// The hash grid (common/grid.hpp): a query gives every id whose box's cells meet the box, each
// once and ascending, however the ids were inserted.

#include "common/grid.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace whitezone::grid {
namespace {

std::vector<std::size_t> query(const GridIndex& index, const Box& box) {
    std::vector<std::size_t> out{99}; // replaced, not appended to
    index.query(box, out);
    return out;
}

TEST(GridIndex, AQueryGivesEachIdOnceAscendingWhateverTheOrderOfInsertion) {
    // Boxes of 1 km cells: id 5 spans four cells, the others lie in one.
    for (const bool ascending : {true, false}) {
        GridIndex index(1000.0);
        const std::vector<std::pair<Box, std::size_t>> boxes{{Box::around({500, 500}, 0.0), 1},
                                                             {Box::around({600, 400}, 0.0), 3},
                                                             {{900, 900, 1100, 1100}, 5},
                                                             {Box::around({1500, 1500}, 0.0), 7},
                                                             {Box::around({700, 700}, 0.0), 8}};
        if (ascending)
            for (const auto& [box, id] : boxes)
                index.insert(box, id);
        else
            for (auto it = boxes.rbegin(); it != boxes.rend(); ++it)
                index.insert(it->first, it->second);
        // A point in the first cell.
        EXPECT_EQ(query(index, Box::around({100, 100}, 0.0)),
                  (std::vector<std::size_t>{1, 3, 5, 8}))
            << ascending;
        // A box over all four cells: 5 is listed in each, given once.
        EXPECT_EQ(query(index, {100, 100, 1900, 1900}), (std::vector<std::size_t>{1, 3, 5, 7, 8}))
            << ascending;
        EXPECT_EQ(query(index, Box::around({1900, 100}, 0.0)), (std::vector<std::size_t>{5}))
            << ascending;
        EXPECT_TRUE(query(index, Box::around({5000, 5000}, 10.0)).empty()) << ascending;
    }
}

TEST(GridIndex, AnIdInsertedTwiceIsGivenOnce) {
    GridIndex index(1000.0);
    index.insert(Box::around({100, 100}, 0.0), 2);
    index.insert(Box::around({200, 200}, 0.0), 2);
    EXPECT_EQ(query(index, Box::around({300, 300}, 0.0)), (std::vector<std::size_t>{2}));
}

// query_intersecting() gives what a query filtered by the boxes gives: every id whose box
// meets the query's, once, ascending, for boxes spanning many cells and queries that meet
// them anywhere (corners, edges, one cell, negative coordinates).
TEST(GridIndex, AQueryOfIntersectingBoxesIsTheQueryFilteredByTheBoxes) {
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> at(-5000, 5000), size(0, 3000);
    for (const bool ascending : {true, false}) {
        std::vector<Box> boxes;
        for (int i = 0; i < 400; ++i) {
            const double x = at(rng), y = at(rng);
            boxes.push_back({x, y, x + size(rng), y + (i % 7 == 0 ? 0.0 : size(rng))});
        }
        GridIndex index(1000.0);
        for (std::size_t k = 0; k < boxes.size(); ++k) {
            const std::size_t i = ascending ? k : boxes.size() - 1 - k;
            index.insert(boxes[i], i);
        }
        for (int q = 0; q < 300; ++q) {
            const double x = at(rng), y = at(rng);
            const Box box{x, y, x + size(rng) * (q % 3), y + size(rng) * (q % 2)};
            std::vector<std::size_t> expected = query(index, box), got{99};
            std::erase_if(expected, [&](std::size_t i) { return !boxes[i].intersects(box); });
            index.query_intersecting(box, got, [&](std::size_t i) { return boxes[i]; });
            EXPECT_EQ(got, expected) << ascending << " " << q;
        }
    }
}

} // namespace
} // namespace whitezone::grid
