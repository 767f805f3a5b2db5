// Helpers for the tests that hand leakwatch's output to the real tools that read it
// (promtool, go tool pprof, node_exporter, chromium): temporary folders, running a command
// and reading what it printed, finding a tool or failing with the Debian package to install.
// These tests are tagged [tools]; tests/CMakeLists.txt runs them only when
// LEAKWATCH_TEST_TOOLS is ON (scripts/test turns it on in one configuration and installs the
// packages). A missing tool is a failure that says what to install, never a silent skip.
#pragma once

#include <catch2/catch.hpp>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace tools {

// A fresh folder under $TMPDIR (or /tmp), removed with everything in it at scope exit.
class temp_dir {
public:
    explicit temp_dir(const std::string& name) {
        const char* base = std::getenv("TMPDIR");
        std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/leakwatch-" + name + "-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) FAIL("mkdtemp(" << pattern << ") failed: " << std::strerror(errno));
        path_ = pattern;
    }
    ~temp_dir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    const std::string& path() const noexcept { return path_; }
    std::string operator/(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

inline void write_file(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
    out.close();
    REQUIRE(out.good());
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct command_result {
    int status = -1;     // exit status (or -1 when it did not exit normally)
    std::string output;  // what it wrote to stdout
    std::string errors;  // what it wrote to stderr
};

// Runs `command` with /bin/sh; stderr goes to a file beside `scratch` (a temp_dir path).
inline command_result run(const std::string& command, const std::string& scratch) {
    const std::string errors_path = scratch + "/stderr.txt";
    command_result result;
    std::FILE* pipe = ::popen((command + " 2>'" + errors_path + "'").c_str(), "r");
    if (pipe == nullptr) FAIL("popen failed for: " << command);
    std::array<char, 4096> buffer;
    std::size_t got = 0;
    while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), got);
    const int status = ::pclose(pipe);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.errors = read_file(errors_path);
    return result;
}

// The full path of `program` on PATH, or empty.
inline std::string which(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::stringstream folders(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
    std::string folder;
    while (std::getline(folders, folder, ':')) {
        if (folder.empty()) continue;
        const std::string candidate = folder + "/" + program;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return std::string();
}

// The path of `program`; fails the test, naming the Debian package, when it is missing.
inline std::string require_tool(const std::string& program, const std::string& debian_package) {
    const std::string found = which(program);
    if (found.empty())
        FAIL("`" << program << "` is not installed: install the Debian package `" << debian_package
                 << "` (apt-get install -y --no-install-recommends " << debian_package
                 << "; ./scripts/test installs it when run as root)");
    return found;
}

inline std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
    return n;
}

// Valid UTF-8 throughout (no overlong forms, surrogates or values beyond U+10FFFF).
inline bool valid_utf8(const std::string& text) {
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        std::uint32_t code = 0;
        if (c < 0x80) length = 1, code = c;
        else if ((c & 0xE0) == 0xC0) length = 2, code = c & 0x1F;
        else if ((c & 0xF0) == 0xE0) length = 3, code = c & 0x0F;
        else if ((c & 0xF8) == 0xF0) length = 4, code = c & 0x07;
        else return false;
        if (i + length > text.size()) return false;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80) return false;
            code = (code << 6) | (next & 0x3F);
        }
        if ((length == 2 && code < 0x80) || (length == 3 && code < 0x800) || (length == 4 && code < 0x10000) ||
            (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF)
            return false;
        i += length;
    }
    return true;
}

// Labels that try to break out of every format: quotes, backslashes, newlines, control
// characters, markup, invalid UTF-8.
inline std::vector<std::string> hostile_labels() {
    return {"quote\" backslash\\ newline\n tab\t",
            "<script>alert(1)</script>",
            std::string("nul\0byte", 8),
            "bell\x07 esc\x1b[31m cr\r",
            "invalid utf8 \xff\xfe \xc3",
            "caf\xc3\xa9 \xe2\x9c\x93",
            "</svg><img src=x onerror=alert(2)>",
            "&amp; 'single' \"\"}"};
}

}  // namespace tools
