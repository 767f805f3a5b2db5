// tests/test_accounting.cpp — the accounting invariants (README "Guarantees"): a tracked container's bytes
// and allocations equal what it holds, and its element count equals size(), after every
// operation.
//
// Every container here allocates through lwtest::counting_allocator, which records each
// block it hands out. A `ledger` keeps, per container, the bytes and blocks that container
// should be charged with, computed independently of leakwatch:
//   - an operation on one container charges it whatever the counting upstream saw change;
//   - operations that hand memory from one container to another (swap, move, node handles,
//     merge, splice) move exactly what the standard says changes hands, with a node's size
//     read from the block that holds the element;
// and after each step checks every live container's stats() against its ledger entry, its
// `elements` against size(), and the sum of the entries against the counting upstream.
// Containers that exchange memory must have equal allocators, so they share one counter;
// the per-container entries are what makes the check strong (a byte charged to the wrong
// container leaves the sum right but two entries wrong).
#include <leakwatch/leakwatch.hpp>

#include "counting_allocator.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace {

using lwtest::usage;

// ---- the containers under test -------------------------------------------------------------

template <class T>
using counting = lwtest::counting_allocator<T>;
using pair_alloc = counting<std::pair<const int, int>>;

using umap = leakwatch::tracked_map<int, int, std::hash<int>, std::equal_to<int>, pair_alloc>;
using uset = leakwatch::tracked_unordered_set<int, std::hash<int>, std::equal_to<int>, counting<int>>;
using umultimap = leakwatch::tracked_unordered_multimap<int, int, std::hash<int>, std::equal_to<int>, pair_alloc>;
using umultiset = leakwatch::tracked_unordered_multiset<int, std::hash<int>, std::equal_to<int>, counting<int>>;

using t_umap = leakwatch::tracked_map<lwtest::throwing, int, std::hash<lwtest::throwing>,
                                      std::equal_to<lwtest::throwing>, counting<std::pair<const lwtest::throwing, int>>>;
using t_uset = leakwatch::tracked_unordered_set<lwtest::throwing, std::hash<lwtest::throwing>,
                                                std::equal_to<lwtest::throwing>, counting<lwtest::throwing>>;
using t_umultimap =
    leakwatch::tracked_unordered_multimap<lwtest::throwing, int, std::hash<lwtest::throwing>,
                                          std::equal_to<lwtest::throwing>, counting<std::pair<const lwtest::throwing, int>>>;
using t_umultiset = leakwatch::tracked_unordered_multiset<lwtest::throwing, std::hash<lwtest::throwing>,
                                                          std::equal_to<lwtest::throwing>, counting<lwtest::throwing>>;

using unordered_types = std::tuple<umap, uset, umultimap, umultiset>;
using unordered_unique_types = std::tuple<umap, uset>;
using unordered_throwing_types = std::tuple<t_umap, t_uset, t_umultimap, t_umultiset>;

using omap = leakwatch::tracked_ordered_map<int, int, std::less<int>, pair_alloc>;
using oset = leakwatch::tracked_ordered_set<int, std::less<int>, counting<int>>;
using omultimap = leakwatch::tracked_ordered_multimap<int, int, std::less<int>, pair_alloc>;
using omultiset = leakwatch::tracked_ordered_multiset<int, std::less<int>, counting<int>>;

using t_omap = leakwatch::tracked_ordered_map<lwtest::throwing, int, std::less<lwtest::throwing>,
                                              counting<std::pair<const lwtest::throwing, int>>>;
using t_oset = leakwatch::tracked_ordered_set<lwtest::throwing, std::less<lwtest::throwing>, counting<lwtest::throwing>>;
using t_omultimap = leakwatch::tracked_ordered_multimap<lwtest::throwing, int, std::less<lwtest::throwing>,
                                                        counting<std::pair<const lwtest::throwing, int>>>;
using t_omultiset =
    leakwatch::tracked_ordered_multiset<lwtest::throwing, std::less<lwtest::throwing>, counting<lwtest::throwing>>;

using ordered_types = std::tuple<omap, oset, omultimap, omultiset>;
using ordered_unique_types = std::tuple<omap, oset>;
using ordered_throwing_types = std::tuple<t_omap, t_oset, t_omultimap, t_omultiset>;

using vec = leakwatch::tracked_vector<int, counting<int>>;
using deq = leakwatch::tracked_deque<int, counting<int>>;
using lst = leakwatch::tracked_list<int, counting<int>>;
using t_vec = leakwatch::tracked_vector<lwtest::throwing, counting<lwtest::throwing>>;
using t_deq = leakwatch::tracked_deque<lwtest::throwing, counting<lwtest::throwing>>;
using t_lst = leakwatch::tracked_list<lwtest::throwing, counting<lwtest::throwing>>;
using sequence_types = std::tuple<vec, deq, lst>;
using sequence_throwing_types = std::tuple<t_vec, t_deq, t_lst>;

template <class... Tuples>
using cat_t = decltype(std::tuple_cat(std::declval<Tuples>()...));

using associative_types = cat_t<unordered_types, ordered_types>;
using unique_types = cat_t<unordered_unique_types, ordered_unique_types>;
using all_types = cat_t<unordered_types, ordered_types, sequence_types>;
using throwing_types = cat_t<unordered_throwing_types, ordered_throwing_types, sequence_throwing_types>;

// The unique <-> multi twin of each associative container (merge accepts either).
template <class C>
struct partner;
template <>
struct partner<umap> { using type = umultimap; };
template <>
struct partner<umultimap> { using type = umap; };
template <>
struct partner<uset> { using type = umultiset; };
template <>
struct partner<umultiset> { using type = uset; };
template <>
struct partner<omap> { using type = omultimap; };
template <>
struct partner<omultimap> { using type = omap; };
template <>
struct partner<oset> { using type = omultiset; };
template <>
struct partner<omultiset> { using type = oset; };

// ---- shapes ------------------------------------------------------------------------------------

