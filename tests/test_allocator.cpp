// tests/test_allocator.cpp — tracking_allocator and tracking_resource: the allocator
// requirements, exact channel statistics against a counting upstream with the std
// containers, channels in reports, channel sharing and lifetime.
#include <leakwatch/leakwatch.hpp>

#include "counting_allocator.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#if LEAKWATCH_HAS_PMR
#include <memory_resource>
#endif

namespace {

template <class T>
using counting = lwtest::counting_allocator<T>;
template <class T>
using tracked_counting = leakwatch::tracking_allocator<T, counting<T>>;
using int_alloc = tracked_counting<int>;
using traits = std::allocator_traits<int_alloc>;

// ---- the allocator requirements ---------------------------------------------------------------

static_assert(std::is_same<int_alloc::value_type, int>::value, "value_type");
static_assert(std::is_same<traits::pointer, int*>::value, "pointer");
static_assert(std::is_same<traits::const_pointer, const int*>::value, "const_pointer");
static_assert(std::is_same<traits::void_pointer, void*>::value, "void_pointer");
static_assert(std::is_same<traits::size_type, std::size_t>::value, "size_type");
static_assert(std::is_same<traits::difference_type, std::ptrdiff_t>::value, "difference_type");
static_assert(std::is_same<traits::rebind_alloc<long>, tracked_counting<long>>::value,
              "rebind keeps the tracking and rebinds the upstream");
static_assert(std::is_same<std::allocator_traits<leakwatch::tracking_allocator<int>>::rebind_alloc<double>,
                           leakwatch::tracking_allocator<double, std::allocator<double>>>::value,
              "the default upstream is std::allocator, rebound too");
static_assert(std::is_same<traits::rebind_traits<long>::value_type, long>::value, "rebind_traits");
static_assert(!traits::is_always_equal::value, "channels make allocators unequal");
static_assert(traits::propagate_on_container_copy_assignment::value, "the channel travels with its memory");
static_assert(traits::propagate_on_container_move_assignment::value, "the channel travels with its memory");
static_assert(traits::propagate_on_container_swap::value, "the channel travels with its memory");
static_assert(std::is_nothrow_copy_constructible<int_alloc>::value, "copying an allocator may not throw");
static_assert(std::is_nothrow_constructible<int_alloc, const tracked_counting<long>&>::value,
              "converting from a rebound copy may not throw");
static_assert(std::is_copy_assignable<int_alloc>::value, "copy assignable");
static_assert(std::is_same<decltype(std::declval<int_alloc&>().allocate(std::size_t{1})), int*>::value, "allocate");
static_assert(std::is_same<decltype(traits::select_on_container_copy_construction(std::declval<const int_alloc&>())),
                           int_alloc>::value,
              "select_on_container_copy_construction");
static_assert(std::is_same<decltype(std::declval<const int_alloc&>() == std::declval<const tracked_counting<long>&>()),
                           bool>::value,
              "comparable with rebound copies");

bool same_file(const char* a, const char* b) { return a != nullptr && b != nullptr && std::strcmp(a, b) == 0; }

std::vector<leakwatch::finding> findings_at(const leakwatch::growth_report& report, const char* file, unsigned line) {
    std::vector<leakwatch::finding> out;
    for (const leakwatch::finding& f : report.findings())
        if (same_file(f.site.file, file) && f.site.line == line) out.push_back(f);
    return out;
}

// The channel's counts equal what the counting upstream holds (the counter serves this channel only).
template <class Alloc>
void check_channel(const Alloc& alloc, const lwtest::alloc_counter& counter, const char* what) {
    const leakwatch::container_stats s = alloc.stats();
    INFO(what << ": channel says " << s.bytes << " bytes in " << s.allocations << " allocation(s); upstream holds "
              << counter.bytes() << " in " << counter.allocations());
    CHECK(s.bytes == counter.bytes());
    CHECK(s.allocations == counter.allocations());
    CHECK(counter.bad_frees() == 0);
}

}  // namespace

