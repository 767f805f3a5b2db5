// leakwatch/export/files.hpp — reports written to files, atomically, once or every interval.
//
// write_file_atomically() never leaves a half-written file where a reader (node_exporter's
// textfile collector, a browser, a CI archive step) could see it: it writes a temporary
// file in the same folder, flushes it to disk and renames it over the target, so the
// target holds either the previous content or the new one. On failure the temporary file
// is removed and std::system_error names the path and the step that failed.
//
// file_sink() makes a periodic_reporter sink that writes each report in one format (or
// several files in several formats) that way:
//
//     leakwatch::periodic_reporter reporter{std::chrono::seconds(15),
//         leakwatch::file_sink("/var/lib/node_exporter/textfile/leakwatch.prom",
//                              leakwatch::report_format::prometheus)};
#pragma once

#include <leakwatch/config.hpp>
#include <leakwatch/report.hpp>
#include <leakwatch/reporter.hpp>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#if LEAKWATCH_POSIX
#include <fcntl.h>
#include <unistd.h>
#endif

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

enum class report_format { text, json, prometheus, pprof, html };

constexpr const char* to_string(report_format format) noexcept {
    switch (format) {
        case report_format::text: return "text";
        case report_format::json: return "json";
        case report_format::prometheus: return "prometheus";
        case report_format::pprof: return "pprof";
        case report_format::html: return "html";
    }
    return "text";
}

// The usual file name extension of a format (".prom" is what the textfile collector reads).
constexpr const char* file_extension(report_format format) noexcept {
    switch (format) {
        case report_format::text: return ".txt";
        case report_format::json: return ".json";
        case report_format::prometheus: return ".prom";
        case report_format::pprof: return ".pb";
        case report_format::html: return ".html";
    }
    return ".txt";
}

// The report in one format.
inline std::string render(const growth_report& report, report_format format) {
    switch (format) {
        case report_format::text: return report.to_text();
        case report_format::json: return report.to_json();
        case report_format::prometheus: return report.to_prometheus();
        case report_format::pprof: return report.to_pprof();
        case report_format::html: return report.to_html();
    }
    return report.to_text();
}

namespace detail {

[[noreturn]] inline void file_error(int error, const std::string& path, const char* step, const std::string& temp) {
    std::string what = "leakwatch: cannot write \"" + printable(path) + "\": " + step + " failed";
    if (!temp.empty()) what += " (temporary file \"" + printable(temp) + "\", removed)";
    throw std::system_error(error, std::generic_category(), what);
}

// A name beside the target that no other writer (thread or process) picks at the same time,
// and that no reader that looks at the target's extension mistakes for the target: it
// starts with a dot and ends with digits.
inline std::string temporary_name(const std::string& path) {
    static std::atomic<std::uint64_t> counter{0};
    const std::size_t slash = path.rfind('/');
    const std::string folder = slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    const auto now = static_cast<unsigned long long>(std::chrono::steady_clock::now().time_since_epoch().count());
#if LEAKWATCH_POSIX
    const auto process = static_cast<unsigned long long>(::getpid());
#else
    const unsigned long long process = 0;
#endif
    char suffix[96];
    std::snprintf(suffix, sizeof suffix, ".tmp.%llu.%llu.%llu", process,
                  static_cast<unsigned long long>(counter.fetch_add(1, std::memory_order_relaxed)), now % 1000000007ull);
    return folder + "." + name + suffix;
}

}  // namespace detail

// Writes `content` to `path` so that readers see the old content or the new, never a part:
// a temporary file in the same folder (unique name), every byte written, flushed to disk,
// renamed over `path`. Throws std::system_error naming the path and the failed step; the
// temporary file is removed then, and `path` is left as it was.
inline void write_file_atomically(const std::string& path, std::string_view content) {
    if (path.empty() || path.back() == '/') detail::file_error(EINVAL, path, "checking the path (no file name)", "");
#if LEAKWATCH_POSIX
    std::string temp;
    int fd = -1;
    for (int attempt = 0; attempt < 100; ++attempt) {
        temp = detail::temporary_name(path);
        // 0666 less the umask: the same permissions as any file the process creates.
        fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST) break;
    }
    if (fd < 0) detail::file_error(errno, path, "creating the temporary file", "");
    const auto fail = [&](const char* step) {
        const int error = errno;
        if (fd >= 0) ::close(fd);
        ::unlink(temp.c_str());
        detail::file_error(error, path, step, temp);
    };
    const char* data = content.data();
    std::size_t left = content.size();
    while (left > 0) {
        const ssize_t written = ::write(fd, data, left);
        if (written < 0) {
            if (errno == EINTR) continue;
            fail("writing");
        }
        if (written == 0) {
            errno = EIO;
            fail("writing");
        }
        data += written;
        left -= static_cast<std::size_t>(written);
    }
    if (::fsync(fd) != 0) fail("flushing (fsync)");
    const int closing = fd;
    fd = -1;
    if (::close(closing) != 0) fail("closing");
    if (::rename(temp.c_str(), path.c_str()) != 0) fail("renaming over the target");
    // Make the rename itself durable; the content is already in place, so a failure here
    // is not worth an exception.
    const std::size_t slash = path.rfind('/');
    const std::string folder = slash == std::string::npos ? std::string(".") : path.substr(0, slash + 1);
    const int directory = ::open(folder.c_str(), O_RDONLY | O_CLOEXEC);
    if (directory >= 0) {
        (void)::fsync(directory);
        ::close(directory);
    }
#else
    const std::string temp = detail::temporary_name(path);
    std::FILE* file = std::fopen(temp.c_str(), "wbx");
    if (file == nullptr) detail::file_error(errno, path, "creating the temporary file", "");
    const auto fail = [&](const char* step) {
        const int error = errno != 0 ? errno : EIO;
        if (file != nullptr) std::fclose(file);
        std::remove(temp.c_str());
        detail::file_error(error, path, step, temp);
    };
    errno = 0;
    if (std::fwrite(content.data(), 1, content.size(), file) != content.size()) fail("writing");
    if (std::fflush(file) != 0) fail("flushing");
    std::FILE* closing = file;
    file = nullptr;
    if (std::fclose(closing) != 0) fail("closing");
    std::remove(path.c_str());  // rename() does not replace an existing file everywhere
    if (std::rename(temp.c_str(), path.c_str()) != 0) fail("renaming over the target");
#endif
}

// One output of a file sink.
struct report_file {
    std::string path;
    report_format format = report_format::text;
};

// A periodic_reporter sink that writes every report to each file, atomically. A file that
// fails does not stop the others; the first failure is rethrown (the reporter shows it once
// on stderr and goes on).
inline report_sink file_sink(std::vector<report_file> files) {
    if (files.empty()) throw std::invalid_argument("leakwatch: file_sink needs at least one file");
    for (const report_file& file : files)
        if (file.path.empty()) throw std::invalid_argument("leakwatch: file_sink: empty path");
    return [files = std::move(files)](const growth_report& report) {
        std::exception_ptr first_error;
        for (const report_file& file : files) {
            try {
                write_file_atomically(file.path, render(report, file.format));
            } catch (...) {
                if (!first_error) first_error = std::current_exception();
            }
        }
        if (first_error) std::rethrow_exception(first_error);
    };
}

inline report_sink file_sink(std::string path, report_format format) {
    return file_sink(std::vector<report_file>{report_file{std::move(path), format}});
}

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
