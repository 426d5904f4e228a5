#include "support/support.hpp"

#include "cli/cli.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <array>
#include <clocale>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <numbers>
#include <random>
#include <sqlite3.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>

namespace whitezone::test {

namespace fs = std::filesystem;

std::string data_path(const std::string& name) {
    return (fs::path(WHITEZONE_TEST_DATA_DIR) / name).string();
}

std::string sample_path(const std::string& name) {
    return (fs::path(WHITEZONE_SAMPLE_DIR) / name).string();
}

TempDir::TempDir() {
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
        m_path = fs::temp_directory_path() / ("whitezone-test-" + std::to_string(rd()));
        if (fs::create_directory(m_path))
            return;
    }
    throw std::runtime_error("cannot create a temporary folder");
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
}

std::string TempDir::file(const std::string& name) const { return (m_path / name).string(); }

std::string TempDir::write(const std::string& name, const std::string& content) const {
    std::ofstream(m_path / name, std::ios::binary) << content;
    return file(name);
}

RunResult run_in_process(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    RunResult r;
    r.code = cli::run_cli(args, out, err, false);
    r.out = out.str();
    r.err = err.str();
    return r;
}

namespace {
std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}
} // namespace

RunResult run_binary(const std::vector<std::string>& args, const std::vector<std::string>& env) {
    TempDir dir;
    std::string cmd = "env";
    for (const auto& e : env)
        cmd += " " + shell_quote(e);
    cmd += " " + shell_quote(WHITEZONE_BINARY);
    for (const auto& a : args)
        cmd += " " + shell_quote(a);
    cmd +=
        " >" + shell_quote(dir.file("out")) + " 2>" + shell_quote(dir.file("err")) + " </dev/null";
    const int status = std::system(cmd.c_str());
    RunResult r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(dir.file("out"));
    r.err = slurp(dir.file("err"));
    return r;
}

double OutFeature::number(const std::string& field) const {
    const std::string& t = text(field);
    if (t.empty())
        throw std::runtime_error("field '" + field + "' is NULL");
    return std::stod(t);
}

const std::string& OutFeature::text(const std::string& field) const {
    auto it = fields.find(field);
    if (it == fields.end())
        throw std::runtime_error("no field '" + field + "' in the output");
    return it->second;
}

std::vector<OutFeature> read_layer_features(const std::string& path, const std::string& layer) {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
    if (!ds)
        throw std::runtime_error("cannot open output '" + path + "'");
    OGRLayer* l = ds->GetLayerByName(layer.c_str());
    if (!l)
        throw std::runtime_error("output '" + path + "' has no layer '" + layer + "'");
    std::vector<OutFeature> out;
    for (auto& f : *l) {
        OutFeature of;
        for (int i = 0; i < f->GetFieldCount(); ++i)
            of.fields[f->GetFieldDefnRef(i)->GetNameRef()] =
                f->IsFieldSetAndNotNull(i) ? f->GetFieldAsString(i) : "";
        if (const OGRGeometry* g = f->GetGeometryRef())
            of.wkt = g->exportToWkt();
        out.push_back(std::move(of));
    }
    return out;
}

std::vector<std::string> layer_names(const std::string& path) {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
    if (!ds)
        throw std::runtime_error("cannot open output '" + path + "'");
    std::vector<std::string> names;
    for (int i = 0; i < ds->GetLayerCount(); ++i)
        names.emplace_back(ds->GetLayer(i)->GetName());
    return names;
}

const OutFeature& find_feature(const std::vector<OutFeature>& features, const std::string& field,
                               const std::string& value) {
    for (const auto& f : features)
        if (f.text(field) == value)
            return f;
    throw std::runtime_error("no feature with " + field + " = '" + value + "'");
}

