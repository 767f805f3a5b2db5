// benchmarks/bench_std_twin.cpp — the "std twin" alternative design, measured against the exact
// charging one (docs/std-twin-alternative.md has the results and the decision).
//
// The alternative: a tracked container that *is* its std type with std::allocator (here derived
// from it), so that `const std::vector<T>&` and `std::vector<T>&` bind to it, and that estimates
// its bytes from capacity and node sizes after each wrapped mutation instead of charging each
// allocation. This file holds a minimal prototype of it, estimated_vector<T> and
// estimated_map<K, V> (an unordered_map), which update a real leakwatch record (registered and
// released as the tracked containers' are), and two parts:
//
//   1. The accuracy table, printed before the benchmarks (--accuracy-only prints it and exits;
//      the program fails when a tracked container's bytes are not exact):
//      a seeded mixed workload (insert, erase, rehash, reserve, shrink_to_fit, clear, ...) runs
//      on the estimated and on the tracked container, each over a counting upstream allocator
//      (tests/counting_allocator.hpp), and the bytes each reports are compared with the bytes
//      really allocated, after every step (worst drift) and at the end; then the drift when code
//      mutates the container through a `std::vector<T>&` / `std::unordered_map<K, V>&`.
//   2. Google Benchmark pairs, std / tracked / estimated with the same name scheme as
//      bench_containers.cpp (<operation>/<implementation>/<size>):
//        push_back/<impl>/100000        100,000 push_backs into an empty vector
//        find_hit/<impl>/16             one find of a present key in a 16-element hash map
//        construct_destroy/<impl>/1     construct, insert one element, destroy
//        objects/<impl>/N               N objects each owning a two-element hash map (N =
//                                       1,000,000 unless --objects=N); counter bytes_per_object:
//                                       growth of the heap in use (glibc mallinfo2) for the first
//                                       build, run it in a process of its own
//
// The prototype is not part of the library: it lives here only to be measured.
#include <leakwatch/leakwatch.hpp>

#include "../tests/counting_allocator.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#include <malloc.h>
#define LEAKWATCH_BENCH_HAVE_MALLINFO2 1
#else
#define LEAKWATCH_BENCH_HAVE_MALLINFO2 0
#endif

namespace twin {

using leakwatch::detail::record;

// ---- publishing an estimate into a record ----------------------------------------------------

// Registers a record for an estimated container (the same call the tracked containers make).
inline record* register_estimated(const char* type_name) noexcept {
    return leakwatch::detail::register_container(leakwatch::source_site::current(), {}, type_name);
}

// Makes the record say `elements`, `bytes` in `allocations`: what the estimate says now. Plain
// loads and stores, as a tracked container's own operations do (one writer at a time). The
// element count and the write epoch on every call; the bytes and allocations only when the
// estimate moved (out of line: most push_backs and finds do not move it).
[[gnu::noinline]] inline void publish_bytes(record* rec, std::size_t bytes, std::size_t allocations,
                                            std::size_t live) noexcept {
    if (bytes >= live)
        record::bump<std::uint64_t>(rec->bytes_allocated, bytes - live);
    else
        record::bump<std::uint64_t>(rec->bytes_freed, live - bytes);
    const std::size_t live_allocs = rec->live_allocations();
    if (allocations >= live_allocs)
        record::bump<std::uint32_t>(rec->allocations_made, static_cast<std::uint32_t>(allocations - live_allocs));
    else
        record::bump<std::uint32_t>(rec->allocations_freed, static_cast<std::uint32_t>(live_allocs - allocations));
}

inline void publish(record* rec, std::size_t elements, std::size_t bytes, std::size_t allocations) noexcept {
    rec->elements.store(elements, std::memory_order_relaxed);
    const std::size_t live = rec->live_bytes();
    if (live != bytes) publish_bytes(rec, bytes, allocations, live);
    rec->note_write();
}

inline void unregister_estimated(record* rec) noexcept {
    if (rec == nullptr) return;
    publish(rec, 0, 0, 0);
    leakwatch::detail::record_pool::instance().release(rec);
}

// ---- node sizes: what the estimate has to know about the std library -------------------------

constexpr std::size_t round_up(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }

// A guess that knows no implementation: a next pointer and the value, aligned.
template <class Value>
constexpr std::size_t portable_hash_node_size() {
    constexpr std::size_t align = alignof(Value) > alignof(void*) ? alignof(Value) : alignof(void*);
    return round_up(sizeof(void*) + sizeof(Value), align);
}

// libstdc++'s layout: _Hash_node<Value, cache>, which also holds the key's hash unless the hash
// is "fast" (std::hash of integers and pointers) and noexcept. Other libraries: the guess above.
template <class Key, class Value, class Hash>
constexpr std::size_t hash_node_size() {
#if defined(__GLIBCXX__)
    return sizeof(std::__detail::_Hash_node<Value, std::__cache_default<Key, Hash>::value>);
#else
    return portable_hash_node_size<Value>();
#endif
}

// ---- estimated_vector ------------------------------------------------------------------------

template <class T, class Allocator = std::allocator<T>>
class estimated_vector : public std::vector<T, Allocator> {
    using base = std::vector<T, Allocator>;

public:
    using typename base::size_type;
    using typename base::iterator;
    using typename base::const_iterator;
    using base::base;  // every std constructor; the record is registered by the member initializer

