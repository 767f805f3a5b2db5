// leakwatch/label.hpp — the name a user gives a tracked container or allocator channel.
//
// A label also remembers where it was written, so a container constructed as
// `tracked_vector<int> v{leakwatch::label{"v"}, 10, 0}` is reported at that line even though
// the arguments after the label are forwarded generically.
#pragma once

#include <leakwatch/config.hpp>
#include <leakwatch/source_site.hpp>

#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>
#if LEAKWATCH_CPP17
#include <string_view>
#endif

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

namespace detail {
// (spelled without std::void_t: with LEAKWATCH_DISABLE this header also compiles as C++11)
template <class... Ts>
struct all_void {
    using type = void;
};
template <class A, class = void>
struct is_allocator : std::false_type {};
template <class A>
struct is_allocator<A, typename all_void<typename A::value_type,
                                         decltype(std::declval<A&>().allocate(std::size_t{1}))>::type>
    : std::true_type {};
}  // namespace detail

class label {
public:
#if LEAKWATCH_CPP17
    label(std::string_view name, source_site site = source_site::current()) : name_(name), site_(site) {}
#endif
    label(const char* name, source_site site = source_site::current())
        : name_(name == nullptr ? "" : name), site_(site) {}
    label(std::string name, source_site site = source_site::current())
        : name_(std::move(name)), site_(site) {}

    const std::string& name() const noexcept { return name_; }
    const source_site& site() const noexcept { return site_; }

#if defined(LEAKWATCH_DISABLE)
    // With tracking compiled out every tracked_* is its std type, which has no label
    // constructor. Converting to the allocator keeps the common spelling
    // `tracked_map<K, V> m{leakwatch::label{"m"}}` compiling: it selects the std
    // container's allocator constructor with a default-constructed allocator.
    template <class Alloc, typename std::enable_if<detail::is_allocator<Alloc>::value &&
                                                       std::is_default_constructible<Alloc>::value,
                                                   int>::type = 0>
    operator Alloc() const {
        return Alloc();
    }
#endif

private:
    std::string name_;
    source_site site_;
};

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
