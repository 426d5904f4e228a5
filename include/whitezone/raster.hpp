#pragma once
/// \file raster.hpp
/// A regular grid in the work CRS and values on it: the DEM and the coverage of the terrain
/// mode. Plain data; reading and writing rasters is GDAL's job in src/.

#include "whitezone/types.hpp"

#include <cmath>
#include <cstddef>
#include <vector>

namespace whitezone {

/// A rectangle in the work CRS.
struct Extent {
    double minx = 0.0, miny = 0.0, maxx = 0.0, maxy = 0.0;
};

/// A north-up grid of square cells in the work CRS (metres). Row 0 is the northernmost;
/// cell (col, row) spans x0 + col·cell … x0 + (col+1)·cell and y0 − (row+1)·cell … y0 − row·cell.
struct GridSpec {
    double x0 = 0.0; ///< west edge
    double y0 = 0.0; ///< north edge
    double cell = 30.0;
    int cols = 0, rows = 0;

    [[nodiscard]] std::size_t size() const {
        return static_cast<std::size_t>(cols) * static_cast<std::size_t>(rows);
    }
    [[nodiscard]] std::size_t index(int col, int row) const {
        return static_cast<std::size_t>(row) * static_cast<std::size_t>(cols) +
               static_cast<std::size_t>(col);
    }
    [[nodiscard]] XY centre(int col, int row) const {
        return {x0 + (col + 0.5) * cell, y0 - (row + 0.5) * cell};
    }
    /// `p` measured in cells from the grid's north-west corner: x the column, y the row.
    [[nodiscard]] XY in_cells(XY p) const { return {(p.x - x0) / cell, (y0 - p.y) / cell}; }
    /// The cell holding the point `u` cells from the north-west corner (in_cells()); false when
    /// it lies outside the grid.
    [[nodiscard]] bool cell_at(XY u, int& col, int& row) const {
        const double c = std::floor(u.x), r = std::floor(u.y);
        if (!(c >= 0 && r >= 0 && c < cols && r < rows))
            return false;
        col = static_cast<int>(c);
        row = static_cast<int>(r);
        return true;
    }
    /// The cell holding `p`; false when `p` lies outside the grid.
    [[nodiscard]] bool cell_of(XY p, int& col, int& row) const {
        return cell_at(in_cells(p), col, row);
    }
};

/// Values on a grid, row by row from the north-west corner. For a DEM, NaN is "no data".
template <class T> struct Raster {
    GridSpec grid;
    std::vector<T> values;

    [[nodiscard]] T at(int col, int row) const { return values[grid.index(col, row)]; }
};

/// One cell of a population grid (read_population(), read/raster.hpp): its centre in the work
/// CRS and the people in it.
struct PopulationCell {
    XY xy;
    double people = 0.0;
};

} // namespace whitezone
