// The sanity checks of the loaded inputs that need the coverage model (the stations' reach,
// their own ranges against the model's radii) and the DEM's gaps.

#include "whitezone/coverage.hpp"
#include "whitezone/overlay.hpp"
#include "whitezone/pipeline.hpp"
#include "whitezone/prepare.hpp"

#include "common/text.hpp"
#include "pipeline/stage.hpp"

#include <algorithm>

namespace whitezone::pipeline {

namespace {

// With use_station_range: the villages whose centre has signal (any class) from the stations'
// own ranges but not from the model's radii; warns when they are more than the set share.
void check_station_ranges(const PreparedInputs& inputs, const Footprints& with_ranges,
                          const Config& config, const Context& ctx) {
    const bool any_range = std::any_of(inputs.stations.begin(), inputs.stations.end(),
                                       [](const Station& s) { return s.range_m.has_value(); });
    if (!config.coverage.use_station_range || !any_range || inputs.villages.empty())
        return;
    CoverageOptions model = stage_options(config, ctx).coverage;
    model.use_station_range = false;
    const Footprints by_model = model_footprints(inputs.stations, model);
    const SignalAt ranges = signal_from_footprints(with_ranges);
    const SignalAt radii = signal_from_footprints(by_model);
    long only_ranges = 0;
    for (const Village& v : inputs.villages)
        only_ranges += ranges(ServiceClass::Any, v.centre) && !radii(ServiceClass::Any, v.centre);
    const double share =
        static_cast<double>(only_ranges) / static_cast<double>(inputs.villages.size());
    if (only_ranges > 0 && share > config.prepare.station_range_warn_share)
        ctx.log.warning(
            "coverage: the stations' own ranges alone give signal at the centre of " +
            text::thousands(only_ranges) + " of " +
            text::thousands(static_cast<long long>(inputs.villages.size())) + " villages (" +
            text::fixed(100.0 * share, 1) + " %) that the " + config.coverage.model.name() +
            " model's radii would leave without; OpenCelliD's `range` is where phones saw the "
            "cell, not where it serves. Set \"use_station_range\": false in the config to model "
            "every cell with the model's radius (\"station_range_warn_share\" sets when this "
            "warns).");
}

} // namespace

void check_inputs(Inputs& in, const Config& config, const Context& ctx) {
    ctx.check_cancelled("prepare");
    PreparedInputs& p = in.prepared;
    const StageOptions options = stage_options(config, ctx);
    const Footprints footprints = model_footprints(p.stations, options.coverage);
    double reach = 0.0;
    for (const Footprint& f : footprints.items)
        reach = std::max(reach, f.radius_m);
    reach += std::max(0.0, config.overlay.village_radius_m);
    const std::string source = "'" + text::scrub_secrets(config.stations.path) + "'";
    check_station_reach(p, reach, config.prepare.far_stations_warn_share, source, ctx.log,
                        options.threads);
    check_station_ranges(p, footprints, config, ctx);
    if (in.dem)
        flag_dem_gaps(p, *in.dem);
}

} // namespace whitezone::pipeline
