// The GDAL file formats, from one driver table: a GeoPackage file, or a folder with one file
// per table. Written atomically (common/atomic.hpp), then read back before the swap: some
// drivers do not report a failed write (GDAL's GeoJSON writer on a full disk), so a file
// that does not hold every row is caught here and the previous output is kept.

#include "whitezone/error.hpp"
#include "whitezone/provenance.hpp"

#include "common/atomic.hpp"
#include "common/parallel.hpp"
#include "common/text.hpp"
#include "gdal/gdal.hpp"
#include "report/sinks/gpkg_rows.hpp"
#include "report/sinks/gpkg_rtree.hpp"
#include "report/sinks/ogr_table.hpp"
#include "report/sinks/sink.hpp"
#include "report/styles.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <fstream>
#include <optional>

namespace fs = std::filesystem;

namespace whitezone::report {

namespace {

// When a table is filled: 0 its rows are there, 1 they wait for the end of the analysis
// (Table::count), 2 it is late (the coverage dissolved beside the write).
int fill_round(const Table& t) { return t.late ? 2 : t.count ? 1 : 0; }

struct FileFormat {
    OutputFormat format;
    const char* driver;    ///< GDAL driver
    const char* extension; ///< of the file (GeoPackage) or of each layer's file
    bool folder;           ///< one file per table in a folder
    /// Tables without geometry go to this driver when `driver` cannot hold them
    /// (FlatGeobuf drops features without geometry).
    const char* table_driver;
    const char* table_extension;
    LayerStyle style;
};

const std::vector<FileFormat>& file_formats() {
    static const std::vector<FileFormat> formats{
        // The rows go in through SQLite's own statements and the spatial indexes are packed
        // after each layer's rows (GpkgRows), not filled row by row by GDAL.
        {OutputFormat::GeoPackage, "GPKG", ".gpkg", false, nullptr, nullptr,
         LayerStyle{{}, {"SPATIAL_INDEX=NO"}, {"fid", "geom"}, {}, false, true, true}},
        // RFC7946=YES reprojects to WGS 84, as the RFC requires.
        {OutputFormat::GeoJSON, "GeoJSON", ".geojson", true, nullptr, nullptr,
         LayerStyle{{"RFC7946=YES"}, {}, {}, {}, false, true}},
        // ENCODING=UTF-8: text as is, and a .cpg saying "UTF-8" (QGIS reads it). Names and
        // text cut to dBase's byte limits by write_table() (docs/output.md#shapefile-limits).
        {OutputFormat::Shapefile, "ESRI Shapefile", ".shp", true, nullptr, nullptr,
         LayerStyle{{"ENCODING=UTF-8"}, {}, {}, {}, true, true, false, kDbfTextBytes}},
        // Strings quoted only where they must be (a separator, quote or line break inside);
        // a .csvt with the field types beside each file, and a .prj with the CRS beside each
        // file with geometry (docs/output.md#csv). The byte-order mark: csv_bom.
        {OutputFormat::CSV, "CSV", ".csv", true, nullptr, nullptr,
         LayerStyle{{"STRING_QUOTING=IF_NEEDED", "CREATE_CSVT=YES"},
                    {"GEOMETRY=AS_WKT"},
                    {},
                    {"wkt"},
                    false,
                    true}},
        {OutputFormat::FlatGeobuf, "FlatGeobuf", ".fgb", true, "CSV", ".csv",
         LayerStyle{{}, {}, {}, {}, false, true}},
    };
    return formats;
}

const FileFormat& file_format(OutputFormat format) {
    for (const auto& f : file_formats())
        if (f.format == format)
            return f;
    throw ExternalError("write: '" + std::string(to_string(format)) + "' is not a file format");
}

GDALDriver* driver(const char* name, std::string_view stage) {
    GDALDriver* d = GetGDALDriverManager()->GetDriverByName(name);
    if (!d)
        throw ExternalError(std::string(stage) + ": GDAL has no " + name +
                            " driver; install a GDAL built with it.");
    return d;
}

// The provenance file of a folder output (docs/output.md#provenance).
constexpr const char* kProvenanceFile = "provenance.json";

std::string manifest(OutputFormat format, const std::vector<Table>& tables, bool provenance) {
    std::string layers;
    for (const auto& t : tables)
        layers += (layers.empty() ? "\"" : ", \"") + t.info.name + "\"";
    return "{\"written_by\": \"whitezone\", \"format\": \"" + std::string(to_string(format)) +
           "\", \"layers\": [" + layers + "]" +
           (provenance ? ", \"provenance\": \"" + std::string(kProvenanceFile) + "\"" : "") + "}";
}

// SQL text literal: single quotes doubled.
std::string sql_text(const std::string& s) {
    std::string out = "'";
    for (const char c : s)
        out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

// Runs one SQL statement on a GeoPackage; throws ExternalError naming `what` when SQLite
// refuses it.
void run_sql(GDALDataset& ds, const std::string& sql, const std::string& what,
             const std::string& stage) {
    CPLErrorReset();
    if (OGRLayer* result = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr))
        ds.ReleaseResultSet(result);
    if (CPLGetLastErrorType() >= CE_Failure)
        throw ExternalError(stage + ": cannot " + what + ": " + gdal::last_error());
}

// The provenance JSON as a GeoPackage metadata document (the metadata extension, GeoPackage
// 1.3 §F.8): the gpkg_metadata and gpkg_metadata_reference tables (created as the standard
// defines them when the file has none), their gpkg_extensions rows, one document
// (md_scope "dataset", mime type application/json) and references to it for the whole
// GeoPackage and for each layer. GDAL writes only its own XML metadata there, so this is SQL.
void write_gpkg_metadata(GDALDataset& ds, const std::string& json,
                         const std::vector<std::string>& layers, const std::string& stage) {
    const std::string what = "register the provenance in gpkg_metadata";
    run_sql(ds, kCreateGpkgExtensions, what, stage);
    run_sql(ds,
            "CREATE TABLE IF NOT EXISTS gpkg_metadata (id INTEGER CONSTRAINT m_pk PRIMARY KEY "
            "ASC NOT NULL, md_scope TEXT NOT NULL DEFAULT 'dataset', md_standard_uri TEXT NOT "
            "NULL, mime_type TEXT NOT NULL DEFAULT 'text/xml', metadata TEXT NOT NULL DEFAULT '')",
            what, stage);
    run_sql(ds,
            "CREATE TABLE IF NOT EXISTS gpkg_metadata_reference (reference_scope TEXT NOT NULL, "
            "table_name TEXT, column_name TEXT, row_id_value INTEGER, timestamp DATETIME NOT "
            "NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), md_file_id INTEGER NOT NULL, "
            "md_parent_id INTEGER, CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES "
            "gpkg_metadata(id), CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES "
            "gpkg_metadata(id))",
            what, stage);
    for (const char* table : {"gpkg_metadata", "gpkg_metadata_reference"})
        run_sql(ds,
                "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, "
                "definition, scope) SELECT '" +
                    std::string(table) +
                    "', NULL, 'gpkg_metadata', "
                    "'http://www.geopackage.org/spec120/#extension_metadata', 'read-write' "
                    "WHERE NOT EXISTS (SELECT 1 FROM gpkg_extensions WHERE table_name = '" +
                    table + "' AND extension_name = 'gpkg_metadata')",
                what, stage);
    run_sql(ds,
            "INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) VALUES "
            "('dataset', 'urn:whitezone:provenance:1', 'application/json', " +
                sql_text(json) + ")",
            what, stage);
    const std::string id = "(SELECT max(id) FROM gpkg_metadata)";
    run_sql(ds,
            "INSERT INTO gpkg_metadata_reference (reference_scope, table_name, md_file_id) "
            "VALUES ('geopackage', NULL, " +
                id + ")",
            what, stage);
    for (const std::string& layer : layers)
        run_sql(ds,
                "INSERT INTO gpkg_metadata_reference (reference_scope, table_name, md_file_id) "
                "VALUES ('table', " +
                    sql_text(layer) + ", " + id + ")",
                what, stage);
}

class FileSink : public Sink {
  public:
    FileSink(std::string path, OutputFormat format, bool overwrite, const std::string& crs,
             std::string_view stage, const Provenance* provenance, bool csv_bom,
             std::vector<SideFile> side, Log log, int threads)
        : m_path(std::move(path)), m_format(file_format(format)), m_overwrite(overwrite),
          m_srs(gdal::make_srs(crs)), m_stage(stage), m_provenance(provenance), m_csv_bom(csv_bom),
          m_side(std::move(side)), m_log(std::move(log)), m_threads(std::max(1, threads)) {
        if (!m_srs)
            throw ExternalError(m_stage + ": GDAL cannot read the output CRS");
        // The warnings of the write itself (values cut to a Shapefile's 254 bytes) come after
        // the run's provenance was made: noted here, they go into the provenance written
        // after the layers, as every warning printed does (docs/output.md#provenance).
        m_log.warn = [this, next = std::move(m_log.warn)](std::string_view message) {
            note_warning(message);
            if (next)
                next(message);
        };
    }

