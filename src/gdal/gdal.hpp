#pragma once
// Private GDAL/OGR helpers: driver registration, the error bridge, opening with messages
// that say what to do.

#include "whitezone/types.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone::gdal {

/// Registers the drivers and installs a handler that keeps GDAL's messages off stderr (they
/// reach the user inside our exceptions instead). Safe to call many times.
void ensure_initialised();

/// GDAL's last error message on this thread, or "" (then a generic text is used).
std::string last_error();

/// Silences GDAL for one scope (probing, optional look-ups).
class QuietScope {
  public:
    QuietScope();
    ~QuietScope();
    QuietScope(const QuietScope&) = delete;
    QuietScope& operator=(const QuietScope&) = delete;
};

/// Sets a GDAL config option for this thread for one scope, then restores its old value.
class ConfigScope {
  public:
    ConfigScope(const char* key, const char* value);
    ~ConfigScope();
    ConfigScope(const ConfigScope&) = delete;
    ConfigScope& operator=(const ConfigScope&) = delete;

  private:
    const char* m_key;
    std::optional<std::string> m_old;
};

/// Opens a vector source read-only. Throws InputError naming `role` and the path, with a hint
/// (missing file, unsupported format, unreachable database).
GDALDatasetUniquePtr open_vector(const std::string& path, std::string_view role,
                                 const std::vector<std::string>& open_options = {});

/// Reference-counted SRS released (not deleted) on destruction.
struct SrsReleaser {
    void operator()(OGRSpatialReference* srs) const {
        if (srs)
            srs->Release();
    }
};
using SrsPtr = std::unique_ptr<OGRSpatialReference, SrsReleaser>;

/// A new SRS from WKT, "EPSG:n" or a PROJ string, with x = longitude axis order. Returns
/// null when GDAL cannot read it.
SrsPtr make_srs(const std::string& definition);

/// Closes a dataset being written and checks that it reached the disk (a GeoPackage or
/// Shapefile may only be written at close). Throws ExternalError "<what>: …" on failure.
void close_checked(GDALDatasetUniquePtr& dataset, std::string_view what);

/// Sets fields 0, 1, … of `feature` from `values` (monostate: NULL).
void set_fields(OGRFeature& feature, const std::vector<Value>& values);

/// An OGR multipolygon with the same rings.
std::unique_ptr<OGRMultiPolygon> to_ogr(const MultiPolygon& mp);

/// The area of `mp` as OGR computes it (OGRMultiPolygon::get_Area()), in CRS units squared.
double area(const MultiPolygon& mp);

/// Appends the polygons of `g` (polygons, multipolygons, collections; curves linearised) to
/// `out`; sets `other` when `g` holds anything else.
void collect_polygons(const OGRGeometry& g, MultiPolygon& out, bool& other);

/// The C string list GDAL wants, kept alive by the vector of strings.
class StringList {
  public:
    explicit StringList(const std::vector<std::string>& items);
    char** get() { return m_ptrs.data(); }

  private:
    std::vector<std::string> m_items;
    std::vector<char*> m_ptrs;
};

} // namespace whitezone::gdal
