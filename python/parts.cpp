// Runs in parts for the Dask driver (python/whitezone/dask.py, docs/scale-out.md): the
// partition plan (provinces, districts or square tiles of the villages, with one load of the
// vector inputs on the driver), one part run by a task (the inputs loaded once per worker
// process and run, restrict_inputs() with
// the halo, the DEM read over the part only, analyze()), the part's per-village results
// packed as bytes, and their merge into one AnalysisResult that is ranked and summarized
// again and written by write_outputs().

#include "whitezone/whitezone.hpp"
#include "whitezone/write.hpp"

#include "config_steps.hpp"

#include <ogr_geometry.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <future>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace py = pybind11;
namespace wz = whitezone;

namespace {

using wz::python::ConfigStep;
using Box = std::tuple<double, double, double, double>;

// What the parts cannot give: the ITM model's signal rasters and the stability runs.
void refuse_unsupported(const wz::Config& config) {
    if (config.coverage.model.name() == "itm")
        throw wz::UsageError("whitezone.dask: \"coverage_model\": \"itm\" is not run in parts "
                             "(its signal rasters span the parts); run it with whitezone "
                             "analyze, or choose \"disk\" or \"hata\".");
    if (config.stability.enabled)
        throw wz::UsageError("whitezone.dask: --stability is not run in parts; run it with "
                             "whitezone analyze.");
}

bool inside(const wz::Extent& e, wz::XY p) {
    return p.x >= e.minx && p.x < e.maxx && p.y >= e.miny && p.y < e.maxy;
}

double distance_to(const wz::Extent& e, wz::XY p) {
    const double dx = std::max({e.minx - p.x, 0.0, p.x - e.maxx});
    const double dy = std::max({e.miny - p.y, 0.0, p.y - e.maxy});
    return std::hypot(dx, dy);
}

void grow(wz::Extent& e, wz::XY p) {
    e = {std::min(e.minx, p.x), std::min(e.miny, p.y), std::max(e.maxx, p.x),
         std::max(e.maxy, p.y)};
}

// Every point and vertex of `villages` (their study area).
wz::Extent extent_of(const std::vector<wz::Village>& villages) {
    wz::Extent e{1e300, 1e300, -1e300, -1e300};
    for (const wz::Village& v : villages) {
        grow(e, v.centre);
        for (const wz::Polygon& p : v.area)
            for (const wz::Ring& r : p.rings)
                for (const wz::XY& q : r)
                    grow(e, q);
    }
    return e;
}

// How a partition is chosen: "province", "district" or "tile:KM".
struct Partitioning {
    std::string kind;
    double tile_m = 0.0;
};

Partitioning parse_partitioning(const std::string& by) {
    if (by == "province" || by == "district")
        return {by, 0.0};
    if (by.rfind("tile:", 0) == 0) {
        char* end = nullptr;
        const std::string km = by.substr(5);
        const double v = std::strtod(km.c_str(), &end);
        if (!km.empty() && end && *end == '\0' && v >= 1.0 && v <= 1000.0)
            return {"tile", v * 1000.0};
    }
    throw wz::UsageError("whitezone.dask: --partition '" + by +
                         "' is not known; use province, district or tile:KM (a square tile of "
                         "KM kilometres, 1 to 1000, e.g. tile:50).");
}

// The key of a village's part: its province, its province and district, or its tile
// ("tile ROW,COL", counted in tiles from the work CRS's origin).
std::string part_key(const wz::Village& v, const Partitioning& by) {
    if (by.kind == "province")
        return v.province;
    if (by.kind == "district")
        return v.province + " / " + v.district;
    return "tile " + std::to_string(static_cast<long>(std::floor(v.centre.y / by.tile_m))) + "," +
           std::to_string(static_cast<long>(std::floor(v.centre.x / by.tile_m)));
}

// The first box holding `p` (half-open), else the nearest (lowest index on ties), through a
// uniform grid over the boxes.
class Owners {
  public:
    explicit Owners(const std::vector<wz::Extent>& boxes) : m_boxes(boxes) {
        double size = 0.0;
        for (const auto& b : boxes)
            size += std::max(b.maxx - b.minx, b.maxy - b.miny);
        m_cell = std::max(1.0, boxes.empty() ? 1.0 : size / static_cast<double>(boxes.size()));
        for (std::size_t i = 0; i < boxes.size(); ++i) {
            const auto& b = boxes[i];
            for (long cx = cell(b.minx); cx <= cell(b.maxx); ++cx)
                for (long cy = cell(b.miny); cy <= cell(b.maxy); ++cy)
                    m_grid[{cx, cy}].push_back(i);
        }
    }

