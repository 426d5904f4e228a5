// The areas' file: for each area its polygon count, then for each polygon its ring count,
// then for each ring its point count and its points, as the process holds them (the file
// never outlives the process that wrote it).

#include "common/spill.hpp"

#include "whitezone/error.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace whitezone {

namespace {

using Count = std::uint32_t;

std::string reason() { return std::strerror(errno); }

// An unnamed file in `dir`: O_TMPFILE where the file system has it, else a named one
// removed at once.
int unnamed_file(const std::filesystem::path& dir) {
    int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
        return fd;
    std::string name = (dir / "whitezone-areas-XXXXXX").string();
    fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd >= 0)
        ::unlink(name.c_str());
    return fd;
}

void put(std::vector<char>& buffer, const void* data, std::size_t n) {
    const auto* bytes = static_cast<const char*>(data);
    buffer.insert(buffer.end(), bytes, bytes + n);
}

void put_count(std::vector<char>& buffer, std::size_t n) {
    const auto c = static_cast<Count>(n);
    put(buffer, &c, sizeof c);
}

Count get_count(const char*& at) {
    Count c = 0;
    std::memcpy(&c, at, sizeof c);
    at += sizeof c;
    return c;
}

} // namespace

AreaSpill::AreaSpill(std::size_t n, const std::function<const MultiPolygon&(std::size_t)>& area) {
    const char* tmpdir = std::getenv("TMPDIR");
    const std::filesystem::path dir = tmpdir && *tmpdir ? tmpdir : "/tmp";
    fd_ = unnamed_file(dir);
    if (fd_ < 0)
        throw ExternalError("cannot make a temporary file in '" + dir.string() + "': " + reason());
    try {
        write_all(n, area, dir);
    } catch (...) {
        ::close(fd_);
        throw;
    }
}

void AreaSpill::write_all(std::size_t n,
                          const std::function<const MultiPolygon&(std::size_t)>& area,
                          const std::filesystem::path& dir) {
    offsets_.reserve(n + 1);
    offsets_.push_back(0);
    std::vector<char> buffer;
    constexpr std::size_t kChunk = std::size_t{1} << 20;
    std::uint64_t written = 0;
    const auto flush = [&] {
        for (std::size_t done = 0; done < buffer.size();) {
            const ssize_t k = ::write(fd_, buffer.data() + done, buffer.size() - done);
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0)
                throw ExternalError("cannot write a temporary file in '" + dir.string() +
                                    "': " + (k < 0 ? reason() : std::string("nothing written")));
            done += static_cast<std::size_t>(k);
        }
        written += buffer.size();
        buffer.clear();
    };
    for (std::size_t i = 0; i < n; ++i) {
        const MultiPolygon& a = area(i);
        put_count(buffer, a.size());
        for (const Polygon& p : a) {
            put_count(buffer, p.rings.size());
            for (const Ring& r : p.rings) {
                put_count(buffer, r.size());
                put(buffer, r.data(), r.size() * sizeof(XY));
            }
        }
        offsets_.push_back(written + buffer.size());
        if (buffer.size() >= kChunk)
            flush();
    }
    flush();
}

AreaSpill::~AreaSpill() {
    if (fd_ >= 0)
        ::close(fd_);
}

void AreaSpill::read(std::size_t i, MultiPolygon& out) const {
    thread_local std::vector<char> buffer;
    const std::uint64_t begin = offsets_[i];
    const std::size_t n = offsets_[i + 1] - begin;
    buffer.resize(n);
    for (std::size_t done = 0; done < n;) {
        const ssize_t k =
            ::pread(fd_, buffer.data() + done, n - done, static_cast<off_t>(begin + done));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            throw ExternalError("cannot read the villages' polygons back from their temporary "
                                "file: " +
                                (k < 0 ? reason() : std::string("it ends early")));
        done += static_cast<std::size_t>(k);
    }
    const char* at = buffer.data();
    out.resize(get_count(at));
    for (Polygon& p : out) {
        p.rings.resize(get_count(at));
        for (Ring& r : p.rings) {
            r.resize(get_count(at));
            if (!r.empty())
                std::memcpy(r.data(), at, r.size() * sizeof(XY));
            at += r.size() * sizeof(XY);
        }
    }
}

} // namespace whitezone
