#include "whitezone/read.hpp"

#include "whitezone/error.hpp"

#include "common/text.hpp"
#include "gdal/gdal.hpp"

#include <cpl_conv.h>
#include <cpl_vsi.h>
#include <ogrsf_frmts.h>

#include <array>
#include <filesystem>

namespace whitezone {

namespace {

// OpenCelliD's columns, in order; its per-country exports come without a header row.
constexpr std::array<const char*, 14> kOpenCellidColumns{
    "radio", "mcc",   "net",     "area",       "cell",    "unit",    "lon",
    "lat",   "range", "samples", "changeable", "created", "updated", "averageSignal"};

constexpr std::array<const char*, 5> kLonNames{"lon", "lng", "long", "longitude", "x"};
constexpr std::array<const char*, 4> kLatNames{"lat", "latitude", "y", "lat_deg"};
constexpr std::array<const char*, 4> kWktNames{"wkt", "geometry", "geom", "the_geom"};

bool is_csv(const std::string& path) {
    const std::string ext = text::lower(std::filesystem::path(path).extension().string());
    return ext == ".csv" || ext == ".tsv";
}

// A CSV whose first cell is a radio type has no header: an OpenCelliD country export. Read
// through GDAL's virtual file system so that /vsimem/ and /vsigzip/ paths work too; a UTF-8
// byte order mark and quotes (a file re-saved by a spreadsheet) are ignored.
bool headerless_opencellid(const std::string& path) {
    VSILFILE* file = VSIFOpenL(path.c_str(), "rb");
    if (!file)
        return false;
    const char* read = CPLReadLineL(file);
    std::string line = read ? read : "";
    VSIFCloseL(file);
    if (line.rfind("\xEF\xBB\xBF", 0) == 0)
        line.erase(0, 3);
    std::string first = text::lower(text::trim(line.substr(0, line.find(','))));
    if (first.size() >= 2 && first.front() == '"' && first.back() == '"')
        first = first.substr(1, first.size() - 2);
    return first == "gsm" || first == "umts" || first == "lte" || first == "nr" || first == "cdma";
}

std::string display_name(const std::string& path) {
    if (path.rfind("PG:", 0) == 0)
        return "PostgreSQL";
    return path;
}

OGRLayer* pick_layer(GDALDataset& ds, const LayerSource& source, std::string_view role) {
    const int n = ds.GetLayerCount();
    std::vector<std::string> names;
    for (int i = 0; i < n; ++i)
        names.emplace_back(ds.GetLayer(i)->GetName());
    if (!source.layer.empty()) {
        OGRLayer* layer = ds.GetLayerByName(source.layer.c_str());
        if (!layer) {
            throw InputError("read: " + display_name(source.path) + " has no layer '" +
                             source.layer + "'; its layers are " + text::quoted_list(names) +
                             ": pass one of them to --" + std::string(role) + "-layer.");
        }
        return layer;
    }
    if (n == 0)
        throw InputError("read: " + display_name(source.path) + " has no layers; check that " +
                         std::string(role) + " is a vector file.");
    if (n > 1) {
        throw InputError("read: " + display_name(source.path) + " has " + std::to_string(n) +
                         " layers (" + text::quoted_list(names) + "); pick one with --" +
                         std::string(role) + "-layer.");
    }
    return ds.GetLayer(0);
}

RawGeometry convert(const OGRGeometry& g) {
    RawGeometry out;
    out.type = OGRGeometryTypeToName(g.getGeometryType());
    const auto flat = wkbFlatten(g.getGeometryType());
    if (flat == wkbPoint) {
        out.kind = RawGeometry::Kind::Point;
        out.point = {g.toPoint()->getX(), g.toPoint()->getY()};
        return out;
    }
    if (flat == wkbMultiPoint && g.toMultiPoint()->getNumGeometries() == 1) {
        const OGRPoint* p = g.toMultiPoint()->getGeometryRef(0);
        out.kind = RawGeometry::Kind::Point;
        out.point = {p->getX(), p->getY()};
        return out;
    }
    bool other = false;
    gdal::collect_polygons(g, out.area, other);
    out.kind = (!other && !out.area.empty()) ? RawGeometry::Kind::Area : RawGeometry::Kind::Other;
    if (out.kind == RawGeometry::Kind::Other)
        out.area.clear();
    return out;
}

Value value_of(OGRFeature& f, int i, FieldType type) {
    if (!f.IsFieldSetAndNotNull(i))
        return std::monostate{};
    switch (type) {
    case FieldType::Integer:
        return static_cast<std::int64_t>(f.GetFieldAsInteger64(i));
    case FieldType::Real:
        return f.GetFieldAsDouble(i);
    case FieldType::String:
        return std::string(f.GetFieldAsString(i));
    }
    return std::monostate{};
}

FieldType type_of(OGRFieldType t) {
    switch (t) {
    case OFTInteger:
    case OFTInteger64:
        return FieldType::Integer;
    case OFTReal:
        return FieldType::Real;
    default:
        return FieldType::String;
    }
}

// Finds a CSV coordinate column: the configured name, else the first alias present.
template <std::size_t N>
int find_column(const RawLayer& layer, const std::string& configured,
                const std::array<const char*, N>& aliases, std::string_view role,
                std::string_view key) {
    if (!configured.empty()) {
        const int i = layer.field_index(configured);
        if (i < 0) {
            std::vector<std::string> names;
            for (const auto& f : layer.fields)
                names.push_back(f.name);
            throw InputError("read: " + layer.where() + " has no column '" + configured +
                             "' (set by \"" + std::string(role) + ".fields." + std::string(key) +
                             "\"); its columns are " + text::quoted_list(names) + ".");
        }
        return i;
    }
    for (const char* alias : aliases) {
        const int i = layer.field_index(alias);
        if (i >= 0)
            return i;
    }
    return -1;
}

} // namespace

int RawLayer::field_index(std::string_view name) const {
    const std::string wanted = text::lower(name);
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (text::lower(fields[i].name) == wanted)
            return static_cast<int>(i);
    return -1;
}

std::string RawLayer::where() const {
    const bool single_file_layer =
        std::filesystem::path(source).stem().string() == layer || is_csv(source);
    if (single_file_layer && source.rfind("PG:", 0) != 0)
        return source;
    return display_name(source) + ", layer '" + layer + "'";
}

RawLayer read_layer(const LayerSource& source, std::string_view role) {
    const bool csv = is_csv(source.path);
    const bool headerless = csv && headerless_opencellid(source.path);
    std::vector<std::string> open_options;
    if (headerless)
        open_options.emplace_back("HEADERS=NO");
    GDALDatasetUniquePtr ds = gdal::open_vector(source.path, role, open_options);
    OGRLayer* layer = pick_layer(*ds, source, role);

    RawLayer out;
    out.source = source.path;
    out.layer = layer->GetName();

    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        const OGRFieldDefn* fd = defn->GetFieldDefn(i);
        std::string name = fd->GetNameRef();
        if (headerless && static_cast<std::size_t>(i) < kOpenCellidColumns.size())
            name = kOpenCellidColumns[static_cast<std::size_t>(i)];
        out.fields.push_back({name, type_of(fd->GetType())});
    }

