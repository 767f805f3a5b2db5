// A long-running service with a periodic reporter: every interval the reporter snapshots
// the registry and writes new or changed findings to stderr; `kill -USR1 <pid>` asks for
// a report at once. This example runs for a few seconds and stops by itself.
#include <leakwatch/leakwatch.hpp>

#include <chrono>
#include <cstdint>
#include <iostream>
#include <thread>

namespace {

struct connection {
    // One per accepted connection; the service forgets to delete some of them.
    leakwatch::tracked_map<int, std::uint64_t> counters{leakwatch::label{"connection counters"}};
};

leakwatch::tracked_vector<std::uint64_t> g_latencies{leakwatch::label{"latency samples"}};

}  // namespace

int main() {
    leakwatch::periodic_reporter reporter{std::chrono::milliseconds(200)};
    reporter.report_on_signal();  // SIGUSR1 asks for an immediate report

    std::uint64_t tick = 0;
    const auto stop = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (std::chrono::steady_clock::now() < stop) {
        auto* c = new connection;  // leaked every tick: one finding for the whole site
        c->counters[1] = tick;
        g_latencies.push_back(tick % 100);            // never trimmed: unbounded
        if (g_latencies.size() > 1'000'000) g_latencies.clear();
        ++tick;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    std::cout << "handled " << tick << " ticks; " << reporter.reports() << " periodic reports\n";
    return 0;
}
