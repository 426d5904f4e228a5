#pragma once
// "Did you mean …?" for a mistyped command.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone::cli {

/// Levenshtein distance between two ASCII strings (insertions, deletions, substitutions).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The known name closest to `typed` (case-insensitive), when it is within two edits or a
/// third of its length, whichever is more; ties go to the earlier name.
std::optional<std::string> closest_name(std::string_view typed,
                                        const std::vector<std::string>& known);

} // namespace whitezone::cli
