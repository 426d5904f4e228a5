// The GeoPackage R-tree spatial indexes, packed in bulk (see gpkg_rtree.hpp). SQLite's R*Tree
// module keeps a tree in three tables beside the virtual one: <name>_node (each node a blob of
// a fixed size: the tree's depth in its first two bytes at the root, the cell count in the
// next two, then per cell a 64-bit id and the box as four 32-bit floats, all big-endian),
// <name>_rowid (which leaf holds each row) and <name>_parent (each node's parent); the root
// is node 1. SQLite's rtreecheck() verifies such a tree (tests/unit/report/gpkg_rtree_test.cpp).

#include "report/sinks/gpkg_rtree.hpp"

#include "whitezone/error.hpp"

#include "report/sinks/sqlite.hpp"

#include <ogr_geometry.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

namespace whitezone::report {

namespace {

using sqlite::Connection;
using sqlite::ident;
using sqlite::Stmt;

// The boxes rounded outward to 32-bit floats the way SQLite's module rounds the values an
// INSERT gives it (rtreeValueDown/Up: a float past the value is moved by a factor of 1 ± 2^-23),
// so that the index holds the boxes GDAL's row-by-row insertion would give.
constexpr double kTowards = 1.0 - 1.0 / 8388608.0;
constexpr double kAway = 1.0 + 1.0 / 8388608.0;
float down(double d) {
    const auto f = static_cast<float>(d);
    return static_cast<double>(f) > d ? static_cast<float>(d * (d < 0 ? kAway : kTowards)) : f;
}
float up(double d) {
    const auto f = static_cast<float>(d);
    return static_cast<double>(f) < d ? static_cast<float>(d * (d < 0 ? kTowards : kAway)) : f;
}

// A cell of a node: a row's id and box in a leaf, a child node's number and box above.
using Cell = RtreeCell;

// The box holding both (the id of the first).
Cell merged(const Cell& a, const Cell& b) {
    return {a.id, std::min(a.minx, b.minx), std::max(a.maxx, b.maxx), std::min(a.miny, b.miny),
            std::max(a.maxy, b.maxy)};
}

double read_double(const unsigned char* p, bool little) {
    std::uint64_t u = 0;
    std::memcpy(&u, p, sizeof u);
    if (little != (std::endian::native == std::endian::little))
        u = __builtin_bswap64(u);
    return std::bit_cast<double>(u);
}
std::uint32_t read_u32(const unsigned char* p, bool little) {
    std::uint32_t u = 0;
    std::memcpy(&u, p, sizeof u);
    if (little != (std::endian::native == std::endian::little))
        u = __builtin_bswap32(u);
    return u;
}

enum class Envelope { Box, Empty, Unreadable };

// The cell of feature `id` from its GeoPackage geometry blob (the standard's GeoPackageBinary):
// the envelope of its header where it has one, else the point itself, else the box of its WKB
// read by OGR.
Envelope blob_box(std::int64_t id, const unsigned char* p, std::size_t n, Cell& box) {
    if (n < 8 || p[0] != 'G' || p[1] != 'P')
        return Envelope::Unreadable;
    const unsigned flags = p[3];
    const bool little = (flags & 1U) != 0;
    const unsigned indicator = (flags >> 1U) & 7U;
    if ((flags & 0x10U) != 0)
        return Envelope::Empty;
    static constexpr std::size_t kEnvelopeBytes[] = {0, 32, 48, 48, 64};
    if (indicator > 4 || 8 + kEnvelopeBytes[indicator] > n)
        return Envelope::Unreadable;
    auto finite = [&](double a, double b, double c, double d) {
        const std::optional<Cell> cell = rtree_cell(id, a, b, c, d);
        if (!cell)
            return Envelope::Empty;
        box = *cell;
        return Envelope::Box;
    };
    if (indicator != 0)
        return finite(read_double(p + 8, little), read_double(p + 16, little),
                      read_double(p + 24, little), read_double(p + 32, little));
    const unsigned char* wkb = p + 8;
    const std::size_t size = n - 8;
    if (size >= 21 && wkb[0] <= 1) {
        const bool wkb_little = wkb[0] == 1;
        // ISO types 1, 1001, 2001, 3001, or the old 2.5D flag: a point.
        if ((read_u32(wkb + 1, wkb_little) & 0x0fffffffU) % 1000 == 1) {
            const double x = read_double(wkb + 5, wkb_little);
            const double y = read_double(wkb + 13, wkb_little);
            return finite(x, x, y, y);
        }
    }
    OGRGeometry* geometry = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb, nullptr, &geometry, size) != OGRERR_NONE)
        return Envelope::Unreadable;
    const std::unique_ptr<OGRGeometry> owned(geometry);
    if (owned->IsEmpty())
        return Envelope::Empty;
    OGREnvelope e;
    owned->getEnvelope(&e);
    return finite(e.MinX, e.MaxX, e.MinY, e.MaxY);
}

