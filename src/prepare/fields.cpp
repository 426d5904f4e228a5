#include "prepare/fields.hpp"

#include "whitezone/error.hpp"
#include "whitezone/prepare.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <unordered_map>

namespace whitezone::prepare {

namespace {

// Built-in aliases per layer and role, first match wins. Vietnamese spellings without
// diacritics are common in provincial data (ten_thon, dan_so, so_ho, nha_mang).
const std::unordered_map<std::string, std::vector<std::string>>& aliases(std::string_view layer) {
    static const std::unordered_map<std::string, std::vector<std::string>> stations{
        {"tech", {"tech", "technology", "radio", "rat", "cong_nghe", "generation"}},
        {"operator", {"operator", "op", "network", "carrier", "mno", "nha_mang", "brand"}},
        {"site_id", {"site_id", "siteid", "site", "ma_tram", "bts_id"}},
        {"range_m", {"range_m", "range", "radius_m", "radius"}},
        {"azimuth_deg", {"azimuth_deg", "azimuth", "az", "bearing"}},
        {"beamwidth_deg", {"beamwidth_deg", "beamwidth", "beam_width", "hbw"}},
        {"height_m", {"height_m", "height", "antenna_height", "ant_height"}},
        {"freq_mhz", {"freq_mhz", "frequency_mhz", "frequency", "freq", "tan_so"}},
        {"eirp_dbm", {"eirp_dbm", "eirp"}},
        {"on_air",
         {"on_air", "onair", "on_air_date", "on_air_year", "start_date", "commissioned",
          "ngay_phat_song", "nam_phat_song"}},
        {"mcc", {"mcc"}},
        {"net", {"net", "mnc"}},
        {"lon", {}},
        {"lat", {}},
        {"wkt", {}},
    };
    static const std::unordered_map<std::string, std::vector<std::string>> villages{
        {"id", {"village_id", "id", "code", "ma_thon", "ma"}},
        {"name", {"name", "ten", "ten_thon", "village", "village_name"}},
        {"commune", {"commune", "xa", "ten_xa", "commune_name", "ward"}},
        {"district", {"district", "huyen", "ten_huyen", "district_name"}},
        {"province", {"province", "tinh", "ten_tinh", "province_name"}},
        {"commune_code", {"commune_code", "ma_xa", "commune_id", "ward_code", "maxa"}},
        {"district_code", {"district_code", "ma_huyen", "district_id", "mahuyen"}},
        {"province_code", {"province_code", "ma_tinh", "province_id", "matinh"}},
        {"population", {"population", "pop", "dan_so", "nhan_khau"}},
        {"households", {"households", "hh", "so_ho", "ho"}},
        {"has_power", {"has_power", "power", "grid", "co_dien"}},
        {"centre_x", {"centre_x", "center_x", "centre_lon", "center_lon"}},
        {"centre_y", {"centre_y", "center_y", "centre_lat", "center_lat"}},
        {"lon", {}},
        {"lat", {}},
        {"wkt", {}},
    };
    static const std::unordered_map<std::string, std::vector<std::string>> settlements{
        {"village_id", {"village_id", "thon_id", "ma_thon"}},
        {"population", {"population", "pop", "dan_so", "nhan_khau"}},
        {"households", {"households", "hh", "so_ho", "ho"}},
        {"lon", {}},
        {"lat", {}},
        {"wkt", {}},
    };
    static const std::unordered_map<std::string, std::vector<std::string>> centres{
        {"village_id", {"village_id", "thon_id", "ma_thon", "id"}},
        {"lon", {}},
        {"lat", {}},
        {"wkt", {}},
    };
    static const std::unordered_map<std::string, std::vector<std::string>> units{
        {"code", {"code", "unit_code", "ma", "ma_xa", "commune_code", "id"}},
        {"name", {"name", "unit_name", "ten", "ten_xa", "commune", "xa"}},
        {"level", {"level", "unit_level", "cap", "type", "loai"}},
        {"parent_code",
         {"parent_code", "parent", "ma_cha", "ma_tinh", "province_code", "province_id"}},
    };
    static const std::unordered_map<std::string, std::vector<std::string>> none;
    if (layer == "stations")
        return stations;
    if (layer == "villages")
        return villages;
    if (layer == "settlements")
        return settlements;
    if (layer == "centres")
        return centres;
    if (layer == "units")
        return units;
    return none;
}

std::string number_text(double v) {
    if (std::floor(v) == v && std::abs(v) < 1e15)
        return std::to_string(static_cast<long long>(v));
    return text::fixed(v, 6);
}

} // namespace

FieldReader::FieldReader(const RawLayer& layer,
                         const std::map<std::string, std::string>& configured,
                         std::string_view layer_role)
    : m_layer(layer), m_configured(configured), m_role(layer_role) {}

int FieldReader::find(std::string_view role) const {
    if (auto it = m_configured.find(std::string(role)); it != m_configured.end()) {
        const int i = m_layer.field_index(it->second);
        if (i < 0) {
            std::vector<std::string> names;
            for (const auto& f : m_layer.fields)
                names.push_back(f.name);
            throw InputError("prepare: " + m_layer.where() + " has no field '" + it->second +
                             "' (named by \"" + m_role + ".fields." + std::string(role) +
                             "\" in the config); its fields are " + text::quoted_list(names) + ".");
        }
        return i;
    }
    const auto& table = aliases(m_role);
    if (auto it = table.find(std::string(role)); it != table.end())
        for (const auto& alias : it->second)
            if (int i = m_layer.field_index(alias); i >= 0)
                return i;
    return -1;
}

std::string FieldReader::where(const RawFeature& f, int col) const {
    return m_layer.where() + " row " + std::to_string(f.row) + ", field '" +
           m_layer.fields[static_cast<std::size_t>(col)].name + "'";
}

std::string FieldReader::text(const RawFeature& f, int col) const {
    if (col < 0)
        return {};
    const Value v = f.values[static_cast<std::size_t>(col)];
    if (const auto* s = std::get_if<std::string>(&v))
        return *s;
    if (const auto* i = std::get_if<std::int64_t>(&v))
        return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&v))
        return number_text(*d);
    return {};
}

