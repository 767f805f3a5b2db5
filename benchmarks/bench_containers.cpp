// benchmarks/bench_containers.cpp — every tracked container against its std twin, side by side.
//
// Each benchmark is registered twice with the same operation and size, once for the std type and
// once for its tracked twin, so that the names pair up:
//
//     find_hit/std_unordered_map/16          find_hit/tracked_map/16
//     push_back/std_vector/100000            push_back/tracked_vector/100000
//
// scripts/bench runs this binary (and bench_containers_disabled, the same source compiled with
// -DLEAKWATCH_DISABLE, where every tracked type is its std type) and prints the tracked/std
// ratios. Name scheme: <operation>/<implementation>/<size>[/...]; the implementation names are
// std_<std type> and the tracked type's name. Operations:
//
//   insert, erase        N keys into / out of a container (manual timing of the operations
//                        only; filling and clearing are untimed); small sizes run on a batch of
//                        containers so that one timed stretch holds >= 4096 operations
//   push_back            N push_backs into an empty container (reallocations included), batched
//   pop_back, pop_front  N pops, batched
//   find_hit, find_miss  one lookup of a present / absent key per iteration, in shuffled order
//   index                one operator[] per iteration (vector, deque)
//   iterate              one full range-for traversal per iteration
//   copy                 copy-construct (and destroy) a container of N elements
//   move                 move-construct a temporary from the container and move-assign it back
//   relocate             what a growing std::vector<C> does: move-construct 1,000 containers of
//                        N elements into new storage and destroy the moved-from ones (per container)
//   construct_destroy    construct, insert one element, destroy (size 1)
//   own_map_2threads     two threads, each erasing and re-inserting keys in its own map
//   shared_read_2threads two threads looking up keys in one shared map
//   registry_snapshot, registry_report   absolute times with N live tracked containers, with
//                        counter bytes_per_container = usage().bytes_reserved / live containers
//
// Keys are std::uint64_t (maps: uint64 -> uint64), the cheapest element type, so the relative
// overhead shown is the worst case: with larger elements or keys the std work grows and the
// tracking work does not.
#include <leakwatch/leakwatch.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace {

using key = std::uint64_t;
using clock_type = std::chrono::steady_clock;

constexpr std::int64_t small_size = 16;
constexpr std::int64_t large_size = 100000;
// Timed stretches of the batched benchmarks hold at least this many operations, so that the
// two clock reads around them do not matter.
constexpr std::int64_t min_batch_operations = 4096;

// Keeps `p` and everything reachable from it alive and observed (Chandler Carruth's escape).
inline void escape(const void* p) { asm volatile("" : : "g"(p) : "memory"); }

// --- what kind of container -----------------------------------------------------------------

template <class C, class = void>
struct has_mapped : std::false_type {};
template <class C>
struct has_mapped<C, std::void_t<typename C::mapped_type>> : std::true_type {};

template <class C>
typename C::value_type value_of(key k) {
    if constexpr (has_mapped<C>::value)
        return typename C::value_type(k, k);
    else
        return static_cast<typename C::value_type>(k);
}

template <class V>
key key_of(const V& v) {
    if constexpr (std::is_arithmetic<V>::value)
        return static_cast<key>(v);
    else
        return static_cast<key>(v.first);
}

// Present keys are even (0, 2, 4, ...), absent keys odd: a miss lands between present keys in
// an ordered container and in an occupied bucket of an unordered one.
std::vector<key> present_keys(std::size_t n, std::uint64_t seed) {
    std::vector<key> keys(n);
    for (std::size_t i = 0; i < n; ++i) keys[i] = 2 * static_cast<key>(i);
    std::mt19937_64 rng(seed);
    std::shuffle(keys.begin(), keys.end(), rng);
    return keys;
}
std::vector<key> absent_keys(std::size_t n, std::uint64_t seed) {
    std::vector<key> keys = present_keys(n, seed);
    for (key& k : keys) ++k;
    return keys;
}
// A lookup sequence of at least 4096 keys (the given ones, repeated), so that small containers
// do not see one key over and over.
std::vector<key> lookup_sequence(const std::vector<key>& keys) {
    std::vector<key> out;
    while (out.size() < 4096) out.insert(out.end(), keys.begin(), keys.end());
    return out;
}

