// fuzz/fuzz_ordered.cpp — libFuzzer differential target for the ordered family: the first byte
// picks tracked_ordered_map, _set, _multimap or _multiset; the rest is a sequence of operations
// (associative_harness.hpp) run against std::map/set/multimap/multiset twins, with contents (in
// order) and byte accounting checked after each.
#include "associative_harness.hpp"

#include <map>
#include <set>

namespace {

using entry = std::pair<const int, int>;
using map_t = leakwatch::tracked_ordered_map<int, int, std::less<int>, fuzz::counting<entry>>;
using set_t = leakwatch::tracked_ordered_set<int, std::less<int>, fuzz::counting<int>>;
using multimap_t = leakwatch::tracked_ordered_multimap<int, int, std::less<int>, fuzz::counting<entry>>;
using multiset_t = leakwatch::tracked_ordered_multiset<int, std::less<int>, fuzz::counting<int>>;

template <class Tracked, class Twin>
void run(fuzz::input& in) {
    fuzz::associative_harness<Tracked, Twin> harness(in);
    harness.run();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::input in(data, size);
    switch (in.below(4)) {
        case 0: run<map_t, std::map<int, int>>(in); break;
        case 1: run<set_t, std::set<int>>(in); break;
        case 2: run<multimap_t, std::multimap<int, int>>(in); break;
        default: run<multiset_t, std::multiset<int>>(in); break;
    }
    return 0;
}
