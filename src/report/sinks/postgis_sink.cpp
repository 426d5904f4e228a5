// PostGIS output through GDAL's PostgreSQL driver: every table is written in one transaction
// on one connection, so other sessions see all of the new tables or none; existing tables of
// the same names are dropped inside that transaction only with --overwrite, and kept on any
// error. Passwords never reach a message.

#include "whitezone/error.hpp"
#include "whitezone/provenance.hpp"

#include "common/text.hpp"
#include "gdal/gdal.hpp"
#include "report/sinks/ogr_table.hpp"
#include "report/sinks/sink.hpp"

namespace whitezone::report {

namespace {

// The longest name PostgreSQL keeps whole (NAMEDATALEN − 1 bytes).
constexpr std::size_t kMaxNameBytes = 63;

// GDAL's message on one line (libpq's span several).
std::string one_line(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    for (std::size_t i = 0; (i = s.find('\n', i)) != std::string::npos;)
        s.replace(i, 1, " ");
    for (std::size_t i = 0; (i = s.find('\t', i)) != std::string::npos;)
        s.replace(i, 1, " ");
    return s;
}

GDALDatasetUniquePtr connect(const std::string& connection) {
    gdal::ensure_initialised();
    const std::string shown = text::scrub_secrets(connection);
    CPLErrorReset();
    GDALDatasetUniquePtr ds;
    {
        gdal::QuietScope quiet;
        ds.reset(GDALDataset::Open(connection.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr,
                                   nullptr, nullptr));
    }
    if (!ds)
        throw InputError(text::scrub_secrets("write: cannot connect to PostGIS at '" + shown +
                                             "' (" + one_line(gdal::last_error()) +
                                             "); check the connection string given to --out and "
                                             "that the server is running."));
    if (!ds->GetDriver() || std::string(ds->GetDriver()->GetDescription()) != "PostgreSQL")
        throw InputError("write: '" + shown + "' is not a PostgreSQL connection.");
    return ds;
}

// The tables of `names` that exist in the database.
std::vector<std::string> existing_tables(GDALDataset& ds, const std::vector<std::string>& names) {
    std::vector<std::string> existing;
    gdal::QuietScope quiet;
    for (const auto& name : names)
        if (ds.GetLayerByName(name.c_str()))
            existing.push_back(name);
    return existing;
}

void refuse_existing(const std::vector<std::string>& existing, const std::string& connection) {
    if (existing.empty())
        return;
    std::string list;
    for (const auto& n : existing)
        list += (list.empty() ? "'" : ", '") + n + "'";
    throw InputError("write: the database at '" + text::scrub_secrets(connection) +
                     "' already has the table" + (existing.size() > 1 ? "s " : " ") + list +
                     "; pass --overwrite to replace them, or use another database or schema "
                     "(active_schema=… in the connection string).");
}

class PostGisSink : public Sink {
  public:
    PostGisSink(std::string connection, bool overwrite, const std::string& crs,
                const Provenance* provenance)
        : m_connection(std::move(connection)), m_overwrite(overwrite), m_srs(gdal::make_srs(crs)),
          m_provenance(provenance) {
        if (!m_srs)
            throw ExternalError("write: GDAL cannot read the output CRS");
    }

    void write(const std::vector<Table>& tables) override {
        try {
            write_all(tables);
        } catch (const InputError& e) {
            throw InputError(text::scrub_secrets(e.what()));
        } catch (const Error& e) {
            throw ExternalError(text::scrub_secrets(e.what()));
        }
    }

