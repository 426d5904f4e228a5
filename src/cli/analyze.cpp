// `whitezone analyze`: coverage, status and gap ranking of every village.

#include "whitezone/compare.hpp"
#include "whitezone/pipeline.hpp"

#include "cli/command.hpp"
#include "cli/common.hpp"

#include <filesystem>

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
        app.add_option("--baseline", m_baseline,
                       "Last year's result of analyze: the summary gains \"since last year\" "
                       "columns (docs/compare.md#baseline)");
    }
    int run(const Io& io) override {
        Config config = config_from_flags(m_flags);
        config.write.console = &io.out;
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
        io.out << format_summary(r.summary);
        if (since)
            io.out << "\nsince the baseline\n" << format_comparison(since->comparison);
        io.out << "\noutputs: " << output_path(config.write) << " (layers " << layer_list({})
               << "; CRS "
               << (config.write.format == OutputFormat::GeoJSON ? std::string("EPSG:4326")
                                                                : r.inputs.work_crs)
               << ")\n";
        if (r.signal && config.write.format == OutputFormat::Console) {
            io.out << "rasters: not written (the console format writes no file; use "
                      "--format gpkg for the signal GeoTIFFs)\n";
        } else if (r.signal) {
            // The ITM model's rasters beside the output: RESULTS_signal_dbm_any.tif, … for a
            // file, FOLDER/signal_dbm_any.tif, … for a folder of layers.
            const std::filesystem::path out = output_path(config.write);
            const std::string prefix = out.has_extension()
                                           ? (out.parent_path() / out.stem()).string() + "_"
                                           : (out / "").string();
            for (const std::string& path :
                 write_signal_rasters(*r.signal, r.inputs.work_crs_wkt, prefix))
                io.out << "raster: " << path << "\n";
        }
        return 0;
    }

  private:
    AnalysisFlags m_flags;
    std::string m_baseline;
};

} // namespace

std::unique_ptr<Command> make_analyze_command() { return std::make_unique<Analyze>(); }

} // namespace whitezone::cli
