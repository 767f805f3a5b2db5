// A service that publishes its leakwatch report as files every few seconds: a Prometheus
// textfile for node_exporter's textfile collector (leakwatch.prom) and a page to open in a
// browser (leakwatch.html), both written atomically by one periodic_reporter file sink.
//
//   service_exports [DIR] [SECONDS]     DIR: where to write (default: a new folder under /tmp)
//                                       SECONDS: how long to run (default 12)
//
// Point node_exporter at DIR (--collector.textfile.directory=DIR), check the metrics with
// `promtool check metrics < DIR/leakwatch.prom`, open DIR/leakwatch.html.
#include <leakwatch/leakwatch.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <list>
#include <string>
#include <thread>

#include <unistd.h>

namespace {

struct session {
    std::string user;
    std::uint64_t last_seen = 0;
};

// Filled on every login, never cleared on logout: grows without bound.
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
    std::list<std::uint64_t> order_;  // eviction order (untracked: the map says it all)
};

// Request latencies of the last batch only: cleared every batch (a sawtooth, bounded).
leakwatch::tracked_vector<std::uint32_t> g_batch_latencies{leakwatch::label{"batch latencies"}};

void handle_batch(std::uint64_t batch, profile_cache& profiles) {
    for (std::uint64_t i = 0; i < 40; ++i) {
        const std::uint64_t user = batch * 40 + i;
        g_sessions[user] = session{"user-" + std::to_string(user), batch};  // the leak: no erase on logout
        if (!profiles.contains(user % 1000)) profiles.put(user % 1000, std::string(64, 'p'));
        g_batch_latencies.push_back(static_cast<std::uint32_t>(user % 97));
    }
    g_batch_latencies.clear();
}

std::string make_output_folder(int argc, char** argv) {
    if (argc > 1) return argv[1];
    char pattern[] = "/tmp/leakwatch-service-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) {
        std::cerr << "service_exports: cannot create a folder under /tmp\n";
        std::exit(1);
    }
    return pattern;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string folder = make_output_folder(argc, argv);
    const int seconds = argc > 2 ? std::atoi(argv[2]) : 12;
    const std::string prometheus_file = folder + "/leakwatch.prom";
    const std::string html_file = folder + "/leakwatch.html";
    std::cout << "writing " << prometheus_file << " and " << html_file << " every 2 s for " << seconds << " s\n";

    profile_cache profiles;
    {
        // One reporter, one report per interval, two files: both show the same epoch.
        leakwatch::periodic_reporter reporter{
            std::chrono::seconds(2),
            leakwatch::file_sink({{prometheus_file, leakwatch::report_format::prometheus},
                                  {html_file, leakwatch::report_format::html}})};

        // The service's own loop: a batch of requests every 100 ms, and a snapshot after each
        // (the reporter's reports then judge a history of many epochs, not one per 2 s).
        const auto stop = std::chrono::steady_clock::now() + std::chrono::seconds(seconds > 0 ? seconds : 1);
        std::uint64_t batch = 0;
        while (std::chrono::steady_clock::now() < stop) {
            handle_batch(batch++, profiles);
            leakwatch::registry::snapshot();
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        const std::uint64_t written = reporter.reports();
        reporter.request_report();  // a last write with everything up to now
        for (int i = 0; i < 500 && reporter.reports() == written; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        std::cout << "handled " << batch << " batches; " << reporter.reports() << " reports written\n";
    }
    std::cout << leakwatch::registry::report().to_text(5);
    std::cout << "promtool check metrics < " << prometheus_file << "\n"
              << "open file://" << html_file << "\n";
    return 0;
}
