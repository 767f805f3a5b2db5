// leakwatch/detail/stacks.hpp — creation stacks, opt-in with LEAKWATCH_CAPTURE_STACKS.
//
// With the macro defined (for the whole program, like LEAKWATCH_HISTORY_CAPACITY: it
// changes the registry's record), every tracked container and allocator channel keeps up
// to 32 return addresses of the call stack that created it, taken with backtrace() when it
// registers. Reports carry them in finding::stack; to_text() names the functions that
// dladdr() can name, to_pprof() exports the addresses with the process's mappings from
// /proc/self/maps so that `go tool pprof` symbolizes them against the binary. Without the
// macro none of this is compiled in: no field in the record, no call to backtrace().
#pragma once

#include <leakwatch/config.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

// LEAKWATCH_DETAIL_STACKS (on or off, from LEAKWATCH_CAPTURE_STACKS) is set in config.hpp: it is
// part of the inline namespace's name.
#if LEAKWATCH_DETAIL_STACKS
#include <execinfo.h>
// dladdr() lives in libc from glibc 2.34 on; older glibc needs -ldl, which a header cannot
// add, so there frames are shown as module+offset only.
#if !defined(__GLIBC__) || __GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34)
#include <dlfcn.h>
#define LEAKWATCH_DETAIL_DLADDR 1
#endif
#if __has_include(<cxxabi.h>)
#include <cxxabi.h>
#define LEAKWATCH_DETAIL_DEMANGLE 1
#endif
#endif
#ifndef LEAKWATCH_DETAIL_DLADDR
#define LEAKWATCH_DETAIL_DLADDR 0
#endif
#ifndef LEAKWATCH_DETAIL_DEMANGLE
#define LEAKWATCH_DETAIL_DEMANGLE 0
#endif

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

// True when this build records creation stacks (LEAKWATCH_CAPTURE_STACKS, on a platform
// with backtrace()).
constexpr bool captures_stacks() noexcept { return LEAKWATCH_DETAIL_STACKS != 0; }

namespace detail {

constexpr std::size_t max_stack_depth = 32;

// Return addresses, innermost first.
struct stack_trace {
    std::uintptr_t frames[max_stack_depth] = {};
    std::uint32_t depth = 0;
};

#if LEAKWATCH_DETAIL_STACKS
// Out of line, so that the one frame to drop is always its own.
__attribute__((noinline)) inline void capture_stack(stack_trace& out) noexcept {
    void* frames[max_stack_depth + 1];
    const int captured = ::backtrace(frames, static_cast<int>(max_stack_depth + 1));
    out.depth = 0;
    for (int i = 1; i < captured; ++i) out.frames[out.depth++] = reinterpret_cast<std::uintptr_t>(frames[i]);
}
#endif

// One file-backed mapping of the process's address space.
struct memory_mapping {
    std::uintptr_t start = 0;
    std::uintptr_t limit = 0;   // one past the end
    std::uintptr_t offset = 0;  // file offset of `start`
    bool executable = false;
    std::string path{};
};

// The file-backed mappings of this process, from /proc/self/maps (empty where there is none).
inline std::vector<memory_mapping> read_memory_mappings() {
    std::vector<memory_mapping> out;
#if defined(__linux__)
    std::FILE* maps = std::fopen("/proc/self/maps", "re");
    if (maps == nullptr) return out;
    std::string line;
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, maps) != nullptr) {
        line += buffer;
        if (line.empty() || line.back() != '\n') {
            if (!std::feof(maps)) continue;  // a path longer than the buffer: read on
        } else {
            line.pop_back();
        }
        unsigned long long start = 0, limit = 0, offset = 0;
        char permissions[8] = {};
        int path_at = 0;
        if (std::sscanf(line.c_str(), "%llx-%llx %7s %llx %*s %*s %n", &start, &limit, permissions, &offset,
                        &path_at) == 4 &&
            path_at > 0 && static_cast<std::size_t>(path_at) < line.size() && line[static_cast<std::size_t>(path_at)] == '/') {
            memory_mapping m;
            m.start = static_cast<std::uintptr_t>(start);
            m.limit = static_cast<std::uintptr_t>(limit);
            m.offset = static_cast<std::uintptr_t>(offset);
            m.executable = std::strchr(permissions, 'x') != nullptr;
            m.path = line.substr(static_cast<std::size_t>(path_at));
            out.push_back(std::move(m));
        }
        line.clear();
    }
    std::fclose(maps);
