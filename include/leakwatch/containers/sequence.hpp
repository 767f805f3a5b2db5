// leakwatch/containers/sequence.hpp — tracked twins of std::vector, std::deque and std::list.
//
// One family base forwards the interface the three share; the members only some of them have
// (data, capacity, the front operations, vector<bool>'s flip) are declared with the std
// container's own expression as their return type, so each tracked type has exactly the
// members of its std twin. The list operations that move nodes between two lists (splice,
// merge) live in a second base, which moves the nodes' bytes along with them. The family base
// holds the constructors, which the public class templates inherit (each spells out only its
// default, copy and move constructors, which cannot be inherited, and its initializer-list
// ones, which g++ needs of the class itself to deduce from a braced list); every constructor takes
// the caller's file and line as a default argument, evaluated where the twin is constructed.
// Deduction guides are like the std ones.
#pragma once

#include <leakwatch/config.hpp>
#include <leakwatch/label.hpp>
// The core exists only with tracking compiled in (it stands on the charging allocator and
// the record handle, which allocator.hpp leaves out under LEAKWATCH_DISABLE).
#if !defined(LEAKWATCH_DISABLE)
#include <leakwatch/containers/core.hpp>
#endif

#include <deque>
#include <initializer_list>
#include <iterator>
#include <list>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

#if !defined(LEAKWATCH_DISABLE)

namespace detail {

template <class It>
using sequence_iter_value_t = typename std::iterator_traits<It>::value_type;

template <class Derived, class Std>
class sequence_base : public tracked_core<Derived, Std>, public ordering_operators<Derived> {
    using core = tracked_core<Derived, Std>;

protected:
    using core::core;
    using core::inner_;
    using core::mutate;
    using core::note_read;
    using core::reshape;
    using move_tag = typename core::move_tag;
    using typename core::alloc_arg;
    using core::copy_upstream;
    // The std container of another twin (named through this class: tracked_list reaches it
    // through a further base, where this class may not name it).
    static const Std& std_of(const Derived& other) noexcept { return static_cast<const sequence_base&>(other).inner_; }

    // Whole-contents replacement (assign) is counted as assignment is: everything before
    // erased, everything after inserted. If `op` throws, the size change is what counts.
    template <class Op>
    void replace_contents(Op&& op) {
        this->live_record();  // a moved-from container registers again first
        struct replace_guard {
            sequence_base& self;
            size_type before;
            bool done;
            ~replace_guard() {
                if (done) self.rec()->note_replace(before, self.inner_.size());
                else self.rec()->note_size(before, self.inner_.size());
            }
        } guard{*this, inner_.size(), false};
        std::forward<Op>(op)(inner_);
        guard.done = true;
    }

public:
    using typename core::const_iterator;
    using typename core::const_reference;
    using typename core::iterator;
    using typename core::reference;
    using typename core::size_type;
    using typename core::value_type;
    using typename core::allocator_type;
    // The std container's own (vector<bool>'s differ from the allocator's).
    using pointer = typename Std::pointer;
    using const_pointer = typename Std::const_pointer;
    using reverse_iterator = typename Std::reverse_iterator;
    using const_reverse_iterator = typename Std::const_reverse_iterator;

