// End-to-end: administrative units and operators. The real 2009 communes of Lạng Sơn
// (../shared/data/vn_lang_son_sample/) reported in the real 2025 communes, whose points are
// turned into unit polygons here (Voronoi cells clipped to the 2009 communes' hull); codes
// that keep same-named communes apart; the operators reaching each village and the
// summary_operators table.

#include "e2e/e2e.hpp"

#include <cpl_conv.h>
#include <gdal.h>
#include <geos_c.h>
#include <gtest/gtest.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <map>
#include <memory>
#include <set>

namespace whitezone::test::e2e {
namespace {

const std::string kSample = "/work/shared/data/vn_lang_son_sample/";

struct Geos {
    GEOSContextHandle_t h = GEOS_init_r();
    ~Geos() { GEOS_finish_r(h); }
};

// The geometries and (text) fields of a layer, geometries as GEOS objects.
struct Read {
    std::vector<GEOSGeometry*> geoms;
    std::vector<std::map<std::string, std::string>> fields;
};

Read read(const Geos& g, const std::string& path) {
    Read out;
    GDALAllRegister();
    GDALDatasetH ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
    if (!ds)
        throw std::runtime_error("cannot open " + path);
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    GEOSWKTReader* reader = GEOSWKTReader_create_r(g.h);
    while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
        char* wkt = nullptr;
        OGR_G_ExportToWkt(OGR_F_GetGeometryRef(f), &wkt);
        out.geoms.push_back(GEOSWKTReader_read_r(g.h, reader, wkt));
        CPLFree(wkt);
        std::map<std::string, std::string> values;
        for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i)
            values[OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i))] = OGR_F_GetFieldAsString(f, i);
        out.fields.push_back(std::move(values));
        OGR_F_Destroy(f);
    }
    GEOSWKTReader_destroy_r(g.h, reader);
    GDALClose(ds);
    return out;
}

// The 2025 communes as polygons: the Voronoi cells of their points, clipped to the convex
// hull of the 2009 communes, with `code` and `name` (and level "commune"), as GeoJSON.
std::string units_2025(const TempDir& tmp) {
    const Geos g;
    const Read points = read(g, kSample + "communes2025_points.geojson");
    Read communes = read(g, kSample + "communes_census2009.geojson");
    GEOSGeometry* all_communes =
        GEOSGeom_createCollection_r(g.h, GEOS_GEOMETRYCOLLECTION, communes.geoms.data(),
                                    static_cast<unsigned>(communes.geoms.size()));
    GEOSGeometry* hull = GEOSConvexHull_r(g.h, all_communes);
    std::vector<GEOSGeometry*> copies;
    for (GEOSGeometry* p : points.geoms)
        copies.push_back(GEOSGeom_clone_r(g.h, p));
    GEOSGeometry* multipoint = GEOSGeom_createCollection_r(g.h, GEOS_MULTIPOINT, copies.data(),
                                                           static_cast<unsigned>(copies.size()));
    GEOSGeometry* cells = GEOSVoronoiDiagram_r(g.h, multipoint, hull, 0.0, 0);

    std::string json = R"({"type": "FeatureCollection", "crs": {"type": "name", "properties": )"
                       R"({"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}, "features": [)";
    GEOSWKTWriter* writer = GEOSWKTWriter_create_r(g.h);
    GEOSWKTWriter_setRoundingPrecision_r(g.h, writer, 6);
    bool first = true;
    for (int c = 0; c < GEOSGetNumGeometries_r(g.h, cells); ++c) {
        const GEOSGeometry* cell = GEOSGetGeometryN_r(g.h, cells, c);
        GEOSGeometry* clipped = GEOSIntersection_r(g.h, cell, hull);
        const bool polygon =
            GEOSisEmpty_r(g.h, clipped) == 0 && GEOSGeomTypeId_r(g.h, clipped) == GEOS_POLYGON;
        for (std::size_t p = 0; polygon && p < points.geoms.size(); ++p) {
            if (GEOSContains_r(g.h, cell, points.geoms[p]) != 1)
                continue;
            // GeoJSON from the clipped cell's outer ring.
            const GEOSGeometry* ring = GEOSGetExteriorRing_r(g.h, clipped);
            const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(g.h, ring);
            unsigned n = 0;
            GEOSCoordSeq_getSize_r(g.h, seq, &n);
            std::string coords;
            for (unsigned k = 0; k < n; ++k) {
                double x = 0, y = 0;
                GEOSCoordSeq_getX_r(g.h, seq, k, &x);
                GEOSCoordSeq_getY_r(g.h, seq, k, &y);
                coords += (k ? ", [" : "[") + std::to_string(x) + ", " + std::to_string(y) + "]";
            }
            json += std::string(first ? "" : ",") +
                    R"({"type": "Feature", "properties": {"code": ")" +
                    points.fields[p].at("code") + R"(", "name": ")" + points.fields[p].at("name") +
                    R"(", "level": "commune", "parent_code": "20"}, "geometry": )"
                    R"({"type": "Polygon", "coordinates": [[)" +
                    coords + "]]}}";
            first = false;
        }
        GEOSGeom_destroy_r(g.h, clipped);
    }
    json += "]}";
    GEOSWKTWriter_destroy_r(g.h, writer);
    GEOSGeom_destroy_r(g.h, cells);
    GEOSGeom_destroy_r(g.h, multipoint);
    GEOSGeom_destroy_r(g.h, hull);
    GEOSGeom_destroy_r(g.h, all_communes);
    for (GEOSGeometry* p : points.geoms)
        GEOSGeom_destroy_r(g.h, p);
    return tmp.write("units2025.geojson", json);
}

