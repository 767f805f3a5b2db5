// fuzz/fuzz_common.hpp — what the differential fuzz targets share: reading operations out of
// the fuzzer's bytes, and failing loudly.
//
// Each target keeps tracked containers and their std twins side by side, applies every
// decoded operation to both, and after every step checks that the contents are identical,
// that stats().elements equals size(), and that the bytes and allocations charged to the
// containers equal what their counting upstream allocator has handed out (tests/
// counting_allocator.hpp). Two containers share one upstream, so that memory may change hands
// between them (swap, move, merge, node handles, splice) and their sum is checked; a third has
// an upstream of its own, so that its bytes are checked exactly on their own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace fuzz {

// The fuzzer's bytes, read front to back; past the end every read is 0.
class input {
public:
    input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    bool done() const noexcept { return at_ >= size_; }
    std::uint8_t byte() noexcept { return at_ < size_ ? data_[at_++] : 0; }
    // A value in [0, range).
    int below(int range) noexcept { return range <= 0 ? 0 : byte() % range; }
    // A small key or value, so that keys collide and repeat.
    int key() noexcept { return below(24) - 2; }
    std::size_t count(std::size_t most) noexcept { return byte() % (most + 1); }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t at_ = 0;
};

[[noreturn]] inline void fail(const char* file, int line, const char* what, const std::string& detail) {
    std::fprintf(stderr, "%s:%d: check failed: %s %s\n", file, line, what, detail.c_str());
    std::abort();
}

}  // namespace fuzz

// Aborts (a crash libFuzzer reports, with the input that caused it) when `condition` is false.
#define FUZZ_CHECK(condition, detail)                                                  \
    do {                                                                               \
        if (!(condition)) ::fuzz::fail(__FILE__, __LINE__, #condition, (detail));      \
    } while (false)
