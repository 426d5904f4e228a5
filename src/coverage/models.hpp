#pragma once
// The factories of the registered link models (one file each in src/coverage/models/),
// registered in models.cpp.

#include "whitezone/coverage/link_model.hpp"

#include <memory>

namespace whitezone::coverage {

std::unique_ptr<LinkModel> make_disk_model();
std::unique_ptr<LinkModel> make_hata_model();
std::unique_ptr<LinkModel> make_itm_model();

} // namespace whitezone::coverage
