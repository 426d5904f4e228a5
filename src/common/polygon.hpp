#pragma once
// Point-in-polygon and polygon-to-grid by cell centres: the raster side of the overlay.

#include "whitezone/raster.hpp"
#include "whitezone/types.hpp"

#include <functional>

namespace whitezone::polygon {

/// The bounding rectangle of the shells; an inverted one (min > max) for no polygon.
Extent extent_of(const MultiPolygon& mp);

/// Whether `p` lies inside `mp` (even-odd over every ring, so holes count; a point exactly on
/// an edge may go either way).
bool contains(const MultiPolygon& mp, XY p);

/// Calls `cell(col, row)` once for every cell of `grid` whose centre lies inside `mp` (the
/// same even-odd rule, by scanlines through the cell centres), row by row.
void for_each_cell_in(const MultiPolygon& mp, const GridSpec& grid,
                      const std::function<void(int col, int row)>& cell);

} // namespace whitezone::polygon