    // --- constructors -----------------------------------------------------------------------
    // Every constructor of the three sequence twins but the default, copy and move ones (which a
    // class cannot inherit) and the initializer-list ones (see the twins): each twin
    // inherits these, and the default argument source_site::current() of an inherited
    // constructor names the line that constructs the twin, with g++ and clang++ alike.
    explicit sequence_base(const allocator_type& a, source_site site = source_site::current())
        : core(site, {}, alloc_arg{a}) {}
    explicit sequence_base(size_type n, const allocator_type& a = allocator_type(),
                           source_site site = source_site::current())
        : core(site, {}, n, alloc_arg{a}) {}
    sequence_base(size_type n, const value_type& value, const allocator_type& a = allocator_type(),
                  source_site site = source_site::current())
        : core(site, {}, n, value, alloc_arg{a}) {}
    template <class InputIt, detail::require_input_iterator<InputIt> = 0>
    sequence_base(InputIt first, InputIt last, const allocator_type& a = allocator_type(),
                  source_site site = source_site::current())
        : core(site, {}, first, last, alloc_arg{a}) {}
    sequence_base(const Derived& other, const allocator_type& a, source_site site = source_site::current())
        : core(site, {}, std_of(other), alloc_arg{a}) {}
    sequence_base(Derived&& other, const allocator_type& a, source_site site = source_site::current())
        : core(site, {}, move_tag{}, other, a) {}
    // The same constructors with a leading label (the label carries its own site).
    explicit sequence_base(const leakwatch::label& l) : core(l.site(), l.name(), alloc_arg{allocator_type()}) {}
    sequence_base(const leakwatch::label& l, const allocator_type& a) : core(l.site(), l.name(), alloc_arg{a}) {}
    sequence_base(const leakwatch::label& l, size_type n, const allocator_type& a = allocator_type())
        : core(l.site(), l.name(), n, alloc_arg{a}) {}
    sequence_base(const leakwatch::label& l, size_type n, const value_type& value,
                  const allocator_type& a = allocator_type())
        : core(l.site(), l.name(), n, value, alloc_arg{a}) {}
    template <class InputIt, detail::require_input_iterator<InputIt> = 0>
    sequence_base(const leakwatch::label& l, InputIt first, InputIt last, const allocator_type& a = allocator_type())
        : core(l.site(), l.name(), first, last, alloc_arg{a}) {}
    sequence_base(const leakwatch::label& l, const Derived& other)
        : core(l.site(), l.name(), std_of(other), alloc_arg{copy_upstream(other)}) {}
    sequence_base(const leakwatch::label& l, const Derived& other, const allocator_type& a)
        : core(l.site(), l.name(), std_of(other), alloc_arg{a}) {}
    sequence_base(const leakwatch::label& l, Derived&& other) : core(l.site(), l.name(), move_tag{}, other) {}
    sequence_base(const leakwatch::label& l, Derived&& other, const allocator_type& a)
        : core(l.site(), l.name(), move_tag{}, other, a) {}
    sequence_base(const leakwatch::label& l, std::initializer_list<value_type> list,
                  const allocator_type& a = allocator_type())
        : core(l.site(), l.name(), list, alloc_arg{a}) {}

    // --- assignment -----------------------------------------------------------------------
    void assign(size_type n, const value_type& value) {
        replace_contents([&](Std& s) { s.assign(n, value); });
    }
    template <class InputIt, require_input_iterator<InputIt> = 0>
    void assign(InputIt first, InputIt last) {
        replace_contents([&](Std& s) { s.assign(first, last); });
    }
    void assign(std::initializer_list<value_type> list) {
        replace_contents([&](Std& s) { s.assign(list); });
    }

    // --- element access (reads) -------------------------------------------------------------
    // operator[] is the hot path of a vector: one thread-local check besides the std call.
    template <class S = Std>
    auto operator[](size_type n) -> decltype(std::declval<S&>()[n]) {
        note_read();
        return inner_[n];
    }
    template <class S = Std>
    auto operator[](size_type n) const -> decltype(std::declval<const S&>()[n]) {
        note_read();
        return inner_[n];
    }
    template <class S = Std>
    auto at(size_type n) -> decltype(std::declval<S&>().at(n)) {
        note_read();
        return inner_.at(n);
    }
    template <class S = Std>
    auto at(size_type n) const -> decltype(std::declval<const S&>().at(n)) {
        note_read();
        return inner_.at(n);
    }
    reference front() {
        note_read();
        return inner_.front();
    }
    const_reference front() const {
        note_read();
        return inner_.front();
    }
    reference back() {
        note_read();
        return inner_.back();
    }
    const_reference back() const {
        note_read();
        return inner_.back();
    }
    template <class S = Std>
    auto data() noexcept -> decltype(std::declval<S&>().data()) {
        note_read();
        return inner_.data();
    }
    template <class S = Std>
    auto data() const noexcept -> decltype(std::declval<const S&>().data()) {
        note_read();
        return inner_.data();
    }

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

