// Reports: ordering, the text table, the JSON schema, and escaping of hostile labels.
#include <leakwatch/leakwatch.hpp>

#include <catch2/catch.hpp>

#include "json_check.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace {

leakwatch::finding make(const std::string& label, leakwatch::verdict v, double score, std::size_t bytes) {
    leakwatch::finding f;
    f.label = label;
    f.type = "tracked_map<int, int>";
    f.site = leakwatch::source_site{"src/a.cpp", 12, "f"};
    f.instances = 1;
    f.bytes = bytes;
    f.verdict = v;
    f.score = score;
    f.history = {{1, 1, 10, 100}, {2, 1, 20, 200}};
    return f;
}

}  // namespace

TEST_CASE("findings are ordered worst first", "[report]") {
    const leakwatch::growth_report report(
        {make("small", leakwatch::verdict::bounded, 0, 10), make("big unbounded", leakwatch::verdict::unbounded, 0.6, 1),
         make("stale unbounded", leakwatch::verdict::unbounded, 1.8, 1), make("growing", leakwatch::verdict::growing, 0.4, 5)},
        leakwatch::report_totals{});
    const auto& f = report.findings();
    REQUIRE(f.size() == 4);
    CHECK(f[0].label == "stale unbounded");
    CHECK(f[1].label == "big unbounded");
    CHECK(f[2].label == "growing");
    CHECK(f[3].label == "small");
    CHECK(report.unbounded().size() == 2);
    CHECK_FALSE(report.clean());
    CHECK(leakwatch::growth_report({make("x", leakwatch::verdict::growing, 1, 1)}, {}).clean());
}

TEST_CASE("the text table shows site, label, type, size, growth and the totals", "[report]") {
    leakwatch::report_totals totals;
    totals.tracked_bytes = 6ull << 30;
    totals.process.resident_bytes = 15ull << 30;
    leakwatch::finding f = make("sessions", leakwatch::verdict::unbounded, 1, 2048);
    f.elements = 300;
    f.elements_per_epoch = 25;
    const std::string text = leakwatch::growth_report({f}, totals).to_text();
    CHECK_THAT(text, Catch::Contains("tracked 6.0 GiB of 15.0 GiB resident"));
    CHECK_THAT(text, Catch::Contains("src/a.cpp:12"));
    CHECK_THAT(text, Catch::Contains("sessions"));
    CHECK_THAT(text, Catch::Contains("tracked_map<int, int>"));
    CHECK_THAT(text, Catch::Contains("unbounded"));
    CHECK_THAT(text, Catch::Contains("+25"));
    CHECK_THAT(text, Catch::Contains("2.0 KiB"));
    CHECK(text.find("other heap in use") == std::string::npos);  // no breakdown known: no line for it

    totals.process.breakdown.available = true;
    totals.process.breakdown.resident_bytes = 15ull << 30;
    totals.process.breakdown.tracked_bytes = 6ull << 30;
    totals.process.breakdown.other_heap_in_use_bytes = 5ull << 30;
    totals.process.breakdown.heap_free_retained_bytes = 1ull << 30;
    totals.process.breakdown.thread_stack_bytes = 80ull << 20;
    totals.process.breakdown.other_anonymous_bytes = (1ull << 30) - (80ull << 20);
    totals.process.breakdown.file_backed_bytes = 2ull << 30;
    totals.process.breakdown.thread_stacks = 12;
    totals.process.breakdown.arenas.resize(3);
    const std::string with_breakdown = leakwatch::growth_report({f}, totals).to_text();
    CHECK_THAT(with_breakdown,
               Catch::Contains("  resident 15.0 GiB: tracked containers 6.0 GiB, other heap in use 5.0 GiB, heap freed but "
                               "retained 1.0 GiB (3 arenas), thread stacks 80.0 MiB (12), other anonymous mappings 944.0 "
                               "MiB, file-backed mappings 2.0 GiB\n"));
}