template <class C>
void fill(C& c, const std::vector<key>& keys) {
    for (key k : keys) c.insert(value_of<C>(k));
}

std::size_t batch_for(std::int64_t n) {
    return static_cast<std::size_t>(std::max<std::int64_t>(1, min_batch_operations / std::max<std::int64_t>(n, 1)));
}

void set_manual_time(benchmark::State& state, clock_type::time_point start, clock_type::time_point stop) {
    state.SetIterationTime(std::chrono::duration<double>(stop - start).count());
}

void set_items(benchmark::State& state, std::size_t per_iteration) {
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(per_iteration));
}

// --- associative containers --------------------------------------------------------------------

template <class C>
void bm_insert(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const std::vector<key> keys = present_keys(n, 1);
    std::vector<C> containers(batch_for(state.range(0)));
    for (auto _ : state) {
        const auto start = clock_type::now();
        for (C& c : containers)
            for (key k : keys) c.insert(value_of<C>(k));
        const auto stop = clock_type::now();
        escape(containers.data());
        set_manual_time(state, start, stop);
        for (C& c : containers) c.clear();
    }
    set_items(state, n * containers.size());
}

template <class C>
void bm_erase(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    // Erased in the order they were inserted: with the allocator's free lists handing nodes
    // back last-in first-out, every round then sees one of two node layouts, instead of a
    // layout that gets more scattered round after round (which made large sizes drift).
    const std::vector<key> keys = present_keys(n, 2);
    const std::vector<key>& order = keys;
    std::vector<C> containers(batch_for(state.range(0)));
    for (auto _ : state) {
        for (C& c : containers) fill(c, keys);
        const auto start = clock_type::now();
        for (C& c : containers)
            for (key k : order) c.erase(k);
        const auto stop = clock_type::now();
        escape(containers.data());
        set_manual_time(state, start, stop);
    }
    set_items(state, n * containers.size());
}

template <class C>
void bm_find(benchmark::State& state, bool hit) {
    const auto n = static_cast<std::size_t>(state.range(0));
    C c;
    fill(c, present_keys(n, 4));
    const std::vector<key> keys = lookup_sequence(hit ? present_keys(n, 5) : absent_keys(n, 5));
    std::size_t i = 0;
    for (auto _ : state) {
        auto it = c.find(keys[i]);
        benchmark::DoNotOptimize(it);
        if (++i == keys.size()) i = 0;
    }
    set_items(state, 1);
}

template <class C>
void bm_iterate(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    C c;
    fill(c, present_keys(n, 6));
    for (auto _ : state) {
        key sum = 0;
        for (const auto& v : c) sum += key_of(v);
        benchmark::DoNotOptimize(sum);
    }
    set_items(state, n);
}

template <class C>
void bm_copy(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    C c;
    for (key k : present_keys(n, 7)) c.insert(c.end(), value_of<C>(k));
    for (auto _ : state) {
        C copy(c);
        escape(&copy);
    }
    set_items(state, n);
}

template <class C>
void bm_move(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    C c;
    for (key k : present_keys(n, 8)) c.insert(c.end(), value_of<C>(k));
    for (auto _ : state) {
        C moved(std::move(c));
        escape(&moved);
        c = std::move(moved);
        escape(&c);
    }
    set_items(state, 1);
}

