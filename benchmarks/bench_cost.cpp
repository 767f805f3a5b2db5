// benchmarks/bench_cost.cpp — what tracking costs in whole-program shapes, std against tracked.
//
// Pairs named like bench_containers.cpp's, <operation>/<implementation>/<size>[/...], the std
// variant first:
//
//   objects/std_unordered_map/N          N objects, each owning a std::unordered_map<int, int>
//   objects/tracked_map/N                (or leakwatch::tracked_map<int, int>) holding two
//                                        elements, built into a reserved std::vector, then
//                                        destroyed. N = 1,000,000 unless --objects=N.
//   nested_store/std_unordered_map/K/20/4   a plugin's store, map<int, map<string, vector<int>>>
//   nested_store/tracked_map/K/20/4         (std or tracked at every level), filled with
//                                        outer[k][name].push_back(x): K outer keys (1,000 unless
//                                        --store-keys=K) x 20 names x 4 ints, then destroyed.
//   vector_of_vectors/std_vector/100     100 push_backs of a one-element vector<X> (std or
//   vector_of_vectors/tracked_vector/100 tracked) into a std::vector, X counting its copies:
//                                        the outer vector copies its elements when it grows
//                                        unless their move constructor is noexcept.
//
// Times are manual (build + destroy; bookkeeping between the two is not timed). Counters:
//
//   bytes_per_object, heap_bytes   growth of the process's heap in use (glibc mallinfo2:
//                                  uordblks + hblkhd, i.e. every malloc'd byte not yet freed,
//                                  mmapped blocks included) from before building to after
//                                  building, for the FIRST build of that benchmark and size in
//                                  this process. That includes the object itself (the
//                                  vector's slot), every allocation made for it and whatever
//                                  the registry allocates for it. Memory the registry keeps
//                                  after the objects die can be reused by later builds, so
//                                  run a memory benchmark in a process of its own (e.g.
//                                  --benchmark_filter=^objects/) for an honest number.
//   heap_kept_per_object, heap_kept_bytes   heap still in use after the first build was
//                                  destroyed, against before it (what the process keeps).
//   sizeof_object                  sizeof of one object (the map alone).
//   build_ns_per_object, destroy_ns_per_object   the two timed halves (mean of iterations).
//   x_copies, x_moves              copies / moves of X during one round of 100 push_backs.
//
// Before the benchmarks the program prints static notes: std::is_nothrow_move_constructible
// (and _assignable) of every tracked container and its std twin, and the X copy counts of
// vector_of_vectors. --notes-only prints them and exits. Without glibc's mallinfo2 the heap
// counters are left out.
//
// The move cost of each container (16 elements, move-construct then move back) is
// move/<impl>/16 in bench_containers.cpp; construct_destroy, find, iterate, insert/erase,
// push_back and the two-thread rows are there too. scripts/bench-cost runs both and prints the
// tables.
#include <leakwatch/leakwatch.hpp>

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <list>
#include <map>
#include <set>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#include <malloc.h>
#define LEAKWATCH_BENCH_HAVE_MALLINFO2 1
#else
#define LEAKWATCH_BENCH_HAVE_MALLINFO2 0
#endif