void put_u16(unsigned char* p, unsigned v) {
    p[0] = static_cast<unsigned char>(v >> 8U);
    p[1] = static_cast<unsigned char>(v);
}
void put_u32(unsigned char* p, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        p[i] = static_cast<unsigned char>(v >> (24 - 8 * i));
}
void put_u64(unsigned char* p, std::uint64_t v) {
    for (int i = 0; i < 8; ++i)
        p[i] = static_cast<unsigned char>(v >> (56 - 8 * i));
}

// Sorts `cells` into runs of at most `capacity`, each run one node, by sort-tile-recursive
// packing: vertical slices of about √(nodes) nodes by the centres' x, each sorted by y. Ties
// go by id, so the file is the same on every run. Returns where each run ends.
std::vector<std::size_t> pack(std::vector<Cell>& cells, std::size_t capacity) {
    const std::size_t nodes = (cells.size() + capacity - 1) / capacity;
    const auto slices = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(nodes))));
    const std::size_t per_slice = ((nodes + slices - 1) / slices) * capacity;
    auto by = [](auto centre) {
        return [centre](const Cell& a, const Cell& b) {
            const float ca = centre(a);
            const float cb = centre(b);
            return ca != cb ? ca < cb : a.id < b.id;
        };
    };
    std::sort(cells.begin(), cells.end(), by([](const Cell& b) { return b.minx + b.maxx; }));
    std::vector<std::size_t> ends;
    for (std::size_t begin = 0; begin < cells.size(); begin += per_slice) {
        const std::size_t end = std::min(cells.size(), begin + per_slice);
        std::sort(cells.begin() + static_cast<std::ptrdiff_t>(begin),
                  cells.begin() + static_cast<std::ptrdiff_t>(end),
                  by([](const Cell& b) { return b.miny + b.maxy; }));
        for (std::size_t run = begin; run < end; run += capacity)
            ends.push_back(std::min(end, run + capacity));
    }
    return ends;
}

// The cells of every row of `table` with a geometry that is not empty, read from the file.
std::vector<Cell> read_cells(Connection& db, const std::string& table, const std::string& column,
                             const std::string& fid, const std::string& what) {
    // Reserved whole: at the national XL size the cells of the stations take 20 MB, and a
    // vector grown by doubling would hold twice that for a moment.
    std::vector<Cell> cells;
    {
        Stmt s = db.prepare("SELECT count(*) FROM " + ident(table), what);
        if (db.next(s, what))
            cells.reserve(static_cast<std::size_t>(sqlite3_column_int64(s.get(), 0)));
    }
    {
        Stmt s = db.prepare("SELECT " + ident(fid) + ", " + ident(column) + " FROM " +
                                ident(table) + " WHERE " + ident(column) + " IS NOT NULL",
                            what);
        while (db.next(s, what)) {
            const auto* blob = static_cast<const unsigned char*>(sqlite3_column_blob(s.get(), 1));
            const auto bytes = static_cast<std::size_t>(sqlite3_column_bytes(s.get(), 1));
            const std::int64_t id = sqlite3_column_int64(s.get(), 0);
            Cell box{};
            const Envelope e = blob_box(id, blob, bytes, box);
            if (e == Envelope::Unreadable)
                db.fail(what + " (feature " + std::to_string(id) +
                        " holds no GeoPackage geometry)");
            if (e == Envelope::Box)
                cells.push_back(box);
        }
    }
    return cells;
}

} // namespace

