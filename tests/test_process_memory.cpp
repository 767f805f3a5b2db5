// Where the resident memory went: the parsers of /proc/self/smaps and malloc_info() on fixed
// samples (malformed ones included), the combination into categories, the categories of this
// very process as it allocates, starts threads and maps memory, and the untracked-growth
// verdict naming the category that grows (fed synthetic series, then once end to end).
#include <leakwatch/leakwatch.hpp>

#include <catch2/catch.hpp>

#include "external_tools.hpp"
#include "json_check.hpp"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

// A sanitizer's runtime replaces malloc: glibc's counts (mallinfo2, malloc_info) then
// describe glibc's own, almost idle, allocator, and the program's heap is anonymous memory.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LEAKWATCH_TEST_SANITIZED_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define LEAKWATCH_TEST_SANITIZED_MALLOC 1
#endif
#endif
#ifndef LEAKWATCH_TEST_SANITIZED_MALLOC
#define LEAKWATCH_TEST_SANITIZED_MALLOC 0
#endif

namespace {

using leakwatch::memory_category;
constexpr std::size_t MiB = 1024 * 1024;

// Excerpt of a real /proc/self/smaps (Linux 6.18, glibc 2.36): a program file, [heap], two
// arenas of glibc (MAP_NORESERVE: "nr"), two thread stacks below their guard pages, a large
// malloc'd chunk, [vvar], [stack], and a mapped file; fields not read are left out.
const char* const smaps_sample =
    "55f2c2431000-55f2c2432000 r--p 00000000 fe:00 10953041                   /usr/bin/service\n"
    "Size:                  4 kB\n"
    "Rss:                   4 kB\n"
    "VmFlags: rd mr mw me \n"
    "555aa0099000-555aa00ba000 rw-p 00000000 00:00 0                          [heap]\n"
    "Rss:                  16 kB\n"
    "VmFlags: rd wr mr mw me ac \n"
    "7ff784000000-7ff784021000 rw-p 00000000 00:00 0 \n"
    "Rss:                   4 kB\n"
    "VmFlags: rd wr mr mw me nr \n"
    "7ff784021000-7ff788000000 ---p 00000000 00:00 0 \n"
    "Rss:                   0 kB\n"
    "VmFlags: mr mw me nr \n"
    "7ff788000000-7ff788100000 rw-p 00000000 00:00 0 \n"
    "Rss:                  40 kB\n"
    "VmFlags: rd wr mr mw me ac \n"
    "7ff78c000000-7ff78c021000 rw-p 00000000 00:00 0 \n"
    "Rss:                   8 kB\n"
    "VmFlags: rd wr mr mw me nr \n"
    "7ff79161a000-7ff79161b000 ---p 00000000 00:00 0 \n"
    "Rss:                   0 kB\n"
    "VmFlags: mr mw me nh \n"
    "7ff79161b000-7ff791e1b000 rw-p 00000000 00:00 0 \n"
    "Rss:                   8 kB\n"
    "VmFlags: rd wr mr mw me ac nh \n"
    "7ff791e1b000-7ff791e1c000 ---p 00000000 00:00 0 \n"
    "Rss:                   0 kB\n"
    "VmFlags: mr mw me nh \n"
    "7ff791e1c000-7ff79261c000 rw-p 00000000 00:00 0 \n"
    "Rss:                  12 kB\n"
    "VmFlags: rd wr mr mw me ac nh \n"
    "7ff792e1d000-7ff796e1e000 rw-p 00000000 00:00 0 \n"
    "Rss:               65540 kB\n"
    "VmFlags: rd wr mr mw me ac \n"
    "7ff797000000-7ff797400000 r--s 00000000 fe:00 2345                       /var/lib/data/index (deleted)\n"
    "Rss:                1024 kB\n"
    "VmFlags: rd sh mr mw me ms \n"
    "7ff79732b000-7ff79732f000 r--p 00000000 00:00 0                          [vvar]\n"
    "Rss:                   0 kB\n"
    "VmFlags: rd mr pf io de dd \n"
    "7ff797331000-7ff797333000 r-xp 00000000 00:00 0                          [vdso]\n"
    "Rss:                   4 kB\n"
    "VmFlags: rd ex mr mw me de \n"
    "7ff797400000-7ff797500000 rw-s 00000000 00:01 77                         /dev/zero (deleted)\n"
    "Rss:                 100 kB\n"
    "7ffd370ba000-7ffd370db000 rw-p 00000000 00:00 0                          [stack]\n"
    "Rss:                  12 kB\n"
    "VmFlags: rd wr mr mw me gd ac \n";

// Real malloc_info(0, ...) output of glibc 2.36 (a main arena and one more, one mmap'd chunk).
const char* const malloc_info_sample =
    "<malloc version=\"1\">\n"
    "<heap nr=\"0\">\n<sizes>\n"
    "  <size from=\"33\" to=\"33\" total=\"33\" count=\"1\"/>\n"
    "  <size from=\"753\" to=\"753\" total=\"753\" count=\"1\"/>\n"
    "  <unsorted from=\"1089\" to=\"1089\" total=\"1089\" count=\"1\"/>\n"
    "</sizes>\n"
    "<total type=\"fast\" count=\"2\" size=\"64\"/>\n"
    "<total type=\"rest\" count=\"5\" size=\"132628\"/>\n"
    "<system type=\"current\" size=\"270336\"/>\n"
    "<system type=\"max\" size=\"270336\"/>\n"
    "<aspace type=\"total\" size=\"270336\"/>\n"
    "<aspace type=\"mprotect\" size=\"270336\"/>\n"
    "</heap>\n"
    "<heap nr=\"1\">\n<sizes>\n</sizes>\n"
    "<total type=\"fast\" count=\"0\" size=\"0\"/>\n"
    "<total type=\"rest\" count=\"1\" size=\"132912\"/>\n"
    "<system type=\"current\" size=\"135168\"/>\n"
    "<system type=\"max\" size=\"135168\"/>\n"
    "<aspace type=\"total\" size=\"135168\"/>\n"
    "<aspace type=\"mprotect\" size=\"135168\"/>\n"
    "<aspace type=\"subheaps\" size=\"1\"/>\n"
    "</heap>\n"
    "<total type=\"fast\" count=\"2\" size=\"64\"/>\n"
    "<total type=\"rest\" count=\"6\" size=\"265540\"/>\n"
    "<total type=\"mmap\" count=\"1\" size=\"1052672\"/>\n"
    "<system type=\"current\" size=\"405504\"/>\n"
    "<system type=\"max\" size=\"405504\"/>\n"
    "<aspace type=\"total\" size=\"405504\"/>\n"
    "<aspace type=\"mprotect\" size=\"405504\"/>\n"
    "</malloc>\n";

// Rss of /proc/self/smaps_rollup (the kernel's own sum over every mapping), in bytes.
std::size_t rollup_resident() {
    const std::string text = tools::read_file("/proc/self/smaps_rollup");
    const std::size_t at = text.find("\nRss:");
    REQUIRE(at != std::string::npos);
    return std::strtoull(text.c_str() + at + 5, nullptr, 10) * 1024;
}

leakwatch::memory_breakdown breakdown_now() {
    const leakwatch::process_memory now = leakwatch::process_memory::read_breakdown();
    REQUIRE(now.breakdown.available);
    return now.breakdown;
}

// Touches every page of [data, data + size).
void touch(void* data, std::size_t size) {
    auto* bytes = static_cast<volatile char*>(data);
    for (std::size_t i = 0; i < size; i += 4096) bytes[i] = static_cast<char>(i / 4096 + 1);
}

}  // namespace