    [[nodiscard]] std::size_t owner(wz::XY p) const {
        const auto it = m_grid.find({cell(p.x), cell(p.y)});
        if (it != m_grid.end())
            for (std::size_t i : it->second)
                if (inside(m_boxes[i], p))
                    return i;
        std::size_t best = 0;
        double best_d = std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < m_boxes.size(); ++i) {
            const double d = distance_to(m_boxes[i], p);
            if (d < best_d) {
                best_d = d;
                best = i;
            }
        }
        return best;
    }

  private:
    [[nodiscard]] long cell(double v) const { return static_cast<long>(std::floor(v / m_cell)); }

    std::vector<wz::Extent> m_boxes;
    double m_cell = 1.0;
    std::map<std::pair<long, long>, std::vector<std::size_t>> m_grid;
};

// Packed values, little-endian as the machine writes them (driver and workers share it).
class Writer {
  public:
    template <class T> void put(T v) {
        const auto* p = reinterpret_cast<const char*>(&v);
        m_out.append(p, sizeof(T));
    }
    void put_string(const std::string& s) {
        put<std::uint64_t>(s.size());
        m_out += s;
    }
    std::string take() { return std::move(m_out); }

  private:
    std::string m_out;
};

class Reader {
  public:
    explicit Reader(std::string_view in) : m_in(in) {}
    template <class T> T get() {
        need(sizeof(T));
        T v;
        std::memcpy(&v, m_in.data() + m_pos, sizeof(T));
        m_pos += sizeof(T);
        return v;
    }
    std::string get_string() {
        const auto n = get<std::uint64_t>();
        need(n);
        std::string s(m_in.substr(m_pos, n));
        m_pos += n;
        return s;
    }

  private:
    void need(std::size_t n) const {
        if (m_pos + n > m_in.size())
            throw wz::ExternalError("whitezone.dask: a part's result is truncated");
    }
    std::string_view m_in;
    std::size_t m_pos = 0;
};

// A MultiPolygon as ISO WKB (little-endian).
std::string wkb_of(const wz::MultiPolygon& mp) {
    Writer w;
    w.put<std::uint8_t>(1);
    w.put<std::uint32_t>(6);
    w.put<std::uint32_t>(static_cast<std::uint32_t>(mp.size()));
    for (const wz::Polygon& p : mp) {
        w.put<std::uint8_t>(1);
        w.put<std::uint32_t>(3);
        w.put<std::uint32_t>(static_cast<std::uint32_t>(p.rings.size()));
        for (const wz::Ring& r : p.rings) {
            w.put<std::uint32_t>(static_cast<std::uint32_t>(r.size()));
            for (const wz::XY& q : r) {
                w.put(q.x);
                w.put(q.y);
            }
        }
    }
    return w.take();
}

void add_polygons(const OGRGeometry* g, wz::MultiPolygon& out) {
    if (!g)
        return;
    const auto type = wkbFlatten(g->getGeometryType());
    if (type == wkbPolygon) {
        const auto* poly = g->toPolygon();
        wz::Polygon p;
        for (int r = -1; r < poly->getNumInteriorRings(); ++r) {
            const OGRLinearRing* ring = r < 0 ? poly->getExteriorRing() : poly->getInteriorRing(r);
            if (!ring)
                continue;
            wz::Ring out_ring;
            for (int i = 0; i < ring->getNumPoints(); ++i)
                out_ring.push_back({ring->getX(i), ring->getY(i)});
            p.rings.push_back(std::move(out_ring));
        }
        if (!p.rings.empty())
            out.push_back(std::move(p));
    } else if (type == wkbMultiPolygon || type == wkbGeometryCollection) {
        const auto* c = g->toGeometryCollection();
        for (int i = 0; i < c->getNumGeometries(); ++i)
            add_polygons(c->getGeometryRef(i), out);
    }
}

