// tests/test_hostile.cpp — bad options and hostile input.
//
//   - Every invalid option is rejected with std::invalid_argument whose message names it:
//     growth_options (epochs, warmup_epochs), every detector_options threshold, analysis_options,
//     periodic_reporter's interval and sink, whichever entry point receives them.
//   - Labels, type names, file paths and function names holding quotes, backslashes, newlines,
//     control characters, markup and invalid UTF-8 — given to live tracked containers, so they
//     travel the whole way through the registry — come out escaped and valid in every format:
//     text (one line per finding, no control character, valid UTF-8), JSON (tests/json_check.hpp
//     parses it; strings round-trip, invalid bytes as U+FFFD), the assertion failure message,
//     the reporter's default sink, Prometheus (a structural check of the exposition format;
//     promtool in the [tools] case), HTML (no tag from user text) and pprof (a valid UTF-8
//     string table; go tool pprof in the [tools] case).
//   - Unwritable output paths make write_file_atomically() throw std::system_error naming the
//     path, and leave nothing half-written: no temporary file, and an existing target intact
//     even when the write fails half-way (a file size limit, in a child process).
#include <leakwatch/leakwatch.hpp>

#include "external_tools.hpp"
#include "json_check.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

// Types whose readable names are hostile: "tracked_vector<script>", "tag<'\"'>", "tag<'\\'>".
struct script {};
template <char C>
struct tag {};

