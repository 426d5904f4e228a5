#pragma once
// Internals of the Irregular Terrain Model (whitezone/itm.hpp), one function per step of
// Hufford's algorithm. "Algorithm" below is G.A. Hufford, "The ITS Irregular Terrain Model,
// version 1.2.2: the Algorithm"; "TN101" is Rice et al., NBS Technical Note 101; "ERL 79" is
// Longley & Rice, ESSA Technical Report ERL 79-ITS 67 (1968).

#include "whitezone/itm.hpp"

#include <array>
#include <cmath>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <numbers>
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

/// A horizon: the highest elevation angle seen from an antenna, rad, and its distance.
struct Horizon {
    double theta = 0.0;
    double d_m = 0.0;
};

/// The most points terrain_irregularity() resamples a stretch at (dlthx: 10 · 25 − 5).
inline constexpr std::size_t kMaxResampled = 245;

/// log10(x) as ln(x) · log10(e): within two units in the last place of std::log10(x) and half
/// its time (glibc 2.36's log10 is the old one, twice its log's); ITM takes about nine per
/// evaluation.
inline double log10_of(double x) { return std::log(x) * std::numbers::log10e; }

/// x^(1/4) as two square roots: within one unit in the last place of std::pow(x, 0.25) and a
/// third of its time (ITM's σ_h takes it three times per evaluation).
inline double fourth_root(double x) { return std::sqrt(std::sqrt(x)); }

/// The elevation angle, rad, of a point `z_m` high seen from the receiver's antenna at `z_rx_m`,
/// `d_m` away, over an earth of radius `a_e_m` (hzns): the one expression both scans of the
/// receiver's horizon use, so that they agree to the last bit.
inline double receiver_angle(double z_rx_m, double z_m, double d_m, double a_e_m) {
    return -(z_rx_m - z_m) / d_m - d_m / (2.0 * a_e_m);
}

/// The receiver's terrain horizon over the profile `z` (the receiver `h_rx_m` above its last
/// point) on an earth of radius `a_e_m`: the highest angle of points 1 … np − 1 seen from the
/// receiver, the first of equal angles from the transmitter's side (Algorithm §3, hzns, without
/// its starting angle toward the transmitter). It depends on neither the transmitter's height
/// nor the frequency.
Horizon receiver_terrain_horizon(std::span<const double> z, double step_m, double h_rx_m,
                                 double a_e_m);

/// What the prefixes of one ray's profile share (ray.cpp), so that ITM over each prefix costs
/// less than over a profile of its own: running sums of the heights, which make a mean or a
/// least-squares fit over an index range O(1), and per transmitter height the upper convex
/// hull of the terrain's angles from the transmitter, where its horizon lies whatever the
/// earth's radius. Co-sited antennas of several heights share one: the receiver's horizon of
/// each prefix, which the transmitter's height does not change, is found once.
class RayTerrain {
  public:
    /// The ray's whole profile (z[0] under the transmitters).
    void assign(std::span<const double> z, double step_m);
    /// Σ z_i and Σ i·z_i over i in [first, last].
    [[nodiscard]] double sum(int first, int last) const;
    [[nodiscard]] double moment(int first, int last) const;
    /// The horizon of a transmitter `h_tx_m` above z[0] over the prefix of `np` intervals on
    /// an earth of radius `a_e_m`: the highest angle of points 1 … np − 1 (the first among
    /// equals) and its distance; an angle of −∞ when the prefix has no such point. The hulls
    /// are built once per ray and height, for the longest prefix asked so far.
    [[nodiscard]] Horizon tx_horizon(int np, double h_tx_m, double a_e_m) const;
    /// receiver_terrain_horizon() over the prefix `z` of the ray's profile, computed once per
    /// prefix, receiver height and earth radius, and scanned from the receiver only as far as
    /// a point could still rise above the highest angle found (the same horizon).
    [[nodiscard]] Horizon rx_horizon(std::span<const double> z, double h_rx_m, double a_e_m) const;
    /// The guess for the deciles of the terrain irregularity over the prefix of `np`
    /// intervals: the last prefix's in this lane on this ray, else the last ones found for a
    /// prefix of `np` intervals on a ray assigned before (the rays around the antenna are
    /// walked in turn, and the same stretch of the next ray is much alike), else NaN.
    [[nodiscard]] Pair last_deciles(int np) const;
    void remember_deciles(int np, Pair deciles) const;
    /// The walks along the ray: the prefixes asked for in one lane should grow (the deciles'
    /// guesses follow each lane's last prefix); a caller that goes over the ray more than once
    /// (the anchors level by level, then single points) gives each walk a lane of its own.
    static constexpr std::size_t kLanes = 8;
    void use_lane(std::size_t lane) const { m_lane = lane; }

