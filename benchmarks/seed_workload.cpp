// benchmarks/seed_workload.cpp — the seed scenario as a workload for scripts/compare-profilers.
//
// A request loop: every request parses its input, fills the global session map (which nothing
// ever clears: the leak), and looks the user up in a capped profile cache (512 entries, evicts
// when full: healthy). Compiled twice from this one file:
//
//   SEED_WITH_LEAKWATCH=1  (target seed_workload)      leakwatch::tracked_map, 50 snapshots over
//                          the run (what a periodic_reporter would do: every 20,000 requests
//                          by default), the report at the end; exits 1 unless the session map
//                          was found unbounded
//   SEED_WITH_LEAKWATCH=0  (target seed_workload_std)  plain std::unordered_map, nothing else;
//                          this is the binary heaptrack and massif are given
//
// Usage: seed_workload [requests]   (default 1,000,000)
#ifndef SEED_WITH_LEAKWATCH
#define SEED_WITH_LEAKWATCH 1
#endif

#if SEED_WITH_LEAKWATCH
#include <leakwatch/leakwatch.hpp>
#endif

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <unordered_map>

namespace {

struct session {
    std::uint64_t user_id;
    std::string token;     // longer than the small-string buffer: one more allocation per session
    std::string last_path;
};

#if SEED_WITH_LEAKWATCH
// seed: sessions declaration (scripts/compare-profilers looks for this marker)
leakwatch::tracked_map<std::uint64_t, session> g_sessions{leakwatch::label{"sessions"}};
leakwatch::tracked_map<std::uint64_t, std::string> g_profile_cache{leakwatch::label{"profile_cache"}};
#else
// seed: sessions declaration (scripts/compare-profilers looks for this marker)
std::unordered_map<std::uint64_t, session> g_sessions;
std::unordered_map<std::uint64_t, std::string> g_profile_cache;
#endif
constexpr std::size_t profile_cache_capacity = 512;

// A little work per request, so that the loop is not only map inserts: the user is the
// number after "/users/", folded onto 2,000 users (so the 512-entry cache keeps evicting).
std::uint64_t parse_user(const std::string& request) {
    std::uint64_t value = 0;
    for (std::size_t i = request.find("/users/") + 7; i < request.size() && request[i] >= '0' && request[i] <= '9'; ++i)
        value = value * 10 + static_cast<std::uint64_t>(request[i] - '0');
    return value % 2000;
}

std::size_t handle_request(std::uint64_t request_id) {
    const std::string request = "GET /users/" + std::to_string(request_id * 7919 % 100000) + "/profile HTTP/1.1";
    const std::uint64_t user = parse_user(request);

    // seed: sessions insert (scripts/compare-profilers looks for this marker)
    session& s = g_sessions[request_id];
    s.user_id = user;
    s.token = "session-token-" + std::to_string(request_id) + "-" + std::to_string(user);
    s.last_path = request.substr(4, 24);

    auto cached = g_profile_cache.find(user);
    if (cached == g_profile_cache.end()) {
        if (g_profile_cache.size() >= profile_cache_capacity) g_profile_cache.erase(g_profile_cache.begin());
        cached = g_profile_cache.emplace(user, "profile of user " + std::to_string(user) + ": preferences, history").first;
    }
    return cached->second.size() + s.token.size();
}

}  // namespace

int main(int argc, char** argv) {
    const std::uint64_t requests = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
    std::size_t checksum = 0;
#if SEED_WITH_LEAKWATCH
    const std::uint64_t snapshot_every = requests >= 50 ? requests / 50 : 1;
#endif
    for (std::uint64_t id = 0; id < requests; ++id) {
        checksum += handle_request(id);
#if SEED_WITH_LEAKWATCH
        if ((id + 1) % snapshot_every == 0) leakwatch::registry::snapshot();
#endif
    }
    std::printf("requests: %llu, sessions: %zu, cache: %zu, checksum: %zu\n",
                static_cast<unsigned long long>(requests), g_sessions.size(), g_profile_cache.size(), checksum);
#if SEED_WITH_LEAKWATCH
    const leakwatch::growth_report report = leakwatch::registry::report();
    std::cout << report;
    bool sessions_unbounded = false;
    for (const leakwatch::finding& f : report.unbounded()) sessions_unbounded |= f.label == "sessions";
    std::cout << "\nsessions flagged unbounded: " << (sessions_unbounded ? "yes" : "no") << "\n";
    return sessions_unbounded ? 0 : 1;
#else
    return 0;
#endif
}
