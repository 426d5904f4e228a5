// A GeoPackage's rows inserted through SQLite's own statements (report/sinks/gpkg_rows.hpp):
// the file holds what GDAL's CreateFeature writes for the same tables, value for value and
// blob for blob, with the same feature ids, counts, extents and triggers, and spatial indexes
// the same as those packed from the geometries read back; GDAL reads it back as its own.

#include "whitezone/error.hpp"

#include "gdal/gdal.hpp"
#include "report/sinks/gpkg_rows.hpp"
#include "report/sinks/gpkg_rtree.hpp"
#include "report/sinks/ogr_table.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <bit>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <sqlite3.h>
#include <string>
#include <vector>

namespace whitezone {
namespace {

namespace fs = std::filesystem;

// Every row of a query, each value with its SQLite type (so that two files compare exactly).
std::vector<std::string> typed_rows(const fs::path& file, const std::string& sql) {
    return test::sqlite_rows(file, sql, true);
}

// The GeoPackage style of the file sink: GDAL's own index off, "fid" and "geom" reserved, one
// transaction a layer, descriptions.
report::LayerStyle gpkg_style() {
    report::LayerStyle style;
    style.geometry_options = {"SPATIAL_INDEX=NO"};
    style.reserved = {"fid", "geom"};
    style.layer_transaction = true;
    style.descriptions = true;
    return style;
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

struct Tables {
    MultiPolygon empty;
    std::vector<report::Table> all;
};

// Tables of every geometry kind and value type the sinks write: points with rows without a
// geometry, lines, areas with holes and empty areas (the first row among them), an attribute
// table of integers, reals (NaN, infinities, -0), text (Vietnamese, quotes, empty) and NULLs,
// values of another type than their column's (OGR converts them; a 64-bit integer too large
// for a 32-bit column is clamped), carried input fields, and a table with no rows.
void make_tables(Tables& t) {
    report::Table points;
    points.info.name = "stations";
    points.info.geometry = GeometryType::Points;
    points.info.columns = {{"n", "n", ColumnType::Integer},
                           {"radius_m", "radius_m", ColumnType::Real}};
    points.carried = {{"site_id", FieldType::String}, {"fid", FieldType::Integer}};
    points.rows = 3000; // three batches and more
    points.fill = [](std::size_t i, report::Row& row) {
        row.values = {Value("BTS-" + std::to_string(i)), Value(static_cast<std::int64_t>(i * 7)),
                      Value(static_cast<std::int64_t>(i)),
                      Value(1000.0 / static_cast<double>(i + 1))};
        row.shape = {};
        if (i % 89 != 3) {
            row.shape.kind = report::Shape::Kind::Point;
            row.shape.a = {600000.0 + 31.7 * static_cast<double>(i % 997),
                           2350000.0 + 17.3 * static_cast<double>(i % 1009)};
        }
    };
    report::Table lines;
    lines.info.name = "backhaul";
    lines.info.geometry = GeometryType::Lines;
    lines.info.columns = {{"km", "km", ColumnType::Real}};
    lines.rows = 40;
    lines.fill = [](std::size_t i, report::Row& row) {
        row.values = {Value(0.5 * static_cast<double>(i))};
        row.shape = {};
        row.shape.kind = report::Shape::Kind::Line;
        row.shape.a = {700000.0 + static_cast<double>(i), 2400000.0};
        row.shape.b = {700500.0, 2400000.0 - 13.0 * static_cast<double>(i)};
    };
    report::Table areas;
    areas.info.name = "làng xã";
    areas.info.geometry = GeometryType::Polygons;
    areas.info.columns = {{"tên", "ten", ColumnType::String}};
    areas.rows = 1500;
    areas.fill = [&t](std::size_t i, report::Row& row) {
        row.values = {Value("Làng " + std::to_string(i))};
        row.shape = {};
        row.shape.kind = report::Shape::Kind::Area;
        if (i == 0 || i % 101 == 7) {
            row.shape.area = &t.empty;
            return;
        }
        const XY c{610000.0 + 97.1 * static_cast<double>(i),
                   2360000.0 + 53.9 * static_cast<double>(i % 700)};
        const double r = 50.0 + 0.123456789 * static_cast<double>(i);
        Polygon outer = test::regular_polygon(c, r, 5 + static_cast<int>(i % 7));
        if (i % 3 == 0)
            outer.rings.push_back(test::regular_polygon(c, r / 3, 4).rings[0]);
        row.shape.owned = {outer};
        if (i % 5 == 0)
            row.shape.owned.push_back(test::regular_polygon({c.x + 3 * r, c.y}, r / 2, 6));
        row.shape.area = &row.shape.owned;
    };
    report::Table values;
    values.info.name = "summary";
    values.info.geometry = GeometryType::None;
    values.info.columns = {{"level", "level", ColumnType::String},
                           {"villages", "villages", ColumnType::Integer},
                           {"people", "people", ColumnType::Integer64},
                           {"share", "share", ColumnType::Real}};
    const std::vector<Value> texts = {Value("xã Hữu Kiên"),
                                      Value("it's \"quoted\""),
                                      Value(""),
                                      Value(std::monostate{}),
                                      Value(static_cast<std::int64_t>(5)),
                                      Value(2.5)};
    const std::vector<Value> integers = {Value(static_cast<std::int64_t>(-3)),
                                         Value(static_cast<std::int64_t>(2147483647)),
                                         Value(std::monostate{}),
                                         Value("42"),
                                         Value(7.9),
                                         Value(static_cast<std::int64_t>(0)),
                                         Value(std::int64_t{1} << 40)};
    const std::vector<Value> big = {Value(static_cast<std::int64_t>(9007199254740993)),
                                    Value(std::numeric_limits<std::int64_t>::min()),
                                    Value("123456789012"),
                                    Value(std::monostate{}),
                                    Value(-1.5),
                                    Value(static_cast<std::int64_t>(1))};
    const std::vector<Value> reals = {
        Value(kNaN), Value(kInf),   Value(-kInf), Value(-0.0),
        Value(0.1),  Value("3.25"), Value(1e308), Value(static_cast<std::int64_t>(3))};
    values.rows = 48;
    values.fill = [=](std::size_t i, report::Row& row) {
        row.values = {texts[i % texts.size()], integers[i % integers.size()], big[i % big.size()],
                      reals[i % reals.size()]};
        row.shape = {};
    };
    report::Table none;
    none.info.name = "sites";
    none.info.geometry = GeometryType::Polygons;
    none.info.columns = {{"n", "n", ColumnType::Integer}};
    none.rows = 0;
    none.fill = [](std::size_t, report::Row&) {};
    t.all = {points, lines, areas, values, none};
}

// A feature as GDAL reads it: its id, its values as text, its geometry as ISO WKB in hex.
std::string as_read(const OGRFeature& f) {
    std::string out = std::to_string(f.GetFID());
    for (int k = 0; k < f.GetFieldCount(); ++k)
        out += std::string(" | ") + (f.IsFieldSetAndNotNull(k) ? f.GetFieldAsString(k) : "NULL");
    if (const OGRGeometry* g = f.GetGeometryRef()) {
        std::vector<unsigned char> wkb(g->WkbSize());
        g->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
        out += " | ";
        for (const unsigned char b : wkb) {
            char hex[3];
            std::snprintf(hex, sizeof hex, "%02x", b);
            out += hex;
        }
    }
    return out;
}

GDALDatasetUniquePtr create(const fs::path& file) {
    gdal::ensure_initialised();
    GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GPKG")->Create(
        file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    EXPECT_TRUE(ds);
    return ds;
}

// `tables` written by GDAL, row by row with CreateFeature, and their spatial indexes packed
// from the geometries read back.
void write_with_gdal(const fs::path& file, const std::vector<report::Table>& tables,
                     OGRSpatialReference& srs) {
    GDALDatasetUniquePtr ds = create(file);
    for (const report::Table& t : tables)
        report::write_table(*ds, t, &srs, gpkg_style(), "write", "A layer");
    gdal::close_checked(ds, "test");
    report::build_gpkg_rtrees(file, "write");
}

// `tables` in layers GDAL makes, their rows through GpkgRows on `threads` threads.
void write_with_sqlite(const fs::path& file, const std::vector<report::Table>& tables,
                       OGRSpatialReference& srs, int threads) {
    GDALDatasetUniquePtr ds = create(file);
    std::vector<report::TableLayer> made;
    std::vector<OGRFeatureDefn*> defns;
    for (const report::Table& t : tables) {
        made.push_back(report::create_table_layer(*ds, t, &srs, gpkg_style(), "write", "A layer"));
        ASSERT_EQ(made.back().layer->SyncToDisk(), OGRERR_NONE);
        defns.push_back(made.back().layer->GetLayerDefn());
        defns.back()->Reference();
    }
    gdal::close_checked(ds, "test");
    {
        report::GpkgRows rows(file, "write");
        for (std::size_t k = 0; k < tables.size(); ++k)
            rows.fill(tables[k], *defns[k], made[k].written, gpkg_style(), {}, threads);
    }
    for (OGRFeatureDefn* defn : defns)
        defn->Release();
}

// The tables, and the file GDAL writes of them.
class GpkgRowsFile : public ::testing::Test {
  protected:
    void SetUp() override {
        make_tables(t);
        srs.importFromEPSG(32648);
        write_with_gdal(gdal_file, t.all, srs);
    }
    test::TempDir tmp;
    Tables t;
    OGRSpatialReference srs;
    const fs::path gdal_file = tmp.path() / "gdal.gpkg";
};

TEST_F(GpkgRowsFile, HoldsWhatGdalsCreateFeatureWritesValueForValue) {
    for (const int threads : {1, 2}) {
        SCOPED_TRACE(threads);
        const fs::path ours = tmp.path() / ("ours" + std::to_string(threads) + ".gpkg");
        write_with_sqlite(ours, t.all, srs, threads);
        for (const report::Table& table : t.all) {
            SCOPED_TRACE(table.info.name);
            const std::string all = "SELECT * FROM \"" + table.info.name + "\" ORDER BY 1";
            const std::vector<std::string> expected = typed_rows(gdal_file, all);
            EXPECT_EQ(expected.size(), table.rows);
            EXPECT_EQ(typed_rows(ours, all), expected);
            if (table.info.geometry == GeometryType::None)
                continue;
            // The spatial index, from the boxes gathered as the rows went in.
            const std::string rtree = "rtree_" + table.info.name + "_geom";
            EXPECT_EQ(typed_rows(ours, "SELECT rtreecheck('" + rtree + "')"),
                      std::vector<std::string>{"t'ok'"});
            for (const char* shadow : {"_node", "_rowid", "_parent"}) {
                const std::string nodes = "SELECT * FROM \"" + rtree + shadow + "\" ORDER BY 1";
                EXPECT_EQ(typed_rows(ours, nodes), typed_rows(gdal_file, nodes)) << shadow;
            }
        }
        for (const char* sql :
             {"SELECT table_name, data_type, identifier, description, min_x, min_y, max_x, "
              "max_y, srs_id FROM gpkg_contents ORDER BY 1",
              "SELECT * FROM gpkg_ogr_contents ORDER BY 1",
              "SELECT * FROM gpkg_geometry_columns ORDER BY 1",
              "SELECT * FROM sqlite_sequence ORDER BY 1",
              "SELECT * FROM gpkg_extensions ORDER BY 1",
              "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY 2"})
            EXPECT_EQ(typed_rows(ours, sql), typed_rows(gdal_file, sql)) << sql;
        // The last change is the write's.
        EXPECT_EQ(typed_rows(ours, "SELECT count(*) FROM gpkg_contents WHERE last_change < "
                                   "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 minute')"),
                  std::vector<std::string>{"i0"});
    }
}

TEST_F(GpkgRowsFile, GdalReadsTheCountsExtentsAndFeaturesBackAndAddsRowsAfterThem) {
    const fs::path ours = tmp.path() / "ours.gpkg";
    write_with_sqlite(ours, t.all, srs, 2);
    GDALDatasetUniquePtr expected(GDALDataset::Open(gdal_file.c_str(), GDAL_OF_VECTOR));
    GDALDatasetUniquePtr ds(GDALDataset::Open(ours.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    ASSERT_TRUE(expected && ds);
    ASSERT_EQ(ds->GetLayerCount(), expected->GetLayerCount());
    for (int i = 0; i < ds->GetLayerCount(); ++i) {
        OGRLayer* a = ds->GetLayer(i);
        OGRLayer* b = expected->GetLayer(i);
        SCOPED_TRACE(a->GetName());
        EXPECT_STREQ(a->GetName(), b->GetName());
        EXPECT_EQ(a->GetFeatureCount(FALSE), b->GetFeatureCount(FALSE));
        OGREnvelope ea, eb;
        EXPECT_EQ(a->GetExtent(&ea, FALSE), b->GetExtent(&eb, FALSE));
        EXPECT_TRUE(ea == eb);
        for (OGRFeatureUniquePtr fa{a->GetNextFeature()}; fa; fa.reset(a->GetNextFeature())) {
            OGRFeatureUniquePtr fb{b->GetNextFeature()};
            ASSERT_TRUE(fb);
            EXPECT_EQ(as_read(*fa), as_read(*fb));
        }
    }
    // A GIS adds a row: GDAL's feature-count trigger is back and counts it.
    OGRLayer* sites = ds->GetLayerByName("sites");
    OGRFeature f(sites->GetLayerDefn());
    f.SetField(0, 9);
    ASSERT_EQ(sites->CreateFeature(&f), OGRERR_NONE);
    EXPECT_EQ(f.GetFID(), 1);
    gdal::close_checked(ds, "test");
    EXPECT_EQ(typed_rows(ours, "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = "
                               "'sites'"),
              std::vector<std::string>{"i1"});
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(ours.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(
        sqlite3_exec(db, "INSERT INTO summary (level) VALUES ('x')", nullptr, nullptr, nullptr),
        SQLITE_OK);
    sqlite3_close(db);
    EXPECT_EQ(typed_rows(ours, "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = "
                               "'summary'"),
              std::vector<std::string>{"i49"});
}

TEST(GpkgRows, ALayerThatIsNotTheOneMadeForTheTableIsAnErrorNamingIt) {
    test::TempDir tmp;
    Tables t;
    make_tables(t);
    OGRSpatialReference srs;
    srs.importFromEPSG(32648);
    const fs::path file = tmp.path() / "ours.gpkg";
    write_with_sqlite(file, {t.all[3]}, srs, 1);
    // The areas' table where only the summary was made.
    GDALDatasetUniquePtr ds = create(tmp.path() / "other.gpkg");
    const report::TableLayer made =
        report::create_table_layer(*ds, t.all[2], &srs, gpkg_style(), "write");
    report::GpkgRows rows(file, "write");
    try {
        rows.fill(t.all[2], *made.layer->GetLayerDefn(), made.written, gpkg_style(), {}, 1);
        FAIL() << "no error";
    } catch (const ExternalError& e) {
        EXPECT_NE(std::string(e.what()).find("layer 'làng xã'"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("ours.gpkg"), std::string::npos) << e.what();
    }
}

} // namespace
} // namespace whitezone