namespace {

// ---- options ---------------------------------------------------------------------------------

// Runs `f`, which must throw std::invalid_argument whose message contains `name`.
template <class F>
std::string rejection(F&& f) {
    try {
        f();
    } catch (const std::invalid_argument& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("(wrong exception type) ") + e.what();
    }
    return "(nothing thrown)";
}

struct bad_detector_option {
    const char* name;
    std::function<void(leakwatch::detector_options&)> spoil;
};

std::vector<bad_detector_option> bad_detector_options() {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    using o = leakwatch::detector_options;
    return {
        {"window", [](o& d) { d.window = 0; }},
        {"window", [](o& d) { d.window = 3; }},
        {"window", [](o& d) { d.window = std::numeric_limits<std::size_t>::max(); }},
        {"min_samples", [](o& d) { d.min_samples = 0; }},
        {"min_samples", [](o& d) { d.min_samples = d.window + 1; }},
        {"recent_epochs", [](o& d) { d.recent_epochs = 0; }},
        {"recent_epochs", [](o& d) { d.recent_epochs = d.window; }},
        {"min_new_highs", [](o& d) { d.min_new_highs = 0; }},
        {"min_new_highs", [](o& d) { d.min_new_highs = d.window; }},
        {"new_high_tolerance", [](o& d) { d.new_high_tolerance = -0.1; }},
        {"new_high_tolerance", [nan](o& d) { d.new_high_tolerance = nan; }},
        {"new_high_tolerance", [inf](o& d) { d.new_high_tolerance = inf; }},
        {"min_trend", [](o& d) { d.min_trend = -0.5; }},
        {"min_trend", [](o& d) { d.min_trend = 0; }},
        {"min_trend", [](o& d) { d.min_trend = 1.5; }},
        {"min_trend", [nan](o& d) { d.min_trend = nan; }},
        {"min_trend_z", [](o& d) { d.min_trend_z = -1; }},
        {"min_trend_z", [inf](o& d) { d.min_trend_z = -inf; }},
        {"min_floor_rise", [](o& d) { d.min_floor_rise = -0.3; }},
        {"min_floor_rise", [nan](o& d) { d.min_floor_rise = nan; }},
        {"min_ceiling_rise", [](o& d) { d.min_ceiling_rise = -0.15; }},
        {"min_ceiling_rise", [](o& d) { d.min_ceiling_rise = 1.01; }},
        {"growing_breakout", [](o& d) { d.growing_breakout = 0; }},
        {"growing_breakout", [](o& d) { d.growing_breakout = -2; }},
        {"bytes_window", [](o& d) { d.bytes_window = 0; }},
        {"bytes_window", [](o& d) { d.bytes_window = 1u << 20; }},
        {"capacity_step_ratio", [](o& d) { d.capacity_step_ratio = 1.0; }},
        {"capacity_step_ratio", [](o& d) { d.capacity_step_ratio = -1.3; }},
        {"min_capacity_steps", [](o& d) { d.min_capacity_steps = 0; }},
        {"min_capacity_steps", [](o& d) { d.min_capacity_steps = d.bytes_window; }},
        {"capacity_stall_factor", [](o& d) { d.capacity_stall_factor = 0.5; }},
        {"capacity_stall_factor", [](o& d) { d.capacity_stall_factor = -2; }},
        {"capacity_stall_factor", [inf](o& d) { d.capacity_stall_factor = inf; }},
    };
}

// ---- hostile strings --------------------------------------------------------------------------

// Labels that try to break out of every format.
std::vector<std::string> hostile_labels() {
    std::vector<std::string> labels = tools::hostile_labels();
    labels.push_back("line one\nline two\r\nline three");
    labels.push_back("back\\slash \\n \\\" \\u0000 \\x41");
    labels.push_back("overlong \xc0\xaf surrogate \xed\xa0\x80 beyond \xf4\x90\x80\x80 truncated \xe2\x82");
    labels.push_back("<!-- --> <![CDATA[ ]]> ]]> {{ }} ${x} `x` %s %n");
    labels.push_back("\x7f del \x01\x02\x03 \x1b]0;title\x07");
    return labels;
}

// Creation sites with hostile paths and function names (static storage: the registry keeps
// the pointers for as long as the site exists).
const leakwatch::source_site hostile_sites[] = {
    {"dir with \"quotes\"/and\\backslashes\\n/x.cpp", 11, "fn\"quoted\""},
    {"line\nbreak/<script>alert('path')</script>.cpp", 22, "<script>fn</script>"},
    {"ctl\x01\x1b[2J\x7f/invalid\xff\xfe/utf8\xc3.cpp", 33, "bad\xffutf8\x1b[31m"},
    {"</svg><img src=x onerror=alert(3)>.cpp", 44, "operator<<(std::ostream&, \"x\")"},
};

bool has_control_bytes(const std::string& text, const std::string& allowed) {
    for (unsigned char c : text)
        if ((c < 0x20 || c == 0x7f) && allowed.find(static_cast<char>(c)) == std::string::npos) return true;
    return false;
}

std::size_t count_lines(const std::string& text) {
    std::size_t n = 0;
    for (char c : text) n += c == '\n';
    return n;
}

std::string lower(std::string text) {
    for (char& c : text)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return text;
}

// A registry report over live containers carrying every hostile label, site and type name.
struct hostile_containers {
    std::vector<std::unique_ptr<leakwatch::tracked_map<int, int>>> labelled;
    std::vector<std::unique_ptr<leakwatch::tracked_vector<int>>> sited;
    // Each at a site of its own (a site with several containers is reported as one finding).
    leakwatch::tracked_vector<script> scripts{leakwatch::label{"<script>type</script>", here(__LINE__)}};
    leakwatch::tracked_list<tag<'"'>> quotes{leakwatch::label{"", here(__LINE__)}};
    leakwatch::tracked_deque<tag<'\\'>> backslashes{leakwatch::label{"", here(__LINE__)}};
    leakwatch::tracked_ordered_set<int> newline_label{leakwatch::label{"\n", here(__LINE__)}};
    std::vector<int, leakwatch::tracking_allocator<int>> channel{
        leakwatch::tracking_allocator<int>{leakwatch::label{"channel \"\x01\xff<b>", here(__LINE__)}}};

    static leakwatch::source_site here(unsigned line) { return leakwatch::source_site{__FILE__, line, "member"}; }

