// leakwatch/containers/ordered.hpp — tracked twins of std::map, std::set, std::multimap and
// std::multiset.
//
// One family base forwards the whole ordered interface (the members that exist only for
// maps, or only for unique keys, are enabled by the std container's own types) and holds the
// constructors, which the four public class templates inherit; each spells out only its
// default, copy and move constructors (which cannot be inherited) and its initializer-list
// ones (which g++ needs of the class itself to deduce from a braced list). Every constructor takes
// the caller's file and line as a default argument, evaluated where the twin is constructed.
// Deduction guides mirror the
// std ones, so `tracked_ordered_map m{first, last}` deduces what `std::map` would.
#pragma once

#include <leakwatch/config.hpp>
#include <leakwatch/label.hpp>
// The core exists only with tracking compiled in (it stands on the charging allocator and
// the record handle, which allocator.hpp leaves out under LEAKWATCH_DISABLE).
#if !defined(LEAKWATCH_DISABLE)
#include <leakwatch/containers/core.hpp>
#endif

#include <functional>
#include <initializer_list>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <type_traits>
#include <utility>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

#if !defined(LEAKWATCH_DISABLE)

namespace detail {

// Key/value extraction for the deduction guides (the constraints are in core.hpp).
template <class It>
using ordered_iter_value_t = typename std::iterator_traits<It>::value_type;
template <class It>
using ordered_iter_key_t = std::remove_const_t<typename ordered_iter_value_t<It>::first_type>;
template <class It>
using ordered_iter_mapped_t = typename ordered_iter_value_t<It>::second_type;
template <class It>
using ordered_iter_pair_t = std::pair<const ordered_iter_key_t<It>, ordered_iter_mapped_t<It>>;

template <class Derived, class Std>
class ordered_base : public tracked_core<Derived, Std>, public ordering_operators<Derived> {
    using core = tracked_core<Derived, Std>;

protected:
    using core::core;
    using core::inner_;
    using core::mutate;
    using core::note_read;

    static constexpr bool is_map = has_mapped_type<Std>::value;
    static constexpr bool is_unique = has_insert_return_type<Std>::value;
    using move_tag = typename core::move_tag;
    using typename core::alloc_arg;
    using core::copy_upstream;

public:
    using key_type = typename Std::key_type;
    using key_compare = typename Std::key_compare;
    using value_compare = typename Std::value_compare;
    using reverse_iterator = typename Std::reverse_iterator;
    using const_reverse_iterator = typename Std::const_reverse_iterator;
    using node_type = node_handle<typename Std::node_type>;
    using typename core::const_iterator;
    using typename core::iterator;
    using typename core::size_type;
    using typename core::value_type;
    using typename core::allocator_type;
    using insert_return_type = insert_return<iterator, node_type>;

    // --- constructors -----------------------------------------------------------------------
    // Every constructor of the four ordered twins but the default, copy and move ones (which a
    // class cannot inherit) and the initializer-list ones (see the twins): each twin
    // inherits these, and the default argument source_site::current() of an inherited
    // constructor names the line that constructs the twin, with g++ and clang++ alike.
    explicit ordered_base(const key_compare& comp, const allocator_type& a = allocator_type(),
                          source_site site = source_site::current())
        : core(site, {}, comp, alloc_arg{a}) {}
    explicit ordered_base(const allocator_type& a, source_site site = source_site::current())
        : core(site, {}, alloc_arg{a}) {}
    template <class InputIt>
    ordered_base(InputIt first, InputIt last, const key_compare& comp = key_compare(),
                 const allocator_type& a = allocator_type(), source_site site = source_site::current())
        : core(site, {}, first, last, comp, alloc_arg{a}) {}
    template <class InputIt>
    ordered_base(InputIt first, InputIt last, const allocator_type& a, source_site site = source_site::current())
        : core(site, {}, first, last, key_compare(), alloc_arg{a}) {}
    ordered_base(const Derived& other, const allocator_type& a,
                 source_site site = source_site::current())
        : core(site, {}, other.inner_, alloc_arg{a}) {}
    ordered_base(Derived&& other, const allocator_type& a, source_site site = source_site::current())
        : core(site, {}, move_tag{}, other, a) {}
    // The same constructors with a leading label (the label carries its own site).
    explicit ordered_base(const leakwatch::label& l) : core(l.site(), l.name(), alloc_arg{allocator_type()}) {}
    ordered_base(const leakwatch::label& l, const key_compare& comp, const allocator_type& a = allocator_type())
        : core(l.site(), l.name(), comp, alloc_arg{a}) {}
    ordered_base(const leakwatch::label& l, const allocator_type& a) : core(l.site(), l.name(), alloc_arg{a}) {}
    template <class InputIt>
    ordered_base(const leakwatch::label& l, InputIt first, InputIt last, const key_compare& comp = key_compare(),
                 const allocator_type& a = allocator_type())
        : core(l.site(), l.name(), first, last, comp, alloc_arg{a}) {}
    template <class InputIt>
    ordered_base(const leakwatch::label& l, InputIt first, InputIt last, const allocator_type& a)
        : core(l.site(), l.name(), first, last, key_compare(), alloc_arg{a}) {}
    ordered_base(const leakwatch::label& l, const Derived& other)
        : core(l.site(), l.name(), other.inner_, alloc_arg{copy_upstream(other)}) {}
    ordered_base(const leakwatch::label& l, const Derived& other, const allocator_type& a)
        : core(l.site(), l.name(), other.inner_, alloc_arg{a}) {}
    ordered_base(const leakwatch::label& l, Derived&& other)
        : core(l.site(), l.name(), move_tag{}, other) {}
    ordered_base(const leakwatch::label& l, Derived&& other, const allocator_type& a)
        : core(l.site(), l.name(), move_tag{}, other, a) {}
    ordered_base(const leakwatch::label& l, std::initializer_list<value_type> list,
                 const key_compare& comp = key_compare(), const allocator_type& a = allocator_type())
        : core(l.site(), l.name(), list, comp, alloc_arg{a}) {}
    ordered_base(const leakwatch::label& l, std::initializer_list<value_type> list, const allocator_type& a)
        : core(l.site(), l.name(), list, key_compare(), alloc_arg{a}) {}

