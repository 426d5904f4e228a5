#pragma once
// The config and the output as the Python side hands them over, and the warnings it gets
// back, shared by the module (_whitezone.cpp) and the Dask driver's calls (parts.cpp).

#include "whitezone/config.hpp"
#include "whitezone/error.hpp"
#include "whitezone/report/options.hpp"
#include "whitezone/write.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
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

/// The output: `path`, `format` (UsageError for an unknown one, its message starting with
/// `what`, e.g. "write: format"), `overwrite`.
inline WriteOptions write_options(const std::string& path, const std::string& format,
                                  bool overwrite, const std::string& what) {
    WriteOptions options;
    options.path = path;
    const auto parsed = parse_output_format(format);
    if (!parsed)
        throw UsageError(what + " '" + format + "' is not known; use " + output_format_choices() +
                         ".");
    options.format = *parsed;
    options.overwrite = overwrite;
    return options;
}

/// A log whose warnings are kept in `warnings` (from any thread), for the Python side to
/// issue once the call has returned; its other lines are dropped.
inline Log collect_warnings(std::vector<std::string>& warnings) {
    auto lock = std::make_shared<std::mutex>();
    Log log;
    log.warn = [&warnings, lock](std::string_view message) {
        const std::lock_guard guard(*lock);
        warnings.emplace_back(message);
    };
    return log;
}

} // namespace whitezone::python