    // --- capacity (size/empty/max_size come from the core) ----------------------------------
    template <class S = Std>
    auto capacity() const noexcept -> decltype(std::declval<const S&>().capacity()) {
        return inner_.capacity();
    }
    template <class S = Std>
    auto reserve(size_type n) -> decltype(std::declval<S&>().reserve(n)) {
        reshape([&](Std& s) { s.reserve(n); });
    }
    template <class S = Std>
    auto shrink_to_fit() -> decltype(std::declval<S&>().shrink_to_fit()) {
        reshape([](Std& s) { s.shrink_to_fit(); });
    }

    // --- modifiers (clear and swap come from the core) --------------------------------------
    void resize(size_type n) {
        mutate([&](Std& s) { s.resize(n); });
    }
    void resize(size_type n, const value_type& value) {
        mutate([&](Std& s) { s.resize(n, value); });
    }

    void push_back(const value_type& value) {
        mutate([&](Std& s) { s.push_back(value); });
    }
    void push_back(value_type&& value) {
        mutate([&](Std& s) { s.push_back(std::move(value)); });
    }
    // A reference in C++17 (a proxy by value for vector<bool>), whatever the std one returns.
    template <class... Args>
    decltype(auto) emplace_back(Args&&... args) {
        return mutate([&](Std& s) -> decltype(auto) { return s.emplace_back(std::forward<Args>(args)...); });
    }
    void pop_back() {
        mutate([](Std& s) { s.pop_back(); });
    }

    template <class S = Std>
    auto push_front(const value_type& value) -> decltype(std::declval<S&>().push_front(value)) {
        mutate([&](Std& s) { s.push_front(value); });
    }
    template <class S = Std>
    auto push_front(value_type&& value) -> decltype(std::declval<S&>().push_front(std::move(value))) {
        mutate([&](Std& s) { s.push_front(std::move(value)); });
    }
    template <class... Args, class S = Std>
    auto emplace_front(Args&&... args) -> decltype(std::declval<S&>().emplace_front(std::forward<Args>(args)...)) {
        return mutate([&](Std& s) -> decltype(auto) { return s.emplace_front(std::forward<Args>(args)...); });
    }
    template <class S = Std>
    auto pop_front() -> decltype(std::declval<S&>().pop_front()) {
        mutate([](Std& s) { s.pop_front(); });
    }

    iterator insert(const_iterator pos, const value_type& value) {
        return mutate([&](Std& s) { return s.insert(pos, value); });
    }
    iterator insert(const_iterator pos, value_type&& value) {
        return mutate([&](Std& s) { return s.insert(pos, std::move(value)); });
    }
    iterator insert(const_iterator pos, size_type n, const value_type& value) {
        return mutate([&](Std& s) { return s.insert(pos, n, value); });
    }
    template <class InputIt, require_input_iterator<InputIt> = 0>
    iterator insert(const_iterator pos, InputIt first, InputIt last) {
        return mutate([&](Std& s) { return s.insert(pos, first, last); });
    }
    iterator insert(const_iterator pos, std::initializer_list<value_type> list) {
        return mutate([&](Std& s) { return s.insert(pos, list); });
    }
    template <class... Args>
    iterator emplace(const_iterator pos, Args&&... args) {
        return mutate([&](Std& s) { return s.emplace(pos, std::forward<Args>(args)...); });
    }

    iterator erase(const_iterator pos) {
        return mutate([&](Std& s) { return s.erase(pos); });
    }
    iterator erase(const_iterator first, const_iterator last) {
        return mutate([&](Std& s) { return s.erase(first, last); });
    }

