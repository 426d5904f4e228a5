#pragma once
/// \file names.hpp
/// One name table per enum: the same table prints a value, parses a user's text and lists the
/// accepted values in error messages and in docs/config.md, so the three never disagree.
///
///     inline constexpr EnumNames<StatusRule, 3> kStatusRuleNames{{{
///         {StatusRule::Centre, "centre"},     // printed name: the value's first entry
///         {StatusRule::Centre, "center"},     // an alias, accepted when parsing
///         {StatusRule::AreaShare, "area_share"},
///     }}};

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone {

/// One spelling of an enum value.
template <class E> struct EnumName {
    E value;
    std::string_view name;
};

/// How a table compares a user's text with its names.
enum class NameMatch : std::uint8_t {
    Exact,       ///< byte for byte
    IgnoreCase,  ///< ASCII case-insensitive
    TrimAndCase, ///< ASCII case-insensitive, surrounding spaces ignored
};

namespace names_detail {

constexpr char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

constexpr std::string_view trim(std::string_view s) {
    constexpr std::string_view kSpace = " \t\r\n"; // as text::trim
    const auto first = s.find_first_not_of(kSpace);
    if (first == std::string_view::npos)
        return {};
    return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

constexpr bool same(std::string_view a, std::string_view b, NameMatch match) {
    if (match == NameMatch::TrimAndCase)
        a = trim(a);
    if (match == NameMatch::Exact)
        return a == b;
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i]))
            return false;
    return true;
}

} // namespace names_detail

/// The names of the values of enum `E`. The first entry of a value is its printed (canonical)
/// name; later entries of the same value are aliases that parse() also accepts. Every value
/// has at least one entry.
template <class E, std::size_t N> struct EnumNames {
    std::array<EnumName<E>, N> entries;
    NameMatch match = NameMatch::Exact;

    /// The printed name of `value` ("?" for a value outside the table).
    [[nodiscard]] constexpr std::string_view name(E value) const {
        for (const auto& e : entries)
            if (e.value == value)
                return e.name;
        return "?";
    }

    /// The value whose name or alias is `text`; nullopt for anything else.
    [[nodiscard]] constexpr std::optional<E> parse(std::string_view text) const {
        for (const auto& e : entries)
            if (names_detail::same(text, e.name, match))
                return e.value;
        return std::nullopt;
    }

    /// The printed names, one per value, in table order: the accepted values of a message.
    [[nodiscard]] std::vector<std::string> canonical() const {
        std::vector<std::string> out;
        for (std::size_t i = 0; i < N; ++i) {
            bool first = true;
            for (std::size_t j = 0; j < i; ++j)
                first = first && !(entries[j].value == entries[i].value);
            if (first)
                out.emplace_back(entries[i].name);
        }
        return out;
    }

    /// Every value, once, in table order.
    [[nodiscard]] std::vector<E> values() const {
        std::vector<E> out;
        for (std::size_t i = 0; i < N; ++i) {
            bool first = true;
            for (std::size_t j = 0; j < i; ++j)
                first = first && !(entries[j].value == entries[i].value);
            if (first)
                out.push_back(entries[i].value);
        }
        return out;
    }
};

/// `"a", "b" or "c"`: a list of accepted values as messages show it.
std::string alternatives(const std::vector<std::string>& names);

} // namespace whitezone
