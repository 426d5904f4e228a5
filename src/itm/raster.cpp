// Received power of one station over a DEM grid with ITM along rays (itm_raster.hpp). The
// idea is SPLAT!'s and Signal-Server's: a ray's terrain profile is sampled once, and the loss
// to each of its points uses the profile's prefix up to that point. ITM itself stays the
// point-to-point model of itm.cpp, so every cell's loss is the loss of a real profile; what
// the prefixes of a ray share is computed once (ray.cpp), and ITM runs once per cell, at the
// ray point nearest its centre (docs/itm.md, "Speed").

#include "whitezone/error.hpp"
#include "whitezone/itm_raster.hpp"

#include "common/text.hpp"
#include "itm/detail.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <tuple>
#include <vector>

namespace whitezone {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// The cells are given their ray points from the cells (assign_wanted()) when fewer than one in
// this many of a station's disc are wanted: it costs several times the scan per cell wanted.
constexpr double kFewWanted = 8.0;

// The DEM at the point `u` cells from the grid's north-west corner (GridSpec::in_cells()),
// bilinear between the four nearest cell centres; NaN outside the grid (beyond half a cell from
// the outer centres) or next to a hole. Inlined: the cells' assignment calls it at every ray
// point.
[[gnu::always_inline]] inline double sample_at(const Raster<float>& dem, XY u) {
    const GridSpec& g = dem.grid;
    const double fc = u.x - 0.5, fr = u.y - 0.5;
    const auto bilinear = [&](int c, int r, int c1, int r1, double tx, double ty) {
        return (1.0 - ty) * ((1.0 - tx) * dem.at(c, r) + tx * dem.at(c1, r)) +
               ty * ((1.0 - tx) * dem.at(c, r1) + tx * dem.at(c1, r1));
    };
    // Between the outer centres (nearly every point): nothing to clamp, the same arithmetic.
    if (fc >= 0.0 && fr >= 0.0 && fc < g.cols - 1 && fr < g.rows - 1) {
        const int c = static_cast<int>(fc), r = static_cast<int>(fr);
        return bilinear(c, r, c + 1, r + 1, fc - c, fr - r);
    }
    const double cc = std::clamp(fc, 0.0, static_cast<double>(g.cols - 1));
    const double cr = std::clamp(fr, 0.0, static_cast<double>(g.rows - 1));
    if (std::abs(cc - fc) > 0.5 || std::abs(cr - fr) > 0.5)
        return kNaN;
    const int c = std::min(static_cast<int>(cc), std::max(0, g.cols - 2));
    const int r = std::min(static_cast<int>(cr), std::max(0, g.rows - 2));
    const double tx = std::min(1.0, cc - c), ty = std::min(1.0, cr - r);
    return bilinear(c, r, std::min(c + 1, g.cols - 1), std::min(r + 1, g.rows - 1), tx, ty);
}

// The DEM at `p` (sample_at()).
double sample(const Raster<float>& dem, XY p) { return sample_at(dem, dem.grid.in_cells(p)); }

double received_dbm(double loss_db, const ItmRasterOptions& o) {
    return o.eirp_dbm - loss_db + o.rx_gain_dbi;
}

// The rays of one station: `count` rays at equal angles, each with `steps` points `step_m`
// apart, close enough that neighbouring rays are at most one cell apart at the range.
struct Rays {
    XY antenna;
    double step_m = 0.0;
    std::size_t steps = 0, count = 0;

    // The points of a ray of range `range_m` at steps of `cell_m`.
    static std::size_t steps_for(double range_m, double cell_m) {
        return static_cast<std::size_t>(std::floor(range_m / cell_m));
    }
    Rays(XY a, double range_m, double cell_m)
        : antenna(a), step_m(cell_m), steps(steps_for(range_m, cell_m)),
          count(static_cast<std::size_t>(
              std::max(8.0, std::ceil(2.0 * std::numbers::pi * range_m / cell_m)))) {
        m_directions.reserve(count);
        for (std::size_t ray = 0; ray < count; ++ray) {
            const double angle =
                2.0 * std::numbers::pi * static_cast<double>(ray) / static_cast<double>(count);
            m_directions.push_back({std::cos(angle) * step_m, std::sin(angle) * step_m});
        }
    }
    // One step along ray `ray`.
    [[nodiscard]] XY direction(std::size_t ray) const { return m_directions[ray]; }
    [[nodiscard]] XY point(XY dir, std::size_t k) const {
        return {antenna.x + dir.x * static_cast<double>(k),
                antenna.y + dir.y * static_cast<double>(k)};
    }

  private:
    std::vector<XY> m_directions; // per ray, one step along it
};

// A ray point that gives a cell its value.
struct Target {
    std::size_t k;   // the point's place along its ray, 1 being one step from the antenna
    std::size_t idx; // the cell's index in the grid
};

// Which ray point gives each cell its value: the nearest to the cell's centre, the first in ray
// order among equally near ones. Deciding it before running ITM runs ITM once per cell, not
// once per ray point: near the antenna the rays crowd, several points to a cell.
struct Assignment {
    std::vector<std::size_t> begin;      // per ray, its first target; one more entry at the end
    std::vector<Target> targets;         // ray by ray, in order along each ray
    std::vector<std::size_t> length;     // per ray, its points before the first hole in the DEM
    std::vector<std::uint8_t> reached;   // per cell, 1 when a ray point gives it its value
    std::vector<std::uint32_t> unwanted; // the places along their rays of the cells reached but
                                         // not given, as no member wants them
    // Per ray, the DEM at its points 1 … length (sampled once: the profile), `stride` apart;
    // empty when only the wanted cells were given points (assign_wanted()): a ray's profile is
    // then sampled when the ray is walked.
    std::vector<double> heights;
    std::size_t stride = 0;

    [[nodiscard]] std::span<const Target> of(std::size_t ray) const {
        return std::span(targets).subspan(begin[ray], begin[ray + 1] - begin[ray]);
    }
    // The DEM at points 1 … n of ray `ray` (n at most its length), appended to `profile`.
    void profile_of(std::size_t ray, std::size_t n, const Raster<float>& dem, const Rays& rays,
                    std::vector<double>& profile) const {
        if (heights.empty()) {
            const XY dir = rays.direction(ray);
            for (std::size_t k = 1; k <= n; ++k)
                profile.push_back(sample(dem, rays.point(dir, k)));
            return;
        }
        const auto from = heights.begin() + static_cast<std::ptrdiff_t>(ray * stride);
        profile.insert(profile.end(), from, from + static_cast<std::ptrdiff_t>(n));
    }
};

// A cell's ray point so far: the nearest to its centre, the first offered among equally near
// (rays and points counted in 32 bits: a station's disc holds far fewer).
struct Nearest {
    double d2 = std::numeric_limits<double>::infinity();
    std::uint32_t ray = 0, k = 0;

