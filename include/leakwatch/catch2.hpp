// leakwatch/catch2.hpp — Catch2 assertions: LEAKWATCH_REQUIRE_BOUNDED / LEAKWATCH_CHECK_BOUNDED.
//
// Works with Catch2 v2 (<catch2/catch.hpp>) and, when that is what is installed, Catch2 v3.
// The argument is a callable workload (optionally followed by growth_options):
//   LEAKWATCH_REQUIRE_BOUNDED([&] { service.handle_batch(); });
// A failure prints each unbounded container with its creation site, label, type, size and
// growth rate.
#pragma once

// (check_growth and failure_message come with the core, below C++17 too: LEAKWATCH_DISABLE)
#include <leakwatch/leakwatch.hpp>

#if defined(__has_include)
#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/catch_message.hpp>
#include <catch2/catch_test_macros.hpp>
#elif __has_include(<catch2/catch.hpp>)
#include <catch2/catch.hpp>
#else
#error "leakwatch/catch2.hpp needs Catch2 (<catch2/catch.hpp> for v2 or <catch2/catch_test_macros.hpp> for v3)"
#endif
#else
#include <catch2/catch.hpp>
#endif

#define LEAKWATCH_CATCH2_BOUNDED_IMPL(CATCH_ASSERTION, ...)                                   \
    do {                                                                                     \
        const ::leakwatch::growth_report leakwatch_report_ = ::leakwatch::check_growth(__VA_ARGS__); \
        INFO(::leakwatch::failure_message(leakwatch_report_));                               \
        CATCH_ASSERTION(leakwatch_report_.clean());                                          \
    } while (false)

// Fails the test case at once when the workload grows a container without bound.
#define LEAKWATCH_REQUIRE_BOUNDED(...) LEAKWATCH_CATCH2_BOUNDED_IMPL(REQUIRE, __VA_ARGS__)
// Records the failure and goes on.
#define LEAKWATCH_CHECK_BOUNDED(...) LEAKWATCH_CATCH2_BOUNDED_IMPL(CHECK, __VA_ARGS__)
