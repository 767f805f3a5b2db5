// leakwatch/config.hpp — version, configuration macros and the inline ABI namespace.
//
// Every other header includes this one first. Users may predefine any LEAKWATCH_* macro
// below (before the first include) to tune the library; the defaults suit a service.
#pragma once

#define LEAKWATCH_VERSION_MAJOR 0
#define LEAKWATCH_VERSION_MINOR 1
#define LEAKWATCH_VERSION_PATCH 0

#if __cplusplus < 201703L && !(defined(_MSVC_LANG) && _MSVC_LANG >= 201703L)
#error "leakwatch requires C++17 or later"
#endif

// Samples kept per container and per creation site (a fixed ring: the registry's memory
// per record does not grow with the number of snapshots taken).
#ifndef LEAKWATCH_HISTORY_CAPACITY
#define LEAKWATCH_HISTORY_CAPACITY 64
#endif

// Distinct creation sites the registry aggregates; sites beyond it are counted as dropped.
#ifndef LEAKWATCH_MAX_SITES
#define LEAKWATCH_MAX_SITES 4096
#endif

// A thread flushes its batched lookup counts to the shared counter every this many lookups
// (so that readers of a shared map do not write a shared cache line on every call).
#ifndef LEAKWATCH_LOOKUP_BATCH
#define LEAKWATCH_LOOKUP_BATCH 256
#endif

#if __cplusplus >= 202002L || (defined(_MSVC_LANG) && _MSVC_LANG >= 202002L)
#define LEAKWATCH_CPP20 1
#else
#define LEAKWATCH_CPP20 0
#endif

#if defined(__has_include)
#if __has_include(<memory_resource>)
#define LEAKWATCH_HAS_PMR 1
#endif
#endif
#ifndef LEAKWATCH_HAS_PMR
#define LEAKWATCH_HAS_PMR 0
#endif

#if defined(__linux__) || defined(__unix__) || defined(__APPLE__)
#define LEAKWATCH_POSIX 1
#else
#define LEAKWATCH_POSIX 0
#endif

#define LEAKWATCH_ABI_NAMESPACE v0

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

// True when tracking is compiled in; with LEAKWATCH_DISABLE every tracked type is its std
// type and every registry call does nothing.
constexpr bool enabled() noexcept {
#if defined(LEAKWATCH_DISABLE)
    return false;
#else
    return true;
#endif
}

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
