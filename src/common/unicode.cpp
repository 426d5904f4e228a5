#include "common/unicode.hpp"

#include "whitezone/error.hpp"

#include <algorithm>
#include <memory>
#include <unicode/coll.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

namespace whitezone::unicode {

namespace {

const icu::Normalizer2* nfc() {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status) || n == nullptr)
        throw ExternalError(std::string("ICU: cannot load the NFC normalizer (") +
                            u_errorName(status) + "); reinstall libicu72.");
    return n;
}

bool valid_utf8(std::string_view s) {
    icu::UnicodeString u =
        icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
    std::string back;
    u.toUTF8String(back);
    return back == s;
}

} // namespace

std::string to_nfc(std::string_view text) {
    // Pure ASCII is already NFC: skip ICU for the common case of codes and English names.
    if (std::all_of(text.begin(), text.end(), [](char c) { return (c & 0x80) == 0; }))
        return std::string(text);
    if (!valid_utf8(text))
        return std::string(text);
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    const icu::Normalizer2* n = nfc();
    if (n->isNormalized(u, status) && U_SUCCESS(status))
        return std::string(text);
    status = U_ZERO_ERROR;
    const icu::UnicodeString normal = n->normalize(u, status);
    if (U_FAILURE(status))
        throw ExternalError(std::string("ICU: NFC normalization failed (") + u_errorName(status) +
                            ")");
    std::string out;
    normal.toUTF8String(out);
    return out;
}

std::string fold_case(std::string_view text) {
    if (std::all_of(text.begin(), text.end(), [](char c) { return (c & 0x80) == 0; }) ||
        !valid_utf8(text)) {
        std::string out(text);
        for (char& c : out)
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
        return out;
    }
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    u.foldCase(U_FOLD_CASE_DEFAULT);
    std::string out;
    u.toUTF8String(out);
    return out;
}

bool is_nfc(std::string_view text) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    const bool normal = nfc()->isNormalized(u, status);
    return U_SUCCESS(status) && normal;
}

struct Collator::Impl {
    std::unique_ptr<icu::Collator> collator;
};

namespace {

// ICU's collators are thread-safe for const use (compare, getSortKey) once built; building one
// loads the locale's rules, so one is built per Collator.
std::unique_ptr<icu::Collator> make_vietnamese() {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Collator> c(icu::Collator::createInstance(icu::Locale("vi"), status));
    if (U_FAILURE(status) || !c)
        throw ExternalError(std::string("ICU: cannot create the Vietnamese collator (") +
                            u_errorName(status) + "); install libicu72 with its data.");
    // Digits as numbers: "Xã 2" before "Xã 10", "Thôn 9" before "Thôn 10".
    c->setAttribute(UCOL_NUMERIC_COLLATION, UCOL_ON, status);
    if (U_FAILURE(status))
        throw ExternalError(std::string("ICU: cannot set numeric collation (") +
                            u_errorName(status) + ")");
    return c;
}

} // namespace

Collator::Collator() : m_impl(new Impl{make_vietnamese()}) {}
Collator::~Collator() { delete m_impl; }
Collator::Collator(Collator&& other) noexcept : m_impl(other.m_impl) { other.m_impl = nullptr; }
Collator& Collator::operator=(Collator&& other) noexcept {
    std::swap(m_impl, other.m_impl);
    return *this;
}

int Collator::compare(std::string_view a, std::string_view b) const {
    UErrorCode status = U_ZERO_ERROR;
    const UCollationResult r = m_impl->collator->compareUTF8(
        icu::StringPiece(a.data(), static_cast<int32_t>(a.size())),
        icu::StringPiece(b.data(), static_cast<int32_t>(b.size())), status);
    if (U_FAILURE(status))
        return a < b ? -1 : (b < a ? 1 : 0); // invalid UTF-8: byte order, still a total order
    if (r == UCOL_EQUAL) // equal to the collator (e.g. differ only in ignorables): bytes decide
        return a < b ? -1 : (b < a ? 1 : 0);
    return r == UCOL_LESS ? -1 : 1;
}

std::string Collator::sort_key(std::string_view text) const {
    const icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    std::string key(64, '\0');
    int32_t n = m_impl->collator->getSortKey(u, reinterpret_cast<uint8_t*>(key.data()),
                                             static_cast<int32_t>(key.size()));
    if (n > static_cast<int32_t>(key.size())) {
        key.resize(static_cast<std::size_t>(n));
        n = m_impl->collator->getSortKey(u, reinterpret_cast<uint8_t*>(key.data()), n);
    }
    key.resize(static_cast<std::size_t>(std::max(n - 1, 0))); // drop ICU's terminating 0
    // Equal keys fall back to the bytes, so that the order is total and deterministic.
    key.push_back('\0');
    key.append(text);
    return key;
}

void sort_vietnamese(std::vector<std::string>& items) {
    const Collator c;
    std::stable_sort(items.begin(), items.end(),
                     [&](const std::string& a, const std::string& b) { return c.less(a, b); });
}

} // namespace whitezone::unicode
