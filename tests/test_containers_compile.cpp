// tests/test_containers_compile.cpp — every constructor and member of the tracked ordered and
// sequence containers, run side by side with the std twin.
//
// After every mutation the element count must equal size() and the contents must equal the
// twin's; iterator and member types must be the std container's own; each constructor must
// record the caller's line (inherited from the family base or declared by the twin).
// Node handles, merge and splice are also checked byte by byte with a counting upstream
// allocator. With LEAKWATCH_DISABLE the tracked names are the std types: the file still
// compiles and runs, without the tracked-only checks.
// This file also checks the exact insert, erase and lookup counts, which are opt-in.
#define LEAKWATCH_COUNT_OPERATIONS 1

#include <leakwatch/containers/ordered.hpp>
#include <leakwatch/containers/sequence.hpp>
#include <leakwatch/containers/unordered.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <deque>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <list>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#if LEAKWATCH_CPP20
#include <compare>
#endif

namespace lw = leakwatch;

namespace {

// --- checks that hold in both builds -----------------------------------------------------------

// The record's element count equals size() (nothing to check when tracking is compiled out).
template <class C>
bool counted(const C& c) {
#if defined(LEAKWATCH_DISABLE)
    (void)c;
    return true;
#else
    return c.stats().elements == c.size();
#endif
}

// Counted, and the same elements in the same order as the std twin.
template <class C, class Twin>
bool mirrors(const C& c, const Twin& twin) {
    return counted(c) && c.size() == twin.size() && std::equal(c.begin(), c.end(), twin.begin(), twin.end());
}

// The container was registered at `line` of this file.
template <class C>
bool made_at(const C& c, unsigned line) {
#if defined(LEAKWATCH_DISABLE)
    (void)c;
    (void)line;
    return true;
#else
    const lw::source_site site = lw::detail::core_access::site(c);
    return site.line == line &&
           std::string_view(site.file).find("test_containers_compile.cpp") != std::string_view::npos;
#endif
}

// Position of an iterator, to compare the iterators two containers return.
template <class C, class It>
std::ptrdiff_t offset(C& c, It it) {
    return std::distance(c.begin(), it);
}

// An insertion's outcome as a comparable value: (element, inserted) for unique containers,
// (element, true) for multi containers.
template <class It>
auto outcome(const std::pair<It, bool>& result) {
    return std::make_pair(*result.first, result.second);
}
template <class It>
auto outcome(const It& it) -> decltype(std::make_pair(*it, true)) {
    return std::make_pair(*it, true);
}

// --- types -------------------------------------------------------------------------------------

// The std container under a tracked one (the type itself when tracking is compiled out).
template <class C, class = void>
struct std_of {
    using type = C;
};
template <class C>
struct std_of<C, std::void_t<typename C::std_type>> {
    using type = typename C::std_type;
};
template <class C>
using std_of_t = typename std_of<C>::type;

// The plain std container the tests compare with.
template <class C>
struct twin;
template <class K, class T, class Compare, class A>
struct twin<lw::tracked_ordered_map<K, T, Compare, A>> {
    using type = std::map<K, T, Compare>;
};
template <class K, class T, class Compare, class A>
struct twin<lw::tracked_ordered_multimap<K, T, Compare, A>> {
    using type = std::multimap<K, T, Compare>;
};
template <class K, class Compare, class A>
struct twin<lw::tracked_ordered_set<K, Compare, A>> {
    using type = std::set<K, Compare>;
};
template <class K, class Compare, class A>
struct twin<lw::tracked_ordered_multiset<K, Compare, A>> {
    using type = std::multiset<K, Compare>;
};
template <class T, class A>
struct twin<lw::tracked_vector<T, A>> {
    using type = std::vector<T>;
};
template <class T, class A>
struct twin<lw::tracked_deque<T, A>> {
    using type = std::deque<T>;
};
template <class T, class A>
struct twin<lw::tracked_list<T, A>> {
    using type = std::list<T>;
};
template <class C>
using twin_t = typename twin<C>::type;

// Which optional members a type has (the tracked type must have exactly the std twin's).
template <class C, template <class> class Op, class = void>
struct detect : std::false_type {};
template <class C, template <class> class Op>
struct detect<C, Op, std::void_t<Op<C>>> : std::true_type {};
template <class C, template <class> class Op>
constexpr bool has = detect<C, Op>::value;

template <class C>
using data_op = decltype(std::declval<C&>().data());
template <class C>
using capacity_op = decltype(std::declval<const C&>().capacity());
template <class C>
using reserve_op = decltype(std::declval<C&>().reserve(1));
template <class C>
using shrink_op = decltype(std::declval<C&>().shrink_to_fit());
template <class C>
using push_front_op = decltype(std::declval<C&>().push_front(std::declval<typename C::value_type>()));
template <class C>
using emplace_front_op = decltype(std::declval<C&>().emplace_front());
template <class C>
using pop_front_op = decltype(std::declval<C&>().pop_front());
template <class C>
using subscript_op = decltype(std::declval<C&>()[0]);
template <class C>
using at_op = decltype(std::declval<C&>().at(0));
template <class C>
using splice_op = decltype(std::declval<C&>().splice(std::declval<typename C::const_iterator>(), std::declval<C&>()));
template <class C>
using sort_op = decltype(std::declval<C&>().sort());
template <class C>
using flip_op = decltype(std::declval<C&>().flip());
template <class C>
using try_emplace_op = decltype(std::declval<C&>().try_emplace(0));
template <class C>
using insert_or_assign_op = decltype(std::declval<C&>().insert_or_assign(0, std::declval<typename C::mapped_type>()));
template <class C>
using mapped_type_op = typename C::mapped_type;
template <class C>
using find_view_op = decltype(std::declval<C&>().find(std::string_view()));

// --- sample values -----------------------------------------------------------------------------

// Element number i: i itself, true for odd i in vector<bool>, (i, "i") in an int-keyed map.
template <class V>
V sample(int i) {
    if constexpr (std::is_same<V, bool>::value) return i % 2 != 0;
    else if constexpr (std::is_arithmetic<V>::value) return static_cast<V>(i);
    else return V(i, std::to_string(i));
}
template <class V>
int key_of(const V& value) {
    if constexpr (std::is_arithmetic<V>::value) return value;
    else return value.first;
}
// Element keyed by a word: the word itself in a set, (word, length) in a map.
template <class V>
V word(const char* w) {
    if constexpr (std::is_same<V, std::string>::value) return V(w);
    else return V(w, static_cast<int>(std::string_view(w).size()));
}

// --- a counting upstream allocator ---------------------------------------------------------------

struct byte_counter {
    std::size_t bytes = 0;
    std::size_t allocations = 0;
};
// Counts into one byte_counter; copies (and rebound copies) count into the same one and
// compare equal, so containers sharing a counter may exchange nodes.
template <class T>
struct counting_allocator {
    using value_type = T;

    explicit counting_allocator(byte_counter& c) noexcept : counter(&c) {}
    template <class U>
    counting_allocator(const counting_allocator<U>& other) noexcept : counter(other.counter) {}

    T* allocate(std::size_t n) {
        T* p = std::allocator<T>().allocate(n);
        counter->bytes += n * sizeof(T);
        ++counter->allocations;
        return p;
    }
    void deallocate(T* p, std::size_t n) noexcept {
        std::allocator<T>().deallocate(p, n);
        counter->bytes -= n * sizeof(T);
        --counter->allocations;
    }
    template <class U>
    bool operator==(const counting_allocator<U>& other) const noexcept {
        return counter == other.counter;
    }
    template <class U>
    bool operator!=(const counting_allocator<U>& other) const noexcept {
        return counter != other.counter;
    }

    byte_counter* counter;
};

#if !defined(LEAKWATCH_DISABLE)
// Points this thread's lookup batch at another record, so that the lookup counts read next
// start clean.
void turn_lookup_batch_away() {
    static lw::tracked_vector<int> elsewhere{0};
    (void)elsewhere[0];
}

// What a container of this type holds empty, and what each element adds (node containers:
// one node each), measured on throwaway containers.
template <class C>
struct node_bytes {
    std::size_t empty = 0;
    std::size_t per_element = 0;

    explicit node_bytes(const typename C::value_type& value) {
        byte_counter scratch;
        const typename C::allocator_type alloc(scratch);
        C none(alloc), one(alloc);
        one.insert(one.end(), value);
        empty = none.stats().bytes;
        per_element = one.stats().bytes - empty;
    }
    std::size_t operator()(std::size_t elements) const { return empty + elements * per_element; }
};
#endif

using omap = lw::tracked_ordered_map<int, std::string>;
using omultimap = lw::tracked_ordered_multimap<int, std::string>;
using oset = lw::tracked_ordered_set<int>;
using omultiset = lw::tracked_ordered_multiset<int>;
using tmap = lw::tracked_ordered_map<std::string, int, std::less<>>;
using tmultimap = lw::tracked_ordered_multimap<std::string, int, std::less<>>;
using tset = lw::tracked_ordered_set<std::string, std::less<>>;
using tmultiset = lw::tracked_ordered_multiset<std::string, std::less<>>;
using ivector = lw::tracked_vector<int>;
using bvector = lw::tracked_vector<bool>;
using ideque = lw::tracked_deque<int>;
using ilist = lw::tracked_list<int>;

}  // namespace

// =================================================================================================
// Unordered containers: the creation site of every constructor form (the members are checked
// against the std twins in test_differential and test_std_semantics)
// =================================================================================================

namespace {
using umap = lw::tracked_unordered_map<int, std::string>;
using umultimap = lw::tracked_unordered_multimap<int, std::string>;
using uset = lw::tracked_unordered_set<int>;
using umultiset = lw::tracked_unordered_multiset<int>;
}  // namespace

