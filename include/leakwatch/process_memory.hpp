// leakwatch/process_memory.hpp — what the whole process holds, beside what the
// tracked containers hold.
//
// The gap between the two is the point: a service showing 15 GB resident while its
// profiler explains 6 GB. Resident and peak resident come from /proc/self/status (Linux);
// heap in use and heap free-but-retained from glibc's mallinfo2 (glibc 2.33 and later).
// Anything the platform cannot say reads as zero.
#pragma once

#include <leakwatch/config.hpp>

#include <cstddef>
#include <cstdio>
#include <cstring>

#if defined(__linux__)
#include <malloc.h>
#endif

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

struct process_memory {
    std::size_t resident_bytes = 0;       // VmRSS
    std::size_t peak_resident_bytes = 0;  // VmHWM
    std::size_t heap_in_use_bytes = 0;    // malloc'd and not freed (mallinfo2 uordblks + hblkhd)
    std::size_t heap_free_bytes = 0;      // freed but kept by the allocator (mallinfo2 fordblks)

    static process_memory read() noexcept {
        process_memory out;
#if defined(__linux__)
        if (std::FILE* status = std::fopen("/proc/self/status", "re")) {
            char line[256];
            while (std::fgets(line, sizeof line, status) != nullptr) {
                unsigned long long kib = 0;
                if (std::strncmp(line, "VmRSS:", 6) == 0 && std::sscanf(line + 6, "%llu", &kib) == 1)
                    out.resident_bytes = static_cast<std::size_t>(kib) * 1024;
                else if (std::strncmp(line, "VmHWM:", 6) == 0 && std::sscanf(line + 6, "%llu", &kib) == 1)
                    out.peak_resident_bytes = static_cast<std::size_t>(kib) * 1024;
            }
            std::fclose(status);
        }
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
        const struct mallinfo2 info = mallinfo2();
        out.heap_in_use_bytes = info.uordblks + info.hblkhd;
        out.heap_free_bytes = info.fordblks;
#endif
#endif
        return out;
    }
};

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