CommaLocale::CommaLocale() : m_before(std::setlocale(LC_NUMERIC, nullptr)) {
    for (const char* name : {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8"})
        if (std::setlocale(LC_NUMERIC, name)) {
            ok = true;
            break;
        }
}

CommaLocale::~CommaLocale() { std::setlocale(LC_NUMERIC, m_before.c_str()); }

EnvVar::EnvVar(const char* name, const std::string& value) : m_name(name) {
    if (const char* before = std::getenv(name))
        m_before = before;
    ::setenv(name, value.c_str(), 1);
}

EnvVar::~EnvVar() {
    if (m_before)
        ::setenv(m_name, m_before->c_str(), 1);
    else
        ::unsetenv(m_name);
}

bool same_area(const MultiPolygon& a, const MultiPolygon& b) {
    const auto same_xy = [](XY u, XY v) { return u.x == v.x && u.y == v.y; };
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [&](const Polygon& p, const Polygon& q) {
                          return std::equal(p.rings.begin(), p.rings.end(), q.rings.begin(),
                                            q.rings.end(), [&](const Ring& r, const Ring& s) {
                                                return std::equal(r.begin(), r.end(), s.begin(),
                                                                  s.end(), same_xy);
                                            });
                      });
}

Polygon square(double x0, double y0, double size) {
    return Polygon{
        {{{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}, {x0, y0}}}};
}

Polygon regular_polygon(XY c, double r, int n, double turn) {
    Ring ring;
    for (int i = 0; i < n; ++i) {
        const double a = turn + 2.0 * std::numbers::pi * i / n;
        ring.push_back({c.x + r * std::cos(a), c.y + r * std::sin(a)});
    }
    ring.push_back(ring.front());
    return {{ring}};
}

std::string epsg_wkt(int code) {
    OGRSpatialReference srs;
    if (srs.importFromEPSG(code) != OGRERR_NONE)
        throw std::runtime_error("EPSG:" + std::to_string(code) + " is not known to PROJ");
    char* wkt = nullptr;
    srs.exportToWkt(&wkt);
    std::string out(wkt);
    CPLFree(wkt);
    return out;
}

Raster<float> synthetic_dem(double half, double cell,
                            const std::function<double(double, double)>& z) {
    Raster<float> r;
    const int n = static_cast<int>(std::lround(2 * half / cell));
    r.grid = {-half, half, cell, n, n};
    r.values.resize(r.grid.size());
    for (int row = 0; row < n; ++row)
        for (int col = 0; col < n; ++col) {
            const XY p = r.grid.centre(col, row);
            r.values[r.grid.index(col, row)] = static_cast<float>(z(p.x, p.y));
        }
    return r;
}

std::vector<std::string> sqlite_rows(const std::filesystem::path& file, const std::string& sql,
                                     bool typed) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    std::vector<std::string> out;
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), SQLITE_OK)
        << sql << ": " << sqlite3_errmsg(db);
    const auto hex = [](const unsigned char* p, int n) {
        std::string h;
        for (int k = 0; k < n; ++k) {
            char b[3];
            std::snprintf(b, sizeof b, "%02x", p[k]);
            h += b;
        }
        return h;
    };
    while (s && sqlite3_step(s) == SQLITE_ROW) {
        std::string row;
        for (int i = 0; i < sqlite3_column_count(s); ++i) {
            row += i ? "|" : "";
            const int type = sqlite3_column_type(s, i);
            if (!typed) {
                const auto* text = sqlite3_column_text(s, i);
                row += text ? reinterpret_cast<const char*>(text) : "∅";
            } else if (type == SQLITE_NULL) {
                row += "NULL";
            } else if (type == SQLITE_INTEGER) {
                row += "i" + std::to_string(sqlite3_column_int64(s, i));
            } else if (type == SQLITE_FLOAT) {
                const double d = sqlite3_column_double(s, i);
                row += "r" + hex(reinterpret_cast<const unsigned char*>(&d), sizeof d);
            } else if (type == SQLITE_TEXT) {
                row += "t'" +
                       std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, i))) + "'";
            } else {
                const auto* blob = static_cast<const unsigned char*>(sqlite3_column_blob(s, i));
                row += "x" + hex(blob, sqlite3_column_bytes(s, i));
            }
        }
        out.push_back(row);
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
}

} // namespace whitezone::test
