// The ITM coverage model (coverage/itm.hpp): each station's received power over its part of
// the DEM with itm_received_power(), the sector pattern, and per class the best server's
// margin over its threshold; the served cells become the terrain mode's coverage raster.

#include "whitezone/coverage/itm.hpp"

#include "whitezone/coverage.hpp"
#include "whitezone/error.hpp"
#include "whitezone/itm_raster.hpp"
#include "whitezone/prepare.hpp"

#include "common/parallel.hpp"
#include "common/text.hpp"
#include "coverage/servers.hpp"
#include "dem/sample.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <numbers>
#include <numeric>
#include <string>
#include <tuple>
#include <utility>

namespace whitezone {

namespace {

constexpr float kNoSignal = std::numeric_limits<float>::quiet_NaN();
constexpr float kNoMargin = -std::numeric_limits<float>::infinity();
// With the coarser sampling each part (near, far) runs in rounds (model_itm_coverage()): at
// most this many, of at least this many work items each.
constexpr std::size_t kRounds = 8, kRoundSites = 8;

} // namespace

ItmRasterOptions itm_radio_of(const Footprint& f, const Station& s,
                              const CoverageOptions& options) {
    const HataOptions& hata = options.hata;
    const ItmCoverageOptions& itm = options.itm;
    ItmRasterOptions o;
    o.itm.h_tx_m = s.height_m.value_or(hata.antenna_height_m);
    o.itm.h_rx_m = hata.receiver_height_m;
    o.itm.f_mhz = s.freq_mhz.value_or(hata.frequency_mhz.at(f.tech));
    o.itm.climate = itm.climate;
    o.itm.n0 = itm.n0;
    o.itm.epsilon = itm.epsilon;
    o.itm.sigma = itm.sigma;
    o.itm.polarisation = ItmPolarisation::Vertical;
    o.itm.mdvar = static_cast<int>(ItmVariabilityMode::Broadcast);
    o.itm.time_pct = itm.time_pct;
    o.itm.location_pct = itm.location_pct;
    o.itm.situation_pct = itm.situation_pct;
    o.eirp_dbm = s.eirp_dbm.value_or(hata.eirp_dbm.at(f.tech));
    o.rx_gain_dbi = 0.0;
    o.range_m = f.radius_m;
    o.far_from_m = itm.far_from_m;
    o.far_step = itm.far_step;
    // Where the power decides a cell (model_itm_coverage): at the threshold less the
    // calibration offset, and for a sector up to the pattern's 20 dB more off axis.
    o.decision_low_dbm = itm.threshold_dbm.at(f.tech) - itm.offset_db.at(f.tech);
    o.decision_high_dbm = o.decision_low_dbm + (f.sector ? -sector_gain_db(180.0, 1.0) : 0.0);
    if (f.sector)
        o.gain_between = [azimuth = f.azimuth_deg, beamwidth = f.beamwidth_deg](double from,
                                                                                double to) {
            return sector_gain_between(from, to, azimuth, beamwidth);
        };
    o.refine_margin_db = itm.refine_margin_db;
    o.refine_clearance_m = itm.refine_clearance_m;
    o.deep_db = itm.skip_below_db;
    o.share_close_rays = itm.share_close_rays;
    return o;
}

namespace {

// The part of `dem` within `r` metres (plus two cells for the bilinear samples) of `c`.
Raster<float> crop(const Raster<float>& dem, XY c, double r) {
    const GridSpec& g = dem.grid;
    const int c0 = std::max(0, static_cast<int>(std::floor((c.x - r - g.x0) / g.cell)) - 2);
    const int c1 =
        std::min(g.cols - 1, static_cast<int>(std::floor((c.x + r - g.x0) / g.cell)) + 2);
    const int r0 = std::max(0, static_cast<int>(std::floor((g.y0 - c.y - r) / g.cell)) - 2);
    const int r1 =
        std::min(g.rows - 1, static_cast<int>(std::floor((g.y0 - c.y + r) / g.cell)) + 2);
    Raster<float> out;
    out.grid = {g.x0 + c0 * g.cell, g.y0 - r0 * g.cell, g.cell, std::max(0, c1 - c0 + 1),
                std::max(0, r1 - r0 + 1)};
    out.values.reserve(out.grid.size());
    for (int row = r0; row <= r1; ++row)
        for (int col = c0; col <= c1; ++col)
            out.values.push_back(dem.at(col, row));
    return out;
}

// The cells where footprint `f` has a received power (`power`, on a part of the grid `g`), as
// (index in `g`, power with the calibration `offset` and the sector pattern), in grid order.
void station_cells(const Footprint& f, const Raster<float>& power, const GridSpec& g, float offset,
                   std::vector<std::pair<std::size_t, float>>& cells) {
    const GridSpec& pg = power.grid;
    const int dc = static_cast<int>(std::lround((pg.x0 - g.x0) / g.cell));
    const int dr = static_cast<int>(std::lround((g.y0 - pg.y0) / g.cell));
    cells.clear();
    for (int row = 0; row < pg.rows; ++row)
        for (int col = 0; col < pg.cols; ++col) {
            float p = power.at(col, row);
            if (std::isnan(p))
                continue;
            p += offset; // the calibration, before the threshold
            if (f.sector) {
                const XY c = pg.centre(col, row);
                // Bearing clockwise from grid north, as the azimuth.
                const double bearing =
                    std::atan2(c.x - f.centre.x, c.y - f.centre.y) * 180.0 / std::numbers::pi;
                p += static_cast<float>(sector_gain_db(bearing - f.azimuth_deg, f.beamwidth_deg));
            }
            cells.emplace_back(g.index(col + dc, row + dr), p);
        }
}

} // namespace

double sector_gain_db(double off_axis_deg, double beamwidth_deg) {
    if (!(beamwidth_deg < 360.0) || !(beamwidth_deg > 0.0))
        return 0.0;
    double theta = std::fmod(std::abs(off_axis_deg), 360.0);
    if (theta > 180.0)
        theta = 360.0 - theta;
    const double ratio = theta / beamwidth_deg;
    return -std::min(12.0 * ratio * ratio, 20.0);
}

std::pair<double, double> sector_gain_between(double from_deg, double to_deg, double azimuth_deg,
                                              double beamwidth_deg) {
    // The gain falls with the angle off the axis (0 … 180°): the highest where the bearings
    // come nearest the axis, the lowest where they come nearest the back.
    const auto off_axis = [&](double bearing) { // 0 … 180
        const double d = std::fmod(std::abs(bearing - azimuth_deg), 360.0);
        return d > 180.0 ? 360.0 - d : d;
    };
    // Whether a bearing congruent to `b` lies in [from_deg, to_deg].
    const auto within = [&](double b) {
        return to_deg - from_deg >= 360.0 ||
               std::fmod(std::fmod(b - from_deg, 360.0) + 360.0, 360.0) <= to_deg - from_deg;
    };
    const double a = off_axis(from_deg), b = off_axis(to_deg);
    const double nearest = within(azimuth_deg) ? 0.0 : std::min(a, b);
    const double farthest = within(azimuth_deg + 180.0) ? 180.0 : std::max(a, b);
    return {sector_gain_db(farthest, beamwidth_deg), sector_gain_db(nearest, beamwidth_deg)};
}

ItmCoverage model_itm_coverage(const std::vector<Station>& stations, const Footprints& footprints,
                               const Raster<float>& dem, const CoverageOptions& options,
                               TerrainStats* stats, const CoverageRaster* start,
                               std::span<const XY> probes) {
    const GridSpec& g = dem.grid;
    if (g.cols <= 0 || g.rows <= 0 || !(g.cell > 0.0) || dem.values.size() != g.size())
        throw ExternalError("coverage: the DEM grid is empty or inconsistent.");
    if (start && start->grid.size() != g.size())
        throw ExternalError("coverage: the coverage to start from is on another grid.");
    const std::size_t n = footprints.items.size();
    const int threads = std::max(1, options.threads);

    // Per class: the best margin over the threshold, its power and its station.
    PerClass<std::vector<float>> margin;
    ItmCoverage out;
    out.signal.grid = g;
    for (std::size_t k = 0; k < kServiceClasses.size(); ++k) {
        margin[k].assign(g.size(), kNoMargin);
        out.signal.best_dbm[k].assign(g.size(), kNoSignal);
        out.signal.best_station[k].assign(g.size(), -1);
    }
    // The probes' cells in grid order (cell index, probe), to be met in each station's cells.
    std::vector<std::pair<std::size_t, std::uint32_t>> probe_cells;
    for (std::size_t p = 0; p < probes.size(); ++p) {
        int col = 0, row = 0;
        if (g.cell_of(probes[p], col, row))
            probe_cells.emplace_back(g.index(col, row), static_cast<std::uint32_t>(p));
    }
    std::sort(probe_cells.begin(), probe_cells.end());
    for (auto& lists : out.probe_servers)
        lists.assign(probes.size(), {});
    std::mutex merge;
    const std::vector<std::size_t> no_ground = footprints_without_ground(footprints, dem);
    std::vector<std::uint8_t> skip(n, 0);
    for (std::size_t i : no_ground)
        skip[i] = 1;
    // Co-sited footprints of one range are one work item: itm_received_power() of a group
    // shares their rays, profiles and (for equal antenna heights) ITM's path geometry.
    std::vector<std::vector<std::size_t>> sites;
    {
        std::map<std::tuple<double, double, double>, std::size_t> site_of;
        for (std::size_t i = 0; i < n; ++i) {
            const Footprint& f = footprints.items[i];
            if (skip[i] != 0 || !(f.radius_m > 0.0))
                continue;
            const auto [it, added] =
                site_of.try_emplace({f.centre.x, f.centre.y, f.radius_m}, sites.size());
            if (added)
                sites.emplace_back();
            sites[it->second].push_back(i);
        }
    }
    // The work items that serve broadband (3G and newer: both classes) before those that serve
    // `any` alone (2G), each kind in footprint order: with the coarser sampling a 2G station
    // then leaves out every cell that a broadband station of an earlier round serves, while
    // the 2G stations could leave out nothing of a broadband station's (its cells unserved in
    // broadband stay open). Which cells are served does not depend on the order.
    std::stable_partition(sites.begin(), sites.end(), [&](const std::vector<std::size_t>& site) {
        return std::any_of(site.begin(), site.end(), [&](std::size_t i) {
            return serves(ServiceClass::Broadband, footprints.items[i].tech);
        });
    });
    // The adaptive coarser sampling runs in two passes (docs/itm.md, "Speed"), each computing
    // a station's cells only where it could still add service (not yet served in one of its
    // classes) and at the probes: every station's cells near its antenna (in full), in rounds;
    // then far out, in rounds, the cells its checks refine computed in full at once. A
    // station's power can only add service, so the served cells and the probes' servers are
    // those of computing every cell.
    const bool coarse = options.itm.far_from_m > 0.0 && options.itm.far_step > 1;
    constexpr std::uint8_t kProbe = 0x80;
    std::vector<std::uint8_t> settled;
    std::vector<std::size_t> newly_served; // cell · 2 + class, as merged (with `coarse`)

    // The work item's stations in a message: the row and technology of each.
    const auto rows = [&](const std::vector<std::size_t>& site) {
        std::string list;
        for (const std::size_t i : site) {
            const Footprint& f = footprints.items[i];
            list += (list.empty() ? "" : ", ") + std::to_string(stations.at(f.station).row) + " (" +
                    std::string(to_string(f.tech)) + ")";
        }
        return (site.size() == 1 ? "the station of row " : "the co-sited stations of rows ") + list;
    };
    // Footprint f's cells (index in g, power with offset and pattern) into the best servers.
    const auto merge_cells = [&](const Footprint& f,
                                 const std::vector<std::pair<std::size_t, float>>& cells) {
        const double threshold = options.itm.threshold_dbm.at(f.tech);
        const auto station = static_cast<std::int32_t>(f.station);
        const std::lock_guard<std::mutex> lock(merge);
        for (ServiceClass cls : kServiceClasses) {
            if (!serves(cls, f.tech))
                continue;
            const std::size_t k = index_of(cls);
            auto& best_m = margin[k];
            auto& best_p = out.signal.best_dbm[k];
            auto& best_s = out.signal.best_station[k];
            for (const auto& [gi, p] : cells) {
                const auto m = static_cast<float>(p - threshold);
                if (coarse && m >= 0.0F && best_m[gi] < 0.0F)
                    newly_served.push_back(gi << 1U | k);
                // A total order (margin, then the lower index): the result does not depend on
                // which worker merged first.
                if (m > best_m[gi] || (m == best_m[gi] && station < best_s[gi])) {
                    best_m[gi] = m;
                    best_p[gi] = p;
                    best_s[gi] = station;
                }
            }
            if (cells.empty())
                continue;
            // The probes this station serves: both lists are in cell order. The margin is the
            // one the raster's test uses, so a probe's servers are exactly the stations that
            // cover its cell on their own.
            auto c = cells.begin();
            for (auto it = std::lower_bound(probe_cells.begin(), probe_cells.end(),
                                            std::pair{cells.front().first, 0U});
                 it != probe_cells.end() && it->first <= cells.back().first; ++it) {
                c = std::lower_bound(
                    c, cells.end(), it->first,
                    [](const auto& cell, std::size_t gi) { return cell.first < gi; });
                if (c != cells.end() && c->first == it->first &&
                    static_cast<float>(c->second - threshold) >= 0.0F)
                    out.probe_servers[k][it->second].push_back(static_cast<std::uint32_t>(station));
            }
        }
    };
    // Runs `pass(site, counts)` for the work items `first` … `last` − 1 on the threads, each
    // taken by the next free worker, the largest discs first (so that a round does not end
    // waiting on a large one taken last; which worker computes an item does not change the
    // result); sums the counts.
    const auto each_site =
        [&](std::size_t first, std::size_t last,
            const std::function<void(const std::vector<std::size_t>&, ItmRasterStats&)>& pass) {
            std::vector<std::size_t> order(last - first);
            std::iota(order.begin(), order.end(), first);
            const auto disc = [&](std::size_t w) {
                double area = 0.0;
                for (const std::size_t i : sites[w])
                    area += footprints.items[i].radius_m * footprints.items[i].radius_m;
                return area;
            };
            std::stable_sort(order.begin(), order.end(),
                             [&](std::size_t l, std::size_t r) { return disc(l) > disc(r); });
            std::atomic<std::size_t> next{0};
            const auto workers = static_cast<std::size_t>(threads); // one range per thread
            parallel::for_ranges(workers, threads, [&](std::size_t, std::size_t, std::size_t) {
                ItmRasterStats worker_counts;
                for (std::size_t w = next.fetch_add(1); w < order.size(); w = next.fetch_add(1))
                    pass(sites[order[w]], worker_counts);
                if (stats) {
                    const std::lock_guard<std::mutex> lock(merge);
                    stats->itm += worker_counts;
                }
            });
        };
    // The powers of the radios of `site` (members in order) on its part of the DEM.
    const auto powers_of = [&](const std::vector<std::size_t>& site,
                               const std::vector<ItmRasterOptions>& radios,
                               const Raster<float>& part, ItmRasterStats& sum) {
        const Footprint& first = footprints.items[site.front()];
        std::vector<ItmRasterStats> counts(radios.size());
        try {
            std::vector<Raster<float>> powers =
                itm_received_power(part, first.centre, radios, counts);
            for (const ItmRasterStats& c : counts)
                sum += c;
            return powers;
        } catch (const InputError& e) {
            throw InputError(rows(site) + ": " + e.what());
        }
    };

    // Per cell: bit k set when served in class k so far, kProbe at a probe. Set whole before
    // the first pass, then from the cells each round served (`newly_served`, in merge_cells()),
    // between the rounds: a round sees what the rounds before it served, whatever the threads.
    const auto settle = [&] {
        if (settled.empty()) {
            settled.assign(g.size(), 0);
            for (std::size_t k = 0; k < kServiceClasses.size(); ++k)
                for (std::size_t i = 0; i < g.size(); ++i)
                    if (margin[k][i] >= 0.0F || (start && start->covered[k][i] != 0))
                        settled[i] |= static_cast<std::uint8_t>(1U << k);
            for (const auto& [gi, p] : probe_cells)
                settled[gi] |= kProbe;
        }
        static_assert(kServiceClasses.size() == 2, "a bit per class in newly_served");
        for (const std::size_t cell_class : newly_served)
            settled[cell_class >> 1U] |= static_cast<std::uint8_t>(1U << (cell_class & 1U));
        newly_served.clear();
    };
    // One pass over the sites computing `part` of each station's cells. With `open_only`,
    // only the cells where the station could still add service (not yet served in one of its
    // classes) and the probes' (whose servers are listed).
    const auto run_pass = [&](ItmRasterPart part, bool open_only, std::size_t from,
                              std::size_t to) {
        each_site(from, to, [&](const std::vector<std::size_t>& site, ItmRasterStats& sum) {
            const Footprint& first = footprints.items[site.front()];
            // The part of the DEM the pass reads: near the antenna, only as far as its cells.
            ItmRasterOptions sampling;
            sampling.range_m = first.radius_m;
            sampling.far_from_m = options.itm.far_from_m;
            sampling.far_step = options.itm.far_step;
            const Raster<float> dem_part = crop(
                dem, first.centre,
                part == ItmRasterPart::near ? itm_near_reach_m(sampling, g.cell) : first.radius_m);
            const GridSpec& pg = dem_part.grid;
            const int dc = static_cast<int>(std::lround((pg.x0 - g.x0) / g.cell));
            const int dr = static_cast<int>(std::lround((g.y0 - pg.y0) / g.cell));
            std::vector<std::size_t> members;
            std::vector<std::vector<std::uint8_t>> masks;
            for (const std::size_t i : site) {
                std::vector<std::uint8_t> mask;
                if (open_only) {
                    std::uint8_t open = 0; // the station's classes
                    for (ServiceClass cls : kServiceClasses)
                        if (serves(cls, footprints.items[i].tech))
                            open |= static_cast<std::uint8_t>(1U << index_of(cls));
                    // Whether the station could still add service at a cell of the grid.
                    const auto wants = [&](std::size_t idx) {
                        const std::uint8_t cell = settled[idx];
                        return (cell & kProbe) != 0 || (~cell & open) != 0;
                    };
                    const auto cols = static_cast<std::size_t>(pg.cols);
                    mask.assign(pg.size(), 0);
                    bool any = false;
                    for (int row = 0; row < pg.rows; ++row) {
                        const std::size_t row_start = g.index(dc, row + dr);
                        std::uint8_t* line = &mask[pg.index(0, row)];
                        std::uint8_t row_any = 0;
                        for (std::size_t col = 0; col < cols; ++col) {
                            line[col] = wants(row_start + col) ? 1 : 0;
                            row_any |= line[col];
                        }
                        any = any || row_any != 0;
                    }
                    if (!any)
                        continue;
                }
                members.push_back(i);
                masks.push_back(std::move(mask));
            }
            if (members.empty())
                return;
            std::vector<ItmRasterOptions> radios;
            for (std::size_t m = 0; m < members.size(); ++m) {
                const Footprint& f = footprints.items[members[m]];
                radios.push_back(itm_radio_of(f, stations.at(f.station), options));
                radios.back().part = part;
                radios.back().wanted = open_only ? &masks[m] : nullptr;
            }
            const std::vector<Raster<float>> powers = powers_of(members, radios, dem_part, sum);
            std::vector<std::pair<std::size_t, float>> cells;
            for (std::size_t m = 0; m < members.size(); ++m) {
                const Footprint& f = footprints.items[members[m]];
                station_cells(f, powers[m], g, static_cast<float>(options.itm.offset_db.at(f.tech)),
                              cells);
                merge_cells(f, cells);
            }
        });
    };
    if (coarse) {
        // Near the antennas in full; then far out only where the nearer parts left a cell
        // unserved. Each part in rounds of sites (up to kRounds of at least kRoundSites), the cells
        // served settled after each: a cell that a round serves is left out by the rounds after
        // it. The rounds follow from the sites alone, so the result does not depend on the
        // number of threads.
        const std::size_t rounds = std::clamp<std::size_t>(sites.size() / kRoundSites, 1, kRounds);
        settle();
        for (const ItmRasterPart part : {ItmRasterPart::near, ItmRasterPart::far})
            for (std::size_t r = 0; r < rounds; ++r) {
                run_pass(part, true, sites.size() * r / rounds, sites.size() * (r + 1) / rounds);
                settle();
            }
    } else {
        run_pass(ItmRasterPart::all, false, 0, sites.size());
    }
    coverage::sort_servers(out.probe_servers);

    out.raster.grid = g;
    for (std::size_t k = 0; k < kServiceClasses.size(); ++k) {
        auto& covered = out.raster.covered[k];
        covered.assign(g.size(), 0);
        for (std::size_t i = 0; i < g.size(); ++i)
            covered[i] = static_cast<std::uint8_t>(
                margin[k][i] >= 0.0F || (start && start->covered[k][i] != 0) ? 1 : 0);
    }
    if (stats)
        stats->without_ground = no_ground;
    return out;
}

} // namespace whitezone
