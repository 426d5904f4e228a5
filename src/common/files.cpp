#include "common/files.hpp"

#include "whitezone/error.hpp"

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <sys/stat.h>

namespace whitezone::files {

std::string special_kind(const std::string& path) {
    if (path.rfind("PG:", 0) == 0 || path.rfind("/vsi", 0) == 0)
        return {};
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
        return {};
    if (S_ISFIFO(st.st_mode))
        return "a FIFO (named pipe)";
    if (S_ISCHR(st.st_mode))
        return "a character device";
    if (S_ISBLK(st.st_mode))
        return "a block device";
    if (S_ISSOCK(st.st_mode))
        return "a socket";
    return "not a regular file";
}

void refuse_special(const std::string& path, std::string_view what, std::string_view flag) {
    const std::string kind = special_kind(path);
    if (!kind.empty())
        throw InputError(std::string(what) + " '" + path + "' is " + kind +
                         ", not a data file; whitezone reads only regular files (copy the data "
                         "to a file and give that to " +
                         std::string(flag) + ").");
}

std::string full_disk_hint(const std::string& path) {
    // The failed write's errno first, before the calls below change it. It is this thread's
    // own: another thread's files may have been removed since (the output's files are
    // written at once, and each failed one is removed), so the space left now can be plenty.
    const int error = errno;
    const bool no_space = error == ENOSPC || error == EDQUOT;
    // Only for a file on a local disk (not a connection string or a /vsimem/ file): the file
    // being written is still there when its write failed.
    std::error_code ec;
    if (path.empty() || !std::filesystem::is_regular_file(path, ec))
        return {};
    // Without the errno (a driver may have made other calls since), a write fails for want of
    // space when less than a block is left; a megabyte is taken as full (a write of several
    // blocks may have failed with less than that left).
    constexpr std::uintmax_t kFull = std::uintmax_t{1} << 20;
    const std::filesystem::path folder = std::filesystem::path(path).parent_path();
    const std::filesystem::space_info space =
        std::filesystem::space(folder.empty() ? std::filesystem::path(".") : folder, ec);
    if (!no_space && (ec || space.available >= kFull))
        return {};
    return "; the disk holding '" + folder.string() + "' is full" +
           (ec ? std::string() : " (" + std::to_string(space.available / 1024) + " KiB free now)") +
           ": free some space or write the output elsewhere";
}

} // namespace whitezone::files
