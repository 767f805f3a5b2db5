// tests/test_stress.cpp — every kind of thread at once, for the thread sanitizer to watch.
//
// Mutator threads fill and drain containers of their own; churn threads create and destroy
// containers of every family; producer threads fill containers and hand them (moved) through
// a mutex-protected queue to consumer threads, which keep using them; a node handle travels
// the same way; reader threads call registry::snapshot(), report(), usage() and read another
// thread's container stats; and a periodic_reporter reports every millisecond. Each thread
// checks what it can see for itself (contents, and elements == size()) and counts failures
// (Catch2's assertions are not thread-safe); the main thread checks the counts at the end.
//
// The run is bounded by an iteration count and by a deadline of about two seconds, whichever
// comes first (under the thread sanitizer the deadline usually does); nothing here waits on
// the clock for synchronisation, and no assertion depends on how far the threads got.
#include <leakwatch/leakwatch.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

// A queue of containers moved from one thread to another.
template <class T>
class handoff {
public:
    void push(T value) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            items_.push_back(std::move(value));
        }
        ready_.notify_one();
    }
    // Waits for an item; empty once the queue is closed and drained.
    std::optional<T> pop() {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [&] { return !items_.empty() || closed_; });
        if (items_.empty()) return std::nullopt;
        std::optional<T> out(std::move(items_.front()));
        items_.pop_front();
        return out;
    }
    void close() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            closed_ = true;
        }
        ready_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<T> items_;
    bool closed_ = false;
};

// What travels between threads: a whole container of one of three families, moved.
using parcel = std::variant<leakwatch::tracked_map<int, std::string>, leakwatch::tracked_ordered_set<int>,
                            leakwatch::tracked_deque<int>>;
using node_parcel = leakwatch::tracked_map<int, int>::node_type;

struct failures {
    std::atomic<int> contents{0};
    std::atomic<int> elements{0};
    std::atomic<int> reports{0};
};

template <class C>
bool consistent(const C& c) {
    return c.stats().elements == c.size();
}

}  // namespace

