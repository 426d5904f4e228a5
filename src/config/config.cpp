// The JSON config: every key, its type and range, with errors that name the key.

#include "whitezone/config.hpp"

#include "whitezone/error.hpp"

#include "common/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace whitezone {

namespace {

using json = nlohmann::json;

class Reader {
  public:
    explicit Reader(std::string origin) : m_origin(std::move(origin)) {}

    [[noreturn]] void fail(const std::string& key, const std::string& what) const {
        throw UsageError("config " + m_origin + ": \"" + key + "\" " + what + ".");
    }

    void check_keys(const json& obj, const std::string& path,
                    const std::vector<std::string>& valid) const {
        if (!obj.is_object())
            fail(path.empty() ? "(top level)" : path, "must be a JSON object");
        for (const auto& [key, _] : obj.items()) {
            if (std::find(valid.begin(), valid.end(), key) == valid.end()) {
                throw UsageError("config " + m_origin + ": unknown key \"" +
                                 (path.empty() ? key : path + "." + key) + "\"; valid keys " +
                                 (path.empty() ? "at the top level" : "in \"" + path + "\"") +
                                 " are " + text::quoted_list(valid) +
                                 " (docs/config.md lists them).");
            }
        }
    }

    double number(const json& v, const std::string& key, double lo, double hi) const {
        if (!v.is_number())
            fail(key, "must be a number, not " + v.dump());
        const double d = v.get<double>();
        if (d < lo || d > hi)
            fail(key, "must be in [" + text::fixed(lo, 2) + ", " + text::fixed(hi, 2) + "], not " +
                          v.dump());
        return d;
    }

    // A count (threads, segments): a number without a fractional part, in [lo, hi].
    int integer(const json& v, const std::string& key, int lo, int hi) const {
        const double d = number(v, key, lo, hi);
        if (d != std::floor(d))
            fail(key, "must be a whole number, not " + v.dump());
        return static_cast<int>(d);
    }

    std::string string(const json& v, const std::string& key) const {
        if (!v.is_string())
            fail(key, "must be a string, not " + v.dump());
        return v.get<std::string>();
    }

    bool boolean(const json& v, const std::string& key) const {
        if (!v.is_boolean())
            fail(key, "must be true or false, not " + v.dump());
        return v.get<bool>();
    }

