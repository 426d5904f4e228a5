// Synthetic countries: villages are Voronoi cells of clustered seed points, densified and
// jittered so that their edges are irregular; a few are cut in two by a river strip
// (multipolygons) or hold a lake (holes). Stations sit in towns and along valleys, so
// remote areas stay uncovered, as in the mountain provinces.

#include "whitezone/generate.hpp"

#include "whitezone/error.hpp"

#include "common/atomic.hpp"
#include "common/text.hpp"
#include "gdal/gdal.hpp"
#include "geos/geos.hpp"
#include "proj/proj.hpp"
#include "report/sinks/sink.hpp"

#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numbers>

namespace whitezone {

namespace {

// SplitMix64-seeded xoshiro-style generator with our own distributions, so that the same
// seed gives the same country with any standard library.
class Random {
  public:
    explicit Random(std::uint64_t seed) : m_state(seed * 0x9E3779B97F4A7C15ull + 1) {}
    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    double normal() {
        const double u1 = std::max(uniform(), 1e-300), u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }
    std::size_t index(std::size_t n) {
        return static_cast<std::size_t>(uniform() * static_cast<double>(n)) % n;
    }

  private:
    std::uint64_t m_state;
};

constexpr double kVillageAreaM2 = 4.0e6; // about 4 km² a village, as in the mountains
constexpr double kCommuneCellM = 7000.0, kDistrictCellM = 35000.0, kProvinceCellM = 110000.0;
constexpr XY kOrigin{500000.0, 1800000.0}; // UTM 48N, around 16°N 105°E

struct Geography {
    double width = 0.0, height = 0.0;
    std::vector<XY> towns;
    std::vector<double> town_weight;
    std::vector<std::pair<XY, XY>> valleys;
};

Geography make_geography(const GenerateOptions& o, Random& rng) {
    Geography g;
    const double side =
        std::sqrt(static_cast<double>(std::max<std::size_t>(o.villages, 10)) * kVillageAreaM2);
    g.width = side;
    g.height = side;
    const std::size_t towns = std::max<std::size_t>(3, o.villages / 60);
    for (std::size_t i = 0; i < towns; ++i) {
        g.towns.push_back({rng.uniform(0, side), rng.uniform(0, side)});
        g.town_weight.push_back(std::pow(rng.uniform(0.05, 1.0), -1.2)); // a few big towns
    }
    const std::size_t valleys = std::max<std::size_t>(2, towns / 2);
    for (std::size_t i = 0; i < valleys; ++i) {
        const XY a = g.towns[rng.index(towns)], b = g.towns[rng.index(towns)];
        g.valleys.push_back({a, b});
    }
    return g;
}

XY clamp_to(const Geography& g, XY p) {
    return {std::clamp(p.x, 1.0, g.width - 1.0), std::clamp(p.y, 1.0, g.height - 1.0)};
}

std::size_t pick_town(const Geography& g, Random& rng) {
    double total = 0.0;
    for (double w : g.town_weight)
        total += w;
    double r = rng.uniform(0.0, total);
    for (std::size_t i = 0; i < g.town_weight.size(); ++i) {
        r -= g.town_weight[i];
        if (r <= 0.0)
            return i;
    }
    return g.town_weight.size() - 1;
}

double distance_to_towns(const Geography& g, XY p) {
    double best = 1e300;
    for (const XY& t : g.towns)
        best = std::min(best, std::hypot(t.x - p.x, t.y - p.y));
    return best;
}

// Village seeds: most spread evenly, some denser around towns and along valleys.
std::vector<XY> village_seeds(const GenerateOptions& o, const Geography& g, Random& rng) {
    std::vector<XY> seeds;
    seeds.reserve(o.villages);
    for (std::size_t i = 0; i < o.villages; ++i) {
        const double kind = rng.uniform();
        if (kind < 0.65) {
            seeds.push_back({rng.uniform(0, g.width), rng.uniform(0, g.height)});
        } else if (kind < 0.85) {
            const XY t = g.towns[pick_town(g, rng)];
            seeds.push_back(clamp_to(g, {t.x + 4000 * rng.normal(), t.y + 4000 * rng.normal()}));
        } else {
            const auto& [a, b] = g.valleys[rng.index(g.valleys.size())];
            const double f = rng.uniform();
            seeds.push_back(clamp_to(g, {a.x + f * (b.x - a.x) + 1500 * rng.normal(),
                                         a.y + f * (b.y - a.y) + 1500 * rng.normal()}));
        }
    }
    return seeds;
}

// Densifies a ring to segments of about `spacing` metres and moves each new vertex a little
// (σ = min(25 m, spacing / 6), so that neighbours do not cross), so village edges look drawn
// by hand rather than straight.
Ring roughen(const Ring& ring, double spacing, Random& rng) {
    const double jitter = std::min(25.0, spacing / 6.0);
    Ring out;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        const XY a = ring[i], b = ring[i + 1];
        const double len = std::hypot(b.x - a.x, b.y - a.y);
        const int n = std::max(1, static_cast<int>(len / spacing));
        out.push_back(a);
        for (int k = 1; k < n; ++k) {
            const double f = static_cast<double>(k) / n;
            out.push_back({a.x + f * (b.x - a.x) + jitter * rng.normal(),
                           a.y + f * (b.y - a.y) + jitter * rng.normal()});
        }
    }
    out.push_back(out.front());
    return out;
}

const char* kSyllables[] = {"Nà",   "Khuổi", "Pác",  "Bản", "Lũng", "Phiêng", "Cốc",   "Nặm",
                            "Thâm", "Pò",    "Khau", "Bó",  "Tà",   "Lạn",    "Slằng", "Đông"};

void add_attributes(Village& v, std::size_t index, const Geography& g, Random& rng) {
    const auto cell = [&](double size) {
        return std::pair{static_cast<long>(v.centre.x / size),
                         static_cast<long>(v.centre.y / size)};
    };
    const auto [px, py] = cell(kProvinceCellM);
    const auto [dx, dy] = cell(kDistrictCellM);
    const auto [cx, cy] = cell(kCommuneCellM);
    const long pcols = static_cast<long>(g.width / kProvinceCellM) + 1;
    const long dcols = static_cast<long>(g.width / kDistrictCellM) + 1;
    const long ccols = static_cast<long>(g.width / kCommuneCellM) + 1;
    v.province = "Tỉnh " + std::to_string(py * pcols + px + 1);
    v.district = "Huyện " + std::to_string(dy * dcols + dx + 1);
    v.commune = "Xã " + std::to_string(cy * ccols + cx + 1);
    v.id = "V" + std::to_string(index + 1);
    v.name = std::string("Thôn ") + kSyllables[rng.index(16)] + " " + kSyllables[rng.index(16)];
    // Log-normal populations: median about 400 people, a long tail of large villages.
    const double people = std::round(std::exp(6.0 + 0.8 * rng.normal()));
    v.population = people;
    v.households = std::round(people / 4.2);
    // Remote villages (far from towns) often have no grid power.
    const bool remote = distance_to_towns(g, v.centre) > 12000.0;
    v.has_power = !(remote && rng.uniform() < 0.66);
    v.values = {v.id,
                v.name,
                v.commune,
                v.district,
                v.province,
                static_cast<std::int64_t>(*v.population),
                static_cast<std::int64_t>(*v.households),
                static_cast<std::int64_t>(*v.has_power ? 1 : 0)};
}

std::vector<Village> make_villages(const GenerateOptions& o, const Geography& g, Random& rng) {
    geos::Context ctx;
    const std::vector<XY> seeds = village_seeds(o, g, rng);
    std::vector<GEOSGeometry*> pts;
    pts.reserve(seeds.size());
    for (const XY& p : seeds)
        pts.push_back(GEOSGeom_createPointFromXY_r(ctx.handle(), p.x, p.y));
    // The collection takes ownership of the points.
    geos::Geom multipoint =
        geos::own(ctx,
                  GEOSGeom_createCollection_r(ctx.handle(), GEOS_MULTIPOINT, pts.data(),
                                              static_cast<unsigned>(pts.size())),
                  "createCollection");
    geos::Geom cells =
        geos::own(ctx, GEOSVoronoiDiagram_r(ctx.handle(), multipoint.get(), nullptr, 0.0, 0),
                  "VoronoiDiagram");

    std::vector<Village> out;
    const int n = GEOSGetNumGeometries_r(ctx.handle(), cells.get());
    // GEOS returns cells in its own order; sort them by seed position for a stable order.
    std::vector<std::pair<XY, MultiPolygon>> parts;
    for (int i = 0; i < n; ++i) {
        geos::Geom clipped = geos::own(
            ctx,
            GEOSClipByRect_r(ctx.handle(), GEOSGetGeometryN_r(ctx.handle(), cells.get(), i), 0, 0,
                             g.width, g.height),
            "ClipByRect");
        MultiPolygon mp = geos::to_multipolygon(ctx, clipped.get());
        if (mp.empty())
            continue;
        const XY key = geos::point_on_surface(ctx, clipped.get());
        parts.emplace_back(key, std::move(mp));
    }
    std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) {
        return a.first.y != b.first.y ? a.first.y < b.first.y : a.first.x < b.first.x;
    });

    for (std::size_t i = 0; i < parts.size(); ++i) {
        Village v;
        v.row = static_cast<std::int64_t>(i) + 1;
        Polygon p{{roughen(parts[i].second.front().rings.front(), o.vertex_spacing_m, rng)}};
        geos::Geom g1 = geos::make_polygon(ctx, p);
        if (!geos::check(ctx, GEOSisValid_r(ctx.handle(), g1.get()), "isValid"))
            g1 = geos::own(ctx, GEOSMakeValid_r(ctx.handle(), g1.get()), "MakeValid");
        const auto b = geos::bounds(ctx, g1.get());
        const double w = b[2] - b[0], h = b[3] - b[1];
        if (i % 50 == 7 && w > 600) {
            // A river strip across the village: two parts, one multipolygon.
            const double x = (b[0] + b[2]) / 2;
            geos::Geom strip = geos::make_polygon(ctx, Polygon{{{{x - 30, b[1] - 1},
                                                                 {x + 30, b[1] - 1},
                                                                 {x + 30, b[3] + 1},
                                                                 {x - 30, b[3] + 1},
                                                                 {x - 30, b[1] - 1}}}});
            g1 =
                geos::own(ctx, GEOSDifference_r(ctx.handle(), g1.get(), strip.get()), "Difference");
        } else if (i % 70 == 11 && w > 600 && h > 600) {
            // A lake: a hole in the middle.
            const XY c = geos::point_on_surface(ctx, g1.get());
            const double r = std::min(w, h) / 10;
            geos::Geom lake = geos::make_polygon(ctx, Polygon{{{{c.x - r, c.y - r},
                                                                {c.x + r, c.y - r},
                                                                {c.x + r, c.y + r},
                                                                {c.x - r, c.y + r},
                                                                {c.x - r, c.y - r}}}});
            g1 = geos::own(ctx, GEOSDifference_r(ctx.handle(), g1.get(), lake.get()), "Difference");
        }
        v.area = geos::to_multipolygon(ctx, g1.get());
        if (v.area.empty())
            continue;
        v.area_m2 = geos::area(ctx, g1.get());
        v.centre = geos::point_on_surface(ctx, g1.get());
        add_attributes(v, out.size(), g, rng);
        out.push_back(std::move(v));
    }
    return out;
}