// The union of the parts' coverage of one class.
wz::MultiPolygon union_of(const std::vector<std::string>& wkbs) {
    OGRMultiPolygon all;
    for (const std::string& wkb : wkbs) {
        OGRGeometry* g = nullptr;
        if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &g, wkb.size()) != OGRERR_NONE ||
            !g)
            throw wz::ExternalError("whitezone.dask: a part's coverage is not valid WKB");
        const std::unique_ptr<OGRGeometry> owned(g);
        const auto* mp = g->toMultiPolygon();
        for (int i = 0; i < mp->getNumGeometries(); ++i)
            all.addGeometry(mp->getGeometryRef(i));
    }
    wz::MultiPolygon out;
    if (all.IsEmpty())
        return out;
    const std::unique_ptr<OGRGeometry> merged(all.UnionCascaded());
    if (!merged)
        throw wz::ExternalError("whitezone.dask: the union of the parts' coverage failed (GEOS)");
    add_polygons(merged.get(), out);
    return out;
}

// The radius source named `name` (RadiusSource holds a view of its name).
wz::RadiusSource radius_source(const std::string& name) {
    for (const wz::RadiusSource& known :
         {wz::RadiusSource::Technology, wz::RadiusSource::Station, wz::RadiusSource::Hata})
        if (known.name == name)
            return known;
    return wz::RadiusSource{wz::interned(name)};
}

// The output of a run: --out, --format (UsageError for an unknown one), --overwrite.
wz::WriteOptions write_options(const std::string& path, const std::string& format, bool overwrite) {
    return wz::python::write_options(path, format, overwrite, "whitezone.dask: --format");
}

// One part of the plan.
struct Part {
    std::string key;
    wz::Extent box;
    long villages = 0;
};

// The driver's side: the partition plan of one run (one load of the vector inputs), and
// the merge of the parts into one result written by write_outputs().
class Plan {
  public:
    Plan(const std::vector<ConfigStep>& steps, const std::string& by)
        : m_config(wz::python::make_config(steps)), m_by(parse_partitioning(by)), m_by_text(by) {
        refuse_unsupported(m_config);
        wz::validate_config(m_config);
        m_ctx.threads = m_config.threads;
        m_record = std::make_unique<wz::RunRecord>(m_config, m_ctx);
        const py::gil_scoped_release release;
        wz::Config vectors = m_config;
        vectors.dem.clear();
        vectors.population.clear();
        m_inputs = wz::load_inputs(vectors, m_record->context());
        const auto& prepared = m_inputs.prepared;
        m_reach = wz::reach_m(prepared.stations, m_config, m_ctx);
        if (!m_config.dem.empty() && !(m_config.coverage.terrain.cell_m > 0.0)) {
            // The DEM's own pixel size at the study area's centre, as one run measures it.
            const wz::Extent s = extent_of(prepared.villages);
            const wz::XY c{(s.minx + s.maxx) / 2, (s.miny + s.maxy) / 2};
            m_cell = wz::read_dem(m_config.dem, "dem", prepared.work_crs_wkt,
                                  {c.x - 1, c.y - 1, c.x + 1, c.y + 1}, 0.0)
                         .grid.cell;
        } else {
            m_cell = m_config.coverage.terrain.cell_m;
        }
        make_parts();
    }

    /// Keys, boxes (minx, miny, maxx, maxy) and village counts of the parts, in order.
    [[nodiscard]] std::vector<std::tuple<std::string, Box, long>> parts() const {
        std::vector<std::tuple<std::string, Box, long>> out;
        for (const Part& p : m_parts)
            out.emplace_back(p.key, Box{p.box.minx, p.box.miny, p.box.maxx, p.box.maxy},
                             p.villages);
        return out;
    }

