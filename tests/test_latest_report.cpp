// latest_report: keeps the last report a periodic_reporter's sink handed it, for readers that
// should not take a snapshot of their own; copies share one store; the sink forwards to the
// next sink; readers on other threads see a whole report.
#include <leakwatch/leakwatch.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

TEST_CASE("latest_report keeps what its sink is handed, shared by its copies, and forwards it", "[latest_report]") {
    leakwatch::latest_report latest;
    const leakwatch::latest_report copy = latest;
    CHECK(latest.get() == nullptr);

    int forwarded = 0;
    std::uint64_t forwarded_epoch = 0;
    const leakwatch::report_sink sink = latest.sink([&](const leakwatch::growth_report& r) {
        ++forwarded;
        forwarded_epoch = r.totals().epoch;
    });
    leakwatch::report_totals totals;
    totals.epoch = 7;
    sink(leakwatch::growth_report({}, totals));
    REQUIRE(copy.get() != nullptr);
    CHECK(copy.get()->totals().epoch == 7);
    CHECK(forwarded == 1);
    CHECK(forwarded_epoch == 7);

    // A report already read stays as it was when a newer one is kept.
    const std::shared_ptr<const leakwatch::growth_report> read = latest.get();
    totals.epoch = 8;
    copy.set(leakwatch::growth_report({}, totals));
    CHECK(read->totals().epoch == 7);
    CHECK(latest.get()->totals().epoch == 8);

    // Without a next sink, the sink only keeps.
    totals.epoch = 9;
    latest.sink()(leakwatch::growth_report({}, totals));
    CHECK(copy.get()->totals().epoch == 9);
}

TEST_CASE("a periodic_reporter feeds a latest_report that outlives it; readers on other threads see whole reports",
          "[latest_report]") {
    leakwatch::tracked_vector<int> queue{leakwatch::label{"latest queue"}};
    queue.push_back(1);
    leakwatch::latest_report latest;
    std::atomic<bool> stop{false};
    std::atomic<int> read_with_queue{0};
    std::thread reader([&] {
        while (!stop.load()) {
            if (const auto r = latest.get()) {
                for (const leakwatch::finding& f : r->findings())
                    if (f.label == "latest queue") read_with_queue.fetch_add(1);
            }
        }
    });
    {
        leakwatch::periodic_reporter reporter{std::chrono::milliseconds(1), latest.sink()};
        while (reporter.reports() < 20) std::this_thread::yield();
    }
    stop.store(true);
    reader.join();
    REQUIRE(latest.get() != nullptr);
    CHECK(latest.get()->totals().live_containers >= 1);
    bool found = false;
    for (const leakwatch::finding& f : latest.get()->findings()) found = found || f.label == "latest queue";
    CHECK(found);
}