TEST_CASE("tracking_allocator copies and rebound copies share one channel and compare equal", "[allocator]") {
    lwtest::alloc_counter counter;
    const int_alloc a{leakwatch::label{"shared"}, counting<int>(&counter)};
    const int_alloc b(a);
    const tracked_counting<long> rebound(a);
    const int_alloc back(rebound);
    CHECK(b == a);
    CHECK(rebound == a);
    CHECK(back == a);
    CHECK(b.channel() == a.channel());
    CHECK(rebound.channel() == a.channel());
    CHECK(back.channel() == a.channel());
    CHECK(rebound.label() == "shared");
    CHECK(rebound.upstream().counter() == &counter);

    const int_alloc other{leakwatch::label{"other"}, counting<int>(&counter)};
    CHECK(other != a);
    CHECK(other.channel() != a.channel());

    // Memory allocated through one copy may be freed through another.
    int* p = int_alloc(rebound).allocate(10);
    REQUIRE(p != nullptr);
    check_channel(a, counter, "allocate(10) through a copy");
    CHECK(a.stats().bytes == 10 * sizeof(int));
    int_alloc(b).deallocate(p, 10);
    check_channel(a, counter, "deallocate through another copy");
    CHECK(a.stats().bytes == 0);
}

TEST_CASE("select_on_container_copy_construction opens a distinct channel with the same label and site",
          "[allocator]") {
    lwtest::alloc_counter counter;
    const std::size_t baseline = leakwatch::registry::live_containers();
    const unsigned line = __LINE__ + 1;
    const int_alloc original{leakwatch::label{"copied"}, counting<int>(&counter)};
    const int_alloc copy = traits::select_on_container_copy_construction(original);
    CHECK(copy.channel() != original.channel());
    CHECK(copy != original);
    CHECK(copy.label() == "copied");
    CHECK(copy.upstream().counter() == &counter);
    CHECK(leakwatch::registry::live_containers() == baseline + 2);

    // Both channels stand at the label's site: one site finding with two instances.
    const auto at_site = findings_at(leakwatch::registry::report(), __FILE__, line);
    REQUIRE(at_site.size() == 1);
    CHECK(at_site[0].instances == 2);
    CHECK(at_site[0].label == "copied");
}

