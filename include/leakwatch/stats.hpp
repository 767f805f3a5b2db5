// leakwatch/stats.hpp — the per-container statistics block and its public snapshot.
//
// A tracked container (or an allocator channel) owns one `detail::record`, handed out and
// recycled by the registry. Mutations write its counters with relaxed atomics so that the
// registry, on another thread, reads them without a data race. Counters written only by the
// container's own mutating thread are updated with a plain load and store (no locked
// instruction); counters that other threads may also write (frees through a node handle that
// outlived or left its container, byte transfers between containers, channels shared by
// several containers) use read-modify-write operations. The two groups live on separate cache
// lines, and so do the counters that concurrent readers of a shared container touch.
#pragma once

#include <leakwatch/config.hpp>
#include <leakwatch/detail/stacks.hpp>
#include <leakwatch/source_site.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

// A consistent-enough copy of one container's counters, taken at one moment.
struct container_stats {
    std::size_t elements = 0;          // == size() after every operation through the wrapper
    std::size_t bytes = 0;             // bytes currently allocated through the container
    std::size_t allocations = 0;       // live allocations behind `bytes`
    std::uint64_t inserts = 0;         // elements added over the container's life
    std::uint64_t erases = 0;          // elements removed over the container's life
    std::uint64_t lookups = 0;         // find/count/at/[]/contains/bounds/iteration calls
    std::uint64_t last_read_epoch = 0;   // registry epoch of the latest lookup (0: never read)
    std::uint64_t last_write_epoch = 0;  // registry epoch of the latest mutation (0: never written)
};

namespace detail {

// The registry's epoch counter: snapshot() advances it; containers stamp their last read
// and write with it. Constant-initialised, so usable during static initialisation.
inline std::atomic<std::uint64_t> g_epoch{1};

// The check_growth() running on this thread (0: none). Containers created or touched by a
// thread inside a check are tagged with it, so that checks running in parallel threads
// judge only their own containers. Tagging happens on the first write or read of an epoch,
// never on every operation.
inline thread_local std::uint64_t t_check_scope = 0;

enum class record_kind : unsigned char { container, channel };
enum class record_state : unsigned char { free, live, detached };

struct sample {
    std::uint64_t elements;
    std::uint64_t bytes;
};


// A fixed ring of samples, oldest first, with consecutive epochs (one per snapshot).
template <class Sample>
struct sample_ring {
    static constexpr std::size_t capacity = LEAKWATCH_HISTORY_CAPACITY;
    // The header first: in a record it then shares a cache line with the record's state,
    // which the snapshot reads anyway (one line less per record and snapshot).
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

struct record {
    // --- written by the owning container's mutating thread only --------------------------
    alignas(64) std::atomic<std::size_t> elements{0};
    std::atomic<std::size_t> bytes_allocated{0};
    std::atomic<std::size_t> allocations_made{0};
    // Inserts are not counted apart: every wrapper operation keeps elements == inserts -
    // erases, so read_stats() derives them (one store less per insert).
    std::atomic<std::uint64_t> erases{0};
    std::atomic<std::uint64_t> last_write_epoch{0};
    // Size of one node of a node-based container, learned from its first single-object
    // allocation and carried along with transferred memory; node handles, merge and splice
    // move whole nodes between containers and charge this many bytes per node.
    std::atomic<std::size_t> node_size{0};

    // --- written by any thread (read-modify-write) --------------------------------------
    alignas(64) std::atomic<std::size_t> bytes_freed{0};
    std::atomic<std::size_t> allocations_freed{0};
    // Bytes and allocations charged here but held by extracted node handles rather than by
    // the container itself (so that a swap moves exactly what the container holds).
    std::atomic<std::size_t> node_bytes_out{0};
    std::atomic<std::size_t> nodes_out{0};
    // Channels: allocator copies alive (the last one gives the record back).
    std::atomic<std::size_t> references{0};
    // The check_growth() scope that last created, wrote or read the container (0: none).
    std::atomic<std::uint64_t> scope{0};
    // Lookups published by readers' batches (see note_lookup). Not on the readers' line
    // below: a flush would take that line away from every other reader of the container.
    std::atomic<std::uint64_t> lookups{0};

    // --- read by every lookup: written only when the value changes ----------------------
    alignas(64) std::atomic<std::uint64_t> last_read_epoch{0};
    // Bumped each time the record is recycled, so stale per-thread lookup batches can tell.
    std::atomic<std::uint64_t> generation{0};

    // --- identity: set at registration under the registry lock --------------------------
    alignas(64) source_site site{};
    std::string label;
    const char* type_name = "";
    record_kind kind = record_kind::container;
    record_state state = record_state::free;
    // Channels and containers charge differently; see charge_*() below.
    bool shared_writers = false;
#if LEAKWATCH_DETAIL_STACKS
    stack_trace creation_stack;  // LEAKWATCH_CAPTURE_STACKS: where the container was created
#endif

    // --- registry-private (under the registry lock) -------------------------------------
    std::uint32_t site_index = UINT32_MAX;
    std::uint64_t created_epoch = 0;  // epoch current when the record was registered
    record* next_free = nullptr;
    sample_ring<sample> history;

