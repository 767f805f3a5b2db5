// leakwatch/process_memory.hpp — what the whole process holds, beside what the
// tracked containers hold, and where its resident memory went.
//
// The gap between the two is the point: a service showing 15 GB resident while its
// profiler explains 6 GB. Resident and peak resident come from /proc/self/status (Linux);
// heap in use and heap free-but-retained from glibc's mallinfo2 (glibc 2.33 and later; not under
// AddressSanitizer or ThreadSanitizer, whose malloc is not glibc's).
// read_breakdown() also splits resident memory into categories, the way Go's
// runtime.ReadMemStats explains a heap: tracked containers (filled in by the registry, which
// sits above this header), other heap in use, heap freed but retained by the allocator (per
// arena, from glibc's malloc_info), thread stacks, other anonymous mappings and file-backed
// mappings. The mappings come from /proc/self/smaps, one pass over it; the heap's split from
// the allocator's own counts. The parsers take text, so that they are tested on fixed samples.
// Anything the platform cannot say reads as zero (and `breakdown.available` as false).
#pragma once

#include <leakwatch/config.hpp>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#if defined(__linux__)
#include <fcntl.h>
#include <malloc.h>
#include <sys/types.h>
#include <unistd.h>
#endif

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

// Where a resident byte is. Every resident byte the breakdown knows is in exactly one.
enum class memory_category : unsigned char {
    tracked_containers,  // held by tracked containers and channels (a part of the heap in use)
    other_heap_in_use,   // malloc'd, not freed, and not through a tracked container
    heap_free_retained,  // freed, but kept by the allocator (free chunks, the arenas' tops)
    thread_stacks,       // the main thread's [stack] and glibc's thread stacks
    other_anonymous,     // every other anonymous mapping (mmap by hand, other allocators, shared anonymous)
    file_backed,         // mappings of files: the executable, shared libraries, mmap'd files
};
constexpr std::size_t memory_category_count = 6;

// Stable identifier, used in JSON and as the Prometheus label value.
constexpr const char* to_string(memory_category category) noexcept {
    switch (category) {
        case memory_category::tracked_containers: return "tracked_containers";
        case memory_category::other_heap_in_use: return "other_heap_in_use";
        case memory_category::heap_free_retained: return "heap_free_retained";
        case memory_category::thread_stacks: return "thread_stacks";
        case memory_category::other_anonymous: return "other_anonymous";
        case memory_category::file_backed: return "file_backed";
    }
    return "other_anonymous";
}

// For people: "other heap in use".
constexpr const char* describe(memory_category category) noexcept {
    switch (category) {
        case memory_category::tracked_containers: return "tracked containers";
        case memory_category::other_heap_in_use: return "other heap in use";
        case memory_category::heap_free_retained: return "heap freed but retained";
        case memory_category::thread_stacks: return "thread stacks";
        case memory_category::other_anonymous: return "other anonymous mappings";
        case memory_category::file_backed: return "file-backed mappings";
    }
    return "other anonymous mappings";
}

// One glibc malloc arena, as malloc_info() describes it (its bytes are the allocator's
// counts, resident or not).
struct heap_arena {
    std::size_t index = 0;         // malloc_info's heap number; 0 is the main arena
    std::size_t system_bytes = 0;  // obtained from the system ("system current")
    std::size_t free_bytes = 0;    // freed and kept: fast bins, the other bins and the top chunk
    std::size_t free_chunks = 0;
};

// Resident memory by category (bytes). The categories add up to resident_bytes, the sum of
// Rss over /proc/self/smaps when it was read.
struct memory_breakdown {
    bool available = false;  // false: the platform cannot say, everything reads 0
    std::size_t resident_bytes = 0;
    std::size_t tracked_bytes = 0;
    std::size_t other_heap_in_use_bytes = 0;
    std::size_t heap_free_retained_bytes = 0;
    std::size_t thread_stack_bytes = 0;
    std::size_t other_anonymous_bytes = 0;
    std::size_t file_backed_bytes = 0;
    std::size_t thread_stacks = 0;    // stacks recognised (the main thread's included)
    std::size_t mappings = 0;         // mappings read from /proc/self/smaps
    std::vector<heap_arena> arenas{};  // glibc's arenas, main first (empty where malloc_info cannot say)