    // --- iterators (begin/end come from the core) -------------------------------------------
    reverse_iterator rbegin() noexcept {
        note_read();
        return inner_.rbegin();
    }
    const_reverse_iterator rbegin() const noexcept {
        note_read();
        return inner_.rbegin();
    }
    const_reverse_iterator crbegin() const noexcept {
        note_read();
        return inner_.crbegin();
    }
    reverse_iterator rend() noexcept { return inner_.rend(); }
    const_reverse_iterator rend() const noexcept { return inner_.rend(); }
    const_reverse_iterator crend() const noexcept { return inner_.crend(); }

    // --- modifiers ------------------------------------------------------------------------
    auto insert(const value_type& value) {
        return mutate([&](Std& s) { return s.insert(value); });
    }
    auto insert(value_type&& value) {
        return mutate([&](Std& s) { return s.insert(std::move(value)); });
    }
    template <class P, bool M = is_map, std::enable_if_t<M && std::is_constructible<value_type, P&&>::value, int> = 0>
    auto insert(P&& value) {
        return mutate([&](Std& s) { return s.insert(std::forward<P>(value)); });
    }
    iterator insert(const_iterator hint, const value_type& value) {
        return mutate([&](Std& s) { return s.insert(hint, value); });
    }
    iterator insert(const_iterator hint, value_type&& value) {
        return mutate([&](Std& s) { return s.insert(hint, std::move(value)); });
    }
    template <class P, bool M = is_map, std::enable_if_t<M && std::is_constructible<value_type, P&&>::value, int> = 0>
    iterator insert(const_iterator hint, P&& value) {
        return mutate([&](Std& s) { return s.insert(hint, std::forward<P>(value)); });
    }
    template <class InputIt>
    void insert(InputIt first, InputIt last) {
        mutate([&](Std& s) { s.insert(first, last); });
    }
    void insert(std::initializer_list<value_type> list) {
        mutate([&](Std& s) { s.insert(list); });
    }
    template <bool U = is_unique, std::enable_if_t<U, int> = 0>
    insert_return_type insert(node_type&& node) {
        return this->insert_node(std::move(node), [](Std& s, typename Std::node_type& n, record* owner) {
            auto result = s.insert(std::move(n));
            return insert_return_type{result.position, result.inserted,
                                      core_access::make_node<node_type>(std::move(result.node), owner)};
        });
    }
    template <bool U = is_unique, std::enable_if_t<!U, int> = 0>
    iterator insert(node_type&& node) {
        return this->insert_node(std::move(node),
                                 [](Std& s, typename Std::node_type& n, record*) { return s.insert(std::move(n)); });
    }
    iterator insert(const_iterator hint, node_type&& node) {
        return this->insert_node(
            std::move(node), [hint](Std& s, typename Std::node_type& n, record*) { return s.insert(hint, std::move(n)); });
    }

    template <class... Args>
    auto emplace(Args&&... args) {
        return mutate([&](Std& s) { return s.emplace(std::forward<Args>(args)...); });
    }
    template <class... Args>
    iterator emplace_hint(const_iterator hint, Args&&... args) {
        return mutate([&](Std& s) { return s.emplace_hint(hint, std::forward<Args>(args)...); });
    }

    template <class... Args, bool M = is_map && is_unique, std::enable_if_t<M, int> = 0>
    std::pair<iterator, bool> try_emplace(const key_type& key, Args&&... args) {
        return mutate([&](Std& s) { return s.try_emplace(key, std::forward<Args>(args)...); });
    }
    template <class... Args, bool M = is_map && is_unique, std::enable_if_t<M, int> = 0>
    std::pair<iterator, bool> try_emplace(key_type&& key, Args&&... args) {
        return mutate([&](Std& s) { return s.try_emplace(std::move(key), std::forward<Args>(args)...); });
    }
    template <class... Args, bool M = is_map && is_unique, std::enable_if_t<M, int> = 0>
    iterator try_emplace(const_iterator hint, const key_type& key, Args&&... args) {
        return mutate([&](Std& s) { return s.try_emplace(hint, key, std::forward<Args>(args)...); });
    }
    template <class... Args, bool M = is_map && is_unique, std::enable_if_t<M, int> = 0>
    iterator try_emplace(const_iterator hint, key_type&& key, Args&&... args) {
        return mutate([&](Std& s) { return s.try_emplace(hint, std::move(key), std::forward<Args>(args)...); });
    }
    template <class M, bool B = is_map && is_unique, std::enable_if_t<B, int> = 0>
    std::pair<iterator, bool> insert_or_assign(const key_type& key, M&& obj) {
        return mutate([&](Std& s) { return s.insert_or_assign(key, std::forward<M>(obj)); });
    }
    template <class M, bool B = is_map && is_unique, std::enable_if_t<B, int> = 0>
    std::pair<iterator, bool> insert_or_assign(key_type&& key, M&& obj) {
        return mutate([&](Std& s) { return s.insert_or_assign(std::move(key), std::forward<M>(obj)); });
    }
    template <class M, bool B = is_map && is_unique, std::enable_if_t<B, int> = 0>
    iterator insert_or_assign(const_iterator hint, const key_type& key, M&& obj) {
        return mutate([&](Std& s) { return s.insert_or_assign(hint, key, std::forward<M>(obj)); });
    }
    template <class M, bool B = is_map && is_unique, std::enable_if_t<B, int> = 0>
    iterator insert_or_assign(const_iterator hint, key_type&& key, M&& obj) {
        return mutate([&](Std& s) { return s.insert_or_assign(hint, std::move(key), std::forward<M>(obj)); });
    }

    // A set's iterator and const_iterator may be one type; the iterator overload exists only
    // when they differ (it keeps `m.erase(it)` unambiguous for keys constructible from it).
    template <class I = iterator, std::enable_if_t<!std::is_same<I, const_iterator>::value, int> = 0>
    iterator erase(iterator pos) {
        return mutate([&](Std& s) { return s.erase(pos); });
    }
    iterator erase(const_iterator pos) {
        return mutate([&](Std& s) { return s.erase(pos); });
    }
    iterator erase(const_iterator first, const_iterator last) {
        return mutate([&](Std& s) { return s.erase(first, last); });
    }
    size_type erase(const key_type& key) {
        return mutate([&](Std& s) { return s.erase(key); });
    }

