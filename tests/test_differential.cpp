// tests/test_differential.cpp — every tracked container behaves as its std twin.
//
// For each tracked container, two tracked instances and two std instances run the same
// fixed-seed random sequence of a few thousand operations (inserts, erases, lookups, node
// handles, merge, swap, copies, splices, ...). After every step the two sides must hold the
// same contents (sorted, for the unordered containers, whose iteration order is not part of
// the contract), report the same results, and each tracked container's stats().elements
// must equal its size(). The random numbers come straight from std::mt19937 (whose sequence
// the standard fixes), never from a std distribution (whose output it does not).
#include <leakwatch/leakwatch.hpp>

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

namespace {

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

template <class C>
typename C::value_type make(int key, int mapped) {
    if constexpr (is_map_like<C>::value)
        return typename C::value_type(key, mapped);
    else
        return typename C::value_type(key);
}

template <class V>
int key_of(const V& v) {
    if constexpr (std::is_same<V, int>::value)
        return v;
    else
        return v.first;
}

// Contents as (key, mapped) pairs: container order, sorted for unordered containers.
template <class C>
std::vector<std::pair<int, int>> contents(const C& c) {
    std::vector<std::pair<int, int>> out;
    for (const auto& v : c) {
        if constexpr (is_map_like<C>::value)
            out.emplace_back(v.first, v.second);
        else
            out.emplace_back(v, 0);
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

// Both sides, side by side: t[i] is tracked, s[i] its std twin.
template <class T, class S>
struct world {
    T t[2];
    S s[2];

    void require_same(const std::string& what, int step) {
        for (int i = 0; i < 2; ++i) {
            INFO("step " << step << ": " << what << " (container " << i << ")");
            REQUIRE(t[i].size() == s[i].size());
            REQUIRE(contents(t[i]) == contents(s[i]));
            CHECK(t[i].stats().elements == t[i].size());
            CHECK(t[i].empty() == s[i].empty());
        }
    }
};

template <class Node>
auto key_of_node_impl(const Node& n, int) -> decltype(n.key(), 0) {
    return n.key();
}
template <class Node>
int key_of_node_impl(const Node& n, long) {
    return n.value();
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
                                v1 = t.at(key);
                            } catch (const std::out_of_range&) {
                                thrown1 = true;
                            }
                            try {
                                v2 = s.at(key);
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
                what = "extract(key) and insert(node) into the other";
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
                    auto r1 = w.t[j].insert(std::move(n1));
                    auto r2 = w.s[j].insert(std::move(n2));
                    CHECK(r1.inserted == r2.inserted);
                    CHECK(r1.node.empty() == r2.node.empty());
                    CHECK((r1.position == w.t[j].end()) == (r2.position == w.s[j].end()));
                    if (!r1.node.empty() && rng.coin()) {  // put the refused node back
                        t.insert(std::move(r1.node));
                        s.insert(std::move(r2.node));
                    }
                } else {
                    const auto p1 = w.t[j].insert(std::move(n1));
                    const auto p2 = w.s[j].insert(std::move(n2));
                    CHECK((p1 == w.t[j].end()) == (p2 == w.s[j].end()));
                }
                break;
            }
            case 11: {
                what = "extract(iterator) and insert(hint, node) into the other";
                auto it1 = t.find(key);
                auto it2 = s.find(key);
                REQUIRE((it1 == t.end()) == (it2 == s.end()));
                if (it1 == t.end()) break;
                auto n1 = t.extract(it1);
                auto n2 = s.extract(it2);
                const auto p1 = w.t[j].insert(w.t[j].begin(), std::move(n1));
                const auto p2 = w.s[j].insert(w.s[j].begin(), std::move(n2));
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
                if (rng.coin()) {
                    t.merge(w.t[j]);
                    s.merge(w.s[j]);
                } else {
                    t.merge(std::move(w.t[j]));
                    s.merge(std::move(w.s[j]));
                }
                break;
            }
            case 13: {
                switch (rng.below(3)) {
                    case 0:
                        what = "member swap";
                        t.swap(w.t[j]);
                        s.swap(w.s[j]);
                        break;
                    case 1:
                        what = "non-member swap";
                        swap(t, w.t[j]);
                        swap(s, w.s[j]);
                        break;
                    default:
                        what = "std::swap";
                        std::swap(t, w.t[j]);
                        std::swap(s, w.s[j]);
                        break;
                }
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
                        const std::vector<int> source(w.s[j].begin(), w.s[j].end());
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
                switch (rng.below(3)) {
                    case 0:
                        what = "member swap";
                        t.swap(w.t[j]);
                        s.swap(w.s[j]);
                        break;
                    case 1:
                        what = "non-member swap";
                        swap(t, w.t[j]);
                        swap(s, w.s[j]);
                        break;
                    default:
                        what = "std::swap";
                        std::swap(t, w.t[j]);
                        std::swap(s, w.s[j]);
                        break;
                }
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
                    const auto pred = [value](int x) { return x % 7 == value % 7; };
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
                    switch (rng.below(9)) {
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
                            t.sort(std::greater<int>());
                            s.sort(std::greater<int>());
                            other_t.sort(std::greater<int>());
                            other_s.sort(std::greater<int>());
                            t.merge(other_t, std::greater<int>());
                            s.merge(other_s, std::greater<int>());
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
                            t.remove_if([value](int x) { return x < value / 4; });
                            s.remove_if([value](int x) { return x < value / 4; });
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
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("sequence containers behave as their std twins", "[differential]", sequence_twins) {
    using T = typename TestType::tracked;
    using S = typename TestType::std_type;
    run_sequence<T, S>(20240611u, 3000);
    run_sequence<T, S>(99u, 1500);
}
