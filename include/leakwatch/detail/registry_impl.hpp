// leakwatch/detail/registry_impl.hpp — the process-wide table of statistics records.
//
// Records live in fixed chunks that are never freed: a dead container's record goes to a
// free list and is reused (a graveyard, as in Abseil's hashtablez sampler), so the registry
// holds at most as many records as were ever alive at once, plus the records that still own
// memory (an extracted node handle that outlived its container) until that memory is gone.
// Each record and each creation site keeps a fixed ring of samples, and the site table has
// a fixed capacity with a counter of what it had to drop. The registry object itself is
// created on first use and never destroyed, so globals in any translation unit may register
// before main and unregister after it.
#pragma once

#include <leakwatch/config.hpp>
#include <leakwatch/detail/stacks.hpp>
#include <leakwatch/export/process_memory.hpp>
#include <leakwatch/source_site.hpp>
#include <leakwatch/stats.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#if LEAKWATCH_POSIX
#include <pthread.h>
#endif

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

// One sample of a container's or a site's history.
struct history_point {
    std::uint64_t epoch = 0;
    std::size_t instances = 0;  // live containers (1 for a single container)
    std::size_t elements = 0;
    std::size_t bytes = 0;
};

// What the registry itself holds, so that tests and dashboards can see it stays bounded.
struct registry_usage {
    std::size_t live_records = 0;      // tracked containers and channels alive now
    std::size_t detached_records = 0;  // dead containers whose memory is still alive (node handles)
    std::size_t free_records = 0;      // recycled records waiting for reuse
    std::size_t pooled_records = 0;    // records ever allocated (live + detached + free)
    std::size_t sites = 0;             // creation sites in the site table
    std::size_t site_capacity = 0;
    std::uint64_t dropped_sites = 0;   // registrations whose site did not fit in the table
    std::size_t bytes_reserved = 0;    // memory held by the registry's own tables
    std::uint64_t epoch = 0;           // current epoch (snapshots taken so far, plus one)
    std::uint64_t snapshots = 0;
};

namespace detail {

constexpr std::uint32_t no_site = UINT32_MAX;
constexpr std::uint32_t dropped_site = UINT32_MAX - 1;
constexpr std::size_t records_per_chunk = 256;

static_assert(LEAKWATCH_HISTORY_CAPACITY >= 8, "LEAKWATCH_HISTORY_CAPACITY must be at least 8");
static_assert(LEAKWATCH_MAX_SITES >= 1, "LEAKWATCH_MAX_SITES must be at least 1");

struct site_sample {
    std::uint64_t instances;
    std::uint64_t elements;
    std::uint64_t bytes;
};

struct site_entry {
    // The first registered record's strings: __builtin_FILE/FUNCTION give static storage.
    const char* file = "";
    const char* function = "";
    unsigned line = 0;
    record_kind kind = record_kind::container;
    std::string label;             // the label of the first container seen at the site
    const char* type_name = "";    // likewise
    sample_ring<site_sample> ring;
    std::uint64_t created_total = 0;  // containers ever registered here (since reset)
    // Filled during a snapshot:
    std::size_t live = 0;
    std::uint64_t elements = 0, bytes = 0;
    std::uint64_t last_read_epoch = 0, last_write_epoch = 0;
    const record* sole = nullptr;  // the live record when live == 1
#if LEAKWATCH_DETAIL_STACKS
    std::vector<std::uintptr_t> stack;  // creation stack of the first container seen at the site
#endif
};

// A copy of one record's identity, statistics and history, taken under the lock.
struct record_view {
    source_site site;
    std::string label;
    std::string type_name;
    record_kind kind = record_kind::container;
    container_stats stats;
    std::uint64_t created_epoch = 0;
    std::vector<history_point> history;
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
    std::string label;
    std::string type_name;
    std::size_t live = 0;
    std::uint64_t created_total = 0;
    std::uint64_t elements = 0, bytes = 0;
    std::uint64_t last_read_epoch = 0, last_write_epoch = 0;
    std::vector<history_point> history;
    bool has_sole = false;
    record_view sole;  // valid when has_sole
#if LEAKWATCH_DETAIL_STACKS
    std::vector<std::uintptr_t> stack;  // creation stack of the first container seen at the site
#endif
};

// Process-wide numbers recorded with each snapshot.
struct process_sample {
    std::uint64_t resident_bytes;
    std::uint64_t tracked_bytes;
};

struct registry_collection {
    std::uint64_t epoch = 0;  // epoch of the latest snapshot
    process_memory process;   // read during that snapshot
    std::vector<std::pair<std::uint64_t, process_sample>> process_history;  // (epoch, sample), oldest first
    std::vector<site_view> sites;
    std::size_t live_records = 0;
    std::size_t unsited_records = 0;  // live records whose site did not fit in the table
    std::uint64_t total_bytes = 0;    // bytes held by every live record and detached record
    std::uint64_t total_elements = 0;
    registry_usage usage;             // what the registry itself held at that snapshot
};

class registry_impl {
public:
    static registry_impl& instance() {
        // Leaked on purpose: never destroyed, so containers may unregister during static
        // destruction in any order.
        static registry_impl* const self = new registry_impl();
        return *self;
    }

