// leakwatch/containers/unordered.hpp — tracked twins of the std unordered containers.
//
// One family base forwards the whole unordered interface (the members that exist only for
// maps, or only for unique keys, are enabled by the std container's own types) and holds the
// constructors, which the four public class templates inherit; each spells out only its
// default, copy and move constructors (which cannot be inherited) and its initializer-list
// ones (which g++ needs of the class itself to deduce from a braced list). Every constructor takes
// the caller's file and line as a default argument, evaluated where the twin is constructed.
#pragma once

#include <leakwatch/config.hpp>
#if !defined(LEAKWATCH_DISABLE)
#include <leakwatch/containers/core.hpp>
#endif

#include <functional>
#include <initializer_list>
#include <iterator>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

#if !defined(LEAKWATCH_DISABLE)

namespace detail {

// Key/value extraction and the hash constraint for the deduction guides (the other
// constraints are in core.hpp). A hash is never an integer (a bucket count) nor an allocator.
template <class It>
using unordered_iter_value_t = typename std::iterator_traits<It>::value_type;
template <class It>
using unordered_iter_key_t = std::remove_const_t<typename unordered_iter_value_t<It>::first_type>;
template <class It>
using unordered_iter_mapped_t = typename unordered_iter_value_t<It>::second_type;
template <class It>
using unordered_iter_pair_t = std::pair<const unordered_iter_key_t<It>, unordered_iter_mapped_t<It>>;
template <class H>
using require_hash = std::enable_if_t<!std::is_integral<H>::value && !is_allocator<H>::value, int>;
// The bucket-count parameter of the guides (the std guides name unordered_map<int, int>'s).
using unordered_size_t = std::unordered_map<int, int>::size_type;

template <class Derived, class Std>
class unordered_base : public tracked_core<Derived, Std> {
    using core = tracked_core<Derived, Std>;

protected:
    using core::core;
    using core::inner_;
    using core::mutate;
    using core::note_read;
    using core::reshape;

    static constexpr bool is_map = has_mapped_type<Std>::value;
    static constexpr bool is_unique = has_insert_return_type<Std>::value;
    using move_tag = typename core::move_tag;
    using typename core::alloc_arg;
    using core::copy_upstream;

public:
    using key_type = typename Std::key_type;
    using hasher = typename Std::hasher;
    using key_equal = typename Std::key_equal;
    using local_iterator = typename Std::local_iterator;
    using const_local_iterator = typename Std::const_local_iterator;
    using node_type = node_handle<typename Std::node_type>;
    using typename core::const_iterator;
    using typename core::iterator;
    using typename core::size_type;
    using typename core::value_type;
    using typename core::allocator_type;
    using insert_return_type = insert_return<iterator, node_type>;

    // --- constructors -----------------------------------------------------------------------
    // Every constructor of the four unordered twins but the default, copy and move ones (which a
    // class cannot inherit) and the initializer-list ones (see the twins): each twin
    // inherits these, and the default argument source_site::current() of an inherited
    // constructor names the line that constructs the twin, with g++ and clang++ alike.
    explicit unordered_base(size_type n, const hasher& hf = hasher(), const key_equal& eq = key_equal(),
                            const allocator_type& a = allocator_type(), source_site site = source_site::current())
        : core(site, {}, n, hf, eq, alloc_arg{a}) {}
    unordered_base(size_type n, const allocator_type& a, source_site site = source_site::current())
        : core(site, {}, n, hasher(), key_equal(), alloc_arg{a}) {}
    unordered_base(size_type n, const hasher& hf, const allocator_type& a,
                   source_site site = source_site::current())
        : core(site, {}, n, hf, key_equal(), alloc_arg{a}) {}
    explicit unordered_base(const allocator_type& a, source_site site = source_site::current())
        : core(site, {}, alloc_arg{a}) {}
    template <class InputIt>
    unordered_base(InputIt first, InputIt last, size_type n = 0, const hasher& hf = hasher(),
                   const key_equal& eq = key_equal(), const allocator_type& a = allocator_type(),
                   source_site site = source_site::current())
        : core(site, {}, first, last, n, hf, eq, alloc_arg{a}) {}
    template <class InputIt>
    unordered_base(InputIt first, InputIt last, size_type n, const allocator_type& a,
                   source_site site = source_site::current())
        : core(site, {}, first, last, n, hasher(), key_equal(), alloc_arg{a}) {}
    template <class InputIt>
    unordered_base(InputIt first, InputIt last, size_type n, const hasher& hf, const allocator_type& a,
                   source_site site = source_site::current())
        : core(site, {}, first, last, n, hf, key_equal(), alloc_arg{a}) {}
    unordered_base(const Derived& other, const allocator_type& a,
                   source_site site = source_site::current())
        : core(site, {}, other.inner_, alloc_arg{a}) {}
    unordered_base(Derived&& other, const allocator_type& a,
                   source_site site = source_site::current())
        : core(site, {}, move_tag{}, other, a) {}
    // The same constructors with a leading label (the label carries its own site).
    explicit unordered_base(const leakwatch::label& l) : core(l.site(), l.name(), alloc_arg{allocator_type()}) {}
    unordered_base(const leakwatch::label& l, size_type n, const hasher& hf = hasher(),
                   const key_equal& eq = key_equal(), const allocator_type& a = allocator_type())
        : core(l.site(), l.name(), n, hf, eq, alloc_arg{a}) {}
    unordered_base(const leakwatch::label& l, size_type n, const allocator_type& a)
        : core(l.site(), l.name(), n, hasher(), key_equal(), alloc_arg{a}) {}
    unordered_base(const leakwatch::label& l, size_type n, const hasher& hf, const allocator_type& a)
        : core(l.site(), l.name(), n, hf, key_equal(), alloc_arg{a}) {}
    unordered_base(const leakwatch::label& l, const allocator_type& a) : core(l.site(), l.name(), alloc_arg{a}) {}
    template <class InputIt>
    unordered_base(const leakwatch::label& l, InputIt first, InputIt last, size_type n = 0,
                   const hasher& hf = hasher(), const key_equal& eq = key_equal(),
                   const allocator_type& a = allocator_type())
        : core(l.site(), l.name(), first, last, n, hf, eq, alloc_arg{a}) {}
    template <class InputIt>
    unordered_base(const leakwatch::label& l, InputIt first, InputIt last, size_type n,
                   const allocator_type& a)
        : core(l.site(), l.name(), first, last, n, hasher(), key_equal(), alloc_arg{a}) {}
    template <class InputIt>
    unordered_base(const leakwatch::label& l, InputIt first, InputIt last, size_type n, const hasher& hf,
                   const allocator_type& a)
        : core(l.site(), l.name(), first, last, n, hf, key_equal(), alloc_arg{a}) {}
    unordered_base(const leakwatch::label& l, const Derived& other)
        : core(l.site(), l.name(), other.inner_, alloc_arg{copy_upstream(other)}) {}
    unordered_base(const leakwatch::label& l, const Derived& other, const allocator_type& a)
        : core(l.site(), l.name(), other.inner_, alloc_arg{a}) {}
    unordered_base(const leakwatch::label& l, Derived&& other)
        : core(l.site(), l.name(), move_tag{}, other) {}
    unordered_base(const leakwatch::label& l, Derived&& other, const allocator_type& a)
        : core(l.site(), l.name(), move_tag{}, other, a) {}
    unordered_base(const leakwatch::label& l, std::initializer_list<value_type> list, size_type n = 0,
                   const hasher& hf = hasher(), const key_equal& eq = key_equal(),
                   const allocator_type& a = allocator_type())
        : core(l.site(), l.name(), list, n, hf, eq, alloc_arg{a}) {}
    unordered_base(const leakwatch::label& l, std::initializer_list<value_type> list, size_type n,
                   const allocator_type& a)
        : core(l.site(), l.name(), list, n, hasher(), key_equal(), alloc_arg{a}) {}
    unordered_base(const leakwatch::label& l, std::initializer_list<value_type> list, size_type n,
                   const hasher& hf, const allocator_type& a)
        : core(l.site(), l.name(), list, n, hf, key_equal(), alloc_arg{a}) {}

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

