#pragma once
// Internals of the Irregular Terrain Model (whitezone/itm.hpp), one function per step of
// Hufford's algorithm. "Algorithm" below is G.A. Hufford, "The ITS Irregular Terrain Model,
// version 1.2.2: the Algorithm"; "TN101" is Rice et al., NBS Technical Note 101; "ERL 79" is
// Longley & Rice, ESSA Technical Report ERL 79-ITS 67 (1968).

#include "whitezone/itm.hpp"

#include <array>
#include <complex>
#include <cstdint>
#include <span>
#include <vector>

namespace whitezone::itm {

/// Terminal quantities: index 0 the transmitter, 1 the receiver.
using Pair = std::array<double, 2>;

/// What the terrain profile tells the model (Algorithm §3, "the preparatory subroutine" qlrpfl).
struct ProfileGeometry {
    double d_m = 0.0;       ///< path length
    Pair theta_hzn{};       ///< horizon elevation angles, rad
    Pair d_hzn_m{};         ///< horizon distances
    Pair h_e_m{};           ///< effective antenna heights
    double delta_h_m = 0.0; ///< terrain irregularity
};

/// What the prefixes of one ray's profile share (ray.cpp), so that ITM over each prefix costs
/// less than over a profile of its own: running sums of the heights, which make a mean or a
/// least-squares fit over an index range O(1), and the upper convex hull of the terrain's
/// angles from the transmitter, where its horizon lies whatever the earth's radius.
class RayTerrain {
  public:
    /// The ray's whole profile (z[0] under the transmitter, `h_tx_m` above it).
    void assign(std::span<const double> z, double step_m, double h_tx_m);
    /// Σ z_i and Σ i·z_i over i in [first, last].
    [[nodiscard]] double sum(int first, int last) const;
    [[nodiscard]] double moment(int first, int last) const;
    /// The transmitter's horizon over the prefix of `np` intervals on an earth of radius
    /// `a_e_m`: the highest angle of points 1 … np − 1 (the first among equals) and its
    /// distance; false when the prefix has no such point. Cheapest for growing `np`.
    bool tx_horizon(int np, double a_e_m, double& theta, double& d_m) const;
    /// The deciles of the last prefix's terrain irregularity (NaN before the first), the guess
    /// for the next one's, and room to select them in.
    [[nodiscard]] Pair last_deciles() const { return m_deciles; }
    void remember_deciles(Pair deciles) const { m_deciles = deciles; }
    [[nodiscard]] std::vector<double>& scratch() const { return m_scratch; }

  private:
    [[nodiscard]] double angle(int i, double a_e_m) const;
    std::vector<double> m_sum, m_moment; // running sums, one more entry than points
    std::vector<double> m_d, m_slope;    // per point: distance (as hzns sums it), (z − z_tx)/d
    mutable std::vector<int> m_hull; // upper hull of (d, slope) over points 1 … m_hull_np − 1
    mutable int m_hull_np = 1;
    mutable Pair m_deciles{};
    mutable std::vector<double> m_scratch;
};

/// Horizon angles and distances seen from both antennas over an earth of radius `a_e_m`;
/// with `ray`, the transmitter's comes from what the ray's prefixes share.
void find_horizons(std::span<const double> z, double step_m, double a_e_m, Pair h_m,
                   Pair& theta_hzn, Pair& d_hzn_m, const RayTerrain* ray = nullptr);

/// Least-squares line through the profile points between distances `d_start_m` and `d_end_m`;
/// returns its heights at the two ends of the whole profile. With `ray` (whose profile `z`
/// is a prefix of), from the running sums.
Pair least_squares_fit(std::span<const double> z, double step_m, double d_start_m, double d_end_m,
                       const RayTerrain* ray = nullptr);

/// Terrain irregularity Δh between `d_start_m` and `d_end_m`: interdecile range of the
/// heights about a straight line, scaled to an infinite path.
double terrain_irregularity(std::span<const double> z, double step_m, double d_start_m,
                            double d_end_m, const RayTerrain* ray = nullptr);

/// The preparatory step: horizons, Δh and effective heights (Algorithm §3, qlrpfl); with
/// `ray`, for a prefix of its profile.
ProfileGeometry analyse_profile(std::span<const double> z, double step_m, double gamma_e, Pair h_m,
                                const RayTerrain* ray = nullptr);

/// itm_point_to_point() on a profile already checked (`warnings` from the checks); with `ray`,
/// `z` is a prefix of that ray's profile and the scans of the whole profile come from it.
ItmResult point_to_point(std::span<const double> z, double step_m, const ItmParameters& p,
                         std::uint32_t warnings, const RayTerrain* ray);

/// Result of the reference attenuation.
struct Reference {
    double a_ref_db = 0.0;
    int mode = 1; ///< 1 line of sight, 2 diffraction, 3 troposcatter
};

/// Reference attenuation A_ref (Algorithm §4, lrprop) for the path; adds warning bits.
/// Throws InputError when the derived refractivity, earth radius or ground impedance is refused.
Reference reference_attenuation(const ProfileGeometry& g, double f_mhz, std::complex<double> z_g,
                                double gamma_e, double n_s, Pair h_m, std::uint32_t& warnings);

/// A_ref adjusted to the requested time, location and situation percentages (Algorithm §5,
/// avar); adds the extreme-variability warning bit.
double variability(double time_pct, double location_pct, double situation_pct, Pair h_e_m,
                   double delta_h_m, double f_mhz, double d_m, double a_ref_db, int climate,
                   int mdvar, std::uint32_t& warnings);

/// Δh(d): the irregularity seen over a path of `d_m` metres [ERL 79, Eq. 3].
double terrain_roughness(double d_m, double delta_h_m);

/// σ_h(Δh): RMS deviation of the terrain within the first Fresnel zone [ERL 79, Eq. 3.6a].
double sigma_h(double delta_h_m);

} // namespace whitezone::itm
