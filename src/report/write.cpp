// The public writing API (write.hpp): output formats, the checks before any work, and
// write_outputs(), which turns the results into tables (layers.cpp) and hands them to the
// sink of the output's format (sinks/).

#include "whitezone/error.hpp"
#include "whitezone/report.hpp"

#include "common/atomic.hpp"
#include "common/text.hpp"
#include "gdal/gdal.hpp"
#include "report/layers.hpp"
#include "report/sinks/sink.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <iostream>
#include <memory>
#include <unistd.h>

namespace fs = std::filesystem;

namespace whitezone {

std::string_view to_string(OutputFormat format) { return kOutputFormatNames.name(format); }

std::optional<OutputFormat> parse_output_format(std::string_view text) {
    return kOutputFormatNames.parse(text);
}

std::string output_format_choices() {
    const std::vector<std::string> names = kOutputFormatNames.canonical();
    std::string s;
    for (std::size_t i = 0; i < names.size(); ++i)
        s += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
    return s;
}

bool is_postgis_path(std::string_view path) {
    return path.size() >= 3 && text::lower(path.substr(0, 3)) == "pg:";
}

OutputFormat output_format(const WriteOptions& options) {
    const bool pg = is_postgis_path(options.path);
    if (pg && options.format != OutputFormat::GeoPackage && options.format != OutputFormat::PostGIS)
        throw UsageError("write: --out 'PG:…' writes PostGIS tables, but the format is '" +
                         std::string(to_string(options.format)) +
                         "'; leave --format out (or use --format postgis).");
    if (!pg && options.format == OutputFormat::PostGIS)
        throw UsageError("write: --format postgis needs a connection string in --out, e.g. "
                         "--out 'PG:dbname=whitezone'.");
    if (options.format == OutputFormat::Console && !options.path.empty())
        throw UsageError("write: --format console prints the layers and writes no file, but an "
                         "output path is given ('" +
                         text::scrub_secrets(options.path) + "'); leave --out out.");
    return pg ? OutputFormat::PostGIS : options.format;
}

namespace {

// The path or connection string to write, defaults applied.
std::string target_of(const WriteOptions& options) {
    const OutputFormat format = output_format(options);
    if (format == OutputFormat::PostGIS)
        return options.path;
    if (format == OutputFormat::Console)
        return "standard output";
    if (options.path.empty())
        return format == OutputFormat::GeoPackage ? "whitezone-results.gpkg" : "whitezone-results";
    // "results/" names the folder "results": with the trailing separator kept, the path
    // would have no file name and be its own parent, and the checks and the final swap
    // would look at the wrong folder.
    std::string path = options.path;
    while (path.size() > 1 && path.back() == '/')
        path.pop_back();
    return path;
}

} // namespace

std::string output_path(const WriteOptions& options) {
    return text::scrub_secrets(target_of(options));
}

void check_output(const WriteOptions& options) { check_output(options, LayerSelection{}); }

void check_output(const WriteOptions& options, const LayerSelection& selection) {
    const OutputFormat format = output_format(options);
    if (format == OutputFormat::PostGIS) {
        // The five tables every run writes (or the comparison's two); the sink checks the
        // others in its transaction.
        LayerSelection checked;
        checked.analysis = selection.analysis;
        checked.changes = selection.changes;
        report::check_postgis(options.path, output_layer_names(checked), options.overwrite);
        return;
    }
    if (format == OutputFormat::Console)
        return;
    const fs::path target = target_of(options);
    atomic::remove_stale(target); // an old output a crash left aside is back before the check
    atomic::check_replaceable(
        target, report::writes_folder(format) ? atomic::Kind::Folder : atomic::Kind::GeoPackage,
        options.overwrite, "write");
    if (selection.signal_files && !report::writes_folder(format))
        for (const std::string& side : signal_file_paths(options, selection.measurements)) {
            atomic::remove_stale(side);
            atomic::check_replaceable(side, atomic::Kind::File, options.overwrite, "write");
        }
    fs::path parent = target.parent_path();
    if (parent.empty())
        parent = ".";
    std::error_code ec;
    if (!fs::is_directory(parent, ec) || ::access(parent.c_str(), W_OK) != 0) {
        throw InputError("write: cannot write into folder '" + parent.string() + "' (" +
                         (fs::is_directory(parent, ec) ? "not writable" : "does not exist") +
                         "); create it or choose another --out.");
    }
}

void check_output_apart(const WriteOptions& options, const std::vector<InputPath>& inputs) {
    const OutputFormat format = output_format(options);
    if (format == OutputFormat::PostGIS || format == OutputFormat::Console)
        return;
    for (const InputPath& input : inputs)
        atomic::check_not_an_input(target_of(options), report::writes_folder(format), input.flag,
                                   input.path, "write");
}

std::vector<std::string> signal_file_paths(const WriteOptions& options, bool measurements) {
    const OutputFormat format = output_format(options);
    std::vector<std::string> paths;
    if (format == OutputFormat::PostGIS || format == OutputFormat::Console)
        return paths;
    for (const std::string& name : report::signal_file_names(true, measurements))
        paths.push_back(report::side_file_path(target_of(options), format, name).string());
    return paths;
}

namespace report {

std::unique_ptr<Sink> make_sink(const WriteOptions& options, const std::string& crs,
                                std::string_view stage, const Provenance* provenance,
                                std::vector<SideFile> side, Log log, int threads) {
    const OutputFormat format = output_format(options);
    if (format == OutputFormat::PostGIS)
        return make_postgis_sink(options.path, options.overwrite, crs, provenance);
    if (format == OutputFormat::Console)
        return make_console_sink(options.console ? *options.console : std::cout);
    return make_file_sink(target_of(options), format, options.overwrite, crs, stage, provenance,
                          options.csv_bom, std::move(side), std::move(log), threads);
}

} // namespace report

std::function<void()> begin_write(const OutputSet& outputs, const WriteOptions& options,
                                  const Log& log) {
    if (!outputs.analysis && !outputs.changes)
        throw ExternalError("write: no analysis to write");
    gdal::ensure_initialised();
    const AnalysisResult* a = outputs.analysis;
    const bool signal = outputs.signal_files && a && a->signal;
    check_output(options, {.analysis = a != nullptr,
                           .changes = outputs.changes != nullptr,
                           .signal_files = signal,
                           .measurements = signal && a->calibration});
    auto tables = std::make_shared<std::vector<report::Table>>(report::make_tables(outputs));
    if (output_format(options) == OutputFormat::Shapefile &&
        std::any_of(tables->begin(), tables->end(),
                    [](const auto& t) { return t.info.geometry == GeometryType::Mixed; }))
        throw InputError("write: the villages mix points and polygons, which a Shapefile "
                         "cannot hold in one layer; use --format gpkg or geojson.");
    std::shared_ptr<report::Sink> sink = report::make_sink(
        options,
        outputs.analysis ? outputs.analysis->inputs.work_crs_wkt : report::crs_of(*outputs.changes),
        "write", outputs.provenance,
        signal ? report::signal_files(*a->signal, a->inputs.work_crs_wkt, &a->inputs.stations,
                                      a->calibration ? &*a->calibration : nullptr)
               : std::vector<report::SideFile>{},
        log, outputs.threads);
    return [sink, tables] { sink->write(*tables); };
}

void write_outputs(const OutputSet& outputs, const WriteOptions& options, const Log& log) {
    begin_write(outputs, options, log)();
}

void write_outputs(const AnalysisResult& result, const WriteOptions& options, const Plan* plan,
                   const WhatIf* whatif, const Trend* trend) {
    write_outputs(OutputSet{&result, plan, whatif, trend}, options);
}

} // namespace whitezone