    // m_log's warn refers to this sink.
    FileSink(const FileSink&) = delete;
    FileSink& operator=(const FileSink&) = delete;

    void write(const std::vector<Table>& tables) override {
        gdal::ensure_initialised();
        m_written_warnings.clear();
        const atomic::Kind kind = m_format.folder ? atomic::Kind::Folder : atomic::Kind::GeoPackage;
        atomic::remove_stale(m_path);
        atomic::check_replaceable(m_path, kind, m_overwrite, m_stage);
        // The side files beside a GeoPackage: each checked like the output, then written
        // under a temporary name with the output, and swapped in right after it.
        if (!m_format.folder)
            for (const SideFile& f : m_side) {
                const fs::path target = side_file_path(m_path, m_format.format, f.name);
                atomic::remove_stale(target);
                atomic::check_replaceable(target, atomic::Kind::File, m_overwrite, m_stage);
            }
        const std::string listing = manifest(m_format.format, tables, m_provenance != nullptr);
        if (m_format.folder) {
            atomic::write(m_path, kind, listing, [&](const fs::path& temp) {
                with_side_files([&] { write_folder(temp, tables); },
                                [&](std::size_t k) { m_side[k].write(temp / m_side[k].name); });
            });
            return;
        }
        // Every file written under a temporary name first (a failure removes them all and leaves
        // the old files as they were), then the output swapped in, then the side files.
        std::optional<atomic::Staged> output;
        std::vector<std::optional<atomic::Staged>> beside(m_side.size());
        with_side_files(
            [&] {
                output.emplace(m_path, kind, listing,
                               [&](const fs::path& temp) { write_file(temp, tables); });
            },
            [&](std::size_t k) {
                beside[k].emplace(side_file_path(m_path, m_format.format, m_side[k].name),
                                  atomic::Kind::File, "", m_side[k].write);
            });
        output->commit();
        for (auto& file : beside)
            file->commit();
    }

