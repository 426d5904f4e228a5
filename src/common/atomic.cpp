#include "common/atomic.hpp"

#include "whitezone/error.hpp"

#include "common/files.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace whitezone::atomic {

namespace {

void remove_quietly(const fs::path& p) {
    std::error_code ec;
    fs::remove_all(p, ec);
}

fs::path parent_of(const fs::path& target) {
    fs::path parent = target.parent_path();
    return parent.empty() ? fs::path(".") : parent;
}

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

// The temporaries of `target` written by process `pid`: ".<name>.wztmp-<pid>…"; an old
// output moved aside: ".<name>.wzold-<pid>".
std::string temp_prefix(const fs::path& target) {
    return "." + target.filename().string() + ".wztmp-";
}
std::string old_prefix(const fs::path& target) {
    return "." + target.filename().string() + ".wzold-";
}

// The PID that follows `prefix` in `name`, or 0 when `name` does not start with the prefix
// and a number.
long pid_after(const std::string& name, const std::string& prefix) {
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0)
        return 0;
    long pid = 0;
    std::size_t i = prefix.size();
    for (; i < name.size() && name[i] >= '0' && name[i] <= '9' && pid < 100'000'000; ++i)
        pid = pid * 10 + (name[i] - '0');
    return i > prefix.size() ? pid : 0;
}

// A process that no longer exists. EPERM: it exists under another user.
bool is_dead(long pid) {
    return pid > 0 && pid != ::getpid() && ::kill(static_cast<pid_t>(pid), 0) != 0 &&
           errno == ESRCH;
}

void write_manifest(const fs::path& folder, const std::string& manifest) {
    const fs::path file = folder / kManifest;
    std::ofstream out(file, std::ios::binary);
    out << manifest << '\n';
    out.close();
    if (!out)
        throw ExternalError("write: cannot write '" + file.string() + "': " + std::strerror(errno));
}

// fsyncs every file and folder under `root`, and `root`.
void sync_tree(const fs::path& root, std::string_view stage) {
    if (fs::is_directory(root)) {
        for (const auto& entry : fs::recursive_directory_iterator(root))
            if (entry.is_regular_file() || entry.is_directory())
                sync(entry.path(), stage);
    }
    sync(root, stage);
}

// Removes the temporaries of this process for `target` (a GeoPackage's journal included).
void remove_own_temporaries(const fs::path& target) {
    const fs::path parent = parent_of(target);
    const std::string mine = temp_prefix(target) + std::to_string(::getpid());
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(parent, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.compare(0, mine.size(), mine) == 0 &&
            (name.size() == mine.size() || name[mine.size()] == '.' || name[mine.size()] == '-'))
            remove_quietly(entry.path());
    }
}

// Puts `temp` at `target` in one step. Returns where the old target now is ("" when there
// was none, or it is gone already).
fs::path swap_into_place(const fs::path& temp, const fs::path& target, Kind kind) {
    struct stat st {};
    if (::lstat(target.c_str(), &st) != 0 && errno == ENOENT) {
        // RENAME_NOREPLACE: a target made meanwhile by someone else is not silently replaced.
        if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0)
            return {};
        if (errno != EINVAL && errno != ENOSYS)
            throw ExternalError("write: cannot move the output into place at " + quoted(target) +
                                ": " + std::strerror(errno));
        fs::rename(temp, target);
        return {};
    }
    if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0)
        return temp; // the old output is now at the temporary name
    if (errno != EINVAL && errno != ENOSYS)
        throw ExternalError("write: cannot swap the output into place at " + quoted(target) + ": " +
                            std::strerror(errno));
    // No exchange on this file system. A file is replaced by one rename, which is atomic.
    if (kind != Kind::Folder) {
        fs::rename(temp, target);
        return {};
    }
    // A folder cannot be renamed over a folder that is not empty: move the old one aside
    // first. A crash between the two renames leaves it at ".<name>.wzold-<pid>", and the next
    // run moves it back (remove_stale()).
    const fs::path old = parent_of(target) / (old_prefix(target) + std::to_string(::getpid()));
    remove_quietly(old);
    fs::rename(target, old);
    try {
        fs::rename(temp, target);
    } catch (...) {
        fs::rename(old, target);
        throw;
    }
    return old;
}

// Runs one step of writing `target`: a file-system error becomes ExternalError, and any
// failure removes this process's temporaries of `target` before it is thrown on.
void guarded(const fs::path& target, const std::function<void()>& step) {
    try {
        try {
            step();
        } catch (const fs::filesystem_error& e) {
            throw ExternalError("write: cannot write the output " + quoted(target) + ": " +
                                e.what());
        }
    } catch (...) {
        remove_own_temporaries(target);
        throw;
    }
}

} // namespace

