// The trend chart: a standalone SVG written by hand (no plotting library), stacked bars of
// white and partial villages per year, labelled so that the series can be read off it.

#include "whitezone/error.hpp"
#include "whitezone/report/trend.hpp"

#include "common/atomic.hpp"
#include "common/text.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace whitezone {

namespace {

constexpr const char* kWhiteColour = "#c0392b";   // no signal at the centre
constexpr const char* kPartialColour = "#f0a030"; // signal at the centre, not everywhere
constexpr const char* kFont = "DejaVu Sans, Arial, Helvetica, sans-serif";

// A coordinate, locale-free, one decimal.
std::string num(double v) { return text::fixed(v, 1); }

// A tick step of 1, 2 or 5 × 10^k giving at most about `ticks` intervals up to `max`.
long tick_step(long max, int ticks) {
    const double raw = std::max(1.0, static_cast<double>(max) / ticks);
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * power >= raw)
            return std::max(1L, static_cast<long>(std::llround(m * power)));
    return std::max(1L, static_cast<long>(std::llround(10.0 * power)));
}

// <text> with the usual attributes; `extra` is added verbatim (anchor, weight, fill).
std::string text_at(double x, double y, double size, const std::string& body,
                    const std::string& extra = "") {
    return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" font-size=\"" + num(size) + "\"" +
           (extra.empty() ? "" : " " + extra) + ">" + text::xml_escape(body) + "</text>\n";
}

// <rect>; a `tooltip` becomes its <title>, which browsers show on hover.
std::string rect(double x, double y, double w, double h, const std::string& fill,
                 const std::string& tooltip = "") {
    const std::string head = "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) +
                             "\" height=\"" + num(h) + "\" fill=\"" + fill + "\"";
    if (tooltip.empty())
        return head + "/>\n";
    return head + "><title>" + text::xml_escape(tooltip) + "</title></rect>\n";
}

std::string line(double x1, double y1, double x2, double y2, const std::string& stroke) {
    return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" +
           num(y2) + "\" stroke=\"" + stroke + "\" stroke-width=\"1\"/>\n";
}

// Width of a line of text, estimated (no font metrics here): 0.6 em per character, which
// covers DejaVu Sans and Arial for digits and lower-case Latin with diacritics.
double text_width(const std::string& s, double size) {
    return 0.6 * size * static_cast<double>(text::width(s));
}

// The font size, at most `size`, at which `s` fits in `room` pixels.
double fitting(const std::string& s, double size, double room) {
    return std::min(size, room / std::max(1.0, text_width(s, 1.0)));
}

} // namespace

