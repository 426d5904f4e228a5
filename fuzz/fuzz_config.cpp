// libFuzzer harness: the JSON config parser and its checks (every key, type and range).

#include "whitezone/config.hpp"

#include "fuzz/common.hpp"

#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace whitezone;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    fuzz::expect_only_whitezone_errors([&] {
        Config config;
        apply_config_json(config, text, "fuzz.json");
        config.stations.path = "stations.csv";
        config.villages.path = "villages.csv";
        validate_plan_config(config);
    });
    return 0;
}
