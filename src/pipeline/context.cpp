#include "whitezone/context.hpp"

#include "common/text.hpp"
#include "pipeline/stage.hpp"

#include <algorithm>
#include <cstddef>
#include <thread>

// gperftools' C interface (malloc_extension_c.h, not installed by libtcmalloc-minimal4), weak:
// present when the process has tcmalloc (the whitezone program links it), null otherwise (the
// Python module, the sanitizer builds, a host with glibc's malloc).
extern "C" void MallocExtension_ReleaseFreeMemory() __attribute__((weak));
extern "C" int MallocExtension_GetNumericProperty(const char* property, std::size_t* value)
    __attribute__((weak));

namespace whitezone {

namespace {

// The bytes the allocator holds from the system (its heap less what it has handed back); 0
// when it cannot say.
std::size_t held_bytes() {
    std::size_t heap = 0, unmapped = 0;
    if (MallocExtension_GetNumericProperty == nullptr ||
        !MallocExtension_GetNumericProperty("generic.heap_size", &heap) ||
        !MallocExtension_GetNumericProperty("tcmalloc.pageheap_unmapped_bytes", &unmapped))
        return 0;
    return heap > unmapped ? heap - unmapped : 0;
}

} // namespace

void pipeline::release_free_memory() {
    // Below 512 MiB held the free pages stay for the next stage: taking them back from the
    // system costs page faults (0.1 s of a national run at L, whose peak is 300 MiB), and the
    // next stage's growth cannot take the process past 1 GiB from there.
    constexpr std::size_t kKeep = std::size_t{512} << 20;
    if (MallocExtension_ReleaseFreeMemory != nullptr && held_bytes() >= kKeep)
        MallocExtension_ReleaseFreeMemory();
}

int Context::worker_threads() const {
    return threads > 0 ? threads
                       : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

void Context::check_cancelled(std::string_view where) const {
    if (stop.stop_requested())
        throw Cancelled(std::string(where) + ": cancelled; nothing was written.");
}

void WarningTally::add(std::string_view message) {
    std::string text = text::scrub_secrets(message);
    const std::scoped_lock lock(m_mutex);
    for (WarningCount& w : m_counts)
        if (w.message == text) {
            ++w.count;
            return;
        }
    m_counts.push_back({std::move(text), 1});
}

std::vector<WarningCount> WarningTally::counts() const {
    const std::scoped_lock lock(m_mutex);
    return m_counts;
}

Context counting_warnings(const Context& ctx, std::shared_ptr<WarningTally> tally) {
    Context counted = ctx;
    counted.log.warn = [tally = std::move(tally), next = ctx.log.warn](std::string_view m) {
        tally->add(m);
        if (next)
            next(m);
    };
    return counted;
}

} // namespace whitezone
