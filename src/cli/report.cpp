// `whitezone report`: the yearly report of a result of analyze, as one HTML page with a map or
// as Markdown, in Vietnamese or English (docs/report.md).

#include "whitezone/error.hpp"
#include "whitezone/publish.hpp"

#include "cli/command.hpp"
#include "cli/common.hpp"

namespace whitezone::cli {

namespace {

class ReportCommand final : public Command {
  public:
    [[nodiscard]] std::string_view name() const override { return "report"; }
    [[nodiscard]] std::string_view description() const override {
        return "Write the yearly report of a result: text, tables per unit and a map (HTML or "
               "Markdown, Vietnamese or English)";
    }
    void setup(CLI::App& app) override {
        app.add_option("--results", m_options.results, "This year's result of analyze (.gpkg)")
            ->required();
        app.add_option("--baseline", m_options.baseline,
                       "Last year's result of analyze (.gpkg): its numbers beside this year's");
        app.add_option("--plan", m_options.plan,
                       "A result of plan (.gpkg): proposed sites and backhaul links on the map");
        app.add_option("--trend", m_options.trend,
                       "A result of trend (.gpkg with a trend layer): the chart per year");
        app.add_option("--lang", m_lang, "Language of the text: vi (default) or en");
        app.add_option("--format", m_format, "html (default: one page with a map) or md");
        app.add_option("--level", m_options.level,
                       "Level of the tables per unit: province, district, commune, unit (the "
                       "units of analyze --units) or auto (default: the units where the result "
                       "has them, else districts, else communes)");
        app.add_option("--tile-url", m_options.tile_url,
                       "Base map tiles, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png "
                       "(default none: the page needs no network)");
        app.add_option("--simplify-m", m_simplify,
                       "Simplify polygons on the map to this many metres (default 25)")
            ->type_name("METRES");
        app.add_option("--out", m_options.out, "The report file (.html, or .md with --format md)")
            ->required();
        app.add_flag("--overwrite", m_options.overwrite, "Replace an existing report file");
    }
    int run(const Io& io) override {
        if (m_lang == "vi")
            m_options.language = ReportLanguage::Vi;
        else if (m_lang == "en")
            m_options.language = ReportLanguage::En;
        else
            throw UsageError("--lang '" + m_lang +
                             "' is not a language of the report; use vi "
                             "(Vietnamese) or en (English).");
        if (m_format == "html")
            m_options.format = ReportFormat::Html;
        else if (m_format == "md" || m_format == "markdown")
            m_options.format = ReportFormat::Markdown;
        else
            throw UsageError("--format '" + m_format + "' is not a report format; use html or md.");
        if (!m_simplify.empty())
            m_options.simplify_m = number_flag("--simplify-m", m_simplify, 0.0, 10000.0,
                                               "a distance in metres from 0 to 10000");
        write_report(m_options);
        io.out << "report: " << m_options.out << "\n";
        return 0;
    }

  private:
    ReportOptions m_options;
    std::string m_lang = "vi", m_format = "html", m_simplify;
};

} // namespace

std::unique_ptr<Command> make_report_command() { return std::make_unique<ReportCommand>(); }

} // namespace whitezone::cli
