// leakwatch/export/prometheus.hpp — growth_report::to_prometheus(): the Prometheus text
// exposition format (0.0.4), for a scrape endpoint or node_exporter's textfile collector.
//
// Every metric is named leakwatch_..., carries its unit in its name and has HELP and TYPE
// lines; `promtool check metrics` accepts the output without a lint message. Per finding
// (labels: label, type, site "file:line", kind): elements, bytes, growth per epoch of both,
// epochs since the last read (no sample when never read; leakwatch_finding_never_read says
// so), unbounded and growing as 0/1, instances and the detector's confidence. Then the
// process (resident, peak resident, heap in use and free: absent where the platform cannot
// say), the resident-memory judgement (leakwatch_untracked_resident_growth is 1 when
// resident memory grows and no tracked container explains it), the tracked totals, and
// what the registry itself holds. Where the process's resident memory went:
// leakwatch_process_memory_bytes{category} (tracked_containers, other_heap_in_use,
// heap_free_retained, thread_stacks, other_anonymous, file_backed), its growth per epoch, and
// per malloc arena the bytes freed but retained and obtained from the system. Label values
// are escaped as the format asks (backslash, double quote, line feed) and are valid UTF-8
// (invalid bytes become U+FFFD); two findings that would share a label set are told apart by
// a `duplicate` label ("1", "2", ...).
//
// The metrics are built first as data (metric_families(report): names, help, types, label
// pairs and values), which to_prometheus() writes as text and which other exporters (the
// prometheus-cpp adapter, leakwatch/prometheus_cpp.hpp) hand to their own libraries.
#pragma once

#include <leakwatch/config.hpp>
#include <leakwatch/detail/text.hpp>
#include <leakwatch/report.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

enum class metric_type { gauge, counter };

constexpr const char* to_string(metric_type type) noexcept { return type == metric_type::counter ? "counter" : "gauge"; }

// One sample: its labels (name and value; values are valid UTF-8, not yet escaped for any
// format) and its value. Sizes and counts are integers, written exactly in the text format.
struct metric_sample {
    std::vector<std::pair<std::string, std::string>> labels{};
    double value = 0;
    bool integer = false;
    std::uint64_t integer_value = 0;  // the value, when `integer`
};

// One metric family: every sample of one metric name. A family without samples is left out.
struct metric_family {
    std::string name{};
    std::string help{};
    metric_type type = metric_type::gauge;
    std::vector<metric_sample> samples{};

    void add(std::vector<std::pair<std::string, std::string>> labels, double value) {
        metric_sample sample;
        sample.labels = std::move(labels);
        sample.value = value;
        samples.push_back(std::move(sample));
    }
    void add(std::vector<std::pair<std::string, std::string>> labels, std::uint64_t value) {
        metric_sample sample;
        sample.labels = std::move(labels);
        sample.value = static_cast<double>(value);
        sample.integer = true;
        sample.integer_value = value;
        samples.push_back(std::move(sample));
    }
};

namespace detail {

// A label value for the text format: backslash, double quote and line feed escaped, invalid
// UTF-8 replaced by U+FFFD. Other characters, control characters included, are allowed.
inline std::string prometheus_label_value(std::string_view text) {
    const std::string valid = valid_utf8(text);
    std::string out;
    out.reserve(valid.size() + 2);
    for (char c : valid) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '"': out += "\\\""; break;
            case '\n': out += "\\n"; break;
            default: out += c;
        }
    }
    return out;
}

inline std::string prometheus_number(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.10g", value);
    return buffer;
}

inline std::string prometheus_number(std::uint64_t value) { return std::to_string(value); }

// Writes HELP, TYPE and the samples of one family (a family without samples writes nothing).
inline void write_prometheus_family(const metric_family& family, std::string& out) {
    if (family.samples.empty()) return;
    out += "# HELP " + family.name + " " + family.help + "\n";
    out += "# TYPE " + family.name + " " + to_string(family.type) + "\n";
    for (const metric_sample& sample : family.samples) {
        out += family.name;
        if (!sample.labels.empty()) {
            out += '{';
            bool first = true;
            for (const auto& label : sample.labels) {
                if (!first) out += ',';
                first = false;
                out += label.first + "=\"" + prometheus_label_value(label.second) + "\"";
            }
            out += '}';
        }
        out += ' ';
        out += sample.integer ? prometheus_number(sample.integer_value) : prometheus_number(sample.value);
        out += '\n';
    }
}

}  // namespace detail

