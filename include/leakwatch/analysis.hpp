// leakwatch/analysis.hpp — from the registry's recorded histories to findings.
//
// Each creation site yields one finding: the container itself when one lives there (one
// leak, one finding), or the site aggregate when several do, judged both on its instance
// count (objects that each own a container and are never freed) and on its total size.
// Containers are judged on their element count; allocator channels, whose elements are
// unknown, on their bytes. The detector is a pure function; this file only feeds it.
#pragma once

#include <leakwatch/config.hpp>
#include <leakwatch/detail/registry_impl.hpp>
#include <leakwatch/detector.hpp>
#include <leakwatch/report.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

struct analysis_options {
    detector_options detector{};
    // Samples dropped at the start of a history that begins with the container's creation
    // (filling a cache is not a leak).
    std::size_t warmup_epochs = 4;
    // Resident memory counts as unexplained growth when the tracked containers' growth
    // covers less than this share of it.
    double explained_share = 0.5;
    // ...and only when resident memory grows faster than this (page granularity, thread
    // stacks and allocator caches move resident memory by small amounts all the time).
    double min_untracked_bytes_per_epoch = 1024.0 * 1024.0;

    void validate() const {
        detector.validate();
        if (!(explained_share >= 0.0 && explained_share <= 1.0))
            throw std::invalid_argument("leakwatch: analysis_options.explained_share must be within [0, 1] (got " +
                                        detail::json_number(explained_share) + ")");
        if (!(min_untracked_bytes_per_epoch >= 0.0))
            throw std::invalid_argument(
                "leakwatch: analysis_options.min_untracked_bytes_per_epoch must be >= 0 (got " +
                detail::json_number(min_untracked_bytes_per_epoch) + ")");
    }
};

