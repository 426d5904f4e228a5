// Calibration of the ITM model against measurements (calibrate.hpp): the measurements file,
// the model's prediction at each point, the errors per technology, the fitted offset and its
// k-fold cross-validation, and the points as CSV.

#include "whitezone/calibrate.hpp"

#include "whitezone/coverage.hpp"
#include "whitezone/error.hpp"
#include "whitezone/itm.hpp"
#include "whitezone/link.hpp"
#include "whitezone/prepare.hpp"

#include "common/atomic.hpp"
#include "common/text.hpp"
#include "dem/sample.hpp"
#include "proj/proj.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <numbers>
#include <unordered_map>

namespace whitezone {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMinLevelDbm = -150.0, kMaxLevelDbm = -20.0;

// The first of `names` among `columns` (case-insensitive); -1 when none is.
int column(const Table& t, std::initializer_list<std::string_view> names) {
    for (std::string_view name : names)
        for (std::size_t i = 0; i < t.columns.size(); ++i)
            if (text::lower(text::trim(t.columns[i])) == text::lower(name))
                return static_cast<int>(i);
    return -1;
}

// A station field's value as text ("" for NULL), for matching OpenCelliD's cell keys.
std::string value_text(const Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v))
        return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&v))
        return std::floor(*d) == *d && std::abs(*d) < 1e15
                   ? std::to_string(static_cast<long long>(*d))
                   : text::fixed(*d, 6);
    if (const auto* s = std::get_if<std::string>(&v))
        return std::string(text::trim(*s));
    return {};
}

std::string signed_db(double v, int decimals = 2) {
    return (v >= 0.0 ? "+" : "") + text::fixed(v, decimals) + " dB";
}

} // namespace

