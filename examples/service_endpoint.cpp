// A service with leakwatch's live endpoint on its cpp-httplib server, the way Go services
// mount net/http/pprof: a session table that grows without bound, a bounded cache, and
//
//   GET /debug/leakwatch          the HTML page of a fresh report
//   GET /debug/leakwatch/pprof    profile.proto for `go tool pprof` (?seconds=N: what grew in N s)
//   GET /debug/leakwatch.json     the JSON report          } the periodic reporter's latest
//   GET /metrics                  Prometheus text format   } report: scrapes take no snapshot
//
//   service_endpoint [PORT] [SECONDS]   PORT: loopback port to listen on (default 0: any free one)
//                                       SECONDS: how long to run (default 60)
//
// A periodic_reporter takes a report every second: new findings go to stderr, and the report
// is kept for /metrics and the JSON. Before it exits, the service reads its own JSON endpoint
// with an httplib::Client and prints the unbounded findings, as a monitoring job would.
// Build: needs cpp-httplib (Debian libcpp-httplib-dev; pkg-config cpp-httplib).
#include <leakwatch/httplib.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <list>
#include <string>
#include <thread>

namespace {

struct session {
    std::string user;
    std::uint64_t last_seen = 0;
};

// One entry per login, never erased on logout: grows without bound.
leakwatch::tracked_map<std::uint64_t, session> g_sessions{leakwatch::label{"sessions"}};

// A capped cache of user profiles: at capacity it evicts the oldest entry (bounded).
class profile_cache {
public:
    void put(std::uint64_t user, std::string profile) {
        if (entries_.size() >= capacity && !order_.empty()) {
            entries_.erase(order_.front());
            order_.pop_front();
        }
        if (entries_.emplace(user, std::move(profile)).second) order_.push_back(user);
    }
    bool contains(std::uint64_t user) const { return entries_.find(user) != entries_.end(); }

private:
    static constexpr std::size_t capacity = 256;
    leakwatch::tracked_map<std::uint64_t, std::string> entries_{leakwatch::label{"profile cache"}};
    std::list<std::uint64_t> order_;
};

void handle_batch(std::uint64_t batch, profile_cache& profiles) {
    for (std::uint64_t i = 0; i < 40; ++i) {
        const std::uint64_t user = batch * 40 + i;
        g_sessions[user] = session{"user-" + std::to_string(user), batch};  // the leak: no erase on logout
        if (!profiles.contains(user % 1000)) profiles.put(user % 1000, std::string(64, 'p'));
    }
}

// The unbounded findings of the service's own JSON endpoint, as a client sees them.
void print_unbounded(int port) {
    httplib::Client client("127.0.0.1", port);
    const auto result = client.Get("/debug/leakwatch.json");
    if (!result || result->status != 200) {
        std::cerr << "service_endpoint: GET /debug/leakwatch.json failed\n";
        return;
    }
    // A real client parses the JSON; here a plain search for the unbounded findings' labels.
    const std::string& json = result->body;
    const std::string marker = "\"verdict\":\"unbounded\"";
    for (std::size_t at = json.find(marker); at != std::string::npos; at = json.find(marker, at + 1)) {
        const std::size_t label = json.find("\"label\":\"", at);
        if (label == std::string::npos) break;
        const std::size_t begin = label + 9;
        std::cout << "unbounded (from /debug/leakwatch.json): " << json.substr(begin, json.find('"', begin) - begin)
                  << "\n";
    }
}

}  // namespace

int main(int argc, char** argv) {
    const int wanted_port = argc > 1 ? std::atoi(argv[1]) : 0;
    const int seconds = argc > 2 ? std::atoi(argv[2]) : 60;

    // The reporter keeps its latest report for the scrapes and writes new findings to stderr.
    leakwatch::latest_report latest;
    leakwatch::periodic_reporter reporter{std::chrono::seconds(1), latest.sink(leakwatch::changed_findings_sink())};

    httplib::Server server;
    leakwatch::endpoint_options options;
    options.latest = latest;
    leakwatch::mount(server, "/debug/leakwatch", options);

    const int port = wanted_port > 0 ? (server.bind_to_port("127.0.0.1", wanted_port) ? wanted_port : -1)
                                     : server.bind_to_any_port("127.0.0.1");
    if (port <= 0) {
        std::cerr << "service_endpoint: cannot listen on 127.0.0.1:" << wanted_port << "\n";
        return 1;
    }
    std::thread listener([&server] { server.listen_after_bind(); });
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    std::cout << "listening on " << base << " for " << seconds << " s\n"
              << "  go tool pprof -top " << base << "/debug/leakwatch/pprof\n"
              << "  curl -s " << base << "/debug/leakwatch.json\n"
              << "  curl -s " << base << "/metrics\n"
              << "  open " << base << "/debug/leakwatch\n"
              << std::flush;

    // The service's own work: a batch of requests every 100 ms.
    profile_cache profiles;
    const auto stop = std::chrono::steady_clock::now() + std::chrono::seconds(seconds > 0 ? seconds : 1);
    std::uint64_t batch = 0;
    while (std::chrono::steady_clock::now() < stop) {
        handle_batch(batch++, profiles);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }

    print_unbounded(port);
    server.stop();
    listener.join();
    std::cout << "handled " << batch << " batches\n";
    return 0;
}