    // vector<bool> only: flips every bit, and swaps two bits through their proxies.
    template <class S = Std>
    auto flip() noexcept -> decltype(std::declval<S&>().flip()) {
        mutate([](Std& s) { s.flip(); });
    }
    template <class S = Std>
    static auto swap(typename S::reference a, typename S::reference b) noexcept -> decltype(S::swap(a, b)) {
        S::swap(a, b);
    }
    using core::swap;

#if LEAKWATCH_CPP20
    // std::erase's and std::erase_if's twins, found by argument-dependent lookup.
    template <class U>
    friend size_type erase(Derived& c, const U& value) {
        return static_cast<sequence_base&>(c).mutate([&](Std& s) { return std::erase(s, value); });
    }
    template <class Pred>
    friend size_type erase_if(Derived& c, Pred pred) {
        return static_cast<sequence_base&>(c).mutate([&](Std& s) { return std::erase_if(s, pred); });
    }
#endif
};

// The list operations. splice and merge move whole nodes from another tracked list: the
// nodes' bytes move from its record to ours, and both element counts follow.
template <class Derived, class Std>
class list_base : public sequence_base<Derived, Std> {
    using base = sequence_base<Derived, Std>;

protected:
    using base::base;
    using base::inner_;
    using base::mutate;

public:
    using typename base::const_iterator;
    using typename base::size_type;
    using typename base::value_type;

    void splice(const_iterator pos, Derived& other) {
        take_nodes(other, [&](Std& s, Std& o) { s.splice(pos, o); });
    }
    void splice(const_iterator pos, Derived&& other) { splice(pos, other); }
    void splice(const_iterator pos, Derived& other, const_iterator it) {
        take_nodes(other, [&](Std& s, Std& o) { s.splice(pos, o, it); });
    }
    void splice(const_iterator pos, Derived&& other, const_iterator it) { splice(pos, other, it); }
    void splice(const_iterator pos, Derived& other, const_iterator first, const_iterator last) {
        take_nodes(other, [&](Std& s, Std& o) { s.splice(pos, o, first, last); });
    }
    void splice(const_iterator pos, Derived&& other, const_iterator first, const_iterator last) {
        splice(pos, other, first, last);
    }

    void merge(Derived& other) {
        take_nodes(other, [](Std& s, Std& o) { s.merge(o); });
    }
    void merge(Derived&& other) { merge(other); }
    template <class Compare>
    void merge(Derived& other, Compare comp) {
        take_nodes(other, [&](Std& s, Std& o) { s.merge(o, comp); });
    }
    template <class Compare>
    void merge(Derived&& other, Compare comp) {
        merge(other, std::move(comp));
    }

    // void in C++17, the number removed in C++20: whatever the std list returns.
    decltype(auto) remove(const value_type& value) {
        return mutate([&](Std& s) { return s.remove(value); });
    }
    template <class Pred>
    decltype(auto) remove_if(Pred pred) {
        return mutate([&](Std& s) { return s.remove_if(pred); });
    }
    decltype(auto) unique() {
        return mutate([](Std& s) { return s.unique(); });
    }
    template <class BinaryPred>
    decltype(auto) unique(BinaryPred pred) {
        return mutate([&](Std& s) { return s.unique(pred); });
    }

    void reverse() noexcept {
        mutate([](Std& s) { s.reverse(); });
    }
    void sort() {
        mutate([](Std& s) { s.sort(); });
    }
    template <class Compare>
    void sort(Compare comp) {
        mutate([&](Std& s) { s.sort(comp); });
    }

private:
    // Runs `op` on both std lists, then settles what changed hands: this list grew by exactly
    // the nodes it took (none when `source` is this list). Settled in a destructor because a
    // throwing comparator can stop merge half-way.
    template <class Op>
    void take_nodes(Derived& source, Op&& op) {
        this->live_record();  // a moved-from target registers again first
        Std& other = core_access::inner(source);
        struct settle {
            list_base& self;
            Std& from_inner;
            record* from;
            size_type before, theirs;
            ~settle() {
                const size_type after = self.inner_.size();
                self.adopt_nodes(from, after - before);
                self.rec()->note_size(before, after);
                from->note_size(theirs, from_inner.size());
            }
        } guard{*this, other, core_access::rec(source), inner_.size(), other.size()};
        std::forward<Op>(op)(inner_, other);
    }
};

}  // namespace detail

// ---------------------------------------------------------------------------------------------

