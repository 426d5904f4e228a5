// The report's text and tables as Markdown (--format md), to paste into a document: the same
// sentences and tables as the HTML page, without the map.

#include "publish/publish.hpp"

#include <sstream>

namespace whitezone::publish {

namespace {

// A table cell: '|' would end it, a line break would end the row.
std::string cell(std::string s) {
    for (std::size_t i = s.find('|'); i != std::string::npos; i = s.find('|', i + 2))
        s.replace(i, 1, "\\|");
    for (char& c : s)
        if (c == '\n')
            c = ' ';
    return s;
}

} // namespace

} // namespace whitezone::publish

namespace whitezone {

std::string render_report_markdown(const ReportData& data, const ReportOptions& options) {
    using namespace publish;
    const Templates& t = templates(options.language);
    std::ostringstream md;
    md << "# " << t.title << "\n\n"
       << fill(t.generated_from, {{"file", data.results.path}}) << "\n\n## " << t.h_summary
       << "\n\n";
    for (const ReportParagraph& p : report_sentences(data, options.language)) {
        md << p.text << "\n\n";
        for (const std::string& item : p.items)
            md << item << "\n";
        if (!p.items.empty())
            md << "\n";
    }
    for (const TextTable& table : report_tables(data, options)) {
        md << "## " << table.title << "\n\n|";
        for (const auto& c : table.head)
            md << " " << cell(c) << " |";
        md << "\n|";
        for (std::size_t i = 0; i < table.head.size(); ++i)
            md << (i == 0 ? " --- |" : " ---: |");
        md << "\n";
        for (const auto& row : table.rows) {
            md << "|";
            for (const auto& c : row)
                md << " " << cell(c) << " |";
            md << "\n";
        }
        md << "\n";
    }
    return md.str();
}

} // namespace whitezone
