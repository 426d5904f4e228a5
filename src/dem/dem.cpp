// The DEM routines shared by the terrain mode and the plan (dem.hpp): elevation, profiles,
// line of sight and high points.

#include "whitezone/dem.hpp"

#include "dem/sample.hpp"

#include <algorithm>
#include <cmath>

namespace whitezone {

using dem::bilinear;

double earth_bulge_per_m2(double k_factor) {
    return k_factor > 0.0 ? 1.0 / (2.0 * k_factor * kEarthRadiusM) : 0.0;
}

double elevation_at(const Raster<float>& dem, XY p) { return bilinear(dem, p); }

std::vector<ProfileSample> terrain_profile(const Raster<float>& dem, XY a, XY b, double step_m) {
    const double length = std::hypot(b.x - a.x, b.y - a.y);
    std::vector<ProfileSample> out;
    if (!(length > 0.0))
        return out;
    const double step = step_m > 0.0 ? step_m : dem.grid.cell;
    const auto steps = static_cast<long>(std::ceil(length / step));
    out.reserve(static_cast<std::size_t>(steps) + 1);
    for (long k = 0; k <= steps; ++k) {
        const double d = std::min(static_cast<double>(k) * step, length);
        const double t = d / length;
        out.push_back({d, bilinear(dem, {a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)})});
    }
    return out;
}

bool in_line_of_sight(const Raster<float>& dem, XY a, double height_a, XY b, double height_b,
                      double k_factor) {
    const double ground_a = bilinear(dem, a), ground_b = bilinear(dem, b);
    if (std::isnan(ground_a) || std::isnan(ground_b))
        return false;
    const double length = std::hypot(b.x - a.x, b.y - a.y);
    const double za = ground_a + height_a, zb = ground_b + height_b;
    const double bulge = earth_bulge_per_m2(k_factor);
    const auto steps = static_cast<long>(std::floor(length / dem.grid.cell));
    for (long k = 1; k < steps; ++k) {
        const double t = static_cast<double>(k) * dem.grid.cell / length;
        const double z = bilinear(dem, {a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)});
        if (std::isnan(z))
            continue;
        // The Earth bulges d1 · d2 / (2 k R) above the chord between the two ends.
        const double d1 = t * length, d2 = length - d1;
        if (z + d1 * d2 * bulge > za + t * (zb - za))
            return false;
    }
    return true;
}

std::vector<std::optional<XY>> highest_points(const Raster<float>& dem,
                                              const std::vector<XY>& around, double radius_m) {
    const GridSpec& g = dem.grid;
    std::vector<std::optional<XY>> out(around.size());
    const auto reach = static_cast<int>(std::ceil(radius_m / g.cell));
    for (std::size_t i = 0; i < around.size(); ++i) {
        int col = 0, row = 0;
        if (!g.cell_of(around[i], col, row) || std::isnan(dem.at(col, row)))
            continue;
        int best_col = col, best_row = row;
        float best = dem.at(col, row);
        for (int r = std::max(0, row - reach); r <= std::min(g.rows - 1, row + reach); ++r)
            for (int c = std::max(0, col - reach); c <= std::min(g.cols - 1, col + reach); ++c) {
                const XY p = g.centre(c, r);
                const float z = dem.at(c, r);
                // Strictly higher: ties keep the first cell in row order (deterministic).
                if (z > best && std::hypot(p.x - around[i].x, p.y - around[i].y) <= radius_m) {
                    best = z;
                    best_col = c;
                    best_row = r;
                }
            }
        out[i] = g.centre(best_col, best_row);
    }
    return out;
}

} // namespace whitezone
