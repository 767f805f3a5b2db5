// The seed scenario: a service keeps a global session map that every request fills and
// nothing ever clears, beside a capped cache that is perfectly healthy. Nothing here is
// "leaked" in the classic sense (everything is still reachable), so a leak checker stays
// silent; leakwatch flags the session map as unbounded at its declaration line and the
// cache as bounded.
#include <leakwatch/leakwatch.hpp>

#include <cstdint>
#include <iostream>
#include <string>

namespace {

struct session {
    std::uint64_t user_id;
    std::string token;
};

// Filled on every request, never cleared: the leak.
leakwatch::tracked_map<std::uint64_t, session> g_sessions{leakwatch::label{"sessions"}};

// A capped cache: evicts when full, so it plateaus.
leakwatch::tracked_map<std::uint64_t, std::string> g_profile_cache{leakwatch::label{"profile_cache"}};
constexpr std::size_t profile_cache_capacity = 512;

void handle_request(std::uint64_t request_id) {
    const std::uint64_t user = request_id % 2000;
    g_sessions[request_id] = session{user, "token-" + std::to_string(request_id)};

    auto cached = g_profile_cache.find(user);
    if (cached == g_profile_cache.end()) {
        if (g_profile_cache.size() >= profile_cache_capacity) g_profile_cache.erase(g_profile_cache.begin());
        g_profile_cache.emplace(user, "profile of user " + std::to_string(user));
    }
}

}  // namespace

int main() {
    std::uint64_t request_id = 0;
    // A service would call registry::snapshot() from a periodic_reporter; here one
    // "epoch" is a batch of 500 requests.
    for (int epoch = 0; epoch < 20; ++epoch) {
        for (int i = 0; i < 500; ++i) handle_request(request_id++);
        leakwatch::registry::snapshot();
    }
    const leakwatch::growth_report report = leakwatch::registry::report();
    std::cout << report;
    std::cout << "\nunbounded: " << report.unbounded().size() << " (the session map)\n";
    return report.clean() ? 1 : 0;  // the demo is meant to find the leak
}
