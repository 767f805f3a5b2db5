// tests/test_faults.cpp — fault injection: every tracked container, every mutating operation,
// a fault at every possible point.
//
// Three kinds of fault, each swept over N = 1, 2, 3, ... until the operation completes
// without meeting one (N = 0, no fault, gives the expected result):
//   - allocation: the counting upstream allocator throws std::bad_alloc on its Nth allocation;
//   - construction: the Nth construction, copy or copy assignment of an element throws
//     (lwtest::throwing; its moves never throw, as the std guarantees assume);
//   - comparison: the Nth call of the hash, the equality or the ordering throws.
// After each throw the test checks what the standard promises for that operation:
//   - strong: the containers (and a node handle taking part) hold exactly what they held before;
//   - basic: every container is valid and consistent (size() matches a walk, order and
//     uniqueness hold, every element of a hashed container is found), plus what the operation
//     cannot break even half-way (an insertion removes nothing; merge and splice lose nothing);
//   - no object: a constructor that throws leaves nothing behind;
//   - nothrow: the fault cannot make this operation throw;
// and always that leakwatch's accounting is exact: for each counting upstream, the bytes and
// allocations charged to the containers using it equal what it has handed out and not got
// back, stats().elements equals size(), and nothing is freed twice or with a wrong size.
// Every container is then used once more and destroyed, and must give every byte back.
#include <leakwatch/leakwatch.hpp>

#include "counting_allocator.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <memory_resource>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

using lwtest::throwing;

// ---- comparison faults ------------------------------------------------------------------------

struct comparison_failure : std::runtime_error {
    comparison_failure() : std::runtime_error("comparison failed on purpose") {}
};

// While armed, the Nth call of a faulty hash, equality or ordering from now throws.
struct compare_switch {
    static inline std::uint64_t countdown = 0;
    static void maybe_throw() {
        if (countdown != 0 && --countdown == 0) throw comparison_failure();
    }
};

struct faulty_hash {
    std::size_t operator()(const throwing& t) const {
        compare_switch::maybe_throw();
        return std::hash<int>{}(t.value);
    }
};
struct faulty_equal {
    bool operator()(const throwing& a, const throwing& b) const {
        compare_switch::maybe_throw();
        return a.value == b.value;
    }
};
struct faulty_less {
    bool operator()(const throwing& a, const throwing& b) const {
        compare_switch::maybe_throw();
        return a.value < b.value;
    }
};

// ---- the eleven tracked types ------------------------------------------------------------------

template <class T>
using counting = lwtest::counting_allocator<T>;
using entry = std::pair<const throwing, throwing>;

using f_umap = leakwatch::tracked_unordered_map<throwing, throwing, faulty_hash, faulty_equal, counting<entry>>;
using f_uset = leakwatch::tracked_unordered_set<throwing, faulty_hash, faulty_equal, counting<throwing>>;
using f_umultimap = leakwatch::tracked_unordered_multimap<throwing, throwing, faulty_hash, faulty_equal, counting<entry>>;
using f_umultiset = leakwatch::tracked_unordered_multiset<throwing, faulty_hash, faulty_equal, counting<throwing>>;
using f_omap = leakwatch::tracked_ordered_map<throwing, throwing, faulty_less, counting<entry>>;
using f_oset = leakwatch::tracked_ordered_set<throwing, faulty_less, counting<throwing>>;
using f_omultimap = leakwatch::tracked_ordered_multimap<throwing, throwing, faulty_less, counting<entry>>;
using f_omultiset = leakwatch::tracked_ordered_multiset<throwing, faulty_less, counting<throwing>>;
using f_vector = leakwatch::tracked_vector<throwing, counting<throwing>>;
using f_deque = leakwatch::tracked_deque<throwing, counting<throwing>>;
using f_list = leakwatch::tracked_list<throwing, counting<throwing>>;

using all_types = std::tuple<f_umap, f_uset, f_umultimap, f_umultiset, f_omap, f_oset, f_omultimap, f_omultiset,
                             f_vector, f_deque, f_list>;

// ---- shapes ------------------------------------------------------------------------------------

template <class C, class = void>
struct is_associative : std::false_type {};
template <class C>
struct is_associative<C, std::void_t<typename C::key_type>> : std::true_type {};
template <class C, class = void>
struct is_map : std::false_type {};
template <class C>
struct is_map<C, std::void_t<typename C::mapped_type>> : std::true_type {};
template <class C, class = void>
struct is_unordered : std::false_type {};
template <class C>
struct is_unordered<C, std::void_t<typename C::hasher>> : std::true_type {};
template <class C, class = void>
struct is_unique : std::false_type {};
template <class C>
struct is_unique<C, std::void_t<typename C::std_type::insert_return_type>> : std::true_type {};

