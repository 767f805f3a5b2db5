// tests/counting_allocator.hpp — an upstream allocator and memory resource that count what
// they hand out, and element types whose construction can be made to throw.
//
// The tracked containers take their upstream allocator as the Allocator template parameter,
// so giving them counting_allocator lets a test compare the container's own byte accounting
// with what actually left and came back to the heap. Every counting_allocator points at an
// alloc_counter; copies and rebound copies share it, and two allocators compare equal exactly
// when they point at the same counter (so containers sharing one counter may swap, move and
// exchange node handles; containers on different counters are "unequal" as the standard
// means it). The counter also remembers every live block (address -> size), which lets a test
// find the size of the node holding an element, and it checks that each block is given back
// with the size it was allocated with. Single-threaded by design, like the tests using it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <new>
#include <stdexcept>
#include <type_traits>
#include <utility>

#if defined(__has_include)
#if __has_include(<memory_resource>)
#include <memory_resource>
#define LEAKWATCH_TEST_HAS_PMR 1
#endif
#endif

namespace lwtest {

// Bytes and blocks; unsigned arithmetic on purpose: a difference of two usages wraps like the
// registry's own counters, and adding it back gives the exact result.
struct usage {
    std::size_t bytes = 0;
    std::size_t allocations = 0;

    friend usage operator+(usage a, usage b) { return {a.bytes + b.bytes, a.allocations + b.allocations}; }
    friend usage operator-(usage a, usage b) { return {a.bytes - b.bytes, a.allocations - b.allocations}; }
    usage& operator+=(usage o) { return *this = *this + o; }
    usage& operator-=(usage o) { return *this = *this - o; }
    usage operator*(std::size_t n) const { return {bytes * n, allocations * n}; }
    friend bool operator==(usage a, usage b) { return a.bytes == b.bytes && a.allocations == b.allocations; }
    friend bool operator!=(usage a, usage b) { return !(a == b); }
};

class alloc_counter {
public:
    alloc_counter() = default;
    alloc_counter(const alloc_counter&) = delete;
    alloc_counter& operator=(const alloc_counter&) = delete;

    // What is allocated now through allocators pointing here.
    usage live() const noexcept { return {bytes_, blocks_.size()}; }
    std::size_t bytes() const noexcept { return bytes_; }
    std::size_t allocations() const noexcept { return blocks_.size(); }
    std::uint64_t allocations_ever() const noexcept { return allocations_ever_; }
    // Frees of an unknown address or with a size other than the allocated one.
    std::uint64_t bad_frees() const noexcept { return bad_frees_; }

    // The allocation number `n` from now (1: the next one) throws std::bad_alloc; 0 disarms.
    void fail_allocation(std::uint64_t n) noexcept { countdown_ = n; }

    // Size of the live block that contains `p`, 0 when no live block does.
    std::size_t block_size_containing(const void* p) const {
        const auto address = reinterpret_cast<std::uintptr_t>(p);
        auto it = blocks_.upper_bound(address);
        if (it == blocks_.begin()) return 0;
        --it;
        return address < it->first + it->second ? it->second : 0;
    }

    void* allocate(std::size_t bytes, std::size_t alignment) {
        if (countdown_ != 0 && --countdown_ == 0) throw std::bad_alloc();
        void* p = alignment > __STDCPP_DEFAULT_NEW_ALIGNMENT__ ? ::operator new(bytes, std::align_val_t(alignment))
                                                              : ::operator new(bytes);
        blocks_.emplace(reinterpret_cast<std::uintptr_t>(p), bytes);
        bytes_ += bytes;
        ++allocations_ever_;
        return p;
    }
    void deallocate(void* p, std::size_t bytes, std::size_t alignment) noexcept {
        auto it = blocks_.find(reinterpret_cast<std::uintptr_t>(p));
        if (it == blocks_.end() || it->second != bytes) {
            ++bad_frees_;
            if (it == blocks_.end()) return;  // not ours: do not free what we did not hand out
            bytes = it->second;
        }
        blocks_.erase(it);
        bytes_ -= bytes;
        if (alignment > __STDCPP_DEFAULT_NEW_ALIGNMENT__)
            ::operator delete(p, std::align_val_t(alignment));
        else
            ::operator delete(p);
    }

private:
    std::map<std::uintptr_t, std::size_t> blocks_;  // address -> size, live blocks only
    std::size_t bytes_ = 0;
    std::uint64_t allocations_ever_ = 0;
    std::uint64_t bad_frees_ = 0;
    std::uint64_t countdown_ = 0;
};

// Counter used by default-constructed counting allocators (the tracked containers'
// default constructors build their upstream with Allocator()).
inline alloc_counter& default_counter() {
    static alloc_counter* const counter = new alloc_counter();
    return *counter;
}

template <class T>
class counting_allocator {
public:
    using value_type = T;
    // Stateful: two allocators are interchangeable only when they share a counter.
    using is_always_equal = std::false_type;
    using propagate_on_container_copy_assignment = std::false_type;
    using propagate_on_container_move_assignment = std::false_type;
    using propagate_on_container_swap = std::false_type;