TEST_CASE("parse_smaps classifies [heap], arenas, thread stacks, anonymous and file-backed mappings", "[process]") {
    const auto s = leakwatch::detail::parse_smaps(smaps_sample);
    CHECK(s.valid);
    CHECK(s.mappings == 16);
    CHECK(s.malformed_lines == 0);
    CHECK(s.heap_bytes == 16 * 1024);
    CHECK(s.arena_bytes == (4 + 0 + 8) * 1024);
    CHECK(s.thread_stacks == 3);  // two below a guard page, and [stack]
    CHECK(s.thread_stack_bytes == (8 + 12 + 12) * 1024);
    CHECK(s.file_bytes == (4 + 1024) * 1024);
    // the 1 MiB mapping, the large chunk, [vvar], [vdso], shared /dev/zero, the guard pages
    CHECK(s.anonymous_bytes == (40 + 65540 + 0 + 4 + 100) * 1024);
    CHECK(s.resident_bytes == s.heap_bytes + s.arena_bytes + s.thread_stack_bytes + s.file_bytes + s.anonymous_bytes);
}

TEST_CASE("parse_smaps skips malformed lines and mappings and never overflows", "[process]") {
    using leakwatch::detail::parse_smaps;
    CHECK_FALSE(parse_smaps("").valid);
    CHECK_FALSE(parse_smaps("garbage\nmore garbage without colon\n\x01\x02\xff").valid);
    CHECK(parse_smaps("garbage\n").malformed_lines == 1);

    // A header that does not parse: its fields are ignored up to the next valid header.
    const auto s = parse_smaps(
        "zz-1000 rw-p 0 00:00 0\n"
        "Rss: 999 kB\n"
        "1000-0fff rw-p 00000000 00:00 0\n"  // end before start
        "Rss: 999 kB\n"
        "1000-2000 rw-p 00000000 00:00 0 [heap]\n"
        "Rss: not a number\n"
        "2000-3000 rw-p 00000000 00:00 0\n"
        "Rss: 8 kB\n"
        "3000-4000 rw-p 00000000 0000 0\n"  // device without ':'
        "Rss: 999 kB\n"
        "4000-5000 rw-p\n"                   // truncated header
        "Rss: 999 kB\n"
        "5000-6000 r--p 00000000 08:01 12 /lib/x.so\r\n"
        "Rss: 18446744073709551615 kB\n"     // does not fit in bytes: saturates
        "6000-7000 r--p 00000000 08:01 12 /lib/y.so\n"
        "Rss: 99999999999999999999999 kB\n"  // does not fit at all: malformed
        "7000-8000 rw-p 00000000 00:00 0 [stack]\n"
        "Rss: 4");                           // no line feed at the end
    CHECK(s.valid);
    CHECK(s.mappings == 5);  // [heap], 2000-3000, x.so, y.so, [stack]
    CHECK(s.malformed_lines == 6);
    CHECK(s.heap_bytes == 0);
    CHECK(s.anonymous_bytes == 8 * 1024);
    CHECK(s.file_bytes == static_cast<std::size_t>(-1));
    CHECK(s.resident_bytes == static_cast<std::size_t>(-1));
    CHECK(s.thread_stack_bytes == 4 * 1024);
}