TEMPLATE_TEST_CASE("unordered containers: every constructor records the caller's line", "[containers]", umap,
                   umultimap, uset, umultiset) {
    using C = TestType;
    using V = typename C::value_type;
    using Hash = typename C::hasher;
    using Equal = typename C::key_equal;
    using Alloc = typename C::allocator_type;
    const std::vector<V> src{sample<V>(3), sample<V>(1), sample<V>(2), sample<V>(1)};
    const std::initializer_list<V> list = {sample<V>(3), sample<V>(1), sample<V>(2), sample<V>(1)};
    const std::size_t want = C(src.begin(), src.end()).size();
    const Hash hf{};
    const Equal eq{};
    const Alloc alloc{};

    C c1;                                                       CHECK(made_at(c1, __LINE__));
    C c2(8);                                                    CHECK(made_at(c2, __LINE__));
    C c3(8, hf);                                                CHECK(made_at(c3, __LINE__));
    C c4(8, hf, eq);                                            CHECK(made_at(c4, __LINE__));
    C c5(8, hf, eq, alloc);                                     CHECK(made_at(c5, __LINE__));
    C c6(8, alloc);                                             CHECK(made_at(c6, __LINE__));
    C c7(8, hf, alloc);                                         CHECK(made_at(c7, __LINE__));
    C c8(alloc);                                                CHECK(made_at(c8, __LINE__));
    C c9(src.begin(), src.end());                               CHECK(made_at(c9, __LINE__));
    C c10(src.begin(), src.end(), 8, hf, eq, alloc);            CHECK(made_at(c10, __LINE__));
    C c11(src.begin(), src.end(), 8, alloc);                    CHECK(made_at(c11, __LINE__));
    C c12(src.begin(), src.end(), 8, hf, alloc);                CHECK(made_at(c12, __LINE__));
    C c13(c9);                                                  CHECK(made_at(c13, __LINE__));
    C c14(c9, alloc);                                           CHECK(made_at(c14, __LINE__));
    C c15(std::move(c14), alloc);                               CHECK(made_at(c15, __LINE__));
    C c16(list);                                                CHECK(made_at(c16, __LINE__));
    C c17(list, 8, hf, eq, alloc);                              CHECK(made_at(c17, __LINE__));
    C c18(list, 8, alloc);                                      CHECK(made_at(c18, __LINE__));
    C c19(list, 8, hf, alloc);                                  CHECK(made_at(c19, __LINE__));
    for (const C* c : {&c1, &c2, &c3, &c4, &c5, &c6, &c7, &c8}) CHECK(c->empty());
    for (const C* c : {&c9, &c10, &c11, &c12, &c13, &c15, &c16, &c17, &c18, &c19}) CHECK(c->size() == want);
#if !defined(LEAKWATCH_DISABLE)
    C l1(lw::label{"l1"});                                      CHECK(made_at(l1, __LINE__));
    C l2(lw::label{"l2"}, 8, hf, eq, alloc);                    CHECK(made_at(l2, __LINE__));
    C l3(lw::label{"l3"}, 8, alloc);                            CHECK(made_at(l3, __LINE__));
    C l4(lw::label{"l4"}, 8, hf, alloc);                        CHECK(made_at(l4, __LINE__));
    C l5(lw::label{"l5"}, alloc);                               CHECK(made_at(l5, __LINE__));
    C l6(lw::label{"l6"}, src.begin(), src.end());              CHECK(made_at(l6, __LINE__));
    C l7(lw::label{"l7"}, src.begin(), src.end(), 8, alloc);    CHECK(made_at(l7, __LINE__));
    C l8(lw::label{"l8"}, src.begin(), src.end(), 8, hf, alloc); CHECK(made_at(l8, __LINE__));
    C l9(lw::label{"l9"}, c9);                                  CHECK(made_at(l9, __LINE__));
    C l10(lw::label{"l10"}, c9, alloc);                         CHECK(made_at(l10, __LINE__));
    C l11(lw::label{"l11"}, std::move(l9));                     CHECK(made_at(l11, __LINE__));
    C l12(lw::label{"l12"}, std::move(l10), alloc);             CHECK(made_at(l12, __LINE__));
    C l13(lw::label{"l13"}, list);                              CHECK(made_at(l13, __LINE__));
    C l14(lw::label{"l14"}, list, 8, alloc);                    CHECK(made_at(l14, __LINE__));
    C l15(lw::label{"l15"}, list, 8, hf, alloc);                CHECK(made_at(l15, __LINE__));
    for (const C* c : {&l6, &l7, &l8, &l11, &l12, &l13, &l14, &l15}) CHECK(c->size() == want);
    CHECK(l15.label() == "l15");
    CHECK(l11.label() == "l11");
#endif
}

// =================================================================================================
// Ordered containers
// =================================================================================================

TEMPLATE_TEST_CASE("ordered containers: every constructor", "[containers]", omap, omultimap, oset, omultiset) {
    using C = TestType;
    using V = typename C::value_type;
    using Compare = typename C::key_compare;
    using Alloc = typename C::allocator_type;
    const std::vector<V> src{sample<V>(3), sample<V>(1), sample<V>(2), sample<V>(1)};
    const std::initializer_list<V> list = {sample<V>(3), sample<V>(1), sample<V>(2), sample<V>(1)};
    const twin_t<C> ref(src.begin(), src.end());
    const twin_t<C> none;
    const Compare comp{};
    const Alloc alloc{};

    SECTION("with the caller's site") {
        C c1;                                                   CHECK(made_at(c1, __LINE__));
        C c2(comp);                                             CHECK(made_at(c2, __LINE__));
        C c3(comp, alloc);                                      CHECK(made_at(c3, __LINE__));
        C c4(alloc);                                            CHECK(made_at(c4, __LINE__));
        CHECK(mirrors(c1, none));
        CHECK(mirrors(c2, none));
        CHECK(mirrors(c3, none));
        CHECK(mirrors(c4, none));
        C c5(src.begin(), src.end());                           CHECK(made_at(c5, __LINE__));
        C c6(src.begin(), src.end(), comp);                     CHECK(made_at(c6, __LINE__));
        C c7(src.begin(), src.end(), comp, alloc);              CHECK(made_at(c7, __LINE__));
        C c8(src.begin(), src.end(), alloc);                    CHECK(made_at(c8, __LINE__));
        CHECK(mirrors(c5, ref));
        CHECK(mirrors(c6, ref));
        CHECK(mirrors(c7, ref));
        CHECK(mirrors(c8, ref));
        C c9(c5);  const unsigned c9_line = __LINE__;           CHECK(made_at(c9, c9_line));
        C c10(c5, alloc);                                       CHECK(made_at(c10, __LINE__));
        CHECK(mirrors(c9, ref));
        CHECK(mirrors(c10, ref));
        CHECK(mirrors(c5, ref));
        C c11(std::move(c9));                                   CHECK(made_at(c11, c9_line));  // a move hands the identity over
        C c12(std::move(c10), alloc);                           CHECK(made_at(c12, __LINE__));
        CHECK(mirrors(c11, ref));
        CHECK(mirrors(c12, ref));
        CHECK(counted(c9));
        CHECK(counted(c10));
        C c13(list);                                            CHECK(made_at(c13, __LINE__));
        C c14(list, comp);                                      CHECK(made_at(c14, __LINE__));
        C c15(list, comp, alloc);                               CHECK(made_at(c15, __LINE__));
        C c16(list, alloc);                                     CHECK(made_at(c16, __LINE__));
        C c17{sample<V>(3), sample<V>(1), sample<V>(2), sample<V>(1)};
        C c18 = {sample<V>(3), sample<V>(1), sample<V>(2), sample<V>(1)};
        CHECK(mirrors(c13, ref));
        CHECK(mirrors(c14, ref));
        CHECK(mirrors(c15, ref));
        CHECK(mirrors(c16, ref));
        CHECK(mirrors(c17, ref));
        CHECK(mirrors(c18, ref));
    }

    SECTION("with a leading label") {
        C l1(lw::label{"l1"});                                  CHECK(made_at(l1, __LINE__));
        CHECK(mirrors(l1, none));
#if !defined(LEAKWATCH_DISABLE)
        CHECK(l1.label() == "l1");
        C l2(lw::label{"l2"}, comp);                            CHECK(made_at(l2, __LINE__));
        C l3(lw::label{"l3"}, comp, alloc);                     CHECK(made_at(l3, __LINE__));
        C l4(lw::label{"l4"}, alloc);                           CHECK(made_at(l4, __LINE__));
        CHECK(mirrors(l2, none));
        CHECK(mirrors(l3, none));
        CHECK(mirrors(l4, none));
        C l5(lw::label{"l5"}, src.begin(), src.end());          CHECK(made_at(l5, __LINE__));
        C l6(lw::label{"l6"}, src.begin(), src.end(), comp);    CHECK(made_at(l6, __LINE__));
        C l7(lw::label{"l7"}, src.begin(), src.end(), comp, alloc); CHECK(made_at(l7, __LINE__));
        C l8(lw::label{"l8"}, src.begin(), src.end(), alloc);   CHECK(made_at(l8, __LINE__));
        CHECK(mirrors(l5, ref));
        CHECK(mirrors(l6, ref));
        CHECK(mirrors(l7, ref));
        CHECK(mirrors(l8, ref));
        C l9(lw::label{"l9"}, l5);                              CHECK(made_at(l9, __LINE__));
        C l10(lw::label{"l10"}, l5, alloc);                     CHECK(made_at(l10, __LINE__));
        CHECK(mirrors(l9, ref));
        CHECK(mirrors(l10, ref));
        C l11(lw::label{"l11"}, std::move(l9));                 CHECK(made_at(l11, __LINE__));
        C l12(lw::label{"l12"}, std::move(l10), alloc);         CHECK(made_at(l12, __LINE__));
        CHECK(mirrors(l11, ref));
        CHECK(mirrors(l12, ref));
        CHECK(counted(l9));
        CHECK(counted(l10));
        C l13(lw::label{"l13"}, list);                          CHECK(made_at(l13, __LINE__));
        C l14(lw::label{"l14"}, list, comp);                    CHECK(made_at(l14, __LINE__));
        C l15(lw::label{"l15"}, list, comp, alloc);             CHECK(made_at(l15, __LINE__));
        C l16(lw::label{"l16"}, list, alloc);                   CHECK(made_at(l16, __LINE__));
        CHECK(mirrors(l13, ref));
        CHECK(mirrors(l14, ref));
        CHECK(mirrors(l15, ref));
        CHECK(mirrors(l16, ref));
        CHECK(l16.label() == "l16");
        CHECK(C().label().empty());
#endif
    }

    SECTION("assignment") {
        const C c(src.begin(), src.end());
        C other;
        other = c;
        CHECK(mirrors(other, ref));
        CHECK(mirrors(c, ref));
        C moved{sample<V>(9)};
        moved = std::move(other);
        CHECK(mirrors(moved, ref));
        CHECK(counted(other));
        moved = list;
        CHECK(mirrors(moved, twin_t<C>(list)));
        moved = {sample<V>(7)};
        CHECK(mirrors(moved, twin_t<C>{sample<V>(7)}));
        C& self = moved;
        moved = self;
        CHECK(mirrors(moved, twin_t<C>{sample<V>(7)}));
    }
}