template <class C, class = void>
struct is_map_like : std::false_type {};
template <class C>
struct is_map_like<C, std::void_t<typename C::mapped_type>> : std::true_type {};
template <class C, class = void>
struct is_associative : std::false_type {};
template <class C>
struct is_associative<C, std::void_t<typename C::key_type>> : std::true_type {};
template <class C, class = void>
struct is_unordered : std::false_type {};
template <class C>
struct is_unordered<C, std::void_t<typename C::hasher>> : std::true_type {};
// Unique keys: the std twin has insert_return_type.
template <class C, class = void>
struct is_unique : std::false_type {};
template <class C>
struct is_unique<C, std::void_t<typename C::std_type::insert_return_type>> : std::true_type {};

template <class C, class = void>
struct has_capacity : std::false_type {};
template <class C>
struct has_capacity<C, std::void_t<decltype(std::declval<const C&>().capacity())>> : std::true_type {};

inline int as_int(int v) { return v; }
inline int as_int(const lwtest::throwing& t) { return t.value; }

template <class C>
typename C::value_type make(int i) {
    using value = typename C::value_type;
    if constexpr (is_map_like<C>::value)
        return value(typename C::key_type(i), typename C::mapped_type(i * 10));
    else
        return value(i);
}
template <class C>
std::vector<typename C::value_type> values(int first, int last) {
    std::vector<typename C::value_type> out;
    for (int i = first; i < last; ++i) out.push_back(make<C>(i));
    return out;
}

template <class C>
void insert_value(C& c, const typename C::value_type& v) {
    if constexpr (is_associative<C>::value)
        c.insert(v);
    else
        c.insert(c.end(), v);
}
template <class C>
void emplace_one(C& c, int i) {
    if constexpr (is_map_like<C>::value)
        c.emplace(std::piecewise_construct, std::forward_as_tuple(i), std::forward_as_tuple(i * 10));
    else if constexpr (is_associative<C>::value)
        c.emplace(i);
    else
        c.emplace(c.end(), i);
}
template <class C, class It>
void insert_range(C& c, It first, It last) {
    if constexpr (is_associative<C>::value)
        c.insert(first, last);
    else
        c.insert(c.end(), first, last);
}

// The contents as (key, mapped) pairs: in container order, sorted for the unordered ones.
template <class C>
std::vector<std::pair<int, int>> contents(const C& c) {
    std::vector<std::pair<int, int>> out;
    for (const auto& v : c.std()) {
        if constexpr (is_map_like<C>::value)
            out.emplace_back(as_int(v.first), v.second);
        else
            out.emplace_back(as_int(v), 0);
    }
    if constexpr (is_unordered<C>::value) std::sort(out.begin(), out.end());
    return out;
}

// The address of the element a node handle holds (a set's handle has value(), a map's key()).
template <class NodeHandle>
auto node_address_of(const NodeHandle& nh, int) -> decltype(static_cast<const void*>(&nh.value())) {
    return &nh.value();
}
template <class NodeHandle>
const void* node_address_of(const NodeHandle& nh, long) {
    return &nh.key();
}
template <class NodeHandle>
const void* node_address(const NodeHandle& nh) {
    return node_address_of(nh, 0);
}

// The size of one node of `c`, read from the block that holds its first element.
template <class C>
usage node_of(const lwtest::alloc_counter& counter, const C& c) {
    REQUIRE(!c.std().empty());
    const usage node{counter.block_size_containing(&*c.std().begin()), 1};
    REQUIRE(node.bytes >= sizeof(typename C::value_type));
    return node;
}

template <class C>
void insert_node(C& c, typename C::node_type&& nh) {
    if constexpr (is_unique<C>::value) {
        auto result = c.insert(std::move(nh));
        CHECK(result.inserted);
        CHECK(result.node.empty());
    } else {
        c.insert(std::move(nh));
    }
}

// The std container a tracked one stands for (with std::allocator).
template <class C>
struct std_twin {
    using key = typename C::key_type;
    template <class M>
    static auto pick() {
        if constexpr (is_unordered<C>::value) {
            if constexpr (is_map_like<C>::value)
                return std::conditional_t<is_unique<C>::value, std::unordered_map<key, M>, std::unordered_multimap<key, M>>{};
            else
                return std::conditional_t<is_unique<C>::value, std::unordered_set<key>, std::unordered_multiset<key>>{};
        } else {
            if constexpr (is_map_like<C>::value)
                return std::conditional_t<is_unique<C>::value, std::map<key, M>, std::multimap<key, M>>{};
            else
                return std::conditional_t<is_unique<C>::value, std::set<key>, std::multiset<key>>{};
        }
    }
    template <class X, class = void>
    struct mapped_of { using type = int; };
    template <class X>
    struct mapped_of<X, std::void_t<typename X::mapped_type>> { using type = typename X::mapped_type; };
    using type = decltype(pick<typename mapped_of<C>::type>());
};

// Whether the std twin of C leaves a node handle unchanged when insert(hint, nh) refuses it.
template <class C>
bool std_twin_keeps_refused_hinted_node() {
    using S = typename std_twin<C>::type;
    S target, source;
    target.insert(make<S>(6));
    source.insert(make<S>(6));
    auto nh = source.extract(6);
    target.insert(target.end(), std::move(nh));
    return !nh.empty();
}

// ---- the ledger ----------------------------------------------------------------------------------

class ledger {
public:
    explicit ledger(lwtest::alloc_counter& counter) : counter_(counter), mark_(counter.live()) {}
    ledger(const ledger&) = delete;
    ledger& operator=(const ledger&) = delete;

    // Starts an operation: the next delta is measured from here.
    void begin() { mark_ = counter_.live(); }
    // What the counting upstream saw change since begin().
    usage delta() const { return counter_.live() - mark_; }