TEST_CASE("parse_malloc_info reads every arena and the totals", "[process]") {
    const auto m = leakwatch::detail::parse_malloc_info(malloc_info_sample);
    CHECK(m.valid);
    REQUIRE(m.arenas.size() == 2);
    CHECK(m.arenas[0].index == 0);
    CHECK(m.arenas[0].free_bytes == 64 + 132628);
    CHECK(m.arenas[0].free_chunks == 7);
    CHECK(m.arenas[0].system_bytes == 270336);
    CHECK(m.arenas[1].index == 1);
    CHECK(m.arenas[1].free_bytes == 132912);
    CHECK(m.arenas[1].system_bytes == 135168);
    CHECK(m.free_bytes == 64 + 265540);
    CHECK(m.system_bytes == 405504);
    CHECK(m.mmapped_chunks == 1);
    CHECK(m.mmapped_bytes == 1052672);
}

TEST_CASE("parse_malloc_info rejects truncated and malformed documents", "[process]") {
    using leakwatch::detail::parse_malloc_info;
    const std::string good = malloc_info_sample;
    CHECK(parse_malloc_info(good).valid);
    // With an XML declaration, other whitespace and an element it does not know: still fine.
    CHECK(parse_malloc_info("<?xml version=\"1.0\"?>\n<malloc version=\"1\"><heap\tnr=\"0\"><future x=\"1\"/>"
                            "<total type=\"rest\"   count=\"1\" size=\"10\"/></heap></malloc>")
              .valid);
    const std::vector<std::string> bad = {
        "",
        "not xml at all",
        good.substr(0, good.size() / 2),                          // truncated inside
        good.substr(0, good.find("</malloc>")),                   // no end
        good.substr(0, good.find("<total type=\"fast\"") + 10),   // unclosed tag
        "<heap nr=\"0\"></heap>",                                 // no root
        "<malloc><heap nr=\"0\"><heap nr=\"1\"></heap></heap></malloc>",  // heap in a heap
        "<malloc><heap></heap></malloc>",                         // heap without a number
        "<malloc><heap nr=\"x\"></heap></malloc>",                // not a number
        "<malloc><heap nr=\"0\"><total type=\"rest\" count=\"1\" size=\"-5\"/></heap></malloc>",
        "<malloc><heap nr=\"0\"><total type=\"rest\" count=\"1\"/></heap></malloc>",  // no size
        "<malloc><heap nr=\"0\"><system type=\"current\" size=\"99999999999999999999999\"/></heap></malloc>",
        "<malloc></heap></malloc>",                               // closes what was not opened
        "<malloc></malloc><malloc></malloc>",                     // content after the end
    };
    for (const std::string& text : bad) {
        INFO("input: " << text);
        CHECK_FALSE(parse_malloc_info(text).valid);
    }
}