    /// The config the tasks lay over the run's: the work CRS and the DEM's cell fixed, so
    /// that every part shares the whole run's grid.
    [[nodiscard]] std::string task_config() const {
        std::string crs;
        for (const char c : m_inputs.prepared.work_crs) {
            if (c == '\n' || c == '\r' || c == '\t') {
                crs += ' ';
                continue;
            }
            if (c == '"' || c == '\\')
                crs += '\\';
            crs += c;
        }
        std::string json = "{\"work_crs\": \"" + crs + "\"";
        if (!m_config.dem.empty()) {
            char cell[64];
            std::snprintf(cell, sizeof cell, "%.17g", m_cell);
            json += std::string(", \"terrain\": {\"cell_m\": ") + cell + "}";
        }
        return json + "}";
    }

    [[nodiscard]] double reach() const { return m_reach; }
    /// How the parts are chosen, as given ("province", "district", "tile:KM").
    [[nodiscard]] const std::string& by() const { return m_by_text; }

    /// Merges the parts (in plan order) into one result and writes it (write_outputs(),
    /// atomically): every village's and station's fields from its part, the coverage
    /// dissolved from all footprints (vector mode) or the union of the parts' (terrain
    /// mode), the ranking and the summary made again over all villages. Once per plan: the
    /// plan's inputs move into the result.
    /// Returns the write's data warnings (text values cut to a Shapefile's 254 bytes).
    std::vector<std::string> merge_and_write(const std::vector<py::bytes>& blobs,
                                             const std::string& path, const std::string& format,
                                             bool overwrite) {
        if (m_merged)
            throw wz::UsageError("whitezone.dask: this plan's parts were merged already; make "
                                 "a new plan for another run");
        m_merged = true;
        std::vector<std::string> data;
        for (const auto& b : blobs)
            data.emplace_back(b);
        const wz::WriteOptions options = write_options(path, format, overwrite);
        std::vector<std::string> warnings;
        const py::gil_scoped_release release;
        wz::AnalysisResult r = merge(data);
        const wz::Provenance provenance = m_record->finish(r.inputs.work_crs, false);
        wz::write_outputs({&r, nullptr, nullptr, nullptr, &provenance}, options,
                          wz::python::collect_warnings(warnings));
        return warnings;
    }

    /// Checks the output before any work (as `whitezone analyze` does).
    static void check_output(const std::string& path, const std::string& format, bool overwrite) {
        wz::check_output(write_options(path, format, overwrite));
    }

  private:
    void make_parts() {
        const auto& villages = m_inputs.prepared.villages;
        std::map<std::string, std::vector<std::size_t>> units;
        for (std::size_t v = 0; v < villages.size(); ++v)
            units[part_key(villages[v], m_by)].push_back(v);
        for (const auto& [key, members] : units) {
            wz::Extent e{1e300, 1e300, -1e300, -1e300};
            if (m_by.kind == "tile") {
                const wz::XY c = villages[members.front()].centre;
                const double t = m_by.tile_m;
                e = {std::floor(c.x / t) * t, std::floor(c.y / t) * t,
                     (std::floor(c.x / t) + 1) * t, (std::floor(c.y / t) + 1) * t};
            } else {
                for (std::size_t v : members)
                    grow(e, villages[v].centre);
                // Half-open: the box holds its own villages' centres.
                e.maxx = std::nextafter(e.maxx, 1e300);
                e.maxy = std::nextafter(e.maxy, 1e300);
            }
            m_parts.push_back({key, e, static_cast<long>(members.size())});
        }
    }

