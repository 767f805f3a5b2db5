// leakwatch/prometheus_cpp.hpp — leakwatch's metrics as a prometheus-cpp Collectable, for a
// service that already serves /metrics with prometheus-cpp's Exposer:
//
//   prometheus::Exposer exposer{"127.0.0.1:8080"};
//   exposer.RegisterCollectable(leakwatch::make_collectable());
//
// make_collectable() is one object for the whole program, kept alive until exit, since
// prometheus-cpp holds only a weak_ptr to what it collects (the other overloads return new
// ones: keep them). Each Collect() (each scrape) takes a fresh report, or serves the latest report of a
// periodic_reporter when given a latest_report fed by it (make_collectable(latest)), so that
// scrapes add no epochs of their own. The metric families are the ones to_prometheus() writes
// (same names, help, types and labels; leakwatch/export/prometheus.hpp), handed over as
// prometheus::MetricFamily values built from metric_families(), not parsed from text.
//
// An optional adapter: it needs prometheus-cpp (Debian prometheus-cpp-dev; link
// prometheus-cpp-core, and prometheus-cpp-pull for the Exposer), and the core never includes it.
#pragma once

#include <leakwatch/config.hpp>
#include <leakwatch/latest_report.hpp>
#include <leakwatch/leakwatch.hpp>

#include <prometheus/client_metric.h>
#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>
#include <prometheus/metric_type.h>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

// The metric families of `report` as prometheus-cpp values.
inline std::vector<prometheus::MetricFamily> to_prometheus_cpp(const growth_report& report) {
    std::vector<prometheus::MetricFamily> out;
    for (metric_family& family : metric_families(report)) {
        prometheus::MetricFamily converted;
        converted.name = std::move(family.name);
        converted.help = std::move(family.help);
        const bool counter = family.type == metric_type::counter;
        converted.type = counter ? prometheus::MetricType::Counter : prometheus::MetricType::Gauge;
        converted.metric.reserve(family.samples.size());
        for (metric_sample& sample : family.samples) {
            prometheus::ClientMetric metric;
            metric.label.reserve(sample.labels.size());
            for (auto& label : sample.labels) {
                prometheus::ClientMetric::Label pair;
                pair.name = std::move(label.first);
                pair.value = std::move(label.second);
                metric.label.push_back(std::move(pair));
            }
            if (counter) metric.counter.value = sample.value;
            else metric.gauge.value = sample.value;
            converted.metric.push_back(std::move(metric));
        }
        out.push_back(std::move(converted));
    }
    return out;
}

// A Collectable whose Collect() returns leakwatch's metric families: of a fresh report, or of
// `latest`'s report once it has one.
class collectable final : public prometheus::Collectable {
public:
    collectable() = default;
    explicit collectable(latest_report latest, analysis_options analysis = analysis_options())
        : latest_(std::move(latest)), analysis_(std::move(analysis)) {
        analysis_.validate();
    }
    explicit collectable(analysis_options analysis) : analysis_(std::move(analysis)) { analysis_.validate(); }

    std::vector<prometheus::MetricFamily> Collect() const override {
        if (latest_) {
            if (const auto kept = latest_->get()) return to_prometheus_cpp(*kept);
        }
        return to_prometheus_cpp(registry::report(analysis_));
    }

private:
    std::optional<latest_report> latest_{};
    analysis_options analysis_{};
};

// The collectable of fresh reports with the default options. prometheus-cpp's registries and
// Exposer hold only a weak_ptr to what they collect, so this one is one object for the whole
// program, kept alive until exit: `exposer.RegisterCollectable(leakwatch::make_collectable())`
// keeps working after the statement that made the pointer.
inline std::shared_ptr<prometheus::Collectable> make_collectable() {
    static const std::shared_ptr<prometheus::Collectable> instance = std::make_shared<collectable>();
    return instance;
}

// A collectable serving `latest`'s report once it has one (a fresh one before). Keep the
// pointer for as long as it should be scraped: prometheus-cpp holds only a weak_ptr.
inline std::shared_ptr<prometheus::Collectable> make_collectable(const latest_report& latest) {
    return std::make_shared<collectable>(latest);
}

// A collectable of fresh reports made with `analysis`; keep the pointer, as above.
inline std::shared_ptr<prometheus::Collectable> make_collectable(const analysis_options& analysis) {
    return std::make_shared<collectable>(analysis);
}

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
