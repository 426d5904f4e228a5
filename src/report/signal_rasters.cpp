// The ITM model's received power per village (signal_at_villages) and its GeoTIFFs
// (write_signal_rasters): best received power per class (float32 dBm) and best server per
// class (int32 station index), DEFLATE-compressed, tiled, with overviews.

#include "whitezone/calibrate.hpp"
#include "whitezone/error.hpp"
#include "whitezone/link.hpp"
#include "whitezone/report.hpp"

#include "common/atomic.hpp"
#include "common/text.hpp"
#include "gdal/gdal.hpp"
#include "report/sinks/sink.hpp"

#include <cpl_vsi.h>
#include <gdal_priv.h>

#include <atomic>
#include <cmath>
#include <limits>

namespace whitezone {

SignalResult signal_at_villages(SignalRasters rasters, const std::vector<Village>& villages) {
    SignalResult out;
    out.rasters = std::move(rasters);
    const GridSpec& g = out.rasters.grid;
    const std::size_t any = index_of(ServiceClass::Any), broad = index_of(ServiceClass::Broadband);
    for (const Village& v : villages) {
        int col = 0, row = 0;
        const bool on = g.cell_of(v.centre, col, row);
        const std::size_t i = on ? g.index(col, row) : 0;
        const auto power = [&](std::size_t k) {
            return on ? static_cast<double>(out.rasters.best_dbm[k][i])
                      : std::numeric_limits<double>::quiet_NaN();
        };
        const auto station = [&](std::size_t k) {
            return on ? static_cast<std::int64_t>(out.rasters.best_station[k][i]) : -1;
        };
        out.signal_dbm_centre_any.push_back(power(any));
        out.signal_dbm_centre_broadband.push_back(power(broad));
        out.best_site_any.push_back(station(any));
        out.best_site_broadband.push_back(station(broad));
    }
    return out;
}

namespace {

// One band of `values` as a tiled, DEFLATE-compressed GeoTIFF with overviews, written at
// `file` (a temporary of the atomic writes); `shown` names it in messages. GDAL makes the file
// in memory (/vsimem/) and it is then written out whole with checked writes: GDAL 3.6's
// GeoTIFF writer can crash building the overviews after a write failed for want of space
// (seen on a full disk), and in memory no write fails.
template <class T>
void write_band(const std::filesystem::path& file, const std::string& shown, const GridSpec& g,
                const std::string& crs_wkt, const std::vector<T>& values, GDALDataType type,
                double nodata, const char* resampling) {
    gdal::ensure_initialised();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    if (!driver)
        throw ExternalError("report: GDAL has no GTiff driver; install GDAL with GeoTIFF.");
    static std::atomic<unsigned> made{0};
    const std::string memory =
        "/vsimem/whitezone-" + std::to_string(made++) + "-" + file.filename().string();
    struct Unlink {
        const std::string& path;
        ~Unlink() { VSIUnlink(path.c_str()); }
    } const unlink{memory};
    // DEFLATE at level 1: on a province's rasters (11.6 million cells of 30 m) half the time
    // of the default level 6 for files 2 % larger (docs/itm.md, "Speed").
    const char* const options[] = {
        "TILED=YES", "BLOCKXSIZE=256",   "BLOCKYSIZE=256", "COMPRESS=DEFLATE",
        "ZLEVEL=1",  "BIGTIFF=IF_SAFER", nullptr};
    GDALDatasetUniquePtr ds(
        driver->Create(memory.c_str(), g.cols, g.rows, 1, type, const_cast<char**>(options)));
    if (!ds)
        throw ExternalError("report: cannot create '" + shown +
                            "' in memory: " + gdal::last_error());
    double transform[6] = {g.x0, g.cell, 0.0, g.y0, 0.0, -g.cell};
    ds->SetGeoTransform(transform);
    if (!crs_wkt.empty())
        ds->SetProjection(crs_wkt.c_str());
    GDALRasterBand* band = ds->GetRasterBand(1);
    band->SetNoDataValue(nodata);
    if (band->RasterIO(GF_Write, 0, 0, g.cols, g.rows, const_cast<T*>(values.data()), g.cols,
                       g.rows, type, 0, 0) != CE_None)
        throw ExternalError("report: cannot write '" + shown + "': " + gdal::last_error());
    // Overviews halving down to about 256 cells on the longer side.
    int levels[16], n = 0;
    for (int f = 2; n < 16 && std::max(g.cols, g.rows) / f >= 256; f *= 2)
        levels[n++] = f;
    if (n > 0 && ds->BuildOverviews(resampling, n, levels, 0, nullptr, nullptr, nullptr) != CE_None)
        throw ExternalError("report: cannot build the overviews of '" + shown +
                            "': " + gdal::last_error());
    gdal::close_checked(ds, "report: " + shown);
    vsi_l_offset size = 0;
    const GByte* bytes = VSIGetMemFileBuffer(memory.c_str(), &size, FALSE);
    if (!bytes)
        throw ExternalError("report: '" + shown + "' was not made in memory.");
    atomic::write_text(file, {reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size)},
                       "report", shown);
}

// The best-server rasters' values: one row per station, `index` as in the rasters.
std::string station_table(const std::vector<Station>& stations) {
    Table t;
    t.columns = {"index", "station_row", "site_id", "operator", "technology", "x", "y"};
    t.rows.reserve(stations.size());
    for (std::size_t i = 0; i < stations.size(); ++i) {
        const Station& s = stations[i];
        t.rows.push_back({std::to_string(i), std::to_string(s.row), s.site_id, s.operator_name,
                          std::string(to_string(s.tech)), text::fixed(s.xy.x, 2),
                          text::fixed(s.xy.y, 2)});
    }
    return format_csv_table(t);
}

} // namespace

