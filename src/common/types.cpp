// Enum ↔ text of the shared types, from their name tables in types.hpp.

#include "whitezone/types.hpp"

#include <cassert>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace whitezone {

std::string_view to_string(Tech tech) { return kTechNames.name(tech); }

std::optional<Tech> parse_tech(std::string_view text) { return kTechNames.parse(text); }

std::string_view to_string(ServiceClass cls) { return kServiceClassNames.name(cls); }

std::optional<ServiceClass> parse_service_class(std::string_view text) {
    return kServiceClassNames.parse(text);
}

std::string_view to_string(Status status) { return kStatusNames.name(status); }

std::string alternatives(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0)
            out += i + 1 == names.size() ? " or " : ", ";
        out += "\"" + names[i] + "\"";
    }
    return out;
}

namespace {

// Value's alternatives, as ValueRow stores them.
enum class Kind : unsigned char { Null, Integer, Real, Text };

std::uint32_t load_u32(const unsigned char* p) {
    std::uint32_t v = 0;
    std::memcpy(&v, p, sizeof v);
    return v;
}

void store_u32(unsigned char* p, std::size_t v) {
    if (v > std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("attribute values of one feature exceed 4 GiB");
    const auto u = static_cast<std::uint32_t>(v);
    std::memcpy(p, &u, sizeof u);
}

std::size_t payload_size(const Value& v) {
    if (const auto* s = std::get_if<std::string>(&v))
        return 4 + s->size();
    return std::holds_alternative<std::monostate>(v) ? 0 : 8;
}

} // namespace

ValueRow::ValueRow(const std::vector<Value>& values) {
    if (values.empty())
        return;
    std::size_t size = 8 + 4 * values.size();
    for (const Value& v : values)
        size += 1 + payload_size(v);
    bytes_ = std::make_unique_for_overwrite<unsigned char[]>(size);
    unsigned char* out = bytes_.get();
    store_u32(out, values.size());
    store_u32(out + 4, size);
    std::size_t at = 8 + 4 * values.size();
    for (std::size_t k = 0; k < values.size(); ++k) {
        store_u32(out + 8 + 4 * k, at);
        const Value& v = values[k];
        const auto kind = static_cast<Kind>(v.index());
        out[at++] = static_cast<unsigned char>(kind);
        if (const auto* i = std::get_if<std::int64_t>(&v))
            std::memcpy(out + at, i, 8);
        else if (const auto* d = std::get_if<double>(&v))
            std::memcpy(out + at, d, 8);
        else if (const auto* s = std::get_if<std::string>(&v)) {
            store_u32(out + at, s->size());
            std::memcpy(out + at + 4, s->data(), s->size());
        }
        at += payload_size(v);
    }
    assert(at == size);
}

ValueRow::ValueRow(const ValueRow& other) {
    if (!other.bytes_)
        return;
    const std::size_t size = load_u32(other.bytes_.get() + 4);
    bytes_ = std::make_unique_for_overwrite<unsigned char[]>(size);
    std::memcpy(bytes_.get(), other.bytes_.get(), size);
}

ValueRow& ValueRow::operator=(const ValueRow& other) {
    if (this != &other)
        *this = ValueRow(other);
    return *this;
}

std::size_t ValueRow::size() const { return bytes_ ? load_u32(bytes_.get()) : 0; }

Value ValueRow::operator[](std::size_t k) const {
    assert(k < size());
    const unsigned char* p = bytes_.get() + load_u32(bytes_.get() + 8 + 4 * k);
    switch (static_cast<Kind>(*p)) {
    case Kind::Null:
        return {};
    case Kind::Integer: {
        std::int64_t i = 0;
        std::memcpy(&i, p + 1, 8);
        return i;
    }
    case Kind::Real: {
        double d = 0;
        std::memcpy(&d, p + 1, 8);
        return d;
    }
    case Kind::Text:
        return std::string(reinterpret_cast<const char*>(p + 5), load_u32(p + 1));
    }
    return {};
}

std::vector<Value> ValueRow::values() const {
    std::vector<Value> out;
    out.reserve(size());
    for (std::size_t k = 0; k < size(); ++k)
        out.push_back((*this)[k]);
    return out;
}

void ValueRow::push_back(const Value& value) {
    std::vector<Value> all = values();
    all.push_back(value);
    *this = ValueRow(all);
}

} // namespace whitezone
