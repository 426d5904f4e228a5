// The "link" object of the JSON config (link.hpp, apply_link_config).

#include "whitezone/error.hpp"
#include "whitezone/link.hpp"

#include "common/text.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>

namespace whitezone {

void apply_link_config(LinkSettings& settings, const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw UsageError("config '" + path + "' cannot be read; check the path given to --config.");
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {
        throw UsageError("config '" + path + "' is not valid JSON: " + e.what());
    }
    if (!doc.is_object() || !doc.contains("link"))
        return;
    const nlohmann::json& link = doc["link"];
    if (!link.is_object())
        throw UsageError("config '" + path + "': \"link\" must be a JSON object.");
    ItmParameters& p = settings.itm;
    const std::map<std::string, double*> numbers = {{"h_tx_m", &p.h_tx_m},
                                                    {"h_rx_m", &p.h_rx_m},
                                                    {"n0", &p.n0},
                                                    {"f_mhz", &p.f_mhz},
                                                    {"epsilon", &p.epsilon},
                                                    {"sigma", &p.sigma},
                                                    {"time", &p.time_pct},
                                                    {"location", &p.location_pct},
                                                    {"situation", &p.situation_pct},
                                                    {"eirp_dbm", &settings.eirp_dbm},
                                                    {"rx_gain_dbi", &settings.rx_gain_dbi},
                                                    {"step_m", &settings.step_m}};
    for (const auto& [key, value] : link.items()) {
        const std::string name = "link." + key;
        if (!value.is_number())
            throw UsageError("config '" + path + "': \"" + name + "\" must be a number, not " +
                             value.dump() + ".");
        const double v = value.get<double>();
        if (const auto it = numbers.find(key); it != numbers.end()) {
            *it->second = v;
        } else if (key == "climate" || key == "pol" || key == "mdvar") {
            if (v != static_cast<int>(v))
                throw UsageError("config '" + path + "': \"" + name +
                                 "\" must be a whole number, not " + value.dump() + ".");
            const int code = static_cast<int>(v);
            if (key == "climate")
                p.climate = itm_climate_from_code(code, "config '" + path + "': \"" + name + "\"");
            else if (key == "pol")
                p.polarisation = static_cast<ItmPolarisation>(code);
            else
                p.mdvar = code;
        } else {
            std::vector<std::string> valid;
            for (const auto& [k, _] : numbers)
                valid.push_back(k);
            for (const char* k : {"climate", "pol", "mdvar"})
                valid.emplace_back(k);
            throw UsageError("config '" + path + "': unknown key \"" + name +
                             "\"; valid keys in \"link\" are " + text::quoted_list(valid) +
                             " (docs/itm.md).");
        }
    }
}

} // namespace whitezone