// What a growing std::vector<C> does with its elements: move-construct each into new storage
// and destroy the moved-from originals; 1,000 containers of N elements, per container.
template <class C>
void bm_relocate(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    constexpr std::size_t count = 1000;
    std::vector<C> from(count);
    for (C& c : from)
        for (key k : present_keys(n, 9)) c.insert(c.end(), value_of<C>(k));
    std::vector<C> to;
    to.reserve(count);
    for (auto _ : state) {
        for (C& c : from) to.emplace_back(std::move(c));
        from.clear();
        from.swap(to);
        escape(from.data());
    }
    set_items(state, count);
}

template <class C>
void bm_construct_destroy(benchmark::State& state) {
    for (auto _ : state) {
        C c;
        c.insert(c.end(), value_of<C>(1));
        escape(&c);
    }
    set_items(state, 1);
}

// --- sequence containers ---------------------------------------------------------------------

template <class C>
void bm_push_back(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<C> containers(batch_for(state.range(0)));
    for (auto _ : state) {
        const auto start = clock_type::now();
        for (C& c : containers)
            for (std::size_t i = 0; i < n; ++i) c.push_back(static_cast<typename C::value_type>(i));
        const auto stop = clock_type::now();
        escape(containers.data());
        set_manual_time(state, start, stop);
        for (C& c : containers) c = C();  // back to no capacity: the next round reallocates again
    }
    set_items(state, n * containers.size());
}

template <class C, bool Front>
void bm_pop(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<C> containers(batch_for(state.range(0)));
    for (auto _ : state) {
        for (C& c : containers)
            for (std::size_t i = 0; i < n; ++i) c.push_back(static_cast<typename C::value_type>(i));
        const auto start = clock_type::now();
        for (C& c : containers)
            for (std::size_t i = 0; i < n; ++i) {
                if constexpr (Front) c.pop_front();
                else c.pop_back();
            }
        const auto stop = clock_type::now();
        escape(containers.data());
        set_manual_time(state, start, stop);
    }
    set_items(state, n * containers.size());
}

template <class C>
void bm_index(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    C c;
    for (std::size_t i = 0; i < n; ++i) c.push_back(static_cast<typename C::value_type>(i));
    std::vector<key> positions = present_keys(n, 9);
    for (key& p : positions) p /= 2;
    positions = lookup_sequence(positions);
    std::size_t i = 0;
    for (auto _ : state) {
        auto& element = c[positions[i]];
        benchmark::DoNotOptimize(element);
        if (++i == positions.size()) i = 0;
    }
    set_items(state, 1);
}

template <class C>
void bm_sequence_iterate(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    C c;
    for (std::size_t i = 0; i < n; ++i) c.push_back(static_cast<typename C::value_type>(i));
    for (auto _ : state) {
        key sum = 0;
        for (const auto& v : c) sum += v;
        benchmark::DoNotOptimize(sum);
    }
    set_items(state, n);
}

template <class C>
void bm_sequence_copy(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    C c;
    for (std::size_t i = 0; i < n; ++i) c.push_back(static_cast<typename C::value_type>(i));
    for (auto _ : state) {
        C copy(c);
        escape(&copy);
    }
    set_items(state, n);
}

template <class C>
void bm_sequence_construct_destroy(benchmark::State& state) {
    for (auto _ : state) {
        C c;
        c.push_back(1);
        escape(&c);
    }
    set_items(state, 1);
}

// --- two threads ---------------------------------------------------------------------------

constexpr std::int64_t thread_map_size = 1024;

// Each thread owns a map of 1024 keys and, per iteration, erases one and inserts it back.
template <class C>
void bm_own_map_2threads(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const std::vector<key> keys = present_keys(n, 10 + static_cast<std::uint64_t>(state.thread_index()));
    C c;
    fill(c, keys);
    std::size_t i = 0;
    for (auto _ : state) {
        c.erase(keys[i]);
        c.insert(value_of<C>(keys[i]));
        if (++i == keys.size()) i = 0;
    }
    escape(&c);
    set_items(state, 1);
}

