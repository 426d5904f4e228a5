#pragma once
// Private to the prepare stage: the sub-steps prepare_inputs() runs in order.

#include "whitezone/prepare.hpp"

#include "proj/proj.hpp"

namespace whitezone::prepare {

/// The CRS of a layer, checked: present (InputError naming the config key otherwise),
/// known to PROJ, and every coordinate in range when geographic.
std::string checked_crs(const RawLayer& layer, std::string_view role);

/// Stations in the work CRS, OpenCelliD cells mapped, sites grouped.
/// The layer's values move into the stations.
std::vector<Station> prepare_stations(RawLayer& layer, const PrepareOptions& options,
                                      const proj::Transformer& to_work, const Log& log,
                                      std::size_t& site_count);

/// Villages in the work CRS, polygons repaired, centres found, on options.threads workers.
/// `centres` and `centres_to_work` are null without a centres layer.
/// The layer's geometries and values move into the villages.
std::vector<Village> prepare_villages(RawLayer& layer, const PrepareOptions& options,
                                      const std::string& layer_crs, const std::string& work_crs,
                                      const RawLayer* centres,
                                      const proj::Transformer* centres_to_work, const Log& log);

/// Settlements in the work CRS, each joined to its village by id or containment, with their
/// own population and households; flags the villages that no settlement matched
/// `settlement_unmatched`.
std::vector<Settlement> prepare_settlements(const RawLayer& layer, const PrepareOptions& options,
                                            const proj::Transformer& to_work,
                                            std::vector<Village>& villages, const Log& log);

/// Carried input fields: all of the layer's.
std::vector<FieldDef> carried_fields(const RawLayer& layer);

} // namespace whitezone::prepare