long integer(const OutFeature& f, const std::string& field) {
    return static_cast<long>(f.number(field));
}

// The operators of a comma-separated list.
std::set<std::string> split(const std::string& list) {
    std::set<std::string> out;
    std::size_t start = 0;
    while (start < list.size()) {
        const std::size_t end = std::min(list.find(',', start), list.size());
        out.insert(list.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

TEST(Units, The2009CommunesOfLangSonAreCountedInThe2025CommunesMadeFromTheirRealPoints) {
    TempDir tmp;
    const std::string units = units_2025(tmp);
    const std::string config = tmp.write(
        "config.json", R"({"villages": {"fields": {"name": "commune_vn", "commune": "commune_vn",
                         "district": "district_vn", "province": "province_vn"}}})");
    const std::string out = tmp.file("out.gpkg");
    const RunResult r = run_in_process({"analyze", "--stations", sample_path("stations.csv"),
                                        "--villages", kSample + "communes_census2009.geojson",
                                        "--units", units, "--config", config, "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;

    const auto villages = read_layer_features(out, "villages");
    ASSERT_EQ(villages.size(), 226u);
    std::map<std::string, long> per_unit;
    std::set<std::string> names;
    for (const auto& v : villages) {
        EXPECT_FALSE(v.text("unit_code").empty()) << v.text("commune_vn");
        EXPECT_EQ(v.text("flags").find("outside_units"), std::string::npos);
        ++per_unit[v.text("unit_code")];
        names.insert(v.text("unit_name"));
    }
    EXPECT_TRUE(names.count("Bắc Sơn")) << "Vietnamese names survive";
    EXPECT_TRUE(names.count("Đồng Đăng"));

    const auto summary = read_layer_features(out, "summary");
    const OutFeature& all = find_feature(summary, "level", "all");
    EXPECT_EQ(integer(all, "villages"), 226);
    EXPECT_EQ(integer(all, "flag_outside_units"), 0);
    long in_units = 0, unit_rows = 0;
    for (const auto& row : summary) {
        if (row.text("level") != "unit")
            continue;
        ++unit_rows;
        in_units += integer(row, "villages");
        EXPECT_EQ(integer(row, "villages"), per_unit[row.text("unit_code")])
            << row.text("unit_name");
        EXPECT_EQ(row.text("unit_level"), "commune");
        EXPECT_EQ(row.text("parent_code"), "20");
        EXPECT_EQ(row.text("province"), "Lạng Sơn");
        EXPECT_EQ(integer(row, "covered_any") + integer(row, "partial_any") +
                      integer(row, "white_any"),
                  integer(row, "villages"));
    }
    EXPECT_EQ(in_units, 226) << "every village in one unit";
    EXPECT_EQ(unit_rows, static_cast<long>(per_unit.size()));
    EXPECT_GT(unit_rows, 40);
    // Communes of one name in two districts stay two rows: their codes differ.
    long hoang_van_thu = 0;
    for (const auto& row : summary)
        hoang_van_thu +=
            row.text("level") == "commune" && row.text("commune") == "Phường Hoàng Văn Thụ";
    EXPECT_EQ(hoang_van_thu, 1);
    std::set<std::string> commune_codes;
    for (const auto& row : summary) {
        if (row.text("level") == "commune") {
            EXPECT_TRUE(commune_codes.insert(row.text("commune_code")).second);
        }
    }
    EXPECT_EQ(commune_codes.size(), 226u);
    // The console lists the units under the province (--units given, level auto).
    EXPECT_NE(r.out.find("  Bắc Sơn"), std::string::npos) << r.out;

    // Per operator: the table's counts are the villages layer's.
    const auto ops = read_layer_features(out, "summary_operators");
    ASSERT_FALSE(ops.empty());
    for (const auto& row : ops) {
        long any = 0, bb = 0, only_any = 0, only_bb = 0;
        for (const auto& v : villages) {
            if (row.text("level") == "unit" && v.text("unit_code") != row.text("unit_code"))
                continue;
            if (row.text("level") == "district" &&
                v.text("district_id") != row.text("district_code"))
                continue;
            if (row.text("level") == "commune" && v.text("commune_id") != row.text("commune_code"))
                continue;
            const auto a = split(v.text("operators_any")), b = split(v.text("operators_broadband"));
            EXPECT_EQ(static_cast<long>(a.size()), integer(v, "operators_any_count"));
            EXPECT_EQ(static_cast<long>(b.size()), integer(v, "operators_broadband_count"));
            any += a.count(row.text("operator"));
            bb += b.count(row.text("operator"));
            only_any += a.size() == 1 && a.count(row.text("operator"));
            only_bb += b.size() == 1 && b.count(row.text("operator"));
        }
        const std::string what = row.text("level") + " " + row.text("unit_code") +
                                 row.text("commune_code") + " " + row.text("operator");
        EXPECT_EQ(integer(row, "villages_any"), any) << what;
        EXPECT_EQ(integer(row, "villages_broadband"), bb) << what;
        EXPECT_EQ(integer(row, "only_any"), only_any) << what;
        EXPECT_EQ(integer(row, "only_broadband"), only_bb) << what;
    }
    // A village has signal at its centre exactly when some operator reaches it.
    for (const auto& v : villages)
        EXPECT_EQ(integer(v, "centre_any") == 1, integer(v, "operators_any_count") > 0);
}

// A village whose centre lies in no unit is flagged outside_units and counted in no unit's
// row; when no village lies in any unit, the units are of another area (or CRS): exit 2.
TEST(Units, VillagesOutsideEveryUnitAreFlaggedAndCountedInNoUnit) {
    TempDir tmp;
    // One unit holding every known village (tests/data/known_villages.geojson, UTM 48N), one
    // holding V1-V4 but not V5 (at 610,000, 2,410,000), and one far from all of them.
    const auto unit = [](const std::string& code, const std::string& ring) {
        return R"({"type": "Feature", "properties": {"ma": ")" + code +
               R"(", "ten": "Xã Một"}, "geometry": {"type": "Polygon", "coordinates": [[)" + ring +
               "]]}}";
    };
    const auto layer = [](const std::string& features) {
        return R"({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": )"
               R"("urn:ogc:def:crs:EPSG::32648"}}, "features": [)" +
               features + "]}";
    };
    const std::string all = tmp.write(
        "units.geojson", layer(unit("U1", "[590000, 2390000], [620000, 2390000], [620000, "
                                          "2420000], [590000, 2420000], [590000, 2390000]")));
    const std::string part = tmp.write(
        "part.geojson", layer(unit("U1", "[590000, 2390000], [605000, 2390000], [605000, "
                                         "2405000], [590000, 2405000], [590000, 2390000]")));
    const std::string far =
        tmp.write("far.geojson",
                  layer(unit("U2", "[100, 10], [200, 10], [200, 110], [100, 110], [100, 10]")));
    const std::string out = tmp.file("out.gpkg");
    RunResult r = run_in_process(known_args(out, {"--units", all}));
    ASSERT_EQ(r.code, 0) << r.err;
    for (const auto& v : read_layer_features(out, "villages")) {
        EXPECT_EQ(v.text("unit_code"), "U1");
        EXPECT_EQ(v.text("unit_name"), "Xã Một");
    }
    const std::string out2 = tmp.file("out2.gpkg");
    r = run_in_process(known_args(out2, {"--units", part}));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("flagged outside_units"), std::string::npos) << r.err;
    const auto villages = read_layer_features(out2, "villages");
    for (const auto& v : villages) {
        const bool v5 = v.text("village_id") == "V5";
        EXPECT_EQ(v.text("unit_code"), v5 ? "" : "U1") << v.text("village_id");
        EXPECT_EQ(v.text("flags").find("outside_units") != std::string::npos, v5);
    }
    const auto summary = read_layer_features(out2, "summary");
    EXPECT_EQ(integer(find_feature(summary, "level", "all"), "flag_outside_units"), 1);
    EXPECT_EQ(integer(find_feature(summary, "level", "unit"), "villages"),
              static_cast<long>(villages.size()) - 1);

    r = run_in_process(known_args(tmp.file("out3.gpkg"), {"--units", far}));
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("none of the 5 villages' centres lies in any of the 1 unit of --units"),
              std::string::npos)
        << r.err;
    EXPECT_FALSE(std::filesystem::exists(tmp.file("out3.gpkg")));
}

