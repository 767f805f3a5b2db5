// tests/test_churn.cpp — the registry's own memory under churn: a million containers created
// and destroyed, a hundred thousand snapshots.
//
// The bound, and why it holds (the registry's memory is bounded, README "Guarantees"):
//   - records: a dead container's record is recycled at once (no node handle outlives it
//     here), and the pool grows in chunks of detail::records_per_chunk (256) only when no
//     recycled record is free. With at most `alive_at_once` (4) of the churned containers alive
//     at a time, the pool can grow by at most the chunks needed for 4 more records: one chunk.
//   - sites: the churned containers are built at four source lines, so at most four new sites.
//   - bytes_reserved: the records pool plus the site table (each site has a fixed ring of
//     LEAKWATCH_HISTORY_CAPACITY samples), so it can grow by at most one chunk of records and
//     four sites, plus the site table's own bookkeeping (its vector and hash table grow
//     geometrically: at most a few KiB for four entries). That is a fixed bound, independent
//     of how many containers were created and how many snapshots were taken; the test allows
//     one chunk, four sites and 64 KiB of bookkeeping.
// And once the churn has run for a while, nothing grows at all: the usage after half of the
// work equals the usage after all of it, byte for byte.
//
// Run time: about 3 s unoptimised, 7 s under the address sanitizer and 11 s under the thread
// sanitizer, so every configuration runs the full count. LEAKWATCH_CHURN_DIVISOR (default 1)
// divides the work, for slower machines; the bound and the checks stay the same.
#include <leakwatch/leakwatch.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#ifndef LEAKWATCH_CHURN_DIVISOR
#define LEAKWATCH_CHURN_DIVISOR 1
#endif

namespace {

constexpr std::size_t alive_at_once = 4;  // churned containers alive at a time (one per family)
constexpr std::size_t total_containers = 1000000 / LEAKWATCH_CHURN_DIVISOR;
constexpr std::size_t total_snapshots = 100000 / LEAKWATCH_CHURN_DIVISOR;
constexpr std::size_t rounds = total_containers / alive_at_once;

std::size_t round_up(std::size_t n, std::size_t multiple) { return (n + multiple - 1) / multiple * multiple; }

// One round: one container of each family, built at one line each, used, destroyed.
void churn_round(std::size_t i) {
    const int key = static_cast<int>(i);
    leakwatch::tracked_map<int, int> map{leakwatch::label{"churn map"}};
    leakwatch::tracked_ordered_set<int> set;
    leakwatch::tracked_vector<int> vector;
    std::vector<int, leakwatch::tracking_allocator<int>> channel{
        leakwatch::tracking_allocator<int>{leakwatch::label{"churn channel"}}};
    map[key] = key;
    set.insert(key);
    vector.push_back(key);
    channel.push_back(key);
}

}  // namespace

TEST_CASE("a million containers and a hundred thousand snapshots leave the registry's memory within a fixed bound",
          "[churn]") {
    const std::size_t chunk = leakwatch::detail::records_per_chunk;
    // Warm up: the sites exist, the site table has its first entries.
    churn_round(0);
    leakwatch::registry::snapshot();
    const leakwatch::registry_usage before = leakwatch::registry::usage();

    leakwatch::registry_usage halfway{};
    std::size_t created = 0, snapshots = 0;
    for (std::size_t round = 0; round < rounds; ++round) {
        churn_round(round);
        created += alive_at_once;
        // Snapshots spread evenly over the rounds.
        for (const std::size_t due = (round + 1) * total_snapshots / rounds; snapshots < due; ++snapshots)
            leakwatch::registry::snapshot();
        if (round + 1 == rounds / 2) halfway = leakwatch::registry::usage();
    }
    const leakwatch::registry_usage after = leakwatch::registry::usage();
    INFO("before: " << before.pooled_records << " records, " << before.sites << " sites, " << before.bytes_reserved
                    << " bytes; after: " << after.pooled_records << " records, " << after.sites << " sites, "
                    << after.bytes_reserved << " bytes");

    CHECK(created == total_containers);
    CHECK(snapshots == total_snapshots);
    CHECK(after.snapshots == before.snapshots + total_snapshots);
    CHECK(after.live_records == before.live_records);
    CHECK(after.detached_records == before.detached_records);
    CHECK(after.free_records + after.live_records + after.detached_records == after.pooled_records);

    // The bound.
    const std::size_t peak = before.live_records + before.detached_records + alive_at_once;
    CHECK(after.pooled_records <= std::max(before.pooled_records, round_up(peak, chunk)));
    CHECK(after.pooled_records <= before.pooled_records + chunk);
    CHECK(after.sites <= before.sites + alive_at_once);
    CHECK(after.dropped_sites == before.dropped_sites);
    const std::size_t per_site = sizeof(leakwatch::detail::site_entry) + 256;  // entry, label, hash node
    CHECK(after.bytes_reserved <= before.bytes_reserved + chunk * sizeof(leakwatch::detail::record) +
                                      alive_at_once * per_site + 64 * 1024);

    // And no growth at all in the second half.
    CHECK(after.pooled_records == halfway.pooled_records);
    CHECK(after.sites == halfway.sites);
    CHECK(after.bytes_reserved == halfway.bytes_reserved);
}

TEST_CASE("snapshots alone, with containers alive, do not grow the registry", "[churn]") {
    std::vector<leakwatch::tracked_map<int, int>> alive(50);
    for (std::size_t i = 0; i < alive.size(); ++i) alive[i][static_cast<int>(i)] = 1;
    for (int i = 0; i < 100; ++i) leakwatch::registry::snapshot();  // every ring is full now
    const leakwatch::registry_usage before = leakwatch::registry::usage();
    for (std::size_t i = 0; i < total_snapshots / 10; ++i) {
        alive[i % alive.size()][static_cast<int>(i)] = 1;
        leakwatch::registry::snapshot();
    }
    const leakwatch::registry_usage after = leakwatch::registry::usage();
    CHECK(after.bytes_reserved == before.bytes_reserved);
    CHECK(after.pooled_records == before.pooled_records);
    CHECK(after.sites == before.sites);
    CHECK(after.snapshots == before.snapshots + total_snapshots / 10);
    // A report reads only the fixed rings: its history is at most LEAKWATCH_HISTORY_CAPACITY long.
    const leakwatch::growth_report report = leakwatch::registry::report();
    for (const leakwatch::finding& f : report.findings())
        CHECK(f.history.size() <= static_cast<std::size_t>(LEAKWATCH_HISTORY_CAPACITY));
}