    wz::AnalysisResult merge(const std::vector<std::string>& data) {
        wz::AnalysisResult r;
        r.inputs = std::move(m_inputs.prepared);
        const std::size_t nv = r.inputs.villages.size(), ns = r.inputs.stations.size();
        std::vector<char> seen_v(nv, 0), seen_s(ns, 0);
        for (auto& v : r.overlay.villages)
            v.resize(nv);
        for (auto& v : r.classification.villages)
            v.resize(nv);
        r.footprints.items.resize(ns);
        for (auto& o : r.footprints.outer)
            o.assign(ns, 0);
        wz::PerClass<std::vector<std::string>> coverage;
        // The operators reaching each village, by name until every part's names are known.
        wz::PerClass<std::vector<std::vector<std::string>>> reach_names;
        for (auto& c : reach_names)
            c.resize(nv);
        std::set<std::string> all_names;
        r.operators.stations.resize(nv);
        for (const std::string& blob : data) {
            Reader in(blob);
            const auto villages = in.get<std::uint64_t>();
            for (std::uint64_t k = 0; k < villages; ++k) {
                const auto v = in.get<std::uint64_t>();
                if (v >= nv || seen_v[v])
                    throw wz::ExternalError("whitezone.dask: village " + std::to_string(v) +
                                            " came from no part or from two; the parts were "
                                            "made from different inputs");
                seen_v[v] = 1;
                r.inputs.villages[v].flags = in.get<wz::VillageFlags>();
                for (std::size_t c = 0; c < wz::kServiceClasses.size(); ++c) {
                    wz::VillageOverlay& o = r.overlay.villages[c][v];
                    o.centre = in.get<std::uint8_t>() != 0;
                    o.share = in.get<double>();
                    o.clusters = in.get<std::int32_t>();
                    o.clusters_without = in.get<std::int32_t>();
                    o.clusters_with_people = in.get<std::int32_t>();
                    o.cluster_people = in.get<double>();
                    o.cluster_people_without = in.get<double>();
                    o.clusters_without_unknown = in.get<std::int32_t>();
                    if (in.get<std::uint8_t>() != 0)
                        o.people = in.get<double>();
                    wz::VillageStatus& s = r.classification.villages[c][v];
                    s.status = static_cast<wz::Status>(in.get<std::uint8_t>());
                    s.basis = static_cast<wz::StatusBasis>(in.get<std::uint8_t>());
                    s.people_without = in.get<double>();
                }
                for (std::size_t c = 0; c < wz::kServiceClasses.size(); ++c) {
                    auto& names = reach_names[c][v];
                    names.resize(in.get<std::uint64_t>());
                    for (auto& name : names) {
                        name = in.get_string();
                        all_names.insert(name);
                    }
                }
                auto& served = r.operators.stations[v];
                served.resize(in.get<std::uint64_t>());
                for (auto& i : served)
                    i = static_cast<std::uint32_t>(in.get<std::uint64_t>());
            }
            const auto stations = in.get<std::uint64_t>();
            for (std::uint64_t k = 0; k < stations; ++k) {
                const auto i = in.get<std::uint64_t>();
                if (i >= ns || seen_s[i])
                    throw wz::ExternalError("whitezone.dask: station " + std::to_string(i) +
                                            " came from no part or from two");
                seen_s[i] = 1;
                wz::Footprint& f = r.footprints.items[i];
                f.station = i;
                f.tech = r.inputs.stations[i].tech;
                f.centre = r.inputs.stations[i].xy;
                f.radius_m = in.get<double>();
                f.radius_source = radius_source(in.get_string());
                f.radius_flag = wz::interned(in.get_string());
                f.sector = in.get<std::uint8_t>() != 0;
                f.azimuth_deg = in.get<double>();
                f.beamwidth_deg = in.get<double>();
                f.no_ground = in.get<std::uint8_t>() != 0;
                f.quad_segs = in.get<std::int32_t>();
                f.inner_radius_m = in.get<double>();
            }
            if (in.get<std::uint8_t>() != 0)
                for (auto& c : coverage)
                    c.push_back(in.get_string());
        }
        if (std::count(seen_v.begin(), seen_v.end(), 0) > 0 ||
            std::count(seen_s.begin(), seen_s.end(), 0) > 0)
            throw wz::ExternalError("whitezone.dask: some villages or stations came from no "
                                    "part; the parts were made from different inputs");
        r.study_area = extent_of(r.inputs.villages);
        if (m_config.dem.empty()) {
            // The vector mode: every station's footprint is known, so the coverage is
            // dissolved as one run dissolves it (the same polygons, not a union of the parts').
            r.footprints.outer = wz::find_outer_footprints(r.footprints, m_ctx.worker_threads());
            r.coverage =
                wz::footprint_coverage(r.footprints)->shapes(r.study_area, m_ctx.worker_threads());
        } else {
            // One class a thread (GEOS contexts of their own): the two unions are the
            // driver's longest serial step in the terrain mode.
            std::vector<std::future<wz::MultiPolygon>> unions;
            const auto policy =
                m_ctx.worker_threads() > 1 ? std::launch::async : std::launch::deferred;
            for (std::size_t c = 0; c < coverage.size(); ++c)
                unions.push_back(std::async(policy, [&, c] { return union_of(coverage[c]); }));
            for (std::size_t c = 0; c < coverage.size(); ++c)
                r.coverage[c] = unions[c].get();
        }
        // Every operator of the stations in byte order, as operators_at_villages() lists them.
        for (const wz::Station& st : r.inputs.stations)
            all_names.insert(st.operator_name);
        r.operators.names.assign(all_names.begin(), all_names.end());
        for (std::size_t c = 0; c < reach_names.size(); ++c) {
            auto& reach = r.operators.reach[c];
            reach.resize(nv);
            for (std::size_t v = 0; v < nv; ++v) {
                for (const std::string& name : reach_names[c][v])
                    reach[v].push_back(static_cast<std::uint32_t>(
                        std::lower_bound(r.operators.names.begin(), r.operators.names.end(), name) -
                        r.operators.names.begin()));
                std::sort(reach[v].begin(), reach[v].end());
            }
        }
        r.ranking = wz::rank_villages(r.inputs, r.classification, m_config.rank);
        r.summary = wz::summarize(r.inputs, r.classification, nullptr, m_config.stability.firm_from,
                                  &r.operators);
        return r;
    }

