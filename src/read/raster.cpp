// The DEM and population rasters, read with GDAL (read/raster.hpp).

#include "whitezone/read/raster.hpp"

#include "whitezone/error.hpp"

#include "common/text.hpp"
#include "gdal/gdal.hpp"
#include "read/checks.hpp"

#include <gdal_alg.h>
#include <gdal_utils.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>

namespace whitezone {

namespace {

std::string flag_of(std::string_view role) { return "--" + std::string(role); }

GDALDatasetUniquePtr open_raster(const std::string& path, std::string_view role) {
    gdal::ensure_initialised();
    if (path.rfind("/vsi", 0) != 0 && !std::filesystem::exists(path))
        throw InputError("read: " + std::string(role) + " file '" + path +
                         "' does not exist; check the path given to " + flag_of(role) + ".");
    read::check_input_file(path, role, flag_of(role));
    if (std::filesystem::is_directory(path))
        throw InputError("read: " + std::string(role) + " '" + path +
                         "' is a folder; give the raster file itself (a GeoTIFF, HGT or VRT) to " +
                         flag_of(role) + ".");
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!ds || ds->GetRasterCount() < 1) {
        const std::string why = gdal::last_error();
        throw InputError("read: " + std::string(role) + " file '" + path +
                         "' is not a raster GDAL can read" + (why.empty() ? "" : " (" + why + ")") +
                         "; give a GeoTIFF, HGT or VRT to " + flag_of(role) + ".");
    }
    return ds;
}

// The raster's CRS, with x = easting / longitude; throws when it has none.
gdal::SrsPtr srs_of(GDALDataset& ds, const std::string& path, std::string_view role) {
    const OGRSpatialReference* srs = ds.GetSpatialRef();
    if (!srs || srs->IsEmpty())
        throw InputError("read: " + std::string(role) + " '" + path +
                         "' has no CRS; assign one, e.g. gdal_edit.py -a_srs EPSG:4326 " + path +
                         ".");
    gdal::SrsPtr copy(srs->Clone());
    copy->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return copy;
}

std::array<double, 6> transform_of(GDALDataset& ds, const std::string& path,
                                   std::string_view role) {
    std::array<double, 6> gt{};
    if (ds.GetGeoTransform(gt.data()) != CE_None)
        throw InputError("read: " + std::string(role) + " '" + path +
                         "' has no georeferencing; give a georeferenced raster.");
    if (!std::all_of(gt.begin(), gt.end(), [](double v) { return std::isfinite(v); }) ||
        gt[1] == 0.0 || gt[5] == 0.0)
        throw InputError("read: " + std::string(role) + " '" + path +
                         "' has a georeferencing with a pixel size of 0 or a value that is not a "
                         "finite number; fix it (gdalinfo shows it, gdal_edit.py -a_ullr sets "
                         "it).");
    if (gt[2] != 0.0 || gt[4] != 0.0)
        throw InputError("read: " + std::string(role) + " '" + path +
                         "' has a rotated grid; warp it north-up first (gdalwarp " + path +
                         " out.tif).");
    return gt;
}

std::string number(double v) { return text::fixed(v, 6); }

// A float as short as it reads back ("1e+30", "-32768").
std::string shortest(float v) {
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : std::string("nan");
}

// People in one population cell above this are a fault in the grid (a 1 km cell of the
// densest city holds about 100,000), not data.
constexpr double kMaxPeoplePerCell = 1e7;

// Elevations outside these are faults or undeclared nodata (-32768, 3.4e38), not terrain:
// the Challenger Deep (-10,935 m) for DEMs that hold the sea floor, Everest at 8,849 m.
constexpr double kMinElevationM = -11000.0, kMaxElevationM = 9000.0;

} // namespace

