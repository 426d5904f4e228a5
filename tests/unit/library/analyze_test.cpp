// The library as a front end calls it (tests/unit/library mirrors OSRM's unit_tests/library):
// inputs made in memory, analyze() without files, run_and_write() with the coverage dissolved
// beside the write, the what-if leaving the analysis as it was, and the version.

#include "whitezone/whitezone.hpp"

#include "support/support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

using namespace whitezone;

namespace {

// Three 1 km square villages and one 4G cell of range 3 km (work CRS, metres):
//
//   y 1000 +----+----+                            +----+
//          | A  | B  |                            | C  |
//   y    0 +----+----+                            +----+
//          0  (*) 1000 2000                      10000 11000
//             station at (500, 500), 3,000 m
//
// A and B lie wholly within 3 km of the station (B's far corner is 1,581 m away): covered.
// C is 9.5 km away: white.
Inputs three_villages() {
    Inputs in;
    PreparedInputs& p = in.prepared;
    p.work_crs = "EPSG:32648";
    auto square = [](double x0) {
        return Polygon{{{{x0, 0}, {x0 + 1000, 0}, {x0 + 1000, 1000}, {x0, 1000}, {x0, 0}}}};
    };
    const std::pair<const char*, double> villages[] = {{"A", 0}, {"B", 1000}, {"C", 10000}};
    for (const auto& [id, x0] : villages) {
        Village v;
        v.row = static_cast<std::int64_t>(p.villages.size()) + 1;
        v.id = id;
        v.area = {square(x0)};
        v.area_m2 = 1e6;
        v.centre = {x0 + 500, 500};
        v.centre_source = CentreSource::PointOnSurface;
        v.population = 100;
        v.province = "P";
        v.commune = id;
        p.villages.push_back(v);
    }
    Station s;
    s.row = 1;
    s.xy = {500, 500};
    s.tech = Tech::G4;
    s.operator_name = "Viettel";
    s.site_id = "S1";
    s.range_m = 3000.0;
    p.stations.push_back(s);
    p.site_count = 1;
    return in;
}

// The default options. validate_config() is not for in-memory runs: it also asks for the
// input files' paths.
Config options() { return Config{}; }

} // namespace

TEST(Library, AnalysisOfInputsMadeInMemoryClassifiesEachVillage) {
    const AnalysisResult r = analyze(three_villages(), options(), Context{});
    for (ServiceClass cls : kServiceClasses) {
        const auto& status = r.classification.villages[index_of(cls)];
        ASSERT_EQ(status.size(), 3u);
        EXPECT_EQ(status[0].status, Status::Covered);
        EXPECT_EQ(status[1].status, Status::Covered);
        EXPECT_EQ(status[2].status, Status::White);
        EXPECT_DOUBLE_EQ(r.overlay.villages[index_of(cls)][1].share, 1.0);
        EXPECT_DOUBLE_EQ(r.overlay.villages[index_of(cls)][2].share, 0.0);
    }
    ASSERT_FALSE(r.summary.rows.empty());
    const ClassCounts& all = r.summary.rows.front().counts[index_of(ServiceClass::Any)];
    EXPECT_EQ(all.villages, 3);
    EXPECT_EQ(all.covered, 2);
    EXPECT_EQ(all.white, 1);
    EXPECT_EQ(r.ranking.gap_count, 1);
    ASSERT_EQ(r.summary.sites.size(), 1u);
    EXPECT_EQ(r.summary.sites.front().sites, 1);
}