    node_type extract(const_iterator pos) {
        return this->template wrap_node<node_type>(mutate([&](Std& s) { return s.extract(pos); }));
    }
    node_type extract(const key_type& key) {
        return this->template wrap_node<node_type>(mutate([&](Std& s) { return s.extract(key); }));
    }

    // Accepts any tracked ordered container whose std twin this one's std twin can merge from
    // (same key, value and allocator; any comparator; unique or multi). The nodes that moved
    // are exactly the growth of this container; their bytes follow them. Settled in a
    // destructor because a throwing comparator can stop the std merge half-way.
    template <class Source, class S = std::remove_reference_t<Source>,
              class = decltype(std::declval<Std&>().merge(std::declval<typename S::std_type&>()))>
    void merge(Source&& source) {
        this->live_record();  // a moved-from target registers again first
        auto& other = core_access::inner(source);
        struct settle {
            ordered_base& self;
            decltype(other)& from_inner;
            record* from;
            size_type before, theirs;
            ~settle() {
                const size_type after = self.inner_.size();
                self.adopt_nodes(from, after - before);
                self.rec()->note_size(before, after);
                from->note_size(theirs, from_inner.size());
            }
        } guard{*this, other, core_access::rec(source), inner_.size(), other.size()};
        inner_.merge(other);
    }

    // --- lookup ---------------------------------------------------------------------------
    template <class S = Std, bool U = is_unique, std::enable_if_t<U, int> = 0>
    typename S::mapped_type& at(const key_type& key) {
        note_read();
        return inner_.at(key);
    }
    template <class S = Std, bool U = is_unique, std::enable_if_t<U, int> = 0>
    const typename S::mapped_type& at(const key_type& key) const {
        note_read();
        return inner_.at(key);
    }
    template <class S = Std, bool U = is_unique, std::enable_if_t<U, int> = 0>
    typename S::mapped_type& operator[](const key_type& key) {
        note_read();
        return mutate([&](Std& s) -> typename S::mapped_type& { return s[key]; });
    }
    template <class S = Std, bool U = is_unique, std::enable_if_t<U, int> = 0>
    typename S::mapped_type& operator[](key_type&& key) {
        note_read();
        return mutate([&](Std& s) -> typename S::mapped_type& { return s[std::move(key)]; });
    }

    size_type count(const key_type& key) const {
        note_read();
        return inner_.count(key);
    }
    iterator find(const key_type& key) {
        note_read();
        return inner_.find(key);
    }
    const_iterator find(const key_type& key) const {
        note_read();
        return inner_.find(key);
    }
    std::pair<iterator, iterator> equal_range(const key_type& key) {
        note_read();
        return inner_.equal_range(key);
    }
    std::pair<const_iterator, const_iterator> equal_range(const key_type& key) const {
        note_read();
        return inner_.equal_range(key);
    }
    iterator lower_bound(const key_type& key) {
        note_read();
        return inner_.lower_bound(key);
    }
    const_iterator lower_bound(const key_type& key) const {
        note_read();
        return inner_.lower_bound(key);
    }
    iterator upper_bound(const key_type& key) {
        note_read();
        return inner_.upper_bound(key);
    }
    const_iterator upper_bound(const key_type& key) const {
        note_read();
        return inner_.upper_bound(key);
    }
#if LEAKWATCH_CPP20
    bool contains(const key_type& key) const {
        note_read();
        return inner_.contains(key);
    }
#endif

    // Heterogeneous lookup (C++14), when the comparator is transparent.
    template <class K, class S = Std, class = typename S::key_compare::is_transparent>
    size_type count(const K& key) const {
        note_read();
        return inner_.count(key);
    }
    template <class K, class S = Std, class = typename S::key_compare::is_transparent>
    iterator find(const K& key) {
        note_read();
        return inner_.find(key);
    }
    template <class K, class S = Std, class = typename S::key_compare::is_transparent>
    const_iterator find(const K& key) const {
        note_read();
        return inner_.find(key);
    }
    template <class K, class S = Std, class = typename S::key_compare::is_transparent>
    std::pair<iterator, iterator> equal_range(const K& key) {
        note_read();
        return inner_.equal_range(key);
    }
    template <class K, class S = Std, class = typename S::key_compare::is_transparent>
    std::pair<const_iterator, const_iterator> equal_range(const K& key) const {
        note_read();
        return inner_.equal_range(key);
    }
    template <class K, class S = Std, class = typename S::key_compare::is_transparent>
    iterator lower_bound(const K& key) {
        note_read();
        return inner_.lower_bound(key);
    }
    template <class K, class S = Std, class = typename S::key_compare::is_transparent>
    const_iterator lower_bound(const K& key) const {
        note_read();
        return inner_.lower_bound(key);
    }
    template <class K, class S = Std, class = typename S::key_compare::is_transparent>
    iterator upper_bound(const K& key) {
        note_read();
        return inner_.upper_bound(key);
    }
    template <class K, class S = Std, class = typename S::key_compare::is_transparent>
    const_iterator upper_bound(const K& key) const {
        note_read();
        return inner_.upper_bound(key);
    }
#if LEAKWATCH_CPP20
    template <class K, class S = Std, class = typename S::key_compare::is_transparent>
    bool contains(const K& key) const {
        note_read();
        return inner_.contains(key);
    }
#endif

    // --- observers ------------------------------------------------------------------------
    key_compare key_comp() const { return inner_.key_comp(); }
    value_compare value_comp() const { return inner_.value_comp(); }

#if LEAKWATCH_CPP20
    // std::erase_if's twin, found by argument-dependent lookup: `erase_if(c, pred)`.
    template <class Pred>
    friend size_type erase_if(Derived& c, Pred pred) {
        return static_cast<ordered_base&>(c).mutate([&](Std& s) { return std::erase_if(s, pred); });
    }
#endif
};

}  // namespace detail

// ---------------------------------------------------------------------------------------------

