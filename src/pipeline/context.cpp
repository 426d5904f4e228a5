#include "whitezone/context.hpp"

#include "common/text.hpp"
#include "pipeline/stage.hpp"

#include <algorithm>
#include <thread>

// gperftools' C interface (malloc_extension_c.h, not installed by libtcmalloc-minimal4), weak:
// present when the process has tcmalloc (the whitezone program links it), null otherwise (the
// Python module, the sanitizer builds, a host with glibc's malloc).
extern "C" void MallocExtension_ReleaseFreeMemory() __attribute__((weak));

namespace whitezone {

void pipeline::release_free_memory() {
    if (MallocExtension_ReleaseFreeMemory != nullptr)
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
