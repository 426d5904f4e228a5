// Stations: technology and operator resolved (OpenCelliD's radio/mcc/net included), ranges
// checked, cells grouped into sites.

#include "whitezone/error.hpp"

#include "common/grid.hpp"
#include "common/text.hpp"
#include "prepare/fields.hpp"
#include "prepare/internal.hpp"
#include "prepare/operators.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace whitezone::prepare {

namespace {

// Vietnam's networks by mobile network code under MCC 452 (ITU-T E.212 list).
std::string operator_from_mcc_net(long mcc, long net) {
    if (mcc == 452) {
        switch (net) {
        case 1:
            return "MobiFone";
        case 2:
            return "VinaPhone";
        case 4:
            return "Viettel";
        case 5:
            return "Vietnamobile";
        case 7:
            return "Gmobile";
        default:
            break;
        }
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ld-%02ld", mcc, net);
    return buf;
}

struct UnknownTech {
    long count = 0;
    std::int64_t first_row = 0;
};

// Groups cells of one operator within `merge_m` of a site's first cell into that site (the
// earliest such site). One hash grid per operator finds the candidates near each cell.
std::size_t assign_sites(std::vector<Station>& stations, double merge_m) {
    std::map<std::string, grid::GridIndex> grids;        // per operator: site anchors
    std::vector<XY> anchors;                             // first cell of each generated site
    std::vector<std::string> anchor_ids;                 // its id
    std::set<std::pair<std::string, std::string>> given; // (operator, given site id)
    std::set<std::string> given_ids;
    for (const auto& s : stations)
        if (!s.site_id.empty()) {
            given.insert({s.operator_name, s.site_id});
            given_ids.insert(s.site_id);
        }
    std::size_t serial = 0;
    std::vector<std::size_t> near;
    for (auto& s : stations) {
        if (!s.site_id.empty())
            continue;
        auto& index = grids.try_emplace(s.operator_name, std::max(merge_m, 1.0)).first->second;
        index.query(grid::Box::around(s.xy, merge_m), near);
        const auto found = std::find_if(near.begin(), near.end(), [&](std::size_t a) {
            return std::hypot(anchors[a].x - s.xy.x, anchors[a].y - s.xy.y) <= merge_m;
        });
        std::size_t site = 0;
        if (found != near.end()) {
            site = *found;
        } else {
            site = anchors.size();
            anchors.push_back(s.xy);
            // Generated ids never repeat an id given in the layer.
            std::string id;
            do
                id = "S" + std::to_string(++serial);
            while (given_ids.count(id));
            anchor_ids.push_back(id);
            index.insert(grid::Box::around(s.xy, 0.0), site);
        }
        s.site_id = anchor_ids[site];
    }
    return given.size() + anchors.size();
}

} // namespace

std::vector<Station> prepare_stations(RawLayer& layer, const PrepareOptions& options,
                                      const proj::Transformer& to_work, const Log& log,
                                      std::size_t& site_count) {
    FieldReader fields(layer, options.station_fields, "stations");
    const int tech_col = fields.find("tech");
    const int op_col = fields.find("operator");
    const int mcc_col = fields.find("mcc");
    const int net_col = fields.find("net");
    const int site_col = fields.find("site_id");
    const int range_col = fields.find("range_m");
    const int az_col = fields.find("azimuth_deg");
    const int bw_col = fields.find("beamwidth_deg");
    const int height_col = fields.find("height_m");
    const int freq_col = fields.find("freq_mhz");
    const int eirp_col = fields.find("eirp_dbm");
    if (tech_col < 0) {
        throw InputError("prepare: " + layer.where() +
                         " has no technology field; expected 'tech' (or technology, radio), "
                         "or name yours with \"stations.fields.tech\" in the config.");
    }
    // An OpenCelliD export: the operator comes from mcc/net, cells have no site id.
    const bool opencellid = op_col < 0 && mcc_col >= 0 && net_col >= 0;
    // Its `created` (Unix seconds when OpenCelliD first saw the cell) stands in for an on-air
    // date; a value that is not one (0 in some exports) leaves the cell without an on-air year.
    int on_air_col = fields.find("on_air");
    const bool on_air_created = on_air_col < 0 && opencellid;
    if (on_air_created)
        on_air_col = layer.field_index("created");

    std::vector<Station> out;
    out.reserve(layer.features.size());
    std::map<std::string, UnknownTech> unknown;
    std::vector<std::int64_t> clamped_rows;
    for (auto& f : layer.features) {
        if (f.geometry.kind != RawGeometry::Kind::Point) {
            throw InputError("prepare: " + layer.where() + " row " + std::to_string(f.row) +
                             " is a " + f.geometry.type +
                             "; stations must be points (one per cell or site).");
        }
        Station s;
        s.row = f.row;
        s.xy = f.geometry.point;
        const std::string tech_text = fields.text(f, tech_col);
        if (auto tech = parse_tech(tech_text)) {
            s.tech = *tech;
        } else {
            auto& u = unknown[tech_text];
            if (u.count++ == 0)
                u.first_row = f.row;
            continue;
        }
        if (opencellid) {
            const auto mcc = fields.number(f, mcc_col, "a mobile country code");
            const auto net = fields.number(f, net_col, "a mobile network code");
            // E.212 codes are 3 digits (mnc up to 3): check before converting to an integer.
            for (auto [code, col] : {std::pair{mcc, mcc_col}, {net, net_col}})
                if (code && (*code < 0.0 || *code > 999.0 || *code != std::floor(*code)))
                    throw InputError("prepare: " + fields.where(f, col) + ": " +
                                     text::fixed(*code, 0) +
                                     " is not a mobile country or network code (a whole number "
                                     "from 0 to 999); fix the row or remove it.");
            if (mcc && net)
                s.operator_name =
                    operator_from_mcc_net(static_cast<long>(*mcc), static_cast<long>(*net));
        } else {
            s.operator_name = normalize_operator(fields.text(f, op_col), options.operator_aliases);
        }
        s.site_id = std::string(text::trim(fields.text(f, site_col)));
        s.height_m = fields.number(f, height_col, "an antenna height in metres");
        s.freq_mhz = fields.number(f, freq_col, "a carrier frequency in MHz");
        s.eirp_dbm = fields.number(f, eirp_col, "an EIRP in dBm");
        s.on_air_year = on_air_created && on_air_col >= 0 ? parse_year(fields.text(f, on_air_col))
                                                          : fields.year(f, on_air_col);

        if (auto r = fields.number(f, range_col, "a range in metres"); r && *r > 0.0) {
            s.range_m = *r;
            // A range the coverage does not use is neither clamped nor flagged.
            if (options.use_station_range &&
                (*r < options.min_range_m || *r > options.max_range_m)) {
                s.range_flag = *r < options.min_range_m ? "clamped_low" : "clamped_high";
                s.range_m = std::clamp(*r, options.min_range_m, options.max_range_m);
                clamped_rows.push_back(f.row);
            }
        }
        const auto az = fields.number(f, az_col, "an azimuth in degrees from north");
        const auto bw = fields.number(f, bw_col, "a beamwidth in degrees");
        if (bw && (*bw <= 0.0 || *bw > 360.0)) {
            throw InputError("prepare: " + fields.where(f, bw_col) + ": beamwidth " +
                             text::fixed(*bw, 1) +
                             " is outside (0, 360]; give the horizontal beamwidth in "
                             "degrees, or leave it empty for an omnidirectional cell.");
        }
        if (az && bw && *bw < 360.0) {
            s.azimuth_deg = std::fmod(std::fmod(*az, 360.0) + 360.0, 360.0);
            s.beamwidth_deg = *bw;
        }
        s.values = std::move(f.values);
        out.push_back(std::move(s));
    }

    if (!unknown.empty()) {
        std::string list;
        for (const auto& [value, u] : unknown) {
            if (!list.empty())
                list += ", ";
            list += "'" + value + "' (" + std::to_string(u.count) +
                    (u.count == 1 ? " row, first row " : " rows, first row ") +
                    std::to_string(u.first_row) + ")";
        }
        throw InputError("prepare: " + layer.where() + " field '" +
                         layer.fields[static_cast<std::size_t>(tech_col)].name +
                         "' has unknown technology values " + list +
                         "; use 2G, 3G, 4G or 5G (or GSM, UMTS, LTE, NR), or remove those "
                         "rows.");
    }
    if (!layer.empty_rows.empty()) {
        log.warning("prepare: skipped " + std::to_string(layer.empty_rows.size()) +
                    " stations with empty coordinates (" + row_list(layer.empty_rows) + ") in " +
                    layer.where());
    }
    if (!clamped_rows.empty()) {
        log.warning("prepare: " + std::to_string(clamped_rows.size()) + " station ranges " +
                    "outside [" + text::fixed(options.min_range_m, 0) + ", " +
                    text::fixed(options.max_range_m, 0) + "] m were clamped and flagged in " +
                    "'range_flag' (" + row_list(clamped_rows) + ")");
    }

    std::vector<XY> points;
    points.reserve(out.size());
    for (const auto& s : out)
        points.push_back(s.xy);
    if (long bad = to_work.transform(points); bad >= 0) {
        throw InputError("prepare: " + layer.where() + " row " +
                         std::to_string(out[static_cast<std::size_t>(bad)].row) +
                         ": cannot transform the station into the work CRS; check its "
                         "coordinates and the layer's CRS.");
    }
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i].xy = points[i];

    site_count = assign_sites(out, options.site_merge_m);
    return out;
}

} // namespace whitezone::prepare
