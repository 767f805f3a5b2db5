// examples/long_history.cpp — days of history: a slow leak caught, a nightly cache left alone.
//
// A service that snapshots every 30 s takes 2,880 snapshots a day. This program takes them in a
// loop instead of waiting (an epoch is a snapshot, not a span of time) while two containers
// change between snapshots:
//   - "sessions" leaks one element an hour (every 120 snapshots) on top of 10,000;
//   - "page cache" refills towards 20,000 entries after being cleared every night.
// It prints the snapshot at which the leak is first reported unbounded, the resolution the
// verdict came from, the final report, what one creation site costs the registry, and how long
// one report() takes with `--sites N` extra creation sites (each with a full history).
//
//   long_history [--days D] [--sites N]
#include <leakwatch/leakwatch.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace {

constexpr std::uint64_t snapshots_per_hour = 120;
constexpr std::uint64_t snapshots_per_day = 24 * snapshots_per_hour;

const leakwatch::finding* find_label(const leakwatch::growth_report& report, const std::string& label) {
    for (const leakwatch::finding& f : report.findings())
        if (f.label == label) return &f;
    return nullptr;
}

std::uint64_t count_flag(int argc, char** argv, const char* name, std::uint64_t fallback) {
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], name) != 0) continue;
        char* end = nullptr;
        const unsigned long long value = std::strtoull(argv[i + 1], &end, 10);
        if (end == argv[i + 1] || *end != '\0') {
            std::cerr << "long_history: " << name << " needs a number (got '" << argv[i + 1] << "')\n";
            std::exit(2);
        }
        return value;
    }
    return fallback;
}

}  // namespace

int main(int argc, char** argv) {
    const std::uint64_t days = count_flag(argc, argv, "--days", 3);
    const std::uint64_t extra_sites = count_flag(argc, argv, "--sites", 0);

    leakwatch::tracked_vector<int> sessions{leakwatch::label{"sessions"}};
    leakwatch::tracked_vector<int> cache{leakwatch::label{"page cache"}};
    // Extra creation sites (one container each, at made-up lines of this file) holding a few
    // elements that change now and then: they make report() judge that many histories.
    std::vector<std::unique_ptr<leakwatch::tracked_vector<int>>> others;
    for (std::uint64_t i = 0; i < extra_sites; ++i)
        others.push_back(std::make_unique<leakwatch::tracked_vector<int>>(
            leakwatch::source_site{__FILE__, 100000 + static_cast<unsigned>(i), "main"}));

    std::uint64_t flagged_at = 0, flagged_resolution = 0;
    for (std::uint64_t epoch = 0; epoch < days * snapshots_per_day; ++epoch) {
        sessions.resize(static_cast<std::size_t>(10000 + epoch / snapshots_per_hour));
        const double since_clear = static_cast<double>(epoch % snapshots_per_day);
        cache.resize(static_cast<std::size_t>(std::round(20000.0 * (1.0 - std::exp(-since_clear / 240.0)))));
        for (std::size_t i = 0; i < others.size(); ++i) others[i]->resize(1 + (epoch / 7 + i) % 8);
        if (flagged_at == 0 && epoch < snapshots_per_day) {
            const leakwatch::growth_report report = leakwatch::registry::report();  // takes this epoch's snapshot
            const leakwatch::finding* f = find_label(report, "sessions");
            if (f != nullptr && f->verdict == leakwatch::verdict::unbounded) {
                flagged_at = epoch + 1;
                flagged_resolution = f->epochs_per_sample;
            }
        } else {
            leakwatch::registry::snapshot();
        }
    }

    const auto start = std::chrono::steady_clock::now();
    const leakwatch::growth_report report = leakwatch::registry::report();
    const double report_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::cout << report.to_text(5) << '\n';
    if (flagged_at != 0)
        std::cout << "\"sessions\" (+1 element an hour on 10,000) first reported unbounded after " << flagged_at
                  << " snapshots, judged at " << flagged_resolution << " epochs per sample\n";
    else
        std::cout << "\"sessions\" was not reported unbounded within the first day\n";
    const leakwatch::finding* cached = find_label(report, "page cache");
    if (cached != nullptr)
        std::cout << "\"page cache\" (cleared every night) after " << days << " days: " << leakwatch::to_string(cached->verdict)
                  << '\n';
    const leakwatch::registry_usage usage = leakwatch::registry::usage();
    std::cout << "registry: " << usage.bytes_per_site << " bytes per creation site, " << usage.bytes_per_promoted
              << " per promoted container, " << usage.bytes_reserved << " bytes in all for " << usage.sites
              << " sites\n";
    std::cout << "one report() of " << report.findings().size() << " findings after " << usage.snapshots
              << " snapshots: " << report_ms << " ms\n";
    return 0;
}