Raster<float> read_dem(const std::string& path, std::string_view role,
                       const std::string& work_crs_wkt, const Extent& extent, double cell_m,
                       int threads) {
    // GDAL's own threads for this thread's open, decode and warp (GeoTIFF tiles decoded, the
    // warp's chunks computed, side by side): each value is computed alone, whatever the count.
    const std::string thread_count = std::to_string(std::max(threads, 1));
    const gdal::ConfigScope gdal_threads("GDAL_NUM_THREADS", thread_count.c_str());
    GDALDatasetUniquePtr src = open_raster(path, role);
    const gdal::SrsPtr src_srs = srs_of(*src, path, role);
    const std::array<double, 6> gt = transform_of(*src, path, role);

    double cell = cell_m;
    if (!(cell > 0.0)) {
        // The raster's own pixel size, measured in the work CRS at the study area's centre
        // (a DEM of a continent in degrees has no single size in metres; the study area's is
        // what matters): a square cell of the same area as the pixel there.
        const gdal::SrsPtr work = gdal::make_srs(work_crs_wkt);
        std::unique_ptr<OGRCoordinateTransformation> to_src(
            work ? OGRCreateCoordinateTransformation(work.get(), src_srs.get()) : nullptr);
        std::unique_ptr<OGRCoordinateTransformation> to_work(
            work ? OGRCreateCoordinateTransformation(src_srs.get(), work.get()) : nullptr);
        double x[3] = {(extent.minx + extent.maxx) / 2, 0, 0};
        double y[3] = {(extent.miny + extent.maxy) / 2, 0, 0};
        if (!to_src || !to_work || !to_src->Transform(1, x, y))
            throw InputError("read: " + std::string(role) + " '" + path +
                             "' cannot be reprojected into the work CRS: " + gdal::last_error());
        x[1] = x[0] + gt[1];
        y[1] = y[0];
        x[2] = x[0];
        y[2] = y[0] + gt[5];
        if (!to_work->Transform(3, x, y))
            throw InputError("read: " + std::string(role) + " '" + path +
                             "' cannot be reprojected into the work CRS: " + gdal::last_error());
        cell =
            std::sqrt(std::hypot(x[1] - x[0], y[1] - y[0]) * std::hypot(x[2] - x[0], y[2] - y[0]));
        if (!(cell > 0.0))
            throw InputError("read: " + std::string(role) + " '" + path +
                             "' has pixels of no size; check its georeferencing.");
    }
    Extent e{std::floor(extent.minx / cell) * cell, std::floor(extent.miny / cell) * cell,
             std::ceil(extent.maxx / cell) * cell, std::ceil(extent.maxy / cell) * cell};
    const double cols = std::round((e.maxx - e.minx) / cell),
                 rows = std::round((e.maxy - e.miny) / cell);
    if (cols * rows > kMaxGridCells)
        throw InputError(
            "read: the " + std::string(role) + " grid over the study area would have " +
            text::thousands(static_cast<long long>(cols * rows)) + " cells of " +
            text::fixed(cell, cell < 1.0 ? 3 : 1) +
            " m; set a larger \"terrain.cell_m\" in the config (e.g. " +
            text::fixed(cell * std::ceil(std::sqrt(cols * rows / kMaxGridCells)), 0) + ").");

    std::vector<std::string> warp({"-of", "MEM", "-t_srs", work_crs_wkt, "-te", number(e.minx),
                                   number(e.miny), number(e.maxx), number(e.maxy), "-ts",
                                   std::to_string(static_cast<long>(cols)),
                                   std::to_string(static_cast<long>(rows)), "-r", "bilinear", "-ot",
                                   "Float32", "-dstnodata", "nan"});
    warp.emplace_back("-wo");
    warp.push_back("NUM_THREADS=" + thread_count);
    gdal::StringList args(warp);
    GDALWarpAppOptions* options = GDALWarpAppOptionsNew(args.get(), nullptr);
    if (!options)
        throw ExternalError("read: GDAL rejected the warp options: " + gdal::last_error());
    GDALDatasetH handle = src.get();
    int usage_error = 0;
    GDALDatasetUniquePtr warped(
        GDALDataset::FromHandle(GDALWarp("", nullptr, 1, &handle, options, &usage_error)));
    GDALWarpAppOptionsFree(options);
    if (!warped)
        throw InputError("read: " + std::string(role) + " '" + path +
                         "' cannot be warped into the work CRS: " + gdal::last_error());

    Raster<float> out;
    out.grid = {e.minx, e.maxy, cell, warped->GetRasterXSize(), warped->GetRasterYSize()};
    out.values.resize(out.grid.size());
    if (warped->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, out.grid.cols, out.grid.rows,
                                           out.values.data(), out.grid.cols, out.grid.rows,
                                           GDT_Float32, 0, 0, nullptr) != CE_None)
        throw ExternalError("read: cannot read the warped " + std::string(role) + ": " +
                            gdal::last_error());
    bool any = false;
    for (int row = 0; row < out.grid.rows; ++row)
        for (int col = 0; col < out.grid.cols; ++col) {
            const float z = out.values[out.grid.index(col, row)];
            if (std::isnan(z))
                continue;
            any = true;
            if (z >= kMinElevationM && z <= kMaxElevationM)
                continue;
            const XY at = out.grid.centre(col, row);
            throw InputError("read: " + std::string(role) + " '" + path +
                             "' holds an elevation of " + shortest(z) + " m near work-CRS point (" +
                             text::fixed(at.x, 0) + ", " + text::fixed(at.y, 0) + "), outside [" +
                             text::fixed(kMinElevationM, 0) + ", " +
                             text::fixed(kMaxElevationM, 0) +
                             "] m; if it marks missing data, set the raster's nodata value "
                             "(gdal_edit.py -a_nodata), else fix the raster.");
        }
    if (!any)
        throw InputError("read: " + std::string(role) + " '" + path +
                         "' does not cover the study area (no data there); give a raster that "
                         "covers the villages and the stations' range.");
    return out;
}