TEST_CASE("tracking_allocator with std::vector, std::list, std::map and std::unordered_map: the channel's "
          "stats equal what the upstream saw",
          "[allocator]") {
    SECTION("std::vector") {
        lwtest::alloc_counter counter;
        {
            std::vector<int, int_alloc> v{int_alloc{leakwatch::label{"vector"}, counting<int>(&counter)}};
            const int_alloc channel = v.get_allocator();
            for (int i = 0; i < 100; ++i) {
                v.push_back(i);
                check_channel(channel, counter, "push_back");
            }
            CHECK(channel.stats().bytes == v.capacity() * sizeof(int));
            v.reserve(1000);
            check_channel(channel, counter, "reserve");
            v.resize(10);
            v.shrink_to_fit();
            check_channel(channel, counter, "shrink_to_fit");
            CHECK(channel.stats().bytes == v.capacity() * sizeof(int));

            // A copy gets its own channel (same label); each channel holds its container's buffer.
            std::vector<int, int_alloc> copy(v);
            CHECK(copy.get_allocator() != v.get_allocator());
            CHECK(copy.get_allocator().label() == "vector");
            CHECK(copy.get_allocator().stats().bytes == copy.capacity() * sizeof(int));
            CHECK(v.get_allocator().stats().bytes == v.capacity() * sizeof(int));
            CHECK(copy.get_allocator().stats().bytes + v.get_allocator().stats().bytes == counter.bytes());

            // Swap and move assignment carry the channels with the buffers.
            copy.push_back(1);
            copy.swap(v);
            CHECK(copy.get_allocator().stats().bytes == copy.capacity() * sizeof(int));
            CHECK(v.get_allocator().stats().bytes == v.capacity() * sizeof(int));
            std::vector<int, int_alloc> target{int_alloc{leakwatch::label{"target"}, counting<int>(&counter)}};
            target.assign(500, 7);
            target = std::move(copy);
            CHECK(target.get_allocator().label() == "vector");
            CHECK(target.get_allocator().stats().bytes == target.capacity() * sizeof(int));
            CHECK(target.get_allocator().stats().bytes + v.get_allocator().stats().bytes == counter.bytes());
            v.clear();
            v.shrink_to_fit();
            CHECK(v.get_allocator().stats().bytes == 0);
        }
        CHECK(counter.live() == lwtest::usage{});
    }
    SECTION("std::list") {
        lwtest::alloc_counter counter;
        std::list<int, int_alloc> l{int_alloc{leakwatch::label{"list"}, counting<int>(&counter)}};
        const int_alloc channel = l.get_allocator();
        for (int i = 0; i < 50; ++i) {
            l.push_back(i);
            l.push_front(i);
            check_channel(channel, counter, "push");
        }
        l.remove_if([](int x) { return x % 3 == 0; });
        check_channel(channel, counter, "remove_if");
        CHECK(channel.stats().allocations == l.size());
        l.clear();
        check_channel(channel, counter, "clear");
        CHECK(channel.stats().bytes == 0);
    }
    SECTION("std::map") {
        using value = std::pair<const int, std::string>;
        lwtest::alloc_counter counter;
        std::map<int, std::string, std::less<int>, tracked_counting<value>> m{
            tracked_counting<value>{leakwatch::label{"map"}, counting<value>(&counter)}};
        const auto channel = m.get_allocator();
        for (int i = 0; i < 50; ++i) {
            m.emplace(i, "a string long enough to allocate on its own");
            check_channel(channel, counter, "emplace");
        }
        CHECK(channel.stats().allocations == m.size());
        auto node = m.extract(7);
        check_channel(channel, counter, "extract");
        node = {};
        check_channel(channel, counter, "drop a node handle");
        m.erase(m.begin(), std::next(m.begin(), 20));
        check_channel(channel, counter, "erase");
        CHECK(channel.stats().allocations == m.size());
    }
    SECTION("std::unordered_map") {
        using value = std::pair<const int, int>;
        lwtest::alloc_counter counter;
        std::unordered_map<int, int, std::hash<int>, std::equal_to<int>, tracked_counting<value>> m{
            tracked_counting<value>{leakwatch::label{"unordered_map"}, counting<value>(&counter)}};
        const auto channel = m.get_allocator();
        for (int i = 0; i < 200; ++i) {
            m[i] = i;
            check_channel(channel, counter, "operator[]");
        }
        m.rehash(2000);
        check_channel(channel, counter, "rehash");
        m.reserve(10);
        m.rehash(0);
        check_channel(channel, counter, "rehash(0)");
        for (int i = 0; i < 200; i += 2) m.erase(i);
        check_channel(channel, counter, "erase");
        m.clear();
        check_channel(channel, counter, "clear");
    }
}

TEST_CASE("a labelled channel is reported at its label's site as a finding of kind channel", "[allocator]") {
    lwtest::alloc_counter counter;
    const unsigned line = __LINE__ + 1;
    std::vector<int, int_alloc> v{int_alloc{leakwatch::label{"orders"}, counting<int>(&counter)}};
    v.assign(1000, 1);

    const leakwatch::growth_report report = leakwatch::registry::report();
    const auto at_site = findings_at(report, __FILE__, line);
    REQUIRE(at_site.size() == 1);
    const leakwatch::finding& f = at_site[0];
    CHECK(f.kind == leakwatch::finding_kind::channel);
    CHECK(f.label == "orders");
    CHECK(f.instances == 1);
    CHECK(f.bytes == counter.bytes());
    CHECK(f.allocations == counter.allocations());
    CHECK(f.type.find("tracking_allocator<int") == 0);
    CHECK(report.to_text().find("orders") != std::string::npos);
    CHECK(report.to_json().find("\"kind\":\"channel\"") != std::string::npos);

    // An unlabelled allocator is reported where it was constructed.
    const unsigned unlabelled_line = __LINE__ + 1;
    const leakwatch::tracking_allocator<int> unlabelled;
    const auto at_unlabelled = findings_at(leakwatch::registry::report(), __FILE__, unlabelled_line);
    REQUIRE(at_unlabelled.size() == 1);
    CHECK(at_unlabelled[0].kind == leakwatch::finding_kind::channel);
    CHECK(at_unlabelled[0].label.empty());
    CHECK(unlabelled.label().empty());
}

