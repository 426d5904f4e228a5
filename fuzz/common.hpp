#pragma once
// Shared by the libFuzzer harnesses: write the input to GDAL's in-memory file system and run
// a stage on it. A whitezone::Error is the expected answer to bad input; anything else (a
// crash, a sanitizer report, another exception) is a finding.

#include "whitezone/error.hpp"
#include "whitezone/read.hpp"

#include <cpl_vsi.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace whitezone::fuzz {

/// Writes `size` bytes to the /vsimem/ file `path` (replacing it) and returns `path`.
inline std::string vsimem_file(const std::string& path, const std::uint8_t* data,
                               std::size_t size) {
    VSIUnlink(path.c_str());
    VSILFILE* f = VSIFOpenL(path.c_str(), "wb");
    if (f) {
        if (size > 0)
            VSIFWriteL(data, 1, size, f);
        VSIFCloseL(f);
    }
    return path;
}

/// Runs `body`; whitezone's own errors are the expected outcome for bad input.
template <class Fn> void expect_only_whitezone_errors(Fn&& body) {
    try {
        body();
    } catch (const whitezone::Error&) {
    }
}

} // namespace whitezone::fuzz