    // `c` was constructed since begin(): it holds what was allocated meanwhile.
    template <class C>
    void track(const C& c, std::string name) {
        add(c, std::move(name), delta());
        begin();
    }
    // `target` was move-constructed from `source` since begin(): it holds what the source held,
    // and the source holds whatever the operation allocated (a fresh empty state, if any).
    template <class C>
    void track_moved(const C& target, std::string name, const C& source) {
        entry& from = find(&source);
        const usage taken = from.expected;
        from.expected = delta();
        add(target, std::move(name), taken);
        begin();
    }
    // `target = std::move(source)` with equal allocators ran since begin(): the target holds
    // what the source held; the source holds the target's old memory plus what the operation
    // allocated, minus what it freed (net: its fresh empty state, if any).
    template <class C>
    void moved_assign(const C& target, const C& source) {
        entry& to = find(&target);
        entry& from = find(&source);
        const usage target_old = to.expected;
        to.expected = from.expected;
        from.expected = target_old + delta();
        begin();
    }
    // A swap ran since begin(): no memory moved in or out, the two exchanged what they hold.
    template <class C>
    void swapped(const C& a, const C& b) {
        CHECK(delta() == usage{});
        std::swap(find(&a).expected, find(&b).expected);
        begin();
    }
    // Charges `c` with what the counting upstream saw change since begin().
    template <class C>
    void charge(const C& c) {
        find(&c).expected += delta();
        begin();
    }
    // Memory that changed hands without being allocated or freed (nodes, splices).
    template <class C, class D>
    void transfer(const C& from, const D& to, usage amount) {
        find(&from).expected -= amount;
        find(&to).expected += amount;
    }
    // The container at `id` was destroyed since begin(): what it still had charged belongs to
    // no live container (node handles that outlived it).
    void destroyed(const void* id) {
        auto it = std::find_if(entries_.begin(), entries_.end(), [&](const entry& e) { return e.id == id; });
        REQUIRE(it != entries_.end());
        orphaned_ += it->expected + delta();
        entries_.erase(it);
        begin();
    }
    // Orphaned memory (see destroyed) that `to` adopted.
    template <class C>
    void adopt_orphan(const C& to, usage amount) {
        orphaned_ -= amount;
        find(&to).expected += amount;
    }
    // Orphaned memory freed since begin().
    void charge_orphaned() {
        orphaned_ += delta();
        begin();
    }
    usage orphaned() const { return orphaned_; }
    template <class C>
    usage expected(const C& c) {
        return find(&c).expected;
    }

    // begin(); op(); charge(c); check(what).
    template <class C, class Op>
    void step(const std::string& what, C& c, Op&& op) {
        begin();
        std::forward<Op>(op)();
        charge(c);
        check(what);
    }

    // Checks every container against its entry and the entries against the upstream. A
    // container found wrong is re-synchronised with what it reports, so that one wrong
    // operation is reported once, not again after every later step.
    void check(const std::string& what) {
        usage sum = orphaned_;
        for (entry& e : entries_) {
            const leakwatch::container_stats s = e.stats();
            INFO("after " << what << ": container `" << e.name << "` should hold " << e.expected.bytes << " bytes in "
                          << e.expected.allocations << " allocation(s); stats() say " << s.bytes << " bytes in "
                          << s.allocations << ", elements " << s.elements << ", size() " << e.size());
            CHECK(s.bytes == e.expected.bytes);
            CHECK(s.allocations == e.expected.allocations);
            CHECK(s.elements == e.size());
            e.expected = usage{s.bytes, s.allocations};
            sum += e.expected;
        }
        INFO("after " << what << ": the counting upstream holds " << counter_.bytes() << " bytes in "
                      << counter_.allocations() << " block(s); the containers report " << sum.bytes << " in "
                      << sum.allocations << " (plus what dead containers' node handles hold)");
        CHECK(sum.bytes == counter_.bytes());
        CHECK(sum.allocations == counter_.allocations());
        CHECK(counter_.bad_frees() == 0);
        if (sum != counter_.live()) orphaned_ += counter_.live() - sum;
    }

private:
    struct entry {
        const void* id;
        std::string name;
        std::function<leakwatch::container_stats()> stats;
        std::function<std::size_t()> size;
        usage expected;
    };
    template <class C>
    void add(const C& c, std::string name, usage expected) {
        entries_.push_back(entry{&c, std::move(name), [&c] { return c.stats(); }, [&c] { return c.size(); }, expected});
    }
    entry& find(const void* id) {
        auto it = std::find_if(entries_.begin(), entries_.end(), [&](const entry& e) { return e.id == id; });
        REQUIRE(it != entries_.end());
        return *it;
    }

    lwtest::alloc_counter& counter_;
    usage mark_;
    usage orphaned_;
    std::vector<entry> entries_;
};

}  // namespace

// =================================================================================================
// Operations every tracked container has
// =================================================================================================

