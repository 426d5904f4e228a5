#pragma once
// A uniform hash grid over boxes in a metric CRS: the spatial index for things of known,
// similar size (footprints, village centres, sites). Read-only queries are thread-safe.

#include "whitezone/types.hpp"

#include <algorithm>
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

    /// The ids of query() whose own box, `box_of(id)` (the box it was inserted with),
    /// intersects `box`, ascending, without repeats. Each is taken from one cell only, the one
    /// holding the lower-left corner of the two boxes' intersection, so nothing is sorted
    /// out twice.
    template <class BoxOf>
    void query_intersecting(const Box& box, std::vector<std::size_t>& out, BoxOf box_of) const {
        out.clear();
        const std::int64_t cx0 = cell(box.minx), cx1 = cell(box.maxx);
        const std::int64_t cy0 = cell(box.miny), cy1 = cell(box.maxy);
        for (std::int64_t cx = cx0; cx <= cx1; ++cx)
            for (std::int64_t cy = cy0; cy <= cy1; ++cy)
                if (auto it = m_cells.find(key(cx, cy)); it != m_cells.end())
                    for (const std::uint32_t id : it->second) {
                        const Box b = box_of(std::size_t{id});
                        if (b.intersects(box) && cell(std::max(b.minx, box.minx)) == cx &&
                            cell(std::max(b.miny, box.miny)) == cy)
                            out.push_back(id);
                    }
        if (!m_ascending || cx0 != cx1 || cy0 != cy1)
            std::sort(out.begin(), out.end());
    }

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
