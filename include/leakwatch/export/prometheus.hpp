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

// Collects the samples of one metric family, then writes HELP, TYPE and the samples (a
// family without samples writes nothing).
class prometheus_family {
public:
    prometheus_family(const char* name, const char* type, const char* help) : name_(name), type_(type), help_(help) {}

    void add(const std::string& labels, const std::string& value) {
        samples_ += name_;
        if (!labels.empty()) samples_ += "{" + labels + "}";
        samples_ += ' ';
        samples_ += value;
        samples_ += '\n';
    }
    void add(const std::string& labels, double value) { add(labels, prometheus_number(value)); }
    void add(const std::string& labels, std::uint64_t value) { add(labels, prometheus_number(value)); }

    void write(std::string& out) const {
        if (samples_.empty()) return;
        out += "# HELP " + name_ + " " + help_ + "\n";
        out += "# TYPE " + name_ + " " + type_ + "\n";
        out += samples_;
    }

private:
    std::string name_, type_, help_;
    std::string samples_{};
};

}  // namespace detail

inline std::string growth_report::to_prometheus() const {
    using detail::prometheus_family;
    using detail::prometheus_label_value;
    std::string out;
    const auto gauge = [](const char* name, const char* help) { return prometheus_family(name, "gauge", help); };
    const auto flag = [](bool value) { return std::uint64_t{value ? 1u : 0u}; };

    // --- per finding ----------------------------------------------------------------------
    prometheus_family elements = gauge("leakwatch_finding_elements", "Elements held now by the container(s) of a finding.");
    prometheus_family bytes = gauge("leakwatch_finding_bytes", "Bytes allocated now by the container(s) of a finding.");
    prometheus_family elements_rate =
        gauge("leakwatch_finding_elements_per_epoch", "Recent growth of a finding in elements per epoch (snapshot).");
    prometheus_family bytes_rate =
        gauge("leakwatch_finding_bytes_per_epoch", "Recent growth of a finding in bytes per epoch (snapshot).");
    prometheus_family since_read = gauge("leakwatch_finding_epochs_since_read",
                                         "Epochs since a finding's container was last read (absent when never read).");
    prometheus_family never_read =
        gauge("leakwatch_finding_never_read", "1 when a finding's container was never read since it was created.");
    prometheus_family unbounded = gauge("leakwatch_finding_unbounded", "1 when a finding grows without bound.");
    prometheus_family growing =
        gauge("leakwatch_finding_growing", "1 when a finding is rising but not yet judged unbounded.");
    prometheus_family instances =
        gauge("leakwatch_finding_instances", "Live containers behind a finding (1 for a single container).");
    prometheus_family confidence =
        gauge("leakwatch_finding_confidence", "The detector's confidence in a finding's verdict, from 0 to 1.");

    std::set<std::string> seen;
    for (const finding& f : findings_) {
        std::string labels = "label=\"" + prometheus_label_value(f.label) + "\",type=\"" +
                             prometheus_label_value(f.type) + "\",site=\"" +
                             prometheus_label_value(std::string(f.site.file != nullptr ? f.site.file : "") + ":" +
                                                    std::to_string(f.site.line)) +
                             "\",kind=\"" + to_string(f.kind) + "\"";
        if (!seen.insert(labels).second) {
            for (std::uint64_t n = 1;; ++n) {
                std::string distinct = labels + ",duplicate=\"" + std::to_string(n) + "\"";
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
    for (const prometheus_family* family :
         {&elements, &bytes, &elements_rate, &bytes_rate, &since_read, &never_read, &unbounded, &growing, &instances,
          &confidence})
        family->write(out);

    // --- the report as a whole ------------------------------------------------------------
    prometheus_family findings_by_verdict = gauge("leakwatch_findings", "Findings in the report by verdict.");
    for (const verdict v : {verdict::bounded, verdict::growing, verdict::unbounded}) {
        std::uint64_t count = 0;
        for (const finding& f : findings_) count += f.verdict == v;
        findings_by_verdict.add(std::string("verdict=\"") + to_string(v) + "\"", count);
    }
    findings_by_verdict.write(out);

    const auto single = [&out](const char* name, const char* help, auto value) {
        prometheus_family family(name, "gauge", help);
        family.add(std::string(), value);
        family.write(out);
    };
    single("leakwatch_epoch", "Epoch (snapshot number) of the report.", std::uint64_t{totals_.epoch});
    single("leakwatch_live_containers", "Tracked containers and allocator channels alive.",
           std::uint64_t{totals_.live_containers});
    single("leakwatch_tracked_bytes", "Bytes held by every tracked container and allocator channel.",
           std::uint64_t{totals_.tracked_bytes});
    single("leakwatch_tracked_elements", "Elements held by every tracked container.",
           std::uint64_t{totals_.tracked_elements});
    single("leakwatch_unsited_containers", "Live containers whose creation site did not fit in the site table.",
           std::uint64_t{totals_.unsited_containers});

    const process_memory& process = totals_.process;
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
        prometheus_family by_category = gauge("leakwatch_process_memory_bytes",
                                              "Resident memory of the process by category (they add up to resident).");
        prometheus_family growth = gauge("leakwatch_process_memory_growth_bytes_per_epoch",
                                         "Recent growth of each category of resident memory in bytes per epoch.");
        for (std::size_t i = 0; i < memory_category_count; ++i) {
            const auto c = static_cast<memory_category>(i);
            const std::string labels = std::string("category=\"") + to_string(c) + "\"";
            by_category.add(labels, std::uint64_t{breakdown.bytes(c)});
            growth.add(labels, totals_.growth_by_category[i]);
        }
        by_category.write(out);
        growth.write(out);
        single("leakwatch_process_thread_stacks", "Thread stacks found in the process's mappings.",
               std::uint64_t{breakdown.thread_stacks});
        prometheus_family arena_free = gauge("leakwatch_process_heap_arena_free_bytes",
                                             "Bytes freed but kept by one malloc arena (glibc malloc_info).");
        prometheus_family arena_system = gauge("leakwatch_process_heap_arena_system_bytes",
                                               "Bytes one malloc arena obtained from the system (glibc malloc_info).");
        for (const heap_arena& a : breakdown.arenas) {
            const std::string labels = "arena=\"" + std::to_string(a.index) + "\"";
            arena_free.add(labels, std::uint64_t{a.free_bytes});
            arena_system.add(labels, std::uint64_t{a.system_bytes});
        }
        arena_free.write(out);
        arena_system.write(out);
    }
    single("leakwatch_resident_memory_growth_bytes_per_epoch", "Recent growth of resident memory in bytes per epoch.",
           totals_.resident_bytes_per_epoch);
    single("leakwatch_resident_memory_unbounded", "1 when resident memory grows without bound.",
           flag(totals_.resident_verdict == verdict::unbounded));
    single("leakwatch_untracked_resident_growth",
           "1 when resident memory grows without bound and no tracked container explains it.",
           flag(totals_.untracked_growth));

    // --- the registry itself --------------------------------------------------------------
    const registry_usage& registry = totals_.registry;
    prometheus_family records = gauge("leakwatch_registry_records", "Registry records by state.");
    records.add("state=\"live\"", std::uint64_t{registry.live_records});
    records.add("state=\"detached\"", std::uint64_t{registry.detached_records});
    records.add("state=\"free\"", std::uint64_t{registry.free_records});
    records.write(out);
    single("leakwatch_registry_sites", "Creation sites in the registry's site table.", std::uint64_t{registry.sites});
    single("leakwatch_registry_site_capacity", "Capacity of the registry's site table (LEAKWATCH_MAX_SITES).",
           std::uint64_t{registry.site_capacity});
    single("leakwatch_registry_dropped_sites", "Registrations whose creation site did not fit in the site table.",
           std::uint64_t{registry.dropped_sites});
    single("leakwatch_registry_memory_bytes", "Memory held by the registry's own tables.",
           std::uint64_t{registry.bytes_reserved});
    prometheus_family snapshots("leakwatch_registry_snapshots_total", "counter", "Snapshots taken by the registry.");
    snapshots.add(std::string(), std::uint64_t{registry.snapshots});
    snapshots.write(out);
    return out;
}

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
