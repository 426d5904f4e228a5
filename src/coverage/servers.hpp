#pragma once
// The serving stations of probe points that the raster models collect (ProbeServers).

#include "whitezone/coverage/terrain.hpp"

#include <algorithm>

namespace whitezone::coverage {

/// Puts each probe's stations in ascending order, each once (the workers add them in any
/// order, and a station may serve a cell twice).
inline void sort_servers(ProbeServers& servers) {
    for (auto& lists : servers)
        for (auto& list : lists) {
            std::sort(list.begin(), list.end());
            list.erase(std::unique(list.begin(), list.end()), list.end());
        }
}

} // namespace whitezone::coverage