    wz::Config m_config;
    Partitioning m_by;
    std::string m_by_text;
    wz::Context m_ctx;
    std::unique_ptr<wz::RunRecord> m_record;
    wz::Inputs m_inputs;
    bool m_merged = false;
    double m_reach = 0.0;
    double m_cell = 0.0;
    std::vector<Part> m_parts;
};

// The whole vector inputs of one run, loaded once per worker process: a worker runs many
// parts of a run, and each keeps its own villages and halo from the same load. With them, what
// every part of the run would otherwise find again: each site's first station, the villages
// of each part key and each station's owning part. The driver names its run with a token; a
// part of another run loads again, and drop_loaded_inputs() frees the load when the run ends.
struct RunInputs {
    wz::Inputs inputs;
    std::vector<std::size_t> first_of_site;
    std::map<std::string, std::vector<std::size_t>> villages_of;
    std::vector<std::size_t> owner;
};

struct LoadedInputs {
    std::mutex lock;
    std::string run;
    std::shared_ptr<const RunInputs> inputs;
    std::uint64_t loads = 0; // loads made by this process (for the tests)
};

LoadedInputs& loaded_inputs() {
    static LoadedInputs loaded;
    return loaded;
}

std::shared_ptr<const RunInputs> whole_inputs(const std::string& run, const wz::Config& config,
                                              const wz::Context& ctx, const Partitioning& by,
                                              const std::vector<wz::Extent>& boxes) {
    LoadedInputs& loaded = loaded_inputs();
    // The other threads of a worker wait for the one that loads.
    const std::lock_guard guard(loaded.lock);
    if (loaded.inputs && loaded.run == run)
        return loaded.inputs;
    loaded.inputs.reset(); // free the previous run's inputs before loading
    loaded.run.clear();
    wz::Config vectors = config;
    vectors.dem.clear();
    auto in = std::make_shared<RunInputs>();
    in->inputs = wz::load_inputs(vectors, ctx);
    const auto& prepared = in->inputs.prepared;
    in->first_of_site = wz::first_station_of_sites(prepared);
    for (std::size_t v = 0; v < prepared.villages.size(); ++v)
        in->villages_of[part_key(prepared.villages[v], by)].push_back(v);
    const Owners owners(boxes);
    in->owner.resize(prepared.stations.size());
    for (std::size_t i = 0; i < prepared.stations.size(); ++i)
        in->owner[i] = owners.owner(prepared.stations[i].xy);
    loaded.inputs = std::move(in);
    loaded.run = run;
    ++loaded.loads;
    return loaded.inputs;
}