  private:
    std::string m_origin;
};

constexpr double kHuge = 1e9;

// The keys of a layer object ("stations", "villages", …): path, layer, crs and the field
// mapping, whose valid roles are `roles` (field_roles(name) unless given).
void apply_layer(const Reader& r, const json& obj, const std::string& name, LayerSource& source,
                 std::map<std::string, std::string>& fields,
                 const std::vector<std::string>& roles = {}) {
    r.check_keys(obj, name, {"path", "layer", "crs", "fields"});
    if (obj.contains("path"))
        source.path = r.string(obj["path"], name + ".path");
    if (obj.contains("layer"))
        source.layer = r.string(obj["layer"], name + ".layer");
    if (obj.contains("crs"))
        source.crs = r.string(obj["crs"], name + ".crs");
    if (obj.contains("fields")) {
        const std::string path = name + ".fields";
        r.check_keys(obj["fields"], path, roles.empty() ? field_roles(name) : roles);
        for (const auto& [role, value] : obj["fields"].items())
            fields[role] = r.string(value, path + "." + role);
        if (fields.count("lon"))
            source.lon_field = fields["lon"];
        if (fields.count("lat"))
            source.lat_field = fields["lat"];
        if (fields.count("wkt"))
            source.wkt_field = fields["wkt"];
    }
}

// The "hata" object: the model's environment, heights, cap and per-technology defaults, each
// checked against the hard limits of include/whitezone/coverage/hata.hpp.
void apply_hata(const Reader& r, const json& obj, HataOptions& hata) {
    r.check_keys(obj, "hata",
                 {"environment", "receiver_height_m", "antenna_height_m", "max_radius_m",
                  "frequency_mhz", "eirp_dbm", "threshold_dbm"});
    if (obj.contains("environment")) {
        const std::string env = r.string(obj["environment"], "hata.environment");
        auto parsed = parse_hata_environment(env);
        if (!parsed)
            r.fail("hata.environment",
                   "must be \"rural\", \"suburban\" or \"urban\", not \"" + env + "\"");
        hata.environment = *parsed;
    }
    if (obj.contains("receiver_height_m"))
        hata.receiver_height_m = r.number(obj["receiver_height_m"], "hata.receiver_height_m",
                                          kHataMinMobileHeightM, kHataMaxMobileHeightM);
    if (obj.contains("antenna_height_m"))
        hata.antenna_height_m = r.number(obj["antenna_height_m"], "hata.antenna_height_m",
                                         kHataMinBaseHeightM, kHataMaxBaseHeightM);
    if (obj.contains("max_radius_m"))
        hata.max_radius_m = r.number(obj["max_radius_m"], "hata.max_radius_m", 1.0, 100000.0);
    auto per_tech = [&](const char* key, std::map<Tech, double>& values, double lo, double hi) {
        if (!obj.contains(key))
            return;
        const std::string path = std::string("hata.") + key;
        r.check_keys(obj[key], path, {"2G", "3G", "4G", "5G"});
        for (const auto& [tech, value] : obj[key].items())
            values[*parse_tech(tech)] = r.number(value, path + "." + tech, lo, hi);
    };
    per_tech("frequency_mhz", hata.frequency_mhz, kHataMinFrequencyMhz, kHataMaxFrequencyMhz);
    per_tech("eirp_dbm", hata.eirp_dbm, kHataMinEirpDbm, kHataMaxEirpDbm);
    per_tech("threshold_dbm", hata.threshold_dbm, kHataMinThresholdDbm, kHataMaxThresholdDbm);
}

// The "terrain" object: options of the terrain mode (coverage/terrain.hpp).
void apply_terrain(const Reader& r, const json& obj, TerrainOptions& terrain) {
    r.check_keys(obj, "terrain", {"diffraction", "diffraction_margin_db", "k_factor", "cell_m"});
    if (obj.contains("diffraction"))
        terrain.diffraction = r.boolean(obj["diffraction"], "terrain.diffraction");
    if (obj.contains("diffraction_margin_db"))
        terrain.diffraction_margin_db =
            r.number(obj["diffraction_margin_db"], "terrain.diffraction_margin_db", 0.0, 100.0);
    if (obj.contains("k_factor"))
        terrain.k_factor = r.number(obj["k_factor"], "terrain.k_factor", 0.0, 100.0);
    if (obj.contains("cell_m"))
        terrain.cell_m = r.number(obj["cell_m"], "terrain.cell_m", 0.0, 10000.0);
}

} // namespace