std::optional<double> FieldReader::number(const RawFeature& f, int col,
                                          std::string_view expected) const {
    if (col < 0)
        return std::nullopt;
    const Value v = f.values[static_cast<std::size_t>(col)];
    if (const auto* i = std::get_if<std::int64_t>(&v))
        return static_cast<double>(*i);
    if (const auto* d = std::get_if<double>(&v)) {
        if (!std::isfinite(*d))
            throw InputError("prepare: " + where(f, col) + ": " + text::fixed(*d, 0) +
                             " is not a finite number; expected " + std::string(expected) +
                             ", or leave it empty.");
        return *d;
    }
    if (const auto* s = std::get_if<std::string>(&v)) {
        if (text::trim(*s).empty())
            return std::nullopt;
        if (auto parsed = text::parse_double(*s))
            return parsed;
        throw InputError("prepare: " + where(f, col) + ": '" + text::printable(*s) + "'" +
                         text::not_a_number(*s) + "; expected " + std::string(expected) +
                         " written with a decimal point, or leave it empty.");
    }
    return std::nullopt;
}

std::optional<bool> FieldReader::flag(const RawFeature& f, int col) const {
    if (col < 0)
        return std::nullopt;
    const std::string t = text::lower(text::trim(text(f, col)));
    if (t.empty())
        return std::nullopt;
    if (t == "1" || t == "true" || t == "yes" || t == "y" || t == "t" || t == "có" || t == "co")
        return true;
    if (t == "0" || t == "false" || t == "no" || t == "n" || t == "f" || t == "không" ||
        t == "khong")
        return false;
    throw InputError("prepare: " + where(f, col) + ": '" + text(f, col) +
                     "' is not a yes/no value; use 1/0, true/false or yes/no.");
}

std::optional<int> FieldReader::year(const RawFeature& f, int col) const {
    if (col < 0)
        return std::nullopt;
    const Value v = f.values[static_cast<std::size_t>(col)];
    if (std::holds_alternative<std::monostate>(v))
        return std::nullopt;
    const std::string t = text(f, col);
    if (text::trim(t).empty())
        return std::nullopt;
    if (auto y = parse_year(t))
        return y;
    throw InputError("prepare: " + where(f, col) + ": '" + t +
                     "' is not an on-air date; expected a year (2019), a date (2019-05-01, "
                     "2019/05, 01/05/2019, 05/2019, 20190501) or Unix seconds (1459813000), "
                     "or leave it empty for a station on air in every year.");
}

