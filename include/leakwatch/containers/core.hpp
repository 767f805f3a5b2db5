// leakwatch/containers/core.hpp — the small base every tracked container stands on.
//
// A tracked container holds its std container (with a charging allocator bound to its own
// registry record) and forwards every member. The base keeps the two invariants in one
// place: after every operation through the wrapper the record's element count equals
// size(), and whenever memory changes hands between two containers (move, swap, node
// handles, merge, splice) the matching bytes and allocations move between their records.
#pragma once

#include <leakwatch/allocator.hpp>
#include <leakwatch/config.hpp>
#include <leakwatch/detail/type_name.hpp>
#include <leakwatch/label.hpp>
#include <leakwatch/source_site.hpp>
#include <leakwatch/stats.hpp>

#include <cstddef>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#if LEAKWATCH_CPP20
#include <compare>
#endif

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {
namespace detail {

// Gives the tracked types access to each other's internals (merge, splice, node handles).
struct core_access {
    template <class C>
    static auto& inner(C& c) noexcept {
        return static_cast<typename C::core_type&>(c).inner_;
    }
    template <class C>
    static record* rec(const C& c) noexcept {
        return static_cast<const typename C::core_type&>(c).rec_.get();
    }
    template <class Node>
    static Node make_node(typename Node::std_node_type&& node, record* owner) noexcept {
        return Node(std::move(node), owner);
    }
    template <class Node>
    static typename Node::std_node_type take_node(Node& node) noexcept {
        return node.take();
    }
    template <class Node>
    static record* node_owner(const Node& node) noexcept {
        return node.owner_;
    }
};

// Stands for "the container's allocator" among constructor arguments: the core replaces it
// with a charging allocator bound to the container's record, which only exists once the
// core starts constructing.
template <class Upstream>
struct upstream_arg {
    const Upstream& upstream;
};

// "tracked_map<int, Session>": the public template name and its leading arguments.
template <class... Args>
std::string compose_type_name(const char* name) {
    std::string out = name;
    out += '<';
    bool first = true;
    ((out += (first ? "" : ", "), out += type_name<Args>(), first = false), ...);
    out += '>';
    return out;
}

// A node handle (C++17 extract/insert) that knows which record paid for its node, so the
// bytes follow the node into the container that takes it, and so the record knows how
// much of its memory is out of the container while the handle holds it.
template <class StdNode>
class node_handle {
public:
    using std_node_type = StdNode;
    using allocator_type = typename StdNode::allocator_type::upstream_type;

    constexpr node_handle() noexcept = default;
    node_handle(node_handle&& other) noexcept
        : node_(std::move(other.node_)), owner_(std::exchange(other.owner_, nullptr)) {}
    node_handle& operator=(node_handle&& other) noexcept {
        if (this != std::addressof(other)) {
            release();
            node_ = std::move(other.node_);
            owner_ = std::exchange(other.owner_, nullptr);
        }
        return *this;
    }
    ~node_handle() { release(); }

    [[nodiscard]] bool empty() const noexcept { return node_.empty(); }
    explicit operator bool() const noexcept { return !node_.empty(); }
    allocator_type get_allocator() const { return allocator_type(node_.get_allocator().upstream()); }

    template <class N = StdNode>
    auto key() const -> decltype(std::declval<N&>().key()) {
        return node_.key();
    }
    template <class N = StdNode>
    auto mapped() const -> decltype(std::declval<N&>().mapped()) {
        return node_.mapped();
    }
    template <class N = StdNode>
    auto value() const -> decltype(std::declval<N&>().value()) {
        return node_.value();
    }

    void swap(node_handle& other) noexcept {
        using std::swap;
        swap(node_, other.node_);
        swap(owner_, other.owner_);
    }
    friend void swap(node_handle& a, node_handle& b) noexcept { a.swap(b); }

private:
    friend struct core_access;

    node_handle(StdNode&& node, record* owner) noexcept : node_(std::move(node)), owner_(owner) {
        if (!node_.empty() && owner_ != nullptr) {
            owner_->node_bytes_out.fetch_add(owner_->node_size.load(std::memory_order_relaxed),
                                             std::memory_order_relaxed);
            owner_->nodes_out.fetch_add(1, std::memory_order_relaxed);
        }
    }
    // Hands the node to a container; the caller settles the bytes with node_owner().
    StdNode take() noexcept {
        release();
        return std::move(node_);
    }
    void release() noexcept {
        if (!node_.empty() && owner_ != nullptr) {
            owner_->node_bytes_out.fetch_sub(owner_->node_size.load(std::memory_order_relaxed),
                                             std::memory_order_relaxed);
            owner_->nodes_out.fetch_sub(1, std::memory_order_relaxed);
        }
    }

    StdNode node_;
    record* owner_ = nullptr;
};

// The result of inserting a node handle into a unique-key container.
template <class Iterator, class NodeType>
struct insert_return {
    Iterator position;
    bool inserted;
    NodeType node;
};

// Traits and constraints shared by the container families.
// A map has a mapped_type; a unique-key container has an insert_return_type (node handles).
template <class T, class = void>
struct has_mapped_type : std::false_type {};
template <class T>
struct has_mapped_type<T, std::void_t<typename T::mapped_type>> : std::true_type {};

template <class T, class = void>
struct has_insert_return_type : std::false_type {};
template <class T>
struct has_insert_return_type<T, std::void_t<typename T::insert_return_type>> : std::true_type {};

// Constrains iterator-pair overloads and deduction guides as the std library does: an
// iterator pair never deduces from two integers, a comparator is never taken for an allocator.
template <class It>
using require_input_iterator = std::enable_if_t<
    std::is_convertible<typename std::iterator_traits<It>::iterator_category, std::input_iterator_tag>::value, int>;
template <class A>
using require_allocator = std::enable_if_t<is_allocator<A>::value, int>;
template <class C>
using require_not_allocator = std::enable_if_t<!is_allocator<C>::value, int>;

// The ordering operators of the families whose std twins are ordered (not the unordered
// ones): a base of ordered_base and sequence_base, found by argument-dependent lookup.
template <class Derived>
struct ordering_operators {
#if LEAKWATCH_CPP20
    friend auto operator<=>(const Derived& a, const Derived& b) { return a.std() <=> b.std(); }
#else
    friend bool operator<(const Derived& a, const Derived& b) { return a.std() < b.std(); }
    friend bool operator>(const Derived& a, const Derived& b) { return b.std() < a.std(); }
    friend bool operator<=(const Derived& a, const Derived& b) { return !(b.std() < a.std()); }
    friend bool operator>=(const Derived& a, const Derived& b) { return !(a.std() < b.std()); }
#endif
};

template <class Derived, class Std>
class tracked_core {
    using charging_type = typename Std::allocator_type;

public:
    using core_type = tracked_core;
    using std_type = Std;
    using value_type = typename Std::value_type;
    using allocator_type = typename charging_type::upstream_type;
    using size_type = typename Std::size_type;
    using difference_type = typename Std::difference_type;
    using reference = typename Std::reference;
    using const_reference = typename Std::const_reference;
    using pointer = typename std::allocator_traits<allocator_type>::pointer;
    using const_pointer = typename std::allocator_traits<allocator_type>::const_pointer;
    using iterator = typename Std::iterator;
    using const_iterator = typename Std::const_iterator;

    // --- leakwatch ------------------------------------------------------------------------
    // The label given at construction ("" when none).
    const std::string& label() const noexcept { return rec_->label; }
    // The underlying std container. Mutations made directly through it keep the byte
    // accounting exact but update the element count only at the wrapper's next operation,
    // and operations between two containers through it bypass the accounting entirely.
    Std& std() noexcept { return inner_; }
    const Std& std() const noexcept { return inner_; }
    container_stats stats() const noexcept { return read_stats(rec_.get()); }

    // --- std ------------------------------------------------------------------------------
    allocator_type get_allocator() const noexcept { return allocator_type(inner_.get_allocator().upstream()); }

    iterator begin() noexcept {
        note_read();
        return inner_.begin();
    }
    const_iterator begin() const noexcept {
        note_read();
        return inner_.begin();
    }
    const_iterator cbegin() const noexcept {
        note_read();
        return inner_.cbegin();
    }
    iterator end() noexcept { return inner_.end(); }
    const_iterator end() const noexcept { return inner_.end(); }
    const_iterator cend() const noexcept { return inner_.cend(); }

    [[nodiscard]] bool empty() const noexcept { return inner_.empty(); }
    size_type size() const noexcept { return inner_.size(); }
    size_type max_size() const noexcept { return inner_.max_size(); }

    void clear() noexcept {
        const size_type before = inner_.size();
        inner_.clear();
        rec_->note_size(before, 0);
    }

    void swap(Derived& other_container) noexcept {
        tracked_core& other = other_container;
        if (std::addressof(other) == this) return;
        const size_type mine = inner_.size(), theirs = other.inner_.size();
        swap_contents(inner_, rec_.get(), other.inner_, other.rec_.get());
        rec_->note_replace(mine, theirs);
        other.rec_->note_replace(theirs, mine);
    }
    friend void swap(Derived& a, Derived& b) noexcept { a.swap(b); }

    friend bool operator==(const Derived& a, const Derived& b) { return a.std() == b.std(); }
    friend bool operator!=(const Derived& a, const Derived& b) { return !(a.std() == b.std()); }

protected:
    friend struct core_access;

    // Constructs the std container from `args`, where an upstream_arg stands for the
    // charging allocator.
    template <class... Args>
    tracked_core(const source_site& site, std::string_view label, Args&&... args)
        : rec_(record_kind::container, site, label, Derived::tracked_type_name(), false),
          inner_(bind(std::forward<Args>(args))...) {
        rec_->note_size(0, inner_.size());
    }

    // Move construction: start empty, then take the other's contents whole.
    struct move_tag {};
    tracked_core(const source_site& site, std::string_view label, move_tag, Derived& other_container)
        : tracked_core(site, label,
                       upstream_arg<allocator_type>{other_container.std().get_allocator().upstream()}) {
        tracked_core& other = other_container;
        const size_type theirs = other.inner_.size();
        swap_contents(inner_, rec_.get(), other.inner_, other.rec_.get());
        rec_->note_size(0, theirs);
        other.rec_->note_size(theirs, other.inner_.size());
    }
    // Move construction with another allocator: steal when the allocators are equal, move
    // element by element otherwise (as the std container does).
    tracked_core(const source_site& site, std::string_view label, move_tag, Derived& other_container,
                 const allocator_type& alloc)
        : tracked_core(site, label, upstream_arg<allocator_type>{alloc}) {
        tracked_core& other = other_container;
        const size_type theirs = other.inner_.size();
        if (inner_.get_allocator() == other.inner_.get_allocator()) {
            swap_contents(inner_, rec_.get(), other.inner_, other.rec_.get());
        } else {
            Std moved(std::move(other.inner_), inner_.get_allocator());
            inner_.swap(moved);  // same record on both sides: no transfer
        }
        rec_->note_size(0, inner_.size());
        other.rec_->note_size(theirs, other.inner_.size());
    }

    tracked_core(const tracked_core&) = delete;

    tracked_core& operator=(const tracked_core& other) {
        if (this != std::addressof(other)) replace_with([&](Std& s) { s = other.inner_; });  // keeps our allocator
        return *this;
    }
    tracked_core& operator=(tracked_core&& other) noexcept(
        std::allocator_traits<allocator_type>::is_always_equal::value) {
        if (this == std::addressof(other)) return *this;
        // Both counts are settled in a destructor: with unequal allocators an element's move
        // may throw half-way (only then; with equal ones nothing here throws).
        struct settle {
            tracked_core& self;
            tracked_core& source;
            size_type before, theirs;
            ~settle() {
                self.rec_->note_replace(before, self.inner_.size());
                source.rec_->note_size(theirs, source.inner_.size());
            }
        } guard{*this, other, inner_.size(), other.inner_.size()};
        if (inner_.get_allocator() == other.inner_.get_allocator()) {
            // Drop our old contents first, so that our record holds exactly what inner_ holds
            // when the contents change hands.
            {
                Std old(inner_.get_allocator());
                inner_.swap(old);
            }
            swap_contents(inner_, rec_.get(), other.inner_, other.rec_.get());
        } else {
            inner_ = std::move(other.inner_);  // element-wise, through our allocator
        }
        return *this;
    }
    template <class List>
    void assign_list(List list) {
        replace_with([&](Std& s) { s = list; });
    }
    template <class Op>
    void replace_with(Op&& op) {
        struct replace_guard {
            tracked_core& self;
            size_type before;
            ~replace_guard() { self.rec_->note_replace(before, self.inner_.size()); }
        } guard{*this, inner_.size()};
        std::forward<Op>(op)(inner_);
    }

    ~tracked_core() = default;

    // Exchanges the contents of two std containers whose allocators compare equal, and
    // moves between their records exactly the memory that changed hands: everything each
    // container held, which is what its record is charged minus what node handles hold.
    static void swap_contents(Std& a, record* ra, Std& b, record* rb) noexcept {
        const std::size_t a_bytes = held_bytes(ra), a_allocations = held_allocations(ra);
        const std::size_t b_bytes = held_bytes(rb), b_allocations = held_allocations(rb);
        a.swap(b);
        record::transfer(ra, rb, a_bytes, a_allocations);
        record::transfer(rb, ra, b_bytes, b_allocations);
    }
    static std::size_t held_bytes(const record* r) noexcept {
        return r->live_bytes() - r->node_bytes_out.load(std::memory_order_relaxed);
    }
    static std::size_t held_allocations(const record* r) noexcept {
        return r->live_allocations() - r->nodes_out.load(std::memory_order_relaxed);
    }

    // Calls `op` on the std container and records the size change, also when `op` throws.
    template <class Op>
    decltype(auto) mutate(Op&& op) {
        struct size_guard {
            tracked_core& self;
            size_type before;
            ~size_guard() { self.rec_->note_size(before, self.inner_.size()); }
        } guard{*this, inner_.size()};
        return std::forward<Op>(op)(inner_);
    }
    // Operations that change memory but not the elements (reserve, rehash, shrink).
    template <class Op>
    decltype(auto) reshape(Op&& op) {
        rec_->note_write();
        return std::forward<Op>(op)(inner_);
    }
    void note_read() const noexcept { note_lookup(rec_.get()); }

    // Moves `count` whole nodes' worth of memory from `from` to this container's record.
    void adopt_nodes(record* from, std::size_t count) noexcept {
        if (count == 0 || from == rec_.get()) return;
        const std::size_t node = from->node_size.load(std::memory_order_relaxed);
        record::transfer(from, rec_.get(), node * count, count);
    }

    // Node handles: extraction keeps the bytes with this record until a container adopts
    // the node; insertion adopts it.
    template <class Node, class StdNode>
    Node wrap_node(StdNode&& node) {
        return core_access::make_node<Node>(std::move(node), rec_.get());
    }
    // Inserts a node handle through `insert` (which receives the std node handle) and, if
    // the container took the node, moves its bytes to this record.
    template <class Node, class Insert>
    decltype(auto) insert_node(Node&& node, Insert&& insert) {
        record* const owner = core_access::node_owner(node);
        const size_type before = inner_.size();
        auto std_node = core_access::take_node(node);
        // A refused node, or one left behind by an insertion that threw (a hash, comparison or
        // bucket allocation), stays in the handle, still charged to whoever paid for it.
        struct give_back {
            std::decay_t<Node>& handle;
            decltype(std_node)& held;
            record* owner;
            ~give_back() {
                if (!held.empty()) handle = core_access::make_node<std::decay_t<Node>>(std::move(held), owner);
            }
        } guard{node, std_node, owner};
        auto result = std::forward<Insert>(insert)(inner_, std_node, owner);
        const size_type after = inner_.size();
        if (after != before && owner != nullptr) adopt_nodes(owner, 1);
        rec_->note_size(before, after);
        return result;
    }

    record_handle rec_;
    Std inner_;

private:
    template <class Arg>
    decltype(auto) bind(Arg&& arg) {
        if constexpr (std::is_same<std::decay_t<Arg>, upstream_arg<allocator_type>>::value)
            return charging_type(arg.upstream, rec_.get());
        else
            return std::forward<Arg>(arg);
    }
};

}  // namespace detail
}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
