// tests/test_std_semantics.cpp — the tracked containers behave as their std twins where the
// language itself looks at a container type:
//
//   - class template argument deduction: every deduction guide of std::unordered_map, set,
//     multimap and multiset deduces the tracked twin of what std deduces (and with a leading
//     label the same), and where std's deduction leads to no constructor, so does ours;
//   - element types whose operator& is deleted, or hijacked by an operator& template found by
//     argument-dependent lookup, work in every container, since the containers take addresses
//     with std::addressof;
//   - recursive value types (`struct node { tracked_ordered_map<int, node> children; }`) and
//     members whose element type is completed later compile wherever the std twin's do with
//     libstdc++: every one of the eleven containers.
#include <leakwatch/leakwatch.hpp>

#include "counting_allocator.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <deque>
#include <functional>
#include <initializer_list>
#include <list>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace lw = leakwatch;

namespace {

// --- deduction guides ------------------------------------------------------------------------

// The tracked twin of a std unordered container type.
template <class Std>
struct tracked_twin;
template <class K, class T, class H, class E, class A>
struct tracked_twin<std::unordered_map<K, T, H, E, A>> {
    using type = lw::tracked_unordered_map<K, T, H, E, A>;
};
template <class K, class T, class H, class E, class A>
struct tracked_twin<std::unordered_multimap<K, T, H, E, A>> {
    using type = lw::tracked_unordered_multimap<K, T, H, E, A>;
};
template <class K, class H, class E, class A>
struct tracked_twin<std::unordered_set<K, H, E, A>> {
    using type = lw::tracked_unordered_set<K, H, E, A>;
};
template <class K, class H, class E, class A>
struct tracked_twin<std::unordered_multiset<K, H, E, A>> {
    using type = lw::tracked_unordered_multiset<K, H, E, A>;
};
template <class Std>
using tracked_twin_t = typename tracked_twin<Std>::type;

struct int_hash {
    std::size_t operator()(int k) const noexcept { return static_cast<std::size_t>(k) * 7u; }
};
struct int_equal {
    bool operator()(int a, int b) const noexcept { return a == b; }
};

// `tracked_NAME(args...)` and `tracked_NAME(label, args...)` deduce the twin of `std::NAME(args...)`.
#define LW_SAME_DEDUCTION(NAME, ...)                                                                 \
    do {                                                                                             \
        STATIC_REQUIRE(std::is_same<decltype(lw::tracked_##NAME(__VA_ARGS__)),                       \
                                    tracked_twin_t<decltype(std::NAME(__VA_ARGS__))>>::value);       \
        STATIC_REQUIRE(std::is_same<decltype(lw::tracked_##NAME(lw::label{"deduced"}, __VA_ARGS__)), \
                                    tracked_twin_t<decltype(std::NAME(__VA_ARGS__))>>::value);       \
    } while (false)

// Whether `TEMPLATE(first, last, allocator)` and `TEMPLATE(list, allocator)` compile (the
// allocator-only forms): C++17 has deduction guides for them for the maps only, and no
// constructor takes them before C++23 (so std deduces a map type it cannot construct).
#define LW_ALLOCATOR_ONLY_DETECTORS(NAME, TEMPLATE)                                                         \
    template <class It, class A, class = void>                                                              \
    struct NAME##_range_alloc : std::false_type {};                                                         \
    template <class It, class A>                                                                            \
    struct NAME##_range_alloc<                                                                              \
        It, A, std::void_t<decltype(TEMPLATE(std::declval<It>(), std::declval<It>(), std::declval<A>()))>>  \
        : std::true_type {};                                                                                \
    template <class V, class A, class = void>                                                               \
    struct NAME##_list_alloc : std::false_type {};                                                          \
    template <class V, class A>                                                                             \
    struct NAME##_list_alloc<V, A, std::void_t<decltype(TEMPLATE({std::declval<V>()}, std::declval<A>()))>> \
        : std::true_type {};

LW_ALLOCATOR_ONLY_DETECTORS(std_map, std::unordered_map)
LW_ALLOCATOR_ONLY_DETECTORS(tracked_map, lw::tracked_unordered_map)
LW_ALLOCATOR_ONLY_DETECTORS(std_multimap, std::unordered_multimap)
LW_ALLOCATOR_ONLY_DETECTORS(tracked_multimap, lw::tracked_unordered_multimap)
LW_ALLOCATOR_ONLY_DETECTORS(std_set, std::unordered_set)
LW_ALLOCATOR_ONLY_DETECTORS(tracked_set, lw::tracked_unordered_set)
LW_ALLOCATOR_ONLY_DETECTORS(std_multiset, std::unordered_multiset)
LW_ALLOCATOR_ONLY_DETECTORS(tracked_multiset, lw::tracked_unordered_multiset)

}  // namespace

TEST_CASE("unordered containers deduce from their arguments as the std ones do", "[std-semantics][deduction]") {
    const std::vector<std::pair<int, std::string>> pairs{{1, "a"}, {2, "b"}, {1, "c"}};
    const std::vector<std::pair<const int, std::string>> const_pairs(pairs.begin(), pairs.end());
    const std::vector<int> keys{3, 1, 3, 2};
    const std::size_t n = 16;
    const int_hash hash;
    const int_equal equal;
    const lwtest::counting_allocator<std::pair<const int, std::string>> pair_alloc;
    const lwtest::counting_allocator<int> key_alloc;
    const auto first = pairs.begin(), last = pairs.end();
    const auto cfirst = const_pairs.begin(), clast = const_pairs.end();
    const auto kfirst = keys.begin(), klast = keys.end();

    // Braced lists, as std's initializer-list guides expect them (a list of pair<K, V>).
#define LW_PAIRS {std::pair{1, std::string("a")}, std::pair{2, std::string("b")}}
#define LW_KEYS {5, 4, 5}

    // The iterator-pair guides (with pair<K, V> or pair<const K, V> elements), the bucket
    // count as size_t or as int, then the hash, equality and allocator.
    LW_SAME_DEDUCTION(unordered_map, first, last);
    LW_SAME_DEDUCTION(unordered_map, cfirst, clast);
    LW_SAME_DEDUCTION(unordered_map, first, last, n);
    LW_SAME_DEDUCTION(unordered_map, first, last, 8);
    LW_SAME_DEDUCTION(unordered_map, first, last, n, hash);
    LW_SAME_DEDUCTION(unordered_map, first, last, n, hash, equal);
    LW_SAME_DEDUCTION(unordered_map, first, last, n, hash, equal, pair_alloc);
    LW_SAME_DEDUCTION(unordered_map, first, last, n, pair_alloc);
    LW_SAME_DEDUCTION(unordered_map, first, last, n, hash, pair_alloc);
    // The initializer-list guides.
    LW_SAME_DEDUCTION(unordered_map, LW_PAIRS);
    LW_SAME_DEDUCTION(unordered_map, LW_PAIRS, n);
    LW_SAME_DEDUCTION(unordered_map, LW_PAIRS, n, hash);
    LW_SAME_DEDUCTION(unordered_map, LW_PAIRS, n, hash, equal);
    LW_SAME_DEDUCTION(unordered_map, LW_PAIRS, n, hash, equal, pair_alloc);
    LW_SAME_DEDUCTION(unordered_map, LW_PAIRS, n, pair_alloc);
    LW_SAME_DEDUCTION(unordered_map, LW_PAIRS, n, hash, pair_alloc);
    // (list, allocator): the guide deduces, and the copy-with-allocator constructor takes it.
    LW_SAME_DEDUCTION(unordered_map, LW_PAIRS, pair_alloc);

    LW_SAME_DEDUCTION(unordered_multimap, first, last);
    LW_SAME_DEDUCTION(unordered_multimap, cfirst, clast);
    LW_SAME_DEDUCTION(unordered_multimap, first, last, n);
    LW_SAME_DEDUCTION(unordered_multimap, first, last, 8);
    LW_SAME_DEDUCTION(unordered_multimap, first, last, n, hash);
    LW_SAME_DEDUCTION(unordered_multimap, first, last, n, hash, equal);
    LW_SAME_DEDUCTION(unordered_multimap, first, last, n, hash, equal, pair_alloc);
    LW_SAME_DEDUCTION(unordered_multimap, first, last, n, pair_alloc);
    LW_SAME_DEDUCTION(unordered_multimap, first, last, n, hash, pair_alloc);
    LW_SAME_DEDUCTION(unordered_multimap, LW_PAIRS);
    LW_SAME_DEDUCTION(unordered_multimap, LW_PAIRS, n);
    LW_SAME_DEDUCTION(unordered_multimap, LW_PAIRS, n, hash);
    LW_SAME_DEDUCTION(unordered_multimap, LW_PAIRS, n, hash, equal);
    LW_SAME_DEDUCTION(unordered_multimap, LW_PAIRS, n, hash, equal, pair_alloc);
    LW_SAME_DEDUCTION(unordered_multimap, LW_PAIRS, n, pair_alloc);
    LW_SAME_DEDUCTION(unordered_multimap, LW_PAIRS, n, hash, pair_alloc);
    LW_SAME_DEDUCTION(unordered_multimap, LW_PAIRS, pair_alloc);

    LW_SAME_DEDUCTION(unordered_set, kfirst, klast);
    LW_SAME_DEDUCTION(unordered_set, kfirst, klast, n);
    LW_SAME_DEDUCTION(unordered_set, kfirst, klast, 8);
    LW_SAME_DEDUCTION(unordered_set, kfirst, klast, n, hash);
    LW_SAME_DEDUCTION(unordered_set, kfirst, klast, n, hash, equal);
    LW_SAME_DEDUCTION(unordered_set, kfirst, klast, n, hash, equal, key_alloc);
    LW_SAME_DEDUCTION(unordered_set, kfirst, klast, n, key_alloc);
    LW_SAME_DEDUCTION(unordered_set, kfirst, klast, n, hash, key_alloc);
    LW_SAME_DEDUCTION(unordered_set, LW_KEYS);
    LW_SAME_DEDUCTION(unordered_set, LW_KEYS, n);
    LW_SAME_DEDUCTION(unordered_set, LW_KEYS, n, hash);
    LW_SAME_DEDUCTION(unordered_set, LW_KEYS, n, hash, equal);
    LW_SAME_DEDUCTION(unordered_set, LW_KEYS, n, hash, equal, key_alloc);
    LW_SAME_DEDUCTION(unordered_set, LW_KEYS, n, key_alloc);
    LW_SAME_DEDUCTION(unordered_set, LW_KEYS, n, hash, key_alloc);

    LW_SAME_DEDUCTION(unordered_multiset, kfirst, klast);
    LW_SAME_DEDUCTION(unordered_multiset, kfirst, klast, n);
    LW_SAME_DEDUCTION(unordered_multiset, kfirst, klast, 8);
    LW_SAME_DEDUCTION(unordered_multiset, kfirst, klast, n, hash);
    LW_SAME_DEDUCTION(unordered_multiset, kfirst, klast, n, hash, equal);
    LW_SAME_DEDUCTION(unordered_multiset, kfirst, klast, n, hash, equal, key_alloc);
    LW_SAME_DEDUCTION(unordered_multiset, kfirst, klast, n, key_alloc);
    LW_SAME_DEDUCTION(unordered_multiset, kfirst, klast, n, hash, key_alloc);
    LW_SAME_DEDUCTION(unordered_multiset, LW_KEYS);
    LW_SAME_DEDUCTION(unordered_multiset, LW_KEYS, n);
    LW_SAME_DEDUCTION(unordered_multiset, LW_KEYS, n, hash);
    LW_SAME_DEDUCTION(unordered_multiset, LW_KEYS, n, hash, equal);
    LW_SAME_DEDUCTION(unordered_multiset, LW_KEYS, n, hash, equal, key_alloc);
    LW_SAME_DEDUCTION(unordered_multiset, LW_KEYS, n, key_alloc);
    LW_SAME_DEDUCTION(unordered_multiset, LW_KEYS, n, hash, key_alloc);

    // The allocator-only forms: well-formed exactly where std's are.
    using pair_it = std::vector<std::pair<int, std::string>>::const_iterator;
    using key_it = std::vector<int>::const_iterator;
    using pair_alloc_t = lwtest::counting_allocator<std::pair<const int, std::string>>;
    using key_alloc_t = lwtest::counting_allocator<int>;
    using pair_t = std::pair<int, std::string>;
    STATIC_REQUIRE(tracked_map_range_alloc<pair_it, pair_alloc_t>::value ==
                   std_map_range_alloc<pair_it, pair_alloc_t>::value);
    STATIC_REQUIRE(tracked_map_list_alloc<pair_t, pair_alloc_t>::value ==
                   std_map_list_alloc<pair_t, pair_alloc_t>::value);
    STATIC_REQUIRE(tracked_multimap_range_alloc<pair_it, pair_alloc_t>::value ==
                   std_multimap_range_alloc<pair_it, pair_alloc_t>::value);
    STATIC_REQUIRE(tracked_multimap_list_alloc<pair_t, pair_alloc_t>::value ==
                   std_multimap_list_alloc<pair_t, pair_alloc_t>::value);
    STATIC_REQUIRE(tracked_set_range_alloc<key_it, key_alloc_t>::value ==
                   std_set_range_alloc<key_it, key_alloc_t>::value);
    STATIC_REQUIRE(tracked_set_list_alloc<int, key_alloc_t>::value == std_set_list_alloc<int, key_alloc_t>::value);
    STATIC_REQUIRE(tracked_multiset_range_alloc<key_it, key_alloc_t>::value ==
                   std_multiset_range_alloc<key_it, key_alloc_t>::value);
    STATIC_REQUIRE(tracked_multiset_list_alloc<int, key_alloc_t>::value ==
                   std_multiset_list_alloc<int, key_alloc_t>::value);
    // (list, allocator) of a map constructs, through the guide: it must not go unnoticed if
    // the detectors stopped detecting anything.
    STATIC_REQUIRE(std_map_list_alloc<pair_t, pair_alloc_t>::value);

#undef LW_PAIRS
#undef LW_KEYS

    // Braced forms, and what the deduced containers hold.
    lw::tracked_unordered_map m{std::pair{1, std::string("a")}, std::pair{2, std::string("b")}};
    lw::tracked_unordered_multimap mm(lw::label{"mm"}, first, last, n, hash, pair_alloc);
    lw::tracked_unordered_set s{3, 1, 3};
    lw::tracked_unordered_multiset ms(lw::label{"ms"}, {5, 4, 5}, n, hash, equal, key_alloc);
    STATIC_REQUIRE(std::is_same<decltype(m), lw::tracked_unordered_map<int, std::string>>::value);
    STATIC_REQUIRE(std::is_same<decltype(mm), lw::tracked_unordered_multimap<int, std::string, int_hash,
                                                                             std::equal_to<int>, pair_alloc_t>>::value);
    STATIC_REQUIRE(std::is_same<decltype(s), lw::tracked_unordered_set<int>>::value);
    STATIC_REQUIRE(
        std::is_same<decltype(ms), lw::tracked_unordered_multiset<int, int_hash, int_equal, key_alloc_t>>::value);
    CHECK(m.size() == 2);
    CHECK(m.at(2) == "b");
    CHECK(mm.size() == 3);
    CHECK(mm.count(1) == 2);
    CHECK(mm.bucket_count() >= n);
    CHECK(mm.label() == "mm");
    CHECK(mm.stats().elements == 3);
    CHECK(s.size() == 2);
    CHECK(ms.size() == 3);
    CHECK(ms.count(5) == 2);
    CHECK(ms.label() == "ms");
    CHECK(ms.get_allocator().counter() == &lwtest::default_counter());
    CHECK(ms.stats().bytes > 0);

    lw::tracked_unordered_map from_list({std::pair{1, 2.5}, std::pair{2, 3.5}},
                                        lwtest::counting_allocator<std::pair<const int, double>>());
    CHECK(from_list.size() == 2);
    CHECK(from_list.stats().elements == 2);
}

// --- element types with a hostile operator& ----------------------------------------------------

namespace hostile {

// An element whose own operator& is deleted...
struct element {
    int value = 0;

    element() = default;
    element(int v) : value(v) {}  // implicit, for brevity below
    void operator&() const = delete;

    friend bool operator==(const element& a, const element& b) { return a.value == b.value; }
    friend bool operator!=(const element& a, const element& b) { return a.value != b.value; }
    friend bool operator<(const element& a, const element& b) { return a.value < b.value; }
};

// ...and an operator& template that argument-dependent lookup finds for every type that names
// this namespace in its template arguments: a tracked container of `element`, its node
// handles, its std container, its allocator. Taking any such address with a plain `&` fails.
template <class T>
void operator&(const T&) = delete;

struct element_hash {
    std::size_t operator()(const element& e) const noexcept { return static_cast<std::size_t>(e.value); }
};

}  // namespace hostile

namespace {

using hostile::element;

// Exactly the values `expected`, in order, and the record counts them all.
template <class C>
bool holds(const C& c, std::initializer_list<int> expected) {
    if (c.size() != expected.size() || c.stats().elements != c.size()) return false;
    auto it = expected.begin();
    for (const auto& e : c) {
        if (e != element(*it)) return false;
        ++it;
    }
    return true;
}
template <class C>
int sum_of(const C& c) {
    int sum = 0;
    for (const auto& e : c) sum += e.value;
    return sum;
}
template <class C>
int sum_of_mapped(const C& c) {
    int sum = 0;
    for (const auto& kv : c) sum += kv.first.value * 100 + kv.second.value;
    return sum;
}

// What every container offers: construction in each way, copy, move, assignment, swap,
// comparison and clear. Copy assignment only where the std twin has it for this element:
// libstdc++ 12's hash tables compare their own address with a plain & in operator=.
template <bool copy_assignable, class C>
void exercise_whole_container(C& c, int expected_sum, int (*sum)(const C&)) {
    C copy(c);
    C labelled(lw::label{"labelled copy"}, c);
    C moved(std::move(copy));
    CHECK(sum(moved) == expected_sum);
    CHECK(copy.stats().elements == copy.size());
    C target(c);
    if constexpr (copy_assignable) {
        target.clear();
        target = c;
        CHECK(sum(target) == expected_sum);
        C& same = target;
        target = same;  // self-assignment keeps the contents
    }
    CHECK(sum(target) == expected_sum);
    CHECK(target == c);
    CHECK_FALSE(target != c);
    C other;
    other = std::move(target);
    CHECK(sum(other) == expected_sum);
    other.swap(labelled);
    swap(other, labelled);
    using std::swap;
    swap(other, other);
    other.swap(other);
    CHECK(sum(other) == expected_sum);
    CHECK(other.stats().elements == other.size());
    other.clear();
    CHECK(other.empty());
    CHECK(other.stats().elements == 0);
    C with_allocator(c, c.get_allocator());
    C moved_with_allocator(std::move(with_allocator), c.get_allocator());
    CHECK(sum(moved_with_allocator) == expected_sum);
}

}  // namespace

TEST_CASE("sequence containers of an element with a hostile operator&", "[std-semantics][addressof]") {
    lw::tracked_vector<element> v{lw::label{"v"}, {1, 2, 3}};
    v.push_back(element(4));
    v.emplace_back(5);
    v.insert(v.begin(), element(0));
    v.erase(v.begin() + 1);
    v.reserve(20);
    v.resize(5);
    v.assign({5, 4, 3});
    CHECK(holds(v, {5, 4, 3}));
    CHECK(v.front() == element(5));
    CHECK(v.data()->value == 5);
    CHECK((v < lw::tracked_vector<element>{6}));
    exercise_whole_container<true>(v, 12, &sum_of<lw::tracked_vector<element>>);

    lw::tracked_deque<element> d{lw::label{"d"}, {2, 3}};
    d.push_front(element(1));
    d.emplace_back(4);
    d.pop_back();
    CHECK(holds(d, {1, 2, 3}));
    exercise_whole_container<true>(d, 6, &sum_of<lw::tracked_deque<element>>);

    lw::tracked_list<element> l{lw::label{"l"}, {3, 1, 2}};
    lw::tracked_list<element> other{4, 4};
    l.sort();
    l.splice(l.end(), other, other.begin());
    l.merge(other);
    l.unique();
    l.remove(element(1));
    l.reverse();
    CHECK(holds(l, {4, 3, 2}));
    CHECK(other.empty());
    exercise_whole_container<true>(l, 9, &sum_of<lw::tracked_list<element>>);
}

TEST_CASE("ordered containers of an element with a hostile operator&", "[std-semantics][addressof]") {
    lw::tracked_ordered_map<element, element> m{lw::label{"m"}};
    m[element(1)] = element(10);
    m.emplace(element(2), element(20));
    m.try_emplace(element(3), 30);
    m.insert_or_assign(element(1), element(11));
    CHECK(m.at(element(1)) == element(11));
    CHECK(m.find(element(2)) != m.end());
    auto node = m.extract(element(3));
    decltype(node) held;
    held = std::move(node);  // node handles are move-assigned too
    lw::tracked_ordered_map<element, element> m2;
    CHECK(m2.insert(std::move(held)).inserted);
    m2.merge(m);
    CHECK(m2.size() == 3);
    CHECK(m.empty());
    exercise_whole_container<true>(m2, 100 + 11 + 200 + 20 + 300 + 30,
                                   &sum_of_mapped<lw::tracked_ordered_map<element, element>>);

    lw::tracked_ordered_multimap<element, element> mm{{element(1), element(1)}, {element(1), element(2)}};
    mm.emplace(element(2), element(3));
    CHECK(mm.count(element(1)) == 2);
    exercise_whole_container<true>(mm, 101 + 102 + 203, &sum_of_mapped<lw::tracked_ordered_multimap<element, element>>);

    lw::tracked_ordered_set<element> s{lw::label{"s"}, {3, 1, 2}};
    auto set_node = s.extract(element(2));
    lw::tracked_ordered_set<element> s2;
    s2.insert(std::move(set_node));
    s.merge(s2);
    CHECK(holds(s, {1, 2, 3}));
    CHECK(s.lower_bound(element(2)) != s.end());
    exercise_whole_container<true>(s, 6, &sum_of<lw::tracked_ordered_set<element>>);

    lw::tracked_ordered_multiset<element> ms{1, 1, 2};
    ms.erase(element(2));
    CHECK(holds(ms, {1, 1}));
    exercise_whole_container<true>(ms, 2, &sum_of<lw::tracked_ordered_multiset<element>>);
}

TEST_CASE("unordered containers of an element with a hostile operator&", "[std-semantics][addressof]") {
    using map = lw::tracked_unordered_map<element, element, hostile::element_hash>;
    map m{lw::label{"m"}};
    m[element(1)] = element(10);
    m.emplace(element(2), element(20));
    // (not try_emplace nor insert_or_assign: libstdc++ 12's own take the table's address with a
    // plain &, so std::unordered_map<element, element> has neither)
    m.emplace(element(3), element(30));
    m[element(1)] = element(11);
    m.rehash(64);
    CHECK(m.at(element(1)) == element(11));
    auto node = m.extract(element(3));
    decltype(node) held;
    held = std::move(node);
    map m2;
    CHECK(m2.insert(std::move(held)).inserted);
    m2.merge(m);
    CHECK(m2.size() == 3);
    CHECK(m.empty());
    exercise_whole_container<false>(m2, 100 + 11 + 200 + 20 + 300 + 30, &sum_of_mapped<map>);

    using multimap = lw::tracked_unordered_multimap<element, element, hostile::element_hash>;
    multimap mm{{element(1), element(1)}, {element(1), element(2)}};
    mm.emplace(element(2), element(3));
    CHECK(mm.count(element(1)) == 2);
    exercise_whole_container<false>(mm, 101 + 102 + 203, &sum_of_mapped<multimap>);

    using set = lw::tracked_unordered_set<element, hostile::element_hash>;
    set s{lw::label{"s"}, {3, 1, 2}};
    auto set_node = s.extract(element(2));
    set s2;
    s2.insert(std::move(set_node));
    s.merge(s2);
    CHECK(s.size() == 3);
    CHECK(s.count(element(2)) == 1);
    exercise_whole_container<false>(s, 6, &sum_of<set>);

    using multiset = lw::tracked_unordered_multiset<element, hostile::element_hash>;
    multiset ms{1, 1, 2};
    ms.erase(element(2));
    CHECK(ms.count(element(1)) == 2);
    exercise_whole_container<false>(ms, 2, &sum_of<multiset>);
}

// --- recursive and incomplete value types ----------------------------------------------------

namespace {

// Each node holds a container of its own (still incomplete) type, beside the std twin holding
// the same: the tracked container must compile wherever the std one does.
struct vector_node {
    int value = 0;
    lw::tracked_vector<vector_node> children;
    std::vector<vector_node> std_children;
};
struct deque_node {
    int value = 0;
    lw::tracked_deque<deque_node> children;
    std::deque<deque_node> std_children;
};
struct list_node {
    int value = 0;
    lw::tracked_list<list_node> children;
    std::list<list_node> std_children;
};
struct map_node {
    int value = 0;
    lw::tracked_ordered_map<int, map_node> children;
    std::map<int, map_node> std_children;
};
struct multimap_node {
    int value = 0;
    lw::tracked_ordered_multimap<int, multimap_node> children;
    std::multimap<int, multimap_node> std_children;
};
struct set_node {
    int value = 0;
    lw::tracked_ordered_set<set_node> children;
    std::set<set_node> std_children;
    friend bool operator<(const set_node& a, const set_node& b) { return a.value < b.value; }
};
struct multiset_node {
    int value = 0;
    lw::tracked_ordered_multiset<multiset_node> children;
    std::multiset<multiset_node> std_children;
    friend bool operator<(const multiset_node& a, const multiset_node& b) { return a.value < b.value; }
};
struct unordered_map_node {
    int value = 0;
    lw::tracked_unordered_map<int, unordered_map_node> children;
    std::unordered_map<int, unordered_map_node> std_children;
};
struct unordered_multimap_node {
    int value = 0;
    lw::tracked_unordered_multimap<int, unordered_multimap_node> children;
    std::unordered_multimap<int, unordered_multimap_node> std_children;
};
// A set's key is the node itself: its hash is declared before the node is complete.
struct unordered_set_node;
struct unordered_set_node_hash {
    std::size_t operator()(const unordered_set_node& n) const noexcept;
};
struct unordered_set_node {
    int value = 0;
    lw::tracked_unordered_set<unordered_set_node, unordered_set_node_hash> children;
    std::unordered_set<unordered_set_node, unordered_set_node_hash> std_children;
    friend bool operator==(const unordered_set_node& a, const unordered_set_node& b) { return a.value == b.value; }
};
std::size_t unordered_set_node_hash::operator()(const unordered_set_node& n) const noexcept {
    return static_cast<std::size_t>(n.value);
}
struct unordered_multiset_node;
struct unordered_multiset_node_hash {
    std::size_t operator()(const unordered_multiset_node& n) const noexcept;
};
struct unordered_multiset_node {
    int value = 0;
    lw::tracked_unordered_multiset<unordered_multiset_node, unordered_multiset_node_hash> children;
    std::unordered_multiset<unordered_multiset_node, unordered_multiset_node_hash> std_children;
    friend bool operator==(const unordered_multiset_node& a, const unordered_multiset_node& b) {
        return a.value == b.value;
    }
};
std::size_t unordered_multiset_node_hash::operator()(const unordered_multiset_node& n) const noexcept {
    return static_cast<std::size_t>(n.value);
}

// Members declared while their element type is only declared (completed further down).
struct later;
struct later_hash {
    std::size_t operator()(const later& l) const noexcept;
};
struct holder {
    lw::tracked_vector<later> vector;
    lw::tracked_deque<later> deque;
    lw::tracked_list<later> list;
    lw::tracked_ordered_map<int, later> map;
    lw::tracked_ordered_multimap<int, later> multimap;
    lw::tracked_ordered_set<later> set;
    lw::tracked_ordered_multiset<later> multiset;
    lw::tracked_unordered_map<int, later> unordered_map;
    lw::tracked_unordered_multimap<int, later> unordered_multimap;
    lw::tracked_unordered_set<later, later_hash> unordered_set;
    lw::tracked_unordered_multiset<later, later_hash> unordered_multiset;
};
struct later {
    int value = 0;
    friend bool operator<(const later& a, const later& b) { return a.value < b.value; }
    friend bool operator==(const later& a, const later& b) { return a.value == b.value; }
};
std::size_t later_hash::operator()(const later& l) const noexcept { return static_cast<std::size_t>(l.value); }

// Three levels of nodes, built through the tracked containers: `add(parent, value)` inserts a
// child and returns it. Every level's container counts its own elements.
template <class Node, class Add>
void grow_tree(Add add) {
    const std::size_t live_before = lw::registry::live_containers();
    {
        Node root;
        for (int i = 1; i <= 3; ++i) {
            Node& child = add(root, i);
            for (int j = 1; j <= i; ++j) add(child, 10 * i + j);
        }
        CHECK(root.children.size() == 3);
        CHECK(root.children.stats().elements == 3);
        std::size_t grandchildren = 0;
        for (const auto& entry : root.children) {
            const Node& child = [&]() -> const Node& {
                if constexpr (std::is_same<std::decay_t<decltype(entry)>, Node>::value)
                    return entry;
                else
                    return entry.second;
            }();
            CHECK(child.children.stats().elements == child.children.size());
            grandchildren += child.children.size();
        }
        CHECK(grandchildren == 6);
        // root, 3 children and 6 grandchildren, each with its own tracked container
        CHECK(lw::registry::live_containers() == live_before + 10);
        Node copy = root;
        CHECK(copy.children.size() == 3);
        CHECK(lw::registry::live_containers() == live_before + 20);
    }
    CHECK(lw::registry::live_containers() == live_before);
}

}  // namespace

TEST_CASE("tracked containers hold their own incomplete value type, as their std twins do",
          "[std-semantics][incomplete]") {
    SECTION("vector") {
        grow_tree<vector_node>([](vector_node& parent, int v) -> vector_node& {
            parent.children.emplace_back().value = v;
            return parent.children.back();
        });
    }
    SECTION("deque") {
        grow_tree<deque_node>([](deque_node& parent, int v) -> deque_node& {
            parent.children.emplace_back().value = v;
            return parent.children.back();
        });
    }
    SECTION("list") {
        grow_tree<list_node>([](list_node& parent, int v) -> list_node& {
            parent.children.emplace_back().value = v;
            return parent.children.back();
        });
    }
    SECTION("ordered map") {
        grow_tree<map_node>([](map_node& parent, int v) -> map_node& {
            map_node& child = parent.children[v];
            child.value = v;
            return child;
        });
    }
    SECTION("ordered multimap") {
        grow_tree<multimap_node>([](multimap_node& parent, int v) -> multimap_node& {
            multimap_node& child = parent.children.emplace(v, multimap_node())->second;
            child.value = v;
            return child;
        });
    }
    SECTION("unordered map") {
        grow_tree<unordered_map_node>([](unordered_map_node& parent, int v) -> unordered_map_node& {
            unordered_map_node& child = parent.children[v];
            child.value = v;
            return child;
        });
    }
    SECTION("unordered multimap") {
        grow_tree<unordered_multimap_node>([](unordered_multimap_node& parent, int v) -> unordered_multimap_node& {
            unordered_multimap_node& child = parent.children.emplace(v, unordered_multimap_node())->second;
            child.value = v;
            return child;
        });
    }
    // A set's elements are const: each child's own children are given before it is inserted.
    SECTION("ordered set, ordered multiset, unordered set, unordered multiset") {
        const std::size_t live_before = lw::registry::live_containers();
        {
            set_node s;
            multiset_node ms;
            unordered_set_node us;
            unordered_multiset_node ums;
            for (int i = 1; i <= 3; ++i) {
                set_node sc;
                sc.value = i;
                sc.children.insert(set_node{10 * i, {}, {}});
                s.children.insert(std::move(sc));
                multiset_node msc;
                msc.value = i;
                msc.children.insert(multiset_node{10 * i, {}, {}});
                ms.children.insert(std::move(msc));
                ms.children.insert(multiset_node{i, {}, {}});
                unordered_set_node usc;
                usc.value = i;
                usc.children.insert(unordered_set_node{10 * i, {}, {}});
                us.children.insert(std::move(usc));
                unordered_multiset_node umsc;
                umsc.value = i;
                umsc.children.insert(unordered_multiset_node{10 * i, {}, {}});
                ums.children.insert(std::move(umsc));
                ums.children.insert(unordered_multiset_node{i, {}, {}});
            }
            CHECK(s.children.size() == 3);
            CHECK(s.children.begin()->children.size() == 1);
            CHECK(s.children.begin()->children.begin()->value == 10);
            CHECK(ms.children.size() == 6);
            CHECK(ms.children.count(multiset_node{2, {}, {}}) == 2);
            CHECK(us.children.size() == 3);
            CHECK(us.children.find(unordered_set_node{3, {}, {}})->children.size() == 1);
            CHECK(ums.children.size() == 6);
            CHECK(ums.children.stats().elements == 6);
            CHECK(lw::registry::live_containers() > live_before);
        }
        CHECK(lw::registry::live_containers() == live_before);
    }
    SECTION("members declared before their element type is complete") {
        holder h;
        h.vector.push_back(later{1});
        h.deque.push_back(later{2});
        h.list.push_back(later{3});
        h.map[4] = later{4};
        h.multimap.emplace(5, later{5});
        h.set.insert(later{6});
        h.multiset.insert(later{7});
        h.unordered_map[8] = later{8};
        h.unordered_multimap.emplace(9, later{9});
        h.unordered_set.insert(later{10});
        h.unordered_multiset.insert(later{11});
        const holder copy = h;
        int sum = copy.vector[0].value + copy.deque[0].value + copy.list.front().value + copy.map.at(4).value +
                  copy.multimap.begin()->second.value + copy.set.begin()->value + copy.multiset.begin()->value +
                  copy.unordered_map.at(8).value + copy.unordered_multimap.begin()->second.value +
                  copy.unordered_set.begin()->value + copy.unordered_multiset.begin()->value;
        CHECK(sum == 66);
        CHECK(copy.unordered_multiset.stats().elements == 1);
    }
}