    record* acquire(record_kind kind, const source_site& site, std::string_view label,
                    const char* type_name, bool shared_writers) {
#if LEAKWATCH_DETAIL_STACKS
        stack_trace stack;
        capture_stack(stack);  // outside the lock: backtrace() loads its unwinder on first use
#endif
        std::lock_guard<std::mutex> lock(mutex_);
        record* rec = free_list_;
        if (rec != nullptr) {
            free_list_ = rec->next_free;
            --free_count_;
        } else {
            rec = allocate_chunk();
        }
        rec->next_free = nullptr;
        rec->site = site;
        rec->label.assign(label.data(), label.size());
        rec->type_name = type_name != nullptr ? type_name : "";
        rec->kind = kind;
        rec->shared_writers = shared_writers;
        rec->state = record_state::live;
        rec->site_index = no_site;
        rec->created_epoch = g_epoch.load(std::memory_order_relaxed);
        rec->scope.store(t_check_scope, std::memory_order_relaxed);
        rec->history.clear();
#if LEAKWATCH_DETAIL_STACKS
        rec->creation_stack = stack;
#endif
        ++live_count_;
        return rec;
    }

    // The container or channel is gone. Its record is recycled at once unless memory it
    // allocated is still alive elsewhere (a node handle): then it waits, detached, until a
    // snapshot sees that memory freed or transferred.
    void release(record* rec) noexcept {
        if (rec == nullptr) return;
        std::lock_guard<std::mutex> lock(mutex_);
        --live_count_;
        if (rec->live_bytes() != 0 || rec->live_allocations() != 0) {
            rec->state = record_state::detached;
            ++detached_count_;
            return;
        }
        recycle(rec);
    }

    // Returns the epoch it recorded.
    std::uint64_t snapshot() {
        std::lock_guard<std::mutex> lock(mutex_);
        snapshot_locked();
        return last_snapshot_epoch_;
    }

    void reset() {
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto& chunk : chunks_) {
            for (std::size_t i = 0; i < records_per_chunk; ++i) {
                record& rec = chunk[i];
                rec.history.clear();
                rec.site_index = no_site;
            }
        }
        sites_.clear();
        site_lookup_.clear();
        dropped_sites_ = 0;
        process_history_.clear();
    }