bool is_geopackage(const fs::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    std::ifstream in(path, std::ios::binary);
    std::array<char, 72> head{};
    if (!in.read(head.data(), head.size()))
        return false;
    // SQLite's header, then the application id at offset 68 (GeoPackage 1.2: "GPKG"; 1.0
    // and 1.1: "GP10", "GP11").
    return std::memcmp(head.data(), "SQLite format 3", 16) == 0 && head[68] == 'G' &&
           head[69] == 'P';
}

bool is_svg(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::string head(256, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    const auto start = head.find_first_not_of(" \t\r\n");
    return start != std::string::npos &&
           (head.compare(start, 5, "<?xml") == 0 || head.compare(start, 4, "<svg") == 0);
}

void check_replaceable(const fs::path& target, Kind kind, bool overwrite, std::string_view stage,
                       std::string_view flag) {
    const std::string what = flag == "--out" ? "output " : "";
    const std::string where = std::string(stage) + ": " + what + quoted(target);
    const std::string out(flag);
    struct stat st {};
    if (::lstat(target.c_str(), &st) != 0) {
        if (errno == ENOENT)
            return;
        throw InputError(where + " cannot be examined (" + std::strerror(errno) +
                         "); choose another " + out + ".");
    }
    if (S_ISLNK(st.st_mode))
        throw InputError(where +
                         " is a symbolic link; whitezone does not replace links, even with "
                         "--overwrite: give the path it points to, or another " +
                         out + ".");
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        const char* special = S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                              : S_ISFIFO(st.st_mode)                     ? "a FIFO"
                              : S_ISSOCK(st.st_mode)                     ? "a socket"
                                                                         : "a special file";
        throw InputError(where + " is " + special +
                         ", not an output whitezone wrote; it is never replaced, even with "
                         "--overwrite: give " +
                         out + " the path of a new file or folder.");
    }
    const bool folder = S_ISDIR(st.st_mode);
    if (kind == Kind::Svg && folder)
        throw InputError(where + " is a folder; give a file name ending in .svg.");
    if (kind == Kind::Svg && !is_svg(target))
        throw InputError(where + " exists and is not an SVG file; whitezone replaces only an "
                                 "SVG, even with --overwrite: choose another path, or remove "
                                 "the file yourself.");
    if (kind == Kind::File && folder)
        throw InputError(where +
                         " is a folder; whitezone does not replace a folder with a "
                         "file, even with --overwrite: give " +
                         out + " a file name.");
    if (kind == Kind::GeoPackage && folder)
        throw InputError(where +
                         " is a folder; a GeoPackage is one file, and whitezone does not "
                         "replace a folder with it, even with --overwrite: give a path "
                         "ending in .gpkg (e.g. '" +
                         (target / "whitezone-results.gpkg").string() +
                         "'), or a new folder with --format geojson|shp|csv|fgb.");
    if (kind == Kind::Folder && !folder)
        throw InputError(where +
                         " is a file, but this format writes a folder of files; "
                         "whitezone does not replace the file, even with --overwrite: "
                         "give " +
                         out + " a new folder.");
    if (kind == Kind::GeoPackage && !is_geopackage(target))
        throw InputError(where +
                         " exists and is not a GeoPackage; whitezone replaces only a "
                         "GeoPackage, even with --overwrite: choose another " +
                         out +
                         ", or "
                         "remove the file yourself.");
    if (kind == Kind::Folder && !fs::exists(target / kManifest) && !fs::is_empty(target))
        throw InputError(where + " is a folder that whitezone did not write (it has no " +
                         std::string(kManifest) +
                         "); whitezone does not replace it, even with --overwrite: give " + out +
                         " "
                         "a new folder, e.g. '" +
                         (target / "whitezone-results").string() + "'.");
    if (!overwrite)
        throw InputError(where +
                         " already exists; pass --overwrite to replace it, or choose another " +
                         out + ".");
}

Overlap overlap(const fs::path& target, bool folder, const fs::path& path) {
    const auto resolved = [](const fs::path& p) {
        std::error_code ec;
        fs::path c = fs::weakly_canonical(p, ec);
        return ec ? p.lexically_normal() : c;
    };
    const fs::path out = resolved(target), at = resolved(path);
    std::error_code ec;
    if (at == out || fs::equivalent(at, out, ec))
        return Overlap::Same;
    const fs::path inside = at.lexically_relative(out);
    return folder && !inside.empty() && *inside.begin() != ".." && *inside.begin() != "."
               ? Overlap::Inside
               : Overlap::None;
}