TEMPLATE_TEST_CASE("ordered containers: every member", "[containers]", omap, omultimap, oset, omultiset) {
    using C = TestType;
    using Twin = twin_t<C>;
    using Std = std_of_t<C>;
    using V = typename C::value_type;
    using K = typename C::key_type;
    constexpr bool is_map = !std::is_same<K, V>::value;
    constexpr bool unique = std::is_same<decltype(std::declval<Twin&>().insert(std::declval<V>())),
                                         std::pair<typename Twin::iterator, bool>>::value;

    // The std container's own types, so tracked and std code interoperate.
    STATIC_REQUIRE(std::is_same<decltype(std::declval<C&>().begin()), typename Std::iterator>::value);
    STATIC_REQUIRE(std::is_same<decltype(std::declval<const C&>().begin()), typename Std::const_iterator>::value);
    STATIC_REQUIRE(std::is_same<decltype(std::declval<C&>().cend()), typename Std::const_iterator>::value);
    STATIC_REQUIRE(std::is_same<decltype(std::declval<C&>().rbegin()), typename Std::reverse_iterator>::value);
    STATIC_REQUIRE(std::is_same<decltype(std::declval<C&>().crend()), typename Std::const_reverse_iterator>::value);
    STATIC_REQUIRE(std::is_same<typename C::iterator, typename Std::iterator>::value);
    STATIC_REQUIRE(std::is_same<typename C::value_type, typename Twin::value_type>::value);
    STATIC_REQUIRE(std::is_same<typename C::key_type, typename Twin::key_type>::value);
    STATIC_REQUIRE(std::is_same<typename C::key_compare, typename Twin::key_compare>::value);
    STATIC_REQUIRE(std::is_same<typename C::value_compare, typename Std::value_compare>::value);
    STATIC_REQUIRE(std::is_same<typename C::allocator_type, typename Twin::allocator_type>::value);
    STATIC_REQUIRE(std::is_same<typename C::reference, typename Twin::reference>::value);
    STATIC_REQUIRE(std::is_same<typename C::size_type, typename Twin::size_type>::value);
    STATIC_REQUIRE(std::is_same<typename C::difference_type, typename Twin::difference_type>::value);
    STATIC_REQUIRE(std::is_same<typename C::pointer, typename Twin::pointer>::value);
    // Exactly the std twin's optional members.
    STATIC_REQUIRE(has<C, subscript_op> == has<Twin, subscript_op>);
    STATIC_REQUIRE(has<C, at_op> == has<Twin, at_op>);
    STATIC_REQUIRE(has<C, try_emplace_op> == has<Twin, try_emplace_op>);
    STATIC_REQUIRE(has<C, insert_or_assign_op> == has<Twin, insert_or_assign_op>);
    STATIC_REQUIRE(has<C, mapped_type_op> == has<Twin, mapped_type_op>);
    STATIC_REQUIRE(has<C, find_view_op> == has<Twin, find_view_op>);

    C c;
    Twin ref;
    const C& cc = c;
    const Twin& cref = ref;

    // --- insert ---------------------------------------------------------------------------------
    const V v3 = sample<V>(3);
    CHECK(outcome(c.insert(sample<V>(5))) == outcome(ref.insert(sample<V>(5))));  // value_type&&
    CHECK(outcome(c.insert(v3)) == outcome(ref.insert(v3)));                      // const value_type&
    CHECK(outcome(c.insert(v3)) == outcome(ref.insert(v3)));                      // a duplicate
    CHECK(mirrors(c, ref));
    if constexpr (is_map) {
        CHECK(outcome(c.insert(std::make_pair(4, "4"))) == outcome(ref.insert(std::make_pair(4, "4"))));  // P&&
        CHECK(*c.insert(c.cend(), std::make_pair(6, "6")) == *ref.insert(ref.cend(), std::make_pair(6, "6")));
        CHECK(mirrors(c, ref));
    }
    CHECK(*c.insert(c.cbegin(), v3) == *ref.insert(ref.cbegin(), v3));
    CHECK(*c.insert(c.cend(), sample<V>(8)) == *ref.insert(ref.cend(), sample<V>(8)));
    CHECK(mirrors(c, ref));
    const std::vector<V> more{sample<V>(10), sample<V>(9), sample<V>(10)};
    c.insert(more.begin(), more.end());
    ref.insert(more.begin(), more.end());
    CHECK(mirrors(c, ref));
    c.insert({sample<V>(11), sample<V>(12), sample<V>(11)});
    ref.insert({sample<V>(11), sample<V>(12), sample<V>(11)});
    CHECK(mirrors(c, ref));

    // --- emplace ----------------------------------------------------------------------------------
    if constexpr (is_map) {
        CHECK(outcome(c.emplace(13, "13")) == outcome(ref.emplace(13, "13")));
        CHECK(*c.emplace_hint(c.cend(), 14, "14") == *ref.emplace_hint(ref.cend(), 14, "14"));
    } else {
        CHECK(outcome(c.emplace(13)) == outcome(ref.emplace(13)));
        CHECK(*c.emplace_hint(c.cend(), 14) == *ref.emplace_hint(ref.cend(), 14));
    }
    CHECK(mirrors(c, ref));

    // --- map-only members -----------------------------------------------------------------------
    if constexpr (is_map && unique) {
        const K k20 = 20, k21 = 21;
        CHECK(outcome(c.try_emplace(k20, "20")) == outcome(ref.try_emplace(k20, "20")));
        CHECK(outcome(c.try_emplace(K(21), "21")) == outcome(ref.try_emplace(K(21), "21")));
        CHECK(outcome(c.try_emplace(k20, "not replaced")) == outcome(ref.try_emplace(k20, "not replaced")));
        CHECK(*c.try_emplace(c.cend(), k21, "x") == *ref.try_emplace(ref.cend(), k21, "x"));
        CHECK(*c.try_emplace(c.cend(), K(22), "22") == *ref.try_emplace(ref.cend(), K(22), "22"));
        CHECK(mirrors(c, ref));
        CHECK(outcome(c.insert_or_assign(k20, "twenty")) == outcome(ref.insert_or_assign(k20, "twenty")));
        CHECK(outcome(c.insert_or_assign(K(23), "23")) == outcome(ref.insert_or_assign(K(23), "23")));
        CHECK(*c.insert_or_assign(c.cend(), k21, "twenty-one") == *ref.insert_or_assign(ref.cend(), k21, "twenty-one"));
        CHECK(*c.insert_or_assign(c.cend(), K(24), "24") == *ref.insert_or_assign(ref.cend(), K(24), "24"));
        CHECK(mirrors(c, ref));
        c[k20] = "a";
        ref[k20] = "a";
        c[K(25)] = "25";
        ref[K(25)] = "25";
        CHECK(c[k21] == ref[k21]);
        CHECK(mirrors(c, ref));
        CHECK(c.at(k20) == ref.at(k20));
        CHECK(cc.at(k21) == cref.at(k21));
        CHECK_THROWS_AS(c.at(999), std::out_of_range);
        CHECK_THROWS_AS(cc.at(999), std::out_of_range);
        CHECK(mirrors(c, ref));
    }

    // --- erase ----------------------------------------------------------------------------------
    CHECK(*c.erase(c.begin()) == *ref.erase(ref.begin()));  // iterator (one type with const_iterator in a set)
    CHECK(*c.erase(c.cbegin()) == *ref.erase(ref.cbegin()));
    CHECK(mirrors(c, ref));
    CHECK(c.erase(10) == ref.erase(10));  // two of them in the multi containers
    CHECK(c.erase(999) == ref.erase(999));
    CHECK(mirrors(c, ref));
    {
        auto it = c.erase(std::next(c.cbegin()), std::next(c.cbegin(), 3));
        auto rit = ref.erase(std::next(ref.cbegin()), std::next(ref.cbegin(), 3));
        CHECK(offset(c, it) == offset(ref, rit));
        CHECK(mirrors(c, ref));
    }

    // --- extract and node handles ------------------------------------------------------------------
    {
        auto node = c.extract(c.cbegin());
        auto rnode = ref.extract(ref.cbegin());
        CHECK(mirrors(c, ref));
        CHECK(!node.empty());
        CHECK(static_cast<bool>(node));
        CHECK(node.get_allocator() == rnode.get_allocator());
        if constexpr (is_map) {
            CHECK(node.key() == rnode.key());
            CHECK(node.mapped() == rnode.mapped());
            node.mapped() = "changed";
            rnode.mapped() = "changed";
        } else {
            CHECK(node.value() == rnode.value());
        }
        auto node2 = c.extract(13);
        auto rnode2 = ref.extract(13);
        CHECK(mirrors(c, ref));
        CHECK(c.extract(999).empty());
        if constexpr (unique) {
            auto result = c.insert(std::move(node));
            auto rresult = ref.insert(std::move(rnode));
            CHECK(result.inserted == rresult.inserted);
            CHECK(*result.position == *rresult.position);
            CHECK(result.node.empty());
            CHECK(node.empty());
        } else {
            CHECK(*c.insert(std::move(node)) == *ref.insert(std::move(rnode)));
        }
        CHECK(mirrors(c, ref));
        CHECK(*c.insert(c.cend(), std::move(node2)) == *ref.insert(ref.cend(), std::move(rnode2)));
        CHECK(mirrors(c, ref));
        typename C::node_type none;
        CHECK(none.empty());
        if constexpr (unique) {
            auto result = c.insert(std::move(none));
            CHECK(!result.inserted);
            CHECK(result.position == c.end());
        } else {
            CHECK(c.insert(std::move(none)) == c.end());
        }
        CHECK(c.insert(c.cbegin(), typename C::node_type()) == c.end());
        CHECK(mirrors(c, ref));
    }
    if constexpr (unique) {
        // A node whose key is taken comes back in the result (and frees its node when dropped).
        auto node = c.extract(c.cbegin());
        auto rnode = ref.extract(ref.cbegin());
        if constexpr (is_map) {
            c.insert(V(node.key(), "taken"));
            ref.insert(V(rnode.key(), "taken"));
        } else {
            c.insert(node.value());
            ref.insert(rnode.value());
        }
        auto result = c.insert(std::move(node));
        auto rresult = ref.insert(std::move(rnode));
        CHECK(!result.inserted);
        CHECK(!result.node.empty());
        CHECK(*result.position == *rresult.position);
        CHECK(mirrors(c, ref));
    }
    CHECK(mirrors(c, ref));

    // --- lookup -----------------------------------------------------------------------------------
    const K present = key_of(*std::next(ref.begin(), 2));
    const K absent = 999;
    CHECK(c.count(present) == ref.count(present));
    CHECK(cc.count(absent) == 0);
    CHECK(*c.find(present) == *ref.find(present));
    CHECK(*cc.find(present) == *cref.find(present));
    CHECK(c.find(absent) == c.end());
    STATIC_REQUIRE(std::is_same<decltype(cc.find(present)), typename C::const_iterator>::value);
    {
        auto range = c.equal_range(present);
        auto rrange = ref.equal_range(present);
        CHECK(offset(c, range.first) == offset(ref, rrange.first));
        CHECK(std::distance(range.first, range.second) == std::distance(rrange.first, rrange.second));
        auto crange = cc.equal_range(present);
        CHECK(std::distance(crange.first, crange.second) == std::distance(rrange.first, rrange.second));
    }
    CHECK(offset(c, c.lower_bound(present)) == offset(ref, ref.lower_bound(present)));
    CHECK(offset(c, c.upper_bound(present)) == offset(ref, ref.upper_bound(present)));
    CHECK(std::distance(cc.begin(), cc.lower_bound(present)) == std::distance(cref.begin(), cref.lower_bound(present)));
    CHECK(std::distance(cc.begin(), cc.upper_bound(present)) == std::distance(cref.begin(), cref.upper_bound(present)));
#if LEAKWATCH_CPP20
    CHECK(c.contains(present));
    CHECK(!c.contains(absent));
#endif
#if !defined(LEAKWATCH_DISABLE)
    {
        turn_lookup_batch_away();
        const auto lookups = c.stats().lookups;
        (void)c.find(present);
        (void)cc.count(present);
        (void)c.lower_bound(present);
        (void)c.rbegin();
        (void)cc.crbegin();
        CHECK(c.stats().lookups == lookups + 5);
        (void)c.rend();  // end-like: not a read
        CHECK(c.stats().lookups == lookups + 5);
    }
#endif

    // --- iteration --------------------------------------------------------------------------------
    CHECK(std::equal(c.cbegin(), c.cend(), ref.cbegin(), ref.cend()));
    CHECK(std::equal(c.rbegin(), c.rend(), ref.rbegin(), ref.rend()));
    CHECK(std::equal(cc.rbegin(), cc.rend(), cref.rbegin(), cref.rend()));
    CHECK(std::equal(c.crbegin(), c.crend(), ref.crbegin(), ref.crend()));

    // --- observers and capacity -------------------------------------------------------------------
    CHECK(c.key_comp()(1, 2) == ref.key_comp()(1, 2));
    CHECK(c.value_comp()(sample<V>(1), sample<V>(2)) == ref.value_comp()(sample<V>(1), sample<V>(2)));
    CHECK(c.get_allocator() == ref.get_allocator());
    CHECK(c.max_size() == ref.max_size());
    CHECK(c.size() == ref.size());
    CHECK(!c.empty());

    // --- comparison -------------------------------------------------------------------------------
    {
        C copy(c);
        CHECK(copy == c);
        CHECK(!(copy != c));
        CHECK(!(copy < c));
        CHECK(copy <= c);
        CHECK(!(copy > c));
        CHECK(copy >= c);
        copy.insert(sample<V>(1000));
        CHECK(copy != c);
        CHECK(c < copy);
        CHECK(copy > c);
#if LEAKWATCH_CPP20
        CHECK(std::is_lt(c <=> copy));
#endif
    }

    // --- swap ---------------------------------------------------------------------------------------
    {
        C other{sample<V>(100)};
        Twin rother{sample<V>(100)};
        c.swap(other);
        ref.swap(rother);
        CHECK(mirrors(c, ref));
        CHECK(mirrors(other, rother));
        using std::swap;
        swap(c, other);
        swap(ref, rother);
        CHECK(mirrors(c, ref));
        CHECK(mirrors(other, rother));
    }

    // --- C++20 erase_if -----------------------------------------------------------------------------
#if LEAKWATCH_CPP20
    {
        auto odd = [](const V& value) { return key_of(value) % 2 != 0; };
        CHECK(erase_if(c, odd) == std::erase_if(ref, odd));
        CHECK(mirrors(c, ref));
    }
#endif

    // --- leakwatch --------------------------------------------------------------------------------
#if !defined(LEAKWATCH_DISABLE)
    CHECK(c.label().empty());
    CHECK(c.std().size() == c.size());
    CHECK(c.stats().bytes > 0);
    CHECK(c.stats().inserts - c.stats().erases == c.size());
#endif

    c.clear();
    ref.clear();
    CHECK(mirrors(c, ref));
    CHECK(c.empty());
}

