// tests/test_lifetime.cpp — process lifetime: before main, after main, across fork(), and a
// reporter stopped while its sink runs.
//
// What happens after main returns is checked in a child process: the test re-runs its own
// executable (/proc/self/exe) with LEAKWATCH_LIFETIME_CHILD=1 and the hidden test case
// "[lifetime-child]", which registers an atexit handler and starts a periodic_reporter held in
// a function-local static, then returns. After main, in this order: the atexit handler uses
// tracked containers and reports (while the reporter still reports every millisecond); the
// reporter is destroyed and stops; the globals of this unit and of test_lifetime.tu2.cpp are
// destroyed, each unit's last global first using its unit's tracked map and taking a report
// during static destruction. Each step says what it saw on stdout; the parent checks the
// messages and that the child exited with status 0 (under the address sanitizer that also
// means LeakSanitizer found no leak at exit). A child that hangs is killed by alarm().
#include <leakwatch/leakwatch.hpp>

#include "lifetime_child.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace lifetime_tu2 {
extern const unsigned map_line;
std::size_t tu2_map_size();
}  // namespace lifetime_tu2

namespace {

const unsigned main_map_line = __LINE__ + 1;
leakwatch::tracked_ordered_map<int, int> main_map{leakwatch::label{"lifetime main map"}};

bool report_has(const leakwatch::growth_report& report, const std::string& label, std::size_t min_elements) {
    for (const leakwatch::finding& f : report.findings())
        if (f.label == label && f.elements >= min_elements) return true;
    return false;
}

// Destroyed before main_map (same unit, constructed after it): uses it, and reports.
struct uses_containers_at_exit {
    ~uses_containers_at_exit() {
        for (int i = 0; i < 5; ++i) main_map[100 + i] = i;
        leakwatch::tracked_deque<int> local{leakwatch::label{"tu1 destructor local"}};
        local.push_back(1);
        leakwatch::registry::snapshot();
        const leakwatch::growth_report report = leakwatch::registry::report();
        const bool found = report_has(report, "lifetime main map", 5) && report_has(report, "tu1 destructor local", 1);
        lifetime_child::say(std::string("tu1 global destructor: report has the main map: ") + (found ? "yes" : "no") +
                            "\n");
    }
} user_at_exit;

void at_exit_handler() {
    leakwatch::tracked_unordered_set<int> local{leakwatch::label{"atexit local"}};
    for (int i = 0; i < 50; ++i) local.insert(i);
    main_map[200] = 1;
    leakwatch::registry::snapshot();
    const leakwatch::growth_report report = leakwatch::registry::report();
    const bool found = report_has(report, "atexit local", 50) && report_has(report, "lifetime main map", 1);
    lifetime_child::say(std::string("atexit handler: report has its own container: ") + (found ? "yes" : "no") +
                        "\n");
}

// A one-shot gate: wait() returns once open() was called.
class gate {
public:
    void open() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            open_ = true;
        }
        cv_.notify_all();
    }
    void wait() {
        std::unique_lock<std::mutex> lock(mutex_);
        cv_.wait(lock, [&] { return open_; });
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool open_ = false;
};

// A reporter every millisecond, alive until static destruction; says when it has stopped.
struct reporter_until_exit {
    struct announce_when_gone {
        std::atomic<std::uint64_t>& reports;
        ~announce_when_gone() {
            lifetime_child::say("periodic reporter: stopped during exit, after " + std::to_string(reports.load()) +
                                " report(s)\n");
        }
    };
    std::atomic<std::uint64_t> reports{0};
    gate first_report;
    announce_when_gone announce{reports};  // declared before the reporter: destroyed after it
    leakwatch::periodic_reporter reporter{std::chrono::milliseconds(1), [this](const leakwatch::growth_report& r) {
                                              if (!r.to_text().empty() && reports.fetch_add(1) == 0)
                                                  first_report.open();
                                          }};
};

// ---- running a child -------------------------------------------------------------------------

struct child_result {
    bool ran = false;
    int status = 0;
    std::string output;
};

std::string read_all(int fd) {
    std::string out;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) out.append(buffer, static_cast<std::size_t>(n));
        else if (n < 0 && errno == EINTR) continue;
        else break;
    }
    return out;
}

