// ITM's preparatory step on the terrain profile: horizons, terrain irregularity Δh and the
// effective antenna heights (Hufford, Algorithm §3; subroutines hzns, dlthx, zlsq1, qlrpfl).
// Distances along the profile are accumulated the way the algorithm does (one step at a time,
// indices truncated toward zero), because the reference values in docs/itm.md depend on it
// to a few hundredths of a dB.

#include "itm/detail.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace whitezone::itm {

namespace {

// The number of intervals of a profile of z.size() points.
int intervals(std::span<const double> z) { return static_cast<int>(z.size()) - 1; }

double fdim0(double x, double y) { return x > y ? x - y : 0.0; }

// The value std::nth_element would put at place `k` of `v` (at most kMaxResampled values)
// ordered by `before`: quickselect whose partitions neither branch on a value (the decile
// guesses leave sets whose order the processor cannot predict) nor swap values in place (a
// swap's store is often the next value's load). Each value is written to both ends of a spare
// buffer: those before the pivot fill it from the front, the others from the back.
template <class Before> double select(std::span<const double> v, std::size_t k, Before before) {
    std::array<std::array<double, kMaxResampled>, 2> spare;
    const double* from = v.data();
    std::size_t size = v.size(); // k < size
    for (std::size_t round = 0; size > 8; ++round) {
        double* to = spare[round % 2].data();
        const double a = from[0], b = from[size / 2], c = from[size - 1];
        const double pivot = std::max(std::min(a, b), std::min(std::max(a, b), c)); // median
        std::size_t front = 0, back = size - 1; // back wraps below 0 only after the last value
        for (std::size_t i = 0; i < size; ++i) {
            const double x = from[i];
            const bool first = before(x, pivot);
            to[front] = x;
            to[back] = x;
            front += first ? 1 : 0;
            back -= first ? 0 : 1;
        }
        if (k < front) {
            from = to;
            size = front;
            continue;
        }
        if (front == 0) {
            // Nothing before the pivot: the values equal to it are dropped (kept in order
            // behind a write position that never passes the read one).
            std::size_t after = 0;
            for (std::size_t i = 0; i < size; ++i) {
                const double x = to[i];
                to[after] = x;
                after += before(pivot, x) ? 1 : 0;
            }
            if (k < size - after)
                return pivot;
            k -= size - after;
            from = to;
            size = after;
            continue;
        }
        k -= front;
        from = to + front;
        size -= front;
    }
    std::array<double, 8> rest;
    std::copy(from, from + size, rest.begin());
    std::sort(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(size), before);
    return rest[k];
}

} // namespace

// Two points at a time where SSE2 is there (every x86-64), each by the same operations in the
// same order as one at a time, the sums' lanes in two pairs.
ResampledSums resample(std::span<const double> z, double x_start, double dx,
                       std::span<double> out) {
    const int last_interval = intervals(z) - 1;
    const auto point = [&](std::size_t j) {
        const double x = x_start + static_cast<double>(j) * dx;
        const int i = std::min(static_cast<int>(x), last_interval);
        const double z0 = z[static_cast<std::size_t>(i)];
        return z0 + (z[static_cast<std::size_t>(i) + 1] - z0) * (x - i);
    };
    const std::size_t n = out.size();
    ResampledSums sums;
    if (n == 0)
        return sums;
    out[0] = point(0);
    std::size_t j = 1;
#if defined(__SSE2__)
    // Truncating x after clamping it to the last interval gives the clamped truncation.
    const __m128d start = _mm_set1_pd(x_start), step = _mm_set1_pd(dx);
    const __m128d last = _mm_set1_pd(last_interval), two = _mm_set1_pd(2.0);
    __m128d at = _mm_set_pd(2.0, 1.0); // points j and j + 1
    // Lanes 0 and 1 (the pairs from j ≡ 1 mod 4), lanes 2 and 3 (from j ≡ 3 mod 4).
    __m128d inner_01 = _mm_setzero_pd(), inner_23 = _mm_setzero_pd();
    __m128d moment_01 = _mm_setzero_pd(), moment_23 = _mm_setzero_pd();
    const auto pair = [&](__m128d& inner, __m128d& moment) {
        const __m128d x = _mm_add_pd(start, _mm_mul_pd(at, step));
        const __m128i i = _mm_cvttpd_epi32(_mm_min_pd(x, last));
        const __m128d f = _mm_sub_pd(x, _mm_cvtepi32_pd(i));
        const auto i0 = static_cast<std::size_t>(_mm_cvtsi128_si32(i));
        const auto i1 = static_cast<std::size_t>(_mm_cvtsi128_si32(_mm_shuffle_epi32(i, 1)));
        const __m128d z0 = _mm_loadh_pd(_mm_load_sd(&z[i0]), &z[i1]);
        const __m128d z1 = _mm_loadh_pd(_mm_load_sd(&z[i0 + 1]), &z[i1 + 1]);
        const __m128d v = _mm_add_pd(z0, _mm_mul_pd(_mm_sub_pd(z1, z0), f));
        _mm_storeu_pd(&out[j], v);
        inner = _mm_add_pd(inner, v);
        moment = _mm_add_pd(moment, _mm_mul_pd(v, at));
        at = _mm_add_pd(at, two);
        j += 2;
    };
    while (j + 5 <= n) { // points j … j + 3, all summed (at most n − 2)
        pair(inner_01, moment_01);
        pair(inner_23, moment_23);
    }
    if (j + 3 <= n)
        pair(inner_01, moment_01);
    _mm_storeu_pd(&sums.inner[0], inner_01);
    _mm_storeu_pd(&sums.inner[2], inner_23);
    _mm_storeu_pd(&sums.moment[0], moment_01);
    _mm_storeu_pd(&sums.moment[2], moment_23);
#endif
    for (; j < n; ++j) {
        out[j] = point(j);
        if (j + 2 <= n) { // not the last point
            const std::size_t lane = (j - 1) % 4;
            sums.inner[lane] += out[j];
            sums.moment[lane] += out[j] * static_cast<double>(j);
        }
    }
    return sums;
}

