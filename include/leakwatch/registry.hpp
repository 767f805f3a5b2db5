// leakwatch/registry.hpp — the public face of the registry: snapshots and reports.
//
// snapshot() records one epoch: a sample of every live tracked container and channel, and
// of every creation site. report() takes one more snapshot, judges the recorded histories
// and returns the findings. Any thread may call these at any time, also during static
// initialisation and destruction. With LEAKWATCH_DISABLE they do nothing and every
// report is clean.
#pragma once

#include <leakwatch/analysis.hpp>
#include <leakwatch/config.hpp>
#include <leakwatch/detail/registry_impl.hpp>
#include <leakwatch/report.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

struct registry {
    // Records one sample (an "epoch") of every live tracked container and channel.
    static void snapshot() {
#if !defined(LEAKWATCH_DISABLE)
        detail::registry_impl::instance().snapshot();
#endif
    }

    // Takes a snapshot, analyses all recorded history and returns the findings.
    static growth_report report() { return report(analysis_options{}); }
    static growth_report report(const analysis_options& options) { return report_since(0, options); }

    // The same, judging only the history from `epoch` on (check_growth uses it).
    // With a nonzero `scope`, only the sites where a container of that check_growth() scope
    // lives; with `only_epochs` (sorted), only the samples of those epochs (and of the
    // snapshot this call takes).
    static growth_report report_since(std::uint64_t epoch, const analysis_options& options = {},
                                      std::uint32_t scope = 0,
                                      const std::vector<std::uint64_t>* only_epochs = nullptr) {
#if !defined(LEAKWATCH_DISABLE)
        options.validate();
        return detail::analyse(detail::registry_impl::instance().snapshot_and_collect(epoch, scope, only_epochs),
                               epoch, options);
#else
        (void)epoch;
        (void)options;
        (void)scope;
        (void)only_epochs;
        return growth_report();
#endif
    }

    // Forgets recorded history and findings; live containers stay registered.
    static void reset() {
#if !defined(LEAKWATCH_DISABLE)
        detail::registry_impl::instance().reset();
#endif
    }

    // Tracked containers and channels alive now.
    static std::size_t live_containers() {
#if !defined(LEAKWATCH_DISABLE)
        return detail::registry_impl::instance().live();
#else
        return 0;
#endif
    }

    // The epoch the next snapshot will record.
    static std::uint64_t current_epoch() noexcept { return detail::g_epoch.load(std::memory_order_relaxed); }

    // What the registry itself holds (records, sites, bytes), to see that it stays bounded.
    static registry_usage usage() {
#if !defined(LEAKWATCH_DISABLE)
        return detail::registry_impl::instance().usage();
#else
        return registry_usage{};
#endif
    }
};

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
