// Numbers as the report's language writes them. Vietnamese groups thousands with a dot and
// marks decimals with a comma (1.026; 96,5 %), as Vietnamese official documents do (and as
// ICU's "vi" locale does); English the other way round (1,026; 96.5 %). A small formatter
// rather than ICU's: the same output on every machine, whatever ICU data is installed.

#include "whitezone/publish.hpp"

#include <cmath>
#include <cstdlib>

namespace whitezone {

namespace {

struct Marks {
    char group;
    char decimal;
};

Marks marks_of(ReportLanguage language) {
    return language == ReportLanguage::Vi ? Marks{'.', ','} : Marks{',', '.'};
}

std::string grouped(unsigned long long n, char group) {
    std::string digits = std::to_string(n);
    std::string out;
    const std::size_t len = digits.size();
    for (std::size_t i = 0; i < len; ++i) {
        if (i > 0 && (len - i) % 3 == 0)
            out += group;
        out += digits[i];
    }
    return out;
}

} // namespace

std::string format_count(long long n, ReportLanguage language) {
    const std::string body = grouped(n < 0 ? 0ULL - static_cast<unsigned long long>(n)
                                           : static_cast<unsigned long long>(n),
                                     marks_of(language).group);
    return n < 0 ? "-" + body : body;
}

std::string format_decimal(double value, int decimals, ReportLanguage language) {
    if (!std::isfinite(value))
        return "–";
    decimals = std::max(0, std::min(decimals, 6));
    const double scale = std::pow(10.0, decimals);
    const long long scaled = std::llround(std::abs(value) * scale);
    const auto whole = static_cast<unsigned long long>(scaled) /
                       static_cast<unsigned long long>(std::llround(scale));
    const auto frac = static_cast<unsigned long long>(scaled) %
                      static_cast<unsigned long long>(std::llround(scale));
    const Marks m = marks_of(language);
    std::string out = (value < 0 && scaled != 0 ? "-" : "") + grouped(whole, m.group);
    if (decimals > 0) {
        std::string f = std::to_string(frac);
        f.insert(0, static_cast<std::size_t>(decimals) - f.size(), '0');
        out += m.decimal + f;
    }
    return out;
}

std::string format_percent(double share, ReportLanguage language) {
    return format_decimal(share * 100.0, 1, language) + " %";
}

} // namespace whitezone