    [[nodiscard]] bool found() const { return std::isfinite(d2); }
    void offer(XY c, XY p, std::size_t j, std::size_t k_p) {
        const double d = (c.x - p.x) * (c.x - p.x) + (c.y - p.y) * (c.y - p.y);
        if (d < d2)
            *this = {d, static_cast<std::uint32_t>(j), static_cast<std::uint32_t>(k_p)};
    }
};

// Far out the rays are up to a cell apart, and a cell may lie between two rays' points with
// none inside it. It takes the ray point nearest its centre `c` among the four around it (two
// rays, two steps): no further from the centre than a point inside a cell can be (half the
// cell's diagonal), and that point's ITM is usually computed anyway, for the cell it lies in.
// A cell with one of its four beyond a shortened `scan` is left to the scan of the whole ray (it
// lies far out), which gives it its point; on the whole ray a point beyond the last is no
// candidate, nor is one before `first`.
void between_rays(const Rays& rays, XY c, std::size_t first, std::size_t scan,
                  const std::vector<std::size_t>& length, Nearest& best) {
    const double dx = c.x - rays.antenna.x, dy = c.y - rays.antenna.y;
    const double kf = std::floor(std::sqrt(dx * dx + dy * dy) / rays.step_m);
    if (kf + 1.0 < static_cast<double>(first) ||
        (kf + 1.0 > static_cast<double>(scan) && scan < rays.steps))
        return;
    double turn = std::atan2(dy, dx) / (2.0 * std::numbers::pi);
    turn -= std::floor(turn);
    const double jf = std::floor(turn * static_cast<double>(rays.count));
    std::array<std::size_t, 2> js{static_cast<std::size_t>(jf) % rays.count,
                                  (static_cast<std::size_t>(jf) + 1) % rays.count};
    if (js[1] < js[0])
        std::swap(js[0], js[1]);
    for (const std::size_t j : js) {
        const XY dir = rays.direction(j);
        for (auto k = static_cast<std::size_t>(kf); k <= static_cast<std::size_t>(kf) + 1; ++k)
            if (k >= 2 && k <= length[j])
                best.offer(c, rays.point(dir, k), j, k);
    }
}

// A cell given ray point (ray, k).
struct Given {
    std::uint32_t ray, k;
    std::size_t idx;
};

// Cell `idx` (centre `c`, within range) given the point `b` found in it, else the nearest of
// the four around it (between_rays()), if any. A cell that no member wants (`wanted`, when
// given) is reached but not given: only its point's place along the ray is noted, in `unwanted`
// (the members count it as left out).
void give(Assignment& out, std::vector<Given>& given, const Rays& rays, XY c, std::size_t idx,
          std::size_t first, std::size_t scan, Nearest& b,
          const std::vector<std::uint8_t>* wanted) {
    if (!b.found())
        between_rays(rays, c, first, scan, out.length, b);
    if (b.found()) {
        out.reached[idx] = 1;
        if (wanted == nullptr || (*wanted)[idx] != 0)
            given.push_back({b.ray, b.k, idx});
        else
            out.unwanted.push_back(b.k);
    }
}

// The targets of `out`, ray by ray, each ray's in order along it, from the cells given points.
void collect(Assignment& out, std::size_t rays, std::span<const Given> given) {
    out.begin.assign(rays + 1, 0);
    for (const Given& c : given)
        ++out.begin[c.ray + 1];
    for (std::size_t j = 0; j < rays; ++j)
        out.begin[j + 1] += out.begin[j];
    out.targets.resize(out.begin.back());
    std::vector<std::size_t> next(out.begin.begin(), out.begin.end() - 1);
    for (const Given& c : given)
        out.targets[next[c.ray]++] = {c.k, c.idx};
    for (std::size_t j = 0; j < rays; ++j)
        std::sort(out.targets.begin() + static_cast<std::ptrdiff_t>(out.begin[j]),
                  out.targets.begin() + static_cast<std::ptrdiff_t>(out.begin[j + 1]),
                  [](const Target& l, const Target& r) {
                      return l.k < r.k || (l.k == r.k && l.idx < r.idx);
                  });
}

// Only the points up to `scan` along each ray are looked at: for a call that computes only the
// cells near the antenna (ItmRasterPart::near), those two beyond its last point, so that each
// cell whose value comes from a point before that gets the same point as in a whole scan. And
// only the points from `from` on are given to cells (those before are still sampled, for the
// profiles): for a call that computes only the cells far out, from one before the first anchor.
// The points inside one cell lie less than two steps apart along the rays (its diagonal is
// √2 steps), so every cell whose point lies at or beyond the first anchor gets the same point as
// in a whole scan. With `wanted` (a byte per cell), only the cells wanted become targets (give()).
Assignment assign_cells(const Raster<float>& dem, const Rays& rays, double range_m,
                        std::size_t scan, std::size_t from,
                        const std::vector<std::uint8_t>* wanted) {
    const GridSpec& g = dem.grid;
    const double range2 = range_m * range_m;
    const XY a = rays.antenna;
    std::vector<Nearest> best(g.size());
    Assignment out;
    out.length.assign(rays.count, 0);
    out.stride = scan;
    out.heights.assign(rays.count * scan, kNaN);
    const std::size_t first = std::max<std::size_t>(2, from); // the first point given to a cell
    for (std::size_t j = 0; j < rays.count; ++j) {
        const XY dir = rays.direction(j);
        for (std::size_t k = 1; k <= scan; ++k) {
            const XY p = rays.point(dir, k);
            const XY u = g.in_cells(p); // once for the height and the cell
            const double z = sample_at(dem, u);
            if (std::isnan(z))
                break; // a hole: what lies beyond has no known profile along this ray
            out.heights[j * out.stride + k - 1] = z;
            out.length[j] = k;
            int col = 0, row = 0;
            if (k < first || !g.cell_at(u, col, row))
                continue;
            const XY c = g.centre(col, row);
            if ((c.x - a.x) * (c.x - a.x) + (c.y - a.y) * (c.y - a.y) > range2)
                continue;
            best[g.index(col, row)].offer(c, p, j, k);
        }
    }
    out.reached.assign(g.size(), 0);
    std::vector<Given> given;
    for (int row = 0; row < g.rows; ++row)
        for (int col = 0; col < g.cols; ++col) {
            const std::size_t idx = g.index(col, row);
            const XY c = g.centre(col, row);
            if ((c.x - a.x) * (c.x - a.x) + (c.y - a.y) * (c.y - a.y) <= range2)
                give(out, given, rays, c, idx, first, scan, best[idx], wanted); // none beyond it
        }
    collect(out, rays.count, given);
    return out;
}

// The same assignment for the `wanted` cells only (a byte per cell of the grid), found from the
// cells rather than from the rays: for each, the rays that pass within half the cell's diagonal
// of its centre, and their points in the cell, offered in ray order as the scan above offers
// them. It gives those cells the same points as assign_cells() where no ray meets a hole in the
// DEM or leaves the grid before `scan` (every ray is then `scan` points long, and the profiles
// are sampled only when the rays are walked, only as far as needed): cheaper when few cells
// are wanted, as in a caller's pass over the cells it deferred (`defer_refined`, `in_full`).
Assignment assign_wanted(const Raster<float>& dem, const Rays& rays, double range_m,
                         std::size_t scan, std::size_t from,
                         const std::vector<std::uint8_t>& wanted) {
    const GridSpec& g = dem.grid;
    const double range2 = range_m * range_m;
    const XY a = rays.antenna;
    const auto count = static_cast<double>(rays.count);
    Assignment out;
    out.length.assign(rays.count, scan);
    out.reached.assign(g.size(), 0);
    const std::size_t first = std::max<std::size_t>(2, from);
    const double half = g.cell * std::sqrt(0.5); // half a cell's diagonal
    const double reach = half / rays.step_m;     // the same in steps along a ray
    std::vector<Given> given;
    std::vector<std::size_t> js;
    for (int row = 0; row < g.rows; ++row)
        for (int col = 0; col < g.cols; ++col) {
            const std::size_t idx = g.index(col, row);
            if (wanted[idx] == 0)
                continue;
            const XY c = g.centre(col, row);
            const double dx = c.x - a.x, dy = c.y - a.y, r2 = dx * dx + dy * dy;
            if (r2 > range2)
                continue;
            // The rays within `half` of the centre (one more on each side for rounding).
            js.clear();
            const double r = std::sqrt(r2);
            double turn = std::atan2(dy, dx) / (2.0 * std::numbers::pi);
            turn -= std::floor(turn);
            const double width =
                r > 2.0 * half ? std::asin(half / r) / (2.0 * std::numbers::pi) : 1.0;
            const auto lo = static_cast<long long>(std::floor((turn - width) * count)) - 1;
            const auto hi = static_cast<long long>(std::ceil((turn + width) * count)) + 1;
            const auto n = static_cast<long long>(rays.count);
            if (hi - lo + 1 >= n) {
                for (std::size_t j = 0; j < rays.count; ++j)
                    js.push_back(j);
            } else {
                for (long long q = lo; q <= hi; ++q)
                    js.push_back(static_cast<std::size_t>((q % n + n) % n));
                std::sort(js.begin(), js.end());
            }
            Nearest b;
            for (const std::size_t j : js) {
                // The centre lies `t` steps along ray j; its points in the cell within `reach`.
                const XY dir = rays.direction(j);
                const double t = (dx * dir.x + dy * dir.y) / (rays.step_m * rays.step_m);
                const double k_lo = std::max(static_cast<double>(first), std::floor(t - reach));
                const double k_hi = std::min(static_cast<double>(scan), std::ceil(t + reach));
                for (double kd = k_lo; kd <= k_hi; kd += 1.0) {
                    const auto k = static_cast<std::size_t>(kd);
                    const XY p = rays.point(dir, k);
                    int pc = 0, pr = 0;
                    if (g.cell_of(p, pc, pr) && pc == col && pr == row)
                        b.offer(c, p, j, k);
                }
            }
            give(out, given, rays, c, idx, first, scan, b, nullptr);
        }
    collect(out, rays.count, given);
    return out;
}

// Whether every ray samples the DEM without a hole up to `scan` points: the grid holds no hole
// and contains the disc they reach (the condition of assign_wanted()).
bool rays_whole(const Raster<float>& dem, const Rays& rays, std::size_t scan) {
    const GridSpec& g = dem.grid;
    const double r = static_cast<double>(scan) * rays.step_m + g.cell;
    const XY a = rays.antenna;
    if (a.x - r < g.x0 || a.x + r > g.x0 + g.cols * g.cell || a.y + r > g.y0 ||
        a.y - r < g.y0 - g.rows * g.cell)
        return false;
    return std::none_of(dem.values.begin(), dem.values.end(),
                        [](float v) { return std::isnan(v); });
}

// Coarser sampling far out (ItmRasterOptions::far_from_m): ITM at the anchors, every
// `stride`-th point from point `far` on and the last point of the ray; the points between take
// the power interpolated between the two anchors around them.
struct Sampling {
    std::size_t far = 0;    // the first anchor; no anchors when beyond the ray
    std::size_t stride = 1; // anchors' spacing, in points