TEST_CASE("combine_breakdown splits the heap's resident memory and the categories add up to resident", "[process]") {
    using leakwatch::detail::combine_breakdown;
    const auto maps = leakwatch::detail::parse_smaps(smaps_sample);
    const auto arenas = leakwatch::detail::parse_malloc_info(malloc_info_sample);
    // glibc says: the large chunk and 20 KiB more in use, 260 KiB free. The heap's resident
    // memory is [heap] (16 KiB), the arenas (12 KiB) and the chunk: 8 KiB of it is free.
    const std::size_t chunk = 65540 * 1024;
    auto b = combine_breakdown(maps, arenas, chunk + 20 * 1024, 260 * 1024, chunk, 0);
    CHECK(b.available);
    CHECK(b.resident_bytes == maps.resident_bytes);
    CHECK(b.sum() == b.resident_bytes);
    CHECK(b.other_heap_in_use_bytes == chunk + 20 * 1024);
    CHECK(b.heap_free_retained_bytes == 8 * 1024);
    CHECK(b.other_anonymous_bytes == maps.anonymous_bytes - chunk);
    CHECK(b.thread_stack_bytes == maps.thread_stack_bytes);
    CHECK(b.thread_stacks == 3);
    CHECK(b.file_backed_bytes == maps.file_bytes);
    REQUIRE(b.arenas.size() == 2);
    CHECK(b.arenas[1].free_bytes == 132912);

    // Tracked containers are carved out of the heap in use, never beyond it.
    b.attribute_tracked(10 * 1024);
    CHECK(b.tracked_bytes == 10 * 1024);
    CHECK(b.other_heap_in_use_bytes == chunk + 10 * 1024);
    b.attribute_tracked(chunk + 20 * 1024);
    CHECK(b.tracked_bytes == chunk + 20 * 1024);
    CHECK(b.other_heap_in_use_bytes == 0);
    CHECK(b.other_anonymous_bytes == maps.anonymous_bytes - chunk);
    CHECK(b.sum() == b.resident_bytes);
    // More than glibc counts in use: not glibc's memory, so out of the anonymous mappings.
    b.attribute_tracked(std::size_t{1} << 40);
    CHECK(b.tracked_bytes == maps.anonymous_bytes + 20 * 1024);
    CHECK(b.other_anonymous_bytes == 0);
    CHECK(b.sum() == b.resident_bytes);
    b.attribute_tracked(10 * 1024);
    CHECK(b.tracked_bytes == 10 * 1024);
    CHECK(b.other_anonymous_bytes == maps.anonymous_bytes - chunk);
    CHECK(b.sum() == b.resident_bytes);

    // Another allocator serves the program (glibc counts 20 KiB in use): tracked bytes beyond
    // the heap come out of the anonymous mappings, where that allocator's memory is.
    auto foreign = combine_breakdown(maps, arenas, 20 * 1024, 0, 0, 0);
    CHECK(foreign.other_anonymous_bytes == maps.anonymous_bytes + 8 * 1024);
    foreign.attribute_tracked(64 * std::size_t{1024 * 1024});
    CHECK(foreign.tracked_bytes == 64 * std::size_t{1024 * 1024});
    CHECK(foreign.tracked_outside_heap_bytes == 64 * std::size_t{1024 * 1024} - 20 * 1024);
    CHECK(foreign.other_heap_in_use_bytes == 0);
    CHECK(foreign.other_anonymous_bytes == maps.anonymous_bytes + 8 * 1024 - (64 * std::size_t{1024 * 1024} - 20 * 1024));
    CHECK(foreign.sum() == foreign.resident_bytes);
    foreign.attribute_tracked(0);
    CHECK(foreign.tracked_bytes == 0);
    CHECK(foreign.other_heap_in_use_bytes == 20 * 1024);
    CHECK(foreign.other_anonymous_bytes == maps.anonymous_bytes + 8 * 1024);

    // The allocator claims more than is resident (allocated, never touched): the heap
    // categories stop at what is resident, the rest of the anonymous memory stays other.
    const auto untouched = combine_breakdown(maps, arenas, std::size_t{1} << 40, std::size_t{1} << 30, 0, 0);
    CHECK(untouched.other_heap_in_use_bytes == (16 + 12) * 1024);
    CHECK(untouched.heap_free_retained_bytes == 0);
    CHECK(untouched.other_anonymous_bytes == maps.anonymous_bytes);
    CHECK(untouched.sum() == untouched.resident_bytes);

    // MAP_NORESERVE mappings beyond what glibc's arenas obtained are someone else's.
    leakwatch::detail::malloc_info_summary small = arenas;
    small.arenas[1].system_bytes = 4096;
    const auto capped = combine_breakdown(maps, small, std::size_t{1} << 40, 0, 0, 0);
    CHECK(capped.other_heap_in_use_bytes == (16 + 4) * 1024);
    CHECK(capped.other_anonymous_bytes == maps.anonymous_bytes + 8 * 1024);
    CHECK(capped.sum() == capped.resident_bytes);

    // Without glibc's counts: the heap mapping is anonymous memory like any other.
    const auto unknown = combine_breakdown(maps, leakwatch::detail::malloc_info_summary{}, 0, 0, 0, 0);
    CHECK(unknown.other_heap_in_use_bytes == 0);
    CHECK(unknown.arenas.empty());
    CHECK(unknown.sum() == unknown.resident_bytes);
    // Without smaps: nothing.
    CHECK_FALSE(combine_breakdown(leakwatch::detail::smaps_summary{}, arenas, 1, 1, 1, 1).available);
}