TEMPLATE_LIST_TEST_CASE("bytes, allocations and elements stay exact through the operations every container shares",
                        "[accounting]", all_types) {
    using C = TestType;
    using A = typename C::allocator_type;
    const std::size_t live_before = leakwatch::registry::live_containers();
    lwtest::alloc_counter counter, other_counter;
    {
        ledger L{counter}, L2{other_counter};

        L.begin();
        C a{A(&counter)};
        L.track(a, "a");
        L.check("construction");
        CHECK(a.get_allocator() == A(&counter));

        for (int i = 0; i < 40; ++i) L.step("insert " + std::to_string(i), a, [&] { insert_value(a, make<C>(i)); });
        for (int i = 40; i < 50; ++i) L.step("emplace " + std::to_string(i), a, [&] { emplace_one(a, i); });
        const auto more = values<C>(50, 80);
        L.step("range insert", a, [&] { insert_range(a, more.begin(), more.end()); });
        L.step("erase(begin())", a, [&] { a.erase(a.begin()); });
        L.step("erase(first, last)", a, [&] { a.erase(std::next(a.begin(), 3), std::next(a.begin(), 8)); });
        REQUIRE(a.size() == 74);

        // Copies allocate through their own allocator and are charged to themselves.
        L.begin();
        C b(a);
        L.track(b, "b (copy of a)");
        L.check("copy construction");
        CHECK(contents(b) == contents(a));
        L.step("clear b", b, [&] { b.clear(); });
        for (int i = 100; i < 105; ++i) L.step("insert into b", b, [&] { insert_value(b, make<C>(i)); });
        L.step("copy-assign a to the smaller b", b, [&] { b = a; });
        CHECK(contents(b) == contents(a));
        L.begin();
        C s{A(&counter)};
        L.track(s, "s");
        for (int i = 200; i < 203; ++i) L.step("insert into s", s, [&] { insert_value(s, make<C>(i)); });
        L.step("copy-assign the smaller s to b", b, [&] { b = s; });
        CHECK(contents(b) == contents(s));

        // Moves hand the memory over whole.
        const auto a_contents = contents(a);
        L.begin();
        C m(std::move(a));
        L.track_moved(m, "m (moved from a)", a);
        L.check("move construction");
        CHECK(contents(m) == a_contents);
        for (int i = 300; i < 310; ++i) L.step("insert into the moved-from a", a, [&] { insert_value(a, make<C>(i)); });

        REQUIRE(!b.empty());
        REQUIRE(!m.empty());
        L.begin();
        b = std::move(m);
        L.moved_assign(b, m);
        L.check("move assignment of a non-empty m to a non-empty b");
        CHECK(contents(b) == a_contents);

        L.begin();
        a = std::move(b);
        L.moved_assign(a, b);
        L.check("move assignment of a non-empty b to a non-empty a");
        CHECK(contents(a) == a_contents);

        for (int i = 400; i < 405; ++i) L.step("insert into the moved-from b", b, [&] { insert_value(b, make<C>(i)); });

        // Swaps exchange what the two hold.
        L.begin();
        a.swap(b);
        L.swapped(a, b);
        L.check("member swap");
        CHECK(contents(b) == a_contents);
        L.begin();
        swap(a, b);
        L.swapped(a, b);
        L.check("non-member swap");
        CHECK(contents(a) == a_contents);
        L.begin();
        std::swap(a, b);  // a move construction and two move assignments
        L.swapped(a, b);
        L.check("std::swap");
        CHECK(contents(b) == a_contents);
        L.begin();
        std::swap(a, b);
        L.swapped(a, b);
        L.check("std::swap back");

        // Move construction with an equal allocator steals.
        L.begin();
        C e(std::move(b), A(&counter));
        L.track_moved(e, "e (moved from b, equal allocator)", b);
        L.check("move construction with an equal allocator");

        // With an unequal allocator the elements move one by one through the new allocator,
        // and each side is charged what its own allocator did.
        L.begin();
        L2.begin();
        C f(std::move(a), A(&other_counter));
        L.charge(a);
        L2.track(f, "f (moved from a, other allocator)");
        L.check("move construction with an unequal allocator");
        L2.check("move construction with an unequal allocator");
        CHECK(contents(f) == a_contents);
        L.begin();
        L2.begin();
        f = std::move(e);
        L.charge(e);
        L2.charge(f);
        L.check("move assignment between unequal allocators");
        L2.check("move assignment between unequal allocators");
        L.begin();
        L2.begin();
        f = s;
        L2.charge(f);
        L.check("copy assignment between unequal allocators");
        L2.check("copy assignment between unequal allocators");
        CHECK(contents(f) == contents(s));
        L.begin();
        L2.begin();
        C g(s, A(&other_counter));
        L2.track(g, "g (copy of s, other allocator)");
        L.check("copy construction with an allocator");
        L2.check("copy construction with an allocator");

        L.step("assign an initializer list", a, [&] { a = {make<C>(1), make<C>(2), make<C>(3)}; });
        CHECK(contents(a).size() == 3);
        L.step("clear a", a, [&] { a.clear(); });
        L.step("clear an empty a", a, [&] { a.clear(); });
    }
    // Everything destroyed: every byte came back, and every record was released.
    CHECK(counter.live() == usage{});
    CHECK(other_counter.live() == usage{});
    CHECK(counter.bad_frees() == 0);
    CHECK(other_counter.bad_frees() == 0);
    CHECK(leakwatch::registry::live_containers() == live_before);
}

// =================================================================================================
// Associative containers
// =================================================================================================

TEMPLATE_LIST_TEST_CASE("associative containers: key operations keep bytes exact", "[accounting]", associative_types) {
    using C = TestType;
    using A = typename C::allocator_type;
    lwtest::alloc_counter counter;
    ledger L{counter};
    L.begin();
    C a{A(&counter)};
    L.track(a, "a");

    for (int i = 0; i < 60; ++i) L.step("insert", a, [&] { insert_value(a, make<C>(i)); });
    for (int i = 0; i < 20; i += 2) L.step("erase(key)", a, [&] { CHECK(a.erase(i) == 1); });
    L.step("erase(missing key)", a, [&] { CHECK(a.erase(1000) == 0); });
    for (int i = 60; i < 70; ++i) L.step("emplace_hint", a, [&] { a.emplace_hint(a.end(), make<C>(i)); });
    for (int i = 70; i < 80; ++i) L.step("insert(hint, value)", a, [&] { a.insert(a.begin(), make<C>(i)); });
    L.step("insert(initializer_list)", a, [&] { a.insert({make<C>(80), make<C>(81), make<C>(82)}); });
    L.step("lookups", a, [&] {
        CHECK(a.find(30) != a.end());
        CHECK(a.count(31) == 1);
        const auto range = a.equal_range(32);
        CHECK(std::distance(range.first, range.second) == 1);
    });
    if constexpr (!is_unique<C>::value) {
        for (int i = 0; i < 10; ++i) L.step("insert a duplicate", a, [&] { insert_value(a, make<C>(30)); });
        L.step("erase every duplicate of a key", a, [&] { CHECK(a.erase(30) == 11); });
    } else {
        L.step("insert an existing key", a, [&] { insert_value(a, make<C>(30)); });
        if constexpr (is_map_like<C>::value) {
            L.step("operator[] on a new key", a, [&] { a[500] = 5; });
            L.step("operator[] on an existing key", a, [&] { a[500] = 6; });
            L.step("try_emplace a new key", a, [&] { CHECK(a.try_emplace(501, 1).second); });
            L.step("try_emplace an existing key", a, [&] { CHECK(!a.try_emplace(501, 2).second); });
            L.step("insert_or_assign a new key", a, [&] { CHECK(a.insert_or_assign(502, 1).second); });
            L.step("insert_or_assign an existing key", a, [&] { CHECK(!a.insert_or_assign(502, 3).second); });
            L.step("at", a, [&] { CHECK(a.at(502) == 3); });
        }
    }
#if LEAKWATCH_CPP20
    L.step("erase_if", a, [&] {
        const auto removed = erase_if(a, [](const typename C::value_type& v) {
            if constexpr (is_map_like<C>::value)
                return v.first % 3 == 0;
            else
                return v % 3 == 0;
        });
        CHECK(removed > 0);
    });
    L.step("contains", a, [&] { CHECK(!a.contains(3)); });
#endif
    L.step("erase(begin(), end())", a, [&] { a.erase(a.begin(), a.end()); });
    CHECK(a.empty());
}

