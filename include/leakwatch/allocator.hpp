// leakwatch/allocator.hpp — allocators that charge what they allocate to a registry record.
//
// Three shapes share one idea (forward to an upstream, count bytes and allocations):
//  - detail::charging_allocator: what tracked containers use inside. It points at its
//    container's record, never propagates, and compares equal whenever the upstreams do, so
//    the std container moves and swaps memory as it would with the upstream alone; the
//    tracked wrapper then moves the matching byte counts between records.
//  - tracking_allocator: the public adapter for any allocator-aware container. Copies share
//    one registry "channel" (reference counted); it propagates with the memory it allocated,
//    so a channel's counts stay exact whatever the container does.
//  - tracking_resource: the same for std::pmr containers, as a memory_resource.
#pragma once

#include <leakwatch/config.hpp>
#include <leakwatch/label.hpp>
#include <leakwatch/source_site.hpp>
// (below C++17, where only the compiled-out aliases exist, the registry is not needed)
#if LEAKWATCH_CPP17
#include <leakwatch/detail/charging_allocator.hpp>
#include <leakwatch/detail/record_pool.hpp>
#include <leakwatch/detail/type_name.hpp>
#include <leakwatch/stats.hpp>
#endif

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#if LEAKWATCH_HAS_PMR
#include <memory_resource>
#endif

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

#if !defined(LEAKWATCH_DISABLE)

// A standard allocator that forwards to Upstream and charges every allocation to a registry
// channel. Copies (and rebound copies) share the channel; a container's copy constructor
// asks for a new channel with the same label and site, since the copy is another container.
template <class T, class Upstream = std::allocator<T>>
class tracking_allocator {
    using upstream_alloc = typename std::allocator_traits<Upstream>::template rebind_alloc<T>;
    using upstream_traits = std::allocator_traits<upstream_alloc>;

public:
    using upstream_type = upstream_alloc;
    using value_type = T;
    using pointer = typename upstream_traits::pointer;
    using const_pointer = typename upstream_traits::const_pointer;
    using void_pointer = typename upstream_traits::void_pointer;
    using const_void_pointer = typename upstream_traits::const_void_pointer;
    using size_type = typename upstream_traits::size_type;
    using difference_type = typename upstream_traits::difference_type;
    // The channel travels with the memory it paid for.
    using propagate_on_container_copy_assignment = std::true_type;
    using propagate_on_container_move_assignment = std::true_type;
    using propagate_on_container_swap = std::true_type;
    using is_always_equal = std::false_type;

    template <class U>
    struct rebind {
        using other = tracking_allocator<U, typename upstream_traits::template rebind_alloc<U>>;
    };

    // An unlabelled channel at the site that constructs the allocator.
    tracking_allocator(source_site site = source_site::current())
        : upstream_(), channel_(open_channel(site, std::string_view{})) {}
    explicit tracking_allocator(const leakwatch::label& name, const upstream_alloc& upstream = upstream_alloc())
        : upstream_(upstream), channel_(open_channel(name.site(), name.name())) {}
    explicit tracking_allocator(const upstream_alloc& upstream, source_site site = source_site::current())
        : upstream_(upstream), channel_(open_channel(site, std::string_view{})) {}

    tracking_allocator(const tracking_allocator& other) noexcept
        : upstream_(other.upstream_), channel_(retain(other.channel_)) {}
    template <class U, class OtherUpstream>
    tracking_allocator(const tracking_allocator<U, OtherUpstream>& other) noexcept
        : upstream_(other.upstream()), channel_(retain(other.channel())) {}
    tracking_allocator& operator=(const tracking_allocator& other) noexcept {
        if (channel_ != other.channel_) {
            detail::record* const previous = channel_;
            channel_ = retain(other.channel_);
            release(previous);
        }
        upstream_ = other.upstream_;
        return *this;
    }
    ~tracking_allocator() { release(channel_); }

    pointer allocate(size_type n) {
        pointer p = upstream_traits::allocate(upstream_, n);
        channel_->charge_shared_allocation(n * sizeof(T));
        return p;
    }
    void deallocate(pointer p, size_type n) noexcept {
        upstream_traits::deallocate(upstream_, p, n);
        channel_->charge_shared_free(n * sizeof(T));
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        upstream_traits::construct(upstream_, p, std::forward<Args>(args)...);
    }
    template <class U>
    void destroy(U* p) {
        upstream_traits::destroy(upstream_, p);
    }
    size_type max_size() const noexcept { return upstream_traits::max_size(upstream_); }

    tracking_allocator select_on_container_copy_construction() const {
        return tracking_allocator(new_channel_tag{}, upstream_traits::select_on_container_copy_construction(upstream_),
                                  channel_->identity.load(std::memory_order_relaxed));
    }

    // The channel's label ("" when none), statistics and upstream.
    std::string label() const { return detail::label_of(channel_); }
    container_stats stats() const noexcept { return detail::read_stats(channel_); }
    const upstream_alloc& upstream() const noexcept { return upstream_; }
    detail::record* channel() const noexcept { return channel_; }

