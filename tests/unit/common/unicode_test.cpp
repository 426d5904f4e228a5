#include "common/unicode.hpp"
#include "prepare/operators.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

namespace whitezone {
namespace {

// "Lạng Sơn" precomposed (NFC) and decomposed (NFD: a + combining dot below, o + combining horn).
const std::string kLangSonNfc = "L\xe1\xba\xa1ng S\xc6\xa1n";
const std::string kLangSonNfd = "La\xcc\xa3ng So\xcc\x9bn";

TEST(Unicode, DecomposedNameBecomesPrecomposed) {
    ASSERT_NE(kLangSonNfc, kLangSonNfd);
    EXPECT_FALSE(unicode::is_nfc(kLangSonNfd));
    EXPECT_EQ(unicode::to_nfc(kLangSonNfd), kLangSonNfc);
    EXPECT_EQ(unicode::to_nfc(kLangSonNfc), kLangSonNfc);
    EXPECT_EQ(unicode::to_nfc("Cao Bang"), "Cao Bang");
}

TEST(Unicode, CaseFoldingTakesInVietnameseLetters) {
    // "XÃ_PHƯỜNG" and "Xã_phường": the same name ignoring case.
    EXPECT_EQ(unicode::fold_case("X\xC3\x83_PH\xC6\xAF\xE1\xBB\x9CNG"),
              "x\xC3\xA3_ph\xC6\xB0\xE1\xBB\x9Dng");
    EXPECT_EQ(unicode::fold_case("\xC4\x90\xC3\xACnh L\xE1\xBA\xADp"), // "Đình Lập"
              "\xC4\x91\xC3\xACnh l\xE1\xBA\xADp");
    EXPECT_EQ(unicode::fold_case("Cao_BANG"), "cao_bang");
    EXPECT_EQ(unicode::fold_case("L\xC0NG"), "l\xC0ng") << "not UTF-8: ASCII only";
}

TEST(Unicode, InvalidUtf8IsReturnedUnchanged) {
    const std::string latin1 = "L\xe0ng";
    EXPECT_EQ(unicode::to_nfc(latin1), latin1);
}

TEST(Unicode, VietnameseOrderPutsMarkedLettersAfterTheBareLetter) {
    std::vector<std::string> names{"H\xe1\xbb\xaf\x75 L\xc5\xa9ng",         // Hữu Lũng
                                   "B\xc3\xacnh Gia",                       // Bình Gia
                                   "\xc4\x90\xc3\xacnh L\xe1\xba\xadp",     // Đình Lập
                                   "B\xe1\xba\xaf\x63 S\xc6\xa1n",          // Bắc Sơn
                                   "D\xc6\xb0\xc6\xa1ng Thu\xe1\xba\xadn"}; // Dương Thuận
    unicode::sort_vietnamese(names);
    const std::vector<std::string> expected{
        "B\xe1\xba\xaf\x63 S\xc6\xa1n", "B\xc3\xacnh Gia", "D\xc6\xb0\xc6\xa1ng Thu\xe1\xba\xadn",
        "\xc4\x90\xc3\xacnh L\xe1\xba\xadp", "H\xe1\xbb\xaf\x75 L\xc5\xa9ng"};
    EXPECT_EQ(names, expected);
}

TEST(Unicode, NumbersSortAsNumbers) {
    std::vector<std::string> names{"X\xc3\xa3 10", "X\xc3\xa3 2", "X\xc3\xa3 1"};
    unicode::sort_vietnamese(names);
    EXPECT_EQ(names, (std::vector<std::string>{"X\xc3\xa3 1", "X\xc3\xa3 2", "X\xc3\xa3 10"}));
}

TEST(Unicode, SortKeysOrderLikeCompare) {
    const unicode::Collator c;
    const std::vector<std::string> names{"B\xc3\xacnh Gia",
                                         "B\xe1\xba\xaf\x63 S\xc6\xa1n",
                                         "Th\xc3\xb4n 10",
                                         "Th\xc3\xb4n 9",
                                         "a",
                                         "A"};
    for (const auto& a : names)
        for (const auto& b : names)
            EXPECT_EQ(c.compare(a, b) < 0, c.sort_key(a) < c.sort_key(b)) << a << " / " << b;
}

TEST(Unicode, CollatorGivesTheSameOrderOnEveryThread) {
    const unicode::Collator c;
    std::vector<int> results(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < results.size(); ++i)
        threads.emplace_back([&, i] {
            int less = 0;
            for (int k = 0; k < 200; ++k)
                less += c.less("B\xe1\xba\xaf\x63", "B\xc3\xacnh") ? 1 : 0;
            results[i] = less;
        });
    for (auto& t : threads)
        t.join();
    EXPECT_TRUE(std::all_of(results.begin(), results.end(), [](int n) { return n == 200; }));
}

TEST(Operators, KnownAliasesBecomeOneName) {
    using prepare::normalize_operator;
    EXPECT_EQ(normalize_operator("VNPT"), "VinaPhone");
    EXPECT_EQ(normalize_operator("Vinaphone"), "VinaPhone");
    EXPECT_EQ(normalize_operator("VNPT - VinaPhone"), "VinaPhone");
    EXPECT_EQ(normalize_operator(" VIETTEL "), "Viettel");
    EXPECT_EQ(normalize_operator("Mobifone"), "MobiFone");
    EXPECT_EQ(normalize_operator("vietnam mobile"), "Vietnamobile");
    EXPECT_EQ(normalize_operator("Beeline"), "Gmobile");
}

TEST(Operators, UnknownNamesAreKeptTidied) {
    using prepare::normalize_operator;
    EXPECT_EQ(normalize_operator("Reddi   Mobile"), "Reddi Mobile");
    EXPECT_EQ(normalize_operator("  "), "");
    EXPECT_EQ(normalize_operator("452-09"), "452-09");
}

TEST(Operators, ConfiguredAliasesWinOverTheBuiltInTable) {
    const std::map<std::string, std::string> aliases{{"Itel", "VinaPhone"},
                                                     {"VNPT", "VNPT (fixed)"}};
    EXPECT_EQ(prepare::normalize_operator("ITEL", aliases), "VinaPhone");
    EXPECT_EQ(prepare::normalize_operator("vnpt", aliases), "VNPT (fixed)");
    EXPECT_EQ(prepare::normalize_operator("Viettel", aliases), "Viettel");
}

} // namespace
} // namespace whitezone