void build_gpkg_rtree(Connection& db, const std::string& table, const std::string& column,
                      std::vector<RtreeCell>* known) {
    const std::string what = "build the spatial index of '" + table + "'";
    // The feature id: the table's integer primary key.
    std::string fid;
    {
        Stmt s = db.prepare("SELECT name FROM pragma_table_info(?) WHERE pk = 1", what);
        sqlite3_bind_text(s.get(), 1, table.c_str(), -1, SQLITE_TRANSIENT);
        if (!db.next(s, what))
            db.fail(what + " (it has no integer primary key)");
        fid = reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0));
    }
    std::vector<Cell> cells;
    if (known)
        cells.swap(*known);
    else
        cells = read_cells(db, table, column, fid, what);
    db.exec(kCreateGpkgExtensions, "create gpkg_extensions");

    const std::string rtree = "rtree_" + table + "_" + column;
    db.exec("CREATE VIRTUAL TABLE " + ident(rtree) + " USING rtree(id, minx, maxx, miny, maxy)",
            what);
    // The node size SQLite chose for this file's page size (1,228 bytes, 51 cells, at 4 KiB).
    std::size_t node_bytes = 0;
    {
        Stmt s = db.prepare(
            "SELECT length(data) FROM " + ident(rtree + "_node") + " WHERE nodeno = 1", what);
        if (!db.next(s, what))
            db.fail(what + " (SQLite made no root node)");
        node_bytes = static_cast<std::size_t>(sqlite3_column_int64(s.get(), 0));
    }
    constexpr std::size_t kCellBytes = 8 + 4 * 4;
    if (node_bytes < 4 + 2 * kCellBytes)
        db.fail(what + " (SQLite's nodes of " + std::to_string(node_bytes) +
                " bytes are too small)");
    const std::size_t capacity = (node_bytes - 4) / kCellBytes;

    Stmt node = db.prepare(
        "INSERT OR REPLACE INTO " + ident(rtree + "_node") + " (nodeno, data) VALUES (?, ?)", what);
    Stmt parent = db.prepare(
        "INSERT INTO " + ident(rtree + "_parent") + " (nodeno, parentnode) VALUES (?, ?)", what);
    std::vector<std::pair<std::int64_t, std::int64_t>> leaf_of; // row id, leaf node
    leaf_of.reserve(cells.size());
    std::vector<unsigned char> data(node_bytes);
    // Writes node `number` holding cells [begin, end) at `depth` (0: a leaf; the root, node 1,
    // also stores the depth); returns its box.
    auto write_node = [&](std::int64_t number, unsigned depth, std::size_t begin, std::size_t end) {
        std::fill(data.begin(), data.end(), 0);
        put_u16(data.data(), number == 1 ? depth : 0);
        put_u16(data.data() + 2, static_cast<unsigned>(end - begin));
        Cell box = cells[begin];
        for (std::size_t i = begin; i < end; ++i) {
            unsigned char* p = data.data() + 4 + (i - begin) * kCellBytes;
            put_u64(p, static_cast<std::uint64_t>(cells[i].id));
            const Cell& b = cells[i];
            const float coords[] = {b.minx, b.maxx, b.miny, b.maxy};
            for (int k = 0; k < 4; ++k)
                put_u32(p + 8 + 4 * k, std::bit_cast<std::uint32_t>(coords[k]));
            box = merged(box, b);
            if (depth == 0) {
                leaf_of.emplace_back(cells[i].id, number);
            } else {
                sqlite3_bind_int64(parent.get(), 1, cells[i].id);
                sqlite3_bind_int64(parent.get(), 2, number);
                db.run(parent, what);
            }
        }
        sqlite3_bind_int64(node.get(), 1, number);
        sqlite3_bind_blob(node.get(), 2, data.data(), static_cast<int>(data.size()), SQLITE_STATIC);
        db.run(node, what);
        return box;
    };
    std::int64_t next_number = 2;
    unsigned depth = 0;
    while (cells.size() > capacity) {
        const std::vector<std::size_t> ends = pack(cells, capacity);
        std::vector<Cell> above;
        above.reserve(ends.size());
        std::size_t begin = 0;
        for (const std::size_t end : ends) {
            const std::int64_t number = next_number++;
            Cell node_box = write_node(number, depth, begin, end);
            node_box.id = number;
            above.push_back(node_box);
            begin = end;
        }
        cells = std::move(above);
        ++depth;
    }
    if (!cells.empty())
        write_node(1, depth, 0, cells.size());

    std::sort(leaf_of.begin(), leaf_of.end());
    Stmt row = db.prepare(
        "INSERT INTO " + ident(rtree + "_rowid") + " (rowid, nodeno) VALUES (?, ?)", what);
    for (const auto& [id, leaf] : leaf_of) {
        sqlite3_bind_int64(row.get(), 1, id);
        sqlite3_bind_int64(row.get(), 2, leaf);
        db.run(row, what);
    }

    // The triggers of the GeoPackage standard (1.2, annex F.3), as GDAL writes them.
    const std::string r = ident(rtree);
    const std::string t = ident(table);
    const std::string g = ident(column);
    const std::string i = ident(fid);
    const std::string values = "VALUES (NEW." + i + ",ST_MinX(NEW." + g + "), ST_MaxX(NEW." + g +
                               "),ST_MinY(NEW." + g + "), ST_MaxY(NEW." + g + "))";
    auto trigger = [&](const std::string& suffix, const std::string& rest) {
        db.exec("CREATE TRIGGER " + ident(rtree + "_" + suffix) + " " + rest, what);
    };
    trigger("insert", "AFTER INSERT ON " + t + " WHEN (new." + g +
                          " NOT NULL AND NOT ST_IsEmpty(NEW." + g +
                          ")) BEGIN INSERT OR REPLACE INTO " + r + " " + values + "; END");
    trigger("update1", "AFTER UPDATE OF " + g + " ON " + t + " WHEN OLD." + i + " = NEW." + i +
                           " AND (NEW." + g + " NOTNULL AND NOT ST_IsEmpty(NEW." + g +
                           ")) BEGIN INSERT OR REPLACE INTO " + r + " " + values + "; END");
    trigger("update2", "AFTER UPDATE OF " + g + " ON " + t + " WHEN OLD." + i + " = NEW." + i +
                           " AND (NEW." + g + " ISNULL OR ST_IsEmpty(NEW." + g +
                           ")) BEGIN DELETE FROM " + r + " WHERE id = OLD." + i + "; END");
    trigger("update3", "AFTER UPDATE ON " + t + " WHEN OLD." + i + " != NEW." + i + " AND (NEW." +
                           g + " NOTNULL AND NOT ST_IsEmpty(NEW." + g + ")) BEGIN DELETE FROM " +
                           r + " WHERE id = OLD." + i + "; INSERT OR REPLACE INTO " + r + " " +
                           values + "; END");
    trigger("update4", "AFTER UPDATE ON " + t + " WHEN OLD." + i + " != NEW." + i + " AND (NEW." +
                           g + " ISNULL OR ST_IsEmpty(NEW." + g + ")) BEGIN DELETE FROM " + r +
                           " WHERE id IN (OLD." + i + ", NEW." + i + "); END");
    trigger("delete", "AFTER DELETE ON " + t + " WHEN old." + g + " NOT NULL BEGIN DELETE FROM " +
                          r + " WHERE id = OLD." + i + "; END");
    Stmt extension = db.prepare(
        "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, "
        "scope) VALUES (?, ?, 'gpkg_rtree_index', "
        "'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
        what);
    sqlite3_bind_text(extension.get(), 1, table.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(extension.get(), 2, column.c_str(), -1, SQLITE_TRANSIENT);
    db.run(extension, what);
}

