// tests/test_registry.cpp — the registry: globals registered before main in two translation
// units, concurrent registration, bounded memory, creation sites and site aggregation,
// reset(), labels, readable type names and staleness.
#include <leakwatch/leakwatch.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace registry_tu2 {
extern const unsigned global_map_line;
extern const std::size_t live_at_static_init;
extern leakwatch::tracked_map<int, int> global_map;
void write_global(int key);
}  // namespace registry_tu2

namespace {

const unsigned main_global_line = __LINE__ + 1;
leakwatch::tracked_ordered_set<int> main_global{leakwatch::label{"global in main tu"}};
const std::size_t main_live_at_static_init = leakwatch::registry::live_containers();

bool ends_with(const char* text, const std::string& suffix) {
    const std::string s = text != nullptr ? text : "";
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
bool same_file(const char* a, const char* b) {
    return a != nullptr && b != nullptr && std::strcmp(a, b) == 0;
}

// The findings of `report` that match `pred`.
std::vector<leakwatch::finding> findings_where(const leakwatch::growth_report& report,
                                               const std::function<bool(const leakwatch::finding&)>& pred) {
    std::vector<leakwatch::finding> out;
    for (const leakwatch::finding& f : report.findings())
        if (pred(f)) out.push_back(f);
    return out;
}
std::vector<leakwatch::finding> findings_at(const leakwatch::growth_report& report, const char* file, unsigned line) {
    return findings_where(report, [&](const leakwatch::finding& f) { return same_file(f.site.file, file) && f.site.line == line; });
}

std::size_t round_up(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }

}  // namespace

TEST_CASE("globals in two translation units register before main and appear in reports with their site and label",
          "[registry]") {
    CHECK(registry_tu2::live_at_static_init >= 1);
    CHECK(main_live_at_static_init >= 1);
    CHECK(leakwatch::registry::live_containers() >= 2);

    registry_tu2::write_global(1);
    main_global.insert(1);
    const leakwatch::growth_report report = leakwatch::registry::report();

    const auto tu2 = findings_where(report, [](const leakwatch::finding& f) { return f.label == "global in tu2"; });
    REQUIRE(tu2.size() == 1);
    CHECK(tu2[0].kind == leakwatch::finding_kind::container);
    CHECK(tu2[0].instances == 1);
    CHECK(ends_with(tu2[0].site.file, "test_registry.tu2.cpp"));
    CHECK(tu2[0].site.line == registry_tu2::global_map_line);
    CHECK(tu2[0].type == "tracked_map<int, int>");
    CHECK(tu2[0].elements == registry_tu2::global_map.size());

    const auto main_tu = findings_where(report, [](const leakwatch::finding& f) { return f.label == "global in main tu"; });
    REQUIRE(main_tu.size() == 1);
    CHECK(main_tu[0].kind == leakwatch::finding_kind::container);
    CHECK(same_file(main_tu[0].site.file, __FILE__));
    CHECK(main_tu[0].site.line == main_global_line);
    CHECK(main_tu[0].elements == main_global.size());

    const std::string text = report.to_text();
    CHECK(text.find("test_registry.tu2.cpp:" + std::to_string(registry_tu2::global_map_line)) != std::string::npos);
    CHECK(text.find("global in tu2") != std::string::npos);
}

TEST_CASE("containers may be created and destroyed on four threads while another snapshots and reports",
          "[registry]") {
    const std::size_t baseline = leakwatch::registry::live_containers();
    std::atomic<int> workers_running{4};
    std::atomic<std::size_t> reports{0};
    std::atomic<std::size_t> max_live_seen{0};
    std::atomic<int> lookups_failed{0};  // (Catch2 assertions are not thread-safe: count, check after)

    std::thread reporter([&] {
        // At least one round after the workers are done, and as many as fit while they run.
        bool last_round = false;
        while (!last_round) {
            last_round = workers_running.load() == 0;
            leakwatch::registry::snapshot();
            const leakwatch::growth_report r = leakwatch::registry::report();
            const std::size_t live = r.totals().live_containers;
            std::size_t seen = max_live_seen.load();
            while (live > seen && !max_live_seen.compare_exchange_weak(seen, live)) {
            }
            reports.fetch_add(1);
        }
    });
    std::vector<std::thread> workers;
    for (int w = 0; w < 4; ++w) {
        workers.emplace_back([&, w] {
            std::vector<std::unique_ptr<leakwatch::tracked_map<int, int>>> alive;
            for (int k = 0; k < 1500; ++k) {
                alive.emplace_back(new leakwatch::tracked_map<int, int>(leakwatch::label{"worker"}));
                (*alive.back())[k] = w;
                if (alive.back()->find(k) == alive.back()->end()) lookups_failed.fetch_add(1);
                leakwatch::tracked_vector<int> scratch;
                scratch.push_back(k);
                if (alive.size() == 16) alive.clear();
            }
            workers_running.fetch_sub(1);
        });
    }
    for (std::thread& t : workers) t.join();
    reporter.join();

    CHECK(lookups_failed.load() == 0);
    CHECK(reports.load() >= 1);
    CHECK(max_live_seen.load() >= baseline);
    CHECK(leakwatch::registry::live_containers() == baseline);
    leakwatch::registry::snapshot();
    CHECK(leakwatch::registry::usage().live_records == baseline);
}

TEST_CASE("another thread reads a container's stats while its owner mutates it", "[registry]") {
    leakwatch::tracked_map<int, int> shared{leakwatch::label{"shared"}};
    constexpr int count = 20000;
    std::atomic<bool> done{false};
    std::size_t reads = 0;
    bool monotonic = true, within_bounds = true;
    std::thread reader([&] {
        std::size_t last = 0;
        bool finished = false;
        while (!finished) {
            finished = done.load();
            const leakwatch::container_stats s = shared.stats();
            monotonic = monotonic && s.elements >= last;
            within_bounds = within_bounds && s.elements <= static_cast<std::size_t>(count);
            last = s.elements;
            ++reads;
        }
    });
    for (int i = 0; i < count; ++i) shared.emplace(i, i);
    done.store(true);
    reader.join();
    CHECK(reads >= 1);
    CHECK(monotonic);
    CHECK(within_bounds);
    CHECK(shared.stats().elements == static_cast<std::size_t>(count));
}

TEST_CASE("the registry's own memory stays bounded", "[registry]") {
    leakwatch::registry::snapshot();
    const leakwatch::registry_usage before = leakwatch::registry::usage();
    constexpr std::size_t alive_at_once = 50;
    constexpr std::size_t total = 100000;
    constexpr std::size_t snapshots = 1000;
    const std::size_t chunk = leakwatch::detail::records_per_chunk;

    std::vector<std::optional<leakwatch::tracked_unordered_set<int>>> batch(alive_at_once);
    std::size_t created = 0, snapshots_taken = 0;
    while (created < total) {
        for (auto& slot : batch) {
            slot.emplace();
            slot->insert(static_cast<int>(created));
            ++created;
        }
        if (snapshots_taken < snapshots && created % (total / snapshots) == 0) {
            leakwatch::registry::snapshot();
            ++snapshots_taken;
        }
        for (auto& slot : batch) slot.reset();
    }
    CHECK(created == total);
    CHECK(snapshots_taken == snapshots);

    const leakwatch::registry_usage after = leakwatch::registry::usage();
    CHECK(after.live_records == before.live_records);
    CHECK(after.detached_records == before.detached_records);
    // Dead records are recycled: the pool grows to the peak live count, not to the total.
    const std::size_t peak_live = before.live_records + before.detached_records + alive_at_once;
    CHECK(after.pooled_records <= std::max(before.pooled_records, round_up(peak_live, chunk)));
    CHECK(after.free_records + after.live_records + after.detached_records == after.pooled_records);
    // All 100,000 were built at one line: one new site at most.
    CHECK(after.sites <= before.sites + 1);
    CHECK(after.dropped_sites == before.dropped_sites);
    // A fixed bound (100,000 unrecycled records would be well over 100 MiB), and a tight one:
    // what grew is the records pool and one site, nothing per snapshot or per container.
    CHECK(after.bytes_reserved < 16u * 1024 * 1024);
    CHECK(after.bytes_reserved <= before.bytes_reserved +
                                      (after.pooled_records - before.pooled_records) * sizeof(leakwatch::detail::record) +
                                      64 * 1024);

    // More snapshots with the same containers and sites do not grow it at all (fixed rings).
    for (int i = 0; i < 200; ++i) leakwatch::registry::snapshot();
    const leakwatch::registry_usage later = leakwatch::registry::usage();
    CHECK(later.bytes_reserved == after.bytes_reserved);
    CHECK(later.pooled_records == after.pooled_records);
    CHECK(later.snapshots == after.snapshots + 200);
}

TEST_CASE("the site table counts distinct file:line sites, and one container at a site is reported as itself",
          "[registry]") {
    leakwatch::registry::reset();
    leakwatch::registry::snapshot();
    const leakwatch::registry_usage base = leakwatch::registry::usage();
    CHECK(base.site_capacity == static_cast<std::size_t>(LEAKWATCH_MAX_SITES));
    CHECK(base.sites <= base.site_capacity);

    std::vector<std::unique_ptr<leakwatch::tracked_map<int, int>>> sessions;
    const unsigned loop_line = __LINE__ + 2;
    for (int i = 0; i < 7; ++i) {
        sessions.emplace_back(new leakwatch::tracked_map<int, int>(leakwatch::label{"per-session"}));
        (*sessions.back())[i] = i;
    }
    const unsigned single_line = __LINE__ + 1;
    leakwatch::tracked_map<int, std::string> single{leakwatch::label{"single"}};
    single[1] = "one";

    leakwatch::registry::snapshot();
    const leakwatch::registry_usage now = leakwatch::registry::usage();
    CHECK(now.sites == base.sites + 2);
    CHECK(now.dropped_sites == base.dropped_sites);

    const leakwatch::growth_report report = leakwatch::registry::report();
    const auto at_loop = findings_at(report, __FILE__, loop_line);
    REQUIRE(at_loop.size() == 1);
    CHECK(at_loop[0].kind == leakwatch::finding_kind::site);
    CHECK(at_loop[0].instances == 7);
    CHECK(at_loop[0].created_total == 7);
    CHECK(at_loop[0].elements == 7);
    CHECK(at_loop[0].label == "per-session");
    CHECK(at_loop[0].type == "tracked_map<int, int>");

    const auto at_single = findings_at(report, __FILE__, single_line);
    REQUIRE(at_single.size() == 1);
    CHECK(at_single[0].kind == leakwatch::finding_kind::container);
    CHECK(at_single[0].instances == 1);
    CHECK(at_single[0].label == "single");
    CHECK(at_single[0].type == "tracked_map<int, std::string>");
    CHECK(at_single[0].elements == 1);
    CHECK(at_single[0].bytes == single.stats().bytes);

    // Down to one container, the site is reported as that container.
    sessions.resize(1);
    const auto one_left = findings_at(leakwatch::registry::report(), __FILE__, loop_line);
    REQUIRE(one_left.size() == 1);
    CHECK(one_left[0].kind == leakwatch::finding_kind::container);
    CHECK(one_left[0].instances == 1);
    CHECK(one_left[0].label == "per-session");
}

namespace {
struct session {
    leakwatch::tracked_map<int, int> cache;
    unsigned constructed_at;
    session() : constructed_at(__LINE__) {}
};
}  // namespace

TEST_CASE("a container's creation site is its declaration, or for a member the enclosing constructor",
          "[registry]") {
    const unsigned local_line = __LINE__ + 1;
    leakwatch::tracked_vector<int> local;
    session member_holder;
    const unsigned unlabelled_new_line = __LINE__ + 1;
    std::unique_ptr<leakwatch::tracked_deque<int>> on_heap(new leakwatch::tracked_deque<int>());

    const leakwatch::growth_report report = leakwatch::registry::report();
    const auto local_findings = findings_at(report, __FILE__, local_line);
    REQUIRE(local_findings.size() == 1);
    CHECK(local_findings[0].type == "tracked_vector<int>");
    CHECK(local_findings[0].label.empty());

    const auto member_findings = findings_at(report, __FILE__, member_holder.constructed_at);
    REQUIRE(member_findings.size() == 1);
    CHECK(member_findings[0].type == "tracked_map<int, int>");

    const auto heap_findings = findings_at(report, __FILE__, unlabelled_new_line);
    REQUIRE(heap_findings.size() == 1);
    CHECK(heap_findings[0].type == "tracked_deque<int>");
}

TEST_CASE("reset() forgets history and findings but keeps live containers", "[registry]") {
    const unsigned line = __LINE__ + 1;
    leakwatch::tracked_map<int, int> survivor{leakwatch::label{"survivor"}};
    for (int epoch = 0; epoch < 6; ++epoch) {
        survivor[epoch] = epoch;
        leakwatch::registry::snapshot();
    }
    const auto before = findings_at(leakwatch::registry::report(), __FILE__, line);
    REQUIRE(before.size() == 1);
    CHECK(before[0].history.size() >= 7);
    const std::size_t live = leakwatch::registry::live_containers();

    leakwatch::registry::reset();
    CHECK(leakwatch::registry::live_containers() == live);
    CHECK(survivor.stats().elements == 6);

    const leakwatch::growth_report after_report = leakwatch::registry::report();
    const auto after = findings_at(after_report, __FILE__, line);
    REQUIRE(after.size() == 1);
    CHECK(after[0].label == "survivor");
    CHECK(after[0].history.size() == 1);  // only the report's own snapshot
    CHECK(after[0].elements == 6);
    CHECK(after_report.totals().live_containers == live);
}

TEST_CASE("staleness: a container written every epoch but never read, and one read in the latest epoch",
          "[registry]") {
    const unsigned write_only_line = __LINE__ + 1;
    leakwatch::tracked_map<int, int> write_only{leakwatch::label{"write-only"}};
    const unsigned read_line = __LINE__ + 1;
    leakwatch::tracked_map<int, int> read_now{leakwatch::label{"read-now"}};
    for (int epoch = 0; epoch < 6; ++epoch) {
        write_only[epoch] = epoch;
        read_now.insert_or_assign(epoch, epoch);
        leakwatch::registry::snapshot();
    }
    const bool found = read_now.find(3) != read_now.end();
    CHECK(found);

    const leakwatch::growth_report report = leakwatch::registry::report();
    const auto never_read = findings_at(report, __FILE__, write_only_line);
    REQUIRE(never_read.size() == 1);
    CHECK(never_read[0].epochs_since_read == leakwatch::never);
    CHECK(never_read[0].never_read());
    CHECK(never_read[0].epochs_since_write <= 1);
    const auto read = findings_at(report, __FILE__, read_line);
    REQUIRE(read.size() == 1);
    CHECK(read[0].epochs_since_read == 0);
    CHECK(!read[0].never_read());
    // Lookup counts are opt-in (LEAKWATCH_COUNT_OPERATIONS); staleness above is always on.
    CHECK((LEAKWATCH_COUNT_OPERATIONS ? read[0].lookups >= 1 : read[0].lookups == 0));
}