template <class C>
constexpr bool associative_v = is_associative<C>::value;
template <class C>
constexpr bool map_v = is_map<C>::value;
template <class C>
constexpr bool unordered_v = is_unordered<C>::value;
template <class C>
constexpr bool ordered_v = associative_v<C> && !unordered_v<C>;
template <class C>
constexpr bool unique_v = is_unique<C>::value;
template <class C>
constexpr bool vector_v = std::is_same<C, f_vector>::value;
template <class C>
constexpr bool deque_v = std::is_same<C, f_deque>::value;
template <class C>
constexpr bool list_v = std::is_same<C, f_list>::value;
template <class C>
constexpr bool sequence_v = vector_v<C> || deque_v<C> || list_v<C>;

struct no_node {};
template <class C, class = void>
struct node_of {
    using type = no_node;
};
template <class C>
struct node_of<C, std::void_t<typename C::node_type>> {
    using type = typename C::node_type;
};

// ---- values and contents -----------------------------------------------------------------------

template <class C>
typename C::value_type value_of(int key) {
    if constexpr (map_v<C>) return typename C::value_type(throwing(key), throwing(key + 1));
    else return throwing(key);
}

inline const throwing& key_ref(const throwing& t) { return t; }
inline const throwing& key_ref(const entry& e) { return e.first; }
inline int key_of(const throwing& t) { return t.value; }
inline int key_of(const entry& e) { return e.first.value; }
inline int mapped_of(const throwing&) { return 0; }
inline int mapped_of(const entry& e) { return e.second.value; }

using content = std::vector<std::pair<int, int>>;

template <class C>
content contents_of(const C& c) {
    content out;
    for (const auto& v : c) out.emplace_back(key_of(v), mapped_of(v));
    if constexpr (unordered_v<C>) std::sort(out.begin(), out.end());
    return out;
}

template <class C, class Node>
std::optional<content> node_contents(const std::optional<Node>& node) {
    if constexpr (std::is_same<Node, no_node>::value) {
        return std::nullopt;
    } else {
        if (!node || node->empty()) return std::nullopt;
        if constexpr (map_v<C>) return content{{node->key().value, node->mapped().value}};
        else return content{{node->value().value, 0}};
    }
}

std::string describe(const content& c) {
    std::string out = "{";
    for (std::size_t i = 0; i < c.size(); ++i) {
        if (i != 0) out += ' ';
        out += std::to_string(c[i].first);
        if (c[i].second != 0) out += ':' + std::to_string(c[i].second);
    }
    return out + "}";
}
std::string describe(const std::optional<content>& c) { return c ? describe(*c) : std::string("(none)"); }

content sorted(content c) {
    std::sort(c.begin(), c.end());
    return c;
}

// ---- operations ---------------------------------------------------------------------------------

enum class fault { allocation, construction, comparison };
const char* to_string(fault kind) {
    switch (kind) {
        case fault::allocation: return "allocation";
        case fault::construction: return "construction";
        case fault::comparison: return "comparison";
    }
    return "?";
}

// What the standard promises when the fault makes the operation throw.
enum class guarantee { strong, basic, no_object, nothrow };
const char* to_string(guarantee g) {
    switch (g) {
        case guarantee::strong: return "strong";
        case guarantee::basic: return "basic";
        case guarantee::no_object: return "no object";
        case guarantee::nothrow: return "nothrow";
    }
    return "?";
}

// One sweep's containers. The counters are declared first so that they outlive every
// container and node handle that allocates from them.
template <class C>
struct world {
    lwtest::alloc_counter target_counter;
    lwtest::alloc_counter source_counter;
    std::optional<C> target;
    std::optional<C> source;
    std::optional<C> made;  // what a constructor under test builds
    std::optional<typename node_of<C>::type> node;
    std::vector<typename C::value_type> input;  // arguments, built before the fault is armed
};

template <class C>
struct operation {
    std::string name;
    guarantee on_allocation = guarantee::basic;
    guarantee on_construction = guarantee::basic;
    guarantee on_comparison = guarantee::basic;
    std::function<void(world<C>&)> run;
    std::function<void(world<C>&)> prepare;  // after the standard setup, before arming
    guarantee source_guarantee = guarantee::strong;  // for the second container, if it throws
    bool shared_counter = false;  // source allocates from the target's upstream (memory changes hands)
    bool arm_source = false;      // the operation allocates from the source's upstream
    bool empty_target = false;
    bool kept_before = false;     // even half-way, the target keeps everything it held
    bool conserves = false;       // even half-way, no element is lost or made up (merge, splice, sort)
    bool makes_up_nothing = false;  // even half-way, no element is made up (some may be destroyed)
    // Why a comparison fault cannot be injected here (the std library would terminate).
    std::string comparison_untestable;

