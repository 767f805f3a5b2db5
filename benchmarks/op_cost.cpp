// benchmarks/op_cost.cpp — the instructions one operation costs, std against tracked.
//
//   op_cost OPERATION std|tracked ITERATIONS
//
// runs OPERATION ITERATIONS times on a container set up the same way whatever ITERATIONS is,
// so that under `valgrind --tool=callgrind` the instruction count of a run with ITERATIONS = N
// minus that of a run with ITERATIONS = 0, divided by N, is the cost of one operation. Unlike
// time, this count does not depend on the machine's load, which is why scripts/bench uses it
// to explain where the tracked/std ratios come from. Operations: find (a hit in an 16-element
// unordered_map), index (operator[] of a 16-element vector), iterate (one range-for over a
// 16-element vector: begin() is the tracked part), push_back (into a reserved vector),
// pop_back, insert_erase (erase a key of a 1,024-element unordered_map and insert it back),
// construct_destroy (a std::map / tracked_ordered_map holding one element), move (move-construct
// an unordered_map and move-assign it back).
//
// Without valid arguments (as in the ctest smoke test) it runs every operation briefly.
#include <leakwatch/leakwatch.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

using key = std::uint64_t;

inline void escape(const void* p) { asm volatile("" : : "g"(p) : "memory"); }

template <class Map>
void find(long n) {
    Map m;
    for (key k = 0; k < 16; ++k) m.emplace(k, k);
    for (long i = 0; i < n; ++i) {
        auto it = m.find(static_cast<key>(i & 15));
        escape(&it);
    }
}

template <class Vector>
void index(long n) {
    Vector v;
    for (key k = 0; k < 16; ++k) v.push_back(k);
    for (long i = 0; i < n; ++i) {
        auto& element = v[static_cast<key>(i & 15)];
        escape(&element);
    }
}

template <class Vector>
void iterate(long n) {
    Vector v;
    for (key k = 0; k < 16; ++k) v.push_back(k);
    for (long i = 0; i < n; ++i) {
        key sum = 0;
        for (key x : v) sum += x;
        escape(&sum);
    }
}

template <class Vector>
void push_back(long n) {
    Vector v;
    v.reserve(static_cast<std::size_t>(n) + 1);
    for (long i = 0; i < n; ++i) v.push_back(static_cast<key>(i));
    escape(&v);
}

template <class Vector>
void pop_back(long n) {
    Vector v(static_cast<std::size_t>(n));
    for (long i = 0; i < n; ++i) v.pop_back();
    escape(&v);
}

template <class Map>
void insert_erase(long n) {
    Map m;
    for (key k = 0; k < 1024; ++k) m.emplace(k, k);
    for (long i = 0; i < n; ++i) {
        const key k = static_cast<key>(i & 1023);
        m.erase(k);
        m.emplace(k, k);
    }
    escape(&m);
}

template <class Map>
void construct_destroy(long n) {
    for (long i = 0; i < n; ++i) {
        Map m;
        m.emplace(1, 1);
        escape(&m);
    }
}

template <class Map>
void move(long n) {
    Map m;
    for (key k = 0; k < 16; ++k) m.emplace(k, k);
    for (long i = 0; i < n; ++i) {
        Map moved(std::move(m));
        escape(&moved);
        m = std::move(moved);
        escape(&m);
    }
}

struct operation {
    const char* name;
    void (*std_version)(long);
    void (*tracked_version)(long);
};

using std_umap = std::unordered_map<key, key>;
using tracked_umap = leakwatch::tracked_map<key, key>;
using std_vector = std::vector<key>;
using tracked_vector = leakwatch::tracked_vector<key>;

const operation operations[] = {
    {"find", find<std_umap>, find<tracked_umap>},
    {"index", index<std_vector>, index<tracked_vector>},
    {"iterate", iterate<std_vector>, iterate<tracked_vector>},
    {"push_back", push_back<std_vector>, push_back<tracked_vector>},
    {"pop_back", pop_back<std_vector>, pop_back<tracked_vector>},
    {"insert_erase", insert_erase<std_umap>, insert_erase<tracked_umap>},
    {"construct_destroy", construct_destroy<std::map<key, key>>, construct_destroy<leakwatch::tracked_ordered_map<key, key>>},
    {"move", move<std_umap>, move<tracked_umap>},
};

}  // namespace

int main(int argc, char** argv) {
    if (argc == 4) {
        for (const operation& op : operations) {
            if (std::strcmp(op.name, argv[1]) != 0) continue;
            const long n = std::strtol(argv[3], nullptr, 10);
            if (std::strcmp(argv[2], "tracked") == 0) op.tracked_version(n);
            else op.std_version(n);
            return 0;
        }
    }
    for (const operation& op : operations) {  // smoke run
        op.std_version(1000);
        op.tracked_version(1000);
        std::printf("%s: ok\n", op.name);
    }
    return 0;
}
