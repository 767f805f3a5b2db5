// leakwatch/check.hpp — check_growth(): a unit test's question "does this grow without bound?"
//
// Runs a workload a number of times (epochs), snapshotting after each run, and judges only
// what changed during the check: every container and allocator channel created or written
// during it, by any thread (workers, pools, servers), with the history recorded since it
// started (a container created before the check counts only by what changed during it).
// Checks may run in parallel threads: a container written by another running check's
// thread is that check's, not this one's. The test-framework adapters build on this.
#pragma once

#include <leakwatch/analysis.hpp>
#include <leakwatch/config.hpp>
#include <leakwatch/detector.hpp>
#include <leakwatch/registry.hpp>
#include <leakwatch/report.hpp>
#include <leakwatch/stats.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

struct growth_options {
    std::size_t epochs = 16;         // workload runs, one snapshot after each
    std::size_t warmup_epochs = 4;   // first snapshots not judged (caches filling up)
    detector_options detector;       // the detector's thresholds
    // Known caches to leave out: findings whose label equals one of these...
    std::vector<std::string> ignore_labels;
    // ...or whose site matches one of these: "file:line", or a file name or path suffix
    // ("cache.cpp" matches "src/cache.cpp:12").
    std::vector<std::string> ignore_sites;

    void validate() const {
        if (epochs == 0)
            throw std::invalid_argument("leakwatch: growth_options.epochs must be at least 1 (got 0)");
        if (warmup_epochs >= epochs)
            throw std::invalid_argument("leakwatch: growth_options.warmup_epochs must be below epochs (got " +
                                        std::to_string(warmup_epochs) + " with epochs " + std::to_string(epochs) +
                                        ")");
        detector.validate();
    }

    bool ignores(const finding& f) const {
        if (std::find(ignore_labels.begin(), ignore_labels.end(), f.label) != ignore_labels.end()) return true;
        const std::string file = f.site.file != nullptr ? f.site.file : "";
        const std::string file_line = file + ":" + std::to_string(f.site.line);
        for (const std::string& pattern : ignore_sites) {
            if (pattern.empty()) continue;
            const bool has_line = pattern.find(':') != std::string::npos;
            const std::string& subject = has_line ? file_line : file;
            if (subject.size() >= pattern.size() &&
                subject.compare(subject.size() - pattern.size(), pattern.size(), pattern) == 0 &&
                (subject.size() == pattern.size() || subject[subject.size() - pattern.size() - 1] == '/'))
                return true;
        }
        return false;
    }
};

namespace detail {

// Sets this thread's check scope for the guard's life (checks may nest), and tells the
// registry that the check runs (so that other checks leave the containers it writes alone).
class check_scope {
public:
    check_scope() : previous_(t_check_scope), id_(registry_impl::instance().begin_check()) { t_check_scope = id_; }
    ~check_scope() {
        t_check_scope = previous_;
        registry_impl::instance().end_check(id_);
    }
    check_scope(const check_scope&) = delete;
    check_scope& operator=(const check_scope&) = delete;
    std::uint32_t id() const noexcept { return id_; }

private:
    std::uint32_t previous_;
    std::uint32_t id_;
};

inline growth_report without_ignored(const growth_report& report, const growth_options& options) {
    if (options.ignore_labels.empty() && options.ignore_sites.empty()) return report;
    std::vector<finding> kept;
    for (const finding& f : report.findings())
        if (!options.ignores(f)) kept.push_back(f);
    return growth_report(std::move(kept), report.totals());
}

}  // namespace detail

// Runs `workload` options.epochs times and judges the containers it created or touched.
template <class Workload>
growth_report check_growth(Workload&& workload, const growth_options& options = {}) {
    options.validate();
#if defined(LEAKWATCH_DISABLE)
    for (std::size_t epoch = 0; epoch < options.epochs; ++epoch) workload();
    return growth_report();
#else
    detail::check_scope scope;
    // A snapshot first, so that the judged period starts with an epoch of its own: what was
    // written before the check (in the epoch it starts in) does not count as changed during it.
    detail::registry_impl::instance().snapshot();
    const std::uint64_t start = registry::current_epoch();
    // The epochs of this check's own snapshots: checks in other threads snapshot too, and
    // their samples (taken between two of our workload runs) must not flatten our series.
    std::vector<std::uint64_t> own_epochs;
    own_epochs.reserve(options.epochs);
    for (std::size_t epoch = 0; epoch < options.epochs; ++epoch) {
        workload();
        // The last snapshot is the report's own.
        if (epoch + 1 < options.epochs) own_epochs.push_back(detail::registry_impl::instance().snapshot());
    }
    analysis_options analysis;
    analysis.detector = options.detector;
    analysis.warmup_epochs = options.warmup_epochs;
    return detail::without_ignored(registry::report_since(start, analysis, scope.id(), &own_epochs), options);
#endif
}

// The short failure message of the test assertions: the worst unbounded findings with
// their sites. Set LEAKWATCH_FULL_REPORT=1 in the environment to get every finding.
inline std::string failure_message(const growth_report& report, std::size_t shown = 5) {
    const std::vector<finding> bad = report.unbounded();
    std::string out = "leakwatch: " + std::to_string(bad.size()) +
                      " finding(s) grew without bound during check_growth\n";
    const char* full = std::getenv("LEAKWATCH_FULL_REPORT");
    const bool everything = full != nullptr && full[0] != '\0' && full[0] != '0';
    if (everything) return out + report.to_text();
    std::vector<finding> worst(bad.begin(), bad.begin() + static_cast<std::ptrdiff_t>(
                                                             std::min(bad.size(), shown)));
    for (const finding& f : worst) {
        out += "  " + growth_report::site_text(f.site) + "  " +
               (f.label.empty() ? std::string() : "\"" + detail::printable(f.label) + "\" ") +
               detail::printable(f.type) + (f.instances > 1 ? " x" + std::to_string(f.instances) + " instances" : "") +
               ": " + std::to_string(f.elements) + " elements, " + detail::human_bytes(static_cast<double>(f.bytes)) +
               ", " + detail::signed_rate(f.kind == finding_kind::channel ? f.bytes_per_epoch : f.elements_per_epoch) +
               (f.kind == finding_kind::channel ? " bytes" : " elements") + "/epoch" +
               (f.never_read() ? ", never read" : "") + "\n";
    }
    if (bad.size() > worst.size())
        out += "  ... and " + std::to_string(bad.size() - worst.size()) +
               " more (LEAKWATCH_FULL_REPORT=1 prints the full report)\n";
    return out;
}

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
