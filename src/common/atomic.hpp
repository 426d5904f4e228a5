#pragma once
// Atomic outputs: write under a temporary name beside the target, then rename into place;
// on any error remove the temporary and keep what was there before.

#include <filesystem>
#include <functional>

namespace whitezone::atomic {

/// Calls `write(temp)` with a temporary path in the target's folder (a file path ending
/// in the target's extension, or a folder path when `folder` is true; it does not exist
/// yet), then renames it to `target`, replacing an existing target only after the new one is
/// complete. The caller checks `overwrite` policy first. Throws what `write` throws, or
/// ExternalError when the rename fails; the temporary is removed either way.
void write(const std::filesystem::path& target, bool folder,
           const std::function<void(const std::filesystem::path& temp)>& write);

} // namespace whitezone::atomic