    std::size_t bytes(memory_category category) const noexcept {
        switch (category) {
            case memory_category::tracked_containers: return tracked_bytes;
            case memory_category::other_heap_in_use: return other_heap_in_use_bytes;
            case memory_category::heap_free_retained: return heap_free_retained_bytes;
            case memory_category::thread_stacks: return thread_stack_bytes;
            case memory_category::other_anonymous: return other_anonymous_bytes;
            case memory_category::file_backed: return file_backed_bytes;
        }
        return 0;
    }
    std::size_t sum() const noexcept {
        std::size_t total = 0;
        for (std::size_t i = 0; i < memory_category_count; ++i) total += bytes(static_cast<memory_category>(i));
        return total;
    }
    // Moves what tracked containers hold (`tracked` bytes, as the registry counts them) from
    // "other heap in use" to "tracked containers", never more than the heap in use that is
    // resident. When glibc counts fewer bytes in use than that (another allocator serves the
    // program: a sanitizer's runtime, jemalloc, tcmalloc), the rest comes out of the other
    // anonymous mappings, where that allocator's memory is. Calling it again replaces the
    // previous attribution.
    void attribute_tracked(std::size_t tracked) noexcept {
        const std::size_t heap = tracked_bytes - tracked_outside_heap_bytes + other_heap_in_use_bytes;
        const std::size_t anonymous = other_anonymous_bytes + tracked_outside_heap_bytes;
        const std::size_t from_heap = std::min(tracked, heap);
        const std::size_t from_anonymous =
            tracked > heap_counted_in_use_bytes ? std::min(tracked - from_heap, anonymous) : 0;
        tracked_bytes = from_heap + from_anonymous;
        tracked_outside_heap_bytes = from_anonymous;
        other_heap_in_use_bytes = heap - from_heap;
        other_anonymous_bytes = anonymous - from_anonymous;
    }

    // What glibc counts as in use (mallinfo2, resident or not), and the part of tracked_bytes
    // that attribute_tracked() took from the other anonymous mappings.
    std::size_t heap_counted_in_use_bytes = 0;
    std::size_t tracked_outside_heap_bytes = 0;
};

namespace detail {

inline std::size_t saturating_add(std::size_t a, std::size_t b) noexcept {
    return a > static_cast<std::size_t>(-1) - b ? static_cast<std::size_t>(-1) : a + b;
}

// Reads an unsigned decimal from the start of `text` (leading blanks skipped); false when
// there is no digit or the value does not fit.
inline bool parse_unsigned(std::string_view text, std::size_t& value, std::size_t* used = nullptr) noexcept {
    std::size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    const std::size_t first = i;
    std::size_t out = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
        const std::size_t digit = static_cast<std::size_t>(text[i] - '0');
        if (out > (static_cast<std::size_t>(-1) - digit) / 10) return false;
        out = out * 10 + digit;
    }
    if (i == first) return false;
    value = out;
    if (used != nullptr) *used = i;
    return true;
}

inline bool parse_hex(std::string_view text, std::uint64_t& value, std::size_t& used) noexcept {
    std::uint64_t out = 0;
    std::size_t i = 0;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        unsigned digit = 0;
        if (c >= '0' && c <= '9') digit = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f') digit = static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') digit = static_cast<unsigned>(c - 'A' + 10);
        else break;
        if (i >= 16) return false;
        out = out << 4 | digit;
    }
    if (i == 0) return false;
    value = out;
    used = i;
    return true;
}

// --- /proc/self/smaps ---------------------------------------------------------------------

// What one pass over /proc/self/smaps found: resident bytes (Rss) by kind of mapping.
struct smaps_summary {
    bool valid = false;               // at least one mapping was read
    std::size_t mappings = 0;
    std::size_t malformed_lines = 0;  // lines neither a mapping's header nor a "Name: value" field
    std::size_t resident_bytes = 0;   // every mapping's Rss
    std::size_t heap_bytes = 0;       // [heap]: the program break, glibc's main arena
    std::size_t arena_bytes = 0;      // anonymous MAP_NORESERVE mappings: glibc's other arenas (and any such mapping)
    std::size_t thread_stack_bytes = 0;
    std::size_t thread_stacks = 0;
    std::size_t anonymous_bytes = 0;  // every other anonymous (or kernel-provided) mapping
    std::size_t file_bytes = 0;       // mappings of files
};