    // For rays of `steps` points `step_m` apart.
    Sampling(const ItmRasterOptions& o, double step_m, std::size_t steps) {
        stride = o.far_from_m > 0.0 ? static_cast<std::size_t>(std::max(1, o.far_step)) : 1;
        far = stride > 1 ? std::max<std::size_t>(
                               2, static_cast<std::size_t>(std::ceil(o.far_from_m / step_m)))
                         : steps + 1;
    }
    // The anchor after point k (k >= far) on a ray of `length` points (k itself when it is one).
    [[nodiscard]] std::size_t anchor_after(std::size_t k, std::size_t length) const {
        return level_after(k, 0, length);
    }
    // Far out with a decision band the anchors come in levels (ItmRasterOptions::deep_db):
    // a stretch of level l spans stride · 2^l points, from level kLevels down to 1, each
    // halving the one above; level 0 is the ordinary anchors' stretch.
    static constexpr std::size_t kLevels = 6;
    static_assert(kLevels + 2 <= itm::RayTerrain::kLanes, "a lane per level and two more");
    [[nodiscard]] std::size_t span(std::size_t level) const { return stride << level; }
    // The stretch of level 0 holding point k (k >= far), counted from `far`; that of level l is
    // this one shifted right by l (⌊⌊x / s⌋ / 2^l⌋ = ⌊x / (s · 2^l)⌋), without a division of
    // its own.
    [[nodiscard]] std::size_t stretch(std::size_t k) const { return (k - far) / stride; }
    // The start of the stretch of `level` holding point k (k >= far), and its end on a ray of
    // `length` points.
    [[nodiscard]] std::size_t level_before(std::size_t k, std::size_t level) const {
        return far + (stretch(k) >> level) * span(level);
    }
    [[nodiscard]] std::size_t level_after(std::size_t k, std::size_t level,
                                          std::size_t length) const {
        const std::size_t before = level_before(k, level);
        return std::min(before + (before == k ? 0 : span(level)), length);
    }
};

// Along a profile, what tells whether the power between two points may be interpolated:
// `changes[k]` counts the points up to k whose receiver sees the antenna while the one before
// does not, or the other way round, and `clearance_m[k]` is how far the receiver at point k
// lies above (+) or below (−) the antenna's grazing line over the terrain before it. The
// receiver sees the antenna when its elevation angle from the antenna is no lower than the
// horizon, the highest angle of the terrain before it (ITM's horizon test, Algorithm §3,
// hzns), over the standard atmosphere's 4/3 earth [ITU-R P.453].
// `knife_db(k)` is the loss of a knife edge at the horizon for the receiver at point k in the
// shadow (0 for one that sees the antenna): J(v) of ITM's knife edge, v from how far the
// receiver lies below the grazing line and where the horizon lies [TN101 Eq. III.24]; computed
// when first asked (only the deep-stretch test asks, for the points between its anchors).
struct Sightlines {
    std::vector<std::size_t> changes;
    std::vector<double> clearance_m;

