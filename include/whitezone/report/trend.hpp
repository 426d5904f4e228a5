#pragma once
/// \file report/trend.hpp
/// The trend of `whitezone trend`: white, partial and covered villages per year, counted with
/// the stations on air by the end of each year (docs/trend.md), its console table and its
/// chart (SVG).

#include "whitezone/report.hpp"
#include "whitezone/types.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace whitezone {

/// Options of `whitezone trend` (flags only; no config key).
struct TrendOptions {
    /// First and last year counted; unset: the first and the last on-air year of the stations.
    std::optional<int> from, to;
    /// Where the chart goes: a path ending in .svg. Empty: trend_chart_path()'s default.
    std::string chart;
    /// false (--no-chart): no chart is written.
    bool write_chart = true;
    /// One station list per year (--stations-year YEAR=PATH, repeated): the network as it
    /// stood at the end of that year, read with the fields, CRS and layer options of
    /// --stations. Empty: each year's network comes from the on-air years of --stations.
    std::map<int, std::string> stations_by_year;
};

/// One station list per year: the network as it stood at the end of each year, prepared into
/// the analysis' work CRS (load_year_stations(), pipeline.hpp).
using YearNetworks = std::map<int, std::vector<Station>>;

/// One year: the stations on air by its end and the villages' statuses with them.
struct TrendRow {
    int year = 0;
    long stations = 0; ///< station rows (cells) on air, those without an on-air year included
    long sites = 0;    ///< their sites: distinct (operator, site id)
    PerClass<ClassCounts> counts; ///< all villages, per class
};

/// One year in one administrative unit: its villages' statuses with the network of that
/// year. Units are the summary's (summarize()): `level` is "province", "district",
/// "commune" or "unit" (a unit of --units), the names and codes above the level are filled
/// and those below are empty, as in SummaryRow.
struct TrendUnitRow {
    int year = 0;
    std::string level, province, district, commune;
    PerClass<ClassCounts> counts; ///< the unit's villages, per class
    /// The codes of the province, district and commune (SummaryRow::province_code, …).
    std::string province_code{}, district_code{}, commune_code{};
    /// A "unit" row's unit of --units: its code, name, level and parent code, as on the
    /// summary's unit rows; "" on other rows.
    std::string unit_code{}, unit_name{}, unit_level{}, parent_code{};
};

/// The trend, one row per year from `from` to `to` (with per-year lists: one per list).
struct Trend {
    /// The class the table shows first and the chart draws (config "rank.class").
    ServiceClass service_class = ServiceClass::Broadband;
    long undated = 0; ///< stations without an on-air year: on air in every year
    /// Each year's network came from its own station list (--stations-year), so sites may
    /// close from one year to the next.
    bool year_lists = false;
    std::vector<TrendRow> rows;
    /// Per year (in the order of `rows`), one row per unit at every level the villages carry,
    /// in the summary's order; empty when the villages carry no unit names.
    std::vector<TrendUnitRow> units;
};

/// The unit rows of `year`: the summary's province, district, commune and unit rows (not
/// "all") of the villages classified with that year's network, with their codes.
std::vector<TrendUnitRow> trend_unit_rows(int year, const PreparedInputs& inputs,
                                          const Classification& classification);

/// The row of `year`: `on_air` are the stations on air by its end, `classification` the
/// villages classified with them.
TrendRow trend_row(int year, const std::vector<Station>& on_air,
                   const Classification& classification);

/// The console table: one line per year with the sites and stations on air and the white,
/// partial and covered villages of both classes (trend.service_class first), then the series
/// of white + partial villages ("gap villages: 360 -> 179 -> 169 -> 138"), then that series
/// per unit: the provinces and the level below them (districts, else communes).
std::string format_trend(const Trend& trend);

/// The words and the digit grouping of the trend chart: English by default (as `whitezone
/// trend` writes it); `whitezone report --lang vi` gives Vietnamese ones (src/publish).
struct TrendChartWords {
    /// The title, followed by ", " and the class's words.
    std::string title = "White and partial villages per year";
    std::string class_broadband = "broadband signal (3G and up)";
    std::string class_any = "any signal (2G and up)";
    /// The subtitle, after the number of villages and a space.
    std::string subtitle = "villages; stations on air by the end of each year; above each bar: "
                           "white + partial";
    std::string white_key = "white (trắng sóng): no signal at the village centre";
    std::string partial_key =
        "partial (lõm sóng): signal at the centre, not in every residential cluster";
    /// A bar segment's words, in its tooltip ("2024: 12 white") and the chart's description.
    std::string white = "white", partial = "partial";
    std::string axis_y = "villages";
    std::string axis_x =
        "year (grey: sites on air by the end of the year); made by whitezone trend";
    char thousands = ','; ///< digit grouping of the numbers: 1,071 ('.' in Vietnamese: 1.071)
};

/// The chart as a standalone SVG document: per year, a bar of the white villages of
/// trend.service_class with the partial ones stacked on top, each labelled with its count and
/// the bar with white + partial; the sites on air under each year; axes, ticks, title and
/// legend, in `words`.
std::string trend_chart_svg(const Trend& trend, const TrendChartWords& words = {});

/// The chart's path: options.chart, else beside the output, "<output without extension>-trend.svg"
/// ("whitezone-results.gpkg" → "whitezone-results-trend.svg", folder "out" → "out-trend.svg";
/// PostGIS "PG:…" → "whitezone-results-trend.svg" in the current folder).
std::string trend_chart_path(const TrendOptions& options, const WriteOptions& write);

/// Throws UsageError when `path` does not end in .svg (the only chart format written), and
/// InputError when it exists and `overwrite` is false, is a folder, or its folder cannot be
/// written. Called before any work.
void check_trend_chart(const std::string& path, bool overwrite);

/// Writes trend_chart_svg() to `path` atomically (a temporary file beside it, then renamed).
void write_trend_chart(const Trend& trend, const std::string& path, bool overwrite);

} // namespace whitezone