void apply_config_json(Config& config, std::string_view json_text, std::string_view origin) {
    const Reader r("'" + std::string(origin) + "'");
    json doc;
    try {
        doc = json::parse(json_text.begin(), json_text.end(), nullptr, true,
                          /*ignore_comments=*/true);
    } catch (const json::parse_error& e) {
        throw UsageError("config '" + std::string(origin) + "' is not valid JSON: " + e.what() +
                         "; fix the file (docs/config.md has an example).");
    }
    r.check_keys(doc, "",
                 {"work_crs",
                  "radius_m",
                  "use_station_range",
                  "quad_segs",
                  "status_rule",
                  "white_below",
                  "covered_from",
                  "village_radius_m",
                  "site_merge_m",
                  "min_range_m",
                  "max_range_m",
                  "threads",
                  "stations",
                  "villages",
                  "settlements",
                  "centres",
                  "planned",
                  "candidates",
                  "rank",
                  "plan",
                  "output",
                  "coverage_model",
                  "hata",
                  "dem",
                  "population",
                  "cluster_min_people",
                  "terrain",
                  "link"}); // read by the link command (link.hpp)

    if (doc.contains("work_crs"))
        config.prepare.work_crs = r.string(doc["work_crs"], "work_crs");
    if (doc.contains("radius_m")) {
        r.check_keys(doc["radius_m"], "radius_m", {"2G", "3G", "4G", "5G"});
        for (const auto& [tech, value] : doc["radius_m"].items())
            config.coverage.radius_m[*parse_tech(tech)] =
                r.number(value, "radius_m." + tech, 1.0, 100000.0);
    }
    if (doc.contains("use_station_range"))
        config.coverage.use_station_range =
            r.boolean(doc["use_station_range"], "use_station_range");
    if (doc.contains("quad_segs"))
        config.coverage.quad_segs = r.integer(doc["quad_segs"], "quad_segs", 1, 1000);
    if (doc.contains("coverage_model")) {
        const std::string model = r.string(doc["coverage_model"], "coverage_model");
        auto parsed = parse_coverage_model(model);
        if (!parsed)
            r.fail("coverage_model", "must be \"disk\" or \"hata\", not \"" + model + "\"");
        config.coverage.model = *parsed;
    }
    if (doc.contains("hata"))
        apply_hata(r, doc["hata"], config.coverage.hata);
    if (doc.contains("dem"))
        config.dem = r.string(doc["dem"], "dem");
    if (doc.contains("population"))
        config.population = r.string(doc["population"], "population");
    if (doc.contains("cluster_min_people"))
        config.overlay.cluster_min_people =
            r.number(doc["cluster_min_people"], "cluster_min_people", 0.0, kHuge);
    if (doc.contains("terrain"))
        apply_terrain(r, doc["terrain"], config.coverage.terrain);
    if (doc.contains("status_rule")) {
        const std::string rule = r.string(doc["status_rule"], "status_rule");
        auto parsed = parse_status_rule(rule);
        if (!parsed)
            r.fail("status_rule", "must be \"centre\" or \"area_share\", not \"" + rule + "\"");
        config.classify.rule = *parsed;
    }
    if (doc.contains("white_below"))
        config.classify.white_below = r.number(doc["white_below"], "white_below", 0.0, 1.0);
    if (doc.contains("covered_from"))
        config.classify.covered_from = r.number(doc["covered_from"], "covered_from", 0.0, 1.0);
    if (doc.contains("village_radius_m"))
        config.overlay.village_radius_m =
            r.number(doc["village_radius_m"], "village_radius_m", 0.0, 100000.0);
    if (doc.contains("site_merge_m"))
        config.prepare.site_merge_m = r.number(doc["site_merge_m"], "site_merge_m", 0.0, 10000.0);
    if (doc.contains("min_range_m"))
        config.prepare.min_range_m = r.number(doc["min_range_m"], "min_range_m", 0.0, 100000.0);
    if (doc.contains("max_range_m"))
        config.prepare.max_range_m = r.number(doc["max_range_m"], "max_range_m", 1.0, 100000.0);
    if (doc.contains("threads"))
        config.threads = r.integer(doc["threads"], "threads", 0, 1024);

    if (doc.contains("stations"))
        apply_layer(r, doc["stations"], "stations", config.stations, config.prepare.station_fields);
    if (doc.contains("villages"))
        apply_layer(r, doc["villages"], "villages", config.villages, config.prepare.village_fields);
    if (doc.contains("settlements")) {
        if (!config.settlements)
            config.settlements.emplace();
        apply_layer(r, doc["settlements"], "settlements", *config.settlements,
                    config.prepare.settlement_fields);
    }
    if (doc.contains("centres")) {
        if (!config.centres)
            config.centres.emplace();
        apply_layer(r, doc["centres"], "centres", *config.centres, config.prepare.centre_fields);
    }
    if (doc.contains("planned")) {
        // Read like the stations: their CRS and CSV columns unless "planned" sets its own.
        if (!config.planned) {
            config.planned = config.stations;
            config.planned->path.clear();
            config.planned->layer.clear();
        }
        apply_layer(r, doc["planned"], "planned", *config.planned, config.planned_fields,
                    field_roles("stations"));
    }
    if (doc.contains("candidates")) {
        if (!config.candidates)
            config.candidates.emplace();
        std::map<std::string, std::string> coordinates; // only lon, lat, wkt: in the source
        apply_layer(r, doc["candidates"], "candidates", *config.candidates, coordinates,
                    {"lon", "lat", "wkt"});
    }

    if (doc.contains("rank")) {
        const json& rank = doc["rank"];
        r.check_keys(rank, "rank",
                     {"class", "cluster_distance_m", "cluster_weight", "no_power_factor",
                      "distance_scale_m"});
        if (rank.contains("class")) {
            const std::string cls = r.string(rank["class"], "rank.class");
            auto parsed = parse_service_class(cls);
            if (!parsed)
                r.fail("rank.class", "must be \"any\" or \"broadband\", not \"" + cls + "\"");
            config.rank.service_class = *parsed;
        }
        if (rank.contains("cluster_distance_m"))
            config.rank.cluster_distance_m =
                r.number(rank["cluster_distance_m"], "rank.cluster_distance_m", 0.0, kHuge);
        if (rank.contains("cluster_weight"))
            config.rank.cluster_weight =
                r.number(rank["cluster_weight"], "rank.cluster_weight", 0.0, kHuge);
        if (rank.contains("no_power_factor"))
            config.rank.no_power_factor =
                r.number(rank["no_power_factor"], "rank.no_power_factor", 0.0, kHuge);
        if (rank.contains("distance_scale_m"))
            config.rank.distance_scale_m =
                r.number(rank["distance_scale_m"], "rank.distance_scale_m", 0.0, kHuge);
    }

    if (doc.contains("plan")) {
        const json& plan = doc["plan"];
        r.check_keys(plan, "plan",
                     {"radius_m", "tech", "max_hop_m", "mast_height_m", "high_point_search_m"});
        if (plan.contains("radius_m"))
            config.plan.radius_m = r.number(plan["radius_m"], "plan.radius_m", 1.0, 100000.0);
        if (plan.contains("tech")) {
            const std::string tech = r.string(plan["tech"], "plan.tech");
            auto parsed = parse_tech(tech);
            if (!parsed)
                r.fail("plan.tech",
                       "must be \"2G\", \"3G\", \"4G\" or \"5G\", not \"" + tech + "\"");
            config.plan.tech = *parsed;
        }
        if (plan.contains("max_hop_m"))
            config.plan.max_hop_m = r.number(plan["max_hop_m"], "plan.max_hop_m", 0.0, kHuge);
        if (plan.contains("mast_height_m"))
            config.plan.mast_height_m =
                r.number(plan["mast_height_m"], "plan.mast_height_m", 1.0, 300.0);
        if (plan.contains("high_point_search_m"))
            config.plan.high_point_search_m =
                r.number(plan["high_point_search_m"], "plan.high_point_search_m", 0.0, 50000.0);
    }

    if (doc.contains("output")) {
        const json& output = doc["output"];
        r.check_keys(output, "output", {"path", "format", "overwrite"});
        if (output.contains("path"))
            config.write.path = r.string(output["path"], "output.path");
        if (output.contains("format")) {
            const std::string f = r.string(output["format"], "output.format");
            auto parsed = parse_output_format(f);
            if (!parsed)
                r.fail("output.format",
                       "must be \"gpkg\", \"geojson\", \"shp\" or \"csv\", not \"" + f + "\"");
            config.write.format = *parsed;
        }
        if (output.contains("overwrite"))
            config.write.overwrite = r.boolean(output["overwrite"], "output.overwrite");
    }
}