Horizon receiver_terrain_horizon(std::span<const double> z, double step_m, double h_rx_m,
                                 double a_e_m) {
    const int np = intervals(z);
    const double d_m = np * step_m;
    const double z_rx = z[static_cast<std::size_t>(np)] + h_rx_m;
    Horizon h{-std::numeric_limits<double>::infinity(), d_m};
    double d_rx = d_m;
    for (int i = 1; i < np; ++i) {
        d_rx -= step_m; // one step at a time, as hzns does (RayTerrain::rx_horizon() too)
        const double theta = receiver_angle(z_rx, z[static_cast<std::size_t>(i)], d_rx, a_e_m);
        if (theta > h.theta)
            h = {theta, d_rx};
    }
    return h;
}

void find_horizons(std::span<const double> z, double step_m, double a_e_m, Pair h_m,
                   Pair& theta_hzn, Pair& d_hzn_m, const RayTerrain* ray) {
    const int np = intervals(z);
    const double d_m = np * step_m;
    const double z_tx = z[0] + h_m[0];
    const double z_rx = z[static_cast<std::size_t>(np)] + h_m[1];

    // Start from the angles to the other antenna as if the path were clear [TN101, Eq. 6.15];
    // each profile point that rises above them (on an earth curving by d/2a) becomes the
    // horizon (Algorithm §3, hzns).
    theta_hzn[0] = (z_rx - z_tx) / d_m - d_m / (2.0 * a_e_m);
    theta_hzn[1] = -(z_rx - z_tx) / d_m - d_m / (2.0 * a_e_m);
    d_hzn_m = {d_m, d_m};

    // hzns scans the points once, keeping the first angle that beats the current one. The
    // highest point of a scan that starts lower (the first of equals) is the same point, so
    // the terrain's highest angle can come from elsewhere (on a ray: the transmitter's hull,
    // the receiver's scan shared by the antennas of other heights) and then meet the start.
    Horizon tx{-std::numeric_limits<double>::infinity(), d_m};
    if (ray) {
        tx = ray->tx_horizon(np, h_m[0], a_e_m);
    } else {
        double d_tx = 0.0;
        for (int i = 1; i < np; ++i) {
            d_tx += step_m;
            const double theta =
                (z[static_cast<std::size_t>(i)] - z_tx) / d_tx - d_tx / (2.0 * a_e_m);
            if (theta > tx.theta)
                tx = {theta, d_tx};
        }
    }
    const Horizon rx = ray ? ray->rx_horizon(z, h_m[1], a_e_m)
                           : receiver_terrain_horizon(z, step_m, h_m[1], a_e_m);
    for (std::size_t t = 0; t < 2; ++t) {
        const Horizon& h = t == 0 ? tx : rx;
        if (h.theta > theta_hzn[t]) {
            theta_hzn[t] = h.theta;
            d_hzn_m[t] = h.d_m;
        }
    }
}

