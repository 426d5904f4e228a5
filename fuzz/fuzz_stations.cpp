// libFuzzer harness: a stations CSV read and prepared (fields, technologies, operators, ranges,
// sectors, on-air dates, sites) into a UTM work CRS.

#include "whitezone/prepare.hpp"

#include "fuzz/common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace whitezone;
    LayerSource source;
    source.path = fuzz::vsimem_file("/vsimem/fuzz_stations.csv", data, size);
    fuzz::expect_only_whitezone_errors([&] {
        RawLayer layer = read_layer(source, "stations");
        PrepareOptions options;
        prepare_more_stations(std::move(layer), options, "EPSG:32648", "stations", Log{});
    });
    return 0;
}