    guarantee promised(fault kind) const {
        switch (kind) {
            case fault::allocation: return on_allocation;
            case fault::construction: return on_construction;
            case fault::comparison: return on_comparison;
        }
        return guarantee::basic;
    }
    operation& shared() { return shared_counter = true, *this; }
    operation& from_source() { return arm_source = true, *this; }
    operation& empty() { return empty_target = true, *this; }
    operation& keeps() { return kept_before = true, *this; }
    operation& conserving() { return conserves = true, *this; }
    operation& makes_up_nothing_() { return makes_up_nothing = true, *this; }
    operation& no_comparison_faults(std::string why) { return comparison_untestable = std::move(why), *this; }
    operation& source_basic() { return source_guarantee = guarantee::basic, *this; }
    operation& before(std::function<void(world<C>&)> f) { return prepare = std::move(f), *this; }
};

template <class C>
operation<C> op(std::string name, guarantee allocation, guarantee construction, guarantee comparison,
                std::function<void(world<C>&)> run) {
    operation<C> o;
    o.name = std::move(name);
    o.on_allocation = allocation;
    o.on_construction = construction;
    o.on_comparison = comparison;
    o.run = std::move(run);
    return o;
}

constexpr guarantee S = guarantee::strong;
constexpr guarantee B = guarantee::basic;
constexpr guarantee O = guarantee::no_object;
constexpr guarantee N = guarantee::nothrow;

template <class C>
std::vector<int> target_keys() {
    if constexpr (unique_v<C>) return {10, 20, 30, 40, 50, 60};
    else return {10, 20, 20, 30, 40, 50, 60};
}
template <class C>
std::vector<int> source_keys() {
    if constexpr (unique_v<C>) return {40, 50, 60, 70, 80};
    else return {40, 50, 60, 70, 70, 80};
}
// input[0] is a new key, input[3] one the target holds.
const std::vector<int> input_keys = {90, 100, 110, 20, 120};

template <class C>
void add(C& c, int key) {
    if constexpr (associative_v<C>) c.insert(value_of<C>(key));
    else c.push_back(value_of<C>(key));
}

template <class C>
typename C::const_iterator middle(const C& c) {
    return std::next(c.begin(), static_cast<std::ptrdiff_t>(c.size() / 2));
}

