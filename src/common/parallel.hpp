#pragma once
// Splitting work across threads so that results do not depend on the thread count: items
// are dealt in contiguous ranges and each worker writes only its own results.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <thread>
#include <vector>

namespace whitezone::parallel {

/// Runs `work(worker, begin, end)` on `threads` workers over [0, n) in contiguous ranges and
/// rethrows the first worker's exception. While they run, `tick()` is called about every
/// 100 ms on the calling thread (progress display); it may be empty.
inline void
for_ranges(std::size_t n, int threads,
           const std::function<void(std::size_t worker, std::size_t begin, std::size_t end)>& work,
           const std::function<void()>& tick = {}) {
    const std::size_t t_count = std::clamp<std::size_t>(
        static_cast<std::size_t>(std::max(threads, 1)), 1, std::max<std::size_t>(n, 1));
    if (t_count == 1 && !tick) {
        work(0, 0, n); // nothing to overlap: no thread to start
        return;
    }
    const std::size_t chunk = (n + t_count - 1) / t_count;
    std::vector<std::exception_ptr> errors(t_count);
    std::atomic<std::size_t> running{t_count};
    std::vector<std::thread> workers;
    for (std::size_t t = 0; t < t_count; ++t) {
        const std::size_t begin = std::min(n, t * chunk), end = std::min(n, begin + chunk);
        workers.emplace_back([&, t, begin, end] {
            try {
                work(t, begin, end);
            } catch (...) {
                errors[t] = std::current_exception();
            }
            --running;
        });
    }
    while (tick && running.load() > 0) {
        tick();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    for (auto& w : workers)
        w.join();
    for (auto& e : errors)
        if (e)
            std::rethrow_exception(e);
}

} // namespace whitezone::parallel
