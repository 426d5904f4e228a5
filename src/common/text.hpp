#pragma once
// Small text helpers shared by the stages: locale-free number parsing, case folding, lists.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone::text {

/// ASCII lower case (field names and keywords; Vietnamese names are never folded).
std::string lower(std::string_view s);

/// Trims ASCII whitespace at both ends.
std::string_view trim(std::string_view s);

/// Parses a decimal number whatever the process locale ("1.5", "-3e2"; a comma is not a
/// decimal point). Surrounding spaces are allowed; nullopt for anything else.
std::optional<double> parse_double(std::string_view s);

/// " is not a number" or, for text that is a number but not a finite one ("nan", "-inf",
/// "Infinity", "1e999"), " is not a finite number": the end of a message about `s`.
std::string not_a_number(std::string_view s);

/// "'a', 'b', 'c'".
std::string quoted_list(const std::vector<std::string>& items);

/// A number with thousands separators, "1,071" (`group` ','; the report's Vietnamese gives '.':
/// "1.071").
std::string thousands(long long n, char group = ',');

/// Fixed decimals, locale-free. A value too large for fixed notation (beyond about 1e50) is
/// written in the shortest round-trip form ("1e+308"); NaN and infinities as "nan", "inf".
std::string fixed(double value, int decimals);

/// A share as a percentage with one decimal, "98.2%" (the console tables).
std::string percent(double share);

/// The label of a summary or comparison row in the console tables: "all villages", the
/// province's name, or the district's, commune's or unit's name indented by two spaces, with
/// "(no province)", "(no district)", "(no commune)" for a unit without one. `Row` has the
/// fields `level`, `province`, `district`, `commune`, `unit_name` and `unit_code`.
template <class Row> std::string unit_label(const Row& row) {
    auto named = [](const std::string& name, const char* none) {
        return name.empty() ? std::string(none) : name;
    };
    if (row.level == "all")
        return "all villages";
    if (row.level == "province")
        return named(row.province, "(no province)");
    if (row.level == "district")
        return "  " + named(row.district, "(no district)");
    if (row.level == "unit")
        return "  " + (row.unit_name.empty() ? row.unit_code : row.unit_name);
    return "  " + named(row.commune, "(no commune)");
}

/// Display width of UTF-8 text: code points, not bytes (Vietnamese names are precomposed).
std::size_t width(std::string_view s);

/// `s` padded with spaces on the right (left) to display width `w`.
std::string pad_right(const std::string& s, std::size_t w);
std::string pad_left(const std::string& s, std::size_t w);

/// Offset of the first byte of `s` that is not part of well-formed UTF-8 (overlong forms,
/// surrogates and code points above U+10FFFF are malformed), or nullopt when all of it is.
std::optional<std::size_t> invalid_utf8_at(std::string_view s);

/// The longest start of `s` (UTF-8) of at most `max` bytes that does not end inside a
/// character: `s` itself when it fits. For the byte limits of formats (a dBase field name,
/// 10 bytes; a Shapefile text value, 254 bytes).
std::string_view utf8_prefix(std::string_view s, std::size_t max);

/// `s` for an error message: at most `max` bytes (then "…"), control characters and bytes
/// that are not UTF-8 written as "\xNN".
std::string printable(std::string_view s, std::size_t max = 60);

/// `s` with secrets removed: the value of every `password=` (libpq keyword, quoted or not)
/// and the password of a URI ("postgresql://user:secret@host") replaced by "***". Applied to
/// every message the program prints, since paths and GDAL's own messages may hold them.
std::string scrub_secrets(std::string_view s);

/// Levenshtein distance between two strings, byte by byte (insertions, deletions,
/// substitutions): how "did you mean …?" finds the closest command or config key.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// `s` with XML's five special characters (& < > " ') written as entities, for text and
/// attribute values in SVG, QML and SLD.
std::string xml_escape(std::string_view s);

} // namespace whitezone::text