template <class C>
std::vector<operation<C>> operations() {
    using A = typename C::allocator_type;
    using W = world<C>;
    std::vector<operation<C>> ops;

    // --- every container ---------------------------------------------------------------------
    ops.push_back(op<C>("copy construct", O, O, O, [](W& w) { w.made.emplace(*w.source); }).from_source());
    ops.push_back(op<C>("copy construct with another allocator", O, O, O,
                        [](W& w) { w.made.emplace(*w.source, A(&w.target_counter)); }));
    ops.push_back(op<C>("move construct with an unequal allocator", O, O, O,
                        [](W& w) { w.made.emplace(std::move(*w.source), A(&w.target_counter)); })
                      .source_basic());
    // std::deque allocates even when empty, so building the empty deque a move starts from may
    // throw (std::deque's own move constructor and move assignment allocate too).
    constexpr guarantee moving = deque_v<C> ? O : N;
    constexpr guarantee moving_over = deque_v<C> ? S : N;
    ops.push_back(op<C>("move construct", moving, N, N, [](W& w) { w.made.emplace(std::move(*w.source)); })
                      .source_basic());
    ops.push_back(op<C>("copy assign", B, B, B, [](W& w) { *w.target = *w.source; }));
    ops.push_back(op<C>("move assign, unequal allocators", B, B, B, [](W& w) { *w.target = std::move(*w.source); })
                      .source_basic());
    ops.push_back(op<C>("move assign, equal allocators", moving_over, N, N, [](W& w) { *w.target = std::move(*w.source); })
                      .shared()
                      .source_basic());
    ops.push_back(op<C>("swap", N, N, N, [](W& w) { w.target->swap(*w.source); }).shared().source_basic());
    ops.push_back(op<C>("assign an initializer list", B, B, B, [](W& w) {
        *w.target = {value_of<C>(90), value_of<C>(100), value_of<C>(20)};
    }));
    ops.push_back(op<C>("clear", N, N, N, [](W& w) { w.target->clear(); }));

    // --- associative ------------------------------------------------------------------------------
    if constexpr (associative_v<C>) {
        // The unordered containers promise nothing when their hash throws inside a single-element
        // insertion; the ordered ones promise no effect whatever throws.
        constexpr guarantee single = unordered_v<C> ? B : S;
        ops.push_back(op<C>("insert(const value_type&)", S, S, single,
                            [](W& w) { w.target->insert(std::as_const(w.input[0])); }));
        ops.push_back(op<C>("insert(value_type&&)", S, S, single,
                            [](W& w) { w.target->insert(std::move(w.input[0])); }));
        ops.push_back(op<C>("insert(hint, const value_type&)", S, S, single,
                            [](W& w) { w.target->insert(w.target->cend(), std::as_const(w.input[0])); }));
        ops.push_back(op<C>("insert into an empty container", S, S, single,
                            [](W& w) { w.target->insert(std::as_const(w.input[0])); })
                          .empty());
        if constexpr (map_v<C>) {
            ops.push_back(op<C>("emplace(key, mapped)", S, S, single, [](W& w) { w.target->emplace(90, 91); }));
            ops.push_back(op<C>("emplace_hint(hint, key, mapped)", S, S, single,
                                [](W& w) { w.target->emplace_hint(w.target->cbegin(), 90, 91); }));
        } else {
            ops.push_back(op<C>("emplace(key)", S, S, single, [](W& w) { w.target->emplace(90); }));
            ops.push_back(op<C>("emplace_hint(hint, key)", S, S, single,
                                [](W& w) { w.target->emplace_hint(w.target->cbegin(), 90); }));
        }
        ops.push_back(op<C>("insert(first, last)", B, B, B,
                            [](W& w) { w.target->insert(w.input.begin(), w.input.end()); })
                          .keeps());
        ops.push_back(op<C>("insert(initializer_list)", B, B, B, [](W& w) {
                          w.target->insert({value_of<C>(90), value_of<C>(100), value_of<C>(20)});
                      }).keeps());
        if constexpr (map_v<C> && unique_v<C>) {
            ops.push_back(op<C>("operator[] with a new key", S, S, single,
                                [](W& w) { (*w.target)[std::as_const(w.input[0]).first]; }));
            ops.push_back(op<C>("try_emplace with a new key", S, S, single,
                                [](W& w) { w.target->try_emplace(w.input[0].first, 91); }));
            ops.push_back(op<C>("insert_or_assign with a new key", S, S, single, [](W& w) {
                w.target->insert_or_assign(w.input[0].first, std::as_const(w.input[0].second));
            }));
            ops.push_back(op<C>("insert_or_assign over an existing key", B, B, B, [](W& w) {
                w.target->insert_or_assign(w.input[3].first, std::as_const(w.input[0].second));
            }));
        }
        const auto take_node = [](W& w) { w.node.emplace(w.source->extract(throwing(70))); };
        ops.push_back(op<C>("insert(node_type&&)", S, N, single, [](W& w) { w.target->insert(std::move(*w.node)); })
                          .shared()
                          .before(take_node));
        ops.push_back(op<C>("insert(node_type&&) into an empty container", S, N, single,
                            [](W& w) { w.target->insert(std::move(*w.node)); })
                          .shared()
                          .empty()
                          .before(take_node));
        ops.push_back(op<C>("insert(hint, node_type&&)", S, N, single,
                            [](W& w) { w.target->insert(w.target->cend(), std::move(*w.node)); })
                          .shared()
                          .before(take_node));
        if constexpr (ordered_v<C>) {
            ops.push_back(op<C>("merge", N, N, B, [](W& w) { w.target->merge(*w.source); })
                              .shared()
                              .conserving()
                              .source_basic()
                              .no_comparison_faults("libstdc++ declares std::map::merge noexcept"));
        } else {
            // When the equality throws, libstdc++ destroys the node it was moving (the standard
            // promises only validity): elements may be lost, none made up.
            ops.push_back(op<C>("merge", N, N, B, [](W& w) { w.target->merge(*w.source); })
                              .shared()
                              .makes_up_nothing_()
                              .source_basic());
        }
        ops.push_back(op<C>("erase(key)", N, N, B, [](W& w) { w.target->erase(key_ref(w.input[3])); }));
        ops.push_back(op<C>("extract(key)", N, N, B, [](W& w) { w.target->extract(key_ref(w.input[3])); }));
    }

    // --- unordered --------------------------------------------------------------------------------
    if constexpr (unordered_v<C>) {
        ops.push_back(op<C>("rehash", S, N, B, [](W& w) { w.target->rehash(256); }));
        ops.push_back(op<C>("reserve", S, N, B, [](W& w) { w.target->reserve(200); }));
        ops.push_back(op<C>("max_load_factor (rehashes)", B, N, B, [](W& w) { w.target->max_load_factor(0.1f); }));
    }

    // --- sequences --------------------------------------------------------------------------------
    if constexpr (sequence_v<C>) {
        // Inserting anywhere but at an end: vector and deque promise no effect unless an element's
        // copy, move or assignment throws; list always.
        constexpr guarantee inner = list_v<C> ? S : B;
        // resize: vector promises no effect; deque and list promise nothing beyond validity.
        constexpr guarantee resizing = vector_v<C> ? S : B;
        ops.push_back(op<C>("push_back(const T&)", S, S, N, [](W& w) { w.target->push_back(std::as_const(w.input[0])); }));
        ops.push_back(op<C>("push_back(T&&)", S, S, N, [](W& w) { w.target->push_back(std::move(w.input[0])); }));
        ops.push_back(op<C>("emplace_back", S, S, N, [](W& w) { w.target->emplace_back(90); }));
        ops.push_back(op<C>("push_back into an empty container", S, S, N,
                            [](W& w) { w.target->push_back(std::as_const(w.input[0])); })
                          .empty());
        if constexpr (!vector_v<C>) {
            ops.push_back(
                op<C>("push_front(const T&)", S, S, N, [](W& w) { w.target->push_front(std::as_const(w.input[0])); }));
            ops.push_back(op<C>("emplace_front", S, S, N, [](W& w) { w.target->emplace_front(90); }));
        }
        ops.push_back(op<C>("insert(end, const T&)", S, S, N,
                            [](W& w) { w.target->insert(w.target->cend(), std::as_const(w.input[0])); }));
        ops.push_back(op<C>("insert(middle, const T&)", S, inner, N,
                            [](W& w) { w.target->insert(middle(*w.target), std::as_const(w.input[0])); }));
        ops.push_back(
            op<C>("emplace(middle, args)", S, inner, N, [](W& w) { w.target->emplace(middle(*w.target), 90); }));
        ops.push_back(op<C>("insert(middle, n, value)", S, inner, N,
                            [](W& w) { w.target->insert(middle(*w.target), 5, std::as_const(w.input[0])); }));
        ops.push_back(op<C>("insert(middle, first, last)", S, inner, N, [](W& w) {
            w.target->insert(middle(*w.target), w.input.begin(), w.input.end());
        }));
        ops.push_back(op<C>("insert(end, first, last)", S, inner, N,
                            [](W& w) { w.target->insert(w.target->cend(), w.input.begin(), w.input.end()); }));
        ops.push_back(op<C>("resize(larger)", resizing, resizing, N, [](W& w) { w.target->resize(20); }));
        ops.push_back(op<C>("resize(larger, value)", resizing, resizing, N,
                            [](W& w) { w.target->resize(20, std::as_const(w.input[0])); }));
        ops.push_back(op<C>("resize(smaller)", N, N, N, [](W& w) { w.target->resize(2); }));
        ops.push_back(op<C>("assign(n, value)", B, B, N, [](W& w) { w.target->assign(9, std::as_const(w.input[0])); }));
        ops.push_back(
            op<C>("assign(first, last)", B, B, N, [](W& w) { w.target->assign(w.input.begin(), w.input.end()); }));
        ops.push_back(op<C>("assign(initializer_list)", B, B, N,
                            [](W& w) { w.target->assign({throwing(1), throwing(2), throwing(3)}); }));
        if constexpr (vector_v<C>) {
            ops.push_back(op<C>("reserve", S, N, N, [](W& w) { w.target->reserve(100); }));
            ops.push_back(op<C>("shrink_to_fit", S, N, N, [](W& w) { w.target->shrink_to_fit(); })
                              .before([](W& w) { w.target->reserve(100); }));
        }
        if constexpr (deque_v<C>) {
            ops.push_back(op<C>("shrink_to_fit", S, N, N, [](W& w) { w.target->shrink_to_fit(); }).before([](W& w) {
                for (int i = 0; i < 200; ++i) w.target->push_back(throwing(i));
                w.target->resize(3);
            }));
        }
        if constexpr (list_v<C>) {
            ops.push_back(op<C>("splice(pos, other)", N, N, N,
                                [](W& w) { w.target->splice(middle(*w.target), *w.source); })
                              .shared()
                              .conserving()
                              .source_basic());
            ops.push_back(op<C>("splice(pos, other, it)", N, N, N,
                                [](W& w) { w.target->splice(w.target->cend(), *w.source, w.source->cbegin()); })
                              .shared()
                              .conserving()
                              .source_basic());
            ops.push_back(op<C>("splice(pos, other, first, last)", N, N, N, [](W& w) {
                              w.target->splice(w.target->cbegin(), *w.source, std::next(w.source->cbegin()),
                                               w.source->cend());
                          })
                              .shared()
                              .conserving()
                              .source_basic());
            ops.push_back(op<C>("merge(other, less)", N, N, B, [](W& w) { w.target->merge(*w.source, faulty_less{}); })
                              .shared()
                              .conserving()
                              .source_basic());
            ops.push_back(op<C>("sort(less)", N, N, B, [](W& w) { w.target->sort(faulty_less{}); })
                              .conserving()
                              .before([](W& w) { w.target->reverse(); }));
            ops.push_back(op<C>("unique(equal)", N, N, B, [](W& w) { w.target->unique(faulty_equal{}); }));
        }
    }
    return ops;
}

