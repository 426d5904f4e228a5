#include "common/text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace whitezone::text {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string_view trim(std::string_view s) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && space(s.back()))
        s.remove_suffix(1);
    return s;
}

std::optional<double> parse_double(std::string_view s) {
    s = trim(s);
    if (s.empty())
        return std::nullopt;
    if (s.front() == '+')
        s.remove_prefix(1);
    double value = 0.0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

std::string not_a_number(std::string_view s) {
    s = trim(s);
    if (!s.empty() && (s.front() == '+' || s.front() == '-'))
        s.remove_prefix(1);
    double value = 0.0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    const bool whole = !s.empty() && ptr == s.data() + s.size();
    const bool non_finite = whole && (ec == std::errc::result_out_of_range ||
                                      (ec == std::errc() && !std::isfinite(value)));
    return non_finite ? " is not a finite number" : " is not a number";
}

std::string quoted_list(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty())
            out += ", ";
        out += "'" + item + "'";
    }
    return out;
}

std::string thousands(long long n, char group) {
    // The magnitude as unsigned: -n overflows for the smallest long long.
    const unsigned long long magnitude =
        n < 0 ? 0ULL - static_cast<unsigned long long>(n) : static_cast<unsigned long long>(n);
    std::string digits = std::to_string(magnitude);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += group;
        out += digits[i];
    }
    return n < 0 ? "-" + out : out;
}

std::string fixed(double value, int decimals) {
    char buf[64];
    const auto [ptr, ec] =
        std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::fixed, decimals);
    if (ec == std::errc())
        return std::string(buf, ptr);
    // Too long for the buffer (|value| above about 1e50): the shortest exact form instead.
    const auto [end, ec2] = std::to_chars(buf, buf + sizeof(buf), value);
    return ec2 == std::errc() ? std::string(buf, end) : std::string("nan");
}

std::string percent(double share) { return fixed(share * 100.0, 1) + "%"; }

std::size_t width(std::string_view s) {
    std::size_t n = 0;
    for (const char c : s)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

std::string pad_right(const std::string& s, std::size_t w) {
    const std::size_t n = width(s);
    return n >= w ? s : s + std::string(w - n, ' ');
}

std::string pad_left(const std::string& s, std::size_t w) {
    const std::size_t n = width(s);
    return n >= w ? s : std::string(w - n, ' ') + s;
}

std::optional<std::size_t> invalid_utf8_at(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        unsigned char lo = 0x80, hi = 0xBF; // range of the second byte (RFC 3629 table)
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0)
                lo = 0xA0; // no overlong forms
            if (c == 0xED)
                hi = 0x9F; // no surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0)
                lo = 0x90;
            if (c == 0xF4)
                hi = 0x8F; // nothing above U+10FFFF
        } else {
            return i;
        }
        if (i + len > n || p[i + 1] < lo || p[i + 1] > hi)
            return i;
        for (std::size_t k = 2; k < len; ++k)
            if ((p[i + k] & 0xC0) != 0x80)
                return i;
        i += len;
    }
    return std::nullopt;
}

std::string_view utf8_prefix(std::string_view s, std::size_t max) {
    if (s.size() <= max)
        return s;
    std::size_t n = max;
    // s[n] is the first byte left out: while it continues a character, so would the cut.
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
        --n;
    return s.substr(0, n);
}

std::string printable(std::string_view s, std::size_t max) {
    std::string out;
    const bool cut = s.size() > max;
    if (cut)
        s = s.substr(0, max);
    while (!s.empty()) {
        const auto bad = invalid_utf8_at(s);
        const std::size_t good = bad ? *bad : s.size();
        for (std::size_t i = 0; i < good; ++i) {
            const auto c = static_cast<unsigned char>(s[i]);
            if (c < 0x20 || c == 0x7F) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\x%02X", c);
                out += buf;
            } else {
                out += s[i];
            }
        }
        if (!bad)
            break;
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(s[*bad]));
        out += buf;
        s.remove_prefix(*bad + 1);
    }
    return cut ? out + "…" : out;
}

std::string scrub_secrets(std::string_view s) {
    std::string out(s);
    // libpq keyword form: password=secret, password = 'se cret', PASSWORD="x".
    const std::string folded = lower(out);
    std::string result;
    std::size_t from = 0;
    for (std::size_t at = folded.find("password"); at != std::string::npos;
         at = folded.find("password", at + 1)) {
        if (at < from)
            continue;
        std::size_t i = at + 8;
        while (i < out.size() && (out[i] == ' ' || out[i] == '\t'))
            ++i;
        if (i >= out.size() || out[i] != '=')
            continue;
        ++i;
        while (i < out.size() && (out[i] == ' ' || out[i] == '\t'))
            ++i;
        std::size_t end = i;
        if (end < out.size() && (out[end] == '\'' || out[end] == '"')) {
            const char q = out[end];
            ++end;
            while (end < out.size() && out[end] != q)
                end += out[end] == '\\' ? 2 : 1;
            end = std::min(end + 1, out.size());
        } else {
            while (end < out.size() && out[end] != ' ' && out[end] != '\t' && out[end] != '\'' &&
                   out[end] != '"' && out[end] != ')' && out[end] != ';' && out[end] != '\n')
                ++end;
        }
        result += out.substr(from, i - from) + "***";
        from = end;
    }
    result += out.substr(from);
    // URI form: scheme://user:secret@host: the text between the last '/' (or space, quote)
    // before an '@' and that '@', when it holds a ':'.
    for (std::size_t at = result.find('@'); at != std::string::npos;
         at = result.find('@', at + 1)) {
        std::size_t start = at;
        while (start > 0 &&
               std::string_view(" \t'\"/").find(result[start - 1]) == std::string_view::npos)
            --start;
        const std::size_t colon = result.find(':', start);
        if (colon != std::string::npos && colon < at) {
            result.replace(colon + 1, at - colon - 1, "***");
            at = colon + 4;
        }
    }
    return result;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // One row of the dynamic-programming table at a time.
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0U : 1U)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string xml_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&apos;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

} // namespace whitezone::text
