#pragma once
// Splitting work across threads so that results do not depend on the thread count: items
// are dealt in contiguous ranges and each worker writes only its own results.

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>
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

/// Lowers the calling thread's priority (nice 10; the threads it starts from then on inherit
/// it), so that work beside the one waited for takes only what the other threads leave of the
/// cores: the dissolve beside the write (docs/performance.md). Where the system refuses, the
/// thread runs as before.
inline void yield_to_others() { setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10); }

/// Runs `make(i, item)` then `use(i, item)` for every i in [0, n), `use` on the calling thread
/// in order. With `beside`, `make` runs on a thread of its own, `batch` items ahead at most three
/// batches ahead, so that the two overlap (a writer that inserts rows while the next rows are
/// made); the items are kept in those three batches and made again over the old ones, so
/// what `use` leaves in an item is destroyed by `make`'s thread. The first exception of either
/// side is rethrown once both have stopped (`make`'s after `use` has had the items made before it).
template <class Item>
void in_order(std::size_t n, std::size_t batch, bool beside,
              const std::function<void(std::size_t, Item&)>& make,
              const std::function<void(std::size_t, Item&)>& use) {
    batch = std::max<std::size_t>(batch, 1);
    if (!beside || n <= batch) {
        Item item;
        for (std::size_t i = 0; i < n; ++i) {
            make(i, item);
            use(i, item);
        }
        return;
    }
    constexpr std::size_t kSlots = 3;
    const std::size_t batches = (n + batch - 1) / batch;
    std::array<std::vector<Item>, kSlots> slots;
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t made = 0, used = 0; // batches
    bool stop = false;
    std::exception_ptr failure;
    std::thread maker([&] {
        try {
            for (std::size_t b = 0; b < batches; ++b) {
                {
                    std::unique_lock lock(mutex);
                    changed.wait(lock, [&] { return stop || b - used < kSlots; });
                    if (stop)
                        return;
                }
                std::vector<Item>& slot = slots[b % kSlots];
                const std::size_t begin = b * batch, end = std::min(n, begin + batch);
                slot.resize(end - begin);
                for (std::size_t i = begin; i < end; ++i)
                    make(i, slot[i - begin]);
                {
                    const std::lock_guard lock(mutex);
                    made = b + 1;
                }
                changed.notify_all();
            }
        } catch (...) {
            {
                const std::lock_guard lock(mutex);
                failure = std::current_exception();
            }
            changed.notify_all();
        }
    });
    try {
        for (std::size_t b = 0; b < batches; ++b) {
            {
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return made > b || failure; });
                if (made <= b)
                    break; // make failed before this batch
            }
            std::vector<Item>& slot = slots[b % kSlots];
            const std::size_t begin = b * batch;
            for (std::size_t i = begin; i < begin + slot.size(); ++i)
                use(i, slot[i - begin]);
            {
                const std::lock_guard lock(mutex);
                used = b + 1;
            }
            changed.notify_all();
        }
    } catch (...) {
        {
            const std::lock_guard lock(mutex);
            stop = true;
        }
        changed.notify_all();
        maker.join();
        throw;
    }
    maker.join();
    if (failure)
        std::rethrow_exception(failure);
}

} // namespace whitezone::parallel