Pair least_squares_fit(std::span<const double> z, double step_m, double d_start_m, double d_end_m,
                       const RayTerrain* ray) {
    // Algorithm §3, zlsq1: the line is fitted to the points whose indices lie between the two
    // distances (truncated), with the two end points weighted one half (trapezoidal sums).
    const int np = intervals(z);
    int i_start = static_cast<int>(fdim0(d_start_m / step_m, 0.0));
    int i_end = np - static_cast<int>(fdim0(np, d_end_m / step_m));
    if (i_end <= i_start) {
        i_start = static_cast<int>(fdim0(i_start, 1.0));
        i_end = np - static_cast<int>(fdim0(np, i_end + 1.0));
    }
    const double length = i_end - i_start;
    double x = -0.5 * length;
    const double x_end = i_end + x;
    const auto at = [&](int i) { return z[static_cast<std::size_t>(i)]; };
    double sum = 0.5 * (at(i_start) + at(i_end));
    double moment = 0.5 * (at(i_start) - at(i_end)) * x;
    if (ray) {
        // The same trapezoidal sums from the running sums: the inner points' Σ z and Σ z·x,
        // x measured from the middle of the range.
        const double inner = ray->sum(i_start + 1, i_end - 1);
        sum += inner;
        moment += ray->moment(i_start + 1, i_end - 1) - (i_start - x) * inner;
    } else {
        for (int k = 2; k <= length; ++k) {
            ++i_start;
            x += 1.0;
            sum += at(i_start);
            moment += at(i_start) * x;
        }
    }
    sum /= length;
    moment = moment * 12.0 / ((length * length + 2.0) * length);
    return {sum - moment * x_end, sum + moment * (np - x_end)};
}

double terrain_irregularity(std::span<const double> z, double step_m, double d_start_m,
                            double d_end_m, const RayTerrain* ray) {
    // Algorithm §3, dlthx: resample the stretch at n equally spaced points (n between 35 and
    // 245, about ten per interval), remove the least-squares line, and take the interdecile
    // range of the residuals.
    const int np = intervals(z);
    const double x_start = d_start_m / step_m;
    const double x_end = d_end_m / step_m;
    if (x_end - x_start < 2.0)
        return 0.0;

    const int p10 = std::clamp(static_cast<int>(0.1 * (x_end - x_start + 8.0)), 4, 25);
    const int n = 10 * p10 - 5;
    const int p90 = n - p10;
    const double n_intervals = n - 1;

    // The resampled points, each from its own position (dlthx steps from point to point; the
    // same points up to rounding, without a chain of additions through the loop), and the
    // sums of zlsq1's least-squares line through them (least_squares_fit() over points
    // 0 … n − 1 at unit spacing: the two end points weighted one half, x measured from the
    // middle), in four independent sums.
    std::array<double, kMaxResampled> s; // the first n are used, each written before read
    const double dx = (x_end - x_start) / n_intervals;
    const auto count = static_cast<std::size_t>(n);
    const ResampledSums sums = resample(z, x_start, dx, std::span(s).first(count));
    const double inner = (sums.inner[0] + sums.inner[1]) + (sums.inner[2] + sums.inner[3]);
    const double half = 0.5 * n_intervals;
    const double moment =
        (sums.moment[0] + sums.moment[1]) + (sums.moment[2] + sums.moment[3]) - half * inner;
    const double first = s[0], last = s[count - 1];
    const double mean = (0.5 * (first + last) + inner) / n_intervals;
    const double tilt = (moment - 0.5 * (first - last) * half) * 12.0 /
                        ((n_intervals * n_intervals + 2.0) * n_intervals);
    const double line = mean - tilt * half;
    const double slope = (mean + tilt * half - line) / n_intervals;

    // The residuals about the line. Their p10-th largest and (p90+1)-th largest are the upper
    // and lower deciles. On a ray the previous prefix's deciles are close: a little inside
    // them (a twentieth of their range), guesses that leave few values to select from (when at
    // least p10 values lie beyond a guess, the p10-th among them is the p10-th of all;
    // otherwise all are searched). A walk's first prefix takes the guesses of the same prefix
    // on the ray before (RayTerrain::last_deciles()); the result never depends on the guess.
    const auto all = std::span(s.data(), static_cast<std::size_t>(n));
    const auto p = static_cast<std::size_t>(p10);
    // The residual of point i: computed from the resampled value, until `all` holds them.
    const auto off_line = [&](std::size_t i) {
        return all[i] - (line + slope * static_cast<double>(i));
    };
    bool residuals = false;
    const auto residual = [&](std::size_t i) { return residuals ? all[i] : off_line(i); };
    const auto residuals_in_all = [&] {
        if (!residuals)
            for (std::size_t i = 0; i < count; ++i)
                all[i] = off_line(i);
        residuals = true;
        return all;
    };
    double q10 = 0.0, q90 = 0.0;
    if (ray) {
        const Pair guess = ray->last_deciles(np);
        const double inside = 0.05 * (guess[0] - guess[1]);
        const double upper = guess[0] - inside, lower = guess[1] + inside;
        std::array<double, kMaxResampled> high, low; // the first n_high, n_low are used
        std::size_t n_high = 0, n_low = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const double v = off_line(i);
            // Without a branch; a NaN guess (the ray's first prefix) keeps every value.
            high[n_high] = v;
            n_high += upper > v ? 0 : 1;
            low[n_low] = v;
            n_low += lower < v ? 0 : 1;
        }
        // Fewer than p beyond a guess (the decile moved inward by more than the guess allowed
        // for): once more with the guess a quarter of the range further in, then all are
        // searched (the residuals, in place).
        const double further = 0.25 * (guess[0] - guess[1]);
        const auto kth = [&](std::span<double> few, std::size_t m, double guessed, auto before) {
            if (m < p) {
                const double wider = guessed + (before(1.0, 0.0) ? -further : further);
                m = 0;
                for (std::size_t i = 0; i < count; ++i) {
                    const double v = residual(i);
                    few[m] = v;
                    m += before(wider, v) ? 0 : 1;
                }
            }
            return select(m >= p ? few.first(m) : residuals_in_all(), p - 1, before);
        };
        q10 = kth(high, n_high, upper, std::greater<>());
        q90 = kth(low, n_low, lower, std::less<>());
        ray->remember_deciles(np, {q10, q90});
    } else {
        residuals_in_all();
        q10 = select(all, p - 1, std::greater<>());
        q90 = select(all, static_cast<std::size_t>(p90), std::greater<>());
    }

    // Δh(d) = Δh (1 − 0.8 e^(−d/50 km)) [ERL 79, Eq. 3], inverted to give Δh.
    return (q10 - q90) / (1.0 - 0.8 * std::exp(-(d_end_m - d_start_m) / 50e3));
}