// ---- checks --------------------------------------------------------------------------------------

using problems = std::vector<std::string>;

template <class C>
void check_valid(const C& c, const std::string& which, problems& out) {
    const auto walked = static_cast<std::size_t>(std::distance(c.begin(), c.end()));
    if (walked != c.size())
        out.push_back(which + ": size() is " + std::to_string(c.size()) + " but a walk finds " + std::to_string(walked));
    if (c.stats().elements != c.size())
        out.push_back(which + ": stats().elements is " + std::to_string(c.stats().elements) + " but size() is " +
                      std::to_string(c.size()));
    if constexpr (associative_v<C>) {
        content keys;
        for (const auto& v : c) keys.emplace_back(key_of(v), 0);
        if constexpr (ordered_v<C>) {
            if (!std::is_sorted(keys.begin(), keys.end())) out.push_back(which + ": keys out of order");
        } else {
            std::size_t in_buckets = 0;
            for (std::size_t b = 0; b < c.bucket_count(); ++b) in_buckets += c.bucket_size(b);
            if (in_buckets != c.size()) out.push_back(which + ": the buckets hold a different count than size()");
            for (const auto& v : c)
                if (c.count(throwing(key_of(v))) == 0)
                    out.push_back(which + ": element " + std::to_string(key_of(v)) + " cannot be found");
            std::sort(keys.begin(), keys.end());
        }
        if (unique_v<C> && std::adjacent_find(keys.begin(), keys.end()) != keys.end())
            out.push_back(which + ": duplicate keys in a unique-key container");
    }
}

