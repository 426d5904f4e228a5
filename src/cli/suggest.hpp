#pragma once
// "Did you mean …?" for a mistyped command.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone::cli {

/// The known name closest to `typed` (case-insensitive), when it is within two edits or a
/// third of its length, whichever is more; ties go to the earlier name.
std::optional<std::string> closest_name(std::string_view typed,
                                        const std::vector<std::string>& known);

} // namespace whitezone::cli
