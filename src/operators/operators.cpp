// Which operators reach each village's centre: a point test per footprint near the centre in
// the vector mode; in the terrain mode and ITM, the stations that serve the centre's cell.

#include "whitezone/operators.hpp"

#include "whitezone/coverage/itm.hpp"
#include "whitezone/coverage/link_model.hpp"
#include "whitezone/coverage/terrain.hpp"

#include "common/grid.hpp"
#include "common/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace whitezone {

std::string VillageOperators::text(ServiceClass cls, std::size_t v) const {
    std::string out;
    const auto& list = reach[index_of(cls)];
    if (v >= list.size())
        return out;
    for (std::uint32_t k : list[v]) {
        if (!out.empty())
            out += ',';
        out += names[k].empty() ? std::string(kUnknownOperator) : names[k];
    }
    return out;
}

std::size_t VillageOperators::count(ServiceClass cls, std::size_t v) const {
    const auto& list = reach[index_of(cls)];
    return v < list.size() ? list[v].size() : 0;
}

namespace {

// The footprints whose reach holds a village's centre: the exact disk or wedge in the vector
// mode (`cell` 0), else every footprint that can cover the cell holding the centre (the raster
// modes: a cell is covered when its own centre is within the radius, up to half a cell's
// diagonal from the village's centre; ITM serves behind a sector's wedge too, and the covered
// cells decide). So a village's operators depend on its own cell only, not on which other
// villages the run holds. Asked one village at a time: a national run's lists together would
// hold millions of entries.
class NearFootprints {
  public:
    NearFootprints(const Footprints& footprints, double cell)
        : m_footprints(footprints), m_exact(cell <= 0.0),
          m_slack(m_exact ? 0.0 : cell * std::numbers::sqrt2 / 2.0 * (1.0 + 1e-9)),
          m_index(widest(footprints)) {
        for (std::size_t i = 0; i < footprints.items.size(); ++i)
            m_index.insert(grid::Box::around(footprints.items[i].centre,
                                             footprints.items[i].radius_m + m_slack),
                           i);
    }
    /// The footprints near `c`, ascending, into `out`; `found` is the caller's scratch space
    /// (one per thread).
    void at(XY c, std::vector<std::uint32_t>& out, std::vector<std::size_t>& found) const {
        out.clear();
        m_index.query(grid::Box::around(c, 0.0), found);
        for (std::size_t i : found) {
            const Footprint& f = m_footprints.items[i];
            if (m_exact ? f.covers(c)
                        : std::hypot(c.x - f.centre.x, c.y - f.centre.y) <= f.radius_m + m_slack)
                out.push_back(static_cast<std::uint32_t>(i));
        }
    }

  private:
    static double widest(const Footprints& footprints) {
        double out = 1000.0;
        for (const Footprint& f : footprints.items)
            out = std::max(out, f.radius_m);
        return out;
    }
    const Footprints& m_footprints;
    bool m_exact;
    double m_slack;
    grid::GridIndex m_index;
};

// Per class and village, the stations serving the village centre's cell in the raster run
// of `options` (a run of the whole network that keeps its servers at the centres).
ProbeServers servers_at_centres(const PreparedInputs& inputs, const Footprints& footprints,
                                const Raster<float>& dem, const CoverageOptions& options) {
    std::vector<XY> centres;
    centres.reserve(inputs.villages.size());
    for (const Village& v : inputs.villages)
        centres.push_back(v.centre);
    if (link_model(options.model).needs_dem())
        return model_itm_coverage(inputs.stations, footprints, dem, options, nullptr, nullptr,
                                  centres)
            .probe_servers;
    return terrain_servers(inputs.stations, footprints, dem, options, centres);
}

} // namespace

