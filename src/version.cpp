#include "whitezone/version.hpp"

namespace whitezone {

std::string_view version() { return WHITEZONE_VERSION_STRING; }

} // namespace whitezone