namespace {

// The digits of `s` as a number; nullopt when `s` is empty, too long or not all digits.
std::optional<long long> digits(std::string_view s) {
    if (s.empty() || s.size() > 12)
        return std::nullopt;
    long long n = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return n;
}

std::optional<int> plausible(long long year) {
    if (year < 1900 || year > 2100)
        return std::nullopt;
    return static_cast<int>(year);
}

} // namespace

std::optional<int> parse_year(std::string_view text) {
    std::string_view t = text::trim(text);
    if (auto n = digits(t)) {
        if (t.size() == 4)
            return plausible(*n);
        if (t.size() == 8) { // YYYYMMDD
            const long long month = *n / 100 % 100, day = *n % 100;
            if (month < 1 || month > 12 || day < 1 || day > 31)
                return std::nullopt;
            return plausible(*n / 10000);
        }
        if (t.size() == 10) { // Unix seconds: 2001-09-09 and later
            namespace chr = std::chrono;
            const chr::sys_days day = chr::floor<chr::days>(chr::sys_seconds{chr::seconds{*n}});
            return plausible(static_cast<int>(chr::year_month_day{day}.year()));
        }
        return std::nullopt;
    }
    // A date, then optionally a time after 'T' or a space.
    if (const auto cut = t.find_first_of("T "); cut != std::string_view::npos)
        t = t.substr(0, cut);
    std::vector<std::string_view> parts;
    while (true) {
        const auto sep = t.find_first_of("-/.");
        parts.push_back(t.substr(0, sep));
        if (sep == std::string_view::npos)
            break;
        t = t.substr(sep + 1);
    }
    if (parts.size() < 2 || parts.size() > 3)
        return std::nullopt;
    std::vector<long long> n;
    for (auto p : parts) {
        auto v = digits(p);
        if (!v)
            return std::nullopt;
        n.push_back(*v);
    }
    const auto small = [](std::string_view p) { return p.size() <= 2; };
    if (parts.front().size() == 4 && std::all_of(parts.begin() + 1, parts.end(), small)) {
        // Year first: Y-M or Y-M-D.
        if (n[1] < 1 || n[1] > 12 || (n.size() == 3 && (n[2] < 1 || n[2] > 31)))
            return std::nullopt;
        return plausible(n[0]);
    }
    if (parts.back().size() == 4 && std::all_of(parts.begin(), parts.end() - 1, small)) {
        // Year last: M/Y, or D/M/Y and M/D/Y (the year is the same either way).
        if (n.size() == 2 && (n[0] < 1 || n[0] > 12))
            return std::nullopt;
        if (n.size() == 3 &&
            (n[0] < 1 || n[1] < 1 || n[0] > 31 || n[1] > 31 || std::min(n[0], n[1]) > 12))
            return std::nullopt;
        return plausible(n.back());
    }
    return std::nullopt;
}

std::string row_list(const std::vector<std::int64_t>& rows, std::size_t limit) {
    std::string out = rows.size() == 1 ? "row " : "rows ";
    for (std::size_t i = 0; i < rows.size() && i < limit; ++i)
        out += (i ? ", " : "") + std::to_string(rows[i]);
    if (rows.size() > limit)
        out += ", …";
    return out;
}

} // namespace whitezone::prepare

namespace whitezone {

const std::vector<std::string>& field_roles(std::string_view layer) {
    static std::unordered_map<std::string, std::vector<std::string>> cache = [] {
        std::unordered_map<std::string, std::vector<std::string>> out;
        for (const char* l : {"stations", "villages", "settlements", "centres", "units"}) {
            std::vector<std::string> roles;
            for (const auto& [role, _] : prepare::aliases(l))
                roles.push_back(role);
            std::sort(roles.begin(), roles.end());
            out[l] = roles;
        }
        return out;
    }();
    static const std::vector<std::string> none;
    auto it = cache.find(std::string(layer));
    return it == cache.end() ? none : it->second;
}

} // namespace whitezone

namespace whitezone {

int find_field(const RawLayer& layer, std::string_view layer_role, std::string_view role,
               const std::map<std::string, std::string>& configured) {
    return prepare::FieldReader(layer, configured, layer_role).find(role);
}

} // namespace whitezone
