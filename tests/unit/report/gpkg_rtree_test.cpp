// The GeoPackage spatial indexes packed in bulk (report/sinks/gpkg_rtree.hpp): SQLite's own
// check passes, the index holds exactly the boxes GDAL's row-by-row index holds, GDAL uses it
// for spatial filters, and it stays right when a GIS edits the layer afterwards (the
// standard's triggers on a packed tree).

#include "whitezone/error.hpp"

#include "gdal/gdal.hpp"
#include "report/sinks/gpkg_rtree.hpp"
#include "report/sinks/sink.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <map>
#include <random>
#include <set>
#include <sqlite3.h>
#include <string>
#include <tuple>
#include <vector>

namespace whitezone {
namespace {

namespace fs = std::filesystem;

// Query results as text rows (columns joined by '|').
std::vector<std::string> rows(const fs::path& file, const std::string& sql) {
    return test::sqlite_rows(file, sql);
}

// A GeoPackage of three layers with geometry, made by GDAL with or without its own index:
// 3,000 points (a tree of three levels at 51 cells a node) with NULL and empty geometries
// among them, 60 polygons and multipolygons, one layer of a single point, one empty layer.
void make(const fs::path& file, bool gdal_index) {
    gdal::ensure_initialised();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    GDALDatasetUniquePtr ds(driver->Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    ASSERT_TRUE(ds);
    OGRSpatialReference srs;
    srs.importFromEPSG(32648);
    const char* options[] = {gdal_index ? "SPATIAL_INDEX=YES" : "SPATIAL_INDEX=NO", nullptr};
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> x(600000.0, 750000.0);
    std::uniform_real_distribution<double> y(2350000.0, 2490000.0);
    OGRLayer* points = ds->CreateLayer("stations", &srs, wkbPoint, const_cast<char**>(options));
    for (int i = 0; i < 3000; ++i) {
        OGRFeature f(points->GetLayerDefn());
        if (i % 97 == 5) {
            OGRPoint empty;
            f.SetGeometry(&empty);
        } else if (i % 89 != 3) {
            OGRPoint p(x(rng), y(rng));
            f.SetGeometry(&p);
        }
        ASSERT_EQ(points->CreateFeature(&f), OGRERR_NONE);
    }
    OGRLayer* areas =
        ds->CreateLayer("làng xã", &srs, wkbMultiPolygon, const_cast<char**>(options));
    for (int i = 0; i < 60; ++i) {
        OGRFeature f(areas->GetLayerDefn());
        OGRMultiPolygon mp;
        for (int k = 0; k < 1 + i % 3; ++k) {
            const double cx = x(rng), cy = y(rng), r = 100.0 + 37.3 * k + 0.123456789 * i;
            OGRLinearRing ring;
            ring.addPoint(cx - r, cy - r);
            ring.addPoint(cx + r, cy - r * 0.7);
            ring.addPoint(cx + r * 1.3, cy + r);
            ring.addPoint(cx - r, cy - r);
            OGRPolygon polygon;
            polygon.addRing(&ring);
            mp.addGeometry(&polygon);
        }
        f.SetGeometry(&mp);
        ASSERT_EQ(areas->CreateFeature(&f), OGRERR_NONE);
    }
    OGRLayer* one = ds->CreateLayer("one", &srs, wkbPoint, const_cast<char**>(options));
    OGRFeature f(one->GetLayerDefn());
    OGRPoint p(650000.5, 2400000.25);
    f.SetGeometry(&p);
    ASSERT_EQ(one->CreateFeature(&f), OGRERR_NONE);
    ds->CreateLayer("none", &srs, wkbPolygon, const_cast<char**>(options));
    gdal::close_checked(ds, "test");
}

const std::vector<std::string> kTables = {"stations", "làng xã", "one", "none"};

std::string rtree(const std::string& table) { return "\"rtree_" + table + "_geom\""; }

TEST(GpkgRtree, PackedIndexIsWhatGdalBuildsRowByRowAndPassesSqlitesCheck) {
    test::TempDir tmp;
    const fs::path ours = tmp.path() / "packed.gpkg";
    const fs::path gdal = tmp.path() / "gdal.gpkg";
    make(ours, false);
    make(gdal, true);
    EXPECT_TRUE(rows(ours, "SELECT name FROM sqlite_master WHERE name LIKE 'rtree%'").empty());
    report::build_gpkg_rtrees(ours, "write");

    for (const std::string& t : kTables) {
        SCOPED_TRACE(t);
        EXPECT_EQ(rows(ours, "SELECT rtreecheck('rtree_" + t + "_geom')"),
                  std::vector<std::string>{"ok"});
        // Every row with a geometry, with its box rounded outward as SQLite rounds it.
        const std::string all = "SELECT * FROM " + rtree(t) + " ORDER BY id";
        EXPECT_EQ(rows(ours, all), rows(gdal, all));
        for (const std::string& sql :
             {"SELECT type, name, sql FROM sqlite_master WHERE tbl_name = '" + t +
                  "' AND type = 'trigger' ORDER BY name",
              "SELECT type, name, sql FROM sqlite_master WHERE name LIKE 'rtree_" + t +
                  "_geom%' ORDER BY name",
              "SELECT * FROM gpkg_extensions WHERE table_name = '" + t + "'"})
            EXPECT_EQ(rows(ours, sql), rows(gdal, sql)) << sql;
    }
    // The points: 3,000 less 31 empty and 33 NULL; three levels of nodes.
    EXPECT_EQ(rows(ours, "SELECT count(*) FROM rtree_stations_geom"),
              std::vector<std::string>{"2936"});
    EXPECT_EQ(rows(ours, "SELECT hex(substr(data, 1, 2)) FROM rtree_stations_geom_node WHERE "
                         "nodeno = 1"),
              std::vector<std::string>{"0002"});
    // A second call finds every layer indexed and changes nothing.
    const auto before = rows(ours, "SELECT count(*) FROM rtree_stations_geom_node");
    report::build_gpkg_rtrees(ours, "write");
    EXPECT_EQ(rows(ours, "SELECT count(*) FROM rtree_stations_geom_node"), before);
}

// The feature ids a spatial filter returns, and whether GDAL used an index for it.
std::set<GIntBig> filtered(OGRLayer* layer, double x0, double y0, double x1, double y1) {
    layer->SetSpatialFilterRect(x0, y0, x1, y1);
    std::set<GIntBig> ids;
    layer->ResetReading();
    while (OGRFeatureUniquePtr f{layer->GetNextFeature()})
        ids.insert(f->GetFID());
    layer->SetSpatialFilter(nullptr);
    return ids;
}

TEST(GpkgRtree, GdalFiltersThroughItAndItStaysRightWhenTheLayerIsEdited) {
    test::TempDir tmp;
    const fs::path file = tmp.path() / "packed.gpkg";
    make(file, false);
    report::build_gpkg_rtrees(file, "write");

    GDALDatasetUniquePtr ds(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    ASSERT_TRUE(ds);
    OGRLayer* layer = ds->GetLayerByName("stations");
    ASSERT_TRUE(layer);
    EXPECT_TRUE(layer->TestCapability(OLCFastSpatialFilter));
    // Against every point tested by hand.
    std::map<GIntBig, std::pair<double, double>> points;
    for (auto& f : *layer)
        if (const OGRGeometry* g = f->GetGeometryRef(); g && !g->IsEmpty())
            points[f->GetFID()] = {g->toPoint()->getX(), g->toPoint()->getY()};
    auto by_hand = [&](double x0, double y0, double x1, double y1) {
        std::set<GIntBig> ids;
        for (const auto& [fid, xy] : points)
            if (xy.first >= x0 && xy.first <= x1 && xy.second >= y0 && xy.second <= y1)
                ids.insert(fid);
        return ids;
    };
    const std::vector<std::tuple<double, double, double, double>> boxes = {
        {610000, 2360000, 640000, 2400000},
        {700000, 2450000, 760000, 2500000},
        {0, 0, 1e7, 1e7},
        {655000, 2420000, 655500, 2420500}};
    for (const auto& [x0, y0, x1, y1] : boxes)
        EXPECT_EQ(filtered(layer, x0, y0, x1, y1), by_hand(x0, y0, x1, y1));

    // Edits through GDAL: the triggers update the packed tree, SQLite splitting and merging
    // its full nodes.
    for (int i = 0; i < 400; ++i) {
        OGRFeature f(layer->GetLayerDefn());
        OGRPoint p(620000.0 + 10.0 * i, 2380000.0 + 7.0 * i);
        f.SetGeometry(&p);
        ASSERT_EQ(layer->CreateFeature(&f), OGRERR_NONE);
        points[f.GetFID()] = {p.getX(), p.getY()};
    }
    for (GIntBig fid = 1; fid <= 900; fid += 3) {
        ASSERT_EQ(layer->DeleteFeature(fid), OGRERR_NONE);
        points.erase(fid);
    }
    OGRFeatureUniquePtr moved(layer->GetFeature(1000));
    ASSERT_TRUE(moved && moved->GetGeometryRef());
    OGRPoint far(745000.0, 2485000.0);
    moved->SetGeometry(&far);
    ASSERT_EQ(layer->SetFeature(moved.get()), OGRERR_NONE);
    points[1000] = {far.getX(), far.getY()};
    for (const auto& [x0, y0, x1, y1] : boxes)
        EXPECT_EQ(filtered(layer, x0, y0, x1, y1), by_hand(x0, y0, x1, y1));
    EXPECT_EQ(filtered(layer, 744990, 2484990, 745010, 2485010).count(1000), 1U);
    gdal::close_checked(ds, "test");
    EXPECT_EQ(rows(file, "SELECT rtreecheck('rtree_stations_geom')"),
              std::vector<std::string>{"ok"});
    EXPECT_EQ(rows(file, "SELECT count(*) FROM rtree_stations_geom"),
              std::vector<std::string>{std::to_string(points.size())});
}

TEST(GpkgRtree, TheFileSinkIndexesEveryLayerWithGeometryAndNotATable) {
    test::TempDir tmp;
    const fs::path out = tmp.path() / "results.gpkg";
    auto table = [](std::string name, GeometryType geometry) {
        report::Table t;
        t.info.name = std::move(name);
        t.info.geometry = geometry;
        t.info.columns = {{"n", "n", ColumnType::Integer}};
        t.rows = 500;
        t.fill = [geometry](std::size_t i, report::Row& row) {
            row.values = {Value(static_cast<std::int64_t>(i))};
            if (geometry == GeometryType::Points) {
                row.shape.kind = report::Shape::Kind::Point;
                row.shape.a = {106.0 + 0.001 * static_cast<double>(i),
                               21.0 + 0.0003 * static_cast<double>(i)};
            }
        };
        return t;
    };
    report::make_file_sink(out.string(), OutputFormat::GeoPackage, false, "EPSG:4326", "write",
                           nullptr, false, {})
        ->write({table("cells", GeometryType::Points), table("counts", GeometryType::None)});
    EXPECT_EQ(rows(out, "SELECT table_name, column_name, extension_name FROM gpkg_extensions"),
              std::vector<std::string>{"cells|geom|gpkg_rtree_index"});
    EXPECT_EQ(rows(out, "SELECT rtreecheck('rtree_cells_geom'), count(*) FROM rtree_cells_geom"),
              std::vector<std::string>{"ok|500"});
    GDALDatasetUniquePtr ds(GDALDataset::Open(out.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(ds);
    EXPECT_TRUE(ds->GetLayerByName("cells")->TestCapability(OLCFastSpatialFilter));
    EXPECT_EQ(filtered(ds->GetLayerByName("cells"), 106.1, 20.0, 106.2, 22.0).size(), 101U);
}

// The sink gathers each row's cell as it inserts it (on two threads: the rows made beside
// the insertion), not reading the geometries back: the index is the one read back would give,
// node for node.
TEST(GpkgRtree, TheCellsGatheredAsTheRowsGoInMakeTheIndexReadingThemBackMakes) {
    test::TempDir tmp;
    const fs::path out = tmp.path() / "results.gpkg";
    MultiPolygon empty;
    report::Table points;
    points.info.name = "stations";
    points.info.geometry = GeometryType::Points;
    points.info.columns = {{"n", "n", ColumnType::Integer}};
    points.rows = 5000;
    points.fill = [](std::size_t i, report::Row& row) {
        row.values = {Value(static_cast<std::int64_t>(i))};
        row.shape = {};
        if (i % 89 != 3) { // some rows without a geometry
            row.shape.kind = report::Shape::Kind::Point;
            row.shape.a = {600000.0 + 31.7 * static_cast<double>(i % 997),
                           2350000.0 + 17.3 * static_cast<double>(i % 1009)};
        }
    };
    report::Table areas;
    areas.info.name = "làng xã";
    areas.info.geometry = GeometryType::Polygons;
    areas.info.columns = {{"n", "n", ColumnType::Integer}};
    areas.rows = 1500;
    areas.fill = [&empty](std::size_t i, report::Row& row) {
        row.values = {Value(static_cast<std::int64_t>(i))};
        row.shape = {};
        row.shape.kind = report::Shape::Kind::Area;
        if (i % 101 == 7) { // an empty geometry: no cell
            row.shape.area = &empty;
            return;
        }
        const double r = 50.0 + 0.123456789 * static_cast<double>(i);
        row.shape.owned = {test::regular_polygon({610000.0 + 97.1 * static_cast<double>(i),
                                                  2360000.0 + 53.9 * static_cast<double>(i % 700)},
                                                 r, 5 + static_cast<int>(i % 7))};
        row.shape.area = &row.shape.owned;
    };
    report::make_file_sink(out.string(), OutputFormat::GeoPackage, false, "EPSG:32648", "write",
                           nullptr, false, {}, {}, 2)
        ->write({points, areas});

    // The same file with its indexes taken out and packed again from the geometries read back.
    const fs::path again = tmp.path() / "again.gpkg";
    fs::copy_file(out, again);
    {
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(again.c_str(), &db), SQLITE_OK);
        for (const std::string& t : {std::string("stations"), std::string("làng xã")}) {
            std::string sql = "DROP TABLE " + rtree(t) +
                              "; DELETE FROM gpkg_extensions WHERE table_name = '" + t +
                              "' AND extension_name = 'gpkg_rtree_index';";
            for (const char* trigger :
                 {"insert", "update1", "update2", "update3", "update4", "delete"})
                sql += "DROP TRIGGER \"rtree_" + t + "_geom_" + trigger + "\";";
            ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
                << sqlite3_errmsg(db);
        }
        sqlite3_close(db);
    }
    report::build_gpkg_rtrees(again, "write");
    for (const std::string& t : {std::string("stations"), std::string("làng xã")}) {
        SCOPED_TRACE(t);
        EXPECT_EQ(rows(out, "SELECT rtreecheck('rtree_" + t + "_geom')"),
                  std::vector<std::string>{"ok"});
        for (const char* shadow : {"_node", "_rowid", "_parent"}) {
            const std::string all =
                "SELECT * FROM \"rtree_" + t + "_geom" + shadow + "\" ORDER BY 1";
            EXPECT_EQ(rows(out, all), rows(again, all)) << shadow;
        }
    }
    EXPECT_EQ(rows(out, "SELECT count(*) FROM rtree_stations_geom"),
              std::vector<std::string>{std::to_string(5000 - 57)});
    EXPECT_EQ(rows(out, "SELECT count(*) FROM \"rtree_làng xã_geom\""),
              std::vector<std::string>{std::to_string(1500 - 15)});
}

TEST(GpkgRtree, AFileThatIsNoGeoPackageIsAnErrorNamingIt) {
    test::TempDir tmp;
    const fs::path file = tmp.path() / "not.gpkg";
    {
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
        sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr);
        sqlite3_close(db);
    }
    try {
        report::build_gpkg_rtrees(file, "write");
        FAIL() << "no error";
    } catch (const ExternalError& e) {
        EXPECT_NE(std::string(e.what()).find("not.gpkg"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("gpkg_geometry_columns"), std::string::npos)
            << e.what();
    }
}

} // namespace
} // namespace whitezone