std::string trend_chart_svg(const Trend& trend, const TrendChartWords& words) {
    const ServiceClass cls = trend.service_class;
    const std::size_t years = trend.rows.size();
    long max_gap = 0;
    for (const auto& r : trend.rows) {
        const ClassCounts& c = r.counts[index_of(cls)];
        max_gap = std::max(max_gap, c.white + c.partial);
    }
    const long villages = trend.rows.empty() ? 0 : trend.rows.front().counts[0].villages;

    const auto count = [&](long n) { return text::thousands(n, words.thousands); };
    const std::string title =
        words.title + ", " +
        (cls == ServiceClass::Broadband ? words.class_broadband : words.class_any);
    const std::string subtitle = count(villages) + " " + words.subtitle;
    const std::string& white_key = words.white_key;
    const std::string& partial_key = words.partial_key;

    // Layout, in pixels: a slot per year, wide enough for its labels, and room for the title.
    const double slot = years <= 12 ? 64.0 : years <= 24 ? 46.0 : 36.0;
    const double left = 72.0, right = 24.0, top = 112.0, bottom = 70.0, plot_h = 320.0;
    const double plot_w =
        std::max({slot * static_cast<double>(years), text_width(title, 17) * 1.05,
                  text_width(subtitle, 12), text_width(partial_key, 12) + 18, 480.0});
    const double slot_w = years ? plot_w / static_cast<double>(years) : plot_w;
    const double width = left + plot_w + right, height = top + plot_h + bottom;
    const long step = tick_step(max_gap, 5);
    const long axis_max = std::max(step, (max_gap + step - 1) / step * step);
    const auto y_of = [&](double v) {
        return top + plot_h - plot_h * v / static_cast<double>(axis_max);
    };

    std::ostringstream svg;
    svg << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" << num(width)
        << "\" height=\"" << num(height) << "\" viewBox=\"0 0 " << num(width) << " " << num(height)
        << "\" font-family=\"" << kFont << "\">\n";
    svg << "<title>" << text::xml_escape(title) << "</title>\n";
    // The series as text, for readers that do not see the picture.
    svg << "<desc>";
    for (std::size_t i = 0; i < years; ++i) {
        const ClassCounts& c = trend.rows[i].counts[index_of(cls)];
        svg << (i ? "; " : "") << trend.rows[i].year << ": " << words.white << " " << count(c.white)
            << ", " << words.partial << " " << count(c.partial);
    }
    svg << "</desc>\n";
    svg << rect(0, 0, width, height, "#ffffff");

    // Title, subtitle and legend.
    svg << text_at(left, 28, 17, title, "font-weight=\"bold\" fill=\"#222222\"");
    svg << text_at(left, 48, 12, subtitle, "fill=\"#555555\"");
    const double legend_y = 62.0;
    svg << rect(left, legend_y, 12, 12, kWhiteColour);
    svg << text_at(left + 18, legend_y + 10.5, 12, white_key, "fill=\"#222222\"");
    svg << rect(left, legend_y + 18, 12, 12, kPartialColour);
    svg << text_at(left + 18, legend_y + 28.5, 12, partial_key, "fill=\"#222222\"");

    // Grid lines and y ticks.
    for (long v = 0; v <= axis_max; v += step) {
        const double y = y_of(static_cast<double>(v));
        svg << line(left, y, left + plot_w, y, v == 0 ? "#444444" : "#e0e0e0");
        svg << text_at(left - 8, y + 4, 11, count(v), "text-anchor=\"end\" fill=\"#444444\"");
    }
    svg << line(left, top, left, top + plot_h, "#444444");
    svg << text_at(18, top + plot_h / 2, 12, words.axis_y,
                   "text-anchor=\"middle\" fill=\"#444444\" transform=\"rotate(-90 18 " +
                       num(top + plot_h / 2) + ")\"");

    // One stacked bar per year: white at the bottom, partial on top.
    const double bar_w = std::min(40.0, slot_w * 0.68);
    for (std::size_t i = 0; i < years; ++i) {
        const TrendRow& r = trend.rows[i];
        const ClassCounts& c = r.counts[index_of(cls)];
        const double mid = left + slot_w * (static_cast<double>(i) + 0.5);
        const double x = mid - bar_w / 2;
        const double y0 = y_of(0), y_white = y_of(static_cast<double>(c.white)),
                     y_top = y_of(static_cast<double>(c.white + c.partial));
        const std::string year = std::to_string(r.year);
        if (c.white > 0)
            svg << rect(x, y_white, bar_w, y0 - y_white, kWhiteColour,
                        year + ": " + count(c.white) + " " + words.white);
        if (c.partial > 0)
            svg << rect(x, y_top, bar_w, y_white - y_top, kPartialColour,
                        year + ": " + count(c.partial) + " " + words.partial);
        // Segment values inside the segments that have room for them (at least 8 px type).
        const std::string white = count(c.white), partial = count(c.partial),
                          gap = count(c.white + c.partial);
        const double base = slot_w >= 44 ? 10.5 : 9.0;
        const double white_size = fitting(white, base, bar_w + 2);
        const double partial_size = fitting(partial, base, bar_w + 2);
        if (white_size >= 8 && y0 - y_white >= white_size + 4)
            svg << text_at(mid, (y0 + y_white) / 2 + white_size / 2 - 1, white_size, white,
                           "text-anchor=\"middle\" fill=\"#ffffff\"");
        if (partial_size >= 8 && y_white - y_top >= partial_size + 4)
            svg << text_at(mid, (y_white + y_top) / 2 + partial_size / 2 - 1, partial_size, partial,
                           "text-anchor=\"middle\" fill=\"#222222\"");
        // The bar's total always, shrunk to its slot if need be: it is the series to read.
        svg << text_at(mid, y_top - 5, fitting(gap, base + 1, slot_w - 2), gap,
                       "text-anchor=\"middle\" font-weight=\"bold\" fill=\"#222222\"");
        svg << text_at(mid, top + plot_h + 17, 11, year, "text-anchor=\"middle\" fill=\"#222222\"");
        svg << text_at(mid, top + plot_h + 31, 9, count(r.sites),
                       "text-anchor=\"middle\" fill=\"#777777\"");
    }
    svg << text_at(left, top + plot_h + 56, 11, words.axis_x, "fill=\"#777777\"");
    svg << "</svg>\n";
    return svg.str();
}

std::string trend_chart_path(const TrendOptions& options, const WriteOptions& write) {
    if (!options.chart.empty())
        return options.chart;
    // Tables in a database or on the console: the chart in the current folder.
    if (is_postgis_path(write.path) || write.format == OutputFormat::Console)
        return "whitezone-results-trend.svg";
    const fs::path out = output_path(write);
    // A GeoPackage loses its extension; a folder keeps its whole name ("results.v2").
    const std::string stem =
        write.format == OutputFormat::GeoPackage ? out.stem().string() : out.filename().string();
    return (out.parent_path() / (stem + "-trend.svg")).string();
}

void check_trend_chart(const std::string& path, bool overwrite) {
    const fs::path target = path;
    if (text::lower(target.extension().string()) != ".svg")
        throw UsageError("--chart '" + path +
                         "': the chart is written as SVG only; give a path ending in .svg. "
                         "Browsers and QGIS open it, and e.g. 'rsvg-convert -o chart.png "
                         "chart.svg' turns it into a PNG.");
    atomic::check_replaceable(target, atomic::Kind::Svg, overwrite, "write: chart", "--chart");
    std::error_code ec;
    fs::path parent = target.parent_path();
    if (parent.empty())
        parent = ".";
    if (!fs::is_directory(parent, ec) || ::access(parent.c_str(), W_OK) != 0)
        throw InputError("write: cannot write the chart into folder '" + parent.string() + "' (" +
                         (fs::is_directory(parent, ec) ? "not writable" : "does not exist") +
                         "); create it or choose another --chart.");
}

void write_trend_chart(const Trend& trend, const std::string& path, bool overwrite) {
    check_trend_chart(path, overwrite);
    const std::string svg = trend_chart_svg(trend);
    atomic::write(path, atomic::Kind::Svg, "", [&](const fs::path& temp) {
        atomic::write_text(temp, svg, "write: chart", path);
    });
}

} // namespace whitezone
