// `whitezone plan`: the what-if of the planned stations and the new sites, on an analysis.

#include "whitezone/plan.hpp"

#include "whitezone/classify.hpp"
#include "whitezone/coverage.hpp"
#include "whitezone/error.hpp"
#include "whitezone/pipeline.hpp"
#include "whitezone/report.hpp"

#include "common/grid.hpp"
#include "common/polygon.hpp"
#include "common/text.hpp"
#include "pipeline/stage.hpp"
#include "proj/proj.hpp"

#include <algorithm>

namespace whitezone {

using pipeline::count;
using pipeline::stage;

namespace {

// The what-if's report, and the network with the planned stations on air that the plan
// builds on: the villages' classification and the stations (existing, then planned).
struct WhatIfRun {
    WhatIf report;
    Classification classification;
    std::vector<Station> stations;
};

// The what-if of the planned stations: a new network of today's stations followed by the
// planned ones; coverage, overlay and classify run again on it. Villages, settlements and
// every option are today's (the analysis is read, not changed), so the two classifications
// differ only by the planned stations.
WhatIfRun run_whatif(const Config& config, const AnalysisResult& today,
                     const std::vector<Station>& planned, const Context& ctx) {
    WhatIfRun out;
    out.stations.reserve(today.inputs.stations.size() + planned.size());
    out.stations = today.inputs.stations;
    out.stations.insert(out.stations.end(), planned.begin(), planned.end());

    out.classification =
        classify_network(today, out.stations, config, ctx, " with planned").classification;

    out.report = stage(
        ctx, "report",
        [&] {
            WhatIf w = compare_whatif(today.inputs, today.classification, out.classification,
                                      config.rank.service_class);
            w.planned_stations = planned.size();
            return w;
        },
        [](const WhatIf& w) {
            return count(static_cast<std::size_t>(w.rows.front().improved), "villages improved");
        });
    return out;
}

// The sites' and unlinkable candidates' positions in WGS 84, for the planner's list.
void add_lon_lat(Plan& plan, const std::string& work_crs) {
    std::vector<XY> points;
    for (const ProposedSite& s : plan.sites)
        points.push_back(s.xy);
    for (const UnlinkableCandidate& u : plan.unlinkable)
        points.push_back(u.xy);
    if (points.empty())
        return;
    const proj::Transformer to_wgs84(work_crs, "EPSG:4326");
    if (const long bad = to_wgs84.transform(points); bad >= 0)
        throw ExternalError("plan: cannot transform the new site at (" +
                            text::fixed(points[static_cast<std::size_t>(bad)].x, 1) + ", " +
                            text::fixed(points[static_cast<std::size_t>(bad)].y, 1) +
                            ") of the work CRS to WGS 84 lon/lat; check \"work_crs\".");
    std::size_t k = 0;
    for (ProposedSite& s : plan.sites) {
        s.lon = points[k].x;
        s.lat = points[k++].y;
    }
    for (UnlinkableCandidate& u : plan.unlinkable) {
        u.lon = points[k].x;
        u.lat = points[k++].y;
    }
}

// The share of villages covered in `cls` once `sites` are on air beside `network`, as analyze
// classifies them with both as its stations. Only a village that a new site reaches (within
// the site's footprint radius, plus overlay.village_radius_m) can change, so only those are
// classified again, with the stations within reach of them in their order (network, then
// sites), as restrict_inputs() keeps a tile's stations so that a tile's villages come out as
// in a run with every station; the others keep their status of `before`, the classification
// on `network`. The cost is that of the villages near the sites, not of the whole area.
double covered_share_with(const AnalysisResult& analysis, const Classification& before,
                          const std::vector<Station>& network, const std::vector<Station>& sites,
                          const Config& config, const Context& ctx, ServiceClass cls) {
    const PreparedInputs& all = analysis.inputs;
    const std::size_t n = all.villages.size();
    const std::string label = " with the new sites";
    // A village's extent: its polygon and its centre.
    auto extent = [&](std::size_t v) {
        const Village& village = all.villages[v];
        const Extent e = polygon::extent_of(village.area);
        return Extent{std::min(e.minx, village.centre.x), std::min(e.miny, village.centre.y),
                      std::max(e.maxx, village.centre.x), std::max(e.maxy, village.centre.y)};
    };
    const double site_reach = reach_m(sites, config, ctx);
    const double reach = std::max(site_reach, reach_m(network, config, ctx));

    const std::pair<PreparedInputs, std::vector<char>> part = stage(
        ctx, "plan",
        [&] {
            grid::GridIndex near_sites(std::max(site_reach, 1.0));
            for (std::size_t i = 0; i < sites.size(); ++i)
                near_sites.insert(grid::Box::around(sites[i].xy, 0.0), i);
            std::vector<char> near(n, 0);
            std::vector<std::size_t> hits;
            for (std::size_t v = 0; v < n; ++v) {
                const Extent e = extent(v);
                near_sites.query({e.minx - site_reach, e.miny - site_reach, e.maxx + site_reach,
                                  e.maxy + site_reach},
                                 hits);
                for (std::size_t i : hits)
                    if (pipeline::distance_to(e, sites[i].xy) <= site_reach) {
                        near[v] = 1;
                        break;
                    }
            }
            return std::pair{pipeline::village_part(all, near), std::move(near)};
        },
        [&](const std::pair<PreparedInputs, std::vector<char>>& p) {
            return count(p.first.villages.size(), "villages within reach of the new sites");
        });
    const PerClass<ClassCounts> today = count_villages(before);
    if (part.first.villages.empty())
        return today[index_of(cls)].coverage_rate();

    // The stations within reach of those villages, in order.
    grid::GridIndex near_villages(std::max(reach, 1.0));
    for (std::size_t v = 0; v < n; ++v)
        if (part.second[v]) {
            const Extent e = extent(v);
            near_villages.insert({e.minx, e.miny, e.maxx, e.maxy}, v);
        }
    std::vector<Station> stations;
    std::vector<std::size_t> hits;
    for (const std::vector<Station>* list : {&network, &sites})
        for (const Station& st : *list) {
            near_villages.query(grid::Box::around(st.xy, reach), hits);
            if (std::any_of(hits.begin(), hits.end(), [&](std::size_t v) {
                    return pipeline::distance_to(extent(v), st.xy) <= reach;
                }))
                stations.push_back(st);
        }
    Footprints footprints = stage(
        ctx, "coverage",
        [&] { return model_coverage(stations, pipeline::stage_options(config, ctx).coverage); },
        [&](const Footprints& f) { return count(f.items.size(), "footprints") + label; });
    const pipeline::Network near = pipeline::model_network(
        config, part.first, stations, std::move(footprints), pipeline::surroundings_of(analysis),
        /*polygons=*/false, ctx, label);
    const Classification after = stage(
        ctx, "classify",
        [&] { return classify_villages(part.first, near.overlay, config.classify); },
        [&](const Classification& c) { return count(c.villages[0].size(), "villages") + label; });

    // Today's covered villages, less those near the sites, plus those near the sites now.
    long covered = today[index_of(cls)].covered;
    const auto& was = before.villages[index_of(cls)];
    const auto& now = after.villages[index_of(cls)];
    for (std::size_t v = 0, k = 0; v < n; ++v)
        if (part.second[v]) {
            covered += (now[k++].status == Status::Covered) - (was[v].status == Status::Covered);
        }
    return static_cast<double>(covered) / static_cast<double>(n);
}

} // namespace

PlanResult plan(AnalysisResult analysis, const PlanInputs& extra, const Config& config,
                const Context& ctx) {
    PlanResult r;
    r.analysis = std::move(analysis);
    // With planned stations, the new sites are chosen on the gaps left once they are on air,
    // and their backhaul may reach them as well as the existing stations.
    std::optional<WhatIfRun> whatif;
    if (extra.planned) {
        whatif = run_whatif(config, r.analysis, *extra.planned, ctx);
        r.whatif = whatif->report;
    }
    const Classification& gaps = whatif ? whatif->classification : r.analysis.classification;
    const std::vector<Station>& network = whatif ? whatif->stations : r.analysis.inputs.stations;
    PlanOptions options = config.plan;
    options.service_class = config.rank.service_class;

    // With a DEM a new site must see what it serves: the village centres it reaches, and the
    // mast at the other end of each backhaul hop.
    SiteReach reaches;
    HopClear clear;
    if (const Raster<float>* dem = r.analysis.dem ? &*r.analysis.dem : nullptr) {
        const double k = config.coverage.terrain.k_factor;
        const double receiver = config.coverage.hata.receiver_height_m;
        reaches = [dem, k, receiver, mast = options.mast_height_m](XY site, XY village) {
            return in_line_of_sight(*dem, site, mast, village, receiver, k);
        };
        clear = [dem, k](XY a, double height_a, XY b, double height_b) {
            return in_line_of_sight(*dem, a, height_a, b, height_b, k);
        };
    }

    const std::vector<PlanCandidate> candidates = stage(
        ctx, "plan",
        [&] {
            std::vector<PlanCandidate> all =
                gap_candidates(r.analysis.inputs, gaps, options.service_class);
            if (r.analysis.dem) {
                const std::vector<PlanCandidate> tops =
                    high_point_candidates(all, *r.analysis.dem, options);
                all.insert(all.end(), tops.begin(), tops.end());
            }
            for (std::size_t i = 0; i < extra.candidates.size(); ++i) {
                const PreparedPoint& p = extra.candidates[i];
                all.push_back({p.xy, CandidateSource::Candidates, -1, p.row,
                               i < extra.candidate_values.size() ? extra.candidate_values[i]
                                                                 : std::vector<Value>{}});
            }
            return all;
        },
        [](const std::vector<PlanCandidate>& c) { return count(c.size(), "candidates"); });

    r.plan = stage(
        ctx, "plan",
        [&] {
            // plan.require_backhaul: a site must link to the network (or an earlier site).
            const SiteLinkable linkable = options.require_backhaul
                                              ? backhaul_link_check(network, options, clear)
                                              : SiteLinkable{};
            Plan p = plan_sites(r.analysis.inputs, gaps, candidates, options,
                                plan_radius_m(options, config.coverage), reaches, linkable);
            p.planned_stations = r.whatif ? r.whatif->planned_stations : 0;
            p.candidate_fields = extra.candidate_fields;
            return p;
        },
        [](const Plan& p) {
            return count(p.sites.size(), "new sites") +
                   " (stop: " + std::string(to_string(p.stop)) + ")" +
                   (p.unlinkable.empty()
                        ? ""
                        : ", " + count(p.unlinkable.size(), "unlinkable candidates") +
                              " set aside");
        });

    r.plan = stage(
        ctx, "plan", [&] { return plan_backhaul(r.plan, network, options, clear); },
        [](const Plan& p) {
            return count(static_cast<std::size_t>(p.connected), "connected") + ", " +
                   count(static_cast<std::size_t>(p.unconnectable), "unconnectable");
        });
    add_lon_lat(r.plan, r.analysis.inputs.work_crs);

    // The covered share with the new sites on air, as analyze classifies the villages: a site
    // brings signal to the centres it reaches, which makes a village partial or covered by
    // the status rule, so the share comes from classifying the villages again.
    r.plan.end_rate = r.plan.sites.empty()
                          ? r.plan.start_rate
                          : covered_share_with(r.analysis, gaps, network, proposed_stations(r.plan),
                                               config, ctx, options.service_class);
    return r;
}

PlanResult run_plan_and_write(const Config& config, const Context& run_ctx) {
    validate_plan_config(config);
    check_output(config.write);
    check_output_apart(config.write, pipeline::input_paths(config));
    const RunRecord record(config, run_ctx); // provenance: start time, warnings counted
    const Context& ctx = record.context();
    AnalysisResult analysis = analyze(load_inputs(config, ctx), config, ctx);
    const PlanInputs extra = load_plan_inputs(config, analysis.inputs.work_crs, ctx);
    PlanResult r = plan(std::move(analysis), extra, config, ctx);
    stage(
        ctx, "write",
        [&] {
            const Provenance provenance = record.finish(r.analysis.inputs.work_crs, true);
            write_outputs(OutputSet{&r.analysis, &r.plan, r.whatif ? &*r.whatif : nullptr, nullptr,
                                    &provenance},
                          config.write, ctx.log);
            return true;
        },
        [&](const bool&) { return output_path(config.write); });
    return r;
}

} // namespace whitezone
