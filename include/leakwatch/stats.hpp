// leakwatch/stats.hpp — the per-container statistics block and its public snapshot.
//
// A tracked container (or an allocator channel) owns one `detail::record`: 64 bytes, one
// cache line, counters only. Who the container is (creation site, label, type) is interned
// once per distinct identity in the registry and the record holds its index; history is kept
// per identity (the site aggregate) and, per container, only for the few the registry
// promotes. See docs/architecture.md for the layout and why.
//
// Concurrency: the counters are relaxed atomics, so the registry reads them from another
// thread without a data race. A container's own operations (which the std rules already
// confine to one thread at a time) update them with a plain load and store, no locked
// instruction. The one writer that may run concurrently with the owner is a node handle
// freed on another thread: while any node handle of the record is out (`nodes_out` != 0),
// every free uses a read-modify-write instead, and the handle leaves `nodes_out` only after
// its free (release/acquire), so the owner's plain stores never race a foreign update.
// Allocator channels, shared by many containers, always use read-modify-writes.
#pragma once

#include <leakwatch/config.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

// A consistent-enough copy of one container's counters, taken at one moment.
struct container_stats {
    std::size_t elements = 0;          // == size() after every operation through the wrapper
    std::size_t bytes = 0;             // bytes currently allocated through the container
    std::size_t allocations = 0;       // live allocations behind `bytes`
    // Operation counts: exact with LEAKWATCH_COUNT_OPERATIONS, 0 otherwise (they cost a
    // counter update on every insert, erase and lookup, and no verdict needs them).
    std::uint64_t inserts = 0;         // elements added over the container's life
    std::uint64_t erases = 0;          // elements removed over the container's life
    std::uint64_t lookups = 0;         // find/count/at/contains/bounds/iteration calls
    std::uint64_t last_read_epoch = 0;   // registry epoch of the latest lookup (0: never read)
    std::uint64_t last_write_epoch = 0;  // registry epoch of the latest mutation (0: never written)
};

namespace detail {

// The registry's epoch counter: snapshot() advances it; containers stamp their last read
// and write with it. Constant-initialised, so usable during static initialisation.
inline std::atomic<std::uint64_t> g_epoch{1};

// Records keep epochs in 32 bits (136 years of one snapshot a second); 0 means "never".
using epoch32 = std::uint32_t;
inline epoch32 epoch_now() noexcept { return static_cast<epoch32>(g_epoch.load(std::memory_order_relaxed)); }
// The full epoch of a stored 32-bit one, relative to `now` (it lies at or before now).
inline std::uint64_t widen_epoch(std::uint64_t now, epoch32 stored) noexcept {
    if (stored == 0) return 0;
    const epoch32 behind = static_cast<epoch32>(static_cast<epoch32>(now) - stored);
    return now >= behind ? now - behind : 0;
}

// The check_growth() running on this thread (0: none). A container written by a thread
// inside a check is tagged with it on its first write of an epoch (never on every
// operation), so that checks running in parallel threads can tell their containers apart.
inline thread_local std::uint32_t t_check_scope = 0;

enum class record_kind : unsigned char { container, channel };
enum class record_state : unsigned char { free, live, detached };

// record::flags
constexpr std::uint8_t flag_seen = 1;      // a snapshot has counted the record's creation
constexpr std::uint8_t flag_promoted = 2;  // the registry keeps this container's own history
constexpr std::uint8_t flag_channel = 4;   // an allocator channel (shared writers)

struct alignas(64) record {
    std::atomic<std::uint64_t> elements{0};
    std::atomic<std::uint64_t> bytes_allocated{0};
    // Frees, and memory that changed hands (move, swap, merge, node handles): modular
    // arithmetic keeps bytes_allocated - bytes_freed exact. Never reset on reuse: a record
    // is recycled only with the difference at zero, so a concurrent reader never sees a
    // recycled record's bytes jump.
    std::atomic<std::uint64_t> bytes_freed{0};
    std::atomic<std::uint32_t> allocations_made{0};
    std::atomic<std::uint32_t> allocations_freed{0};
    // Containers: node handles holding a node this record paid for. Channels: allocator
    // copies alive (never 0 while the channel lives, so every charge is a read-modify-write).
    std::atomic<std::uint32_t> nodes_out{0};
    // Size of one node of a node-based container, learned from its first single-object
    // allocation and carried along with transferred memory.
    std::atomic<std::uint32_t> node_size{0};
    std::atomic<epoch32> last_write_epoch{0};
    std::atomic<epoch32> last_read_epoch{0};
    std::atomic<std::uint32_t> identity{0};  // who the container is (registry's identity table)
    std::atomic<std::uint32_t> scope{0};     // the check_growth() scope that last wrote it
    // Epoch current at registration; while the record is free, the free list's link.
    std::atomic<std::uint32_t> created_epoch{0};
    std::atomic<std::uint8_t> state{static_cast<std::uint8_t>(record_state::free)};
    std::atomic<std::uint8_t> flags{0};
#if LEAKWATCH_COUNT_OPERATIONS
    std::atomic<std::uint64_t> erases{0};
    std::atomic<std::uint64_t> lookups{0};
#endif

    // --- charging --------------------------------------------------------------------------
    // A single owner's counter: plain load and store.
    template <class T>
    static void bump(std::atomic<T>& counter, T by) noexcept {
        counter.store(static_cast<T>(counter.load(std::memory_order_relaxed) + by), std::memory_order_relaxed);
    }