std::vector<PopulationCell> read_population(const std::string& path, std::string_view role,
                                            const std::string& work_crs_wkt, const Extent& extent) {
    GDALDatasetUniquePtr ds = open_raster(path, role);
    gdal::SrsPtr src = srs_of(*ds, path, role);
    const std::array<double, 6> gt = transform_of(*ds, path, role);
    gdal::SrsPtr work = gdal::make_srs(work_crs_wkt);
    if (!work)
        throw ExternalError("read: the work CRS cannot be built: " + gdal::last_error());
    std::unique_ptr<OGRCoordinateTransformation> to_src(
        OGRCreateCoordinateTransformation(work.get(), src.get()));
    std::unique_ptr<OGRCoordinateTransformation> to_work(
        OGRCreateCoordinateTransformation(src.get(), work.get()));
    if (!to_src || !to_work)
        throw InputError(
            "read: " + std::string(role) + " '" + path +
            "' has a CRS that cannot be transformed to the work CRS: " + gdal::last_error());

    // The study area in the raster's CRS, then in its pixels.
    double sminx = 0, sminy = 0, smaxx = 0, smaxy = 0;
    if (!to_src->TransformBounds(extent.minx, extent.miny, extent.maxx, extent.maxy, &sminx, &sminy,
                                 &smaxx, &smaxy, 21))
        throw InputError("read: the study area cannot be transformed into the CRS of " +
                         std::string(role) + " '" + path + "'.");
    const int width = ds->GetRasterXSize(), height = ds->GetRasterYSize();
    auto pixel = [&](double x, double y) {
        return std::pair{(x - gt[0]) / gt[1], (y - gt[3]) / gt[5]};
    };
    const auto [px_a, ln_a] = pixel(sminx, smaxy);
    const auto [px_b, ln_b] = pixel(smaxx, sminy);
    const int c0 = std::max(0, static_cast<int>(std::floor(std::min(px_a, px_b))));
    const int c1 = std::min(width, static_cast<int>(std::ceil(std::max(px_a, px_b))));
    const int r0 = std::max(0, static_cast<int>(std::floor(std::min(ln_a, ln_b))));
    const int r1 = std::min(height, static_cast<int>(std::ceil(std::max(ln_a, ln_b))));
    std::vector<PopulationCell> out;
    if (c1 <= c0 || r1 <= r0)
        return out;
    const int cols = c1 - c0, rows = r1 - r0;
    GDALRasterBand* band = ds->GetRasterBand(1);
    int has_nodata = 0;
    const double nodata = band->GetNoDataValue(&has_nodata);
    // Strips of rows: a national grid is read a few megabytes at a time, and only populated
    // cells are kept, reprojected strip by strip.
    constexpr int kStrip = 256;
    std::vector<double> values;
    std::vector<double> xs, ys, people;
    std::vector<int> ok;
    for (int s0 = 0; s0 < rows; s0 += kStrip) {
        const int n = std::min(kStrip, rows - s0);
        values.resize(static_cast<std::size_t>(cols) * static_cast<std::size_t>(n));
        if (band->RasterIO(GF_Read, c0, r0 + s0, cols, n, values.data(), cols, n, GDT_Float64, 0, 0,
                           nullptr) != CE_None)
            throw InputError("read: cannot read " + std::string(role) + " '" + path +
                             "': " + gdal::last_error());
        xs.clear();
        ys.clear();
        people.clear();
        for (int r = 0; r < n; ++r)
            for (int c = 0; c < cols; ++c) {
                const double v =
                    values[static_cast<std::size_t>(r) * static_cast<std::size_t>(cols) +
                           static_cast<std::size_t>(c)];
                if (std::isnan(v) || (has_nodata && v == nodata) || v == 0.0)
                    continue;
                if (!std::isfinite(v) || v > kMaxPeoplePerCell)
                    throw InputError("read: " + std::string(role) + " '" + path + "' holds " +
                                     text::fixed(v, 0) + " people in pixel (" +
                                     std::to_string(c0 + c) + ", " + std::to_string(r0 + s0 + r) +
                                     "), more than any cell can hold (at most " +
                                     text::thousands(static_cast<long long>(kMaxPeoplePerCell)) +
                                     "); fix the pixel, or set the raster's nodata value if it "
                                     "marks missing data.");
                if (v < 0.0)
                    throw InputError("read: " + std::string(role) + " '" + path + "' holds " +
                                     text::fixed(v, 2) + " people in pixel (" +
                                     std::to_string(c0 + c) + ", " + std::to_string(r0 + s0 + r) +
                                     "); a population grid counts people per cell (set its "
                                     "nodata value if this marks missing data).");
                xs.push_back(gt[0] + (c0 + c + 0.5) * gt[1]);
                ys.push_back(gt[3] + (r0 + s0 + r + 0.5) * gt[5]);
                people.push_back(v);
            }
        ok.assign(xs.size(), 0);
        if (!xs.empty() && !to_work->Transform(static_cast<int>(xs.size()), xs.data(), ys.data(),
                                               nullptr, ok.data()))
            throw InputError("read: the cells of " + std::string(role) + " '" + path +
                             "' cannot be transformed into the work CRS.");
        for (std::size_t i = 0; i < xs.size(); ++i)
            if (ok[i] && xs[i] >= extent.minx && xs[i] <= extent.maxx && ys[i] >= extent.miny &&
                ys[i] <= extent.maxy)
                out.push_back({{xs[i], ys[i]}, people[i]});
    }
    return out;
}

} // namespace whitezone
