#pragma once
// The config as the Python side hands it over, shared by the module (_whitezone.cpp) and the
// Dask driver's calls (parts.cpp).

#include "whitezone/config.hpp"

#include <string>
#include <tuple>
#include <vector>

namespace whitezone::python {

/// One step of the config: a JSON file ("file") or a JSON text ("json") with its origin for
/// messages.
using ConfigStep = std::tuple<std::string, std::string, std::string>;

/// The steps applied in order over the defaults (threads 0: all cores, as the CLI).
inline Config make_config(const std::vector<ConfigStep>& steps) {
    Config config;
    config.threads = 0;
    for (const auto& [kind, text, origin] : steps) {
        if (kind == "file")
            apply_config_file(config, text);
        else
            apply_config_json(config, text, origin);
    }
    return config;
}

} // namespace whitezone::python