template <class Key, class T, class Compare = std::less<Key>, class Allocator = std::allocator<std::pair<const Key, T>>>
class tracked_ordered_map
    : public detail::ordered_base<
          tracked_ordered_map<Key, T, Compare, Allocator>,
          std::map<Key, T, Compare, detail::charging_allocator<std::pair<const Key, T>, Allocator>>> {
    using base = detail::ordered_base<
        tracked_ordered_map, std::map<Key, T, Compare, detail::charging_allocator<std::pair<const Key, T>, Allocator>>>;
    using std_twin = std::map<Key, T, Compare, Allocator>;  // the std type this one replaces
    using alloc = detail::upstream_arg<Allocator>;
    using move_tag = typename base::move_tag;

public:
    // The std type this one replaces (same arguments, the std allocator).
    using twin_type = std_twin;
    using mapped_type = T;
    using typename base::allocator_type;
    using typename base::key_compare;
    using typename base::value_type;

    static const std::string& tracked_type_name() {
        static const std::string* const name =
            new std::string(detail::compose_type_name<Key, T>("tracked_ordered_map"));
        return *name;
    }

    using base::base;  // the shared constructors (ordered_base)
    tracked_ordered_map(source_site site = source_site::current()) noexcept(std::is_nothrow_default_constructible<std_twin>::value)
        : base(site, {}, alloc{Allocator()}) {}
    tracked_ordered_map(const tracked_ordered_map& other, source_site site = source_site::current())
        : base(site, {}, other.inner_, alloc{base::copy_upstream(other)}) {}
    tracked_ordered_map(tracked_ordered_map&& other) noexcept(std::is_nothrow_move_constructible<std_twin>::value)
        : base(move_tag{}, other) {}
    // Initializer-list constructors of its own: g++ deduces from a braced list only through
    // a class's own (not an inherited) initializer-list constructor.
    tracked_ordered_map(std::initializer_list<value_type> list, const key_compare& comp = key_compare(),
                        const allocator_type& a = allocator_type(), source_site site = source_site::current())
        : base(site, {}, list, comp, alloc{a}) {}
    tracked_ordered_map(std::initializer_list<value_type> list, const allocator_type& a,
                        source_site site = source_site::current())
        : base(site, {}, list, key_compare(), alloc{a}) {}

    tracked_ordered_map& operator=(const tracked_ordered_map& other) {
        base::operator=(other);
        return *this;
    }
    tracked_ordered_map& operator=(tracked_ordered_map&& other) noexcept(std::is_nothrow_move_assignable<std_twin>::value) {
        base::operator=(std::move(other));
        return *this;
    }
    // From the std type this one replaces: its elements are copied in (see README, "Where code
    // expects the std type").
    explicit tracked_ordered_map(const std_twin& other, source_site site = source_site::current())
        : base(site, {}, alloc{other.get_allocator()}) {
        this->assign_from(other);
    }
    tracked_ordered_map& operator=(const std_twin& other) {
        this->assign_from(other);
        return *this;
    }
    tracked_ordered_map& operator=(std::initializer_list<value_type> list) {
        this->assign_list(list);
        return *this;
    }

};

template <class Key, class T, class Compare = std::less<Key>, class Allocator = std::allocator<std::pair<const Key, T>>>
class tracked_ordered_multimap
    : public detail::ordered_base<
          tracked_ordered_multimap<Key, T, Compare, Allocator>,
          std::multimap<Key, T, Compare, detail::charging_allocator<std::pair<const Key, T>, Allocator>>> {
    using base = detail::ordered_base<
        tracked_ordered_multimap,
        std::multimap<Key, T, Compare, detail::charging_allocator<std::pair<const Key, T>, Allocator>>>;
    using std_twin = std::multimap<Key, T, Compare, Allocator>;  // the std type this one replaces
    using alloc = detail::upstream_arg<Allocator>;
    using move_tag = typename base::move_tag;

public:
    // The std type this one replaces (same arguments, the std allocator).
    using twin_type = std_twin;
    using mapped_type = T;
    using typename base::allocator_type;
    using typename base::key_compare;
    using typename base::value_type;

    static const std::string& tracked_type_name() {
        static const std::string* const name =
            new std::string(detail::compose_type_name<Key, T>("tracked_ordered_multimap"));
        return *name;
    }

    using base::base;  // the shared constructors (ordered_base)
    tracked_ordered_multimap(source_site site = source_site::current()) noexcept(std::is_nothrow_default_constructible<std_twin>::value)
        : base(site, {}, alloc{Allocator()}) {}
    tracked_ordered_multimap(const tracked_ordered_multimap& other, source_site site = source_site::current())
        : base(site, {}, other.inner_, alloc{base::copy_upstream(other)}) {}
    tracked_ordered_multimap(tracked_ordered_multimap&& other) noexcept(std::is_nothrow_move_constructible<std_twin>::value)
        : base(move_tag{}, other) {}
    // Initializer-list constructors of its own: g++ deduces from a braced list only through
    // a class's own (not an inherited) initializer-list constructor.
    tracked_ordered_multimap(std::initializer_list<value_type> list, const key_compare& comp = key_compare(),
                             const allocator_type& a = allocator_type(), source_site site = source_site::current())
        : base(site, {}, list, comp, alloc{a}) {}
    tracked_ordered_multimap(std::initializer_list<value_type> list, const allocator_type& a,
                             source_site site = source_site::current())
        : base(site, {}, list, key_compare(), alloc{a}) {}

    tracked_ordered_multimap& operator=(const tracked_ordered_multimap& other) {
        base::operator=(other);
        return *this;
    }
    tracked_ordered_multimap& operator=(tracked_ordered_multimap&& other) noexcept(std::is_nothrow_move_assignable<std_twin>::value) {
        base::operator=(std::move(other));
        return *this;
    }
    // From the std type this one replaces: its elements are copied in (see README, "Where code
    // expects the std type").
    explicit tracked_ordered_multimap(const std_twin& other, source_site site = source_site::current())
        : base(site, {}, alloc{other.get_allocator()}) {
        this->assign_from(other);
    }
    tracked_ordered_multimap& operator=(const std_twin& other) {
        this->assign_from(other);
        return *this;
    }
    tracked_ordered_multimap& operator=(std::initializer_list<value_type> list) {
        this->assign_list(list);
        return *this;
    }

};

