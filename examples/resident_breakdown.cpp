// Where the resident memory went: a service whose tracked containers are healthy while its
// resident memory keeps growing. One request handler keeps a plain std::vector of buffers
// that nothing ever trims (not a tracked container, so no finding names it); another starts
// a worker thread per batch and never joins it. The report says that resident memory grows,
// that no tracked container explains it, and which kind of memory grows: with
// `resident_breakdown heap` the heap in use, with `resident_breakdown threads` the thread
// stacks.
#include <leakwatch/leakwatch.hpp>

#include <condition_variable>
#include <cstdint>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

// Healthy: a capped, tracked cache.
leakwatch::tracked_map<std::uint64_t, std::string> g_cache{leakwatch::label{"cache"}};

// Untracked and never trimmed: what the report should point at.
std::vector<std::vector<char>> g_buffers;

// Workers that are started and never stopped, each using part of its stack.
std::mutex g_mutex;
std::condition_variable g_stop_signal;
bool g_stop = false;
int g_started = 0;
std::vector<std::thread> g_workers;

void handle_batch(std::uint64_t batch, bool leak_threads) {
    for (std::uint64_t i = 0; i < 100; ++i) {
        const std::uint64_t key = (batch * 100 + i) % 1000;
        if (g_cache.size() >= 1000) g_cache.erase(g_cache.begin());
        g_cache[key] = "value " + std::to_string(key);
    }
    if (!leak_threads) {
        g_buffers.emplace_back(2 << 20, static_cast<char>(batch));  // 2 MiB, touched
        return;
    }
    for (int i = 0; i < 4; ++i) {
        g_workers.emplace_back([] {
            volatile char scratch[512 * 1024];  // a deep call chain's worth of stack
            for (std::size_t k = 0; k < sizeof scratch; k += 4096) scratch[k] = 1;
            std::unique_lock<std::mutex> lock(g_mutex);
            ++g_started;
            g_stop_signal.notify_all();
            g_stop_signal.wait(lock, [] { return g_stop; });
        });
    }
    // The batch is done when its workers run.
    std::unique_lock<std::mutex> lock(g_mutex);
    g_stop_signal.wait(lock, [] { return g_started == static_cast<int>(g_workers.size()); });
}

}  // namespace

int main(int argc, char** argv) {
    const bool threads = argc > 1 && std::string(argv[1]) == "threads";
    for (std::uint64_t batch = 0; batch < 24; ++batch) {
        handle_batch(batch, threads);
        leakwatch::registry::snapshot();
    }
    std::cout << leakwatch::registry::report() << std::flush;
    {
        std::lock_guard<std::mutex> lock(g_mutex);
        g_stop = true;
    }
    g_stop_signal.notify_all();
    for (auto& worker : g_workers) worker.join();
    return 0;
}
