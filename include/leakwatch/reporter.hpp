// leakwatch/reporter.hpp — periodic_reporter: a background thread that reports every interval.
//
// Each interval it takes registry::report() (one snapshot) and hands the report to a sink.
// The default sink writes to stderr only what is new or changed (a finding that turned
// growing or unbounded, or went back to bounded), not the same finding every interval.
// The thread sleeps in poll() on a self-pipe, so the destructor stops it promptly and a
// signal handler can ask for an immediate report using only async-signal-safe calls.
#pragma once

#include <leakwatch/config.hpp>
#include <leakwatch/registry.hpp>
#include <leakwatch/report.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#if LEAKWATCH_POSIX
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#endif

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

using report_sink = std::function<void(const growth_report&)>;

// The default sink: writes new and changed findings to a stream (stderr by default).
class changed_findings_sink {
public:
    explicit changed_findings_sink(std::FILE* stream = stderr) : stream_(stream) {}
    // Copies write to the same stream (a std::function holds a copy).
    changed_findings_sink(const changed_findings_sink&) = default;
    changed_findings_sink& operator=(const changed_findings_sink&) = default;

    void operator()(const growth_report& report) {
        std::string lines;
        std::map<key, verdict> seen;
        for (const finding& f : report.findings()) {
            const key k{f.site.file != nullptr ? f.site.file : "", f.site.line, f.label, f.kind};
            seen[k] = f.verdict;
            const auto previous = reported_.find(k);
            const verdict before = previous == reported_.end() ? verdict::bounded : previous->second;
            if (f.verdict == before) continue;
            lines += "  " + std::string(to_string(f.verdict)) + "  " + growth_report::site_text(f.site) + "  " +
                     (f.label.empty() ? std::string() : "\"" + detail::printable(f.label) + "\" ") +
                     detail::printable(f.type) + "  " + std::to_string(f.elements) + " elements, " +
                     detail::human_bytes(static_cast<double>(f.bytes)) + ", " +
                     detail::signed_rate(f.kind == finding_kind::channel ? f.bytes_per_epoch : f.elements_per_epoch) +
                     "/epoch" + (f.instances > 1 ? ", " + std::to_string(f.instances) + " instances" : "") + "\n";
        }
        // Forget what no longer exists, so the table stays as small as the live findings.
        for (auto it = reported_.begin(); it != reported_.end();)
            it = seen.count(it->first) != 0 ? std::next(it) : reported_.erase(it);
        for (const auto& entry : seen) {
            if (entry.second != verdict::bounded) reported_[entry.first] = entry.second;
            else reported_.erase(entry.first);
        }
        if (report.totals().untracked_growth != untracked_reported_) {
            untracked_reported_ = report.totals().untracked_growth;
            lines += untracked_reported_ ? "  resident memory grows and no tracked container explains it\n"
                                         : "  resident memory no longer grows unexplained\n";
        }
        if (lines.empty()) return;
        const std::string text = report.summary_line() + "\n" + lines;
        std::fwrite(text.data(), 1, text.size(), stream_);
        std::fflush(stream_);
    }

private:
    using key = std::tuple<std::string, unsigned, std::string, finding_kind>;
    std::FILE* stream_;
    std::map<key, verdict> reported_{};
    bool untracked_reported_ = false;
};

class periodic_reporter {
public:
    template <class Rep, class Period>
    explicit periodic_reporter(std::chrono::duration<Rep, Period> interval)
        : periodic_reporter(interval, report_sink(changed_findings_sink())) {}

    template <class Rep, class Period>
    periodic_reporter(std::chrono::duration<Rep, Period> interval, report_sink sink)
        : interval_(checked_interval(std::chrono::duration<double, std::milli>(interval).count())),
          sink_(checked_sink(std::move(sink))) {
        open_wakeup();
        try {
            thread_ = std::thread([this] { run(); });
        } catch (...) {
            close_wakeup();
            throw;
        }
    }

