// Point layers other than stations (the plan's candidate sites): checked and reprojected into
// the work CRS the way stations are.

#include "whitezone/error.hpp"
#include "whitezone/prepare.hpp"

#include "prepare/internal.hpp"

namespace whitezone {

std::vector<PreparedPoint> prepare_points(const RawLayer& layer, const std::string& work_crs,
                                          std::string_view role) {
    const proj::Transformer to_work(prepare::checked_crs(layer, role), work_crs);
    std::vector<PreparedPoint> out;
    out.reserve(layer.features.size());
    for (const auto& f : layer.features) {
        if (f.geometry.kind != RawGeometry::Kind::Point)
            throw InputError("prepare: " + layer.where() + " row " + std::to_string(f.row) +
                             ": the geometry is a " + f.geometry.type + ", but " +
                             std::string(role) + " must be points; give a point layer.");
        out.push_back({f.row, f.geometry.point});
    }
    std::vector<XY> xy;
    xy.reserve(out.size());
    for (const auto& p : out)
        xy.push_back(p.xy);
    if (long bad = to_work.transform(xy); bad >= 0)
        throw InputError("prepare: " + layer.where() + " row " +
                         std::to_string(out[static_cast<std::size_t>(bad)].row) +
                         ": cannot transform the point into the work CRS; check its "
                         "coordinates and the layer's CRS (\"" +
                         std::string(role) + ".crs\").");
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i].xy = xy[i];
    return out;
}

} // namespace whitezone