// Parses /proc/self/smaps text line by line (feed lines without their line feed, then
// finish()). A mapping is classified as
// - [heap]: the program break (glibc's main arena);
// - thread stack: [stack] (the main thread), or a private writable anonymous mapping that
//   starts right where an inaccessible ("---p") anonymous mapping of at most 1 MiB ends:
//   glibc maps a thread's stack with its guard page below it (PROT_NONE), then makes the
//   part above the guard writable, which leaves this pair of mappings;
// - arena: an anonymous mapping flagged "nr" (MAP_NORESERVE) in VmFlags, as glibc maps the
//   heaps of its non-main arenas;
// - file-backed: a path that starts with '/', except /dev/zero and System V shared memory
//   (shared anonymous memory);
// - anonymous: everything else ([vdso], [anon:name], anon_inode:..., no path).
// A malformed header skips the fields that follow it up to the next valid header.
class smaps_parser {
public:
    void line(std::string_view text) {
        if (text.empty()) return;
        const char c = text.front();
        const bool maybe_header = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        if (maybe_header) {
            finish_mapping();
            if (!parse_header(text)) {
                ++out_.malformed_lines;
                in_mapping_ = false;
            }
            return;
        }
        // A field: "Name: value". Only two are read; the others (about twenty per mapping)
        // are skipped at the cost of a comparison.
        if (c >= 'A' && c <= 'Z' && text.compare(0, 4, "Rss:") != 0 && text.compare(0, 8, "VmFlags:") != 0) {
            if (text.find(':') == std::string_view::npos) ++out_.malformed_lines;
            return;
        }
        const std::size_t colon = text.find(':');
        if (colon == std::string_view::npos || text.substr(0, colon).find(' ') != std::string_view::npos) {
            ++out_.malformed_lines;
            return;
        }
        if (!in_mapping_) return;
        const std::string_view name = text.substr(0, colon);
        const std::string_view rest = text.substr(colon + 1);
        if (name == "Rss") {
            std::size_t kib = 0, used = 0;
            if (!parse_unsigned(rest, kib, &used)) {
                ++out_.malformed_lines;
                return;
            }
            current_.rss = kib > static_cast<std::size_t>(-1) / 1024 ? static_cast<std::size_t>(-1) : kib * 1024;
        } else if (name == "VmFlags") {
            current_.noreserve = has_flag(rest, "nr");
        }
    }

    smaps_summary finish() {
        finish_mapping();
        out_.valid = out_.mappings != 0;
        return out_;
    }

private:
    struct mapping {
        std::uint64_t start = 0, end = 0;
        char permissions[4] = {'-', '-', '-', '-'};
        enum class kind { anonymous, heap, stack, file, special } what = kind::anonymous;
        std::size_t rss = 0;
        bool noreserve = false;

        bool writable() const noexcept { return permissions[1] == 'w'; }
        bool inaccessible() const noexcept {
            return permissions[0] == '-' && permissions[1] == '-' && permissions[2] == '-';
        }
        bool is_private() const noexcept { return permissions[3] == 'p'; }
    };

    static bool has_flag(std::string_view flags, std::string_view flag) {
        std::size_t at = 0;
        while (at < flags.size()) {
            while (at < flags.size() && flags[at] == ' ') ++at;
            std::size_t end = at;
            while (end < flags.size() && flags[end] != ' ') ++end;
            if (flags.substr(at, end - at) == flag) return true;
            at = end;
        }
        return false;
    }

