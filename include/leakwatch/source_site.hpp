// leakwatch/source_site.hpp — where a tracked container or channel was created.
//
// Built on __builtin_FILE/LINE/FUNCTION used as default arguments: they name the caller's
// location in GCC and Clang, in C++17 as in C++20, and need no <source_location> (which
// Clang 14 with libstdc++ does not have).
#pragma once

#include <leakwatch/config.hpp>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

struct source_site {
    const char* file = "";
    unsigned line = 0;
    const char* function = "";

#if LEAKWATCH_DETAIL_CPLUSPLUS < 201402L
    // C++11 (compiled-out builds only): a class with default member initializers is no
    // aggregate yet, so source_site{file, line, function} needs these.
    constexpr source_site() = default;
    constexpr source_site(const char* f, unsigned l, const char* fn) noexcept : file(f), line(l), function(fn) {}
#endif

    static constexpr source_site current(const char* file = __builtin_FILE(),
                                         unsigned line = __builtin_LINE(),
                                         const char* function = __builtin_FUNCTION()) noexcept {
        return source_site{file, line, function};
    }
};

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
