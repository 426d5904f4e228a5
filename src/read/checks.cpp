#include "read/checks.hpp"

#include "whitezone/error.hpp"

#include "common/files.hpp"
#include "common/text.hpp"
#include "gdal/gdal.hpp"

#include <cpl_vsi.h>
#include <nlohmann/json.hpp>

#include <array>
#include <fstream>
#include <memory>
#include <sys/stat.h>
#include <vector>

namespace whitezone::read {

namespace {

bool opened_by_name(const std::string& path) {
    return path.rfind("PG:", 0) == 0 || path.rfind("/vsi", 0) == 0;
}

struct VsiCloser {
    void operator()(VSILFILE* f) const { VSIFCloseL(f); }
};

// Discards every value; keeps the first syntax error with its place.
struct SyntaxOnly : nlohmann::json_sax<nlohmann::json> {
    std::string error;
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t&) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t, const std::string&,
                     const nlohmann::detail::exception& ex) override {
        error = ex.what();
        // "[json.exception.parse_error.101] parse error at line 3, column 1: …" without the tag.
        if (const auto tag = error.find("] ");
            error.rfind("[json.exception", 0) == 0 && tag != std::string::npos)
            error.erase(0, tag + 2);
        return false;
    }
};

} // namespace

void check_input_file(const std::string& path, std::string_view role, std::string_view flag) {
    files::refuse_special(path, "read: " + std::string(role), flag);
    if (opened_by_name(path))
        return;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0)
        throw InputError("read: " + std::string(role) + " file '" + path +
                         "' is empty (0 bytes); give the file with the data to " +
                         std::string(flag) + ".");
}

void check_csv(const std::string& path, std::string_view role) {
    std::unique_ptr<VSILFILE, VsiCloser> file(VSIFOpenL(path.c_str(), "rb"));
    if (!file)
        return; // the opener reports it
    std::vector<char> buf(1 << 20);
    std::uint64_t line = 1, line_bytes = 0, offset = 0, quote_line = 0;
    bool in_quote = false, only_space = true;
    std::string header;
    bool header_done = false;
    const auto where = [&](std::uint64_t l) {
        return "read: " + std::string(role) + " file '" + path + "' line " + std::to_string(l) +
               " (the header is line 1)";
    };
    while (true) {
        const std::size_t n = VSIFReadL(buf.data(), 1, buf.size(), file.get());
        if (n == 0)
            break;
        for (std::size_t i = 0; i < n; ++i, ++offset) {
            const char c = buf[i];
            if (c == '\0')
                throw InputError(where(line) + " holds a NUL byte (byte " +
                                 std::to_string(offset + 1) +
                                 " of the file): it is binary, or text in UTF-16; save it as "
                                 "UTF-8 CSV (comma-separated) and give it again.");
            if (!header_done) {
                if (c == '\n')
                    header_done = true;
                else if (header.size() < 4096)
                    header += c;
            }
            if (c == '"') {
                in_quote = !in_quote; // "" inside a quoted field toggles twice, as in GDAL
                if (in_quote)
                    quote_line = line;
            }
            if (c == '\n') {
                ++line;
                if (!in_quote)
                    line_bytes = 0;
                continue;
            }
            if (c != ' ' && c != '\t' && c != '\r')
                only_space = false;
            if (++line_bytes > kMaxCsvLineBytes)
                throw InputError(where(in_quote ? quote_line : line) + " is longer than " +
                                 text::thousands(static_cast<long long>(kMaxCsvLineBytes)) +
                                 " bytes, the most GDAL's CSV reader takes (it would drop the "
                                 "row); shorten the long field or move it out of the file.");
        }
    }
    if (in_quote)
        throw InputError(where(quote_line) +
                         ": a quote (\") opens a field that is never closed, so the rest of the "
                         "file would be read as one field; close the quote or remove it.");
    if (only_space)
        throw InputError("read: " + std::string(role) + " file '" + path +
                         "' holds no data (only blank lines); give the file with the data.");
    const std::string_view h = text::trim(header);
    if (h.find(',') == std::string_view::npos && h.find(';') == std::string_view::npos &&
        h.find('\t') == std::string_view::npos && h.find('|') != std::string_view::npos)
        throw InputError(
            "read: " + std::string(role) + " file '" + path + "' line 1 ('" + text::printable(h) +
            "') is separated by '|', which GDAL's CSV reader does not split on; save the file "
            "with commas (or semicolons or tabs) between the columns.");
}

std::string geojson_syntax_error(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return {};
    SyntaxOnly sax;
    nlohmann::json::sax_parse(in, &sax);
    return sax.error;
}

void check_geojson_crs(const std::string& path, std::string_view role) {
    if (opened_by_name(path))
        return;
    // The "crs" member comes before "features" in every writer we know of; only the head of
    // the file is read (a national layer may be large).
    std::ifstream in(path, std::ios::binary);
    std::string head(1 << 16, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    const std::size_t crs = head.find("\"crs\"");
    if (crs == std::string::npos)
        return;
    const std::size_t features = head.find("\"features\"");
    if (features != std::string::npos && features < crs)
        return;
    // {"type": "name", "properties": {"name": "EPSG:…"}}: the key "name" after "properties".
    const std::size_t props = head.find("\"properties\"", crs);
    const std::size_t name = props == std::string::npos ? props : head.find("\"name\"", props);
    if (name == std::string::npos || name - crs > 400)
        return;
    const std::size_t open = head.find('"', head.find(':', name + 6));
    const std::size_t close = open == std::string::npos ? open : head.find('"', open + 1);
    if (close == std::string::npos)
        return;
    const std::string value = head.substr(open + 1, close - open - 1);
    if (!gdal::make_srs(value))
        throw InputError("read: " + std::string(role) + " file '" + path + "' names the CRS '" +
                         text::printable(value) +
                         "' in its \"crs\" member, which PROJ does not know (GDAL would read "
                         "the data as WGS 84); fix the code, or remove \"crs\" and set \"" +
                         std::string(role) + ".crs\" in the config.");
}

} // namespace whitezone::read