template <class C>
C& shared_map(std::size_t n) {
    static C* const shared = [n] {
        auto* c = new C();
        fill(*c, present_keys(n, 20));
        return c;
    }();
    return *shared;
}

// Two threads look up keys of one shared map.
template <class C>
void bm_shared_read_2threads(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const C& c = shared_map<C>(n);
    const std::vector<key> keys = lookup_sequence(present_keys(n, 30 + static_cast<std::uint64_t>(state.thread_index())));
    std::size_t i = 0;
    for (auto _ : state) {
        auto it = c.find(keys[i]);
        benchmark::DoNotOptimize(it);
        if (++i == keys.size()) i = 0;
    }
    set_items(state, 1);
}

// --- registration --------------------------------------------------------------------------

template <class Fn>
void add(const std::string& name, Fn fn, std::int64_t size, bool manual_time) {
    auto* b = benchmark::RegisterBenchmark(name.c_str(), fn);
    b->Arg(size);
    if (manual_time) b->UseManualTime();
}

// "<op>/<impl>"; Arg() appends "/<size>".
std::string bench_name(const char* op, const char* impl) { return std::string(op) + "/" + impl; }

// One operation, std then tracked, at each size.
template <class Std, class Tracked, class Fn>
void pair(const char* op, const char* std_name, const char* tracked_name, std::initializer_list<std::int64_t> sizes,
          bool manual_time, Fn fn) {
    for (std::int64_t size : sizes) {
        add(bench_name(op, std_name), [fn](benchmark::State& s) { fn(s, static_cast<Std*>(nullptr)); }, size,
            manual_time);
        add(bench_name(op, tracked_name), [fn](benchmark::State& s) { fn(s, static_cast<Tracked*>(nullptr)); },
            size, manual_time);
    }
}

template <class Std, class Tracked>
void register_associative(const char* std_name, const char* tracked_name) {
    const auto sizes = {small_size, large_size};
    pair<Std, Tracked>("insert", std_name, tracked_name, sizes, true,
                       [](benchmark::State& s, auto* c) { bm_insert<std::remove_pointer_t<decltype(c)>>(s); });
    pair<Std, Tracked>("erase", std_name, tracked_name, sizes, true,
                       [](benchmark::State& s, auto* c) { bm_erase<std::remove_pointer_t<decltype(c)>>(s); });
    pair<Std, Tracked>("find_hit", std_name, tracked_name, sizes, false,
                       [](benchmark::State& s, auto* c) { bm_find<std::remove_pointer_t<decltype(c)>>(s, true); });
    pair<Std, Tracked>("find_miss", std_name, tracked_name, sizes, false,
                       [](benchmark::State& s, auto* c) { bm_find<std::remove_pointer_t<decltype(c)>>(s, false); });
    pair<Std, Tracked>("iterate", std_name, tracked_name, sizes, false,
                       [](benchmark::State& s, auto* c) { bm_iterate<std::remove_pointer_t<decltype(c)>>(s); });
    pair<Std, Tracked>("copy", std_name, tracked_name, sizes, false,
                       [](benchmark::State& s, auto* c) { bm_copy<std::remove_pointer_t<decltype(c)>>(s); });
    pair<Std, Tracked>("move", std_name, tracked_name, sizes, false,
                       [](benchmark::State& s, auto* c) { bm_move<std::remove_pointer_t<decltype(c)>>(s); });
    pair<Std, Tracked>("relocate", std_name, tracked_name, {small_size}, false,
                       [](benchmark::State& s, auto* c) { bm_relocate<std::remove_pointer_t<decltype(c)>>(s); });
    pair<Std, Tracked>("construct_destroy", std_name, tracked_name, {1}, false, [](benchmark::State& s, auto* c) {
        bm_construct_destroy<std::remove_pointer_t<decltype(c)>>(s);
    });
}