std::vector<Station> make_stations(const GenerateOptions& o, const Geography& g, Random& rng) {
    static const char* kOperators[] = {"Viettel", "VinaPhone", "MobiFone", "Vietnamobile"};
    static const double kShare[] = {0.45, 0.25, 0.25, 0.05};
    std::vector<Station> out;
    for (std::size_t s = 0; s < o.sites; ++s) {
        XY p;
        bool town = false;
        if (rng.uniform() < 0.7) {
            const XY t = g.towns[pick_town(g, rng)];
            const double spread = 2500.0 + 3000.0 * rng.uniform();
            p = clamp_to(g, {t.x + spread * rng.normal(), t.y + spread * rng.normal()});
            town = true;
        } else {
            const auto& [a, b] = g.valleys[rng.index(g.valleys.size())];
            const double f = rng.uniform();
            p = clamp_to(g, {a.x + f * (b.x - a.x) + 1200 * rng.normal(),
                             a.y + f * (b.y - a.y) + 1200 * rng.normal()});
        }
        double r = rng.uniform();
        std::size_t op = 0;
        while (op < 3 && r > kShare[op])
            r -= kShare[op++];
        const std::string site = "G" + std::to_string(s + 1);
        auto add = [&](Tech tech) {
            Station st;
            st.row = static_cast<std::int64_t>(out.size()) + 1;
            st.xy = p;
            st.tech = tech;
            st.operator_name = kOperators[op];
            st.site_id = site;
            st.height_m = std::round(rng.uniform(15.0, 45.0));
            st.values = {site, st.operator_name, std::string(to_string(tech)),
                         static_cast<std::int64_t>(*st.height_m)};
            out.push_back(std::move(st));
        };
        if (rng.uniform() < 0.6)
            add(Tech::G2);
        if (rng.uniform() < 0.5)
            add(Tech::G3);
        if (rng.uniform() < 0.9 || out.empty() || out.back().site_id != site)
            add(Tech::G4);
        if (town && rng.uniform() < 0.03)
            add(Tech::G5);
    }
    return out;
}

