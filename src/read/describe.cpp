// Describing the inputs for the provenance record: what GDAL says of each source, and the
// SHA-256 of its bytes, so that a result can be traced to the exact files it was made from.

#include "whitezone/error.hpp"
#include "whitezone/provenance.hpp"

#include "common/text.hpp"
#include "gdal/gdal.hpp"
#include "read/checks.hpp"

#include <ogrsf_frmts.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <openssl/evp.h>

namespace fs = std::filesystem;

namespace whitezone {

namespace {

// "EPSG:4326" where the CRS has an authority code, else its name, "" without one.
std::string crs_label(const OGRSpatialReference* srs) {
    if (srs == nullptr)
        return "";
    const char* authority = srs->GetAuthorityName(nullptr);
    const char* code = srs->GetAuthorityCode(nullptr);
    if (authority && code)
        return std::string(authority) + ":" + code;
    const char* name = srs->GetName();
    return name ? name : "";
}

// Size and digest of a regular file; databases, folders and /vsi paths get none.
void add_file_facts(InputRecord& record, const std::string& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return;
    record.file_bytes = static_cast<long long>(fs::file_size(path, ec));
    record.sha256 = sha256_file(path);
}

// The date of a raster's data: a date from its metadata where GDAL gives one, else the
// file's modification date (UTC), as "YYYY-MM-DD (from …)"; "" when neither is known.
std::string raster_vintage(GDALDataset& ds, const std::string& path) {
    for (const char* key : {"ACQUISITION_DATE", "DATE", "CREATION_DATE", "TIFFTAG_DATETIME"}) {
        const char* value = ds.GetMetadataItem(key);
        if (value == nullptr || std::strlen(value) < 10)
            continue;
        std::string date(value, 10); // "2020:01:31" (TIFF) or "2020-01-31"
        std::replace(date.begin(), date.end(), ':', '-');
        if (std::isdigit(static_cast<unsigned char>(date[0])) && date[4] == '-' && date[7] == '-')
            return date + " (from the raster's " + key + ")";
    }
    std::error_code ec;
    const auto written = fs::last_write_time(path, ec);
    if (ec)
        return "";
    const auto seconds = std::chrono::file_clock::to_sys(written);
    const std::time_t t = std::chrono::system_clock::to_time_t(seconds);
    std::tm utc{};
    gmtime_r(&t, &utc);
    std::array<char, 16> buf{};
    std::strftime(buf.data(), buf.size(), "%Y-%m-%d", &utc);
    return std::string(buf.data()) + " (from the file's modification date)";
}

} // namespace

std::string sha256_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError("provenance: cannot read '" + text::scrub_secrets(path) +
                         "' to compute its SHA-256; check that it is still there and readable.");
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
        throw ExternalError("provenance: OpenSSL cannot start a SHA-256 digest");
    std::vector<char> block(1 << 20);
    while (in) {
        in.read(block.data(), static_cast<std::streamsize>(block.size()));
        const auto n = in.gcount();
        if (n > 0 && EVP_DigestUpdate(ctx.get(), block.data(), static_cast<std::size_t>(n)) != 1)
            throw ExternalError("provenance: OpenSSL SHA-256 update failed");
    }
    if (in.bad())
        throw InputError("provenance: reading '" + text::scrub_secrets(path) +
                         "' failed part way.");
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1)
        throw ExternalError("provenance: OpenSSL SHA-256 final failed");
    std::string hex;
    char buf[3];
    for (unsigned int i = 0; i < length; ++i) {
        std::snprintf(buf, sizeof buf, "%02x", digest[i]);
        hex += buf;
    }
    return hex;
}

InputRecord describe_vector_input(const std::string& role, const std::string& source,
                                  const std::string& layer, bool digest) {
    gdal::ensure_initialised();
    InputRecord r;
    r.role = role;
    r.source = text::scrub_secrets(source);
    GDALDatasetUniquePtr ds = gdal::open_vector(source, role);
    if (ds->GetDriver())
        r.driver = ds->GetDriver()->GetDescription();
    OGRLayer* l = nullptr;
    if (!layer.empty())
        l = ds->GetLayerByName(layer.c_str());
    else // the one data layer, as the reader picked it (QGIS's styles are not data)
        for (int i = 0; i < ds->GetLayerCount() && !l; ++i)
            if (!read::is_style_table(ds->GetLayer(i)->GetName()))
                l = ds->GetLayer(i);
    if (l != nullptr) {
        r.layer = l->GetName();
        r.features = static_cast<long long>(l->GetFeatureCount(TRUE));
        r.crs = crs_label(l->GetSpatialRef());
        OGREnvelope env;
        if (l->GetExtent(&env, TRUE) == OGRERR_NONE)
            r.extent = std::array<double, 4>{env.MinX, env.MinY, env.MaxX, env.MaxY};
    }
    if (digest)
        add_file_facts(r, source);
    return r;
}

void add_file_digests(std::vector<InputRecord>& inputs) {
    std::map<std::string, const InputRecord*> done; // source -> the record that read it
    for (InputRecord& r : inputs) {
        if (!r.sha256.empty())
            continue;
        if (const auto it = done.find(r.source); it != done.end()) {
            r.file_bytes = it->second->file_bytes;
            r.sha256 = it->second->sha256;
            continue;
        }
        add_file_facts(r, r.source);
        if (!r.sha256.empty())
            done.emplace(r.source, &r);
    }
}

InputRecord describe_raster_input(const std::string& role, const std::string& source, bool digest) {
    gdal::ensure_initialised();
    InputRecord r;
    r.role = role;
    r.source = text::scrub_secrets(source);
    GDALDatasetUniquePtr ds;
    {
        const gdal::QuietScope quiet;
        ds.reset(GDALDataset::Open(source.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    }
    if (!ds)
        throw InputError("provenance: cannot open the " + role + " raster '" + r.source +
                         "' again to describe it; check that it is still there.");
    if (ds->GetDriver())
        r.driver = ds->GetDriver()->GetDescription();
    r.raster_cols = ds->GetRasterXSize();
    r.raster_rows = ds->GetRasterYSize();
    r.crs = crs_label(ds->GetSpatialRef());
    std::array<double, 6> gt{};
    if (ds->GetGeoTransform(gt.data()) == CE_None) {
        const double x0 = gt[0], y0 = gt[3];
        const double x1 = gt[0] + gt[1] * r.raster_cols + gt[2] * r.raster_rows;
        const double y1 = gt[3] + gt[4] * r.raster_cols + gt[5] * r.raster_rows;
        r.extent = std::array<double, 4>{std::min(x0, x1), std::min(y0, y1), std::max(x0, x1),
                                         std::max(y0, y1)};
        r.pixel_size = std::array<double, 2>{std::abs(gt[1]), std::abs(gt[5])};
    }
    r.vintage = raster_vintage(*ds, source);
    if (digest)
        add_file_facts(r, source);
    return r;
}

} // namespace whitezone
