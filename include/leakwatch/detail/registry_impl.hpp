// leakwatch/detail/registry_impl.hpp — snapshots and histories.
//
// A snapshot walks the record pool once: it sums every live record into its identity's
// site aggregate and pushes one sample per site into that site's fixed ring. Per container
// it keeps nothing, except for the few containers it promotes: the largest container of a
// site that several share, once it holds LEAKWATCH_PROMOTE_BYTES, gets a ring of its own
// from then on (at most LEAKWATCH_MAX_PROMOTED at once). A site with a single container is
// reported as that container, with the site's samples since the container was created: the
// same series a ring of its own would hold. Registration and release never take the lock
// here (see record_pool.hpp); snapshots, resets and collections do.
#pragma once

#include <leakwatch/config.hpp>
#include <leakwatch/detail/record_pool.hpp>
#include <leakwatch/detail/stacks.hpp>
#include <leakwatch/history.hpp>
#include <leakwatch/process_memory.hpp>
#include <leakwatch/source_site.hpp>
#include <leakwatch/stats.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

namespace detail {

static_assert(LEAKWATCH_HISTORY_CAPACITY >= 8, "LEAKWATCH_HISTORY_CAPACITY must be at least 8");

// A fixed ring of samples, oldest first, with consecutive epochs (one per snapshot).
template <class Sample>
struct sample_ring {
    static constexpr std::size_t capacity = LEAKWATCH_HISTORY_CAPACITY;
    std::uint64_t first_epoch = 0;
    std::uint32_t count = 0;
    std::uint32_t head = 0;
    Sample samples[capacity];

    void push(std::uint64_t epoch, const Sample& s) noexcept {
        if (count == 0) first_epoch = epoch;
        if (count < capacity) {
            samples[(head + count) % capacity] = s;
            ++count;
        } else {
            samples[head] = s;
            head = static_cast<std::uint32_t>((head + 1) % capacity);
            ++first_epoch;
        }
    }
    void clear() noexcept { count = 0, head = 0, first_epoch = 0; }
    const Sample& at(std::size_t i) const noexcept { return samples[(head + i) % capacity]; }
};

struct site_sample {
    std::uint64_t instances;
    std::uint64_t elements;
    std::uint64_t bytes;
};

struct sample {
    std::uint64_t elements;
    std::uint64_t bytes;
};

inline site_sample fieldwise_min(const site_sample& a, const site_sample& b) noexcept {
    return site_sample{std::min(a.instances, b.instances), std::min(a.elements, b.elements), std::min(a.bytes, b.bytes)};
}
inline site_sample fieldwise_max(const site_sample& a, const site_sample& b) noexcept {
    return site_sample{std::max(a.instances, b.instances), std::max(a.elements, b.elements), std::max(a.bytes, b.bytes)};
}
inline sample fieldwise_min(const sample& a, const sample& b) noexcept {
    return sample{std::min(a.elements, b.elements), std::min(a.bytes, b.bytes)};
}
inline sample fieldwise_max(const sample& a, const sample& b) noexcept {
    return sample{std::max(a.elements, b.elements), std::max(a.bytes, b.bytes)};
}

// Older epochs, merged round-robin-database style: coarse level l (0-based) holds buckets of
// history_merge_factor^(l+1) epochs, LEAKWATCH_HISTORY_CAPACITY / 2 of them, each keeping the
// lowest, highest and last sample of its epochs. With the defaults (64, so 32 buckets a level)
// and a snapshot every 30 s, the levels reach back 256, 2,048, 16,384 and 131,072 epochs:
// 2 hours, 17 hours, 5.7 days and 45 days. Everything is a fixed array: a history's memory
// does not depend on the number of snapshots taken.
constexpr std::size_t history_coarse_levels = 4;
constexpr unsigned history_merge_shift = 3;  // buckets of each level merge 2^3 = 8 of the level below
constexpr std::uint64_t history_merge_factor = std::uint64_t{1} << history_merge_shift;
constexpr std::size_t history_coarse_capacity = LEAKWATCH_HISTORY_CAPACITY / 2;

// log2 of the epochs a bucket of coarse level `coarse_level` (0-based) covers.
constexpr unsigned history_bucket_shift(std::size_t coarse_level) noexcept {
    return history_merge_shift * static_cast<unsigned>(coarse_level + 1);
}
constexpr std::uint64_t history_bucket_epochs(std::size_t coarse_level) noexcept {
    return std::uint64_t{1} << history_bucket_shift(coarse_level);
}

template <class Sample>
struct sample_bucket {
    Sample min;
    Sample max;
    Sample last;
};

template <class Sample>
struct coarse_history {
    struct level {
        std::uint64_t first_bucket = 0;  // bucket number (epoch / width) of the oldest bucket
        std::uint32_t count = 0;
        std::uint32_t head = 0;
        sample_bucket<Sample> buckets[history_coarse_capacity];

