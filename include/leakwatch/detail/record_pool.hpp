// leakwatch/detail/record_pool.hpp — registration: the records and the identity table.
//
// What a tracked container needs at construction and destruction, and nothing more (the
// snapshots, histories and reports live above, in registry_impl.hpp):
//  - intern(): a container's identity (creation site, label, type, kind) becomes a small
//    index. Known identities are found without a lock in an open-addressing table keyed by
//    the pointers __builtin_FILE and the type name give (stable per program); a new one is
//    added under a lock, once per distinct identity, and joins an existing site when only
//    the pointers differ (one header seen from two translation units).
//  - acquire() / release(): 64-byte records from fixed chunks that are never freed, handed
//    out and taken back through a lock-free stack (a graveyard of dead records, as Abseil's
//    hashtablez sampler keeps). Registration takes no lock and never throws: when no record
//    can be had (the pool is at LEAKWATCH_MAX_CONTAINERS, or memory ran out) the container
//    is counted as untracked and charges a shared record that nobody reports.
// The pool object is created on first use and never destroyed, so globals in any
// translation unit may register before main and unregister after it.
#pragma once

#include <leakwatch/config.hpp>
#include <leakwatch/detail/stacks.hpp>
#include <leakwatch/source_site.hpp>
#include <leakwatch/stats.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include <string_view>
#if LEAKWATCH_POSIX
#include <sched.h>
#endif

