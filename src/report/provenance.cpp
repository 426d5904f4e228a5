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
        inputs.push_back(j);
    }
    doc["inputs"] = inputs;
    return doc.dump(2);
}

} // namespace whitezone