ProfileGeometry analyse_profile(std::span<const double> z, double step_m, double gamma_e, Pair h_m,
                                const RayTerrain* ray) {
    ProfileGeometry g;
    const int np = intervals(z);
    g.d_m = np * step_m;
    const double a_e = 1.0 / gamma_e;

    find_horizons(z, step_m, a_e, h_m, g.theta_hzn, g.d_hzn_m, ray);

    // Terrain near each antenna is left out of Δh and of the fitted ground: "consideration of
    // terrain elevations should begin at a point about 15 times the tower height" (Hufford,
    // 1982, p. 25), or at a tenth of the horizon distance when that is nearer.
    const double d_start = std::min(15.0 * h_m[0], 0.1 * g.d_hzn_m[0]);
    const double d_end = g.d_m - std::min(15.0 * h_m[1], 0.1 * g.d_hzn_m[1]);
    g.delta_h_m = terrain_irregularity(z, step_m, d_start, d_end, ray);

    const double z_tx = z[0];
    const double z_rx = z[static_cast<std::size_t>(np)];
    if (g.d_hzn_m[0] + g.d_hzn_m[1] > 1.5 * g.d_m) {
        // Well within line of sight: effective heights over the ground fitted along the whole
        // path, and horizons taken from the smooth-earth formula reduced for rough terrain
        // (Algorithm §3, Eq. 3.4–3.6).
        const Pair fit = least_squares_fit(z, step_m, d_start, d_end, ray);
        g.h_e_m = {h_m[0] + fdim0(z_tx, fit[0]), h_m[1] + fdim0(z_rx, fit[1])};
        const auto horizon = [&](double h_e) {
            return std::sqrt(2.0 * h_e * a_e) *
                   std::exp(-0.07 * std::sqrt(g.delta_h_m / std::max(h_e, 5.0)));
        };
        for (std::size_t i = 0; i < 2; ++i)
            g.d_hzn_m[i] = horizon(g.h_e_m[i]);
        const double combined = g.d_hzn_m[0] + g.d_hzn_m[1];
        if (combined <= g.d_m) {
            // Scale the heights so that the horizons at least meet (Algorithm Eq. 3.7).
            const double q = std::pow(g.d_m / combined, 2);
            for (std::size_t i = 0; i < 2; ++i) {
                g.h_e_m[i] *= q;
                g.d_hzn_m[i] = horizon(g.h_e_m[i]);
            }
        }
        for (std::size_t i = 0; i < 2; ++i) {
            const double q = std::sqrt(2.0 * g.h_e_m[i] * a_e);
            g.theta_hzn[i] = (0.65 * g.delta_h_m * (q / g.d_hzn_m[i] - 1.0) - 2.0 * g.h_e_m[i]) / q;
        }
    } else {
        // Beyond line of sight: effective heights over the ground fitted between each antenna
        // and 90 % of the way to its horizon; horizons stay as found.
        const Pair fit_tx = least_squares_fit(z, step_m, d_start, 0.9 * g.d_hzn_m[0], ray);
        g.h_e_m[0] = h_m[0] + fdim0(z_tx, fit_tx[0]);
        const Pair fit_rx = least_squares_fit(z, step_m, g.d_m - 0.9 * g.d_hzn_m[1], d_end, ray);
        g.h_e_m[1] = h_m[1] + fdim0(z_rx, fit_rx[1]);
    }
    return g;
}

} // namespace whitezone::itm