TEST(Library, TheOutputLayersInMemoryHaveTheWrittenFieldsValuesAndWkbGeometries) {
    Inputs in = three_villages();
    in.prepared.village_fields = {{"name", FieldType::String}, {"status_any", FieldType::String}};
    for (auto& v : in.prepared.villages)
        v.values = {Value(v.id), Value(std::string("from the input"))};
    const AnalysisResult r = analyze(std::move(in), options(), Context{});
    const std::vector<LayerTable> tables = output_tables(OutputSet{&r});
    std::vector<std::string> names;
    for (const auto& t : tables)
        names.push_back(t.name);
    EXPECT_EQ(names, output_layer_names({}));

    const LayerTable& villages = tables.front();
    const LayerInfo info = output_layers({}).front();
    ASSERT_EQ(villages.rows, 3u);
    ASSERT_EQ(villages.fields.size(), 2 + info.columns.size());
    ASSERT_EQ(villages.values.size(), villages.fields.size());
    EXPECT_EQ(villages.fields[0], "name");
    EXPECT_EQ(villages.fields[1], "status_any_in"); // the output's own status_any has the name
    for (std::size_t k = 0; k < info.columns.size(); ++k)
        EXPECT_EQ(villages.fields[2 + k], info.columns[k].name);
    const auto text = [&](const std::string& field, std::size_t row) {
        const auto k = static_cast<std::size_t>(
            std::find(villages.fields.begin(), villages.fields.end(), field) -
            villages.fields.begin());
        return std::get<std::string>(villages.values.at(k).at(row));
    };
    EXPECT_EQ(text("name", 2), "C");
    EXPECT_EQ(text("status_any_in", 0), "from the input");
    EXPECT_EQ(text("status_any", 0), "covered");
    EXPECT_EQ(text("status_broadband", 2), "white");
    ASSERT_EQ(villages.wkb.size(), 3u);
    for (const std::string& wkb : villages.wkb) {
        ASSERT_GE(wkb.size(), 5u);
        EXPECT_EQ(wkb[0], '\x01'); // little-endian
        EXPECT_EQ(wkb[1], '\x06'); // MultiPolygon
    }
    const LayerTable& summary = tables[3];
    EXPECT_EQ(summary.geometry, GeometryType::None);
    EXPECT_TRUE(summary.wkb.empty());
    EXPECT_EQ(summary.rows, r.summary.rows.size());
}

TEST(Library, AnalysisGivesTheSameResultsWithOneAndFourThreads) {
    Context one, four;
    four.threads = 4;
    const AnalysisResult a = analyze(three_villages(), options(), one);
    const AnalysisResult b = analyze(three_villages(), options(), four);
    for (ServiceClass cls : kServiceClasses)
        for (std::size_t v = 0; v < 3; ++v) {
            EXPECT_EQ(a.overlay.villages[index_of(cls)][v].share,
                      b.overlay.villages[index_of(cls)][v].share);
            EXPECT_EQ(a.classification.villages[index_of(cls)][v].status,
                      b.classification.villages[index_of(cls)][v].status);
        }
}

TEST(Library, EachStageLogsOneLineThroughTheContext) {
    std::vector<std::string> lines;
    Context ctx;
    ctx.log.info = [&](std::string_view m) { lines.emplace_back(m); };
    analyze(three_villages(), options(), ctx);
    for (const char* stage : {"coverage:", "overlay:", "classify:", "rank:", "report:"})
        EXPECT_TRUE(std::any_of(lines.begin(), lines.end(), [&](const std::string& l) {
            return l.rfind(stage, 0) == 0;
        })) << stage;
}

namespace {

// run_and_write() with `config` on one thread and on two: on two the coverage polygons are made
// while the other layers are written, and the -v line `made` ("coverage: dissolved per class
// in", …) says so before the write's; what it returns and what it writes are the coverage one
// thread makes before the write, the layer in its place among the layers.
void expect_coverage_beside_the_write_as_one_threads(Config config, std::string_view made) {
    const test::TempDir tmp;
    Context one, two;
    two.threads = 2;
    std::vector<std::string> lines;
    two.log.info = [&](std::string_view m) { lines.emplace_back(m); };
    config.write.path = tmp.file("one.gpkg");
    const AnalysisResult a = run_and_write(config, one);
    config.write.path = tmp.file("two.gpkg");
    const AnalysisResult b = run_and_write(config, two);
    for (ServiceClass cls : kServiceClasses) {
        const MultiPolygon& p = a.coverage[index_of(cls)];
        const MultiPolygon& q = b.coverage[index_of(cls)];
        ASSERT_FALSE(q.empty()) << to_string(cls);
        EXPECT_TRUE(test::same_area(p, q)) << to_string(cls);
    }
    EXPECT_EQ(test::layer_names(tmp.file("two.gpkg")), test::layer_names(tmp.file("one.gpkg")));
    EXPECT_EQ(test::layer_names(tmp.file("two.gpkg"))[1], "coverage");
    const auto written = test::read_layer_features(tmp.file("two.gpkg"), "coverage");
    const auto reference = test::read_layer_features(tmp.file("one.gpkg"), "coverage");
    ASSERT_EQ(written.size(), 2u);
    ASSERT_EQ(reference.size(), 2u);
    for (std::size_t k = 0; k < 2; ++k) {
        EXPECT_EQ(written[k].fields, reference[k].fields);
        EXPECT_EQ(written[k].wkt, reference[k].wkt);
    }
    const auto at = [&](std::string_view prefix) {
        return std::find_if(lines.begin(), lines.end(),
                            [&](const std::string& l) { return l.rfind(prefix, 0) == 0; });
    };
    ASSERT_NE(at(made), lines.end());
    EXPECT_NE(at(made)->find("beside the write"), std::string::npos);
    EXPECT_LT(at(made), at("write:"));
}

} // namespace