void check_not_an_input(const fs::path& target, bool folder, std::string_view input_flag,
                        const std::string& input_path, std::string_view stage,
                        std::string_view flag) {
    if (input_path.empty() || input_path.rfind("PG:", 0) == 0 || input_path.rfind("/vsi", 0) == 0)
        return;
    const Overlap o = overlap(target, folder, input_path);
    if (o != Overlap::None)
        throw InputError(std::string(stage) + ": " + std::string(flag) + " " + quoted(target) +
                         (o == Overlap::Same ? " is the " + std::string(input_flag) + " input"
                                             : " holds the " + std::string(input_flag) + " input " +
                                                   quoted(fs::path(input_path))) +
                         "; whitezone never writes over its inputs, even with --overwrite: "
                         "choose another " +
                         std::string(flag) + ".");
}

void remove_stale(const fs::path& target) {
    const fs::path parent = parent_of(target);
    const std::string tmp = temp_prefix(target), old = old_prefix(target);
    // Older versions: ".<stem>.tmp<pid><ext>" and ".<name>.old.tmp<pid>".
    const std::string legacy_tmp = "." + target.stem().string() + ".tmp";
    const std::string legacy_old = "." + target.filename().string() + ".old.tmp";
    std::error_code ec;
    std::vector<fs::path> temporaries, olds;
    for (const auto& entry : fs::directory_iterator(parent, ec)) {
        const std::string name = entry.path().filename().string();
        if (is_dead(pid_after(name, tmp)) || is_dead(pid_after(name, legacy_tmp)))
            temporaries.push_back(entry.path());
        else if (is_dead(pid_after(name, old)) || is_dead(pid_after(name, legacy_old)))
            olds.push_back(entry.path());
    }
    for (const auto& p : temporaries)
        remove_quietly(p);
    for (const auto& p : olds) {
        struct stat st {};
        if (::lstat(target.c_str(), &st) != 0 && errno == ENOENT)
            fs::rename(p, target, ec); // the crash fell between the two renames: restore
        else
            remove_quietly(p);
    }
}

void sync(const fs::path& path, std::string_view stage) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || (::fsync(fd) != 0 && errno != EINVAL)) {
        const int err = errno;
        if (fd >= 0)
            ::close(fd);
        throw ExternalError(std::string(stage) + ": cannot flush " + quoted(path) +
                            " to disk: " + std::strerror(err));
    }
    if (::close(fd) != 0)
        throw ExternalError(std::string(stage) + ": cannot flush " + quoted(path) +
                            " to disk: " + std::strerror(errno));
}

Staged::Staged(fs::path target, Kind kind, const std::string& manifest,
               const std::function<void(const fs::path& temp)>& write)
    : m_target(std::move(target)), m_kind(kind) {
    remove_stale(m_target);
    remove_own_temporaries(m_target);
    // Hidden, in the same folder (so that the swap stays on one file system), with the PID
    // (so that the next run knows whether its writer is alive), and with the target's
    // extension, which GDAL drivers use to pick the format.
    m_temp = parent_of(m_target) /
             (temp_prefix(m_target) + std::to_string(::getpid()) +
              (kind == Kind::Folder ? std::string() : m_target.extension().string()));
    guarded(m_target, [&] {
        if (kind == Kind::Folder)
            fs::create_directory(m_temp);
        write(m_temp);
        if (kind == Kind::Folder)
            write_manifest(m_temp, manifest);
        sync_tree(m_temp, "write");
    });
}

Staged::Staged(Staged&& other) noexcept
    : m_target(std::move(other.m_target)), m_temp(std::move(other.m_temp)), m_kind(other.m_kind),
      m_pending(other.m_pending) {
    other.m_pending = false;
}

Staged::~Staged() {
    if (!m_pending)
        return;
    try {
        remove_own_temporaries(m_target);
    } catch (...) { // housekeeping: the next run removes what is left (remove_stale())
    }
}

void Staged::commit() {
    if (!m_pending)
        return;
    const fs::path parent = parent_of(m_target);
    guarded(m_target, [&] {
        const fs::path old = swap_into_place(m_temp, m_target, m_kind);
        m_pending = false;
        sync(parent, "write");
        if (!old.empty()) {
            remove_quietly(old);
            sync(parent, "write");
        }
    });
}

void write_text(const fs::path& file, std::string_view text, std::string_view stage,
                const std::string& shown) {
    errno = 0; // files::full_disk_hint() reads what the writes below left
    std::ofstream out(file, std::ios::binary);
    out << text;
    out.close();
    if (!out) {
        const std::string full = files::full_disk_hint(file.string());
        throw ExternalError(
            std::string(stage) + ": cannot write '" + shown + "'" +
            (full.empty() ? "; check that the folder exists, is writable and has space." : full));
    }
}

void write(const fs::path& target, Kind kind, const std::string& manifest,
           const std::function<void(const fs::path& temp)>& write) {
    Staged(target, kind, manifest, write).commit();
}

} // namespace whitezone::atomic