// On-air years (field `on_air`, for `whitezone trend`), drawn from a stream of their own so
// that the rest of the country does not depend on them. A site goes on air in 2005-2025, more
// of them in later years; a cell not before its technology reached Vietnam (3G 2010, 4G
// 2017, 5G 2024) and within a few years of it.
void add_on_air_years(std::vector<Station>& stations, std::uint64_t seed) {
    Random rng(seed ^ 0x6F6E5F6169725F79ull);
    int site_year = 2005;
    for (std::size_t i = 0; i < stations.size(); ++i) {
        Station& s = stations[i];
        if (i == 0 || s.site_id != stations[i - 1].site_id)
            site_year = 2005 + static_cast<int>(std::sqrt(rng.uniform()) * 21.0);
        // The technology's launch year and the most years a cell of it came later.
        const auto [launch, lag] = s.tech == Tech::G3   ? std::pair{2010, 4}
                                   : s.tech == Tech::G4 ? std::pair{2017, 3}
                                   : s.tech == Tech::G5 ? std::pair{2024, 1}
                                                        : std::pair{1995, 0};
        const int year = launch + static_cast<int>(rng.index(static_cast<std::size_t>(lag) + 1));
        s.on_air_year = std::min(2025, std::max(site_year, year));
        s.values.push_back(static_cast<std::int64_t>(*s.on_air_year));
    }
}

} // namespace