std::vector<Measurement> read_measurements(const std::string& path,
                                           const std::vector<Station>& stations,
                                           const std::vector<FieldDef>& station_fields,
                                           const std::string& work_crs) {
    const std::string where = "measurements: '" + path + "'";
    const Table t = read_csv_table(
        path,
        {.what = "measurements: file", .flag = "--measurements", .header = "lon,lat,rsrp,tech"});
    const int lon = column(t, {"lon", "longitude", "lng"});
    const int lat = column(t, {"lat", "latitude"});
    const int level =
        column(t, {"signal_dbm", "dbm", "rsrp", "rscp", "rxlev", "averagesignal", "signal"});
    const int tech = column(t, {"tech", "technology", "radio", "rat"});
    const int station_row = column(t, {"station_row"});
    const auto missing = [&](const char* what, const char* names) {
        return InputError(where + " has no " + what + " column; expected " + names +
                          " (docs/itm.md#calibration-against-measurements).");
    };
    if (lon < 0 || lat < 0)
        throw missing("coordinate", "'lon' and 'lat' (degrees WGS 84)");
    if (level < 0)
        throw missing("signal level",
                      "'signal_dbm' (or dbm, rsrp, rscp, rxlev, OpenCelliD's averageSignal)");
    if (tech < 0)
        throw missing("technology", "'tech' (or technology, radio)");

    // OpenCelliD's cell key, where both the file and the stations have its columns.
    std::vector<int> key_cols, key_fields;
    for (const char* name : {"mcc", "net", "area", "cell"}) {
        const int c = column(t, {name});
        int f = -1;
        for (std::size_t i = 0; i < station_fields.size(); ++i)
            if (text::lower(station_fields[i].name) == name)
                f = static_cast<int>(i);
        if (c >= 0 && f >= 0) {
            key_cols.push_back(c);
            key_fields.push_back(f);
        }
    }
    const bool by_cell =
        !key_cols.empty() && column(t, {"cell"}) >= 0 &&
        std::find(key_cols.begin(), key_cols.end(), column(t, {"cell"})) != key_cols.end();
    std::unordered_map<std::string, std::size_t> cells;
    if (by_cell)
        for (std::size_t s = 0; s < stations.size(); ++s) {
            std::string key = std::string(to_string(stations[s].tech));
            for (int f : key_fields)
                key += "|" + (static_cast<std::size_t>(f) < stations[s].values.size()
                                  ? value_text(stations[s].values[static_cast<std::size_t>(f)])
                                  : std::string());
            cells.emplace(key, s);
        }
    std::unordered_map<std::int64_t, std::size_t> by_row;
    for (std::size_t s = 0; s < stations.size(); ++s)
        by_row.emplace(stations[s].row, s);

    std::vector<Measurement> out;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const auto& row = t.rows[r];
        const auto cell = [&](int c) {
            return static_cast<std::size_t>(c) < row.size()
                       ? std::string(text::trim(row[static_cast<std::size_t>(c)]))
                       : std::string();
        };
        const std::string at = where + " row " + std::to_string(r + 1);
        const auto number = [&](int c, const char* name) {
            const std::string s = cell(c);
            char* end = nullptr;
            const double v = std::strtod(s.c_str(), &end);
            if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v))
                throw InputError(at + ", column '" + t.columns[static_cast<std::size_t>(c)] +
                                 "': " + text::not_a_number(s) + " (" + name + ").");
            return v;
        };
        if (cell(level).empty())
            continue;
        Measurement m;
        m.row = static_cast<std::int64_t>(r + 1);
        m.measured_dbm = number(level, "the measured level in dBm");
        if (m.measured_dbm == 0.0)
            continue; // OpenCelliD: 0 = no signal level reported
        if (m.measured_dbm < kMinLevelDbm || m.measured_dbm > kMaxLevelDbm)
            throw InputError(at + ": the level " + text::fixed(m.measured_dbm, 1) +
                             " dBm lies outside " + text::fixed(kMinLevelDbm, 0) + " to " +
                             text::fixed(kMaxLevelDbm, 0) +
                             " dBm; give RxLev, RSCP or RSRP in dBm (not ASU or dB).");
        m.lonlat = {number(lon, "longitude in degrees"), number(lat, "latitude in degrees")};
        if (std::abs(m.lonlat.x) > 180.0 || std::abs(m.lonlat.y) > 90.0)
            throw InputError(at + ": (" + cell(lon) + ", " + cell(lat) +
                             ") is not a longitude, latitude in degrees WGS 84.");
        const auto parsed = parse_tech(cell(tech));
        if (!parsed)
            throw InputError(at + ", column '" + t.columns[static_cast<std::size_t>(tech)] +
                             "': '" + text::printable(cell(tech)) +
                             "' is not a technology; use 2G, 3G, 4G, 5G (or GSM, UMTS, LTE, NR).");
        m.tech = *parsed;
        if (station_row >= 0 && !cell(station_row).empty()) {
            const double v = number(station_row, "the serving station's row");
            const auto it = by_row.find(static_cast<std::int64_t>(v));
            if (it == by_row.end() || std::floor(v) != v)
                throw InputError(at + ": station_row " + cell(station_row) +
                                 " is not a row of the stations input; leave it empty to "
                                 "compare with the best server.");
            m.station = it->second;
            m.cell = "row " + cell(station_row);
        } else if (by_cell) {
            std::string key = std::string(to_string(m.tech)), shown;
            for (int c : key_cols) {
                key += "|" + cell(c);
                shown += (shown.empty() ? "" : "-") + cell(c);
            }
            m.cell = shown;
            if (const auto it = cells.find(key); it != cells.end())
                m.station = it->second;
        }
        out.push_back(std::move(m));
    }
    if (out.empty())
        throw InputError(where + " has no row with a signal level; give levels in dBm in '" +
                         t.columns[static_cast<std::size_t>(level)] + "'.");

    std::vector<XY> xy;
    xy.reserve(out.size());
    for (const Measurement& m : out)
        xy.push_back(m.lonlat);
    const proj::Transformer to_work("EPSG:4326", work_crs);
    if (const long bad = to_work.transform(xy); bad >= 0)
        throw InputError(where + " row " + std::to_string(out[static_cast<std::size_t>(bad)].row) +
                         ": the point cannot be transformed to the work CRS " + work_crs + ".");
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i].xy = xy[i];
    return out;
}

