// Tables of links (`whitezone link --batch`): CSV in, one ITM loss per row, CSV out with every
// input column kept.

#include "whitezone/error.hpp"
#include "whitezone/link.hpp"

#include "common/files.hpp"
#include "common/text.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

namespace whitezone {

namespace {

// Splits CSV text into records (RFC 4180: quoted fields may hold commas, quotes and newlines).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string cell;
    bool quoted = false, any = false;
    std::size_t i = 0;
    if (text.rfind("\xEF\xBB\xBF", 0) == 0)
        i = 3; // UTF-8 byte order mark
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cell += c;
            }
            continue;
        }
        if (c == '"') {
            quoted = true;
            any = true;
        } else if (c == ',') {
            record.push_back(std::move(cell));
            cell.clear();
            any = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
                ++i;
            if (any || !cell.empty()) {
                record.push_back(std::move(cell));
                records.push_back(std::move(record));
            }
            record.clear();
            cell.clear();
            any = false;
        } else {
            cell += c;
        }
    }
    if (any || !cell.empty()) {
        record.push_back(std::move(cell));
        records.push_back(std::move(record));
    }
    return records;
}

std::string csv_cell(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos)
        return s;
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

class RowReader {
  public:
    RowReader(const Table& t, std::size_t row, const std::string& source)
        : m_table(t), m_row(row), m_source(source) {}

    // Whether the table has `column` (ignoring case).
    [[nodiscard]] bool has(const std::string& column) const {
        return std::any_of(m_table.columns.begin(), m_table.columns.end(),
                           [&](const std::string& c) { return text::lower(c) == column; });
    }
    // The cell of `column`, nullopt when the column is absent or the cell empty.
    [[nodiscard]] std::optional<std::string> cell(const std::string& column) const {
        // Column names ignore case: "TX_LON" is tx_lon.
        const auto it =
            std::find_if(m_table.columns.begin(), m_table.columns.end(),
                         [&](const std::string& c) { return text::lower(c) == column; });
        if (it == m_table.columns.end())
            return std::nullopt;
        const auto& r = m_table.rows[m_row];
        const auto idx = static_cast<std::size_t>(it - m_table.columns.begin());
        if (idx >= r.size())
            return std::nullopt;
        const std::string_view v = text::trim(r[idx]);
        if (v.empty())
            return std::nullopt;
        return std::string(v);
    }

    [[nodiscard]] std::string where(const std::string& column) const {
        return "link: " + m_source + " row " + std::to_string(m_row + 1) + ", column '" + column +
               "'";
    }

    [[nodiscard]] std::optional<double> number(const std::string& column) const {
        const auto v = cell(column);
        if (!v)
            return std::nullopt;
        const auto d = text::parse_double(*v);
        if (!d || !std::isfinite(*d))
            throw InputError(where(column) + ": '" + *v + "' is not a number" +
                             (column == "elevations_m" ? "" : "; use a decimal point") + ".");
        return d;
    }

    [[nodiscard]] std::optional<int> whole(const std::string& column) const {
        const auto d = number(column);
        if (!d)
            return std::nullopt;
        if (*d != std::floor(*d) || std::abs(*d) > 1e6)
            throw InputError(where(column) + ": '" + *cell(column) + "' must be a whole number.");
        return static_cast<int>(*d);
    }

  private:
    const Table& m_table;
    std::size_t m_row;
    const std::string& m_source;
};

ItmParameters row_parameters(const RowReader& r, const ItmParameters& defaults) {
    ItmParameters p = defaults;
    const auto set = [&](const char* column, double& field) {
        if (const auto v = r.number(column))
            field = *v;
    };
    set("h_tx_m", p.h_tx_m);
    set("h_rx_m", p.h_rx_m);
    set("n0", p.n0);
    set("f_mhz", p.f_mhz);
    set("epsilon", p.epsilon);
    set("sigma", p.sigma);
    set("time", p.time_pct);
    set("location", p.location_pct);
    set("situation", p.situation_pct);
    if (const auto c = r.whole("climate"))
        p.climate = itm_climate_from_code(*c, r.where("climate"));
    if (const auto m = r.whole("mdvar"))
        p.mdvar = *m;
    if (const auto v = r.cell("pol")) {
        const std::string s = text::lower(*v);
        if (s == "0" || s == "h" || s == "horizontal")
            p.polarisation = ItmPolarisation::Horizontal;
        else if (s == "1" || s == "v" || s == "vertical")
            p.polarisation = ItmPolarisation::Vertical;
        else
            throw InputError(r.where("pol") + ": '" + *v +
                             "' is not a polarisation; use 0 (horizontal) or 1 (vertical).");
    }
    return p;
}