TEMPLATE_TEST_CASE("ordered containers: heterogeneous lookup with a transparent comparator", "[containers]", tmap,
                   tmultimap, tset, tmultiset) {
    using C = TestType;
    using V = typename C::value_type;
    const std::vector<V> src{word<V>("apple"), word<V>("banana"), word<V>("cherry"), word<V>("banana")};
    C c(src.begin(), src.end());
    const C& cc = c;
    const twin_t<C> ref(src.begin(), src.end());
    const std::string_view probe = "banana", missing = "durian";

    CHECK(mirrors(c, ref));
    CHECK(c.count(probe) == ref.count(probe));
    CHECK(c.count(missing) == 0);
    CHECK(*c.find(probe) == *ref.find(probe));
    CHECK(*cc.find(probe) == *ref.find(probe));
    CHECK(c.find(missing) == c.end());
    STATIC_REQUIRE(std::is_same<decltype(cc.find(probe)), typename C::const_iterator>::value);
    {
        auto range = c.equal_range(probe);
        auto rrange = ref.equal_range(probe);
        CHECK(std::distance(range.first, range.second) == std::distance(rrange.first, rrange.second));
        auto crange = cc.equal_range(probe);
        CHECK(std::distance(crange.first, crange.second) == std::distance(rrange.first, rrange.second));
    }
    CHECK(offset(c, c.lower_bound(probe)) == std::distance(ref.begin(), ref.lower_bound(probe)));
    CHECK(offset(c, c.upper_bound(probe)) == std::distance(ref.begin(), ref.upper_bound(probe)));
    CHECK(std::distance(cc.begin(), cc.lower_bound(probe)) == std::distance(ref.begin(), ref.lower_bound(probe)));
    CHECK(std::distance(cc.begin(), cc.upper_bound(probe)) == std::distance(ref.begin(), ref.upper_bound(probe)));
#if LEAKWATCH_CPP20
    CHECK(c.contains(probe));
    CHECK(!cc.contains(missing));
#endif
#if !defined(LEAKWATCH_DISABLE)
    turn_lookup_batch_away();
    const auto lookups = c.stats().lookups;
    (void)c.find(probe);
    (void)cc.upper_bound(probe);
    CHECK(c.stats().lookups == lookups + 2);
#endif
    // Only a transparent comparator opens the heterogeneous overloads, as in std.
    STATIC_REQUIRE(has<C, find_view_op>);
    STATIC_REQUIRE(!has<lw::tracked_ordered_map<std::string, int>, find_view_op>);
    STATIC_REQUIRE(!has<lw::tracked_ordered_set<std::string>, find_view_op>);
}

#if !defined(LEAKWATCH_DISABLE)
TEST_CASE("ordered containers: a node handle carries its node and its bytes to a multi twin", "[containers]") {
    using V = std::pair<const int, std::string>;
    using A = counting_allocator<V>;
    using map_type = lw::tracked_ordered_map<int, std::string, std::less<int>, A>;
    using multimap_type = lw::tracked_ordered_multimap<int, std::string, std::less<int>, A>;
    const node_bytes<map_type> expected(sample<V>(1));
    REQUIRE(expected.per_element > 0);

    byte_counter counter;
    const A alloc(counter);
    map_type map({{1, "a"}, {2, "b"}, {3, "c"}}, alloc);
    multimap_type multi({{2, "x"}}, alloc);
    std::map<int, std::string> rmap{{1, "a"}, {2, "b"}, {3, "c"}};
    std::multimap<int, std::string> rmulti{{2, "x"}};
    STATIC_REQUIRE(std::is_same<map_type::node_type, multimap_type::node_type>::value);

    auto node = map.extract(2);
    auto rnode = rmap.extract(2);
    CHECK(mirrors(map, rmap));
    // The handle's node is still paid for by the map until another container takes it.
    CHECK(map.stats().bytes == expected(map.size() + 1));
    CHECK(map.stats().bytes + multi.stats().bytes == counter.bytes);

    auto it = multi.insert(std::move(node));
    rmulti.insert(std::move(rnode));
    CHECK(it->first == 2);
    CHECK(node.empty());
    CHECK(mirrors(map, rmap));
    CHECK(mirrors(multi, rmulti));
    CHECK(map.stats().bytes == expected(map.size()));
    CHECK(multi.stats().bytes == expected(multi.size()));
    CHECK(map.stats().bytes + multi.stats().bytes == counter.bytes);

    // And back with a hint, into the unique twin.
    auto back = multi.extract(multi.find(2));
    CHECK(multi.stats().bytes == expected(multi.size() + 1));
    CHECK(map.insert(map.cend(), std::move(back))->first == 2);
    CHECK(counted(map));
    CHECK(counted(multi));
    CHECK(map.stats().bytes == expected(map.size()));
    CHECK(multi.stats().bytes == expected(multi.size()));

    // A dropped handle frees its node from the container that paid for it.
    { auto dropped = multi.extract(multi.begin()); }
    CHECK(counted(multi));
    CHECK(multi.stats().bytes == expected(multi.size()));
    CHECK(map.stats().bytes + multi.stats().bytes == counter.bytes);

    // A handle may outlive its container; the next container to take it takes its bytes.
    {
        multimap_type::node_type orphan;
        {
            map_type source({{7, "seven"}}, alloc);
            orphan = source.extract(7);
        }
        multi.insert(std::move(orphan));
    }
    CHECK(counted(multi));
    CHECK(multi.stats().bytes == expected(multi.size()));
    CHECK(map.stats().bytes + multi.stats().bytes == counter.bytes);
}

