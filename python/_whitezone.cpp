// The Python extension module `_whitezone`: the engine's in-memory API (load_inputs(),
// analyze(), plan(), trend(), output_tables(), write_outputs()) for the pure-Python package
// `whitezone` (python/whitezone/). Runs release the GIL; the log and the progress callback
// take it back. docs/python.md describes the Python side.

#include "whitezone/whitezone.hpp"
#include "whitezone/write.hpp"

#include "config_steps.hpp"

#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

namespace py = pybind11;
namespace wz = whitezone;

namespace {

/// A cancellation handle shared between Python threads and a run (Context::stop).
struct CancelToken {
    std::stop_source source;
    void cancel() { source.request_stop(); }
    [[nodiscard]] bool cancelled() const { return source.stop_requested(); }
};

/// The results of one run, kept in C++ until Python asks for their tables or writes them.
struct Result {
    wz::AnalysisResult analysis;
    std::optional<wz::Plan> plan;
    std::optional<wz::WhatIf> whatif;
    std::optional<wz::Trend> trend;
    /// How the analysis was made (the `provenance` layer; written by write()).
    std::optional<wz::Provenance> provenance;
    std::vector<std::string> warnings;

    [[nodiscard]] wz::OutputSet outputs() const {
        return {.analysis = &analysis,
                .plan = plan ? &*plan : nullptr,
                .whatif = whatif ? &*whatif : nullptr,
                .trend = trend ? &*trend : nullptr,
                .provenance = provenance ? &*provenance : nullptr,
                .signal_files = writes_signal_files()};
    }
    /// Whether write() writes the ITM model's GeoTIFFs and tables, as `whitezone analyze` does:
    /// an analysis (not a plan or trend) with the ITM model.
    [[nodiscard]] bool writes_signal_files() const { return analysis.signal && !plan && !trend; }
};

using wz::python::ConfigStep;
using wz::python::make_config;

// The log and cancellation of one run. `progress(message, fraction)` is called with the GIL
// held: fraction None for a stage line, 0-1 for the current long step; False stops the run.
// A callback that raises stops the run too; its exception is raised again after it.
class Run {
  public:
    Run(py::object progress, CancelToken* token, int threads) : m_progress(std::move(progress)) {
        if (token)
            m_token_stop.emplace(token->source.get_token(), Stopper{&m_stop});
        ctx.threads = threads;
        ctx.stop = m_stop.get_token();
        ctx.log.warn = [this](std::string_view m) {
            const std::lock_guard lock(m_mutex);
            warnings.emplace_back(m);
        };
        if (!m_progress.is_none()) {
            ctx.log.info = [this](std::string_view m) { call(m, std::nullopt); };
            ctx.log.progress = [this](std::string_view step, double f) { call(step, f); };
        }
    }
    Run(const Run&) = delete;
    Run& operator=(const Run&) = delete;
    ~Run() {
        const py::gil_scoped_acquire gil;
        m_progress = py::object();
    }

    /// Raises the callback's exception, if it raised one.
    void rethrow() {
        if (m_error)
            std::rethrow_exception(m_error);
    }

    wz::Context ctx;
    std::vector<std::string> warnings;

  private:
    struct Stopper {
        std::stop_source* source;
        void operator()() const noexcept { source->request_stop(); }
    };

    void call(std::string_view message, std::optional<double> fraction) {
        const std::lock_guard lock(m_mutex);
        if (m_error)
            return;
        const py::gil_scoped_acquire gil;
        try {
            const py::object r = m_progress(std::string(message), fraction);
            if (r.ptr() == Py_False) // only False cancels; None and anything else go on
                m_stop.request_stop();
        } catch (py::error_already_set&) {
            m_error = std::current_exception();
            m_stop.request_stop();
        }
    }