TEMPLATE_LIST_TEST_CASE("unordered containers: rehash, reserve and max_load_factor keep bytes exact", "[accounting]",
                        unordered_types) {
    using C = TestType;
    using A = typename C::allocator_type;
    lwtest::alloc_counter counter;
    ledger L{counter};
    L.begin();
    C a{A(&counter)};
    L.track(a, "a");
    L.begin();
    C sized{1000, typename C::hasher(), typename C::key_equal(), A(&counter)};
    L.track(sized, "sized (1000 buckets)");
    L.check("construction with a bucket count");
    CHECK(sized.bucket_count() >= 1000);

    for (int i = 0; i < 100; ++i) L.step("insert", a, [&] { insert_value(a, make<C>(i)); });
    L.step("rehash(1000)", a, [&] { a.rehash(1000); });
    CHECK(a.bucket_count() >= 1000);
    L.step("reserve(5000)", a, [&] { a.reserve(5000); });
    L.step("max_load_factor(0.25)", a, [&] { a.max_load_factor(0.25f); });
    L.step("rehash(0)", a, [&] { a.rehash(0); });
    L.step("max_load_factor(4)", a, [&] { a.max_load_factor(4.0f); });
    L.step("rehash(0) again", a, [&] { a.rehash(0); });
    L.step("clear", a, [&] { a.clear(); });
    L.step("rehash(0) when empty", a, [&] { a.rehash(0); });
    L.step("insert after shrinking", a, [&] { insert_value(a, make<C>(7)); });
    L.begin();
    a.swap(sized);
    L.swapped(a, sized);
    L.check("swap with the presized container");
}

// ---- node handles --------------------------------------------------------------------------------

TEMPLATE_LIST_TEST_CASE("node handles move a node's bytes to the container that takes it", "[accounting]",
                        associative_types) {
    using C = TestType;
    using A = typename C::allocator_type;
    lwtest::alloc_counter counter;
    ledger L{counter};
    L.begin();
    C a{A(&counter)};
    L.track(a, "a");
    L.begin();
    C b{A(&counter)};
    L.track(b, "b");
    for (int i = 0; i < 30; ++i) L.step("insert into a", a, [&] { insert_value(a, make<C>(i)); });
    for (int i = 100; i < 110; ++i) L.step("insert into b", b, [&] { insert_value(b, make<C>(i)); });

    // Extraction allocates and frees nothing; the node stays charged to a while a handle holds it.
    typename C::node_type nh;
    L.step("extract(key)", a, [&] { nh = a.extract(5); });
    REQUIRE(!nh.empty());
    CHECK(nh.get_allocator() == A(&counter));
    const usage node{counter.block_size_containing(node_address(nh)), 1};
    REQUIRE(node.bytes >= sizeof(typename C::value_type));

    L.begin();
    insert_node(b, std::move(nh));
    L.charge(b);  // a rehash of b, if any
    L.transfer(a, b, node);
    L.check("insert(node) into b");
    CHECK(nh.empty());
    CHECK(b.count(5) == 1);

    // A handle destroyed without being inserted frees its node from a.
    L.step("extract(iterator) and drop the handle", a, [&] {
        auto dropped = a.extract(a.begin());
        CHECK(!dropped.empty());
    });

    // A swap while a handle is out moves what the containers hold, not the handle's node.
    L.step("extract(key) again", a, [&] { nh = a.extract(10); });
    REQUIRE(!nh.empty());
    L.begin();
    a.swap(b);
    L.swapped(a, b);
    L.transfer(b, a, node);  // the node out in the handle stays with a's record
    L.check("swap while a node handle is out");
    L.step("drop the handle after the swap", a, [&] { nh = typename C::node_type(); });
    CHECK(nh.empty());

    // insert(hint, node), and moving a handle around before inserting it.
    L.step("extract from b", b, [&] { nh = b.extract(20); });
    REQUIRE(!nh.empty());
    typename C::node_type moved_handle(std::move(nh));
    CHECK(nh.empty());
    typename C::node_type swapped_handle;
    swapped_handle.swap(moved_handle);
    L.begin();
    a.insert(a.end(), std::move(swapped_handle));
    L.charge(a);
    L.transfer(b, a, node);
    L.check("insert(hint, node) into a");
    CHECK(swapped_handle.empty());
    CHECK(a.count(20) == 1);

    // Inserting an empty handle does nothing.
    L.step("insert an empty handle", a, [&] { a.insert(typename C::node_type()); });

    // Swap once more with nothing out, then clear both.
    L.begin();
    swap(a, b);
    L.swapped(a, b);
    L.check("swap after node transfers");
    L.step("clear a", a, [&] { a.clear(); });
    L.step("clear b", b, [&] { b.clear(); });
}