// For each counting upstream: what the containers on it are charged with equals what it has out.
template <class C>
void check_accounting(const world<C>& w, problems& out) {
    for (const lwtest::alloc_counter* counter : {&w.target_counter, &w.source_counter}) {
        std::size_t bytes = 0, allocations = 0;
        for (const std::optional<C>* c : {&w.target, &w.source, &w.made}) {
            if (*c && (*c)->get_allocator().counter() == counter) {
                bytes += (*c)->stats().bytes;
                allocations += (*c)->stats().allocations;
            }
        }
        const std::string which = counter == &w.target_counter ? "target upstream" : "source upstream";
        if (bytes != counter->bytes())
            out.push_back(which + ": containers charged " + std::to_string(bytes) + " bytes, upstream has " +
                          std::to_string(counter->bytes()) + " out");
        if (allocations != counter->allocations())
            out.push_back(which + ": containers charged " + std::to_string(allocations) + " allocations, upstream has " +
                          std::to_string(counter->allocations()) + " out");
        if (counter->bad_frees() != 0) out.push_back(which + ": a block was freed twice or with the wrong size");
    }
}

struct state {
    std::optional<content> target, source, made, node;
    bool operator==(const state& o) const {
        return target == o.target && source == o.source && made == o.made && node == o.node;
    }
};

template <class C>
state state_of(const world<C>& w) {
    state s;
    if (w.target) s.target = contents_of(*w.target);
    if (w.source) s.source = contents_of(*w.source);
    if (w.made) s.made = contents_of(*w.made);
    s.node = node_contents<C>(w.node);
    return s;
}

std::string describe(const state& s) {
    return "target " + describe(s.target) + ", source " + describe(s.source) + ", made " + describe(s.made) +
           ", node " + describe(s.node);
}

// Every element of every container and node handle, sorted.
content everything(const state& s) {
    content all;
    for (const auto* part : {&s.target, &s.source, &s.made, &s.node})
        if (*part) all.insert(all.end(), (*part)->begin(), (*part)->end());
    return sorted(all);
}

template <class C>
void set_up(world<C>& w, const operation<C>& o) {
    using A = typename C::allocator_type;
    w.target.emplace(A(&w.target_counter));
    if (!o.empty_target)
        for (int key : target_keys<C>()) add(*w.target, key);
    w.source.emplace(A(o.shared_counter ? &w.target_counter : &w.source_counter));
    for (int key : source_keys<C>()) add(*w.source, key);
    for (int key : input_keys) w.input.push_back(value_of<C>(key));
    if (o.prepare) o.prepare(w);
}

