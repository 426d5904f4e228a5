// The JSON config read from the keys the stages declare (options.hpp), with errors that name
// the key as spelled in the JSON; and the tables of docs/config.md made from the same
// declarations.

#include "whitezone/config.hpp"

#include "whitezone/coverage/link_model.hpp"
#include "whitezone/error.hpp"
#include "whitezone/prepare.hpp"

#include "common/files.hpp"
#include "common/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>

namespace whitezone {

namespace {

using json = nlohmann::json;

class Reader {
  public:
    explicit Reader(std::string origin) : m_origin(std::move(origin)) {}

    [[noreturn]] void fail(const std::string& key, const std::string& what) const {
        throw UsageError("config " + m_origin + ": \"" + key + "\" " + what + ".");
    }

    void check_keys(const json& obj, const std::string& path,
                    const std::vector<std::string>& valid) const {
        if (!obj.is_object())
            fail(path.empty() ? "(top level)" : path, "must be a JSON object");
        for (const auto& [key, _] : obj.items()) {
            if (std::find(valid.begin(), valid.end(), key) == valid.end()) {
                const std::string close = closest_key(key, valid);
                auto spelled = [&](const std::string& k) {
                    return path.empty() ? k : path + "." + k;
                };
                throw UsageError(
                    "config " + m_origin + ": unknown key \"" + spelled(key) + "\"" +
                    (close.empty() ? "" : " (did you mean \"" + spelled(close) + "\"?)") +
                    "; valid keys " + (path.empty() ? "at the top level" : "in \"" + path + "\"") +
                    " are " + text::quoted_list(valid) + " (docs/config.md lists them).");
            }
        }
    }

    double number(const json& v, const std::string& key, double lo, double hi) const {
        if (!v.is_number())
            fail(key, "must be a number, not " + v.dump());
        const double d = v.get<double>();
        if (d < lo || d > hi)
            fail(key, "must be in [" + text::fixed(lo, 2) + ", " + text::fixed(hi, 2) + "], not " +
                          v.dump());
        return d;
    }

    // A count (threads, segments): a number without a fractional part, in [lo, hi].
    int integer(const json& v, const std::string& key, int lo, int hi) const {
        const double d = number(v, key, lo, hi);
        if (d != std::floor(d))
            fail(key, "must be a whole number, not " + v.dump());
        return static_cast<int>(d);
    }

    std::string string(const json& v, const std::string& key) const {
        if (!v.is_string())
            fail(key, "must be a string, not " + v.dump());
        return v.get<std::string>();
    }

    bool boolean(const json& v, const std::string& key) const {
        if (!v.is_boolean())
            fail(key, "must be true or false, not " + v.dump());
        return v.get<bool>();
    }