TEST_CASE("this process's categories each stay within resident and add up to smaps_rollup's resident", "[process]") {
    // Tolerance: smaps and smaps_rollup are read one after the other, and between the two
    // reads the process may fault in or release a few pages (the reads themselves allocate):
    // the sum may differ from the rollup by 2 MiB plus 5%.
    const leakwatch::memory_breakdown b = breakdown_now();
    const std::size_t rollup = rollup_resident();
    CHECK(b.mappings > 10);
    CHECK(b.sum() == b.resident_bytes);
    for (std::size_t i = 0; i < leakwatch::memory_category_count; ++i) {
        INFO(leakwatch::describe(static_cast<memory_category>(i)));
        CHECK(b.bytes(static_cast<memory_category>(i)) <= b.resident_bytes);
    }
    const double difference = std::abs(static_cast<double>(b.sum()) - static_cast<double>(rollup));
    INFO("sum " << b.sum() << ", smaps_rollup Rss " << rollup);
    CHECK(difference <= 2.0 * MiB + 0.05 * static_cast<double>(rollup));
    CHECK(b.file_backed_bytes > 0);          // the executable and libc
    CHECK(b.thread_stacks >= 1);             // [stack]
    CHECK(b.thread_stack_bytes > 0);
#if !LEAKWATCH_TEST_SANITIZED_MALLOC
    REQUIRE_FALSE(b.arenas.empty());
    CHECK(b.arenas.front().index == 0);
    CHECK(b.other_heap_in_use_bytes > 0);
#endif
}

