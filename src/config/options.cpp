// Declared config keys (options.hpp): building the declarations, and showing them as the
// Markdown tables of docs/config.md.

#include "whitezone/options.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <cmath>

namespace whitezone {

OptionDecl& OptionSet::add(std::string key, OptionDecl::Type type, std::string doc) {
    OptionDecl& d = m_options.emplace_back();
    d.key = std::move(key);
    d.type = type;
    d.doc = std::move(doc);
    return d;
}

OptionDecl& OptionSet::number(std::string key, double& target, Range range, std::string doc) {
    OptionDecl& d = add(std::move(key), OptionDecl::Type::Number, std::move(doc));
    d.number = &target;
    d.range = range;
    return d;
}

OptionDecl& OptionSet::number(std::string key, std::optional<double>& target, Range range,
                              std::string doc) {
    OptionDecl& d = add(std::move(key), OptionDecl::Type::Number, std::move(doc));
    d.optional_number = &target;
    d.range = range;
    return d;
}

OptionDecl& OptionSet::whole_number(std::string key, int& target, Range range, std::string doc) {
    OptionDecl& d = add(std::move(key), OptionDecl::Type::WholeNumber, std::move(doc));
    d.whole_number = &target;
    d.range = range;
    return d;
}

OptionDecl& OptionSet::boolean(std::string key, bool& target, std::string doc) {
    OptionDecl& d = add(std::move(key), OptionDecl::Type::Boolean, std::move(doc));
    d.boolean = &target;
    return d;
}

OptionDecl& OptionSet::string(std::string key, std::string& target, std::string doc) {
    OptionDecl& d = add(std::move(key), OptionDecl::Type::String, std::move(doc));
    d.string = &target;
    return d;
}

OptionDecl& OptionSet::choice(std::string key, std::vector<std::string> names,
                              std::function<bool(std::string_view)> choose,
                              std::function<std::string()> chosen, std::string doc) {
    OptionDecl& d = add(std::move(key), OptionDecl::Type::Choice, std::move(doc));
    d.keys = std::move(names);
    d.choose = std::move(choose);
    d.chosen = std::move(chosen);
    return d;
}

OptionDecl& OptionSet::per_tech(std::string key, std::map<Tech, double>& target, Range range,
                                std::string doc) {
    OptionDecl& d = add(std::move(key), OptionDecl::Type::PerTech, std::move(doc));
    d.per_tech = &target;
    d.range = range;
    for (Tech t : kTechs)
        d.keys.emplace_back(to_string(t));
    return d;
}

OptionDecl& OptionSet::string_map(std::string key, std::map<std::string, std::string>& target,
                                  std::vector<std::string> keys, std::string doc) {
    OptionDecl& d = add(std::move(key), OptionDecl::Type::StringMap, std::move(doc));
    d.string_map = &target;
    d.keys = std::move(keys);
    return d;
}

OptionDecl& OptionSet::object(std::string key, std::function<void(OptionSet&)> declare,
                              std::string doc) {
    OptionDecl& d = add(std::move(key), OptionDecl::Type::Object, std::move(doc));
    d.declare_object = std::move(declare);
    return d;
}

std::string OptionSet::path_of(std::string_view key) const {
    return m_path.empty() ? std::string(key) : m_path + "." + std::string(key);
}

std::vector<std::string> OptionSet::keys() const {
    std::vector<std::string> out;
    out.reserve(m_options.size());
    for (const auto& d : m_options)
        out.push_back(d.key);
    return out;
}

const OptionDecl* OptionSet::find(std::string_view key) const {
    for (const auto& d : m_options)
        if (d.key == key)
            return &d;
    return nullptr;
}

std::string closest_key(std::string_view key, const std::vector<std::string>& valid) {
    const std::string a = text::lower(key);
    std::string best;
    std::size_t best_distance = std::max<std::size_t>(1, a.size() / 3) + 1;
    for (const auto& candidate : valid) {
        const std::string b = text::lower(candidate);
        const std::size_t distance = text::edit_distance(a, b);
        if (distance < best_distance) {
            best_distance = distance;
            best = candidate;
        }
    }
    return best;
}

namespace {

// A number as the docs show a value: whole numbers plain, others with up to four decimals.
std::string plain(double v) {
    if (std::floor(v) == v && std::abs(v) < 1e15)
        return text::fixed(v, 0);
    std::string s = text::fixed(v, 4);
    while (s.back() == '0')
        s.pop_back();
    return s;
}

// A number as the docs show a bound: thousands separators, 10⁹, a real minus sign.
std::string bound(double v) {
    if (v == 1e9)
        return "10⁹";
    std::string s = std::floor(v) == v && std::abs(v) < 1e15
                        ? text::thousands(static_cast<long long>(std::abs(v)))
                        : plain(std::abs(v));
    return v < 0 ? "−" + s : s;
}

std::string range_of(Range r) { return bound(r.lo) + (r.hi < 0 ? " to " : "–") + bound(r.hi); }

std::string quoted(const std::string& s) { return "`\"" + s + "\"`"; }

std::string type_of(const OptionDecl& d) {
    switch (d.type) {
    case OptionDecl::Type::Number:
        return "number";
    case OptionDecl::Type::WholeNumber:
        return "whole number";
    case OptionDecl::Type::Boolean:
        return "boolean";
    case OptionDecl::Type::String:
    case OptionDecl::Type::Choice:
        return "string";
    case OptionDecl::Type::PerTech:
    case OptionDecl::Type::StringMap:
    case OptionDecl::Type::Object:
        break;
    }
    return "object";
}

std::string default_of(const OptionDecl& d) {
    switch (d.type) {
    case OptionDecl::Type::Number:
        if (d.number)
            return "`" + plain(*d.number) + "`";
        return d.optional_number && *d.optional_number ? "`" + plain(**d.optional_number) + "`"
                                                       : "absent";
    case OptionDecl::Type::WholeNumber:
        return "`" + std::to_string(*d.whole_number) + "`";
    case OptionDecl::Type::Boolean:
        return *d.boolean ? "`true`" : "`false`";
    case OptionDecl::Type::String:
        return d.string->empty() ? "absent" : quoted(*d.string);
    case OptionDecl::Type::Choice:
        return quoted(d.chosen());
    case OptionDecl::Type::PerTech: {
        std::string out;
        for (const auto& [tech, value] : *d.per_tech)
            out += (out.empty() ? "`{" : ", ") + std::string("\"") + std::string(to_string(tech)) +
                   "\": " + plain(value);
        return out.empty() ? "`{}`" : out + "}`";
    }
    case OptionDecl::Type::StringMap:
    case OptionDecl::Type::Object:
        break;
    }
    return "";
}

std::string range_text_of(const OptionDecl& d) {
    switch (d.type) {
    case OptionDecl::Type::Number:
    case OptionDecl::Type::WholeNumber:
        return range_of(d.range);
    case OptionDecl::Type::PerTech:
        return "each " + range_of(d.range);
    case OptionDecl::Type::Choice: {
        std::string out;
        for (const auto& name : d.keys)
            out += (out.empty() ? "" : ", ") + quoted(name);
        return out;
    }
    case OptionDecl::Type::Boolean:
    case OptionDecl::Type::String:
    case OptionDecl::Type::StringMap:
    case OptionDecl::Type::Object:
        break;
    }
    return "";
}

} // namespace

std::string option_table(const OptionSet& set) {
    struct Row {
        std::string key, type, def, range, doc;
    };
    std::vector<Row> rows;
    bool ranges = false;
    for (const auto& d : set.options()) {
        Row r{"`" + d.key + "`", d.type_text.empty() ? type_of(d) : d.type_text,
              d.default_text.empty() ? default_of(d) : d.default_text,
              d.range_text.empty() ? range_text_of(d) : d.range_text, d.doc};
        ranges = ranges || !r.range.empty();
        rows.push_back(std::move(r));
    }
    std::string out = ranges ? "| key | type | default | range | meaning |\n"
                               "| --- | --- | --- | --- | --- |\n"
                             : "| key | type | default | meaning |\n"
                               "| --- | --- | --- | --- |\n";
    auto cell = [](const std::string& s) { return s.empty() ? std::string("| ") : "| " + s + " "; };
    for (const auto& r : rows)
        out += cell(r.key) + cell(r.type) + cell(r.def) + (ranges ? cell(r.range) : "") +
               cell(r.doc) + "|\n";
    return out;
}

} // namespace whitezone