    periodic_reporter(const periodic_reporter&) = delete;
    periodic_reporter& operator=(const periodic_reporter&) = delete;

    // Stops promptly: wakes the thread and joins it (a report under way finishes first).
    ~periodic_reporter() {
        stop_.store(true, std::memory_order_relaxed);
        wake();
        if (thread_.joinable()) {
#if LEAKWATCH_POSIX
            // In a fork()ed child the thread does not exist (only the forking thread is
            // copied): joining or detaching it would touch the parent's thread. Set it aside.
            if (::getpid() != owner_pid_) abandon(std::move(thread_));
            else
#endif
                thread_.join();
        }
        close_wakeup();
    }

    // Asks for a report now. Async-signal-safe: an atomic store and a write(2).
    void request_report() noexcept {
        requested_.store(true, std::memory_order_relaxed);
        wake();
    }

    // Makes `signal_number` (SIGUSR1 by default) request an immediate report from this
    // reporter. The handler touches no reporter object: it sets a process-wide flag and
    // writes to a process-wide pipe (created once, never closed) that this reporter's
    // thread also watches, so a signal arriving while a reporter is destroyed is harmless.
    void report_on_signal(int signal_number = default_signal()) {
#if LEAKWATCH_POSIX
        signal_write_fd().store(signal_pipe()[1], std::memory_order_relaxed);  // before the handler can run
        watch_signals_.store(true, std::memory_order_relaxed);
        wake();
        struct sigaction action {};
        action.sa_handler = &on_signal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        if (sigaction(signal_number, &action, nullptr) != 0)
            throw std::system_error(errno, std::generic_category(),
                                    "leakwatch: sigaction(" + std::to_string(signal_number) + ") failed");
#else
        (void)signal_number;
        throw std::runtime_error("leakwatch: periodic_reporter::report_on_signal needs POSIX signals");
#endif
    }

    static int default_signal() noexcept {
#if LEAKWATCH_POSIX
        return SIGUSR1;
#else
        return 0;
#endif
    }

    std::chrono::milliseconds interval() const noexcept { return interval_; }
    // Reports handed to the sink so far.
    std::uint64_t reports() const noexcept { return reports_.load(std::memory_order_relaxed); }

private:
    // The interval arrives in milliseconds as a double, so that no duration (hours::max(),
    // hours::min()) overflows on the way; anything longer than a century is a century.
    static std::chrono::milliseconds checked_interval(double milliseconds) {
        if (!(milliseconds >= 1))
            throw std::invalid_argument("leakwatch: periodic_reporter interval must be at least 1 ms (got " +
                                        std::to_string(milliseconds) + " ms)");
        constexpr double century = 100.0 * 365 * 24 * 3600 * 1000;
        return std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(std::min(milliseconds, century)));
    }
    static report_sink checked_sink(report_sink sink) {
        if (!sink) throw std::invalid_argument("leakwatch: periodic_reporter sink must not be empty");
        return sink;
    }

    void run() {
        auto next = std::chrono::steady_clock::now() + interval_;
        while (!stop_.load(std::memory_order_relaxed)) {
            const auto now = std::chrono::steady_clock::now();
            const bool due = now >= next;
            if (!due && !requested_.load(std::memory_order_relaxed)) {
                wait_for(std::chrono::duration_cast<std::chrono::milliseconds>(next - now));
                continue;
            }
            requested_.store(false, std::memory_order_relaxed);
            if (due) next = now + interval_;
            try {
                sink_(registry::report());
                reports_.fetch_add(1, std::memory_order_relaxed);
            } catch (const std::exception& error) {
                complain(error.what());
            } catch (...) {
                complain("unknown exception");
            }
        }
    }

    // Says once per distinct error, not once per interval.
    void complain(const char* what) noexcept {
        try {
            if (last_complaint_ == what) return;
            last_complaint_ = what;
            const std::string text = std::string("leakwatch: periodic_reporter sink threw: ") + what +
                                     " (repeats of this error are not shown)\n";
            std::fwrite(text.data(), 1, text.size(), stderr);
        } catch (...) {
        }
    }