    // The container allocated `size` bytes (its own operation: one thread at a time).
    void charge_allocation(std::size_t size) noexcept {
        bump<std::uint64_t>(bytes_allocated, size);
        bump<std::uint32_t>(allocations_made, 1);
    }
    // `size` bytes in `count` allocations left (or, negative, joined) this record.
    void charge_free(std::uint64_t size, std::uint32_t count) noexcept {
        if (nodes_out.load(std::memory_order_acquire) == 0) {
            bump<std::uint64_t>(bytes_freed, size);
            bump<std::uint32_t>(allocations_freed, count);
        } else {
            bytes_freed.fetch_add(size, std::memory_order_relaxed);
            allocations_freed.fetch_add(count, std::memory_order_relaxed);
        }
    }
    // Channels: any thread, always read-modify-write.
    void charge_shared_allocation(std::size_t size) noexcept {
        bytes_allocated.fetch_add(size, std::memory_order_relaxed);
        allocations_made.fetch_add(1, std::memory_order_relaxed);
        note_write();
    }
    void charge_shared_free(std::size_t size) noexcept {
        bytes_freed.fetch_add(size, std::memory_order_relaxed);
        allocations_freed.fetch_add(1, std::memory_order_relaxed);
    }
    // Memory that now belongs to `to` although `from` paid for it.
    static void transfer(record* from, record* to, std::uint64_t size, std::uint32_t count) noexcept {
        if (from == to || (size == 0 && count == 0)) return;
        if (from != nullptr && to != nullptr && to->node_size.load(std::memory_order_relaxed) == 0)
            to->node_size.store(from->node_size.load(std::memory_order_relaxed), std::memory_order_relaxed);
        if (from != nullptr) from->charge_free(size, count);
        if (to != nullptr) to->charge_free(0 - size, 0u - count);
    }

    std::size_t live_bytes() const noexcept {
        // The freed side first: a free is always preceded by its allocation.
        const std::uint64_t freed = bytes_freed.load(std::memory_order_acquire);
        return static_cast<std::size_t>(bytes_allocated.load(std::memory_order_acquire) - freed);
    }
    std::size_t live_allocations() const noexcept {
        const std::uint32_t freed = allocations_freed.load(std::memory_order_acquire);
        return static_cast<std::uint32_t>(allocations_made.load(std::memory_order_acquire) - freed);
    }
    // What the container itself holds: what node handles hold is out of it.
    std::size_t held_bytes() const noexcept {
        return live_bytes() - std::size_t{nodes_out.load(std::memory_order_relaxed)} *
                                  node_size.load(std::memory_order_relaxed);
    }
    std::size_t held_allocations() const noexcept {
        return live_allocations() - nodes_out.load(std::memory_order_relaxed);
    }

    // --- writes and reads --------------------------------------------------------------------
    void note_write() noexcept {
        const epoch32 now = epoch_now();
        if (last_write_epoch.load(std::memory_order_relaxed) != now) note_write_epoch(now);
    }
    // Size changed from `before` to `after` through one wrapper operation.
    void note_size(std::size_t before, std::size_t after) noexcept {
        elements.store(after, std::memory_order_relaxed);
#if LEAKWATCH_COUNT_OPERATIONS
        if (before > after) bump<std::uint64_t>(erases, before - after);
#else
        (void)before;
#endif
        note_write();
    }
    // The whole contents were replaced (assignment): `before` removed, `after` added.
    void note_replace(std::size_t before, std::size_t after) noexcept {
        elements.store(after, std::memory_order_relaxed);
#if LEAKWATCH_COUNT_OPERATIONS
        bump<std::uint64_t>(erases, before);
#else
        (void)before;
#endif
        note_write();
    }

private:
    // The first write of an epoch: out of line, so that the fast path is a load and a compare.
    [[gnu::noinline]] void note_write_epoch(epoch32 now) noexcept {
        last_write_epoch.store(now, std::memory_order_relaxed);
        note_scope();
    }

public:
    void note_scope() noexcept {
        const std::uint32_t current = t_check_scope;
        if (current != 0 && scope.load(std::memory_order_relaxed) != current)
            scope.store(current, std::memory_order_relaxed);
    }
};

#if !LEAKWATCH_COUNT_OPERATIONS
static_assert(sizeof(record) == 64, "a record is one cache line");
#endif

// The first read of the container in this epoch.
[[gnu::noinline]] inline void note_read_epoch(record* rec, epoch32 now) noexcept {
    rec->last_read_epoch.store(now, std::memory_order_relaxed);
    rec->note_scope();
}

// A lookup: a load of the epoch and of the record's last read epoch, and a compare; a store
// only on the first read of an epoch, so readers of a shared container do not contend.
inline void note_lookup(record* rec) noexcept {
    if (rec == nullptr) return;
#if LEAKWATCH_COUNT_OPERATIONS
    rec->lookups.fetch_add(1, std::memory_order_relaxed);
#endif
    const epoch32 now = epoch_now();
    if (rec->last_read_epoch.load(std::memory_order_relaxed) != now) note_read_epoch(rec, now);
}

inline container_stats read_stats(const record* rec) noexcept {
    container_stats s;
    if (rec == nullptr) return s;
    const std::uint64_t now = g_epoch.load(std::memory_order_relaxed);
    s.elements = static_cast<std::size_t>(rec->elements.load(std::memory_order_relaxed));
    s.bytes = rec->live_bytes();
    s.allocations = rec->live_allocations();
#if LEAKWATCH_COUNT_OPERATIONS
    s.erases = rec->erases.load(std::memory_order_relaxed);
    s.inserts = s.erases + s.elements;
    s.lookups = rec->lookups.load(std::memory_order_relaxed);
#endif
    s.last_read_epoch = widen_epoch(now, rec->last_read_epoch.load(std::memory_order_relaxed));
    s.last_write_epoch = widen_epoch(now, rec->last_write_epoch.load(std::memory_order_relaxed));
    return s;
}

}  // namespace detail
}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