        const sample_bucket<Sample>& at(std::size_t i) const noexcept {
            return buckets[(head + i) % history_coarse_capacity];
        }
        void store(std::uint64_t bucket, const sample_bucket<Sample>& merged) noexcept {
            if (count != 0 && bucket != first_bucket + count) count = 0, head = 0;  // a gap: start over
            if (count == 0) first_bucket = bucket;
            if (count < history_coarse_capacity) {
                buckets[(head + count) % history_coarse_capacity] = merged;
                ++count;
            } else {
                buckets[head] = merged;
                head = static_cast<std::uint32_t>((head + 1) % history_coarse_capacity);
                ++first_bucket;
            }
        }
    };
    std::uint64_t first_epoch = 0;  // the first epoch merged since the last clear (0: none)
    std::uint64_t last_epoch = 0;
    // The bucket of each level still filling, side by side: a snapshot touches these only
    // (and one stored bucket of a level whose bucket it completes).
    std::uint32_t partial_samples[history_coarse_levels] = {};  // samples merged (0: none yet)
    sample_bucket<Sample> partial[history_coarse_levels];
    level levels[history_coarse_levels];

    void push(std::uint64_t epoch, const Sample& s) noexcept {
        if (first_epoch == 0 || epoch <= last_epoch) {
            clear();
            first_epoch = epoch;
        }
        for (std::size_t l = 0; l < history_coarse_levels; ++l) {
            const unsigned shift = history_bucket_shift(l);
            sample_bucket<Sample>& merged = partial[l];
            // A bucket left unfinished by a gap in the epochs is stored as it is.
            if (partial_samples[l] != 0 && (epoch >> shift) != (last_epoch >> shift)) {
                levels[l].store(last_epoch >> shift, merged);
                partial_samples[l] = 0;
            }
            if (partial_samples[l] == 0) {
                merged = sample_bucket<Sample>{s, s, s};
            } else {
                merged.min = fieldwise_min(merged.min, s);
                merged.max = fieldwise_max(merged.max, s);
                merged.last = s;
            }
            ++partial_samples[l];
            if (((epoch + 1) & (history_bucket_epochs(l) - 1)) == 0) {
                levels[l].store(epoch >> shift, merged);
                partial_samples[l] = 0;
            }
        }
        last_epoch = epoch;
    }
    void clear() noexcept {
        first_epoch = last_epoch = 0;
        for (std::size_t l = 0; l < history_coarse_levels; ++l) {
            partial_samples[l] = 0;
            levels[l].count = levels[l].head = 0;
        }
    }
    // First and last epoch of the i-th stored bucket of a level.
    std::uint64_t bucket_first_epoch(std::size_t l, std::size_t i) const noexcept {
        return std::max((levels[l].first_bucket + i) << history_bucket_shift(l), first_epoch);
    }
    std::uint64_t bucket_last_epoch(std::size_t l, std::size_t i) const noexcept {
        return std::min(((levels[l].first_bucket + i + 1) << history_bucket_shift(l)) - 1, last_epoch);
    }
};

inline history_range range_of(std::uint64_t min, std::uint64_t max, std::uint64_t last) noexcept {
    return history_range{static_cast<std::size_t>(min), static_cast<std::size_t>(max), static_cast<std::size_t>(last)};
}
inline void fill_bucket(const sample_bucket<site_sample>& b, history_bucket& out) noexcept {
    out.instances = range_of(b.min.instances, b.max.instances, b.last.instances);
    out.elements = range_of(b.min.elements, b.max.elements, b.last.elements);
    out.bytes = range_of(b.min.bytes, b.max.bytes, b.last.bytes);
}
inline void fill_bucket(const sample_bucket<sample>& b, history_bucket& out) noexcept {
    out.instances = history_range{1, 1, 1};
    out.elements = range_of(b.min.elements, b.max.elements, b.last.elements);
    out.bytes = range_of(b.min.bytes, b.max.bytes, b.last.bytes);
}

// The coarse levels of `history` as plain values: only the buckets that lie wholly at or after
// `since_epoch` and for which keep(bucket) holds (levels without any stay, empty).
template <class Sample, class Keep>
std::vector<history_level> copy_levels(const coarse_history<Sample>& history, std::uint64_t since_epoch,
                                       const Keep& keep) {
    std::vector<history_level> out(history_coarse_levels);
    for (std::size_t l = 0; l < history_coarse_levels; ++l) {
        out[l].epochs_per_bucket = history_bucket_epochs(l);
        const auto& lv = history.levels[l];
        out[l].buckets.reserve(lv.count);
        for (std::size_t i = 0; i < lv.count; ++i) {
            history_bucket b;
            b.first_epoch = history.bucket_first_epoch(l, i);
            b.last_epoch = history.bucket_last_epoch(l, i);
            if (b.first_epoch < since_epoch) continue;
            fill_bucket(lv.at(i), b);
            if (keep(b)) out[l].buckets.push_back(b);
        }
    }
    return out;
}

// The registry's state for one identity.
struct site_entry {
    sample_ring<site_sample> ring{};      // the most recent epochs, one sample each
    coarse_history<site_sample> coarse{};  // older epochs, merged
    std::uint64_t created_total = 0;  // containers counted here (since reset)
    // Filled during a snapshot:
    std::size_t live = 0;
    std::uint64_t elements = 0, bytes = 0;
    std::uint64_t last_read_epoch = 0, last_write_epoch = 0;
    std::uint32_t sole = 0;     // index of a live record (the only one when live == 1)
    std::uint32_t largest = 0;  // index of the live record with the most bytes
    std::uint64_t largest_bytes = 0;
};

// A copy of one record's identity, statistics and history, taken under the lock.
struct record_view {
    source_site site{};
    std::string label{};
    std::string type_name{};
    record_kind kind = record_kind::container;
    container_stats stats{};
    std::uint64_t created_epoch = 0;
    std::uint64_t promoted_epoch = 0;  // nonzero: a promoted container's own history
    std::vector<history_point> history{};
    std::vector<history_level> levels{};  // older epochs at coarser resolutions
#if LEAKWATCH_DETAIL_STACKS
    std::vector<std::uintptr_t> stack;  // creation stack, innermost first
#endif
};

// A copy of one site: its aggregate history and, when one container lives there, that one.
struct site_view {
    const char* file = "";
    const char* function = "";
    unsigned line = 0;
    record_kind kind = record_kind::container;
    std::string label{};
    std::string type_name{};
    std::size_t live = 0;
    std::uint64_t created_total = 0;
    std::uint64_t elements = 0, bytes = 0;
    std::uint64_t last_read_epoch = 0, last_write_epoch = 0;
    std::vector<history_point> history{};
    std::vector<history_level> levels{};  // older epochs at coarser resolutions
    bool has_sole = false;
    record_view sole{};                    // valid when has_sole
    std::vector<record_view> promoted{};   // promoted containers among several (has_sole false)
#if LEAKWATCH_DETAIL_STACKS
    std::vector<std::uintptr_t> stack;  // creation stack of the first container seen at the site
#endif
};

// Process-wide numbers recorded with each snapshot: resident memory, what the tracked
// containers (and the registry itself) explain, and resident memory by category (indexed by
// memory_category; all zero where the platform cannot say).
struct process_sample {
    std::uint64_t resident_bytes;
    std::uint64_t tracked_bytes;
    std::uint64_t category_bytes[memory_category_count];
    bool has_breakdown;  // false: the breakdown was not read at this snapshot (categories 0)
};

struct registry_collection {
    std::uint64_t epoch = 0;  // epoch of the latest snapshot
    process_memory process{};   // read during that snapshot
    std::vector<std::pair<std::uint64_t, process_sample>> process_history{};  // (epoch, sample), oldest first
    std::vector<site_view> sites{};
    std::size_t live_records = 0;
    std::size_t unsited_records = 0;  // live records whose identity did not fit in the table
    std::uint64_t total_bytes = 0;    // bytes held by every live record and detached record
    std::uint64_t total_elements = 0;
    registry_usage usage{};             // what the registry itself held at that snapshot
};

class registry_impl {
public:
    static registry_impl& instance() {
        // Leaked on purpose, like the pool.
        static registry_impl* const self = new registry_impl();
        return *self;
    }