    std::size_t live() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return live_count_;
    }

    registry_usage usage() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return usage_locked();
    }

    // Takes a snapshot and copies out every site (and the sole container of single-container
    // sites) with the history from `since_epoch` on. With a check scope, only the sites where
    // a container of that scope lives. With `only_epochs` (sorted), only the samples of those
    // epochs and of the snapshot taken here: a check judges its own snapshots, not those that
    // checks in other threads took meanwhile.
    registry_collection snapshot_and_collect(std::uint64_t since_epoch, std::uint64_t scope = 0,
                                             const std::vector<std::uint64_t>* only_epochs = nullptr) {
        std::lock_guard<std::mutex> lock(mutex_);
        snapshot_locked();
        const std::uint64_t own_epoch = last_snapshot_epoch_;
        const auto wanted = [&](std::uint64_t epoch) {
            if (epoch < since_epoch) return false;
            if (only_epochs == nullptr || epoch == own_epoch) return true;
            return std::binary_search(only_epochs->begin(), only_epochs->end(), epoch);
        };
        std::vector<bool> in_scope;
        if (scope != 0) {
            in_scope.assign(sites_.size(), false);
            for (auto& chunk : chunks_) {
                for (std::size_t i = 0; i < records_per_chunk; ++i) {
                    const record& rec = chunk[i];
                    if (rec.state == record_state::live && rec.site_index < sites_.size() &&
                        rec.scope.load(std::memory_order_relaxed) == scope)
                        in_scope[rec.site_index] = true;
                }
            }
        }
        registry_collection out;
        out.epoch = last_snapshot_epoch_;
        out.live_records = live_count_;
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
        for (std::size_t index = 0; index < sites_.size(); ++index) {
            const auto& entry = sites_[index];
            if (entry->live == 0 || (scope != 0 && !in_scope[index])) continue;
            site_view view;
            view.file = entry->file;
            view.function = entry->function;
            view.line = entry->line;
            view.kind = entry->kind;
            view.label = entry->label;
            view.type_name = entry->type_name;
            view.live = entry->live;
            view.created_total = entry->created_total;
            view.elements = entry->elements;
            view.bytes = entry->bytes;
            view.last_read_epoch = entry->last_read_epoch;
            view.last_write_epoch = entry->last_write_epoch;
            const auto& ring = entry->ring;
            for (std::size_t i = 0; i < ring.count; ++i) {
                const std::uint64_t epoch = ring.first_epoch + i;
                if (!wanted(epoch)) continue;
                const site_sample& s = ring.at(i);
                view.history.push_back(history_point{epoch, static_cast<std::size_t>(s.instances),
                                                     static_cast<std::size_t>(s.elements),
                                                     static_cast<std::size_t>(s.bytes)});
            }
            if (entry->live == 1 && entry->sole != nullptr) {
                view.has_sole = true;
                copy_record(*entry->sole, wanted, view.sole);
                // The site label is the first one seen there; the sole container's is exact.
                view.label = view.sole.label;
            }
#if LEAKWATCH_DETAIL_STACKS
            view.stack = entry->stack;
#endif
            out.sites.push_back(std::move(view));
        }
        return out;
    }

    registry_impl(const registry_impl&) = delete;
    registry_impl& operator=(const registry_impl&) = delete;