namespace {

using clock_type = std::chrono::steady_clock;

inline void escape(const void* p) { asm volatile("" : : "g"(p) : "memory"); }

double seconds(clock_type::time_point a, clock_type::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// Bytes malloc'd and not freed, in the whole process (every arena, mmapped blocks included);
// false when the C library cannot say.
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

// Heap growth of the first build of one benchmark at one size in this process.
struct heap_growth {
    bool known = false;
    double built = 0;  // in use after building minus before
    double kept = 0;   // in use after destroying minus before
};

// Measures one build (between before() and built()) and its destruction (until destroyed()).
class heap_probe {
public:
    void before() { ok_ = heap_in_use(before_); }
    void built() { ok_ = heap_in_use(built_) && ok_; }
    void destroyed() { ok_ = heap_in_use(destroyed_) && ok_; }
    heap_growth growth() const {
        heap_growth g;
        g.known = ok_;
        g.built = static_cast<double>(built_) - static_cast<double>(before_);
        g.kept = static_cast<double>(destroyed_) - static_cast<double>(before_);
        return g;
    }

private:
    bool ok_ = false;
    std::size_t before_ = 0, built_ = 0, destroyed_ = 0;
};

// The first measurement recorded under `size` for this instantiation wins.
template <class Tag>
heap_growth first_growth(std::int64_t size, const heap_growth& now) {
    static std::map<std::int64_t, heap_growth> first;
    return first.emplace(size, now).first->second;
}

// --- objects: N objects, each owning a two-element map -------------------------------------------

template <class Map>
struct object {
    Map map;
};

template <class Map>
void bm_objects(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    double build_s = 0, destroy_s = 0;
    heap_growth first;
    for (auto _ : state) {
        heap_probe probe;
        probe.before();
        const auto start = clock_type::now();
        std::vector<object<Map>> objects;
        objects.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            objects.emplace_back();
            Map& m = objects.back().map;
            m.emplace(1, static_cast<int>(i));
            m.emplace(2, static_cast<int>(i));
        }
        escape(objects.data());
        const auto built = clock_type::now();
        probe.built();
        const auto destroy_start = clock_type::now();
        std::vector<object<Map>>().swap(objects);  // destroys the objects and frees the vector
        escape(objects.data());
        const auto destroyed = clock_type::now();
        probe.destroyed();
        first = first_growth<object<Map>>(state.range(0), probe.growth());
        build_s += seconds(start, built);
        destroy_s += seconds(destroy_start, destroyed);
        state.SetIterationTime(seconds(start, built) + seconds(destroy_start, destroyed));
    }
    const double per_object = 1.0 / static_cast<double>(n);
    const double per_round = 1e9 / static_cast<double>(state.iterations()) * per_object;
    state.counters["build_ns_per_object"] = build_s * per_round;
    state.counters["destroy_ns_per_object"] = destroy_s * per_round;
    state.counters["sizeof_object"] = static_cast<double>(sizeof(object<Map>));
    if (first.known) {
        state.counters["bytes_per_object"] = first.built * per_object;
        state.counters["heap_kept_per_object"] = first.kept * per_object;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
}

// --- nested_store: a plugin's store -----------------------------------------------------------------

template <class Outer>
void bm_nested_store(benchmark::State& state) {
    const auto outer_keys = static_cast<int>(state.range(0));
    const auto name_count = static_cast<std::size_t>(state.range(1));
    const auto ints = static_cast<int>(state.range(2));
    std::vector<std::string> names;
    for (std::size_t j = 0; j < name_count; ++j) names.push_back("counter_" + std::to_string(j));
    double build_s = 0, destroy_s = 0;
    heap_growth first;
    std::size_t leaves = 0;
    for (auto _ : state) {
        heap_probe probe;
        probe.before();
        const auto start = clock_type::now();
        Outer store;
        // Round after round, so that every push_back looks both keys up again and the inner
        // vectors grow one element at a time, as a plugin recording values would.
        for (int x = 0; x < ints; ++x)
            for (int k = 0; k < outer_keys; ++k)
                for (const std::string& name : names) store[k][name].push_back(x);
        escape(&store);
        const auto built = clock_type::now();
        probe.built();
        leaves = 0;
        for (const auto& outer : store) leaves += outer.second.size();
        const auto destroy_start = clock_type::now();
        Outer().swap(store);
        escape(&store);
        const auto destroyed = clock_type::now();
        probe.destroyed();
        first = first_growth<Outer>(state.range(0), probe.growth());
        build_s += seconds(start, built);
        destroy_s += seconds(destroy_start, destroyed);
        state.SetIterationTime(seconds(start, built) + seconds(destroy_start, destroyed));
    }
    const double pushes = static_cast<double>(outer_keys) * static_cast<double>(name_count) * ints;
    state.counters["build_ms"] = build_s * 1e3 / static_cast<double>(state.iterations());
    state.counters["destroy_ms"] = destroy_s * 1e3 / static_cast<double>(state.iterations());
    state.counters["vectors"] = static_cast<double>(leaves);
    if (first.known) {
        state.counters["heap_bytes"] = first.built;
        state.counters["heap_bytes_per_int"] = first.built / pushes;
        state.counters["heap_kept_bytes"] = first.kept;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(pushes));
}

// --- vector_of_vectors: copies of X while a std::vector of vectors grows ----------------------------

struct copy_counts {
    long copies = 0;
    long moves = 0;
};
copy_counts g_counts;

// An element that counts how often it is copied and moved (its moves are noexcept, so that
// only the container around it decides between copying and moving).
struct counted {
    int value;
    explicit counted(int v) noexcept : value(v) {}
    counted(const counted& other) noexcept : value(other.value) { ++g_counts.copies; }
    counted(counted&& other) noexcept : value(other.value) { ++g_counts.moves; }
    counted& operator=(const counted& other) noexcept {
        value = other.value;
        ++g_counts.copies;
        return *this;
    }
    counted& operator=(counted&& other) noexcept {
        value = other.value;
        ++g_counts.moves;
        return *this;
    }
    ~counted() = default;
};

// One round: `pushes` one-element Inner vectors pushed into a std::vector that starts empty.
template <class Inner>
copy_counts vector_of_vectors_round(int pushes) {
    const copy_counts before = g_counts;
    {
        std::vector<Inner> outer;
        for (int i = 0; i < pushes; ++i) {
            Inner inner;
            inner.emplace_back(i);
            outer.push_back(std::move(inner));
        }
        escape(outer.data());
    }
    return copy_counts{g_counts.copies - before.copies, g_counts.moves - before.moves};
}

template <class Inner>
void bm_vector_of_vectors(benchmark::State& state) {
    const auto pushes = static_cast<int>(state.range(0));
    copy_counts total;
    for (auto _ : state) {
        const copy_counts round = vector_of_vectors_round<Inner>(pushes);
        total.copies += round.copies;
        total.moves += round.moves;
    }
    const auto iterations = static_cast<double>(state.iterations());
    state.counters["x_copies"] = static_cast<double>(total.copies) / iterations;
    state.counters["x_moves"] = static_cast<double>(total.moves) / iterations;
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * pushes);
}

// --- static notes -----------------------------------------------------------------------------------

const char* yes_no(bool b) { return b ? "yes" : "no"; }

template <class Std, class Tracked>
void nothrow_note(const char* std_name, const char* tracked_name) {
    const bool std_c = std::is_nothrow_move_constructible<Std>::value;
    const bool tracked_c = std::is_nothrow_move_constructible<Tracked>::value;
    const bool std_a = std::is_nothrow_move_assignable<Std>::value;
    const bool tracked_a = std::is_nothrow_move_assignable<Tracked>::value;
    std::printf("  %-52s %-8s %-8s %-8s %s\n", (std::string(std_name) + " / " + tracked_name).c_str(), yes_no(std_c),
                yes_no(tracked_c), yes_no(std_a), yes_no(tracked_a));
    benchmark::AddCustomContext(std::string("nothrow_move_constructible/") + std_name, yes_no(std_c));
    benchmark::AddCustomContext(std::string("nothrow_move_constructible/") + tracked_name, yes_no(tracked_c));
    benchmark::AddCustomContext(std::string("nothrow_move_assignable/") + std_name, yes_no(std_a));
    benchmark::AddCustomContext(std::string("nothrow_move_assignable/") + tracked_name, yes_no(tracked_a));
}

void print_notes() {
    using namespace leakwatch;
    std::printf("leakwatch %s; element types int (maps: int -> int)\n",
                enabled() ? "enabled" : "disabled (LEAKWATCH_DISABLE: every tracked type is its std type)");
    std::printf("noexcept moves (std::is_nothrow_move_constructible / _assignable):\n");
    std::printf("  %-52s %-8s %-8s %-8s %s\n", "std / tracked", "ctor std", "ctor trk", "asgn std", "asgn trk");
    nothrow_note<std::unordered_map<int, int>, tracked_map<int, int>>("std_unordered_map", "tracked_map");
    nothrow_note<std::unordered_set<int>, tracked_unordered_set<int>>("std_unordered_set", "tracked_unordered_set");
    nothrow_note<std::unordered_multimap<int, int>, tracked_unordered_multimap<int, int>>(
        "std_unordered_multimap", "tracked_unordered_multimap");
    nothrow_note<std::unordered_multiset<int>, tracked_unordered_multiset<int>>("std_unordered_multiset",
                                                                                "tracked_unordered_multiset");
    nothrow_note<std::map<int, int>, tracked_ordered_map<int, int>>("std_map", "tracked_ordered_map");
    nothrow_note<std::set<int>, tracked_ordered_set<int>>("std_set", "tracked_ordered_set");
    nothrow_note<std::multimap<int, int>, tracked_ordered_multimap<int, int>>("std_multimap",
                                                                              "tracked_ordered_multimap");
    nothrow_note<std::multiset<int>, tracked_ordered_multiset<int>>("std_multiset", "tracked_ordered_multiset");
    nothrow_note<std::vector<int>, tracked_vector<int>>("std_vector", "tracked_vector");
    nothrow_note<std::deque<int>, tracked_deque<int>>("std_deque", "tracked_deque");
    nothrow_note<std::list<int>, tracked_list<int>>("std_list", "tracked_list");

    const copy_counts std_counts = vector_of_vectors_round<std::vector<counted>>(100);
    const copy_counts tracked_counts = vector_of_vectors_round<tracked_vector<counted>>(100);
    std::printf("std::vector<V> growing by 100 push_backs of a one-element V, copies (moves) of the element:\n");
    std::printf("  V = std::vector<X>:     %ld (%ld)\n", std_counts.copies, std_counts.moves);
    std::printf("  V = tracked_vector<X>:  %ld (%ld)\n", tracked_counts.copies, tracked_counts.moves);
    std::fflush(stdout);
    benchmark::AddCustomContext("x_copies/std_vector", std::to_string(std_counts.copies));
    benchmark::AddCustomContext("x_copies/tracked_vector", std::to_string(tracked_counts.copies));
}

// --- registration -----------------------------------------------------------------------------------

// One operation, std then tracked (pairs by name with the same arguments).
void add_pair(const std::string& op, const char* std_name, const char* tracked_name,
              const std::vector<std::int64_t>& args, benchmark::TimeUnit unit, void (*std_fn)(benchmark::State&),
              void (*tracked_fn)(benchmark::State&)) {
    benchmark::RegisterBenchmark((op + "/" + std_name).c_str(), std_fn)->Args(args)->UseManualTime()->Unit(unit);
    benchmark::RegisterBenchmark((op + "/" + tracked_name).c_str(), tracked_fn)->Args(args)->UseManualTime()->Unit(unit);
}

void register_all(std::int64_t objects, std::int64_t store_keys) {
    using namespace leakwatch;
    using std_map = std::unordered_map<int, int>;
    using trk_map = tracked_map<int, int>;
    add_pair("objects", "std_unordered_map", "tracked_map", {objects}, benchmark::kMillisecond, bm_objects<std_map>,
             bm_objects<trk_map>);

    using std_store = std::unordered_map<int, std::unordered_map<std::string, std::vector<int>>>;
    using trk_store = tracked_map<int, tracked_map<std::string, tracked_vector<int>>>;
    add_pair("nested_store", "std_unordered_map", "tracked_map", {store_keys, 20, 4}, benchmark::kMillisecond,
             bm_nested_store<std_store>, bm_nested_store<trk_store>);

    benchmark::RegisterBenchmark("vector_of_vectors/std_vector", bm_vector_of_vectors<std::vector<counted>>)
        ->Arg(100)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("vector_of_vectors/tracked_vector", bm_vector_of_vectors<tracked_vector<counted>>)
        ->Arg(100)->Unit(benchmark::kMicrosecond);
}

// Reads --NAME=VALUE (a positive count) into `out`; true when argv[i] was that flag.
bool size_flag(const char* arg, const char* name, std::int64_t& out) {
    const std::size_t len = std::strlen(name);
    if (std::strncmp(arg, name, len) != 0 || arg[len] != '=') return false;
    char* end = nullptr;
    const long long value = std::strtoll(arg + len + 1, &end, 10);
    if (end == arg + len + 1 || *end != '\0' || value <= 0) {
        std::fprintf(stderr, "bench_cost: %s needs a positive number, not '%s'\n", name, arg + len + 1);
        std::exit(2);
    }
    out = value;
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    std::int64_t objects = 1000000;
    std::int64_t store_keys = 1000;
    bool notes_only = false;
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        if (size_flag(argv[i], "--objects", objects) || size_flag(argv[i], "--store-keys", store_keys)) continue;
        if (std::strcmp(argv[i], "--notes-only") == 0) {
            notes_only = true;
            continue;
        }
        argv[kept++] = argv[i];
    }
    argc = kept;
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    print_notes();
    if (notes_only) return 0;
    if (!LEAKWATCH_BENCH_HAVE_MALLINFO2)
        std::printf("no mallinfo2 in this C library: the heap counters are left out\n");
    register_all(objects, store_keys);
    benchmark::AddCustomContext("leakwatch", leakwatch::enabled() ? "enabled" : "LEAKWATCH_DISABLE");
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
