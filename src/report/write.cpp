// Writing the output layers with GDAL, atomically: everything goes to a temporary name
// beside the target, is closed and checked, and only then renamed into place.

#include "whitezone/error.hpp"
#include "whitezone/report.hpp"
#include "whitezone/report/trend.hpp"

#include "common/atomic.hpp"
#include "common/text.hpp"
#include "gdal/gdal.hpp"

#include <ogrsf_frmts.h>

#include <algorithm>
#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;

namespace whitezone {

std::string_view to_string(OutputFormat format) { return kOutputFormatNames.name(format); }

std::optional<OutputFormat> parse_output_format(std::string_view text) {
    return kOutputFormatNames.parse(text);
}

std::string output_path(const WriteOptions& options) {
    if (options.path.empty())
        return options.format == OutputFormat::GeoPackage ? "whitezone-results.gpkg"
                                                          : "whitezone-results";
    // "results/" names the folder "results": with the trailing separator kept, the path
    // would have no file name and be its own parent, and the checks and the final rename
    // would look at the wrong folder.
    std::string path = options.path;
    while (path.size() > 1 && path.back() == '/')
        path.pop_back();
    return path;
}

void check_output(const WriteOptions& options) {
    const fs::path target = output_path(options);
    std::error_code ec;
    if (fs::exists(target, ec) && !options.overwrite) {
        throw InputError("write: output '" + target.string() +
                         "' already exists; pass --overwrite to replace it, or choose another "
                         "--out.");
    }
    if (fs::exists(target, ec) && options.format == OutputFormat::GeoPackage &&
        fs::is_directory(target, ec)) {
        throw InputError("write: output '" + target.string() +
                         "' is a folder; a GeoPackage is one file: give a path ending in "
                         ".gpkg, or use --format geojson|shp|csv for a folder.");
    }
    fs::path parent = target.parent_path();
    if (parent.empty())
        parent = ".";
    if (!fs::is_directory(parent, ec) || ::access(parent.c_str(), W_OK) != 0) {
        throw InputError("write: cannot write into folder '" + parent.string() + "' (" +
                         (fs::is_directory(parent, ec) ? "not writable" : "does not exist") +
                         "); create it or choose another --out.");
    }
}

namespace {

struct Column {
    std::string name;
    std::string shp; // at most 10 characters (dBase)
    OGRFieldType type;
};

const char* driver_name(OutputFormat f) {
    switch (f) {
    case OutputFormat::GeoPackage:
        return "GPKG";
    case OutputFormat::GeoJSON:
        return "GeoJSON";
    case OutputFormat::Shapefile:
        return "ESRI Shapefile";
    case OutputFormat::CSV:
        return "CSV";
    }
    return "";
}

const char* extension(OutputFormat f) {
    switch (f) {
    case OutputFormat::GeoPackage:
        return ".gpkg";
    case OutputFormat::GeoJSON:
        return ".geojson";
    case OutputFormat::Shapefile:
        return ".shp";
    case OutputFormat::CSV:
        return ".csv";
    }
    return "";
}

OGRFieldType ogr_type(FieldType t) {
    switch (t) {
    case FieldType::Integer:
        return OFTInteger64;
    case FieldType::Real:
        return OFTReal;
    case FieldType::String:
        return OFTString;
    }
    return OFTString;
}

// The datasets being written: one GeoPackage, or one file per layer in a folder.
class Output {
  public:
    Output(const WriteOptions& options, fs::path temp, const std::string& crs_wkt)
        : m_options(options), m_temp(std::move(temp)), m_srs(gdal::make_srs(crs_wkt)) {
        m_driver = GetGDALDriverManager()->GetDriverByName(driver_name(options.format));
        if (!m_driver)
            throw ExternalError(std::string("write: GDAL has no ") + driver_name(options.format) +
                                " driver");
        if (options.format != OutputFormat::GeoPackage)
            fs::create_directory(m_temp);
    }

