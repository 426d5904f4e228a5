#pragma once
// Bilinear sampling of the DEM, inline for the terrain mode's inner loop (src/coverage) and
// the DEM routines (src/dem).

#include "whitezone/raster.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace whitezone::dem {

// The DEM at fractional cell coordinates (fc, fr) (cell centres at whole numbers),
// interpolated between the four nearest cell centres; NaN outside the grid or next to a cell
// without data.
inline double sample(const Raster<float>& dem, double fc, double fr) {
    const GridSpec& g = dem.grid;
    if (fc >= 0.0 && fr >= 0.0 && fc < g.cols - 1 && fr < g.rows - 1) {
        // Inside: the four neighbours exist (the common case, without clamps).
        const auto c0 = static_cast<int>(fc), r0 = static_cast<int>(fr);
        const double tx = fc - c0, ty = fr - r0;
        const float* top = dem.values.data() + g.index(c0, r0);
        const float* bottom = top + g.cols;
        return (top[0] * (1 - tx) + top[1] * tx) * (1 - ty) +
               (bottom[0] * (1 - tx) + bottom[1] * tx) * ty;
    }
    if (!(fc >= -0.5 && fr >= -0.5 && fc <= g.cols - 0.5 && fr <= g.rows - 0.5))
        return std::numeric_limits<double>::quiet_NaN();
    const int c0 = std::clamp(static_cast<int>(std::floor(fc)), 0, std::max(g.cols - 2, 0));
    const int r0 = std::clamp(static_cast<int>(std::floor(fr)), 0, std::max(g.rows - 2, 0));
    const int c1 = std::min(c0 + 1, g.cols - 1), r1 = std::min(r0 + 1, g.rows - 1);
    const double tx = std::clamp(fc - c0, 0.0, 1.0), ty = std::clamp(fr - r0, 0.0, 1.0);
    const float* top = dem.values.data() + g.index(0, r0);
    const float* bottom = dem.values.data() + g.index(0, r1);
    return (top[c0] * (1 - tx) + top[c1] * tx) * (1 - ty) +
           (bottom[c0] * (1 - tx) + bottom[c1] * tx) * ty;
}

// The DEM at `p` of the work CRS.
inline double bilinear(const Raster<float>& dem, XY p) {
    const GridSpec& g = dem.grid;
    return sample(dem, (p.x - g.x0) / g.cell - 0.5, (g.y0 - p.y) / g.cell - 0.5);
}

} // namespace whitezone::dem