TEMPLATE_LIST_TEST_CASE("a node handle that outlives its container keeps its record until the node is gone",
                        "[accounting][registry]", associative_types) {
    using C = TestType;
    using A = typename C::allocator_type;
    lwtest::alloc_counter counter;
    ledger L{counter};
    leakwatch::registry::snapshot();  // recycle whatever an earlier test left detached
    const leakwatch::registry_usage before = leakwatch::registry::usage();

    L.begin();
    C b{A(&counter)};
    L.track(b, "b");
    std::optional<C> a;
    L.begin();
    a.emplace(A(&counter));
    L.track(*a, "a");
    for (int i = 0; i < 20; ++i) L.step("insert into a", *a, [&] { insert_value(*a, make<C>(i)); });
    typename C::node_type kept, dropped;
    L.step("extract two nodes", *a, [&] {
        kept = a->extract(7);
        dropped = a->extract(8);
    });
    REQUIRE(!kept.empty());
    REQUIRE(!dropped.empty());
    const usage node{counter.block_size_containing(node_address(kept)), 1};

    L.begin();
    const void* a_id = &*a;
    a.reset();
    L.destroyed(a_id);
    L.check("destroy a while two of its nodes are out");
    CHECK(L.orphaned() == node * 2);
    CHECK(leakwatch::registry::usage().detached_records == before.detached_records + 1);
    CHECK(leakwatch::registry::live_containers() == before.live_records + 1);  // b

    // Inserted elsewhere: the node's bytes move from the dead record to b.
    L.begin();
    insert_node(b, std::move(kept));
    L.charge(b);
    L.adopt_orphan(b, node);
    L.check("insert an orphaned node into b");
    CHECK(b.count(7) == 1);

    // The dead record still pays for the other node: a snapshot must not recycle it yet.
    leakwatch::registry::snapshot();
    CHECK(leakwatch::registry::usage().detached_records == before.detached_records + 1);

    // Dropped: its bytes go back to the upstream, and the record has nothing left.
    L.begin();
    dropped = typename C::node_type();
    CHECK(L.delta() == usage{} - node);
    L.charge_orphaned();
    L.check("drop the other orphaned node");
    CHECK(counter.live() == L.expected(b));

    leakwatch::registry::snapshot();
    const leakwatch::registry_usage after = leakwatch::registry::usage();
    CHECK(after.detached_records == before.detached_records);
    CHECK(after.live_records == before.live_records + 1);
}

TEMPLATE_LIST_TEST_CASE("a node handle a unique container refuses stays charged to the container that paid for it",
                        "[accounting]", unique_types) {
    using C = TestType;
    using A = typename C::allocator_type;
    lwtest::alloc_counter counter;
    ledger L{counter};
    L.begin();
    C a{A(&counter)};
    L.track(a, "a");
    L.begin();
    C b{A(&counter)};
    L.track(b, "b");
    L.begin();
    C c{A(&counter)};
    L.track(c, "c");
    for (int i = 0; i < 20; ++i) L.step("insert into a", a, [&] { insert_value(a, make<C>(i)); });
    for (int i = 0; i < 10; ++i) L.step("insert into b", b, [&] { insert_value(b, make<C>(i)); });
    for (int i = 50; i < 55; ++i) L.step("insert into c", c, [&] { insert_value(c, make<C>(i)); });

    typename C::node_type nh;
    L.step("extract 5 from a", a, [&] { nh = a.extract(5); });
    const usage node{counter.block_size_containing(node_address(nh)), 1};

    // b has key 5: the insertion fails and hands the node back (a paid for it; any memory
    // freed would be a's).
    typename C::insert_return_type refused;
    L.step("insert(node) into b, which has the key", a, [&] { refused = b.insert(std::move(nh)); });
    REQUIRE(!refused.inserted);
    REQUIRE(!refused.node.empty());
    CHECK(refused.position == b.find(5));
    CHECK(b.size() == 10);

    // The refused node, inserted into c, moves from a (which paid for it) to c.
    L.begin();
    insert_node(c, std::move(refused.node));
    L.charge(c);
    L.transfer(a, c, node);
    L.check("insert the refused node into c");
    CHECK(c.count(5) == 1);

    // insert(hint, node) that fails leaves the handle unchanged ([associative.reqmts],
    // [unord.req]: "nh is empty if insertion succeeds, unchanged if insertion fails"), as
    // the std twin does. (libstdc++ 12's unordered containers drop the refused node instead;
    // the tracked container must do what its std twin does, and charge any freeing to a.)
    L.step("extract 6 from a", a, [&] { nh = a.extract(6); });
    REQUIRE(!nh.empty());
    L.step("insert(hint, node) into b, which has the key", a, [&] {
        const auto position = b.insert(b.end(), std::move(nh));
        CHECK(position == b.find(6));
    });
    CHECK(b.size() == 10);
    CHECK(nh.empty() == !std_twin_keeps_refused_hinted_node<C>());
    if (!nh.empty()) {
        L.begin();
        insert_node(c, std::move(nh));
        L.charge(c);
        L.transfer(a, c, node);
        L.check("insert the node refused with a hint into c");
    }
}

TEMPLATE_LIST_TEST_CASE("merge moves the bytes of exactly the nodes that moved", "[accounting]", associative_types) {
    using C = TestType;
    using P = typename partner<C>::type;
    using A = typename C::allocator_type;
    lwtest::alloc_counter counter;
    ledger L{counter};
    L.begin();
    C a{A(&counter)};
    L.track(a, "a");
    L.begin();
    C b{A(&counter)};
    L.track(b, "b");
    L.begin();
    P p{typename P::allocator_type(&counter)};
    L.track(p, "p (the unique/multi partner type)");
    for (int i = 0; i < 30; ++i) L.step("insert into a", a, [&] { insert_value(a, make<C>(i)); });
    for (int i = 20; i < 50; ++i) L.step("insert into b", b, [&] { insert_value(b, make<C>(i)); });
    for (int i = 25; i < 35; ++i) L.step("insert into p", p, [&] { insert_value(p, make<P>(i)); });
    L.step("insert duplicates into p", p, [&] { insert_value(p, make<P>(25)); });
    const usage node = node_of(counter, a);

    auto merge_step = [&](const std::string& what, auto& into, auto& from, auto&& merge) {
        const std::size_t into_before = into.size(), from_before = from.size();
        L.begin();
        merge();
        const std::size_t moved = into.size() - into_before;
        CHECK(from.size() == from_before - moved);
        L.charge(into);  // a rehash of the target, if any
        L.transfer(from, into, node * moved);
        L.check(what);
        return moved;
    };

    const std::size_t moved_ab = merge_step("a.merge(b)", a, b, [&] { a.merge(b); });
    CHECK(moved_ab == (is_unique<C>::value ? 20u : 30u));
    const std::size_t expected_from_p = is_unique<C>::value ? 0u : p.size();
    CHECK(merge_step("a.merge(p)", a, p, [&] { a.merge(p); }) == expected_from_p);
    L.step("refill b", b, [&] {
        for (int i = 60; i < 70; ++i) insert_value(b, make<C>(i));
    });
    CHECK(merge_step("a.merge(std::move(b))", a, b, [&] { a.merge(std::move(b)); }) == 10u);
    const std::size_t a_keys = a.size();
    const std::size_t moved_pa = merge_step("p.merge(a)", p, a, [&] { p.merge(a); });
    CHECK(moved_pa + a.size() == a_keys);
    L.step("clear p", p, [&] { p.clear(); });
    L.step("clear a", a, [&] { a.clear(); });
}