namespace detail {

struct judged_series {
    detection elements;  // on elements (containers) or bytes (channels)
    detection bytes;
};

inline std::vector<double> series_of(const std::vector<history_point>& history, std::size_t skip,
                                     std::size_t history_point::*member) {
    std::vector<double> out;
    for (std::size_t i = skip; i < history.size(); ++i) out.push_back(static_cast<double>(history[i].*member));
    return out;
}

// (last - first) / epochs over the last `window` samples.
inline double window_rate(const std::vector<double>& series, std::size_t window) {
    const std::size_t n = std::min(series.size(), window);
    if (n < 2) return 0.0;
    return (series.back() - series[series.size() - n]) / static_cast<double>(n - 1);
}

inline std::size_t warmup_to_skip(const std::vector<history_point>& history, std::uint64_t created_epoch,
                                  std::uint64_t since_epoch, const analysis_options& options) {
    if (history.empty()) return 0;
    // A judged period (a check) starts with a warm-up, and so does every container's life;
    // a long-running container whose first samples have left the ring has none left.
    const bool starts_fresh = since_epoch != 0 || history.front().epoch <= created_epoch;
    if (!starts_fresh) return 0;
    return std::min(options.warmup_epochs, history.size());
}

// The first epoch a coarse bucket may start at to be judged: buckets that hold warm-up epochs
// are dropped, as the warm-up samples are at full resolution.
inline std::uint64_t coarse_warmup_end(const std::vector<history_point>& history,
                                       const std::vector<history_level>& levels, std::uint64_t created_epoch,
                                       std::uint64_t since_epoch, const analysis_options& options) {
    std::uint64_t oldest = history.empty() ? std::numeric_limits<std::uint64_t>::max() : history.front().epoch;
    for (const history_level& level : levels)
        if (!level.buckets.empty()) oldest = std::min(oldest, level.buckets.front().first_epoch);
    if (oldest == std::numeric_limits<std::uint64_t>::max()) return 0;
    const bool starts_fresh = since_epoch != 0 || oldest <= created_epoch;
    return starts_fresh ? oldest + options.warmup_epochs : 0;
}

// One quantity of a history at every resolution: the full-resolution samples from `skip` on,
// then each coarse level's buckets (by their peak) from `coarse_from` on.
inline std::vector<resolution_series> resolutions_of(const std::vector<history_point>& history, std::size_t skip,
                                                     const std::vector<history_level>& levels,
                                                     std::uint64_t coarse_from,
                                                     std::size_t history_point::*point_member,
                                                     history_range history_bucket::*bucket_member) {
    std::vector<resolution_series> out(1 + levels.size());
    const std::size_t recent = history.size() > skip ? history.size() - skip : 0;
    out[0].values.reserve(recent);
    out[0].first_epochs.reserve(recent);
    out[0].last_epochs.reserve(recent);
    for (std::size_t i = skip; i < history.size(); ++i) {
        out[0].values.push_back(static_cast<double>(history[i].*point_member));
        out[0].first_epochs.push_back(history[i].epoch);
        out[0].last_epochs.push_back(history[i].epoch);
    }
    for (std::size_t l = 0; l < levels.size(); ++l) {
        resolution_series& series = out[l + 1];
        series.epochs_per_sample = std::max<std::uint64_t>(levels[l].epochs_per_bucket, 1);
        series.values.reserve(levels[l].buckets.size());
        series.first_epochs.reserve(levels[l].buckets.size());
        series.last_epochs.reserve(levels[l].buckets.size());
        for (const history_bucket& bucket : levels[l].buckets) {
            if (bucket.first_epoch < coarse_from) continue;
            series.values.push_back(static_cast<double>((bucket.*bucket_member).max));
            series.first_epochs.push_back(bucket.first_epoch);
            series.last_epochs.push_back(bucket.last_epoch);
        }
    }
    return out;
}

// Resident memory by category at one snapshot (bytes, indexed by memory_category).
struct category_sample {
    std::uint64_t epoch = 0;
    std::array<double, memory_category_count> bytes{};
};

// Which category of resident memory grows: the growth of each category per epoch between
// the first and the last of `samples` (oldest first; the snapshots where the breakdown was
// read, which need not be every one) within the last `window` epochs, the category that grew
// most, and its share of the growth of all the categories that grew. A pure function.
struct category_growth {
    std::array<double, memory_category_count> per_epoch{};
    bool known = false;  // some category grew
    memory_category category = memory_category::other_heap_in_use;
    double share = 0;
};

inline category_growth explain_resident_growth(const std::vector<category_sample>& samples, std::size_t window) {
    category_growth out;
    if (samples.size() < 2 || window < 2) return out;
    const category_sample& last = samples.back();
    const std::uint64_t oldest = last.epoch >= window - 1 ? last.epoch - (window - 1) : 0;
    std::size_t first = samples.size() - 1;
    while (first > 0 && samples[first - 1].epoch >= oldest) --first;
    if (samples[first].epoch >= last.epoch) return out;
    const double epochs = static_cast<double>(last.epoch - samples[first].epoch);
    double grown = 0, top = 0;
    for (std::size_t c = 0; c < memory_category_count; ++c) {
        out.per_epoch[c] = (last.bytes[c] - samples[first].bytes[c]) / epochs;
        if (out.per_epoch[c] <= 0) continue;
        grown += out.per_epoch[c];
        if (out.per_epoch[c] > top) {
            top = out.per_epoch[c];
            out.category = static_cast<memory_category>(c);
            out.known = true;
        }
    }
    out.share = out.known ? top / grown : 0.0;
    return out;
}

inline std::uint64_t epochs_since(std::uint64_t now, std::uint64_t then) {
    if (then == 0) return never;
    return now > then ? now - then : 0;
}

inline verdict worst(verdict a, verdict b) { return static_cast<int>(a) >= static_cast<int>(b) ? a : b; }

// Judges f's history (full resolution from `skip` on, and f.levels from `coarse_from` on)
// across every resolution (detect_growth_across).
inline void judge(finding& f, const std::vector<history_point>& history, std::size_t skip,
                  std::uint64_t coarse_from, const analysis_options& options) {
    const bool channel = f.kind == finding_kind::channel;
    const std::vector<double> bytes = series_of(history, skip, &history_point::bytes);
    const auto across = [&](std::size_t history_point::*point_member, history_range history_bucket::*bucket_member,
                            series_kind kind) {
        return detect_growth_across(
            resolutions_of(history, skip, f.levels, coarse_from, point_member, bucket_member), kind, options.detector);
    };
    detection primary = channel ? across(&history_point::bytes, &history_bucket::bytes, series_kind::bytes)
                                : across(&history_point::elements, &history_bucket::elements, series_kind::elements);
    if (f.kind == finding_kind::site) {
        const detection by_instances =
            across(&history_point::instances, &history_bucket::instances, series_kind::elements);
        if (static_cast<int>(by_instances.verdict) > static_cast<int>(primary.verdict) ||
            (by_instances.verdict == primary.verdict && by_instances.confidence > primary.confidence)) {
            primary.verdict = by_instances.verdict;
            primary.confidence = by_instances.confidence;
            primary.epochs_per_sample = by_instances.epochs_per_sample;
            primary.first_epoch = by_instances.first_epoch;
            primary.last_epoch = by_instances.last_epoch;
        }
    }
    f.verdict = primary.verdict;
    f.confidence = primary.confidence;
    f.epochs_per_sample = primary.epochs_per_sample;
    f.judged_first_epoch = primary.first_epoch;
    f.judged_last_epoch = primary.last_epoch;
    f.elements_per_epoch = channel ? 0.0 : primary.per_epoch;
    // Bytes: the rate over the judged window. A vector grows its capacity in steps, and the
    // robust slope of a step series reads 0 however much it grew.
    f.bytes_per_epoch = window_rate(bytes, options.detector.window);
    // Xu & Rountev weigh staleness into leak confidence: a container that keeps growing and
    // is never read is the strongest signal.
    double staleness = 1.0;
    if (!f.never_read()) {
        const double span = static_cast<double>(std::max<std::size_t>(history.size() - skip, 1));
        staleness = std::min(1.0, static_cast<double>(f.epochs_since_read) / span);
    }
    f.score = f.confidence * (1.0 + staleness);
}

// Takes r's history (moved out: the collection is the analysis's own).
inline finding record_finding(record_view& r, std::uint64_t epoch) {
    finding f;
    f.kind = r.kind == record_kind::channel ? finding_kind::channel : finding_kind::container;
    f.label = r.label;
    f.type = r.type_name;
    f.site = r.site;
    f.instances = 1;
    f.elements = r.stats.elements;
    f.bytes = r.stats.bytes;
    f.allocations = r.stats.allocations;
    f.inserts = r.stats.inserts;
    f.erases = r.stats.erases;
    f.lookups = r.stats.lookups;
    f.epochs_since_read = epochs_since(epoch, r.stats.last_read_epoch);
    f.epochs_since_write = epochs_since(epoch, r.stats.last_write_epoch);
    f.history = std::move(r.history);
    f.levels = std::move(r.levels);
    f.promoted_epoch = r.promoted_epoch;
#if LEAKWATCH_DETAIL_STACKS
    f.stack = r.stack;
#endif
    return f;
}

inline finding make_finding(site_view& site, std::uint64_t epoch, std::uint64_t since_epoch,
                            const analysis_options& options) {
    finding f;
    std::uint64_t created_epoch = 0;
    if (site.has_sole) {
        f = record_finding(site.sole, epoch);
        created_epoch = site.sole.created_epoch;
    } else {
        f.kind = finding_kind::site;
        f.label = site.label;
        f.type = site.type_name;
        f.site = source_site{site.file, site.line, site.function};
        f.instances = site.live;
        f.elements = static_cast<std::size_t>(site.elements);
        f.bytes = static_cast<std::size_t>(site.bytes);
        f.epochs_since_read = epochs_since(epoch, site.last_read_epoch);
        f.epochs_since_write = epochs_since(epoch, site.last_write_epoch);
        created_epoch = site.history.empty() ? 0 : site.history.front().epoch;
        f.history = std::move(site.history);
        f.levels = std::move(site.levels);
#if LEAKWATCH_DETAIL_STACKS
        f.stack = site.stack;
#endif
    }
    f.created_total = site.created_total;
    // A site's history starts when its first container was counted: its oldest sample.
    std::uint64_t coarse_created = created_epoch;
    if (!site.has_sole)
        for (const history_level& level : f.levels)
            if (!level.buckets.empty()) coarse_created = std::min(coarse_created, level.buckets.front().first_epoch);
    judge(f, f.history, warmup_to_skip(f.history, created_epoch, since_epoch, options),
          coarse_warmup_end(f.history, f.levels, coarse_created, since_epoch, options), options);
    return f;
}

// A promoted container: judged on its own history from its promotion on, with the warm-up
// of a container whose history starts at its creation (when it was promoted at once).
inline finding promoted_finding(record_view& r, std::uint64_t epoch, std::uint64_t since_epoch,
                                const analysis_options& options) {
    finding f = record_finding(r, epoch);
    // Its history starts at its promotion: that is where a warm-up would be.
    const std::uint64_t start = r.promoted_epoch != 0 ? std::max(r.created_epoch, r.promoted_epoch) : r.created_epoch;
    judge(f, f.history, warmup_to_skip(f.history, r.created_epoch, since_epoch, options),
          coarse_warmup_end(f.history, f.levels, start, since_epoch, options), options);
    return f;
}

// Judges every site of `collection`; `since_epoch` is where the judged period starts (0:
// all recorded history).
inline growth_report analyse(registry_collection collection, std::uint64_t since_epoch,
                             const analysis_options& options) {
    options.validate();
    std::vector<finding> findings;
    findings.reserve(collection.sites.size());
    for (site_view& site : collection.sites) {
        findings.push_back(make_finding(site, collection.epoch, since_epoch, options));
        for (record_view& promoted : site.promoted)
            findings.push_back(promoted_finding(promoted, collection.epoch, since_epoch, options));
    }

    report_totals totals;
    totals.epoch = collection.epoch;
    totals.live_containers = collection.live_records;
    totals.tracked_bytes = static_cast<std::size_t>(collection.total_bytes);
    totals.tracked_elements = static_cast<std::size_t>(collection.total_elements);
    totals.unsited_containers = collection.unsited_records;
    totals.process = collection.process;
    totals.registry = collection.usage;

    // Resident memory, judged like a channel. Growth the tracked containers do not account
    // for is the part of the story a container-level report cannot show by itself.
    std::vector<double> resident, tracked;
    for (const auto& point : collection.process_history) {
        resident.push_back(static_cast<double>(point.second.resident_bytes));
        tracked.push_back(static_cast<double>(point.second.tracked_bytes));
    }
    const std::size_t skip = std::min(options.warmup_epochs, resident.size());
    resident.erase(resident.begin(), resident.begin() + static_cast<std::ptrdiff_t>(skip));
    tracked.erase(tracked.begin(), tracked.begin() + static_cast<std::ptrdiff_t>(skip));
    std::vector<category_sample> categories;
    for (std::size_t i = skip; i < collection.process_history.size(); ++i) {
        const auto& point = collection.process_history[i];
        if (!point.second.has_breakdown) continue;
        category_sample sample;
        sample.epoch = point.first;
        for (std::size_t c = 0; c < memory_category_count; ++c)
            sample.bytes[c] = static_cast<double>(point.second.category_bytes[c]);
        categories.push_back(sample);
    }
    // Where resident memory goes, judged over the same window as the detector's verdicts.
    const category_growth by_category = explain_resident_growth(categories, options.detector.window);
    totals.growth_by_category = by_category.per_epoch;
    totals.growth_category_known = by_category.known;
    totals.growth_category = by_category.category;
    totals.growth_category_share = by_category.share;
    if (!resident.empty() && resident.back() > 0) {
        const detection by_resident = detect_growth(resident, series_kind::bytes, options.detector);
        totals.resident_verdict = by_resident.verdict;
        totals.resident_bytes_per_epoch = by_resident.per_epoch;
        if (by_resident.verdict == verdict::unbounded && tracked.size() >= 2 &&
            by_resident.per_epoch > options.min_untracked_bytes_per_epoch) {
            const double tracked_rate =
                (tracked.back() - tracked.front()) / static_cast<double>(tracked.size() - 1);
            totals.untracked_growth = tracked_rate < options.explained_share * by_resident.per_epoch;
        }
    }
    return growth_report(std::move(findings), totals);
}

}  // namespace detail
}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