  private:
    // Runs `tables` (the output's own files) and `side(k)` for each side file k at once on up to
    // m_threads threads, each task taken by the next free thread: each file is written by one
    // thread, so the files are the same for any number. After a failure no task starts; once the
    // tasks running have ended, the failure that says a disk is full is thrown, else the first.
    // (A full disk fails every file being written, and not every error says why: a driver's
    // may not, and files::full_disk_hint() without the write's errno reads the space left,
    // which the removal of another failed file may have freed meanwhile.)
    void with_side_files(const std::function<void()>& tables,
                         const std::function<void(std::size_t)>& side) const {
        const auto run = [&](std::size_t t) {
            if (t > 0)
                return side(t - 1);
            // SQLite (GeoPackage) need not sync each transaction of the temporary file: it is
            // synced once, whole, before it replaces the output (atomic::Staged), and a crash
            // before that leaves only a temporary that the next run removes. (A setting of the
            // thread that writes it.)
            const gdal::ConfigScope no_sync("OGR_SQLITE_SYNCHRONOUS", "OFF");
            // Pages of 16 KiB rather than SQLite's 4 KiB: a quarter of the pages to fill and
            // write for the same rows (a villages row is about 1 KiB), 0.2 s of the national
            // write (docs/performance.md). Pragmas a user gives GDAL come after, and win.
            const char* given = CPLGetConfigOption("OGR_SQLITE_PRAGMA", nullptr);
            const std::string pragmas =
                std::string("page_size=16384") + (given ? std::string(",") + given : "");
            const gdal::ConfigScope pages("OGR_SQLITE_PRAGMA", pragmas.c_str());
            tables();
        };
        const std::size_t tasks = 1 + m_side.size();
        std::atomic<std::size_t> next{0};
        std::atomic<bool> failed{false};
        std::vector<std::exception_ptr> errors(tasks);
        parallel::for_ranges(std::min(tasks, static_cast<std::size_t>(m_threads)), m_threads,
                             [&](std::size_t, std::size_t, std::size_t) {
                                 for (std::size_t t = next++; t < tasks && !failed; t = next++) {
                                     try {
                                         run(t);
                                     } catch (...) {
                                         errors[t] = std::current_exception();
                                         failed = true;
                                     }
                                 }
                             });
        const auto says_full = [](const std::exception_ptr& e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& x) {
                // SQLite's "database or disk is full", gdal::full_disk_hint()'s "… is full".
                return std::string_view(x.what()).find("is full") != std::string_view::npos;
            } catch (...) {
                return false;
            }
        };
        std::exception_ptr thrown;
        for (const std::exception_ptr& e : errors)
            if (e && (!thrown || (says_full(e) && !says_full(thrown))))
                thrown = e;
        if (thrown)
            std::rethrow_exception(thrown);
    }