template <class Key, class Compare = std::less<Key>, class Allocator = std::allocator<Key>>
class tracked_ordered_set
    : public detail::ordered_base<tracked_ordered_set<Key, Compare, Allocator>,
                                  std::set<Key, Compare, detail::charging_allocator<Key, Allocator>>> {
    using base =
        detail::ordered_base<tracked_ordered_set, std::set<Key, Compare, detail::charging_allocator<Key, Allocator>>>;
    using std_twin = std::set<Key, Compare, Allocator>;  // the std type this one replaces
    using alloc = detail::upstream_arg<Allocator>;
    using move_tag = typename base::move_tag;

public:
    // The std type this one replaces (same arguments, the std allocator).
    using twin_type = std_twin;
    using typename base::allocator_type;
    using typename base::key_compare;
    using typename base::value_type;

    static const std::string& tracked_type_name() {
        static const std::string* const name = new std::string(detail::compose_type_name<Key>("tracked_ordered_set"));
        return *name;
    }

    using base::base;  // the shared constructors (ordered_base)
    tracked_ordered_set(source_site site = source_site::current()) noexcept(std::is_nothrow_default_constructible<std_twin>::value)
        : base(site, {}, alloc{Allocator()}) {}
    tracked_ordered_set(const tracked_ordered_set& other, source_site site = source_site::current())
        : base(site, {}, other.inner_, alloc{base::copy_upstream(other)}) {}
    tracked_ordered_set(tracked_ordered_set&& other) noexcept(std::is_nothrow_move_constructible<std_twin>::value)
        : base(move_tag{}, other) {}
    // Initializer-list constructors of its own: g++ deduces from a braced list only through
    // a class's own (not an inherited) initializer-list constructor.
    tracked_ordered_set(std::initializer_list<value_type> list, const key_compare& comp = key_compare(),
                        const allocator_type& a = allocator_type(), source_site site = source_site::current())
        : base(site, {}, list, comp, alloc{a}) {}
    tracked_ordered_set(std::initializer_list<value_type> list, const allocator_type& a,
                        source_site site = source_site::current())
        : base(site, {}, list, key_compare(), alloc{a}) {}

    tracked_ordered_set& operator=(const tracked_ordered_set& other) {
        base::operator=(other);
        return *this;
    }
    tracked_ordered_set& operator=(tracked_ordered_set&& other) noexcept(std::is_nothrow_move_assignable<std_twin>::value) {
        base::operator=(std::move(other));
        return *this;
    }
    // From the std type this one replaces: its elements are copied in (see README, "Where code
    // expects the std type").
    explicit tracked_ordered_set(const std_twin& other, source_site site = source_site::current())
        : base(site, {}, alloc{other.get_allocator()}) {
        this->assign_from(other);
    }
    tracked_ordered_set& operator=(const std_twin& other) {
        this->assign_from(other);
        return *this;
    }
    tracked_ordered_set& operator=(std::initializer_list<value_type> list) {
        this->assign_list(list);
        return *this;
    }

};

template <class Key, class Compare = std::less<Key>, class Allocator = std::allocator<Key>>
class tracked_ordered_multiset
    : public detail::ordered_base<tracked_ordered_multiset<Key, Compare, Allocator>,
                                  std::multiset<Key, Compare, detail::charging_allocator<Key, Allocator>>> {
    using base = detail::ordered_base<tracked_ordered_multiset,
                                      std::multiset<Key, Compare, detail::charging_allocator<Key, Allocator>>>;
    using std_twin = std::multiset<Key, Compare, Allocator>;  // the std type this one replaces
    using alloc = detail::upstream_arg<Allocator>;
    using move_tag = typename base::move_tag;

public:
    // The std type this one replaces (same arguments, the std allocator).
    using twin_type = std_twin;
    using typename base::allocator_type;
    using typename base::key_compare;
    using typename base::value_type;

    static const std::string& tracked_type_name() {
        static const std::string* const name =
            new std::string(detail::compose_type_name<Key>("tracked_ordered_multiset"));
        return *name;
    }

    using base::base;  // the shared constructors (ordered_base)
    tracked_ordered_multiset(source_site site = source_site::current()) noexcept(std::is_nothrow_default_constructible<std_twin>::value)
        : base(site, {}, alloc{Allocator()}) {}
    tracked_ordered_multiset(const tracked_ordered_multiset& other, source_site site = source_site::current())
        : base(site, {}, other.inner_, alloc{base::copy_upstream(other)}) {}
    tracked_ordered_multiset(tracked_ordered_multiset&& other) noexcept(std::is_nothrow_move_constructible<std_twin>::value)
        : base(move_tag{}, other) {}
    // Initializer-list constructors of its own: g++ deduces from a braced list only through
    // a class's own (not an inherited) initializer-list constructor.
    tracked_ordered_multiset(std::initializer_list<value_type> list, const key_compare& comp = key_compare(),
                             const allocator_type& a = allocator_type(), source_site site = source_site::current())
        : base(site, {}, list, comp, alloc{a}) {}
    tracked_ordered_multiset(std::initializer_list<value_type> list, const allocator_type& a,
                             source_site site = source_site::current())
        : base(site, {}, list, key_compare(), alloc{a}) {}

    tracked_ordered_multiset& operator=(const tracked_ordered_multiset& other) {
        base::operator=(other);
        return *this;
    }
    tracked_ordered_multiset& operator=(tracked_ordered_multiset&& other) noexcept(std::is_nothrow_move_assignable<std_twin>::value) {
        base::operator=(std::move(other));
        return *this;
    }
    // From the std type this one replaces: its elements are copied in (see README, "Where code
    // expects the std type").
    explicit tracked_ordered_multiset(const std_twin& other, source_site site = source_site::current())
        : base(site, {}, alloc{other.get_allocator()}) {
        this->assign_from(other);
    }
    tracked_ordered_multiset& operator=(const std_twin& other) {
        this->assign_from(other);
        return *this;
    }
    tracked_ordered_multiset& operator=(std::initializer_list<value_type> list) {
        this->assign_list(list);
        return *this;
    }

};

// --- deduction guides: the std ones, and the same with a leading label -----------------------

