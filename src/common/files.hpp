#pragma once
// Input paths that are not data files: a FIFO would block the open for ever, a device such as
// /dev/zero never ends. Checked before any reader opens a path. And, for an output, what a
// failed write says about the disk.

#include <string>
#include <string_view>

namespace whitezone::files {

/// What a local path is when it is neither a regular file nor a folder: "a FIFO (named
/// pipe)", "a character device", "a block device", "a socket" or "not a regular file"; ""
/// for a regular file, a folder, a path that cannot be examined (its reader says why) and a
/// name GDAL opens itself ("PG:…", "/vsi…").
std::string special_kind(const std::string& path);

/// Throws InputError "<what> '<path>' is a FIFO (named pipe), not a data file; whitezone
/// reads only regular files (copy the data to a file and give that to <flag>)." when
/// special_kind(path) is not empty.
void refuse_special(const std::string& path, std::string_view what, std::string_view flag);

/// After a failed write of the local file at `path`, called right after it on the same thread:
/// "; the disk holding '<folder>' is full …" when errno says the disk ran out of space (ENOSPC,
/// EDQUOT) or the folder has (nearly) no space left, else empty (also for a path that names no
/// file, such as a connection string). Some drivers' errors do not say so (libtiff's names
/// a scanline).
std::string full_disk_hint(const std::string& path);

} // namespace whitezone::files