TEST_CASE("ordered containers: merge between unique and multi twins moves nodes and bytes", "[containers]") {
    SECTION("map and multimap, with different comparators") {
        using V = std::pair<const int, std::string>;
        using A = counting_allocator<V>;
        using map_type = lw::tracked_ordered_map<int, std::string, std::less<int>, A>;
        using multimap_type = lw::tracked_ordered_multimap<int, std::string, std::greater<int>, A>;
        const node_bytes<map_type> expected(sample<V>(1));
        byte_counter counter;
        const A alloc(counter);
        map_type map({{1, "a"}, {2, "b"}}, alloc);
        multimap_type multi({{2, "x"}, {4, "y"}, {4, "z"}, {5, "w"}}, alloc);
        std::map<int, std::string> rmap{{1, "a"}, {2, "b"}};
        std::multimap<int, std::string, std::greater<int>> rmulti{{2, "x"}, {4, "y"}, {4, "z"}, {5, "w"}};
        auto settled = [&] {
            return map.stats().bytes == expected(map.size()) && multi.stats().bytes == expected(multi.size()) &&
                   map.stats().bytes + multi.stats().bytes == counter.bytes;
        };

        map.merge(multi);  // takes one 4 and the 5; the other 4 and the 2 stay
        rmap.merge(rmulti);
        CHECK(mirrors(map, rmap));
        CHECK(mirrors(multi, rmulti));
        CHECK(settled());

        multi.merge(std::move(map));  // a multimap takes everything
        rmulti.merge(std::move(rmap));
        CHECK(mirrors(map, rmap));
        CHECK(mirrors(multi, rmulti));
        CHECK(map.empty());
        CHECK(settled());

        map_type other({{9, "nine"}}, alloc);
        map.merge(other);  // unique from unique
        map.merge(map);    // from itself: nothing moves
        CHECK(map.size() == 1);
        CHECK(other.empty());
        CHECK(counted(map));
        CHECK(counted(other));
        CHECK(map.stats().bytes == expected(1));
        CHECK(other.stats().bytes == expected(0));
    }
    SECTION("set and multiset") {
        using A = counting_allocator<int>;
        using set_type = lw::tracked_ordered_set<int, std::less<int>, A>;
        using multiset_type = lw::tracked_ordered_multiset<int, std::less<int>, A>;
        const node_bytes<set_type> expected(1);
        byte_counter counter;
        const A alloc(counter);
        set_type set({1, 2, 3}, alloc);
        multiset_type multi({3, 3, 4}, alloc);
        std::set<int> rset{1, 2, 3};
        std::multiset<int> rmulti{3, 3, 4};

        set.merge(multi);
        rset.merge(rmulti);
        CHECK(mirrors(set, rset));
        CHECK(mirrors(multi, rmulti));
        multi.merge(set);
        rmulti.merge(rset);
        CHECK(mirrors(set, rset));
        CHECK(mirrors(multi, rmulti));
        CHECK(set.stats().bytes == expected(set.size()));
        CHECK(multi.stats().bytes == expected(multi.size()));
        CHECK(set.stats().bytes + multi.stats().bytes == counter.bytes);
    }
}
#endif

// =================================================================================================
// Sequence containers
// =================================================================================================

TEMPLATE_TEST_CASE("sequence containers: every constructor", "[containers]", ivector, bvector, ideque, ilist) {
    using C = TestType;
    using T = typename C::value_type;
    using Twin = twin_t<C>;
    using Alloc = typename C::allocator_type;
    const std::vector<T> src{sample<T>(3), sample<T>(1), sample<T>(2), sample<T>(4)};
    const std::initializer_list<T> list = {sample<T>(3), sample<T>(1), sample<T>(2), sample<T>(4)};
    const Twin ref(src.begin(), src.end());
    const Twin none;
    const T value = sample<T>(7);
    const Alloc alloc{};

    SECTION("with the caller's site") {
        C c1;                                                   CHECK(made_at(c1, __LINE__));
        C c2(alloc);                                            CHECK(made_at(c2, __LINE__));
        CHECK(mirrors(c1, none));
        CHECK(mirrors(c2, none));
        C c3(4);                                                CHECK(made_at(c3, __LINE__));
        C c4(4, alloc);                                         CHECK(made_at(c4, __LINE__));
        CHECK(mirrors(c3, Twin(4)));
        CHECK(mirrors(c4, Twin(4)));
        C c5(4, value);                                         CHECK(made_at(c5, __LINE__));
        C c6(4, value, alloc);                                  CHECK(made_at(c6, __LINE__));
        CHECK(mirrors(c5, Twin(4, value)));
        CHECK(mirrors(c6, Twin(4, value)));
        C c7(src.begin(), src.end());                           CHECK(made_at(c7, __LINE__));
        C c8(src.begin(), src.end(), alloc);                    CHECK(made_at(c8, __LINE__));
        CHECK(mirrors(c7, ref));
        CHECK(mirrors(c8, ref));
        C c9(c7);  const unsigned c9_line = __LINE__;           CHECK(made_at(c9, c9_line));
        C c10(c7, alloc);                                       CHECK(made_at(c10, __LINE__));
        CHECK(mirrors(c9, ref));
        CHECK(mirrors(c10, ref));
        CHECK(mirrors(c7, ref));
        C c11(std::move(c9));                                   CHECK(made_at(c11, c9_line));  // a move hands the identity over
        C c12(std::move(c10), alloc);                           CHECK(made_at(c12, __LINE__));
        CHECK(mirrors(c11, ref));
        CHECK(mirrors(c12, ref));
        CHECK(counted(c9));
        CHECK(counted(c10));
        C c13(list);                                            CHECK(made_at(c13, __LINE__));
        C c14(list, alloc);                                     CHECK(made_at(c14, __LINE__));
        C c15{sample<T>(3), sample<T>(1), sample<T>(2), sample<T>(4)};
        C c16 = {sample<T>(3), sample<T>(1), sample<T>(2), sample<T>(4)};
        CHECK(mirrors(c13, ref));
        CHECK(mirrors(c14, ref));
        CHECK(mirrors(c15, ref));
        CHECK(mirrors(c16, ref));
        // Two integers are a count and a value, never an iterator pair (as in std).
        C c17(3, 1);
        CHECK(mirrors(c17, Twin(3, 1)));
    }

    SECTION("with a leading label") {
        C l1(lw::label{"l1"});                                  CHECK(made_at(l1, __LINE__));
        CHECK(mirrors(l1, none));
#if !defined(LEAKWATCH_DISABLE)
        CHECK(l1.label() == "l1");
        C l2(lw::label{"l2"}, alloc);                           CHECK(made_at(l2, __LINE__));
        CHECK(mirrors(l2, none));
        C l3(lw::label{"l3"}, 4);                               CHECK(made_at(l3, __LINE__));
        C l4(lw::label{"l4"}, 4, alloc);                        CHECK(made_at(l4, __LINE__));
        CHECK(mirrors(l3, Twin(4)));
        CHECK(mirrors(l4, Twin(4)));
        C l5(lw::label{"l5"}, 4, value);                        CHECK(made_at(l5, __LINE__));
        C l6(lw::label{"l6"}, 4, value, alloc);                 CHECK(made_at(l6, __LINE__));
        C l7{lw::label{"l7"}, 4, value};                        CHECK(made_at(l7, __LINE__));
        CHECK(mirrors(l5, Twin(4, value)));
        CHECK(mirrors(l6, Twin(4, value)));
        CHECK(mirrors(l7, Twin(4, value)));
        C l8(lw::label{"l8"}, src.begin(), src.end());          CHECK(made_at(l8, __LINE__));
        C l9(lw::label{"l9"}, src.begin(), src.end(), alloc);   CHECK(made_at(l9, __LINE__));
        CHECK(mirrors(l8, ref));
        CHECK(mirrors(l9, ref));
        C l10(lw::label{"l10"}, l8);                            CHECK(made_at(l10, __LINE__));
        C l11(lw::label{"l11"}, l8, alloc);                     CHECK(made_at(l11, __LINE__));
        CHECK(mirrors(l10, ref));
        CHECK(mirrors(l11, ref));
        C l12(lw::label{"l12"}, std::move(l10));                CHECK(made_at(l12, __LINE__));
        C l13(lw::label{"l13"}, std::move(l11), alloc);         CHECK(made_at(l13, __LINE__));
        CHECK(mirrors(l12, ref));
        CHECK(mirrors(l13, ref));
        CHECK(counted(l10));
        CHECK(counted(l11));
        C l14(lw::label{"l14"}, list);                          CHECK(made_at(l14, __LINE__));
        C l15(lw::label{"l15"}, list, alloc);                   CHECK(made_at(l15, __LINE__));
        CHECK(mirrors(l14, ref));
        CHECK(mirrors(l15, ref));
        CHECK(l15.label() == "l15");
        CHECK(C().label().empty());
#endif
    }

    SECTION("assignment") {
        const C c(src.begin(), src.end());
        C other;
        other = c;
        CHECK(mirrors(other, ref));
        CHECK(mirrors(c, ref));
        C moved(2, value);
        moved = std::move(other);
        CHECK(mirrors(moved, ref));
        CHECK(counted(other));
        moved = list;
        CHECK(mirrors(moved, Twin(list)));
        moved = {value};
        CHECK(mirrors(moved, Twin{value}));
        C& self = moved;
        moved = self;
        CHECK(mirrors(moved, Twin{value}));
    }
}

