// The terrain mode: line of sight (and optionally knife-edge diffraction) from each antenna
// over the DEM, as a raster of covered cells (coverage/terrain.hpp has the method).

#include "whitezone/coverage/terrain.hpp"

#include "whitezone/coverage.hpp"
#include "whitezone/dem.hpp"
#include "whitezone/error.hpp"

#include "common/grid.hpp"
#include "common/parallel.hpp"
#include "coverage/servers.hpp"
#include "dem/sample.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <span>

namespace whitezone {

namespace {

constexpr double kSpeedOfLightMhzM = 299.792458; // c in metres × MHz
constexpr float kNoObstacle = -std::numeric_limits<float>::infinity();

using dem::bilinear;
using dem::sample;

// atan2 within 1e-5 rad (a ray is at least 3e-4 rad from the next): a minimax polynomial for
// atan on [0, 1] and the octant symmetries. Several times faster than std::atan2.
inline double fast_atan2(double y, double x) {
    const double ax = std::abs(x), ay = std::abs(y);
    const double hi = std::max(ax, ay);
    if (hi == 0.0)
        return 0.0;
    const double a = std::min(ax, ay) / hi, s = a * a;
    double r = ((((-0.0046496475 * s + 0.0239627040) * s - 0.0565259500) * s + 0.0998403575) * s -
                0.1431751914) *
                   s +
               0.1996907610;
    r = ((r * s - 0.3333243400) * s) * a + a;
    if (ay > ax)
        r = std::numbers::pi / 2 - r;
    if (x < 0.0)
        r = std::numbers::pi - r;
    return y < 0.0 ? -r : r;
}

// What one station's signal must overcome: its antenna's altitude, the receiver's height,
// the Earth's bulge, and the link margin that a knife edge may use.
struct Link {
    double z_antenna = 0.0; // ground + antenna height, metres above the DEM's datum
    double rx_height = 1.5; // receiver above ground, metres
    double bulge = 0.0;     // 1 / (2 k R): a point d metres away sits d² · bulge lower
    double lambda_m = 0.3;  // wavelength
    bool diffraction = false;
    // The link model's log-distance margin (LinkModel::diffraction_margin(): for Hata,
    // B = 44.9 − 6.55 log hb dB per decade and the uncapped radius); slope 0: fixed margin.
    double margin_slope = 0.0;
    double margin_reach_m = 0.0;
    double fixed_margin_db = 6.0;

    // EIRP − L(d) − threshold for Hata (B · log(d0 / d), d0 the uncapped radius), the
    // configured margin for the disk model.
    [[nodiscard]] double margin_db(double d) const {
        return margin_slope > 0.0 ? margin_slope * std::log10(margin_reach_m / std::max(d, 1.0))
                                  : fixed_margin_db;
    }
};

// One worker's ray buffers, reused from station to station.
class Viewshed {
  public:
    explicit Viewshed(const Raster<float>& dem) : m_dem(dem) {}

    // ORs `bits` into `mask` for every cell of footprint `f` the antenna gives signal to. The
    // mask is shared by the workers: a cell is read and set atomically (relaxed: only the
    // final OR matters, and it does not depend on the order).
    void run(const Footprint& f, const Link& link, std::uint8_t bits,
             std::vector<std::uint8_t>& mask) {
        start(f, true);
        const auto [r0, r1] = rows(f);
        for (int row = r0; row <= r1; ++row) {
            const auto [from, to] = columns(f, row);
            for (int col = from; col <= to; ++col) {
                std::atomic_ref<std::uint8_t> cell(mask[m_dem.grid.index(col, row)]);
                if ((cell.load(std::memory_order_relaxed) & bits) == bits)
                    continue; // another station (or the earlier network) covers it
                if (reaches(f, link, col, row))
                    cell.fetch_or(bits, std::memory_order_relaxed);
            }
        }
    }

    // Whether the antenna of footprint `f` (start()ed) gives signal to cell (col, row): the
    // decision run() makes for that cell, made alone (terrain_servers()).
    bool gives_signal(const Footprint& f, const Link& link, int col, int row) {
        const auto [r0, r1] = rows(f);
        if (row < r0 || row > r1)
            return false;
        const auto [from, to] = columns(f, row);
        return col >= from && col <= to && reaches(f, link, col, row);
    }