void drop_loaded_inputs() {
    LoadedInputs& loaded = loaded_inputs();
    const std::lock_guard guard(loaded.lock);
    loaded.inputs.reset();
    loaded.run.clear();
}

std::uint64_t loads_made() {
    LoadedInputs& loaded = loaded_inputs();
    const std::lock_guard guard(loaded.lock);
    return loaded.loads;
}

// One task: takes the run's inputs as its worker loaded them (whole_inputs(), with the
// driver's work CRS and DEM cell), keeps part
// `index` of `boxes` (its villages: those of part_key() `key` under `by`) with the stations within
// `reach`, reads the DEM over the part only, analyzes it and packs its villages' and own
// stations' results and its coverage.
py::bytes run_part(const std::vector<ConfigStep>& steps, const std::string& by,
                   const std::string& key, std::size_t index, const std::vector<Box>& boxes,
                   double reach, const std::string& run) {
    const wz::Config config = wz::python::make_config(steps);
    refuse_unsupported(config);
    const Partitioning partitioning = parse_partitioning(by);
    std::string out;
    {
        const py::gil_scoped_release release;
        wz::validate_config(config);
        wz::Context ctx;
        ctx.threads = config.threads;
        std::vector<wz::Extent> extents;
        for (const auto& [a, b, c, d] : boxes)
            extents.push_back({a, b, c, d});
        if (index >= extents.size())
            throw wz::UsageError("whitezone.dask: part " + std::to_string(index) +
                                 " is not in the plan");
        const std::shared_ptr<const RunInputs> loaded =
            whole_inputs(run, config, ctx, partitioning, extents);
        const wz::Inputs& all = loaded->inputs;
        const auto& prepared = all.prepared;
        std::vector<char> villages(prepared.villages.size(), 0);
        std::vector<std::size_t> village_index;
        if (const auto it = loaded->villages_of.find(key); it != loaded->villages_of.end())
            village_index = it->second;
        for (std::size_t v : village_index)
            villages[v] = 1;
        std::vector<char> own(prepared.stations.size(), 0);
        for (std::size_t i = 0; i < prepared.stations.size(); ++i)
            own[i] = loaded->owner[i] == index ? 1 : 0;
        std::vector<std::size_t> station_index;
        wz::Inputs part =
            wz::restrict_inputs(all, villages, own, reach, &station_index, &loaded->first_of_site);

        if (!config.dem.empty() && !part.prepared.villages.empty()) {
            // The DEM over the part's villages and the widest footprint of its stations, on
            // the whole run's grid (the cell is fixed by the driver).
            const wz::Extent s = extent_of(part.prepared.villages);
            const double margin = wz::reach_m(part.prepared.stations, config, ctx) -
                                  std::max(0.0, config.overlay.village_radius_m);
            part.dem =
                wz::read_dem(config.dem, "dem", part.prepared.work_crs_wkt,
                             {s.minx - margin, s.miny - margin, s.maxx + margin, s.maxy + margin},
                             config.coverage.terrain.cell_m);
            wz::flag_dem_gaps(part.prepared, *part.dem);
        }
        const std::vector<char> halo = part.halo;
        const bool terrain = !config.dem.empty();
        const wz::AnalysisResult r =
            wz::analyze(std::move(part), config, ctx, /*coverage_polygons=*/terrain);

        Writer w;
        w.put<std::uint64_t>(village_index.size());
        for (std::size_t k = 0; k < village_index.size(); ++k) {
            w.put<std::uint64_t>(village_index[k]);
            w.put<wz::VillageFlags>(r.inputs.villages[k].flags);
            for (std::size_t c = 0; c < wz::kServiceClasses.size(); ++c) {
                const wz::VillageOverlay& o = r.overlay.villages[c][k];
                w.put<std::uint8_t>(o.centre ? 1 : 0);
                w.put(o.share);
                w.put<std::int32_t>(o.clusters);
                w.put<std::int32_t>(o.clusters_without);
                w.put<std::int32_t>(o.clusters_with_people);
                w.put(o.cluster_people);
                w.put(o.cluster_people_without);
                w.put<std::int32_t>(o.clusters_without_unknown);
                w.put<std::uint8_t>(o.people ? 1 : 0);
                if (o.people)
                    w.put(*o.people);
                const wz::VillageStatus& s = r.classification.villages[c][k];
                w.put(static_cast<std::uint8_t>(s.status));
                w.put(static_cast<std::uint8_t>(s.basis));
                w.put(s.people_without);
            }
            // The operators reaching the centre (by name, since each part has its own list of
            // names) and the stations serving it (by their index in the whole run).
            const wz::VillageOperators& ops = r.operators;
            for (std::size_t c = 0; c < wz::kServiceClasses.size(); ++c) {
                const auto& reached = ops.reach[c];
                const std::size_t n = k < reached.size() ? reached[k].size() : 0;
                w.put<std::uint64_t>(n);
                for (std::size_t j = 0; j < n; ++j)
                    w.put_string(ops.names[reached[k][j]]);
            }
            const std::size_t served = k < ops.stations.size() ? ops.stations[k].size() : 0;
            w.put<std::uint64_t>(served);
            for (std::size_t j = 0; j < served; ++j)
                w.put<std::uint64_t>(station_index[ops.stations[k][j]]);
        }
        const auto owned = static_cast<std::uint64_t>(std::count(halo.begin(), halo.end(), 0));
        w.put<std::uint64_t>(owned);
        for (std::size_t k = 0; k < station_index.size(); ++k) {
            if (halo[k])
                continue;
            const wz::Footprint& f = r.footprints.items[k];
            w.put<std::uint64_t>(station_index[k]);
            w.put(f.radius_m);
            w.put_string(std::string(f.radius_source.name));
            w.put_string(std::string(f.radius_flag));
            w.put<std::uint8_t>(f.sector ? 1 : 0);
            w.put(f.azimuth_deg);
            w.put(f.beamwidth_deg);
            w.put<std::uint8_t>(f.no_ground ? 1 : 0);
            w.put<std::int32_t>(f.quad_segs);
            w.put(f.inner_radius_m);
        }
        // The terrain mode's covered cells as polygons; the vector mode's coverage is
        // dissolved by the driver from all footprints.
        w.put<std::uint8_t>(terrain ? 1 : 0);
        if (terrain)
            for (const auto& c : r.coverage)
                w.put_string(wkb_of(c));
        out = w.take();
    }
    return py::bytes(out);
}

} // namespace