TEMPLATE_TEST_CASE("sequence containers: every member", "[containers]", ivector, bvector, ideque, ilist) {
    using C = TestType;
    using Twin = twin_t<C>;
    using Std = std_of_t<C>;
    using T = typename C::value_type;
    constexpr bool random_access = has<Twin, subscript_op>;
    constexpr bool front_operations = has<Twin, push_front_op>;

    STATIC_REQUIRE(std::is_same<decltype(std::declval<C&>().begin()), typename Std::iterator>::value);
    STATIC_REQUIRE(std::is_same<decltype(std::declval<const C&>().begin()), typename Std::const_iterator>::value);
    STATIC_REQUIRE(std::is_same<decltype(std::declval<C&>().rbegin()), typename Std::reverse_iterator>::value);
    STATIC_REQUIRE(std::is_same<decltype(std::declval<C&>().crbegin()), typename Std::const_reverse_iterator>::value);
    STATIC_REQUIRE(std::is_same<typename C::iterator, typename Std::iterator>::value);
    STATIC_REQUIRE(std::is_same<typename C::reference, typename Twin::reference>::value);
    STATIC_REQUIRE(std::is_same<typename C::const_reference, typename Twin::const_reference>::value);
    STATIC_REQUIRE(std::is_same<typename C::pointer, typename Twin::pointer>::value);
    STATIC_REQUIRE(std::is_same<typename C::value_type, typename Twin::value_type>::value);
    STATIC_REQUIRE(std::is_same<typename C::allocator_type, typename Twin::allocator_type>::value);
    STATIC_REQUIRE(std::is_same<typename C::size_type, typename Twin::size_type>::value);
    STATIC_REQUIRE(std::is_same<decltype(std::declval<C&>().emplace_back()),
                                decltype(std::declval<Twin&>().emplace_back())>::value);
    // Exactly the std twin's optional members.
    STATIC_REQUIRE(has<C, data_op> == has<Twin, data_op>);
    STATIC_REQUIRE(has<C, capacity_op> == has<Twin, capacity_op>);
    STATIC_REQUIRE(has<C, reserve_op> == has<Twin, reserve_op>);
    STATIC_REQUIRE(has<C, shrink_op> == has<Twin, shrink_op>);
    STATIC_REQUIRE(has<C, push_front_op> == has<Twin, push_front_op>);
    STATIC_REQUIRE(has<C, emplace_front_op> == has<Twin, emplace_front_op>);
    STATIC_REQUIRE(has<C, pop_front_op> == has<Twin, pop_front_op>);
    STATIC_REQUIRE(has<C, subscript_op> == has<Twin, subscript_op>);
    STATIC_REQUIRE(has<C, at_op> == has<Twin, at_op>);
    STATIC_REQUIRE(has<C, splice_op> == has<Twin, splice_op>);
    STATIC_REQUIRE(has<C, sort_op> == has<Twin, sort_op>);
    STATIC_REQUIRE(has<C, flip_op> == has<Twin, flip_op>);

    C c;
    Twin ref;
    const C& cc = c;
    const Twin& cref = ref;
    const T one = sample<T>(1), two = sample<T>(2);
    const std::vector<T> src{sample<T>(5), sample<T>(6), sample<T>(7), sample<T>(8)};

    // --- assign -----------------------------------------------------------------------------------
    c.assign(3, one);
    ref.assign(3, one);
    CHECK(mirrors(c, ref));
    c.assign(src.begin(), src.end());
    ref.assign(src.begin(), src.end());
    CHECK(mirrors(c, ref));
#if !defined(LEAKWATCH_DISABLE)
    const auto before = c.stats();
#endif
    c.assign({one, two, one});
    ref.assign({one, two, one});
    CHECK(mirrors(c, ref));
#if !defined(LEAKWATCH_DISABLE)
    // Counted as assignment is: the old contents erased, the new ones inserted.
    CHECK(c.stats().erases - before.erases == 4);
    CHECK(c.stats().inserts - before.inserts == 3);
#endif

    // --- back and front ---------------------------------------------------------------------------
    c.push_back(one);
    ref.push_back(one);
    {
        T moved = two, rmoved = two;
        c.push_back(std::move(moved));
        ref.push_back(std::move(rmoved));
    }
    CHECK(mirrors(c, ref));
    {
        const bool same_result = c.emplace_back(sample<T>(9)) == ref.emplace_back(sample<T>(9));
        CHECK(same_result);
        CHECK(mirrors(c, ref));
    }
    c.pop_back();
    ref.pop_back();
    CHECK(mirrors(c, ref));
    if constexpr (front_operations) {
        c.push_front(one);
        ref.push_front(one);
        T moved = two, rmoved = two;
        c.push_front(std::move(moved));
        ref.push_front(std::move(rmoved));
        CHECK(mirrors(c, ref));
        CHECK(c.emplace_front(sample<T>(11)) == ref.emplace_front(sample<T>(11)));
        CHECK(mirrors(c, ref));
        c.pop_front();
        ref.pop_front();
        CHECK(mirrors(c, ref));
    }

    // --- resize -----------------------------------------------------------------------------------
    c.resize(9);
    ref.resize(9);
    CHECK(mirrors(c, ref));
    c.resize(12, two);
    ref.resize(12, two);
    CHECK(mirrors(c, ref));
    c.resize(7);
    ref.resize(7);
    CHECK(mirrors(c, ref));

    // --- insert, emplace, erase -------------------------------------------------------------------
    {
        auto it = c.insert(std::next(c.cbegin()), one);
        auto rit = ref.insert(std::next(ref.cbegin()), one);
        CHECK(offset(c, it) == offset(ref, rit));
        CHECK(mirrors(c, ref));
    }
    {
        T moved = two, rmoved = two;
        auto it = c.insert(c.cend(), std::move(moved));
        auto rit = ref.insert(ref.cend(), std::move(rmoved));
        CHECK(offset(c, it) == offset(ref, rit));
        CHECK(mirrors(c, ref));
    }
    {
        auto it = c.insert(std::next(c.cbegin(), 2), 3, two);  // count and value, not an iterator pair
        auto rit = ref.insert(std::next(ref.cbegin(), 2), 3, two);
        CHECK(offset(c, it) == offset(ref, rit));
        CHECK(mirrors(c, ref));
    }
    {
        auto it = c.insert(c.cbegin(), src.begin(), src.end());
        auto rit = ref.insert(ref.cbegin(), src.begin(), src.end());
        CHECK(offset(c, it) == offset(ref, rit));
        CHECK(mirrors(c, ref));
    }
    {
        auto it = c.insert(std::next(c.cbegin()), {two, one});
        auto rit = ref.insert(std::next(ref.cbegin()), {two, one});
        CHECK(offset(c, it) == offset(ref, rit));
        CHECK(mirrors(c, ref));
    }
    {
        auto it = c.emplace(std::next(c.cbegin(), 3), sample<T>(13));
        auto rit = ref.emplace(std::next(ref.cbegin(), 3), sample<T>(13));
        CHECK(offset(c, it) == offset(ref, rit));
        CHECK(mirrors(c, ref));
    }
    {
        auto it = c.erase(std::next(c.cbegin()));
        auto rit = ref.erase(std::next(ref.cbegin()));
        CHECK(offset(c, it) == offset(ref, rit));
        CHECK(mirrors(c, ref));
    }
    {
        auto it = c.erase(std::next(c.cbegin()), std::next(c.cbegin(), 4));
        auto rit = ref.erase(std::next(ref.cbegin()), std::next(ref.cbegin(), 4));
        CHECK(offset(c, it) == offset(ref, rit));
        CHECK(mirrors(c, ref));
    }

    // --- element access ---------------------------------------------------------------------------
    CHECK(c.front() == ref.front());
    CHECK(cc.front() == cref.front());
    CHECK(c.back() == ref.back());
    CHECK(cc.back() == cref.back());
    if constexpr (random_access) {
        CHECK(c[1] == ref[1]);
        CHECK(cc[2] == cref[2]);
        CHECK(c.at(1) == ref.at(1));
        CHECK(cc.at(2) == cref.at(2));
        CHECK_THROWS_AS(c.at(c.size()), std::out_of_range);
        CHECK_THROWS_AS(cc.at(c.size()), std::out_of_range);
        c[0] = two;
        ref[0] = two;
        CHECK(mirrors(c, ref));
    }
    if constexpr (has<Twin, data_op>) {
        CHECK(std::equal(c.data(), c.data() + c.size(), ref.data(), ref.data() + ref.size()));
        CHECK(cc.data() == c.data());
    }
#if !defined(LEAKWATCH_DISABLE)
    {
        turn_lookup_batch_away();
        const auto lookups = c.stats().lookups;
        (void)c.front();
        (void)cc.back();
        (void)c.rbegin();
        (void)cc.crbegin();
        (void)c.rend();  // end-like: not a read
        if constexpr (random_access) {
            (void)c[0];
            (void)cc.at(0);
        }
        CHECK(c.stats().lookups == lookups + (random_access ? 6 : 4));
    }
#endif

    // --- iteration --------------------------------------------------------------------------------
    CHECK(std::equal(c.cbegin(), c.cend(), ref.cbegin(), ref.cend()));
    CHECK(std::equal(c.rbegin(), c.rend(), ref.rbegin(), ref.rend()));
    CHECK(std::equal(cc.rbegin(), cc.rend(), cref.rbegin(), cref.rend()));
    CHECK(std::equal(c.crbegin(), c.crend(), ref.crbegin(), ref.crend()));

    // --- capacity ---------------------------------------------------------------------------------
    CHECK(c.size() == ref.size());
    CHECK(!c.empty());
    CHECK(c.max_size() == ref.max_size());
    CHECK(c.get_allocator() == ref.get_allocator());
    if constexpr (has<Twin, reserve_op>) {
        c.reserve(100);
        ref.reserve(100);
        CHECK(c.capacity() >= 100);
        CHECK(mirrors(c, ref));
#if !defined(LEAKWATCH_DISABLE)
        if constexpr (has<Twin, data_op>) CHECK(c.stats().bytes == c.capacity() * sizeof(T));
#endif
    }
    if constexpr (has<Twin, shrink_op>) {
        c.shrink_to_fit();
        ref.shrink_to_fit();
        CHECK(mirrors(c, ref));
#if !defined(LEAKWATCH_DISABLE)
        if constexpr (has<Twin, data_op>) CHECK(c.stats().bytes == c.capacity() * sizeof(T));
#endif
    }

    // --- vector<bool> -----------------------------------------------------------------------------
    if constexpr (has<Twin, flip_op>) {
        c.flip();
        ref.flip();
        CHECK(mirrors(c, ref));
        C::swap(c[0], c[1]);
        Twin::swap(ref[0], ref[1]);
        CHECK(mirrors(c, ref));
    }

    // --- comparison -------------------------------------------------------------------------------
    {
        C copy(c);
        CHECK(copy == c);
        CHECK(!(copy != c));
        CHECK(!(copy < c));
        CHECK(copy <= c);
        CHECK(!(copy > c));
        CHECK(copy >= c);
        copy.push_back(one);
        CHECK(copy != c);
        CHECK(c < copy);
        CHECK(copy > c);
#if LEAKWATCH_CPP20
        CHECK(std::is_lt(c <=> copy));
#endif
    }

    // --- swap -------------------------------------------------------------------------------------
    {
        C other(2, one);
        Twin rother(2, one);
        c.swap(other);
        ref.swap(rother);
        CHECK(mirrors(c, ref));
        CHECK(mirrors(other, rother));
        using std::swap;
        swap(c, other);
        swap(ref, rother);
        CHECK(mirrors(c, ref));
        CHECK(mirrors(other, rother));
    }

    // --- C++20 erase and erase_if -------------------------------------------------------------------
#if LEAKWATCH_CPP20
    CHECK(erase(c, one) == std::erase(ref, one));
    CHECK(mirrors(c, ref));
    c.insert(c.cend(), {one, two, one});
    ref.insert(ref.cend(), {one, two, one});
    {
        auto is_two = [&](const T& value) { return value == two; };
        CHECK(erase_if(c, is_two) == std::erase_if(ref, is_two));
        CHECK(mirrors(c, ref));
    }
#endif

    c.clear();
    ref.clear();
    CHECK(mirrors(c, ref));
    CHECK(c.empty());
}

