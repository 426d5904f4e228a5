#pragma once
// Unicode text as people write Vietnamese: one normal form for every name and id, and the
// order a Vietnamese reader expects. Backed by ICU (Debian's libicu).

#include <string>
#include <string_view>
#include <vector>

namespace whitezone::unicode {

/// `text` (UTF-8) in Normalization Form C: "Lạng Sơn" typed with combining marks (NFD, as
/// macOS file names and some GIS exports write it) becomes the precomposed form, so that two
/// spellings of one name compare equal. Text that is not valid UTF-8 is returned unchanged
/// (the readers reject it before it gets here).
std::string to_nfc(std::string_view text);

/// Whether `text` is already in NFC (a quick check; most input is).
bool is_nfc(std::string_view text);

/// `text` (UTF-8) case-folded (Unicode case folding, by ICU): the key under which two
/// names are the same ignoring case, Vietnamese letters included ("XÃ_PHƯỜNG" and
/// "Xã_phường" alike). Text that is not valid UTF-8 is folded in ASCII only.
std::string fold_case(std::string_view text);

/// Orders UTF-8 strings as Vietnamese is sorted (ICU's "vi" collation): letters with marks
/// after the bare letter ("Bắc Sơn" before "Bình Gia"), "Đ" after "D" ("Dương …" before
/// "Đình Lập"), case ignored before marks, and digits as numbers ("Xã 2" before "Xã 10").
/// Thread-safe: each call works on its own clone of one shared collator.
class Collator {
  public:
    Collator();
    ~Collator();
    Collator(const Collator&) = delete;
    Collator& operator=(const Collator&) = delete;
    Collator(Collator&&) noexcept;
    Collator& operator=(Collator&&) noexcept;

    /// Negative, zero or positive as `a` sorts before, with or after `b`.
    [[nodiscard]] int compare(std::string_view a, std::string_view b) const;
    /// `a` sorts strictly before `b`.
    [[nodiscard]] bool less(std::string_view a, std::string_view b) const {
        return compare(a, b) < 0;
    }
    /// A byte string whose plain byte order is the collation order (for sorting many keys).
    [[nodiscard]] std::string sort_key(std::string_view text) const;

  private:
    struct Impl;
    Impl* m_impl = nullptr;
};

/// Sorts `items` in Vietnamese order (stable: equal names keep their order).
void sort_vietnamese(std::vector<std::string>& items);

} // namespace whitezone::unicode