    hostile_containers() {
        int key = 0;
        for (const std::string& l : hostile_labels()) {
            // Lines past the end of this file: one site per label.
            labelled.emplace_back(new leakwatch::tracked_map<int, int>(
                leakwatch::label{l, here(100000 + static_cast<unsigned>(key))}));
            ++key;
            (*labelled.back())[key] = key;
        }
        for (const leakwatch::source_site& site : hostile_sites) {
            sited.emplace_back(new leakwatch::tracked_vector<int>(leakwatch::label{"sited", site}));
            sited.back()->push_back(1);
        }
        scripts.emplace_back();
        quotes.emplace_back();
        backslashes.emplace_back();
        channel.push_back(1);
    }
};

// Findings built by hand: every string field hostile, so no path through the registry can
// sanitise anything before the formats see it.
leakwatch::growth_report synthetic_hostile_report() {
    std::vector<leakwatch::finding> findings;
    const std::vector<std::string> texts = hostile_labels();
    for (std::size_t i = 0; i < texts.size(); ++i) {
        leakwatch::finding f;
        f.label = texts[i];
        f.type = "type " + texts[(i + 1) % texts.size()];
        f.site = hostile_sites[i % (sizeof hostile_sites / sizeof hostile_sites[0])];
        f.instances = 1 + i % 3;
        f.kind = i % 3 == 0 ? leakwatch::finding_kind::site
                            : (i % 3 == 1 ? leakwatch::finding_kind::container : leakwatch::finding_kind::channel);
        f.elements = 10 * i;
        f.bytes = 100 * i;
        f.elements_per_epoch = 1.5;
        f.bytes_per_epoch = 12;
        f.verdict = leakwatch::verdict::unbounded;
        f.confidence = 0.9;
        for (std::uint64_t e = 1; e <= 8; ++e) f.history.push_back({e, 1, e * i, e * i * 10});
        findings.push_back(f);
    }
    leakwatch::report_totals totals;
    totals.epoch = 8;
    totals.live_containers = findings.size();
    return leakwatch::growth_report(findings, totals);
}

void check_text(const std::string& text, const leakwatch::growth_report& report) {
    CHECK(tools::valid_utf8(text));
    CHECK_FALSE(has_control_bytes(text, "\n"));
    // One summary line, one header line, one line per finding: no label forges a row. (Plus
    // the resident breakdown's line and the untracked-growth line, when the report has them.)
    const std::size_t extra = (report.totals().untracked_growth ? 1 : 0) +
                              (report.totals().process.breakdown.available ? 1 : 0);
    CHECK(count_lines(text) == report.findings().size() + 2 + extra);
}

void check_json(const std::string& json, const leakwatch::growth_report& report) {
    CHECK(tools::valid_utf8(json));
    CHECK_FALSE(has_control_bytes(json, ""));
    CHECK(json.find('<') == std::string::npos);  // escaped, so the JSON can sit inside HTML
    json_check::value doc;
    REQUIRE_NOTHROW(doc = json_check::parse(json));
    const auto& findings = doc["findings"].items;
    REQUIRE(findings.size() == report.findings().size());
    // Every string round-trips, invalid bytes as U+FFFD.
    for (std::size_t i = 0; i < findings.size(); ++i) {
        const leakwatch::finding& f = report.findings()[i];
        CHECK(findings[i]["label"].text == leakwatch::detail::valid_utf8(f.label));
        CHECK(findings[i]["type"].text == leakwatch::detail::valid_utf8(f.type));
        CHECK(findings[i]["site"]["file"].text == leakwatch::detail::valid_utf8(f.site.file));
        CHECK(findings[i]["site"]["function"].text == leakwatch::detail::valid_utf8(f.site.function));
    }
}

// ---- Prometheus text format: a structural check ----------------------------------------------

// Checks one sample line: name{label="value",...} value — label values escape only \\, \" and
// \n; names follow the format's grammar. Returns what is wrong, or "".
std::string prometheus_line_problem(const std::string& line) {
    const auto name_start = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'; };
    const auto name_char = [&](char c) { return name_start(c) || (c >= '0' && c <= '9'); };
    std::size_t i = 0;
    if (i >= line.size() || !name_start(line[i])) return "metric name expected";
    while (i < line.size() && name_char(line[i])) ++i;
    if (i < line.size() && line[i] == '{') {
        ++i;
        while (i < line.size() && line[i] != '}') {
            if (!name_start(line[i]) || line[i] == ':') return "label name expected";
            while (i < line.size() && name_char(line[i])) ++i;
            if (i >= line.size() || line[i] != '=') return "'=' expected";
            if (++i >= line.size() || line[i] != '"') return "'\"' expected";
            ++i;
            for (;;) {
                if (i >= line.size()) return "unterminated label value";
                const char c = line[i++];
                if (c == '"') break;
                if (c == '\\') {
                    if (i >= line.size() || (line[i] != '\\' && line[i] != '"' && line[i] != 'n'))
                        return "bad escape in a label value";
                    ++i;
                }
            }
            if (i < line.size() && line[i] == ',') ++i;
            else if (i >= line.size() || line[i] != '}') return "',' or '}' expected";
        }
        if (i >= line.size()) return "'}' expected";
        ++i;
    }
    if (i >= line.size() || line[i] != ' ') return "space before the value expected";
    const std::string value = line.substr(i + 1);
    if (value == "NaN" || value == "+Inf" || value == "-Inf") return "";
    std::size_t used = 0;
    try {
        (void)std::stod(value, &used);
    } catch (const std::exception&) {
        return "value is not a number";
    }
    if (used != value.size()) {
        // A timestamp may follow.
        const std::string rest = value.substr(used);
        if (rest.size() < 2 || rest[0] != ' ' || rest.find_first_not_of("0123456789-", 1) != std::string::npos)
            return "trailing characters after the value";
    }
    return "";
}

void check_prometheus(const std::string& text) {
    CHECK(tools::valid_utf8(text));
    REQUIRE(!text.empty());
    CHECK(text.back() == '\n');
    std::size_t start = 0, samples = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        const std::string line = text.substr(start, end - start);
        start = end + 1;
        if (line.empty()) continue;
        if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) continue;
        INFO("line: " << line);
        CHECK(line[0] != '#');  // no other comment can appear: a label cannot start a line
        CHECK(prometheus_line_problem(line) == "");
        ++samples;
    }
    CHECK(samples > 0);
}