  private:
    void write_all(const std::vector<Table>& tables) {
        const std::string shown = text::scrub_secrets(m_connection);
        GDALDatasetUniquePtr ds = connect(m_connection);
        // Which tables exist already: refuse before changing anything.
        std::vector<std::string> names;
        for (const auto& t : tables)
            names.push_back(t.info.name);
        // The provenance table, written in the same transaction as the layers.
        const auto rows = m_provenance ? provenance_rows(*m_provenance)
                                       : std::vector<std::pair<std::string, std::string>>{};
        if (m_provenance)
            names.push_back("provenance");
        const std::vector<std::string> existing = existing_tables(*ds, names);
        if (!m_overwrite)
            refuse_existing(existing, m_connection);
        const LayerStyle style{{"LAUNDER=NO", "FID=fid", "PRECISION=NO"},
                               {"GEOMETRY_NAME=geom"},
                               {"fid"},
                               {"geom"},
                               false,
                               false,
                               true};

        // PostgreSQL cuts a longer name to 63 bytes (NAMEDATALEN − 1) without a word: a field
        // would be written under another name, or two under one. Refused before any change.
        for (const auto& t : tables) {
            const std::vector<std::string> written = written_names(t, style);
            for (std::size_t k = 0; k < written.size(); ++k)
                if (written[k].size() > kMaxNameBytes)
                    throw InputError(
                        "write: layer '" + t.info.name + "' has the field '" + written[k] + "' (" +
                        std::to_string(written[k].size()) + " bytes" +
                        (k < t.carried.size() ? ", carried from the input" : "") +
                        "), and PostgreSQL keeps names of at most " +
                        std::to_string(kMaxNameBytes) +
                        " bytes; rename that field in the input (a Vietnamese letter takes 2 or 3 "
                        "bytes), or write a GeoPackage, which keeps it. Nothing was written.");
        }
        if (ds->StartTransaction(FALSE) != OGRERR_NONE)
            throw ExternalError("write: cannot start a transaction in '" + shown +
                                "': " + gdal::last_error());
        try {
            for (const auto& name : existing)
                drop(*ds, name);
            for (const auto& t : tables)
                write_table(*ds, t, m_srs.get(), style, "write", t.info.description);
            if (m_provenance) {
                const Table table = provenance_table(rows);
                write_table(*ds, table, nullptr, style, "write", table.info.description);
            }
            if (ds->CommitTransaction() != OGRERR_NONE)
                throw ExternalError("write: cannot commit the tables to '" + shown +
                                    "': " + gdal::last_error());
        } catch (...) {
            gdal::QuietScope quiet;
            ds->RollbackTransaction();
            throw;
        }
        gdal::close_checked(ds, "write");
    }

    // Drops table `name` inside the open transaction. GDAL drops with CASCADE, which would
    // also drop the user's views and foreign keys on the table: refuse when there are any.
    static void drop(GDALDataset& ds, const std::string& name) {
        const std::string dependents =
            "SELECT count(*) AS n FROM pg_depend WHERE refobjid = to_regclass('\"" + name +
            "\"') AND deptype = 'n' AND classid IN ('pg_rewrite'::regclass, "
            "'pg_constraint'::regclass)";
        long n = 0;
        if (OGRLayer* r = ds.ExecuteSQL(dependents.c_str(), nullptr, nullptr)) {
            if (OGRFeatureUniquePtr f{r->GetNextFeature()})
                n = static_cast<long>(f->GetFieldAsInteger64(0));
            ds.ReleaseResultSet(r);
        }
        if (n > 0)
            throw InputError("write: table '" + name +
                             "' cannot be replaced: " + std::to_string(n) +
                             " other object(s) (views, foreign keys) depend on it, and "
                             "whitezone drops only its own tables; drop them first, or write "
                             "to another schema (active_schema=… in the connection string).");
        for (int i = 0; i < ds.GetLayerCount(); ++i) {
            if (name == ds.GetLayer(i)->GetName()) {
                if (ds.DeleteLayer(i) != OGRERR_NONE)
                    throw ExternalError("write: cannot replace table '" + name +
                                        "': " + gdal::last_error());
                return;
            }
        }
        throw ExternalError("write: cannot find table '" + name + "' to replace it");
    }

    std::string m_connection;
    bool m_overwrite;
    gdal::SrsPtr m_srs;
    const Provenance* m_provenance;
};

} // namespace

void check_postgis(const std::string& connection, const std::vector<std::string>& tables,
                   bool overwrite) {
    try {
        GDALDatasetUniquePtr ds = connect(connection);
        if (!overwrite)
            refuse_existing(existing_tables(*ds, tables), connection);
    } catch (const InputError& e) {
        throw InputError(text::scrub_secrets(e.what()));
    }
}

std::unique_ptr<Sink> make_postgis_sink(const std::string& connection, bool overwrite,
                                        const std::string& crs, const Provenance* provenance) {
    return std::make_unique<PostGisSink>(connection, overwrite, crs, provenance);
}

} // namespace whitezone::report