template <class InputIt, class Compare = std::less<detail::ordered_iter_key_t<InputIt>>,
          class Allocator = std::allocator<detail::ordered_iter_pair_t<InputIt>>,
          detail::require_input_iterator<InputIt> = 0, detail::require_not_allocator<Compare> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_ordered_map(InputIt, InputIt, Compare = Compare(), Allocator = Allocator())
    -> tracked_ordered_map<detail::ordered_iter_key_t<InputIt>, detail::ordered_iter_mapped_t<InputIt>, Compare,
                           Allocator>;
template <class Key, class T, class Compare = std::less<Key>, class Allocator = std::allocator<std::pair<const Key, T>>,
          detail::require_not_allocator<Compare> = 0, detail::require_allocator<Allocator> = 0>
tracked_ordered_map(std::initializer_list<std::pair<Key, T>>, Compare = Compare(), Allocator = Allocator())
    -> tracked_ordered_map<Key, T, Compare, Allocator>;
template <class InputIt, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_ordered_map(InputIt, InputIt, Allocator)
    -> tracked_ordered_map<detail::ordered_iter_key_t<InputIt>, detail::ordered_iter_mapped_t<InputIt>,
                           std::less<detail::ordered_iter_key_t<InputIt>>, Allocator>;
template <class Key, class T, class Allocator, detail::require_allocator<Allocator> = 0>
tracked_ordered_map(std::initializer_list<std::pair<Key, T>>, Allocator)
    -> tracked_ordered_map<Key, T, std::less<Key>, Allocator>;
template <class InputIt, class Compare = std::less<detail::ordered_iter_key_t<InputIt>>,
          class Allocator = std::allocator<detail::ordered_iter_pair_t<InputIt>>,
          detail::require_input_iterator<InputIt> = 0, detail::require_not_allocator<Compare> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_ordered_map(const leakwatch::label&, InputIt, InputIt, Compare = Compare(), Allocator = Allocator())
    -> tracked_ordered_map<detail::ordered_iter_key_t<InputIt>, detail::ordered_iter_mapped_t<InputIt>, Compare,
                           Allocator>;
template <class Key, class T, class Compare = std::less<Key>, class Allocator = std::allocator<std::pair<const Key, T>>,
          detail::require_not_allocator<Compare> = 0, detail::require_allocator<Allocator> = 0>
tracked_ordered_map(const leakwatch::label&, std::initializer_list<std::pair<Key, T>>, Compare = Compare(),
                    Allocator = Allocator()) -> tracked_ordered_map<Key, T, Compare, Allocator>;
template <class InputIt, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_ordered_map(const leakwatch::label&, InputIt, InputIt, Allocator)
    -> tracked_ordered_map<detail::ordered_iter_key_t<InputIt>, detail::ordered_iter_mapped_t<InputIt>,
                           std::less<detail::ordered_iter_key_t<InputIt>>, Allocator>;
template <class Key, class T, class Allocator, detail::require_allocator<Allocator> = 0>
tracked_ordered_map(const leakwatch::label&, std::initializer_list<std::pair<Key, T>>, Allocator)
    -> tracked_ordered_map<Key, T, std::less<Key>, Allocator>;

template <class InputIt, class Compare = std::less<detail::ordered_iter_key_t<InputIt>>,
          class Allocator = std::allocator<detail::ordered_iter_pair_t<InputIt>>,
          detail::require_input_iterator<InputIt> = 0, detail::require_not_allocator<Compare> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_ordered_multimap(InputIt, InputIt, Compare = Compare(), Allocator = Allocator())
    -> tracked_ordered_multimap<detail::ordered_iter_key_t<InputIt>, detail::ordered_iter_mapped_t<InputIt>, Compare,
                                Allocator>;
template <class Key, class T, class Compare = std::less<Key>, class Allocator = std::allocator<std::pair<const Key, T>>,
          detail::require_not_allocator<Compare> = 0, detail::require_allocator<Allocator> = 0>
tracked_ordered_multimap(std::initializer_list<std::pair<Key, T>>, Compare = Compare(), Allocator = Allocator())
    -> tracked_ordered_multimap<Key, T, Compare, Allocator>;
template <class InputIt, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_ordered_multimap(InputIt, InputIt, Allocator)
    -> tracked_ordered_multimap<detail::ordered_iter_key_t<InputIt>, detail::ordered_iter_mapped_t<InputIt>,
                                std::less<detail::ordered_iter_key_t<InputIt>>, Allocator>;
template <class Key, class T, class Allocator, detail::require_allocator<Allocator> = 0>
tracked_ordered_multimap(std::initializer_list<std::pair<Key, T>>, Allocator)
    -> tracked_ordered_multimap<Key, T, std::less<Key>, Allocator>;
template <class InputIt, class Compare = std::less<detail::ordered_iter_key_t<InputIt>>,
          class Allocator = std::allocator<detail::ordered_iter_pair_t<InputIt>>,
          detail::require_input_iterator<InputIt> = 0, detail::require_not_allocator<Compare> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_ordered_multimap(const leakwatch::label&, InputIt, InputIt, Compare = Compare(), Allocator = Allocator())
    -> tracked_ordered_multimap<detail::ordered_iter_key_t<InputIt>, detail::ordered_iter_mapped_t<InputIt>, Compare,
                                Allocator>;
template <class Key, class T, class Compare = std::less<Key>, class Allocator = std::allocator<std::pair<const Key, T>>,
          detail::require_not_allocator<Compare> = 0, detail::require_allocator<Allocator> = 0>
tracked_ordered_multimap(const leakwatch::label&, std::initializer_list<std::pair<Key, T>>, Compare = Compare(),
                         Allocator = Allocator()) -> tracked_ordered_multimap<Key, T, Compare, Allocator>;
template <class InputIt, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_ordered_multimap(const leakwatch::label&, InputIt, InputIt, Allocator)
    -> tracked_ordered_multimap<detail::ordered_iter_key_t<InputIt>, detail::ordered_iter_mapped_t<InputIt>,
                                std::less<detail::ordered_iter_key_t<InputIt>>, Allocator>;