std::optional<RtreeCell> rtree_cell(std::int64_t id, double minx, double maxx, double miny,
                                    double maxy) {
    if (std::isnan(minx) || std::isnan(maxx) || std::isnan(miny) || std::isnan(maxy))
        return std::nullopt;
    return RtreeCell{id, down(minx), up(maxx), down(miny), up(maxy)};
}

void build_gpkg_rtrees(const std::filesystem::path& file, const std::string& stage) {
    Connection db(file, stage, "open it for its spatial indexes");
    // The caller syncs the finished file once, whole.
    db.exec("PRAGMA synchronous = OFF", "set up the spatial indexes");
    std::vector<std::pair<std::string, std::string>> columns;
    {
        Stmt s = db.prepare("SELECT table_name, column_name FROM gpkg_geometry_columns",
                            "list the layers with geometry");
        while (db.next(s, "list the layers with geometry"))
            columns.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0)),
                                 reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 1)));
    }
    if (columns.empty())
        return;
    db.exec("BEGIN", "start the spatial indexes");
    db.exec(kCreateGpkgExtensions, "create gpkg_extensions");
    for (const auto& [table, column] : columns) {
        bool indexed = false;
        {
            Stmt s = db.prepare("SELECT 1 FROM gpkg_extensions WHERE table_name = ? AND "
                                "column_name = ? AND extension_name = 'gpkg_rtree_index'",
                                "read gpkg_extensions");
            sqlite3_bind_text(s.get(), 1, table.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(s.get(), 2, column.c_str(), -1, SQLITE_TRANSIENT);
            indexed = db.next(s, "read gpkg_extensions");
        }
        if (indexed)
            continue;
        build_gpkg_rtree(db, table, column);
    }
    db.exec("COMMIT", "write the spatial indexes");
}

} // namespace whitezone::report
