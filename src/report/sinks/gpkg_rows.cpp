#include "report/sinks/gpkg_rows.hpp"

#include "whitezone/error.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstring>

namespace whitezone::report {

namespace {

using sqlite::ident;
using sqlite::Stmt;

// GDAL's trigger that counts each row inserted into a layer in gpkg_ogr_contents.
std::string count_trigger(const std::string& table) {
    return "trigger_insert_feature_count_" + table;
}

} // namespace

void gpkg_blob(const OGRGeometry& g, std::int32_t srs_id,
               const std::optional<OGREnvelope>& envelope, std::string& out) {
    static_assert(std::endian::native == std::endian::little, "written in the machine's order");
    const bool point = wkbFlatten(g.getGeometryType()) == wkbPoint;
    const bool empty = !envelope;
    const unsigned indicator = point || empty ? 0U : 1U; // 1: minx, maxx, miny, maxy
    const std::size_t header = 8 + 32 * indicator;
    out.resize(header + g.WkbSize());
    auto* p = reinterpret_cast<unsigned char*>(out.data());
    p[0] = 'G';
    p[1] = 'P';
    p[2] = 0;
    p[3] = static_cast<unsigned char>((empty ? 0x10U : 0U) | (indicator << 1U) | 1U);
    std::memcpy(p + 4, &srs_id, 4);
    if (indicator == 1) {
        const double box[] = {envelope->MinX, envelope->MaxX, envelope->MinY, envelope->MaxY};
        std::memcpy(p + 8, box, sizeof box);
    }
    if (g.exportToWkb(wkbNDR, p + header, wkbVariantIso) != OGRERR_NONE)
        throw ExternalError("write: cannot encode a geometry as WKB");
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
    for (const std::string& w : written) {
        columns += (columns.empty() ? "" : ", ") + ident(w);
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
    sqlite3_stmt* s = insert.get();
    // Bound as GDAL's GeoPackage driver binds a feature's values.
    const auto bind = [&](MadeRow& m) -> std::int64_t {
        const OGRFeature& f = *m.feature;
        if (!column.empty()) {
            if (f.GetGeometryRef() == nullptr)
                sqlite3_bind_null(s, 1);
            else
                sqlite3_bind_blob(s, 1, m.blob.data(), static_cast<int>(m.blob.size()),
                                  SQLITE_STATIC);
        }
        for (int k = 0; k < fields; ++k) {
            const int at = first_field + k;
            if (!f.IsFieldSetAndNotNull(k)) {
                sqlite3_bind_null(s, at);
                continue;
            }
            switch (types[static_cast<std::size_t>(k)]) {
            case OFTInteger:
                sqlite3_bind_int(s, at, f.GetFieldAsInteger(k));
                break;
            case OFTInteger64:
                sqlite3_bind_int64(s, at, f.GetFieldAsInteger64(k));
                break;
            case OFTReal:
                sqlite3_bind_double(s, at, f.GetFieldAsDouble(k));
                break;
            default:
                sqlite3_bind_text(s, at, f.GetFieldAsString(k), -1, SQLITE_STATIC);
                break;
            }
        }
        m_db.run(insert, what);
        if (m.envelope) {
            if (extent)
                extent->Merge(*m.envelope);
            else
                extent = m.envelope;
        }
        return sqlite3_last_insert_rowid(m_db.get());
    };
    const auto encode = [&](MadeRow& m) {
        if (const OGRGeometry* g = m.feature->GetGeometryRef())
            gpkg_blob(*g, srs_id, m.envelope, m.blob);
    };
    std::vector<RtreeCell> boxes;
    insert_rows(table, rows, defn, written, style, m_stage, log, threads,
                column.empty() ? nullptr : &boxes,
                column.empty() ? std::function<void(MadeRow&)>() : encode, bind);
    insert.reset();
    if (!column.empty()) {
        const auto started = std::chrono::steady_clock::now();
        build_gpkg_rtree(m_db, name, column, &boxes);
        m_index_seconds +=
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    }

    if (!trigger.empty())
        m_db.exec(trigger, what);
    // The count and the extent written as GDAL writes them: the count where the layer has
    // rows (GDAL leaves an empty layer's unknown), the extent through SQL text of its
    // "%.18g" (SQLite's printf keeps 16 digits), so that the file holds the same numbers.
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