    void trace(std::span<const double> profile, double step_m, const ItmParameters& p) {
        constexpr double kEarthRadius_m = 6370e3 * 4.0 / 3.0;
        const double z_tx = profile[0] + p.h_tx_m;
        // The earth's drop d/2a at each point depends on the step alone: divided once for the
        // rays of one step, not twice per point.
        if (m_drop_step_m != step_m || m_drop.size() < profile.size()) {
            m_drop.resize(profile.size());
            for (std::size_t k = 0; k < profile.size(); ++k)
                m_drop[k] = static_cast<double>(k) * step_m / (2.0 * kEarthRadius_m);
            m_drop_step_m = step_m;
        }
        const auto angle = [&](double z, double d, std::size_t k) {
            return (z - z_tx) / d - m_drop[k];
        };
        m_step_m = step_m;
        m_wavelength_m = 299.792458 / p.f_mhz;
        // Every entry but the first is written below: the storage of the ray before is reused.
        changes.resize(profile.size());
        clearance_m.resize(profile.size());
        m_horizon_m.resize(profile.size());
        changes[0] = 0;
        clearance_m[0] = 0.0;
        m_horizon_m[0] = 0.0;
        m_knife_db.assign(profile.size(), kNaN);
        double horizon = -std::numeric_limits<double>::infinity();
        double d_horizon = 0.0;
        bool seen = true;
        for (std::size_t k = 1; k < profile.size(); ++k) {
            const double d = static_cast<double>(k) * step_m;
            const double rx = angle(profile[k] + p.h_rx_m, d, k);
            const bool sees = rx >= horizon;
            changes[k] = changes[k - 1] + (k > 1 && sees != seen ? 1 : 0);
            clearance_m[k] = k > 1 ? (rx - horizon) * d : 0.0;
            m_horizon_m[k] = k > 1 && !sees ? d_horizon : -1.0; // −1: no knife edge
            seen = sees;
            const double terrain = angle(profile[k], d, k);
            if (terrain > horizon) {
                horizon = terrain;
                d_horizon = d;
            }
        }
    }
    [[nodiscard]] double knife_db(std::size_t k) const {
        double& loss = m_knife_db[k];
        if (std::isnan(loss)) {
            loss = 0.0;
            if (const double d_horizon = m_horizon_m[k]; d_horizon >= 0.0) {
                // The edge's height over the line from the antenna to the receiver is the
                // receiver's depth below the grazing line scaled by d_h / d.
                const double d = static_cast<double>(k) * m_step_m;
                const double depth = -clearance_m[k];
                loss = itm::fresnel_knife_edge(depth * depth * 2.0 * d_horizon /
                                               (m_wavelength_m * d * (d - d_horizon)));
            }
        }
        return loss;
    }
    // Whether a receiver strictly between points a and b has a knife-edge loss more than
    // `slack_db` below the lower of the two ends'.
    [[nodiscard]] bool lighter(std::size_t a, std::size_t b, double slack_db) const {
        const double floor_db = std::min(knife_db(a), knife_db(b)) - slack_db;
        for (std::size_t k = a + 1; k < b; ++k)
            if (knife_db(k) < floor_db)
                return true;
        return false;
    }
    // Whether the receivers between points a and b differ in visibility.
    [[nodiscard]] bool visibility_differs(std::size_t a, std::size_t b) const {
        return changes[b] != changes[a];
    }
    // Whether a receiver strictly between points a and b in the shadow lies more than
    // `tolerance_m` off the line between the clearances at a and b: a valley or a crest
    // between them that interpolating the power would pass over.
    [[nodiscard]] bool off_the_line(std::size_t a, std::size_t b, double tolerance_m) const {
        for (std::size_t k = a + 1; k < b; ++k) {
            const double line = clearance_m[a] + (clearance_m[b] - clearance_m[a]) *
                                                     static_cast<double>(k - a) /
                                                     static_cast<double>(b - a);
            if (std::min(line, clearance_m[k]) < 0.0 &&
                std::abs(clearance_m[k] - line) > tolerance_m)
                return true;
        }
        return false;
    }

  private:
    double m_step_m = 0.0, m_wavelength_m = 0.0;
    std::vector<double> m_drop; // per point, d/2a for steps of m_drop_step_m
    double m_drop_step_m = 0.0;
    std::vector<double> m_horizon_m;        // per point in the shadow, its horizon's distance
    mutable std::vector<double> m_knife_db; // per point, NaN until asked
};

} // namespace