    template <class U>
    struct rebind {
        using other = counting_allocator<U>;
    };

    counting_allocator() noexcept : counter_(&default_counter()) {}
    explicit counting_allocator(alloc_counter* counter) noexcept : counter_(counter) {}
    template <class U>
    counting_allocator(const counting_allocator<U>& other) noexcept : counter_(other.counter()) {}

    T* allocate(std::size_t n) {
        if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
        return static_cast<T*>(counter_->allocate(n * sizeof(T), alignof(T)));
    }
    void deallocate(T* p, std::size_t n) noexcept { counter_->deallocate(p, n * sizeof(T), alignof(T)); }

    alloc_counter* counter() const noexcept { return counter_; }

    template <class U>
    bool operator==(const counting_allocator<U>& other) const noexcept {
        return counter_ == other.counter();
    }
    template <class U>
    bool operator!=(const counting_allocator<U>& other) const noexcept {
        return counter_ != other.counter();
    }

private:
    alloc_counter* counter_;
};

#if defined(LEAKWATCH_TEST_HAS_PMR)
// The same counting, as an upstream std::pmr::memory_resource.
class counting_resource : public std::pmr::memory_resource {
public:
    alloc_counter& counter() noexcept { return counter_; }
    const alloc_counter& counter() const noexcept { return counter_; }

protected:
    void* do_allocate(std::size_t bytes, std::size_t alignment) override { return counter_.allocate(bytes, alignment); }
    void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override {
        counter_.deallocate(p, bytes, alignment);
    }
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

private:
    alloc_counter counter_;
};
#endif

// ---- elements whose construction throws on demand --------------------------------------------

// While armed, the Nth throwing-capable construction from now throws `construction_failure`.
struct throw_switch {
    static inline std::uint64_t countdown = 0;

    static void arm(std::uint64_t nth) noexcept { countdown = nth; }
    static void disarm() noexcept { countdown = 0; }
    static void maybe_throw();
};

struct construction_failure : std::runtime_error {
    construction_failure() : std::runtime_error("lwtest::throwing: construction failed on purpose") {}
};

inline void throw_switch::maybe_throw() {
    if (countdown != 0 && --countdown == 0) throw construction_failure();
}

// Disarms the switch when a test section ends, whatever happened in it.
struct throw_guard {
    explicit throw_guard(std::uint64_t nth) noexcept { throw_switch::arm(nth); }
    ~throw_guard() { throw_switch::disarm(); }
    throw_guard(const throw_guard&) = delete;
    throw_guard& operator=(const throw_guard&) = delete;
};

// A value whose construction from int and copy construction may throw; moves never throw, so
// that std::vector and std::deque keep their strong guarantee when they reallocate.
struct throwing {
    int value = 0;

    throwing() { throw_switch::maybe_throw(); }
    throwing(int v) : value(v) { throw_switch::maybe_throw(); }  // NOLINT: implicit on purpose
    throwing(const throwing& other) : value(other.value) { throw_switch::maybe_throw(); }
    throwing(throwing&& other) noexcept : value(other.value) {}
    throwing& operator=(const throwing& other) {
        throw_switch::maybe_throw();
        value = other.value;
        return *this;
    }
    throwing& operator=(throwing&& other) noexcept {
        value = other.value;
        return *this;
    }

    friend bool operator==(const throwing& a, const throwing& b) noexcept { return a.value == b.value; }
    friend bool operator!=(const throwing& a, const throwing& b) noexcept { return a.value != b.value; }
    friend bool operator<(const throwing& a, const throwing& b) noexcept { return a.value < b.value; }
};

// A hash and an ordering that throw when the switch says so (for merge and rehash paths).
struct throwing_hash {
    std::size_t operator()(int key) const {
        throw_switch::maybe_throw();
        return std::hash<int>{}(key);
    }
};
struct throwing_less {
    bool operator()(int a, int b) const {
        throw_switch::maybe_throw();
        return a < b;
    }
};

// A counting allocator whose instances propagate with the memory in copy assignment, move
// assignment and swap (an arena handle): the containers must free every block through the
// instance that allocated it. counting_allocator itself propagates in none.
template <class T>
class propagating_allocator : public counting_allocator<T> {
public:
    using propagate_on_container_copy_assignment = std::true_type;
    using propagate_on_container_move_assignment = std::true_type;
    using propagate_on_container_swap = std::true_type;
    template <class U>
    struct rebind {
        using other = propagating_allocator<U>;
    };
    using counting_allocator<T>::counting_allocator;
    template <class U>
    propagating_allocator(const propagating_allocator<U>& other) noexcept : counting_allocator<T>(other.counter()) {}
};

}  // namespace lwtest

namespace std {
template <>
struct hash<lwtest::throwing> {
    std::size_t operator()(const lwtest::throwing& t) const noexcept { return std::hash<int>{}(t.value); }
};
}  // namespace std