  private:
    // The upper hulls of (d, slope) over points 1 … p for a transmitter h_tx_m above z[0],
    // slope being (z − z_tx)/d, for every p < np (RayTerrain::tx_horizon()).
    struct Hull {
        double h_tx_m = 0.0;
        std::vector<double> slope;
        std::vector<int> below; // per point, the vertex under it in its hull (0: none)
        int np = 1;
    };
    // A receiver's horizon over one prefix, and what it was computed for.
    struct Seen {
        std::uint64_t ray = 0; // m_ray when found; 0: never
        double h_rx_m = 0.0, a_e_m = 0.0;
        Horizon horizon;
    };
    [[nodiscard]] Hull& hull_of(double h_tx_m) const;
    std::vector<double> m_z; // the profile
    double m_step_m = 0.0;
    std::vector<double> m_sum, m_moment; // running sums, one more entry than points
    std::vector<double> m_d;          // per point: distance from the transmitter, as hzns sums it
    static constexpr int kBlock = 16; // points per block of the receiver's horizon scan
    std::vector<double> m_highest;    // per point i: the highest of points 1 … i
    std::vector<double> m_block_highest;       // per block of kBlock points: its highest (from 1)
    bool m_exact_steps = false;                // every multiple of the step is a double
    mutable std::vector<double> m_to_receiver; // per point: distance to the prefix's receiver
    mutable std::vector<Hull> m_hulls;    // one per transmitter height asked for on this ray …
    mutable std::size_t m_hulls_used = 0; // … the first m_hulls_used of them
    mutable std::vector<Seen> m_seen;     // per prefix length np, valid for ray m_ray
    std::uint64_t m_ray = 0;              // counts the rays assigned
    mutable std::array<Pair, kLanes> m_deciles{}; // per lane, on this ray
    mutable std::vector<Pair> m_deciles_at; // per prefix length np, on any ray (kept by assign())
    mutable std::size_t m_lane = 0;
};

/// Horizon angles and distances seen from both antennas over an earth of radius `a_e_m`;
/// with `ray`, both come from what the ray's prefixes share.
void find_horizons(std::span<const double> z, double step_m, double a_e_m, Pair h_m,
                   Pair& theta_hzn, Pair& d_hzn_m, const RayTerrain* ray = nullptr);

/// Least-squares line through the profile points between distances `d_start_m` and `d_end_m`;
/// returns its heights at the two ends of the whole profile. With `ray` (whose profile `z`
/// is a prefix of), from the running sums.
Pair least_squares_fit(std::span<const double> z, double step_m, double d_start_m, double d_end_m,
                       const RayTerrain* ray = nullptr);

/// The sums of zlsq1's line through resampled points v_j (resample()): Σ v_j and Σ v_j·j over
/// j = 1 … n − 2, in four lanes (point j in lane (j − 1) mod 4, each lane summed in order of j).
struct ResampledSums {
    std::array<double, 4> inner{}, moment{};
};

/// The profile `z` resampled at x_start + j·dx intervals, j = 0 … out.size() − 1, each point
/// interpolated linearly within its interval, the last interval extended beyond the profile's
/// end (dlthx's points), and their sums. Two points at a time where SSE2 is there: the same
/// bits as one at a time.
ResampledSums resample(std::span<const double> z, double x_start, double dx, std::span<double> out);

/// Terrain irregularity Δh between `d_start_m` and `d_end_m`: interdecile range of the
/// heights about a straight line, scaled to an infinite path.
double terrain_irregularity(std::span<const double> z, double step_m, double d_start_m,
                            double d_end_m, const RayTerrain* ray = nullptr);

/// The preparatory step: horizons, Δh and effective heights (Algorithm §3, qlrpfl); with
/// `ray`, for a prefix of its profile.
ProfileGeometry analyse_profile(std::span<const double> z, double step_m, double gamma_e, Pair h_m,
                                const RayTerrain* ray = nullptr);

