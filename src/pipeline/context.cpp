#include "whitezone/context.hpp"

#include <algorithm>
#include <thread>

namespace whitezone {

int Context::worker_threads() const {
    return threads > 0 ? threads
                       : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

void Context::check_cancelled(std::string_view where) const {
    if (stop.stop_requested())
        throw Cancelled(std::string(where) + ": cancelled; nothing was written.");
}

} // namespace whitezone