double Calibration::offset_db(Tech tech) const {
    for (const TechAccuracy& a : techs)
        if (a.tech == tech && applied && a.offset_db)
            return *a.offset_db;
    return 0.0;
}

Calibration predict_at_measurements(std::vector<Measurement> points,
                                    const std::vector<Station>& stations,
                                    const Footprints& footprints, const Raster<float>& dem,
                                    const CoverageOptions& options) {
    Calibration out;
    out.points = std::move(points);
    out.predicted_dbm.assign(out.points.size(), kNaN);
    out.predicted_station.assign(out.points.size(), -1);
    const double step = dem.grid.cell;
    std::vector<double> profile;
    for (const Footprint& f : footprints.items) {
        const Station& s = stations.at(f.station);
        if (!(f.radius_m > 0.0) || std::isnan(dem::bilinear(dem, f.centre)))
            continue;
        ItmRasterOptions radio = itm_radio_of(f, s, options);
        // The median: a measurement is one draw of the location and time variability.
        radio.itm.location_pct = radio.itm.time_pct = radio.itm.situation_pct = 50.0;
        for (std::size_t i = 0; i < out.points.size(); ++i) {
            const Measurement& m = out.points[i];
            if (m.tech != f.tech || (m.station && *m.station != f.station))
                continue;
            const double dx = m.xy.x - f.centre.x, dy = m.xy.y - f.centre.y;
            const double d = std::hypot(dx, dy);
            if (d > f.radius_m)
                continue;
            // A profile straight to the point, every DEM cell (at least 3 points).
            const auto n = static_cast<std::size_t>(std::max(2.0, std::round(d / step)));
            profile.assign(n + 1, kNaN);
            bool hole = false;
            for (std::size_t k = 0; k <= n && !hole; ++k) {
                const double t = static_cast<double>(k) / static_cast<double>(n);
                profile[k] = dem::bilinear(dem, {f.centre.x + dx * t, f.centre.y + dy * t});
                hole = std::isnan(profile[k]);
            }
            if (hole || d < 1.0)
                continue;
            double p = radio.eirp_dbm + radio.rx_gain_dbi + options.itm.offset_db.at(f.tech) -
                       itm_point_to_point(profile, d / static_cast<double>(n), radio.itm).loss_db;
            if (f.sector)
                p += sector_gain_db(std::atan2(dx, dy) * 180.0 / std::numbers::pi - f.azimuth_deg,
                                    f.beamwidth_deg);
            const auto station = static_cast<std::int64_t>(f.station);
            double& best = out.predicted_dbm[i];
            if (std::isnan(best) || p > best || (p == best && station < out.predicted_station[i])) {
                best = p;
                out.predicted_station[i] = station;
            }
        }
    }
    return out;
}

void assess_accuracy(Calibration& c, bool fit) {
    c.techs.clear();
    c.applied = fit;
    for (Tech tech : kTechs) {
        // Errors (predicted − measured) of the technology's predicted points, in file order.
        std::vector<double> errors;
        long points = 0;
        for (std::size_t i = 0; i < c.points.size(); ++i) {
            if (c.points[i].tech != tech)
                continue;
            ++points;
            if (!std::isnan(c.predicted_dbm[i]))
                errors.push_back(c.predicted_dbm[i] - c.points[i].measured_dbm);
        }
        if (points == 0)
            continue;
        TechAccuracy a;
        a.tech = tech;
        a.points = points;
        a.predicted = static_cast<long>(errors.size());
        const auto mean_rms = [](const std::vector<double>& e, double& mean, double& rms) {
            double sum = 0.0, sum2 = 0.0;
            for (double x : e) {
                sum += x;
                sum2 += x * x;
            }
            const auto n = static_cast<double>(e.size());
            mean = e.empty() ? kNaN : sum / n;
            rms = e.empty() ? kNaN : std::sqrt(sum2 / n);
        };
        mean_rms(errors, a.mean_error_db, a.rms_error_db);
        if (fit && !errors.empty()) {
            a.offset_db = -a.mean_error_db;
            // k-fold cross-validation over contiguous blocks: neighbouring points of a drive
            // test stay in one fold, so the check is not flattered by their correlation.
            const std::size_t n = errors.size();
            const std::size_t k = std::min<std::size_t>(kCalibrationFolds, n);
            a.folds = n >= 2 ? static_cast<int>(k) : 0;
            if (a.folds > 0) {
                double total = 0.0;
                for (double e : errors)
                    total += e;
                std::vector<double> held;
                held.reserve(n);
                for (std::size_t fold = 0; fold < k; ++fold) {
                    const std::size_t lo = fold * n / k, hi = (fold + 1) * n / k;
                    double in = 0.0;
                    for (std::size_t i = lo; i < hi; ++i)
                        in += errors[i];
                    const double offset = -(total - in) / static_cast<double>(n - (hi - lo));
                    for (std::size_t i = lo; i < hi; ++i)
                        held.push_back(errors[i] + offset);
                }
                mean_rms(held, a.cv_mean_error_db, a.cv_rms_error_db);
            }
        }
        c.techs.push_back(a);
    }
}

