// The overlay of the terrain mode: villages, centres and clusters read off the coverage raster.

#include "whitezone/overlay.hpp"

#include "common/parallel.hpp"
#include "common/polygon.hpp"

#include <algorithm>
#include <cmath>

namespace whitezone {

Overlay overlay_villages_raster(const PreparedInputs& inputs, const CoverageRaster& coverage,
                                const OverlayOptions& options) {
    const std::size_t n = inputs.villages.size();
    const GridSpec& g = coverage.grid;
    Overlay out;
    for (auto& per_class : out.villages)
        per_class.assign(n, VillageOverlay{});

    parallel::for_ranges(n, options.threads, [&](std::size_t, std::size_t begin, std::size_t end) {
        for (std::size_t v = begin; v < end; ++v) {
            const Village& village = inputs.villages[v];
            PerClass<long> covered{};
            long cells = 0;
            auto count = [&](int col, int row) {
                ++cells;
                for (ServiceClass cls : kServiceClasses)
                    covered[index_of(cls)] += coverage.covered[index_of(cls)][g.index(col, row)];
            };
            if (!village.is_point()) {
                polygon::for_each_cell_in(village.area, g, count);
            } else if (options.village_radius_m > 0.0) {
                const double r = options.village_radius_m;
                const XY c = village.centre;
                polygon::for_each_cell_in({Polygon{{Ring{{c.x - r, c.y - r},
                                                         {c.x + r, c.y - r},
                                                         {c.x + r, c.y + r},
                                                         {c.x - r, c.y + r},
                                                         {c.x - r, c.y - r}}}}},
                                          g, [&](int col, int row) {
                                              const XY p = g.centre(col, row);
                                              if (std::hypot(p.x - c.x, p.y - c.y) <= r)
                                                  count(col, row);
                                          });
            }
            for (ServiceClass cls : kServiceClasses) {
                VillageOverlay& o = out.villages[index_of(cls)][v];
                o.centre = coverage.covers(cls, village.centre);
                // A village smaller than a cell (or a point) is its centre's cell.
                o.share = cells > 0 ? static_cast<double>(covered[index_of(cls)]) /
                                          static_cast<double>(cells)
                                    : (o.centre ? 1.0 : 0.0);
            }
        }
    });
    if (inputs.settlements)
        for (const Settlement& s : *inputs.settlements) {
            if (s.village < 0)
                continue;
            for (ServiceClass cls : kServiceClasses)
                count_cluster(out.villages[index_of(cls)][static_cast<std::size_t>(s.village)], s,
                              coverage.covers(cls, s.xy));
        }
    return out;
}

} // namespace whitezone