TEST_CASE("malloc'ing and touching 64 MiB raises other heap in use", "[process]") {
    const leakwatch::memory_breakdown before = breakdown_now();
    void* block = std::malloc(64 * MiB);
    REQUIRE(block != nullptr);
    touch(block, 64 * MiB);
    const leakwatch::memory_breakdown after = breakdown_now();
    std::free(block);
#if LEAKWATCH_TEST_SANITIZED_MALLOC
    // The sanitizer's allocator maps it: anonymous memory glibc knows nothing of.
    CHECK(after.other_anonymous_bytes >= before.other_anonymous_bytes + 60 * MiB);
#else
    CHECK(after.other_heap_in_use_bytes >= before.other_heap_in_use_bytes + 60 * MiB);
    CHECK(after.other_anonymous_bytes < before.other_anonymous_bytes + 4 * MiB);
#endif
    CHECK(after.sum() == after.resident_bytes);
}

TEST_CASE("threads that use their stacks raise thread stacks", "[process]") {
    constexpr int threads = 4;
    constexpr std::size_t used = 512 * 1024;  // stack each thread touches
    const leakwatch::memory_breakdown before = breakdown_now();
    std::mutex mutex;
    std::condition_variable changed;
    int ready = 0;
    bool done = false;
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i) {
        pool.emplace_back([&] {
            volatile char frame[used];
            for (std::size_t k = 0; k < used; k += 4096) frame[k] = 1;
            std::unique_lock<std::mutex> lock(mutex);
            ++ready;
            changed.notify_all();
            changed.wait(lock, [&] { return done; });
            (void)frame[0];
        });
    }
    leakwatch::memory_breakdown during;
    {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return ready == threads; });
    }
    during = breakdown_now();
    {
        std::lock_guard<std::mutex> lock(mutex);
        done = true;
    }
    changed.notify_all();
    for (auto& t : pool) t.join();
    CHECK(during.thread_stacks >= before.thread_stacks + threads);
    CHECK(during.thread_stack_bytes >= before.thread_stack_bytes + threads * used);
    CHECK(during.sum() == during.resident_bytes);
}

TEST_CASE("mapping a file and reading it raises file-backed; an anonymous mapping raises other anonymous",
          "[process]") {
    constexpr std::size_t size = 32 * MiB;
    tools::temp_dir dir("procmem");
    const std::string path = dir / "data.bin";
    tools::write_file(path, std::string(size, 'x'));
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);

    const leakwatch::memory_breakdown before = breakdown_now();
    void* file = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    REQUIRE(file != MAP_FAILED);
    unsigned sum = 0;
    for (std::size_t i = 0; i < size; i += 4096) sum += static_cast<const volatile unsigned char*>(file)[i];
    CHECK(sum == size / 4096 * 'x');
    const leakwatch::memory_breakdown with_file = breakdown_now();
    CHECK(with_file.file_backed_bytes >= before.file_backed_bytes + size - 2 * MiB);

    void* anonymous = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(anonymous != MAP_FAILED);
    touch(anonymous, size);
    const leakwatch::memory_breakdown with_both = breakdown_now();
    CHECK(with_both.other_anonymous_bytes >= with_file.other_anonymous_bytes + size - 2 * MiB);
    CHECK(with_both.file_backed_bytes >= with_file.file_backed_bytes - 2 * MiB);
    CHECK(with_both.sum() == with_both.resident_bytes);

    ::munmap(anonymous, size);
    ::munmap(file, size);
    ::close(fd);
}

