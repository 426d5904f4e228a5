#include "common/grid.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace whitezone::grid {

GridIndex::GridIndex(double cell_m) : m_cell(cell_m > 0 ? cell_m : 1.0) {}

std::int64_t GridIndex::cell(double v) const {
    return static_cast<std::int64_t>(std::floor(v / m_cell));
}

std::uint64_t GridIndex::key(std::int64_t cx, std::int64_t cy) {
    return (static_cast<std::uint64_t>(cx) << 32) ^ (static_cast<std::uint64_t>(cy) & 0xFFFFFFFFu);
}

void GridIndex::insert(const Box& box, std::size_t id) {
    if (id > std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("grid: an id above 2^32 - 1");
    m_ascending = m_ascending && (m_empty || id > m_last_id);
    m_empty = false;
    m_last_id = id;
    for (std::int64_t cx = cell(box.minx); cx <= cell(box.maxx); ++cx)
        for (std::int64_t cy = cell(box.miny); cy <= cell(box.maxy); ++cy)
            m_cells[key(cx, cy)].push_back(static_cast<std::uint32_t>(id));
}

void GridIndex::query_cells(const Box& box, std::vector<std::size_t>& out) const {
    out.clear();
    for (std::int64_t cx = cell(box.minx); cx <= cell(box.maxx); ++cx)
        for (std::int64_t cy = cell(box.miny); cy <= cell(box.maxy); ++cy)
            if (auto it = m_cells.find(key(cx, cy)); it != m_cells.end())
                out.insert(out.end(), it->second.begin(), it->second.end());
}

void GridIndex::query(const Box& box, std::vector<std::size_t>& out) const {
    query_cells(box, out);
    if (m_ascending && cell(box.minx) == cell(box.maxx) && cell(box.miny) == cell(box.maxy))
        return; // one cell's list, ascending already
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
}

} // namespace whitezone::grid