// ---- pprof: the string table of a profile.proto ---------------------------------------------

bool read_varint(const std::string& data, std::size_t& at, std::uint64_t& out) {
    out = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (at >= data.size()) return false;
        const auto byte = static_cast<unsigned char>(data[at++]);
        out |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
        if ((byte & 0x80) == 0) return true;
    }
    return false;
}

// The strings of field 6 (Profile.string_table); false when the message does not parse.
bool pprof_strings(const std::string& data, std::vector<std::string>& strings) {
    std::size_t at = 0;
    while (at < data.size()) {
        std::uint64_t key = 0, value = 0;
        if (!read_varint(data, at, key)) return false;
        switch (key & 7) {
            case 0:
                if (!read_varint(data, at, value)) return false;
                break;
            case 1:
                at += 8;
                break;
            case 2:
                if (!read_varint(data, at, value) || value > data.size() - at) return false;
                if ((key >> 3) == 6) strings.push_back(data.substr(at, value));
                at += value;
                break;
            case 5:
                at += 4;
                break;
            default:
                return false;
        }
        if (at > data.size()) return false;
    }
    return true;
}

}  // namespace

// ---- options ------------------------------------------------------------------------------------

TEST_CASE("growth_options: zero epochs and a warm-up not below the epochs are rejected, naming the option",
          "[hostile]") {
    int runs = 0;
    const auto workload = [&] { ++runs; };
    leakwatch::growth_options zero;
    zero.epochs = 0;
    zero.warmup_epochs = 0;
    CHECK_THAT(rejection([&] { zero.validate(); }), Catch::Contains("growth_options.epochs"));
    CHECK_THAT(rejection([&] { leakwatch::check_growth(workload, zero); }), Catch::Contains("growth_options.epochs"));

    for (std::size_t warmup : {std::size_t{16}, std::size_t{17}, std::numeric_limits<std::size_t>::max()}) {
        leakwatch::growth_options o;
        o.epochs = 16;
        o.warmup_epochs = warmup;
        CHECK_THAT(rejection([&] { leakwatch::check_growth(workload, o); }),
                   Catch::Contains("growth_options.warmup_epochs"));
    }
    leakwatch::growth_options one;
    one.epochs = 1;
    one.warmup_epochs = 1;
    CHECK_THAT(rejection([&] { leakwatch::check_growth(workload, one); }), Catch::Contains("warmup_epochs"));
    CHECK(runs == 0);  // rejected before the workload ran

    leakwatch::growth_options smallest;
    smallest.epochs = 1;
    smallest.warmup_epochs = 0;
    CHECK_NOTHROW(leakwatch::check_growth(workload, smallest));
    CHECK(runs == 1);
}

