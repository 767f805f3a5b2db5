// leakwatch/history.hpp — the plain values the registry hands up to reports: one sample of
// a history, the coarser buckets that older epochs are merged into, and what the registry
// itself holds. No behaviour, so reports, exports and the registry can all include it without
// including each other.
#pragma once

#include <leakwatch/config.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

// One sample of a container's or a site's history.
struct history_point {
    std::uint64_t epoch = 0;
    std::size_t instances = 0;  // live containers (1 for a single container)
    std::size_t elements = 0;
    std::size_t bytes = 0;
};

// Lowest, highest and last value of one quantity over the epochs a bucket merges.
struct history_range {
    std::size_t min = 0;
    std::size_t max = 0;
    std::size_t last = 0;
};

// One bucket of a coarse resolution: the samples of epochs first_epoch..last_epoch merged.
struct history_bucket {
    std::uint64_t first_epoch = 0;
    std::uint64_t last_epoch = 0;
    history_range instances{};
    history_range elements{};
    history_range bytes{};
};

// One coarse resolution of a history: buckets of `epochs_per_bucket` epochs each (the first one
// may hold fewer, when the history started inside it), oldest first.
struct history_level {
    std::uint64_t epochs_per_bucket = 0;
    std::vector<history_bucket> buckets{};
};

// What the registry itself holds, so that tests and dashboards can see it stays bounded.
struct registry_usage {
    std::size_t live_records = 0;      // tracked containers and channels alive now
    std::size_t detached_records = 0;  // dead containers whose memory is still alive (node handles)
    std::size_t free_records = 0;      // recycled records waiting for reuse
    std::size_t pooled_records = 0;    // records ever allocated (live + detached + free)
    std::size_t sites = 0;             // identities (creation site, label, type) in the table
    std::size_t site_capacity = 0;
    std::uint64_t dropped_sites = 0;   // registrations whose identity did not fit in the table
    std::size_t untracked_containers = 0;  // alive without a record (pool exhausted)
    std::size_t promoted_records = 0;      // containers with a history of their own
    std::size_t bytes_reserved = 0;    // memory held by the registry's own tables
    std::size_t bytes_per_site = 0;     // one identity's entry, its history at every resolution included
    std::size_t bytes_per_promoted = 0; // one promoted container's history, every resolution included
    std::uint64_t epoch = 0;           // current epoch (snapshots taken so far, plus one)
    std::uint64_t snapshots = 0;
};

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