std::optional<GenerateOptions> generate_preset(std::string_view size) {
    const std::string s = text::lower(size);
    if (s == "s")
        return GenerateOptions{1500, 1200, 1};
    if (s == "m")
        return GenerateOptions{20000, 20000, 1};
    if (s == "l")
        return GenerateOptions{80000, 100000, 1};
    if (s == "xl")
        return GenerateOptions{300000, 400000, 1};
    if (s == "xxl")
        return GenerateOptions{1200000, 1600000, 1};
    return std::nullopt;
}

PreparedInputs generate_country(const GenerateOptions& options) {
    if (options.villages < 10 || options.sites < 1)
        throw UsageError("generate: need at least 10 villages and 1 site.");
    if (!(options.vertex_spacing_m >= 1.0 && options.vertex_spacing_m <= 10000.0))
        throw UsageError("generate: --vertex-spacing " + text::fixed(options.vertex_spacing_m, 1) +
                         " is out of range; give metres from 1 to 10000 (default 150).");
    Random rng(options.seed);
    const Geography g = make_geography(options, rng);
    PreparedInputs out;
    out.work_crs = "EPSG:32648";
    out.villages = make_villages(options, g, rng);
    out.stations = make_stations(options, g, rng);
    add_on_air_years(out.stations, options.seed);
    // Shift from the generator's local frame into UTM 48N coordinates.
    for (auto& v : out.villages) {
        for (auto& poly : v.area)
            for (auto& ring : poly.rings)
                for (auto& p : ring)
                    p = {p.x + kOrigin.x - g.width / 2, p.y + kOrigin.y};
        v.centre = {v.centre.x + kOrigin.x - g.width / 2, v.centre.y + kOrigin.y};
    }
    for (auto& s : out.stations)
        s.xy = {s.xy.x + kOrigin.x - g.width / 2, s.xy.y + kOrigin.y};
    out.village_fields = {{"village_id", FieldType::String},  {"name", FieldType::String},
                          {"commune", FieldType::String},     {"district", FieldType::String},
                          {"province", FieldType::String},    {"population", FieldType::Integer},
                          {"households", FieldType::Integer}, {"has_power", FieldType::Integer}};
    out.station_fields = {{"site_id", FieldType::String},
                          {"operator", FieldType::String},
                          {"tech", FieldType::String},
                          {"height_m", FieldType::Integer},
                          {"on_air", FieldType::Integer}};
    out.site_count = options.sites;
    return out;
}

