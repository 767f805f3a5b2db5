// to_html(): one self-contained page (no script, no request), the summary, the table worst
// first, an SVG chart per finding with unbounded ones marked, every label escaped; then
// headless chromium (Debian `chromium`) renders it and the rendered DOM has the charts and
// the hostile labels as text, with no element a label smuggled in.
#include <leakwatch/leakwatch.hpp>

#include <catch2/catch.hpp>

#include "external_tools.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace {

leakwatch::finding make(const std::string& label, leakwatch::verdict v, double score) {
    leakwatch::finding f;
    f.label = label;
    f.type = "tracked_map<int, std::string>";
    f.site = leakwatch::source_site{"src/<sessions>.cpp", 42, "open_session"};
    f.instances = 1;
    f.elements = 300;
    f.bytes = 19200;
    f.elements_per_epoch = 25;
    f.bytes_per_epoch = 1600;
    f.verdict = v;
    f.score = score;
    for (std::size_t epoch = 1; epoch <= 12; ++epoch) f.history.push_back({epoch, 1, epoch * 25, epoch * 1600});
    return f;
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// The markup of a page: everything from each '<' to the next '>' (user text has no raw '<').
std::vector<std::string> tags(const std::string& page) {
    std::vector<std::string> out;
    for (std::size_t at = page.find('<'); at != std::string::npos; at = page.find('<', at + 1))
        out.push_back(page.substr(at, page.find('>', at) - at + 1));
    return out;
}

// What a self-contained page must not have: script, external resources, event handlers.
void check_self_contained(const std::string& html) {
    const std::string page = lower(html);
    CHECK(page.find("<script") == std::string::npos);
    CHECK(page.find("<link") == std::string::npos);
    CHECK(page.find("<iframe") == std::string::npos);
    CHECK(page.find("<img") == std::string::npos);
    CHECK(page.find("@import") == std::string::npos);
    CHECK(page.find("url(") == std::string::npos);
    CHECK(page.find("javascript:") == std::string::npos);
    CHECK(page.find("https://") == std::string::npos);
    for (const std::string& tag : tags(page)) {
        INFO(tag);
        CHECK(tag.find(" src=") == std::string::npos);
        CHECK(tag.find(" on") == std::string::npos);  // no event handler attribute
    }
    // The only http:// is the SVG namespace, which is a name, not a request.
    CHECK(tools::count(page, "http://") == tools::count(page, "xmlns=\"http://www.w3.org/2000/svg\""));
    for (std::size_t at = page.find("href=\""); at != std::string::npos; at = page.find("href=\"", at + 1))
        CHECK(page.compare(at + 6, 1, "#") == 0);  // in-page anchors only
}

std::string chromium(const std::string& arguments, const tools::temp_dir& dir) {
    const std::string browser = tools::require_tool("chromium", "chromium");
    // Its own HOME and profile folder: nothing read from or left in the user's.
    const auto result = tools::run(
        "HOME='" + dir.path() + "' '" + browser + "' --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
            "--disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage "
            "--user-data-dir='" + (dir / "profile") + "' " + arguments,
        dir.path());
    INFO("chromium " << arguments << "\nstderr:\n" << result.errors.substr(0, 4000));
    REQUIRE(result.status == 0);
    return result.output;
}

}  // namespace

