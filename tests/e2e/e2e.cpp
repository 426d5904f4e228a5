#include "e2e/e2e.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace whitezone::test::e2e {

namespace fs = std::filesystem;

namespace {

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
}

GDALDatasetUniquePtr open(const std::string& path) {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
    if (!ds)
        throw std::runtime_error("GDAL cannot open '" + path + "'");
    return ds;
}

OGRLayer& layer_of(GDALDataset& ds, const std::string& path, const std::string& name) {
    OGRLayer* layer = ds.GetLayerByName(name.c_str());
    if (!layer)
        throw std::runtime_error("'" + path + "' has no layer '" + name + "'");
    return *layer;
}

} // namespace

std::string expand(const std::string& arg, const fs::path& tmp) {
    std::string out = arg;
    replace_all(out, "{data}", data_path(""));
    replace_all(out, "{sample}", sample_path(""));
    replace_all(out, "{tmp}", tmp.string());
    // data_path("") ends in a separator; "{data}/x" must not become "…//x".
    replace_all(out, "//", "/");
    return out;
}

std::set<std::string> list_tree(const fs::path& dir) {
    std::set<std::string> out;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
        out.insert(fs::relative(entry.path(), dir).string());
    return out;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::size_t line_count(const std::string& text) {
    const auto n = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    return n + (!text.empty() && text.back() != '\n' ? 1 : 0);
}

std::string without_path(std::string out, const std::string& path) {
    replace_all(out, path, "<out>");
    return out;
}

long feature_count(const std::string& path, const std::string& layer) {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
    if (!ds || !ds->GetLayerByName(layer.c_str()))
        return -1;
    return static_cast<long>(ds->GetLayerByName(layer.c_str())->GetFeatureCount(TRUE));
}

std::array<double, 4> layer_extent(const std::string& path, const std::string& layer) {
    GDALDatasetUniquePtr ds = open(path);
    OGREnvelope env;
    if (layer_of(*ds, path, layer).GetExtent(&env, TRUE) != OGRERR_NONE)
        throw std::runtime_error("no extent for layer '" + layer + "' of '" + path + "'");
    return {env.MinX, env.MinY, env.MaxX, env.MaxY};
}

int geometry_field_count(const std::string& path, const std::string& layer) {
    GDALDatasetUniquePtr ds = open(path);
    return layer_of(*ds, path, layer).GetLayerDefn()->GetGeomFieldCount();
}

std::vector<std::string> field_names(const std::string& path, const std::string& layer) {
    GDALDatasetUniquePtr ds = open(path);
    OGRFeatureDefn* defn = layer_of(*ds, path, layer).GetLayerDefn();
    std::vector<std::string> out;
    for (int i = 0; i < defn->GetFieldCount(); ++i)
        out.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
    return out;
}

void write_shapefile_without_prj(const std::string& source, const std::string& target) {
    GDALDatasetUniquePtr src = open(source);
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("ESRI Shapefile");
    GDALDatasetUniquePtr dst(driver->Create(target.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!dst)
        throw std::runtime_error("cannot create '" + target + "'");
    OGRLayer* in = src->GetLayer(0);
    const char* options[] = {"ENCODING=UTF-8", nullptr};
    OGRLayer* out = dst->CreateLayer(fs::path(target).stem().c_str(), in->GetSpatialRef(),
                                     in->GetGeomType(), const_cast<char**>(options));
    for (int i = 0; i < in->GetLayerDefn()->GetFieldCount(); ++i)
        out->CreateField(in->GetLayerDefn()->GetFieldDefn(i));
    for (auto& f : *in) {
        OGRFeature copy(out->GetLayerDefn());
        copy.SetFrom(f.get());
        if (out->CreateFeature(&copy) != OGRERR_NONE)
            throw std::runtime_error("cannot write to '" + target + "'");
    }
    dst.reset(); // closes and flushes
    fs::remove(fs::path(target).replace_extension(".prj"));
}

void write_attribute_table_gpkg(const std::string& target) {
    GDALAllRegister();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    GDALDatasetUniquePtr ds(driver->Create(target.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds)
        throw std::runtime_error("cannot create '" + target + "'");
    OGRLayer* layer = ds->CreateLayer("cells", nullptr, wkbNone, nullptr);
    for (const char* name : {"tech", "lon", "lat"}) {
        OGRFieldDefn defn(name, OFTString);
        layer->CreateField(&defn);
    }
    OGRFeature f(layer->GetLayerDefn());
    f.SetField("tech", "4G");
    f.SetField("lon", "106.75");
    f.SetField("lat", "21.85");
    if (layer->CreateFeature(&f) != OGRERR_NONE)
        throw std::runtime_error("cannot write to '" + target + "'");
}

void write_geotiff(const std::string& target, int epsg, double x0, double y0, double cell, int cols,
                   int rows, const std::function<double(double x, double y)>& value) {
    GDALAllRegister();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    GDALDatasetUniquePtr ds(driver->Create(target.c_str(), cols, rows, 1, GDT_Float32, nullptr));
    if (!ds)
        throw std::runtime_error("cannot create '" + target + "'");
    double transform[6] = {x0, cell, 0.0, y0, 0.0, -cell};
    ds->SetGeoTransform(transform);
    if (epsg != 0) {
        OGRSpatialReference srs;
        srs.importFromEPSG(epsg);
        ds->SetSpatialRef(&srs);
    }
    std::vector<float> values(static_cast<std::size_t>(cols) * static_cast<std::size_t>(rows));
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            values[static_cast<std::size_t>(r) * static_cast<std::size_t>(cols) +
                   static_cast<std::size_t>(c)] =
                static_cast<float>(value(x0 + (c + 0.5) * cell, y0 - (r + 0.5) * cell));
    if (ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, cols, rows, values.data(), cols, rows,
                                       GDT_Float32, 0, 0, nullptr) != CE_None)
        throw std::runtime_error("cannot write '" + target + "'");
}

void expect_same_features(const std::vector<OutFeature>& a, const std::vector<OutFeature>& b,
                          bool compare_geometry) {
    ASSERT_EQ(a.size(), b.size());
    int reported = 0;
    for (std::size_t i = 0; i < a.size() && reported < 5; ++i) {
        if (a[i].fields.size() != b[i].fields.size()) {
            ADD_FAILURE() << "feature " << i << ": " << a[i].fields.size() << " vs "
                          << b[i].fields.size() << " fields";
            ++reported;
            continue;
        }
        for (const auto& [name, value] : a[i].fields) {
            auto it = b[i].fields.find(name);
            if (it == b[i].fields.end() || it->second != value) {
                ADD_FAILURE() << "feature " << i << ", field '" << name << "': '" << value
                              << "' vs '" << (it == b[i].fields.end() ? "(missing)" : it->second)
                              << "'";
                ++reported;
            }
        }
        if (compare_geometry && a[i].wkt != b[i].wkt) {
            ADD_FAILURE() << "feature " << i << ": geometries differ";
            ++reported;
        }
    }
}

} // namespace whitezone::test::e2e
