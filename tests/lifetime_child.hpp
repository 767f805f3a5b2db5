// tests/lifetime_child.hpp — for test_lifetime: what happens after main returns can only be
// checked from outside, so the test re-runs its own executable as a child process with
// LEAKWATCH_LIFETIME_CHILD=1 in the environment. In that child, code that runs at exit says
// what it did on stdout; the parent reads it and checks the child's exit status.
#pragma once

#include <cstdlib>
#include <cstring>
#include <string>

#include <unistd.h>

namespace lifetime_child {

inline bool active() {
    const char* flag = std::getenv("LEAKWATCH_LIFETIME_CHILD");
    return flag != nullptr && std::strcmp(flag, "1") == 0;
}

// Writes straight to file descriptor 1 (no stdio buffer to depend on during exit).
inline void say(const std::string& text) {
    if (!active()) return;
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(1, text.data() + done, text.size() - done);
        if (n <= 0) return;
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace lifetime_child