    estimated_vector() = default;

    estimated_vector(const estimated_vector& other) : base(other), rec_(acquire()) {}
    // The record stays with the source (a new one for the target): what the prototype can
    // afford without handing records over inside an allocator.
    estimated_vector(estimated_vector&& other) noexcept : base(std::move(other)), rec_(acquire()) { other.sync(); }
    estimated_vector& operator=(const estimated_vector& other) {
        base::operator=(other);
        sync();
        return *this;
    }
    estimated_vector& operator=(estimated_vector&& other) noexcept(
        std::is_nothrow_move_assignable<base>::value) {
        base::operator=(std::move(other));
        sync();
        other.sync();
        return *this;
    }
    ~estimated_vector() { unregister_estimated(rec_); }

    // The wrapped mutations: the std one, then the estimate.
    void push_back(const T& v) { base::push_back(v), sync(); }
    void push_back(T&& v) { base::push_back(std::move(v)), sync(); }
    template <class... Args>
    T& emplace_back(Args&&... args) {
        T& out = base::emplace_back(std::forward<Args>(args)...);
        sync();
        return out;
    }
    void pop_back() { base::pop_back(), sync(); }
    template <class... Args>
    iterator insert(Args&&... args) {
        iterator out = base::insert(std::forward<Args>(args)...);
        sync();
        return out;
    }
    template <class... Args>
    iterator erase(Args&&... args) {
        iterator out = base::erase(std::forward<Args>(args)...);
        sync();
        return out;
    }
    template <class... Args>
    void assign(Args&&... args) {
        base::assign(std::forward<Args>(args)...);
        sync();
    }
    void reserve(size_type n) { base::reserve(n), sync(); }
    void shrink_to_fit() { base::shrink_to_fit(), sync(); }
    void clear() noexcept { base::clear(), sync(); }
    template <class... Args>
    void resize(Args&&... args) {
        base::resize(std::forward<Args>(args)...);
        sync();
    }
    void swap(estimated_vector& other) noexcept {
        base::swap(other);
        sync();
        other.sync();
    }

    // What the record says, and a resynchronisation (what a snapshot would need to call).
    std::size_t estimated_bytes() const noexcept { return rec_->live_bytes(); }
    std::size_t estimated_elements() const noexcept {
        return static_cast<std::size_t>(rec_->elements.load(std::memory_order_relaxed));
    }
    void sync() noexcept { publish(rec_, this->size(), this->capacity() * sizeof(T), this->capacity() != 0 ? 1 : 0); }

private:
    record* acquire() noexcept {
        record* rec = register_estimated("estimated_vector");
        publish(rec, this->size(), this->capacity() * sizeof(T), this->capacity() != 0 ? 1 : 0);
        return rec;
    }