TEST(Units, AUnitsLayerOfPointsIsRefusedWithWhatToDo) {
    TempDir tmp;
    const std::string out = tmp.file("out.gpkg");
    const RunResult r =
        run_in_process({"analyze", "--stations", sample_path("stations.csv"), "--villages",
                        kSample + "communes_census2009.geojson", "--units",
                        kSample + "communes2025_points.geojson", "--out", out});
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("units must be polygons"), std::string::npos) << r.err;
}

TEST(Units, LevelChoosesWhatTheConsoleListsUnderTheProvince) {
    TempDir tmp;
    const std::string config = tmp.write(
        "config.json", R"({"villages": {"fields": {"name": "commune_vn", "commune": "commune_vn",
                         "district": "district_vn", "province": "province_vn"}}})");
    auto run = [&](const std::string& level) {
        std::vector<std::string> args{"analyze",
                                      "--stations",
                                      sample_path("stations.csv"),
                                      "--villages",
                                      kSample + "communes_census2009.geojson",
                                      "--config",
                                      config,
                                      "--out",
                                      tmp.file("out-" + level + ".gpkg")};
        if (!level.empty()) {
            args.push_back("--level");
            args.push_back(level);
        }
        return run_in_process(args);
    };
    const RunResult districts = run("");
    ASSERT_EQ(districts.code, 0) << districts.err;
    EXPECT_NE(districts.out.find("  Huyện Bắc Sơn"), std::string::npos) << districts.out;
    const RunResult communes = run("commune");
    ASSERT_EQ(communes.code, 0) << communes.err;
    EXPECT_NE(communes.out.find("  Phường Hoàng Văn Thụ"), std::string::npos) << communes.out;
    EXPECT_EQ(communes.out.find("  Huyện Bắc Sơn"), std::string::npos) << communes.out;
    const RunResult provinces = run("province");
    ASSERT_EQ(provinces.code, 0) << provinces.err;
    EXPECT_EQ(provinces.out.find("  Huyện Bắc Sơn"), std::string::npos) << provinces.out;
    const RunResult bad = run("hamlet");
    EXPECT_EQ(bad.code, 2);
    EXPECT_NE(bad.err.find("--level 'hamlet' is not known"), std::string::npos) << bad.err;
}

} // namespace
} // namespace whitezone::test::e2e