template <class Key, class T, class Allocator, detail::require_allocator<Allocator> = 0>
tracked_ordered_multimap(const leakwatch::label&, std::initializer_list<std::pair<Key, T>>, Allocator)
    -> tracked_ordered_multimap<Key, T, std::less<Key>, Allocator>;

template <class InputIt, class Compare = std::less<detail::ordered_iter_value_t<InputIt>>,
          class Allocator = std::allocator<detail::ordered_iter_value_t<InputIt>>,
          detail::require_input_iterator<InputIt> = 0, detail::require_not_allocator<Compare> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_ordered_set(InputIt, InputIt, Compare = Compare(), Allocator = Allocator())
    -> tracked_ordered_set<detail::ordered_iter_value_t<InputIt>, Compare, Allocator>;
template <class Key, class Compare = std::less<Key>, class Allocator = std::allocator<Key>,
          detail::require_not_allocator<Compare> = 0, detail::require_allocator<Allocator> = 0>
tracked_ordered_set(std::initializer_list<Key>, Compare = Compare(), Allocator = Allocator())
    -> tracked_ordered_set<Key, Compare, Allocator>;
template <class InputIt, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_ordered_set(InputIt, InputIt, Allocator)
    -> tracked_ordered_set<detail::ordered_iter_value_t<InputIt>, std::less<detail::ordered_iter_value_t<InputIt>>,
                           Allocator>;
template <class Key, class Allocator, detail::require_allocator<Allocator> = 0>
tracked_ordered_set(std::initializer_list<Key>, Allocator) -> tracked_ordered_set<Key, std::less<Key>, Allocator>;
template <class InputIt, class Compare = std::less<detail::ordered_iter_value_t<InputIt>>,
          class Allocator = std::allocator<detail::ordered_iter_value_t<InputIt>>,
          detail::require_input_iterator<InputIt> = 0, detail::require_not_allocator<Compare> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_ordered_set(const leakwatch::label&, InputIt, InputIt, Compare = Compare(), Allocator = Allocator())
    -> tracked_ordered_set<detail::ordered_iter_value_t<InputIt>, Compare, Allocator>;
template <class Key, class Compare = std::less<Key>, class Allocator = std::allocator<Key>,
          detail::require_not_allocator<Compare> = 0, detail::require_allocator<Allocator> = 0>
tracked_ordered_set(const leakwatch::label&, std::initializer_list<Key>, Compare = Compare(), Allocator = Allocator())
    -> tracked_ordered_set<Key, Compare, Allocator>;
template <class InputIt, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_ordered_set(const leakwatch::label&, InputIt, InputIt, Allocator)
    -> tracked_ordered_set<detail::ordered_iter_value_t<InputIt>, std::less<detail::ordered_iter_value_t<InputIt>>,
                           Allocator>;
template <class Key, class Allocator, detail::require_allocator<Allocator> = 0>
tracked_ordered_set(const leakwatch::label&, std::initializer_list<Key>, Allocator)
    -> tracked_ordered_set<Key, std::less<Key>, Allocator>;

template <class InputIt, class Compare = std::less<detail::ordered_iter_value_t<InputIt>>,
          class Allocator = std::allocator<detail::ordered_iter_value_t<InputIt>>,
          detail::require_input_iterator<InputIt> = 0, detail::require_not_allocator<Compare> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_ordered_multiset(InputIt, InputIt, Compare = Compare(), Allocator = Allocator())
    -> tracked_ordered_multiset<detail::ordered_iter_value_t<InputIt>, Compare, Allocator>;
template <class Key, class Compare = std::less<Key>, class Allocator = std::allocator<Key>,
          detail::require_not_allocator<Compare> = 0, detail::require_allocator<Allocator> = 0>
tracked_ordered_multiset(std::initializer_list<Key>, Compare = Compare(), Allocator = Allocator())
    -> tracked_ordered_multiset<Key, Compare, Allocator>;
template <class InputIt, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_ordered_multiset(InputIt, InputIt, Allocator)
    -> tracked_ordered_multiset<detail::ordered_iter_value_t<InputIt>,
                                std::less<detail::ordered_iter_value_t<InputIt>>, Allocator>;
template <class Key, class Allocator, detail::require_allocator<Allocator> = 0>
tracked_ordered_multiset(std::initializer_list<Key>, Allocator)
    -> tracked_ordered_multiset<Key, std::less<Key>, Allocator>;
template <class InputIt, class Compare = std::less<detail::ordered_iter_value_t<InputIt>>,
          class Allocator = std::allocator<detail::ordered_iter_value_t<InputIt>>,
          detail::require_input_iterator<InputIt> = 0, detail::require_not_allocator<Compare> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_ordered_multiset(const leakwatch::label&, InputIt, InputIt, Compare = Compare(), Allocator = Allocator())
    -> tracked_ordered_multiset<detail::ordered_iter_value_t<InputIt>, Compare, Allocator>;
template <class Key, class Compare = std::less<Key>, class Allocator = std::allocator<Key>,
          detail::require_not_allocator<Compare> = 0, detail::require_allocator<Allocator> = 0>
tracked_ordered_multiset(const leakwatch::label&, std::initializer_list<Key>, Compare = Compare(),
                         Allocator = Allocator()) -> tracked_ordered_multiset<Key, Compare, Allocator>;
template <class InputIt, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_ordered_multiset(const leakwatch::label&, InputIt, InputIt, Allocator)
    -> tracked_ordered_multiset<detail::ordered_iter_value_t<InputIt>, std::less<detail::ordered_iter_value_t<InputIt>>,
                                Allocator>;
template <class Key, class Allocator, detail::require_allocator<Allocator> = 0>
tracked_ordered_multiset(const leakwatch::label&, std::initializer_list<Key>, Allocator)
    -> tracked_ordered_multiset<Key, std::less<Key>, Allocator>;