#endif
    return out;
}

inline const memory_mapping* mapping_of(const std::vector<memory_mapping>& mappings, std::uintptr_t address) noexcept {
    for (const memory_mapping& m : mappings)
        if (address >= m.start && address < m.limit) return &m;
    return nullptr;
}

// The function containing `address` as dladdr() names it, demangled; empty when dladdr
// cannot name it (a function that is not in the dynamic symbol table: link with -rdynamic,
// CMake's ENABLE_EXPORTS, to export the executable's own). `offset` receives the distance
// from the function's start.
inline std::string frame_symbol(std::uintptr_t address, std::uintptr_t* offset = nullptr) {
#if LEAKWATCH_DETAIL_DLADDR
    Dl_info info{};
    if (::dladdr(reinterpret_cast<void*>(address), &info) == 0 || info.dli_sname == nullptr) return std::string();
    if (offset != nullptr) *offset = address - reinterpret_cast<std::uintptr_t>(info.dli_saddr);
    std::string name = info.dli_sname;
#if LEAKWATCH_DETAIL_DEMANGLE
    int status = 0;
    if (char* demangled = abi::__cxa_demangle(info.dli_sname, nullptr, nullptr, &status)) {
        if (status == 0) name = demangled;
        std::free(demangled);
    }
#endif
    return name;
#else
    (void)address;
    (void)offset;
    return std::string();
#endif
}

// "make_sessions()+0x2c", or empty (see frame_symbol).
inline std::string frame_function(std::uintptr_t address) {
    std::uintptr_t offset = 0;
    std::string name = frame_symbol(address, &offset);
    if (name.empty()) return name;
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "+0x%llx", static_cast<unsigned long long>(offset));
    return name + suffix;
}

// One frame for a person: "make_sessions()+0x2c (test_pprof+0x1a2b)", or "test_pprof+0x1a2b"
// when no function can be named (addr2line -e <module> -f -C <offset> names it), or the bare
// address. `return_address` is what backtrace() gave: the call instruction is just before it.
inline std::string describe_frame(std::uintptr_t return_address, const std::vector<memory_mapping>& mappings) {
    const std::uintptr_t call = return_address - 1;
    std::string module;
    if (const memory_mapping* m = mapping_of(mappings, call)) {
        const std::size_t slash = m->path.rfind('/');
        char offset[32];
        // ELF offsets of a position-independent executable or library: file offset of the
        // mapping plus the distance into it.
        std::snprintf(offset, sizeof offset, "+0x%llx", static_cast<unsigned long long>(call - m->start + m->offset));
        module = (slash == std::string::npos ? m->path : m->path.substr(slash + 1)) + offset;
    }
    std::string function = frame_function(call);
    if (!function.empty()) return module.empty() ? function : function + " (" + module + ")";
    if (!module.empty()) return module;
    char bare[32];
    std::snprintf(bare, sizeof bare, "0x%llx", static_cast<unsigned long long>(return_address));
    return bare;
}

// The first frame of a creation stack that is not leakwatch's own registration path, as far
// as dladdr() can tell (0 when it cannot name the frames, or when every frame is leakwatch's).
inline std::size_t first_user_frame(const std::vector<std::uintptr_t>& stack) {
    std::size_t n = 0;
    while (n < stack.size() && frame_symbol(stack[n] - 1).compare(0, 11, "leakwatch::") == 0) ++n;
    return n == stack.size() ? 0 : n;
}

}  // namespace detail
}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