// Without a DEM the footprints are dissolved beside the write.
TEST(Library, RunAndWriteOnTwoThreadsReturnsAndWritesTheCoverageOfOneThread) {
    Config config;
    config.stations.path = test::sample_path("stations.csv");
    config.villages.path = test::sample_path("villages.gpkg");
    expect_coverage_beside_the_write_as_one_threads(config, "coverage: dissolved per class in");
}

// With a DEM (the terrain mode) the covered cells are polygonized beside the write.
TEST(Library, RunAndWriteOnTwoThreadsPolygonizesTheCoveredCellsBesideTheWrite) {
    Config config;
    config.stations.path = test::sample_path("stations.csv");
    config.villages.path = test::sample_path("villages.gpkg");
    config.dem = test::sample_path("dem.tif");
    expect_coverage_beside_the_write_as_one_threads(config, "coverage: polygonized per class in");
}

// With two threads run_and_write() writes a GeoPackage's stations layer while the stages after
// the overlay run, the other layers after them (docs/performance.md, "The stations layer
// beside the analysis"): every layer is what one thread writes, in the same order.
TEST(Library, RunAndWriteOnTwoThreadsWritesEveryLayerAsOneThreadDoes) {
    const test::TempDir tmp;
    Config config;
    config.stations.path = test::sample_path("stations.csv");
    config.villages.path = test::sample_path("villages.gpkg");
    Context one, two;
    two.threads = 2;
    config.write.path = tmp.file("one.gpkg");
    run_and_write(config, one);
    config.write.path = tmp.file("two.gpkg");
    run_and_write(config, two);
    const auto layers = test::layer_names(tmp.file("one.gpkg"));
    EXPECT_EQ(test::layer_names(tmp.file("two.gpkg")), layers);
    for (const std::string& layer : layers) {
        if (layer == "provenance" || layer == "layer_styles")
            continue; // the command's time and threads
        const auto written = test::read_layer_features(tmp.file("two.gpkg"), layer);
        const auto reference = test::read_layer_features(tmp.file("one.gpkg"), layer);
        ASSERT_EQ(written.size(), reference.size()) << layer;
        ASSERT_FALSE(written.empty()) << layer;
        for (std::size_t k = 0; k < written.size(); ++k) {
            EXPECT_EQ(written[k].wkt, reference[k].wkt) << layer << " " << k;
            EXPECT_EQ(written[k].fields, reference[k].fields) << layer << " " << k;
        }
    }
}

