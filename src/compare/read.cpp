// The villages of a run to compare: read from a result of `whitezone analyze` (its `villages`
// layer and the fields layers.cpp writes) or taken from an in-memory result.

#include "whitezone/read.hpp"

#include "whitezone/compare.hpp"
#include "whitezone/error.hpp"
#include "whitezone/prepare.hpp"

#include "common/text.hpp"
#include "gdal/gdal.hpp"
#include "geos/geos.hpp"

#include <ogrsf_frmts.h>

#include <cmath>
#include <filesystem>

namespace fs = std::filesystem;

namespace whitezone {

namespace compare {

namespace {

// The file extensions a folder of layers holds, as `--format` writes them.
// (CSV is not among them: a CSV output does not say in which CRS its coordinates are.)
constexpr std::array<std::string_view, 3> kLayerFiles{".fgb", ".geojson", ".shp"};

// The path read_layer() opens: the file itself, or a folder's villages layer file.
std::string villages_source(const std::string& path, std::string_view role) {
    if (is_postgis_path(path))
        return path;
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw InputError("compare: " + std::string(role) + " '" + path +
                         "' does not exist; give a result of whitezone analyze (a .gpkg file, a "
                         "folder of layers or a PG: connection).");
    if (fs::is_directory(path, ec)) {
        for (std::string_view ext : kLayerFiles) {
            const fs::path file = fs::path(path) / ("villages" + std::string(ext));
            if (fs::is_regular_file(file, ec))
                return file.string();
        }
        if (fs::is_regular_file(fs::path(path) / "villages.csv", ec))
            throw InputError("compare: " + std::string(role) + " '" + path +
                             "' is a CSV output, which does not record its CRS, so villages "
                             "cannot be matched by place; run analyze again with --format gpkg "
                             "(or geojson, shp, fgb) and compare that.");
        throw InputError("compare: " + std::string(role) + " '" + path +
                         "' is a folder without a villages layer (villages.fgb, .geojson or "
                         ".shp), so it is not a result of whitezone analyze; give the folder "
                         "or .gpkg file that analyze wrote.");
    }
    return path;
}

// The names of the layers in `path`, for the message when `villages` is missing.
std::vector<std::string> layer_names(const std::string& path, std::string_view role) {
    GDALDatasetUniquePtr ds = gdal::open_vector(path, role);
    std::vector<std::string> names;
    for (int i = 0; i < ds->GetLayerCount(); ++i)
        names.push_back(ds->GetLayer(i)->GetName());
    return names;
}

// A value as text: numbers as prepare prints them (whole numbers without decimals).
std::string text_of(const Value& v) {
    if (const auto* s = std::get_if<std::string>(&v))
        return *s;
    if (const auto* i = std::get_if<std::int64_t>(&v))
        return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&v))
        return std::floor(*d) == *d && std::abs(*d) < 1e15
                   ? std::to_string(static_cast<long long>(*d))
                   : text::fixed(*d, 6);
    return {};
}

// The column of the first of `names` present, or −1.
int column(const RawLayer& layer, std::initializer_list<std::string_view> names) {
    for (std::string_view n : names)
        if (const int i = layer.field_index(n); i >= 0)
            return i;
    return -1;
}

} // namespace

} // namespace compare

