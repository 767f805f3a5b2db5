// leakwatch/config.hpp — version, configuration macros and the inline ABI namespace.
//
// Every other header includes this one first. Users may predefine any LEAKWATCH_* macro
// below (before the first include) to tune the library; the defaults suit a service.
#pragma once

#define LEAKWATCH_VERSION_MAJOR 0
#define LEAKWATCH_VERSION_MINOR 1
#define LEAKWATCH_VERSION_PATCH 0

// The C++ standard in use (MSVC reports it in _MSVC_LANG).
#if defined(_MSVC_LANG) && _MSVC_LANG > __cplusplus
#define LEAKWATCH_DETAIL_CPLUSPLUS _MSVC_LANG
#else
#define LEAKWATCH_DETAIL_CPLUSPLUS __cplusplus
#endif

// Tracking needs C++17. Compiled out (LEAKWATCH_DISABLE), where every tracked type is its std
// type, the headers also compile as C++11 and C++14, so that headers holding tracked types can
// be shared with code built with those.
#if LEAKWATCH_DETAIL_CPLUSPLUS < 201703L && !defined(LEAKWATCH_DISABLE)
#error "leakwatch requires C++17 or later; below C++17, define LEAKWATCH_DISABLE (every tracked type is then its std type)"
#endif
#if LEAKWATCH_DETAIL_CPLUSPLUS < 201103L
#error "leakwatch requires C++11 or later (C++17 or later unless LEAKWATCH_DISABLE is defined)"
#endif
#if LEAKWATCH_DETAIL_CPLUSPLUS >= 201703L
#define LEAKWATCH_CPP17 1
#else
#define LEAKWATCH_CPP17 0
#endif

// Full-resolution samples (one per snapshot) kept per creation site and per promoted
// container, in a fixed ring; older snapshots are merged into four coarse levels of half as
// many buckets each (8, 64, 512 and 4,096 epochs a bucket). All fixed arrays: the registry's
// memory per site does not grow with the number of snapshots taken.
#ifndef LEAKWATCH_HISTORY_CAPACITY
#define LEAKWATCH_HISTORY_CAPACITY 64
#endif
#if LEAKWATCH_HISTORY_CAPACITY < 2
#error "LEAKWATCH_HISTORY_CAPACITY must be at least 2 (the coarse levels hold half as many buckets)"
#endif

// Distinct creation sites the registry aggregates; sites beyond it are counted as dropped.
#ifndef LEAKWATCH_MAX_SITES
#define LEAKWATCH_MAX_SITES 4096
#endif

// Most tracked containers and channels alive at once; beyond it a container is counted as
// untracked (the report shows how many) instead of getting a record.
#ifndef LEAKWATCH_MAX_CONTAINERS
#define LEAKWATCH_MAX_CONTAINERS 4194304
#endif

// Exact insert, erase and lookup counts in container_stats (off: they read 0). On, every
// insert, erase and lookup updates a counter; no verdict needs them. Changes the record's
// layout: every translation unit of a program must agree on it.
#if defined(LEAKWATCH_COUNT_OPERATIONS)
#if (0 - LEAKWATCH_COUNT_OPERATIONS - 1) == 1 || (LEAKWATCH_COUNT_OPERATIONS + 0) != 0
#undef LEAKWATCH_COUNT_OPERATIONS
#define LEAKWATCH_COUNT_OPERATIONS 1
#else
#undef LEAKWATCH_COUNT_OPERATIONS
#define LEAKWATCH_COUNT_OPERATIONS 0
#endif
#else
#define LEAKWATCH_COUNT_OPERATIONS 0
#endif

// A container that shares its creation site with others gets a history of its own
// ("promoted") when it is the largest there and holds at least this many bytes; at most
// LEAKWATCH_MAX_PROMOTED containers at once.
#ifndef LEAKWATCH_PROMOTE_BYTES
#define LEAKWATCH_PROMOTE_BYTES (1024 * 1024)
#endif
#ifndef LEAKWATCH_MAX_PROMOTED
#define LEAKWATCH_MAX_PROMOTED 256
#endif

#if LEAKWATCH_DETAIL_CPLUSPLUS >= 202002L
#define LEAKWATCH_CPP20 1
#else
#define LEAKWATCH_CPP20 0
#endif

