#pragma once
// Internals of the Irregular Terrain Model (whitezone/itm.hpp), one function per step of
// Hufford's algorithm. "Algorithm" below is G.A. Hufford, "The ITS Irregular Terrain Model,
// version 1.2.2: the Algorithm"; "TN101" is Rice et al., NBS Technical Note 101; "ERL 79" is
// Longley & Rice, ESSA Technical Report ERL 79-ITS 67 (1968).

#include <array>
#include <complex>
#include <cstdint>
#include <span>

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

/// Horizon angles and distances seen from both antennas over an earth of radius `a_e_m`.
void find_horizons(std::span<const double> z, double step_m, double a_e_m, Pair h_m,
                   Pair& theta_hzn, Pair& d_hzn_m);

/// Least-squares line through the profile points between distances `d_start_m` and `d_end_m`;
/// returns its heights at the two ends of the whole profile.
Pair least_squares_fit(std::span<const double> z, double step_m, double d_start_m, double d_end_m);

/// Terrain irregularity Δh between `d_start_m` and `d_end_m`: interdecile range of the
/// heights about a straight line, scaled to an infinite path.
double terrain_irregularity(std::span<const double> z, double step_m, double d_start_m,
                            double d_end_m);

/// The preparatory step: horizons, Δh and effective heights (Algorithm §3, qlrpfl).
ProfileGeometry analyse_profile(std::span<const double> z, double step_m, double gamma_e, Pair h_m);

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