TEST_CASE("tracked_list: list operations", "[containers]") {
    lw::tracked_list<int> l{5, 1, 4, 1, 3, 3, 2};
    std::list<int> r{5, 1, 4, 1, 3, 3, 2};
    STATIC_REQUIRE(std::is_same<decltype(l.remove(1)), decltype(r.remove(1))>::value);
    STATIC_REQUIRE(std::is_same<decltype(l.remove_if(std::declval<bool (*)(int)>())),
                                decltype(r.remove_if(std::declval<bool (*)(int)>()))>::value);
    STATIC_REQUIRE(std::is_same<decltype(l.unique()), decltype(r.unique())>::value);
    STATIC_REQUIRE(
        std::is_same<decltype(l.unique(std::equal_to<int>())), decltype(r.unique(std::equal_to<int>()))>::value);

    SECTION("remove, remove_if, unique") {
#if defined(__cpp_lib_list_remove_return_type)
        CHECK(l.remove(1) == r.remove(1));
        CHECK(mirrors(l, r));
        CHECK(l.remove_if([](int x) { return x == 4; }) == r.remove_if([](int x) { return x == 4; }));
        CHECK(mirrors(l, r));
        CHECK(l.unique() == r.unique());
        CHECK(mirrors(l, r));
        l.push_back(3);
        r.push_back(3);
        l.push_back(4);
        r.push_back(4);
        CHECK(l.unique([](int a, int b) { return b == a + 1; }) == r.unique([](int a, int b) { return b == a + 1; }));
        CHECK(mirrors(l, r));
#else
        l.remove(1);
        r.remove(1);
        CHECK(mirrors(l, r));
        l.remove_if([](int x) { return x == 4; });
        r.remove_if([](int x) { return x == 4; });
        CHECK(mirrors(l, r));
        l.unique();
        r.unique();
        CHECK(mirrors(l, r));
        l.push_back(3);
        r.push_back(3);
        l.push_back(4);
        r.push_back(4);
        l.unique([](int a, int b) { return b == a + 1; });
        r.unique([](int a, int b) { return b == a + 1; });
        CHECK(mirrors(l, r));
#endif
    }
    SECTION("reverse and sort") {
        l.reverse();
        r.reverse();
        CHECK(mirrors(l, r));
        l.sort();
        r.sort();
        CHECK(mirrors(l, r));
        l.sort(std::greater<int>());
        r.sort(std::greater<int>());
        CHECK(mirrors(l, r));
    }
    SECTION("merge") {
        lw::tracked_list<int> other{6, 0, 2};
        std::list<int> rother{6, 0, 2};
        l.sort();
        r.sort();
        other.sort();
        rother.sort();
        l.merge(other);
        r.merge(rother);
        CHECK(mirrors(l, r));
        CHECK(mirrors(other, rother));
        other = {7, -1};
        rother = {7, -1};
        other.sort();
        rother.sort();
        l.merge(std::move(other));
        r.merge(std::move(rother));
        CHECK(mirrors(l, r));
        CHECK(mirrors(other, rother));
        l.sort(std::greater<int>());
        r.sort(std::greater<int>());
        other = {8, 3, -2};
        rother = {8, 3, -2};
        l.merge(other, std::greater<int>());
        r.merge(rother, std::greater<int>());
        CHECK(mirrors(l, r));
        CHECK(mirrors(other, rother));
        other = {9, -3};
        rother = {9, -3};
        l.merge(std::move(other), std::greater<int>());
        r.merge(std::move(rother), std::greater<int>());
        CHECK(mirrors(l, r));
        CHECK(mirrors(other, rother));
        l.merge(l);
        CHECK(mirrors(l, r));
    }
}

#if !defined(LEAKWATCH_DISABLE)
TEST_CASE("tracked_list: splice and merge move nodes and their bytes between lists", "[containers]") {
    using A = counting_allocator<int>;
    using list_type = lw::tracked_list<int, A>;
    const node_bytes<list_type> expected(1);
    REQUIRE(expected.per_element > 0);
    byte_counter counter;
    const A alloc(counter);
    list_type a({1, 2, 3}, alloc), b({10, 20, 30, 40, 50, 60}, alloc);
    std::list<int> ra{1, 2, 3}, rb{10, 20, 30, 40, 50, 60};
    auto settled = [&] {
        return mirrors(a, ra) && mirrors(b, rb) && a.stats().bytes == expected(a.size()) &&
               b.stats().bytes == expected(b.size()) && a.stats().bytes + b.stats().bytes == counter.bytes;
    };

    a.splice(a.cend(), b, b.cbegin());  // one element
    ra.splice(ra.cend(), rb, rb.cbegin());
    CHECK(settled());
    a.splice(a.cbegin(), std::move(b), b.cbegin());
    ra.splice(ra.cbegin(), std::move(rb), rb.cbegin());
    CHECK(settled());
    a.splice(std::next(a.cbegin()), b, b.cbegin(), std::next(b.cbegin(), 2));  // a range
    ra.splice(std::next(ra.cbegin()), rb, rb.cbegin(), std::next(rb.cbegin(), 2));
    CHECK(settled());
    b.splice(b.cend(), std::move(a), a.cbegin(), std::next(a.cbegin(), 3));
    rb.splice(rb.cend(), std::move(ra), ra.cbegin(), std::next(ra.cbegin(), 3));
    CHECK(settled());
    a.splice(a.cend(), b);  // everything
    ra.splice(ra.cend(), rb);
    CHECK(settled());
    CHECK(b.empty());
    b.splice(b.cbegin(), std::move(a));
    rb.splice(rb.cbegin(), std::move(ra));
    CHECK(settled());
    CHECK(a.empty());
    b.splice(b.cbegin(), b, std::prev(b.cend()));  // within one list: nothing changes hands
    rb.splice(rb.cbegin(), rb, std::prev(rb.cend()));
    CHECK(settled());
    b.splice(b.cend(), b, b.cbegin(), std::next(b.cbegin(), 2));
    rb.splice(rb.cend(), rb, rb.cbegin(), std::next(rb.cbegin(), 2));
    CHECK(settled());

    a.assign({5, 15, 25});
    ra.assign({5, 15, 25});
    b.sort();
    rb.sort();
    a.merge(b);
    ra.merge(rb);
    CHECK(settled());
    b.assign({4, 100});
    rb.assign({4, 100});
    b.merge(std::move(a));
    rb.merge(std::move(ra));
    CHECK(settled());
    b.reverse();
    rb.reverse();
    a.assign({200, 0});
    ra.assign({200, 0});
    a.merge(b, std::greater<int>());
    ra.merge(rb, std::greater<int>());
    CHECK(settled());
    b.merge(std::move(a), std::greater<int>());
    rb.merge(std::move(ra), std::greater<int>());
    CHECK(settled());

    // Nodes spliced away leave with their bytes: destroying the receiver frees them there.
    {
        list_type receiver(alloc);
        receiver.splice(receiver.cend(), b, b.cbegin(), std::next(b.cbegin(), 3));
        rb.erase(rb.cbegin(), std::next(rb.cbegin(), 3));
        CHECK(receiver.stats().bytes == expected(3));
    }
    CHECK(settled());
}

TEST_CASE("tracked containers: copy, move construction and swap keep the byte accounting exact", "[containers]") {
    using A = counting_allocator<int>;
    byte_counter first, second;
    SECTION("list") {
        using list_type = lw::tracked_list<int, A>;
        const node_bytes<list_type> expected(1);
        list_type a({1, 2, 3}, A(first)), b({4, 5}, A(first));
        a.swap(b);  // swap needs equal allocators: one counter for both
        CHECK(a.stats().bytes == expected(2));
        CHECK(b.stats().bytes == expected(3));
        CHECK(a.stats().bytes + b.stats().bytes == first.bytes);
        list_type moved(std::move(a));
        CHECK(moved.stats().bytes == expected(2));
        CHECK(a.stats().bytes == expected(0));
        list_type elsewhere(std::move(b), A(second));  // unequal allocators: element by element
        CHECK(elsewhere.stats().bytes == second.bytes);
        CHECK(a.stats().bytes + b.stats().bytes + moved.stats().bytes == first.bytes);
        const list_type copy(moved, A(second));
        CHECK(copy.stats().bytes + elsewhere.stats().bytes == second.bytes);
        CHECK(counted(a));
        CHECK(counted(b));
        CHECK(counted(moved));
        CHECK(counted(elsewhere));
    }
    SECTION("vector") {
        using vector_type = lw::tracked_vector<int, A>;
        vector_type a({1, 2, 3}, A(first));
        CHECK(a.stats().bytes == first.bytes);
        vector_type moved(std::move(a));
        CHECK(moved.stats().bytes == first.bytes);
        CHECK(a.stats().bytes == 0);
        moved.reserve(64);
        CHECK(moved.stats().bytes == first.bytes);
        moved.shrink_to_fit();
        CHECK(moved.stats().bytes == first.bytes);
        vector_type copy(moved, A(second));
        CHECK(copy.stats().bytes == second.bytes);
    }
}

// Move assignment frees the old contents through the target and hands the source's memory over.
TEST_CASE("tracked containers: move assignment hands the bytes over exactly", "[containers]") {
    using A = counting_allocator<int>;
    using list_type = lw::tracked_list<int, A>;
    byte_counter counter;
    list_type a({1, 2, 3}, A(counter)), b({4, 5}, A(counter));
    a = std::move(b);
    CHECK(counted(a));
    CHECK(counted(b));
    CHECK(a.stats().bytes + b.stats().bytes == counter.bytes);
    CHECK(b.stats().bytes == 0);
}

// A container that reuses the record this thread read last starts a fresh lookup batch.
TEST_CASE("tracked containers: lookups on a container with a recycled record are counted", "[containers]") {
    { lw::tracked_vector<int> first{1}; (void)first[0]; }
    lw::tracked_vector<int> second{1};  // the registry hands out the record just freed
    (void)second[0];
    (void)second[0];
    CHECK(second.stats().lookups == 2);
}

