// libFuzzer harness: a villages layer (GeoJSON when the input starts with '{', else CSV) read
// and prepared with a fixed one-station layer: attributes, centres, reprojection, polygon
// repair with GEOS.

#include "whitezone/prepare.hpp"

#include "fuzz/common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace whitezone;
    static const std::string kStations = "lon,lat,tech\n106.70,21.80,4G\n";
    const bool geojson = size > 0 && data[0] == '{';
    LayerSource villages;
    villages.path = fuzz::vsimem_file(
        geojson ? "/vsimem/fuzz_villages.geojson" : "/vsimem/fuzz_villages.csv", data, size);
    LayerSource stations;
    stations.path = fuzz::vsimem_file("/vsimem/fuzz_fixed_stations.csv",
                                      reinterpret_cast<const std::uint8_t*>(kStations.data()),
                                      kStations.size());
    fuzz::expect_only_whitezone_errors([&] {
        RawInputs raw{read_layer(stations, "stations"), read_layer(villages, "villages"),
                      std::nullopt, std::nullopt};
        PrepareOptions options;
        options.threads = 1;
        prepare_inputs(std::move(raw), options, Log{});
    });
    return 0;
}
