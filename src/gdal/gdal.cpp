#include "gdal/gdal.hpp"

#include "whitezone/error.hpp"

#include "common/files.hpp"

#include <cpl_error.h>
#include <ogrsf_frmts.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <type_traits>

namespace whitezone::gdal {

namespace {
// GDAL keeps the last error per thread before calling the handler, so a handler that prints
// nothing loses nothing: wrappers read CPLGetLastErrorMsg() into their exceptions.
void CPL_STDCALL quiet_handler(CPLErr, CPLErrorNum, const char*) {}
} // namespace

void ensure_initialised() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        CPLSetErrorHandler(quiet_handler);
    });
}

std::string last_error() {
    const char* msg = CPLGetLastErrorMsg();
    // One line: libpq and some drivers put newlines and tabs in their messages.
    std::string out;
    for (const char* c = msg; c && *c; ++c) {
        const bool space = *c == '\n' || *c == '\r' || *c == '\t';
        if (space && (out.empty() || out.back() == ' '))
            continue;
        out += space ? ' ' : *c;
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

QuietScope::QuietScope() { CPLPushErrorHandler(CPLQuietErrorHandler); }
QuietScope::~QuietScope() { CPLPopErrorHandler(); }

ConfigScope::ConfigScope(const char* key, const char* value) : m_key(key) {
    if (const char* old = CPLGetThreadLocalConfigOption(key, nullptr))
        m_old = old;
    CPLSetThreadLocalConfigOption(key, value);
}

ConfigScope::~ConfigScope() {
    CPLSetThreadLocalConfigOption(m_key, m_old ? m_old->c_str() : nullptr);
}

StringList::StringList(const std::vector<std::string>& items) : m_items(items) {
    for (auto& s : m_items)
        m_ptrs.push_back(s.data());
    m_ptrs.push_back(nullptr);
}

GDALDatasetUniquePtr open_vector(const std::string& path, std::string_view role,
                                 const std::vector<std::string>& open_options) {
    ensure_initialised();
    const bool is_connection = path.rfind("PG:", 0) == 0 || path.rfind("/vsi", 0) == 0;
    files::refuse_special(path, "read: " + std::string(role),
                          role.rfind("--", 0) == 0 ? std::string(role) : "--" + std::string(role));
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!is_connection && !std::filesystem::exists(status)) {
        throw InputError("read: " + std::string(role) + " file '" + path + "' " +
                         (ec && ec != std::errc::no_such_file_or_directory
                              ? "cannot be read (" + ec.message() + ")"
                              : std::string("does not exist")) +
                         "; check the path given to --" + std::string(role) + ".");
    }
    if (!is_connection && std::filesystem::is_directory(status)) {
        // A folder is a dataset only for drivers that read folders (e.g. Shapefiles); say
        // so plainly when nothing in it is readable.
        GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
        if (!ds || ds->GetLayerCount() == 0)
            throw InputError("read: " + std::string(role) + " '" + path +
                             "' is a folder without vector layers; give the file itself "
                             "(e.g. villages.gpkg or villages.shp) to --" +
                             std::string(role) + ".");
    }
    StringList options(open_options);
    CPLErrorReset();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                              nullptr, options.get(), nullptr));
    if (!ds) {
        std::string detail = last_error();
        std::string hint =
            is_connection
                ? "check the connection string and that the server is running"
                : "it must be a vector format GDAL reads (GeoPackage, GeoJSON, Shapefile, "
                  "FlatGeobuf, CSV, …); 'ogrinfo " +
                      path + "' shows what GDAL sees";
        throw InputError("read: cannot open " + std::string(role) + " '" + path + "'" +
                         (detail.empty() ? "" : " (" + detail + ")") + "; " + hint + ".");
    }
    return ds;
}

