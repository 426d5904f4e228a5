#include "report/sinks/gpkg_rows.hpp"

#include "whitezone/error.hpp"

#include "common/parallel.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstring>
#include <limits>
#include <variant>

namespace whitezone::report {

namespace {

using sqlite::ident;
using sqlite::Stmt;

// GDAL's trigger that counts each row inserted into a layer in gpkg_ogr_contents.
std::string count_trigger(const std::string& table) {
    return "trigger_insert_feature_count_" + table;
}

// Little-endian bytes appended to a blob (the machine's own order).
static_assert(std::endian::native == std::endian::little,
              "blobs are written in the machine's order");
template <typename T> void put(std::string& out, T v) {
    const std::size_t at = out.size();
    out.resize(at + sizeof v);
    std::memcpy(out.data() + at, &v, sizeof v);
}

// The header of a blob: the flags with the envelope where there is one.
void put_header(std::string& out, std::int32_t srs_id, bool empty, const OGREnvelope* envelope) {
    out.clear();
    out += "GP";
    out += '\0';
    out += static_cast<char>((empty ? 0x10U : 0U) | (envelope ? 2U : 0U) | 1U);
    put(out, srs_id);
    if (envelope)
        for (const double v : {envelope->MinX, envelope->MaxX, envelope->MinY, envelope->MaxY})
            put(out, v);
}

// The WKB geometry types written.
constexpr std::uint32_t kWkbPoint = 1, kWkbLineString = 2, kWkbPolygon = 3, kWkbMultiPolygon = 6;

} // namespace

std::optional<OGREnvelope> gpkg_blob(const Shape& shape, std::int32_t srs_id, std::string& out) {
    out.clear();
    OGREnvelope e;
    switch (shape.kind) {
    case Shape::Kind::None:
        return std::nullopt;
    case Shape::Kind::Point:
        e.MinX = e.MaxX = shape.a.x;
        e.MinY = e.MaxY = shape.a.y;
        put_header(out, srs_id, false, nullptr);
        out += '\1';
        put(out, kWkbPoint);
        put(out, shape.a.x);
        put(out, shape.a.y);
        return e;
    case Shape::Kind::Line:
        e.MinX = std::min(shape.a.x, shape.b.x);
        e.MaxX = std::max(shape.a.x, shape.b.x);
        e.MinY = std::min(shape.a.y, shape.b.y);
        e.MaxY = std::max(shape.a.y, shape.b.y);
        put_header(out, srs_id, false, &e);
        out += '\1';
        put(out, kWkbLineString);
        put(out, std::uint32_t{2});
        for (const XY& p : {shape.a, shape.b}) {
            put(out, p.x);
            put(out, p.y);
        }
        return e;
    case Shape::Kind::Area:
        break;
    }
    // A multipolygon: its envelope over every ring's points (OGR's), empty when no ring has a
    // point.
    const MultiPolygon& mp = *shape.area;
    bool empty = true;
    std::size_t points = 0;
    for (const Polygon& polygon : mp)
        for (const Ring& ring : polygon.rings)
            for (const XY& p : ring) {
                if (empty) {
                    e.MinX = e.MaxX = p.x;
                    e.MinY = e.MaxY = p.y;
                    empty = false;
                }
                e.MinX = std::min(e.MinX, p.x);
                e.MaxX = std::max(e.MaxX, p.x);
                e.MinY = std::min(e.MinY, p.y);
                e.MaxY = std::max(e.MaxY, p.y);
                ++points;
            }
    put_header(out, srs_id, empty, empty ? nullptr : &e);
    out.reserve(out.size() + 9 + mp.size() * 9 + points * 16 + 4 * mp.size());
    out += '\1';
    put(out, kWkbMultiPolygon);
    put(out, static_cast<std::uint32_t>(mp.size()));
    for (const Polygon& polygon : mp) {
        out += '\1';
        put(out, kWkbPolygon);
        put(out, static_cast<std::uint32_t>(polygon.rings.size()));
        for (const Ring& ring : polygon.rings) {
            put(out, static_cast<std::uint32_t>(ring.size()));
            const std::size_t at = out.size();
            out.resize(at + ring.size() * sizeof(XY));
            static_assert(sizeof(XY) == 2 * sizeof(double));
            std::memcpy(out.data() + at, ring.data(), ring.size() * sizeof(XY));
        }
    }
    if (empty)
        return std::nullopt;
    return e;
}

GpkgRows::GpkgRows(const std::filesystem::path& file, std::string stage)
    : m_db(file, stage, "open it for its rows"), m_stage(std::move(stage)) {
    // The caller syncs the finished file once, whole (atomic::Staged).
    m_db.exec("PRAGMA synchronous = OFF", "set up the write");
}

void GpkgRows::fill(const Table& table, OGRFeatureDefn& defn,
                    const std::vector<std::string>& written, const LayerStyle& style,
                    const Log& log, int threads) {
    const std::string& name = table.info.name;
    const std::string what = "write the rows of layer '" + name + "'";
    const std::size_t rows = rows_of(table); // before the transaction: it may wait
    // The geometry column and its spatial reference, as GDAL registered them.
    std::string column;
    std::int32_t srs_id = 0;
    {
        Stmt s = m_db.prepare("SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE "
                              "lower(table_name) = lower(?)",
                              what);
        sqlite3_bind_text(s.get(), 1, name.c_str(), -1, SQLITE_TRANSIENT);
        if (m_db.next(s, what)) {
            column = reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0));
            srs_id = sqlite3_column_int(s.get(), 1);
        }
    }
    if ((table.info.geometry != GeometryType::None) != !column.empty())
        m_db.fail(what + " (its geometry column is not the one made for it)");
    const int fields = defn.GetFieldCount();
    if (fields != static_cast<int>(written.size()))
        m_db.fail(what + " (it has " + std::to_string(fields) + " fields, not " +
                  std::to_string(written.size()) + ")");

    m_db.exec("BEGIN", what);
    // GDAL's trigger that counts each row as it goes in: dropped for the insertion (as GDAL
    // drops it), the rows counted at once, and put back as it was.
    std::string trigger;
    {
        Stmt s =
            m_db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", what);
        sqlite3_bind_text(s.get(), 1, count_trigger(name).c_str(), -1, SQLITE_TRANSIENT);
        if (m_db.next(s, what))
            trigger = reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0));
    }
    if (!trigger.empty())
        m_db.exec("DROP TRIGGER " + ident(count_trigger(name)), what);

    std::string columns, values;
    if (!column.empty()) {
        columns = ident(column);
        values = "?";
    }
    // The fields as GDAL made them (the names written, unless the driver changed one).
    for (int k = 0; k < fields; ++k) {
        columns += (columns.empty() ? "" : ", ") + ident(defn.GetFieldDefn(k)->GetNameRef());
        values += values.empty() ? "?" : ", ?";
    }
    Stmt insert = m_db.prepare("INSERT INTO " + ident(name) +
                                   (columns.empty() ? std::string(" DEFAULT VALUES")
                                                    : " (" + columns + ") VALUES (" + values + ")"),
                               what);
    std::vector<OGRFieldType> types;
    for (int k = 0; k < fields; ++k)
        types.push_back(defn.GetFieldDefn(k)->GetType());
    const int first_field = column.empty() ? 1 : 2;
    std::optional<OGREnvelope> extent;
    std::vector<RtreeCell> boxes;
    if (!column.empty())
        boxes.reserve(rows);
    std::vector<std::size_t> cut(written.size()); // values cut to max_text_bytes, per field
    // A row as it goes in: its values, its geometry blob and the blob's envelope, made beside
    // the insertion of the rows before it.
    struct Made {
        Row row;
        std::string blob;
        std::optional<OGREnvelope> envelope;
    };
    const auto make = [&](std::size_t i, Made& m) {
        m.row.values.resize(written.size());
        table.fill(i, m.row);
        cut_long_text(m.row, style.max_text_bytes, cut);
        m.envelope.reset();
        if (!column.empty())
            m.envelope = gpkg_blob(m.row.shape, srs_id, m.blob);
    };
    // A value of another type than its field's goes through an OGR feature, which converts it
    // as GDAL's own write does (text to a number, a number to text, a 64-bit integer clamped to
    // a 32-bit field).
    OGRFeature scratch(&defn);
    sqlite3_stmt* s = insert.get();
    const auto bind_value = [&](int k, const Value& value) {
        const int at = first_field + k;
        const OGRFieldType type = types[static_cast<std::size_t>(k)];
        if (std::holds_alternative<std::monostate>(value)) {
            sqlite3_bind_null(s, at);
            return;
        }
        if (const auto* n = std::get_if<std::int64_t>(&value)) {
            if (type == OFTInteger64) {
                sqlite3_bind_int64(s, at, *n);
                return;
            }
            if (type == OFTInteger && *n >= std::numeric_limits<int>::min() &&
                *n <= std::numeric_limits<int>::max()) {
                sqlite3_bind_int(s, at, static_cast<int>(*n));
                return;
            }
        } else if (const auto* d = std::get_if<double>(&value); d && type == OFTReal) {
            sqlite3_bind_double(s, at, *d);
            return;
        } else if (const auto* text = std::get_if<std::string>(&value); text && type == OFTString) {
            sqlite3_bind_text(s, at, text->c_str(), -1, SQLITE_STATIC);
            return;
        }
        set_field_value(scratch, k, value);
        if (!scratch.IsFieldSetAndNotNull(k))
            sqlite3_bind_null(s, at);
        else if (type == OFTInteger)
            sqlite3_bind_int(s, at, scratch.GetFieldAsInteger(k));
        else if (type == OFTInteger64)
            sqlite3_bind_int64(s, at, scratch.GetFieldAsInteger64(k));
        else if (type == OFTReal)
            sqlite3_bind_double(s, at, scratch.GetFieldAsDouble(k));
        else
            sqlite3_bind_text(s, at, scratch.GetFieldAsString(k), -1, SQLITE_TRANSIENT);
    };
    const auto use = [&](std::size_t, Made& m) {
        if (!column.empty()) {
            if (m.row.shape.kind == Shape::Kind::None)
                sqlite3_bind_null(s, 1);
            else
                sqlite3_bind_blob(s, 1, m.blob.data(), static_cast<int>(m.blob.size()),
                                  SQLITE_STATIC);
        }
        for (int k = 0; k < fields; ++k)
            bind_value(k, m.row.values[static_cast<std::size_t>(k)]);
        m_db.run(insert, what);
        if (!m.envelope)
            return;
        if (extent)
            extent->Merge(*m.envelope);
        else
            extent = m.envelope;
        const std::optional<RtreeCell> cell =
            rtree_cell(sqlite3_last_insert_rowid(m_db.get()), m.envelope->MinX, m.envelope->MaxX,
                       m.envelope->MinY, m.envelope->MaxY);
        if (cell)
            boxes.push_back(*cell);
    };
    parallel::in_order<Made>(rows, 1024, threads > 1, make, use);
    insert.reset();
    warn_cut_text(table, written, cut, rows, style, m_stage, log);
    if (!column.empty()) {
        const auto started = std::chrono::steady_clock::now();
        build_gpkg_rtree(m_db, name, column, &boxes);
        m_index_seconds +=
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    }

    if (!trigger.empty())
        m_db.exec(trigger, what);
    // The count and the extent written as GDAL writes them: the count where the layer has
    // rows (GDAL leaves an empty layer's unknown), the extent through the SQL text SQLite's
    // printf makes of it with "%.18g" (which may end a bit away from the number itself), so
    // that the file holds the same numbers.
    if (rows > 0) {
        Stmt count = m_db.prepare("UPDATE gpkg_ogr_contents SET feature_count = "
                                  "coalesce(feature_count, 0) + ? WHERE lower(table_name) = "
                                  "lower(?)",
                                  what);
        sqlite3_bind_int64(count.get(), 1, static_cast<sqlite3_int64>(rows));
        sqlite3_bind_text(count.get(), 2, name.c_str(), -1, SQLITE_TRANSIENT);
        m_db.run(count, what);
    }
    {
        std::string set = "last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
        if (extent) {
            char* box =
                sqlite3_mprintf(", min_x = %.18g, min_y = %.18g, max_x = %.18g, max_y = %.18g",
                                extent->MinX, extent->MinY, extent->MaxX, extent->MaxY);
            if (!box)
                m_db.fail(what + " (out of memory)");
            set += box;
            sqlite3_free(box);
        }
        Stmt contents = m_db.prepare(
            "UPDATE gpkg_contents SET " + set + " WHERE lower(table_name) = lower(?)", what);
        sqlite3_bind_text(contents.get(), 1, name.c_str(), -1, SQLITE_TRANSIENT);
        m_db.run(contents, what);
    }
    m_db.exec("COMMIT", what);
}

} // namespace whitezone::report
