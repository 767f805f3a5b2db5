// periodic_reporter: reports every interval, on request and on a signal; stops promptly;
// survives a throwing sink; rejects a bad interval. Waits are bounded polls on a counter
// (never an assertion on elapsed time).
#include <leakwatch/leakwatch.hpp>

#include <catch2/catch.hpp>

#include "eventually.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

TEST_CASE("the reporter hands a report to its sink every interval", "[reporter]") {
    std::atomic<int> reports{0};
    std::atomic<bool> saw_container{false};
    leakwatch::tracked_map<int, int> watched{leakwatch::label{"watched by reporter"}};
    watched[1] = 1;
    {
        leakwatch::periodic_reporter reporter{std::chrono::milliseconds(1), [&](const leakwatch::growth_report& r) {
                                                  for (const auto& f : r.findings())
                                                      if (f.label == "watched by reporter") saw_container = true;
                                                  ++reports;
                                              }};
        CHECK(eventually([&] { return reports.load() >= 5; }));
        CHECK(reporter.reports() >= 5);
    }
    CHECK(saw_container.load());
    const int after = reports.load();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(reports.load() == after);  // stopped: no report after destruction
}

TEST_CASE("request_report and a signal ask for an immediate report", "[reporter]") {
    std::atomic<int> reports{0};
    leakwatch::periodic_reporter reporter{std::chrono::hours(1), [&](const leakwatch::growth_report&) { ++reports; }};
    reporter.request_report();
    CHECK(eventually([&] { return reports.load() >= 1; }));
    reporter.report_on_signal(SIGUSR1);
    const int before = reports.load();
    std::raise(SIGUSR1);
    CHECK(eventually([&] { return reports.load() > before; }));
}

TEST_CASE("a reporter with a long interval is destroyed promptly", "[reporter]") {
    std::atomic<int> reports{0};
    auto* reporter = new leakwatch::periodic_reporter{std::chrono::hours(24), [&](const leakwatch::growth_report&) { ++reports; }};
    delete reporter;  // would block for a day if the thread did not wake up
    CHECK(reports.load() == 0);
}

TEST_CASE("a throwing sink does not stop the reporter", "[reporter]") {
    std::atomic<int> calls{0};
    leakwatch::periodic_reporter reporter{std::chrono::milliseconds(1), [&](const leakwatch::growth_report&) {
                                              ++calls;
                                              throw std::runtime_error("sink failure (expected by the test)");
                                          }};
    CHECK(eventually([&] { return calls.load() >= 3; }));
}

TEST_CASE("a bad interval or an empty sink is rejected", "[reporter]") {
    CHECK_THROWS_AS(leakwatch::periodic_reporter(std::chrono::milliseconds(0)), std::invalid_argument);
    CHECK_THROWS_WITH(leakwatch::periodic_reporter(std::chrono::seconds(-1)), Catch::Contains("interval"));
    CHECK_THROWS_WITH(leakwatch::periodic_reporter(std::chrono::seconds(1), leakwatch::report_sink{}),
                      Catch::Contains("sink"));
}

TEST_CASE("the default sink prints new and changed findings only", "[reporter]") {
    std::FILE* out = std::tmpfile();
    REQUIRE(out != nullptr);
    leakwatch::changed_findings_sink sink(out);
    leakwatch::finding f;
    f.label = "printed once";
    f.site = leakwatch::source_site{"x.cpp", 3, "g"};
    f.verdict = leakwatch::verdict::unbounded;
    const leakwatch::growth_report unbounded({f}, {});
    sink(unbounded);
    sink(unbounded);  // unchanged: nothing more
    f.verdict = leakwatch::verdict::bounded;
    sink(leakwatch::growth_report({f}, {}));  // changed back: printed
    std::rewind(out);
    std::string text;
    char buffer[256];
    while (std::fgets(buffer, sizeof buffer, out) != nullptr) text += buffer;
    std::fclose(out);
    std::size_t mentions = 0;
    for (std::size_t at = text.find("printed once"); at != std::string::npos; at = text.find("printed once", at + 1))
        ++mentions;
    CHECK(mentions == 2);
    CHECK_THAT(text, Catch::Contains("x.cpp:3"));
}
