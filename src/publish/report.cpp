// `whitezone report` as a library call: check the options and the output, read the inputs,
// render, write atomically (a temporary file beside the target, then renamed).

#include "whitezone/error.hpp"
#include "whitezone/publish.hpp"

#include "common/atomic.hpp"
#include "common/text.hpp"

#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;

namespace whitezone {

void write_report(const ReportOptions& options) {
    if (options.results.empty())
        throw UsageError("report: --results is required: the .gpkg that whitezone analyze wrote.");
    if (options.out.empty())
        throw UsageError("report: --out is required: the report file to write (e.g. report.html).");
    const fs::path target = options.out;
    const std::string ext = text::lower(target.extension().string());
    const bool html = options.format == ReportFormat::Html;
    if (html && ext != ".html" && ext != ".htm")
        throw UsageError("report: --out '" + options.out +
                         "': an HTML report is written to a file ending in .html; or give "
                         "--format md for Markdown.");
    if (!html && ext != ".md" && ext != ".markdown" && ext != ".txt")
        throw UsageError("report: --out '" + options.out +
                         "': a Markdown report is written to a file ending in .md.");
    atomic::remove_stale(target);
    atomic::check_replaceable(target, atomic::Kind::File, options.overwrite, "report");
    std::error_code ec;
    fs::path parent = target.parent_path();
    if (parent.empty())
        parent = ".";
    if (!fs::is_directory(parent, ec) || ::access(parent.c_str(), W_OK) != 0)
        throw InputError("report: cannot write into folder '" + parent.string() + "' (" +
                         (fs::is_directory(parent, ec) ? "not writable" : "does not exist") +
                         "); create it or choose another --out.");
    const ReportData data = read_report_data(options);
    const std::string body =
        html ? render_report_html(data, options) : render_report_markdown(data, options);
    atomic::write(target, atomic::Kind::File, "", [&](const fs::path& temp) {
        atomic::write_text(temp, body, "report", options.out);
    });
}

} // namespace whitezone