template <class T, class Allocator = std::allocator<T>>
class tracked_vector
    : public detail::sequence_base<tracked_vector<T, Allocator>,
                                   std::vector<T, detail::charging_allocator<T, Allocator>>> {
    using base = detail::sequence_base<tracked_vector, std::vector<T, detail::charging_allocator<T, Allocator>>>;
    using std_twin = std::vector<T, Allocator>;  // the std type this one replaces
    using alloc = detail::upstream_arg<Allocator>;
    using move_tag = typename base::move_tag;

public:
    // The std type this one replaces (same arguments, the std allocator).
    using twin_type = std_twin;
    using typename base::allocator_type;
    using typename base::size_type;
    using typename base::value_type;

    static const std::string& tracked_type_name() {
        static const std::string* const name = new std::string(detail::compose_type_name<T>("tracked_vector"));
        return *name;
    }

    using base::base;  // the shared constructors (sequence_base)
    tracked_vector(source_site site = source_site::current()) noexcept(std::is_nothrow_default_constructible<std_twin>::value)
        : base(site, {}, alloc{Allocator()}) {}
    tracked_vector(const tracked_vector& other, source_site site = source_site::current())
        : base(site, {}, other.inner_, alloc{base::copy_upstream(other)}) {}
    tracked_vector(tracked_vector&& other) noexcept(std::is_nothrow_move_constructible<std_twin>::value)
        : base(move_tag{}, other) {}
    // Initializer-list constructors of its own: g++ deduces from a braced list only through
    // a class's own (not an inherited) initializer-list constructor.
    tracked_vector(std::initializer_list<value_type> list, const allocator_type& a = allocator_type(),
                   source_site site = source_site::current())
        : base(site, {}, list, alloc{a}) {}

    tracked_vector& operator=(const tracked_vector& other) {
        base::operator=(other);
        return *this;
    }
    tracked_vector& operator=(tracked_vector&& other) noexcept(std::is_nothrow_move_assignable<std_twin>::value) {
        base::operator=(std::move(other));
        return *this;
    }
    // From the std type this one replaces: its elements are copied in (see README, "Where code
    // expects the std type").
    explicit tracked_vector(const std_twin& other, source_site site = source_site::current())
        : base(site, {}, alloc{other.get_allocator()}) {
        this->assign_from(other);
    }
    tracked_vector& operator=(const std_twin& other) {
        this->assign_from(other);
        return *this;
    }
    tracked_vector& operator=(std::initializer_list<value_type> list) {
        this->assign_list(list);
        return *this;
    }

};

template <class T, class Allocator = std::allocator<T>>
class tracked_deque
    : public detail::sequence_base<tracked_deque<T, Allocator>,
                                   std::deque<T, detail::charging_allocator<T, Allocator>>> {
    using base = detail::sequence_base<tracked_deque, std::deque<T, detail::charging_allocator<T, Allocator>>>;
    using std_twin = std::deque<T, Allocator>;  // the std type this one replaces
    using alloc = detail::upstream_arg<Allocator>;
    using move_tag = typename base::move_tag;
    using move_into_new_record_tag = typename base::move_into_new_record_tag;

public:
    // The std type this one replaces (same arguments, the std allocator).
    using twin_type = std_twin;
    // std::deque's move constructor and move assignment allocate (a new block map).
    static constexpr bool move_allocates = true;
    using typename base::allocator_type;
    using typename base::size_type;
    using typename base::value_type;

    static const std::string& tracked_type_name() {
        static const std::string* const name = new std::string(detail::compose_type_name<T>("tracked_deque"));
        return *name;
    }

    using base::base;  // the shared constructors (sequence_base)
    tracked_deque(source_site site = source_site::current()) noexcept(std::is_nothrow_default_constructible<std_twin>::value)
        : base(site, {}, alloc{Allocator()}) {}
    tracked_deque(const tracked_deque& other, source_site site = source_site::current())
        : base(site, {}, other.inner_, alloc{base::copy_upstream(other)}) {}
    tracked_deque(tracked_deque&& other) noexcept(std::is_nothrow_move_constructible<std_twin>::value)
        : base(move_into_new_record_tag{}, other) {}
    // Initializer-list constructors of its own: g++ deduces from a braced list only through
    // a class's own (not an inherited) initializer-list constructor.
    tracked_deque(std::initializer_list<value_type> list, const allocator_type& a = allocator_type(),
                  source_site site = source_site::current())
        : base(site, {}, list, alloc{a}) {}

    tracked_deque& operator=(const tracked_deque& other) {
        base::operator=(other);
        return *this;
    }
    tracked_deque& operator=(tracked_deque&& other) noexcept(std::is_nothrow_move_assignable<std_twin>::value) {
        base::operator=(std::move(other));
        return *this;
    }
    // From the std type this one replaces: its elements are copied in (see README, "Where code
    // expects the std type").
    explicit tracked_deque(const std_twin& other, source_site site = source_site::current())
        : base(site, {}, alloc{other.get_allocator()}) {
        this->assign_from(other);
    }
    tracked_deque& operator=(const std_twin& other) {
        this->assign_from(other);
        return *this;
    }
    tracked_deque& operator=(std::initializer_list<value_type> list) {
        this->assign_list(list);
        return *this;
    }

};