void close_checked(GDALDatasetUniquePtr& dataset, std::string_view what) {
    const std::string path = dataset ? dataset->GetDescription() : std::string();
    CPLErrorReset();
    errno = 0; // files::full_disk_hint() reads what the close's own writes left
    GDALClose(GDALDataset::ToHandle(dataset.release()));
    if (CPLGetLastErrorType() == CE_Failure)
        throw ExternalError(std::string(what) + ": closing the output failed: " + last_error() +
                            files::full_disk_hint(path));
}

void set_fields(OGRFeature& feature, const std::vector<Value>& values) {
    for (std::size_t k = 0; k < values.size(); ++k) {
        const int i = static_cast<int>(k);
        if (const auto* n = std::get_if<std::int64_t>(&values[k]))
            feature.SetField(i, static_cast<GIntBig>(*n));
        else if (const auto* d = std::get_if<double>(&values[k]))
            feature.SetField(i, *d);
        else if (const auto* s = std::get_if<std::string>(&values[k]))
            feature.SetField(i, s->c_str());
        else
            feature.SetFieldNull(i);
    }
}

namespace {

void append_polygon(const OGRPolygon& poly, MultiPolygon& out) {
    Polygon p;
    auto ring_of = [](const OGRLinearRing* r) {
        Ring ring;
        ring.reserve(static_cast<std::size_t>(r->getNumPoints()));
        for (int i = 0; i < r->getNumPoints(); ++i)
            ring.push_back({r->getX(i), r->getY(i)});
        if (!ring.empty() && (ring.front().x != ring.back().x || ring.front().y != ring.back().y))
            ring.push_back(ring.front());
        return ring;
    };
    if (!poly.getExteriorRing() || poly.getExteriorRing()->IsEmpty())
        return;
    p.rings.push_back(ring_of(poly.getExteriorRing()));
    for (int i = 0; i < poly.getNumInteriorRings(); ++i)
        p.rings.push_back(ring_of(poly.getInteriorRing(i)));
    out.push_back(std::move(p));
}

} // namespace

void collect_polygons(const OGRGeometry& g, MultiPolygon& out, bool& other) {
    switch (wkbFlatten(g.getGeometryType())) {
    case wkbPolygon:
        append_polygon(*g.toPolygon(), out);
        break;
    case wkbMultiPolygon:
    case wkbGeometryCollection:
        for (const OGRGeometry* part : *g.toGeometryCollection())
            collect_polygons(*part, out, other);
        break;
    case wkbCurvePolygon:
    case wkbMultiSurface: {
        std::unique_ptr<OGRGeometry> linear(g.getLinearGeometry());
        if (linear)
            collect_polygons(*linear, out, other);
        break;
    }
    default:
        other = true;
    }
}

std::unique_ptr<OGRMultiPolygon> to_ogr(const MultiPolygon& mp) {
    // Each ring's points are copied once, whole, into a ring that the polygon and the
    // multipolygon then own (no copies of rings or polygons): GDAL copies an OGRRawPoint array
    // with memcpy, and XY has its layout.
    static_assert(sizeof(XY) == sizeof(OGRRawPoint) && offsetof(XY, y) == offsetof(OGRRawPoint, y));
    static_assert(std::is_trivially_copyable_v<XY> && std::is_standard_layout_v<OGRRawPoint>);
    auto out = std::make_unique<OGRMultiPolygon>();
    for (const auto& poly : mp) {
        auto p = std::make_unique<OGRPolygon>();
        for (const auto& ring : poly.rings) {
            auto r = std::make_unique<OGRLinearRing>();
            r->setPoints(static_cast<int>(ring.size()),
                         reinterpret_cast<const OGRRawPoint*>(ring.data()));
            p->addRingDirectly(r.release());
        }
        out->addGeometryDirectly(p.release());
    }
    return out;
}

double area(const MultiPolygon& mp) { return to_ogr(mp)->get_Area(); }

SrsPtr make_srs(const std::string& definition) {
    SrsPtr srs(new OGRSpatialReference());
    srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    QuietScope quiet;
    if (srs->SetFromUserInput(definition.c_str()) != OGRERR_NONE)
        return nullptr;
    return srs;
}

} // namespace whitezone::gdal