int wait_for(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

// Runs this executable again with `args` and LEAKWATCH_LIFETIME_CHILD=1; collects stdout and
// stderr. The child is killed after two minutes if it hangs (the alarm survives exec).
child_result run_self(const std::vector<std::string>& args) {
    child_result result;
    char exe[4096];
    const ssize_t length = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (length <= 0) return result;
    exe[length] = '\0';

    // Everything exec needs is built before fork: the child only calls async-signal-safe functions.
    std::vector<std::string> arguments{exe};
    arguments.insert(arguments.end(), args.begin(), args.end());
    std::vector<std::string> environment;
    for (char** e = environ; *e != nullptr; ++e)
        if (std::strncmp(*e, "LEAKWATCH_LIFETIME_CHILD=", 25) != 0) environment.emplace_back(*e);
    environment.emplace_back("LEAKWATCH_LIFETIME_CHILD=1");
    std::vector<char*> argv, envp;
    for (std::string& a : arguments) argv.push_back(&a[0]);
    argv.push_back(nullptr);
    for (std::string& e : environment) envp.push_back(&e[0]);
    envp.push_back(nullptr);

    int fds[2];
    if (::pipe(fds) != 0) return result;
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        return result;
    }
    if (pid == 0) {
        ::dup2(fds[1], 1);
        ::dup2(fds[1], 2);
        ::close(fds[0]);
        ::close(fds[1]);
        ::alarm(120);
        ::execve(exe, argv.data(), envp.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    result.output = read_all(fds[0]);
    ::close(fds[0]);
    result.status = wait_for(pid);
    result.ran = true;
    return result;
}

}  // namespace

// The child's part: run only when asked for by name, in the child (see run_self).
TEST_CASE("lifetime child: an atexit handler and a reporter that outlive main", "[.][lifetime-child]") {
    // ctest lists hidden test cases too; run directly, this one has nothing to show.
    if (!lifetime_child::active()) {
        SUCCEED("runs in the child process of the at-exit test case");
        return;
    }
    static reporter_until_exit reporter;  // constructed first, so destroyed after the handler ran
    reporter.first_report.wait();         // it is reporting now, and goes on until exit
    REQUIRE(std::atexit(at_exit_handler) == 0);
    main_map[1] = 1;
    CHECK(lifetime_tu2::tu2_map_size() == 10);
    lifetime_child::say("main: returning\n");
}

TEST_CASE("globals in two translation units are registered before main with their sites", "[lifetime]") {
    const leakwatch::growth_report report = leakwatch::registry::report();
    bool main_found = false, tu2_found = false;
    for (const leakwatch::finding& f : report.findings()) {
        const std::string file = f.site.file != nullptr ? f.site.file : "";
        if (f.label == "lifetime main map") {
            main_found = true;
            CHECK(f.site.line == main_map_line);
            CHECK_THAT(file, Catch::EndsWith("test_lifetime.cpp"));
        }
        if (f.label == "lifetime tu2 map") {
            tu2_found = true;
            CHECK(f.site.line == lifetime_tu2::map_line);
            CHECK_THAT(file, Catch::EndsWith("test_lifetime.tu2.cpp"));
            CHECK(f.elements == 10);  // filled by another global's constructor, before main
        }
    }
    CHECK(main_found);
    CHECK(tu2_found);
}

// (No ';' in test names: ctest would split the name into two tests that match nothing.)
TEST_CASE("at exit an atexit handler and global destructors use tracked containers and report, a reporter "
          "stops, and nothing crashes, hangs or leaks",
          "[lifetime]") {
    const child_result child = run_self({"[lifetime-child]"});
    REQUIRE(child.ran);
    INFO("child output:\n" << child.output);
    CHECK(WIFEXITED(child.status));
    CHECK(WEXITSTATUS(child.status) == 0);
    const std::string& out = child.output;
    CHECK_THAT(out, Catch::Contains("main: returning"));
    CHECK_THAT(out, Catch::Contains("atexit handler: report has its own container: yes"));
    CHECK_THAT(out, Catch::Contains("periodic reporter: stopped during exit"));
    CHECK_THAT(out, Catch::Contains("tu1 global destructor: report has the main map: yes"));
    CHECK_THAT(out, Catch::Contains("tu2 global destructor: report has the tu2 map: yes"));
    // The order the standard prescribes: the handler (registered last) first, then the
    // reporter (constructed in main), then the globals (constructed before main).
    CHECK(out.find("atexit handler") < out.find("periodic reporter: stopped"));
    CHECK(out.find("periodic reporter: stopped") < out.find("tu1 global destructor"));
    CHECK(out.find("periodic reporter: stopped") < out.find("tu2 global destructor"));
}

TEST_CASE("a fork()ed child snapshots and reports, also when another thread was inside the registry", "[lifetime]") {
    leakwatch::tracked_map<int, int> parent_map{leakwatch::label{"made before fork"}};
    for (int i = 0; i < 32; ++i) parent_map[i] = i;
    std::atomic<bool> stop{false};
    std::thread busy([&] {
        while (!stop.load()) {
            leakwatch::registry::snapshot();
            const leakwatch::growth_report r = leakwatch::registry::report();
            leakwatch::tracked_vector<int> scratch;
            scratch.push_back(static_cast<int>(r.findings().size()));
        }
    });

    for (int round = 0; round < 10; ++round) {
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        const pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            // The child: one thread, a registry that the forking thread may have found locked.
            ::close(fds[0]);
            ::alarm(60);
            leakwatch::registry::snapshot();
            leakwatch::tracked_list<int> child_list{leakwatch::label{"made in the child"}};
            child_list.assign(3, 7);
            parent_map[1000] = 1;
            const leakwatch::growth_report report = leakwatch::registry::report();
            const bool ok = report_has(report, "made before fork", 33) && report_has(report, "made in the child", 3) &&
                            leakwatch::registry::live_containers() >= 2;
            const std::string text = report.to_text();
            const char* data = text.data();
            std::size_t left = text.size();
            while (left > 0) {
                const ssize_t n = ::write(fds[1], data, left);
                if (n <= 0) break;
                data += n;
                left -= static_cast<std::size_t>(n);
            }
            ::_exit(ok ? 0 : 3);
        }
        ::close(fds[1]);
        const std::string out = read_all(fds[0]);
        ::close(fds[0]);
        const int status = wait_for(pid);
        INFO("round " << round << ", child report:\n" << out);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
        CHECK_THAT(out, Catch::Contains("made in the child"));
    }
    stop.store(true);
    busy.join();
    // The parent is untouched by what the children did.
    CHECK(parent_map.size() == 32);
    CHECK(parent_map.stats().elements == 32);
    CHECK(!report_has(leakwatch::registry::report(), "made in the child", 0));
}