// The report's metrics as data, in the order to_prometheus() writes them; families without
// samples are left out.
inline std::vector<metric_family> metric_families(const growth_report& report) {
    using labels_t = std::vector<std::pair<std::string, std::string>>;
    std::vector<metric_family> out;
    const auto family = [](const char* name, const char* help, metric_type type = metric_type::gauge) {
        metric_family f;
        f.name = name;
        f.help = help;
        f.type = type;
        return f;
    };
    const auto flag = [](bool value) { return std::uint64_t{value ? 1u : 0u}; };
    const auto keep = [&out](metric_family&& f) {
        if (!f.samples.empty()) out.push_back(std::move(f));
    };

    // --- per finding ----------------------------------------------------------------------
    metric_family elements = family("leakwatch_finding_elements", "Elements held now by the container(s) of a finding.");
    metric_family bytes = family("leakwatch_finding_bytes", "Bytes allocated now by the container(s) of a finding.");
    metric_family elements_rate =
        family("leakwatch_finding_elements_per_epoch", "Recent growth of a finding in elements per epoch (snapshot).");
    metric_family bytes_rate =
        family("leakwatch_finding_bytes_per_epoch", "Recent growth of a finding in bytes per epoch (snapshot).");
    metric_family since_read = family("leakwatch_finding_epochs_since_read",
                                      "Epochs since a finding's container was last read (absent when never read).");
    metric_family never_read =
        family("leakwatch_finding_never_read", "1 when a finding's container was never read since it was created.");
    metric_family unbounded = family("leakwatch_finding_unbounded", "1 when a finding grows without bound.");
    metric_family growing =
        family("leakwatch_finding_growing", "1 when a finding is rising but not yet judged unbounded.");
    metric_family instances =
        family("leakwatch_finding_instances", "Live containers behind a finding (1 for a single container).");
    metric_family confidence =
        family("leakwatch_finding_confidence", "The detector's confidence in a finding's verdict, from 0 to 1.");

    std::set<labels_t> seen;
    for (const finding& f : report.findings()) {
        labels_t labels{{"label", detail::valid_utf8(f.label)},
                        {"type", detail::valid_utf8(f.type)},
                        {"site", detail::valid_utf8(std::string(f.site.file != nullptr ? f.site.file : "") + ":" +
                                                    std::to_string(f.site.line))},
                        {"kind", to_string(f.kind)}};
        if (!seen.insert(labels).second) {
            for (std::uint64_t n = 1;; ++n) {
                labels_t distinct = labels;
                distinct.emplace_back("duplicate", std::to_string(n));
                if (seen.insert(distinct).second) {
                    labels = std::move(distinct);
                    break;
                }
            }
        }
        elements.add(labels, std::uint64_t{f.elements});
        bytes.add(labels, std::uint64_t{f.bytes});
        elements_rate.add(labels, f.elements_per_epoch);
        bytes_rate.add(labels, f.bytes_per_epoch);
        if (!f.never_read()) since_read.add(labels, f.epochs_since_read);
        never_read.add(labels, flag(f.never_read()));
        unbounded.add(labels, flag(f.verdict == verdict::unbounded));
        growing.add(labels, flag(f.verdict == verdict::growing));
        instances.add(labels, std::uint64_t{f.instances});
        confidence.add(labels, f.confidence);
    }
    for (metric_family* f : {&elements, &bytes, &elements_rate, &bytes_rate, &since_read, &never_read, &unbounded,
                             &growing, &instances, &confidence})
        keep(std::move(*f));

    // --- the report as a whole ------------------------------------------------------------
    metric_family findings_by_verdict = family("leakwatch_findings", "Findings in the report by verdict.");
    for (const verdict v : {verdict::bounded, verdict::growing, verdict::unbounded}) {
        std::uint64_t count = 0;
        for (const finding& f : report.findings()) count += f.verdict == v;
        findings_by_verdict.add({{"verdict", to_string(v)}}, count);
    }
    keep(std::move(findings_by_verdict));

    const auto single = [&](const char* name, const char* help, auto value) {
        metric_family f = family(name, help);
        f.add(labels_t(), value);
        keep(std::move(f));
    };
    const report_totals& totals = report.totals();
    single("leakwatch_epoch", "Epoch (snapshot number) of the report.", std::uint64_t{totals.epoch});
    single("leakwatch_live_containers", "Tracked containers and allocator channels alive.",
           std::uint64_t{totals.live_containers});
    single("leakwatch_tracked_bytes", "Bytes held by every tracked container and allocator channel.",
           std::uint64_t{totals.tracked_bytes});
    single("leakwatch_tracked_elements", "Elements held by every tracked container.",
           std::uint64_t{totals.tracked_elements});
    single("leakwatch_unsited_containers", "Live containers whose creation site did not fit in the site table.",
           std::uint64_t{totals.unsited_containers});

    const process_memory& process = totals.process;
    if (process.resident_bytes != 0) {
        single("leakwatch_process_resident_memory_bytes", "Resident memory of the process when the report was made.",
               std::uint64_t{process.resident_bytes});
        single("leakwatch_process_resident_memory_peak_bytes", "Peak resident memory of the process.",
               std::uint64_t{process.peak_resident_bytes});
    }
    if (process.heap_in_use_bytes != 0) {
        single("leakwatch_process_heap_in_use_bytes", "Heap bytes allocated and not freed (malloc).",
               std::uint64_t{process.heap_in_use_bytes});
        single("leakwatch_process_heap_free_bytes", "Heap bytes freed but kept by the allocator.",
               std::uint64_t{process.heap_free_bytes});
    }
    const memory_breakdown& breakdown = process.breakdown;
    if (breakdown.available) {
        metric_family by_category = family("leakwatch_process_memory_bytes",
                                           "Resident memory of the process by category (they add up to resident).");
        metric_family growth = family("leakwatch_process_memory_growth_bytes_per_epoch",
                                      "Recent growth of each category of resident memory in bytes per epoch.");
        for (std::size_t i = 0; i < memory_category_count; ++i) {
            const auto c = static_cast<memory_category>(i);
            by_category.add({{"category", to_string(c)}}, std::uint64_t{breakdown.bytes(c)});
            growth.add({{"category", to_string(c)}}, totals.growth_by_category[i]);
        }
        keep(std::move(by_category));
        keep(std::move(growth));
        single("leakwatch_process_thread_stacks", "Thread stacks found in the process's mappings.",
               std::uint64_t{breakdown.thread_stacks});
        metric_family arena_free = family("leakwatch_process_heap_arena_free_bytes",
                                          "Bytes freed but kept by one malloc arena (glibc malloc_info).");
        metric_family arena_system = family("leakwatch_process_heap_arena_system_bytes",
                                            "Bytes one malloc arena obtained from the system (glibc malloc_info).");
        for (const heap_arena& a : breakdown.arenas) {
            arena_free.add({{"arena", std::to_string(a.index)}}, std::uint64_t{a.free_bytes});
            arena_system.add({{"arena", std::to_string(a.index)}}, std::uint64_t{a.system_bytes});
        }
        keep(std::move(arena_free));
        keep(std::move(arena_system));
    }
    single("leakwatch_resident_memory_growth_bytes_per_epoch", "Recent growth of resident memory in bytes per epoch.",
           totals.resident_bytes_per_epoch);
    single("leakwatch_resident_memory_unbounded", "1 when resident memory grows without bound.",
           flag(totals.resident_verdict == verdict::unbounded));
    single("leakwatch_untracked_resident_growth",
           "1 when resident memory grows without bound and no tracked container explains it.",
           flag(totals.untracked_growth));

    // --- the registry itself --------------------------------------------------------------
    const registry_usage& registry = totals.registry;
    metric_family records = family("leakwatch_registry_records", "Registry records by state.");
    records.add({{"state", "live"}}, std::uint64_t{registry.live_records});
    records.add({{"state", "detached"}}, std::uint64_t{registry.detached_records});
    records.add({{"state", "free"}}, std::uint64_t{registry.free_records});
    keep(std::move(records));
    single("leakwatch_registry_sites", "Creation sites in the registry's site table.", std::uint64_t{registry.sites});
    single("leakwatch_registry_site_capacity", "Capacity of the registry's site table (LEAKWATCH_MAX_SITES).",
           std::uint64_t{registry.site_capacity});
    single("leakwatch_registry_dropped_sites", "Registrations whose creation site did not fit in the site table.",
           std::uint64_t{registry.dropped_sites});
    single("leakwatch_registry_memory_bytes", "Memory held by the registry's own tables.",
           std::uint64_t{registry.bytes_reserved});
    metric_family snapshots =
        family("leakwatch_registry_snapshots_total", "Snapshots taken by the registry.", metric_type::counter);
    snapshots.add(labels_t(), std::uint64_t{registry.snapshots});
    keep(std::move(snapshots));
    return out;
}

inline std::string growth_report::to_prometheus() const {
    std::string out;
    for (const metric_family& family : metric_families(*this)) detail::write_prometheus_family(family, out);
    return out;
}

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