    void write_file(const fs::path& file, const std::vector<Table>& tables) {
        GDALDatasetUniquePtr ds = create(m_format.driver, file);
        // Every layer made in order (the file lists them so), filled in three rounds: the
        // tables whose rows are there, those that wait for the end of the analysis, the late
        // ones.
        std::vector<TableLayer> made;
        for (const auto& t : tables)
            made.push_back(create_table_layer(*ds, t, m_srs.get(), m_format.style, m_stage,
                                              description(t), m_log));
        // GDAL's GeoPackage driver puts off making each table until its first row, and a file
        // lists its layers in the order they were made: made now, in order.
        for (const TableLayer& layer : made)
            if (layer.layer->SyncToDisk() != OGRERR_NONE)
                throw ExternalError(m_stage + ": cannot make layer '" +
                                    std::string(layer.layer->GetName()) +
                                    "': " + gdal::last_error());
        // The rows go in through SQLite's own statements once GDAL has made the layers and
        // closed the file (gpkg_rows.hpp), made against the layers' definitions, kept past it.
        struct Release {
            void operator()(OGRFeatureDefn* defn) const { defn->Release(); }
        };
        std::vector<std::unique_ptr<OGRFeatureDefn, Release>> defns;
        for (const TableLayer& layer : made) {
            OGRFeatureDefn* defn = layer.layer->GetLayerDefn();
            defn->Reference();
            defns.emplace_back(defn);
        }
        gdal::close_checked(ds, m_stage); // with its feature-count triggers
        double index_seconds = 0;
        {
            GpkgRows rows(file, m_stage);
            for (const int round : {0, 1, 2})
                for (std::size_t k = 0; k < tables.size(); ++k)
                    if (fill_round(tables[k]) == round)
                        rows.fill(tables[k], *defns[k], made[k].written, m_format.style, m_log,
                                  m_threads);
            index_seconds = rows.index_seconds();
        }
        ds = open_update(file);
        write_layer_styles(*ds, tables, m_stage); // QGIS's default style per layer
        if (m_provenance) {
            const Provenance provenance = written_provenance();
            const auto rows = provenance_rows(provenance);
            const Table table = provenance_table(rows);
            write_table(*ds, table, nullptr, m_format.style, m_stage, description(table));
            std::vector<std::string> layers;
            for (const auto& t : tables)
                layers.push_back(t.info.name);
            layers.push_back(table.info.name);
            write_gpkg_metadata(*ds, to_json(provenance), layers, m_stage);
        }
        gdal::close_checked(ds, m_stage);
        m_log.say(m_stage + ": spatial indexes packed in " + text::fixed(index_seconds, 2) + " s");
    }

    // A layer's one-line description; with provenance, also the version, the start and the
    // model that made it.
    [[nodiscard]] std::string description(const Table& t) const {
        if (!m_provenance)
            return t.info.description;
        return t.info.description + ". whitezone " + m_provenance->version + ", " +
               m_provenance->started_utc + "; " + m_provenance->model;
    }

    // Counts `count` more of a warning in `counts`, by its message, in the order first issued.
    static void count_warning(std::vector<WarningCount>& counts, std::string message, long count) {
        for (WarningCount& w : counts)
            if (w.message == message) {
                w.count += count;
                return;
            }
        counts.push_back({std::move(message), count});
    }

    // Notes a warning of this write (passwords removed, as the run's are).
    void note_warning(std::string_view message) {
        count_warning(m_written_warnings, text::scrub_secrets(message), 1);
    }

    // The run's provenance with the warnings this write has issued so far counted in.
    [[nodiscard]] Provenance written_provenance() const {
        Provenance p = *m_provenance;
        for (const WarningCount& w : m_written_warnings)
            count_warning(p.warnings, w.message, w.count);
        return p;
    }

    // provenance.json in the folder being written.
    void write_provenance_file(const fs::path& folder) const {
        const fs::path file = folder / kProvenanceFile;
        std::ofstream out(file, std::ios::binary);
        out << to_json(written_provenance()) << "\n";
        out.close();
        if (!out)
            throw ExternalError(m_stage + ": writing '" + std::string(kProvenanceFile) +
                                "' failed; is the disk full? Free some space and run again; "
                                "the previous output, if any, is unchanged.");
    }

