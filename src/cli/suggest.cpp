#include "cli/suggest.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <cctype>

namespace whitezone::cli {

std::optional<std::string> closest_name(std::string_view typed,
                                        const std::vector<std::string>& known) {
    std::string lower(typed);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const std::size_t limit = std::max<std::size_t>(2, lower.size() / 3);
    std::optional<std::string> best;
    std::size_t best_distance = limit + 1;
    for (const std::string& name : known) {
        const std::size_t d = text::edit_distance(lower, name);
        if (d < best_distance) {
            best = name;
            best_distance = d;
        }
    }
    return best;
}

} // namespace whitezone::cli
