// The packed attribute values of prepared stations and villages: every value comes back as it
// went in (NULL, integers at their limits, reals including NaN's absence of equality, texts
// with Vietnamese letters, embedded NULs and empty texts), copies are independent, and rows
// compare by their values. interned() texts: one view per text, valid to the end.

#include "whitezone/types.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace whitezone {
namespace {

TEST(ValueRow, EveryValueComesBackAsItWentIn) {
    const std::vector<Value> in{Value{},
                                std::int64_t{0},
                                std::numeric_limits<std::int64_t>::min(),
                                std::numeric_limits<std::int64_t>::max(),
                                -0.5,
                                1e300,
                                std::string(),
                                std::string("Thôn Nà Pàn, xã Tân Lập"),
                                std::string("a\0b", 3),
                                std::string(70000, 'x')};
    const ValueRow row(in);
    ASSERT_EQ(row.size(), in.size());
    for (std::size_t k = 0; k < in.size(); ++k)
        EXPECT_EQ(row[k], in[k]) << "value " << k;
    EXPECT_EQ(row.values(), in);
    EXPECT_EQ(std::get<std::string>(row[8]).size(), 3u) << "a NUL inside a text is kept";
}

TEST(ValueRow, RowsOfEverySizeAroundTheHeaderWidthsComeBack) {
    // A row's header is 1, 2 or 4 bytes wide, the fewest that hold its byte size: rows just
    // under and over 255 and 65,535 bytes, and integers at the varint's 7-bit steps.
    for (const std::size_t base : {std::size_t{230}, std::size_t{65510}})
        for (std::size_t extra = 0; extra < 40; ++extra) {
            const std::vector<Value> in{std::string(base + extra, 'n'),
                                        std::int64_t{-64},
                                        std::int64_t{-65},
                                        std::int64_t{63},
                                        std::int64_t{64},
                                        std::int64_t{8191},
                                        std::int64_t{8192},
                                        Value{},
                                        2.5};
            const ValueRow row(in);
            ASSERT_EQ(row.values(), in) << "text of " << base + extra << " bytes";
            EXPECT_EQ(ValueRow(row), row);
        }
    std::vector<Value> many;
    for (std::int64_t k = 0; k < 300; ++k)
        many.emplace_back(k * 1000003);
    EXPECT_EQ(ValueRow(many).values(), many) << "more values than a byte counts";
}

TEST(ValueRow, AnEmptyRowHasNoValues) {
    const ValueRow none;
    EXPECT_TRUE(none.empty());
    EXPECT_EQ(none.size(), 0u);
    EXPECT_TRUE(ValueRow(std::vector<Value>{}).empty());
    EXPECT_EQ(none, ValueRow(std::vector<Value>{}));
}

TEST(ValueRow, ARealKeepsItsBits) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const ValueRow row{nan, -0.0};
    EXPECT_TRUE(std::isnan(std::get<double>(row[0])));
    EXPECT_TRUE(std::signbit(std::get<double>(row[1])));
}

TEST(ValueRow, CopiesAreIndependentAndPushBackAppends) {
    ValueRow a{std::string("Viettel"), std::int64_t{30}};
    ValueRow b = a;
    b.push_back(std::int64_t{2019});
    EXPECT_EQ(a.size(), 2u);
    ASSERT_EQ(b.size(), 3u);
    EXPECT_EQ(b[0], Value(std::string("Viettel")));
    EXPECT_EQ(b[2], Value(std::int64_t{2019}));
    EXPECT_NE(a, b);
    a = b;
    EXPECT_EQ(a, b);
    ValueRow moved = std::move(a);
    EXPECT_EQ(moved, b);
    ValueRow self = b;
    self = *&self;
    EXPECT_EQ(self, b);
}

TEST(Interned, TheSameTextGivesTheSameViewForTheLifeOfTheProcess) {
    std::string flag = "capped";
    const std::string_view a = interned(flag);
    flag = "changed"; // the caller's text may change or go: the view does not
    EXPECT_EQ(a, "capped");
    EXPECT_EQ(interned("capped").data(), a.data());
    EXPECT_NE(interned("height_extrapolated").data(), a.data());
    EXPECT_TRUE(interned("").empty());
}

} // namespace
} // namespace whitezone