TEST_CASE("to_json follows the versioned schema and parses", "[report]") {
    leakwatch::tracked_map<int, int> m{leakwatch::label{"json map"}};
    const unsigned line = __LINE__ - 1;
    for (int i = 0; i < 10; ++i) m[i] = i;
    const auto report = leakwatch::registry::report();
    const auto doc = json_check::parse(report.to_json());
    CHECK(doc["schema"].text == "leakwatch.report");
    CHECK(doc["version"].number == 1);
    CHECK(doc["minor_version"].number == 1);
    CHECK(doc["tracked"]["bytes"].number > 0);
    // Where the resident memory went (minor version 1): categories that add up to resident.
    const auto& breakdown = doc["process"]["breakdown"];
    CHECK(breakdown["categories"]["tracked_containers"].number > 0);
    CHECK(breakdown["categories"]["file_backed"].number > 0);
    CHECK(breakdown["thread_stacks"].number >= 1);
    CHECK(doc["process"]["growth_by_category"].members.size() == 6);
    bool found = false;
    for (const auto& f : doc["findings"].items) {
        if (f["label"].text != "json map") continue;
        found = true;
        CHECK(f["site"]["line"].number == line);
        CHECK(f["elements"].number == 10);
        CHECK(f["bytes"].number == static_cast<double>(m.stats().bytes));
        CHECK(f["kind"].text == "container");
        CHECK(f["epochs_since_read"].type == json_check::value::kind::null);
        CHECK(f["history"].items.back()[2].number == 10);
    }
    CHECK(found);
}

TEST_CASE("hostile labels come out escaped and valid in text and JSON", "[report]") {
    const std::vector<std::string> labels = {
        "quote\" backslash\\ newline\n tab\t", "<script>alert(1)</script>", std::string("nul\0byte", 8),
        "bell\x07 esc\x1b[31m", "invalid utf8 \xff\xfe \xc3", "caf\xc3\xa9 \xe2\x9c\x93"};
    std::vector<leakwatch::finding> findings;
    for (const auto& l : labels) findings.push_back(make(l, leakwatch::verdict::unbounded, 1, 1));
    const leakwatch::growth_report report(findings, {});
    const auto doc = json_check::parse(report.to_json());
    REQUIRE(doc["findings"].items.size() == labels.size());
    std::vector<std::string> back;
    for (const auto& f : doc["findings"].items) back.push_back(f["label"].text);
    CHECK(std::find(back.begin(), back.end(), labels[0]) != back.end());
    CHECK(std::find(back.begin(), back.end(), labels[1]) != back.end());
    CHECK(std::find(back.begin(), back.end(), labels[5]) != back.end());
    const std::string json = report.to_json();
    CHECK(json.find("<script>") == std::string::npos);
    const std::string text = report.to_text();
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(text.find('\x07') == std::string::npos);
    CHECK(text.find(std::string(1, '\0')) == std::string::npos);
    CHECK_THAT(text, Catch::Contains("\\n"));
    CHECK_THAT(text, Catch::Contains("\\xff"));
    // one table line per finding: an embedded newline cannot forge a row
    std::size_t lines = 0;
    for (char c : text) lines += c == '\n';
    CHECK(lines == labels.size() + 2);
}

TEST_CASE("a growing untracked allocation is reported as unexplained resident growth", "[report]") {
    leakwatch::registry::reset();
    std::vector<std::vector<char>> untracked;
    const auto start = leakwatch::registry::current_epoch();
    for (int epoch = 0; epoch < 16; ++epoch) {
        untracked.emplace_back(8u << 20, static_cast<char>(epoch + 1));  // 8 MiB touched per epoch
        leakwatch::registry::snapshot();
    }
    const auto report = leakwatch::registry::report_since(start);
    CHECK(report.totals().resident_verdict == leakwatch::verdict::unbounded);
    CHECK(report.totals().untracked_growth);
    CHECK_THAT(report.to_text(), Catch::Contains("no tracked container explains it"));
    CHECK(report.totals().growth_category_known);
}