void bind_parts(py::module_& m);

/// The Dask driver's calls (python/whitezone/dask.py), added to the module `_whitezone`.
void bind_parts(py::module_& m) {
    py::class_<Plan>(m, "PartitionPlan")
        .def(py::init<const std::vector<ConfigStep>&, const std::string&>(), py::arg("config"),
             py::arg("by"))
        .def("parts", &Plan::parts)
        .def("task_config", &Plan::task_config)
        .def_property_readonly("reach", &Plan::reach)
        .def_property_readonly("by", &Plan::by)
        .def("merge_and_write", &Plan::merge_and_write, py::arg("parts"), py::arg("path"),
             py::arg("format"), py::arg("overwrite"));
    m.def("check_output", &Plan::check_output, py::arg("path"), py::arg("format"),
          py::arg("overwrite"));
    m.def("run_part", &run_part, py::arg("config"), py::arg("by"), py::arg("key"), py::arg("index"),
          py::arg("boxes"), py::arg("reach"), py::arg("run"));
    m.def("drop_loaded_inputs", &drop_loaded_inputs,
          "Frees the inputs a worker keeps for the parts of a run (the driver calls it on every "
          "worker when the run ends).");
    m.def("loads_made", &loads_made,
          "How many times this process loaded a run's whole inputs for its parts.");
}
