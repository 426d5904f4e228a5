// libFuzzer harness: the on-air date parser. Besides crashes and undefined behaviour, a year
// it returns must lie in 1900-2100.

#include "prepare/fields.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (const auto year = whitezone::prepare::parse_year(text);
        year && (*year < 1900 || *year > 2100))
        std::abort();
    return 0;
}