    // Counters a single owner thread writes: a plain load and store, no locked instruction.
    static void bump(std::atomic<std::size_t>& counter, std::size_t by) noexcept {
        counter.store(counter.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
    }
    static void bump64(std::atomic<std::uint64_t>& counter, std::uint64_t by) noexcept {
        counter.store(counter.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
    }

    void charge_allocation(std::size_t size) noexcept {
        if (shared_writers) {
            bytes_allocated.fetch_add(size, std::memory_order_relaxed);
            allocations_made.fetch_add(1, std::memory_order_relaxed);
        } else {
            bump(bytes_allocated, size);
            bump(allocations_made, 1);
        }
    }
    void charge_deallocation(std::size_t size) noexcept {
        bytes_freed.fetch_add(size, std::memory_order_relaxed);
        allocations_freed.fetch_add(1, std::memory_order_relaxed);
    }
    // Memory that now belongs to `to` although `from` allocated it (or the reverse, with a
    // negative count): modular arithmetic on the freed counters keeps both exact.
    static void transfer(record* from, record* to, std::size_t size, std::size_t allocations) noexcept {
        if (from == to || (size == 0 && allocations == 0)) return;
        if (from != nullptr && to != nullptr && to->node_size.load(std::memory_order_relaxed) == 0)
            to->node_size.store(from->node_size.load(std::memory_order_relaxed), std::memory_order_relaxed);
        if (from != nullptr) {
            from->bytes_freed.fetch_add(size, std::memory_order_relaxed);
            from->allocations_freed.fetch_add(allocations, std::memory_order_relaxed);
        }
        if (to != nullptr) {
            to->bytes_freed.fetch_sub(size, std::memory_order_relaxed);
            to->allocations_freed.fetch_sub(allocations, std::memory_order_relaxed);
        }
    }

    std::size_t live_bytes() const noexcept {
        // Read the freed side first: a free is always preceded by its allocation.
        const std::size_t freed = bytes_freed.load(std::memory_order_acquire);
        return bytes_allocated.load(std::memory_order_acquire) - freed;
    }
    std::size_t live_allocations() const noexcept {
        const std::size_t freed = allocations_freed.load(std::memory_order_acquire);
        return allocations_made.load(std::memory_order_acquire) - freed;
    }

    void note_write() noexcept {
        const std::uint64_t now = g_epoch.load(std::memory_order_relaxed);
        if (last_write_epoch.load(std::memory_order_relaxed) != now) {
            last_write_epoch.store(now, std::memory_order_relaxed);
            note_scope();
        }
    }
    void note_scope() noexcept {
        const std::uint64_t current = t_check_scope;
        if (current != 0 && scope.load(std::memory_order_relaxed) != current)
            scope.store(current, std::memory_order_relaxed);
    }
    // Size changed from `before` to `after` through one wrapper operation.
    void note_size(std::size_t before, std::size_t after) noexcept {
        elements.store(after, std::memory_order_relaxed);
        if (before > after) bump64(erases, before - after);
        note_write();
    }
    // The whole contents were replaced (assignment): `before` removed, `after` added.
    void note_replace(std::size_t before, std::size_t after) noexcept {
        elements.store(after, std::memory_order_relaxed);
        bump64(erases, before);
        note_write();
    }
};

// Per-thread batching of lookup counts: a reader increments a thread-local counter and
// publishes it to the record every LEAKWATCH_LOOKUP_BATCH lookups or when it turns to
// another container. Trivially constructible, so it needs no TLS guard or destructor.
struct lookup_batch {
    record* target;
    std::uint64_t generation;
    std::uint64_t pending;
};
inline thread_local lookup_batch t_lookup_batch{nullptr, 0, 0};

inline void flush_lookups(lookup_batch& batch) noexcept {
    if (batch.target != nullptr && batch.pending != 0 &&
        batch.target->generation.load(std::memory_order_relaxed) == batch.generation)
        batch.target->lookups.fetch_add(batch.pending, std::memory_order_relaxed);
    batch.pending = 0;
}

// The slow paths of note_lookup, out of line so that its fast path inlines into every
// find/[]/begin: the reader turned to another container (or the record was recycled), or
// the batch is full.
[[gnu::noinline]] inline void note_lookup_slow(record* rec, std::uint64_t generation) noexcept {
    lookup_batch& batch = t_lookup_batch;
    if (batch.target != rec || batch.generation != generation) {
        flush_lookups(batch);
        batch.target = rec;
        batch.generation = generation;
    }
    if (++batch.pending >= LEAKWATCH_LOOKUP_BATCH) flush_lookups(batch);
}
// The first read of the container in this epoch.
[[gnu::noinline]] inline void note_read_epoch(record* rec, std::uint64_t now) noexcept {
    rec->last_read_epoch.store(now, std::memory_order_relaxed);
    rec->note_scope();
}

inline void note_lookup(record* rec) noexcept {
    if (rec == nullptr) return;
    lookup_batch& batch = t_lookup_batch;
    const std::uint64_t generation = rec->generation.load(std::memory_order_relaxed);
    if (batch.target == rec && batch.generation == generation && batch.pending + 1 < LEAKWATCH_LOOKUP_BATCH)
        ++batch.pending;
    else
        note_lookup_slow(rec, generation);
    const std::uint64_t now = g_epoch.load(std::memory_order_relaxed);
    if (rec->last_read_epoch.load(std::memory_order_relaxed) != now) note_read_epoch(rec, now);
}

inline container_stats read_stats(const record* rec) noexcept {
    container_stats s;
    if (rec == nullptr) return s;
    s.elements = rec->elements.load(std::memory_order_relaxed);
    s.bytes = rec->live_bytes();
    s.allocations = rec->live_allocations();
    s.erases = rec->erases.load(std::memory_order_relaxed);
    s.inserts = s.erases + s.elements;
    s.lookups = rec->lookups.load(std::memory_order_relaxed);
    const lookup_batch& batch = t_lookup_batch;
    if (batch.target == rec && batch.generation == rec->generation.load(std::memory_order_relaxed))
        s.lookups += batch.pending;  // this thread's unpublished lookups
    s.last_read_epoch = rec->last_read_epoch.load(std::memory_order_relaxed);
    s.last_write_epoch = rec->last_write_epoch.load(std::memory_order_relaxed);
    return s;
}

}  // namespace detail
}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
