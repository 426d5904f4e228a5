// Work made on one thread and used in order on another (common/parallel.hpp, in_order()): the
// writer inserts rows in order while the next rows are made, whatever fails on either side.

#include "common/parallel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace whitezone {
namespace {

struct Item {
    std::size_t index = 0;
    std::string text;
};

// The items `use` saw, in the order it saw them, for n items in batches of `batch`.
std::vector<std::string> used(std::size_t n, std::size_t batch, bool beside) {
    std::vector<std::string> seen;
    parallel::in_order<Item>(
        n, batch, beside,
        [](std::size_t i, Item& item) {
            item.index = i;
            item.text = "row " + std::to_string(i);
        },
        [&](std::size_t i, Item& item) {
            EXPECT_EQ(item.index, i);
            seen.push_back(item.text);
        });
    return seen;
}

TEST(InOrder, EveryItemIsUsedOnceInOrderBesideOrNot) {
    for (const std::size_t n : {0UL, 1UL, 7UL, 64UL, 1000UL, 1001UL}) {
        SCOPED_TRACE(n);
        const auto alone = used(n, 64, false);
        ASSERT_EQ(alone.size(), n);
        for (std::size_t i = 0; i < n; ++i)
            EXPECT_EQ(alone[i], "row " + std::to_string(i));
        EXPECT_EQ(used(n, 64, true), alone);
        EXPECT_EQ(used(n, 1, true), alone);
    }
}

TEST(InOrder, TheMakerKeepsAtMostThreeBatchesAhead) {
    std::atomic<std::size_t> made{0}, used_count{0}, ahead{0};
    parallel::in_order<Item>(
        10000, 100, true,
        [&](std::size_t, Item&) {
            const std::size_t lead = ++made - used_count.load();
            if (lead > ahead)
                ahead = lead;
        },
        [&](std::size_t, Item&) { ++used_count; });
    EXPECT_EQ(used_count.load(), 10000U);
    EXPECT_LE(ahead.load(), 300U + 100U); // three batches waiting and one being made
}

TEST(InOrder, AFailureToMakeAnItemIsThrownAfterTheBatchesBeforeItWereUsed) {
    for (const bool beside : {false, true}) {
        SCOPED_TRACE(beside);
        std::vector<std::size_t> seen;
        try {
            parallel::in_order<Item>(
                5000, 100, beside,
                [](std::size_t i, Item& item) {
                    if (i == 2345)
                        throw std::runtime_error("row 2345 cannot be made");
                    item.index = i;
                },
                [&](std::size_t i, Item&) { seen.push_back(i); });
            FAIL() << "no error";
        } catch (const std::runtime_error& e) {
            EXPECT_STREQ(e.what(), "row 2345 cannot be made");
        }
        // Alone, every row before it; beside, the whole batches before it.
        ASSERT_EQ(seen.size(), beside ? 2300U : 2345U);
        for (std::size_t i = 0; i < seen.size(); ++i)
            EXPECT_EQ(seen[i], i);
    }
}

TEST(InOrder, AFailureToUseAnItemStopsTheMakerAndIsThrown) {
    std::atomic<std::size_t> made{0};
    try {
        parallel::in_order<Item>(
            100000, 10, true, [&](std::size_t, Item&) { ++made; },
            [](std::size_t i, Item&) {
                if (i == 55)
                    throw std::runtime_error("the disk is full");
            });
        FAIL() << "no error";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "the disk is full");
    }
    EXPECT_LE(made.load(), 100U); // the batch in hand, three ahead and the one being made
}

} // namespace
} // namespace whitezone
