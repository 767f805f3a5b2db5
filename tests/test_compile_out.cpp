// tests/test_compile_out.cpp — LEAKWATCH_DISABLE: every tracked type is its std type, the
// tracking allocator is its upstream, registry calls do nothing and every report is clean,
// and the usual spellings (a leading label) still compile.
#define LEAKWATCH_DISABLE
#include <leakwatch/leakwatch.hpp>

#include "counting_allocator.hpp"

#include <catch2/catch.hpp>

#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

static_assert(!leakwatch::enabled(), "LEAKWATCH_DISABLE turns tracking off");

static_assert(std::is_same_v<leakwatch::tracked_map<int, int>, std::unordered_map<int, int>>);
static_assert(std::is_same_v<leakwatch::tracked_unordered_map<int, int>, std::unordered_map<int, int>>);
static_assert(std::is_same_v<leakwatch::tracked_unordered_set<int>, std::unordered_set<int>>);
static_assert(std::is_same_v<leakwatch::tracked_unordered_multimap<int, int>, std::unordered_multimap<int, int>>);
static_assert(std::is_same_v<leakwatch::tracked_unordered_multiset<int>, std::unordered_multiset<int>>);
static_assert(std::is_same_v<leakwatch::tracked_ordered_map<int, int>, std::map<int, int>>);
static_assert(std::is_same_v<leakwatch::tracked_ordered_set<int>, std::set<int>>);
static_assert(std::is_same_v<leakwatch::tracked_ordered_multimap<int, int>, std::multimap<int, int>>);
static_assert(std::is_same_v<leakwatch::tracked_ordered_multiset<int>, std::multiset<int>>);
static_assert(std::is_same_v<leakwatch::tracked_vector<int>, std::vector<int>>);
static_assert(std::is_same_v<leakwatch::tracked_deque<int>, std::deque<int>>);
static_assert(std::is_same_v<leakwatch::tracked_list<int>, std::list<int>>);

// Every template parameter is passed through, the allocator included.
static_assert(std::is_same_v<leakwatch::tracked_map<int, std::string, std::hash<int>, std::equal_to<int>,
                                                    lwtest::counting_allocator<std::pair<const int, std::string>>>,
                             std::unordered_map<int, std::string, std::hash<int>, std::equal_to<int>,
                                                lwtest::counting_allocator<std::pair<const int, std::string>>>>);
static_assert(std::is_same_v<leakwatch::tracked_ordered_multiset<int, std::greater<int>, lwtest::counting_allocator<int>>,
                             std::multiset<int, std::greater<int>, lwtest::counting_allocator<int>>>);
static_assert(std::is_same_v<leakwatch::tracked_vector<int, lwtest::counting_allocator<int>>,
                             std::vector<int, lwtest::counting_allocator<int>>>);

static_assert(std::is_same_v<leakwatch::tracking_allocator<int>, std::allocator<int>>);
static_assert(std::is_same_v<leakwatch::tracking_allocator<int, lwtest::counting_allocator<int>>,
                             lwtest::counting_allocator<int>>);

TEST_CASE("compiled out, the tracked containers are the std containers and the label spelling still compiles",
          "[compile-out]") {
    leakwatch::tracked_map<int, int> m{leakwatch::label{"m"}};
    m[1] = 2;
    CHECK(m.at(1) == 2);
    leakwatch::tracked_ordered_map<int, int> om{leakwatch::label{"om"}};
    om.emplace(3, 4);
    leakwatch::tracked_unordered_set<int> us{leakwatch::label{"us"}};
    us.insert(5);
    leakwatch::tracked_ordered_set<int> os{leakwatch::label{"os"}};
    os.insert(6);
    leakwatch::tracked_vector<int> v{leakwatch::label{"v"}};
    v.push_back(7);
    leakwatch::tracked_deque<int> d{leakwatch::label{"d"}};
    d.push_front(8);
    leakwatch::tracked_list<int> l{leakwatch::label{"l"}};
    l.push_back(9);
    std::vector<int, leakwatch::tracking_allocator<int>> with_allocator{leakwatch::tracking_allocator<int>{}};
    with_allocator.push_back(10);
    CHECK(m.size() + om.size() + us.size() + os.size() + v.size() + d.size() + l.size() + with_allocator.size() == 8);
    // (with a label it is a default-constructed allocator, and an unlabelled container is a
    // std container constructed as usual)
    leakwatch::tracked_vector<int, lwtest::counting_allocator<int>> counted{leakwatch::label{"counted"}};
    counted.push_back(1);
    CHECK(counted.get_allocator().counter() == &lwtest::default_counter());

    // The registry is inert.
    CHECK(leakwatch::registry::live_containers() == 0);
    leakwatch::registry::snapshot();
    leakwatch::registry::reset();
    const leakwatch::growth_report report = leakwatch::registry::report();
    CHECK(report.clean());
    CHECK(report.findings().empty());
    CHECK(report.unbounded().empty());
    CHECK(report.totals().live_containers == 0);
    CHECK(report.totals().tracked_bytes == 0);
    const leakwatch::registry_usage usage = leakwatch::registry::usage();
    CHECK(usage.live_records == 0);
    CHECK(usage.pooled_records == 0);
    CHECK(usage.bytes_reserved == 0);
    CHECK(leakwatch::registry::live_containers() == 0);
}

#if LEAKWATCH_HAS_PMR && defined(LEAKWATCH_TEST_HAS_PMR)
TEST_CASE("compiled out, tracking_resource forwards to its upstream and counts nothing", "[compile-out]") {
    lwtest::counting_resource upstream;
    leakwatch::tracking_resource resource{leakwatch::label{"pmr"}, &upstream};
    CHECK(resource.upstream_resource() == &upstream);
    {
        std::pmr::vector<int> v{&resource};
        v.assign(100, 1);
        CHECK(upstream.counter().bytes() >= 100 * sizeof(int));
        CHECK(resource.stats().bytes == 0);
        CHECK(resource.label().empty());
    }
    CHECK(upstream.counter().bytes() == 0);
    CHECK(leakwatch::registry::live_containers() == 0);
    CHECK(leakwatch::registry::report().findings().empty());
}
#endif