// The twins inherit their family base's constructors, and through it the protected ones of
// the core: those stay out of reach (a user cannot build a twin from a raw site and label).
TEST_CASE("inheriting the shared constructors exposes none of the core's", "[containers]") {
    STATIC_REQUIRE_FALSE(std::is_constructible<lw::tracked_map<int, int>, lw::source_site, std::string_view>::value);
    STATIC_REQUIRE_FALSE(std::is_constructible<lw::tracked_ordered_set<int>, lw::source_site, std::string_view>::value);
    STATIC_REQUIRE_FALSE(
        std::is_constructible<lw::tracked_vector<int>, lw::source_site, std::string_view, std::size_t>::value);
    // ...while every shared one is there, explicit where the std twin's is.
    STATIC_REQUIRE(std::is_constructible<lw::tracked_map<int, int>, std::size_t>::value);
    STATIC_REQUIRE_FALSE(std::is_convertible<std::size_t, lw::tracked_map<int, int>>::value);
    STATIC_REQUIRE_FALSE(std::is_convertible<std::size_t, lw::tracked_vector<int>>::value);
    STATIC_REQUIRE(std::is_constructible<lw::tracked_list<int>, std::size_t, const int&>::value);
#if !defined(LEAKWATCH_DISABLE)
    STATIC_REQUIRE(std::is_constructible<lw::tracked_ordered_map<int, int>, const lw::label&>::value);
    STATIC_REQUIRE_FALSE(std::is_convertible<const lw::label&, lw::tracked_ordered_map<int, int>>::value);
#endif
}

TEST_CASE("class template argument deduction", "[containers]") {
    const std::vector<double> src{1.5, 2.5};

    // The copy and move forms with an allocator or a label (inherited constructors: explicit guides).
    {
        lw::tracked_vector<int> a{1, 2};
        lw::tracked_vector b(a, std::allocator<int>());
        lw::tracked_vector c(std::move(b), std::allocator<int>());
        lw::tracked_vector d(lw::label{"d"}, a);
        lw::tracked_ordered_map<int, int> m{{1, 2}};
        lw::tracked_ordered_map m2(m, std::allocator<std::pair<const int, int>>());
        lw::tracked_ordered_set<int> os{1};
        lw::tracked_ordered_set os2(lw::label{"os2"}, std::move(os));
        lw::tracked_unordered_map<int, int> u{{1, 2}};
        lw::tracked_unordered_map u2(lw::label{"u2"}, std::move(u));
        lw::tracked_unordered_set<int> us{1};
        lw::tracked_unordered_set us2(lw::label{"us2"}, us, std::allocator<int>());
        lw::tracked_deque<int> q{1};
        lw::tracked_deque q2(lw::label{"q2"}, q, std::allocator<int>());
        lw::tracked_list<int> l{1};
        lw::tracked_list l2(lw::label{"l2"}, std::move(l), std::allocator<int>());
        STATIC_REQUIRE(std::is_same<decltype(b), lw::tracked_vector<int>>::value);
        STATIC_REQUIRE(std::is_same<decltype(c), lw::tracked_vector<int>>::value);
        STATIC_REQUIRE(std::is_same<decltype(d), lw::tracked_vector<int>>::value);
        STATIC_REQUIRE(std::is_same<decltype(m2), lw::tracked_ordered_map<int, int>>::value);
        STATIC_REQUIRE(std::is_same<decltype(os2), lw::tracked_ordered_set<int>>::value);
        STATIC_REQUIRE(std::is_same<decltype(u2), lw::tracked_unordered_map<int, int>>::value);
        STATIC_REQUIRE(std::is_same<decltype(us2), lw::tracked_unordered_set<int>>::value);
        STATIC_REQUIRE(std::is_same<decltype(q2), lw::tracked_deque<int>>::value);
        STATIC_REQUIRE(std::is_same<decltype(l2), lw::tracked_list<int>>::value);
        CHECK(c.size() == 2);
        CHECK(d.label() == "d");
        CHECK(m2.size() == 1);
        CHECK(u2.size() == 1);
        CHECK(l2.size() == 1);
    }

    lw::tracked_vector v{1, 2, 3};
    lw::tracked_vector v2(src.begin(), src.end());
    lw::tracked_vector v3(src.begin(), src.end(), std::allocator<double>());
    lw::tracked_vector v4(lw::label{"v4"}, src.begin(), src.end());
    lw::tracked_vector v5(lw::label{"v5"}, {1L, 2L});
    lw::tracked_vector v6(3, 'x');
    lw::tracked_vector v7{v};
    lw::tracked_vector v8(lw::label{"v8"}, 2, 5u);
    STATIC_REQUIRE(std::is_same<decltype(v), lw::tracked_vector<int>>::value);
    STATIC_REQUIRE(std::is_same<decltype(v2), lw::tracked_vector<double>>::value);
    STATIC_REQUIRE(std::is_same<decltype(v3), lw::tracked_vector<double>>::value);
    STATIC_REQUIRE(std::is_same<decltype(v4), lw::tracked_vector<double>>::value);
    STATIC_REQUIRE(std::is_same<decltype(v5), lw::tracked_vector<long>>::value);
    STATIC_REQUIRE(std::is_same<decltype(v6), lw::tracked_vector<char>>::value);
    STATIC_REQUIRE(std::is_same<decltype(v7), lw::tracked_vector<int>>::value);
    STATIC_REQUIRE(std::is_same<decltype(v8), lw::tracked_vector<unsigned>>::value);
    CHECK(mirrors(v, std::vector<int>{1, 2, 3}));
    CHECK(mirrors(v4, src));
    CHECK(v4.label() == "v4");
    CHECK(mirrors(v6, std::vector<char>(3, 'x')));

    lw::tracked_deque d{'a', 'b'};
    lw::tracked_deque d2(src.begin(), src.end());
    lw::tracked_deque d3(lw::label{"d3"}, {1, 2});
    STATIC_REQUIRE(std::is_same<decltype(d), lw::tracked_deque<char>>::value);
    STATIC_REQUIRE(std::is_same<decltype(d2), lw::tracked_deque<double>>::value);
    STATIC_REQUIRE(std::is_same<decltype(d3), lw::tracked_deque<int>>::value);
    CHECK(mirrors(d2, src));

    lw::tracked_list l{std::string("x"), std::string("y")};
    lw::tracked_list l2(src.begin(), src.end());
    lw::tracked_list l3(lw::label{"l3"}, src.begin(), src.end(), std::allocator<double>());
    STATIC_REQUIRE(std::is_same<decltype(l), lw::tracked_list<std::string>>::value);
    STATIC_REQUIRE(std::is_same<decltype(l2), lw::tracked_list<double>>::value);
    STATIC_REQUIRE(std::is_same<decltype(l3), lw::tracked_list<double>>::value);
    CHECK(mirrors(l3, src));

    lw::tracked_ordered_map m{std::pair{1, std::string("a")}, std::pair{2, std::string("b")}};
    lw::tracked_ordered_map m2(m.begin(), m.end());
    lw::tracked_ordered_multimap mm(m.begin(), m.end(), std::greater<int>());
    lw::tracked_ordered_multimap mm2(lw::label{"mm2"}, {std::pair{1, 2.0}});
    STATIC_REQUIRE(std::is_same<decltype(m), lw::tracked_ordered_map<int, std::string>>::value);
    STATIC_REQUIRE(std::is_same<decltype(m2), lw::tracked_ordered_map<int, std::string>>::value);
    STATIC_REQUIRE(
        std::is_same<decltype(mm), lw::tracked_ordered_multimap<int, std::string, std::greater<int>>>::value);
    STATIC_REQUIRE(std::is_same<decltype(mm2), lw::tracked_ordered_multimap<int, double>>::value);
    CHECK(mirrors(m2, std::map<int, std::string>{{1, "a"}, {2, "b"}}));

    lw::tracked_ordered_set s{3, 1, 2};
    lw::tracked_ordered_set s2({1, 2}, std::greater<int>());
    lw::tracked_ordered_multiset ms(v.begin(), v.end());
    lw::tracked_ordered_multiset ms2(lw::label{"ms2"}, v.begin(), v.end(), std::allocator<int>());
    STATIC_REQUIRE(std::is_same<decltype(s), lw::tracked_ordered_set<int>>::value);
    STATIC_REQUIRE(std::is_same<decltype(s2), lw::tracked_ordered_set<int, std::greater<int>>>::value);
    STATIC_REQUIRE(std::is_same<decltype(ms), lw::tracked_ordered_multiset<int>>::value);
    STATIC_REQUIRE(std::is_same<decltype(ms2), lw::tracked_ordered_multiset<int>>::value);
    CHECK(mirrors(s2, std::set<int, std::greater<int>>{1, 2}));
}

TEST_CASE("tracked container type names", "[containers]") {
    CHECK(omap::tracked_type_name() == "tracked_ordered_map<int, std::string>");
    CHECK(omultimap::tracked_type_name() == "tracked_ordered_multimap<int, std::string>");
    CHECK(oset::tracked_type_name() == "tracked_ordered_set<int>");
    CHECK(omultiset::tracked_type_name() == "tracked_ordered_multiset<int>");
    CHECK(ivector::tracked_type_name() == "tracked_vector<int>");
    CHECK(bvector::tracked_type_name() == "tracked_vector<bool>");
    CHECK(ideque::tracked_type_name() == "tracked_deque<int>");
    CHECK(ilist::tracked_type_name() == "tracked_list<int>");
}
#endif

TEST_CASE("tracked_vector<bool>: proxies, no data()", "[containers]") {
    bvector v(3, false);
    std::vector<bool> r(3, false);
    STATIC_REQUIRE(!has<bvector, data_op>);
    STATIC_REQUIRE(std::is_same<bvector::reference, std::vector<bool>::reference>::value);
    STATIC_REQUIRE(std::is_same<decltype(v.emplace_back(true)), decltype(r.emplace_back(true))>::value);
    STATIC_REQUIRE(std::is_same<decltype(v[0]), decltype(r[0])>::value);
    v[1] = true;
    r[1] = true;
    v.emplace_back(true) = false;
    r.emplace_back(true) = false;
    CHECK(mirrors(v, r));
    v.flip();
    r.flip();
    bvector::swap(v[0], v[1]);
    std::vector<bool>::swap(r[0], r[1]);
    CHECK(mirrors(v, r));
    v.push_back(false);
    r.push_back(false);
    CHECK(mirrors(v, r));
    CHECK(v.capacity() >= v.size());
}