    // Sizes the ray buffers for footprint `f`, with no ray traced yet. `whole_rays`: a ray is
    // traced to the radius when first needed (run(): most of it will be); else only as far
    // as the cell asked for (a few cells: gives_signal()).
    void start(const Footprint& f, bool whole_rays) {
        m_whole_rays = whole_rays;
        const double step = m_dem.grid.cell, r = f.radius_m;
        m_steps = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(r / step)));
        m_rays = std::max<std::size_t>(
            16, static_cast<std::size_t>(std::ceil(2.0 * std::numbers::pi * r / step)));
        m_slope.resize(m_rays * m_steps);
        m_where.resize(m_rays * m_steps);
        m_traced.assign(m_rays, 0);
        m_rays_per_radian = static_cast<double>(m_rays) / (2.0 * std::numbers::pi);
    }

  private:
    // The rows of the grid that `f`'s box touches.
    [[nodiscard]] std::pair<int, int> rows(const Footprint& f) const {
        const GridSpec& g = m_dem.grid;
        const double step = g.cell, r = f.radius_m;
        return {std::max(0, static_cast<int>(std::floor((g.y0 - f.centre.y - r) / step))),
                std::min(g.rows - 1, static_cast<int>(std::floor((g.y0 - f.centre.y + r) / step)))};
    }

    // The columns whose centres lie within `f`'s radius on row `row` (from > to: none).
    [[nodiscard]] std::pair<int, int> columns(const Footprint& f, int row) const {
        const GridSpec& g = m_dem.grid;
        const double step = g.cell, r = f.radius_m;
        const double dy = g.y0 - (row + 0.5) * step - f.centre.y;
        if (dy * dy > r * r)
            return {1, 0};
        const int c0 = std::max(0, static_cast<int>(std::floor((f.centre.x - r - g.x0) / step)));
        const int c1 =
            std::min(g.cols - 1, static_cast<int>(std::floor((f.centre.x + r - g.x0) / step)));
        const double half = std::sqrt(r * r - dy * dy);
        return {
            std::max(c0, static_cast<int>(std::ceil((f.centre.x - half - g.x0) / step - 0.5))),
            std::min(c1, static_cast<int>(std::floor((f.centre.x + half - g.x0) / step - 0.5)))};
    }

    // Whether the antenna of `f` (start()ed) gives signal to cell (col, row) of its columns.
    // Inlined: run() calls it for every cell of every footprint.
    [[gnu::always_inline]] bool reaches(const Footprint& f, const Link& link, int col, int row) {
        const GridSpec& g = m_dem.grid;
        const double step = g.cell, r = f.radius_m;
        const XY p = g.centre(col, row);
        if (f.sector && !f.covers(p))
            return false;
        const float ground = m_dem.values[g.index(col, row)];
        if (std::isnan(ground))
            return false; // no ground, no receiver
        const double dx = p.x - f.centre.x, dy = p.y - f.centre.y;
        const double d = std::sqrt(dx * dx + dy * dy);
        if (d > r)
            return false;
        // Samples strictly before the cell; none: nothing can stand in between.
        const auto before = static_cast<std::size_t>(std::ceil(d / step)) - 1;
        if (d < step || before == 0)
            return true;
        const auto n_rays = static_cast<long>(m_rays);
        auto ray =
            static_cast<long>(std::floor(fast_atan2(dy, dx) * m_rays_per_radian + 0.5)) % n_rays;
        if (ray < 0)
            ray += n_rays;
        const auto a = static_cast<std::size_t>(ray);
        const std::size_t need = std::min(before, m_steps);
        if (m_traced[a] < need)
            trace(f.centre, link, a, m_whole_rays ? m_steps : need);
        const std::size_t k = a * m_steps + need - 1;
        return visible(link, d, ground, m_slope[k], m_where[k]);
    }

    // Samples ray `a` every cell up to sample `upto` (from where it was left) and keeps, at
    // each sample, the steepest elevation angle (as a slope from the antenna) up to there and
    // the distance where it was met.
    void trace(XY centre, const Link& link, std::size_t a, std::size_t upto) {
        const double theta =
            2.0 * std::numbers::pi * static_cast<double>(a) / static_cast<double>(m_rays);
        const GridSpec& g = m_dem.grid;
        const double ux = std::cos(theta), uy = std::sin(theta), step = g.cell;
        // Samples are one cell apart: in cell coordinates each step adds (ux, −uy).
        const double fc0 = (centre.x - g.x0) / step - 0.5, fr0 = (g.y0 - centre.y) / step - 0.5;
        const std::size_t from = m_traced[a];
        float steepest = from > 0 ? m_slope[a * m_steps + from - 1] : kNoObstacle;
        float where = from > 0 ? m_where[a * m_steps + from - 1] : 0.0F;
        for (std::size_t k = from + 1; k <= upto; ++k) {
            const auto kd = static_cast<double>(k);
            const double d = kd * step;
            const double z = sample(m_dem, fc0 + kd * ux, fr0 - kd * uy);
            if (!std::isnan(z)) {
                const auto s = static_cast<float>((z - d * d * link.bulge - link.z_antenna) / d);
                if (s > steepest) {
                    steepest = s;
                    where = static_cast<float>(d);
                }
            }
            m_slope[a * m_steps + k - 1] = steepest;
            m_where[a * m_steps + k - 1] = where;
        }
        m_traced[a] = static_cast<std::uint32_t>(upto);
    }