TEST_CASE("explain_resident_growth names the category that grows most and its share", "[process]") {
    using leakwatch::detail::category_sample;
    using leakwatch::detail::explain_resident_growth;
    std::vector<category_sample> s;
    for (std::uint64_t e = 1; e <= 10; ++e) {
        const double k = static_cast<double>(e);
        s.push_back({e, {1e6, 5e6 + k * 3e6, 2e6, 1e6 + k * 1e6, 4e6 - k * 1e5, 3e6}});
    }
    auto g = explain_resident_growth(s, 24);
    CHECK(g.known);
    CHECK(g.category == memory_category::other_heap_in_use);
    CHECK(g.per_epoch[1] == Approx(3e6));
    CHECK(g.per_epoch[3] == Approx(1e6));
    CHECK(g.per_epoch[4] == Approx(-1e5));
    CHECK(g.share == Approx(0.75));
    // Only the window counts: the last four epochs, where stacks grow and the heap does not.
    for (std::uint64_t e = 11; e <= 14; ++e)
        s.push_back({e, {1e6, 35e6, 2e6, 11e6 + static_cast<double>(e - 10) * 4e6, 3e6, 3e6}});
    g = explain_resident_growth(s, 4);
    CHECK(g.category == memory_category::thread_stacks);
    CHECK(g.per_epoch[3] == Approx(4e6));
    CHECK(g.share == Approx(1.0));
    // Samples need not be at every epoch (a snapshot reads the breakdown only when it is due):
    // the rate is per epoch between the first and the last one in the window.
    const std::vector<category_sample> sparse = {{3, {0, 10e6, 0, 0, 0, 0}},
                                                 {9, {0, 22e6, 0, 0, 0, 0}},
                                                 {20, {0, 44e6, 0, 0, 0, 6e6}}};
    g = explain_resident_growth(sparse, 24);
    CHECK(g.per_epoch[1] == Approx(2e6));
    CHECK(g.per_epoch[5] == Approx(6e6 / 17));
    g = explain_resident_growth(sparse, 12);  // epochs 9 to 20
    CHECK(g.per_epoch[1] == Approx(2e6));
    CHECK(g.per_epoch[5] == Approx(6e6 / 11));
    CHECK_FALSE(explain_resident_growth(sparse, 5).known);  // one sample in the window
    // Nothing grows, or nothing to compare.
    CHECK_FALSE(explain_resident_growth({{1, {1, 2, 3, 4, 5, 6}}, {8, {1, 2, 3, 4, 5, 6}}}, 24).known);
    CHECK_FALSE(explain_resident_growth({}, 24).known);
    CHECK_FALSE(explain_resident_growth({{1, {1, 2, 3, 4, 5, 6}}}, 24).known);
}

namespace {

// A registry collection with only process history: resident grows by the sum of `rates`
// (bytes per epoch, by category) while tracked containers stay flat.
leakwatch::detail::registry_collection synthetic(const std::array<double, leakwatch::memory_category_count>& rates) {
    leakwatch::detail::registry_collection c;
    const std::uint64_t epochs = 24;
    c.epoch = epochs;
    for (std::uint64_t e = 1; e <= epochs; ++e) {
        leakwatch::detail::process_sample s{0, 1 * MiB, {}, true};
        std::uint64_t resident = 0;
        for (std::size_t k = 0; k < leakwatch::memory_category_count; ++k) {
            s.category_bytes[k] = static_cast<std::uint64_t>(16.0 * MiB + rates[k] * static_cast<double>(e));
            resident += s.category_bytes[k];
        }
        s.resident_bytes = resident;
        c.process_history.emplace_back(e, s);
        c.process.resident_bytes = static_cast<std::size_t>(resident);
    }
    c.process.breakdown.available = true;
    c.process.breakdown.resident_bytes = c.process.resident_bytes;
    return c;
}

}  // namespace

TEST_CASE("the untracked-growth verdict names the category that grows", "[process]") {
    const leakwatch::analysis_options options;
    {
        const auto report = leakwatch::detail::analyse(synthetic({0, 3.0 * MiB, 0.1 * MiB, 0, 0, 0}), 0, options);
        REQUIRE(report.totals().untracked_growth);
        CHECK(report.totals().growth_category == memory_category::other_heap_in_use);
        CHECK_THAT(report.to_text(), Catch::Contains("resident memory grows 3.1 MiB per epoch, mostly other heap in use "
                                                     "(+3.0 MiB per epoch), and no tracked container explains it"));
        const auto doc = json_check::parse(report.to_json());
        CHECK(doc["process"]["growth_category"].text == "other_heap_in_use");
        CHECK(doc["process"]["growth_by_category"]["other_heap_in_use"].number == Approx(3.0 * MiB));
    }
    {
        const auto report = leakwatch::detail::analyse(synthetic({0, 0, 0, 2.0 * MiB, 0, 0}), 0, options);
        REQUIRE(report.totals().untracked_growth);
        CHECK(report.totals().growth_category == memory_category::thread_stacks);
        CHECK_THAT(report.to_text(), Catch::Contains("mostly thread stacks (+2.0 MiB per epoch)"));
        CHECK_THAT(report.to_html(), Catch::Contains("mostly thread stacks (+2.0 MiB per epoch)"));
    }
    {
        // No category holds half of the growth: the first two are named.
        const auto report =
            leakwatch::detail::analyse(synthetic({0, 1.0 * MiB, 0, 0, 0.9 * MiB, 0.8 * MiB}), 0, options);
        REQUIRE(report.totals().untracked_growth);
        CHECK_THAT(report.to_text(), Catch::Contains("led by other heap in use (+1.0 MiB per epoch) and other "
                                                     "anonymous mappings (+921.6 KiB per epoch)"));
    }
    {
        // Growth a tracked container explains is no untracked growth, whatever the category.
        auto collection = synthetic({3.0 * MiB, 0, 0, 0, 0, 0});
        for (auto& point : collection.process_history)
            point.second.tracked_bytes = point.second.category_bytes[0];
        const auto report = leakwatch::detail::analyse(collection, 0, options);
        CHECK_FALSE(report.totals().untracked_growth);
        CHECK(report.totals().growth_category == memory_category::tracked_containers);
    }
}

