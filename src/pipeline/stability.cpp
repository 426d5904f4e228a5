// How firm each village's status is: the network classified again under inputs varied within
// their uncertainty (docs/method.md#stability).

#include "whitezone/stability.hpp"

#include "whitezone/error.hpp"
#include "whitezone/pipeline.hpp"

#include "pipeline/stage.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace whitezone {

namespace {

// SplitMix64 (Steele, Lea & Flood 2014): a bijective mixer, so each (seed, run, site) gets
// its own well-spread stream of numbers without any shared generator state; the draws do
// not depend on the order in which sites or runs are visited, hence not on the threads.
std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// FNV-1a: a site's key hashed the same way on every platform (std::hash is not).
std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const char c : s)
        h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    return h;
}

// Uniform numbers in [0, 1) and standard normal ones from one stream.
class Draws {
  public:
    explicit Draws(std::uint64_t state) : m_state(state) {}
    double uniform() {
        m_state = mix(m_state);
        return static_cast<double>(m_state >> 11) * 0x1.0p-53;
    }
    // Box-Muller; 1 − u keeps the logarithm's argument in (0, 1].
    double normal() {
        const double u1 = 1.0 - uniform();
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }

  private:
    std::uint64_t m_state;
};

std::uint64_t stream(int seed, int run, std::uint64_t key) {
    return mix(mix(static_cast<std::uint64_t>(seed)) ^ mix(static_cast<std::uint64_t>(run) + 1) ^
               key);
}

// The stations of one varied run: every cell of a site moves with its mast and has its
// radius scaled by the site's factor (cells of one site share one draw).
std::vector<Station> varied_stations(const AnalysisResult& a, const StabilityOptions& o, int run) {
    std::vector<Station> out;
    out.reserve(a.inputs.stations.size());
    for (std::size_t i = 0; i < a.inputs.stations.size(); ++i) {
        const Station& s = a.inputs.stations[i];
        Station v;
        v.row = s.row;
        v.tech = s.tech;
        v.operator_name = s.operator_name;
        v.site_id = s.site_id;
        v.azimuth_deg = s.azimuth_deg;
        v.beamwidth_deg = s.beamwidth_deg;
        v.height_m = s.height_m;
        v.freq_mhz = s.freq_mhz;
        v.eirp_dbm = s.eirp_dbm;
        v.on_air_year = s.on_air_year;
        Draws d(stream(o.seed, run, fnv1a(s.operator_name + '\x1f' + s.site_id)));
        v.xy = {s.xy.x + o.position_sigma_m * d.normal(), s.xy.y + o.position_sigma_m * d.normal()};
        const double factor = 1.0 + o.radius_spread * (2.0 * d.uniform() - 1.0);
        v.range_m = a.footprints.items[i].radius_m * factor;
        out.push_back(std::move(v));
    }
    return out;
}

} // namespace

Stability assess_stability(const AnalysisResult& analysis, const Config& config,
                           const Context& ctx) {
    const StabilityOptions& o = config.stability;
    if (o.runs < 1)
        throw UsageError("stability: \"stability.runs\" must be at least 1.");
    if (analysis.footprints.items.size() != analysis.inputs.stations.size())
        throw UsageError("stability: the analysis has no footprint per station; run analyze() "
                         "first.");
    const std::size_t n = analysis.inputs.villages.size();
    PerClass<std::vector<std::array<int, 3>>> tally;
    for (auto& t : tally)
        t.assign(n, {0, 0, 0});

    // The varied runs log nothing of their own (one line at the end); warnings of the data
    // were given by the analysis already.
    Context quiet;
    quiet.threads = ctx.threads;
    quiet.stop = ctx.stop;
    for (int run = 0; run < o.runs; ++run) {
        ctx.check_cancelled("stability");
        Config c = config;
        // The varied radius replaces the model's (a station's own range included: it is the
        // one the analysis used).
        c.coverage.use_station_range = true;
        Draws d(stream(o.seed, run, 0x7468726573686f6cULL)); // "threshol"
        const double shift = o.threshold_spread * (2.0 * d.uniform() - 1.0);
        c.classify.covered_from = std::clamp(config.classify.covered_from + shift, 0.0, 1.0);
        c.classify.white_below =
            std::clamp(config.classify.white_below + shift, 0.0, c.classify.covered_from);
        const NetworkRun r =
            classify_network(analysis, varied_stations(analysis, o, run), c, quiet);
        for (ServiceClass cls : kServiceClasses) {
            const auto& statuses = r.classification.villages[index_of(cls)];
            for (std::size_t v = 0; v < n; ++v)
                ++tally[index_of(cls)][v][static_cast<std::size_t>(statuses[v].status)];
        }
        ctx.log.advance("stability", static_cast<double>(run + 1) / o.runs);
    }

    Stability out;
    out.runs = o.runs;
    for (ServiceClass cls : kServiceClasses) {
        const std::size_t k = index_of(cls);
        out.share_same[k].resize(n);
        out.likely[k].resize(n);
        for (std::size_t v = 0; v < n; ++v) {
            const Status today = analysis.classification.villages[k][v].status;
            const auto& t = tally[k][v];
            out.share_same[k][v] = static_cast<double>(t[static_cast<std::size_t>(today)]) / o.runs;
            // The most frequent status; a tie keeps today's, then the worse (whiter) one.
            Status best = today;
            for (Status s : {Status::White, Status::Partial, Status::Covered})
                if (t[static_cast<std::size_t>(s)] > t[static_cast<std::size_t>(best)])
                    best = s;
            out.likely[k][v] = best;
        }
    }
    return out;
}

} // namespace whitezone