    // Whether a receiver `d` metres away on ground `ground` has signal past the steepest
    // obstacle (slope `steepest` from the antenna, met at `where` metres).
    static bool visible(const Link& link, double d, double ground, float steepest, float where) {
        if (steepest == kNoObstacle)
            return true;
        const double rx = (ground + link.rx_height - d * d * link.bulge - link.z_antenna) / d;
        if (!link.diffraction)
            return steepest <= rx;
        // The obstacle as a knife edge: its height above the direct path, and v.
        const double d1 = where, d2 = d - where;
        if (!(d1 > 0.0 && d2 > 0.0))
            return steepest <= rx;
        const double h = (steepest - rx) * d1;
        const double v = h * std::sqrt(2.0 * d / (link.lambda_m * d1 * d2));
        return knife_edge_loss_db(v) <= link.margin_db(d);
    }

    const Raster<float>& m_dem;
    std::size_t m_rays = 0, m_steps = 0;
    double m_rays_per_radian = 0.0;
    std::vector<float> m_slope, m_where;
    std::vector<std::uint32_t> m_traced; // per ray, the samples traced so far
    bool m_whole_rays = true;
};

// The link of footprint `f`: heights from the station or the "hata" defaults, the margin from
// the Hata model when it gave the radius.
Link link_of(const Footprint& f, const Station& s, double ground, const CoverageOptions& options,
             const LinkModel& model) {
    const HataOptions& hata = options.hata;
    Link link;
    link.z_antenna = ground + s.height_m.value_or(hata.antenna_height_m);
    link.rx_height = hata.receiver_height_m;
    link.bulge = earth_bulge_per_m2(options.terrain.k_factor);
    double freq = 900.0;
    if (s.freq_mhz)
        freq = *s.freq_mhz;
    else if (auto it = hata.frequency_mhz.find(s.tech); it != hata.frequency_mhz.end())
        freq = it->second;
    link.lambda_m = kSpeedOfLightMhzM / freq;
    link.diffraction = options.terrain.diffraction;
    link.fixed_margin_db = options.terrain.diffraction_margin_db;
    // A radius from the link model (not the station's own range): the model's margin, when it
    // has one.
    if (link.diffraction && f.radius_source != RadiusSource::Station)
        if (auto margin = model.diffraction_margin(s, options)) {
            link.margin_slope = margin->slope_db_per_decade;
            link.margin_reach_m = margin->reach_m;
        }
    return link;
}

} // namespace

double knife_edge_loss_db(double v) {
    if (!(v > -0.78))
        return 0.0;
    return 6.9 + 20.0 * std::log10(std::sqrt((v - 0.1) * (v - 0.1) + 1.0) + v - 0.1);
}

std::vector<std::size_t> footprints_without_ground(const Footprints& footprints,
                                                   const Raster<float>& dem) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < footprints.items.size(); ++i)
        if (std::isnan(bilinear(dem, footprints.items[i].centre)))
            out.push_back(i);
    return out;
}