TEST_CASE("a periodic_reporter destroyed while its sink runs waits for the sink, then stops", "[lifetime]") {
    gate sink_entered, destruction_started;
    std::atomic<int> sink_calls{0}, sink_finished{0};

    // The body of this destructor runs before the member reporter's destructor: it tells the
    // blocked sink that destruction has begun, and ~periodic_reporter runs right after.
    struct observed_reporter {
        gate& destroying;
        leakwatch::periodic_reporter reporter;
        observed_reporter(gate& g, leakwatch::report_sink sink)
            : destroying(g), reporter(std::chrono::hours(1), std::move(sink)) {}
        ~observed_reporter() { destroying.open(); }
    };
    auto observed = std::make_unique<observed_reporter>(destruction_started, [&](const leakwatch::growth_report& r) {
        sink_calls.fetch_add(1);
        sink_entered.open();
        destruction_started.wait();
        // Destruction is under way; the sink still works with the report and the registry.
        const leakwatch::growth_report again = leakwatch::registry::report();
        if (!r.to_json().empty() && !again.to_text().empty()) sink_finished.fetch_add(1);
    });
    observed->reporter.request_report();
    sink_entered.wait();
    observed.reset();  // returns once the sink has finished and the thread has stopped
    CHECK(sink_calls.load() == 1);
    CHECK(sink_finished.load() == 1);

    // The same from another thread, with the sink blocked until the destroying thread has begun.
    gate entered_again, destroying_again;
    std::atomic<int> finished_again{0};
    auto second = std::make_unique<observed_reporter>(destroying_again, [&](const leakwatch::growth_report&) {
        entered_again.open();
        destroying_again.wait();
        finished_again.fetch_add(1);
    });
    second->reporter.request_report();
    entered_again.wait();
    std::thread destroyer([&] { second.reset(); });
    destroyer.join();
    CHECK(finished_again.load() == 1);
}

TEST_CASE("a fork()ed child may destroy its copy of a running periodic_reporter, and the parent's goes on",
          "[lifetime]") {
    std::mutex mutex;
    std::condition_variable reported;
    int reports = 0;
    auto reporter = std::make_unique<leakwatch::periodic_reporter>(
        std::chrono::milliseconds(1), [&](const leakwatch::growth_report&) {
            {
                std::lock_guard<std::mutex> lock(mutex);
                ++reports;
            }
            reported.notify_all();
        });
    const auto wait_for_reports = [&](int count) {
        std::unique_lock<std::mutex> lock(mutex);
        reported.wait(lock, [&] { return reports >= count; });
        return reports;
    };
    const int before_fork = wait_for_reports(1);  // the reporter's thread is running

    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        // The child has no reporter thread (fork copies only the calling thread): destroying
        // the copy must neither join nor detach a thread that exists only in the parent.
        ::alarm(60);
        reporter.reset();
        leakwatch::tracked_vector<int> still_works{leakwatch::label{"after the reporter"}};
        still_works.push_back(1);
        const bool ok = !leakwatch::registry::report().findings().empty();
        ::_exit(ok ? 0 : 3);
    }
    const int status = wait_for(pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    // The parent's reporter still reports, and stops when destroyed.
    reporter->request_report();
    CHECK(wait_for_reports(before_fork + 2) >= before_fork + 2);
    reporter.reset();
}
