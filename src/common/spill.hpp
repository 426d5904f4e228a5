#pragma once
// Polygons kept in an unnamed temporary file instead of in memory: run_and_write() moves the
// villages' polygons there once the last stage that reads them has run, and the writer reads
// each back as it writes its row (docs/performance.md, "The villages' polygons on disk").

#include "whitezone/types.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

namespace whitezone {

/// `n` areas in a file without a name (it disappears with the process, whatever way it
/// ends), read back one at a time from any thread.
class AreaSpill {
  public:
    /// Writes `area(0)` … `area(n - 1)` (an empty one for a point) to an unnamed file in the
    /// temporary folder (TMPDIR, else /tmp). Throws ExternalError when the file cannot be
    /// made or written (the folder is missing, read-only or full); nothing is left behind.
    AreaSpill(std::size_t n, const std::function<const MultiPolygon&(std::size_t)>& area);
    ~AreaSpill();
    AreaSpill(const AreaSpill&) = delete;
    AreaSpill& operator=(const AreaSpill&) = delete;

    /// Reads area `i` back into `out` (its capacity reused), exactly as it was written.
    /// Thread-safe. Throws ExternalError when the file cannot be read.
    void read(std::size_t i, MultiPolygon& out) const;
    /// The number of areas.
    [[nodiscard]] std::size_t size() const { return offsets_.size() - 1; }
    /// The bytes the file holds.
    [[nodiscard]] std::uint64_t bytes() const { return offsets_.back(); }

  private:
    void write_all(std::size_t n, const std::function<const MultiPolygon&(std::size_t)>& area,
                   const std::filesystem::path& dir);

    int fd_ = -1;
    std::vector<std::uint64_t> offsets_; ///< area i: bytes [offsets_[i], offsets_[i + 1])
};

} // namespace whitezone