    OGRLayer* create_layer(const std::string& name, OGRwkbGeometryType type,
                           std::vector<Column> columns, std::vector<FieldDef> carried = {}) {
        GDALDataset* ds = dataset_for(name);
        std::vector<std::string> options;
        if (m_options.format == OutputFormat::GeoJSON)
            options.emplace_back("RFC7946=YES"); // reprojects to WGS 84, as the RFC requires
        if (m_options.format == OutputFormat::CSV && type != wkbNone)
            options.emplace_back("GEOMETRY=AS_WKT");
        if (m_options.format == OutputFormat::Shapefile)
            options.emplace_back("ENCODING=UTF-8");
        gdal::StringList opts(options);
        OGRLayer* layer = ds->CreateLayer(name.c_str(), type == wkbNone ? nullptr : m_srs.get(),
                                          type, opts.get());
        if (!layer)
            throw ExternalError("write: cannot create layer '" + name + "': " + gdal::last_error());
        // Input fields first, renamed with "_in" when the output uses the name itself: an
        // output field, or a column the driver adds (the GeoPackage's "fid" and "geom", the
        // "WKT" column of a CSV with geometry). QGIS exports often carry "fid"; a CSV read
        // through its WKT column carries "WKT".
        const bool shp = m_options.format == OutputFormat::Shapefile;
        std::vector<std::string> taken;
        for (const auto& c : columns)
            taken.push_back(text::lower(shp ? c.shp : c.name));
        if (m_options.format == OutputFormat::GeoPackage)
            taken.insert(taken.end(), {"fid", "geom"});
        if (m_options.format == OutputFormat::CSV && type != wkbNone)
            taken.emplace_back("wkt");
        for (auto& f : carried) {
            if (std::find(taken.begin(), taken.end(), text::lower(f.name)) != taken.end())
                f.name += "_in";
            add_field(layer, f.name, ogr_type(f.type));
        }
        for (const auto& c : columns)
            add_field(layer, m_options.format == OutputFormat::Shapefile ? c.shp : c.name, c.type);
        // Large write transactions (GeoPackage); drivers without them write directly.
        if (layer->StartTransaction() == OGRERR_NONE)
            m_in_transaction.push_back(layer);
        return layer;
    }

    void finish_layer(OGRLayer* layer) {
        if (std::find(m_in_transaction.begin(), m_in_transaction.end(), layer) ==
            m_in_transaction.end())
            return;
        if (layer->CommitTransaction() != OGRERR_NONE)
            throw ExternalError("write: cannot commit layer '" + std::string(layer->GetName()) +
                                "': " + gdal::last_error());
    }

    /// Closes every dataset and checks that it reached the disk.
    void close() {
        for (auto& ds : m_datasets)
            gdal::close_checked(ds, "write");
        m_datasets.clear();
    }

  private:
    GDALDataset* dataset_for(const std::string& layer) {
        if (m_options.format == OutputFormat::GeoPackage && !m_datasets.empty())
            return m_datasets.front().get();
        const fs::path file = m_options.format == OutputFormat::GeoPackage
                                  ? m_temp
                                  : m_temp / (layer + extension(m_options.format));
        GDALDataset* ds = m_driver->Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
        if (!ds)
            throw ExternalError("write: cannot create '" + file.string() +
                                "': " + gdal::last_error());
        m_datasets.emplace_back(ds);
        return ds;
    }

    static void add_field(OGRLayer* layer, const std::string& name, OGRFieldType type) {
        OGRFieldDefn defn(name.c_str(), type);
        if (layer->CreateField(&defn) != OGRERR_NONE)
            throw ExternalError("write: cannot create field '" + name + "' in layer '" +
                                layer->GetName() + "': " + gdal::last_error());
    }

