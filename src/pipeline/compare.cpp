// The comparison commands as compositions: `whitezone compare` (read two results, compare,
// write) and `analyze --baseline` (analyze, compare with the baseline, write).

#include "whitezone/compare.hpp"

#include "whitezone/config.hpp"
#include "whitezone/pipeline.hpp"
#include "whitezone/provenance.hpp"

#include "common/text.hpp"
#include "pipeline/stage.hpp"
#include "proj/proj.hpp"

#include <filesystem>

namespace whitezone {

using pipeline::count;
using pipeline::stage;

namespace {

// "1,071 villages (CRS label)".
std::string describe_side(const CompareSide& side) {
    return count(side.villages.size(), "villages") + " from " + side.source;
}

std::string describe_comparison(const Comparison& c) {
    long matched = 0;
    for (const auto& ch : c.changes)
        matched += ch.before >= 0 && ch.after >= 0;
    return count(static_cast<std::size_t>(matched), "villages matched") + ", " +
           count(c.changes.size() - static_cast<std::size_t>(matched), "unmatched");
}

// A result read for a comparison, as an input of the provenance: a GeoPackage or a database
// (a folder has no one file to hash, and is not listed).
void add_result_input(Provenance& provenance, const std::string& role, const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec) || is_postgis_path(path))
        provenance.inputs.push_back(describe_vector_input(role, path, "villages"));
}

// Says how the unit rows were counted when only one run carries units of --units: the other
// run's villages were counted in the units of the villages they matched, and those that
// matched none are in no unit row. `after_too`: also when it was the later run (compare);
// analyze --baseline writes no unit rows when the run itself has no units.
void warn_borrowed_units(const Comparison& c, const Log& log, bool after_too) {
    if (!c.before_units_borrowed && !(after_too && c.after_units_borrowed))
        return;
    const CompareSide& without = c.before_units_borrowed ? c.before : c.after;
    const CompareSide& with = c.before_units_borrowed ? c.after : c.before;
    std::string message = "compare: " + without.source +
                          " has no units of --units (it was analyzed without them): its villages "
                          "are counted in the units of the villages they matched in " +
                          with.source;
    if (c.units_unplaced > 0)
        message += "; " + count(static_cast<std::size_t>(c.units_unplaced), "of its villages") +
                   (c.units_unplaced == 1 ? " matches" : " match") + " none and " +
                   (c.units_unplaced == 1 ? "is" : "are") +
                   " counted in no unit row (only in 'all' and the province, district and "
                   "commune rows)";
    log.warning(message + ". To count them by place instead, analyze it again with the same "
                          "--units.");
}

// The comparison's CRS (the later run's) by its name: "WGS 84 / UTM zone 48N".
std::string crs_name(const Comparison& c) {
    const auto info = proj::describe(c.after.crs_wkt);
    return info ? info->name : c.after.crs_wkt;
}

} // namespace

Comparison run_compare_and_write(const std::string& before, const std::string& after,
                                 const Config& config, const Context& run_ctx) {
    const WriteOptions& write = config.write;
    const CompareOptions& options = config.compare;
    check_output(write, {.analysis = false, .changes = true}); // a bad --out fails at once
    check_output_apart(write, {{"--before", before}, {"--after", after}});
    const RunRecord record(config, run_ctx); // provenance: start time, warnings counted
    const Context& ctx = record.context();
    CompareSide b = stage(
        ctx, "compare", [&] { return read_compare_side(before, "--before", options); },
        describe_side);
    CompareSide a = stage(
        ctx, "compare", [&] { return read_compare_side(after, "--after", options); },
        describe_side);
    Comparison c = stage(
        ctx, "compare", [&] { return compare_results(std::move(b), std::move(a), options); },
        describe_comparison);
    warn_borrowed_units(c, ctx.log, true);
    stage(
        ctx, "write",
        [&] {
            Provenance provenance = record.finish(crs_name(c), false);
            // No coverage model runs here: the model line says how villages were matched.
            provenance.model = "compare: villages matched by id, else by place (a centre in "
                               "the other's polygon, else the nearest centre within " +
                               text::fixed(options.match_tolerance_m, 0) + " m)";
            add_result_input(provenance, "before", before);
            add_result_input(provenance, "after", after);
            write_outputs(OutputSet{.provenance = &provenance, .changes = &c}, write, ctx.log);
            return true;
        },
        [&](const bool&) { return output_path(write); });
    return c;
}

BaselineRun run_with_baseline_and_write(const Config& config, const std::string& baseline,
                                        const CompareOptions& options, const Context& run_ctx) {
    validate_config(config);
    // A bad --out (or an ITM raster beside it) fails before any work.
    check_output(config.write, pipeline::analysis_layers(config));
    std::vector<InputPath> inputs = pipeline::input_paths(config);
    inputs.push_back({"--baseline", baseline});
    check_output_apart(config.write, inputs);
    const RunRecord record(config, run_ctx); // provenance: start time, warnings counted
    const Context& ctx = record.context();
    CompareSide last = stage(
        ctx, "compare", [&] { return read_compare_side(baseline, "--baseline", options); },
        describe_side);
    // The polygons move to the temporary file after the overlay; compare_side() reads them
    // back (its copy is what the comparison matches villages by). The footprints are
    // dissolved (with a DEM the covered cells polygonized) while the comparison runs and the
    // other layers are written.
    AnalysisResult r;
    pipeline::DissolveBeside dissolve(ctx, "the comparison and the write");
    r = pipeline::analyze_stages(load_inputs(config, ctx), config, ctx, !dissolve.enabled(), true,
                                 dissolve.raster());
    dissolve.start(r);
    Comparison c = stage(
        ctx, "compare", [&] { return compare_results(std::move(last), compare_side(r), options); },
        describe_comparison);
    warn_borrowed_units(c, ctx.log, false);
    stage(
        ctx, "write",
        [&] {
            Provenance provenance = record.finish(r.inputs.work_crs, false);
            if (r.calibration)
                provenance.accuracy = describe_accuracy(*r.calibration);
            add_result_input(provenance, "baseline", baseline);
            write_outputs(OutputSet{.analysis = &r,
                                    .provenance = &provenance,
                                    .baseline = &c,
                                    .signal_files = true,
                                    .wait_for_coverage = dissolve.waiter(),
                                    .threads = ctx.worker_threads()},
                          config.write, ctx.log);
            return true;
        },
        [&](const bool&) { return output_path(config.write); });
    dissolve.finish();
    return {std::move(r), std::move(c)};
}

} // namespace whitezone
