// leakwatch/containers/core.hpp — the small base every tracked container stands on.
//
// A tracked container holds its std container (with a charging allocator bound to its own
// registry record) and forwards every member. The base keeps the two invariants in one
// place: after every operation through the wrapper the record's element count equals
// size(), and whenever memory changes hands between two containers (move, swap, node
// handles, merge, splice) the matching bytes and allocations move between their records.
#pragma once

#include <leakwatch/config.hpp>
#include <leakwatch/detail/charging_allocator.hpp>
#include <leakwatch/detail/type_name.hpp>
#include <leakwatch/label.hpp>
#include <leakwatch/source_site.hpp>
#include <leakwatch/stats.hpp>
#include <leakwatch/detail/record_pool.hpp>

#include <algorithm>
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
    // The record of a container that is about to change (a moved-from one gets one now).
    template <class C>
    static record* rec(C& c) noexcept {
        return static_cast<typename C::core_type&>(c).live_record();
    }
    // Where a container was created (its identity's site).
    template <class C>
    static source_site site(const C& c) noexcept {
        const identity_entry& who =
            record_pool::instance().identity(static_cast<const typename C::core_type&>(c).identity());
        return source_site{who.file, who.line, who.function};
    }
    template <class Node>
    static Node make_node(typename Node::std_node_type&& node, record* owner, bool counted = false) noexcept {
        return Node(std::move(node), owner, counted);
    }
    template <class Node>
    static typename Node::std_node_type take_node(Node& node) noexcept {
        return node.take();
    }
    template <class Node>
    static void uncount_node(record* owner) noexcept {
        Node::uncount(owner);
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
    node_handle(const node_handle&) = delete;
    node_handle& operator=(const node_handle&) = delete;

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

    // By moves, not by the std handles' swap: with allocators that do not propagate on swap
    // (the charging allocator's), that exchanges the nodes and keeps each handle's allocator,
    // so a node would be freed through, or adopted from, a record it was never charged to. A
    // move into an empty handle takes the allocator along.
    void swap(node_handle& other) noexcept {
        if (this == std::addressof(other)) return;
        node_handle held(std::move(other));
        other = std::move(*this);
        *this = std::move(held);
    }
    friend void swap(node_handle& a, node_handle& b) noexcept { a.swap(b); }

private:
    friend struct core_access;

    // `counted`: the node is already counted in owner->nodes_out (one handed back).
    node_handle(StdNode&& node, record* owner, bool counted = false) noexcept
        : node_(std::move(node)), owner_(owner) {
        if (node_.empty()) {
            if (counted && owner_ != nullptr) owner_->nodes_out.fetch_sub(1, std::memory_order_release);
            owner_ = nullptr;
        } else if (!counted && owner_ != nullptr) {
            owner_->nodes_out.fetch_add(1, std::memory_order_relaxed);
        }
    }
    // Hands the node to a container. The node stays counted in owner->nodes_out: the caller
    // moves its bytes, then calls uncount() (so that the owner's own frees stay atomic until
    // the node's bytes have left its record).
    StdNode take() noexcept {
        owner_ = nullptr;
        return std::move(node_);
    }
    static void uncount(record* owner) noexcept {
        if (owner != nullptr) owner->nodes_out.fetch_sub(1, std::memory_order_release);
    }
    void release() noexcept {
        if (owner_ == nullptr) return;
        record* const owner = owner_;
        owner_ = nullptr;
        {
            StdNode dying(std::move(node_));  // frees the node while it still counts
        }
        uncount(owner);
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

// Whether a container's elements are (or hold, as a map's mapped value) tracked containers:
// then its operations tell the elements' constructors who their parent is.
template <class T, class = void>
struct is_tracked_container : std::false_type {};
template <class T>
struct is_tracked_container<T, std::void_t<typename T::core_type, typename T::std_type>> : std::true_type {};
template <class V>
struct holds_tracked : is_tracked_container<V> {};
template <class K, class M>
struct holds_tracked<std::pair<K, M>> : is_tracked_container<M> {};

// Sequences (vector, deque, list) assign ranges; hashed containers compare as permutations.
template <class T, class = void>
struct is_sequence : std::false_type {};
template <class T>
struct is_sequence<T, std::void_t<decltype(std::declval<T&>().push_back(std::declval<const typename T::value_type&>()))>>
    : std::true_type {};
template <class T, class = void>
struct is_hashed : std::false_type {};
template <class T>
struct is_hashed<T, std::void_t<typename T::hasher>> : std::true_type {};

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
    // Whether the std container's move constructor and move assignment allocate (deque).
    static constexpr bool move_allocates = false;
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
    const std::string& label() const noexcept {
        record* r = rec();
        if (r != nullptr) return label_of(r);
        return record_pool::instance().identity(inner_.get_allocator().moved_identity()).label;
    }
    // The underlying std container. Mutations made directly through it keep the byte
    // accounting exact but update the element count only at the wrapper's next operation,
    // and operations between two containers through it bypass the accounting entirely.
    Std& std() noexcept {
        live_record();
        return inner_;
    }
    const Std& std() const noexcept { return inner_; }
    container_stats stats() const noexcept { return read_stats(rec()); }

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
        if (record* r = rec()) r->note_size(before, 0);
    }

    void swap(Derived& other_container) noexcept(noexcept(std::declval<Std&>().swap(std::declval<Std&>()))) {
        tracked_core& other = other_container;
        if (std::addressof(other) == this) return;
        record* mine = live_record();
        record* theirs = other.live_record();
        const size_type my_size = inner_.size(), their_size = other.inner_.size();
        if constexpr (std::allocator_traits<allocator_type>::propagate_on_container_swap::value) {
            // The upstream allocators change hands with the contents: each container keeps its
            // record and takes the other's upstream.
            const std::size_t my_bytes = mine->held_bytes(), my_allocations = mine->held_allocations();
            const std::size_t their_bytes = theirs->held_bytes(), their_allocations = theirs->held_allocations();
            Std mine_now(std::move(other.inner_), charging_type(other.inner_.get_allocator().upstream(), mine));
            Std theirs_now(std::move(inner_), charging_type(inner_.get_allocator().upstream(), theirs));
            reseat(std::move(mine_now));
            other.reseat(std::move(theirs_now));
            record::transfer(mine, theirs, my_bytes, static_cast<std::uint32_t>(my_allocations));
            record::transfer(theirs, mine, their_bytes, static_cast<std::uint32_t>(their_allocations));
        } else {
            swap_contents(inner_, mine, other.inner_, theirs);
        }
        mine->note_replace(my_size, their_size);
        theirs->note_replace(their_size, my_size);
    }
    friend void swap(Derived& a, Derived& b) noexcept(noexcept(a.swap(b))) { a.swap(b); }

    friend bool operator==(const Derived& a, const Derived& b) { return a.std() == b.std(); }
    friend bool operator!=(const Derived& a, const Derived& b) { return !(a.std() == b.std()); }

    // Against the std type this one replaces (whose allocator differs, so the std operators do
    // not apply): the same contents, as the std twin's == would say.
    template <class Twin, class D = Derived, std::enable_if_t<std::is_same<Twin, typename D::twin_type>::value, int> = 0>
    friend bool operator==(const Derived& a, const Twin& b) {
        return same_contents(a.std(), b);
    }
#if !LEAKWATCH_CPP20
    template <class Twin, class D = Derived, std::enable_if_t<std::is_same<Twin, typename D::twin_type>::value, int> = 0>
    friend bool operator==(const Twin& b, const Derived& a) {
        return same_contents(a.std(), b);
    }
    template <class Twin, class D = Derived, std::enable_if_t<std::is_same<Twin, typename D::twin_type>::value, int> = 0>
    friend bool operator!=(const Derived& a, const Twin& b) {
        return !same_contents(a.std(), b);
    }
    template <class Twin, class D = Derived, std::enable_if_t<std::is_same<Twin, typename D::twin_type>::value, int> = 0>
    friend bool operator!=(const Twin& b, const Derived& a) {
        return !same_contents(a.std(), b);
    }
#endif

protected:
    friend struct core_access;

    // For the family bases' constructors: an upstream allocator to build the charging one
    // from, and the upstream a copy of `other` takes (select_on_container_copy_construction).
    using alloc_arg = upstream_arg<allocator_type>;
    static allocator_type copy_upstream(const Derived& other) {
        return std::allocator_traits<allocator_type>::select_on_container_copy_construction(other.get_allocator());
    }

    // Constructs the std container from `args`, where an upstream_arg stands for the
    // charging allocator.
    template <class... Args>
    tracked_core(const source_site& site, std::string_view label, Args&&... args)
        : tracked_core(record_tag{}, register_container(site, label, Derived::tracked_type_name().c_str()),
                       std::forward<Args>(args)...) {}

    // Move construction: the record travels inside the allocator, with the memory (the
    // std container's move constructor moves its allocator); the source is left with a
    // moved-from allocator and gets a record of its own when it is used again.
    struct move_tag {};
    tracked_core(move_tag, Derived& other_container) noexcept(std::is_nothrow_move_constructible<Std>::value)
        : inner_(std::move(static_cast<tracked_core&>(other_container).inner_)) {}
    // A std container whose move constructor allocates (deque) would leave the source
    // holding memory charged to the record that left with the data: such a container is
    // moved into a new record of the same identity, and the bytes follow the contents.
    struct move_into_new_record_tag {};
    tracked_core(move_into_new_record_tag, Derived& other_container)
        : tracked_core(record_tag{},
                       record_pool::instance().acquire(static_cast<tracked_core&>(other_container).identity(),
                                                       record_kind::container),
                       upstream_arg<allocator_type>{other_container.std().get_allocator().upstream()}) {
        tracked_core& other = other_container;
        record* theirs = other.live_record();
        const size_type their_size = other.inner_.size();
        swap_contents(inner_, rec(), other.inner_, theirs);
        rec()->note_size(0, their_size);
        theirs->note_size(their_size, other.inner_.size());
    }
    // Move construction under another label: a new identity; the contents and bytes move.
    tracked_core(const source_site& site, std::string_view label, move_tag, Derived& other_container)
        : tracked_core(site, label, move_tag{}, other_container,
                       static_cast<const allocator_type&>(other_container.get_allocator())) {}
    // Move construction with another allocator: steal when the allocators are equal, move
    // element by element otherwise (as the std container does).
    tracked_core(const source_site& site, std::string_view label, move_tag, Derived& other_container,
                 const allocator_type& alloc)
        : tracked_core(site, label, upstream_arg<allocator_type>{alloc}) {
        tracked_core& other = other_container;
        record* theirs = other.live_record();
        const size_type their_size = other.inner_.size();
        if (inner_.get_allocator() == other.inner_.get_allocator()) {
            swap_contents(inner_, rec(), other.inner_, theirs);
        } else {
            Std moved(std::move(other.inner_), inner_.get_allocator());
            inner_.swap(moved);  // same record on both sides: no transfer
        }
        rec()->note_size(0, inner_.size());
        theirs->note_size(their_size, other.inner_.size());
    }

    tracked_core(const tracked_core&) = delete;

    tracked_core& operator=(const tracked_core& other) {
        if (this == std::addressof(other)) return *this;
        record* mine = live_record();
        const size_type before = inner_.size();
        if constexpr (std::allocator_traits<allocator_type>::propagate_on_container_copy_assignment::value) {
            if (!(get_allocator() == other.get_allocator())) {
                // Our memory goes back through our upstream; the copy is made through theirs.
                Std copy(other.inner_, charging_type(other.inner_.get_allocator().upstream(), mine));
                reseat(std::move(copy));
                mine->note_replace(before, inner_.size());
                return *this;
            }
        }
        replace_with([&](Std& s) { s = other.inner_; });  // keeps our allocator
        return *this;
    }
    tracked_core& operator=(tracked_core&& other) noexcept(
        std::allocator_traits<allocator_type>::propagate_on_container_move_assignment::value ||
        std::allocator_traits<allocator_type>::is_always_equal::value) {
        if (this == std::addressof(other)) return *this;
        constexpr bool propagate = std::allocator_traits<allocator_type>::propagate_on_container_move_assignment::value;
        if constexpr (!Derived::move_allocates) {
            // A moved-from target (no record, nothing allocated) takes the contents with their
            // record, which takes the target's identity: no registration, as cheap as the std
            // move (the second half of a swap made of moves, or of a vector's erase).
            if (rec() == nullptr && other.rec() != nullptr &&
                (propagate || inner_.get_allocator() == other.inner_.get_allocator())) {
                const std::uint32_t mine_identity = inner_.get_allocator().moved_identity();
                record* theirs = other.rec();
                if constexpr (propagate)
                    inner_ = std::move(other.inner_);  // the allocator brings the record along
                else
                    reseat(std::move(other.inner_));
                theirs->identity.store(mine_identity, std::memory_order_relaxed);
                theirs->note_write();
                return *this;
            }
        }
        record* mine = live_record();
        record* theirs = other.live_record();
        const size_type before = inner_.size(), their_size = other.inner_.size();
        if (propagate || inner_.get_allocator() == other.inner_.get_allocator()) {
            // The target keeps its identity (a named container assigned a new value stays
            // that container) and takes the contents; the bytes follow them.
            const std::size_t bytes = theirs->held_bytes(), allocations = theirs->held_allocations();
            if constexpr (Derived::move_allocates) {
                // deque: its move assignment allocates (a block map for the source); with equal
                // allocators swap and clear instead, which allocates nothing.
                if (inner_.get_allocator() == other.inner_.get_allocator()) {
                    swap_contents(inner_, mine, other.inner_, theirs);
                    other.inner_.clear();
                    mine->note_replace(before, their_size);
                    theirs->note_size(their_size, 0);
                    return *this;
                }
            }
            // What the move leaves allocated for the source through our record (a deque's
            // new block map) belongs to the source.
            const std::size_t held_before = mine->live_bytes(), allocations_before = mine->live_allocations();
            Std taken(std::move(other.inner_),
                      charging_type(propagate ? other.inner_.get_allocator().upstream()
                                              : inner_.get_allocator().upstream(),
                                    mine));
            record::transfer(mine, theirs, mine->live_bytes() - held_before,
                             static_cast<std::uint32_t>(mine->live_allocations() - allocations_before));
            record::transfer(theirs, mine, bytes, static_cast<std::uint32_t>(allocations));
            reseat(std::move(taken));
        } else {
            // Unequal allocators that do not propagate: element by element, through ours.
            struct settle {
                tracked_core& self;
                tracked_core& source;
                size_type before, theirs;
                ~settle() {
                    self.rec()->note_replace(before, self.inner_.size());
                    source.rec()->note_size(theirs, source.inner_.size());
                }
            } guard{*this, other, before, their_size};
            inner_ = std::move(other.inner_);
            return *this;
        }
        mine->note_replace(before, inner_.size());
        theirs->note_size(their_size, other.inner_.size());
        return *this;
    }
    // Replaces the contents with a copy of another range's (the std twin's) elements.
    template <class Range>
    void assign_from(const Range& other) {
        replace_with([&](Std& s) {
            if constexpr (is_sequence<Std>::value) {
                s.assign(other.begin(), other.end());
            } else {
                s.clear();
                s.insert(other.begin(), other.end());
            }
        });
    }
    template <class Twin>
    static bool same_contents(const Std& a, const Twin& b) {
        if (a.size() != b.size()) return false;
        if constexpr (is_hashed<Std>::value)
            return std::is_permutation(a.begin(), a.end(), b.begin());
        else
            return std::equal(a.begin(), a.end(), b.begin());
    }

    template <class List>
    void assign_list(List list) {
        replace_with([&](Std& s) { s = list; });
    }
    template <class Op>
    void replace_with(Op&& op) {
        record* r = live_record();
        struct replace_guard {
            record* r;
            Std& s;
            size_type before;
            ~replace_guard() { r->note_replace(before, s.size()); }
        } guard{r, inner_, inner_.size()};
        if constexpr (holds_tracked<value_type>::value) {
            parent_scope parent(identity());
            std::forward<Op>(op)(inner_);
        } else {
            std::forward<Op>(op)(inner_);
        }
    }

    ~tracked_core() {
        record* r = rec();
        inner_.~Std();  // frees the memory, charged to the record, before the record goes
        if (r != nullptr) record_pool::instance().release(r);
    }

    // Exchanges the contents of two std containers whose allocators compare equal, and
    // moves between their records exactly the memory that changed hands: everything each
    // container held, which is what its record is charged minus what node handles hold.
    static void swap_contents(Std& a, record* ra, Std& b, record* rb) noexcept {
        const std::size_t a_bytes = ra->held_bytes(), a_allocations = ra->held_allocations();
        const std::size_t b_bytes = rb->held_bytes(), b_allocations = rb->held_allocations();
        a.swap(b);
        record::transfer(ra, rb, a_bytes, static_cast<std::uint32_t>(a_allocations));
        record::transfer(rb, ra, b_bytes, static_cast<std::uint32_t>(b_allocations));
    }

    // The record, or nullptr for a moved-from container that has not been used since.
    record* rec() const noexcept { return inner_.get_allocator().tracking_record(); }
    std::uint32_t identity() const noexcept {
        record* r = rec();
        return r != nullptr ? r->identity.load(std::memory_order_relaxed) : inner_.get_allocator().moved_identity();
    }
    // The record, registering a moved-from container again (same identity) first.
    record* live_record() noexcept {
        record* r = rec();
        return r != nullptr ? r : reattach();
    }

    // Calls `op` on the std container and records the size change, also when `op` throws.
    template <class Op>
    decltype(auto) mutate(Op&& op) {
        struct size_guard {
            record* r;
            Std& s;
            size_type before;
            ~size_guard() { r->note_size(before, s.size()); }
        } guard{live_record(), inner_, inner_.size()};
        if constexpr (holds_tracked<value_type>::value) {
            parent_scope parent(identity());
            return std::forward<Op>(op)(inner_);
        } else {
            return std::forward<Op>(op)(inner_);
        }
    }
    // Operations that change memory but not the elements (reserve, rehash, shrink).
    template <class Op>
    decltype(auto) reshape(Op&& op) {
        live_record()->note_write();
        return std::forward<Op>(op)(inner_);
    }
    void note_read() const noexcept { note_lookup(rec()); }

    // Moves `count` whole nodes' worth of memory from `from` to this container's record.
    void adopt_nodes(record* from, std::size_t count) noexcept {
        record* mine = rec();
        if (count == 0 || from == mine) return;
        const std::size_t node = from->node_size.load(std::memory_order_relaxed);
        record::transfer(from, mine, node * count, static_cast<std::uint32_t>(count));
    }

    // Node handles: extraction keeps the bytes with this record until a container adopts
    // the node; insertion adopts it.
    template <class Node, class StdNode>
    Node wrap_node(StdNode&& node) {
        return core_access::make_node<Node>(std::move(node), rec());
    }
    // Inserts a node handle through `insert` (which receives the std node handle) and, if
    // the container took the node, moves its bytes to this record.
    template <class Node, class Insert>
    decltype(auto) insert_node(Node&& node, Insert&& insert) {
        record* const mine = live_record();
        record* const owner = core_access::node_owner(node);
        const size_type before = inner_.size();
        auto std_node = core_access::take_node(node);
        // A refused node, or one left behind by an insertion that threw (a hash, comparison or
        // bucket allocation), stays in the handle, still charged to whoever paid for it; a
        // taken one leaves its owner's count once its bytes have moved.
        struct give_back {
            std::decay_t<Node>& handle;
            decltype(std_node)& held;
            record* owner;
            ~give_back() {
                if (!held.empty())
                    handle = core_access::make_node<std::decay_t<Node>>(std::move(held), owner, true);
                else
                    core_access::uncount_node<std::decay_t<Node>>(owner);
            }
        } guard{node, std_node, owner};
        auto result = std::forward<Insert>(insert)(inner_, std_node, owner);
        const size_type after = inner_.size();
        if (after != before && owner != nullptr) adopt_nodes(owner, 1);
        mine->note_size(before, after);
        return result;
    }

    union {
        Std inner_;
    };

private:
    struct record_tag {};
    template <class... Args>
    tracked_core(record_tag, record* r, Args&&... args) try : inner_(bind(r, std::forward<Args>(args))...) {
        r->note_size(0, inner_.size());
    } catch (...) {
        record_pool::instance().release(r);
    }

    template <class Arg>
    static decltype(auto) bind(record* r, Arg&& arg) {
        if constexpr (std::is_same<std::decay_t<Arg>, upstream_arg<allocator_type>>::value)
            return charging_type(arg.upstream, r);
        else
            return std::forward<Arg>(arg);
    }

    // Replaces the std container with `replacement` (its allocator included). For a deque this
    // allocates (an empty deque holds a block map): a failure there ends the program, as the
    // std deque's own allocating move constructor would in a noexcept context.
    void reseat(Std&& replacement) noexcept {
        inner_.~Std();
        if constexpr (Derived::move_allocates) {
            // std::deque's move constructor allocates a block map for the source through the
            // allocator it has just moved from (which then charges no record): that map would
            // be charged here and freed uncharged. Build around a copy of the allocator and
            // swap instead, so that the source frees it through an allocator that charges.
            ::new (static_cast<void*>(std::addressof(inner_))) Std(replacement.get_allocator());
            inner_.swap(replacement);
        } else {
            ::new (static_cast<void*>(std::addressof(inner_))) Std(std::move(replacement));
        }
    }

    // A moved-from container is used again: a record of the same identity, and the
    // (empty) std container moved under an allocator that charges it.
    [[gnu::noinline]] record* reattach() noexcept {
        const charging_type moved = inner_.get_allocator();
        record* r = record_pool::instance().acquire(moved.moved_identity(), record_kind::container);
        Std fresh(std::move(inner_), charging_type(moved.upstream(), r));
        reseat(std::move(fresh));
        r->note_size(0, inner_.size());
        return r;
    }
};

}  // namespace detail
}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