void apply_config_file(Config& config, const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw UsageError("config file '" + path +
                         "' cannot be read; check the path given to "
                         "--config.");
    std::ostringstream text;
    text << in.rdbuf();
    apply_config_json(config, text.str(), path);
}

void validate_config(const Config& config) {
    if (config.stations.path.empty())
        throw UsageError("analyze: no stations given; pass --stations FILE (or set "
                         "\"stations.path\" in the config).");
    if (config.villages.path.empty())
        throw UsageError("analyze: no villages given; pass --villages FILE (or set "
                         "\"villages.path\" in the config).");
    if (config.classify.white_below > config.classify.covered_from)
        throw UsageError("config: \"white_below\" (" + text::fixed(config.classify.white_below, 2) +
                         ") must not exceed \"covered_from\" (" +
                         text::fixed(config.classify.covered_from, 2) + ").");
    if (config.prepare.min_range_m > config.prepare.max_range_m)
        throw UsageError("config: \"min_range_m\" must not exceed \"max_range_m\".");
    if (config.settlements && config.settlements->path.empty())
        throw UsageError("config: \"settlements\" is set but has no \"path\"; add it or pass "
                         "--settlements FILE.");
    if (config.centres && config.centres->path.empty())
        throw UsageError("config: \"centres\" is set but has no \"path\"; add it or pass "
                         "--centres FILE.");
}

void validate_plan_config(const Config& config) {
    validate_config(config);
    if (config.planned && config.planned->path.empty())
        throw UsageError("config: \"planned\" is set but has no \"path\"; add it or pass "
                         "--planned FILE.");
    if (config.candidates && config.candidates->path.empty())
        throw UsageError("config: \"candidates\" is set but has no \"path\"; add it or pass "
                         "--candidates FILE.");
}

} // namespace whitezone