TEST_CASE("a channel unregisters when the last copy of its allocator dies", "[allocator]") {
    lwtest::alloc_counter counter;
    const std::size_t baseline = leakwatch::registry::live_containers();
    {
        const int_alloc a{leakwatch::label{"lifetime"}, counting<int>(&counter)};
        CHECK(leakwatch::registry::live_containers() == baseline + 1);
        {
            const int_alloc b(a);
            const tracked_counting<double> c(b);
            int_alloc d{leakwatch::label{"other"}, counting<int>(&counter)};
            CHECK(leakwatch::registry::live_containers() == baseline + 2);
            d = a;  // d's own channel loses its last copy
            CHECK(leakwatch::registry::live_containers() == baseline + 1);
            CHECK(d.channel() == a.channel());
            std::list<int, int_alloc> l(d);
            l.push_back(1);
        }
        CHECK(leakwatch::registry::live_containers() == baseline + 1);
    }
    CHECK(leakwatch::registry::live_containers() == baseline);

    // A container keeps its channel alive after the allocator it was given is gone.
    std::optional<std::vector<int, int_alloc>> v;
    {
        const int_alloc a{leakwatch::label{"outlived"}, counting<int>(&counter)};
        v.emplace(a);
    }
    v->push_back(1);
    CHECK(leakwatch::registry::live_containers() == baseline + 1);
    CHECK(v->get_allocator().stats().bytes == counter.bytes());
    v.reset();
    CHECK(leakwatch::registry::live_containers() == baseline);
    CHECK(counter.live() == lwtest::usage{});
    leakwatch::registry::snapshot();
    CHECK(leakwatch::registry::usage().live_records == baseline);
}

#if LEAKWATCH_HAS_PMR && defined(LEAKWATCH_TEST_HAS_PMR)
TEST_CASE("tracking_resource with std::pmr containers: the channel's stats equal what the upstream resource saw",
          "[allocator]") {
    lwtest::counting_resource upstream;
    const lwtest::alloc_counter& counter = upstream.counter();
    const std::size_t baseline = leakwatch::registry::live_containers();
    {
        const unsigned line = __LINE__ + 1;
        leakwatch::tracking_resource resource{leakwatch::label{"pmr"}, &upstream};
        CHECK(resource.label() == "pmr");
        CHECK(resource.upstream_resource() == &upstream);
        CHECK(leakwatch::registry::live_containers() == baseline + 1);
        {
            std::pmr::vector<int> v{&resource};
            for (int i = 0; i < 300; ++i) {
                v.push_back(i);
                check_channel(resource, counter, "pmr::vector push_back");
            }
            v.shrink_to_fit();
            check_channel(resource, counter, "pmr::vector shrink_to_fit");

            // The strings allocate through the resource too (uses-allocator construction).
            std::pmr::unordered_map<int, std::pmr::string> m{&resource};
            for (int i = 0; i < 100; ++i) {
                m.emplace(i, "a string long enough to need its own allocation");
                check_channel(resource, counter, "pmr::unordered_map emplace");
            }
            m.rehash(1000);
            check_channel(resource, counter, "pmr::unordered_map rehash");
            for (int i = 0; i < 100; i += 3) m.erase(i);
            check_channel(resource, counter, "pmr::unordered_map erase");

            const auto at_site = findings_at(leakwatch::registry::report(), __FILE__, line);
            REQUIRE(at_site.size() == 1);
            CHECK(at_site[0].kind == leakwatch::finding_kind::channel);
            CHECK(at_site[0].label == "pmr");
            CHECK(at_site[0].bytes == counter.bytes());
        }
        check_channel(resource, counter, "containers destroyed");
        CHECK(resource.stats().bytes == 0);
        CHECK(resource.stats().allocations == 0);
    }
    CHECK(leakwatch::registry::live_containers() == baseline);
    CHECK(counter.live() == lwtest::usage{});

    // Unlabelled, it is reported where it was constructed.
    const unsigned unlabelled_line = __LINE__ + 1;
    leakwatch::tracking_resource unlabelled{&upstream};
    std::pmr::vector<int> w{&unlabelled};
    w.assign(10, 1);
    check_channel(unlabelled, counter, "unlabelled resource");
    const auto at_unlabelled = findings_at(leakwatch::registry::report(), __FILE__, unlabelled_line);
    REQUIRE(at_unlabelled.size() == 1);
    CHECK(at_unlabelled[0].kind == leakwatch::finding_kind::channel);
    CHECK(at_unlabelled[0].label.empty());
}
#endif
