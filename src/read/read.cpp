#include "whitezone/read.hpp"

#include "whitezone/error.hpp"

#include "common/text.hpp"
#include "common/unicode.hpp"
#include "gdal/gdal.hpp"
#include "read/checks.hpp"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <ogrsf_frmts.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <unordered_map>

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

bool is_geojson(const std::string& path) {
    const std::string ext = text::lower(std::filesystem::path(path).extension().string());
    return ext == ".geojson" || ext == ".json";
}

bool is_shapefile(const std::string& path) {
    return text::lower(std::filesystem::path(path).extension().string()) == ".shp";
}

// Text of the layer in UTF-8: converted from `encoding` when one is given, then checked.
class TextCheck {
  public:
    TextCheck(const LayerSource& source, std::string_view role, bool converted_by_driver)
        : m_role(role), m_encoding(converted_by_driver ? "" : source.encoding),
          m_given(source.encoding) {
        if (!m_encoding.empty()) {
            // iconv knows the name if a plain ASCII text converts without a GDAL error.
            CPLErrorReset();
            gdal::QuietScope quiet;
            char* probe = CPLRecode("a", m_encoding.c_str(), CPL_ENC_UTF8);
            CPLFree(probe);
            if (CPLGetLastErrorType() != CE_None)
                throw InputError("read: the encoding '" + m_encoding + "' given by \"" +
                                 std::string(role) +
                                 ".encoding\" is not one iconv knows; use e.g. \"ISO-8859-1\", "
                                 "\"CP1252\" or \"UTF-8\".");
        }
    }

    // `text` in UTF-8, or InputError naming `where()` (called only then).
    template <class Where> std::string operator()(const char* raw, const Where& where) const {
        std::string out;
        if (!m_encoding.empty() && text::invalid_utf8_at(raw)) {
            char* recoded = CPLRecode(raw, m_encoding.c_str(), CPL_ENC_UTF8);
            out = recoded ? recoded : "";
            CPLFree(recoded);
        } else {
            out = raw;
        }
        if (const auto bad = text::invalid_utf8_at(out)) {
            throw InputError(
                "read: " + where() + ": '" + text::printable(out) + "' is not valid UTF-8 (byte " +
                std::to_string(*bad + 1) + "); " +
                (m_given.empty()
                     ? "save the file as UTF-8, or name its encoding with \"" +
                           std::string(m_role) +
                           ".encoding\" in the config (e.g. \"ISO-8859-1\" or \"CP1252\")."
                     : "the encoding \"" + m_given + "\" given by \"" + std::string(m_role) +
                           ".encoding\" does not fit this file; correct it."));
        }
        return out;
    }

  private:
    std::string m_role, m_encoding, m_given;
};

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
    std::vector<int> data; // the layers that may hold data (not QGIS's styles)
    for (int i = 0; i < n; ++i)
        if (!read::is_style_table(names[static_cast<std::size_t>(i)]))
            data.push_back(i);
    if (data.empty())
        throw InputError("read: " + display_name(source.path) + " has no layers; check that " +
                         std::string(role) + " is a vector file.");
    if (data.size() > 1) {
        throw InputError("read: " + display_name(source.path) + " has " + std::to_string(n) +
                         " layers (" + text::quoted_list(names) + "); pick one with --" +
                         std::string(role) + "-layer.");
    }
    return ds.GetLayer(data.front());
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