/// What ITM derives from the terrain profile and the antennas' heights alone: the preparatory
/// step and the refractivity of the path. Neither the frequency, the ground, the polarisation,
/// the climate nor the percentages enter it, so co-sited stations with the same antenna heights
/// share it exactly (itm_received_power() of a group).
struct PathGeometry {
    ProfileGeometry profile;
    double n_s = 0.0;     ///< surface refractivity at the path's mean height, N-units
    double gamma_e = 0.0; ///< effective earth curvature, 1/m
};

/// The path's geometry for `p`'s antenna heights and `n0` (nothing else of `p` is read); with
/// `ray`, `z` is a prefix of that ray's profile and the scans of the whole profile come from it.
PathGeometry analyse_path(std::span<const double> z, double step_m, const ItmParameters& p,
                          const RayTerrain* ray);

/// What ITM derives from the parameters alone, whatever the path: the ground impedance, the
/// frequency's powers and logarithm, the normal deviates of the percentages and the time
/// variability's frequency factors (each computed by the expression the algorithm uses per
/// path, so the losses are the same bit for bit). A raster computes them once per station.
struct Radio {
    explicit Radio(const ItmParameters& p);
    ItmParameters params;
    std::complex<double> z_g;               ///< ground impedance (Algorithm Eq. 3.1)
    double abs_z_g = 0.0;                   ///< |z_g|
    double f_third = 0.0;                   ///< f^(1/3)
    double k_factor = 0.0;                  ///< f^(−1/3)
    double log_f = 0.0;                     ///< ln f
    double free_space_1km_db = 0.0;         ///< free-space loss over 1 km (free_space_loss_db())
    double wn = 0.0;                        ///< wave number f / 47.7
    double z_t = 0.0, z_l = 0.0, z_s = 0.0; ///< normal deviates, after the mode's substitutions
    int mode = 0;                           ///< mode of variability without the +10 / +20
    bool no_location = false, no_situation = false;
    double g_minus = 0.0, g_plus = 0.0; ///< time variability's frequency factors
    double d_ex_f = 0.0;                ///< (575.7e12 / wn)^(1/3) of the effective distance
    bool extreme = false;               ///< a deviate beyond 3.1 (the warning bit)
};

/// ITM's loss over a path of geometry `g` (from analyse_path() with the same heights and n0)
/// for the rest of `p`: the reference attenuation, the variability and free space.
ItmResult path_loss(const PathGeometry& g, const ItmParameters& p, std::uint32_t warnings);
/// The same with the parameters' constants computed already.
ItmResult path_loss(const PathGeometry& g, const Radio& radio, std::uint32_t warnings);

/// itm_point_to_point() on a profile already checked (`warnings` from the checks):
/// path_loss() of analyse_path().
ItmResult point_to_point(std::span<const double> z, double step_m, const ItmParameters& p,
                         std::uint32_t warnings, const RayTerrain* ray);

/// Knife-edge loss A(v, 0), dB, for v² = `v2` (ITM's approximation of the Fresnel integral).
double fresnel_knife_edge(double v2);

/// Result of the reference attenuation.
struct Reference {
    double a_ref_db = 0.0;
    int mode = 1; ///< 1 line of sight, 2 diffraction, 3 troposcatter
};

/// Reference attenuation A_ref (Algorithm §4, lrprop) for the path; adds warning bits.
/// Throws InputError when the derived refractivity, earth radius or ground impedance is refused.
Reference reference_attenuation(const ProfileGeometry& g, const Radio& radio, double gamma_e,
                                double n_s, Pair h_m, std::uint32_t& warnings);

/// A_ref adjusted to the requested time, location and situation percentages (Algorithm §5,
/// avar); adds the extreme-variability warning bit.
double variability(const Radio& radio, Pair h_e_m, double delta_h_m, double d_m, double a_ref_db,
                   std::uint32_t& warnings);

/// The variability's part of Radio (its constructor): the deviates after the mode's
/// substitutions, the mode's flags, the frequency factors and the effective distance's term.
void variability_constants(Radio& radio);

/// Δh(d): the irregularity seen over a path of `d_m` metres [ERL 79, Eq. 3].
double terrain_roughness(double d_m, double delta_h_m);

/// σ_h(Δh): RMS deviation of the terrain within the first Fresnel zone [ERL 79, Eq. 3.6a].
double sigma_h(double delta_h_m);

} // namespace whitezone::itm
