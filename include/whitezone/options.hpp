#pragma once
/// \file options.hpp
/// Config keys declared by the stages that own them, PDAL-style: each stage's
/// `declare_options(OptionSet&, XOptions&)` names every key once, with its type, range,
/// default (the value the struct starts with) and one line of doc, bound to the field it sets:
///
///     void declare_options(OptionSet& o, RankOptions& rank) {
///         o.number("cluster_weight", rank.cluster_weight, {0, 1e9},
///                  "Weight of the neighbours' people without signal in the score.");
///     }
///
/// The JSON config reader (config.hpp), its error messages and the key tables of
/// docs/config.md (config_doc_tables()) are all made from these declarations.

#include "whitezone/names.hpp"
#include "whitezone/types.hpp"

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone {

/// The closed interval a number must lie in.
struct Range {
    double lo = 0.0;
    double hi = 0.0;
};

class OptionSet;

/// One declared config key. Made by OptionSet's methods; the setters after them (`.shown_default`
/// and so on) only change what docs/config.md shows.
struct OptionDecl {
    /// The JSON type of the value.
    enum class Type : std::uint8_t {
        Number,      ///< a JSON number in `range`
        WholeNumber, ///< a JSON number without a fractional part, in `range`
        Boolean,     ///< true or false
        String,      ///< any string
        Choice,      ///< one of the names in `keys` (or an alias of one)
        PerTech,     ///< an object {"2G": number, …} with the keys in `keys`
        StringMap,   ///< an object {"key": "string", …} with the keys in `keys`
        Object,      ///< an object whose keys `declare_object` declares
    };

    std::string key;
    Type type = Type::Number;
    std::string doc;
    Range range;
    /// PerTech and StringMap: the allowed keys; Choice: the printed names of the values.
    std::vector<std::string> keys;

    // Where the value goes (one of them, by type).
    double* number = nullptr;
    std::optional<double>* optional_number = nullptr;
    int* whole_number = nullptr;
    bool* boolean = nullptr;
    std::string* string = nullptr;
    std::map<Tech, double>* per_tech = nullptr;
    std::map<std::string, std::string>* string_map = nullptr;
    /// Choice: sets the value named by the text; false when the text names none.
    std::function<bool(std::string_view)> choose;
    /// Choice: the printed name of the current value.
    std::function<std::string()> chosen;
    /// Object: declares the keys inside. Called when the key is present in a document (after
    /// `on_present`), and on a default Config for the docs.
    std::function<void(OptionSet&)> declare_object;
    /// Called when the key is present, before its value is applied (e.g. to create an
    /// optional layer).
    std::function<void()> on_present;
    /// Called after the value was applied (e.g. to copy CSV columns out of a field map).
    std::function<void()> after;

    // What docs/config.md shows; computed from the above when empty.
    std::string type_text;
    std::string default_text;
    std::string range_text;
    /// Object: the section of docs/config.md that has its own table ("" for none).
    std::string section;

    /// Shows `text` as the default (for defaults that depend on the command or another key).
    OptionDecl& shown_default(std::string text) {
        default_text = std::move(text);
        return *this;
    }
    /// Shows `text` as the range (for strings with a format, or a range worth explaining).
    OptionDecl& shown_range(std::string text) {
        range_text = std::move(text);
        return *this;
    }
    /// Shows `text` as the type.
    OptionDecl& shown_type(std::string text) {
        type_text = std::move(text);
        return *this;
    }
    /// Object: the docs/config.md section that lists its keys.
    OptionDecl& documented_in(std::string name) {
        section = std::move(name);
        return *this;
    }
};

/// The keys of one JSON object (the top level, "hata", "rank", …), in declaration order: the
/// order they are applied in, listed in messages and in docs/config.md.
class OptionSet {
  public:
    /// `path` is the object's own key ("" for the top level, "hata", "stations.fields"…).
    explicit OptionSet(std::string path = "") : m_path(std::move(path)) {}

    /// A number in `range`.
    OptionDecl& number(std::string key, double& target, Range range, std::string doc);
    /// A number in `range` whose absence (std::nullopt) means a default computed elsewhere.
    OptionDecl& number(std::string key, std::optional<double>& target, Range range,
                       std::string doc);
    /// A whole number (count) in `range`.
    OptionDecl& whole_number(std::string key, int& target, Range range, std::string doc);
    OptionDecl& boolean(std::string key, bool& target, std::string doc);
    OptionDecl& string(std::string key, std::string& target, std::string doc);
    /// One value of an enum, by the names of `names` (a table with static storage).
    template <class E, std::size_t N>
    OptionDecl& choice(std::string key, E& target, const EnumNames<E, N>& names, std::string doc) {
        OptionDecl& d = add(std::move(key), OptionDecl::Type::Choice, std::move(doc));
        d.keys = names.canonical();
        d.choose = [&target, &names](std::string_view text) {
            auto parsed = names.parse(text);
            if (parsed)
                target = *parsed;
            return parsed.has_value();
        };
        d.chosen = [&target, &names] { return std::string(names.name(target)); };
        // The docs list each value with its aliases: `"centre"` (or `"center"`), ….
        for (E value : names.values()) {
            std::string shown, aliases;
            for (const auto& e : names.entries) {
                if (!(e.value == value))
                    continue;
                std::string& to = shown.empty() ? shown : aliases;
                to += (to.empty() ? "`\"" : ", `\"") + std::string(e.name) + "\"`";
            }
            d.range_text += (d.range_text.empty() ? "" : ", ") + shown +
                            (aliases.empty() ? "" : " (or " + aliases + ")");
        }
        return d;
    }
    /// A choice among names that are not an enum's (e.g. a registry's): `choose` sets the
    /// value and returns false for an unknown name, `chosen` prints the current one.
    OptionDecl& choice(std::string key, std::vector<std::string> names,
                       std::function<bool(std::string_view)> choose,
                       std::function<std::string()> chosen, std::string doc);
    /// A number per technology, each in `range`; absent technologies keep theirs.
    OptionDecl& per_tech(std::string key, std::map<Tech, double>& target, Range range,
                         std::string doc);
    /// Strings under the keys `keys` (e.g. field roles → field names).
    OptionDecl& string_map(std::string key, std::map<std::string, std::string>& target,
                           std::vector<std::string> keys, std::string doc);
    /// A nested object whose keys `declare` declares.
    OptionDecl& object(std::string key, std::function<void(OptionSet&)> declare, std::string doc);

    [[nodiscard]] const std::string& path() const { return m_path; }
    /// The path of a key inside this object, as messages spell it ("rank.class").
    [[nodiscard]] std::string path_of(std::string_view key) const;
    [[nodiscard]] const std::deque<OptionDecl>& options() const { return m_options; }
    [[nodiscard]] std::vector<std::string> keys() const;
    [[nodiscard]] const OptionDecl* find(std::string_view key) const;

  private:
    OptionDecl& add(std::string key, OptionDecl::Type type, std::string doc);

    std::string m_path;
    std::deque<OptionDecl> m_options; // a deque: references stay valid as keys are added
};

/// The Markdown table of the keys of `set`, as docs/config.md shows it: key, type, default,
/// range (when any key has one) and meaning.
std::string option_table(const OptionSet& set);

/// The key among `valid` closest to `key` (edit distance at most a third of its length, at
/// least 1), for "did you mean"; "" when none is close.
std::string closest_key(std::string_view key, const std::vector<std::string>& valid);

} // namespace whitezone
