// Enum ↔ text of the shared types, from their name tables in types.hpp.

#include "whitezone/types.hpp"

#include <cassert>
#include <cstring>
#include <limits>
#include <mutex>
#include <set>
#include <stdexcept>

namespace whitezone {

std::string_view interned(std::string_view text) {
    if (text.empty())
        return {};
    static std::mutex mutex;
    static std::set<std::string, std::less<>> texts; // nodes never move: the views stay valid
    const std::lock_guard lock(mutex);
    auto it = texts.find(text);
    if (it == texts.end())
        it = texts.emplace(text).first;
    return *it;
}

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

// A row is [w][count][byte size][offset of each value] with each of these w bytes wide (w is
// 1, 2 or 4: the fewest that hold the row's byte size), then per value its kind byte and its
// payload: an integer as a zigzag varint (a height or a year takes 1-2 bytes, not 8), a real
// as its 8 bytes, a text as its length (a varint) and its bytes.
std::size_t load(const unsigned char* p, unsigned w) {
    std::size_t v = 0;
    for (unsigned i = 0; i < w; ++i)
        v |= static_cast<std::size_t>(p[i]) << (8 * i);
    return v;
}

void store(unsigned char* p, unsigned w, std::size_t v) {
    for (unsigned i = 0; i < w; ++i)
        p[i] = static_cast<unsigned char>(v >> (8 * i));
}

std::size_t varint_size(std::uint64_t v) {
    std::size_t n = 1;
    for (; v >= 0x80; v >>= 7)
        ++n;
    return n;
}

unsigned char* store_varint(unsigned char* p, std::uint64_t v) {
    for (; v >= 0x80; v >>= 7)
        *p++ = static_cast<unsigned char>(v | 0x80);
    *p++ = static_cast<unsigned char>(v);
    return p;
}

std::uint64_t load_varint(const unsigned char*& p) {
    std::uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        const unsigned char b = *p++;
        v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
        if ((b & 0x80) == 0)
            return v;
    }
}

std::uint64_t zigzag(std::int64_t i) {
    return (static_cast<std::uint64_t>(i) << 1) ^ static_cast<std::uint64_t>(i >> 63);
}

std::int64_t unzigzag(std::uint64_t u) {
    return static_cast<std::int64_t>(u >> 1) ^ -static_cast<std::int64_t>(u & 1);
}

std::size_t payload_size(const Value& v) {
    if (const auto* s = std::get_if<std::string>(&v))
        return varint_size(s->size()) + s->size();
    if (const auto* i = std::get_if<std::int64_t>(&v))
        return varint_size(zigzag(*i));
    return std::holds_alternative<std::monostate>(v) ? 0 : 8;
}

} // namespace

ValueRow::ValueRow(const std::vector<Value>& values) {
    if (values.empty())
        return;
    std::size_t body = 0;
    for (const Value& v : values)
        body += 1 + payload_size(v);
    unsigned w = 1;
    std::size_t size = 0;
    for (;; w *= 2) {
        size = 1 + w * (2 + values.size()) + body;
        if (w == 4 || size < (std::size_t{1} << (8 * w)))
            break;
    }
    if (size > std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("attribute values of one feature exceed 4 GiB");
    bytes_ = std::make_unique_for_overwrite<unsigned char[]>(size);
    unsigned char* out = bytes_.get();
    out[0] = static_cast<unsigned char>(w);
    store(out + 1, w, values.size());
    store(out + 1 + w, w, size);
    unsigned char* at = out + 1 + w * (2 + values.size());
    for (std::size_t k = 0; k < values.size(); ++k) {
        store(out + 1 + w * (2 + k), w, static_cast<std::size_t>(at - out));
        const Value& v = values[k];
        *at++ = static_cast<unsigned char>(static_cast<Kind>(v.index()));
        if (const auto* i = std::get_if<std::int64_t>(&v))
            at = store_varint(at, zigzag(*i));
        else if (const auto* d = std::get_if<double>(&v)) {
            std::memcpy(at, d, 8);
            at += 8;
        } else if (const auto* s = std::get_if<std::string>(&v)) {
            at = store_varint(at, s->size());
            std::memcpy(at, s->data(), s->size());
            at += s->size();
        }
    }
    assert(static_cast<std::size_t>(at - out) == size);
}

ValueRow::ValueRow(const ValueRow& other) {
    if (!other.bytes_)
        return;
    const unsigned w = other.bytes_[0];
    const std::size_t size = load(other.bytes_.get() + 1 + w, w);
    bytes_ = std::make_unique_for_overwrite<unsigned char[]>(size);
    std::memcpy(bytes_.get(), other.bytes_.get(), size);
}

ValueRow& ValueRow::operator=(const ValueRow& other) {
    if (this != &other)
        *this = ValueRow(other);
    return *this;
}

std::size_t ValueRow::size() const { return bytes_ ? load(bytes_.get() + 1, bytes_[0]) : 0; }

Value ValueRow::operator[](std::size_t k) const {
    assert(k < size());
    const unsigned w = bytes_[0];
    const unsigned char* p = bytes_.get() + load(bytes_.get() + 1 + w * (2 + k), w);
    switch (static_cast<Kind>(*p++)) {
    case Kind::Null:
        return {};
    case Kind::Integer:
        return unzigzag(load_varint(p));
    case Kind::Real: {
        double d = 0;
        std::memcpy(&d, p, 8);
        return d;
    }
    case Kind::Text: {
        const std::size_t n = load_varint(p);
        return std::string(reinterpret_cast<const char*>(p), n);
    }
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