namespace {
// A second throwing hash type: merging from a container with another hash makes the target
// hash every source key again (with one hash type, libstdc++ reuses cached hash codes).
struct other_throwing_hash : lwtest::throwing_hash {};
}  // namespace

TEST_CASE("a hash that throws half-way through merge leaves the accounting exact", "[accounting]") {
    using M = leakwatch::tracked_map<int, int, lwtest::throwing_hash, std::equal_to<int>, pair_alloc>;
    using N = leakwatch::tracked_map<int, int, other_throwing_hash, std::equal_to<int>, pair_alloc>;
    lwtest::alloc_counter counter;
    ledger L{counter};
    L.begin();
    M a{pair_alloc(&counter)};
    L.track(a, "a");
    L.begin();
    N b{pair_alloc(&counter)};
    L.track(b, "b");
    for (int i = 0; i < 10; ++i) L.step("insert into a", a, [&] { a.emplace(i, i); });
    for (int i = 100; i < 140; ++i) L.step("insert into b", b, [&] { b.emplace(i, i); });
    const usage node = node_of(counter, a);

    L.begin();
    {
        lwtest::throw_guard fail_on(15);
        CHECK_THROWS_AS(a.merge(b), lwtest::construction_failure);
    }
    const std::size_t moved = a.size() - 10;
    REQUIRE(moved > 0);
    REQUIRE(moved < 40);
    CHECK(b.size() == 40 - moved);
    L.charge(a);
    L.transfer(b, a, node * moved);
    L.check("merge stopped by a throwing hash");
}


// =================================================================================================
// Exceptions
// =================================================================================================

TEMPLATE_LIST_TEST_CASE("a throwing element constructor or allocation leaves the container unchanged and the "
                        "accounting exact",
                        "[accounting]", throwing_types) {
    using C = TestType;
    using A = typename C::allocator_type;
    lwtest::alloc_counter counter;
    ledger L{counter};
    L.begin();
    C a{A(&counter)};
    L.track(a, "a");
    for (int i = 0; i < 20; ++i) L.step("insert", a, [&] { insert_value(a, make<C>(i)); });
    const auto before = contents(a);
    const typename C::value_type value = make<C>(100);

    {
        lwtest::throw_guard fail_on(1);
        L.step("insert whose element copy throws", a,
               [&] { CHECK_THROWS_AS(insert_value(a, value), lwtest::construction_failure); });
    }
    CHECK(contents(a) == before);
    {
        lwtest::throw_guard fail_on(1);
        L.step("emplace whose element constructor throws", a,
               [&] { CHECK_THROWS_AS(emplace_one(a, 101), lwtest::construction_failure); });
    }
    CHECK(contents(a) == before);
    counter.fail_allocation(1);
    if constexpr (is_associative<C>::value) {
        L.step("insert whose allocation fails", a, [&] { CHECK_THROWS_AS(insert_value(a, value), std::bad_alloc); });
    } else {
        // (a single insertion may fit in spare capacity; a thousand cannot)
        const auto many = values<C>(1000, 2000);
        L.step("insert whose allocation fails", a,
               [&] { CHECK_THROWS_AS(insert_range(a, many.begin(), many.end()), std::bad_alloc); });
    }
    counter.fail_allocation(0);
    CHECK(contents(a) == before);

    // A copy that fails half-way leaves nothing behind: no memory, no registered record.
    leakwatch::registry::snapshot();
    const leakwatch::registry_usage registry_before = leakwatch::registry::usage();
    {
        lwtest::throw_guard fail_on(10);
        L.begin();
        CHECK_THROWS_AS(C(a), lwtest::construction_failure);
        CHECK(L.delta() == usage{});
    }
    leakwatch::registry::snapshot();
    CHECK(leakwatch::registry::usage().live_records == registry_before.live_records);
    CHECK(leakwatch::registry::usage().detached_records == registry_before.detached_records);
    counter.fail_allocation(has_capacity<C>::value ? 1 : 2);  // a vector's copy allocates once
    L.begin();
    CHECK_THROWS_AS(C(a), std::bad_alloc);
    counter.fail_allocation(0);
    CHECK(L.delta() == usage{});
    CHECK(leakwatch::registry::usage().live_records == registry_before.live_records);

    // Copy assignment and range insertion that fail half-way: the container keeps what it has
    // (basic guarantee), and the accounting stays exact.
    L.begin();
    C b{A(&counter)};
    L.track(b, "b");
    for (int i = 500; i < 505; ++i) L.step("insert into b", b, [&] { insert_value(b, make<C>(i)); });
    {
        lwtest::throw_guard fail_on(7);
        L.step("copy assignment that throws", b, [&] { CHECK_THROWS_AS(b = a, lwtest::construction_failure); });
    }
    const auto more = values<C>(200, 230);
    {
        lwtest::throw_guard fail_on(10);
        L.step("range insert that throws", a,
               [&] { CHECK_THROWS_AS(insert_range(a, more.begin(), more.end()), lwtest::construction_failure); });
    }
    if constexpr (is_unordered<C>::value) {
        const auto now = contents(a);
        counter.fail_allocation(1);
        L.step("rehash whose allocation fails", a, [&] { CHECK_THROWS_AS(a.rehash(4096), std::bad_alloc); });
        counter.fail_allocation(0);
        CHECK(contents(a) == now);
    }
    L.step("insert after the failures", a, [&] { insert_value(a, value); });
    L.step("clear", a, [&] { a.clear(); });
}