TerrainProfile row_profile(const RowReader& r, const DemProfiler* dem) {
    const bool has_points =
        r.cell("tx_lon") || r.cell("tx_lat") || r.cell("rx_lon") || r.cell("rx_lat");
    const auto elevations = r.cell("elevations_m");
    if (elevations && r.cell("step_m")) {
        TerrainProfile p;
        p.step_m = *r.number("step_m");
        std::istringstream in(*elevations);
        std::string token;
        while (in >> token) {
            const auto v = text::parse_double(token);
            if (!v)
                throw InputError(r.where("elevations_m") + ": '" + token +
                                 "' is not a height; give heights in metres separated by "
                                 "spaces.");
            p.elevations_m.push_back(*v);
        }
        return p;
    }
    if (has_points) {
        std::array<double, 4> v{};
        const char* names[] = {"tx_lon", "tx_lat", "rx_lon", "rx_lat"};
        for (std::size_t i = 0; i < 4; ++i) {
            const auto d = r.number(names[i]);
            if (!d)
                throw InputError(
                    r.where(names[i]) +
                    (r.has(names[i]) ? ": is empty" : ": the file has no such column") +
                    "; a row with end points needs tx_lon, tx_lat, rx_lon and "
                    "rx_lat.");
            v[i] = *d;
        }
        if (!dem)
            throw InputError(r.where("tx_lon") +
                             ": the row gives end points but no DEM was given; add --dem "
                             "FILE, or give the profile as step_m and elevations_m.");
        return dem->profile(v[0], v[1], v[2], v[3]);
    }
    throw InputError(r.where("elevations_m") +
                     ": the row has no path; give either tx_lon, tx_lat, rx_lon, rx_lat (with "
                     "--dem) or step_m and elevations_m.");
}

} // namespace

Table read_csv_table(const std::string& path, const CsvSource& source) {
    const std::string file = std::string(source.what) + " '" + path + "'";
    files::refuse_special(path, source.what, source.flag);
    if (std::filesystem::is_directory(path))
        throw InputError(file + " is a folder; give the CSV file itself to " +
                         std::string(source.flag) + ".");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(file + " cannot be read; check the path given to " +
                         std::string(source.flag) + ".");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    auto records = parse_csv(buffer.str());
    if (records.empty() || records.front().empty())
        throw InputError(file + " has no header row; its first line must name the columns, e.g. " +
                         std::string(source.header) + ".");
    Table t;
    t.columns = std::move(records.front());
    for (auto& c : t.columns)
        c = std::string(text::trim(c));
    if (t.columns.size() == 1)
        for (const char separator : {';', '\t', '|'})
            if (t.columns[0].find(separator) != std::string::npos)
                throw InputError(
                    file + " has its columns separated by '" +
                    (separator == '\t' ? std::string("tab") : std::string(1, separator)) +
                    "', not by commas; save it as comma-separated CSV.");
    for (std::size_t i = 1; i < records.size(); ++i) {
        if (records[i].size() > t.columns.size())
            throw InputError(file + " row " + std::to_string(i) + " has " +
                             std::to_string(records[i].size()) + " cells but the header names " +
                             std::to_string(t.columns.size()) +
                             " columns; quote cells that hold commas.");
        records[i].resize(t.columns.size());
        t.rows.push_back(std::move(records[i]));
    }
    return t;
}

std::string format_csv_table(const Table& table) {
    std::string out;
    const auto line = [&](const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i > 0)
                out += ',';
            out += csv_cell(cells[i]);
        }
        out += '\n';
    };
    line(table.columns);
    for (const auto& r : table.rows)
        line(r);
    return out;
}

Table run_link_batch(const Table& input, const ItmParameters& defaults, const DemProfiler* dem,
                     const std::string& source) {
    for (const char* added : {"loss_db", "itm_warnings"})
        if (std::find(input.columns.begin(), input.columns.end(), added) != input.columns.end())
            throw InputError("link: " + source + " already has a column '" + added +
                             "', which the batch adds; rename it (e.g. to '" + added +
                             "_reference').");
    Table out;
    out.columns = input.columns;
    out.columns.emplace_back("loss_db");
    out.columns.emplace_back("itm_warnings");
    out.rows.reserve(input.rows.size());
    for (std::size_t i = 0; i < input.rows.size(); ++i) {
        const RowReader r(input, i, source);
        const ItmParameters p = row_parameters(r, defaults);
        ItmResult result;
        try {
            const TerrainProfile profile = row_profile(r, dem);
            result = itm_point_to_point(profile.elevations_m, profile.step_m, p);
        } catch (const InputError& e) {
            // ITM's and the DEM's messages name the field or the place; add the row.
            const std::string what = e.what();
            const std::string prefix = "link: " + source + " row ";
            if (what.rfind(prefix, 0) == 0)
                throw;
            const std::size_t colon = what.find(": ");
            throw InputError(
                prefix + std::to_string(i + 1) + ": " +
                (colon != std::string::npos && colon < 6 ? what.substr(colon + 2) : what));
        }
        auto row = input.rows[i];
        row.resize(input.columns.size());
        row.push_back(text::fixed(result.loss_db, 4));
        row.push_back(std::to_string(result.warnings));
        out.rows.push_back(std::move(row));
    }
    return out;
}

} // namespace whitezone
