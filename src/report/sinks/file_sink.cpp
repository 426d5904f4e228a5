// The GDAL file formats, from one driver table: a GeoPackage file, or a folder with one file
// per table. Written atomically (common/atomic.hpp), then read back before the swap: some
// drivers do not report a failed write (GDAL's GeoJSON writer on a full disk), so a file
// that does not hold every row is caught here and the previous output is kept.

#include "whitezone/error.hpp"

#include "common/atomic.hpp"
#include "common/text.hpp"
#include "gdal/gdal.hpp"
#include "report/sinks/ogr_table.hpp"
#include "report/sinks/sink.hpp"
#include "report/styles.hpp"

#include <fstream>

namespace fs = std::filesystem;

namespace whitezone::report {

namespace {

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
        {OutputFormat::GeoPackage, "GPKG", ".gpkg", false, nullptr, nullptr,
         LayerStyle{{}, {}, {"fid", "geom"}, {}, false, true}},
        // RFC7946=YES reprojects to WGS 84, as the RFC requires.
        {OutputFormat::GeoJSON, "GeoJSON", ".geojson", true, nullptr, nullptr,
         LayerStyle{{"RFC7946=YES"}, {}, {}, {}, false, true}},
        {OutputFormat::Shapefile, "ESRI Shapefile", ".shp", true, nullptr, nullptr,
         LayerStyle{{"ENCODING=UTF-8"}, {}, {}, {}, true, true}},
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

std::string manifest(OutputFormat format, const std::vector<Table>& tables) {
    std::string layers;
    for (const auto& t : tables)
        layers += (layers.empty() ? "\"" : ", \"") + t.info.name + "\"";
    return "{\"written_by\": \"whitezone\", \"format\": \"" + std::string(to_string(format)) +
           "\", \"layers\": [" + layers + "]}";
}

class FileSink : public Sink {
  public:
    FileSink(std::string path, OutputFormat format, bool overwrite, const std::string& crs,
             std::string_view stage, bool csv_bom)
        : m_path(std::move(path)), m_format(file_format(format)), m_overwrite(overwrite),
          m_srs(gdal::make_srs(crs)), m_stage(stage), m_csv_bom(csv_bom) {
        if (!m_srs)
            throw ExternalError(m_stage + ": GDAL cannot read the output CRS");
    }

    void write(const std::vector<Table>& tables) override {
        gdal::ensure_initialised();
        const atomic::Kind kind = m_format.folder ? atomic::Kind::Folder : atomic::Kind::GeoPackage;
        atomic::remove_stale(m_path);
        atomic::check_replaceable(m_path, kind, m_overwrite, m_stage);
        // SQLite (GeoPackage) need not sync each transaction of the temporary file: it is
        // synced once, whole, before it replaces the output (atomic::write), and a crash
        // before that leaves only a temporary that the next run removes.
        const gdal::ConfigScope no_sync("OGR_SQLITE_SYNCHRONOUS", "OFF");
        atomic::write(m_path, kind, manifest(m_format.format, tables), [&](const fs::path& temp) {
            if (m_format.folder)
                write_folder(temp, tables);
            else
                write_file(temp, tables);
        });
    }

  private:
    void write_file(const fs::path& file, const std::vector<Table>& tables) {
        GDALDatasetUniquePtr ds = create(m_format.driver, file);
        for (const auto& t : tables)
            write_table(*ds, t, m_srs.get(), m_format.style, m_stage);
        write_layer_styles(*ds, tables, m_stage); // QGIS's default style per layer
        gdal::close_checked(ds, m_stage);
    }

    void write_folder(const fs::path& folder, const std::vector<Table>& tables) {
        for (const auto& t : tables) {
            const bool table_only =
                t.info.geometry == GeometryType::None && m_format.table_driver != nullptr;
            const char* name = table_only ? m_format.table_driver : m_format.driver;
            const fs::path file = folder / (t.info.name + (table_only ? m_format.table_extension
                                                                      : m_format.extension));
            GDALDatasetUniquePtr ds = create(name, file);
            LayerStyle style = table_only ? file_format(OutputFormat::CSV).style : m_format.style;
            if (m_csv_bom && std::string_view(name) == "CSV")
                style.options.emplace_back("WRITE_BOM=YES"); // Excel then reads UTF-8
            write_table(*ds, t, m_srs.get(), style, m_stage);
            gdal::close_checked(ds, m_stage);
            // A Shapefile table without geometry is its .dbf alone.
            fs::path written = file;
            if (!fs::exists(written) && fs::exists(fs::path(file).replace_extension(".dbf")))
                written.replace_extension(".dbf");
            verify(written, t);
        }
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
        if (n != table.rows)
            fail("it holds " + std::to_string(n) + " of " + std::to_string(table.rows) +
                 " features");
    }

    std::string m_path;
    const FileFormat& m_format;
    bool m_overwrite;
    gdal::SrsPtr m_srs;
    std::string m_stage;
    bool m_csv_bom;
};

} // namespace

bool writes_folder(OutputFormat format) {
    return format != OutputFormat::PostGIS && format != OutputFormat::Console &&
           file_format(format).folder;
}

std::unique_ptr<Sink> make_file_sink(const std::string& path, OutputFormat format, bool overwrite,
                                     const std::string& crs, std::string_view stage, bool csv_bom) {
    return std::make_unique<FileSink>(path, format, overwrite, crs, stage, csv_bom);
}

} // namespace whitezone::report
