#pragma once
// A uniform hash grid over boxes in a metric CRS: the spatial index for things of known,
// similar size (footprints, village centres, sites). Read-only queries are thread-safe.

#include "whitezone/types.hpp"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace whitezone::grid {

/// An axis-aligned box.
struct Box {
    double minx = 0, miny = 0, maxx = 0, maxy = 0;
    [[nodiscard]] bool intersects(const Box& o) const {
        return minx <= o.maxx && o.minx <= maxx && miny <= o.maxy && o.miny <= maxy;
    }
    static Box around(XY p, double r) { return {p.x - r, p.y - r, p.x + r, p.y + r}; }
};

/// Ids of boxes by grid cell. A box is listed in every cell it touches.
class GridIndex {
  public:
    /// `cell_m` should be about the size of the boxes (larger: fewer cells, more false hits).
    explicit GridIndex(double cell_m);

    void insert(const Box& box, std::size_t id);

    /// Ids of boxes whose cells meet `box`, without repeats, ascending (a superset of the
    /// boxes that intersect it: the caller tests the real geometry).
    void query(const Box& box, std::vector<std::size_t>& out) const;

    /// Ids listed in the cells that meet `box`, cell by cell: an id inserted as a box may
    /// come more than once, one inserted as a point (a zero-size box) only once.
    void query_cells(const Box& box, std::vector<std::size_t>& out) const;

  private:
    [[nodiscard]] std::int64_t cell(double v) const;
    static std::uint64_t key(std::int64_t cx, std::int64_t cy);
    double m_cell;
    /// The ids as 32-bit numbers: an index over a national run's million footprints is half
    /// the size (insert() refuses an id above 2^32 - 1).
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> m_cells;
    /// Every id inserted was larger than the one before: each cell's list is then ascending
    /// and without repeats already, and a query within one cell need not sort.
    bool m_ascending = true;
    bool m_empty = true;
    std::size_t m_last_id = 0;
};

} // namespace whitezone::grid