std::map<Tech, double> calibration_offsets(const Calibration& c) {
    std::map<Tech, double> out;
    for (const TechAccuracy& a : c.techs)
        if (c.applied && a.offset_db)
            out[a.tech] = *a.offset_db;
    return out;
}

std::vector<std::string> describe_accuracy(const Calibration& c) {
    std::vector<std::string> lines;
    for (const TechAccuracy& a : c.techs) {
        std::string line = std::string(to_string(a.tech)) + ": " + std::to_string(a.predicted) +
                           " of " + std::to_string(a.points) + " points predicted";
        if (a.predicted > 0)
            line += ", mean error " + signed_db(a.mean_error_db) + ", RMS " +
                    text::fixed(a.rms_error_db, 2) + " dB";
        if (a.offset_db) {
            line += "; offset " + signed_db(*a.offset_db);
            if (a.folds > 0)
                line += ", cross-validated (" + std::to_string(a.folds) + "-fold) mean " +
                        signed_db(a.cv_mean_error_db) + ", RMS " +
                        text::fixed(a.cv_rms_error_db, 2) + " dB";
            else
                line += ", too few points to cross-validate";
        }
        lines.push_back(line);
    }
    return lines;
}

std::string measurements_csv(const Calibration& c, const std::vector<Station>& stations) {
    Table t;
    t.columns = {"row",
                 "lon",
                 "lat",
                 "technology",
                 "cell",
                 "measured_dbm",
                 "predicted_dbm",
                 "error_db",
                 "station_row",
                 "calibrated_dbm",
                 "calibrated_error_db"};
    const auto number = [](double v, int decimals) {
        return std::isnan(v) ? std::string() : text::fixed(v, decimals);
    };
    for (std::size_t i = 0; i < c.points.size(); ++i) {
        const Measurement& m = c.points[i];
        const double p = c.predicted_dbm[i];
        const double cal = p + c.offset_db(m.tech);
        const std::int64_t s = c.predicted_station[i];
        t.rows.push_back(
            {std::to_string(m.row), text::fixed(m.lonlat.x, 6), text::fixed(m.lonlat.y, 6),
             std::string(to_string(m.tech)), m.cell, text::fixed(m.measured_dbm, 2), number(p, 2),
             number(p - m.measured_dbm, 2),
             s >= 0 ? std::to_string(stations.at(static_cast<std::size_t>(s)).row) : std::string(),
             number(cal, 2), number(cal - m.measured_dbm, 2)});
    }
    return format_csv_table(t);
}

void write_measurements_csv(const Calibration& c, const std::vector<Station>& stations,
                            const std::string& path) {
    const std::string text = measurements_csv(c, stations);
    atomic::write(path, atomic::Kind::File, "", [&](const std::filesystem::path& temp) {
        atomic::write_text(temp, text, "measurements", path);
    });
}

} // namespace whitezone
