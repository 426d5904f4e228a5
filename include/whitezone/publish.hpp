#pragma once
/// \file publish.hpp
/// The yearly report of `whitezone report` (docs/report.md): the layers of a result of
/// `analyze` read back by field name (and those of a baseline, a plan and a trend when given),
/// the report's sentences generated from the numbers in Vietnamese or English, tables per
/// unit, and one self-contained HTML page with an interactive map, or the same text as
/// Markdown.
///
/// Layers are read generically: a field that a later version adds (unit codes, per-operator
/// counts) is used where present and left out where absent.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace whitezone {

/// The report's language: Vietnamese (the default) or English.
enum class ReportLanguage : std::uint8_t { Vi, En };

/// What `whitezone report` writes: one HTML page, or the text and tables as Markdown.
enum class ReportFormat : std::uint8_t { Html, Markdown };

/// Options of `whitezone report` (flags only; docs/report.md).
struct ReportOptions {
    std::string results;  ///< this year's result of analyze (.gpkg); required
    std::string baseline; ///< last year's result of analyze (.gpkg); empty: none
    std::string plan;     ///< a result of plan (.gpkg with proposed_sites); empty: none
    std::string trend;    ///< a result of trend (.gpkg with a trend layer); empty: none
    std::string out;      ///< the report file; required
    ReportLanguage language = ReportLanguage::Vi;
    ReportFormat format = ReportFormat::Html;
    /// The level of the tables per unit: "province", "district", "commune" or "unit" (the units
    /// of analyze --units); empty or "auto": as analyze's console, the units where the summary
    /// has unit rows, else districts where it has districts, else communes.
    std::string level;
    /// An XYZ tile URL for a base map ("https://…/{z}/{x}/{y}.png"); empty: no base map, the
    /// page needs no network.
    std::string tile_url;
    /// Tolerance of the simplification of polygons for the map, in metres of the work CRS.
    double simplify_m = 25.0;
    bool overwrite = false; ///< replace an existing report file
};

/// One value of a layer read back: NULL, an integer, a real or a text.
using ReportValue = std::variant<std::monostate, std::int64_t, double, std::string>;

/// One layer read back by field name; geometry (when it has some) as GeoJSON in WGS 84.
struct ReportLayer {
    std::string name;
    std::vector<std::string> fields;
    std::vector<std::vector<ReportValue>> rows;
    std::vector<std::string> geojson; ///< per row, "" without geometry; empty vector: none read

    /// The index of field `field`, or −1.
    [[nodiscard]] int field(const std::string& field) const;
    /// Whether the layer has field `field`.
    [[nodiscard]] bool has(const std::string& field) const { return this->field(field) >= 0; }
    /// Row `row`'s value of `field` as a number; nullopt for NULL, text or a missing field.
    [[nodiscard]] std::optional<double> number(std::size_t row, const std::string& field) const;
    /// Row `row`'s value of `field` as text ("" for NULL or a missing field).
    [[nodiscard]] std::string text(std::size_t row, const std::string& field) const;
};

/// One result read back: its layers by name, and its provenance (key → value).
struct ReportSource {
    std::string path;
    std::map<std::string, ReportLayer> layers;
    std::map<std::string, std::string> provenance;

    /// The layer `name`, or null.
    [[nodiscard]] const ReportLayer* layer(const std::string& name) const;
};

/// Everything a report is made of.
struct ReportData {
    ReportSource results;
    std::optional<ReportSource> baseline, plan, trend;
};

/// Reads the inputs of `options`: the results' villages (with geometry), summary, sites,
/// stations, coverage (with geometry), provenance and summary_operators when present; the
/// baseline's summary; the plan's proposed_sites, backhaul_links and planned_stations; the
/// trend's trend layer. Throws InputError (exit 2) naming the file and what is wrong: a
/// missing file, not a GeoPackage, not a result of whitezone (no villages or summary layer,
/// no status field), a plan without proposed_sites, a trend without a trend layer.
ReportData read_report_data(const ReportOptions& options);

/// `n` with the language's digit grouping: 1.026 (vi), 1,026 (en).
std::string format_count(long long n, ReportLanguage language);

/// `value` rounded to `decimals` with grouping and the language's decimal mark: 1.234,5 (vi),
/// 1,234.5 (en).
std::string format_decimal(double value, int decimals, ReportLanguage language);

/// A share (0–1) as a percentage with one decimal: "96,5 %" (vi), "96.5 %" (en).
std::string format_percent(double share, ReportLanguage language);

/// One paragraph of the report: its text, and the numbers it states by key (for checks:
/// "villages", "white", …), plain (not formatted).
struct ReportParagraph {
    std::string id;   ///< "sites", "villages", "people", "change", "gaps", "limits", "model"
    std::string text; ///< the paragraph, one or more sentences
    std::vector<std::string> items;        ///< list items under it (the gap villages)
    std::map<std::string, double> numbers; ///< the numbers stated, by key
};

/// The report's sentences, generated from `data` with the template table of `language`
/// (docs/report.md lists both tables).
std::vector<ReportParagraph> report_sentences(const ReportData& data, ReportLanguage language);

/// The report as one HTML document (scripts and styles inlined; opens offline).
std::string render_report_html(const ReportData& data, const ReportOptions& options);

/// The report's text and tables as Markdown.
std::string render_report_markdown(const ReportData& data, const ReportOptions& options);

/// Reads the inputs, renders the report and writes it to options.out atomically. Throws
/// UsageError for a bad option, InputError for bad input or an output that may not be
/// replaced (without --overwrite).
void write_report(const ReportOptions& options);

} // namespace whitezone