VillageOperators operators_at_villages(const PreparedInputs& inputs, const Footprints& footprints,
                                       const Overlay& overlay, const Raster<float>* dem,
                                       const CoverageOptions& options,
                                       const ProbeServers* centre_servers) {
    VillageOperators out;
    const std::size_t n = inputs.villages.size();
    // Operators numbered in their names' byte order.
    const TextNumbers operators = number_operators(inputs.stations);
    out.names.assign(operators.ids.begin(), operators.ids.end());
    for (auto& list : out.reach)
        list.assign(n, {});
    out.stations.assign(n, {});
    if (footprints.items.empty() || n == 0)
        return out;
    const std::vector<std::uint32_t>& station_op = operators.of;
    auto op_of = [&](std::size_t footprint) {
        return station_op[footprints.items[footprint].station];
    };

    const bool raster = dem != nullptr;

    // reached[cls][v][op]: whether operator `op` reaches village v's centre in class cls.
    const std::size_t ops = out.names.size();
    PerClass<std::vector<char>> reached;
    for (auto& r : reached)
        r.assign(n * ops, 0);
    // The vector mode's reach comes from the footprints near each centre, in the loop below.
    if (raster && ops == 1) {
        // One operator: its reach is the network's, as the overlay found it.
        for (ServiceClass cls : kServiceClasses)
            for (std::size_t v = 0; v < n; ++v)
                reached[index_of(cls)][v] = overlay.villages[index_of(cls)][v].centre ? 1 : 0;
    } else if (raster) {
        // The stations serving each centre's cell (the network run's own, else found here):
        // an operator reaches the centre when one of its stations does, never more than the
        // whole network's signal there.
        ProbeServers found;
        if (!centre_servers) {
            found = servers_at_centres(inputs, footprints, *dem, options);
            centre_servers = &found;
        }
        for (ServiceClass cls : kServiceClasses) {
            const auto& servers = (*centre_servers)[index_of(cls)];
            for (std::size_t v = 0; v < n; ++v)
                if (overlay.villages[index_of(cls)][v].centre)
                    for (std::uint32_t st : servers.at(v))
                        reached[index_of(cls)][v * ops + station_op[st]] = 1;
        }
    }

    // Each list is made at its final size (assign), with no spare capacity: there are three
    // per village. A site serving a village is listed once per operator, by the first of its
    // operator's stations there that serves it (`listed_for` stamps each site and operator
    // with the last village that listed it).
    const SiteNumbers sites = number_sites(inputs.stations);
    constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
    const NearFootprints near_index(footprints, raster ? dem->grid.cell : 0.0);
    // Each village's lists depend on its own centre only: the villages are dealt to the threads
    // in contiguous ranges, each with its own scratch space and stamps, and each writes only
    // its villages' entries (the same lists for any thread count).
    parallel::for_ranges(n, options.threads, [&](std::size_t, std::size_t begin, std::size_t end) {
        std::vector<std::uint32_t> listed_for(sites.ids.size() * ops, kNone);
        std::vector<std::size_t> found;
        std::vector<std::uint32_t> near, list;
        for (std::size_t v = begin; v < end; ++v) {
            near_index.at(inputs.villages[v].centre, near, found);
            if (!raster)
                for (std::uint32_t i : near)
                    for (ServiceClass cls : kServiceClasses)
                        if (serves(cls, footprints.items[i].tech))
                            reached[index_of(cls)][v * ops + op_of(i)] = 1;
            for (ServiceClass cls : kServiceClasses) {
                list.clear();
                for (std::uint32_t op = 0; op < ops; ++op)
                    if (reached[index_of(cls)][v * ops + op])
                        list.push_back(op);
                out.reach[index_of(cls)][v].assign(list.begin(), list.end());
            }
            // The sites serving the village: their footprint holds the centre (exactly) and
            // their operator reaches it.
            list.clear();
            for (std::uint32_t i : near) {
                const Footprint& f = footprints.items[i];
                const std::uint32_t op = op_of(i);
                std::uint32_t& listed = listed_for[sites.of[f.station] * ops + op];
                if (listed != v && f.covers(inputs.villages[v].centre) &&
                    reached[index_of(ServiceClass::Any)][v * ops + op]) {
                    listed = static_cast<std::uint32_t>(v);
                    list.push_back(static_cast<std::uint32_t>(f.station));
                }
            }
            out.stations[v].assign(list.begin(), list.end());
        }
    });
    return out;
}

} // namespace whitezone