    // "7ff79161b000-7ff791e1b000 rw-p 00000000 00:00 0    [path]"
    bool parse_header(std::string_view text) {
        mapping m;
        std::size_t used = 0;
        if (!parse_hex(text, m.start, used) || used >= text.size() || text[used] != '-') return false;
        text.remove_prefix(used + 1);
        if (!parse_hex(text, m.end, used) || used >= text.size() || text[used] != ' ' || m.end < m.start) return false;
        text.remove_prefix(used + 1);
        if (text.size() < 5 || text[4] != ' ') return false;
        for (std::size_t i = 0; i < 4; ++i) m.permissions[i] = text[i];
        text.remove_prefix(5);
        // offset, device, inode
        std::uint64_t ignored = 0;
        if (!parse_hex(text, ignored, used) || used >= text.size() || text[used] != ' ') return false;
        text.remove_prefix(used + 1);
        const std::size_t space = text.find(' ');
        if (space == std::string_view::npos || text.substr(0, space).find(':') == std::string_view::npos) return false;
        text.remove_prefix(space + 1);
        std::size_t inode = 0;
        if (!parse_unsigned(text, inode, &used)) return false;
        text.remove_prefix(used);
        while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
        const std::string_view path = text;
        if (path.empty()) m.what = mapping::kind::anonymous;
        else if (path == "[heap]") m.what = mapping::kind::heap;
        else if (path == "[stack]") m.what = mapping::kind::stack;
        else if (path.front() == '/' && path.rfind("/dev/zero", 0) != 0 && path.rfind("/SYSV", 0) != 0)
            m.what = mapping::kind::file;
        else if (path.front() == '[' && path.rfind("[anon:", 0) != 0) m.what = mapping::kind::special;
        else m.what = mapping::kind::anonymous;  // [anon:name], anon_inode:..., /dev/zero, /SYSV...
        current_ = m;
        in_mapping_ = true;
        return true;
    }

    void finish_mapping() {
        if (!in_mapping_) return;
        in_mapping_ = false;
        const mapping& m = current_;
        ++out_.mappings;
        out_.resident_bytes = saturating_add(out_.resident_bytes, m.rss);
        constexpr std::uint64_t max_guard = 1024 * 1024;
        switch (m.what) {
            case mapping::kind::heap: out_.heap_bytes = saturating_add(out_.heap_bytes, m.rss); break;
            case mapping::kind::stack:
                out_.thread_stack_bytes = saturating_add(out_.thread_stack_bytes, m.rss);
                ++out_.thread_stacks;
                break;
            case mapping::kind::file: out_.file_bytes = saturating_add(out_.file_bytes, m.rss); break;
            case mapping::kind::special: out_.anonymous_bytes = saturating_add(out_.anonymous_bytes, m.rss); break;
            case mapping::kind::anonymous:
                if (m.noreserve) {
                    out_.arena_bytes = saturating_add(out_.arena_bytes, m.rss);
                } else if (has_previous_ && m.writable() && m.is_private() && previous_.what == mapping::kind::anonymous &&
                           previous_.inaccessible() && !previous_.noreserve && previous_.end == m.start &&
                           previous_.end - previous_.start <= max_guard) {
                    out_.thread_stack_bytes = saturating_add(out_.thread_stack_bytes, m.rss);
                    ++out_.thread_stacks;
                } else {
                    out_.anonymous_bytes = saturating_add(out_.anonymous_bytes, m.rss);
                }
                break;
        }
        previous_ = m;
        has_previous_ = true;
    }

    smaps_summary out_{};
    mapping current_{};
    mapping previous_{};
    bool in_mapping_ = false;
    bool has_previous_ = false;
};

// Parses the whole text of /proc/self/smaps.
inline smaps_summary parse_smaps(std::string_view text) {
    smaps_parser parser;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        parser.line(line);
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return parser.finish();
}

// --- glibc's malloc_info() -----------------------------------------------------------------

// What malloc_info(0, ...) said: one entry per arena, and the totals.
struct malloc_info_summary {
    bool valid = false;                // the document was complete and every number read
    std::vector<heap_arena> arenas{};  // in document order (main arena first)
    std::size_t free_bytes = 0;        // all arenas
    std::size_t system_bytes = 0;      // all arenas ("system current")
    std::size_t mmapped_chunks = 0;    // chunks mapped on their own (large allocations)
    std::size_t mmapped_bytes = 0;
};