    template <class U, class OtherUpstream>
    bool operator==(const tracking_allocator<U, OtherUpstream>& other) const noexcept {
        return channel_ == other.channel() && upstream_ == other.upstream();
    }
    template <class U, class OtherUpstream>
    bool operator!=(const tracking_allocator<U, OtherUpstream>& other) const noexcept {
        return !(*this == other);
    }

private:
    static detail::record* open_channel(const source_site& site, std::string_view name) noexcept {
        auto& pool = detail::record_pool::instance();
        return open_channel(pool.intern(site, name, channel_type_name().c_str(), detail::record_kind::channel));
    }
    static detail::record* open_channel(std::uint32_t identity) noexcept {
        detail::record* rec = detail::record_pool::instance().acquire(identity, detail::record_kind::channel);
        if (!detail::record_pool::instance().is_untracked(rec)) rec->nodes_out.store(1, std::memory_order_relaxed);
        return rec;
    }
    static const std::string& channel_type_name() {
        static const std::string* const name =
            new std::string("tracking_allocator<" + detail::type_name<T>() + ">");
        return *name;
    }
    // Copies share the channel; its record's nodes_out counts them (so that every charge to
    // it is a read-modify-write: copies live on any thread).
    static detail::record* retain(detail::record* rec) noexcept {
        if (!detail::record_pool::instance().is_untracked(rec)) rec->nodes_out.fetch_add(1, std::memory_order_relaxed);
        return rec;
    }
    static void release(detail::record* rec) noexcept {
        if (detail::record_pool::instance().is_untracked(rec)) return;
        if (rec->nodes_out.fetch_sub(1, std::memory_order_acq_rel) == 1) detail::record_pool::instance().release(rec);
    }
    struct new_channel_tag {};
    tracking_allocator(new_channel_tag, const upstream_alloc& upstream, std::uint32_t identity)
        : upstream_(upstream), channel_(open_channel(identity)) {}

    upstream_alloc upstream_;
    detail::record* channel_;
};

#if LEAKWATCH_HAS_PMR
// A std::pmr::memory_resource that forwards to an upstream resource and charges every
// allocation to its own registry channel.
class tracking_resource : public std::pmr::memory_resource {
public:
    explicit tracking_resource(std::pmr::memory_resource* upstream = std::pmr::get_default_resource(),
                               source_site site = source_site::current())
        : upstream_(checked(upstream)), channel_(open(site, std::string_view{})) {}
    explicit tracking_resource(const leakwatch::label& name,
                               std::pmr::memory_resource* upstream = std::pmr::get_default_resource())
        : upstream_(checked(upstream)), channel_(open(name.site(), name.name())) {}
    tracking_resource(const tracking_resource&) = delete;
    tracking_resource& operator=(const tracking_resource&) = delete;
    ~tracking_resource() override {
        if (!detail::record_pool::instance().is_untracked(channel_)) channel_->nodes_out.store(0, std::memory_order_relaxed);
        detail::record_pool::instance().release(channel_);
    }

    std::pmr::memory_resource* upstream_resource() const noexcept { return upstream_; }
    std::string label() const { return detail::label_of(channel_); }
    container_stats stats() const noexcept { return detail::read_stats(channel_); }

protected:
    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        void* p = upstream_->allocate(bytes, alignment);
        channel_->charge_shared_allocation(bytes);
        return p;
    }
    void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override {
        upstream_->deallocate(p, bytes, alignment);
        channel_->charge_shared_free(bytes);
    }
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

private:
    static std::pmr::memory_resource* checked(std::pmr::memory_resource* upstream) {
        return upstream != nullptr ? upstream : std::pmr::get_default_resource();
    }
    static detail::record* open(const source_site& site, std::string_view name) noexcept {
        auto& pool = detail::record_pool::instance();
        detail::record* rec =
            pool.acquire(pool.intern(site, name, "tracking_resource", detail::record_kind::channel),
                         detail::record_kind::channel);
        // A resource is one object (never copied): nodes_out marks it shared-writer.
        if (!pool.is_untracked(rec)) rec->nodes_out.store(1, std::memory_order_relaxed);
        return rec;
    }

    std::pmr::memory_resource* upstream_;
    detail::record* channel_;
};
#endif

#else  // LEAKWATCH_DISABLE

template <class T, class Upstream = std::allocator<T>>
using tracking_allocator = Upstream;

#if LEAKWATCH_HAS_PMR
// Compiled out: forwards to the upstream resource and counts nothing.
class tracking_resource : public std::pmr::memory_resource {
public:
    explicit tracking_resource(std::pmr::memory_resource* upstream = std::pmr::get_default_resource(),
                               source_site = source_site::current())
        : upstream_(upstream != nullptr ? upstream : std::pmr::get_default_resource()) {}
    explicit tracking_resource(const leakwatch::label&,
                               std::pmr::memory_resource* upstream = std::pmr::get_default_resource())
        : tracking_resource(upstream) {}
    tracking_resource(const tracking_resource&) = delete;
    tracking_resource& operator=(const tracking_resource&) = delete;

    std::pmr::memory_resource* upstream_resource() const noexcept { return upstream_; }
    std::string label() const { return std::string(); }
    container_stats stats() const noexcept { return container_stats{}; }

protected:
    void* do_allocate(std::size_t bytes, std::size_t alignment) override { return upstream_->allocate(bytes, alignment); }
    void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override {
        upstream_->deallocate(p, bytes, alignment);
    }
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

private:
    std::pmr::memory_resource* upstream_;
};
#endif

#endif

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