#if LEAKWATCH_POSIX
    // Handles of threads that belong to the parent process, kept (reachable) and never used.
    static void abandon(std::thread thread) {
        static std::mutex mutex;
        static std::vector<std::thread>* const handles = new std::vector<std::thread>();
        std::lock_guard<std::mutex> lock(mutex);
        handles->push_back(std::move(thread));
    }
    pid_t owner_pid_ = ::getpid();  // the process whose thread thread_ is
    void open_wakeup() {
        if (::pipe(pipe_) != 0) throw std::system_error(errno, std::generic_category(), "leakwatch: pipe() failed");
        for (int fd : pipe_) {
            ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
            ::fcntl(fd, F_SETFD, FD_CLOEXEC);
        }
    }
    void close_wakeup() noexcept {
        for (int& fd : pipe_) {
            if (fd >= 0) ::close(fd);
            fd = -1;
        }
    }
    void wake() noexcept {
        const char byte = 1;
        // A full pipe already holds a wake-up: nothing is lost when this write fails.
        const ssize_t written = ::write(pipe_[1], &byte, 1);
        (void)written;
    }
    void wait_for(std::chrono::milliseconds timeout) {
        const bool signals = watch_signals_.load(std::memory_order_relaxed);
        pollfd descriptors[2] = {{pipe_[0], POLLIN, 0}, {signals ? signal_pipe()[0] : -1, POLLIN, 0}};
        const int ready =
            ::poll(descriptors, signals ? 2 : 1, static_cast<int>(std::min<long long>(timeout.count() + 1, 60000)));
        if (ready <= 0) return;
        char buffer[64];
        while (::read(pipe_[0], buffer, sizeof buffer) > 0) {
        }
        if (signals && (descriptors[1].revents & POLLIN) != 0) {
            while (::read(signal_pipe()[0], buffer, sizeof buffer) > 0) {
            }
            if (signal_requested().exchange(false, std::memory_order_relaxed))
                requested_.store(true, std::memory_order_relaxed);
        }
    }
    static int* signal_pipe() {
        static int* const fds = [] {
            static int pair[2] = {-1, -1};
            if (::pipe(pair) != 0)
                throw std::system_error(errno, std::generic_category(), "leakwatch: pipe() for signals failed");
            for (int fd : pair) {
                ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
                ::fcntl(fd, F_SETFD, FD_CLOEXEC);
            }
            return pair;
        }();
        return fds;
    }
    static std::atomic<bool>& signal_requested() noexcept {
        static std::atomic<bool> flag{false};
        return flag;
    }
    static void on_signal(int) {
        const int saved = errno;
        signal_requested().store(true, std::memory_order_relaxed);
        const char byte = 1;
        const ssize_t written = ::write(signal_write_fd().load(std::memory_order_relaxed), &byte, 1);
        (void)written;
        errno = saved;
    }
    // What the handler writes to: set once the pipe exists, before any handler is installed.
    static std::atomic<int>& signal_write_fd() noexcept {
        static std::atomic<int> fd{-1};
        return fd;
    }
    int pipe_[2] = {-1, -1};
#else
    void open_wakeup() {}
    void close_wakeup() noexcept {}
    void wake() noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        woken_ = true;
        wakeup_.notify_one();
    }
    void wait_for(std::chrono::milliseconds timeout) {
        std::unique_lock<std::mutex> lock(mutex_);
        wakeup_.wait_for(lock, timeout, [this] { return woken_; });
        woken_ = false;
    }
    std::mutex mutex_;
    std::condition_variable wakeup_;
    bool woken_ = false;
#endif

    std::chrono::milliseconds interval_;
    report_sink sink_;
    std::atomic<bool> stop_{false};
    std::atomic<bool> requested_{false};
    std::atomic<bool> watch_signals_{false};
    std::atomic<std::uint64_t> reports_{0};
    std::string last_complaint_;  // only the reporter thread touches it
    std::thread thread_;
};

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
