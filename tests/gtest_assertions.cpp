// The GoogleTest adapter: EXPECT_BOUNDED / ASSERT_BOUNDED pass on bounded workloads and fail
// on leaking ones with a message naming the leaking container's file and line.
#include <leakwatch/gtest.hpp>

#include <gtest/gtest-spi.h>

#include <string>

namespace {

leakwatch::tracked_map<int, int>* g_leak = nullptr;
int g_next = 0;
unsigned g_leak_line = 0;

void leak_some() { (*g_leak)[g_next++] = 1; }

void assert_on_leak() { ASSERT_BOUNDED([] { leak_some(); }); }

}  // namespace

TEST(Bounded, PassesOnBoundedWorkload) {
    leakwatch::tracked_map<int, int> cache{leakwatch::label{"cache"}};
    int n = 0;
    EXPECT_BOUNDED([&] { cache[n++ % 8] = 1; });
    ASSERT_BOUNDED([&] { cache.find(1); });
}

TEST(Bounded, ExpectFailsOnLeakNamingTheSite) {
    leakwatch::tracked_map<int, int> leak{leakwatch::label{"gtest leak"}};
    g_leak_line = __LINE__ - 1;
    g_leak = &leak;
    const std::string where = "gtest_assertions.cpp:" + std::to_string(g_leak_line);
    EXPECT_NONFATAL_FAILURE(EXPECT_BOUNDED([] { leak_some(); }), where);
    g_leak = nullptr;
}

TEST(Bounded, AssertFailsOnLeakNamingTheLabel) {
    leakwatch::tracked_map<int, int> leak{leakwatch::label{"fatal leak"}};
    g_leak = &leak;
    EXPECT_FATAL_FAILURE(assert_on_leak(), "\"fatal leak\"");
    g_leak = nullptr;
}