    // Accepts any tracked unordered container whose std twin this one's std twin can merge
    // from (same key, value and allocator; any hash and equality; unique or multi).
    template <class Source, class S = std::remove_reference_t<Source>,
              class = decltype(std::declval<Std&>().merge(std::declval<typename S::std_type&>()))>
    void merge(Source&& source) {
        this->live_record();  // a moved-from target registers again first
        auto& other = core_access::inner(source);
        // Settled in a destructor: a throwing hash or equality can stop the merge half-way.
        struct settle {
            unordered_base& self;
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
    template <class S = Std, std::enable_if_t<has_mapped_type<S>::value && is_unique, int> = 0>
    typename S::mapped_type& at(const key_type& key) {
        note_read();
        return inner_.at(key);
    }
    template <class S = Std, std::enable_if_t<has_mapped_type<S>::value && is_unique, int> = 0>
    const typename S::mapped_type& at(const key_type& key) const {
        note_read();
        return inner_.at(key);
    }
    template <class S = Std, std::enable_if_t<has_mapped_type<S>::value && is_unique, int> = 0>
    typename S::mapped_type& operator[](const key_type& key) {
        // An insert as much as a lookup: it does not count as a read (staleness would
        // otherwise never show for a map filled with m[k] = v).
        return mutate([&](Std& s) -> typename S::mapped_type& { return s[key]; });
    }
    template <class S = Std, std::enable_if_t<has_mapped_type<S>::value && is_unique, int> = 0>
    typename S::mapped_type& operator[](key_type&& key) {
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
#if LEAKWATCH_CPP20
    bool contains(const key_type& key) const {
        note_read();
        return inner_.contains(key);
    }
#if defined(__cpp_lib_generic_unordered_lookup)
    // Heterogeneous lookup, when both the hash and the equality are transparent.
    template <class K, class S = Std, class = typename S::hasher::is_transparent,
              class = typename S::key_equal::is_transparent>
    size_type count(const K& key) const {
        note_read();
        return inner_.count(key);
    }
    template <class K, class S = Std, class = typename S::hasher::is_transparent,
              class = typename S::key_equal::is_transparent>
    iterator find(const K& key) {
        note_read();
        return inner_.find(key);
    }
    template <class K, class S = Std, class = typename S::hasher::is_transparent,
              class = typename S::key_equal::is_transparent>
    const_iterator find(const K& key) const {
        note_read();
        return inner_.find(key);
    }
    template <class K, class S = Std, class = typename S::hasher::is_transparent,
              class = typename S::key_equal::is_transparent>
    bool contains(const K& key) const {
        note_read();
        return inner_.contains(key);
    }
    template <class K, class S = Std, class = typename S::hasher::is_transparent,
              class = typename S::key_equal::is_transparent>
    std::pair<iterator, iterator> equal_range(const K& key) {
        note_read();
        return inner_.equal_range(key);
    }
    template <class K, class S = Std, class = typename S::hasher::is_transparent,
              class = typename S::key_equal::is_transparent>
    std::pair<const_iterator, const_iterator> equal_range(const K& key) const {
        note_read();
        return inner_.equal_range(key);
    }
#endif
#endif

    // --- buckets and hash policy ------------------------------------------------------------
    local_iterator begin(size_type n) {
        note_read();
        return inner_.begin(n);
    }
    const_local_iterator begin(size_type n) const {
        note_read();
        return inner_.begin(n);
    }
    const_local_iterator cbegin(size_type n) const {
        note_read();
        return inner_.cbegin(n);
    }
    local_iterator end(size_type n) { return inner_.end(n); }
    const_local_iterator end(size_type n) const { return inner_.end(n); }
    const_local_iterator cend(size_type n) const { return inner_.cend(n); }
    using core::begin;
    using core::cbegin;
    using core::cend;
    using core::end;

    size_type bucket_count() const noexcept { return inner_.bucket_count(); }
    size_type max_bucket_count() const noexcept { return inner_.max_bucket_count(); }
    size_type bucket_size(size_type n) const { return inner_.bucket_size(n); }
    size_type bucket(const key_type& key) const { return inner_.bucket(key); }

    float load_factor() const noexcept { return inner_.load_factor(); }
    float max_load_factor() const noexcept { return inner_.max_load_factor(); }
    void max_load_factor(float ml) {
        reshape([&](Std& s) { s.max_load_factor(ml); });
    }
    void rehash(size_type count) {
        reshape([&](Std& s) { s.rehash(count); });
    }
    void reserve(size_type count) {
        reshape([&](Std& s) { s.reserve(count); });
    }

    hasher hash_function() const { return inner_.hash_function(); }
    key_equal key_eq() const { return inner_.key_eq(); }

#if LEAKWATCH_CPP20
    // std::erase_if's twin, found by argument-dependent lookup: `erase_if(c, pred)`.
    template <class Pred>
    friend size_type erase_if(Derived& c, Pred pred) {
        return static_cast<unordered_base&>(c).mutate([&](Std& s) { return std::erase_if(s, pred); });
    }
#endif
};

}  // namespace detail

// ---------------------------------------------------------------------------------------------

template <class Key, class T, class Hash = std::hash<Key>, class KeyEqual = std::equal_to<Key>,
          class Allocator = std::allocator<std::pair<const Key, T>>>
class tracked_unordered_map
    : public detail::unordered_base<
          tracked_unordered_map<Key, T, Hash, KeyEqual, Allocator>,
          std::unordered_map<Key, T, Hash, KeyEqual, detail::charging_allocator<std::pair<const Key, T>, Allocator>>> {
    using base = detail::unordered_base<
        tracked_unordered_map,
        std::unordered_map<Key, T, Hash, KeyEqual, detail::charging_allocator<std::pair<const Key, T>, Allocator>>>;
    using std_twin = std::unordered_map<Key, T, Hash, KeyEqual, Allocator>;  // the std type this one replaces
    using alloc = detail::upstream_arg<Allocator>;
    using move_tag = typename base::move_tag;

public:
    // The std type this one replaces (same arguments, the std allocator).
    using twin_type = std_twin;
    using mapped_type = T;
    using typename base::allocator_type;
    using typename base::hasher;
    using typename base::key_equal;
    using typename base::size_type;
    using typename base::value_type;

    static const std::string& tracked_type_name() {
        static const std::string* const name = new std::string(detail::compose_type_name<Key, T>("tracked_map"));
        return *name;
    }

    using base::base;  // the shared constructors (unordered_base)
    tracked_unordered_map(source_site site = source_site::current()) noexcept(std::is_nothrow_default_constructible<std_twin>::value)
        : base(site, {}, alloc{Allocator()}) {}
    tracked_unordered_map(const tracked_unordered_map& other, source_site site = source_site::current())
        : base(site, {}, other.inner_, alloc{base::copy_upstream(other)}) {}
    tracked_unordered_map(tracked_unordered_map&& other) noexcept(std::is_nothrow_move_constructible<std_twin>::value)
        : base(move_tag{}, other) {}
    // Initializer-list constructors of its own: g++ deduces from a braced list only through
    // a class's own (not an inherited) initializer-list constructor.
    tracked_unordered_map(std::initializer_list<value_type> list, size_type n = 0, const hasher& hf = hasher(),
                          const key_equal& eq = key_equal(), const allocator_type& a = allocator_type(),
                          source_site site = source_site::current())
        : base(site, {}, list, n, hf, eq, alloc{a}) {}
    tracked_unordered_map(std::initializer_list<value_type> list, size_type n, const hasher& hf,
                          const allocator_type& a, source_site site = source_site::current())
        : base(site, {}, list, n, hf, key_equal(), alloc{a}) {}
    tracked_unordered_map(std::initializer_list<value_type> list, size_type n, const allocator_type& a,
                          source_site site = source_site::current())
        : base(site, {}, list, n, hasher(), key_equal(), alloc{a}) {}

    tracked_unordered_map& operator=(const tracked_unordered_map& other) {
        base::operator=(other);
        return *this;
    }
    tracked_unordered_map& operator=(tracked_unordered_map&& other) noexcept(std::is_nothrow_move_assignable<std_twin>::value) {
        base::operator=(std::move(other));
        return *this;
    }
    // From the std type this one replaces: its elements are copied in (see README, "Where code
    // expects the std type").
    explicit tracked_unordered_map(const std_twin& other, source_site site = source_site::current())
        : base(site, {}, alloc{other.get_allocator()}) {
        this->assign_from(other);
    }
    tracked_unordered_map& operator=(const std_twin& other) {
        this->assign_from(other);
        return *this;
    }
    tracked_unordered_map& operator=(std::initializer_list<value_type> list) {
        this->assign_list(list);
        return *this;
    }

};

template <class Key, class T, class Hash = std::hash<Key>, class KeyEqual = std::equal_to<Key>,
          class Allocator = std::allocator<std::pair<const Key, T>>>
using tracked_map = tracked_unordered_map<Key, T, Hash, KeyEqual, Allocator>;


template <class Key, class Hash = std::hash<Key>, class KeyEqual = std::equal_to<Key>, class Allocator = std::allocator<Key>>
class tracked_unordered_set
    : public detail::unordered_base<
          tracked_unordered_set<Key, Hash, KeyEqual, Allocator>,
          std::unordered_set<Key, Hash, KeyEqual, detail::charging_allocator<Key, Allocator>>> {
    using base = detail::unordered_base<
        tracked_unordered_set,
        std::unordered_set<Key, Hash, KeyEqual, detail::charging_allocator<Key, Allocator>>>;
    using std_twin = std::unordered_set<Key, Hash, KeyEqual, Allocator>;  // the std type this one replaces
    using alloc = detail::upstream_arg<Allocator>;
    using move_tag = typename base::move_tag;

public:
    // The std type this one replaces (same arguments, the std allocator).
    using twin_type = std_twin;
    using typename base::allocator_type;
    using typename base::hasher;
    using typename base::key_equal;
    using typename base::size_type;
    using typename base::value_type;

    static const std::string& tracked_type_name() {
        static const std::string* const name = new std::string(detail::compose_type_name<Key>("tracked_unordered_set"));
        return *name;
    }

    using base::base;  // the shared constructors (unordered_base)
    tracked_unordered_set(source_site site = source_site::current()) noexcept(std::is_nothrow_default_constructible<std_twin>::value)
        : base(site, {}, alloc{Allocator()}) {}
    tracked_unordered_set(const tracked_unordered_set& other, source_site site = source_site::current())
        : base(site, {}, other.inner_, alloc{base::copy_upstream(other)}) {}
    tracked_unordered_set(tracked_unordered_set&& other) noexcept(std::is_nothrow_move_constructible<std_twin>::value)
        : base(move_tag{}, other) {}
    // Initializer-list constructors of its own: g++ deduces from a braced list only through
    // a class's own (not an inherited) initializer-list constructor.
    tracked_unordered_set(std::initializer_list<value_type> list, size_type n = 0, const hasher& hf = hasher(),
                          const key_equal& eq = key_equal(), const allocator_type& a = allocator_type(),
                          source_site site = source_site::current())
        : base(site, {}, list, n, hf, eq, alloc{a}) {}
    tracked_unordered_set(std::initializer_list<value_type> list, size_type n, const hasher& hf,
                          const allocator_type& a, source_site site = source_site::current())
        : base(site, {}, list, n, hf, key_equal(), alloc{a}) {}
    tracked_unordered_set(std::initializer_list<value_type> list, size_type n, const allocator_type& a,
                          source_site site = source_site::current())
        : base(site, {}, list, n, hasher(), key_equal(), alloc{a}) {}

    tracked_unordered_set& operator=(const tracked_unordered_set& other) {
        base::operator=(other);
        return *this;
    }
    tracked_unordered_set& operator=(tracked_unordered_set&& other) noexcept(std::is_nothrow_move_assignable<std_twin>::value) {
        base::operator=(std::move(other));
        return *this;
    }
    // From the std type this one replaces: its elements are copied in (see README, "Where code
    // expects the std type").
    explicit tracked_unordered_set(const std_twin& other, source_site site = source_site::current())
        : base(site, {}, alloc{other.get_allocator()}) {
        this->assign_from(other);
    }
    tracked_unordered_set& operator=(const std_twin& other) {
        this->assign_from(other);
        return *this;
    }
    tracked_unordered_set& operator=(std::initializer_list<value_type> list) {
        this->assign_list(list);
        return *this;
    }

};

template <class Key, class T, class Hash = std::hash<Key>, class KeyEqual = std::equal_to<Key>,
          class Allocator = std::allocator<std::pair<const Key, T>>>
class tracked_unordered_multimap
    : public detail::unordered_base<
          tracked_unordered_multimap<Key, T, Hash, KeyEqual, Allocator>,
          std::unordered_multimap<Key, T, Hash, KeyEqual, detail::charging_allocator<std::pair<const Key, T>, Allocator>>> {
    using base = detail::unordered_base<
        tracked_unordered_multimap,
        std::unordered_multimap<Key, T, Hash, KeyEqual, detail::charging_allocator<std::pair<const Key, T>, Allocator>>>;
    using std_twin = std::unordered_multimap<Key, T, Hash, KeyEqual, Allocator>;  // the std type this one replaces
    using alloc = detail::upstream_arg<Allocator>;
    using move_tag = typename base::move_tag;

public:
    // The std type this one replaces (same arguments, the std allocator).
    using twin_type = std_twin;
    using mapped_type = T;
    using typename base::allocator_type;
    using typename base::hasher;
    using typename base::key_equal;
    using typename base::size_type;
    using typename base::value_type;

    static const std::string& tracked_type_name() {
        static const std::string* const name = new std::string(detail::compose_type_name<Key, T>("tracked_unordered_multimap"));
        return *name;
    }

    using base::base;  // the shared constructors (unordered_base)
    tracked_unordered_multimap(source_site site = source_site::current()) noexcept(std::is_nothrow_default_constructible<std_twin>::value)
        : base(site, {}, alloc{Allocator()}) {}
    tracked_unordered_multimap(const tracked_unordered_multimap& other, source_site site = source_site::current())
        : base(site, {}, other.inner_, alloc{base::copy_upstream(other)}) {}
    tracked_unordered_multimap(tracked_unordered_multimap&& other) noexcept(std::is_nothrow_move_constructible<std_twin>::value)
        : base(move_tag{}, other) {}
    // Initializer-list constructors of its own: g++ deduces from a braced list only through
    // a class's own (not an inherited) initializer-list constructor.
    tracked_unordered_multimap(std::initializer_list<value_type> list, size_type n = 0, const hasher& hf = hasher(),
                               const key_equal& eq = key_equal(), const allocator_type& a = allocator_type(),
                               source_site site = source_site::current())
        : base(site, {}, list, n, hf, eq, alloc{a}) {}
    tracked_unordered_multimap(std::initializer_list<value_type> list, size_type n, const hasher& hf,
                               const allocator_type& a, source_site site = source_site::current())
        : base(site, {}, list, n, hf, key_equal(), alloc{a}) {}
    tracked_unordered_multimap(std::initializer_list<value_type> list, size_type n, const allocator_type& a,
                               source_site site = source_site::current())
        : base(site, {}, list, n, hasher(), key_equal(), alloc{a}) {}

    tracked_unordered_multimap& operator=(const tracked_unordered_multimap& other) {
        base::operator=(other);
        return *this;
    }
    tracked_unordered_multimap& operator=(tracked_unordered_multimap&& other) noexcept(std::is_nothrow_move_assignable<std_twin>::value) {
        base::operator=(std::move(other));
        return *this;
    }
    // From the std type this one replaces: its elements are copied in (see README, "Where code
    // expects the std type").
    explicit tracked_unordered_multimap(const std_twin& other, source_site site = source_site::current())
        : base(site, {}, alloc{other.get_allocator()}) {
        this->assign_from(other);
    }
    tracked_unordered_multimap& operator=(const std_twin& other) {
        this->assign_from(other);
        return *this;
    }
    tracked_unordered_multimap& operator=(std::initializer_list<value_type> list) {
        this->assign_list(list);
        return *this;
    }

};

template <class Key, class Hash = std::hash<Key>, class KeyEqual = std::equal_to<Key>, class Allocator = std::allocator<Key>>
class tracked_unordered_multiset
    : public detail::unordered_base<
          tracked_unordered_multiset<Key, Hash, KeyEqual, Allocator>,
          std::unordered_multiset<Key, Hash, KeyEqual, detail::charging_allocator<Key, Allocator>>> {
    using base = detail::unordered_base<
        tracked_unordered_multiset,
        std::unordered_multiset<Key, Hash, KeyEqual, detail::charging_allocator<Key, Allocator>>>;
    using std_twin = std::unordered_multiset<Key, Hash, KeyEqual, Allocator>;  // the std type this one replaces
    using alloc = detail::upstream_arg<Allocator>;
    using move_tag = typename base::move_tag;

public:
    // The std type this one replaces (same arguments, the std allocator).
    using twin_type = std_twin;
    using typename base::allocator_type;
    using typename base::hasher;
    using typename base::key_equal;
    using typename base::size_type;
    using typename base::value_type;

    static const std::string& tracked_type_name() {
        static const std::string* const name = new std::string(detail::compose_type_name<Key>("tracked_unordered_multiset"));
        return *name;
    }

    using base::base;  // the shared constructors (unordered_base)
    tracked_unordered_multiset(source_site site = source_site::current()) noexcept(std::is_nothrow_default_constructible<std_twin>::value)
        : base(site, {}, alloc{Allocator()}) {}
    tracked_unordered_multiset(const tracked_unordered_multiset& other, source_site site = source_site::current())
        : base(site, {}, other.inner_, alloc{base::copy_upstream(other)}) {}
    tracked_unordered_multiset(tracked_unordered_multiset&& other) noexcept(std::is_nothrow_move_constructible<std_twin>::value)
        : base(move_tag{}, other) {}
    // Initializer-list constructors of its own: g++ deduces from a braced list only through
    // a class's own (not an inherited) initializer-list constructor.
    tracked_unordered_multiset(std::initializer_list<value_type> list, size_type n = 0, const hasher& hf = hasher(),
                               const key_equal& eq = key_equal(), const allocator_type& a = allocator_type(),
                               source_site site = source_site::current())
        : base(site, {}, list, n, hf, eq, alloc{a}) {}
    tracked_unordered_multiset(std::initializer_list<value_type> list, size_type n, const hasher& hf,
                               const allocator_type& a, source_site site = source_site::current())
        : base(site, {}, list, n, hf, key_equal(), alloc{a}) {}
    tracked_unordered_multiset(std::initializer_list<value_type> list, size_type n, const allocator_type& a,
                               source_site site = source_site::current())
        : base(site, {}, list, n, hasher(), key_equal(), alloc{a}) {}

    tracked_unordered_multiset& operator=(const tracked_unordered_multiset& other) {
        base::operator=(other);
        return *this;
    }
    tracked_unordered_multiset& operator=(tracked_unordered_multiset&& other) noexcept(std::is_nothrow_move_assignable<std_twin>::value) {
        base::operator=(std::move(other));
        return *this;
    }
    // From the std type this one replaces: its elements are copied in (see README, "Where code
    // expects the std type").
    explicit tracked_unordered_multiset(const std_twin& other, source_site site = source_site::current())
        : base(site, {}, alloc{other.get_allocator()}) {
        this->assign_from(other);
    }
    tracked_unordered_multiset& operator=(const std_twin& other) {
        this->assign_from(other);
        return *this;
    }
    tracked_unordered_multiset& operator=(std::initializer_list<value_type> list) {
        this->assign_list(list);
        return *this;
    }

};

// --- deduction guides: the std ones (C++17: the allocator-only forms exist for the maps only),
// and the same with a leading label ------------------------------------------------------------

template <class InputIt, class Hash = std::hash<detail::unordered_iter_key_t<InputIt>>,
          class Pred = std::equal_to<detail::unordered_iter_key_t<InputIt>>,
          class Allocator = std::allocator<detail::unordered_iter_pair_t<InputIt>>,
          detail::require_input_iterator<InputIt> = 0, detail::require_hash<Hash> = 0,
          detail::require_not_allocator<Pred> = 0, detail::require_allocator<Allocator> = 0>
tracked_unordered_map(InputIt, InputIt, detail::unordered_size_t = {}, Hash = Hash(), Pred = Pred(),
                      Allocator = Allocator())
    -> tracked_unordered_map<detail::unordered_iter_key_t<InputIt>, detail::unordered_iter_mapped_t<InputIt>, Hash,
                             Pred, Allocator>;
template <class Key, class T, class Hash = std::hash<Key>, class Pred = std::equal_to<Key>,
          class Allocator = std::allocator<std::pair<const Key, T>>, detail::require_hash<Hash> = 0,
          detail::require_not_allocator<Pred> = 0, detail::require_allocator<Allocator> = 0>
tracked_unordered_map(std::initializer_list<std::pair<Key, T>>, detail::unordered_size_t = {}, Hash = Hash(),
                      Pred = Pred(), Allocator = Allocator()) -> tracked_unordered_map<Key, T, Hash, Pred, Allocator>;
template <class InputIt, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_map(InputIt, InputIt, detail::unordered_size_t, Allocator)
    -> tracked_unordered_map<detail::unordered_iter_key_t<InputIt>, detail::unordered_iter_mapped_t<InputIt>,
                             std::hash<detail::unordered_iter_key_t<InputIt>>,
                             std::equal_to<detail::unordered_iter_key_t<InputIt>>, Allocator>;
template <class InputIt, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_map(InputIt, InputIt, Allocator)
    -> tracked_unordered_map<detail::unordered_iter_key_t<InputIt>, detail::unordered_iter_mapped_t<InputIt>,
                             std::hash<detail::unordered_iter_key_t<InputIt>>,
                             std::equal_to<detail::unordered_iter_key_t<InputIt>>, Allocator>;
template <class InputIt, class Hash, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_hash<Hash> = 0, detail::require_allocator<Allocator> = 0>
tracked_unordered_map(InputIt, InputIt, detail::unordered_size_t, Hash, Allocator)
    -> tracked_unordered_map<detail::unordered_iter_key_t<InputIt>, detail::unordered_iter_mapped_t<InputIt>, Hash,
                             std::equal_to<detail::unordered_iter_key_t<InputIt>>, Allocator>;
template <class Key, class T, class Allocator, detail::require_allocator<Allocator> = 0>
tracked_unordered_map(std::initializer_list<std::pair<Key, T>>, detail::unordered_size_t, Allocator)
    -> tracked_unordered_map<Key, T, std::hash<Key>, std::equal_to<Key>, Allocator>;
template <class Key, class T, class Allocator, detail::require_allocator<Allocator> = 0>
tracked_unordered_map(std::initializer_list<std::pair<Key, T>>, Allocator)
    -> tracked_unordered_map<Key, T, std::hash<Key>, std::equal_to<Key>, Allocator>;
template <class Key, class T, class Hash, class Allocator, detail::require_hash<Hash> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_map(std::initializer_list<std::pair<Key, T>>, detail::unordered_size_t, Hash, Allocator)
    -> tracked_unordered_map<Key, T, Hash, std::equal_to<Key>, Allocator>;
template <class InputIt, class Hash = std::hash<detail::unordered_iter_key_t<InputIt>>,
          class Pred = std::equal_to<detail::unordered_iter_key_t<InputIt>>,
          class Allocator = std::allocator<detail::unordered_iter_pair_t<InputIt>>,
          detail::require_input_iterator<InputIt> = 0, detail::require_hash<Hash> = 0,
          detail::require_not_allocator<Pred> = 0, detail::require_allocator<Allocator> = 0>
tracked_unordered_map(const leakwatch::label&, InputIt, InputIt, detail::unordered_size_t = {}, Hash = Hash(),
                      Pred = Pred(), Allocator = Allocator())
    -> tracked_unordered_map<detail::unordered_iter_key_t<InputIt>, detail::unordered_iter_mapped_t<InputIt>, Hash,
                             Pred, Allocator>;
template <class Key, class T, class Hash = std::hash<Key>, class Pred = std::equal_to<Key>,
          class Allocator = std::allocator<std::pair<const Key, T>>, detail::require_hash<Hash> = 0,
          detail::require_not_allocator<Pred> = 0, detail::require_allocator<Allocator> = 0>
tracked_unordered_map(const leakwatch::label&, std::initializer_list<std::pair<Key, T>>, detail::unordered_size_t = {},
                      Hash = Hash(), Pred = Pred(), Allocator = Allocator())
    -> tracked_unordered_map<Key, T, Hash, Pred, Allocator>;
template <class InputIt, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_map(const leakwatch::label&, InputIt, InputIt, detail::unordered_size_t, Allocator)
    -> tracked_unordered_map<detail::unordered_iter_key_t<InputIt>, detail::unordered_iter_mapped_t<InputIt>,
                             std::hash<detail::unordered_iter_key_t<InputIt>>,
                             std::equal_to<detail::unordered_iter_key_t<InputIt>>, Allocator>;
template <class InputIt, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_map(const leakwatch::label&, InputIt, InputIt, Allocator)
    -> tracked_unordered_map<detail::unordered_iter_key_t<InputIt>, detail::unordered_iter_mapped_t<InputIt>,
                             std::hash<detail::unordered_iter_key_t<InputIt>>,
                             std::equal_to<detail::unordered_iter_key_t<InputIt>>, Allocator>;
template <class InputIt, class Hash, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_hash<Hash> = 0, detail::require_allocator<Allocator> = 0>
tracked_unordered_map(const leakwatch::label&, InputIt, InputIt, detail::unordered_size_t, Hash, Allocator)
    -> tracked_unordered_map<detail::unordered_iter_key_t<InputIt>, detail::unordered_iter_mapped_t<InputIt>, Hash,
                             std::equal_to<detail::unordered_iter_key_t<InputIt>>, Allocator>;
template <class Key, class T, class Allocator, detail::require_allocator<Allocator> = 0>
tracked_unordered_map(const leakwatch::label&, std::initializer_list<std::pair<Key, T>>, detail::unordered_size_t,
                      Allocator) -> tracked_unordered_map<Key, T, std::hash<Key>, std::equal_to<Key>, Allocator>;
template <class Key, class T, class Allocator, detail::require_allocator<Allocator> = 0>
tracked_unordered_map(const leakwatch::label&, std::initializer_list<std::pair<Key, T>>, Allocator)
    -> tracked_unordered_map<Key, T, std::hash<Key>, std::equal_to<Key>, Allocator>;
template <class Key, class T, class Hash, class Allocator, detail::require_hash<Hash> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_map(const leakwatch::label&, std::initializer_list<std::pair<Key, T>>, detail::unordered_size_t, Hash,
                      Allocator) -> tracked_unordered_map<Key, T, Hash, std::equal_to<Key>, Allocator>;

template <class InputIt, class Hash = std::hash<detail::unordered_iter_key_t<InputIt>>,
          class Pred = std::equal_to<detail::unordered_iter_key_t<InputIt>>,
          class Allocator = std::allocator<detail::unordered_iter_pair_t<InputIt>>,
          detail::require_input_iterator<InputIt> = 0, detail::require_hash<Hash> = 0,
          detail::require_not_allocator<Pred> = 0, detail::require_allocator<Allocator> = 0>
tracked_unordered_multimap(InputIt, InputIt, detail::unordered_size_t = {}, Hash = Hash(), Pred = Pred(),
                           Allocator = Allocator())
    -> tracked_unordered_multimap<detail::unordered_iter_key_t<InputIt>, detail::unordered_iter_mapped_t<InputIt>, Hash,
                                  Pred, Allocator>;
template <class Key, class T, class Hash = std::hash<Key>, class Pred = std::equal_to<Key>,
          class Allocator = std::allocator<std::pair<const Key, T>>, detail::require_hash<Hash> = 0,
          detail::require_not_allocator<Pred> = 0, detail::require_allocator<Allocator> = 0>
tracked_unordered_multimap(std::initializer_list<std::pair<Key, T>>, detail::unordered_size_t = {}, Hash = Hash(),
                           Pred = Pred(), Allocator = Allocator())
    -> tracked_unordered_multimap<Key, T, Hash, Pred, Allocator>;
template <class InputIt, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_multimap(InputIt, InputIt, detail::unordered_size_t, Allocator)
    -> tracked_unordered_multimap<detail::unordered_iter_key_t<InputIt>, detail::unordered_iter_mapped_t<InputIt>,
                                  std::hash<detail::unordered_iter_key_t<InputIt>>,
                                  std::equal_to<detail::unordered_iter_key_t<InputIt>>, Allocator>;
template <class InputIt, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_multimap(InputIt, InputIt, Allocator)
    -> tracked_unordered_multimap<detail::unordered_iter_key_t<InputIt>, detail::unordered_iter_mapped_t<InputIt>,
                                  std::hash<detail::unordered_iter_key_t<InputIt>>,
                                  std::equal_to<detail::unordered_iter_key_t<InputIt>>, Allocator>;
template <class InputIt, class Hash, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_hash<Hash> = 0, detail::require_allocator<Allocator> = 0>
tracked_unordered_multimap(InputIt, InputIt, detail::unordered_size_t, Hash, Allocator)
    -> tracked_unordered_multimap<detail::unordered_iter_key_t<InputIt>, detail::unordered_iter_mapped_t<InputIt>, Hash,
                                  std::equal_to<detail::unordered_iter_key_t<InputIt>>, Allocator>;
template <class Key, class T, class Allocator, detail::require_allocator<Allocator> = 0>
tracked_unordered_multimap(std::initializer_list<std::pair<Key, T>>, detail::unordered_size_t, Allocator)
    -> tracked_unordered_multimap<Key, T, std::hash<Key>, std::equal_to<Key>, Allocator>;
template <class Key, class T, class Allocator, detail::require_allocator<Allocator> = 0>
tracked_unordered_multimap(std::initializer_list<std::pair<Key, T>>, Allocator)
    -> tracked_unordered_multimap<Key, T, std::hash<Key>, std::equal_to<Key>, Allocator>;
template <class Key, class T, class Hash, class Allocator, detail::require_hash<Hash> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_multimap(std::initializer_list<std::pair<Key, T>>, detail::unordered_size_t, Hash, Allocator)
    -> tracked_unordered_multimap<Key, T, Hash, std::equal_to<Key>, Allocator>;
template <class InputIt, class Hash = std::hash<detail::unordered_iter_key_t<InputIt>>,
          class Pred = std::equal_to<detail::unordered_iter_key_t<InputIt>>,
          class Allocator = std::allocator<detail::unordered_iter_pair_t<InputIt>>,
          detail::require_input_iterator<InputIt> = 0, detail::require_hash<Hash> = 0,
          detail::require_not_allocator<Pred> = 0, detail::require_allocator<Allocator> = 0>
tracked_unordered_multimap(const leakwatch::label&, InputIt, InputIt, detail::unordered_size_t = {}, Hash = Hash(),
                           Pred = Pred(), Allocator = Allocator())
    -> tracked_unordered_multimap<detail::unordered_iter_key_t<InputIt>, detail::unordered_iter_mapped_t<InputIt>, Hash,
                                  Pred, Allocator>;
template <class Key, class T, class Hash = std::hash<Key>, class Pred = std::equal_to<Key>,
          class Allocator = std::allocator<std::pair<const Key, T>>, detail::require_hash<Hash> = 0,
          detail::require_not_allocator<Pred> = 0, detail::require_allocator<Allocator> = 0>
tracked_unordered_multimap(const leakwatch::label&, std::initializer_list<std::pair<Key, T>>,
                           detail::unordered_size_t = {}, Hash = Hash(), Pred = Pred(), Allocator = Allocator())
    -> tracked_unordered_multimap<Key, T, Hash, Pred, Allocator>;
template <class InputIt, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_multimap(const leakwatch::label&, InputIt, InputIt, detail::unordered_size_t, Allocator)
    -> tracked_unordered_multimap<detail::unordered_iter_key_t<InputIt>, detail::unordered_iter_mapped_t<InputIt>,
                                  std::hash<detail::unordered_iter_key_t<InputIt>>,
                                  std::equal_to<detail::unordered_iter_key_t<InputIt>>, Allocator>;
template <class InputIt, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_multimap(const leakwatch::label&, InputIt, InputIt, Allocator)
    -> tracked_unordered_multimap<detail::unordered_iter_key_t<InputIt>, detail::unordered_iter_mapped_t<InputIt>,
                                  std::hash<detail::unordered_iter_key_t<InputIt>>,
                                  std::equal_to<detail::unordered_iter_key_t<InputIt>>, Allocator>;
template <class InputIt, class Hash, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_hash<Hash> = 0, detail::require_allocator<Allocator> = 0>
tracked_unordered_multimap(const leakwatch::label&, InputIt, InputIt, detail::unordered_size_t, Hash, Allocator)
    -> tracked_unordered_multimap<detail::unordered_iter_key_t<InputIt>, detail::unordered_iter_mapped_t<InputIt>, Hash,
                                  std::equal_to<detail::unordered_iter_key_t<InputIt>>, Allocator>;
template <class Key, class T, class Allocator, detail::require_allocator<Allocator> = 0>
tracked_unordered_multimap(const leakwatch::label&, std::initializer_list<std::pair<Key, T>>, detail::unordered_size_t,
                           Allocator)
    -> tracked_unordered_multimap<Key, T, std::hash<Key>, std::equal_to<Key>, Allocator>;
template <class Key, class T, class Allocator, detail::require_allocator<Allocator> = 0>
tracked_unordered_multimap(const leakwatch::label&, std::initializer_list<std::pair<Key, T>>, Allocator)
    -> tracked_unordered_multimap<Key, T, std::hash<Key>, std::equal_to<Key>, Allocator>;
template <class Key, class T, class Hash, class Allocator, detail::require_hash<Hash> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_multimap(const leakwatch::label&, std::initializer_list<std::pair<Key, T>>, detail::unordered_size_t,
                           Hash, Allocator) -> tracked_unordered_multimap<Key, T, Hash, std::equal_to<Key>, Allocator>;

template <class InputIt, class Hash = std::hash<detail::unordered_iter_value_t<InputIt>>,
          class Pred = std::equal_to<detail::unordered_iter_value_t<InputIt>>,
          class Allocator = std::allocator<detail::unordered_iter_value_t<InputIt>>,
          detail::require_input_iterator<InputIt> = 0, detail::require_hash<Hash> = 0,
          detail::require_not_allocator<Pred> = 0, detail::require_allocator<Allocator> = 0>
tracked_unordered_set(InputIt, InputIt, detail::unordered_size_t = {}, Hash = Hash(), Pred = Pred(),
                      Allocator = Allocator())
    -> tracked_unordered_set<detail::unordered_iter_value_t<InputIt>, Hash, Pred, Allocator>;
template <class T, class Hash = std::hash<T>, class Pred = std::equal_to<T>, class Allocator = std::allocator<T>,
          detail::require_hash<Hash> = 0, detail::require_not_allocator<Pred> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_set(std::initializer_list<T>, detail::unordered_size_t = {}, Hash = Hash(), Pred = Pred(),
                      Allocator = Allocator()) -> tracked_unordered_set<T, Hash, Pred, Allocator>;
template <class InputIt, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_set(InputIt, InputIt, detail::unordered_size_t, Allocator)
    -> tracked_unordered_set<detail::unordered_iter_value_t<InputIt>,
                             std::hash<detail::unordered_iter_value_t<InputIt>>,
                             std::equal_to<detail::unordered_iter_value_t<InputIt>>, Allocator>;
template <class InputIt, class Hash, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_hash<Hash> = 0, detail::require_allocator<Allocator> = 0>
tracked_unordered_set(InputIt, InputIt, detail::unordered_size_t, Hash, Allocator)
    -> tracked_unordered_set<detail::unordered_iter_value_t<InputIt>, Hash,
                             std::equal_to<detail::unordered_iter_value_t<InputIt>>, Allocator>;
template <class T, class Allocator, detail::require_allocator<Allocator> = 0>
tracked_unordered_set(std::initializer_list<T>, detail::unordered_size_t, Allocator)
    -> tracked_unordered_set<T, std::hash<T>, std::equal_to<T>, Allocator>;
template <class T, class Hash, class Allocator, detail::require_hash<Hash> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_set(std::initializer_list<T>, detail::unordered_size_t, Hash, Allocator)
    -> tracked_unordered_set<T, Hash, std::equal_to<T>, Allocator>;
template <class InputIt, class Hash = std::hash<detail::unordered_iter_value_t<InputIt>>,
          class Pred = std::equal_to<detail::unordered_iter_value_t<InputIt>>,
          class Allocator = std::allocator<detail::unordered_iter_value_t<InputIt>>,
          detail::require_input_iterator<InputIt> = 0, detail::require_hash<Hash> = 0,
          detail::require_not_allocator<Pred> = 0, detail::require_allocator<Allocator> = 0>
tracked_unordered_set(const leakwatch::label&, InputIt, InputIt, detail::unordered_size_t = {}, Hash = Hash(),
                      Pred = Pred(), Allocator = Allocator())
    -> tracked_unordered_set<detail::unordered_iter_value_t<InputIt>, Hash, Pred, Allocator>;
template <class T, class Hash = std::hash<T>, class Pred = std::equal_to<T>, class Allocator = std::allocator<T>,
          detail::require_hash<Hash> = 0, detail::require_not_allocator<Pred> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_set(const leakwatch::label&, std::initializer_list<T>, detail::unordered_size_t = {}, Hash = Hash(),
                      Pred = Pred(), Allocator = Allocator()) -> tracked_unordered_set<T, Hash, Pred, Allocator>;
template <class InputIt, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_set(const leakwatch::label&, InputIt, InputIt, detail::unordered_size_t, Allocator)
    -> tracked_unordered_set<detail::unordered_iter_value_t<InputIt>,
                             std::hash<detail::unordered_iter_value_t<InputIt>>,
                             std::equal_to<detail::unordered_iter_value_t<InputIt>>, Allocator>;
template <class InputIt, class Hash, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_hash<Hash> = 0, detail::require_allocator<Allocator> = 0>
tracked_unordered_set(const leakwatch::label&, InputIt, InputIt, detail::unordered_size_t, Hash, Allocator)
    -> tracked_unordered_set<detail::unordered_iter_value_t<InputIt>, Hash,
                             std::equal_to<detail::unordered_iter_value_t<InputIt>>, Allocator>;
template <class T, class Allocator, detail::require_allocator<Allocator> = 0>
tracked_unordered_set(const leakwatch::label&, std::initializer_list<T>, detail::unordered_size_t, Allocator)
    -> tracked_unordered_set<T, std::hash<T>, std::equal_to<T>, Allocator>;
template <class T, class Hash, class Allocator, detail::require_hash<Hash> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_set(const leakwatch::label&, std::initializer_list<T>, detail::unordered_size_t, Hash, Allocator)
    -> tracked_unordered_set<T, Hash, std::equal_to<T>, Allocator>;

template <class InputIt, class Hash = std::hash<detail::unordered_iter_value_t<InputIt>>,
          class Pred = std::equal_to<detail::unordered_iter_value_t<InputIt>>,
          class Allocator = std::allocator<detail::unordered_iter_value_t<InputIt>>,
          detail::require_input_iterator<InputIt> = 0, detail::require_hash<Hash> = 0,
          detail::require_not_allocator<Pred> = 0, detail::require_allocator<Allocator> = 0>
tracked_unordered_multiset(InputIt, InputIt, detail::unordered_size_t = {}, Hash = Hash(), Pred = Pred(),
                           Allocator = Allocator())
    -> tracked_unordered_multiset<detail::unordered_iter_value_t<InputIt>, Hash, Pred, Allocator>;
template <class T, class Hash = std::hash<T>, class Pred = std::equal_to<T>, class Allocator = std::allocator<T>,
          detail::require_hash<Hash> = 0, detail::require_not_allocator<Pred> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_multiset(std::initializer_list<T>, detail::unordered_size_t = {}, Hash = Hash(), Pred = Pred(),
                           Allocator = Allocator()) -> tracked_unordered_multiset<T, Hash, Pred, Allocator>;
template <class InputIt, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_multiset(InputIt, InputIt, detail::unordered_size_t, Allocator)
    -> tracked_unordered_multiset<detail::unordered_iter_value_t<InputIt>,
                                  std::hash<detail::unordered_iter_value_t<InputIt>>,
                                  std::equal_to<detail::unordered_iter_value_t<InputIt>>, Allocator>;
template <class InputIt, class Hash, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_hash<Hash> = 0, detail::require_allocator<Allocator> = 0>
tracked_unordered_multiset(InputIt, InputIt, detail::unordered_size_t, Hash, Allocator)
    -> tracked_unordered_multiset<detail::unordered_iter_value_t<InputIt>, Hash,
                                  std::equal_to<detail::unordered_iter_value_t<InputIt>>, Allocator>;
template <class T, class Allocator, detail::require_allocator<Allocator> = 0>
tracked_unordered_multiset(std::initializer_list<T>, detail::unordered_size_t, Allocator)
    -> tracked_unordered_multiset<T, std::hash<T>, std::equal_to<T>, Allocator>;
template <class T, class Hash, class Allocator, detail::require_hash<Hash> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_multiset(std::initializer_list<T>, detail::unordered_size_t, Hash, Allocator)
    -> tracked_unordered_multiset<T, Hash, std::equal_to<T>, Allocator>;
template <class InputIt, class Hash = std::hash<detail::unordered_iter_value_t<InputIt>>,
          class Pred = std::equal_to<detail::unordered_iter_value_t<InputIt>>,
          class Allocator = std::allocator<detail::unordered_iter_value_t<InputIt>>,
          detail::require_input_iterator<InputIt> = 0, detail::require_hash<Hash> = 0,
          detail::require_not_allocator<Pred> = 0, detail::require_allocator<Allocator> = 0>
tracked_unordered_multiset(const leakwatch::label&, InputIt, InputIt, detail::unordered_size_t = {}, Hash = Hash(),
                           Pred = Pred(), Allocator = Allocator())
    -> tracked_unordered_multiset<detail::unordered_iter_value_t<InputIt>, Hash, Pred, Allocator>;
template <class T, class Hash = std::hash<T>, class Pred = std::equal_to<T>, class Allocator = std::allocator<T>,
          detail::require_hash<Hash> = 0, detail::require_not_allocator<Pred> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_multiset(const leakwatch::label&, std::initializer_list<T>, detail::unordered_size_t = {},
                           Hash = Hash(), Pred = Pred(), Allocator = Allocator())
    -> tracked_unordered_multiset<T, Hash, Pred, Allocator>;
template <class InputIt, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_multiset(const leakwatch::label&, InputIt, InputIt, detail::unordered_size_t, Allocator)
    -> tracked_unordered_multiset<detail::unordered_iter_value_t<InputIt>,
                                  std::hash<detail::unordered_iter_value_t<InputIt>>,
                                  std::equal_to<detail::unordered_iter_value_t<InputIt>>, Allocator>;
template <class InputIt, class Hash, class Allocator, detail::require_input_iterator<InputIt> = 0,
          detail::require_hash<Hash> = 0, detail::require_allocator<Allocator> = 0>
tracked_unordered_multiset(const leakwatch::label&, InputIt, InputIt, detail::unordered_size_t, Hash, Allocator)
    -> tracked_unordered_multiset<detail::unordered_iter_value_t<InputIt>, Hash,
                                  std::equal_to<detail::unordered_iter_value_t<InputIt>>, Allocator>;
template <class T, class Allocator, detail::require_allocator<Allocator> = 0>
tracked_unordered_multiset(const leakwatch::label&, std::initializer_list<T>, detail::unordered_size_t, Allocator)
    -> tracked_unordered_multiset<T, std::hash<T>, std::equal_to<T>, Allocator>;
template <class T, class Hash, class Allocator, detail::require_hash<Hash> = 0,
          detail::require_allocator<Allocator> = 0>
tracked_unordered_multiset(const leakwatch::label&, std::initializer_list<T>, detail::unordered_size_t, Hash, Allocator)
    -> tracked_unordered_multiset<T, Hash, std::equal_to<T>, Allocator>;

// The copy and move constructors with an allocator or a leading label are inherited from the
// family base, and implicit guides come only from a class's own constructors: these deduce
// them as the std twin's implicit guides do (`tracked_vector b(a, alloc)`).
template <class K, class T, class H, class E, class A>
tracked_unordered_map(const tracked_unordered_map<K, T, H, E, A>&, const typename tracked_unordered_map<K, T, H, E, A>::allocator_type&) -> tracked_unordered_map<K, T, H, E, A>;
template <class K, class T, class H, class E, class A>
tracked_unordered_map(tracked_unordered_map<K, T, H, E, A>&&, const typename tracked_unordered_map<K, T, H, E, A>::allocator_type&) -> tracked_unordered_map<K, T, H, E, A>;
template <class K, class T, class H, class E, class A>
tracked_unordered_map(const leakwatch::label&, const tracked_unordered_map<K, T, H, E, A>&) -> tracked_unordered_map<K, T, H, E, A>;
template <class K, class T, class H, class E, class A>
tracked_unordered_map(const leakwatch::label&, const tracked_unordered_map<K, T, H, E, A>&, const typename tracked_unordered_map<K, T, H, E, A>::allocator_type&) -> tracked_unordered_map<K, T, H, E, A>;
template <class K, class T, class H, class E, class A>
tracked_unordered_map(const leakwatch::label&, tracked_unordered_map<K, T, H, E, A>&&) -> tracked_unordered_map<K, T, H, E, A>;
template <class K, class T, class H, class E, class A>
tracked_unordered_map(const leakwatch::label&, tracked_unordered_map<K, T, H, E, A>&&, const typename tracked_unordered_map<K, T, H, E, A>::allocator_type&) -> tracked_unordered_map<K, T, H, E, A>;
template <class K, class T, class H, class E, class A>
tracked_unordered_multimap(const tracked_unordered_multimap<K, T, H, E, A>&, const typename tracked_unordered_multimap<K, T, H, E, A>::allocator_type&) -> tracked_unordered_multimap<K, T, H, E, A>;
template <class K, class T, class H, class E, class A>
tracked_unordered_multimap(tracked_unordered_multimap<K, T, H, E, A>&&, const typename tracked_unordered_multimap<K, T, H, E, A>::allocator_type&) -> tracked_unordered_multimap<K, T, H, E, A>;
template <class K, class T, class H, class E, class A>
tracked_unordered_multimap(const leakwatch::label&, const tracked_unordered_multimap<K, T, H, E, A>&) -> tracked_unordered_multimap<K, T, H, E, A>;
template <class K, class T, class H, class E, class A>
tracked_unordered_multimap(const leakwatch::label&, const tracked_unordered_multimap<K, T, H, E, A>&, const typename tracked_unordered_multimap<K, T, H, E, A>::allocator_type&) -> tracked_unordered_multimap<K, T, H, E, A>;
template <class K, class T, class H, class E, class A>
tracked_unordered_multimap(const leakwatch::label&, tracked_unordered_multimap<K, T, H, E, A>&&) -> tracked_unordered_multimap<K, T, H, E, A>;
template <class K, class T, class H, class E, class A>
tracked_unordered_multimap(const leakwatch::label&, tracked_unordered_multimap<K, T, H, E, A>&&, const typename tracked_unordered_multimap<K, T, H, E, A>::allocator_type&) -> tracked_unordered_multimap<K, T, H, E, A>;
template <class K, class H, class E, class A>
tracked_unordered_set(const tracked_unordered_set<K, H, E, A>&, const typename tracked_unordered_set<K, H, E, A>::allocator_type&) -> tracked_unordered_set<K, H, E, A>;
template <class K, class H, class E, class A>
tracked_unordered_set(tracked_unordered_set<K, H, E, A>&&, const typename tracked_unordered_set<K, H, E, A>::allocator_type&) -> tracked_unordered_set<K, H, E, A>;
template <class K, class H, class E, class A>
tracked_unordered_set(const leakwatch::label&, const tracked_unordered_set<K, H, E, A>&) -> tracked_unordered_set<K, H, E, A>;
template <class K, class H, class E, class A>
tracked_unordered_set(const leakwatch::label&, const tracked_unordered_set<K, H, E, A>&, const typename tracked_unordered_set<K, H, E, A>::allocator_type&) -> tracked_unordered_set<K, H, E, A>;
template <class K, class H, class E, class A>
tracked_unordered_set(const leakwatch::label&, tracked_unordered_set<K, H, E, A>&&) -> tracked_unordered_set<K, H, E, A>;
template <class K, class H, class E, class A>
tracked_unordered_set(const leakwatch::label&, tracked_unordered_set<K, H, E, A>&&, const typename tracked_unordered_set<K, H, E, A>::allocator_type&) -> tracked_unordered_set<K, H, E, A>;
template <class K, class H, class E, class A>
tracked_unordered_multiset(const tracked_unordered_multiset<K, H, E, A>&, const typename tracked_unordered_multiset<K, H, E, A>::allocator_type&) -> tracked_unordered_multiset<K, H, E, A>;
template <class K, class H, class E, class A>
tracked_unordered_multiset(tracked_unordered_multiset<K, H, E, A>&&, const typename tracked_unordered_multiset<K, H, E, A>::allocator_type&) -> tracked_unordered_multiset<K, H, E, A>;
template <class K, class H, class E, class A>
tracked_unordered_multiset(const leakwatch::label&, const tracked_unordered_multiset<K, H, E, A>&) -> tracked_unordered_multiset<K, H, E, A>;
template <class K, class H, class E, class A>
tracked_unordered_multiset(const leakwatch::label&, const tracked_unordered_multiset<K, H, E, A>&, const typename tracked_unordered_multiset<K, H, E, A>::allocator_type&) -> tracked_unordered_multiset<K, H, E, A>;
template <class K, class H, class E, class A>
tracked_unordered_multiset(const leakwatch::label&, tracked_unordered_multiset<K, H, E, A>&&) -> tracked_unordered_multiset<K, H, E, A>;
template <class K, class H, class E, class A>
tracked_unordered_multiset(const leakwatch::label&, tracked_unordered_multiset<K, H, E, A>&&, const typename tracked_unordered_multiset<K, H, E, A>::allocator_type&) -> tracked_unordered_multiset<K, H, E, A>;

#else  // LEAKWATCH_DISABLE

template <class Key, class T, class Hash = std::hash<Key>, class KeyEqual = std::equal_to<Key>,
          class Allocator = std::allocator<std::pair<const Key, T>>>
using tracked_unordered_map = std::unordered_map<Key, T, Hash, KeyEqual, Allocator>;
template <class Key, class T, class Hash = std::hash<Key>, class KeyEqual = std::equal_to<Key>,
          class Allocator = std::allocator<std::pair<const Key, T>>>
using tracked_map = std::unordered_map<Key, T, Hash, KeyEqual, Allocator>;
template <class Key, class Hash = std::hash<Key>, class KeyEqual = std::equal_to<Key>, class Allocator = std::allocator<Key>>
using tracked_unordered_set = std::unordered_set<Key, Hash, KeyEqual, Allocator>;
template <class Key, class T, class Hash = std::hash<Key>, class KeyEqual = std::equal_to<Key>,
          class Allocator = std::allocator<std::pair<const Key, T>>>
using tracked_unordered_multimap = std::unordered_multimap<Key, T, Hash, KeyEqual, Allocator>;
template <class Key, class Hash = std::hash<Key>, class KeyEqual = std::equal_to<Key>, class Allocator = std::allocator<Key>>
using tracked_unordered_multiset = std::unordered_multiset<Key, Hash, KeyEqual, Allocator>;

#endif

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
