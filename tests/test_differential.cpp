// tests/test_differential.cpp — every tracked container behaves as its std twin.
//
// For each tracked container, two tracked instances and two std instances run the same
// fixed-seed random sequence of a few thousand operations (inserts, erases, lookups, node
// handles, merge, swap, copies, splices, ...). After every step the two sides must hold the
// same contents (sorted, for the unordered containers, whose iteration order is not part of
// the contract), report the same results, and each tracked container's stats().elements
// must equal its size(). The random numbers come straight from std::mt19937 (whose sequence
// the standard fixes), never from a std distribution (whose output it does not).
//
// The same runs also cover what libc++'s container tests look at (tests/test_std_semantics.cpp
// has the focused cases):
//   - an element type whose operator& is deleted, and an operator& template found by
//     argument-dependent lookup for every type naming its namespace (the containers, their
//     nodes, allocators and iterators), in maps, sets and the three sequences;
//   - stateful upstream allocators with two unequal instances, one per container
//     (tests/counting_allocator.hpp): one that propagates on copy assignment, move assignment
//     and swap, and one that does not (move assignment between unequal instances then moves
//     element by element, and swap is replaced by three moves, since swapping containers with
//     unequal, non-propagating allocators is undefined). After every step the bytes and
//     allocations charged to the containers equal what each upstream instance has handed out.
//     Operations that need equal allocators (splice, merge, node handles into the other
//     container) run only while the two containers' allocators compare equal.
#include <leakwatch/leakwatch.hpp>

#include "counting_allocator.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <iterator>
#include <list>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

// Elements with a hostile operator& (tests/test_std_semantics.cpp has the focused tests). First
// one whose own unary operator& is deleted: the containers must take its address with
// std::addressof.
namespace diff_own_address {

struct element {
    int value = 0;

    element() = default;
    element(int v) : value(v) {}  // implicit: the runs below pass ints
    void operator&() const = delete;
    element& operator+=(int by) {
        value += by;
        return *this;
    }

    friend bool operator==(const element& a, const element& b) { return a.value == b.value; }
    friend bool operator!=(const element& a, const element& b) { return a.value != b.value; }
    friend bool operator<(const element& a, const element& b) { return a.value < b.value; }
    friend bool operator>(const element& a, const element& b) { return a.value > b.value; }
};

struct element_hash {
    std::size_t operator()(const element& e) const noexcept { return std::hash<int>{}(e.value); }
};

inline int to_int(const element& e) { return e.value; }

}  // namespace diff_own_address

// Then the same element in a namespace that also holds an operator& template, which
// argument-dependent lookup finds for every type naming the namespace: the containers, their
// std containers, nodes, allocators and iterators. libstdc++ 12's unordered containers take
// their own address with a plain & (copy assignment, try_emplace), so only the ordered
// containers and the sequences run with this one.
namespace diff_hostile {

struct element : diff_own_address::element {
    using diff_own_address::element::element;
    element() = default;
};

template <class T>
void operator&(const T&) = delete;

}  // namespace diff_hostile

