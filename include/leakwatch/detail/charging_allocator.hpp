// leakwatch/detail/charging_allocator.hpp — the allocator inside every tracked container.
//
// It forwards to the container's upstream allocator and charges each allocation and free
// to the container's record. The containers include this and the record pool, nothing of
// the registry's snapshots, reports or exports (which is what keeps them cheap to compile).
#pragma once

#include <leakwatch/config.hpp>
#include <leakwatch/stats.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {
namespace detail {

// Holds the upstream allocator. std::allocator, stateless and constant-initialised, takes
// no room: every container shares one instance (a base class would make the charging
// allocator convert to std::allocator, which library overloads take as a hint).
template <class Upstream>
class upstream_holder {
protected:
    upstream_holder() = default;
    explicit upstream_holder(const Upstream& upstream) noexcept : upstream_(upstream) {}
    const Upstream& held_upstream() const noexcept { return upstream_; }
    Upstream& held_upstream() noexcept { return upstream_; }

private:
    Upstream upstream_{};
};
template <class U>
inline std::allocator<U> shared_std_allocator{};
template <class U>
class upstream_holder<std::allocator<U>> {
protected:
    upstream_holder() = default;
    explicit upstream_holder(const std::allocator<U>&) noexcept {}
    const std::allocator<U>& held_upstream() const noexcept { return shared_std_allocator<U>; }
    std::allocator<U>& held_upstream() noexcept { return shared_std_allocator<U>; }
};

// The allocator inside a tracked container: forwards to the upstream and charges its
// container's record. It holds the record's address; moving it (which is what a std
// container's move constructor does with its allocator) hands the record to the new
// container and leaves the source "moved-from": it then holds, tagged with its lowest bit,
// the identity the source had, so that the source gets a record of its own (same site and
// label) when it is used again. It propagates on move assignment as the upstream does (and
// never on copy assignment or swap), and compares equal whenever the upstreams do, so the
// std container moves and swaps memory as it would with the upstream alone; the tracked
// wrapper moves the matching byte counts between records.
template <class T, class Upstream>
class charging_allocator : private upstream_holder<Upstream> {
    using upstream_traits = std::allocator_traits<Upstream>;
    using holder = upstream_holder<Upstream>;
    template <class, class>
    friend class charging_allocator;

public:
    using upstream_type = Upstream;
    using value_type = T;
    using pointer = typename upstream_traits::pointer;
    using const_pointer = typename upstream_traits::const_pointer;
    using void_pointer = typename upstream_traits::void_pointer;
    using const_void_pointer = typename upstream_traits::const_void_pointer;
    using size_type = typename upstream_traits::size_type;
    using difference_type = typename upstream_traits::difference_type;
    using propagate_on_container_copy_assignment = std::false_type;
    // Propagates on move assignment exactly when the upstream does, so the std container's
    // move assignment steals the memory (never moves element by element) in the same cases
    // as with the upstream alone; see operator=(charging_allocator&&) for what travels.
    using propagate_on_container_move_assignment = typename upstream_traits::propagate_on_container_move_assignment;
    using propagate_on_container_swap = std::false_type;
    using is_always_equal = std::false_type;

    template <class U>
    struct rebind {
        using other = charging_allocator<U, typename upstream_traits::template rebind_alloc<U>>;
    };