TEST_CASE("the untracked-growth verdict judges the categories on the snapshots that read them", "[process]") {
    // Only every fifth snapshot read the breakdown (and the last, the report's): the rates
    // are per epoch all the same.
    auto collection = synthetic({0, 0, 0, 0, 2.0 * MiB, 0});
    for (auto& point : collection.process_history) {
        if (point.first % 5 == 0 || point.first == collection.epoch) continue;
        point.second.has_breakdown = false;
        for (auto& bytes : point.second.category_bytes) bytes = 0;
    }
    const auto report = leakwatch::detail::analyse(collection, 0, leakwatch::analysis_options{});
    REQUIRE(report.totals().untracked_growth);
    CHECK(report.totals().growth_category == memory_category::other_anonymous);
    CHECK(report.totals().growth_by_category[4] == Approx(2.0 * MiB).epsilon(0.001));
    CHECK_THAT(report.to_text(), Catch::Contains("mostly other anonymous mappings (+2.0 MiB per epoch)"));
}

TEST_CASE("end to end: memory malloc'd between snapshots is named as the growing category", "[process]") {
    leakwatch::registry::reset();
    std::vector<std::vector<char>> untracked;
    const auto start = leakwatch::registry::current_epoch();
    for (int epoch = 0; epoch < 16; ++epoch) {
        untracked.emplace_back(8 * MiB, static_cast<char>(epoch + 1));  // 8 MiB touched per epoch
        leakwatch::registry::snapshot();
    }
    const auto report = leakwatch::registry::report_since(start);
    REQUIRE(report.totals().untracked_growth);
    REQUIRE(report.totals().growth_category_known);
#if LEAKWATCH_TEST_SANITIZED_MALLOC
    const memory_category expected = memory_category::other_anonymous;
#else
    const memory_category expected = memory_category::other_heap_in_use;
#endif
    CHECK(report.totals().growth_category == expected);
    CHECK(report.totals().growth_by_category[static_cast<std::size_t>(expected)] >= 7.0 * MiB);
    CHECK_THAT(report.to_text(), Catch::Contains(std::string("mostly ") + leakwatch::describe(expected)));
    CHECK_THAT(report.to_text(), Catch::Contains("resident "));
    const auto doc = json_check::parse(report.to_json());
    CHECK(doc["version"].number == 1);
    CHECK(doc["minor_version"].number == 1);
    const auto& breakdown = doc["process"]["breakdown"];
    double sum = 0;
    for (const auto& category : breakdown["categories"].members) sum += category.second.number;
    CHECK(breakdown["categories"].members.size() == leakwatch::memory_category_count);
    CHECK(sum == breakdown["resident_bytes"].number);
}

TEST_CASE("a tracked container's bytes count as tracked, not as other heap in use", "[process]") {
    leakwatch::registry::reset();
    leakwatch::tracked_vector<char> held{leakwatch::label{"process breakdown vector"}};
    held.assign(16 * MiB, 'x');
    const auto report = leakwatch::registry::report();
    const leakwatch::memory_breakdown& b = report.totals().process.breakdown;
    REQUIRE(b.available);
    CHECK(b.tracked_bytes >= 16 * MiB);
    CHECK(b.tracked_bytes <= report.totals().tracked_bytes);
    CHECK(b.sum() == b.resident_bytes);
}