    record* rec_ = acquire();
};

// ---- estimated_map (an unordered_map) --------------------------------------------------------

template <class Key, class T, class Hash = std::hash<Key>, class KeyEqual = std::equal_to<Key>,
          class Allocator = std::allocator<std::pair<const Key, T>>>
class estimated_map : public std::unordered_map<Key, T, Hash, KeyEqual, Allocator> {
    using base = std::unordered_map<Key, T, Hash, KeyEqual, Allocator>;

public:
    using typename base::size_type;
    using typename base::iterator;
    using typename base::const_iterator;
    using typename base::value_type;
    using base::base;

    estimated_map() = default;

    static constexpr std::size_t node_size = hash_node_size<Key, value_type, Hash>();

    estimated_map(const estimated_map& other) : base(other), rec_(acquire()) {}
    estimated_map(estimated_map&& other) noexcept(std::is_nothrow_move_constructible<base>::value)
        : base(std::move(other)), rec_(acquire()) {
        other.sync();
    }
    estimated_map& operator=(const estimated_map& other) {
        base::operator=(other);
        sync();
        return *this;
    }
    estimated_map& operator=(estimated_map&& other) noexcept(std::is_nothrow_move_assignable<base>::value) {
        base::operator=(std::move(other));
        sync();
        other.sync();
        return *this;
    }
    ~estimated_map() { unregister_estimated(rec_); }

    std::pair<iterator, bool> insert(const value_type& v) {
        auto out = base::insert(v);
        sync();
        return out;
    }
    std::pair<iterator, bool> insert(value_type&& v) {
        auto out = base::insert(std::move(v));
        sync();
        return out;
    }
    template <class InputIt>
    void insert(InputIt first, InputIt last) {
        base::insert(first, last);
        sync();
    }
    template <class... Args>
    std::pair<iterator, bool> emplace(Args&&... args) {
        auto out = base::emplace(std::forward<Args>(args)...);
        sync();
        return out;
    }
    template <class... Args>
    std::pair<iterator, bool> try_emplace(Args&&... args) {
        auto out = base::try_emplace(std::forward<Args>(args)...);
        sync();
        return out;
    }
    T& operator[](const Key& k) {
        T& out = base::operator[](k);
        sync();
        return out;
    }
    T& operator[](Key&& k) {
        T& out = base::operator[](std::move(k));
        sync();
        return out;
    }
    template <class... Args>
    auto erase(Args&&... args) -> decltype(base::erase(std::forward<Args>(args)...)) {
        auto out = base::erase(std::forward<Args>(args)...);
        sync();
        return out;
    }
    void clear() noexcept { base::clear(), sync(); }
    void rehash(size_type n) { base::rehash(n), sync(); }
    void reserve(size_type n) { base::reserve(n), sync(); }
    void swap(estimated_map& other) noexcept(noexcept(std::declval<base&>().swap(std::declval<base&>()))) {
        base::swap(other);
        sync();
        other.sync();
    }
    // A lookup stamps the read epoch, as the tracked containers' do.
    iterator find(const Key& k) {
        leakwatch::detail::note_lookup(rec_);
        return base::find(k);
    }
    const_iterator find(const Key& k) const {
        leakwatch::detail::note_lookup(rec_);
        return base::find(k);
    }

    std::size_t estimated_bytes() const noexcept { return rec_->live_bytes(); }
    std::size_t estimated_elements() const noexcept {
        return static_cast<std::size_t>(rec_->elements.load(std::memory_order_relaxed));
    }
    // Nodes, plus the bucket array, which libstdc++ allocates only beyond one bucket.
    static std::size_t estimate(std::size_t size, std::size_t buckets, std::size_t node) noexcept {
        return size * node + (buckets > 1 ? buckets * sizeof(void*) : 0);
    }
    void sync() noexcept {
        const std::size_t buckets = this->bucket_count();
        publish(rec_, this->size(), estimate(this->size(), buckets, node_size), this->size() + (buckets > 1 ? 1 : 0));
    }

private:
    record* acquire() noexcept {
        record* rec = register_estimated("estimated_map");
        rec_ = rec;
        sync();
        return rec;
    }

    record* rec_ = acquire();
};

}  // namespace twin