namespace report {

std::vector<std::string> signal_file_names(bool stations, bool measurements) {
    std::vector<std::string> names;
    for (ServiceClass cls : kServiceClasses) {
        const std::string name(to_string(cls));
        names.push_back("signal_dbm_" + name + ".tif");
        names.push_back("best_server_" + name + ".tif");
    }
    if (stations)
        names.emplace_back("best_server_stations.csv");
    if (stations && measurements)
        names.emplace_back("measurements.csv");
    return names;
}

std::vector<SideFile> signal_files(const SignalResult& signal, const std::string& crs_wkt,
                                   const std::vector<Station>* stations,
                                   const Calibration* calibration) {
    const std::vector<std::string> names = signal_file_names(stations, calibration);
    std::vector<SideFile> files;
    for (ServiceClass cls : kServiceClasses) {
        const std::size_t k = index_of(cls);
        // NaN stays NaN in the file and is also declared as no data.
        const std::string power = names.at(files.size());
        files.push_back({power, [&signal, crs_wkt, k, power](const std::filesystem::path& f) {
                             write_band(f, power, signal.rasters.grid, crs_wkt,
                                        signal.rasters.best_dbm[k], GDT_Float32,
                                        std::numeric_limits<double>::quiet_NaN(), "AVERAGE");
                         }});
        const std::string server = names.at(files.size());
        files.push_back({server, [&signal, crs_wkt, k, server](const std::filesystem::path& f) {
                             write_band(f, server, signal.rasters.grid, crs_wkt,
                                        signal.rasters.best_station[k], GDT_Int32, -1.0, "NEAREST");
                         }});
    }
    if (stations) {
        const std::string table = names.at(files.size());
        files.push_back({table, [stations, table](const std::filesystem::path& f) {
                             atomic::write_text(f, station_table(*stations), "report", table);
                         }});
    }
    if (stations && calibration) {
        const std::string points = names.at(files.size());
        files.push_back({points, [stations, calibration, points](const std::filesystem::path& f) {
                             atomic::write_text(f, measurements_csv(*calibration, *stations),
                                                "measurements", points);
                         }});
    }
    return files;
}

} // namespace report

std::vector<std::string> write_signal_rasters(const SignalResult& signal,
                                              const std::string& crs_wkt, const std::string& prefix,
                                              const std::vector<Station>* stations) {
    std::vector<std::string> written;
    for (const report::SideFile& file : report::signal_files(signal, crs_wkt, stations, nullptr)) {
        const std::string path = prefix + file.name;
        atomic::write(path, atomic::Kind::File, "", file.write);
        written.push_back(path);
    }
    return written;
}

} // namespace whitezone