    const WriteOptions& m_options;
    fs::path m_temp;
    gdal::SrsPtr m_srs;
    GDALDriver* m_driver = nullptr;
    std::vector<GDALDatasetUniquePtr> m_datasets;
    std::vector<OGRLayer*> m_in_transaction;
};

void create(OGRLayer* layer, OGRFeature& f) {
    if (layer->CreateFeature(&f) != OGRERR_NONE)
        throw ExternalError("write: cannot write a feature to layer '" +
                            std::string(layer->GetName()) + "': " + gdal::last_error());
}

// Per-class output fields: name_any / name_broadband, shapefile name_any / name_bb.
void per_class(std::vector<Column>& cols, const std::string& name, const std::string& shp,
               OGRFieldType type) {
    cols.push_back({name + "_any", shp + "_any", type});
    cols.push_back({name + "_broadband", shp + "_bb", type});
}

void write_villages(Output& out, const AnalysisResult& r, OutputFormat format) {
    const auto& villages = r.inputs.villages;
    bool points = false, areas = false;
    for (const auto& v : villages)
        (v.is_point() ? points : areas) = true;
    if (points && areas && format == OutputFormat::Shapefile)
        throw InputError("write: the villages mix points and polygons, which a Shapefile "
                         "cannot hold in one layer; use --format gpkg or geojson.");
    const OGRwkbGeometryType type = points && areas ? wkbUnknown
                                    : points        ? wkbPoint
                                                    : wkbMultiPolygon;
    std::vector<Column> cols;
    per_class(cols, "share", "sh", OFTReal);
    per_class(cols, "centre", "ctr", OFTInteger);
    per_class(cols, "status", "st", OFTString);
    per_class(cols, "status_basis", "bas", OFTString);
    cols.push_back({"clusters", "clusters", OFTInteger});
    per_class(cols, "clusters_without", "cl_no", OFTInteger);
    per_class(cols, "people_without", "pw", OFTReal);
    cols.push_back({"people_without_signal", "pw_signal", OFTReal});
    cols.push_back({"people_grid", "people_grd", OFTReal});
    cols.push_back({"centre_source", "ctr_src", OFTString});
    cols.push_back({"repaired", "repaired", OFTInteger});
    cols.push_back({"area_m2", "area_m2", OFTReal});
    cols.push_back({"nearest_site_m", "near_m", OFTReal});
    cols.push_back({"reach_villages", "reach_n", OFTInteger});
    cols.push_back({"reach_people", "reach_pw", OFTReal});
    cols.push_back({"cluster_id", "clust_id", OFTInteger64});
    cols.push_back({"cluster_villages", "clust_n", OFTInteger});
    cols.push_back({"cluster_people", "clust_pw", OFTReal});
    cols.push_back({"power_factor", "f_power", OFTReal});
    cols.push_back({"distance_factor", "f_dist", OFTReal});
    cols.push_back({"gap_score", "gap_score", OFTReal});
    cols.push_back({"gap_rank", "gap_rank", OFTInteger64});
    OGRLayer* layer = out.create_layer("villages", type, cols, r.inputs.village_fields);
    const int base = static_cast<int>(r.inputs.village_fields.size());

    for (std::size_t i = 0; i < villages.size(); ++i) {
        const Village& v = villages[i];
        OGRFeature f(layer->GetLayerDefn());
        gdal::set_fields(f, v.values);
        int c = base;
        auto both = [&](auto get) {
            for (ServiceClass cls : kServiceClasses)
                get(c++, cls);
        };
        both([&](int k, ServiceClass cls) {
            f.SetField(k, r.overlay.villages[index_of(cls)][i].share);
        });
        both([&](int k, ServiceClass cls) {
            f.SetField(k, r.overlay.villages[index_of(cls)][i].centre ? 1 : 0);
        });
        both([&](int k, ServiceClass cls) {
            f.SetField(
                k,
                std::string(to_string(r.classification.villages[index_of(cls)][i].status)).c_str());
        });
        both([&](int k, ServiceClass cls) {
            f.SetField(
                k,
                std::string(to_string(r.classification.villages[index_of(cls)][i].basis)).c_str());
        });
        f.SetField(c++, r.overlay.villages[0][i].clusters);
        both([&](int k, ServiceClass cls) {
            f.SetField(k, r.overlay.villages[index_of(cls)][i].clusters_without);
        });
        both([&](int k, ServiceClass cls) {
            f.SetField(k, r.classification.villages[index_of(cls)][i].people_without);
        });
        f.SetField(c++,
                   r.classification.villages[index_of(r.ranking.service_class)][i].people_without);
        if (const auto& people = r.overlay.villages[0][i].people)
            f.SetField(c, *people);
        ++c;
        f.SetField(c++, std::string(to_string(v.centre_source)).c_str());
        f.SetField(c++, v.repaired ? 1 : 0);
        f.SetField(c++, v.area_m2);
        const VillageRank& rk = r.ranking.villages[i];
        if (rk.nearest_site_m >= 0)
            f.SetField(c, rk.nearest_site_m);
        ++c;
        if (rk.gap) {
            f.SetField(c++, rk.reach_villages);
            f.SetField(c++, rk.reach_people);
            f.SetField(c++, static_cast<GIntBig>(rk.cluster_id));
            f.SetField(c++, rk.cluster_villages);
            f.SetField(c++, rk.cluster_people);
            f.SetField(c++, rk.power_factor);
            f.SetField(c++, rk.distance_factor);
            f.SetField(c++, rk.score);
            f.SetField(c++, static_cast<GIntBig>(rk.rank));
        }
        if (v.is_point())
            f.SetGeometryDirectly(new OGRPoint(v.centre.x, v.centre.y));
        else
            f.SetGeometryDirectly(gdal::to_ogr(v.area).release());
        create(layer, f);
    }
    out.finish_layer(layer);
}

void write_coverage(Output& out, const AnalysisResult& r) {
    OGRLayer* layer = out.create_layer("coverage", wkbMultiPolygon,
                                       {{"class", "class", OFTString},
                                        {"area_km2", "area_km2", OFTReal},
                                        {"footprints", "footprints", OFTInteger}});
    for (ServiceClass cls : kServiceClasses) {
        OGRFeature f(layer->GetLayerDefn());
        f.SetField(0, std::string(to_string(cls)).c_str());
        std::unique_ptr<OGRMultiPolygon> g = gdal::to_ogr(r.coverage[index_of(cls)]);
        f.SetField(1, g->get_Area() / 1e6);
        int n = 0;
        for (const auto& fp : r.footprints.items)
            n += serves(cls, fp.tech);
        f.SetField(2, n);
        f.SetGeometryDirectly(g.release());
        create(layer, f);
    }
    out.finish_layer(layer);
}

void write_stations(Output& out, const AnalysisResult& r) {
    OGRLayer* layer = out.create_layer("stations", wkbPoint,
                                       {{"site_key", "site_key", OFTString},
                                        {"technology", "techno", OFTString},
                                        {"operator_name", "oper_name", OFTString},
                                        {"radius_m", "radius_m", OFTReal},
                                        {"radius_source", "radius_src", OFTString},
                                        {"radius_flag", "radius_flg", OFTString},
                                        {"range_flag", "range_flag", OFTString},
                                        {"sector", "sector", OFTInteger},
                                        {"terrain_flag", "terr_flag", OFTString}},
                                       r.inputs.station_fields);
    const int base = static_cast<int>(r.inputs.station_fields.size());
    for (std::size_t i = 0; i < r.inputs.stations.size(); ++i) {
        const Station& s = r.inputs.stations[i];
        const Footprint& fp = r.footprints.items[i];
        OGRFeature f(layer->GetLayerDefn());
        gdal::set_fields(f, s.values);
        f.SetField(base + 0, s.site_id.c_str());
        f.SetField(base + 1, std::string(to_string(s.tech)).c_str());
        f.SetField(base + 2, s.operator_name.c_str());
        f.SetField(base + 3, fp.radius_m);
        f.SetField(base + 4, std::string(to_string(fp.radius_source)).c_str());
        f.SetField(base + 5, fp.radius_flag.c_str());
        f.SetField(base + 6, s.range_flag.c_str());
        f.SetField(base + 7, fp.sector ? 1 : 0);
        f.SetField(base + 8, fp.no_ground ? "no_dem" : "");
        f.SetGeometryDirectly(new OGRPoint(s.xy.x, s.xy.y));
        create(layer, f);
    }
    out.finish_layer(layer);
}

void write_summary(Output& out, const AnalysisResult& r) {
    std::vector<Column> cols{{"level", "level", OFTString},
                             {"province", "province", OFTString},
                             {"district", "district", OFTString},
                             {"commune", "commune", OFTString},
                             {"villages", "villages", OFTInteger}};
    per_class(cols, "covered", "cov", OFTInteger);
    per_class(cols, "partial", "par", OFTInteger);
    per_class(cols, "white", "wht", OFTInteger);
    per_class(cols, "coverage_rate", "rate", OFTReal);
    per_class(cols, "signal_rate", "sig", OFTReal);
    per_class(cols, "people_without", "pw", OFTReal);
    OGRLayer* layer = out.create_layer("summary", wkbNone, cols);
    for (const auto& row : r.summary.rows) {
        OGRFeature f(layer->GetLayerDefn());
        f.SetField(0, row.level.c_str());
        f.SetField(1, row.province.c_str());
        f.SetField(2, row.district.c_str());
        f.SetField(3, row.commune.c_str());
        f.SetField(4, static_cast<GIntBig>(row.counts[0].villages));
        int c = 5;
        auto both = [&](auto get) {
            for (ServiceClass cls : kServiceClasses)
                get(c++, row.counts[index_of(cls)]);
        };
        both([&](int k, const ClassCounts& n) { f.SetField(k, static_cast<GIntBig>(n.covered)); });
        both([&](int k, const ClassCounts& n) { f.SetField(k, static_cast<GIntBig>(n.partial)); });
        both([&](int k, const ClassCounts& n) { f.SetField(k, static_cast<GIntBig>(n.white)); });
        both([&](int k, const ClassCounts& n) { f.SetField(k, n.coverage_rate()); });
        both([&](int k, const ClassCounts& n) { f.SetField(k, n.signal_rate()); });
        both([&](int k, const ClassCounts& n) { f.SetField(k, n.people_without); });
        create(layer, f);
    }
    out.finish_layer(layer);
}

void write_sites(Output& out, const AnalysisResult& r) {
    OGRLayer* layer = out.create_layer("sites", wkbNone,
                                       {{"operator", "operator", OFTString},
                                        {"technology", "techno", OFTString},
                                        {"sites", "sites", OFTInteger},
                                        {"cells", "cells", OFTInteger}});
    for (const auto& s : r.summary.sites) {
        OGRFeature f(layer->GetLayerDefn());
        f.SetField(0, s.operator_name.c_str());
        f.SetField(1, std::string(to_string(s.tech)).c_str());
        f.SetField(2, static_cast<GIntBig>(s.sites));
        f.SetField(3, static_cast<GIntBig>(s.cells));
        create(layer, f);
    }
    out.finish_layer(layer);
}

void write_proposed_sites(Output& out, const Plan& plan) {
    OGRLayer* layer = out.create_layer("proposed_sites", wkbPoint,
                                       {{"order", "order", OFTInteger},
                                        {"candidate_source", "cand_src", OFTString},
                                        {"village_id", "village_id", OFTString},
                                        {"new_villages", "new_vill", OFTInteger},
                                        {"new_people", "new_people", OFTReal},
                                        {"cumulative_people", "cum_people", OFTReal},
                                        {"connected", "connected", OFTInteger},
                                        {"hop_m", "hop_m", OFTReal}});
    for (const auto& s : plan.sites) {
        OGRFeature f(layer->GetLayerDefn());
        f.SetField(0, static_cast<int>(s.order));
        f.SetField(1, std::string(to_string(s.source)).c_str());
        if (s.village >= 0)
            f.SetField(2, s.village_id.c_str());
        else
            f.SetFieldNull(2);
        f.SetField(3, s.new_villages);
        f.SetField(4, s.new_people);
        f.SetField(5, s.cumulative_people);
        f.SetField(6, s.connected ? 1 : 0);
        if (s.connected)
            f.SetField(7, s.hop_m);
        else
            f.SetFieldNull(7);
        f.SetGeometryDirectly(new OGRPoint(s.xy.x, s.xy.y));
        create(layer, f);
    }
    out.finish_layer(layer);
}

void write_backhaul_links(Output& out, const Plan& plan) {
    OGRLayer* layer = out.create_layer("backhaul_links", wkbLineString,
                                       {{"from_order", "from_order", OFTInteger},
                                        {"to_order", "to_order", OFTInteger},
                                        {"to_site", "to_site", OFTString},
                                        {"length_m", "length_m", OFTReal}});
    for (const auto& l : plan.links) {
        OGRFeature f(layer->GetLayerDefn());
        f.SetField(0, static_cast<int>(l.from_order));
        f.SetField(1, static_cast<int>(l.to_order));
        if (l.to_order == 0)
            f.SetField(2, l.to_site.c_str());
        else
            f.SetFieldNull(2);
        f.SetField(3, l.length_m);
        auto* line = new OGRLineString();
        line->addPoint(l.from.x, l.from.y);
        line->addPoint(l.to.x, l.to.y);
        f.SetGeometryDirectly(line);
        create(layer, f);
    }
    out.finish_layer(layer);
}

void write_whatif(Output& out, const WhatIf& whatif) {
    OGRLayer* layer = out.create_layer("whatif", wkbNone,
                                       {{"level", "level", OFTString},
                                        {"province", "province", OFTString},
                                        {"unit", "unit", OFTString},
                                        {"villages", "villages", OFTInteger},
                                        {"white_today", "wht_today", OFTInteger},
                                        {"white_planned", "wht_plan", OFTInteger},
                                        {"partial_today", "par_today", OFTInteger},
                                        {"partial_planned", "par_plan", OFTInteger},
                                        {"covered_today", "cov_today", OFTInteger},
                                        {"covered_planned", "cov_plan", OFTInteger},
                                        {"improved", "improved", OFTInteger},
                                        {"people_newly", "new_people", OFTReal}});
    for (const auto& r : whatif.rows) {
        OGRFeature f(layer->GetLayerDefn());
        f.SetField(0, r.level.c_str());
        f.SetField(1, r.province.c_str());
        f.SetField(2, r.unit.c_str());
        int c = 3;
        for (long n : {r.villages, r.white_today, r.white_planned, r.partial_today,
                       r.partial_planned, r.covered_today, r.covered_planned, r.improved})
            f.SetField(c++, static_cast<GIntBig>(n));
        f.SetField(c, r.people_newly);
        create(layer, f);
    }
    out.finish_layer(layer);
}

void write_trend(Output& out, const Trend& trend) {
    std::vector<Column> cols{{"year", "year", OFTInteger},
                             {"stations", "stations", OFTInteger},
                             {"sites", "sites", OFTInteger},
                             {"villages", "villages", OFTInteger}};
    per_class(cols, "white", "wht", OFTInteger);
    per_class(cols, "partial", "par", OFTInteger);
    per_class(cols, "covered", "cov", OFTInteger);
    per_class(cols, "people_without", "pw", OFTReal);
    OGRLayer* layer = out.create_layer("trend", wkbNone, cols);
    for (const auto& row : trend.rows) {
        OGRFeature f(layer->GetLayerDefn());
        f.SetField(0, row.year);
        f.SetField(1, static_cast<GIntBig>(row.stations));
        f.SetField(2, static_cast<GIntBig>(row.sites));
        f.SetField(3, static_cast<GIntBig>(row.counts[0].villages));
        int c = 4;
        auto both = [&](auto get) {
            for (ServiceClass cls : kServiceClasses)
                get(c++, row.counts[index_of(cls)]);
        };
        both([&](int k, const ClassCounts& n) { f.SetField(k, static_cast<GIntBig>(n.white)); });
        both([&](int k, const ClassCounts& n) { f.SetField(k, static_cast<GIntBig>(n.partial)); });
        both([&](int k, const ClassCounts& n) { f.SetField(k, static_cast<GIntBig>(n.covered)); });
        both([&](int k, const ClassCounts& n) { f.SetField(k, n.people_without); });
        create(layer, f);
    }
    out.finish_layer(layer);
}

} // namespace

void write_outputs(const AnalysisResult& result, const WriteOptions& options, const Plan* plan,
                   const WhatIf* whatif, const Trend* trend) {
    gdal::ensure_initialised();
    check_output(options);
    atomic::write(output_path(options), options.format != OutputFormat::GeoPackage,
                  [&](const fs::path& temp) {
                      Output out(options, temp, result.inputs.work_crs_wkt);
                      write_villages(out, result, options.format);
                      write_coverage(out, result);
                      write_stations(out, result);
                      write_summary(out, result);
                      write_sites(out, result);
                      if (plan) {
                          write_proposed_sites(out, *plan);
                          write_backhaul_links(out, *plan);
                      }
                      if (whatif)
                          write_whatif(out, *whatif);
                      if (trend)
                          write_trend(out, *trend);
                      out.close();
                  });
}

} // namespace whitezone
