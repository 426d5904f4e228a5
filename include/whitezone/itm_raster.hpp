#pragma once
/// \file itm_raster.hpp
/// Received power of one station (or of co-sited stations together) on every cell of a DEM
/// grid, with the Irregular Terrain Model (itm.hpp) along rays from the antenna: the building
/// block of the ITM coverage model (`"coverage_model": "itm"`, coverage/itm.hpp).

#include "whitezone/itm.hpp"
#include "whitezone/raster.hpp"
#include "whitezone/types.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <utility>
#include <vector>

namespace whitezone {

/// The part of a station's cells one itm_received_power() call computes (ItmRasterOptions).
enum class ItmRasterPart : std::uint8_t { all, near, far };

/// What itm_received_power() needs besides the DEM and the antenna's position.
struct ItmRasterOptions {
    /// ITM's inputs; h_tx_m is the antenna above the ground at the station, h_rx_m the
    /// receiver above the ground of every cell.
    ItmParameters itm;
    double eirp_dbm = 58.0;   ///< transmitter EIRP toward every cell (an omni antenna), dBm
    double rx_gain_dbi = 0.0; ///< receiving antenna gain, dBi
    double range_m = 10000.0; ///< cells whose centre is farther from the antenna are left NaN
    /// Coarser sampling far from the antenna: beyond `far_from_m` (0: never) ITM runs at every
    /// `far_step`-th point of a ray only, and the loss of the points between is interpolated
    /// linearly (in dB) between the two computed around it. The profile itself is still
    /// sampled at every cell; the last point of a ray (at the range, or before a hole in the
    /// DEM) is always computed.
    double far_from_m = 0.0;
    int far_step = 1; ///< 1: every point (the full computation)
    /// Adaptive refinement of the coarser sampling: the points between two computed ones
    /// (anchors) are computed too, not interpolated, wherever interpolating could serve a cell
    /// differently: when the visibility from the antenna (over a 4/3 earth) changes anywhere
    /// between the two anchors, or when the powers between them (the anchors' range) come
    /// within `refine_margin_db` of the decision band below. false: always interpolate (the
    /// blind interpolation, which misses the shadows behind ridges).
    bool refine = true;
    /// The decision band, dBm: the received powers between these two can be served or not
    /// depending on what the caller adds (for the coverage model: the threshold less the
    /// calibration offset, and for a sector up to 20 dB more off its axis). NaN: no band, only
    /// the visibility refines.
    double decision_low_dbm = std::numeric_limits<double>::quiet_NaN();
    double decision_high_dbm = std::numeric_limits<double>::quiet_NaN();
    /// For an antenna whose gain depends on the bearing (a sector; the caller adds the gain to
    /// each cell's power after this call): given bearings `from` ≤ `to` (degrees clockwise
    /// from grid north, not wrapped), the lowest and the highest gain (dB) toward any bearing
    /// between them. When set, the band along each ray is [decision_low_dbm − highest,
    /// decision_low_dbm − lowest] over the bearings of the ray's cells far out and of the rays
    /// whose anchors it shares, a few tenths of a dB wide far out: each cell is still
    /// checked against the band its own gain puts it in, but not against the whole pattern's
    /// 20 dB, so far fewer stretches are refined (off its axis a sector's band lies up to 20 dB
    /// higher than on it).
    std::function<std::pair<double, double>(double from, double to)> gain_between;
    double refine_margin_db = 6.0; ///< how near the band a segment is refined, dB
    /// A segment is refined too where a receiver in the shadow lies more than this many metres
    /// off the line between the anchors' clearances (the receivers' heights above the antenna's
    /// grazing line): a valley or crest in the shadow that interpolation would pass over.
    double refine_clearance_m = 10.0;
    /// Far out, the anchors come in levels: every 16th anchor first, then the middle of each
    /// stretch between two computed ones, halving down to the anchors, but only where the
    /// stretch could be served. A stretch (of any level, or between two anchors) is deep when both
    /// its ends lie more than `deep_db` below `decision_low_dbm`, the antenna's visibility is the
    /// same all along it, and no receiver in the shadow has a knife-edge loss at the horizon lower
    /// than the lower of the ends' by more than the ends lie below `decision_low_dbm − deep_db −
    /// refine_margin_db`; its points take the power interpolated between its ends (they stay
    /// unserved) and are neither refined nor deferred. A large value (1000) computes every anchor.
    double deep_db = 20.0;
    /// Far out, with the levels of `deep_db`: every fourth ray computes its anchors; the ray
    /// halfway between two of those (two rays away, so within two cells of it: the rays are at
    /// most a cell apart at the range), and then each odd-numbered ray (between the two rays
    /// beside it, within a cell), takes the mean of those two rays' anchor when the three
    /// receivers see the antenna alike, its clearance lies within `refine_clearance_m` of the
    /// mean of theirs, and their powers lie on one side of the decision band beyond
    /// `refine_margin_db` (the anchors it shares found by the same rule when their own cells
    /// did not need them, so that it depends on the terrain alone). false: every anchor its
    /// own ITM.
    bool share_close_rays = true;
    /// Which cells the call computes (the coverage model's passes, model_itm_coverage()): all,
    /// only those whose ray point lies before `far_from_m` (each in full, as always), or only
    /// those from it on. A cell given no ray point (next to the antenna) has a profile of its
    /// own and counts as near up to that distance.
    ItmRasterPart part = ItmRasterPart::all;
    /// When not null (one byte per cell of the grid): the cells wanted, non-zero; the others
    /// are left NaN and counted in ItmRasterStats::left_out. With the coarser sampling, only
    /// the anchors around a wanted cell are computed.
    const std::vector<std::uint8_t>* wanted = nullptr;
    /// Every wanted cell computed in full (its own ITM, no coarser sampling).
    bool in_full = false;
    /// The cells that the refinement would compute in full are left +∞ (deferred) instead,
    /// and counted in ItmRasterStats::deferred, for the caller to compute only those it still
    /// needs (with `wanted` and `in_full`). The coverage model computes them at once: a later
    /// pass walks each ray again up to its last deferred cell, which costs more than the
    /// cells other stations serve meanwhile save (docs/itm.md, "Speed").
    bool defer_refined = false;
};

/// What one itm_received_power() call did, for benchmarks, tests and the coverage stage's log.
struct ItmRasterStats {
    std::size_t evaluations = 0;  ///< ITM point-to-point evaluations (ray points and own profiles)
    std::size_t interpolated = 0; ///< cells whose power was interpolated between two anchors
    /// With the coarser sampling far out: the cells between two anchors computed in full, by
    /// the first check that refined their segment (ItmRasterOptions::refine): the antenna's
    /// visibility changes, a shadowed receiver off the clearance line, the decision band.
    std::size_t refined_visibility = 0, refined_clearance = 0, refined_margin = 0;
    /// With `defer_refined`: the refined cells left +∞ for a later pass.
    std::size_t deferred = 0;
    /// Cells of the part asked for that `wanted` left out (not counted with `in_full`).
    std::size_t left_out = 0;
    /// With the coarser sampling: anchors far out that took the mean of two rays beside
    /// them instead of ITM of their own.
    std::size_t across = 0;