struct disarm_all {
    lwtest::alloc_counter& a;
    lwtest::alloc_counter& b;
    ~disarm_all() {
        a.fail_allocation(0);
        b.fail_allocation(0);
        lwtest::throw_switch::disarm();
        compare_switch::countdown = 0;
    }
};

struct outcome {
    bool threw = false;
    std::string unexpected;  // an exception of another kind than the fault armed
};

template <class C>
outcome run_armed(world<C>& w, const operation<C>& o, std::optional<fault> kind, std::uint64_t n) {
    outcome result;
    disarm_all guard{w.target_counter, w.source_counter};
    if (kind == fault::allocation) (o.arm_source ? w.source_counter : w.target_counter).fail_allocation(n);
    if (kind == fault::construction) lwtest::throw_switch::arm(n);
    if (kind == fault::comparison) compare_switch::countdown = n;
    try {
        o.run(w);
    } catch (const std::bad_alloc&) {
        result.threw = true;
        if (kind != fault::allocation) result.unexpected = "std::bad_alloc";
    } catch (const lwtest::construction_failure&) {
        result.threw = true;
        if (kind != fault::construction) result.unexpected = "construction_failure";
    } catch (const comparison_failure&) {
        result.threw = true;
        if (kind != fault::comparison) result.unexpected = "comparison_failure";
    } catch (const std::exception& e) {
        result.threw = true;
        result.unexpected = e.what();
    }
    return result;
}

// Uses every container once more, destroys everything, and checks every byte came back.
template <class C>
void use_and_tear_down(world<C>& w, const std::string& where, problems& out) {
    for (std::optional<C>* c : {&w.target, &w.source, &w.made}) {
        if (!*c) continue;
        add(**c, 7);
        if ((*c)->stats().elements != (*c)->size()) out.push_back(where + ": elements != size() after reuse");
    }
    check_accounting(w, out);
    w.node.reset();
    w.made.reset();
    w.source.reset();
    w.target.reset();
    if (w.target_counter.bytes() != 0 || w.source_counter.bytes() != 0)
        out.push_back(where + ": memory not given back after the containers were destroyed");
    if (w.target_counter.bad_frees() != 0 || w.source_counter.bad_frees() != 0)
        out.push_back(where + ": a block was freed twice or with the wrong size");
}

struct sweep_result {
    problems found;
    std::uint64_t throws = 0;
};