// run_and_write() moves the villages' polygons into a temporary file once the overlay has
// run (docs/performance.md, "The villages' polygons on disk"): it writes, and village_area()
// gives back, the polygons analyze() holds. Without a usable temporary folder they stay in
// memory, it says so with -v, and the output is the same.
TEST(Library, RunAndWriteWritesTheVillagesPolygonsItMovedToATemporaryFile) {
    const test::TempDir tmp;
    Config config;
    config.stations.path = test::sample_path("stations.csv");
    config.villages.path = test::sample_path("villages.gpkg");
    std::vector<std::string> lines;
    Context ctx;
    ctx.log.info = [&](std::string_view m) { lines.emplace_back(m); };
    const auto said = [&](std::string_view prefix) {
        return std::any_of(lines.begin(), lines.end(),
                           [&](const std::string& l) { return l.rfind(prefix, 0) == 0; });
    };
    config.write.path = tmp.file("spilled.gpkg");
    const AnalysisResult spilled = run_and_write(config, ctx);
    ASSERT_TRUE(spilled.spilled_areas);
    EXPECT_TRUE(said("villages: polygons moved to a temporary file ("));
    const AnalysisResult held = run_analysis(config, Context{});
    ASSERT_FALSE(held.spilled_areas);
    ASSERT_EQ(spilled.inputs.villages.size(), held.inputs.villages.size());
    std::size_t polygons = 0;
    for (std::size_t i = 0; i < held.inputs.villages.size(); ++i) {
        const Village& v = held.inputs.villages[i];
        EXPECT_EQ(spilled.inputs.villages[i].is_point(), v.is_point()) << i;
        EXPECT_TRUE(test::same_area(village_area(spilled, i), v.area)) << i;
        EXPECT_TRUE(test::same_area(village_area(held, i), v.area)) << i;
        polygons += !v.is_point();
    }
    EXPECT_GT(polygons, 0u);

    lines.clear();
    config.write.path = tmp.file("held.gpkg");
    {
        const test::EnvVar no_folder("TMPDIR", tmp.file("missing"));
        EXPECT_FALSE(run_and_write(config, ctx).spilled_areas);
    }
    EXPECT_TRUE(said("villages: polygons kept in memory (cannot make a temporary file in '" +
                     tmp.file("missing") + "': No such file or directory)"));
    const auto written = test::read_layer_features(tmp.file("spilled.gpkg"), "villages");
    const auto reference = test::read_layer_features(tmp.file("held.gpkg"), "villages");
    ASSERT_EQ(written.size(), reference.size());
    ASSERT_EQ(written.size(), held.inputs.villages.size());
    for (std::size_t k = 0; k < written.size(); ++k) {
        EXPECT_EQ(written[k].wkt, reference[k].wkt) << k;
        EXPECT_EQ(written[k].fields, reference[k].fields) << k;
    }
}

TEST(Library, TheWhatIfOfPlannedStationsLeavesTheAnalysisAsItWas) {
    const Config config = options();
    AnalysisResult today = analyze(three_villages(), config, Context{});
    PlanInputs extra;
    Station planned;
    planned.row = 1;
    planned.xy = {10500, 500};
    planned.tech = Tech::G4;
    planned.site_id = "P1";
    planned.range_m = 3000.0;
    extra.planned = std::vector<Station>{planned};

    const PlanResult r = plan(std::move(today), extra, config, Context{});
    ASSERT_TRUE(r.whatif.has_value());
    EXPECT_EQ(r.whatif->planned_stations, 1u);
    EXPECT_EQ(r.whatif->rows.front().improved, 1); // C: white -> covered
    // The analysis keeps today's network and statuses.
    EXPECT_EQ(r.analysis.inputs.stations.size(), 1u);
    EXPECT_EQ(r.analysis.classification.villages[index_of(ServiceClass::Broadband)][2].status,
              Status::White);
}

TEST(Library, TheTrendOfAnAnalysisCountsEachYearsNetwork) {
    Inputs in = three_villages();
    in.prepared.stations[0].on_air_year = 2020;
    Station later = in.prepared.stations[0];
    later.row = 2;
    later.xy = {10500, 500};
    later.site_id = "S2";
    later.on_air_year = 2022;
    in.prepared.stations.push_back(later);
    const Config config = options();
    const AnalysisResult today = analyze(std::move(in), config, Context{});

    const Trend t = trend(today, TrendOptions{}, config, Context{});
    ASSERT_EQ(t.rows.size(), 3u); // 2020, 2021, 2022
    const auto white = [&](std::size_t i) {
        return t.rows[i].counts[index_of(ServiceClass::Broadband)].white;
    };
    EXPECT_EQ(white(0), 1);
    EXPECT_EQ(white(1), 1);
    EXPECT_EQ(white(2), 0);
    EXPECT_EQ(today.inputs.stations.size(), 2u); // the analysis is not changed
}

TEST(Library, YearsOutOfOrderNameTheOptionNotAFlag) {
    Inputs in = three_villages();
    in.prepared.stations[0].on_air_year = 2020;
    const Config config = options();
    const AnalysisResult today = analyze(std::move(in), config, Context{});
    TrendOptions o;
    o.from = 2023;
    try {
        trend(today, o, config, Context{});
        FAIL() << "did not throw";
    } catch (const OptionError& e) {
        EXPECT_EQ(e.option(), "trend.from");
        EXPECT_EQ(std::string(e.what()).find("--"), std::string::npos) << e.what();
    }
}

TEST(Library, VersionIsTheProjectVersion) {
    EXPECT_EQ(version(), WHITEZONE_VERSION_STRING);
    EXPECT_EQ(std::string(version()), std::to_string(WHITEZONE_VERSION_MAJOR) + "." +
                                          std::to_string(WHITEZONE_VERSION_MINOR));
}