TEST_CASE("to_html is one self-contained page with the summary, the table and a chart per finding", "[html]") {
    leakwatch::report_totals totals;
    totals.epoch = 12;
    totals.tracked_bytes = 6ull << 30;
    totals.process.resident_bytes = 15ull << 30;
    totals.process.peak_resident_bytes = 16ull << 30;
    totals.untracked_growth = true;
    totals.resident_bytes_per_epoch = 64 << 20;
    const leakwatch::growth_report report({make("cache", leakwatch::verdict::bounded, 0.1),
                                           make("sessions", leakwatch::verdict::unbounded, 2)},
                                          totals);
    const std::string html = report.to_html();
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK_THAT(html, Catch::Contains("<meta charset=\"utf-8\">"));
    CHECK_THAT(html, Catch::Contains("Content-Security-Policy") && Catch::Contains("default-src 'none'"));
    check_self_contained(html);
    // Summary: tracked against resident, and the unexplained growth.
    CHECK_THAT(html, Catch::Contains("6.0 GiB") && Catch::Contains("15.0 GiB"));
    CHECK_THAT(html, Catch::Contains("id=\"untracked-growth\"") && Catch::Contains("no tracked container explains it"));
    // Table worst first: "sessions" (unbounded) before "cache".
    const std::size_t table = html.find("<table id=\"findings\">");
    REQUIRE(table != std::string::npos);
    CHECK(html.find("sessions", table) < html.find("cache", table));
    CHECK_THAT(html, Catch::Contains("<tr class=\"unbounded\">"));
    // One chart per finding, two lines each, unbounded one marked.
    CHECK(tools::count(html, "<svg ") == 2);
    CHECK(tools::count(html, "<polyline class=\"elements\"") == 2);
    CHECK(tools::count(html, "<polyline class=\"bytes\"") == 2);
    CHECK(tools::count(html, "<section class=\"finding unbounded\"") == 1);
    CHECK_THAT(html, Catch::Contains(">elements</text>") && Catch::Contains(">bytes</text>"));
    CHECK_THAT(html, Catch::Contains(">epoch 1</text>") && Catch::Contains(">epoch 12</text>"));
    CHECK_THAT(html, Catch::Contains(">300</text>") && Catch::Contains(">18.8 KiB</text>"));
    // Paths are escaped too.
    CHECK_THAT(html, Catch::Contains("src/&lt;sessions&gt;.cpp:42"));
}

TEST_CASE("to_html shows where the resident memory went, by category and arena", "[html][process]") {
    leakwatch::report_totals totals;
    totals.process.resident_bytes = 100 << 20;
    leakwatch::memory_breakdown& b = totals.process.breakdown;
    b.available = true;
    b.resident_bytes = 100 << 20;
    b.tracked_bytes = 10 << 20;
    b.other_heap_in_use_bytes = 50 << 20;
    b.heap_free_retained_bytes = 5 << 20;
    b.thread_stack_bytes = 1 << 20;
    b.other_anonymous_bytes = 4 << 20;
    b.file_backed_bytes = 30 << 20;
    b.thread_stacks = 3;
    b.arenas = {{0, 8 << 20, 3 << 20, 12}, {1, 4 << 20, 2 << 20, 5}};
    totals.untracked_growth = true;
    totals.resident_bytes_per_epoch = 3 << 20;
    totals.growth_category_known = true;
    totals.growth_category = leakwatch::memory_category::other_heap_in_use;
    totals.growth_category_share = 1;
    totals.growth_by_category[1] = 3 << 20;
    const std::string html = leakwatch::growth_report({}, totals).to_html();
    check_self_contained(html);
    CHECK_THAT(html, Catch::Contains("Where the resident memory went"));
    CHECK(tools::count(html, "<div class=\"part\" style=\"width: ") == leakwatch::memory_category_count);
    CHECK_THAT(html, Catch::Contains("width: 50.0%"));
    for (std::size_t i = 0; i < leakwatch::memory_category_count; ++i)
        CHECK_THAT(html, Catch::Contains(std::string("<tr id=\"category-") +
                                         leakwatch::to_string(static_cast<leakwatch::memory_category>(i)) + "\">"));
    CHECK_THAT(html, Catch::Contains("thread stacks (3)"));
    CHECK_THAT(html, Catch::Contains("main 3.0 MiB free of 8.0 MiB; #1 2.0 MiB free of 4.0 MiB"));
    CHECK_THAT(html, Catch::Contains("3.0 MiB per epoch), mostly other heap in use (+3.0 MiB per epoch), <strong>"));
    CHECK_THAT(html, Catch::Contains("<td class=\"num\">+3.0 MiB</td>"));
    // Without a breakdown, no section.
    CHECK(leakwatch::growth_report().to_html().find("Where the resident memory went") == std::string::npos);
}