  private:
    std::string m_origin;
};

void apply_set(const Reader& r, const json& obj, const OptionSet& set);

// One declared key's value, checked against its declaration.
void apply_value(const Reader& r, const json& v, const OptionDecl& d, const std::string& path) {
    using Type = OptionDecl::Type;
    switch (d.type) {
    case Type::Number: {
        const double value = r.number(v, path, d.range.lo, d.range.hi);
        if (d.number)
            *d.number = value;
        else
            *d.optional_number = value;
        return;
    }
    case Type::WholeNumber:
        *d.whole_number =
            r.integer(v, path, static_cast<int>(d.range.lo), static_cast<int>(d.range.hi));
        return;
    case Type::Boolean:
        *d.boolean = r.boolean(v, path);
        return;
    case Type::String:
        *d.string = r.string(v, path);
        return;
    case Type::Choice: {
        const std::string text = r.string(v, path);
        if (!d.choose(text))
            r.fail(path, "must be " + alternatives(d.keys) + ", not \"" + text + "\"");
        return;
    }
    case Type::PerTech:
        r.check_keys(v, path, d.keys);
        for (const auto& [tech, value] : v.items())
            (*d.per_tech)[*parse_tech(tech)] =
                r.number(value, path + "." + tech, d.range.lo, d.range.hi);
        return;
    case Type::StringMap:
        if (!d.keys.empty()) // no keys declared: any key (e.g. operator_aliases)
            r.check_keys(v, path, d.keys);
        else if (!v.is_object())
            r.fail(path, "must be a JSON object {\"name\": \"name\", …}, not " + v.dump());
        for (const auto& [key, value] : v.items())
            (*d.string_map)[key] = r.string(value, path + "." + key);
        return;
    case Type::Object: {
        OptionSet inner(path);
        d.declare_object(inner);
        apply_set(r, v, inner);
        return;
    }
    }
}

// The keys of `obj`, in declaration order (a key may depend on one declared before it).
void apply_set(const Reader& r, const json& obj, const OptionSet& set) {
    r.check_keys(obj, set.path(), set.keys());
    for (const OptionDecl& d : set.options()) {
        const auto it = obj.find(d.key);
        if (it == obj.end())
            continue;
        if (d.on_present)
            d.on_present();
        apply_value(r, *it, d, set.path_of(d.key));
        if (d.after)
            d.after();
    }
}

// The keys of a layer object ("stations", "villages", …): path, layer, crs and the field
// mapping `fields`, whose valid roles are `roles`.
void declare_layer(OptionSet& o, LayerSource& source, std::map<std::string, std::string>& fields,
                   std::vector<std::string> roles) {
    o.string("path", source.path,
             "A file path, or a GDAL connection string such as `\"PG:host=… dbname=…\"`. The "
             "`--stations`, `--villages`, `--settlements`, `--centres`, `--units`, `--planned` "
             "and `--candidates` flags override it.")
        .shown_default("none (required for `stations` and `villages`)");
    o.string("layer", source.layer,
             "The layer to read. You need it when the source has more than one layer. The "
             "`--…-layer` flags override it.")
        .shown_default("the only layer");
    o.string("crs", source.crs,
             "A CRS to assign to the layer (not to transform it to), for example "
             "`\"EPSG:4326\"` or `\"EPSG:9215\"`. Use it when a layer has no CRS, such as a "
             "Shapefile without a `.prj`, or a wrong one.")
        .shown_default("the layer's own CRS; WGS 84 for CSV");
    o.string("encoding", source.encoding,
             "The encoding of the layer's text when it is not UTF-8, for example "
             "`\"ISO-8859-1\"` (Latin-1), `\"CP1252\"` or `\"CP1258\"` (Windows Vietnamese): any "
             "name iconv knows. Text is converted to UTF-8 as it is read. Without it, text that "
             "is not valid UTF-8 is an error that names the file, row and field "
             "([input.md](input.md#text-encoding)). A Shapefile's `.cpg` is honoured without it.")
        .shown_default("UTF-8");
    OptionDecl& f = o.string_map("fields", fields, std::move(roles),
                                 "Which field holds each role, as `{ \"role\": \"field name\" }`. "
                                 "Matching is case-insensitive. A named field that does not "
                                 "exist is an error that lists the layer's fields.");
    f.shown_default("built-in aliases");
    // The CSV coordinate roles are the source's own columns.
    f.after = [&source, &fields] {
        if (fields.count("lon"))
            source.lon_field = fields["lon"];
        if (fields.count("lat"))
            source.lat_field = fields["lat"];
        if (fields.count("wkt"))
            source.wkt_field = fields["wkt"];
    };
}

// An optional layer object: created when the key is present.
OptionDecl& optional_layer(OptionSet& top, const std::string& key,
                           std::optional<LayerSource>& source,
                           std::map<std::string, std::string>& fields,
                           std::vector<std::string> roles, std::string doc) {
    OptionDecl& d = top.object(
        key,
        [&source, &fields, roles](OptionSet& o) {
            if (!source)
                source.emplace();
            declare_layer(o, *source, fields, roles);
        },
        std::move(doc));
    d.on_present = [&source] {
        if (!source)
            source.emplace();
    };
    d.shown_default("absent");
    return d;
}

// Largest config file read: a config is a few kilobytes; this stops a wrong file (a data set,
// a device) from being read into memory.
constexpr long long kMaxConfigBytes = 1'000'000;

// nlohmann's message without its "[json.exception.parse_error.101] " tag.
std::string json_message(const json::exception& e) {
    std::string m = e.what();
    if (const auto tag = m.find("] ");
        m.rfind("[json.exception", 0) == 0 && tag != std::string::npos)
        m.erase(0, tag + 2);
    return m;
}

// The config text as JSON; every nlohmann error becomes a UsageError naming the file and,
// where nlohmann gives one, the line and column.
json parse_config_text(std::string_view json_text, std::string_view origin) {
    const std::string where = "config '" + std::string(origin) + "'";
    if (const auto nul = json_text.find('\0'); nul != std::string_view::npos) {
        const auto line =
            std::count(json_text.begin(), json_text.begin() + static_cast<long>(nul), '\n') + 1;
        throw UsageError(where + " holds a NUL byte on line " + std::to_string(line) + " (byte " +
                         std::to_string(nul + 1) +
                         "); it is not a text file, or was saved as UTF-16: save it as UTF-8 "
                         "JSON.");
    }
    // A key given twice in one object: JSON parsers keep one of them silently, so a setting
    // the user wrote would be lost; refused with the key's dotted name.
    std::vector<std::pair<std::string, std::set<std::string>>> objects;
    std::string last_key;
    const json::parser_callback_t no_twice = [&](int, json::parse_event_t event, json& parsed) {
        if (event == json::parse_event_t::object_start) {
            const std::string parent = objects.empty() ? std::string() : objects.back().first;
            objects.push_back(
                {objects.empty() ? std::string() : (parent.empty() ? "" : parent + ".") + last_key,
                 {}});
        } else if (event == json::parse_event_t::object_end && !objects.empty()) {
            objects.pop_back();
        } else if (event == json::parse_event_t::key && !objects.empty()) {
            last_key = parsed.get<std::string>();
            if (!objects.back().second.insert(last_key).second) {
                const std::string& parent = objects.back().first;
                throw UsageError(where + " gives the key \"" +
                                 (parent.empty() ? "" : parent + ".") + last_key +
                                 "\" twice; keep one of them (JSON would silently use only one).");
            }
        }
        return true;
    };
    try {
        return json::parse(json_text.begin(), json_text.end(), no_twice, true,
                           /*ignore_comments=*/true);
    } catch (const json::parse_error& e) {
        throw UsageError(where + " is not valid JSON: " + json_message(e) +
                         "; fix the file (docs/config.md has an example).");
    } catch (const json::out_of_range& e) {
        // nlohmann names the number ("number overflow parsing '1e999'") but not its place.
        const std::string m = json_message(e);
        const auto open = m.find('\''), close = m.rfind('\'');
        std::string line;
        if (open != std::string::npos && close > open + 1) {
            const auto at = json_text.find(m.substr(open + 1, close - open - 1));
            if (at != std::string_view::npos)
                line = " on line " +
                       std::to_string(std::count(json_text.begin(),
                                                 json_text.begin() + static_cast<long>(at), '\n') +
                                      1);
        }
        throw UsageError(where + " holds a number too large for a double" + line + " (" + m +
                         "); write a number in range, e.g. 1e9 rather than 1e999.");
    } catch (const json::exception& e) {
        throw UsageError(where + " cannot be read as JSON: " + json_message(e) +
                         "; fix the file (docs/config.md has an example).");
    }
}

} // namespace

void declare_options(OptionSet& top, Config& config) {
    declare_options(top, config.prepare);
    declare_options(top, config.coverage);
    declare_options(top, config.overlay);
    declare_options(top, config.classify);
    top.whole_number("threads", config.threads, {0, 1024},
                     "Worker threads for prepare, coverage and overlay; 0 means all cores. "
                     "`--threads` wins over it. The result is the same for any value.")
        .shown_default("`0` for the command (all cores), `1` for the library");
    top.object(
        "stations",
        [&config](OptionSet& o) {
            declare_layer(o, config.stations, config.prepare.station_fields,
                          field_roles("stations"));
        },
        "The stations layer ([Layer keys](#layer-keys)).");
    top.object(
        "villages",
        [&config](OptionSet& o) {
            declare_layer(o, config.villages, config.prepare.village_fields,
                          field_roles("villages"));
        },
        "The villages layer.");
    optional_layer(top, "settlements", config.settlements, config.prepare.settlement_fields,
                   field_roles("settlements"),
                   "Optional residential clusters. If you give this object, it needs a `path`, "
                   "in the file or from `--settlements`.");
    optional_layer(top, "centres", config.centres, config.prepare.centre_fields,
                   field_roles("centres"),
                   "Optional village centres (cultural houses). If you give this object, it "
                   "needs a `path`.");
    optional_layer(top, "units", config.units, config.prepare.unit_fields, field_roles("units"),
                   "Optional administrative units, polygons with a code, name, level and parent "
                   "code (e.g. the 2025 communes): each village is counted in the unit holding "
                   "its centre ([input.md](input.md#administrative-units)). Same as `--units`.");
    top.choice(
           "level", {"auto", "province", "district", "commune", "unit"},
           [&config](std::string_view v) {
               for (const char* level : {"auto", "province", "district", "commune", "unit"})
                   if (v == level) {
                       config.level = std::string(v);
                       return true;
                   }
               return false;
           },
           [&config] { return config.level; },
           "The units the console table lists under each province: `\"auto\"` (the units of "
           "`units`, else districts, else communes), `\"province\"` (provinces only), "
           "`\"district\"`, `\"commune\"` or `\"unit\"`. Same as `--level`.")
        .shown_default("`\"auto\"`");
    // Read like the stations: their CRS and CSV columns unless "planned" sets its own.
    optional_layer(top, "planned", config.planned, config.planned_fields, field_roles("stations"),
                   "`whitezone plan` only: stations planned but not on air, with the fields of "
                   "`stations` ([below](#planned-and-candidates)). Same as `--planned`.")
        .on_present = [&config] {
        if (!config.planned) {
            config.planned = config.stations;
            config.planned->path.clear();
            config.planned->layer.clear();
        }
    };
    // Only the coordinate roles (lon, lat, wkt): they are the source's own columns, kept in
    // the source; the map itself lives as long as the declaration.
    auto coordinates = std::make_shared<std::map<std::string, std::string>>();
    optional_layer(top, "candidates", config.candidates, *coordinates, {"lon", "lat", "wkt"},
                   "`whitezone plan` only: extra candidate sites, a point layer "
                   "([below](#planned-and-candidates)). Same as `--candidates`.")
        .after = [coordinates] { coordinates->clear(); };
    top.string("dem", config.dem,
               "An elevation raster: the terrain mode ([terrain.md](terrain.md)). Same as "
               "`--dem` (the flag wins).");
    top.string("population", config.population,
               "A population raster, people per cell ([terrain.md](terrain.md#population-grids)). "
               "Same as `--population`.");
    top.string("measurements", config.measurements,
               "Measured signal levels (drive tests, OpenCelliD's `averageSignal`) to check the "
               "ITM model against ([itm.md](itm.md#calibration-against-measurements)). Same as "
               "`--measurements`.");
    top.boolean("calibrate", config.calibrate,
                "With `measurements`: fit a per-technology offset to them and apply it before the "
                "thresholds ([itm.md](itm.md#calibration-against-measurements)).");
    top.object(
           "rank", [&config](OptionSet& o) { declare_options(o, config.rank); },
           "Ranking of the gap villages ([below](#rank)).")
        .documented_in("rank");
    top.object(
           "plan", [&config](OptionSet& o) { declare_options(o, config.plan); },
           "New sites and backhaul of `whitezone plan` ([below](#plan)).")
        .documented_in("plan");
    top.object(
           "compare", [&config](OptionSet& o) { declare_options(o, config.compare); },
           "Matching of villages by `whitezone compare` and `analyze --baseline` "
           "([below](#compare)).")
        .documented_in("compare");
    top.object(
           "link", [&config](OptionSet& o) { declare_options(o, config.link); },
           "`whitezone link` only: the ITM parameters and power budget of a link "
           "([below](#link), [itm.md](itm.md)).")
        .documented_in("link");
    top.object(
           "output", [&config](OptionSet& o) { declare_options(o, config.write); },
           "Where and how to write ([below](#output)).")
        .documented_in("output");
    top.object(
           "stability", [&config](OptionSet& o) { declare_options(o, config.stability); },
           "How firm each village's status is under the inputs' uncertainty "
           "([below](#stability)).")
        .documented_in("stability");
}

std::vector<std::string> config_doc_tables() {
    return {"top-level", "layer",   "hata", "terrain", "itm",      "rank",
            "plan",      "compare", "link", "output",  "stability"};
}

std::string config_doc_table(std::string_view table) {
    Config defaults;
    OptionSet top;
    declare_options(top, defaults);
    if (table == "top-level")
        return option_table(top);
    if (table == "layer") {
        OptionSet layer("stations");
        LayerSource source;
        std::map<std::string, std::string> fields;
        declare_layer(layer, source, fields, {});
        return option_table(layer);
    }
    for (const OptionDecl& d : top.options())
        if (d.type == OptionDecl::Type::Object && d.section == table) {
            OptionSet inner(d.key);
            d.declare_object(inner);
            return option_table(inner);
        }
    throw std::out_of_range("no config table named '" + std::string(table) + "'");
}

std::string regenerate_config_doc(std::string_view markdown) {
    constexpr std::string_view kBegin = "<!-- generated: config-table ";
    constexpr std::string_view kEnd = "<!-- end generated -->";
    std::string out;
    std::size_t pos = 0;
    while (true) {
        const std::size_t begin = markdown.find(kBegin, pos);
        if (begin == std::string_view::npos)
            break;
        const std::size_t name_end = markdown.find(" -->", begin);
        const std::size_t line_end = markdown.find('\n', begin);
        const std::size_t end = markdown.find(kEnd, begin);
        if (name_end == std::string_view::npos || line_end == std::string_view::npos ||
            end == std::string_view::npos || name_end > line_end)
            throw std::invalid_argument("a generated block is not closed with '" +
                                        std::string(kEnd) + "'");
        const std::string name(
            markdown.substr(begin + kBegin.size(), name_end - begin - kBegin.size()));
        const auto names = config_doc_tables();
        if (std::find(names.begin(), names.end(), name) == names.end())
            throw std::invalid_argument("a generated block names no table: '" + name + "'");
        out.append(markdown.substr(pos, line_end + 1 - pos));
        out += config_doc_table(name);
        pos = end;
    }
    out.append(markdown.substr(pos));
    return out;
}

namespace {

// The values bound to `set`'s declarations as one JSON object, in declaration order; strings
// with their passwords removed. Optional objects named in `absent` are written as null.
nlohmann::ordered_json values_of(const OptionSet& set, const std::vector<std::string>& absent) {
    using Type = OptionDecl::Type;
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (const OptionDecl& d : set.options()) {
        nlohmann::ordered_json& v = out[d.key];
        switch (d.type) {
        case Type::Number:
            if (d.number)
                v = *d.number;
            else if (d.optional_number && *d.optional_number)
                v = **d.optional_number;
            break; // an absent optional number stays null
        case Type::WholeNumber:
            v = *d.whole_number;
            break;
        case Type::Boolean:
            v = *d.boolean;
            break;
        case Type::String:
            v = text::scrub_secrets(*d.string);
            break;
        case Type::Choice:
            v = d.chosen();
            break;
        case Type::PerTech:
            v = nlohmann::ordered_json::object();
            for (const auto& [tech, value] : *d.per_tech)
                v[std::string(to_string(tech))] = value;
            break;
        case Type::StringMap:
            v = nlohmann::ordered_json::object();
            for (const auto& [key, value] : *d.string_map)
                v[key] = value;
            break;
        case Type::Object:
            if (std::find(absent.begin(), absent.end(), d.key) == absent.end()) {
                OptionSet inner(set.path_of(d.key));
                d.declare_object(inner);
                v = values_of(inner, {});
            }
            break;
        }
    }
    return out;
}

} // namespace

std::string config_to_json(const Config& config) {
    // Declaring binds to the config (and creates an absent optional layer): work on a copy,
    // and remember which optional layers were absent.
    Config copy = config;
    std::vector<std::string> absent;
    if (!copy.settlements)
        absent.emplace_back("settlements");
    if (!copy.centres)
        absent.emplace_back("centres");
    if (!copy.units)
        absent.emplace_back("units");
    if (!copy.planned)
        absent.emplace_back("planned");
    if (!copy.candidates)
        absent.emplace_back("candidates");
    OptionSet top;
    declare_options(top, copy);
    return values_of(top, absent).dump();
}

void apply_config_json(Config& config, std::string_view json_text, std::string_view origin) {
    const Reader r("'" + std::string(origin) + "'");
    const json doc = parse_config_text(json_text, origin);
    OptionSet top;
    declare_options(top, config);
    apply_set(r, doc, top);
}

void apply_config_file(Config& config, const std::string& path) {
    // Checked before it is opened: a FIFO would block the open, /dev/zero never end, and a
    // folder reads as empty text.
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw UsageError("config file '" + path + "' cannot be read (" + std::strerror(errno) +
                         "); check the path given to --config.");
    if (S_ISDIR(st.st_mode))
        throw UsageError("config '" + path +
                         "' is a folder; give the JSON file itself to --config (e.g. " +
                         (std::filesystem::path(path) / "whitezone.json").string() + ").");
    if (!S_ISREG(st.st_mode))
        throw UsageError("config '" + path + "' is " + files::special_kind(path) +
                         "; give a JSON file to --config.");
    if (st.st_size > kMaxConfigBytes)
        throw UsageError("config file '" + path + "' is " +
                         text::thousands(static_cast<long long>(st.st_size)) +
                         " bytes, more than the " + text::thousands(kMaxConfigBytes) +
                         " a config may have; is it the right file? (docs/config.md)");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw UsageError("config file '" + path +
                         "' cannot be read; check the path given to "
                         "--config.");
    std::string text(static_cast<std::size_t>(st.st_size), '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.gcount() != static_cast<std::streamsize>(text.size()))
        throw UsageError("config file '" + path + "' could not be read whole; check the file.");
    apply_config_json(config, text, path);
}

void validate_config(const Config& config) {
    if (config.stations.path.empty())
        throw UsageError("analyze: no stations given; pass --stations FILE (or set "
                         "\"stations.path\" in the config).");
    if (config.villages.path.empty())
        throw UsageError("analyze: no villages given; pass --villages FILE (or set "
                         "\"villages.path\" in the config).");
    if (config.classify.white_below > config.classify.covered_from)
        throw UsageError("config: \"white_below\" (" + text::fixed(config.classify.white_below, 2) +
                         ") must not exceed \"covered_from\" (" +
                         text::fixed(config.classify.covered_from, 2) + ").");
    if (link_model(config.coverage.model).needs_dem() && config.dem.empty())
        throw UsageError("config: \"coverage_model\": \"" + config.coverage.model.name() +
                         "\" computes received power over the terrain and needs a DEM; pass "
                         "--dem FILE (or set \"dem\" in the config), or choose \"disk\" or "
                         "\"hata\".");
    if (!config.measurements.empty() && !link_model(config.coverage.model).needs_dem())
        throw UsageError("config: measurements are compared with the received power of the "
                         "\"itm\" coverage model; set \"coverage_model\": \"itm\" and pass "
                         "--dem FILE, or leave out --measurements.");
    if (config.calibrate && config.measurements.empty())
        throw UsageError("config: \"calibrate\": true needs measurements; pass --measurements "
                         "FILE (or set \"measurements\" in the config).");
    if (config.prepare.min_range_m > config.prepare.max_range_m)
        throw UsageError("config: \"min_range_m\" must not exceed \"max_range_m\".");
    if (config.settlements && config.settlements->path.empty())
        throw UsageError("config: \"settlements\" is set but has no \"path\"; add it or pass "
                         "--settlements FILE.");
    if (config.centres && config.centres->path.empty())
        throw UsageError("config: \"centres\" is set but has no \"path\"; add it or pass "
                         "--centres FILE.");
    if (config.units && config.units->path.empty())
        throw UsageError("config: \"units\" is set but has no \"path\"; add it or pass "
                         "--units FILE.");
}

void validate_plan_config(const Config& config) {
    validate_config(config);
    if (config.planned && config.planned->path.empty())
        throw UsageError("config: \"planned\" is set but has no \"path\"; add it or pass "
                         "--planned FILE.");
    if (config.candidates && config.candidates->path.empty())
        throw UsageError("config: \"candidates\" is set but has no \"path\"; add it or pass "
                         "--candidates FILE.");
}

} // namespace whitezone