    charging_allocator() = default;
    charging_allocator(const Upstream& upstream, record* rec) noexcept
        : holder(upstream), bits_(reinterpret_cast<std::uintptr_t>(rec)) {}
    // A moved-from container's allocator: no record yet, the identity to take.
    charging_allocator(const Upstream& upstream, std::uint32_t identity, std::nullptr_t) noexcept
        : holder(upstream), bits_(moved_bits(identity)) {}
    charging_allocator(const charging_allocator& other) noexcept
        : holder(other.upstream()), bits_(other.bits_) {}
    charging_allocator(charging_allocator&& other) noexcept : holder(other.upstream()) { take_record(other); }
    template <class U, class OtherUpstream>
    charging_allocator(const charging_allocator<U, OtherUpstream>& other) noexcept
        : holder(Upstream(other.upstream())), bits_(other.bits_) {}
    charging_allocator& operator=(const charging_allocator& other) noexcept {
        holder::held_upstream() = other.upstream();
        bits_ = other.bits_;
        return *this;
    }
    // What a std container's move assignment does with its allocator when the upstream
    // propagates: the upstream follows the memory. The record follows it only into a
    // moved-from container (which has none: the tracked wrapper's cheapest move assignment);
    // a container that has a record keeps it, as with a non-propagating allocator, so no
    // record is ever dropped (the wrapper moves the byte counts itself).
    charging_allocator& operator=(charging_allocator&& other) noexcept {
        holder::held_upstream() = other.upstream();  // an allocator's move leaves its value
        if ((bits_ & 1u) != 0 && (other.bits_ & 1u) == 0) take_record(other);
        return *this;
    }
    ~charging_allocator() = default;

    pointer allocate(size_type n) {
        pointer p = upstream_traits::allocate(holder::held_upstream(), n);
        if ((bits_ & 1u) == 0) {
            record* rec = reinterpret_cast<record*>(bits_);
            rec->charge_allocation(n * sizeof(T));
            if constexpr (!std::is_pointer<T>::value) {
                // One node of a node-based container (buckets are arrays of pointers).
                if (n == 1 && rec->node_size.load(std::memory_order_relaxed) != sizeof(T))
                    rec->node_size.store(static_cast<std::uint32_t>(sizeof(T)), std::memory_order_relaxed);
            }
        }
        return p;
    }
    void deallocate(pointer p, size_type n) noexcept {
        upstream_traits::deallocate(holder::held_upstream(), p, n);
        if ((bits_ & 1u) == 0) reinterpret_cast<record*>(bits_)->charge_free(n * sizeof(T), 1);
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        upstream_traits::construct(holder::held_upstream(), p, std::forward<Args>(args)...);
    }
    template <class U>
    void destroy(U* p) {
        upstream_traits::destroy(holder::held_upstream(), p);
    }
    size_type max_size() const noexcept { return upstream_traits::max_size(upstream()); }
    charging_allocator select_on_container_copy_construction() const {
        charging_allocator copy(upstream_traits::select_on_container_copy_construction(upstream()), nullptr);
        copy.bits_ = bits_;
        return copy;
    }

    const Upstream& upstream() const noexcept { return holder::held_upstream(); }
    // The record charged (nullptr when moved-from).
    record* tracking_record() const noexcept {
        return (bits_ & 1u) == 0 ? reinterpret_cast<record*>(bits_) : nullptr;
    }
    // The identity a moved-from allocator keeps for its container's next record.
    std::uint32_t moved_identity() const noexcept { return static_cast<std::uint32_t>(bits_ >> 1); }

    template <class U, class OtherUpstream>
    bool operator==(const charging_allocator<U, OtherUpstream>& other) const noexcept {
        return upstream() == other.upstream();
    }
    template <class U, class OtherUpstream>
    bool operator!=(const charging_allocator<U, OtherUpstream>& other) const noexcept {
        return !(upstream() == other.upstream());
    }

private:
    // A moved-from allocator's bits: the identity, tagged with the lowest bit.
    static std::uintptr_t moved_bits(std::uint32_t identity) noexcept { return (std::uintptr_t{identity} << 1) | 1u; }
    // Takes what `other` holds; a record leaves it holding that record's identity instead.
    void take_record(charging_allocator& other) noexcept {
        bits_ = other.bits_;
        if (const record* rec = tracking_record())
            other.bits_ = moved_bits(rec->identity.load(std::memory_order_relaxed));
    }

    std::uintptr_t bits_ = 1;  // default-constructed: no record, identity 0
};

}  // namespace detail
}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
