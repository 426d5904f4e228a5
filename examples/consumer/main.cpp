// A tiny front end of the installed whitezone library: two villages and two stations made in
// memory (no file is read or written), prepared into UTM zone 48N, analysed, and the summary
// printed. Exits 0 when the results are the expected ones, 1 otherwise.
//
//      village "north" (lon 106.00-106.01, lat 22.01-22.02)    no station near: white
//      village "south" (lon 106.00-106.01, lat 22.00-22.01)    a 4G cell at its centre: covered

#include <iostream>
#include <whitezone/whitezone.hpp>

namespace wz = whitezone;

namespace {

wz::RawLayer villages() {
    wz::RawLayer layer;
    layer.source = "memory";
    layer.layer = "villages";
    layer.crs_wkt = "EPSG:4326";
    layer.fields = {{"name", wz::FieldType::String}};
    auto square = [](double lon, double lat, double size) {
        return wz::Polygon{{{{lon, lat},
                             {lon + size, lat},
                             {lon + size, lat + size},
                             {lon, lat + size},
                             {lon, lat}}}};
    };
    std::int64_t row = 1;
    for (const auto& [name, lat] : {std::pair{"south", 22.00}, std::pair{"north", 22.01}}) {
        wz::RawFeature f;
        f.row = row++;
        f.geometry.kind = wz::RawGeometry::Kind::Area;
        f.geometry.area = {square(106.00, lat, 0.01)};
        f.values = {std::string(name)};
        layer.features.push_back(std::move(f));
    }
    return layer;
}

wz::RawLayer stations() {
    wz::RawLayer layer;
    layer.source = "memory";
    layer.layer = "stations";
    layer.crs_wkt = "EPSG:4326";
    layer.fields = {{"tech", wz::FieldType::String}, {"range", wz::FieldType::Real}};
    std::int64_t row = 1;
    for (const auto& [lon, lat] : {std::pair{106.005, 22.005}, std::pair{106.30, 22.30}}) {
        wz::RawFeature f;
        f.row = row++;
        f.geometry.kind = wz::RawGeometry::Kind::Point;
        f.geometry.point = {lon, lat};
        f.values = {std::string("4G"), 900.0};
        layer.features.push_back(std::move(f));
    }
    return layer;
}

} // namespace

int main() {
    try {
        wz::Config config;
        config.prepare.work_crs = "EPSG:32648";
        wz::Context ctx;
        ctx.log.warn = [](std::string_view m) { std::cerr << "warning: " << m << "\n"; };

        wz::Inputs inputs;
        inputs.prepared =
            wz::prepare_inputs(wz::RawInputs{stations(), villages(), std::nullopt, std::nullopt},
                               config.prepare, ctx.log);
        const wz::AnalysisResult result = wz::analyze(std::move(inputs), config, ctx);

        std::cout << "whitezone " << wz::version() << " (headers " << WHITEZONE_VERSION_STRING
                  << ")\n"
                  << wz::format_summary(result.summary);
        const auto& any = result.classification.villages[wz::index_of(wz::ServiceClass::Any)];
        const bool ok = any.size() == 2 && any[0].status == wz::Status::Covered &&
                        any[1].status == wz::Status::White &&
                        wz::version() == WHITEZONE_VERSION_STRING;
        std::cout << (ok ? "consumer: ok\n" : "consumer: unexpected results\n");
        return ok ? 0 : 1;
    } catch (const wz::Error& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
}