CoverageRaster model_terrain_coverage(const std::vector<Station>& stations,
                                      const Footprints& footprints, const Raster<float>& dem,
                                      const CoverageOptions& options, TerrainStats* stats,
                                      const CoverageRaster* start) {
    const GridSpec& g = dem.grid;
    if (g.cols <= 0 || g.rows <= 0 || !(g.cell > 0.0) || dem.values.size() != g.size())
        throw ExternalError("coverage: the DEM grid is empty or inconsistent.");
    if (start && start->grid.size() != g.size())
        throw ExternalError("coverage: the coverage to start from is on another grid.");
    const std::size_t n = footprints.items.size();
    const int threads = std::max(1, options.threads);
    const LinkModel& model = link_model(options.model);
    // One byte per cell, bit k for class k, shared by the workers.
    // With `start`, its cells are covered already (and need no ray).
    std::vector<std::uint8_t> mask(g.size(), 0);
    if (start)
        for (std::size_t i = 0; i < g.size(); ++i)
            for (ServiceClass cls : kServiceClasses)
                mask[i] = static_cast<std::uint8_t>(
                    mask[i] | (start->covered[index_of(cls)][i] != 0 ? 1U << index_of(cls) : 0U));
    const std::vector<std::size_t> no_ground = footprints_without_ground(footprints, dem);
    std::vector<std::uint8_t> skip(n, 0);
    for (std::size_t i : no_ground)
        skip[i] = 1;
    // Footprints in spatial order (rows of 10 km tiles), handed out a few at a time: a worker
    // meets the same DEM rows again while they are in the caches, and a slow corner does not
    // hold the others up. Workers OR into one mask, so who did which footprint does not change
    // the result.
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    auto tile = [&](std::size_t i) {
        const XY c = footprints.items[i].centre;
        return std::pair{std::floor((g.y0 - c.y) / 10000.0), std::floor((c.x - g.x0) / 10000.0)};
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return tile(a) < tile(b); });
    std::atomic<std::size_t> next{0};
    constexpr std::size_t kBatch = 4;
    const auto workers = static_cast<std::size_t>(threads); // one range per thread
    parallel::for_ranges(workers, threads, [&](std::size_t, std::size_t, std::size_t) {
        Viewshed viewshed(dem);
        for (std::size_t k = next.fetch_add(kBatch); k < n; k = next.fetch_add(kBatch))
            for (std::size_t i : std::span(order).subspan(k, std::min(kBatch, n - k))) {
                const Footprint& f = footprints.items[i];
                const Station& s = stations.at(f.station);
                if (skip[i] != 0)
                    continue;
                const double ground = bilinear(dem, f.centre);
                std::uint8_t bits = 0;
                for (ServiceClass cls : kServiceClasses)
                    if (serves(cls, f.tech))
                        bits = static_cast<std::uint8_t>(bits | (1U << index_of(cls)));
                viewshed.run(f, link_of(f, s, ground, options, model), bits, mask);
            }
    });

    CoverageRaster out;
    out.grid = g;
    for (auto& covered : out.covered)
        covered.assign(g.size(), 0);
    parallel::for_ranges(g.size(), threads, [&](std::size_t, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            const unsigned bits = mask[i];
            for (ServiceClass cls : kServiceClasses)
                out.covered[index_of(cls)][i] = (bits >> index_of(cls)) & 1U;
        }
    });
    if (stats)
        stats->without_ground = no_ground;
    return out;
}

ProbeServers terrain_servers(const std::vector<Station>& stations, const Footprints& footprints,
                             const Raster<float>& dem, const CoverageOptions& options,
                             std::span<const XY> probes) {
    const GridSpec& g = dem.grid;
    ProbeServers out;
    for (auto& lists : out)
        lists.assign(probes.size(), {});
    const std::size_t n = footprints.items.size();
    if (n == 0 || probes.empty())
        return out;
    // The probes' cells, indexed by their centres: a footprint's cells are those whose centre
    // lies within its radius.
    double widest = 0.0;
    for (const Footprint& f : footprints.items)
        widest = std::max(widest, f.radius_m);
    grid::GridIndex index(std::max(widest, 1000.0));
    std::vector<std::pair<int, int>> cells(probes.size());
    for (std::size_t p = 0; p < probes.size(); ++p) {
        auto& [col, row] = cells[p];
        if (g.cell_of(probes[p], col, row))
            index.insert(grid::Box::around(g.centre(col, row), 0.0), p);
    }
    std::vector<char> skip(n, 0);
    for (std::size_t i : footprints_without_ground(footprints, dem))
        skip[i] = 1;
    const LinkModel& model = link_model(options.model);
    // (class, probe, station) as each worker finds them; gathered in order at the end, so the
    // lists do not depend on the threads.
    const int threads = std::max(1, options.threads);
    std::vector<std::vector<std::array<std::uint32_t, 3>>> found(static_cast<std::size_t>(threads));
    parallel::for_ranges(n, threads, [&](std::size_t worker, std::size_t begin, std::size_t end) {
        Viewshed viewshed(dem);
        std::vector<std::size_t> near;
        for (std::size_t i = begin; i < end; ++i) {
            const Footprint& f = footprints.items[i];
            near.clear();
            if (skip[i] == 0)
                index.query(grid::Box::around(f.centre, f.radius_m), near);
            if (near.empty())
                continue;
            const Link link =
                link_of(f, stations.at(f.station), bilinear(dem, f.centre), options, model);
            viewshed.start(f, false);
            for (std::size_t p : near)
                if (viewshed.gives_signal(f, link, cells[p].first, cells[p].second))
                    for (ServiceClass cls : kServiceClasses)
                        if (serves(cls, f.tech))
                            found[worker].push_back({static_cast<std::uint32_t>(index_of(cls)),
                                                     static_cast<std::uint32_t>(p),
                                                     static_cast<std::uint32_t>(f.station)});
        }
    });
    for (const auto& list : found)
        for (const auto& [k, p, station] : list)
            out[k][p].push_back(station);
    coverage::sort_servers(out);
    return out;
}

} // namespace whitezone