// The value of attribute `name` in the tag text `tag`; false when absent.
inline bool xml_attribute(std::string_view tag, std::string_view name, std::string_view& value) {
    std::size_t at = 0;
    while ((at = tag.find(name, at)) != std::string_view::npos) {
        const bool starts = at > 0 && (tag[at - 1] == ' ' || tag[at - 1] == '\t' || tag[at - 1] == '\n');
        const std::size_t after = at + name.size();
        if (starts && after + 1 < tag.size() && tag[after] == '=' && tag[after + 1] == '"') {
            const std::size_t close = tag.find('"', after + 2);
            if (close == std::string_view::npos) return false;
            value = tag.substr(after + 2, close - after - 2);
            return true;
        }
        at = after;
    }
    return false;
}

inline bool xml_number(std::string_view tag, std::string_view name, std::size_t& out) {
    std::string_view text;
    std::size_t used = 0;
    return xml_attribute(tag, name, text) && parse_unsigned(text, out, &used) && used == text.size();
}

// Parses malloc_info(0, ...)'s XML (glibc's format: <malloc version="1"> holding one
// <heap nr="N"> per arena with <total type="fast|rest" count size>, <system type="current|max"
// size> and <aspace>, then the totals with <total type="mmap" count size>). Tolerant of
// whitespace and of elements it does not know; anything else (an unclosed tag, a heap
// inside a heap, a missing or non-numeric attribute of a known element, a truncated
// document) leaves `valid` false, with what was read so far.
inline malloc_info_summary parse_malloc_info(std::string_view xml) {
    malloc_info_summary out;
    bool root = false, in_heap = false, closed = false;
    heap_arena arena;
    std::size_t at = 0;
    for (;;) {
        const std::size_t open = xml.find('<', at);
        if (open == std::string_view::npos) break;
        const std::size_t close = xml.find('>', open);
        if (close == std::string_view::npos) return out;  // truncated
        const std::string_view tag = xml.substr(open + 1, close - open - 1);
        at = close + 1;
        if (tag.empty() || tag.front() == '?' || tag.front() == '!') continue;
        std::size_t name_end = 0;
        while (name_end < tag.size() && tag[name_end] != ' ' && tag[name_end] != '/' && tag[name_end] != '\t' &&
               tag[name_end] != '\n')
            ++name_end;
        const std::string_view name = tag.substr(0, name_end == 0 && tag.front() == '/' ? 1 : name_end);
        const std::string_view closing = tag.front() == '/' ? tag.substr(1) : std::string_view();
        if (closed) return out;  // content after </malloc>
        if (tag.front() == '/') {
            if (closing == "heap") {
                if (!in_heap) return out;
                out.arenas.push_back(arena);
                in_heap = false;
            } else if (closing == "malloc") {
                if (!root || in_heap) return out;
                closed = true;
            }
            continue;
        }
        if (name == "malloc") {
            if (root) return out;
            root = true;
            continue;
        }
        if (!root) return out;
        if (name == "heap") {
            if (in_heap) return out;
            arena = heap_arena{};
            if (!xml_number(tag, "nr", arena.index)) return out;
            in_heap = true;
        } else if (name == "total" || name == "system") {
            std::string_view type;
            std::size_t size = 0, count = 0;
            if (!xml_attribute(tag, "type", type) || !xml_number(tag, "size", size)) return out;
            if (name == "total") {
                if (!xml_number(tag, "count", count)) return out;
                const bool free_kind = type == "fast" || type == "rest";
                if (in_heap && free_kind) {
                    arena.free_bytes = saturating_add(arena.free_bytes, size);
                    arena.free_chunks = saturating_add(arena.free_chunks, count);
                } else if (!in_heap && free_kind) {
                    out.free_bytes = saturating_add(out.free_bytes, size);
                } else if (!in_heap && type == "mmap") {
                    out.mmapped_chunks = count;
                    out.mmapped_bytes = size;
                }
            } else if (type == "current") {
                (in_heap ? arena.system_bytes : out.system_bytes) = size;
            }
        }
    }
    out.valid = root && closed && !in_heap;
    return out;
}