namespace {

inline int to_int(int v) { return v; }

using lwtest::propagating_allocator;

template <class Tracked, class Std>
struct twin {
    using tracked = Tracked;
    using std_type = Std;
};

using unordered_twins =
    std::tuple<twin<leakwatch::tracked_map<int, int>, std::unordered_map<int, int>>,
               twin<leakwatch::tracked_unordered_set<int>, std::unordered_set<int>>,
               twin<leakwatch::tracked_unordered_multimap<int, int>, std::unordered_multimap<int, int>>,
               twin<leakwatch::tracked_unordered_multiset<int>, std::unordered_multiset<int>>>;
using ordered_twins = std::tuple<twin<leakwatch::tracked_ordered_map<int, int>, std::map<int, int>>,
                                 twin<leakwatch::tracked_ordered_set<int>, std::set<int>>,
                                 twin<leakwatch::tracked_ordered_multimap<int, int>, std::multimap<int, int>>,
                                 twin<leakwatch::tracked_ordered_multiset<int>, std::multiset<int>>>;
using associative_twins = decltype(std::tuple_cat(std::declval<unordered_twins>(), std::declval<ordered_twins>()));

using sequence_twins = std::tuple<twin<leakwatch::tracked_vector<int>, std::vector<int>>,
                                  twin<leakwatch::tracked_deque<int>, std::deque<int>>,
                                  twin<leakwatch::tracked_list<int>, std::list<int>>>;

template <class C, class = void>
struct is_map_like : std::false_type {};
template <class C>
struct is_map_like<C, std::void_t<typename C::mapped_type>> : std::true_type {};
template <class C, class = void>
struct is_unordered : std::false_type {};
template <class C>
struct is_unordered<C, std::void_t<typename C::hasher>> : std::true_type {};
template <class C, class = void>
struct is_unique : std::false_type {};  // (checked on the std twin: it has insert_return_type)
template <class C>
struct is_unique<C, std::void_t<typename C::insert_return_type>> : std::true_type {};
template <class C, class = void>
struct has_push_front : std::false_type {};
template <class C>
struct has_push_front<C, std::void_t<decltype(std::declval<C&>().push_front(1))>> : std::true_type {};
template <class C, class = void>
struct has_splice : std::false_type {};
template <class C>
struct has_splice<C, std::void_t<decltype(std::declval<C&>().splice(std::declval<C&>().begin(), std::declval<C&>()))>>
    : std::true_type {};
template <class C, class = void>
struct has_capacity : std::false_type {};
template <class C>
struct has_capacity<C, std::void_t<decltype(std::declval<const C&>().capacity())>> : std::true_type {};

template <class C, class K, class M>
typename C::value_type make(const K& key, const M& mapped) {
    if constexpr (is_map_like<C>::value)
        return typename C::value_type(key, mapped);
    else
        return typename C::value_type(key);
}

template <class V, class = void>
struct is_pair : std::false_type {};
template <class V>
struct is_pair<V, std::void_t<decltype(std::declval<const V&>().first)>> : std::true_type {};

template <class V>
int key_of(const V& v) {
    if constexpr (is_pair<V>::value)
        return to_int(v.first);
    else
        return to_int(v);
}

// Contents as (key, mapped) pairs: container order, sorted for unordered containers.
template <class C>
std::vector<std::pair<int, int>> contents(const C& c) {
    std::vector<std::pair<int, int>> out;
    for (const auto& v : c) {
        if constexpr (is_map_like<C>::value)
            out.emplace_back(to_int(v.first), to_int(v.second));
        else
            out.emplace_back(to_int(v), 0);
    }
    if constexpr (is_unordered<C>::value) std::sort(out.begin(), out.end());
    return out;
}

class random_source {
public:
    explicit random_source(std::uint32_t seed) : rng_(seed) {}
    std::uint32_t below(std::uint32_t n) { return rng_() % n; }
    int key() { return static_cast<int>(below(64)); }
    bool coin() { return (rng_() & 1u) != 0; }

private:
    std::mt19937 rng_;
};

// Containers whose upstream allocator counts what it hands out (counting_allocator and
// propagating_allocator): each container of a world starts on an upstream instance of its own.
template <class C, class = void>
struct counted_upstream : std::false_type {};
template <class C>
struct counted_upstream<C, std::void_t<decltype(std::declval<const typename C::allocator_type&>().counter())>>
    : std::true_type {};

template <class C>
C build_on(lwtest::alloc_counter& counter) {
    if constexpr (counted_upstream<C>::value)
        return C(typename C::allocator_type(&counter));
    else
        return C();
}

// Both sides, side by side: t[i] is tracked, s[i] its std twin.
template <class T, class S>
struct world {
    static constexpr bool counted = counted_upstream<T>::value;
    static constexpr bool swap_propagates =
        std::allocator_traits<typename T::allocator_type>::propagate_on_container_swap::value;

    // The upstream instances of the tracked containers and of the std ones (declared first:
    // they outlive the containers).
    lwtest::alloc_counter tracked_upstream[2];
    lwtest::alloc_counter std_upstream[2];
    T t[2];
    S s[2];

    // Swaps (or, without propagation, three moves) between containers on unequal upstreams.
    int unequal_exchanges = 0;

    world()
        : t{build_on<T>(tracked_upstream[0]), build_on<T>(tracked_upstream[1])},
          s{build_on<S>(std_upstream[0]), build_on<S>(std_upstream[1])} {}

    // Whether the two containers' allocators compare equal (always, without counted upstreams),
    // the same on both sides.
    bool same_upstream() const {
        if constexpr (counted) {
            const bool tracked_equal = t[0].get_allocator() == t[1].get_allocator();
            const bool std_equal = s[0].get_allocator() == s[1].get_allocator();
            REQUIRE(tracked_equal == std_equal);
            return tracked_equal;
        } else {
            return true;
        }
    }
    // Exchanges the contents of t[i] and t[j] (and s[i], s[j]): a swap where the allocators
    // allow one, otherwise three moves.
    void exchange(int i, int j, int how) {
        const bool equal = same_upstream();
        if (!equal) ++unequal_exchanges;
        if (swap_propagates || equal) {
            switch (how) {
                case 0:
                    t[i].swap(t[j]);
                    s[i].swap(s[j]);
                    break;
                case 1:
                    swap(t[i], t[j]);
                    swap(s[i], s[j]);
                    break;
                default:
                    std::swap(t[i], t[j]);
                    std::swap(s[i], s[j]);
                    break;
            }
            return;
        }
        T tracked_held(std::move(t[i]));
        t[i] = std::move(t[j]);
        t[j] = std::move(tracked_held);
        S std_held(std::move(s[i]));
        s[i] = std::move(s[j]);
        s[j] = std::move(std_held);
    }

    // Moves t[i] (and s[i]) onto its own upstream instance again, by an allocator-extended move
    // and a move assignment: with propagation the two containers otherwise end up sharing one
    // instance after their first assignment, and stay so.
    void restore_upstream(int i) {
        if constexpr (counted) {
            t[i] = T(std::move(t[i]), typename T::allocator_type(&tracked_upstream[i]));
            s[i] = S(std::move(s[i]), typename S::allocator_type(&std_upstream[i]));
        }
    }

