// Terrain profiles from a DEM (link.hpp, DemProfiler): points along the WGS 84 geodesic
// (Karney's algorithms, as PROJ ships them in geodesic.h), transformed into the DEM's CRS and
// interpolated bilinearly between cell centres, the raster read once per profile as the
// window the path crosses.

#include "whitezone/error.hpp"
#include "whitezone/link.hpp"

#include "common/files.hpp"
#include "common/text.hpp"
#include "gdal/gdal.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <geodesic.h>
#include <limits>

namespace whitezone {

namespace {

// The WGS 84 ellipsoid.
geod_geodesic wgs84() {
    geod_geodesic g{};
    geod_init(&g, 6378137.0, 1.0 / 298.257223563);
    return g;
}

std::string where(double lon, double lat) {
    return "(" + text::fixed(lon, 6) + ", " + text::fixed(lat, 6) + ")";
}

} // namespace

struct DemProfiler::Impl {
    std::string path;
    double step_m = 0.0;
    GDALDatasetUniquePtr ds;
    std::array<double, 6> gt{};
    std::unique_ptr<OGRCoordinateTransformation> from_wgs84;
    bool has_nodata = false;
    double nodata = 0.0;
    int width = 0, height = 0;
};

DemProfiler::DemProfiler(const std::string& dem_path, double step_m)
    : m_impl(std::make_unique<Impl>()) {
    Impl& m = *m_impl;
    m.path = dem_path;
    if (!(step_m >= 0.0) || !std::isfinite(step_m))
        throw UsageError("link: --step-m '" + text::fixed(step_m, 3) +
                         "' is not valid; give a distance in metres > 0, or 0 for one DEM cell.");
    m.step_m = step_m;
    gdal::ensure_initialised();
    if (dem_path.rfind("/vsi", 0) != 0 && !std::filesystem::exists(dem_path))
        throw InputError("link: DEM file '" + dem_path +
                         "' does not exist; check the path given to --dem.");
    files::refuse_special(dem_path, "link: DEM", "--dem");
    m.ds.reset(GDALDataset::Open(dem_path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!m.ds || m.ds->GetRasterCount() < 1)
        throw InputError("link: DEM file '" + dem_path + "' is not a raster GDAL can read (" +
                         gdal::last_error() + "); give a GeoTIFF, HGT or VRT to --dem.");
    const OGRSpatialReference* srs = m.ds->GetSpatialRef();
    if (!srs || srs->IsEmpty())
        throw InputError("link: DEM '" + dem_path +
                         "' has no CRS; assign one, e.g. gdal_edit.py -a_srs EPSG:4326 " +
                         dem_path + ".");
    if (m.ds->GetGeoTransform(m.gt.data()) != CE_None)
        throw InputError("link: DEM '" + dem_path +
                         "' has no georeferencing; give a georeferenced raster.");
    if (m.gt[2] != 0.0 || m.gt[4] != 0.0)
        throw InputError("link: DEM '" + dem_path +
                         "' has a rotated grid; warp it north-up first (gdalwarp " + dem_path +
                         " out.tif).");
    gdal::SrsPtr target(srs->Clone());
    target->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const gdal::SrsPtr source = gdal::make_srs("EPSG:4326");
    m.from_wgs84.reset(source ? OGRCreateCoordinateTransformation(source.get(), target.get())
                              : nullptr);
    if (!m.from_wgs84)
        throw InputError("link: DEM '" + dem_path +
                         "' has a CRS that longitudes and latitudes cannot be transformed to: " +
                         gdal::last_error());
    int has = 0;
    m.nodata = m.ds->GetRasterBand(1)->GetNoDataValue(&has);
    m.has_nodata = has != 0;
    m.width = m.ds->GetRasterXSize();
    m.height = m.ds->GetRasterYSize();
}

DemProfiler::~DemProfiler() = default;
DemProfiler::DemProfiler(DemProfiler&&) noexcept = default;
DemProfiler& DemProfiler::operator=(DemProfiler&&) noexcept = default;

const std::string& DemProfiler::path() const { return m_impl->path; }

TerrainProfile DemProfiler::profile(double tx_lon, double tx_lat, double rx_lon,
                                    double rx_lat) const {
    const Impl& m = *m_impl;
    for (const auto& [lon, lat] : {std::pair{tx_lon, tx_lat}, std::pair{rx_lon, rx_lat}})
        if (!(lon >= -180.0 && lon <= 180.0 && lat >= -90.0 && lat <= 90.0))
            throw InputError("link: " + where(lon, lat) +
                             " is not a longitude, latitude pair in degrees; give LON,LAT with "
                             "the longitude first, e.g. 105.85,21.02.");
    const geod_geodesic g = wgs84();
    double distance = 0.0, azi1 = 0.0, azi2 = 0.0;
    geod_inverse(&g, tx_lat, tx_lon, rx_lat, rx_lon, &distance, &azi1, &azi2);
    if (!(distance > 1.0))
        throw InputError("link: the two ends " + where(tx_lon, tx_lat) + " and " +
                         where(rx_lon, rx_lat) + " are " + text::fixed(distance, 2) +
                         " m apart; give two different points.");

    // The step: as asked, else one DEM cell measured on the ground at the path's middle (a
    // square of the cell's area: cells in degrees are not square in metres).
    double step = m.step_m;
    geod_geodesicline line{};
    geod_inverseline(&line, &g, tx_lat, tx_lon, rx_lat, rx_lon, 0U);
    if (step <= 0.0) {
        double mid_lat = 0.0, mid_lon = 0.0;
        geod_position(&line, distance / 2.0, &mid_lat, &mid_lon, nullptr);
        std::array<double, 3> x = {mid_lon, 0, 0}, y = {mid_lat, 0, 0};
        if (!m.from_wgs84->Transform(1, x.data(), y.data()))
            throw InputError("link: the path's middle " + where(mid_lon, mid_lat) +
                             " cannot be transformed into the CRS of DEM '" + m.path + "'.");
        const OGRSpatialReference* dem_srs = m.ds->GetSpatialRef();
        if (dem_srs->IsGeographic()) {
            double dx = 0, dy = 0, a = 0, b = 0;
            geod_inverse(&g, mid_lat, mid_lon, mid_lat, mid_lon + m.gt[1], &dx, &a, &b);
            geod_inverse(&g, mid_lat, mid_lon, mid_lat + std::abs(m.gt[5]), mid_lon, &dy, &a, &b);
            step = std::sqrt(dx * dy);
        } else {
            step = std::sqrt(std::abs(m.gt[1] * m.gt[5]) * dem_srs->GetLinearUnits() *
                             dem_srs->GetLinearUnits());
        }
        if (!(step > 0.0))
            throw InputError("link: DEM '" + m.path +
                             "' has cells of no size; check its georeferencing.");
    }
    const auto intervals = static_cast<std::size_t>(std::max(2.0, std::round(distance / step)));
    TerrainProfile out;
    out.step_m = distance / static_cast<double>(intervals);

    // Points along the geodesic, then in the DEM's CRS, then in fractional pixels measured from
    // the first cell's centre.
    const std::size_t n = intervals + 1;
    std::vector<double> xs(n), ys(n);
    for (std::size_t i = 0; i < n; ++i) {
        double lat = 0.0, lon = 0.0;
        geod_position(&line, out.step_m * static_cast<double>(i), &lat, &lon, nullptr);
        xs[i] = lon;
        ys[i] = lat;
    }
    xs.back() = rx_lon; // the exact end, whatever the rounding along the line
    ys.back() = rx_lat;
    std::vector<int> ok(n, 0);
    m.from_wgs84->Transform(static_cast<int>(n), xs.data(), ys.data(), nullptr, ok.data());
    double c_min = std::numeric_limits<double>::infinity(), c_max = -c_min;
    double r_min = c_min, r_max = -c_min;
    for (std::size_t i = 0; i < n; ++i) {
        if (!ok[i]) {
            xs[i] = ys[i] = std::numeric_limits<double>::quiet_NaN();
            continue;
        }
        xs[i] = (xs[i] - m.gt[0]) / m.gt[1] - 0.5;
        ys[i] = (ys[i] - m.gt[3]) / m.gt[5] - 0.5;
        c_min = std::min(c_min, xs[i]);
        c_max = std::max(c_max, xs[i]);
        r_min = std::min(r_min, ys[i]);
        r_max = std::max(r_max, ys[i]);
    }
    // The window of cells the path needs, clipped to the raster.
    const int c0 = std::max(0, static_cast<int>(std::floor(c_min)));
    const int c1 = std::min(m.width - 1, static_cast<int>(std::floor(c_max)) + 1);
    const int r0 = std::max(0, static_cast<int>(std::floor(r_min)));
    const int r1 = std::min(m.height - 1, static_cast<int>(std::floor(r_max)) + 1);
    std::vector<double> window;
    const int wc = c1 - c0 + 1, wr = r1 - r0 + 1;
    if (c1 >= c0 && r1 >= r0) {
        window.resize(static_cast<std::size_t>(wc) * static_cast<std::size_t>(wr));
        if (m.ds->GetRasterBand(1)->RasterIO(GF_Read, c0, r0, wc, wr, window.data(), wc, wr,
                                             GDT_Float64, 0, 0, nullptr) != CE_None)
            throw ExternalError("link: cannot read DEM '" + m.path + "': " + gdal::last_error());
    }
    const auto cell = [&](int c, int r) {
        if (c < c0 || c > c1 || r < r0 || r > r1)
            return std::numeric_limits<double>::quiet_NaN();
        const double v = window[static_cast<std::size_t>(r - r0) * static_cast<std::size_t>(wc) +
                                static_cast<std::size_t>(c - c0)];
        return (m.has_nodata && v == m.nodata) || !std::isfinite(v)
                   ? std::numeric_limits<double>::quiet_NaN()
                   : v;
    };

    out.elevations_m.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        // Within half a cell of the raster's edge the edge cells are used as they are.
        const double cx = std::clamp(xs[i], 0.0, static_cast<double>(m.width - 1));
        const double cy = std::clamp(ys[i], 0.0, static_cast<double>(m.height - 1));
        double z = std::numeric_limits<double>::quiet_NaN();
        if (std::abs(cx - xs[i]) <= 0.5 && std::abs(cy - ys[i]) <= 0.5) {
            const int ic = std::min(static_cast<int>(cx), std::max(0, m.width - 2));
            const int ir = std::min(static_cast<int>(cy), std::max(0, m.height - 2));
            const double fx = std::min(1.0, cx - ic), fy = std::min(1.0, cy - ir);
            z = (1 - fy) * ((1 - fx) * cell(ic, ir) + fx * cell(ic + 1, ir)) +
                fy * ((1 - fx) * cell(ic, ir + 1) + fx * cell(ic + 1, ir + 1));
        }
        if (!std::isfinite(z)) {
            double lat = 0.0, lon = 0.0;
            geod_position(&line, out.step_m * static_cast<double>(i), &lat, &lon, nullptr);
            throw InputError("link: DEM '" + m.path + "' has no height at " + where(lon, lat) +
                             ", " + text::fixed(out.step_m * static_cast<double>(i) / 1000.0, 2) +
                             " km from " + where(tx_lon, tx_lat) + " on the way to " +
                             where(rx_lon, rx_lat) +
                             " (outside the raster or a void); give a DEM that covers the "
                             "whole path, or fill its voids (gdal_fillnodata.py).");
        }
        out.elevations_m[i] = z;
    }
    return out;
}

} // namespace whitezone
