// The text helpers the input checks rely on: UTF-8 validation, printable values, secrets
// scrubbed from messages, and numbers too large for fixed notation.

#include "common/text.hpp"

#include <gtest/gtest.h>

namespace whitezone::text {
namespace {

TEST(Utf8, WellFormedTextHasNoInvalidByte) {
    EXPECT_FALSE(invalid_utf8_at(""));
    EXPECT_FALSE(invalid_utf8_at("Thôn Đông, Lạng Sơn"));
    EXPECT_FALSE(invalid_utf8_at("\xF0\x9F\x93\xB6")); // U+1F4F6, four bytes
}

TEST(Utf8, Latin1ByteIsFoundAtItsOffset) {
    EXPECT_EQ(invalid_utf8_at("Tr\xE1m"), 2u);
    EXPECT_EQ(invalid_utf8_at("ab\xC3"), 2u) << "a sequence cut off at the end";
}

TEST(Utf8, OverlongFormsSurrogatesAndCodePointsAboveTheRangeAreInvalid) {
    EXPECT_EQ(invalid_utf8_at("\xC0\xAF"), 0u);         // overlong '/'
    EXPECT_EQ(invalid_utf8_at("\xE0\x80\xAF"), 0u);     // overlong, three bytes
    EXPECT_EQ(invalid_utf8_at("\xED\xA0\x80"), 0u);     // U+D800, a surrogate
    EXPECT_EQ(invalid_utf8_at("\xF4\x90\x80\x80"), 0u); // above U+10FFFF
}

TEST(Utf8, PrefixIsCutAtACharacterBoundary) {
    // "Xã_phường": X ã(2) _ p h ư(2) ờ(3) n g = 13 bytes.
    const std::string name = "X\xC3\xA3_ph\xC6\xB0\xE1\xBB\x9Dng";
    EXPECT_EQ(utf8_prefix(name, 13), name);
    EXPECT_EQ(utf8_prefix(name, 11), "X\xC3\xA3_ph\xC6\xB0\xE1\xBB\x9D"); // ends after ờ
    EXPECT_EQ(utf8_prefix(name, 10), "X\xC3\xA3_ph\xC6\xB0") << "not inside ờ";
    EXPECT_EQ(utf8_prefix(name, 8), "X\xC3\xA3_ph\xC6\xB0");
    EXPECT_EQ(utf8_prefix(name, 7), "X\xC3\xA3_ph") << "not inside ư";
    EXPECT_EQ(utf8_prefix(name, 2), "X");
    EXPECT_EQ(utf8_prefix("\xF0\x9F\x93\xB6", 3), "");
    EXPECT_EQ(utf8_prefix("", 0), "");
}

TEST(Printable, ControlCharactersAndBadBytesAreEscapedAndLongTextCut) {
    EXPECT_EQ(printable(std::string("a\0b", 3)), "a\\x00b");
    EXPECT_EQ(printable("Tr\xE1m"), "Tr\\xE1m");
    EXPECT_EQ(printable("Thôn"), "Thôn");
    EXPECT_EQ(printable(std::string(100, 'x'), 5), "xxxxx…");
}

TEST(ScrubSecrets, KeywordPasswordsAreReplacedQuotedOrNot) {
    EXPECT_EQ(scrub_secrets("PG:host=db password=hunter2 dbname=gis"),
              "PG:host=db password=*** dbname=gis");
    EXPECT_EQ(scrub_secrets("PG:password = 'hunter 2' dbname=gis"), "PG:password = *** dbname=gis");
    EXPECT_EQ(scrub_secrets("cannot open 'PG:PASSWORD=\"x y\"'"), "cannot open 'PG:PASSWORD=***'");
}

TEST(ScrubSecrets, UriPasswordsAreReplacedAndTheUserKept) {
    EXPECT_EQ(scrub_secrets("PG:postgresql://planner:hunter2@db:5432/gis"),
              "PG:postgresql://planner:***@db:5432/gis");
}

TEST(ScrubSecrets, TextWithoutSecretsIsUnchanged) {
    const std::string plain = "read: stations.csv row 2, column 'lat': 'x' is not a number; "
                              "the password field is empty. See https://example.org/a:b";
    EXPECT_EQ(scrub_secrets(plain), plain);
}

TEST(NotANumber, TextThatIsANumberButNotAFiniteOneIsToldApart) {
    EXPECT_EQ(not_a_number("twenty"), " is not a number");
    EXPECT_EQ(not_a_number("2,1 GHz"), " is not a number");
    EXPECT_EQ(not_a_number("nan"), " is not a finite number");
    EXPECT_EQ(not_a_number(" -Infinity "), " is not a finite number");
    EXPECT_EQ(not_a_number("1e999"), " is not a finite number");
}

TEST(Fixed, NumbersBeyondFixedNotationAreWrittenShortNotAsNan) {
    EXPECT_EQ(fixed(1e308, 0), "1e+308");
    EXPECT_EQ(fixed(-1e300, 2), "-1e+300");
    EXPECT_EQ(fixed(1234.5, 1), "1234.5");
}

TEST(Text, XmlEscapeWritesTheFiveSpecialCharactersAsEntitiesAndKeepsVietnamese) {
    EXPECT_EQ(xml_escape("Bắc <Sơn> & \"Đình\" 'Lập'"),
              "Bắc &lt;Sơn&gt; &amp; &quot;Đình&quot; &apos;Lập&apos;");
}

TEST(Text, PercentHasOneDecimal) {
    EXPECT_EQ(percent(0.982), "98.2%");
    EXPECT_EQ(percent(1.0), "100.0%");
    EXPECT_EQ(percent(0.0), "0.0%");
}

// A row of either console table (the summary's, the comparison's): the same labels.
struct LabelRow {
    std::string level, province, district, commune, unit_name, unit_code;
};

TEST(Text, UnitLabelsIndentTheUnitsUnderTheirProvinceAndNameTheMissingOnes) {
    EXPECT_EQ(unit_label(LabelRow{"all", "Lạng Sơn", "", "", "", ""}), "all villages");
    EXPECT_EQ(unit_label(LabelRow{"province", "Lạng Sơn", "", "", "", ""}), "Lạng Sơn");
    EXPECT_EQ(unit_label(LabelRow{"province", "", "", "", "", ""}), "(no province)");
    EXPECT_EQ(unit_label(LabelRow{"district", "Lạng Sơn", "Văn Quan", "", "", ""}), "  Văn Quan");
    EXPECT_EQ(unit_label(LabelRow{"district", "Lạng Sơn", "", "", "", ""}), "  (no district)");
    EXPECT_EQ(unit_label(LabelRow{"commune", "Lạng Sơn", "", "Xã Tân Lập", "", ""}),
              "  Xã Tân Lập");
    EXPECT_EQ(unit_label(LabelRow{"commune", "Lạng Sơn", "", "", "", ""}), "  (no commune)");
    EXPECT_EQ(unit_label(LabelRow{"unit", "", "", "", "Xã Tân Lập", "20197"}), "  Xã Tân Lập");
    EXPECT_EQ(unit_label(LabelRow{"unit", "", "", "", "", "20197"}), "  20197");
}

} // namespace
} // namespace whitezone::text