template <class Std, class Tracked, bool PopFront, bool Indexable>
void register_sequence(const char* std_name, const char* tracked_name) {
    const auto sizes = {small_size, large_size};
    pair<Std, Tracked>("push_back", std_name, tracked_name, sizes, true,
                       [](benchmark::State& s, auto* c) { bm_push_back<std::remove_pointer_t<decltype(c)>>(s); });
    if constexpr (PopFront)
        pair<Std, Tracked>("pop_front", std_name, tracked_name, sizes, true,
                           [](benchmark::State& s, auto* c) { bm_pop<std::remove_pointer_t<decltype(c)>, true>(s); });
    else
        pair<Std, Tracked>("pop_back", std_name, tracked_name, sizes, true,
                           [](benchmark::State& s, auto* c) { bm_pop<std::remove_pointer_t<decltype(c)>, false>(s); });
    if constexpr (Indexable)
        pair<Std, Tracked>("index", std_name, tracked_name, sizes, false,
                           [](benchmark::State& s, auto* c) { bm_index<std::remove_pointer_t<decltype(c)>>(s); });
    pair<Std, Tracked>("iterate", std_name, tracked_name, sizes, false,
                       [](benchmark::State& s, auto* c) { bm_sequence_iterate<std::remove_pointer_t<decltype(c)>>(s); });
    pair<Std, Tracked>("copy", std_name, tracked_name, sizes, false,
                       [](benchmark::State& s, auto* c) { bm_sequence_copy<std::remove_pointer_t<decltype(c)>>(s); });
    pair<Std, Tracked>("move", std_name, tracked_name, sizes, false,
                       [](benchmark::State& s, auto* c) { bm_move<std::remove_pointer_t<decltype(c)>>(s); });
    pair<Std, Tracked>("relocate", std_name, tracked_name, {small_size}, false,
                       [](benchmark::State& s, auto* c) { bm_relocate<std::remove_pointer_t<decltype(c)>>(s); });
    pair<Std, Tracked>("construct_destroy", std_name, tracked_name, {1}, false, [](benchmark::State& s, auto* c) {
        bm_sequence_construct_destroy<std::remove_pointer_t<decltype(c)>>(s);
    });
}

template <class Std, class Tracked>
void register_threads(const char* std_name, const char* tracked_name) {
    benchmark::RegisterBenchmark((std::string("own_map_2threads/") + std_name).c_str(), bm_own_map_2threads<Std>)
        ->Arg(thread_map_size)->Threads(2)->UseRealTime();
    benchmark::RegisterBenchmark((std::string("own_map_2threads/") + tracked_name).c_str(),
                                 bm_own_map_2threads<Tracked>)
        ->Arg(thread_map_size)->Threads(2)->UseRealTime();
    benchmark::RegisterBenchmark((std::string("shared_read_2threads/") + std_name).c_str(), bm_shared_read_2threads<Std>)
        ->Arg(thread_map_size)->Threads(2)->UseRealTime();
    benchmark::RegisterBenchmark((std::string("shared_read_2threads/") + tracked_name).c_str(),
                                 bm_shared_read_2threads<Tracked>)
        ->Arg(thread_map_size)->Threads(2)->UseRealTime();
}

// --- the registry ------------------------------------------------------------------------------

#if !defined(LEAKWATCH_DISABLE)

// N live tracked maps spread over 1,000 creation sites (real programs have a bounded number of
// sites and many instances per site: with 1,000 containers every site holds one and is
// reported as that container; with 100,000 each site holds 100). Every tenth map grows by one
// element per epoch, the rest hold 1 to 8 elements. The history rings are full (64 epochs)
// before timing starts.
constexpr unsigned registry_sites = 1000;

struct registry_population {
    std::vector<std::unique_ptr<leakwatch::tracked_map<key, key>>> maps;
    key next_key = 1u << 20;