namespace {

using key = std::uint64_t;
using clock_type = std::chrono::steady_clock;

inline void escape(const void* p) { asm volatile("" : : "g"(p) : "memory"); }

// ---- accuracy ------------------------------------------------------------------------------------

double drift_percent(std::size_t reported, std::size_t actual) {
    if (actual == 0) return reported == 0 ? 0.0 : HUGE_VAL;
    return 100.0 * (static_cast<double>(reported) - static_cast<double>(actual)) / static_cast<double>(actual);
}

struct drift_result {
    double worst = 0;       // largest |drift| after any step, in %
    double final_ = 0;      // after the last step, in %
    std::size_t actual = 0;    // bytes really allocated at the end
    std::size_t reported = 0;  // bytes the container reports at the end
    void observe(std::size_t rep, std::size_t act) {
        const double d = drift_percent(rep, act);
        if (std::fabs(d) > std::fabs(worst)) worst = d;
        final_ = d;
        actual = act;
        reported = rep;
    }
};

template <class T>
using counting = lwtest::counting_allocator<T>;

// The bytes a container reports: the estimate, or the tracked container's exact charge.
template <class C>
auto reported_bytes_of(const C& c, int) -> decltype(c.estimated_bytes()) {
    return c.estimated_bytes();
}
template <class C>
std::size_t reported_bytes_of(const C& c, long) {
    return c.stats().bytes;
}
template <class C>
std::size_t reported_bytes(const C& c) {
    return reported_bytes_of(c, 0);
}

template <class V>
V value_for(std::uint64_t k) {
    if constexpr (std::is_same<V, std::string>::value) return "value-" + std::to_string(k) + "-long-enough-to-allocate";
    else return static_cast<V>(k);
}

// The mixed vector workload: push_back, insert, erase, reserve, shrink_to_fit, resize, clear,
// assign, 2,000 seeded steps; the drift is observed after every step.
template <class Vec>
drift_result vector_workload(Vec& v, const lwtest::alloc_counter& counter) {
    using T = typename Vec::value_type;
    drift_result result;
    std::mt19937_64 rng(42);
    for (int step = 0; step < 2000; ++step) {
        const std::uint64_t r = rng();
        switch (r % 16) {
        case 0: v.reserve(v.size() + 1 + r % 300); break;
        case 1: v.shrink_to_fit(); break;
        case 2: if (r % 8 == 0) v.clear(); break;
        case 3: v.resize(r % 200, value_for<T>(r)); break;
        case 4: if (!v.empty()) v.erase(v.begin() + static_cast<std::ptrdiff_t>(r % v.size())); break;
        case 5: v.insert(v.begin() + static_cast<std::ptrdiff_t>(v.empty() ? 0 : r % v.size()), value_for<T>(r)); break;
        case 6: if (!v.empty()) v.pop_back(); break;
        case 7: if (r % 4 == 0) v.assign(r % 50, value_for<T>(r)); break;
        default: v.push_back(value_for<T>(r)); break;
        }
        result.observe(reported_bytes(v), counter.bytes());
    }
    return result;
}

// The mixed hash-map workload: insert, erase, operator[], rehash, reserve, clear, 4,000 steps.
template <class Map>
drift_result map_workload(Map& m, const lwtest::alloc_counter& counter) {
    using K = typename Map::key_type;
    using V = typename Map::mapped_type;
    drift_result result;
    std::mt19937_64 rng(43);
    for (int step = 0; step < 4000; ++step) {
        const std::uint64_t r = rng();
        const std::uint64_t k = r % 1500;
        switch (r % 16) {
        case 0: m.rehash(static_cast<std::size_t>(r % 4000)); break;
        case 1: m.reserve(m.size() + r % 500); break;
        case 2: if (r % 16 == 0) m.clear(); break;
        case 3: case 4: case 5: m.erase(value_for<K>(k)); break;
        case 6: m[value_for<K>(k)] = value_for<V>(r); break;
        default: m.insert({value_for<K>(k), value_for<V>(r)}); break;
        }
        result.observe(reported_bytes(m), counter.bytes());
    }
    return result;
}

// Set when a tracked container's bytes differ from its upstream's: the exact accounting is
// broken, and the program fails (the smoke test of this benchmark catches it).
bool g_tracked_inexact = false;

void print_row(const char* container, const char* how, const drift_result& d) {
    if (std::strcmp(how, "tracked") == 0 && (d.worst != 0 || d.reported != d.actual)) g_tracked_inexact = true;
    std::printf("  %-44s %-10s %10.2f %% %10.2f %% %12zu %12zu\n", container, how, d.worst, d.final_, d.reported,
                d.actual);
    benchmark::AddCustomContext(std::string("drift_final/") + container + "/" + how, std::to_string(d.final_));
}

template <class T>
void vector_accuracy(const char* name) {
    {
        lwtest::alloc_counter counter;
        twin::estimated_vector<T, counting<T>> v{counting<T>(&counter)};
        print_row(name, "estimated", vector_workload(v, counter));
    }
    {
        lwtest::alloc_counter counter;
        leakwatch::tracked_vector<T, counting<T>> v{counting<T>(&counter)};
        print_row(name, "tracked", vector_workload(v, counter));
    }
}

template <class K, class V>
void map_accuracy(const char* name) {
    using A = counting<std::pair<const K, V>>;
    {
        lwtest::alloc_counter counter;
        twin::estimated_map<K, V, std::hash<K>, std::equal_to<K>, A> m{A(&counter)};
        print_row(name, "estimated", map_workload(m, counter));
        // The same container, the portable node-size guess (no knowledge of the library's nodes).
        drift_result portable;
        portable.observe(m.estimate(m.size(), m.bucket_count(), twin::portable_hash_node_size<std::pair<const K, V>>()),
                         counter.bytes());
        portable.worst = portable.final_;
        std::printf("  %-44s %-10s %10s   %10.2f %% %12zu %12zu   (node %zu bytes guessed, %zu real)\n", name,
                    "portable", "-", portable.final_, portable.reported, portable.actual,
                    twin::portable_hash_node_size<std::pair<const K, V>>(), m.node_size);
    }
    {
        lwtest::alloc_counter counter;
        leakwatch::tracked_map<K, V, std::hash<K>, std::equal_to<K>, A> m{A(&counter)};
        print_row(name, "tracked", map_workload(m, counter));
    }
}

// Mutations through a reference to the std type: only the estimated container binds to one;
// the tracked one is mutated through c.std() (its std container with the charging allocator).
void reference_drift() {
    using T = std::uint64_t;
    std::printf("\nmutations through a reference to the std type (100 elements, then 10,000 push_backs through the "
                "reference):\n");
    std::printf("  %-58s %12s %12s %10s\n", "", "reported", "allocated", "drift");
    auto row = [](const char* what, std::size_t reported, std::size_t actual) {
        std::printf("  %-58s %12zu %12zu %8.1f %%\n", what, reported, actual, drift_percent(reported, actual));
    };
    {
        lwtest::alloc_counter counter;
        twin::estimated_vector<T, counting<T>> v{counting<T>(&counter)};
        for (T i = 0; i < 100; ++i) v.push_back(i);
        std::vector<T, counting<T>>& r = v;
        for (T i = 0; i < 10000; ++i) r.push_back(i);
        row("estimated_vector, after push_backs through std::vector&", v.estimated_bytes(), counter.bytes());
        v.push_back(0);
        row("  ... after the next wrapped push_back", v.estimated_bytes(), counter.bytes());
        r.clear();
        r.shrink_to_fit();
        row("  ... after clear + shrink_to_fit through the reference", v.estimated_bytes(), counter.bytes());
        for (T i = 0; i < 100; ++i) v.push_back(i);
        std::vector<T, counting<T>> taken = std::move(r);  // moved out through the base type
        row("  ... after `std::vector<T> x = std::move(r)`", v.estimated_bytes(), counter.bytes() - taken.capacity() * sizeof(T));
    }
    {
        lwtest::alloc_counter counter;
        leakwatch::tracked_vector<T, counting<T>> v{counting<T>(&counter)};
        for (T i = 0; i < 100; ++i) v.push_back(i);
        auto& r = v.std();
        for (T i = 0; i < 10000; ++i) r.push_back(i);
        row("tracked_vector, after push_backs through v.std()", v.stats().bytes, counter.bytes());
        if (v.stats().bytes != counter.bytes()) g_tracked_inexact = true;
    }
    using A = counting<std::pair<const key, key>>;
    {
        lwtest::alloc_counter counter;
        twin::estimated_map<key, key, std::hash<key>, std::equal_to<key>, A> m{A(&counter)};
        for (key i = 0; i < 100; ++i) m.emplace(i, i);
        std::unordered_map<key, key, std::hash<key>, std::equal_to<key>, A>& r = m;
        for (key i = 100; i < 10100; ++i) r.emplace(i, i);
        row("estimated_map, after 10,000 emplaces through std::unordered_map&", m.estimated_bytes(), counter.bytes());
        for (key i = 0; i < 10000; ++i) r.erase(i);
        row("  ... then 10,000 erases through the reference", m.estimated_bytes(), counter.bytes());
    }
    {
        lwtest::alloc_counter counter;
        leakwatch::tracked_map<key, key, std::hash<key>, std::equal_to<key>, A> m{A(&counter)};
        for (key i = 0; i < 100; ++i) m.emplace(i, i);
        auto& r = m.std();
        for (key i = 100; i < 10100; ++i) r.emplace(i, i);
        row("tracked_map, after 10,000 emplaces through m.std()", m.stats().bytes, counter.bytes());
        if (m.stats().bytes != counter.bytes()) g_tracked_inexact = true;
    }
}

void print_accuracy() {
    std::printf("accuracy: bytes the container reports against bytes allocated through its allocator (counting "
                "upstream), after a seeded mixed workload\n");
    std::printf("  %-44s %-10s %12s %12s %12s %12s\n", "container", "accounting", "worst drift", "final drift",
                "reported", "allocated");
    vector_accuracy<std::uint64_t>("vector<uint64_t>");
    vector_accuracy<std::string>("vector<string>");
    map_accuracy<key, key>("unordered_map<uint64_t, uint64_t>");
    map_accuracy<std::string, key>("unordered_map<string, uint64_t>");
    reference_drift();
    std::printf("\n");
    std::fflush(stdout);
}

// ---- benchmarks ----------------------------------------------------------------------------------

using std_vector = std::vector<key>;
using tracked_vector = leakwatch::tracked_vector<key>;
using estimated_vector = twin::estimated_vector<key>;
using std_map = std::unordered_map<key, key>;
using tracked_map = leakwatch::tracked_map<key, key>;
using estimated_map = twin::estimated_map<key, key>;

template <class C>
void bm_push_back(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    for (auto _ : state) {
        C c;
        const auto start = clock_type::now();
        for (std::size_t i = 0; i < n; ++i) c.push_back(static_cast<key>(i));
        const auto stop = clock_type::now();
        escape(c.data());
        state.SetIterationTime(std::chrono::duration<double>(stop - start).count());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
}

template <class C>
void bm_find_hit(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<key> keys(n);
    for (std::size_t i = 0; i < n; ++i) keys[i] = 2 * static_cast<key>(i);
    std::mt19937_64 rng(4);
    std::shuffle(keys.begin(), keys.end(), rng);
    C c;
    for (key k : keys) c.insert({k, k});
    std::vector<key> lookups;
    while (lookups.size() < 4096) {
        std::shuffle(keys.begin(), keys.end(), rng);
        lookups.insert(lookups.end(), keys.begin(), keys.end());
    }
    std::size_t i = 0;
    for (auto _ : state) {
        auto it = c.find(lookups[i]);
        benchmark::DoNotOptimize(it);
        if (++i == lookups.size()) i = 0;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

template <class C>
void bm_construct_destroy_vector(benchmark::State& state) {
    for (auto _ : state) {
        C c;
        c.push_back(1);
        escape(&c);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

template <class C>
void bm_construct_destroy_map(benchmark::State& state) {
    for (auto _ : state) {
        C c;
        c.insert({1, 1});
        escape(&c);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

bool heap_in_use(std::size_t& out) {
#if LEAKWATCH_BENCH_HAVE_MALLINFO2
    const struct mallinfo2 info = mallinfo2();
    out = info.uordblks + info.hblkhd;
    return true;
#else
    out = 0;
    return false;
#endif
}

template <class Map>
struct object {
    Map map;
};

// N objects each owning a two-element map. bytes_per_object: heap growth of the first build in
// this process (later builds reuse what the registry kept), so run it in a process of its own.
template <class Map>
void bm_objects(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    static double first_bytes = -1;
    double build_s = 0;
    for (auto _ : state) {
        std::size_t before = 0, built = 0;
        const bool known = heap_in_use(before);
        const auto start = clock_type::now();
        std::vector<object<Map>> objects;
        objects.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            objects.emplace_back();
            Map& m = objects.back().map;
            m.insert({1, static_cast<key>(i)});
            m.insert({2, static_cast<key>(i)});
        }
        escape(objects.data());
        const auto stop = clock_type::now();
        if (known && heap_in_use(built) && first_bytes < 0)
            first_bytes = static_cast<double>(built) - static_cast<double>(before);
        std::vector<object<Map>>().swap(objects);
        escape(objects.data());
        build_s += std::chrono::duration<double>(stop - start).count();
        state.SetIterationTime(std::chrono::duration<double>(stop - start).count());
    }
    state.counters["build_ns_per_object"] = build_s * 1e9 / static_cast<double>(state.iterations()) / static_cast<double>(n);
    state.counters["sizeof_object"] = static_cast<double>(sizeof(object<Map>));
    if (first_bytes >= 0) state.counters["bytes_per_object"] = first_bytes / static_cast<double>(n);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
}

void register_all(std::int64_t objects) {
    auto three = [](const std::string& op, std::int64_t arg, auto std_fn, auto tracked_fn, auto estimated_fn,
                    bool manual, benchmark::TimeUnit unit) {
        const std::string suffix;  // Arg() appends the size
        auto* a = benchmark::RegisterBenchmark((op + "/std" + suffix).c_str(), std_fn);
        auto* b = benchmark::RegisterBenchmark((op + "/tracked" + suffix).c_str(), tracked_fn);
        auto* c = benchmark::RegisterBenchmark((op + "/estimated" + suffix).c_str(), estimated_fn);
        for (auto* bm : {a, b, c}) {
            bm->Arg(arg)->Unit(unit);
            if (manual) bm->UseManualTime();
        }
    };
    three("push_back", 100000, bm_push_back<std_vector>, bm_push_back<tracked_vector>, bm_push_back<estimated_vector>,
          true, benchmark::kMicrosecond);
    three("find_hit", 16, bm_find_hit<std_map>, bm_find_hit<tracked_map>, bm_find_hit<estimated_map>, false,
          benchmark::kNanosecond);
    three("construct_destroy_vector", 1, bm_construct_destroy_vector<std_vector>,
          bm_construct_destroy_vector<tracked_vector>, bm_construct_destroy_vector<estimated_vector>, false,
          benchmark::kNanosecond);
    three("construct_destroy_map", 1, bm_construct_destroy_map<std_map>, bm_construct_destroy_map<tracked_map>,
          bm_construct_destroy_map<estimated_map>, false, benchmark::kNanosecond);
    three("objects", objects, bm_objects<std_map>, bm_objects<tracked_map>, bm_objects<estimated_map>, true,
          benchmark::kMillisecond);
}

bool size_flag(const char* arg, const char* name, std::int64_t& out) {
    const std::size_t len = std::strlen(name);
    if (std::strncmp(arg, name, len) != 0 || arg[len] != '=') return false;
    char* end = nullptr;
    const long long value = std::strtoll(arg + len + 1, &end, 10);
    if (end == arg + len + 1 || *end != '\0' || value <= 0) {
        std::fprintf(stderr, "bench_std_twin: %s needs a positive number, not '%s'\n", name, arg + len + 1);
        std::exit(2);
    }
    out = value;
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    std::int64_t objects = 1000000;
    bool accuracy_only = false;
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        if (size_flag(argv[i], "--objects", objects)) continue;
        if (std::strcmp(argv[i], "--accuracy-only") == 0) {
            accuracy_only = true;
            continue;
        }
        argv[kept++] = argv[i];
    }
    argc = kept;
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    print_accuracy();
    if (g_tracked_inexact) {
        std::fprintf(stderr, "bench_std_twin: a tracked container's bytes differ from what its upstream allocated\n");
        return 1;
    }
    if (accuracy_only) return 0;
    register_all(objects);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