TEST_CASE("every detector_options threshold out of range is rejected, naming it, wherever it is given",
          "[hostile]") {
    const double series[] = {1, 2, 3, 4, 5, 6, 7, 8};
    for (const bad_detector_option& bad : bad_detector_options()) {
        leakwatch::detector_options d;
        bad.spoil(d);
        const std::string name = std::string("detector_options.") + bad.name;
        INFO("option " << bad.name);
        CHECK_THAT(rejection([&] { d.validate(); }), Catch::Contains(name));
        CHECK_THAT(rejection([&] { leakwatch::detect_growth(series, 8, leakwatch::series_kind::elements, d); }),
                   Catch::Contains(name));
        leakwatch::growth_options g;
        g.detector = d;
        int runs = 0;
        CHECK_THAT(rejection([&] { leakwatch::check_growth([&] { ++runs; }, g); }), Catch::Contains(name));
        CHECK(runs == 0);
        leakwatch::analysis_options a;
        a.detector = d;
        CHECK_THAT(rejection([&] { leakwatch::registry::report(a); }), Catch::Contains(name));
    }
    CHECK_NOTHROW(leakwatch::detector_options{}.validate());
}

TEST_CASE("analysis_options out of range are rejected, naming the option", "[hostile]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (double share : {-0.1, 1.5, nan}) {
        leakwatch::analysis_options a;
        a.explained_share = share;
        CHECK_THAT(rejection([&] { leakwatch::registry::report(a); }),
                   Catch::Contains("analysis_options.explained_share"));
    }
    for (double rate : {-1.0, nan}) {
        leakwatch::analysis_options a;
        a.min_untracked_bytes_per_epoch = rate;
        CHECK_THAT(rejection([&] { leakwatch::registry::report(a); }),
                   Catch::Contains("analysis_options.min_untracked_bytes_per_epoch"));
    }
    leakwatch::analysis_options fine;
    fine.explained_share = 1;
    fine.min_untracked_bytes_per_epoch = 0;
    CHECK_NOTHROW(leakwatch::registry::report(fine));
}

TEST_CASE("periodic_reporter rejects a zero, negative or sub-millisecond interval and an empty sink, naming them",
          "[hostile]") {
    const auto sink = [](const leakwatch::growth_report&) {};
    CHECK_THAT(rejection([&] { leakwatch::periodic_reporter r(std::chrono::milliseconds(0), sink); }),
               Catch::Contains("interval"));
    CHECK_THAT(rejection([&] { leakwatch::periodic_reporter r(std::chrono::seconds(-5), sink); }),
               Catch::Contains("interval"));
    CHECK_THAT(rejection([&] { leakwatch::periodic_reporter r(std::chrono::microseconds(500), sink); }),
               Catch::Contains("interval"));
    CHECK_THAT(rejection([&] { leakwatch::periodic_reporter r(std::chrono::hours::min(), sink); }),
               Catch::Contains("interval"));
    CHECK_THAT(rejection([&] { leakwatch::periodic_reporter r(std::chrono::seconds(1), leakwatch::report_sink()); }),
               Catch::Contains("sink"));
    CHECK_THAT(rejection([] { leakwatch::periodic_reporter r(std::chrono::nanoseconds(1)); }),
               Catch::Contains("interval"));
}

