#include "common/atomic.hpp"

#include "whitezone/error.hpp"

#include <unistd.h>

namespace fs = std::filesystem;

namespace whitezone::atomic {

namespace {
void remove_quietly(const fs::path& p) {
    std::error_code ec;
    fs::remove_all(p, ec);
}
} // namespace

void write(const fs::path& target, bool folder,
           const std::function<void(const fs::path& temp)>& write) {
    fs::path parent = target.parent_path();
    if (parent.empty())
        parent = ".";
    const std::string tag = ".tmp" + std::to_string(::getpid());
    // Hidden, in the same folder (so the rename stays on one file system), and with the
    // target's extension, which GDAL drivers use to pick the format.
    const fs::path temp =
        parent / ("." + target.stem().string() + tag + (folder ? "" : target.extension().string()));
    remove_quietly(temp);
    try {
        try {
            write(temp);
        } catch (const fs::filesystem_error& e) {
            throw ExternalError("write: cannot write the output beside '" + target.string() +
                                "': " + e.what());
        }
        try {
            std::error_code ec;
            if (fs::exists(target, ec)) {
                const fs::path old = parent / ("." + target.filename().string() + ".old" + tag);
                remove_quietly(old);
                fs::rename(target, old);
                try {
                    fs::rename(temp, target);
                } catch (...) {
                    fs::rename(old, target);
                    throw;
                }
                remove_quietly(old);
            } else {
                fs::rename(temp, target);
            }
        } catch (const fs::filesystem_error& e) {
            throw ExternalError("write: cannot move the output into place at '" + target.string() +
                                "': " + e.what());
        }
    } catch (...) {
        remove_quietly(temp);
        throw;
    }
}

} // namespace whitezone::atomic
