// The inputs of a report read back from the GeoPackages whitezone wrote, by field name: a
// field is used where the layer has it, so results of older and newer versions both read.
// Geometry goes to the browser as GeoJSON in WGS 84, simplified in the work CRS first.

#include "whitezone/error.hpp"
#include "whitezone/publish.hpp"

#include "common/text.hpp"
#include "gdal/gdal.hpp"

#include <ogr_api.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace fs = std::filesystem;

namespace whitezone {

int ReportLayer::field(const std::string& key) const {
    const auto it = std::find(fields.begin(), fields.end(), key);
    return it == fields.end() ? -1 : static_cast<int>(it - fields.begin());
}

std::optional<double> ReportLayer::number(std::size_t row, const std::string& key) const {
    const int i = field(key);
    if (i < 0 || row >= rows.size())
        return std::nullopt;
    const ReportValue& v = rows[row][static_cast<std::size_t>(i)];
    if (const auto* n = std::get_if<std::int64_t>(&v))
        return static_cast<double>(*n);
    if (const auto* d = std::get_if<double>(&v))
        return *d;
    return std::nullopt;
}

std::string ReportLayer::text(std::size_t row, const std::string& key) const {
    const int i = field(key);
    if (i < 0 || row >= rows.size())
        return {};
    const ReportValue& v = rows[row][static_cast<std::size_t>(i)];
    if (const auto* s = std::get_if<std::string>(&v))
        return *s;
    if (const auto* n = std::get_if<std::int64_t>(&v))
        return std::to_string(*n);
    if (const auto* d = std::get_if<double>(&v))
        return text::fixed(*d, 6);
    return {};
}

const ReportLayer* ReportSource::layer(const std::string& name) const {
    const auto it = layers.find(name);
    return it == layers.end() ? nullptr : &it->second;
}

namespace publish {

namespace {

// One geometry as GeoJSON in WGS 84: simplified by `tolerance` (in the layer's CRS units),
// coordinates with 5 decimals (about 1 m).
std::string to_geojson(const OGRGeometry& source, OGRCoordinateTransformation* to_wgs84,
                       double tolerance) {
    std::unique_ptr<OGRGeometry> g;
    const OGRwkbGeometryType flat = wkbFlatten(source.getGeometryType());
    if (tolerance > 0 && flat != wkbPoint && flat != wkbMultiPoint)
        g.reset(source.SimplifyPreserveTopology(tolerance));
    if (!g || g->IsEmpty())
        g.reset(source.clone());
    if (to_wgs84 && g->transform(to_wgs84) != OGRERR_NONE)
        return {};
    char** options = CSLSetNameValue(nullptr, "COORDINATE_PRECISION", "5");
    char* json = OGR_G_ExportToJsonEx(OGRGeometry::ToHandle(g.get()), options);
    CSLDestroy(options);
    std::string out = json ? json : "";
    CPLFree(json);
    return out;
}

ReportLayer read_one(OGRLayer& layer, bool with_geometry, double simplify_m) {
    ReportLayer out;
    out.name = layer.GetName();
    OGRFeatureDefn* defn = layer.GetLayerDefn();
    const int n = defn->GetFieldCount();
    std::vector<OGRFieldType> types;
    for (int i = 0; i < n; ++i) {
        out.fields.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
        types.push_back(defn->GetFieldDefn(i)->GetType());
    }
    with_geometry = with_geometry && defn->GetGeomFieldCount() > 0;
    std::unique_ptr<OGRCoordinateTransformation> to_wgs84;
    double tolerance = 0;
    if (with_geometry) {
        const OGRSpatialReference* srs = layer.GetSpatialRef();
        if (srs) {
            gdal::SrsPtr source(srs->Clone());
            source->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            gdal::SrsPtr wgs84 = gdal::make_srs("EPSG:4326");
            to_wgs84.reset(OGRCreateCoordinateTransformation(source.get(), wgs84.get()));
            // Degrees: about 111 km each.
            tolerance = source->IsGeographic() ? simplify_m / 111'000.0 : simplify_m;
        }
    }
    layer.ResetReading();
    for (auto& f : layer) {
        std::vector<ReportValue> row;
        row.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            if (!f->IsFieldSetAndNotNull(i)) {
                row.emplace_back(std::monostate{});
                continue;
            }
            switch (types[static_cast<std::size_t>(i)]) {
            case OFTInteger:
            case OFTInteger64:
                row.emplace_back(static_cast<std::int64_t>(f->GetFieldAsInteger64(i)));
                break;
            case OFTReal:
                row.emplace_back(f->GetFieldAsDouble(i));
                break;
            default:
                row.emplace_back(std::string(f->GetFieldAsString(i)));
            }
        }
        out.rows.push_back(std::move(row));
        if (with_geometry) {
            const OGRGeometry* g = f->GetGeometryRef();
            out.geojson.push_back(g ? to_geojson(*g, to_wgs84.get(), tolerance) : "");
        }
    }
    return out;
}

std::string layers_of(GDALDataset& ds) {
    std::vector<std::string> names;
    for (int i = 0; i < ds.GetLayerCount(); ++i)
        names.emplace_back(ds.GetLayer(i)->GetName());
    return text::quoted_list(names);
}

// Opens `path` as a GeoPackage (or other vector dataset) with a clear message when it is none.
GDALDatasetUniquePtr open_result(const std::string& path, const std::string& role,
                                 const std::string& command) {
    std::error_code ec;
    if (path.rfind("PG:", 0) != 0 && fs::is_directory(path, ec))
        throw InputError("report: --" + role + " '" + path +
                         "' is a folder; give the .gpkg file that whitezone " + command +
                         " wrote (run it with --format gpkg, the default).");
    return gdal::open_vector(path, role);
}

// Reads the named layers of `ds` that exist; those in `geometry` with their geometry.
void read_layers(GDALDataset& ds, ReportSource& source, const std::vector<std::string>& names,
                 const std::vector<std::string>& geometry, double simplify_m) {
    for (const std::string& name : names) {
        OGRLayer* layer = ds.GetLayerByName(name.c_str());
        if (!layer)
            continue;
        const bool geom = std::find(geometry.begin(), geometry.end(), name) != geometry.end();
        source.layers.emplace(name, read_one(*layer, geom, simplify_m));
    }
    if (OGRLayer* prov = ds.GetLayerByName("provenance")) {
        const ReportLayer p = read_one(*prov, false, 0);
        for (std::size_t i = 0; i < p.rows.size(); ++i)
            source.provenance[p.text(i, "key")] = p.text(i, "value");
    }
}

[[noreturn]] void not_a_result(const std::string& role, const std::string& path, GDALDataset& ds,
                               const std::string& missing, const std::string& command) {
    throw InputError("report: --" + role + " '" + text::scrub_secrets(path) + "' has no '" +
                     missing + "' layer, so it is not a result of whitezone " + command +
                     "; its layers are " + layers_of(ds) + ". Give the .gpkg that whitezone " +
                     command + " wrote.");
}

// The map colours and names a village by its status: a value analyze does not write (a result
// edited by hand, "White" or "trắng") would be drawn grey and counted nowhere, so it is refused.
void check_statuses(const ReportLayer& villages, const std::string& role, const std::string& path) {
    for (const char* field : {"status_broadband", "status_any"}) {
        if (!villages.has(field))
            continue;
        std::string bad;
        std::size_t count = 0;
        for (std::size_t i = 0; i < villages.rows.size(); ++i) {
            const std::string value = villages.text(i, field);
            if (value == "white" || value == "partial" || value == "covered")
                continue;
            if (++count <= 3) {
                const std::string id = villages.text(i, "village_id");
                bad += (bad.empty() ? "row " : "; row ") + std::to_string(i + 1) +
                       (id.empty() ? "" : " (village_id '" + id + "')") + ": '" + value + "'";
            }
        }
        if (count > 0)
            throw InputError("report: --" + role + " '" + text::scrub_secrets(path) +
                             "', layer 'villages': " + std::to_string(count) + " " +
                             (count == 1 ? "village has" : "villages have") + " a " + field +
                             " that is not white, partial or covered (" + bad +
                             (count > 3 ? "; …" : "") +
                             "). Set those values to one of the three, as analyze writes them, "
                             "or give the .gpkg that analyze wrote.");
    }
}

ReportSource read_results(const std::string& path, const std::string& role, bool full,
                          double simplify_m) {
    GDALDatasetUniquePtr ds = open_result(path, role, "analyze");
    for (const char* needed : {"villages", "summary"})
        if (!ds->GetLayerByName(needed))
            not_a_result(role, path, *ds, needed, "analyze");
    ReportSource source;
    source.path = path;
    if (full)
        read_layers(
            *ds, source,
            {"villages", "summary", "sites", "stations", "coverage", "summary_operators", "trend"},
            {"villages", "stations", "coverage"}, simplify_m);
    else
        read_layers(*ds, source, {"summary", "sites"}, {}, simplify_m);
    const ReportLayer* summary = source.layer("summary");
    for (const char* f : {"level", "villages", "white_broadband", "covered_broadband"})
        if (!summary->has(f))
            throw InputError("report: --" + role + " '" + text::scrub_secrets(path) +
                             "', layer 'summary' has no field '" + f +
                             "', so it is not a result of whitezone analyze; give the .gpkg "
                             "that analyze wrote.");
    if (full && !source.layer("villages")->has("status_broadband"))
        throw InputError("report: --" + role + " '" + text::scrub_secrets(path) +
                         "', layer 'villages' has no field 'status_broadband', so it is not a "
                         "result of whitezone analyze; give the .gpkg that analyze wrote.");
    if (full)
        check_statuses(*source.layer("villages"), role, path);
    return source;
}

} // namespace

} // namespace publish