    py::object m_progress;
    std::stop_source m_stop;
    std::optional<std::stop_callback<Stopper>> m_token_stop;
    std::mutex m_mutex;
    std::exception_ptr m_error;
};

// Runs `body` without the GIL, with the context of `run`; the callback's own exception wins
// over the Cancelled it caused.
template <class Body> void run_released(Run& run, Body&& body) {
    try {
        const py::gil_scoped_release release;
        body();
    } catch (const wz::Cancelled&) {
        run.rethrow();
        throw;
    }
    run.rethrow();
}

std::unique_ptr<Result> analyze(const std::vector<ConfigStep>& steps, const py::object& progress,
                                CancelToken* token) {
    const wz::Config config = make_config(steps);
    Run run(progress, token, config.threads);
    auto result = std::make_unique<Result>();
    run_released(run, [&] {
        const wz::RunRecord record(config, run.ctx); // provenance: start, warnings, inputs
        result->analysis = wz::run_analysis(config, record.context());
        result->provenance = record.finish(result->analysis.inputs.work_crs, false);
    });
    result->warnings = std::move(run.warnings);
    return result;
}

// `plan()`'s own options, the CLI's --budget, --by and --target-rate (not config keys), with
// the CLI's ranges.
void apply_plan_options(wz::Config& config, std::optional<long long> budget,
                        const std::optional<std::string>& by, std::optional<double> target_rate) {
    if (budget) {
        if (*budget < 0 || *budget > 100000)
            throw wz::UsageError("whitezone.plan(): budget=" + std::to_string(*budget) +
                                 " is out of range; give a number of new sites from 0 to 100000.");
        config.plan.budget = static_cast<std::size_t>(*budget);
    }
    if (by) {
        const auto parsed = wz::parse_plan_objective(*by);
        if (!parsed)
            throw wz::UsageError("whitezone.plan(): by='" + *by +
                                 "' is not known; use 'people' or 'villages'.");
        config.plan.by = *parsed;
    }
    if (target_rate) {
        if (!(*target_rate >= 0.0 && *target_rate <= 1.0))
            throw wz::UsageError("whitezone.plan(): target_rate=" + std::to_string(*target_rate) +
                                 " is out of range; give a share from 0 to 1, e.g. 0.95.");
        config.plan.target_rate = *target_rate;
    }
}

std::unique_ptr<Result> plan(const std::vector<ConfigStep>& steps, std::optional<long long> budget,
                             const std::optional<std::string>& by,
                             std::optional<double> target_rate, const py::object& progress,
                             CancelToken* token) {
    wz::Config config = make_config(steps);
    apply_plan_options(config, budget, by, target_rate);
    Run run(progress, token, config.threads);
    auto result = std::make_unique<Result>();
    run_released(run, [&] {
        wz::validate_plan_config(config);
        wz::AnalysisResult analysis =
            wz::analyze(wz::load_inputs(config, run.ctx), config, run.ctx);
        const wz::PlanInputs extra =
            wz::load_plan_inputs(config, analysis.inputs.work_crs, run.ctx);
        wz::PlanResult r = wz::plan(std::move(analysis), extra, config, run.ctx);
        result->analysis = std::move(r.analysis);
        result->plan = std::move(r.plan);
        result->whatif = std::move(r.whatif);
    });
    result->warnings = std::move(run.warnings);
    return result;
}

std::unique_ptr<Result> trend(const std::vector<ConfigStep>& steps, std::optional<int> from,
                              std::optional<int> to, const py::object& progress,
                              CancelToken* token) {
    const wz::Config config = make_config(steps);
    Run run(progress, token, config.threads);
    auto result = std::make_unique<Result>();
    run_released(run, [&] {
        wz::validate_config(config);
        wz::TrendOptions options;
        options.from = from;
        options.to = to;
        options.write_chart = false;
        wz::Inputs inputs = wz::load_inputs(config, run.ctx);
        wz::require_on_air_years(inputs.prepared, config.stations.path);
        result->analysis = wz::analyze(std::move(inputs), config, run.ctx);
        result->trend = wz::trend(result->analysis, options, config, run.ctx);
    });
    result->warnings = std::move(run.warnings);
    return result;
}

py::object to_python(const wz::Value& v) {
    if (const auto* n = std::get_if<std::int64_t>(&v))
        return py::int_(*n);
    if (const auto* d = std::get_if<double>(&v))
        return py::float_(*d);
    if (const auto* s = std::get_if<std::string>(&v))
        return py::str(*s);
    return py::none();
}

const char* type_name(wz::ColumnType t) {
    switch (t) {
    case wz::ColumnType::Integer:
    case wz::ColumnType::Integer64:
        return "integer";
    case wz::ColumnType::Real:
        return "real";
    case wz::ColumnType::String:
        return "string";
    }
    return "string";
}

const char* geometry_name(wz::GeometryType t) {
    switch (t) {
    case wz::GeometryType::None:
        return "none";
    case wz::GeometryType::Points:
        return "points";
    case wz::GeometryType::Lines:
        return "lines";
    case wz::GeometryType::Polygons:
        return "polygons";
    case wz::GeometryType::Mixed:
        return "mixed";
    }
    return "none";
}

// Every output layer as a dict: name, geometry, crs, fields [(name, type)], columns (lists
// of Python values, None for NULL), wkb (bytes or None per row; None for a table).
py::list tables(const Result& result) {
    std::vector<wz::LayerTable> layers;
    {
        const py::gil_scoped_release release;
        layers = wz::output_tables(result.outputs());
    }
    py::list out;
    for (const auto& layer : layers) {
        py::dict d;
        d["name"] = layer.name;
        d["geometry"] = geometry_name(layer.geometry);
        d["crs"] = layer.crs_wkt;
        py::list fields, columns;
        for (std::size_t k = 0; k < layer.fields.size(); ++k) {
            fields.append(py::make_tuple(layer.fields[k], type_name(layer.types[k])));
            py::list column(layer.rows);
            for (std::size_t i = 0; i < layer.rows; ++i)
                column[i] = to_python(layer.values[k][i]);
            columns.append(column);
        }
        d["fields"] = fields;
        d["columns"] = columns;
        if (layer.geometry == wz::GeometryType::None) {
            d["wkb"] = py::none();
        } else {
            py::list wkb(layer.rows);
            for (std::size_t i = 0; i < layer.rows; ++i)
                wkb[i] = layer.wkb[i].empty() ? py::object(py::none())
                                              : py::object(py::bytes(layer.wkb[i]));
            d["wkb"] = wkb;
        }
        out.append(d);
    }
    return out;
}

// Writes the result; returns the paths of the ITM model's files written with it (none for
// the other models, PostGIS and the console) and the write's data warnings (text values cut
// to a Shapefile's 254 bytes), which the package issues as DataWarning.
py::tuple write_result(const Result& result, const std::string& path, const std::string& format,
                       bool overwrite) {
    const wz::WriteOptions options =
        wz::python::write_options(path, format, overwrite, "write: format");
    std::vector<std::string> warnings;
    {
        const py::gil_scoped_release release;
        wz::write_outputs(result.outputs(), options, wz::python::collect_warnings(warnings));
    }
    const std::vector<std::string> files =
        result.writes_signal_files()
            ? wz::signal_file_paths(options, result.analysis.calibration.has_value())
            : std::vector<std::string>{};
    return py::make_tuple(files, warnings);
}

// A vector layer made in memory (GDAL's /vsimem/) from a data frame's columns, for the
// engine to read like a file: `fields` are (name, kind "integer" | "real" | "string", values
// with None for NULL), `wkb` one geometry (bytes or None) per row, `crs` WKT or "".
void write_memory_layer(const std::string& path, const std::string& layer_name,
                        const std::string& crs, const std::vector<py::tuple>& fields,
                        const py::list& wkb) {
    GDALAllRegister();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!driver)
        throw wz::ExternalError("python: GDAL has no GeoPackage driver");
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds)
        throw wz::ExternalError("python: cannot create '" + path + "': " + CPLGetLastErrorMsg());
    OGRSpatialReference srs;
    const bool has_srs = !crs.empty() && srs.SetFromUserInput(crs.c_str()) == OGRERR_NONE;
    if (has_srs)
        srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const char* options[] = {"FID=wz_py_fid", "GEOMETRY_NAME=wz_py_geom", "SPATIAL_INDEX=NO",
                             nullptr};
    OGRLayer* layer = ds->CreateLayer(layer_name.c_str(), has_srs ? &srs : nullptr, wkbUnknown,
                                      const_cast<char**>(options));
    if (!layer)
        throw wz::ExternalError("python: cannot create layer '" + layer_name +
                                "': " + CPLGetLastErrorMsg());
    std::vector<std::string> kinds;
    for (const auto& f : fields) {
        const auto name = f[0].cast<std::string>();
        kinds.push_back(f[1].cast<std::string>());
        const OGRFieldType type = kinds.back() == "integer" ? OFTInteger64
                                  : kinds.back() == "real"  ? OFTReal
                                                            : OFTString;
        OGRFieldDefn defn(name.c_str(), type);
        if (layer->CreateField(&defn) != OGRERR_NONE)
            throw wz::ExternalError("python: cannot create field '" + name +
                                    "': " + CPLGetLastErrorMsg());
    }
    std::vector<py::list> values;
    for (const auto& f : fields)
        values.push_back(f[2].cast<py::list>());
    const auto rows = static_cast<std::size_t>(py::len(wkb));
    const bool transaction = layer->StartTransaction() == OGRERR_NONE;
    for (std::size_t i = 0; i < rows; ++i) {
        OGRFeature feature(layer->GetLayerDefn());
        for (std::size_t k = 0; k < fields.size(); ++k) {
            const py::handle v = values[k][i];
            const int idx = static_cast<int>(k);
            if (v.is_none())
                feature.SetFieldNull(idx);
            else if (kinds[k] == "integer")
                feature.SetField(idx, static_cast<GIntBig>(v.cast<long long>()));
            else if (kinds[k] == "real")
                feature.SetField(idx, v.cast<double>());
            else
                feature.SetField(idx, py::str(v).cast<std::string>().c_str());
        }
        const py::handle g = wkb[i];
        if (!g.is_none()) {
            const auto bytes = g.cast<std::string>();
            OGRGeometry* geometry = nullptr;
            if (OGRGeometryFactory::createFromWkb(bytes.data(), has_srs ? &srs : nullptr, &geometry,
                                                  bytes.size()) != OGRERR_NONE)
                throw wz::InputError("python: row " + std::to_string(i) + " of layer '" +
                                     layer_name + "' has a geometry that is not valid WKB");
            feature.SetGeometryDirectly(geometry);
        }
        if (layer->CreateFeature(&feature) != OGRERR_NONE)
            throw wz::ExternalError("python: cannot write row " + std::to_string(i) + " of '" +
                                    layer_name + "': " + CPLGetLastErrorMsg());
    }
    if (transaction && layer->CommitTransaction() != OGRERR_NONE)
        throw wz::ExternalError("python: cannot commit layer '" + layer_name +
                                "': " + CPLGetLastErrorMsg());
}