    void require_same(const std::string& what, int step) {
        for (int i = 0; i < 2; ++i) {
            INFO("step " << step << ": " << what << " (container " << i << ")");
            REQUIRE(t[i].size() == s[i].size());
            REQUIRE(contents(t[i]) == contents(s[i]));
            CHECK(t[i].stats().elements == t[i].size());
            CHECK(t[i].empty() == s[i].empty());
        }
        if constexpr (counted) {
            (void)same_upstream();
            // Every byte an upstream instance has out is charged to the container that holds
            // that instance now (propagation moves instances between the containers).
            for (int u = 0; u < 2; ++u) {
                INFO("step " << step << ": " << what << " (upstream " << u << ")");
                const typename T::allocator_type upstream(&tracked_upstream[u]);
                std::size_t bytes = 0, allocations = 0;
                for (int i = 0; i < 2; ++i) {
                    if (!(t[i].get_allocator() == upstream)) continue;
                    bytes += t[i].stats().bytes;
                    allocations += t[i].stats().allocations;
                }
                REQUIRE(bytes == tracked_upstream[u].bytes());
                REQUIRE(allocations == tracked_upstream[u].allocations());
                REQUIRE(tracked_upstream[u].bad_frees() == 0);
                REQUIRE(std_upstream[u].bad_frees() == 0);
            }
        }
    }
};

template <class Node>
auto key_of_node_impl(const Node& n, int) -> decltype(n.key(), 0) {
    return to_int(n.key());
}
template <class Node>
int key_of_node_impl(const Node& n, long) {
    return to_int(n.value());
}

template <class Node>
int key_of_node(const Node& n) {
    return key_of_node_impl(n, 0);
}

template <class T, class S>
void run_associative(std::uint32_t seed, int steps) {
    constexpr bool map_like = is_map_like<S>::value;
    constexpr bool unique = is_unique<S>::value;
    random_source rng(seed);
    world<T, S> w;
    for (int step = 0; step < steps; ++step) {
        const int i = rng.coin() ? 1 : 0;  // the container operated on
        const int j = 1 - i;               // the other one, for two-container operations
        if constexpr (world<T, S>::counted) {
            if (rng.below(12) == 0) {
                w.restore_upstream(i);
                w.require_same("allocator-extended move onto its own upstream", step);
            }
        }
        T& t = w.t[i];
        S& s = w.s[i];
        const int key = rng.key();
        const int mapped = static_cast<int>(rng.below(1000));
        std::string what;
        switch (rng.below(20)) {
            case 0:
            case 1: {
                what = "insert(value)";
                const auto r1 = t.insert(make<S>(key, mapped));
                const auto r2 = s.insert(make<S>(key, mapped));
                if constexpr (unique) {
                    CHECK(r1.second == r2.second);
                    CHECK(key_of(*r1.first) == key_of(*r2.first));
                } else {
                    CHECK(key_of(*r1) == key_of(*r2));
                }
                break;
            }
            case 2: {
                what = "emplace";
                if constexpr (map_like) {
                    t.emplace(key, mapped);
                    s.emplace(key, mapped);
                } else {
                    t.emplace(key);
                    s.emplace(key);
                }
                break;
            }
            case 3: {
                what = "emplace_hint / insert(hint, value)";
                if (rng.coin()) {
                    CHECK(key_of(*t.emplace_hint(t.begin(), make<S>(key, mapped))) ==
                          key_of(*s.emplace_hint(s.begin(), make<S>(key, mapped))));
                } else {
                    CHECK(key_of(*t.insert(t.end(), make<S>(key, mapped))) ==
                          key_of(*s.insert(s.end(), make<S>(key, mapped))));
                }
                break;
            }
            case 4:
            case 5: {
                what = "erase(key)";
                CHECK(t.erase(key) == s.erase(key));
                break;
            }
            case 6: {
                what = "erase(find(key))";
                auto it1 = t.find(key);
                auto it2 = s.find(key);
                REQUIRE((it1 == t.end()) == (it2 == s.end()));
                if (it1 != t.end()) {
                    const auto next1 = t.erase(it1);
                    const auto next2 = s.erase(it2);
                    if constexpr (!is_unordered<S>::value) {
                        REQUIRE((next1 == t.end()) == (next2 == s.end()));
                        if (next1 != t.end()) CHECK(key_of(*next1) == key_of(*next2));
                    }
                }
                break;
            }
            case 7: {
                what = "lookups";
                CHECK(t.count(key) == s.count(key));
                CHECK((t.find(key) == t.end()) == (s.find(key) == s.end()));
                const auto r1 = t.equal_range(key);
                const auto r2 = s.equal_range(key);
                CHECK(std::distance(r1.first, r1.second) == std::distance(r2.first, r2.second));
#if LEAKWATCH_CPP20
                CHECK(t.contains(key) == s.contains(key));
#endif
                if constexpr (!is_unordered<S>::value) {
                    const auto lb1 = t.lower_bound(key);
                    const auto lb2 = s.lower_bound(key);
                    REQUIRE((lb1 == t.end()) == (lb2 == s.end()));
                    if (lb1 != t.end()) CHECK(key_of(*lb1) == key_of(*lb2));
                    CHECK(std::distance(t.begin(), t.upper_bound(key)) == std::distance(s.begin(), s.upper_bound(key)));
                }
                break;
            }
            case 8: {
                if constexpr (map_like && unique) {
                    switch (rng.below(5)) {
                        case 0:
                            what = "operator[]";
                            t[key] += mapped;
                            s[key] += mapped;
                            break;
                        case 1: {
                            what = "try_emplace";
                            const auto r1 = t.try_emplace(key, mapped);
                            const auto r2 = s.try_emplace(key, mapped);
                            CHECK(r1.second == r2.second);
                            break;
                        }
                        case 2: {
                            what = "insert_or_assign";
                            const auto r1 = t.insert_or_assign(key, mapped);
                            const auto r2 = s.insert_or_assign(key, mapped);
                            CHECK(r1.second == r2.second);
                            break;
                        }
                        case 3: {
                            what = "at";
                            bool thrown1 = false, thrown2 = false;
                            int v1 = -1, v2 = -1;
                            try {
                                v1 = to_int(t.at(key));
                            } catch (const std::out_of_range&) {
                                thrown1 = true;
                            }
                            try {
                                v2 = to_int(s.at(key));
                            } catch (const std::out_of_range&) {
                                thrown2 = true;
                            }
                            CHECK(thrown1 == thrown2);
                            CHECK(v1 == v2);
                            break;
                        }
                        default: {
                            what = "try_emplace(hint) / insert_or_assign(hint)";
                            if (rng.coin()) {
                                CHECK(t.try_emplace(t.begin(), key, mapped)->first ==
                                      s.try_emplace(s.begin(), key, mapped)->first);
                            } else {
                                CHECK(t.insert_or_assign(t.end(), key, mapped)->first ==
                                      s.insert_or_assign(s.end(), key, mapped)->first);
                            }
                            break;
                        }
                    }
                } else {
                    what = "range insert and initializer-list insert";
                    const std::vector<typename S::value_type> batch{make<S>(key, 1), make<S>((key + 7) % 64, 2),
                                                                    make<S>(key, 3)};
                    t.insert(batch.begin(), batch.end());
                    s.insert(batch.begin(), batch.end());
                    t.insert({make<S>((key + 1) % 64, 4)});
                    s.insert({make<S>((key + 1) % 64, 4)});
                }
                break;
            }
            case 9:
            case 10: {
                // Into the other container while the allocators are equal, else back into this one.
                const bool other = w.same_upstream();
                what = other ? "extract(key) and insert(node) into the other" : "extract(key) and insert(node) back";
                T& into_t = other ? w.t[j] : t;
                S& into_s = other ? w.s[j] : s;
                auto n1 = t.extract(key);
                auto n2 = s.extract(key);
                REQUIRE(n1.empty() == n2.empty());
                if (!n1.empty()) {
                    CHECK(key_of_node(n1) == key_of_node(n2));
                    if constexpr (map_like) {
                        CHECK(n1.mapped() == n2.mapped());
                        n1.mapped() = n2.mapped() = mapped;  // node handles give write access
                    }
                }
                if constexpr (unique) {
                    auto r1 = into_t.insert(std::move(n1));
                    auto r2 = into_s.insert(std::move(n2));
                    CHECK(r1.inserted == r2.inserted);
                    CHECK(r1.node.empty() == r2.node.empty());
                    CHECK((r1.position == into_t.end()) == (r2.position == into_s.end()));
                    if (!r1.node.empty() && rng.coin()) {  // put the refused node back
                        t.insert(std::move(r1.node));
                        s.insert(std::move(r2.node));
                    }
                } else {
                    const auto p1 = into_t.insert(std::move(n1));
                    const auto p2 = into_s.insert(std::move(n2));
                    CHECK((p1 == into_t.end()) == (p2 == into_s.end()));
                }
                break;
            }
            case 11: {
                const bool other = w.same_upstream();
                what = other ? "extract(iterator) and insert(hint, node) into the other"
                             : "extract(iterator) and insert(hint, node) back";
                T& into_t = other ? w.t[j] : t;
                S& into_s = other ? w.s[j] : s;
                auto it1 = t.find(key);
                auto it2 = s.find(key);
                REQUIRE((it1 == t.end()) == (it2 == s.end()));
                if (it1 == t.end()) break;
                auto n1 = t.extract(it1);
                auto n2 = s.extract(it2);
                const auto p1 = into_t.insert(into_t.begin(), std::move(n1));
                const auto p2 = into_s.insert(into_s.begin(), std::move(n2));
                CHECK(key_of(*p1) == key_of(*p2));
                // A refused node: the handle is left as the std twin leaves it.
                CHECK(n1.empty() == n2.empty());
                if (!n1.empty() && !n2.empty()) {
                    t.insert(std::move(n1));
                    s.insert(std::move(n2));
                } else if (!n2.empty()) {
                    // The tracked side lost the node: put an equal element back so that the
                    // run goes on and reports only this divergence.
                    if constexpr (map_like)
                        t.insert(make<S>(n2.key(), n2.mapped()));
                    else
                        t.insert(make<S>(n2.value(), 0));
                    s.insert(std::move(n2));
                } else if (!n1.empty()) {
                    t.insert(std::move(n1));
                    if constexpr (map_like)
                        s.insert(make<S>(t.find(key)->first, t.find(key)->second));
                    else
                        s.insert(make<S>(key, 0));
                }
                break;
            }
            case 12: {
                what = "merge from the other";
                if (!w.same_upstream()) {
                    // merge needs equal allocators: copy the other's elements in instead.
                    what = "range insert from the other (unequal allocators)";
                    t.insert(w.t[j].begin(), w.t[j].end());
                    s.insert(w.s[j].begin(), w.s[j].end());
                } else if (rng.coin()) {
                    t.merge(w.t[j]);
                    s.merge(w.s[j]);
                } else {
                    t.merge(std::move(w.t[j]));
                    s.merge(std::move(w.s[j]));
                }
                break;
            }
            case 13: {
                const int how = static_cast<int>(rng.below(3));
                what = how == 0 ? "member swap" : how == 1 ? "non-member swap" : "std::swap";
                if (!w.swap_propagates && !w.same_upstream()) what = "three moves (unequal allocators)";
                w.exchange(i, j, how);
                break;
            }
            case 14: {
                if (rng.below(4) == 0) {
                    what = "clear";
                    t.clear();
                    s.clear();
                } else {
                    what = "erase(first, last)";
                    if constexpr (is_unordered<S>::value) {
                        // Iteration orders are not compared: erase the whole equal range instead.
                        const auto r1 = t.equal_range(key);
                        const auto r2 = s.equal_range(key);
                        t.erase(r1.first, r1.second);
                        s.erase(r2.first, r2.second);
                    } else {
                        const auto n = std::min<std::size_t>(rng.below(5), t.size());
                        t.erase(t.begin(), std::next(t.begin(), static_cast<std::ptrdiff_t>(n)));
                        s.erase(s.begin(), std::next(s.begin(), static_cast<std::ptrdiff_t>(n)));
                    }
                }
                break;
            }
            case 15: {
                what = "copy assignment and move assignment";
                if (rng.coin()) {
                    w.t[j] = t;
                    w.s[j] = s;
                } else {
                    T copy_t(t);
                    S copy_s(s);
                    CHECK(copy_t.stats().elements == copy_s.size());
                    w.t[j] = std::move(copy_t);
                    w.s[j] = std::move(copy_s);
                }
                CHECK((w.t[j] == t) == (w.s[j] == s));
                break;
            }
            case 16: {
                what = "move construction and move assignment back";
                T moved_t(std::move(t));
                S moved_s(std::move(s));
                CHECK(contents(moved_t) == contents(moved_s));
                t = std::move(moved_t);
                s = std::move(moved_s);
                break;
            }
            case 17: {
#if LEAKWATCH_CPP20
                what = "erase_if";
                const auto pred = [key](const typename S::value_type& v) { return key_of(v) % 5 == key % 5; };
                CHECK(erase_if(t, pred) == std::erase_if(s, pred));
#else
                what = "erase(key) twice";
                CHECK(t.erase(key) == s.erase(key));
                CHECK(t.erase(key) == s.erase(key));
#endif
                break;
            }
            case 18: {
                what = "initializer-list assignment";
                t = {make<S>(key, 1), make<S>((key + 3) % 64, 2), make<S>(key, 3)};
                s = {make<S>(key, 1), make<S>((key + 3) % 64, 2), make<S>(key, 3)};
                break;
            }
            default: {
                if constexpr (is_unordered<S>::value) {
                    what = "rehash / reserve";
                    if (rng.coin()) {
                        t.rehash(rng.below(200));
                        s.rehash(rng.below(200));
                    } else {
                        t.reserve(rng.below(200));
                        s.reserve(rng.below(200));
                    }
                } else {
                    what = "equality and ordering";
                    CHECK((t == w.t[j]) == (s == w.s[j]));
                    CHECK((t < w.t[j]) == (s < w.s[j]));
                }
                break;
            }
        }
        w.require_same(what, step);
    }
    if constexpr (world<T, S>::counted) CHECK(w.unequal_exchanges > 0);
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("associative containers behave as their std twins", "[differential]", associative_twins) {
    using T = typename TestType::tracked;
    using S = typename TestType::std_type;
    run_associative<T, S>(20240611u, 3000);
    run_associative<T, S>(7u, 1500);
}

namespace {

template <class T, class S>
void run_sequence(std::uint32_t seed, int steps) {
    random_source rng(seed);
    world<T, S> w;
    for (int step = 0; step < steps; ++step) {
        const int i = rng.coin() ? 1 : 0;
        const int j = 1 - i;
        if constexpr (world<T, S>::counted) {
            if (rng.below(12) == 0) {
                w.restore_upstream(i);
                w.require_same("allocator-extended move onto its own upstream", step);
            }
        }
        T& t = w.t[i];
        S& s = w.s[i];
        const int value = static_cast<int>(rng.below(100));
        // Keep the sizes moderate: big containers shrink more often than they grow.
        const bool big = t.size() > 150;
        const auto pos = [&](auto& c, std::size_t index) { return std::next(c.begin(), static_cast<std::ptrdiff_t>(index)); };
        const std::size_t index = t.empty() ? 0 : rng.below(static_cast<std::uint32_t>(t.size()));
        std::string what;
        switch (rng.below(big ? 6 : 22)) {
            case 0: {
                what = "erase(pos)";
                if (t.empty()) break;
                const auto next1 = t.erase(pos(t, index));
                const auto next2 = s.erase(pos(s, index));
                CHECK(std::distance(t.begin(), next1) == std::distance(s.begin(), next2));
                break;
            }
            case 1: {
                what = "erase(first, last)";
                const std::size_t n = std::min<std::size_t>(rng.below(20), t.size() - index);
                t.erase(pos(t, index), pos(t, index + n));
                s.erase(pos(s, index), pos(s, index + n));
                break;
            }
            case 2: {
                what = "pop_back / pop_front";
                if (t.empty()) break;
                if constexpr (has_push_front<S>::value) {
                    if (rng.coin()) {
                        t.pop_front();
                        s.pop_front();
                        break;
                    }
                }
                t.pop_back();
                s.pop_back();
                break;
            }
            case 3: {
                what = "resize smaller";
                const std::size_t n = t.size() / 2;
                t.resize(n);
                s.resize(n);
                break;
            }
            case 4: {
                what = "clear";
                if (rng.below(3) != 0) break;
                t.clear();
                s.clear();
                break;
            }
            case 5: {
                what = "front / back / element access";
                if (t.empty()) break;
                CHECK(t.front() == s.front());
                CHECK(t.back() == s.back());
                if constexpr (!has_splice<S>::value) {
                    CHECK(t[index] == s[index]);
                    CHECK(t.at(index) == s.at(index));
                    bool thrown = false;
                    try {
                        (void)t.at(t.size());
                    } catch (const std::out_of_range&) {
                        thrown = true;
                    }
                    CHECK(thrown);
                }
                break;
            }
            case 6:
            case 7: {
                what = "push_back / emplace_back";
                if (rng.coin()) {
                    t.push_back(value);
                    s.push_back(value);
                } else {
                    CHECK(t.emplace_back(value) == s.emplace_back(value));
                }
                break;
            }
            case 8: {
                what = "push_front / emplace_front";
                if constexpr (has_push_front<S>::value) {
                    if (rng.coin()) {
                        t.push_front(value);
                        s.push_front(value);
                    } else {
                        CHECK(t.emplace_front(value) == s.emplace_front(value));
                    }
                } else {
                    t.insert(t.begin(), value);
                    s.insert(s.begin(), value);
                }
                break;
            }
            case 9: {
                what = "insert(pos, value) / emplace(pos, value)";
                if (rng.coin()) {
                    const auto it1 = t.insert(pos(t, index), value);
                    const auto it2 = s.insert(pos(s, index), value);
                    CHECK(std::distance(t.begin(), it1) == std::distance(s.begin(), it2));
                } else {
                    const auto it1 = t.emplace(pos(t, index), value);
                    const auto it2 = s.emplace(pos(s, index), value);
                    CHECK(std::distance(t.begin(), it1) == std::distance(s.begin(), it2));
                }
                break;
            }
            case 10: {
                what = "insert(pos, n, value) / insert(pos, first, last) / insert(pos, list)";
                const std::vector<int> batch{value, value + 1, value + 2};
                switch (rng.below(3)) {
                    case 0:
                        t.insert(pos(t, index), 3, value);
                        s.insert(pos(s, index), 3, value);
                        break;
                    case 1:
                        t.insert(pos(t, index), batch.begin(), batch.end());
                        s.insert(pos(s, index), batch.begin(), batch.end());
                        break;
                    default:
                        t.insert(pos(t, index), {value, value});
                        s.insert(pos(s, index), {value, value});
                        break;
                }
                break;
            }
            case 11: {
                what = "resize larger";
                const std::size_t n = t.size() + rng.below(10);
                if (rng.coin()) {
                    t.resize(n);
                    s.resize(n);
                } else {
                    t.resize(n, value);
                    s.resize(n, value);
                }
                break;
            }
            case 12: {
                what = "assign";
                switch (rng.below(3)) {
                    case 0:
                        t.assign(rng.below(10), value);
                        s.assign(t.size(), value);
                        break;
                    case 1: {
                        const std::vector<typename S::value_type> source(w.s[j].begin(), w.s[j].end());
                        t.assign(source.begin(), source.end());
                        s.assign(source.begin(), source.end());
                        break;
                    }
                    default:
                        t.assign({value, value + 1});
                        s.assign({value, value + 1});
                        break;
                }
                break;
            }
            case 13: {
                const int how = static_cast<int>(rng.below(3));
                what = how == 0 ? "member swap" : how == 1 ? "non-member swap" : "std::swap";
                if (!w.swap_propagates && !w.same_upstream()) what = "three moves (unequal allocators)";
                w.exchange(i, j, how);
                break;
            }
            case 14: {
                what = "copy assignment / move assignment / initializer-list assignment";
                switch (rng.below(3)) {
                    case 0:
                        w.t[j] = t;
                        w.s[j] = s;
                        break;
                    case 1: {
                        T copy_t(t);
                        S copy_s(s);
                        w.t[j] = std::move(copy_t);
                        w.s[j] = std::move(copy_s);
                        break;
                    }
                    default:
                        w.t[j] = {value, value, value + 1};
                        w.s[j] = {value, value, value + 1};
                        break;
                }
                CHECK((t == w.t[j]) == (s == w.s[j]));
                CHECK((t < w.t[j]) == (s < w.s[j]));
                break;
            }
            case 15: {
                what = "move construction and move assignment back";
                T moved_t(std::move(t));
                S moved_s(std::move(s));
                CHECK(contents(moved_t) == contents(moved_s));
                t = std::move(moved_t);
                s = std::move(moved_s);
                break;
            }
            case 16: {
#if LEAKWATCH_CPP20
                what = "erase / erase_if";
                if (rng.coin()) {
                    CHECK(erase(t, value) == std::erase(s, value));
                } else {
                    const auto pred = [value](const auto& x) { return to_int(x) % 7 == value % 7; };
                    CHECK(erase_if(t, pred) == std::erase_if(s, pred));
                }
#else
                what = "erase(remove(...))";
                if constexpr (!has_splice<S>::value) {
                    t.erase(std::remove(t.begin(), t.end(), value), t.end());
                    s.erase(std::remove(s.begin(), s.end(), value), s.end());
                }
#endif
                break;
            }
            default: {
                if constexpr (has_splice<S>::value) {
                    S& other_s = w.s[j];
                    T& other_t = w.t[j];
                    unsigned choice = rng.below(9);
                    if (choice <= 4 && !w.same_upstream()) choice = 5;  // splice and merge need equal allocators
                    switch (choice) {
                        case 0:
                            what = "splice(pos, other)";
                            t.splice(pos(t, index), other_t);
                            s.splice(pos(s, index), other_s);
                            break;
                        case 1: {
                            what = "splice(pos, other, it)";
                            if (other_t.empty()) break;
                            const std::size_t from = rng.below(static_cast<std::uint32_t>(other_t.size()));
                            t.splice(pos(t, index), other_t, pos(other_t, from));
                            s.splice(pos(s, index), other_s, pos(other_s, from));
                            break;
                        }
                        case 2: {
                            what = "splice(pos, other, first, last)";
                            const std::size_t first = other_t.empty() ? 0 : rng.below(static_cast<std::uint32_t>(other_t.size()));
                            const std::size_t last = first + std::min<std::size_t>(rng.below(8), other_t.size() - first);
                            t.splice(pos(t, index), std::move(other_t), pos(other_t, first), pos(other_t, last));
                            s.splice(pos(s, index), std::move(other_s), pos(other_s, first), pos(other_s, last));
                            break;
                        }
                        case 3:
                            what = "sort and merge";
                            t.sort();
                            s.sort();
                            other_t.sort();
                            other_s.sort();
                            if (rng.coin()) {
                                t.merge(other_t);
                                s.merge(other_s);
                            } else {
                                t.merge(std::move(other_t));
                                s.merge(std::move(other_s));
                            }
                            break;
                        case 4:
                            what = "sort(greater) and merge(greater)";
                            t.sort(std::greater<>());
                            s.sort(std::greater<>());
                            other_t.sort(std::greater<>());
                            other_s.sort(std::greater<>());
                            t.merge(other_t, std::greater<>());
                            s.merge(other_s, std::greater<>());
                            break;
                        case 5:
                            what = "reverse";
                            t.reverse();
                            s.reverse();
                            break;
                        case 6:
                            what = "remove";
                            t.remove(value);
                            s.remove(value);
                            break;
                        case 7:
                            what = "remove_if";
                            t.remove_if([value](const auto& x) { return to_int(x) < value / 4; });
                            s.remove_if([value](const auto& x) { return to_int(x) < value / 4; });
                            break;
                        default:
                            what = "unique";
                            t.unique();
                            s.unique();
                            break;
                    }
                } else if constexpr (has_capacity<S>::value) {
                    what = "reserve / shrink_to_fit";
                    if (rng.coin()) {
                        t.reserve(rng.below(300));
                        s.reserve(t.capacity());
                    } else {
                        t.shrink_to_fit();
                        s.shrink_to_fit();
                    }
                    CHECK(t.capacity() >= t.size());
                } else {
                    what = "shrink_to_fit";
                    t.shrink_to_fit();
                    s.shrink_to_fit();
                }
                break;
            }
        }
        w.require_same(what, step);
    }
    if constexpr (world<T, S>::counted) CHECK(w.unequal_exchanges > 0);
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("sequence containers behave as their std twins", "[differential]", sequence_twins) {
    using T = typename TestType::tracked;
    using S = typename TestType::std_type;
    run_sequence<T, S>(20240611u, 3000);
    run_sequence<T, S>(99u, 1500);
}

// --- libc++-style element types and allocators in the same runs ---------------------------------

namespace {

using diff_hostile::element;
using own_address = diff_own_address::element;
using diff_own_address::element_hash;

using hostile_associative_twins =
    std::tuple<twin<leakwatch::tracked_map<int, own_address>, std::unordered_map<int, own_address>>,
               twin<leakwatch::tracked_unordered_multiset<own_address, element_hash>,
                    std::unordered_multiset<own_address, element_hash>>,
               twin<leakwatch::tracked_ordered_map<int, element>, std::map<int, element>>,
               twin<leakwatch::tracked_ordered_set<element>, std::set<element>>,
               twin<leakwatch::tracked_ordered_multimap<element, element>, std::multimap<element, element>>>;
using hostile_sequence_twins = std::tuple<twin<leakwatch::tracked_vector<element>, std::vector<element>>,
                                          twin<leakwatch::tracked_deque<element>, std::deque<element>>,
                                          twin<leakwatch::tracked_list<element>, std::list<element>>>;

// Each container on an upstream instance of its own; Alloc propagates or does not.
template <template <class> class Alloc>
using allocator_associative_twins = std::tuple<
    twin<leakwatch::tracked_map<int, int, std::hash<int>, std::equal_to<int>, Alloc<std::pair<const int, int>>>,
         std::unordered_map<int, int, std::hash<int>, std::equal_to<int>, Alloc<std::pair<const int, int>>>>,
    twin<leakwatch::tracked_ordered_map<int, int, std::less<int>, Alloc<std::pair<const int, int>>>,
         std::map<int, int, std::less<int>, Alloc<std::pair<const int, int>>>>,
    twin<leakwatch::tracked_unordered_multiset<int, std::hash<int>, std::equal_to<int>, Alloc<int>>,
         std::unordered_multiset<int, std::hash<int>, std::equal_to<int>, Alloc<int>>>,
    twin<leakwatch::tracked_ordered_multimap<int, int, std::less<int>, Alloc<std::pair<const int, int>>>,
         std::multimap<int, int, std::less<int>, Alloc<std::pair<const int, int>>>>>;
template <template <class> class Alloc>
using allocator_sequence_twins = std::tuple<twin<leakwatch::tracked_vector<int, Alloc<int>>, std::vector<int, Alloc<int>>>,
                                            twin<leakwatch::tracked_deque<int, Alloc<int>>, std::deque<int, Alloc<int>>>,
                                            twin<leakwatch::tracked_list<int, Alloc<int>>, std::list<int, Alloc<int>>>>;

using propagating_associative_twins = allocator_associative_twins<propagating_allocator>;
using propagating_sequence_twins = allocator_sequence_twins<propagating_allocator>;
using unequal_associative_twins = allocator_associative_twins<lwtest::counting_allocator>;
using unequal_sequence_twins = allocator_sequence_twins<lwtest::counting_allocator>;

static_assert(std::allocator_traits<propagating_allocator<int>>::propagate_on_container_swap::value &&
                  std::allocator_traits<propagating_allocator<int>>::propagate_on_container_move_assignment::value &&
                  std::allocator_traits<propagating_allocator<int>>::propagate_on_container_copy_assignment::value,
              "propagates on swap, move and copy assignment");
static_assert(!std::allocator_traits<lwtest::counting_allocator<int>>::propagate_on_container_move_assignment::value &&
                  !std::allocator_traits<lwtest::counting_allocator<int>>::is_always_equal::value,
              "counting_allocator: stateful, and does not propagate");

// The special members are noexcept exactly where the std twin's are, whatever the allocator.
template <class T, class S>
constexpr bool same_noexcept() {
    return std::is_nothrow_move_constructible<T>::value == std::is_nothrow_move_constructible<S>::value &&
           std::is_nothrow_move_assignable<T>::value == std::is_nothrow_move_assignable<S>::value &&
           std::is_nothrow_swappable<T>::value == std::is_nothrow_swappable<S>::value &&
           noexcept(std::declval<T&>().swap(std::declval<T&>())) == noexcept(std::declval<S&>().swap(std::declval<S&>()));
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("associative containers of an element with a hostile operator& behave as their std twins",
                        "[differential][addressof]", hostile_associative_twins) {
    STATIC_REQUIRE(same_noexcept<typename TestType::tracked, typename TestType::std_type>());
    run_associative<typename TestType::tracked, typename TestType::std_type>(31u, 2000);
}

TEMPLATE_LIST_TEST_CASE("sequence containers of an element with a hostile operator& behave as their std twins",
                        "[differential][addressof]", hostile_sequence_twins) {
    STATIC_REQUIRE(same_noexcept<typename TestType::tracked, typename TestType::std_type>());
    run_sequence<typename TestType::tracked, typename TestType::std_type>(32u, 2000);
}

TEMPLATE_LIST_TEST_CASE("associative containers on unequal propagating allocators behave as their std twins, bytes exact",
                        "[differential][allocator]", propagating_associative_twins) {
    STATIC_REQUIRE(same_noexcept<typename TestType::tracked, typename TestType::std_type>());
    run_associative<typename TestType::tracked, typename TestType::std_type>(41u, 2000);
}

TEMPLATE_LIST_TEST_CASE("sequence containers on unequal propagating allocators behave as their std twins, bytes exact",
                        "[differential][allocator]", propagating_sequence_twins) {
    STATIC_REQUIRE(same_noexcept<typename TestType::tracked, typename TestType::std_type>());
    run_sequence<typename TestType::tracked, typename TestType::std_type>(42u, 2000);
}

TEMPLATE_LIST_TEST_CASE(
    "associative containers on unequal non-propagating allocators behave as their std twins, bytes exact",
    "[differential][allocator]", unequal_associative_twins) {
    STATIC_REQUIRE(same_noexcept<typename TestType::tracked, typename TestType::std_type>());
    run_associative<typename TestType::tracked, typename TestType::std_type>(51u, 2000);
}

TEMPLATE_LIST_TEST_CASE("sequence containers on unequal non-propagating allocators behave as their std twins, bytes exact",
                        "[differential][allocator]", unequal_sequence_twins) {
    STATIC_REQUIRE(same_noexcept<typename TestType::tracked, typename TestType::std_type>());
    run_sequence<typename TestType::tracked, typename TestType::std_type>(52u, 2000);
}