// ---- hostile strings ----------------------------------------------------------------------------

TEST_CASE("hostile labels, type names, paths and function names of live containers come out escaped and valid in "
          "text and JSON",
          "[hostile]") {
    hostile_containers live;
    for (int epoch = 0; epoch < 4; ++epoch) leakwatch::registry::snapshot();
    const leakwatch::growth_report report = leakwatch::registry::report();

    // They reached the report.
    std::size_t hostile_seen = 0;
    for (const leakwatch::finding& f : report.findings()) {
        for (const std::string& l : hostile_labels()) hostile_seen += f.label == l;
        if (f.type == "tracked_vector<script>") CHECK(f.label == "<script>type</script>");
    }
    CHECK(hostile_seen == hostile_labels().size());

    const std::string text = report.to_text();
    check_text(text, report);
    CHECK_THAT(text, Catch::Contains("line one\\nline two\\x0d\\nline three"));
    CHECK_THAT(text, Catch::Contains("line\\nbreak/<script>"));
    check_json(report.to_json(), report);
}

TEST_CASE("hand-made findings with every string hostile come out escaped and valid in text, JSON, the failure "
          "message and the reporter's default sink",
          "[hostile]") {
    const leakwatch::growth_report report = synthetic_hostile_report();
    check_text(report.to_text(), report);
    check_json(report.to_json(), report);

    const std::string message = leakwatch::failure_message(report);
    CHECK(tools::valid_utf8(message));
    CHECK_FALSE(has_control_bytes(message, "\n"));
    CHECK(count_lines(message) == 1 + 5 + 1);  // summary, the worst five, "... and N more"

    std::FILE* stream = std::tmpfile();
    REQUIRE(stream != nullptr);
    leakwatch::changed_findings_sink sink(stream);
    sink(report);
    std::rewind(stream);
    std::string printed;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, stream)) > 0;) printed.append(buffer, n);
    std::fclose(stream);
    CHECK(tools::valid_utf8(printed));
    CHECK_FALSE(has_control_bytes(printed, "\n"));
    CHECK(count_lines(printed) == 1 + report.findings().size());
}

TEST_CASE("hostile strings keep the Prometheus exposition format well formed", "[hostile][prometheus]") {
    hostile_containers live;
    check_prometheus(leakwatch::registry::report().to_prometheus());
    check_prometheus(synthetic_hostile_report().to_prometheus());
}

TEST_CASE("hostile strings cannot open a tag in the HTML page", "[hostile][html]") {
    leakwatch::growth_report benign;
    {
        std::vector<leakwatch::finding> plain = synthetic_hostile_report().findings();
        for (leakwatch::finding& f : plain) {
            f.label = "plain";
            f.type = "plain";
            f.site = leakwatch::source_site{"plain.cpp", 1, "plain"};
        }
        benign = leakwatch::growth_report(plain, {});
    }
    const std::string benign_html = lower(benign.to_html());
    for (const std::string& html : {synthetic_hostile_report().to_html(), [] {
                                        hostile_containers live;
                                        return leakwatch::registry::report().to_html();
                                    }()}) {
        CHECK(tools::valid_utf8(html));
        CHECK_FALSE(has_control_bytes(html, "\n\t"));
        const std::string page = lower(html);
        // Markup from user text never appears as markup.
        CHECK(tools::count(page, "<script") == tools::count(benign_html, "<script"));
        CHECK(tools::count(page, "<img") == 0);
        CHECK(tools::count(page, "<!--") == tools::count(benign_html, "<!--"));
        CHECK(tools::count(page, "<![cdata[") == 0);
        CHECK_THAT(page, Catch::Contains("&lt;script&gt;"));
    }
}

