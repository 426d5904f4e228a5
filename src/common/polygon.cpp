#include "common/polygon.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace whitezone::polygon {

Extent extent_of(const MultiPolygon& mp) {
    Extent e{1e300, 1e300, -1e300, -1e300};
    for (const auto& poly : mp)
        if (!poly.rings.empty())
            for (const XY& p : poly.rings.front()) {
                e.minx = std::min(e.minx, p.x);
                e.miny = std::min(e.miny, p.y);
                e.maxx = std::max(e.maxx, p.x);
                e.maxy = std::max(e.maxy, p.y);
            }
    return e;
}

bool contains(const MultiPolygon& mp, XY p) {
    bool inside = false;
    for (const auto& poly : mp)
        for (const Ring& ring : poly.rings)
            for (std::size_t i = 1; i < ring.size(); ++i) {
                const XY& a = ring[i - 1];
                const XY& b = ring[i];
                if ((a.y > p.y) != (b.y > p.y) &&
                    p.x < a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y))
                    inside = !inside;
            }
    return inside;
}

void for_each_cell_in(const MultiPolygon& mp, const GridSpec& grid,
                      const std::function<void(int col, int row)>& cell) {
    const Extent e = extent_of(mp);
    if (e.minx > e.maxx || grid.cols <= 0 || grid.rows <= 0)
        return;
    // Rows whose centre line y = y0 − (row + ½)·cell crosses the extent.
    const int r0 = std::max(0, static_cast<int>(std::ceil((grid.y0 - e.maxy) / grid.cell - 0.5)));
    const int r1 =
        std::min(grid.rows - 1, static_cast<int>(std::floor((grid.y0 - e.miny) / grid.cell - 0.5)));
    std::vector<double> xs;
    for (int row = r0; row <= r1; ++row) {
        const double y = grid.y0 - (row + 0.5) * grid.cell;
        xs.clear();
        for (const auto& poly : mp)
            for (const Ring& ring : poly.rings)
                for (std::size_t i = 1; i < ring.size(); ++i) {
                    const XY& a = ring[i - 1];
                    const XY& b = ring[i];
                    if ((a.y > y) != (b.y > y))
                        xs.push_back(a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y));
                }
        std::sort(xs.begin(), xs.end());
        // Inside between crossings 0–1, 2–3, …: the cells whose centre x lies in [left, right).
        for (std::size_t k = 0; k + 1 < xs.size(); k += 2) {
            const int c0 =
                std::max(0, static_cast<int>(std::ceil((xs[k] - grid.x0) / grid.cell - 0.5)));
            const int c1 =
                std::min(grid.cols - 1,
                         static_cast<int>(std::ceil((xs[k + 1] - grid.x0) / grid.cell - 0.5)) - 1);
            for (int col = c0; col <= c1; ++col)
                cell(col, row);
        }
    }
}

} // namespace whitezone::polygon