void remove_memory(const std::string& folder) { VSIRmdirRecursive(folder.c_str()); }

} // namespace

void bind_parts(py::module_& m); // parts.cpp: the Dask driver's calls

PYBIND11_MODULE(_whitezone, m) {
    m.doc() = "The whitezone engine (use the package `whitezone`, docs/python.md).";
    m.attr("version") = std::string(wz::version());

    // Base first: pybind11 tries the translators last registered first, so each error
    // becomes its own Python class (all subclasses of whitezone.Error).
    const auto& error = py::register_exception<wz::Error>(m, "Error");
    py::register_exception<wz::UsageError>(m, "UsageError", error.ptr());
    py::register_exception<wz::InputError>(m, "InputError", error.ptr());
    py::register_exception<wz::ExternalError>(m, "ExternalError", error.ptr());
    py::register_exception<wz::Cancelled>(m, "Cancelled", error.ptr());

    py::class_<CancelToken>(m, "CancelToken")
        .def(py::init<>())
        .def("cancel", &CancelToken::cancel, "Stops the runs given this token (from any thread).")
        .def_property_readonly("cancelled", &CancelToken::cancelled);

    py::class_<Result>(m, "Result")
        .def("tables", &tables)
        .def("write", &write_result, py::arg("path"), py::arg("format"), py::arg("overwrite"))
        .def_readonly("warnings", &Result::warnings);

    m.def("analyze", &analyze, py::arg("config"), py::arg("progress"), py::arg("token"));
    m.def("plan", &plan, py::arg("config"), py::arg("budget"), py::arg("by"),
          py::arg("target_rate"), py::arg("progress"), py::arg("token"));
    m.def("trend", &trend, py::arg("config"), py::arg("from_year"), py::arg("to_year"),
          py::arg("progress"), py::arg("token"));
    m.def("write_memory_layer", &write_memory_layer, py::arg("path"), py::arg("layer"),
          py::arg("crs"), py::arg("fields"), py::arg("wkb"));
    m.def("remove_memory", &remove_memory, py::arg("folder"));
    bind_parts(m);
}