std::vector<Raster<float>> itm_received_power(const Raster<float>& dem, XY antenna,
                                              std::span<const ItmRasterOptions> group,
                                              std::span<ItmRasterStats> stats) {
    if (group.empty())
        return {};
    const double range_m = group.front().range_m;
    const GridSpec& g = dem.grid;
    for (const ItmRasterOptions& o : group) {
        validate_itm_parameters(o.itm);
        if (o.range_m != range_m)
            throw std::invalid_argument("itm_received_power: a group's stations share one range");
        if (o.wanted && o.wanted->size() != g.size())
            throw std::invalid_argument("itm_received_power: `wanted` has one byte per cell");
    }
    const double z0 = sample(dem, antenna);
    if (std::isnan(z0))
        throw InputError("itm: the antenna at (" + text::fixed(antenna.x, 1) + ", " +
                         text::fixed(antenna.y, 1) +
                         ") lies outside the DEM's grid or on no data; give a DEM that covers "
                         "the station.");
    if (!(range_m > 0.0) || !(g.cell > 0.0))
        throw InputError("itm: the range (" + text::fixed(range_m, 1) +
                         " m) and the DEM's cell size must be positive.");

    // The members with the same antenna heights and refractivity (a class) share the path
    // geometry of every profile; all of them share the rays, the profiles and the receivers'
    // horizons (RayTerrain).
    const std::size_t members = group.size();
    std::vector<std::size_t> class_of(members);
    std::vector<std::size_t> leaders; // per class, its first member
    for (std::size_t m = 0; m < members; ++m) {
        const ItmParameters& p = group[m].itm;
        const auto same = [&](std::size_t l) {
            const ItmParameters& q = group[l].itm;
            return q.h_tx_m == p.h_tx_m && q.h_rx_m == p.h_rx_m && q.n0 == p.n0;
        };
        const auto it = std::find_if(leaders.begin(), leaders.end(), same);
        class_of[m] = static_cast<std::size_t>(it - leaders.begin());
        if (it == leaders.end())
            leaders.push_back(m);
    }
    std::vector<ItmRasterStats> counts(members);
    std::vector<itm::Radio> radios; // per member, what ITM derives from its parameters alone
    for (const ItmRasterOptions& o : group)
        radios.emplace_back(o.itm);
    const auto loss_db = [&](std::size_t m, const itm::PathGeometry& path) {
        ++counts[m].evaluations;
        return received_dbm(itm::path_loss(path, radios[m], 0).loss_db, group[m]);
    };
    std::vector<Raster<float>> out(members);
    for (Raster<float>& r : out) {
        r.grid = g;
        r.values.assign(g.size(), std::numeric_limits<float>::quiet_NaN());
    }

    const Rays rays(antenna, range_m, g.cell);
    std::vector<Sampling> sampling;
    for (const ItmRasterOptions& o : group)
        sampling.emplace_back(o, rays.step_m, rays.steps);
    // How far along the rays the cells are assigned: all the way, unless every member
    // computes only the part near the antenna.
    std::size_t scan = 0;
    for (std::size_t m = 0; m < members; ++m)
        scan =
            std::max(scan, group[m].part == ItmRasterPart::near ? sampling[m].far + 2 : rays.steps);
    scan = std::min(scan, rays.steps);
    // From where they are given to cells: from the start, unless every member computes only the
    // part far out.
    std::size_t from = rays.steps;
    for (std::size_t m = 0; m < members; ++m)
        from = std::min(from, group[m].part == ItmRasterPart::far ? sampling[m].far - 1 : 1);
    // When every member computes only cells it wants, only those are given points (to the
    // others only their places, for the count of cells left out); when the members compute them
    // in full and they are few (as in a caller's pass over the cells it deferred), the cells
    // find their points themselves.
    std::vector<std::uint8_t> wanted_any;
    const bool filtered = std::all_of(
        group.begin(), group.end(), [](const ItmRasterOptions& o) { return o.wanted != nullptr; });
    const bool sparse =
        filtered && std::all_of(group.begin(), group.end(),
                                [](const ItmRasterOptions& o) { return o.in_full; });
    if (filtered) {
        wanted_any.assign(g.size(), 0);
        for (const ItmRasterOptions& o : group)
            for (std::size_t idx = 0; idx < g.size(); ++idx)
                wanted_any[idx] |= (*o.wanted)[idx];
    }
    const double disc = std::numbers::pi * range_m * range_m / (g.cell * g.cell);
    const Assignment assigned =
        sparse &&
                static_cast<double>(std::count_if(wanted_any.begin(), wanted_any.end(),
                                                  [](std::uint8_t w) { return w != 0; })) <
                    disc / kFewWanted &&
                rays_whole(dem, rays, scan)
            ? assign_wanted(dem, rays, range_m, scan, from, wanted_any)
            : assign_cells(dem, rays, range_m, scan, from, filtered ? &wanted_any : nullptr);
    std::vector<double> profile, known;
    std::vector<std::size_t> stretches; // per wanted target of a ray, below
    std::vector<std::uint8_t> deep_level;
    // Per level of the stretches far out (Sampling::kLevels) and stretch: 1 deep, 0 not, −1 not
    // yet known.
    std::array<std::vector<signed char>, Sampling::kLevels + 1> deep_of;
    // Per class and ray point, the geometry of the prefix up to it, once computed.
    std::vector<std::vector<itm::PathGeometry>> paths(leaders.size());
    std::vector<std::vector<std::uint8_t>> have(leaders.size());
    Sightlines sightlines;
    itm::RayTerrain terrain;
    std::vector<std::size_t> lasts; // per member, the ray's last point it needs
    std::vector<std::vector<Target>> mine(members);
    // Whether target t lies in the part member m computes (ItmRasterOptions::part), and
    // whether it is also wanted.
    const auto in_range = [&](std::size_t m, const Target& t) {
        const ItmRasterPart part = group[m].part;
        return part == ItmRasterPart::all ||
               (t.k < sampling[m].far) == (part == ItmRasterPart::near);
    };
    const auto in_part = [&](std::size_t m, const Target& t) {
        const std::vector<std::uint8_t>* wanted = group[m].wanted;
        return in_range(m, t) && (wanted == nullptr || (*wanted)[t.idx] != 0);
    };
    // The cells reached that no member wants, left out by each member in whose part they lie.
    for (std::size_t m = 0; m < members; ++m)
        if (!group[m].in_full)
            for (const std::uint32_t k : assigned.unwanted)
                counts[m].left_out += in_range(m, Target{k, 0}) ? 1 : 0;
    // Whether member m computes the anchors far out in levels (ItmRasterOptions::deep_db): with
    // the adaptive sampling and a decision band.
    const auto in_levels = [&](std::size_t m) {
        return sampling[m].stride > 1 && group[m].refine && !std::isnan(group[m].decision_low_dbm);
    };
    // Across the rays (ItmRasterOptions::share_close_rays; docs/itm.md, "Anchors shared by close
    // rays"): the rays are at most a cell apart at the range. Every fourth ray computes its
    // anchors itself (tier 0); the ray halfway between two of those (tier 1) may take the mean
    // of their anchors, two rays away and so within two cells of its points; an odd-numbered
    // ray (tier 2) the mean of the two rays beside it, within a cell. The rays are walked tier
    // by tier; per member, per even ray and anchor, the power and the clearance there (NaN:
    // not known yet).
    const auto tier = [](std::size_t j) -> std::size_t {
        return j % 2 == 1 ? 2 : j % 4 == 2 ? 1 : 0;
    };
    // The two rays whose anchors ray j may share; {j, j} when it computes its own (tier 0, or
    // a neighbour of no lower tier: next to ray 0 when the count is not a multiple of four).
    const auto sources = [&](std::size_t j) -> std::pair<std::size_t, std::size_t> {
        const std::size_t t = tier(j), apart = t == 1 ? 2 : 1;
        const std::size_t after = (j + apart) % rays.count;
        if (t == 0 || tier(after) >= t)
            return {j, j};
        return {j - apart, after};
    };
    struct Beside {
        double dbm = kNaN, clearance_m = kNaN;
    };
    std::vector<std::vector<Beside>> beside(members);
    std::vector<std::size_t> slots(members, 0);
    for (std::size_t m = 0; m < members; ++m)
        if (in_levels(m) && group[m].share_close_rays && !group[m].in_full &&
            rays.steps >= sampling[m].far) {
            slots[m] = (rays.steps - sampling[m].far) / sampling[m].stride + 1;
            beside[m].assign((rays.count + 1) / 2 * slots[m], Beside{});
        }
    // An even ray's anchor that its own walk did not ask for is found when a ray sharing it
    // asks, by the same rule (ITM over the same prefix, or the mean of its own sources), so
    // that every anchor depends on the terrain alone, not on which cells the rays were asked
    // for. The sides hold the profiles of the rays so asked, the least recently used replaced.
    struct Side {
        std::size_t ray = std::numeric_limits<std::size_t>::max(), used = 0;
        std::vector<double> profile;
        itm::RayTerrain terrain;
        std::vector<Sightlines> lines; // per member, its clearances when `traced`
        std::vector<std::uint8_t> traced;
    };
    std::array<Side, 4> sides; // a tier-1 ray's and its two sources', and one more
    std::size_t side_clock = 0;
    const auto side_of = [&](std::size_t m, std::size_t jn) -> Side& {
        auto it = std::find_if(sides.begin(), sides.end(),
                               [&](const Side& side) { return side.ray == jn; });
        if (it == sides.end()) {
            it = std::min_element(sides.begin(), sides.end(),
                                  [](const Side& x, const Side& y) { return x.used < y.used; });
            it->profile.assign(1, z0);
            assigned.profile_of(jn, assigned.length[jn], dem, rays, it->profile);
            it->terrain.assign(it->profile, rays.step_m);
            it->ray = jn;
            it->lines.resize(members);
            it->traced.assign(members, 0);
        }
        it->used = ++side_clock;
        if (it->traced[m] == 0) {
            it->lines[m].trace(it->profile, rays.step_m, group[m].itm);
            it->traced[m] = 1;
        }
        return *it;
    };
    // The decision band of member m along ray j (ItmRasterOptions::gain_between): over the
    // bearings of the ray's cells far out (each within √2 cells of its ray point, at least
    // `far_from_m` from the antenna) and of the rays two either side, whose anchors it shares.
    const auto band_of = [&](std::size_t m, std::size_t j) -> std::pair<double, double> {
        const ItmRasterOptions& o = group[m];
        if (!o.gain_between)
            return {o.decision_low_dbm, o.decision_high_dbm};
        const double apart = 360.0 / static_cast<double>(rays.count);
        const double from_m = std::max(static_cast<double>(sampling[m].far), 1.0) * rays.step_m;
        const double off = std::asin(std::min(1.0, std::numbers::sqrt2 * rays.step_m / from_m)) *
                           180.0 / std::numbers::pi;
        // Ray j's bearing, clockwise from grid north (Rays::direction() turns anticlockwise
        // from east).
        const double bearing = 90.0 - apart * static_cast<double>(j);
        const auto [lowest, highest] =
            o.gain_between(bearing - 2.0 * apart - off, bearing + 2.0 * apart + off);
        return {o.decision_low_dbm - highest, o.decision_low_dbm - lowest};
    };
    // The anchor of even ray jn at `slot` for member m (NaN beyond the ray's end).
    std::function<const Beside&(std::size_t, std::size_t, std::size_t)> beside_at;
    // The power at ray j's anchor `slot` from its sources: the mean of theirs when the three
    // receivers see the antenna alike, this one's clearance `own_m` lies within
    // `refine_clearance_m` of the mean of theirs, and their powers lie on one side of the
    // decision band, beyond the margin; else NaN.
    const auto shared = [&](std::size_t m, std::size_t j, std::size_t slot, double own_m) {
        const auto [before, after] = sources(j);
        if (before == j)
            return kNaN;
        const ItmRasterOptions& o = group[m];
        const Beside& l = beside_at(m, before, slot);
        const Beside& r = beside_at(m, after, slot);
        // (Plain variables, not a structured binding: clang 14 cannot capture one.)
        const std::pair<double, double> band = band_of(m, j);
        const double band_low = band.first, band_high = band.second;
        const auto side = [&](double dbm) {
            return dbm < band_low - o.refine_margin_db    ? -1
                   : dbm > band_high + o.refine_margin_db ? 1
                                                          : 0;
        };
        if (!std::isnan(l.dbm) && !std::isnan(r.dbm) && (l.clearance_m >= 0.0) == (own_m >= 0.0) &&
            (r.clearance_m >= 0.0) == (own_m >= 0.0) &&
            std::abs(own_m - 0.5 * (l.clearance_m + r.clearance_m)) <= o.refine_clearance_m &&
            side(l.dbm) != 0 && side(l.dbm) == side(r.dbm)) {
            ++counts[m].across;
            return 0.5 * (l.dbm + r.dbm);
        }
        return kNaN;
    };
    beside_at = [&](std::size_t m, std::size_t jn, std::size_t slot) -> const Beside& {
        Beside& b = beside[m][jn / 2 * slots[m] + slot];
        const std::size_t k = sampling[m].far + slot * sampling[m].stride;
        if (!std::isnan(b.dbm) || k > assigned.length[jn])
            return b;
        const double clearance = side_of(m, jn).lines[m].clearance_m[k];
        double dbm = shared(m, jn, slot, clearance);
        if (std::isnan(dbm)) {
            const Side& side = side_of(m, jn); // still held: its sources' came after it
            dbm = loss_db(m, itm::analyse_path(std::span(side.profile).first(k + 1), rays.step_m,
                                               group[m].itm, &side.terrain));
        }
        b = {dbm, clearance};
        return b;
    };
    std::vector<std::size_t> order; // the rays tier by tier
    for (std::size_t t = 0; t <= 2; ++t)
        for (std::size_t j = 0; j < rays.count; ++j)
            if (tier(j) == t)
                order.push_back(j);
    profile.reserve(rays.steps + 1);
    for (const std::size_t j : order) {
        const std::span<const Target> targets = assigned.of(j);
        if (targets.empty())
            continue;
        const std::size_t length = assigned.length[j];
        // Per member, the targets in its part and wanted (in ray order), and the ray's last
        // point it needs (0 for none); the others in its part are counted as left out.
        lasts.clear();
        for (std::size_t m = 0; m < members; ++m) {
            mine[m].clear();
            for (const Target& t : targets)
                if (in_part(m, t))
                    mine[m].push_back(t);
                else if (!group[m].in_full && in_range(m, t))
                    ++counts[m].left_out;
            const Sampling& s = sampling[m];
            const std::size_t k = mine[m].empty() ? 0 : mine[m].back().k;
            lasts.push_back(k < s.far || group[m].in_full ? k
                            : in_levels(m) ? s.level_after(k, Sampling::kLevels, length)
                                           : s.anchor_after(k, length));
        }
        const std::size_t last = *std::max_element(lasts.begin(), lasts.end());
        if (last == 0)
            continue; // nothing wanted on this ray
        profile.assign(1, z0);
        assigned.profile_of(j, last, dem, rays, profile);
        // What the prefixes share, computed once for the ray (the running sums, the horizons).
        terrain.assign(profile, rays.step_m);
        for (std::size_t c = 0; c < leaders.size(); ++c) {
            have[c].assign(last + 1, 0);
            paths[c].resize(std::max(paths[c].size(), last + 1));
        }
        for (std::size_t m = 0; m < members; ++m) {
            const ItmRasterOptions& o = group[m];
            const Sampling& sm = sampling[m];
            const std::size_t c = class_of[m];
            if (lasts[m] == 0)
                continue;
            // ITM over the prefix up to point k, each point computed at most once per member
            // (anchors are shared by the targets around them), its geometry once per class.
            known.assign(last + 1, kNaN);
            const auto power_at = [&](std::size_t k) {
                if (std::isnan(known[k])) {
                    if (have[c][k] == 0) {
                        paths[c][k] = itm::analyse_path(std::span(profile).first(k + 1),
                                                        rays.step_m, o.itm, &terrain);
                        have[c][k] = 1;
                    }
                    known[k] = loss_db(m, paths[c][k]);
                }
                return known[k];
            };
            if (o.in_full) {
                for (const Target& t : mine[m])
                    out[m].values[t.idx] = static_cast<float>(power_at(t.k));
                continue;
            }
            const bool adaptive = sm.stride > 1 && o.refine;
            if (adaptive && o.part != ItmRasterPart::near) // the near part has no anchors
                sightlines.trace(profile, rays.step_m, o.itm);
            const std::pair<double, double> band = band_of(m, j);
            const double band_low = band.first, band_high = band.second;
            // Whether the stretch between anchors a and b lies so deep below the decision band
            // that no point between can be served (ItmRasterOptions::deep_db): both anchors
            // more than `deep_db` below it, the antenna's visibility the same all the way, and
            // no receiver whose knife edge loses less than the ends' by more than they lie
            // below that, less the margin.
            const auto deep = [&](std::size_t a, std::size_t b) {
                if (!adaptive || b <= a + 1 || std::isnan(band_low))
                    return false;
                const double below = band_low - std::max(known[a], known[b]);
                return below > o.deep_db && !sightlines.visibility_differs(a, b) &&
                       !sightlines.lighter(a, b, below - o.deep_db - o.refine_margin_db);
            };
            // Whether the points strictly between anchors a and b need ITM of their own: the
            // count of the first check that says so (ItmRasterStats), else null.
            const auto refine = [&](std::size_t a, std::size_t b) -> std::size_t* {
                if (!adaptive || b <= a + 1 || deep(a, b))
                    return nullptr;
                if (sightlines.visibility_differs(a, b))
                    return &counts[m].refined_visibility;
                if (sightlines.off_the_line(a, b, o.refine_clearance_m))
                    return &counts[m].refined_clearance;
                const auto [low, high] = std::minmax(known[a], known[b]);
                if (high >= band_low - o.refine_margin_db && low <= band_high + o.refine_margin_db)
                    return &counts[m].refined_margin;
                return nullptr;
            };
            // The power at anchor k: shared from the rays beside where they agree (`shared`),
            // else its own.
            const auto anchor_at = [&](std::size_t k) {
                if (slots[m] != 0 && std::isnan(known[k]) && (k - sm.far) % sm.stride == 0)
                    known[k] = shared(m, j, (k - sm.far) / sm.stride, sightlines.clearance_m[k]);
                return power_at(k);
            };
            // Far out the anchors come in levels: the ends of the widest stretches first, then
            // level by level the middle of each stretch that is not deep below the band, down
            // to the ordinary anchors, which only the stretches that are not deep need.
            const bool levels = in_levels(m);
            for (std::size_t l = 1; l <= Sampling::kLevels; ++l)
                deep_of[l].assign(levels && last >= sm.far ? (last - sm.far) / sm.span(l) + 2 : 0,
                                  -1);
            // Per target, its stretch of level 0 (level l's is this shifted right by l) and the
            // level of the deep stretch it lies strictly inside (0 for none). The levels are
            // walked from the widest down: at level l a target not yet placed is an anchor of
            // that level (and of those below: in no deep stretch), lies strictly inside a
            // stretch found deep (whose ends are computed when the stretch is first met), or is
            // left to the levels below.
            const std::span<const Target> wanted_targets = mine[m];
            constexpr std::uint8_t kOpen = 0xFF;
            static_assert(Sampling::kLevels < kOpen, "a level per byte");
            stretches.clear();
            for (const Target& t : wanted_targets)
                stretches.push_back(t.k < sm.far ? 0 : sm.stretch(t.k));
            deep_level.assign(wanted_targets.size(), levels ? kOpen : 0);
            using Stretch = std::pair<std::size_t, std::size_t>;
            const auto stretch_of = [&](std::size_t i, std::size_t l) -> Stretch {
                const std::size_t a = sm.far + (stretches[i] >> l) * sm.span(l);
                return {a, std::min(a + sm.span(l), length)};
            };
            // A walk along the ray per level, then one for the ordinary anchors and one for the
            // points computed in full, each in its own lane (RayTerrain::use_lane()).
            for (std::size_t l = Sampling::kLevels; levels && l >= 1; --l) {
                terrain.use_lane(Sampling::kLevels - l);
                for (std::size_t i = 0; i < wanted_targets.size(); ++i) {
                    std::uint8_t& level = deep_level[i];
                    if (level != kOpen)
                        continue;
                    const std::size_t k = wanted_targets[i].k;
                    const auto [a, b] = stretch_of(i, l);
                    if (k < sm.far || a == k) {
                        level = 0; // an anchor of this level and of those below
                        continue;
                    }
                    signed char& d = deep_of[l][stretches[i] >> l];
                    if (d < 0) {
                        anchor_at(a);
                        anchor_at(b);
                        d = deep(a, b) ? 1 : 0;
                    }
                    if (d == 1)
                        level = static_cast<std::uint8_t>(l);
                }
            }
            std::replace(deep_level.begin(), deep_level.end(), kOpen, std::uint8_t{0});
            terrain.use_lane(Sampling::kLevels);
            for (std::size_t i = 0; i < wanted_targets.size(); ++i)
                if (wanted_targets[i].k >= sm.far && deep_level[i] == 0) {
                    const auto [a, b] = stretch_of(i, 0);
                    anchor_at(a);
                    if (a != wanted_targets[i].k)
                        anchor_at(b);
                }
            // The power at point k interpolated between anchors a and b (counted).
            const auto between = [&](std::size_t a, std::size_t b, std::size_t k) {
                ++counts[m].interpolated;
                return known[a] + (known[b] - known[a]) * static_cast<double>(k - a) /
                                      static_cast<double>(b - a);
            };
            terrain.use_lane(Sampling::kLevels + 1);
            for (std::size_t i = 0; i < wanted_targets.size(); ++i) {
                const Target& t = wanted_targets[i];
                if (deep_level[i] != 0) {
                    const auto [a, b] = stretch_of(i, deep_level[i]);
                    out[m].values[t.idx] = static_cast<float>(between(a, b, t.k));
                    continue;
                }
                double dbm = kNaN;
                // The ordinary anchors around it (itself when it is one, or near the antenna).
                std::size_t a = t.k, b = t.k;
                if (t.k >= sm.far && stretch_of(i, 0).first != t.k)
                    std::tie(a, b) = stretch_of(i, 0);
                std::size_t* refined = a == t.k ? nullptr : refine(a, b);
                if (refined && o.defer_refined) {
                    ++*refined;
                    ++counts[m].deferred;
                    dbm = std::numeric_limits<double>::infinity();
                } else if (a == t.k || refined) {
                    dbm = power_at(t.k);
                    if (refined)
                        ++*refined;
                } else {
                    dbm = between(a, b, t.k);
                }
                out[m].values[t.idx] = static_cast<float>(dbm);
            }
            if (j % 2 == 0 && slots[m] != 0)
                for (std::size_t slot = 0; slot < slots[m]; ++slot) {
                    const std::size_t k = sm.far + slot * sm.stride;
                    if (k <= last && !std::isnan(known[k]))
                        beside[m][j / 2 * slots[m] + slot] = {known[k], sightlines.clearance_m[k]};
                }
        }
    }

    // Cells no ray point was given to (the antenna's own and its neighbours, and beside a
    // hole in the DEM): a profile of their own, straight to the centre (to the cell's east
    // edge for the antenna's own cell).
    const auto centre_d2 = [&](int col, int row) {
        const XY c = g.centre(col, row);
        return (c.x - antenna.x) * (c.x - antenna.x) + (c.y - antenna.y) * (c.y - antenna.y);
    };
    const double range2 = range_m * range_m;
    const double step = rays.step_m;
    std::vector<double> own;
    // Whether member m computes cell idx, its centre `d_m` from the antenna: in its part (near
    // up to the first anchor's distance, which a shortened scan passes), and wanted.
    const auto own_range = [&](std::size_t m, double d_m) {
        const bool near = d_m <= static_cast<double>(sampling[m].far) * rays.step_m;
        return group[m].part == ItmRasterPart::all ||
               near == (group[m].part == ItmRasterPart::near);
    };
    const auto wanted = [&](std::size_t m, std::size_t idx, double d_m) {
        return own_range(m, d_m) && (group[m].wanted == nullptr || (*group[m].wanted)[idx] != 0);
    };
    for (int row = 0; row < g.rows; ++row)
        for (int col = 0; col < g.cols; ++col) {
            const std::size_t idx = g.index(col, row);
            if (assigned.reached[idx] != 0 || centre_d2(col, row) > range2 ||
                std::isnan(dem.at(col, row)))
                continue;
            const double centre_d = std::sqrt(centre_d2(col, row));
            bool any = false;
            for (std::size_t m = 0; m < members; ++m) {
                any = any || wanted(m, idx, centre_d);
                if (!group[m].in_full && own_range(m, centre_d) && !wanted(m, idx, centre_d))
                    ++counts[m].left_out;
            }
            if (!any)
                continue;
            XY target = g.centre(col, row);
            double d = centre_d;
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
            const double own_step = d / static_cast<double>(n);
            for (std::size_t c = 0; c < leaders.size(); ++c) {
                bool needed = false;
                for (std::size_t m = 0; m < members; ++m)
                    needed = needed || (class_of[m] == c && wanted(m, idx, centre_d));
                if (!needed)
                    continue;
                const itm::PathGeometry path =
                    itm::analyse_path(own, own_step, group[leaders[c]].itm, nullptr);
                for (std::size_t m = 0; m < members; ++m)
                    if (class_of[m] == c && wanted(m, idx, centre_d))
                        out[m].values[idx] = static_cast<float>(loss_db(m, path));
            }
        }
    for (std::size_t m = 0; m < std::min(members, stats.size()); ++m)
        stats[m] = counts[m];
    return out;
}

double itm_near_reach_m(const ItmRasterOptions& options, double cell_m) {
    // The near part's rays are scanned up to two points beyond the first anchor
    // (itm_received_power(), `scan`), and its own profiles reach cells up to the anchor.
    const std::size_t steps = Rays::steps_for(options.range_m, cell_m);
    const Sampling sampling(options, cell_m, steps);
    return sampling.far + 2 >= steps ? options.range_m
                                     : static_cast<double>(sampling.far + 2) * cell_m;
}

Raster<float> itm_received_power(const Raster<float>& dem, XY antenna,
                                 const ItmRasterOptions& options, ItmRasterStats* stats) {
    return std::move(itm_received_power(dem, antenna, std::span(&options, 1),
                                        stats ? std::span(stats, 1) : std::span<ItmRasterStats>())
                         .front());
}

} // namespace whitezone