    explicit registry_population(std::size_t n) {
        maps.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            const leakwatch::source_site site{__FILE__, 100000 + static_cast<unsigned>(i % registry_sites),
                                              "registry_population"};
            maps.push_back(std::make_unique<leakwatch::tracked_map<key, key>>(site));
            for (key k = 0; k < 1 + i % 8; ++k) maps.back()->emplace(k, k);
        }
        for (std::size_t epoch = 0; epoch < LEAKWATCH_HISTORY_CAPACITY; ++epoch) {
            grow();
            leakwatch::registry::snapshot();
        }
    }
    void grow() {
        for (std::size_t i = 0; i < maps.size(); i += 10) maps[i]->emplace(next_key, next_key);
        ++next_key;
    }
};

void registry_counters(benchmark::State& state) {
    const leakwatch::registry_usage usage = leakwatch::registry::usage();
    state.counters["live_containers"] = static_cast<double>(usage.live_records);
    state.counters["bytes_reserved"] = static_cast<double>(usage.bytes_reserved);
    state.counters["bytes_per_container"] =
        usage.live_records != 0 ? static_cast<double>(usage.bytes_reserved) / static_cast<double>(usage.live_records) : 0;
}

void bm_registry_snapshot(benchmark::State& state) {
    registry_population population(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        state.PauseTiming();
        population.grow();
        state.ResumeTiming();
        leakwatch::registry::snapshot();
    }
    registry_counters(state);
}

void bm_registry_report(benchmark::State& state) {
    registry_population population(static_cast<std::size_t>(state.range(0)));
    std::size_t findings = 0;
    for (auto _ : state) {
        state.PauseTiming();
        population.grow();
        state.ResumeTiming();
        const leakwatch::growth_report report = leakwatch::registry::report();
        findings = report.findings().size();
        escape(&report);
    }
    state.counters["findings"] = static_cast<double>(findings);
    registry_counters(state);
}

void register_registry() {
    for (std::int64_t n : {1000, 10000, 100000}) {
        benchmark::RegisterBenchmark("registry_snapshot", bm_registry_snapshot)->Arg(n)->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark("registry_report", bm_registry_report)->Arg(n)->Unit(benchmark::kMillisecond);
    }
}

#else
void register_registry() {}
#endif

void register_all() {
    using namespace leakwatch;
    register_associative<std::unordered_map<key, key>, tracked_map<key, key>>("std_unordered_map", "tracked_map");
    register_associative<std::unordered_set<key>, tracked_unordered_set<key>>("std_unordered_set",
                                                                              "tracked_unordered_set");
    register_associative<std::unordered_multimap<key, key>, tracked_unordered_multimap<key, key>>(
        "std_unordered_multimap", "tracked_unordered_multimap");
    register_associative<std::unordered_multiset<key>, tracked_unordered_multiset<key>>("std_unordered_multiset",
                                                                                        "tracked_unordered_multiset");
    register_associative<std::map<key, key>, tracked_ordered_map<key, key>>("std_map", "tracked_ordered_map");
    register_associative<std::set<key>, tracked_ordered_set<key>>("std_set", "tracked_ordered_set");
    register_associative<std::multimap<key, key>, tracked_ordered_multimap<key, key>>("std_multimap",
                                                                                      "tracked_ordered_multimap");
    register_associative<std::multiset<key>, tracked_ordered_multiset<key>>("std_multiset", "tracked_ordered_multiset");
    register_sequence<std::vector<key>, tracked_vector<key>, false, true>("std_vector", "tracked_vector");
    register_sequence<std::deque<key>, tracked_deque<key>, true, true>("std_deque", "tracked_deque");
    register_sequence<std::list<key>, tracked_list<key>, true, false>("std_list", "tracked_list");
    register_threads<std::unordered_map<key, key>, tracked_map<key, key>>("std_unordered_map", "tracked_map");
    register_registry();
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    register_all();
    benchmark::AddCustomContext("leakwatch", leakwatch::enabled() ? "enabled" : "LEAKWATCH_DISABLE");
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
