// The console: every table as aligned text on a stream (standard output for the CLI), with
// the attributes only (no geometry). For a quick look at a small run, for scripts that read
// the numbers without GDAL, and for the tests; nothing is written to disk.

#include "common/text.hpp"
#include "report/sinks/sink.hpp"

#include <charconv>
#include <ostream>

namespace whitezone::report {

namespace {

// A value as text: integers as they are, reals in the shortest form that reads back to the
// same double (locale-free), NULL as "" (an empty cell).
std::string cell(const Value& value) {
    if (const auto* i = std::get_if<std::int64_t>(&value))
        return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&value)) {
        char buf[32];
        const auto res = std::to_chars(buf, buf + sizeof buf, *d);
        return std::string(buf, res.ptr);
    }
    if (const auto* s = std::get_if<std::string>(&value))
        return *s;
    return {};
}

// Tabs and line breaks inside a value would break the table's rows and columns.
std::string one_line(std::string s) {
    for (char& c : s)
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
    return s;
}

class ConsoleSink : public Sink {
  public:
    explicit ConsoleSink(std::ostream& out) : m_out(out) {}

    void write(const std::vector<Table>& tables) override {
        for (const auto& t : tables)
            write_table(t);
        m_out.flush();
    }

  private:
    void write_table(const Table& t) {
        std::vector<std::string> names;
        for (const auto& f : t.carried)
            names.push_back(f.name);
        for (const auto& c : t.info.columns)
            names.push_back(c.name);
        // Two passes over the rows (fill() is cheap): the widths, then the text; no copy of
        // a national table is held.
        std::vector<std::size_t> w(names.size());
        for (std::size_t c = 0; c < names.size(); ++c)
            w[c] = text::width(names[c]);
        Row row;
        const std::size_t rows = rows_of(t);
        auto each_row = [&](const auto& use) {
            for (std::size_t i = 0; i < rows; ++i) {
                row.values.assign(names.size(), Value{});
                t.fill(i, row);
                use();
            }
        };
        each_row([&] {
            for (std::size_t c = 0; c < names.size(); ++c)
                w[c] = std::max(w[c], text::width(one_line(cell(row.values[c]))));
        });
        m_out << "\n" << t.info.name << " (" << rows << (rows == 1 ? " row" : " rows") << ")\n";
        auto line = [&](const std::vector<std::string>& cells) {
            std::string s;
            for (std::size_t c = 0; c < cells.size(); ++c)
                s += (c == 0 ? "" : "  ") +
                     (c + 1 == cells.size() ? cells[c] : text::pad_right(cells[c], w[c]));
            while (!s.empty() && s.back() == ' ')
                s.pop_back();
            m_out << s << "\n";
        };
        line(names);
        std::vector<std::string> cells(names.size());
        each_row([&] {
            for (std::size_t c = 0; c < names.size(); ++c)
                cells[c] = one_line(cell(row.values[c]));
            line(cells);
        });
    }

    std::ostream& m_out;
};

} // namespace

std::unique_ptr<Sink> make_console_sink(std::ostream& out) {
    return std::make_unique<ConsoleSink>(out);
}

} // namespace whitezone::report
