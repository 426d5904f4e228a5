#pragma once
// Private PROJ wrappers: one PJ_CONTEXT per object (so per thread), coordinate arrays
// transformed in one call.

#include "whitezone/types.hpp"

#include <proj.h>

#include <memory>
#include <string>
#include <vector>

namespace whitezone::proj {

struct ContextDeleter {
    void operator()(PJ_CONTEXT* c) const { proj_context_destroy(c); }
};
struct PjDeleter {
    void operator()(PJ* p) const { proj_destroy(p); }
};
using ContextPtr = std::unique_ptr<PJ_CONTEXT, ContextDeleter>;
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

/// Facts about one CRS.
struct CrsInfo {
    bool geographic = false; ///< lon/lat degrees
    bool metric = false;     ///< projected with metre axes
    std::string name;        ///< PROJ's name for it
};

/// A CRS as a user may write it, in the form PROJ reads as a CRS: a PROJ string ("+proj=utm
/// +zone=48 …") gains "+type=crs" (without it PROJ reads a conversion, not a CRS, as GDAL
/// does not); anything else is returned as it is.
std::string crs_from_user(const std::string& crs);

/// Whether `crs` is a bare name ("WGS 84 / UTM zone 48N"): not "AUTH:CODE", WKT, PROJJSON or
/// a PROJ string. PROJ looks names up loosely (any CRS whose name contains the word), so a
/// name is taken only when it is the CRS's name exactly.
bool is_bare_name(const std::string& crs);

/// Describes a CRS given as WKT, "EPSG:n" or a PROJ string; nullopt when PROJ cannot read it.
std::optional<CrsInfo> describe(const std::string& crs);

/// The CRS's name for messages ("'WGS 84'"), or the start of its text when PROJ cannot read it.
std::string crs_label(const std::string& crs);

/// Whether PROJ can transform coordinates of `crs` to WGS 84 (false for a CRS of another
/// body, such as the Moon, or for a local engineering CRS).
bool reaches_wgs84(const std::string& crs);

/// Whether two CRSs (WKT, "EPSG:n", a PROJ string) are the same for coordinates in x =
/// easting/longitude order, as Transformer takes them (PROJ's "equivalent except the axis
/// order of a geographic CRS"): transforming between them would change nothing. False when
/// PROJ cannot read either.
bool equivalent(const std::string& a, const std::string& b);

/// Transforms coordinates between two CRSs, x = easting/longitude first.
class Transformer {
  public:
    /// Throws InputError when PROJ finds no transformation between the CRSs (callers that know
    /// the layer or config key check reaches_wgs84() first and name it).
    Transformer(const std::string& source_crs, const std::string& target_crs);

    /// Transforms in place. Returns the index of the first point PROJ could not transform,
    /// or -1 when all succeeded.
    long transform(XY* points, std::size_t count) const;
    long transform(std::vector<XY>& points) const {
        return transform(points.data(), points.size());
    }

  private:
    ContextPtr m_ctx;
    PjPtr m_pj;
};

/// "EPSG:326zz" / "EPSG:327zz": the WGS 84 UTM zone containing a lon/lat point.
std::string utm_crs_for(double lon, double lat);

} // namespace whitezone::proj