    // Returns the epoch it recorded.
    std::uint64_t snapshot() {
        const process_memory process = read_process_memory(false);  // outside the lock
        std::lock_guard<std::mutex> lock(mutex_);
        snapshot_locked(process);
        return last_snapshot_epoch_;
    }

    void reset() {
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto& site : sites_) {
            site.ring.clear();
            site.coarse.clear();
            site.created_total = 0;
        }
        for (auto& entry : promoted_) {
            entry.second.ring.clear();
            entry.second.coarse.clear();
        }
        process_history_.clear();
    }

    std::size_t live() const {
        std::lock_guard<std::mutex> lock(mutex_);
        std::size_t count = 0;
        for_each_record([&](const record& rec, std::uint32_t) {
            if (rec.state.load(std::memory_order_acquire) == static_cast<std::uint8_t>(record_state::live)) ++count;
        });
        return count + record_pool::instance().untracked_live();
    }

    registry_usage usage() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return usage_locked();
    }

    // check_growth() scopes running now: a check does not judge the containers another
    // running check's thread wrote.
    std::uint32_t begin_check() {
        std::lock_guard<std::mutex> lock(mutex_);
        const std::uint32_t id = ++last_check_;
        active_checks_.push_back(id);
        return id;
    }
    void end_check(std::uint32_t id) noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        active_checks_.erase(std::remove(active_checks_.begin(), active_checks_.end(), id), active_checks_.end());
    }

    // Takes a snapshot and copies out every site (and the sole container of single-container
    // sites) with the history from `since_epoch` on. With a check scope, only the sites
    // where a container lives that changed during the check (written or created since
    // `since_epoch`) and was not written by another running check's thread, or that this
    // check's thread wrote. With `only_epochs` (sorted), only the samples of those epochs and
    // of the snapshot taken here: a check judges its own snapshots, not those that checks in
    // other threads took meanwhile.
    registry_collection snapshot_and_collect(std::uint64_t since_epoch, std::uint32_t scope = 0,
                                             const std::vector<std::uint64_t>* only_epochs = nullptr) {
        const process_memory process = read_process_memory(true);  // outside the lock
        std::lock_guard<std::mutex> lock(mutex_);
        snapshot_locked(process);
        const std::uint64_t own_epoch = last_snapshot_epoch_;
        const auto wanted = [&](std::uint64_t epoch) {
            if (epoch < since_epoch) return false;
            if (only_epochs == nullptr || epoch == own_epoch) return true;
            return std::binary_search(only_epochs->begin(), only_epochs->end(), epoch);
        };
        record_pool& pool = record_pool::instance();
        std::vector<bool> in_scope;
        if (scope != 0) {
            in_scope.assign(sites_.size(), false);
            const std::uint64_t now = g_epoch.load(std::memory_order_relaxed);
            for_each_record([&](const record& rec, std::uint32_t) {
                if (rec.state.load(std::memory_order_acquire) != static_cast<std::uint8_t>(record_state::live)) return;
                const std::uint32_t id = rec.identity.load(std::memory_order_relaxed);
                if (id >= sites_.size()) return;
                const std::uint32_t tag = rec.scope.load(std::memory_order_relaxed);
                bool judged = tag == scope;
                if (!judged && (tag == 0 || !is_active_check(tag))) {
                    judged = widen_epoch(now, rec.last_write_epoch.load(std::memory_order_relaxed)) >= since_epoch ||
                             widen_epoch(now, rec.created_epoch.load(std::memory_order_relaxed)) >= since_epoch;
                }
                if (judged) in_scope[id] = true;
            });
        }
        registry_collection out;
        out.epoch = last_snapshot_epoch_;
        out.live_records = live_records_;
        out.unsited_records = unsited_live_;
        out.total_bytes = total_bytes_;
        out.total_elements = total_elements_;
        out.process = last_process_;
        out.usage = usage_locked();
        for (std::size_t i = 0; i < process_history_.count; ++i) {
            const std::uint64_t epoch = process_history_.first_epoch + i;
            if (wanted(epoch)) out.process_history.emplace_back(epoch, process_history_.at(i));
        }
        out.sites.reserve(sites_.size());
        for (std::size_t index = 1; index < sites_.size(); ++index) {
            const site_entry& entry = sites_[index];
            if (entry.live == 0 || (scope != 0 && !in_scope[index])) continue;
            const identity_entry& who = pool.identity(static_cast<std::uint32_t>(index));
            site_view view;
            view.file = who.file;
            view.function = who.function;
            view.line = who.line;
            view.kind = who.kind;
            view.label = who.label;
            view.type_name = who.type_name;
            view.live = entry.live;
            view.created_total = entry.created_total;
            view.elements = entry.elements;
            view.bytes = entry.bytes;
            view.last_read_epoch = entry.last_read_epoch;
            view.last_write_epoch = entry.last_write_epoch;
            const auto& ring = entry.ring;
            for (std::size_t i = 0; i < ring.count; ++i) {
                const std::uint64_t epoch = ring.first_epoch + i;
                if (!wanted(epoch)) continue;
                const site_sample& s = ring.at(i);
                view.history.push_back(history_point{epoch, static_cast<std::size_t>(s.instances),
                                                     static_cast<std::size_t>(s.elements),
                                                     static_cast<std::size_t>(s.bytes)});
            }
            // A check judges its own snapshots (only_epochs): a bucket would merge others'.
            const bool coarse = only_epochs == nullptr;
            // A site with one container is reported as that container: its own levels only.
            if (coarse && entry.live != 1)
                view.levels = copy_levels(entry.coarse, since_epoch, [](const history_bucket&) { return true; });
            if (entry.live == 1) {
                view.has_sole = true;
                copy_sole(pool, *record_at(pool, entry.sole), who, view.history, view.sole);
                if (coarse) {
                    const std::uint64_t created = view.sole.created_epoch;
                    view.sole.levels = copy_levels(entry.coarse, since_epoch, [&](const history_bucket& b) {
                        return b.first_epoch >= created && b.instances.min == 1 && b.instances.max == 1;
                    });
                    // Only the buckets of its own uninterrupted stretch alone at the site.
                    for (history_level& level : view.sole.levels) {
                        std::size_t first = level.buckets.size();
                        while (first > 0 && (first == level.buckets.size() ||
                                             level.buckets[first - 1].last_epoch + 1 == level.buckets[first].first_epoch))
                            --first;
                        level.buckets.erase(level.buckets.begin(), level.buckets.begin() + static_cast<std::ptrdiff_t>(first));
                    }
                }
            } else {
                for (const auto& promoted : promoted_) {
                    if (promoted.second.identity != index) continue;
                    record_view pv;
                    copy_promoted(pool, promoted.first, promoted.second, who, wanted, pv);
                    if (coarse)
                        pv.levels = copy_levels(promoted.second.coarse, since_epoch,
                                                [](const history_bucket&) { return true; });
                    view.promoted.push_back(std::move(pv));
                }
            }
#if LEAKWATCH_DETAIL_STACKS
            view.stack = who.stack;
#endif
            out.sites.push_back(std::move(view));
        }
        return out;
    }

    registry_impl(const registry_impl&) = delete;
    registry_impl& operator=(const registry_impl&) = delete;