    // CRS: the one assigned by the user wins, then the layer's, then WGS 84 for CSV.
    if (!source.crs.empty()) {
        gdal::SrsPtr srs = gdal::make_srs(source.crs);
        if (!srs)
            throw InputError("read: the CRS '" + source.crs + "' given for " + std::string(role) +
                             " is not one PROJ knows; use e.g. "
                             "\"EPSG:4326\" or a WKT string.");
        char* wkt = nullptr;
        srs->exportToWkt(&wkt);
        out.crs_wkt = wkt ? wkt : "";
        CPLFree(wkt);
    } else if (const OGRSpatialReference* srs = layer->GetSpatialRef()) {
        char* wkt = nullptr;
        srs->exportToWkt(&wkt);
        out.crs_wkt = wkt ? wkt : "";
        CPLFree(wkt);
    } else if (csv) {
        out.crs_wkt = "EPSG:4326";
    }

    // Where the geometry comes from: the layer's own, or CSV columns.
    const bool has_geometry_field = defn->GetGeomFieldCount() > 0;
    int lon_col = -1, lat_col = -1, wkt_col = -1;
    if (csv && !has_geometry_field) {
        wkt_col = find_column(out, source.wkt_field, kWktNames, role, "wkt");
        if (wkt_col < 0) {
            lon_col = find_column(out, source.lon_field, kLonNames, role, "lon");
            lat_col = find_column(out, source.lat_field, kLatNames, role, "lat");
        }
        if (wkt_col < 0 && (lon_col < 0 || lat_col < 0)) {
            throw InputError("read: " + out.where() +
                             " has no coordinates: expected lon/lat columns (lon, lng, "
                             "longitude or x; lat, latitude or y) or a WKT column (wkt, "
                             "geometry); name yours with \"" +
                             std::string(role) + ".fields.lon\" and \"" + std::string(role) +
                             ".fields.lat\" in the config.");
        }
    } else if (!has_geometry_field) {
        throw InputError("read: " + out.where() + " has no geometry; " + std::string(role) +
                         " must be points" + (role == "villages" ? " or polygons" : "") +
                         ": pick a layer with geometry (ogrinfo lists them).");
    }

