// The provenance record as JSON (the `provenance` table's content and provenance.json).

#include "whitezone/provenance.hpp"

#include <nlohmann/json.hpp>

namespace whitezone {

std::string to_json(const Provenance& p) {
    using nlohmann::ordered_json;
    ordered_json doc;
    doc["whitezone_version"] = p.version;
    doc["command"] = p.command;
    // The config is kept as an object; a config that is not JSON (never from our own writer)
    // is kept as text rather than lost.
    doc["config"] = ordered_json::parse(p.config_json.empty() ? "{}" : p.config_json, nullptr,
                                        /*allow_exceptions=*/false);
    if (doc["config"].is_discarded())
        doc["config"] = p.config_json;
    doc["model"] = p.model;
    doc["work_crs"] = p.work_crs;
    doc["threads"] = p.threads;
    doc["started_utc"] = p.started_utc;
    doc["duration_s"] = p.duration_s;
    ordered_json warnings = ordered_json::array();
    for (const WarningCount& w : p.warnings)
        warnings.push_back({{"message", w.message}, {"count", w.count}});
    doc["warnings"] = warnings;
    ordered_json inputs = ordered_json::array();
    for (const InputRecord& in : p.inputs) {
        ordered_json j;
        j["role"] = in.role;
        j["source"] = in.source;
        if (!in.layer.empty())
            j["layer"] = in.layer;
        j["driver"] = in.driver;
        if (in.features >= 0)
            j["features"] = in.features;
        if (in.raster_cols > 0) {
            j["raster_cols"] = in.raster_cols;
            j["raster_rows"] = in.raster_rows;
        }
        j["crs"] = in.crs;
        if (in.extent)
            j["extent"] = *in.extent;
        if (in.file_bytes >= 0)
            j["file_bytes"] = in.file_bytes;
        if (!in.sha256.empty())
            j["sha256"] = in.sha256;
        if (in.pixel_size)
            j["pixel_size"] = *in.pixel_size;
        if (!in.vintage.empty())
            j["vintage"] = in.vintage;
        inputs.push_back(j);
    }
    doc["inputs"] = inputs;
    if (!p.accuracy.empty())
        doc["accuracy"] = p.accuracy;
    return doc.dump(2);
}

namespace {

using Rows = std::vector<std::pair<std::string, std::string>>;

// A JSON value as a table cell: strings as they are, everything else as JSON text.
std::string cell(const nlohmann::ordered_json& v) {
    return v.is_string() ? v.get<std::string>() : v.dump();
}

// Every leaf of `v` as a row "<prefix>.<key>…"; arrays of numbers stay one cell ("[1,2]").
void flatten(const nlohmann::ordered_json& v, const std::string& prefix, Rows& rows) {
    if (v.is_object() && !v.empty()) {
        for (const auto& [key, value] : v.items())
            flatten(value, prefix + "." + key, rows);
        return;
    }
    rows.emplace_back(prefix, cell(v));
}

} // namespace

std::vector<std::pair<std::string, std::string>> provenance_rows(const Provenance& p) {
    const auto doc = nlohmann::ordered_json::parse(to_json(p));
    Rows rows;
    for (const char* key : {"whitezone_version", "command", "model", "work_crs", "threads",
                            "started_utc", "duration_s"})
        rows.emplace_back(key, cell(doc[key]));
    for (std::size_t i = 0; i < p.warnings.size(); ++i) {
        const std::string n = "warning." + std::to_string(i + 1);
        rows.emplace_back(n + ".message", p.warnings[i].message);
        rows.emplace_back(n + ".count", std::to_string(p.warnings[i].count));
    }
    for (const auto& input : doc["inputs"]) {
        const std::string prefix = "input." + input["role"].get<std::string>();
        for (const auto& [key, value] : input.items())
            if (key != "role")
                rows.emplace_back(prefix + "." + key, cell(value));
    }
    for (std::size_t i = 0; i < p.accuracy.size(); ++i)
        rows.emplace_back("accuracy." + std::to_string(i + 1), p.accuracy[i]);
    flatten(doc["config"], "config", rows);
    return rows;
}

} // namespace whitezone
