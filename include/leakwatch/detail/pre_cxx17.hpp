// leakwatch/detail/pre_cxx17.hpp — what leakwatch.hpp declares below C++17.
//
// Below C++17 only compiled-out builds exist (LEAKWATCH_DISABLE; config.hpp rejects the rest),
// so that headers holding tracked types can be shared with code built as C++11 or C++14.
// leakwatch.hpp then declares the tracked types (their std types), tracking_allocator (its
// upstream), label and source_site from their own headers, and from this one what code written
// for a tracked build most often calls: the registry, whose calls do nothing; the growth report,
// always empty and clean; check_growth, which runs the workload and judges nothing; and
// failure_message. Each behaves as in a C++17 compiled-out build (the report prints the same
// text). The rest (the detector and its options, the report's findings and exports, the
// periodic reporter) needs C++17. The inline namespace's name ends in _cxx11 (config.hpp), so
// that these smaller types never meet their C++17 namesakes in one program.
#pragma once

#include <leakwatch/config.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

// A report of a compiled-out build: no finding, nothing tracked.
class growth_report {
public:
    bool clean() const noexcept { return true; }

    // The header line of an empty report, as a C++17 compiled-out build prints it.
    std::string to_text(std::size_t limit = 0) const {
        (void)limit;
        return "leakwatch: 0 finding(s), 0 unbounded, 0 growing; tracked 0 B (epoch 0)\n";
    }
};

inline std::ostream& operator<<(std::ostream& os, const growth_report& report) { return os << report.to_text(); }

struct registry {
    static void snapshot() {}
    static growth_report report() { return growth_report(); }
    static void reset() {}
    static std::size_t live_containers() { return 0; }
    // No snapshot is ever taken: the first epoch stays the next one.
    static std::uint64_t current_epoch() noexcept { return 1; }
};

// check_growth's options, validated as in a tracked build (the detector's thresholds need C++17).
struct growth_options {
    std::size_t epochs = 16;
    std::size_t warmup_epochs = 4;
    std::vector<std::string> ignore_labels;
    std::vector<std::string> ignore_sites;

    void validate() const {
        if (epochs == 0)
            throw std::invalid_argument("leakwatch: growth_options.epochs must be at least 1 (got 0)");
        if (warmup_epochs >= epochs)
            throw std::invalid_argument("leakwatch: growth_options.warmup_epochs must be below epochs (got " +
                                        std::to_string(warmup_epochs) + " with epochs " + std::to_string(epochs) +
                                        ")");
    }
};

// Runs `workload` options.epochs times; the report is clean.
template <class Workload>
growth_report check_growth(Workload&& workload, const growth_options& options = growth_options()) {
    options.validate();
    for (std::size_t epoch = 0; epoch < options.epochs; ++epoch) workload();
    return growth_report();
}

// The assertions' failure message (never shown: a compiled-out report is always clean).
inline std::string failure_message(const growth_report& report, std::size_t shown = 5) {
    (void)shown;
    const std::string out = "leakwatch: 0 finding(s) grew without bound during check_growth\n";
    const char* full = std::getenv("LEAKWATCH_FULL_REPORT");
    const bool everything = full != nullptr && full[0] != '\0' && full[0] != '0';
    return everything ? out + report.to_text() : out;
}

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