    auto parse_coordinate = [&](const OGRFeature& f, int col, std::int64_t row,
                                const char* what) -> std::optional<double> {
        const char* raw = f.IsFieldSetAndNotNull(col) ? f.GetFieldAsString(col) : "";
        if (text::trim(raw).empty())
            return std::nullopt;
        auto v = text::parse_double(raw);
        if (!v) {
            throw InputError("read: " + out.where() + " row " + std::to_string(row) + ", column '" +
                             out.fields[static_cast<std::size_t>(col)].name + "': '" + raw +
                             "' is not a number; expected the " + what +
                             " as a decimal number with a point (e.g. " +
                             (std::string_view(what) == "latitude" ? "21.85" : "106.75") + ").");
        }
        return v;
    };

    layer->ResetReading();
    std::int64_t row = 0;
    for (auto& feature : *layer) {
        ++row;
        RawFeature rf;
        rf.row = row;
        rf.values.reserve(out.fields.size());
        for (std::size_t i = 0; i < out.fields.size(); ++i)
            rf.values.push_back(value_of(*feature, static_cast<int>(i), out.fields[i].type));

        const OGRGeometry* g = feature->GetGeometryRef();
        std::unique_ptr<OGRGeometry> parsed;
        if (!g && wkt_col >= 0 && feature->IsFieldSetAndNotNull(wkt_col)) {
            const char* wkt = feature->GetFieldAsString(wkt_col);
            if (!text::trim(wkt).empty()) {
                OGRGeometry* made = nullptr;
                if (OGRGeometryFactory::createFromWkt(wkt, nullptr, &made) != OGRERR_NONE) {
                    throw InputError("read: " + out.where() + " row " + std::to_string(row) +
                                     ", column '" +
                                     out.fields[static_cast<std::size_t>(wkt_col)].name +
                                     "': not valid WKT; expected e.g. 'POINT (106.7 21.8)'.");
                }
                parsed.reset(made);
                g = made;
            }
        }
        if (!g && lon_col >= 0) {
            auto lon = parse_coordinate(*feature, lon_col, row, "longitude");
            auto lat = parse_coordinate(*feature, lat_col, row, "latitude");
            if (lon && lat) {
                rf.geometry.kind = RawGeometry::Kind::Point;
                rf.geometry.type = "Point";
                rf.geometry.point = {*lon, *lat};
                out.features.push_back(std::move(rf));
                continue;
            }
            if (lon.has_value() != lat.has_value()) {
                const int missing = lon ? lat_col : lon_col;
                throw InputError("read: " + out.where() + " row " + std::to_string(row) +
                                 ", column '" + out.fields[static_cast<std::size_t>(missing)].name +
                                 "' is empty while the other coordinate is set; fill it in "
                                 "or clear both to skip the row.");
            }
        }
        if (!g || g->IsEmpty()) {
            out.empty_rows.push_back(row);
            continue;
        }
        rf.geometry = convert(*g);
        out.features.push_back(std::move(rf));
    }

    if (out.features.empty()) {
        throw InputError("read: " + out.where() + " has no " + std::string(role) +
                         (out.empty_rows.empty() ? "" : " with coordinates") +
                         "; give a layer with at least one feature.");
    }
    return out;
}

} // namespace whitezone