// --- the breakdown --------------------------------------------------------------------------

// Combines the mappings with the allocator's counts. The heap's resident memory is the
// [heap] mapping, the arena mappings (at most the bytes malloc_info says the non-main arenas
// obtained: beyond that, a MAP_NORESERVE mapping is someone else's) and, out of the other
// anonymous mappings, as much as malloc says it mapped for large chunks (`mmapped_bytes`).
// Of that, the heap in use counts first (at most `heap_in_use` bytes), then what is freed but
// retained (at most `heap_free` bytes); what is left, and everything glibc does not describe,
// counts as other anonymous memory. So the categories add up to the Rss of the mappings read.
inline memory_breakdown combine_breakdown(const smaps_summary& maps, const malloc_info_summary& arenas,
                                          std::size_t heap_in_use, std::size_t heap_free, std::size_t mmapped_bytes,
                                          std::size_t arena_bytes_fallback) {
    memory_breakdown out;
    if (!maps.valid) return out;
    out.available = true;
    out.resident_bytes = maps.resident_bytes;
    out.mappings = maps.mappings;
    out.thread_stacks = maps.thread_stacks;
    out.thread_stack_bytes = maps.thread_stack_bytes;
    out.file_backed_bytes = maps.file_bytes;
    out.arenas = arenas.arenas;
    out.heap_counted_in_use_bytes = heap_in_use;
    std::size_t other_arenas_system = 0;
    if (arenas.valid) {
        for (const heap_arena& a : arenas.arenas)
            if (a.index != 0) other_arenas_system = saturating_add(other_arenas_system, a.system_bytes);
    } else {
        other_arenas_system = arena_bytes_fallback;
    }
    const std::size_t arena_resident = std::min(maps.arena_bytes, other_arenas_system);
    std::size_t anonymous = saturating_add(maps.anonymous_bytes, maps.arena_bytes - arena_resident);
    const std::size_t chunks_resident = std::min(mmapped_bytes, anonymous);
    anonymous -= chunks_resident;
    const std::size_t heap_resident = saturating_add(saturating_add(maps.heap_bytes, arena_resident), chunks_resident);
    out.other_heap_in_use_bytes = std::min(heap_in_use, heap_resident);
    out.heap_free_retained_bytes = std::min(heap_free, heap_resident - out.other_heap_in_use_bytes);
    out.other_anonymous_bytes =
        saturating_add(anonymous, heap_resident - out.other_heap_in_use_bytes - out.heap_free_retained_bytes);
    return out;
}