private:
    // usage(), with the lock held.
    registry_usage usage_locked() const {
        registry_usage u;
        u.live_records = live_count_;
        u.detached_records = detached_count_;
        u.free_records = free_count_;
        u.pooled_records = chunks_.size() * records_per_chunk;
        u.sites = sites_.size();
        u.site_capacity = LEAKWATCH_MAX_SITES;
        u.dropped_sites = dropped_sites_;
        u.bytes_reserved = sizeof(registry_impl) + chunks_.capacity() * sizeof(chunks_[0]) +
                           chunks_.size() * records_per_chunk * sizeof(record) +
                           sites_.capacity() * sizeof(sites_[0]) + sites_.size() * sizeof(site_entry) +
                           site_lookup_.bucket_count() * sizeof(void*) +
                           site_lookup_.size() * (sizeof(site_key) + sizeof(std::uint32_t) + 2 * sizeof(void*));
        for (const auto& site : sites_) {
            u.bytes_reserved += site->label.capacity();
#if LEAKWATCH_DETAIL_STACKS
            u.bytes_reserved += site->stack.capacity() * sizeof(std::uintptr_t);
#endif
        }
        u.epoch = g_epoch.load(std::memory_order_relaxed);
        u.snapshots = snapshots_;
        return u;
    }

    struct site_key {
        std::string file;
        unsigned line;
        record_kind kind;
        bool operator==(const site_key& o) const noexcept {
            return line == o.line && kind == o.kind && file == o.file;
        }
    };
    struct site_key_hash {
        std::size_t operator()(const site_key& k) const noexcept {
            return std::hash<std::string>{}(k.file) ^ (static_cast<std::size_t>(k.line) * 0x9E3779B97F4A7C15ull) ^
                   static_cast<std::size_t>(k.kind);
        }
    };

    registry_impl() {
#if LEAKWATCH_POSIX
        // A child forked while another thread held the lock would deadlock on its first
        // registration: hold the lock across fork() and release it on both sides.
        pthread_atfork([] { instance().mutex_.lock(); }, [] { instance().mutex_.unlock(); },
                       [] { instance().mutex_.unlock(); });
#endif
    }

    record* allocate_chunk() {
        chunks_.push_back(std::unique_ptr<record[]>(new record[records_per_chunk]));
        record* chunk = chunks_.back().get();
        // Slot 0 goes to the caller; the rest join the free list.
        for (std::size_t i = records_per_chunk - 1; i >= 1; --i) {
            chunk[i].next_free = free_list_;
            free_list_ = &chunk[i];
            ++free_count_;
        }
        return &chunk[0];
    }

    void recycle(record* rec) noexcept {
        rec->state = record_state::free;
        rec->generation.fetch_add(1, std::memory_order_relaxed);
        rec->elements.store(0, std::memory_order_relaxed);
        rec->bytes_allocated.store(0, std::memory_order_relaxed);
        rec->allocations_made.store(0, std::memory_order_relaxed);
        rec->bytes_freed.store(0, std::memory_order_relaxed);
        rec->allocations_freed.store(0, std::memory_order_relaxed);
        rec->erases.store(0, std::memory_order_relaxed);
        rec->lookups.store(0, std::memory_order_relaxed);
        rec->last_read_epoch.store(0, std::memory_order_relaxed);
        rec->last_write_epoch.store(0, std::memory_order_relaxed);
        rec->references.store(0, std::memory_order_relaxed);
        rec->node_size.store(0, std::memory_order_relaxed);
        rec->scope.store(0, std::memory_order_relaxed);
        rec->node_bytes_out.store(0, std::memory_order_relaxed);
        rec->nodes_out.store(0, std::memory_order_relaxed);
        rec->label.clear();
        rec->history.clear();
        rec->next_free = free_list_;
        free_list_ = rec;
        ++free_count_;
    }

    std::uint32_t site_of(record& rec) {
        if (rec.site_index != no_site) return rec.site_index;
        site_key key{rec.site.file != nullptr ? rec.site.file : "", rec.site.line, rec.kind};
        auto found = site_lookup_.find(key);
        if (found != site_lookup_.end()) {
            rec.site_index = found->second;
        } else if (sites_.size() >= LEAKWATCH_MAX_SITES) {
            ++dropped_sites_;
            rec.site_index = dropped_site;
            return dropped_site;
        } else {
            auto entry = std::make_unique<site_entry>();
            entry->file = rec.site.file != nullptr ? rec.site.file : "";
            entry->function = rec.site.function != nullptr ? rec.site.function : "";
            entry->line = rec.site.line;
            entry->kind = rec.kind;
            entry->label = rec.label;
            entry->type_name = rec.type_name;
#if LEAKWATCH_DETAIL_STACKS
            entry->stack.assign(rec.creation_stack.frames, rec.creation_stack.frames + rec.creation_stack.depth);
#endif
            const auto index = static_cast<std::uint32_t>(sites_.size());
            sites_.push_back(std::move(entry));
            site_lookup_.emplace(std::move(key), index);
            rec.site_index = index;
        }
        ++sites_[rec.site_index]->created_total;
        return rec.site_index;
    }

    void snapshot_locked() {
        const std::uint64_t epoch = g_epoch.load(std::memory_order_relaxed);
        for (auto& site : sites_) {
            site->live = 0;
            site->elements = site->bytes = 0;
            site->last_read_epoch = site->last_write_epoch = 0;
            site->sole = nullptr;
        }
        unsited_live_ = 0;
        total_bytes_ = 0;
        total_elements_ = 0;
        for (auto& chunk : chunks_) {
            for (std::size_t i = 0; i < records_per_chunk; ++i) {
                record& rec = chunk[i];
                if (rec.state == record_state::detached) {
                    const std::size_t bytes = rec.live_bytes();
                    if (bytes == 0 && rec.live_allocations() == 0) {
                        --detached_count_;
                        recycle(&rec);
                    } else {
                        total_bytes_ += bytes;
                    }
                    continue;
                }
                if (rec.state != record_state::live) continue;
                const std::size_t elements = rec.elements.load(std::memory_order_relaxed);
                const std::size_t bytes = rec.live_bytes();
                total_bytes_ += bytes;
                total_elements_ += elements;
                rec.history.push(epoch, sample{elements, bytes});
                const std::uint32_t index = site_of(rec);
                if (index == dropped_site) {
                    ++unsited_live_;
                    continue;
                }
                site_entry& site = *sites_[index];
                ++site.live;
                site.elements += elements;
                site.bytes += bytes;
                site.last_read_epoch = std::max(site.last_read_epoch, rec.last_read_epoch.load(std::memory_order_relaxed));
                site.last_write_epoch = std::max(site.last_write_epoch, rec.last_write_epoch.load(std::memory_order_relaxed));
                site.sole = &rec;
            }
        }
        for (auto& site : sites_) {
            if (site->live != 1) site->sole = nullptr;
            site->ring.push(epoch, site_sample{site->live, site->elements, site->bytes});
        }
        last_process_ = process_memory::read();
        process_history_.push(epoch, process_sample{last_process_.resident_bytes, total_bytes_});
        last_snapshot_epoch_ = epoch;
        ++snapshots_;
        g_epoch.store(epoch + 1, std::memory_order_relaxed);
    }

    template <class Wanted>
    static void copy_record(const record& rec, const Wanted& wanted, record_view& out) {
        out.site = rec.site;
        out.label = rec.label;
        out.type_name = rec.type_name;
        out.kind = rec.kind;
        out.stats = read_stats(&rec);
        out.created_epoch = rec.created_epoch;
#if LEAKWATCH_DETAIL_STACKS
        out.stack.assign(rec.creation_stack.frames, rec.creation_stack.frames + rec.creation_stack.depth);
#endif
        out.history.clear();
        for (std::size_t i = 0; i < rec.history.count; ++i) {
            const std::uint64_t epoch = rec.history.first_epoch + i;
            if (!wanted(epoch)) continue;
            const sample& s = rec.history.at(i);
            out.history.push_back(history_point{epoch, 1, static_cast<std::size_t>(s.elements),
                                                static_cast<std::size_t>(s.bytes)});
        }
    }

    mutable std::mutex mutex_;
    std::vector<std::unique_ptr<record[]>> chunks_;
    record* free_list_ = nullptr;
    std::size_t live_count_ = 0;
    std::size_t detached_count_ = 0;
    std::size_t free_count_ = 0;
    std::vector<std::unique_ptr<site_entry>> sites_;
    std::unordered_map<site_key, std::uint32_t, site_key_hash> site_lookup_;
    std::uint64_t dropped_sites_ = 0;
    std::size_t unsited_live_ = 0;
    std::uint64_t total_bytes_ = 0;
    std::uint64_t total_elements_ = 0;
    std::uint64_t last_snapshot_epoch_ = 0;
    std::uint64_t snapshots_ = 0;
    process_memory last_process_;
    sample_ring<process_sample> process_history_;
};

}  // namespace detail
}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