#if defined(__has_include) && LEAKWATCH_CPP17
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

// Creation stacks (see detail/stacks.hpp): LEAKWATCH_CAPTURE_STACKS defined empty or to a
// nonzero value is on, undefined or defined to 0 is off. Needs backtrace() (<execinfo.h>:
// glibc, macOS, the BSDs); elsewhere it stays off.
#if defined(LEAKWATCH_CAPTURE_STACKS) && !defined(LEAKWATCH_DISABLE)
#if (0 - LEAKWATCH_CAPTURE_STACKS - 1) == 1 || (LEAKWATCH_CAPTURE_STACKS + 0) != 0
#if defined(__has_include)
#if __has_include(<execinfo.h>) && __has_include(<dlfcn.h>)
#define LEAKWATCH_DETAIL_STACKS 1
#endif
#endif
#endif
#endif
#ifndef LEAKWATCH_DETAIL_STACKS
#define LEAKWATCH_DETAIL_STACKS 0
#endif

// LEAKWATCH_COUNT_OPERATIONS (normalised to 0 or 1 above) selects exact insert, erase and
// lookup counters in the record, a layout of its own: it is part of the namespace's name below.
#if defined(LEAKWATCH_COUNT_OPERATIONS) && !defined(LEAKWATCH_DISABLE)
#if (0 - LEAKWATCH_COUNT_OPERATIONS - 1) == 1 || (LEAKWATCH_COUNT_OPERATIONS + 0) != 0
#define LEAKWATCH_DETAIL_COUNT_OPERATIONS 1
#endif
#endif
#ifndef LEAKWATCH_DETAIL_COUNT_OPERATIONS
#define LEAKWATCH_DETAIL_COUNT_OPERATIONS 0
#endif

#if defined(LEAKWATCH_DISABLE)
#define LEAKWATCH_DETAIL_DISABLED 1
#else
#define LEAKWATCH_DETAIL_DISABLED 0
#endif

// Below C++17 (compiled out only) leakwatch.hpp declares a smaller set of types than in a
// C++17 compiled-out build (detail/pre_cxx17.hpp): they get a namespace of their own.
#if LEAKWATCH_CPP17
#define LEAKWATCH_DETAIL_ABI_SURFACE
#else
#define LEAKWATCH_DETAIL_ABI_SURFACE _cxx11
#endif

// The inline namespace everything lives in is named after the settings that change the layout
// of leakwatch's types: v0_h<history capacity>_d<disabled>_s<stacks>_o<operation counters>,
// leakwatch::v0_h64_d0_s0_o0 by default (with _cxx11 appended below C++17). Two translation
// units built with different settings that pass a leakwatch type to each other then fail to
// link (an undefined reference) instead of sharing one object under two layouts.
// LEAKWATCH_HISTORY_CAPACITY must therefore be a plain integer literal. Code names the types
// leakwatch::x, never the inline namespace.
#define LEAKWATCH_DETAIL_ABI_PASTE_EX(version, history, disabled, stacks, operations, surface) \
    version##_h##history##_d##disabled##_s##stacks##_o##operations##surface
#define LEAKWATCH_DETAIL_ABI_PASTE(version, history, disabled, stacks, operations, surface) \
    LEAKWATCH_DETAIL_ABI_PASTE_EX(version, history, disabled, stacks, operations, surface)
#define LEAKWATCH_ABI_NAMESPACE                                                                \
    LEAKWATCH_DETAIL_ABI_PASTE(v0, LEAKWATCH_HISTORY_CAPACITY, LEAKWATCH_DETAIL_DISABLED,      \
                               LEAKWATCH_DETAIL_STACKS, LEAKWATCH_DETAIL_COUNT_OPERATIONS,     \
                               LEAKWATCH_DETAIL_ABI_SURFACE)
#define LEAKWATCH_DETAIL_STRINGIFY_EX(x) #x
#define LEAKWATCH_DETAIL_STRINGIFY(x) LEAKWATCH_DETAIL_STRINGIFY_EX(x)
// The same name as a string literal ("v0_h64_d0_s0_o0").
#define LEAKWATCH_ABI_NAMESPACE_STRING LEAKWATCH_DETAIL_STRINGIFY(LEAKWATCH_ABI_NAMESPACE)

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