template <class T, class Allocator = std::allocator<T>>
class tracked_list
    : public detail::list_base<tracked_list<T, Allocator>, std::list<T, detail::charging_allocator<T, Allocator>>> {
    using base = detail::list_base<tracked_list, std::list<T, detail::charging_allocator<T, Allocator>>>;
    using std_twin = std::list<T, Allocator>;  // the std type this one replaces
    using alloc = detail::upstream_arg<Allocator>;
    using move_tag = typename base::move_tag;

public:
    // The std type this one replaces (same arguments, the std allocator).
    using twin_type = std_twin;
    using typename base::allocator_type;
    using typename base::size_type;
    using typename base::value_type;

    static const std::string& tracked_type_name() {
        static const std::string* const name = new std::string(detail::compose_type_name<T>("tracked_list"));
        return *name;
    }

    using base::base;  // the shared constructors (sequence_base)
    tracked_list(source_site site = source_site::current()) noexcept(std::is_nothrow_default_constructible<std_twin>::value)
        : base(site, {}, alloc{Allocator()}) {}
    tracked_list(const tracked_list& other, source_site site = source_site::current())
        : base(site, {}, other.inner_, alloc{base::copy_upstream(other)}) {}
    tracked_list(tracked_list&& other) noexcept(std::is_nothrow_move_constructible<std_twin>::value)
        : base(move_tag{}, other) {}
    // Initializer-list constructors of its own: g++ deduces from a braced list only through
    // a class's own (not an inherited) initializer-list constructor.
    tracked_list(std::initializer_list<value_type> list, const allocator_type& a = allocator_type(),
                 source_site site = source_site::current())
        : base(site, {}, list, alloc{a}) {}

    tracked_list& operator=(const tracked_list& other) {
        base::operator=(other);
        return *this;
    }
    tracked_list& operator=(tracked_list&& other) noexcept(std::is_nothrow_move_assignable<std_twin>::value) {
        base::operator=(std::move(other));
        return *this;
    }
    // From the std type this one replaces: its elements are copied in (see README, "Where code
    // expects the std type").
    explicit tracked_list(const std_twin& other, source_site site = source_site::current())
        : base(site, {}, alloc{other.get_allocator()}) {
        this->assign_from(other);
    }
    tracked_list& operator=(const std_twin& other) {
        this->assign_from(other);
        return *this;
    }
    tracked_list& operator=(std::initializer_list<value_type> list) {
        this->assign_list(list);
        return *this;
    }

};

// --- deduction guides: `tracked_vector v{1, 2, 3}`, `tracked_list l(first, last)`, and the
// same with a leading label. The constructors name value_type through the family base, which
// implicit guides cannot see through, so every deducing form is spelled here. ----------------

template <class InputIt, class Allocator = std::allocator<detail::sequence_iter_value_t<InputIt>>,
          detail::require_input_iterator<InputIt> = 0, detail::require_allocator<Allocator> = 0>
tracked_vector(InputIt, InputIt, Allocator = Allocator())
    -> tracked_vector<detail::sequence_iter_value_t<InputIt>, Allocator>;
