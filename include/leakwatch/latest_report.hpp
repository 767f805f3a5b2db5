// leakwatch/latest_report.hpp — latest_report: keeps the last report a periodic_reporter made,
// so that readers (a /metrics scrape, a JSON endpoint) can serve it without a snapshot of
// their own.
//
// Every registry::report() takes a snapshot, and a snapshot is an epoch: the detector counts
// growth per epoch. A service whose periodic_reporter reports every 30 s and that is also
// scraped every 15 s would get epochs of uneven length if each scrape took a report. Feed a
// latest_report from the reporter's sink and let the scrapes read it instead:
//   leakwatch::latest_report latest;
//   leakwatch::periodic_reporter reporter{std::chrono::seconds(30), latest.sink()};
// Copies share the same store, so a copy held by an endpoint sees what the reporter's sink
// keeps. Thread-safe: the sink runs on the reporter's thread, readers on any other.
#pragma once

#include <leakwatch/config.hpp>
#include <leakwatch/reporter.hpp>

#include <memory>
#include <mutex>
#include <utility>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

class latest_report {
public:
    latest_report() : store_(std::make_shared<store>()) {}

    // A sink for periodic_reporter: keeps each report, then hands it to `next` when given
    // (so the reporter can still write to stderr or to files). The sink holds the store, so
    // it stays valid whatever becomes of this object.
    report_sink sink(report_sink next = report_sink()) const {
        return [kept = store_, next = std::move(next)](const growth_report& report) {
            {
                std::lock_guard<std::mutex> lock(kept->mutex);
                kept->report = std::make_shared<const growth_report>(report);
            }
            if (next) next(report);
        };
    }

    // Keeps `report` as the latest, as the sink does.
    void set(growth_report report) const {
        auto kept = std::make_shared<const growth_report>(std::move(report));
        std::lock_guard<std::mutex> lock(store_->mutex);
        store_->report = std::move(kept);
    }

    // The latest report kept, or null before the first one. The report itself is shared, not
    // copied, and never changes once kept.
    std::shared_ptr<const growth_report> get() const {
        std::lock_guard<std::mutex> lock(store_->mutex);
        return store_->report;
    }

private:
    struct store {
        std::mutex mutex{};
        std::shared_ptr<const growth_report> report{};
    };
    std::shared_ptr<store> store_;
};

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