    void write_folder(const fs::path& folder, const std::vector<Table>& tables) {
        // One file per table, in the rounds of write_file().
        std::vector<const Table*> order;
        for (const int round : {0, 1, 2})
            for (const auto& t : tables)
                if (fill_round(t) == round)
                    order.push_back(&t);
        for (const Table* table : order) {
            const Table& t = *table;
            const bool table_only =
                t.info.geometry == GeometryType::None && m_format.table_driver != nullptr;
            const char* name = table_only ? m_format.table_driver : m_format.driver;
            const fs::path file = folder / (t.info.name + (table_only ? m_format.table_extension
                                                                      : m_format.extension));
            GDALDatasetUniquePtr ds = create(name, file);
            LayerStyle style = table_only ? file_format(OutputFormat::CSV).style : m_format.style;
            if (m_csv_bom && std::string_view(name) == "CSV")
                style.options.emplace_back("WRITE_BOM=YES"); // Excel then reads UTF-8
            write_table(*ds, t, m_srs.get(), style, m_stage, "", m_log, m_threads);
            gdal::close_checked(ds, m_stage);
            // A Shapefile table without geometry is its .dbf alone.
            fs::path written = file;
            if (!fs::exists(written) && fs::exists(fs::path(file).replace_extension(".dbf")))
                written.replace_extension(".dbf");
            verify(written, t);
        }
        if (m_provenance)
            write_provenance_file(folder);
    }

    // Opens the GeoPackage being written again, for the tables written after the rows.
    GDALDatasetUniquePtr open_update(const fs::path& file) const {
        const char* const drivers[] = {"GPKG", nullptr};
        GDALDatasetUniquePtr ds(
            GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers));
        if (!ds)
            throw ExternalError(m_stage + ": cannot open '" + file.string() +
                                "' again after its rows: " + gdal::last_error());
        return ds;
    }

    GDALDatasetUniquePtr create(const char* name, const fs::path& file) const {
        GDALDatasetUniquePtr ds(
            driver(name, m_stage)->Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds)
            throw ExternalError(m_stage + ": cannot create '" + file.string() +
                                "': " + gdal::last_error());
        return ds;
    }

    // Reads `file` back and checks that it holds every row of `table`; a CSV must also end
    // with a whole line. Throws ExternalError naming the file otherwise.
    void verify(const fs::path& file, const Table& table) const {
        auto fail = [&](const std::string& why) {
            throw ExternalError(m_stage + ": writing '" + file.filename().string() + "' failed (" +
                                why +
                                "); is the disk full? Free some space and run again; the "
                                "previous output, if any, is unchanged.");
        };
        if (text::lower(file.extension().string()) == ".csv") {
            std::ifstream in(file, std::ios::binary | std::ios::ate);
            const auto size = in.tellg();
            char last = 0;
            if (size > 0) {
                in.seekg(-1, std::ios::end);
                in.get(last);
            }
            if (!in || last != '\n')
                fail("the file ends in the middle of a line");
        }
        gdal::QuietScope quiet;
        GDALDatasetUniquePtr ds(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
        if (!ds || ds->GetLayerCount() != 1)
            fail("GDAL cannot read it back: " + gdal::last_error());
        OGRLayer* layer = ds->GetLayer(0);
        std::size_t n = 0;
        layer->ResetReading();
        while (OGRFeatureUniquePtr f{layer->GetNextFeature()})
            ++n;
        if (const std::size_t rows = rows_of(table); n != rows)
            fail("it holds " + std::to_string(n) + " of " + std::to_string(rows) + " features");
    }

    std::string m_path;
    const FileFormat& m_format;
    bool m_overwrite;
    gdal::SrsPtr m_srs;
    std::string m_stage;
    const Provenance* m_provenance;
    bool m_csv_bom;
    std::vector<SideFile> m_side;
    Log m_log;
    int m_threads; ///< for the output and its side files (with_side_files())
    std::vector<WarningCount> m_written_warnings; ///< issued by the write in progress
};

} // namespace

fs::path side_file_path(const fs::path& target, OutputFormat format, std::string_view name) {
    if (writes_folder(format))
        return target / name;
    return target.parent_path() / (target.stem().string() + "_" + std::string(name));
}

bool writes_folder(OutputFormat format) {
    return format != OutputFormat::PostGIS && format != OutputFormat::Console &&
           file_format(format).folder;
}

std::unique_ptr<Sink> make_file_sink(const std::string& path, OutputFormat format, bool overwrite,
                                     const std::string& crs, std::string_view stage,
                                     const Provenance* provenance, bool csv_bom,
                                     std::vector<SideFile> side, Log log, int threads) {
    return std::make_unique<FileSink>(path, format, overwrite, crs, stage, provenance, csv_bom,
                                      std::move(side), std::move(log), threads);
}

} // namespace whitezone::report
