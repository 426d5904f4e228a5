// `whitezone analyze`: coverage, status and gap ranking of every village.

#include "whitezone/compare.hpp"
#include "whitezone/error.hpp"
#include "whitezone/pipeline.hpp"

#include "cli/command.hpp"
#include "cli/common.hpp"

namespace whitezone::cli {

namespace {

class Analyze final : public Command {
  public:
    [[nodiscard]] std::string_view name() const override { return "analyze"; }
    [[nodiscard]] std::string_view description() const override {
        return "Coverage, white/partial/covered status and gap ranking of every village";
    }
    void setup(CLI::App& app) override {
        add_analysis_flags(app, m_flags);
        app.add_option("--level", m_level,
                       "The units the console lists under each province: province, district, "
                       "commune or unit (default: the units of --units, else districts, else "
                       "communes)");
        app.add_option("--baseline", m_baseline,
                       "Last year's result of analyze: the summary gains \"since last year\" "
                       "columns (docs/compare.md#baseline)");
        app.add_option("--measurements", m_measurements,
                       "CSV of measured signal levels (drive tests, OpenCelliD averageSignal) to "
                       "check the ITM model against; config \"calibrate\": true fits an offset "
                       "(docs/itm.md#calibration-against-measurements)");
    }
    int run(const Io& io) override {
        Config config = config_from_flags(m_flags);
        if (!m_level.empty()) {
            if (m_level != "province" && m_level != "district" && m_level != "commune" &&
                m_level != "unit" && m_level != "auto")
                throw UsageError("--level '" + m_level +
                                 "' is not known; use province, district, commune or unit.");
            config.level = m_level;
        }
        config.write.console = &io.out;
        if (!m_measurements.empty())
            config.measurements = m_measurements;
        std::optional<BaselineRun> since;
        if (!m_baseline.empty()) {
            CompareOptions options = config.compare;
            options.village_fields = config.prepare.village_fields;
            since = run_with_baseline_and_write(config, m_baseline, options,
                                                make_context(io, config, m_flags.verbose));
        }
        const AnalysisResult r =
            since ? std::move(since->result)
                  : run_and_write(config, make_context(io, config, m_flags.verbose));
        io.out << describe_model(config) << "\n"; // the console's first line: the model
        io.out << format_summary(r.summary, config.level);
        if (since)
            io.out << "\nsince the baseline\n" << format_comparison(since->comparison);
        io.out << "\noutputs: " << output_path(config.write) << " (layers " << layer_list({})
               << "; CRS "
               << (config.write.format == OutputFormat::GeoJSON ? std::string("EPSG:4326")
                                                                : r.inputs.work_crs)
               << ")\n";
        const OutputFormat format = output_format(config.write);
        if (r.signal && format == OutputFormat::Console) {
            io.out << "rasters: not written (the console format writes no file; use "
                      "--format gpkg for the signal GeoTIFFs)\n";
        } else if (r.signal && format == OutputFormat::PostGIS) {
            // No file beside a database: nothing is written outside the output.
            io.out << "rasters: not written (a PostGIS output has no folder to hold them; run "
                      "again with --out FILE.gpkg for the signal GeoTIFFs)\n";
        } else if (r.signal) {
            // The ITM model's files, written with the output (write_outputs()).
            for (const std::string& path :
                 signal_file_paths(config.write, r.calibration.has_value()))
                io.out << (path.ends_with("measurements.csv") ? "measurements: "
                           : path.ends_with(".csv")           ? "table: "
                                                              : "raster: ")
                       << path << "\n";
        }
        if (r.calibration) {
            io.out << "\naccuracy against " << r.calibration->source
                   << " (error = predicted - measured, ITM median)\n";
            for (const std::string& line : describe_accuracy(*r.calibration))
                io.out << "  " << line << "\n";
        }
        return 0;
    }

  private:
    AnalysisFlags m_flags;
    std::string m_baseline;
    std::string m_measurements;
    std::string m_level;
};

} // namespace

std::unique_ptr<Command> make_analyze_command() { return std::make_unique<Analyze>(); }

} // namespace whitezone::cli