template <class C>
sweep_result sweep(const operation<C>& o, fault kind) {
    sweep_result result;
    problems& out = result.found;
    const std::size_t live_before = leakwatch::registry::live_containers();

    // N = 0: no fault; what every run that does not throw must produce.
    state expected;
    {
        auto w = std::make_unique<world<C>>();
        set_up(*w, o);
        const outcome ran = run_armed(*w, o, std::nullopt, 0);
        if (ran.threw) out.push_back("threw without a fault: " + ran.unexpected);
        expected = state_of(*w);
        check_accounting(*w, out);
        use_and_tear_down(*w, "no fault", out);
    }

    const guarantee promised = o.promised(kind);
    constexpr std::uint64_t limit = 5000;
    std::uint64_t n = 1;
    for (; n <= limit && out.size() < 20; ++n) {
        const std::string where = "fault at N=" + std::to_string(n);
        auto w = std::make_unique<world<C>>();
        set_up(*w, o);
        const state before = state_of(*w);
        const outcome ran = run_armed(*w, o, kind, n);
        if (!ran.unexpected.empty()) out.push_back(where + ": unexpected exception " + ran.unexpected);
        const state after = state_of(*w);

        check_accounting(*w, out);
        if (w->target) check_valid(*w->target, where + ", target", out);
        if (w->source) check_valid(*w->source, where + ", source", out);
        if (w->made) check_valid(*w->made, where + ", made", out);

        if (!ran.threw) {
            if (!(after == expected))
                out.push_back(where + ": no throw, but the result differs from the faultless run: got " +
                              describe(after) + ", expected " + describe(expected));
        } else {
            ++result.throws;
            switch (promised) {
                case guarantee::nothrow:
                    out.push_back(where + ": threw, though this fault cannot make it throw");
                    break;
                case guarantee::strong:
                    if (after.target != before.target || after.node != before.node || after.made)
                        out.push_back(where + ": strong guarantee broken: before " + describe(before) + ", after " +
                                      describe(after));
                    break;
                case guarantee::no_object:
                    if (after.made) out.push_back(where + ": a throwing constructor left an object");
                    if (after.target != before.target) out.push_back(where + ": the target changed");
                    break;
                case guarantee::basic:
                    if (o.kept_before && before.target && after.target) {
                        const content had = sorted(*before.target), has = sorted(*after.target);
                        if (!std::includes(has.begin(), has.end(), had.begin(), had.end()))
                            out.push_back(where + ": an insertion lost elements: before " + describe(before) +
                                          ", after " + describe(after));
                    }
                    break;
            }
            if (o.conserves && everything(after) != everything(before))
                out.push_back(where + ": elements lost or made up: before " + describe(before) + ", after " +
                              describe(after));
            if (o.makes_up_nothing) {
                const content had = everything(before), has = everything(after);
                if (!std::includes(had.begin(), had.end(), has.begin(), has.end()))
                    out.push_back(where + ": elements made up: before " + describe(before) + ", after " +
                                  describe(after));
            }
            if (o.source_guarantee == guarantee::strong && after.source != before.source)
                out.push_back(where + ": the source changed: before " + describe(before.source) + ", after " +
                              describe(after.source));
        }
        use_and_tear_down(*w, where, out);
        if (!ran.threw) break;
    }
    if (n > limit) out.push_back("still throwing after " + std::to_string(limit) + " faults");
    if (leakwatch::registry::live_containers() != live_before)
        out.push_back("registry::live_containers() did not return to its value before the sweep");
    return result;
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("every operation of every tracked container keeps the std exception guarantee and exact "
                        "accounting when an allocation, an element construction or a comparison throws",
                        "[faults]", all_types) {
    using C = TestType;
    const std::string type = C::tracked_type_name();
    std::uint64_t throws_by_kind[3] = {0, 0, 0};
    std::size_t sweeps = 0;
    for (const operation<C>& o : operations<C>()) {
        for (fault kind : {fault::allocation, fault::construction, fault::comparison}) {
            if (kind == fault::comparison && !o.comparison_untestable.empty()) continue;
            const sweep_result r = sweep(o, kind);
            ++sweeps;
            throws_by_kind[static_cast<int>(kind)] += r.throws;
            if (!r.found.empty()) {
                std::string text = type + ", " + o.name + ", " + to_string(kind) + " fault (promised: " +
                                   to_string(o.promised(kind)) + "):";
                for (const std::string& p : r.found) text += "\n  " + p;
                FAIL_CHECK(text);
            }
        }
    }
    INFO(type << ": " << sweeps << " sweeps");
    // The harness really injected faults of every kind this container meets.
    CHECK(throws_by_kind[static_cast<int>(fault::allocation)] > 0);
    CHECK(throws_by_kind[static_cast<int>(fault::construction)] > 0);
    if (associative_v<C> || list_v<C>) CHECK(throws_by_kind[static_cast<int>(fault::comparison)] > 0);
}

TEST_CASE("a tracking_allocator channel stays exact when its upstream throws", "[faults]") {
    lwtest::alloc_counter counter;
    using alloc = leakwatch::tracking_allocator<throwing, counting<throwing>>;
    for (std::uint64_t n = 1;; ++n) {
        bool threw = false;
        {
            std::vector<throwing, alloc> v{alloc(leakwatch::label{"faulty channel"}, counting<throwing>(&counter))};
            for (int i = 0; i < 5; ++i) v.emplace_back(i);
            const std::vector<throwing, alloc> before = v;
            counter.fail_allocation(n);
            try {
                for (int i = 0; i < 40; ++i) v.emplace_back(i);
            } catch (const std::bad_alloc&) {
                threw = true;
            }
            counter.fail_allocation(0);
            // The copy `before` has its own channel (select_on_container_copy_construction).
            CHECK(v.get_allocator().stats().bytes + before.get_allocator().stats().bytes == counter.bytes());
            CHECK(v.get_allocator().stats().allocations + before.get_allocator().stats().allocations ==
                  counter.allocations());
        }
        CHECK(counter.bytes() == 0);
        if (!threw) break;
    }
    CHECK(counter.bad_frees() == 0);
}

TEST_CASE("a tracking_resource stays exact when its upstream resource throws", "[faults]") {
    lwtest::counting_resource upstream;
    for (std::uint64_t n = 1;; ++n) {
        bool threw = false;
        {
            leakwatch::tracking_resource resource{leakwatch::label{"faulty resource"}, &upstream};
            std::pmr::unordered_map<int, int> m{&resource};
            for (int i = 0; i < 5; ++i) m.emplace(i, i);
            upstream.counter().fail_allocation(n);
            try {
                for (int i = 5; i < 60; ++i) m.emplace(i, i);
            } catch (const std::bad_alloc&) {
                threw = true;
            }
            upstream.counter().fail_allocation(0);
            CHECK(resource.stats().bytes == upstream.counter().bytes());
            CHECK(resource.stats().allocations == upstream.counter().allocations());
        }
        CHECK(upstream.counter().bytes() == 0);
        if (!threw) break;
    }
    CHECK(upstream.counter().bad_frees() == 0);
}