#if defined(__linux__)
// Feeds every line of `path` to `f` (without the line feed); false when it cannot be opened.
// Reads 64 KiB at a time with read(2): /proc files say their block size is 1 KiB, and the
// kernel looks up where it stopped at every read (smaps of a large process is megabytes).
template <class F>
bool for_each_line(const char* path, F&& f) {
    std::vector<char> buffer(65536);
    std::string partial;  // a line split across two reads
    struct descriptor {
        int fd;
        ~descriptor() {
            if (fd >= 0) ::close(fd);
        }
    } file{::open(path, O_RDONLY | O_CLOEXEC)};
    if (file.fd < 0) return false;
    for (;;) {
        const ssize_t got = ::read(file.fd, buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        std::string_view chunk(buffer.data(), static_cast<std::size_t>(got));
        for (;;) {
            const std::size_t end = chunk.find('\n');
            if (end == std::string_view::npos) {
                partial.append(chunk.data(), chunk.size());
                break;
            }
            if (partial.empty()) {
                f(chunk.substr(0, end));
            } else {
                partial.append(chunk.data(), end);
                f(std::string_view(partial));
                partial.clear();
            }
            chunk.remove_prefix(end + 1);
        }
    }
    if (!partial.empty()) f(std::string_view(partial));
    return true;
}
#endif

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#define LEAKWATCH_DETAIL_MALLINFO2 1
#else
#define LEAKWATCH_DETAIL_MALLINFO2 0
#endif

// Under AddressSanitizer or ThreadSanitizer, malloc is the sanitizer's: glibc's allocator then
// holds only what libc allocates for itself, and it may not even be initialised. mallinfo2()
// and malloc_info() initialise it when it is not, and that makes the calling thread, whichever
// it is, a user of the main arena without counting it in: when two such threads exit, glibc
// aborts ("a->attached_threads > 0", seen under ThreadSanitizer). So neither is called there:
// heap in use and free read 0, and the breakdown counts the sanitizer's heap as anonymous
// memory, as on a platform where glibc cannot say.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LEAKWATCH_DETAIL_SANITIZED_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define LEAKWATCH_DETAIL_SANITIZED_MALLOC 1
#endif
#endif
#ifndef LEAKWATCH_DETAIL_SANITIZED_MALLOC
#define LEAKWATCH_DETAIL_SANITIZED_MALLOC 0
#endif

// malloc_info(0, ...) of this process, parsed (invalid where glibc cannot say).
inline malloc_info_summary read_malloc_info() {
#if LEAKWATCH_DETAIL_MALLINFO2 && !LEAKWATCH_DETAIL_SANITIZED_MALLOC
    char* text = nullptr;
    std::size_t size = 0;
    std::FILE* stream = ::open_memstream(&text, &size);
    if (stream == nullptr) return malloc_info_summary{};
    // glibc takes each arena's lock only while it counts, not while it prints, so printing
    // into a memory stream (which allocates) cannot deadlock.
    const int status = ::malloc_info(0, stream);
    std::fclose(stream);
    malloc_info_summary out;
    if (status == 0 && text != nullptr) out = parse_malloc_info(std::string_view(text, size));
    std::free(text);
    return out;
#else
    return malloc_info_summary{};
#endif
}

}  // namespace detail

struct process_memory {
    std::size_t resident_bytes = 0;       // VmRSS
    std::size_t peak_resident_bytes = 0;  // VmHWM
    std::size_t heap_in_use_bytes = 0;    // malloc'd and not freed (mallinfo2 uordblks + hblkhd)
    std::size_t heap_free_bytes = 0;      // freed but kept by the allocator (mallinfo2 fordblks)
    // Resident memory by category: only from read_breakdown() (read() leaves it unavailable).
    memory_breakdown breakdown{};

    // Resident, peak resident, heap in use and free: /proc/self/status and mallinfo2, cheap
    // (no page-table walk).
    static process_memory read() noexcept {
        process_memory out;
        std::size_t mmapped = 0, arena = 0;
        read_into(out, mmapped, arena);
        return out;
    }

    // read(), and the breakdown of resident memory: one pass over /proc/self/smaps (the kernel
    // walks every mapping's page tables, so it costs time in proportion to the mappings and
    // resident pages, see the README) and malloc_info. Without them, read()'s values only.
    static process_memory read_breakdown() noexcept {
        process_memory out;
        std::size_t mmapped = 0, arena = 0;
        read_into(out, mmapped, arena);
#if defined(__linux__)
        try {
            detail::smaps_parser parser;
            if (!detail::for_each_line("/proc/self/smaps", [&](std::string_view line) { parser.line(line); })) return out;
            const detail::smaps_summary maps = parser.finish();
            const detail::malloc_info_summary arenas = detail::read_malloc_info();
            out.breakdown = detail::combine_breakdown(maps, arenas, out.heap_in_use_bytes, out.heap_free_bytes, mmapped,
                                                      arena);
        } catch (...) {
            out.breakdown = memory_breakdown{};  // out of memory: the totals only
        }
#endif
        return out;
    }

private:
    static void read_into(process_memory& out, std::size_t& mmapped, std::size_t& arena) noexcept {
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
#if LEAKWATCH_DETAIL_MALLINFO2 && !LEAKWATCH_DETAIL_SANITIZED_MALLOC
        const struct mallinfo2 info = mallinfo2();
        out.heap_in_use_bytes = info.uordblks + info.hblkhd;
        out.heap_free_bytes = info.fordblks;
        mmapped = info.hblkhd;
        arena = info.arena;
#endif
#endif
        (void)out;
        (void)mmapped;
        (void)arena;
    }
};

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
