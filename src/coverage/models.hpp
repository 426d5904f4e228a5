#pragma once
// The factories of the registered link models (one file each in src/coverage/models/),
// registered in models.cpp.

#include "whitezone/coverage/link_model.hpp"

#include <memory>

namespace whitezone::coverage {

/// The disk model's radius: `radius_m` of the station's technology. Throws UsageError when
/// the config has none for it. Models that trace the signal themselves (ITM) use it as the
/// reach within which they trace.
ModelRadius technology_radius(const Station& s, const CoverageOptions& options);

std::unique_ptr<LinkModel> make_disk_model();
std::unique_ptr<LinkModel> make_hata_model();
std::unique_ptr<LinkModel> make_itm_model();

} // namespace whitezone::coverage