// =================================================================================================
// Sequences
// =================================================================================================

TEST_CASE("tracked_vector: reserve, resize, shrink_to_fit and growth keep bytes exact", "[accounting]") {
    lwtest::alloc_counter counter;
    ledger L{counter};
    L.begin();
    vec v{counting<int>(&counter)};
    L.track(v, "v");
    L.step("reserve(100)", v, [&] { v.reserve(100); });
    CHECK(L.expected(v).bytes == v.capacity() * sizeof(int));
    for (int i = 0; i < 150; ++i) L.step("push_back", v, [&] { v.push_back(i); });
    L.step("emplace_back", v, [&] { v.emplace_back(7); });
    for (int i = 0; i < 10; ++i) L.step("pop_back", v, [&] { v.pop_back(); });
    L.step("resize(500)", v, [&] { v.resize(500); });
    L.step("resize(1000, 3)", v, [&] { v.resize(1000, 3); });
    L.step("resize(20)", v, [&] { v.resize(20); });
    L.step("shrink_to_fit", v, [&] { v.shrink_to_fit(); });
    CHECK(L.expected(v).bytes == v.capacity() * sizeof(int));
    L.step("insert(pos, n, value)", v, [&] { v.insert(v.begin() + 5, 50, 7); });
    L.step("erase(pos)", v, [&] { v.erase(v.begin() + 3); });
    L.step("assign(n, value)", v, [&] { v.assign(300, 1); });
    const std::vector<int> source(40, 9);
    L.step("assign(first, last)", v, [&] { v.assign(source.begin(), source.end()); });
    L.step("clear", v, [&] { v.clear(); });
    L.step("shrink_to_fit when empty", v, [&] { v.shrink_to_fit(); });
    CHECK(v.stats().bytes == 0);
    CHECK(v.stats().allocations == 0);
}

TEST_CASE("tracked_deque: growth at both ends, resize and shrink_to_fit keep bytes exact", "[accounting]") {
    lwtest::alloc_counter counter;
    ledger L{counter};
    L.begin();
    deq d{counting<int>(&counter)};
    L.track(d, "d");
    for (int i = 0; i < 1000; ++i) L.step("push_back", d, [&] { d.push_back(i); });
    for (int i = 0; i < 1000; ++i) L.step("push_front", d, [&] { d.push_front(i); });
    for (int i = 0; i < 1500; ++i) L.step("pop_front", d, [&] { d.pop_front(); });
    L.step("shrink_to_fit", d, [&] { d.shrink_to_fit(); });
    L.step("resize(3000)", d, [&] { d.resize(3000); });
    L.step("resize(10)", d, [&] { d.resize(10); });
    L.step("emplace_front", d, [&] { d.emplace_front(1); });
    L.step("insert in the middle", d, [&] { d.insert(d.begin() + 5, 500, 2); });
    L.step("erase in the middle", d, [&] { d.erase(d.begin() + 3, d.begin() + 300); });
    L.step("clear", d, [&] { d.clear(); });
    L.step("shrink_to_fit when empty", d, [&] { d.shrink_to_fit(); });
}

TEST_CASE("tracked_list: splice and merge move the bytes of the nodes that moved", "[accounting]") {
    lwtest::alloc_counter counter;
    ledger L{counter};
    L.begin();
    lst a{counting<int>(&counter)};
    L.track(a, "a");
    L.begin();
    lst b{counting<int>(&counter)};
    L.track(b, "b");
    auto refill = [&](lst& l, int first, int last) {
        L.step("fill", l, [&] {
            for (int i = first; i < last; ++i) l.push_back(i);
        });
    };
    refill(a, 0, 10);
    refill(b, 100, 120);
    const usage node = node_of(counter, a);

    auto splice_step = [&](const std::string& what, std::size_t moved, auto&& op) {
        L.begin();
        op();
        L.charge(a);
        L.transfer(b, a, node * moved);
        L.check(what);
    };
    splice_step("splice(pos, other, it)", 1, [&] { a.splice(a.begin(), b, b.begin()); });
    splice_step("splice(pos, other, first, last)", 5,
                [&] { a.splice(a.end(), b, std::next(b.begin()), std::next(b.begin(), 6)); });
    splice_step("splice(pos, other)", b.size(), [&] { a.splice(a.begin(), b); });
    CHECK(b.empty());
    refill(b, 200, 205);
    splice_step("splice(pos, other&&)", 5, [&] { a.splice(a.end(), std::move(b)); });
    L.step("splice within the list", a, [&] { a.splice(a.begin(), a, std::prev(a.end())); });

    L.step("sort", a, [&] { a.sort(); });
    refill(b, 50, 60);
    splice_step("merge(other)", 10, [&] { a.merge(b); });
    refill(b, 300, 303);
    splice_step("merge(other&&)", 3, [&] { a.merge(std::move(b)); });
    L.step("reverse", a, [&] { a.reverse(); });
    L.step("push_front", a, [&] { a.push_front(100); });
    L.step("emplace_front", a, [&] { a.emplace_front(100); });
    L.step("unique", a, [&] { a.unique(); });
    L.step("remove", a, [&] { a.remove(101); });
    L.step("remove_if", a, [&] { a.remove_if([](int x) { return x % 2 == 0; }); });
    L.step("pop_front", a, [&] { a.pop_front(); });
    L.step("resize(100)", a, [&] { a.resize(100); });
    L.step("resize(3)", a, [&] { a.resize(3); });
    L.begin();
    a.swap(b);
    L.swapped(a, b);
    L.check("swap");
    L.step("clear", b, [&] { b.clear(); });
}