// The first coordinate that is not finite or a polygon ring too short for GEOS, described for
// a message; "" when the geometry is sound.
std::string geometry_fault(const RawGeometry& g) {
    const auto finite = [](XY p) { return std::isfinite(p.x) && std::isfinite(p.y); };
    if (g.kind == RawGeometry::Kind::Point && !finite(g.point))
        return "the point has a coordinate that is not a finite number (" +
               text::fixed(g.point.x, 6) + ", " + text::fixed(g.point.y, 6) + ")";
    for (const auto& poly : g.area)
        for (const auto& ring : poly.rings) {
            for (const auto& p : ring)
                if (!finite(p))
                    return "the polygon has a coordinate that is not a finite number (" +
                           text::fixed(p.x, 6) + ", " + text::fixed(p.y, 6) + ")";
            // Rings are closed by now; a ring needs three corners and the closing point.
            if (ring.size() < 4)
                return "a polygon ring has only " + std::to_string(ring.size()) +
                       (ring.size() == 1 ? " point" : " points") + " once closed (" +
                       (ring.empty() ? std::string("none")
                                     : text::fixed(ring.front().x, 6) + " " +
                                           text::fixed(ring.front().y, 6) + ", …") +
                       "); a ring needs at least three distinct corners";
        }
    return {};
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
    const bool geojson = is_geojson(source.path);
    // Faults GDAL would read silently (or block on) are found before it opens the file.
    read::check_input_file(source.path, role, "--" + std::string(role));
    if (csv)
        read::check_csv(source.path, role);
    if (geojson && source.crs.empty()) // a "crs" key in the config replaces the file's
        read::check_geojson_crs(source.path, role);
    const bool headerless = csv && headerless_opencellid(source.path);
    std::vector<std::string> open_options;
    if (headerless)
        open_options.emplace_back("HEADERS=NO");
    // The Shapefile driver converts from a named encoding itself (and from its .cpg).
    const bool driver_recodes = is_shapefile(source.path) && !source.encoding.empty();
    if (driver_recodes)
        open_options.emplace_back("ENCODING=" + source.encoding);
    GDALDatasetUniquePtr ds;
    try {
        ds = gdal::open_vector(source.path, role, open_options);
    } catch (const InputError&) {
        const std::string syntax = geojson ? read::geojson_syntax_error(source.path) : "";
        if (syntax.empty())
            throw;
        throw InputError("read: cannot open " + std::string(role) + " '" + source.path +
                         "': it is not valid GeoJSON (" + syntax +
                         "); fix the file there (a cut-off download or a hand edit) or export it "
                         "again ('ogrinfo " +
                         source.path + "' shows what GDAL sees).");
    }
    OGRLayer* layer = pick_layer(*ds, source, role);
    const TextCheck utf8(source, role, driver_recodes);

    RawLayer out;
    out.source = source.path;
    out.layer = layer->GetName();

    OGRFeatureDefn* defn = layer->GetLayerDefn();
    if (static_cast<std::size_t>(defn->GetFieldCount()) > kMaxFields)
        throw InputError("read: " + out.where() + " has " + text::thousands(defn->GetFieldCount()) +
                         " fields, more than the " + text::thousands(kMaxFields) +
                         " whitezone carries into its outputs (a GeoPackage table holds at most "
                         "2,000 columns); keep only the fields you need (e.g. ogr2ogr -select).");
    std::unordered_map<std::string, std::string> seen_names; // lower case -> as written
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        const OGRFieldDefn* fd = defn->GetFieldDefn(i);
        std::string name = utf8(fd->GetNameRef(), [&] {
            return out.where() + " field " + std::to_string(i + 1) + " (its name)";
        });
        if (headerless && static_cast<std::size_t>(i) < kOpenCellidColumns.size())
            name = kOpenCellidColumns[static_cast<std::size_t>(i)];
        if (auto [it, fresh] = seen_names.emplace(text::lower(name), name); !fresh)
            throw InputError("read: " + out.where() + " has two fields named '" + it->second +
                             "' and '" + name +
                             "' (field names are compared ignoring case, as GeoPackage and "
                             "Shapefile do); rename one of them.");
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
    } else if (is_shapefile(source.path)) {
        // GDAL gives no CRS both for a missing .prj and for one it cannot read.
        std::filesystem::path prj(source.path);
        for (const char* ext : {".prj", ".PRJ"}) {
            prj.replace_extension(ext);
            std::error_code ec;
            if (std::filesystem::exists(prj, ec))
                throw InputError("read: " + out.where() + ": its CRS file '" + prj.string() +
                                 "' cannot be read as a CRS (GDAL finds no valid WKT in it); "
                                 "replace it with a valid .prj, or set \"" +
                                 std::string(role) + ".crs\" (e.g. \"EPSG:4326\") in the config.");
        }
    }

    // Where the geometry comes from: the layer's own, or CSV columns.
    const bool has_geometry_field = defn->GetGeomFieldCount() > 0;
    int lon_col = -1, lat_col = -1, wkt_col = -1;
    if (csv)
        wkt_col = find_column(out, source.wkt_field, kWktNames, role, "wkt");
    if (csv && !has_geometry_field) {
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
                             out.fields[static_cast<std::size_t>(col)].name + "': '" +
                             text::printable(raw) + "'" + text::not_a_number(raw) +
                             "; expected the " + what + " as a decimal number with a point (e.g. " +
                             (std::string_view(what) == "latitude" ? "21.85" : "106.75") + ").");
        }
        return v;
    };

    layer->ResetReading();
    std::int64_t row = 0;
    std::vector<Value> values; // one row's values, packed into the feature's ValueRow
    values.reserve(out.fields.size());
    for (auto& feature : *layer) {
        ++row;
        RawFeature rf;
        rf.row = row;
        values.clear();
        for (std::size_t i = 0; i < out.fields.size(); ++i) {
            const auto where = [&] {
                return out.where() + " row " + std::to_string(row) + ", field '" +
                       out.fields[i].name + "'";
            };
            Value v = value_of(*feature, static_cast<int>(i), out.fields[i].type);
            if (const auto* d = std::get_if<double>(&v); d && !std::isfinite(*d))
                throw InputError("read: " + where() + ": " + text::fixed(*d, 0) +
                                 " is not a finite number; give a number, or leave it empty "
                                 "(null) where it is unknown.");
            // One spelling per name: NFD text ("La\u0323ng So\u031bn", as macOS and some
            // exports write it) becomes NFC, so that it equals the precomposed name.
            if (auto* t = std::get_if<std::string>(&v))
                *t = unicode::to_nfc(utf8(t->c_str(), where));
            values.push_back(std::move(v));
        }
        rf.values = ValueRow(values);

        const OGRGeometry* g = feature->GetGeometryRef();
        std::unique_ptr<OGRGeometry> parsed;
        // The WKT column is parsed here, whether GDAL parsed it or not: GDAL leaves the
        // geometry NULL where the WKT is invalid (the row is reported, not skipped as empty),
        // and accepts text after the geometry ("POINT (106 21) POINT (107 22)", a cell with
        // two values), which is refused here rather than read as its first geometry.
        if (wkt_col >= 0 && feature->IsFieldSetAndNotNull(wkt_col)) {
            const char* wkt = feature->GetFieldAsString(wkt_col);
            if (!text::trim(wkt).empty()) {
                OGRGeometry* made = nullptr;
                const char* rest = wkt;
                const bool read =
                    OGRGeometryFactory::createFromWkt(&rest, nullptr, &made) == OGRERR_NONE;
                parsed.reset(made);
                if (!read || !made || !text::trim(rest).empty()) {
                    throw InputError("read: " + out.where() + " row " + std::to_string(row) +
                                     ", column '" +
                                     out.fields[static_cast<std::size_t>(wkt_col)].name + "': '" +
                                     text::printable(wkt) +
                                     "' is not valid WKT; write it as e.g. 'POINT (106.7 21.8)' "
                                     "or 'POLYGON ((106 21, 107 21, 107 22, 106 21))', one "
                                     "geometry per row (several: one MULTIPOLYGON).");
                }
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
        if (const std::string fault = geometry_fault(rf.geometry); !fault.empty())
            throw InputError("read: " + out.where() + " row " + std::to_string(row) + ": " + fault +
                             "; fix the geometry or remove the row.");
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