template <class InputIt, class Allocator = std::allocator<detail::sequence_iter_value_t<InputIt>>,
          detail::require_input_iterator<InputIt> = 0, detail::require_allocator<Allocator> = 0>
tracked_vector(const leakwatch::label&, InputIt, InputIt, Allocator = Allocator())
    -> tracked_vector<detail::sequence_iter_value_t<InputIt>, Allocator>;
template <class T, class Allocator = std::allocator<T>, detail::require_allocator<Allocator> = 0>
tracked_vector(std::initializer_list<T>, Allocator = Allocator()) -> tracked_vector<T, Allocator>;
template <class T, class Allocator = std::allocator<T>, detail::require_allocator<Allocator> = 0>
tracked_vector(const leakwatch::label&, std::initializer_list<T>, Allocator = Allocator())
    -> tracked_vector<T, Allocator>;
template <class T, class Allocator = std::allocator<T>, detail::require_allocator<Allocator> = 0>
tracked_vector(std::size_t, T, Allocator = Allocator()) -> tracked_vector<T, Allocator>;
template <class T, class Allocator = std::allocator<T>, detail::require_allocator<Allocator> = 0>
tracked_vector(const leakwatch::label&, std::size_t, T, Allocator = Allocator()) -> tracked_vector<T, Allocator>;

template <class InputIt, class Allocator = std::allocator<detail::sequence_iter_value_t<InputIt>>,
          detail::require_input_iterator<InputIt> = 0, detail::require_allocator<Allocator> = 0>
tracked_deque(InputIt, InputIt, Allocator = Allocator())
    -> tracked_deque<detail::sequence_iter_value_t<InputIt>, Allocator>;
template <class InputIt, class Allocator = std::allocator<detail::sequence_iter_value_t<InputIt>>,
          detail::require_input_iterator<InputIt> = 0, detail::require_allocator<Allocator> = 0>
tracked_deque(const leakwatch::label&, InputIt, InputIt, Allocator = Allocator())
    -> tracked_deque<detail::sequence_iter_value_t<InputIt>, Allocator>;
template <class T, class Allocator = std::allocator<T>, detail::require_allocator<Allocator> = 0>
tracked_deque(std::initializer_list<T>, Allocator = Allocator()) -> tracked_deque<T, Allocator>;
template <class T, class Allocator = std::allocator<T>, detail::require_allocator<Allocator> = 0>
tracked_deque(const leakwatch::label&, std::initializer_list<T>, Allocator = Allocator())
    -> tracked_deque<T, Allocator>;
template <class T, class Allocator = std::allocator<T>, detail::require_allocator<Allocator> = 0>
tracked_deque(std::size_t, T, Allocator = Allocator()) -> tracked_deque<T, Allocator>;
template <class T, class Allocator = std::allocator<T>, detail::require_allocator<Allocator> = 0>
tracked_deque(const leakwatch::label&, std::size_t, T, Allocator = Allocator()) -> tracked_deque<T, Allocator>;

template <class InputIt, class Allocator = std::allocator<detail::sequence_iter_value_t<InputIt>>,
          detail::require_input_iterator<InputIt> = 0, detail::require_allocator<Allocator> = 0>
tracked_list(InputIt, InputIt, Allocator = Allocator())
    -> tracked_list<detail::sequence_iter_value_t<InputIt>, Allocator>;
template <class InputIt, class Allocator = std::allocator<detail::sequence_iter_value_t<InputIt>>,
          detail::require_input_iterator<InputIt> = 0, detail::require_allocator<Allocator> = 0>
tracked_list(const leakwatch::label&, InputIt, InputIt, Allocator = Allocator())
    -> tracked_list<detail::sequence_iter_value_t<InputIt>, Allocator>;
template <class T, class Allocator = std::allocator<T>, detail::require_allocator<Allocator> = 0>
tracked_list(std::initializer_list<T>, Allocator = Allocator()) -> tracked_list<T, Allocator>;
template <class T, class Allocator = std::allocator<T>, detail::require_allocator<Allocator> = 0>
tracked_list(const leakwatch::label&, std::initializer_list<T>, Allocator = Allocator())
    -> tracked_list<T, Allocator>;