CompareSide read_compare_side(const std::string& path, std::string_view role,
                              const CompareOptions& options) {
    using namespace compare;
    gdal::ensure_initialised();
    const std::string shown = text::scrub_secrets(path);
    const std::string file = villages_source(path, role);
    const bool gpkg_or_pg = is_postgis_path(path) || !fs::is_directory(path);
    if (gpkg_or_pg) {
        const auto names = layer_names(file, role);
        if (std::find(names.begin(), names.end(), "villages") == names.end())
            throw InputError("compare: " + std::string(role) + " '" + shown +
                             "' has no 'villages' layer, so it is not a result of whitezone "
                             "analyze; its layers are " +
                             text::quoted_list(names) +
                             ". Give the .gpkg, folder or PG: connection that analyze wrote.");
    }
    LayerSource source;
    source.path = file;
    source.layer = gpkg_or_pg ? "villages" : "";
    RawLayer layer = read_layer(source, role);

    // Shapefiles hold the 10-character names of layers.cpp.
    const PerClass<int> status_col{column(layer, {"status_any", "st_any"}),
                                   column(layer, {"status_broadband", "st_bb"})};
    for (ServiceClass cls : kServiceClasses)
        if (status_col[index_of(cls)] < 0)
            throw InputError("compare: " + std::string(role) + " '" + shown + "', layer '" +
                             layer.layer + "' has no field 'status_" + std::string(to_string(cls)) +
                             "', so it is not a result of whitezone analyze; give the output "
                             "that analyze wrote.");
    const int id = find_field(layer, "villages", "id", options.village_fields);
    const int name = find_field(layer, "villages", "name", options.village_fields);
    const int province = find_field(layer, "villages", "province", options.village_fields);
    const int district = find_field(layer, "villages", "district", options.village_fields);
    const int commune = find_field(layer, "villages", "commune", options.village_fields);
    // The unit of --units, as analyze writes it; absent from a result made without --units.
    const int unit_code = column(layer, {"unit_code"});
    const int unit_name = column(layer, {"unit_name"});
    auto text = [](const RawFeature& f, int col) {
        return col < 0 ? std::string() : text_of(f.values[static_cast<std::size_t>(col)]);
    };

    CompareSide side;
    side.source = std::string(role) + " '" + shown + "'";
    side.crs_wkt = layer.crs_wkt;
    if (side.crs_wkt.empty())
        throw InputError("compare: " + side.source + ", layer '" + layer.layer +
                         "' has no CRS; a result of whitezone analyze records its CRS (for CSV: "
                         "the .prj or CRS file beside it). Give the output analyze wrote.");
    const geos::Context ctx;
    side.villages.reserve(layer.features.size());
    for (RawFeature& f : layer.features) {
        CompareVillage v;
        v.id = std::string(text::trim(text(f, id)));
        v.name = text(f, name);
        v.province = text(f, province);
        v.district = text(f, district);
        v.commune = text(f, commune);
        v.unit_code = std::string(text::trim(text(f, unit_code)));
        v.unit_name = text(f, unit_name);
        for (ServiceClass cls : kServiceClasses) {
            const std::string value = text(f, status_col[index_of(cls)]);
            const auto status = kStatusNames.parse(value);
            if (!status)
                throw InputError("compare: " + side.source + ", layer '" + layer.layer + "' row " +
                                 std::to_string(f.row) + ", field 'status_" +
                                 std::string(to_string(cls)) + "': '" + text::printable(value) +
                                 "' is not a status; expected white, partial or covered, as "
                                 "whitezone analyze writes it.");
            v.status[index_of(cls)] = *status;
        }
        if (f.geometry.kind == RawGeometry::Kind::Point) {
            v.centre = f.geometry.point;
        } else if (f.geometry.kind == RawGeometry::Kind::Area) {
            v.area = std::move(f.geometry.area);
            v.centre = geos::point_on_surface(ctx, geos::make_multipolygon(ctx, v.area).get());
        } else {
            throw InputError("compare: " + side.source + ", layer '" + layer.layer + "' row " +
                             std::to_string(f.row) + " is a " + f.geometry.type +
                             "; the villages of a result are polygons or points.");
        }
        side.villages.push_back(std::move(v));
    }
    return side;
}

CompareSide compare_side(const AnalysisResult& result, std::string source) {
    CompareSide side;
    side.source = std::move(source);
    side.crs_wkt = result.inputs.work_crs_wkt;
    side.villages.reserve(result.inputs.villages.size());
    for (std::size_t i = 0; i < result.inputs.villages.size(); ++i) {
        const Village& in = result.inputs.villages[i];
        MultiPolygon area = village_area(result, i); // read back when the run moved it out
        CompareVillage v{in.id,           in.name,   in.province, in.district,    in.commune,
                         std::move(area), in.centre, {},          in.unit_code(), in.unit_name()};
        for (ServiceClass cls : kServiceClasses)
            v.status[index_of(cls)] = result.classification.villages[index_of(cls)][i].status;
        side.villages.push_back(std::move(v));
    }
    return side;
}

} // namespace whitezone