TEST_CASE("hostile strings leave the pprof string table valid UTF-8 without control characters",
          "[hostile][pprof]") {
    for (const std::string& profile : {synthetic_hostile_report().to_pprof(), [] {
                                           hostile_containers live;
                                           return leakwatch::registry::report().to_pprof();
                                       }()}) {
        std::vector<std::string> strings;
        REQUIRE(pprof_strings(profile, strings));
        REQUIRE(strings.size() > 1);
        CHECK(strings[0].empty());  // the format requires it
        for (const std::string& s : strings) {
            INFO("string: " << s);
            CHECK(tools::valid_utf8(s));
            CHECK_FALSE(has_control_bytes(s, ""));
        }
    }
}

TEST_CASE("promtool and go tool pprof read a live report full of hostile strings", "[hostile][tools]") {
    const std::string promtool = tools::require_tool("promtool", "prometheus");
    const std::string go = tools::require_tool("go", "golang-go");
    tools::temp_dir dir("hostile");
    hostile_containers live;
    for (int epoch = 0; epoch < 4; ++epoch) leakwatch::registry::snapshot();
    const leakwatch::growth_report report = leakwatch::registry::report();

    tools::write_file(dir / "report.prom", report.to_prometheus());
    const tools::command_result checked = tools::run("'" + promtool + "' check metrics < '" + (dir / "report.prom") + "'",
                                                      dir.path());
    INFO("promtool: " << checked.output << checked.errors);
    CHECK(checked.status == 0);

    tools::write_file(dir / "report.pb", report.to_pprof());
    const tools::command_result raw = tools::run("'" + go + "' tool pprof -raw '" + (dir / "report.pb") + "'", dir.path());
    INFO("pprof: " << raw.errors);
    CHECK(raw.status == 0);
    CHECK_FALSE(raw.output.empty());
}

// ---- unwritable paths ---------------------------------------------------------------------------

TEST_CASE("write_file_atomically to an unwritable path throws std::system_error naming it and leaves nothing behind",
          "[hostile][files]") {
    tools::temp_dir dir("unwritable");
    tools::write_file(dir / "a file", "a regular file");
    std::filesystem::create_directory(dir / "a directory");
    const std::vector<std::string> targets = {
        dir / "missing folder/report.json",           // the folder does not exist
        dir / "a file/report.json",                   // the "folder" is a file
        dir / "a directory",                          // the target is a directory
        dir / "no\"such\nfolder <script>\xff/x.json",  // hostile and missing
        dir / "",                                     // no file name
    };
    for (const std::string& target : targets) {
        INFO("target: " << leakwatch::detail::printable(target));
        std::string what;
        try {
            leakwatch::write_file_atomically(target, "{\"half\": \"written?\"}");
        } catch (const std::system_error& e) {
            what = e.what();
        }
        REQUIRE_FALSE(what.empty());
        CHECK_THAT(what, Catch::Contains(leakwatch::detail::printable(target)));
        CHECK(what.find('\n') == std::string::npos);
        // Nothing left in the folder but what was there.
        std::vector<std::string> entries;
        for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
            entries.push_back(entry.path().filename().string());
        std::sort(entries.begin(), entries.end());
        CHECK(entries == std::vector<std::string>{"a directory", "a file"});
        CHECK(std::filesystem::is_empty(dir / "a directory"));
        CHECK(tools::read_file(dir / "a file") == "a regular file");
    }
}

TEST_CASE("a write that fails half-way leaves the previous file intact and no temporary file", "[hostile][files]") {
    tools::temp_dir dir("half-written");
    const std::string target = dir / "report.json";
    tools::write_file(target, "previous report");
    // In a child: a file size limit makes the write fail after the first kilobyte.
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::alarm(60);
        ::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{1024, 1024};
        if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(10);
        int code = 0;
        try {
            leakwatch::write_file_atomically(target, std::string(1 << 20, 'x'));
            code = 11;  // it should have failed
        } catch (const std::system_error& e) {
            if (std::string(e.what()).find(target) == std::string::npos) code = 12;
        }
        ::_exit(code);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);  // 11: did not fail; 12: the message missed the path
    CHECK(tools::read_file(target) == "previous report");
    std::size_t entries = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        (void)entry;
        ++entries;
    }
    CHECK(entries == 1);
}
