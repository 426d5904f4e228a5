// The enum name tables (names.hpp): one table prints, parses and lists each enum's values.

#include "whitezone/classify.hpp"
#include "whitezone/coverage.hpp"
#include "whitezone/names.hpp"
#include "whitezone/plan.hpp"
#include "whitezone/prepare.hpp"
#include "whitezone/report.hpp"

#include <gtest/gtest.h>

namespace whitezone {
namespace {

enum class Colour : std::uint8_t { Red, Green };
constexpr EnumNames<Colour, 3> kColourNames{
    {{{Colour::Red, "red"}, {Colour::Red, "rouge"}, {Colour::Green, "green"}}}};

TEST(Names, TheFirstEntryOfAValueIsItsPrintedNameAndLaterOnesAreAliases) {
    EXPECT_EQ(kColourNames.name(Colour::Red), "red");
    EXPECT_EQ(kColourNames.parse("rouge"), Colour::Red);
    EXPECT_EQ(kColourNames.parse("green"), Colour::Green);
    EXPECT_EQ(kColourNames.canonical(), (std::vector<std::string>{"red", "green"}));
    EXPECT_EQ(kColourNames.values(), (std::vector<Colour>{Colour::Red, Colour::Green}));
}

TEST(Names, ExactTablesAreCaseSensitiveAndOthersAreNot) {
    EXPECT_FALSE(kColourNames.parse("Red").has_value());
    EXPECT_FALSE(kColourNames.parse(" red").has_value());
    EXPECT_EQ(kOutputFormatNames.parse("GPKG"), OutputFormat::GeoPackage);
    EXPECT_FALSE(kOutputFormatNames.parse(" gpkg").has_value());
    EXPECT_EQ(kTechNames.parse("  Lte\t"), Tech::G4);
    EXPECT_EQ(kTechNames.parse("5g NR"), Tech::G5);
    EXPECT_FALSE(kTechNames.parse("6G").has_value());
}

TEST(Names, AlternativesListTheNamesAsMessagesShowThem) {
    EXPECT_EQ(alternatives({"a"}), "\"a\"");
    EXPECT_EQ(alternatives({"a", "b"}), "\"a\" or \"b\"");
    EXPECT_EQ(alternatives({"rural", "suburban", "urban"}), "\"rural\", \"suburban\" or \"urban\"");
}

// Every value of every table prints as a name that parses back to it.
template <class E, std::size_t N> void expect_round_trip(const EnumNames<E, N>& names) {
    for (E value : names.values()) {
        const std::string_view name = to_string(value);
        EXPECT_EQ(name, names.name(value));
        EXPECT_EQ(names.parse(name), value) << name;
    }
}

TEST(Names, EveryEnumPrintsThroughItsTableAndParsesBack) {
    expect_round_trip(kTechNames);
    expect_round_trip(kServiceClassNames);
    expect_round_trip(kStatusNames);
    expect_round_trip(kStatusRuleNames);
    expect_round_trip(kStatusBasisNames);
    expect_round_trip(kCentreSourceNames);
    expect_round_trip(kHataEnvironmentNames);
    expect_round_trip(kPlanObjectiveNames);
    expect_round_trip(kCandidateSourceNames);
    expect_round_trip(kPlanStopNames);
    expect_round_trip(kOutputFormatNames);
    EXPECT_EQ(parse_tech("GSM"), Tech::G2);
    EXPECT_EQ(parse_status_rule("center"), StatusRule::Centre);
    EXPECT_EQ(parse_plan_objective("Villages"), PlanObjective::Villages);
    EXPECT_EQ(parse_output_format("ShapeFile"), OutputFormat::Shapefile);
    EXPECT_FALSE(parse_hata_environment("Rural").has_value());
}

} // namespace
} // namespace whitezone