#if LEAKWATCH_POSIX
#include <pthread.h>
#endif

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {
namespace detail {

// The pool's lock, taken only to add an identity or a chunk (rare: once per distinct
// creation site, once per 255 containers alive at once). A spin lock that yields: it keeps
// <mutex> out of every translation unit that uses a tracked container.
class rare_lock {
public:
    void lock() noexcept {
        while (locked_.exchange(true, std::memory_order_acquire)) {
#if LEAKWATCH_POSIX
            sched_yield();
#endif
        }
    }
    void unlock() noexcept { locked_.store(false, std::memory_order_release); }
    // In a forked child, where the thread that held it no longer exists.
    void force_unlock() noexcept { locked_.store(false, std::memory_order_relaxed); }

private:
    std::atomic<bool> locked_{false};
};
struct rare_guard {
    explicit rare_guard(rare_lock& lock) noexcept : lock_(lock) { lock_.lock(); }
    ~rare_guard() { lock_.unlock(); }
    rare_guard(const rare_guard&) = delete;
    rare_guard& operator=(const rare_guard&) = delete;
    rare_lock& lock_;
};

constexpr std::size_t records_per_chunk = 256;  // the first is the chunk's header
constexpr std::size_t chunk_bytes = records_per_chunk * sizeof(record);
constexpr std::size_t max_record_chunks = (LEAKWATCH_MAX_CONTAINERS + records_per_chunk - 1) / records_per_chunk;
// Distinct labels one creation site keeps apart; more (a label per session id, say) share
// the site's unlabelled identity, so that the table stays bounded.
constexpr std::size_t max_labels_per_site = 16;
// Identity 0: registrations whose identity did not fit in the table ("unsited").
constexpr std::uint32_t unsited_identity = 0;

static_assert(LEAKWATCH_MAX_SITES >= 1, "LEAKWATCH_MAX_SITES must be at least 1");
static_assert(LEAKWATCH_MAX_CONTAINERS >= 1, "LEAKWATCH_MAX_CONTAINERS must be at least 1");

// Each thread keeps a few free records of its own, so that constructing and destroying a
// container takes no compare-exchange on the shared free stack; a thread gives them back when it
// exits (a pthread key's destructor), so thread churn does not make the pool grow. Trivially
// constructible: no guard on access.
constexpr std::uint32_t thread_cached_records = 16;
struct record_cache {
    record* slots[thread_cached_records];
    std::uint32_t count;
    bool registered;  // the thread's exit hook is set
};
inline thread_local record_cache t_record_cache{};

// One identity: where containers were created, under which label, of which type.
struct identity_entry {
    const char* file = "";
    const char* function = "";
    unsigned line = 0;
    record_kind kind = record_kind::container;
    std::string label{};
    const char* type_name = "";
    std::string content{};  // file, line, type, kind and label: the key new pointers are matched by
#if LEAKWATCH_DETAIL_STACKS
    std::vector<std::uintptr_t> stack;  // creation stack of the first container seen with it
#endif
};

class record_pool {
public:
    static record_pool& instance() noexcept {
        // Leaked on purpose: never destroyed, so containers may unregister during static
        // destruction in any order.
        static record_pool* const self = new record_pool();
        return *self;
    }

    // --- identities ------------------------------------------------------------------------
    std::uint32_t intern(const source_site& site, std::string_view label, const char* type_name,
                         record_kind kind) noexcept {
        const char* file = site.file != nullptr ? site.file : "";
        if (type_name == nullptr) type_name = "";
        const std::size_t hash = key_hash(file, site.line, type_name, kind, label);
        for (std::size_t probe = 0; probe < key_slots; ++probe) {
            const std::size_t slot = (hash + probe) & (key_slots - 1);
            const std::uint32_t index = slots_[slot].load(std::memory_order_acquire);
            if (index == 0) break;
            const key_entry& key = *keys_[index - 1];
            if (key.file == file && key.line == site.line && key.type_name == type_name && key.kind == kind &&
                key.label == label)
                return key.identity;
        }
        return intern_slow(site, file, label, type_name, kind, hash);
    }

    // The identity of a container built inside a container of identity `outer`: the outer's
    // site, its label with "[]" appended.
    std::uint32_t intern_nested(const identity_entry& outer, const char* type_name) noexcept {
        try {
            std::string label = outer.label;
            label += "[]";
            return intern(source_site{outer.file, outer.line, outer.function}, label, type_name, record_kind::container);
        } catch (...) {
            dropped_.fetch_add(1, std::memory_order_relaxed);
            return unsited_identity;
        }
    }

    const identity_entry& identity(std::uint32_t id) const noexcept { return *identities_[id]; }
    std::size_t identity_count() const noexcept { return identity_count_.load(std::memory_order_acquire); }
    std::uint64_t dropped_identities() const noexcept { return dropped_.load(std::memory_order_relaxed); }

    // --- records ----------------------------------------------------------------------------
    record* acquire(std::uint32_t identity, record_kind kind) noexcept {
        record_cache& cache = t_record_cache;
        record* rec = cache.count != 0 ? cache.slots[--cache.count] : pop();
        if (rec == nullptr) {
            untracked_live_.fetch_add(1, std::memory_order_relaxed);
            untracked_total_.fetch_add(1, std::memory_order_relaxed);
            return &untracked_;
        }
        rec->identity.store(identity, std::memory_order_relaxed);
        rec->created_epoch.store(epoch_now(), std::memory_order_relaxed);
        rec->flags.store(kind == record_kind::channel ? flag_channel : 0, std::memory_order_relaxed);
        rec->state.store(static_cast<std::uint8_t>(record_state::live), std::memory_order_release);
        return rec;
    }

    // The container or channel is gone. Its record is recycled at once unless memory it
    // paid for is still alive elsewhere (a node handle): then it waits, detached, until a
    // snapshot sees that memory freed or transferred.
    void release(record* rec) noexcept {
        if (rec == nullptr) return;
        if (rec == &untracked_) {
            untracked_live_.fetch_sub(1, std::memory_order_relaxed);
            return;
        }
        if (rec->nodes_out.load(std::memory_order_acquire) != 0 || rec->live_bytes() != 0 ||
            rec->live_allocations() != 0) {
            rec->state.store(static_cast<std::uint8_t>(record_state::detached), std::memory_order_release);
            return;
        }
        recycle(rec);
    }

    // A detached record whose memory is all gone (the registry's snapshot calls this).
    void recycle(record* rec) noexcept {
        rec->elements.store(0, std::memory_order_relaxed);
        rec->nodes_out.store(0, std::memory_order_relaxed);
        rec->node_size.store(0, std::memory_order_relaxed);
        rec->last_write_epoch.store(0, std::memory_order_relaxed);
        rec->last_read_epoch.store(0, std::memory_order_relaxed);
        rec->scope.store(0, std::memory_order_relaxed);
        rec->flags.store(0, std::memory_order_relaxed);
#if LEAKWATCH_COUNT_OPERATIONS
        rec->erases.store(0, std::memory_order_relaxed);
        rec->lookups.store(0, std::memory_order_relaxed);
#endif
        rec->state.store(static_cast<std::uint8_t>(record_state::free), std::memory_order_release);
        record_cache& cache = t_record_cache;
        if (cache.count < thread_cached_records && (cache.registered || register_thread_exit(cache))) {
            cache.slots[cache.count++] = rec;
            return;
        }
        push(rec);
    }

    bool is_untracked(const record* rec) const noexcept { return rec == &untracked_; }
    std::size_t untracked_live() const noexcept { return untracked_live_.load(std::memory_order_relaxed); }
    std::uint64_t untracked_total() const noexcept { return untracked_total_.load(std::memory_order_relaxed); }

    // Chunks published so far; each holds records_per_chunk records.
    std::size_t chunk_count() const noexcept { return chunk_count_.load(std::memory_order_acquire); }
    record* chunk(std::size_t i) const noexcept { return chunks_[i].load(std::memory_order_acquire); }
    // A record's index: chunks are aligned to their size, and the first record of each
    // (never handed out) holds the chunk's number.
    static std::uint32_t index_of(const record* rec) noexcept {
        const auto address = reinterpret_cast<std::uintptr_t>(rec);
        const auto* base = reinterpret_cast<const record*>(address & ~(std::uintptr_t{chunk_bytes} - 1));
        return base->created_epoch.load(std::memory_order_relaxed) * static_cast<std::uint32_t>(records_per_chunk) +
               static_cast<std::uint32_t>(rec - base);
    }

    // The registry's own memory: the pool, the identity and key tables.
    std::size_t bytes_reserved() const {
        rare_guard lock(mutex_);
        std::size_t bytes = sizeof(record_pool) + chunk_count() * chunk_bytes +
                            key_count_ * (sizeof(key_entry) + 32);
        const std::size_t ids = identity_count();
        for (std::size_t i = 0; i < ids; ++i) {
            bytes += sizeof(identity_entry) + identities_[i]->label.capacity() + identities_[i]->content.capacity();
#if LEAKWATCH_DETAIL_STACKS
            bytes += identities_[i]->stack.capacity() * sizeof(std::uintptr_t);
#endif
        }
        return bytes;
    }

    record_pool(const record_pool&) = delete;
    record_pool& operator=(const record_pool&) = delete;

private:
    static constexpr std::size_t max_keys = 2 * LEAKWATCH_MAX_SITES;
    static constexpr std::size_t key_slots = [] {
        std::size_t n = 1;
        while (n < 2 * max_keys) n *= 2;
        return n;
    }();

    // The pointer-keyed way to an identity (fast path).
    struct key_entry {
        const char* file = nullptr;
        unsigned line = 0;
        const char* type_name = nullptr;
        record_kind kind = record_kind::container;
        std::string label{};
        std::uint32_t identity = 0;
    };

    record_pool() {
        identities_[0] = &unsited_;
        unsited_.label.clear();
        identity_count_.store(1, std::memory_order_release);
#if LEAKWATCH_POSIX
        // A child forked while another thread held the lock would wait for it forever on its
        // first new identity or pool growth: the child releases it. (Not taken across fork():
        // the holder may need the allocator, which a sanitizer's fork handling can hold.) What
        // the holder left half-done is invisible to the child: an identity or a chunk counts
        // only once its count is published, which happens last.
        pthread_atfork(nullptr, nullptr, [] { instance().mutex_.force_unlock(); });
        thread_exit_key_ready_ = pthread_key_create(&thread_exit_key_, &record_pool::give_back_thread_cache) == 0;
#endif
    }

    static std::size_t key_hash(const char* file, unsigned line, const char* type_name, record_kind kind,
                                std::string_view label) noexcept {
        std::size_t h = reinterpret_cast<std::uintptr_t>(file) * 0x9E3779B97F4A7C15ull;
        h ^= (h >> 29) + line * 0xBF58476D1CE4E5B9ull;
        h ^= reinterpret_cast<std::uintptr_t>(type_name) * 0x94D049BB133111EBull + static_cast<std::size_t>(kind);
        if (!label.empty()) {
            std::size_t fnv = 0xcbf29ce484222325ull;  // FNV-1a over the label
            for (const char c : label) fnv = (fnv ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
            h ^= fnv + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
        }
        return h ^ (h >> 31);
    }

    std::uint32_t intern_slow(const source_site& site, const char* file, std::string_view label,
                              const char* type_name, record_kind kind, std::size_t hash) noexcept {
        try {
            rare_guard lock(mutex_);
            // Another thread may have added it meanwhile.
            std::size_t free_slot = key_slots;
            for (std::size_t probe = 0; probe < key_slots; ++probe) {
                const std::size_t slot = (hash + probe) & (key_slots - 1);
                const std::uint32_t index = slots_[slot].load(std::memory_order_relaxed);
                if (index == 0) {
                    free_slot = slot;
                    break;
                }
                const key_entry& key = *keys_[index - 1];
                if (key.file == file && key.line == site.line && key.type_name == type_name && key.kind == kind &&
                    key.label == label)
                    return key.identity;
            }
            const std::uint32_t id = identity_for(site, file, label, type_name, kind);
            if (free_slot != key_slots && key_count_ < max_keys) {
                auto* entry = new key_entry();
                keys_[key_count_] = entry;
                key_entry& key = *entry;
                key.file = file;
                key.line = site.line;
                key.type_name = type_name;
                key.kind = kind;
                key.label.assign(label.data(), label.size());
                key.identity = id;
                ++key_count_;
                slots_[free_slot].store(static_cast<std::uint32_t>(key_count_), std::memory_order_release);
            }
            return id;
        } catch (...) {
            dropped_.fetch_add(1, std::memory_order_relaxed);
            return unsited_identity;
        }
    }

    // Under the lock: the identity with this content, made if new (and if it fits). The
    // content key is the file, line, type and kind, then the label: identities reached
    // through other pointers (a header seen from two translation units) meet here. A linear
    // search, run once per new pointer key.
    std::uint32_t identity_for(const source_site& site, const char* file, std::string_view label,
                               const char* type_name, record_kind kind) {
        std::string base;
        base.reserve(std::strlen(file) + std::strlen(type_name) + 16);
        base.append(file).push_back('\0');
        base.append(std::to_string(site.line)).push_back('\0');
        base.append(type_name).push_back('\0');
        base.push_back(kind == record_kind::channel ? 'c' : 'k');
        base.push_back('\0');
        const std::size_t count = identity_count_.load(std::memory_order_relaxed);
        if (!label.empty()) {
            std::size_t labels = 0;
            for (std::size_t id = 1; id < count; ++id) {
                const std::string& known = identities_[id]->content;
                if (known.size() <= base.size() || known.compare(0, base.size(), base) != 0) continue;
                if (std::string_view(known).substr(base.size()) == label) return static_cast<std::uint32_t>(id);
                ++labels;
            }
            if (labels < max_labels_per_site) return add_identity(base + std::string(label), site, file, label, type_name, kind);
            label = std::string_view{};  // too many labels here: the site's unlabelled identity
        }
        for (std::size_t id = 1; id < count; ++id)
            if (identities_[id]->content == base) return static_cast<std::uint32_t>(id);
        return add_identity(base, site, file, label, type_name, kind);
    }

    std::uint32_t add_identity(const std::string& content, const source_site& site, const char* file,
                               std::string_view label, const char* type_name, record_kind kind) {
        const std::size_t count = identity_count_.load(std::memory_order_relaxed);
        if (count >= LEAKWATCH_MAX_SITES + 1) {
            dropped_.fetch_add(1, std::memory_order_relaxed);
            return unsited_identity;
        }
        auto* entry = new identity_entry();
        entry->file = file;
        entry->function = site.function != nullptr ? site.function : "";
        entry->line = site.line;
        entry->kind = kind;
        entry->label.assign(label.data(), label.size());
        entry->type_name = type_name;
#if LEAKWATCH_DETAIL_STACKS
        stack_trace stack;
        capture_stack(stack);
        entry->stack.assign(stack.frames, stack.frames + stack.depth);
#endif
        const auto id = static_cast<std::uint32_t>(count);
        entry->content = content;
        identities_[id] = entry;
        identity_count_.store(count + 1, std::memory_order_release);
        return id;
    }

    // --- the threads' caches ------------------------------------------------------------------
    // Sets the calling thread's exit hook (once per thread); false where there is none, and
    // the thread then keeps no cache.
    bool register_thread_exit(record_cache& cache) noexcept {
#if LEAKWATCH_POSIX
        if (!thread_exit_key_ready_) return false;
        if (pthread_setspecific(thread_exit_key_, &cache) != 0) return false;
        cache.registered = true;
        return true;
#else
        (void)cache;
        return false;
#endif
    }
    static void give_back_thread_cache(void* cache_address) noexcept {
        auto* cache = static_cast<record_cache*>(cache_address);
        record_pool& pool = instance();
        while (cache->count != 0) pool.push(cache->slots[--cache->count]);
        cache->registered = false;
    }

    // --- the free stack ------------------------------------------------------------------------
    // head = (tag << 32) | (index + 1); the tag makes a stale compare-exchange fail (ABA).
    record* at(std::uint32_t index) const noexcept {
        return chunk(index / records_per_chunk) + index % records_per_chunk;
    }

    record* pop() noexcept {
        std::uint64_t head = free_head_.load(std::memory_order_acquire);
        for (;;) {
            const auto link = static_cast<std::uint32_t>(head);
            if (link == 0) {
                if (!grow()) return nullptr;
                head = free_head_.load(std::memory_order_acquire);
                continue;
            }
            record* rec = at(link - 1);
            const std::uint32_t next = rec->created_epoch.load(std::memory_order_relaxed);
            const std::uint64_t replacement = (((head >> 32) + 1) << 32) | next;
            if (free_head_.compare_exchange_weak(head, replacement, std::memory_order_acq_rel,
                                                 std::memory_order_acquire))
                return rec;
        }
    }

    void push(record* rec) noexcept { push_chain(rec, index_of(rec)); }

    // Pushes the chain that starts at index `first_index` and ends at `last` (linked
    // through created_epoch).
    void push_chain(record* last, std::uint32_t first_index) noexcept {
        std::uint64_t head = free_head_.load(std::memory_order_relaxed);
        for (;;) {
            last->created_epoch.store(static_cast<std::uint32_t>(head), std::memory_order_relaxed);
            const std::uint64_t replacement = (((head >> 32) + 1) << 32) | (first_index + 1);
            if (free_head_.compare_exchange_weak(head, replacement, std::memory_order_release,
                                                 std::memory_order_relaxed))
                return;
        }
    }

    bool grow() noexcept {
        try {
            rare_guard lock(mutex_);
            if (static_cast<std::uint32_t>(free_head_.load(std::memory_order_acquire)) != 0) return true;
            const std::size_t chunks = chunk_count_.load(std::memory_order_relaxed);
            if (chunks >= max_record_chunks) return false;
            void* memory = ::operator new(chunk_bytes, std::align_val_t{chunk_bytes}, std::nothrow);
            if (memory == nullptr) return false;
            record* block = static_cast<record*>(memory);
            for (std::size_t i = 0; i < records_per_chunk; ++i) new (block + i) record();
            block[0].created_epoch.store(static_cast<std::uint32_t>(chunks), std::memory_order_relaxed);
            chunks_[chunks].store(block, std::memory_order_release);
            chunk_count_.store(chunks + 1, std::memory_order_release);
            // Record 0 is the chunk's header; 1..last join the free stack.
            const auto first_index = static_cast<std::uint32_t>(chunks * records_per_chunk + 1);
            for (std::size_t i = 1; i + 1 < records_per_chunk; ++i)
                block[i].created_epoch.store(first_index + static_cast<std::uint32_t>(i) + 1,
                                             std::memory_order_relaxed);
            push_chain(&block[records_per_chunk - 1], first_index);
            return true;
        } catch (...) {
            return false;
        }
    }

    mutable rare_lock mutex_{};  // new identities and pool growth only
#if LEAKWATCH_POSIX
    pthread_key_t thread_exit_key_{};
    bool thread_exit_key_ready_ = false;
#endif
    std::atomic<std::uint64_t> free_head_{0};
    std::atomic<std::size_t> chunk_count_{0};
    std::atomic<record*> chunks_[max_record_chunks] = {};
    record untracked_{};
    std::atomic<std::size_t> untracked_live_{0};
    std::atomic<std::uint64_t> untracked_total_{0};

    std::atomic<std::uint32_t> slots_[key_slots] = {};
    key_entry* keys_[max_keys] = {};
    std::size_t key_count_ = 0;
    identity_entry* identities_[LEAKWATCH_MAX_SITES + 1] = {};
    std::atomic<std::size_t> identity_count_{0};
    identity_entry unsited_{};
    std::atomic<std::uint64_t> dropped_{0};
};

#if !defined(LEAKWATCH_DISABLE)
// Created during static initialisation, like the registry (see registry_impl.hpp).
inline const bool record_pool_created_at_startup = (record_pool::instance(), true);
#endif

// The label of a record's identity ("" when none).
inline const std::string& label_of(const record* rec) noexcept {
    const std::uint32_t id = rec != nullptr ? rec->identity.load(std::memory_order_relaxed) : unsited_identity;
    return record_pool::instance().identity(id).label;
}

// The identity of the tracked container whose operation runs on this thread and may
// construct tracked elements (a map of tracked maps: `outer[k]` builds the inner one inside
// the std library). 0: none.
inline thread_local std::uint32_t t_parent_identity = 0;

// Sets t_parent_identity for an operation's duration (operations nest: outer[k][j]).
class parent_scope {
public:
    explicit parent_scope(std::uint32_t identity) noexcept : previous_(t_parent_identity) {
        t_parent_identity = identity;
    }
    ~parent_scope() { t_parent_identity = previous_; }
    parent_scope(const parent_scope&) = delete;
    parent_scope& operator=(const parent_scope&) = delete;

private:
    std::uint32_t previous_;
};

// Registers a container (never throws: an untracked container gets the shared record). One
// built inside a tracked parent's operation takes the parent's site and the parent's label
// with "[]" appended, so that it is reported at code the user wrote, not in a std header.
inline record* register_container(const source_site& site, std::string_view label, const char* type_name) noexcept {
    record_pool& pool = record_pool::instance();
    const std::uint32_t parent = t_parent_identity;
    if (parent != 0 && label.empty()) {
        const identity_entry& outer = pool.identity(parent);
        const std::uint32_t id = pool.intern_nested(outer, type_name);
        t_parent_identity = 0;  // the child's own construction is not its parent's operation
        record* rec = pool.acquire(id, record_kind::container);
        t_parent_identity = parent;
        return rec;
    }
    return pool.acquire(pool.intern(site, label, type_name, record_kind::container), record_kind::container);
}

}  // namespace detail
}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