template <class T, class Allocator = std::allocator<T>, detail::require_allocator<Allocator> = 0>
tracked_list(std::size_t, T, Allocator = Allocator()) -> tracked_list<T, Allocator>;
template <class T, class Allocator = std::allocator<T>, detail::require_allocator<Allocator> = 0>
tracked_list(const leakwatch::label&, std::size_t, T, Allocator = Allocator()) -> tracked_list<T, Allocator>;

// The copy and move constructors with an allocator or a leading label are inherited from the
// family base, and implicit guides come only from a class's own constructors: these deduce
// them as the std twin's implicit guides do (`tracked_vector b(a, alloc)`).
template <class T, class A>
tracked_vector(const tracked_vector<T, A>&, const typename tracked_vector<T, A>::allocator_type&) -> tracked_vector<T, A>;
template <class T, class A>
tracked_vector(tracked_vector<T, A>&&, const typename tracked_vector<T, A>::allocator_type&) -> tracked_vector<T, A>;
template <class T, class A>
tracked_vector(const leakwatch::label&, const tracked_vector<T, A>&) -> tracked_vector<T, A>;
template <class T, class A>
tracked_vector(const leakwatch::label&, const tracked_vector<T, A>&, const typename tracked_vector<T, A>::allocator_type&) -> tracked_vector<T, A>;
template <class T, class A>
tracked_vector(const leakwatch::label&, tracked_vector<T, A>&&) -> tracked_vector<T, A>;
template <class T, class A>
tracked_vector(const leakwatch::label&, tracked_vector<T, A>&&, const typename tracked_vector<T, A>::allocator_type&) -> tracked_vector<T, A>;
template <class T, class A>
tracked_deque(const tracked_deque<T, A>&, const typename tracked_deque<T, A>::allocator_type&) -> tracked_deque<T, A>;
template <class T, class A>
tracked_deque(tracked_deque<T, A>&&, const typename tracked_deque<T, A>::allocator_type&) -> tracked_deque<T, A>;
template <class T, class A>
tracked_deque(const leakwatch::label&, const tracked_deque<T, A>&) -> tracked_deque<T, A>;
template <class T, class A>
tracked_deque(const leakwatch::label&, const tracked_deque<T, A>&, const typename tracked_deque<T, A>::allocator_type&) -> tracked_deque<T, A>;
template <class T, class A>
tracked_deque(const leakwatch::label&, tracked_deque<T, A>&&) -> tracked_deque<T, A>;
template <class T, class A>
tracked_deque(const leakwatch::label&, tracked_deque<T, A>&&, const typename tracked_deque<T, A>::allocator_type&) -> tracked_deque<T, A>;
template <class T, class A>
tracked_list(const tracked_list<T, A>&, const typename tracked_list<T, A>::allocator_type&) -> tracked_list<T, A>;
template <class T, class A>
tracked_list(tracked_list<T, A>&&, const typename tracked_list<T, A>::allocator_type&) -> tracked_list<T, A>;
template <class T, class A>
tracked_list(const leakwatch::label&, const tracked_list<T, A>&) -> tracked_list<T, A>;
template <class T, class A>
tracked_list(const leakwatch::label&, const tracked_list<T, A>&, const typename tracked_list<T, A>::allocator_type&) -> tracked_list<T, A>;
template <class T, class A>
tracked_list(const leakwatch::label&, tracked_list<T, A>&&) -> tracked_list<T, A>;
template <class T, class A>
tracked_list(const leakwatch::label&, tracked_list<T, A>&&, const typename tracked_list<T, A>::allocator_type&) -> tracked_list<T, A>;

#else  // LEAKWATCH_DISABLE

template <class T, class Allocator = std::allocator<T>>
using tracked_vector = std::vector<T, Allocator>;
template <class T, class Allocator = std::allocator<T>>
using tracked_deque = std::deque<T, Allocator>;
template <class T, class Allocator = std::allocator<T>>
using tracked_list = std::list<T, Allocator>;

#endif

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
