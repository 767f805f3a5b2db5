// leakwatch/gtest.hpp — GoogleTest assertions: ASSERT_BOUNDED / EXPECT_BOUNDED.
//
// The argument is a callable workload (optionally followed by growth_options):
//   EXPECT_BOUNDED([&] { service.handle_batch(); });
// A failure prints each unbounded container with its creation site, label, type, size and
// growth rate. More text can be streamed after the assertion, as with any gtest assertion.
#pragma once

#include <leakwatch/check.hpp>
#include <leakwatch/leakwatch.hpp>

#include <gtest/gtest.h>

#define LEAKWATCH_GTEST_BOUNDED_IMPL(GTEST_FAIL_MACRO, ...)                                         \
    if (const ::leakwatch::growth_report leakwatch_report_ = ::leakwatch::check_growth(__VA_ARGS__); \
        leakwatch_report_.clean())                                                                 \
        ;                                                                                          \
    else                                                                                           \
        GTEST_FAIL_MACRO() << ::leakwatch::failure_message(leakwatch_report_)

// Fails and returns from the current function when the workload grows a container without bound.
#define ASSERT_BOUNDED(...) LEAKWATCH_GTEST_BOUNDED_IMPL(FAIL, __VA_ARGS__)
// Records the failure and goes on.
#define EXPECT_BOUNDED(...) LEAKWATCH_GTEST_BOUNDED_IMPL(ADD_FAILURE, __VA_ARGS__)
