// `whitezone compare`: two results of analyze village by village (docs/compare.md).

#include "whitezone/compare.hpp"

#include "whitezone/error.hpp"

#include "cli/command.hpp"
#include "cli/common.hpp"

namespace whitezone::cli {

namespace {

class CompareCommand final : public Command {
  public:
    [[nodiscard]] std::string_view name() const override { return "compare"; }
    [[nodiscard]] std::string_view description() const override {
        return "Compare two results of analyze (last year's and this year's) village by village";
    }
    void setup(CLI::App& app) override {
        app.add_option("--before", m_before,
                       "The earlier result of analyze: .gpkg, folder of layers or PG:…")
            ->required();
        app.add_option("--after", m_after, "The later result of analyze (same kinds)")->required();
        app.add_option("--match-tolerance", m_tolerance,
                       "Villages without a matching id are matched by place: a centre in the "
                       "other's polygon, else the nearest centre within this many metres "
                       "(default 300, config \"compare.match_tolerance_m\")")
            ->type_name("METRES");
        app.add_option("--config", m_flags.config,
                       "JSON config file: its \"villages.fields\" name the id, name and unit "
                       "fields");
        app.add_option("--out", m_flags.out,
                       "Output .gpkg file, folder for --format geojson|shp|csv|fgb, or PG:… "
                       "(default whitezone-changes.gpkg / whitezone-changes/)");
        app.add_option("--format", m_flags.format, "gpkg (default), geojson, shp, csv or fgb");
        app.add_flag("--overwrite", m_flags.overwrite, "Replace an existing output");
        app.add_flag("-v,--verbose", m_flags.verbose, "Log each step with counts and times");
    }
    int run(const Io& io) override {
        Config config = config_from_flags(m_flags);
        if (m_flags.out.empty() && !is_postgis_path(config.write.path) &&
            (config.write.path.empty() || config.write.path == "whitezone-results.gpkg" ||
             config.write.path == "whitezone-results"))
            config.write.path = config.write.format == OutputFormat::GeoPackage
                                    ? "whitezone-changes.gpkg"
                                    : "whitezone-changes";
        // "compare.match_tolerance_m" from the config; the flag wins.
        config.compare.village_fields = config.prepare.village_fields;
        if (!m_tolerance.empty())
            config.compare.match_tolerance_m =
                number_flag("--match-tolerance", m_tolerance, 0.0, 1e6,
                            "a distance in metres from 0 to 1000000");
        const Comparison c = run_compare_and_write(m_before, m_after, config,
                                                   make_context(io, config, m_flags.verbose));
        io.out << format_comparison(c);
        io.out << "\noutputs: " << output_path(config.write) << " (layers "
               << layer_list({.analysis = false, .changes = true}) << ")\n";
        return 0;
    }

  private:
    AnalysisFlags m_flags;
    std::string m_before, m_after, m_tolerance;
};

} // namespace

std::unique_ptr<Command> make_compare_command() { return std::make_unique<CompareCommand>(); }

} // namespace whitezone::cli
