// leakwatch/gtest.hpp — GoogleTest assertions: ASSERT_BOUNDED / EXPECT_BOUNDED.
//
// The argument is a callable workload (optionally followed by growth_options):
//   EXPECT_BOUNDED([&] { service.handle_batch(); });
// A failure prints each unbounded container with its creation site, label, type, size and
// growth rate. More text can be streamed after the assertion, as with any gtest assertion.
#pragma once

// (check_growth and failure_message come with the core, below C++17 too: LEAKWATCH_DISABLE)
#include <leakwatch/leakwatch.hpp>

#include <gtest/gtest.h>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {
namespace detail {
// A check's report, true when clean: declared in the assertion's `if`, it stays in scope for
// the failure message of the `else` (without C++17's if-with-initializer).
struct gtest_bounded {
    growth_report report;
    explicit operator bool() const noexcept { return report.clean(); }
};
}  // namespace detail
}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch

#define LEAKWATCH_GTEST_BOUNDED_IMPL(GTEST_FAIL_MACRO, ...)                                  \
    if (const ::leakwatch::detail::gtest_bounded leakwatch_check_{                           \
            ::leakwatch::check_growth(__VA_ARGS__)})                                         \
        ;                                                                                    \
    else                                                                                     \
        GTEST_FAIL_MACRO() << ::leakwatch::failure_message(leakwatch_check_.report)

// Fails and returns from the current function when the workload grows a container without bound.
#define ASSERT_BOUNDED(...) LEAKWATCH_GTEST_BOUNDED_IMPL(FAIL, __VA_ARGS__)
// Records the failure and goes on.
#define EXPECT_BOUNDED(...) LEAKWATCH_GTEST_BOUNDED_IMPL(ADD_FAILURE, __VA_ARGS__)