void check_country_output(const std::string& folder, bool overwrite) {
    gdal::ensure_initialised();
    for (const char* file : {"villages.gpkg", "stations.gpkg"})
        atomic::check_replaceable(std::filesystem::path(folder) / file, atomic::Kind::GeoPackage,
                                  overwrite, "generate");
}

void write_country(const PreparedInputs& country, const std::string& folder, bool overwrite) {
    namespace fs = std::filesystem;
    const fs::path villages = fs::path(folder) / "villages.gpkg";
    const fs::path stations = fs::path(folder) / "stations.gpkg";
    // Both files are checked before either is written (the writer checks again).
    check_country_output(folder, overwrite);
    std::error_code ec;
    fs::create_directories(folder, ec);
    proj::Transformer to_wgs84(country.work_crs, "EPSG:4326");

    // The input layers of a run: their own fields only, in WGS 84, through the writer that
    // writes the results (report/sinks).
    report::Table village_table{{"villages",
                                 GeometryType::Polygons,
                                 true,
                                 {},
                                 "Synthetic villages made by whitezone generate"},
                                country.village_fields,
                                country.villages.size(),
                                [&](std::size_t i, report::Row& row) {
                                    const Village& v = country.villages[i];
                                    for (std::size_t k = 0; k < v.values.size(); ++k)
                                        row.values[k] = v.values[k];
                                    row.shape.kind = report::Shape::Kind::Area;
                                    row.shape.owned = v.area;
                                    for (auto& poly : row.shape.owned)
                                        for (auto& ring : poly.rings)
                                            to_wgs84.transform(ring);
                                    row.shape.area = &row.shape.owned;
                                },
                                {}};
    report::Table station_table{{"stations",
                                 GeometryType::Points,
                                 true,
                                 {},
                                 "Synthetic stations made by whitezone generate"},
                                country.station_fields,
                                country.stations.size(),
                                [&](std::size_t i, report::Row& row) {
                                    const Station& s = country.stations[i];
                                    for (std::size_t k = 0; k < s.values.size(); ++k)
                                        row.values[k] = s.values[k];
                                    row.shape.kind = report::Shape::Kind::Point;
                                    row.shape.a = s.xy;
                                    to_wgs84.transform(&row.shape.a, 1);
                                },
                                {}};
    report::make_file_sink(villages.string(), OutputFormat::GeoPackage, overwrite, "EPSG:4326",
                           "generate")
        ->write({village_table});
    report::make_file_sink(stations.string(), OutputFormat::GeoPackage, overwrite, "EPSG:4326",
                           "generate")
        ->write({station_table});
}

} // namespace whitezone