TEST_CASE("threads mutate, create, destroy and hand over containers while others snapshot and report, and a "
          "reporter runs every millisecond",
          "[stress]") {
    leakwatch::registry::snapshot();
    const std::size_t baseline = leakwatch::registry::live_containers();
    const auto deadline = clock_type::now() + std::chrono::seconds(2);
    const auto time_left = [&] { return clock_type::now() < deadline; };
    constexpr int iterations = 3000;

    failures failed;
    std::atomic<int> producers_running{2};
    std::atomic<int> workers_running{0};
    std::atomic<std::uint64_t> snapshots{0}, reports{0}, handed_over{0}, nodes_adopted{0};

    // The reporter: every millisecond, and its sink reads each report in full.
    std::mutex reporter_mutex;
    std::condition_variable reporter_cv;
    std::uint64_t sink_calls = 0;
    auto reporter = std::make_unique<leakwatch::periodic_reporter>(
        std::chrono::milliseconds(1), [&](const leakwatch::growth_report& r) {
            const std::string json = r.to_json();
            if (json.empty() || r.to_text().empty()) failed.reports.fetch_add(1);
            {
                std::lock_guard<std::mutex> lock(reporter_mutex);
                ++sink_calls;
            }
            reporter_cv.notify_all();
        });

    // A container one thread writes and others read the stats of.
    auto watched_owner = std::make_unique<leakwatch::tracked_vector<int>>(leakwatch::label{"watched"});
    leakwatch::tracked_vector<int>& watched = *watched_owner;

    handoff<parcel> parcels;
    handoff<node_parcel> nodes;
    std::vector<std::thread> threads;
    const auto spawn = [&](auto body) {
        workers_running.fetch_add(1);
        threads.emplace_back([&, body] {
            body();
            workers_running.fetch_sub(1);
        });
    };

    // Mutators: their own containers, one of each family, filled and drained.
    for (int t = 0; t < 2; ++t) {
        spawn([&, t] {
            leakwatch::tracked_map<int, int> map{leakwatch::label{"mutator map"}};
            leakwatch::tracked_ordered_multimap<int, int> ordered{leakwatch::label{"mutator multimap"}};
            leakwatch::tracked_list<int> list{leakwatch::label{"mutator list"}};
            leakwatch::tracked_unordered_set<int> set;
            for (int i = 0; i < iterations && time_left(); ++i) {
                map[i % 97] = i;
                ordered.emplace(i % 31, t);
                list.push_back(i);
                set.insert(i % 13);
                if (map.find(i % 97) == map.end() || map.at(i % 97) != i) failed.contents.fetch_add(1);
                if (i % 50 == 49) {
                    ordered.clear();
                    while (list.size() > 5) list.pop_front();
                    map.erase(i % 97);
                }
                if (t == 0) watched.push_back(i);
                if (!consistent(map) || !consistent(ordered) || !consistent(list) || !consistent(set))
                    failed.elements.fetch_add(1);
            }
        });
    }

    // Churn: containers of every family created, used a little and destroyed.
    for (int t = 0; t < 2; ++t) {
        spawn([&, t] {
            for (int i = 0; i < iterations && time_left(); ++i) {
                leakwatch::tracked_unordered_multimap<int, int> a{leakwatch::label{"churn"}};
                leakwatch::tracked_ordered_map<int, int> b;
                leakwatch::tracked_vector<int> c(static_cast<std::size_t>(i % 7), t);
                leakwatch::tracked_deque<std::string> d;
                a.emplace(i, i);
                b[i] = i;
                d.push_back("x");
                std::vector<int, leakwatch::tracking_allocator<int>> channel{
                    leakwatch::tracking_allocator<int>{leakwatch::label{"churn channel"}}};
                channel.push_back(i);
                if (a.count(i) != 1 || b.at(i) != i || c.size() != static_cast<std::size_t>(i % 7))
                    failed.contents.fetch_add(1);
                if (!consistent(a) || !consistent(b) || !consistent(c) || !consistent(d))
                    failed.elements.fetch_add(1);
            }
        });
    }

    // Producers: fill containers and move them into the queue; also extract nodes for others.
    for (int t = 0; t < 2; ++t) {
        spawn([&, t] {
            leakwatch::tracked_map<int, int> source{leakwatch::label{"node source"}};
            for (int i = 0; i < iterations / 3 && time_left(); ++i) {
                switch (i % 3) {
                    case 0: {
                        leakwatch::tracked_map<int, std::string> m{leakwatch::label{"parcel map"}};
                        for (int k = 0; k < 5; ++k) m.emplace(k, std::to_string(k));
                        parcels.push(parcel(std::move(m)));
                        break;
                    }
                    case 1: {
                        leakwatch::tracked_ordered_set<int> s{leakwatch::label{"parcel set"}};
                        for (int k = 0; k < 5; ++k) s.insert(k);
                        parcels.push(parcel(std::move(s)));
                        break;
                    }
                    default: {
                        leakwatch::tracked_deque<int> d{leakwatch::label{"parcel deque"}};
                        for (int k = 0; k < 5; ++k) d.push_front(k);
                        parcels.push(parcel(std::move(d)));
                        break;
                    }
                }
                source[i] = t;
                nodes.push(source.extract(i));
                if (!consistent(source)) failed.elements.fetch_add(1);
            }
            if (producers_running.fetch_sub(1) == 1) {
                parcels.close();
                nodes.close();
            }
        });
    }

    // Consumers: take the containers over, keep using them on this thread, then drop them.
    for (int t = 0; t < 2; ++t) {
        spawn([&] {
            std::vector<parcel> kept;
            while (std::optional<parcel> p = parcels.pop()) {
                std::visit(
                    [&](auto& c) {
                        using C = std::decay_t<decltype(c)>;
                        if (c.size() != 5 || !consistent(c)) failed.contents.fetch_add(1);
                        C mine(std::move(c));  // moved once more, on this thread
                        // Moved from: empty, and holding no memory (a deque holds the empty
                        // deque's own allocation, which it counts).
                        if (!c.empty() || c.stats().elements != 0 ||
                            (!std::is_same<C, leakwatch::tracked_deque<int>>::value && c.stats().bytes != 0))
                            failed.contents.fetch_add(1);
                        if constexpr (std::is_same<C, leakwatch::tracked_deque<int>>::value) mine.push_back(5);
                        else if constexpr (std::is_same<C, leakwatch::tracked_ordered_set<int>>::value) mine.insert(5);
                        else mine.emplace(5, "5");
                        if (mine.size() != 6 || !consistent(mine)) failed.contents.fetch_add(1);
                        kept.emplace_back(std::move(mine));
                    },
                    *p);
                handed_over.fetch_add(1);
                if (kept.size() > 8) kept.erase(kept.begin(), kept.begin() + 4);
            }
        });
    }
    spawn([&] {
        leakwatch::tracked_map<int, int> adopter{leakwatch::label{"node adopter"}};
        while (std::optional<node_parcel> n = nodes.pop()) {
            if (n->empty()) {
                failed.contents.fetch_add(1);
                continue;
            }
            const int key = n->key();
            adopter.erase(key);  // the two producers extract the same keys
            const auto result = adopter.insert(std::move(*n));
            if (!result.inserted || adopter.count(key) != 1) failed.contents.fetch_add(1);
            if (!consistent(adopter)) failed.elements.fetch_add(1);
            nodes_adopted.fetch_add(1);
            if (adopter.size() > 64) adopter.clear();
        }
    });

    // Readers: snapshots, reports, usage, and another thread's stats.
    for (int t = 0; t < 2; ++t) {
        threads.emplace_back([&, t] {
            std::size_t last_watched = 0;
            // At least one round, then as many as fit while the workers run.
            do {
                if (t == 0) {
                    leakwatch::registry::snapshot();
                    snapshots.fetch_add(1);
                } else {
                    const leakwatch::growth_report r = leakwatch::registry::report();
                    if (r.totals().live_containers == 0) failed.reports.fetch_add(1);
                    reports.fetch_add(1);
                }
                const leakwatch::registry_usage u = leakwatch::registry::usage();
                if (u.free_records + u.live_records + u.detached_records != u.pooled_records)
                    failed.reports.fetch_add(1);
                const std::size_t now = watched.stats().elements;
                if (now < last_watched) failed.elements.fetch_add(1);  // one writer, only pushes
                last_watched = now;
            } while (workers_running.load() != 0);
        });
    }

    for (std::thread& t : threads) t.join();

    // At least one report reached the sink (asked for now, waited for without a clock).
    reporter->request_report();
    {
        std::unique_lock<std::mutex> lock(reporter_mutex);
        reporter_cv.wait(lock, [&] { return sink_calls >= 1; });
    }
    reporter.reset();

    CHECK(failed.contents.load() == 0);
    CHECK(failed.elements.load() == 0);
    CHECK(failed.reports.load() == 0);
    CHECK(snapshots.load() >= 1);
    CHECK(reports.load() >= 1);
    CHECK(watched.stats().elements == watched.size());
    watched_owner.reset();
    INFO("handed over " << handed_over.load() << " containers and " << nodes_adopted.load() << " nodes");
    CHECK(handed_over.load() >= 1);
    CHECK(nodes_adopted.load() >= 1);

    // Everything this test created is gone.
    CHECK(leakwatch::registry::live_containers() == baseline);
    leakwatch::registry::snapshot();
    const leakwatch::registry_usage usage = leakwatch::registry::usage();
    CHECK(usage.live_records == baseline);
    CHECK(usage.detached_records == 0);
}

TEST_CASE("a container moved to another thread is charged there, and its old owner's record is released",
          "[stress]") {
    const std::size_t baseline = leakwatch::registry::live_containers();
    handoff<leakwatch::tracked_vector<int>> queue;
    std::atomic<int> wrong{0};
    std::thread consumer([&] {
        while (auto v = queue.pop()) {
            leakwatch::tracked_vector<int> mine(std::move(*v));
            v.reset();
            if (mine.stats().elements != mine.size() || mine.stats().bytes < mine.size() * sizeof(int))
                wrong.fetch_add(1);
            mine.push_back(1);
            if (mine.stats().bytes < mine.capacity() * sizeof(int)) wrong.fetch_add(1);
        }
    });
    for (int i = 0; i < 200; ++i) {
        leakwatch::tracked_vector<int> v{leakwatch::label{"handed over"}};
        v.assign(static_cast<std::size_t>(i % 17), i);
        queue.push(std::move(v));
        if (v.stats().bytes != 0 || v.stats().elements != 0) wrong.fetch_add(1);
    }
    queue.close();
    consumer.join();
    CHECK(wrong.load() == 0);
    CHECK(leakwatch::registry::live_containers() == baseline);
}