    ItmRasterStats& operator+=(const ItmRasterStats& o) {
        evaluations += o.evaluations;
        interpolated += o.interpolated;
        refined_visibility += o.refined_visibility;
        refined_clearance += o.refined_clearance;
        refined_margin += o.refined_margin;
        deferred += o.deferred;
        left_out += o.left_out;
        across += o.across;
        return *this;
    }
};

/// Received power, dBm (EIRP − ITM loss + receive gain), on the grid of `dem` (a metric,
/// north-up grid in the work CRS; NaN = no data) for a station at `antenna` (work CRS, m).
/// Rays leave the antenna at angles close enough that neighbouring rays are at most one cell
/// apart at `range_m`; each ray samples the DEM bilinearly every cell width, and the loss to
/// its k-th point is ITM's over the ray's first k + 1 points (the profile prefix, sampled
/// once). Each cell takes the value of the ray point nearest its centre among those inside it,
/// or, when none falls inside (between two rays near the range), of the nearest of the four
/// ray points around its centre; ITM runs only at those points (and at the anchors of the
/// coarser sampling). A cell next to the antenna, where no ray point is given, gets its own
/// profile to its centre. Cells beyond the range,
/// outside the grid's data, or behind a hole in the DEM on the way are NaN. Deterministic;
/// safe to call from several threads on different stations. Throws InputError when the
/// antenna lies outside the grid or on no data, or when ITM refuses the parameters. `stats`,
/// when given, receives the counts of the work done.
Raster<float> itm_received_power(const Raster<float>& dem, XY antenna,
                                 const ItmRasterOptions& options, ItmRasterStats* stats = nullptr);

/// The same for co-sited stations: the received power of each member of `group` (all at
/// `antenna`, all with one `range_m`), each exactly what itm_received_power() gives it alone,
/// for less work than computing them one by one. The rays, their profiles and the receivers'
/// horizons are computed once for the group, and ITM's path geometry (horizons, terrain
/// irregularity, effective heights, refractivity) once per profile for the members with the
/// same antenna heights and `n0`; what each member adds is its frequency-dependent part (the
/// reference attenuation, the variability) and its power budget. The members may differ in
/// anything else (frequency, ground, climate, percentages, EIRP, sampling, decision band).
/// Returns one raster per member, in order; `stats`, when not empty, receives each member's
/// counts (its ITM evaluations count the shared geometry for every member that used it).
/// Throws as itm_received_power() does, and std::invalid_argument when the ranges differ.
std::vector<Raster<float>> itm_received_power(const Raster<float>& dem, XY antenna,
                                              std::span<const ItmRasterOptions> group,
                                              std::span<ItmRasterStats> stats = {});

/// How far from the antenna the cells of ItmRasterPart::near reach on a grid of `cell_m`
/// cells with the sampling of `options` (`range_m`, `far_from_m`, `far_step`): a call that
/// computes only that part reads the DEM within this distance (and the cell beyond it) and
/// gives those cells the same values on a grid cut to it (two cells more) as on a larger one.
/// `range_m` without the coarser sampling.
double itm_near_reach_m(const ItmRasterOptions& options, double cell_m);

} // namespace whitezone
