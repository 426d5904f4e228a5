#include "whitezone/prepare.hpp"

#include "whitezone/error.hpp"

#include "common/text.hpp"
#include "prepare/fields.hpp"
#include "prepare/internal.hpp"

#include <algorithm>
#include <future>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

namespace whitezone {

std::string_view to_string(CentreSource source) { return kCentreSourceNames.name(source); }

namespace prepare {

std::string checked_crs(const RawLayer& layer, std::string_view role) {
    if (layer.crs_wkt.empty()) {
        throw InputError("prepare: " + layer.where() + " has no CRS; set \"" + std::string(role) +
                         ".crs\" (e.g. \"EPSG:4326\") in the config, or "
                         "add a .prj next to the file.");
    }
    auto info = proj::describe(layer.crs_wkt);
    if (!info) {
        throw InputError("prepare: the CRS of " + layer.where() +
                         " is not one PROJ can use; set \"" + std::string(role) +
                         ".crs\" in the config.");
    }
    if (!proj::reaches_wgs84(layer.crs_wkt)) {
        throw InputError("prepare: the CRS of " + layer.where() + " (" +
                         proj::crs_label(layer.crs_wkt) +
                         ") cannot be transformed to WGS 84 (a CRS of another body, or a local "
                         "engineering CRS); set \"" +
                         std::string(role) + ".crs\" in the config to the data's Earth CRS.");
    }
    if (info->geographic) {
        for (const auto& f : layer.features) {
            auto bad = [&](XY p) {
                return !(p.x >= -180.0 && p.x <= 180.0 && p.y >= -90.0 && p.y <= 90.0);
            };
            std::optional<XY> wrong;
            if (f.geometry.kind == RawGeometry::Kind::Point && bad(f.geometry.point))
                wrong = f.geometry.point;
            for (const auto& poly : f.geometry.area)
                for (const auto& ring : poly.rings)
                    for (const auto& p : ring)
                        if (!wrong && bad(p))
                            wrong = p;
            if (wrong) {
                throw InputError(
                    "prepare: " + layer.where() + " row " + std::to_string(f.row) +
                    ": coordinate (" + text::fixed(wrong->x, 6) + ", " + text::fixed(wrong->y, 6) +
                    ") is out of range for longitude/latitude in [-180, 180] x [-90, 90]; "
                    "fix the row, or set \"" +
                    std::string(role) + ".crs\" if the data is projected.");
            }
        }
    }
    return layer.crs_wkt;
}

std::vector<FieldDef> carried_fields(const RawLayer& layer) { return layer.fields; }

namespace {

// The villages' centre in WGS 84: the middle of their bounding box.
std::pair<double, double> villages_centre_lonlat(const RawLayer& villages, const std::string& crs) {
    double minx = std::numeric_limits<double>::max(), miny = minx;
    double maxx = std::numeric_limits<double>::lowest(), maxy = maxx;
    auto add = [&](XY p) {
        minx = std::min(minx, p.x);
        maxx = std::max(maxx, p.x);
        miny = std::min(miny, p.y);
        maxy = std::max(maxy, p.y);
    };
    for (const auto& f : villages.features) {
        if (f.geometry.kind == RawGeometry::Kind::Point)
            add(f.geometry.point);
        for (const auto& poly : f.geometry.area)
            for (const auto& p : poly.rings.front())
                add(p);
    }
    XY centre{(minx + maxx) / 2.0, (miny + maxy) / 2.0};
    proj::Transformer to_wgs84(crs, "EPSG:4326");
    if (to_wgs84.transform(&centre, 1) >= 0)
        throw InputError("prepare: cannot find the longitude/latitude of the villages' "
                         "centre; set \"work_crs\" in the config (e.g. \"EPSG:32648\").");
    return {centre.x, centre.y};
}

std::string choose_work_crs(const RawLayer& villages, const std::string& villages_crs,
                            const PrepareOptions& options) {
    if (options.work_crs.empty() || options.work_crs == "auto") {
        auto [lon, lat] = villages_centre_lonlat(villages, villages_crs);
        return proj::utm_crs_for(lon, lat);
    }
    const std::string crs = proj::crs_from_user(options.work_crs);
    auto info = proj::describe(crs);
    if (!info)
        throw UsageError("prepare: \"work_crs\" '" + options.work_crs +
                         "' is not a CRS PROJ knows; use \"auto\", a code such as "
                         "\"EPSG:32648\", WKT, or a PROJ string (\"+proj=utm +zone=48 "
                         "+datum=WGS84 +units=m\").");
    if (proj::is_bare_name(crs) && text::lower(info->name) != text::lower(text::trim(crs)))
        throw UsageError("prepare: \"work_crs\" '" + options.work_crs +
                         "' is not the name of a CRS (the nearest PROJ finds is '" + info->name +
                         "'); give its code, e.g. \"EPSG:32648\", or its exact name.");
    if (!proj::reaches_wgs84(crs))
        throw UsageError("prepare: \"work_crs\" '" + options.work_crs + "' (" + info->name +
                         ") cannot be transformed to WGS 84 (a CRS of another body, or a local "
                         "engineering CRS); use \"auto\" or e.g. \"EPSG:32648\".");
    if (!info->metric)
        throw UsageError("prepare: \"work_crs\" '" + options.work_crs + "' (" + info->name +
                         ") is not projected in metres; areas and radii need one, e.g. a UTM "
                         "zone (\"EPSG:32648\") or a VN-2000 zone.");
    return crs;
}

std::string wkt_of(const std::string& crs) {
    proj::ContextPtr ctx(proj_context_create());
    proj::PjPtr pj(proj_create(ctx.get(), crs.c_str()));
    if (!pj)
        return crs;
    const char* wkt = proj_as_wkt(ctx.get(), pj.get(), PJ_WKT1_GDAL, nullptr);
    return wkt ? std::string(wkt) : crs;
}

} // namespace
} // namespace prepare

PreparedInputs prepare_inputs(RawInputs raw, const PrepareOptions& options, const Log& log) {
    using namespace prepare;
    const std::string villages_crs = checked_crs(raw.villages, "villages");
    const std::string stations_crs = checked_crs(raw.stations, "stations");

    PreparedInputs out;
    out.work_crs = choose_work_crs(raw.villages, villages_crs, options);
    out.work_crs_wkt = wkt_of(out.work_crs);

    proj::Transformer stations_to_work(stations_crs, out.work_crs);

    std::optional<proj::Transformer> centres_to_work;
    if (raw.centres)
        centres_to_work.emplace(checked_crs(*raw.centres, "centres"), out.work_crs);

    // With two threads or more the stations are prepared while the villages are (their
    // reading of fields is one thread's work; docs/performance.md). The stations' messages are
    // held and given after the villages', as on one thread, and the villages' error comes
    // first when both fail (the future waits for the stations before it is left).
    std::vector<std::pair<bool, std::string>> held; // (a warning, the message)
    const Log held_log{
        .info = [&held](std::string_view m) { held.emplace_back(false, std::string(m)); },
        .warn = [&held](std::string_view m) { held.emplace_back(true, std::string(m)); },
        .progress = {}};
    std::future<std::vector<Station>> stations;
    if (options.threads > 1)
        stations = std::async(std::launch::async, [&] {
            return prepare_stations(raw.stations, options, stations_to_work, held_log,
                                    out.site_count);
        });
    out.villages = prepare_villages(raw.villages, options, villages_crs, out.work_crs,
                                    raw.centres ? &*raw.centres : nullptr,
                                    centres_to_work ? &*centres_to_work : nullptr, log);
    out.village_fields = carried_fields(raw.villages);

    if (stations.valid()) {
        const auto give_held = [&] {
            for (const auto& [warning, message] : held)
                warning ? log.warning(message) : log.say(message);
        };
        try {
            out.stations = stations.get();
        } catch (...) {
            give_held();
            throw;
        }
        give_held();
    } else {
        out.stations =
            prepare_stations(raw.stations, options, stations_to_work, log, out.site_count);
    }
    out.station_fields = carried_fields(raw.stations);

    if (raw.settlements) {
        proj::Transformer settlements_to_work(checked_crs(*raw.settlements, "settlements"),
                                              out.work_crs);
        out.settlements =
            prepare_settlements(*raw.settlements, options, settlements_to_work, out.villages, log);
    }
    return out;
}

std::vector<Station> prepare_more_stations(RawLayer layer, const PrepareOptions& options,
                                           const std::string& work_crs, std::string_view role,
                                           const Log& log) {
    // The same sub-step prepare_inputs() runs for --stations, into the work CRS already chosen.
    const proj::Transformer to_work(prepare::checked_crs(layer, role), work_crs);
    std::size_t site_count = 0;
    return prepare::prepare_stations(layer, options, to_work, log, site_count);
}

namespace {

TextNumbers number_texts(const std::vector<Station>& stations,
                         std::string_view (*text)(const Station&)) {
    // The runs of equal texts in the stations' order (a site's cells usually follow one
    // another), sorted by text: only the runs are compared, and nothing is allocated per text
    // (at the national size, hundreds of thousands of small blocks that would stay with the
    // allocator).
    std::vector<std::uint32_t> starts; // each run's first station
    for (std::size_t k = 0; k < stations.size(); ++k)
        if (k == 0 || text(stations[k]) != text(stations[k - 1]))
            starts.push_back(static_cast<std::uint32_t>(k));
    std::vector<std::uint32_t> order(starts.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return text(stations[starts[a]]) < text(stations[starts[b]]);
    });
    TextNumbers out;
    std::vector<std::uint32_t> number(starts.size());
    for (const std::uint32_t run : order) {
        const std::string_view t = text(stations[starts[run]]);
        if (out.ids.empty() || out.ids.back() != t)
            out.ids.push_back(t);
        number[run] = static_cast<std::uint32_t>(out.ids.size() - 1);
    }
    out.ids.shrink_to_fit();
    out.of.resize(stations.size());
    for (std::size_t run = 0; run < starts.size(); ++run) {
        const std::size_t end = run + 1 < starts.size() ? starts[run + 1] : stations.size();
        std::fill(out.of.begin() + starts[run], out.of.begin() + static_cast<std::ptrdiff_t>(end),
                  number[run]);
    }
    return out;
}

} // namespace

SiteNumbers number_sites(const std::vector<Station>& stations) {
    return number_texts(stations, [](const Station& s) -> std::string_view { return s.site_id; });
}

TextNumbers number_operators(const std::vector<Station>& stations) {
    return number_texts(stations,
                        [](const Station& s) -> std::string_view { return s.operator_name; });
}

} // namespace whitezone