ReportData read_report_data(const ReportOptions& options) {
    using namespace publish;
    gdal::ensure_initialised();
    ReportData data;
    data.results = read_results(options.results, "results", true, options.simplify_m);
    if (!options.baseline.empty())
        data.baseline = read_results(options.baseline, "baseline", false, options.simplify_m);
    if (!options.plan.empty()) {
        GDALDatasetUniquePtr ds = open_result(options.plan, "plan", "plan");
        if (!ds->GetLayerByName("proposed_sites"))
            not_a_result("plan", options.plan, *ds, "proposed_sites", "plan");
        ReportSource plan;
        plan.path = options.plan;
        const std::vector<std::string> layers{"proposed_sites", "backhaul_links",
                                              "planned_stations"};
        read_layers(*ds, plan, layers, layers, options.simplify_m);
        data.plan = std::move(plan);
    }
    if (!options.trend.empty()) {
        GDALDatasetUniquePtr ds = open_result(options.trend, "trend", "trend");
        if (!ds->GetLayerByName("trend"))
            not_a_result("trend", options.trend, *ds, "trend", "trend");
        ReportSource trend;
        trend.path = options.trend;
        read_layers(*ds, trend, {"trend"}, {}, 0);
        data.trend = std::move(trend);
    } else if (data.results.layer("trend")) {
        data.trend = ReportSource{options.results, {{"trend", *data.results.layer("trend")}}, {}};
    }
    return data;
}

} // namespace whitezone
