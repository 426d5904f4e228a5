#include "common/files.hpp"

#include "whitezone/error.hpp"

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

} // namespace whitezone::files