private:
    struct promoted_entry {
        std::uint32_t identity = 0;
        std::uint32_t created_epoch = 0;  // the record's, to tell a reused record apart
        std::uint64_t promoted_epoch = 0;
        sample_ring<sample> ring{};
        coarse_history<sample> coarse{};
    };

    registry_impl() {
        // The pool's fork handlers must be registered before ours: prepare handlers run in
        // reverse order, so ours (taken first) then the pool's nest as a snapshot nests them.
        record_pool::instance();
#if LEAKWATCH_POSIX
        // A child forked while another thread held the lock (a periodic reporter's snapshot)
        // would deadlock on its first snapshot: hold it across fork() and release it on both sides.
        pthread_atfork([] { instance().mutex_.lock(); }, [] { instance().mutex_.unlock(); },
                       [] { instance().mutex_.unlock(); });
#endif
    }

    // Process memory for a snapshot, read outside the lock. The breakdown walks
    // /proc/self/smaps, which costs from a fraction of a millisecond to tens of milliseconds
    // (many mappings, much resident memory): a plain snapshot reads it only when at least ten
    // times what the last reading took has passed since then, so that it costs at most about
    // a tenth of the time (a reading of 3 ms allows one each 30 ms). A report (`always`) reads
    // it every time. The analysis judges the categories on the snapshots that have them.
    process_memory read_process_memory(bool always) {
        const auto now = [] {
            return static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                                  std::chrono::steady_clock::now().time_since_epoch())
                                                  .count());
        };
        const std::int64_t start = now();
        const std::int64_t last = breakdown_read_at_.load(std::memory_order_relaxed);
        if (!always && last != 0 && start - last < 10 * breakdown_cost_.load(std::memory_order_relaxed))
            return process_memory::read();
        process_memory out = process_memory::read_breakdown();
        const std::int64_t end = now();
        breakdown_read_at_.store(end, std::memory_order_relaxed);
        breakdown_cost_.store(end - start, std::memory_order_relaxed);
        return out;
    }

    static record* record_at(record_pool& pool, std::uint32_t index) noexcept {
        return pool.chunk(index / records_per_chunk) + index % records_per_chunk;
    }

    // Calls f(record, index) for every record of the chunks published now; returns how many
    // chunks it walked.
    template <class F>
    std::size_t for_each_record(F&& f) const {
        record_pool& pool = record_pool::instance();
        const std::size_t chunks = pool.chunk_count();
        for (std::size_t c = 0; c < chunks; ++c) {
            record* base = pool.chunk(c);
            for (std::size_t i = 1; i < records_per_chunk; ++i)
                f(base[i], static_cast<std::uint32_t>(c * records_per_chunk + i));
        }
        return chunks;
    }

    bool is_active_check(std::uint32_t id) const noexcept {
        return std::find(active_checks_.begin(), active_checks_.end(), id) != active_checks_.end();
    }

    // The registry's own memory: the pool, the identities, the rings.
    std::size_t bytes_reserved_locked() const {
        return sizeof(registry_impl) + record_pool::instance().bytes_reserved() +
               sites_.capacity() * sizeof(site_entry) +
               promoted_.size() * (sizeof(promoted_entry) + 4 * sizeof(void*)) +
               promoted_.bucket_count() * sizeof(void*) + active_checks_.capacity() * sizeof(std::uint32_t);
    }

    // usage(), with the lock held.
    registry_usage usage_locked() const {
        record_pool& pool = record_pool::instance();
        registry_usage u;
        const std::size_t chunks = for_each_record([&](const record& rec, std::uint32_t) {
            switch (static_cast<record_state>(rec.state.load(std::memory_order_acquire))) {
                case record_state::live: ++u.live_records; break;
                case record_state::detached: ++u.detached_records; break;
                case record_state::free: ++u.free_records; break;
            }
        });
        u.pooled_records = chunks * (records_per_chunk - 1);
        u.sites = pool.identity_count() - 1;
        u.site_capacity = LEAKWATCH_MAX_SITES;
        u.dropped_sites = pool.dropped_identities();
        u.untracked_containers = pool.untracked_live();
        u.promoted_records = promoted_.size();
        u.bytes_reserved = bytes_reserved_locked();
        u.bytes_per_site = sizeof(site_entry);
        u.bytes_per_promoted = sizeof(promoted_entry);
        u.epoch = g_epoch.load(std::memory_order_relaxed);
        u.snapshots = snapshots_;
        return u;
    }

    void snapshot_locked(const process_memory& process) {
        record_pool& pool = record_pool::instance();
        const std::uint64_t epoch = g_epoch.load(std::memory_order_relaxed);
        const std::size_t identities = pool.identity_count();
        if (sites_.size() < identities) sites_.resize(identities);
        for (auto& site : sites_) {
            site.live = 0;
            site.elements = site.bytes = 0;
            site.last_read_epoch = site.last_write_epoch = 0;
            site.largest_bytes = 0;
        }
        unsited_live_ = 0;
        live_records_ = 0;
        total_bytes_ = 0;
        total_elements_ = 0;
        for_each_record([&](record& rec, std::uint32_t index) {
            const auto state = static_cast<record_state>(rec.state.load(std::memory_order_acquire));
            if (state == record_state::detached) {
                const std::size_t bytes = rec.live_bytes();
                if (bytes == 0 && rec.live_allocations() == 0 && rec.nodes_out.load(std::memory_order_acquire) == 0)
                    pool.recycle(&rec);
                else
                    total_bytes_ += bytes;
                return;
            }
            if (state != record_state::live) return;
            ++live_records_;
            const std::size_t elements = static_cast<std::size_t>(rec.elements.load(std::memory_order_relaxed));
            const std::size_t bytes = rec.live_bytes();
            total_bytes_ += bytes;
            total_elements_ += elements;
            const std::uint32_t id = rec.identity.load(std::memory_order_relaxed);
            if (id == unsited_identity || id >= sites_.size()) {
                ++unsited_live_;
                return;
            }
            site_entry& site = sites_[id];
            if ((rec.flags.load(std::memory_order_relaxed) & flag_seen) == 0) {
                rec.flags.fetch_or(flag_seen, std::memory_order_relaxed);
                ++site.created_total;
            }
            ++site.live;
            site.elements += elements;
            site.bytes += bytes;
            site.last_read_epoch = std::max(site.last_read_epoch,
                                            widen_epoch(epoch, rec.last_read_epoch.load(std::memory_order_relaxed)));
            site.last_write_epoch = std::max(site.last_write_epoch,
                                             widen_epoch(epoch, rec.last_write_epoch.load(std::memory_order_relaxed)));
            site.sole = index;
            if (bytes >= site.largest_bytes) {
                site.largest_bytes = bytes;
                site.largest = index;
            }
        });
        for (std::size_t id = 1; id < sites_.size(); ++id) {
            site_entry& site = sites_[id];
            if (site.live == 0 && site.ring.count == 0) continue;
            const site_sample now{site.live, site.elements, site.bytes};
            site.ring.push(epoch, now);
            site.coarse.push(epoch, now);
        }
        // Promoted containers: drop the ones gone, sample the others, promote new ones.
        for (auto it = promoted_.begin(); it != promoted_.end();) {
            record* rec = record_at(pool, it->first);
            const bool same = rec->state.load(std::memory_order_acquire) ==
                                  static_cast<std::uint8_t>(record_state::live) &&
                              (rec->flags.load(std::memory_order_relaxed) & flag_promoted) != 0 &&
                              rec->identity.load(std::memory_order_relaxed) == it->second.identity &&
                              rec->created_epoch.load(std::memory_order_relaxed) == it->second.created_epoch;
            if (!same) {
                it = promoted_.erase(it);
                continue;
            }
            const sample now{rec->elements.load(std::memory_order_relaxed), rec->live_bytes()};
            it->second.ring.push(epoch, now);
            it->second.coarse.push(epoch, now);
            ++it;
        }
        for (std::size_t id = 1; id < sites_.size(); ++id) {
            const site_entry& site = sites_[id];
            if (site.live < 2 || site.largest_bytes < static_cast<std::uint64_t>(LEAKWATCH_PROMOTE_BYTES)) continue;
            if (promoted_.size() >= LEAKWATCH_MAX_PROMOTED || promoted_.count(site.largest) != 0) continue;
            record* rec = record_at(pool, site.largest);
            promoted_entry entry;
            entry.identity = static_cast<std::uint32_t>(id);
            entry.created_epoch = rec->created_epoch.load(std::memory_order_relaxed);
            entry.promoted_epoch = epoch;
            const sample first{rec->elements.load(std::memory_order_relaxed), rec->live_bytes()};
            entry.ring.push(epoch, first);
            entry.coarse.push(epoch, first);
            rec->flags.fetch_or(flag_promoted, std::memory_order_relaxed);
            promoted_.emplace(site.largest, entry);
        }
        last_process_ = process;
        last_process_.breakdown.attribute_tracked(static_cast<std::size_t>(total_bytes_));
        // The registry's own memory counts as explained: it is not the program's growth.
        process_sample sample_now{last_process_.resident_bytes, total_bytes_ + bytes_reserved_locked(), {},
                                  last_process_.breakdown.available};
        for (std::size_t c = 0; c < memory_category_count; ++c)
            sample_now.category_bytes[c] = last_process_.breakdown.bytes(static_cast<memory_category>(c));
        process_history_.push(epoch, sample_now);
        last_snapshot_epoch_ = epoch;
        ++snapshots_;
        g_epoch.store(epoch + 1, std::memory_order_relaxed);
    }

    static void copy_identity(const identity_entry& who, record_view& out) {
        out.site = source_site{who.file, who.line, who.function};
        out.label = who.label;
        out.type_name = who.type_name;
        out.kind = who.kind;
#if LEAKWATCH_DETAIL_STACKS
        out.stack = who.stack;
#endif
    }

    // The only container of a site: its history is the site's, from its creation on, as
    // long as it was alone there.
    static void copy_sole(record_pool&, const record& rec, const identity_entry& who,
                          const std::vector<history_point>& site_history, record_view& out) {
        copy_identity(who, out);
        out.stats = read_stats(&rec);
        const std::uint64_t now = g_epoch.load(std::memory_order_relaxed);
        out.created_epoch = widen_epoch(now, rec.created_epoch.load(std::memory_order_relaxed));
        std::size_t first = site_history.size();
        while (first > 0 && site_history[first - 1].instances == 1 && site_history[first - 1].epoch >= out.created_epoch)
            --first;
        out.history.assign(site_history.begin() + static_cast<std::ptrdiff_t>(first), site_history.end());
    }

    template <class Wanted>
    static void copy_promoted(record_pool& pool, std::uint32_t index, const promoted_entry& entry,
                              const identity_entry& who, const Wanted& wanted, record_view& out) {
        const record& rec = *record_at(pool, index);
        copy_identity(who, out);
        out.stats = read_stats(&rec);
        const std::uint64_t now = g_epoch.load(std::memory_order_relaxed);
        out.created_epoch = widen_epoch(now, entry.created_epoch);
        out.promoted_epoch = entry.promoted_epoch;
        for (std::size_t i = 0; i < entry.ring.count; ++i) {
            const std::uint64_t epoch = entry.ring.first_epoch + i;
            if (!wanted(epoch)) continue;
            const sample& s = entry.ring.at(i);
            out.history.push_back(
                history_point{epoch, 1, static_cast<std::size_t>(s.elements), static_cast<std::size_t>(s.bytes)});
        }
    }

    mutable std::mutex mutex_{};
    std::vector<site_entry> sites_{};  // indexed by identity
    std::unordered_map<std::uint32_t, promoted_entry> promoted_{};  // by record index
    std::vector<std::uint32_t> active_checks_{};
    std::uint32_t last_check_ = 0;
    std::size_t live_records_ = 0;
    std::size_t unsited_live_ = 0;
    std::uint64_t total_bytes_ = 0;
    std::uint64_t total_elements_ = 0;
    std::uint64_t last_snapshot_epoch_ = 0;
    std::uint64_t snapshots_ = 0;
    process_memory last_process_{};
    sample_ring<process_sample> process_history_{};
    // When the last breakdown of process memory was read, and what it took (steady clock, ns).
    std::atomic<std::int64_t> breakdown_read_at_{0};
    std::atomic<std::int64_t> breakdown_cost_{0};
};

#if !defined(LEAKWATCH_DISABLE)
// The registry is created during static initialisation of every program that includes this,
// not at its first use: a fork() while another thread is constructing a function-local static
// leaves the child waiting for that construction forever.
inline const bool registry_created_at_startup = (registry_impl::instance(), true);
#endif

}  // namespace detail
}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
