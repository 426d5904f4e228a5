// `whitezone trend`: white and partial villages per year (docs/trend.md).

#include "whitezone/report/trend.hpp"

#include "whitezone/error.hpp"
#include "whitezone/pipeline.hpp"

#include "cli/command.hpp"
#include "cli/common.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace whitezone::cli {

namespace {

// Flags of `whitezone trend` on top of the analysis' flags.
struct TrendFlags {
    std::optional<int> from, to;
    std::string chart;
    bool no_chart = false;
    std::vector<std::string> stations_year; // YEAR=PATH, repeated
};

void add_trend_options(CLI::App& cmd, TrendFlags& f) {
    cmd.add_option("--from", f.from, "First year counted (default: the first on-air year)")
        ->type_name("YEAR");
    cmd.add_option("--to", f.to, "Last year counted (default: the last on-air year)")
        ->type_name("YEAR");
    cmd.add_option("--chart", f.chart,
                   "The chart, an .svg file (default: beside the output, <out>-trend.svg)");
    cmd.add_flag("--no-chart", f.no_chart, "Write no chart");
    cmd.add_option("--stations-year", f.stations_year,
                   "The network at the end of one year, read like --stations (repeat it: "
                   "--stations-year 2023=st23.csv --stations-year 2024=st24.csv); sites that "
                   "close count")
        ->type_name("YEAR=PATH");
}

// "2024=st24.csv" → {2024, "st24.csv"}; the year a plausible one, each year once.
std::map<int, std::string> parse_stations_years(const std::vector<std::string>& items) {
    std::map<int, std::string> out;
    for (const std::string& item : items) {
        const auto eq = item.find('=');
        int year = 0;
        const std::string digits = item.substr(0, eq == std::string::npos ? 0 : eq);
        const bool numeric = !digits.empty() && digits.size() <= 4 &&
                             digits.find_first_not_of("0123456789") == std::string::npos;
        if (numeric)
            year = std::stoi(digits);
        if (eq == std::string::npos || !numeric || eq + 1 == item.size())
            throw UsageError(
                "--stations-year '" + item +
                "' is not YEAR=PATH; give e.g. --stations-year 2024=stations_2024.csv.");
        if (year < 1900 || year > 2100)
            throw UsageError("--stations-year " + item + ": the year " + std::to_string(year) +
                             " is out of range; give a year from 1900 to 2100.");
        if (!out.emplace(year, item.substr(eq + 1)).second)
            throw UsageError("--stations-year gives " + std::to_string(year) +
                             " twice; give one station list per year.");
    }
    return out;
}

// The trend's own options; the years must be plausible on-air years, in order.
TrendOptions make_trend_options(const TrendFlags& f) {
    for (const auto& [flag, year] : {std::pair{"--from", f.from}, std::pair{"--to", f.to}})
        if (year && (*year < 1900 || *year > 2100))
            throw UsageError(std::string(flag) + " " + std::to_string(*year) +
                             " is out of range; give a year from 1900 to 2100.");
    if (f.from && f.to && *f.from > *f.to)
        throw UsageError("--from " + std::to_string(*f.from) + " is after --to " +
                         std::to_string(*f.to) + "; give the years in order.");
    if (f.no_chart && !f.chart.empty())
        throw UsageError("--chart and --no-chart are given together; choose one.");
    TrendOptions options;
    options.from = f.from;
    options.to = f.to;
    options.chart = f.chart;
    options.write_chart = !f.no_chart;
    options.stations_by_year = parse_stations_years(f.stations_year);
    return options;
}

class TrendCommand final : public Command {
  public:
    [[nodiscard]] std::string_view name() const override { return "trend"; }
    [[nodiscard]] std::string_view description() const override {
        return "White and partial villages per year from the stations' on-air dates, as a "
               "table and a chart";
    }
    void setup(CLI::App& app) override {
        add_analysis_flags(app, m_flags);
        add_trend_options(app, m_trend);
    }
    int run(const Io& io) override {
        Config config = config_from_flags(m_flags);
        config.write.console = &io.out;
        const TrendOptions options = make_trend_options(m_trend);
        const TrendResult r =
            run_trend_and_write(config, options, make_context(io, config, m_flags.verbose));
        io.out << describe_model(config) << "\n"; // the console's first line: the model
        io.out << format_trend(r.trend);
        io.out << "\noutputs: " << output_path(config.write) << " (layers "
               << layer_list({.trend = true}) << ")";
        if (!r.chart.empty())
            io.out << "; chart " << r.chart;
        io.out << "\n";
        return 0;
    }

  private:
    AnalysisFlags m_flags;
    TrendFlags m_trend;
};

} // namespace

std::unique_ptr<Command> make_trend_command() { return std::make_unique<TrendCommand>(); }

} // namespace whitezone::cli