// The copy and move constructors with an allocator or a leading label are inherited from the
// family base, and implicit guides come only from a class's own constructors: these deduce
// them as the std twin's implicit guides do (`tracked_vector b(a, alloc)`).
template <class K, class T, class C, class A>
tracked_ordered_map(const tracked_ordered_map<K, T, C, A>&, const typename tracked_ordered_map<K, T, C, A>::allocator_type&) -> tracked_ordered_map<K, T, C, A>;
template <class K, class T, class C, class A>
tracked_ordered_map(tracked_ordered_map<K, T, C, A>&&, const typename tracked_ordered_map<K, T, C, A>::allocator_type&) -> tracked_ordered_map<K, T, C, A>;
template <class K, class T, class C, class A>
tracked_ordered_map(const leakwatch::label&, const tracked_ordered_map<K, T, C, A>&) -> tracked_ordered_map<K, T, C, A>;
template <class K, class T, class C, class A>
tracked_ordered_map(const leakwatch::label&, const tracked_ordered_map<K, T, C, A>&, const typename tracked_ordered_map<K, T, C, A>::allocator_type&) -> tracked_ordered_map<K, T, C, A>;
template <class K, class T, class C, class A>
tracked_ordered_map(const leakwatch::label&, tracked_ordered_map<K, T, C, A>&&) -> tracked_ordered_map<K, T, C, A>;
template <class K, class T, class C, class A>
tracked_ordered_map(const leakwatch::label&, tracked_ordered_map<K, T, C, A>&&, const typename tracked_ordered_map<K, T, C, A>::allocator_type&) -> tracked_ordered_map<K, T, C, A>;
template <class K, class T, class C, class A>
tracked_ordered_multimap(const tracked_ordered_multimap<K, T, C, A>&, const typename tracked_ordered_multimap<K, T, C, A>::allocator_type&) -> tracked_ordered_multimap<K, T, C, A>;
template <class K, class T, class C, class A>
tracked_ordered_multimap(tracked_ordered_multimap<K, T, C, A>&&, const typename tracked_ordered_multimap<K, T, C, A>::allocator_type&) -> tracked_ordered_multimap<K, T, C, A>;
template <class K, class T, class C, class A>
tracked_ordered_multimap(const leakwatch::label&, const tracked_ordered_multimap<K, T, C, A>&) -> tracked_ordered_multimap<K, T, C, A>;
template <class K, class T, class C, class A>
tracked_ordered_multimap(const leakwatch::label&, const tracked_ordered_multimap<K, T, C, A>&, const typename tracked_ordered_multimap<K, T, C, A>::allocator_type&) -> tracked_ordered_multimap<K, T, C, A>;
template <class K, class T, class C, class A>
tracked_ordered_multimap(const leakwatch::label&, tracked_ordered_multimap<K, T, C, A>&&) -> tracked_ordered_multimap<K, T, C, A>;
template <class K, class T, class C, class A>
tracked_ordered_multimap(const leakwatch::label&, tracked_ordered_multimap<K, T, C, A>&&, const typename tracked_ordered_multimap<K, T, C, A>::allocator_type&) -> tracked_ordered_multimap<K, T, C, A>;
template <class K, class C, class A>
tracked_ordered_set(const tracked_ordered_set<K, C, A>&, const typename tracked_ordered_set<K, C, A>::allocator_type&) -> tracked_ordered_set<K, C, A>;
template <class K, class C, class A>
tracked_ordered_set(tracked_ordered_set<K, C, A>&&, const typename tracked_ordered_set<K, C, A>::allocator_type&) -> tracked_ordered_set<K, C, A>;
template <class K, class C, class A>
tracked_ordered_set(const leakwatch::label&, const tracked_ordered_set<K, C, A>&) -> tracked_ordered_set<K, C, A>;
template <class K, class C, class A>
tracked_ordered_set(const leakwatch::label&, const tracked_ordered_set<K, C, A>&, const typename tracked_ordered_set<K, C, A>::allocator_type&) -> tracked_ordered_set<K, C, A>;
template <class K, class C, class A>
tracked_ordered_set(const leakwatch::label&, tracked_ordered_set<K, C, A>&&) -> tracked_ordered_set<K, C, A>;
template <class K, class C, class A>
tracked_ordered_set(const leakwatch::label&, tracked_ordered_set<K, C, A>&&, const typename tracked_ordered_set<K, C, A>::allocator_type&) -> tracked_ordered_set<K, C, A>;
template <class K, class C, class A>
tracked_ordered_multiset(const tracked_ordered_multiset<K, C, A>&, const typename tracked_ordered_multiset<K, C, A>::allocator_type&) -> tracked_ordered_multiset<K, C, A>;
template <class K, class C, class A>
tracked_ordered_multiset(tracked_ordered_multiset<K, C, A>&&, const typename tracked_ordered_multiset<K, C, A>::allocator_type&) -> tracked_ordered_multiset<K, C, A>;
template <class K, class C, class A>
tracked_ordered_multiset(const leakwatch::label&, const tracked_ordered_multiset<K, C, A>&) -> tracked_ordered_multiset<K, C, A>;
template <class K, class C, class A>
tracked_ordered_multiset(const leakwatch::label&, const tracked_ordered_multiset<K, C, A>&, const typename tracked_ordered_multiset<K, C, A>::allocator_type&) -> tracked_ordered_multiset<K, C, A>;
template <class K, class C, class A>
tracked_ordered_multiset(const leakwatch::label&, tracked_ordered_multiset<K, C, A>&&) -> tracked_ordered_multiset<K, C, A>;
template <class K, class C, class A>
tracked_ordered_multiset(const leakwatch::label&, tracked_ordered_multiset<K, C, A>&&, const typename tracked_ordered_multiset<K, C, A>::allocator_type&) -> tracked_ordered_multiset<K, C, A>;

#else  // LEAKWATCH_DISABLE

template <class Key, class T, class Compare = std::less<Key>, class Allocator = std::allocator<std::pair<const Key, T>>>
using tracked_ordered_map = std::map<Key, T, Compare, Allocator>;
template <class Key, class T, class Compare = std::less<Key>, class Allocator = std::allocator<std::pair<const Key, T>>>
using tracked_ordered_multimap = std::multimap<Key, T, Compare, Allocator>;
template <class Key, class Compare = std::less<Key>, class Allocator = std::allocator<Key>>
using tracked_ordered_set = std::set<Key, Compare, Allocator>;
template <class Key, class Compare = std::less<Key>, class Allocator = std::allocator<Key>>
using tracked_ordered_multiset = std::multiset<Key, Compare, Allocator>;

#endif

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
