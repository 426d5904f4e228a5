// libFuzzer harness: an OpenCelliD export without its header (radio,mcc,net,area,cell,unit,lon,
// lat,range,samples,changeable,created,updated,averageSignal), as the per-country downloads
// come: every input is read after "LTE,452," so that it is taken for one.

#include "whitezone/prepare.hpp"

#include "fuzz/common.hpp"

#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace whitezone;
    static const std::string kPrefix = "LTE,452,";
    std::vector<std::uint8_t> bytes(kPrefix.begin(), kPrefix.end());
    bytes.insert(bytes.end(), data, data + size);
    LayerSource source;
    source.path = fuzz::vsimem_file("/vsimem/fuzz_opencellid.csv", bytes.data(), bytes.size());
    fuzz::expect_only_whitezone_errors([&] {
        RawLayer layer = read_layer(source, "stations");
        PrepareOptions options;
        prepare_more_stations(std::move(layer), options, "EPSG:32648", "stations", Log{});
    });
    return 0;
}
