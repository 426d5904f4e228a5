// Numbers as the report's language writes them. Vietnamese groups thousands with a dot and
// marks decimals with a comma (1.026; 96,5 %), as Vietnamese official documents do (and as
// ICU's "vi" locale does); English the other way round (1,026; 96.5 %). A small formatter
// rather than ICU's: the same output on every machine, whatever ICU data is installed.

#include "whitezone/publish.hpp"

#include "common/text.hpp"

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

} // namespace

std::string format_count(long long n, ReportLanguage language) {
    return text::thousands(n, marks_of(language).group);
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
    std::string out = (value < 0 && scaled != 0 ? "-" : "") +
                      text::thousands(static_cast<long long>(whole), m.group);
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
