// fuzz/fuzz_unordered.cpp — libFuzzer differential target for the unordered family: the first
// byte picks tracked_map, tracked_unordered_set, tracked_unordered_multimap or
// tracked_unordered_multiset; the rest is a sequence of operations (associative_harness.hpp)
// run against std::unordered_* twins, with contents and byte accounting checked after each.
#include "associative_harness.hpp"

#include <unordered_map>
#include <unordered_set>

namespace {

using entry = std::pair<const int, int>;
using map_t = leakwatch::tracked_map<int, int, std::hash<int>, std::equal_to<int>, fuzz::counting<entry>>;
using set_t = leakwatch::tracked_unordered_set<int, std::hash<int>, std::equal_to<int>, fuzz::counting<int>>;
using multimap_t =
    leakwatch::tracked_unordered_multimap<int, int, std::hash<int>, std::equal_to<int>, fuzz::counting<entry>>;
using multiset_t = leakwatch::tracked_unordered_multiset<int, std::hash<int>, std::equal_to<int>, fuzz::counting<int>>;

template <class Tracked, class Twin>
void run(fuzz::input& in) {
    fuzz::associative_harness<Tracked, Twin> harness(in);
    harness.run();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::input in(data, size);
    switch (in.below(4)) {
        case 0: run<map_t, std::unordered_map<int, int>>(in); break;
        case 1: run<set_t, std::unordered_set<int>>(in); break;
        case 2: run<multimap_t, std::unordered_multimap<int, int>>(in); break;
        default: run<multiset_t, std::unordered_multiset<int>>(in); break;
    }
    return 0;
}