TEST_CASE("to_html escapes hostile labels, types and paths", "[html]") {
    std::vector<leakwatch::finding> findings;
    for (const std::string& l : tools::hostile_labels()) findings.push_back(make(l, leakwatch::verdict::unbounded, 1));
    findings[0].type = "tracked_vector<\"<b>bold</b>\">";
    findings[1].site.file = "x\"><script>alert(3)</script>.cpp";
    findings[2].site.function = "f<script>";
    const std::string html = leakwatch::growth_report(findings, {}).to_html();
    check_self_contained(html);
    CHECK(tools::valid_utf8(html));
    for (char c : html) CHECK((static_cast<unsigned char>(c) >= 0x20 || c == '\n'));
    CHECK(html.find("<b>") == std::string::npos);
    CHECK_THAT(html, Catch::Contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    CHECK_THAT(html, Catch::Contains("&lt;/svg&gt;&lt;img src=x onerror=alert(2)&gt;"));
    CHECK_THAT(html, Catch::Contains("quote&quot; backslash\\\\ newline\\n tab\\t"));
    CHECK_THAT(html, Catch::Contains("&amp;amp; &#39;single&#39;"));
    CHECK_THAT(html, Catch::Contains("invalid utf8 \\xff\\xfe \\xc3"));
    CHECK_THAT(html, Catch::Contains("caf\xc3\xa9 \xe2\x9c\x93"));
    CHECK(tools::count(html, "<svg ") == findings.size());
}

TEST_CASE("to_html charts a live container's history", "[html]") {
    leakwatch::registry::reset();
    leakwatch::tracked_vector<int> queue{leakwatch::label{"html queue"}};
    for (int epoch = 0; epoch < 10; ++epoch) {
        queue.insert(queue.end(), 100, epoch);
        leakwatch::registry::snapshot();
    }
    const auto report = leakwatch::registry::report();
    const leakwatch::finding* f = nullptr;
    for (const auto& candidate : report.findings())
        if (candidate.label == "html queue") f = &candidate;
    REQUIRE(f != nullptr);
    const std::string html = report.to_html();
    const std::size_t chart = html.find("<polyline class=\"elements\" points=\"", html.find("html queue"));
    REQUIRE(chart != std::string::npos);
    const std::size_t begin = html.find('"', html.find("points=", chart)) + 1;
    const std::string points = html.substr(begin, html.find('"', begin) - begin);
    CHECK(tools::count(points, ",") == f->history.size());
    CHECK_THAT(html, Catch::Contains(">" + std::to_string(f->elements) + "</text>"));
}

TEST_CASE("headless chromium renders the charts and the labels as text", "[html][tools]") {
    tools::temp_dir dir("html");
    std::vector<leakwatch::finding> findings;
    for (const std::string& l : tools::hostile_labels()) findings.push_back(make(l, leakwatch::verdict::unbounded, 1));
    findings.push_back(make("plain bounded", leakwatch::verdict::bounded, 0));
    leakwatch::report_totals totals;
    totals.process.resident_bytes = 100 << 20;
    totals.tracked_bytes = 30 << 20;
    const std::string page = dir / "report.html";
    tools::write_file(page, leakwatch::growth_report(findings, totals).to_html());

    const std::string dom = chromium("--dump-dom 'file://" + page + "'", dir);
    INFO(dom.substr(0, 3000));
    REQUIRE_FALSE(dom.empty());
    CHECK(tools::count(dom, "<svg ") == findings.size());
    CHECK(tools::count(dom, "<polyline class=\"elements\"") == findings.size());
    CHECK(tools::count(dom, "<polyline class=\"bytes\"") == findings.size());
    CHECK(tools::count(dom, "<section class=\"finding unbounded\"") == findings.size() - 1);
    // Labels arrived as text: serialized escaped again, and no element came from them.
    const std::string lowered = lower(dom);
    CHECK(lowered.find("<script") == std::string::npos);
    CHECK(lowered.find("<img") == std::string::npos);
    CHECK(lowered.find("<b>") == std::string::npos);
    CHECK_THAT(dom, Catch::Contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    CHECK_THAT(dom, Catch::Contains("&lt;/svg&gt;&lt;img src=x onerror=alert(2)&gt;"));
    CHECK_THAT(dom, Catch::Contains("tracked_map&lt;int, std::string&gt;"));
    CHECK_THAT(dom, Catch::Contains("30.0 MiB") && Catch::Contains("100.0 MiB"));

    const std::string screenshot = dir / "report.png";
    chromium("--hide-scrollbars --window-size=1100,900 --screenshot='" + screenshot + "' 'file://" + page + "'", dir);
    const std::string png = tools::read_file(screenshot);
    REQUIRE(png.size() > 1000);
    CHECK(png.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
}
