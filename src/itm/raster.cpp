// Received power of one station over a DEM grid with ITM along rays (itm_raster.hpp). The
// idea is SPLAT!'s and Signal-Server's: a ray's terrain profile is sampled once, and the loss
// to each of its points uses the profile's prefix up to that point. ITM itself stays the
// point-to-point model of itm.cpp, so every cell's loss is the loss of a real profile.

#include "whitezone/error.hpp"
#include "whitezone/itm_raster.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

namespace whitezone {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The DEM at `p`, bilinear between the four nearest cell centres; NaN outside the grid (beyond
// half a cell from the outer centres) or next to a hole.
double sample(const Raster<float>& dem, XY p) {
    const GridSpec& g = dem.grid;
    const double fc = (p.x - g.x0) / g.cell - 0.5, fr = (g.y0 - p.y) / g.cell - 0.5;
    const double cc = std::clamp(fc, 0.0, static_cast<double>(g.cols - 1));
    const double cr = std::clamp(fr, 0.0, static_cast<double>(g.rows - 1));
    if (std::abs(cc - fc) > 0.5 || std::abs(cr - fr) > 0.5)
        return kNaN;
    const int c = std::min(static_cast<int>(cc), std::max(0, g.cols - 2));
    const int r = std::min(static_cast<int>(cr), std::max(0, g.rows - 2));
    const double tx = std::min(1.0, cc - c), ty = std::min(1.0, cr - r);
    const int c1 = std::min(c + 1, g.cols - 1), r1 = std::min(r + 1, g.rows - 1);
    return (1.0 - ty) * ((1.0 - tx) * dem.at(c, r) + tx * dem.at(c1, r)) +
           ty * ((1.0 - tx) * dem.at(c, r1) + tx * dem.at(c1, r1));
}

double received_dbm(std::span<const double> profile, double step_m, const ItmRasterOptions& o) {
    return o.eirp_dbm - itm_point_to_point(profile, step_m, o.itm).loss_db + o.rx_gain_dbi;
}

} // namespace

Raster<float> itm_received_power(const Raster<float>& dem, XY antenna,
                                 const ItmRasterOptions& options, ItmRasterStats* stats) {
    validate_itm_parameters(options.itm);
    const GridSpec& g = dem.grid;
    const double z0 = sample(dem, antenna);
    if (std::isnan(z0))
        throw InputError("itm: the antenna at (" + text::fixed(antenna.x, 1) + ", " +
                         text::fixed(antenna.y, 1) +
                         ") lies outside the DEM's grid or on no data; give a DEM that covers "
                         "the station.");
    if (!(options.range_m > 0.0) || !(g.cell > 0.0))
        throw InputError("itm: the range (" + text::fixed(options.range_m, 1) +
                         " m) and the DEM's cell size must be positive.");

    std::size_t evaluations = 0;
    const auto power = [&](std::span<const double> profile, double step_m) {
        ++evaluations;
        return received_dbm(profile, step_m, options);
    };
    Raster<float> out;
    out.grid = g;
    out.values.assign(g.size(), std::numeric_limits<float>::quiet_NaN());
    std::vector<double> best_d2(g.size(), std::numeric_limits<double>::infinity());
    const double range2 = options.range_m * options.range_m;
    const auto centre_d2 = [&](int col, int row) {
        const XY c = g.centre(col, row);
        return (c.x - antenna.x) * (c.x - antenna.x) + (c.y - antenna.y) * (c.y - antenna.y);
    };

    // Rays close enough that neighbours are at most one cell apart at the range.
    const double step = g.cell;
    const auto steps = static_cast<std::size_t>(std::floor(options.range_m / step));
    const auto rays = static_cast<std::size_t>(
        std::max(8.0, std::ceil(2.0 * std::numbers::pi * options.range_m / step)));
    // Coarser sampling far out: ITM at every `stride`-th point beyond point `far`, the points
    // between interpolated once the next computed one is known.
    const std::size_t stride =
        options.far_from_m > 0.0 ? static_cast<std::size_t>(std::max(1, options.far_step)) : 1;
    const auto far = stride > 1
                         ? std::max<std::size_t>(
                               2, static_cast<std::size_t>(std::ceil(options.far_from_m / step)))
                         : steps + 1;
    struct Pending {
        std::size_t k, idx;
    };
    std::vector<Pending> pending; // cells of the points waiting for the next computed one
    std::vector<double> profile;
    profile.reserve(steps + 1);
    for (std::size_t j = 0; j < rays; ++j) {
        const double angle =
            2.0 * std::numbers::pi * static_cast<double>(j) / static_cast<double>(rays);
        const double dx = std::cos(angle) * step, dy = std::sin(angle) * step;
        profile.assign(1, z0);
        pending.clear();
        double last_dbm = kNaN; // the last computed point's power, and its index
        std::size_t last_k = 0;
        // Gives the waiting cells their power, interpolated up to point k's `dbm`.
        const auto settle = [&](std::size_t k, double dbm) {
            for (const Pending& w : pending) {
                const double t =
                    static_cast<double>(w.k - last_k) / static_cast<double>(k - last_k);
                out.values[w.idx] = static_cast<float>(last_dbm + (dbm - last_dbm) * t);
            }
            pending.clear();
            last_dbm = dbm;
            last_k = k;
        };
        for (std::size_t k = 1; k <= steps; ++k) {
            const XY p{antenna.x + dx * static_cast<double>(k),
                       antenna.y + dy * static_cast<double>(k)};
            const double z = sample(dem, p);
            if (std::isnan(z))
                break; // a hole: what lies beyond has no known profile along this ray
            profile.push_back(z);
            const bool computed = k < far || (k - far) % stride == 0 || k == steps;
            if (computed && k >= far) // an anchor of the interpolation
                settle(k, power(profile, step));
            int col = 0, row = 0;
            if (k < 2 || !g.cell_of(p, col, row) || centre_d2(col, row) > range2)
                continue;
            const XY c = g.centre(col, row);
            const double d2 = (c.x - p.x) * (c.x - p.x) + (c.y - p.y) * (c.y - p.y);
            const std::size_t idx = g.index(col, row);
            if (d2 >= best_d2[idx])
                continue; // a nearer ray point already gave this cell its value
            best_d2[idx] = d2;
            if (computed)
                out.values[idx] = static_cast<float>(k >= far ? last_dbm : power(profile, step));
            else
                pending.push_back({k, idx});
        }
        // A hole cut the ray before the next computed point: the last computed power holds.
        for (const Pending& w : pending)
            out.values[w.idx] = static_cast<float>(last_dbm);
    }

    // Cells no ray point fell in (the antenna's own and its neighbours): a profile of their
    // own, straight to the centre (to the cell's east edge for the antenna's own cell).
    std::vector<double> own;
    for (int row = 0; row < g.rows; ++row)
        for (int col = 0; col < g.cols; ++col) {
            const std::size_t idx = g.index(col, row);
            if (std::isfinite(best_d2[idx]) || centre_d2(col, row) > range2 ||
                std::isnan(dem.at(col, row)))
                continue;
            XY target = g.centre(col, row);
            double d = std::sqrt(centre_d2(col, row));
            if (d < 1.0) {
                target = {antenna.x + g.cell / 2.0, antenna.y};
                d = g.cell / 2.0;
            }
            const auto n = static_cast<std::size_t>(std::max(2.0, std::round(d / step)));
            own.assign(n + 1, kNaN);
            for (std::size_t i = 0; i <= n; ++i) {
                const double t = static_cast<double>(i) / static_cast<double>(n);
                own[i] = sample(dem, {antenna.x + (target.x - antenna.x) * t,
                                      antenna.y + (target.y - antenna.y) * t});
            }
            if (std::any_of(own.begin(), own.end(), [](double z) { return std::isnan(z); }))
                continue;
            out.values[idx] = static_cast<float>(power(own, d / static_cast<double>(n)));
        }
    if (stats)
        stats->evaluations = evaluations;
    return out;
}

} // namespace whitezone
