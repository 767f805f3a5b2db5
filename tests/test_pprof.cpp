// to_pprof(): the profile.proto encoding (decoded here by a small reader), one sample per
// finding at its creation site with its labels; creation stacks (this file is built with
// LEAKWATCH_CAPTURE_STACKS, and its executable exports its symbols so that dladdr() names
// them); and `go tool pprof` (Debian `golang-go`) reading the profile: -top, -lines,
// -traces and -raw.
#define LEAKWATCH_CAPTURE_STACKS 1
#include <leakwatch/leakwatch.hpp>

#include <catch2/catch.hpp>

#include "external_tools.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

// Out of line and with external linkage, so that the creation stack has a frame of its
// own that dladdr() can name.
[[gnu::noinline]] std::unique_ptr<leakwatch::tracked_map<int, std::string>> make_leaky_sessions();
std::unique_ptr<leakwatch::tracked_map<int, std::string>> make_leaky_sessions() {
    return std::unique_ptr<leakwatch::tracked_map<int, std::string>>(
        new leakwatch::tracked_map<int, std::string>(leakwatch::label{"leaky sessions"}));
}

namespace {

// --- a small protobuf reader ---------------------------------------------------------------

struct field {
    unsigned number = 0;
    unsigned wire = 0;
    std::uint64_t value = 0;  // varint
    std::string bytes;        // length-delimited
};

std::uint64_t read_varint(const std::string& data, std::size_t& at) {
    std::uint64_t value = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        REQUIRE(at < data.size());
        const auto byte = static_cast<unsigned char>(data[at++]);
        value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
        if ((byte & 0x80) == 0) return value;
    }
    FAIL("varint longer than ten bytes");
    return 0;
}

std::vector<field> decode(const std::string& data) {
    std::vector<field> out;
    std::size_t at = 0;
    while (at < data.size()) {
        field f;
        const std::uint64_t key = read_varint(data, at);
        f.number = static_cast<unsigned>(key >> 3);
        f.wire = static_cast<unsigned>(key & 7);
        REQUIRE(f.number != 0);
        if (f.wire == 0) {
            f.value = read_varint(data, at);
        } else if (f.wire == 2) {
            const std::uint64_t length = read_varint(data, at);
            REQUIRE(at + length <= data.size());
            f.bytes = data.substr(at, static_cast<std::size_t>(length));
            at += static_cast<std::size_t>(length);
        } else {
            FAIL("unexpected wire type " << f.wire);
        }
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<std::uint64_t> varints(const field& f) {
    if (f.wire == 0) return {f.value};
    std::vector<std::uint64_t> out;
    std::size_t at = 0;
    while (at < f.bytes.size()) out.push_back(read_varint(f.bytes, at));
    return out;
}

std::uint64_t scalar(const std::vector<field>& message, unsigned number) {
    for (const field& f : message)
        if (f.number == number) return f.value;
    return 0;
}

struct profile_view {
    std::vector<std::string> strings;
    std::vector<std::pair<std::string, std::string>> sample_types;
    std::string default_sample_type;
    struct sample {
        std::vector<std::uint64_t> locations;
        std::vector<std::int64_t> values;
        std::map<std::string, std::string> labels;
        std::map<std::string, std::int64_t> numbers;
    };
    std::vector<sample> samples;
    struct line {
        std::string function, file;
        std::int64_t number = 0;
    };
    struct location {
        std::uint64_t mapping = 0, address = 0;
        std::vector<line> lines;
    };
    std::map<std::uint64_t, location> locations;
    std::map<std::uint64_t, std::string> mappings;  // id -> file
};

profile_view read_profile(const std::string& data) {
    const std::vector<field> top = decode(data);
    profile_view p;
    for (const field& f : top)
        if (f.number == 6) p.strings.push_back(f.bytes);
    REQUIRE_FALSE(p.strings.empty());
    REQUIRE(p.strings[0].empty());
    const auto text = [&](std::uint64_t index) -> std::string {
        REQUIRE(index < p.strings.size());
        return p.strings[static_cast<std::size_t>(index)];
    };
    std::map<std::uint64_t, std::vector<field>> functions;
    for (const field& f : top) {
        if (f.number == 5) {
            const auto fn = decode(f.bytes);
            REQUIRE(functions.emplace(scalar(fn, 1), fn).second);
        }
    }
    for (const field& f : top) {
        switch (f.number) {
            case 1: {
                const auto type = decode(f.bytes);
                p.sample_types.emplace_back(text(scalar(type, 1)), text(scalar(type, 2)));
                break;
            }
            case 2: {
                profile_view::sample s;
                for (const field& sf : decode(f.bytes)) {
                    if (sf.number == 1)
                        for (auto v : varints(sf)) s.locations.push_back(v);
                    if (sf.number == 2)
                        for (auto v : varints(sf)) s.values.push_back(static_cast<std::int64_t>(v));
                    if (sf.number == 3) {
                        const auto label = decode(sf.bytes);
                        const std::string key = text(scalar(label, 1));
                        if (scalar(label, 2) != 0) s.labels[key] = text(scalar(label, 2));
                        else s.numbers[key] = static_cast<std::int64_t>(scalar(label, 3));
                    }
                }
                p.samples.push_back(std::move(s));
                break;
            }
            case 3: {
                const auto mapping = decode(f.bytes);
                p.mappings[scalar(mapping, 1)] = text(scalar(mapping, 5));
                break;
            }
            case 4: {
                const auto location = decode(f.bytes);
                profile_view::location l;
                l.mapping = scalar(location, 2);
                l.address = scalar(location, 3);
                for (const field& lf : location) {
                    if (lf.number != 4) continue;
                    const auto line = decode(lf.bytes);
                    const auto fn = functions.find(scalar(line, 1));
                    REQUIRE(fn != functions.end());
                    l.lines.push_back({text(scalar(fn->second, 2)), text(scalar(fn->second, 4)),
                                       static_cast<std::int64_t>(scalar(line, 2))});
                }
                REQUIRE(p.locations.emplace(scalar(location, 1), l).second);
                break;
            }
            case 14: p.default_sample_type = text(f.value); break;
            default: break;
        }
    }
    for (const auto& s : p.samples)
        for (auto id : s.locations) REQUIRE(p.locations.count(id) == 1);
    for (const auto& l : p.locations)
        if (l.second.mapping != 0) REQUIRE(p.mappings.count(l.second.mapping) == 1);
    return p;
}

leakwatch::finding make(const std::string& label, leakwatch::verdict v, std::size_t elements) {
    leakwatch::finding f;
    f.label = label;
    f.type = "tracked_map<int, std::string>";
    f.site = leakwatch::source_site{"src/sessions.cpp", 42, "open_session"};
    f.instances = 3;
    f.kind = leakwatch::finding_kind::site;
    f.elements = elements;
    f.bytes = elements * 64;
    f.bytes_per_epoch = -12.4;
    f.verdict = v;
    return f;
}

std::string pprof(const std::string& arguments, const std::string& profile, const tools::temp_dir& dir) {
    const std::string go = tools::require_tool("go", "golang-go");
    const auto result = tools::run("HOME='" + dir.path() + "' PPROF_TMPDIR='" + dir.path() + "' '" + go +
                                       "' tool pprof " + arguments + " '" + profile + "'",
                                   dir.path());
    INFO("go tool pprof " << arguments << "\nstdout:\n" << result.output << "\nstderr:\n" << result.errors);
    REQUIRE(result.status == 0);
    CHECK(result.errors.find("rror") == std::string::npos);
    return result.output;
}

}  // namespace

TEST_CASE("to_pprof encodes sample types, one sample per finding at its creation site, and labels", "[pprof]") {
    std::vector<leakwatch::finding> findings{make("sessions", leakwatch::verdict::unbounded, 100),
                                             make("cache", leakwatch::verdict::bounded, 5)};
    for (const std::string& l : tools::hostile_labels()) findings.push_back(make(l, leakwatch::verdict::growing, 1));
    const leakwatch::growth_report report(findings, {});
    const profile_view p = read_profile(report.to_pprof());

    REQUIRE(p.sample_types.size() == 3);
    CHECK(p.sample_types[0] == std::make_pair(std::string("elements"), std::string("count")));
    CHECK(p.sample_types[1] == std::make_pair(std::string("bytes"), std::string("bytes")));
    CHECK(p.sample_types[2] == std::make_pair(std::string("growth"), std::string("bytes")));
    CHECK(p.default_sample_type == "bytes");
    REQUIRE(p.samples.size() == findings.size());

    const auto& first = p.samples[0];  // worst first: the unbounded "sessions"
    CHECK(first.values == std::vector<std::int64_t>{100, 6400, -12});
    CHECK(first.labels.at("label") == "sessions");
    CHECK(first.labels.at("type") == "tracked_map<int, std::string>");
    CHECK(first.labels.at("verdict") == "unbounded");
    CHECK(first.labels.at("kind") == "site");
    CHECK(first.labels.at("site") == "src/sessions.cpp:42");
    CHECK(first.numbers.at("instances") == 3);
    REQUIRE(first.locations.size() == 2);
    const auto& leaf = p.locations.at(first.locations[0]).lines.at(0);
    CHECK(leaf.function == "tracked_map<int, std::string> \"sessions\"");
    CHECK(leaf.file == "src/sessions.cpp");
    CHECK(leaf.number == 42);
    const auto& site = p.locations.at(first.locations[1]).lines.at(0);
    CHECK(site.function == "open_session");
    CHECK(site.file == "src/sessions.cpp");
    CHECK(site.number == 42);

    // Every string is valid UTF-8 without control characters: no label forges a report line.
    for (const std::string& s : p.strings) {
        CHECK(tools::valid_utf8(s));
        for (char c : s) CHECK((static_cast<unsigned char>(c) >= 0x20 && c != 0x7F));
    }
}

TEST_CASE("go tool pprof -top, -lines and -traces name the sites and labels", "[pprof][tools]") {
    tools::temp_dir dir("pprof");
    leakwatch::tracked_map<int, int> requests{leakwatch::label{"pprof requests"}};
    const unsigned line = __LINE__ - 1;
    for (int epoch = 0; epoch < 8; ++epoch) {
        for (int i = 0; i < 100; ++i) requests[epoch * 100 + i] = i;
        leakwatch::registry::snapshot();
    }
    const std::string live = dir / "live.pb";
    tools::write_file(live, leakwatch::registry::report().to_pprof());
    const std::string site = "test_pprof.cpp:" + std::to_string(line);

    const std::string top = pprof("-top", live, dir);
    CHECK_THAT(top, Catch::Contains("Type: bytes"));
    CHECK_THAT(top, Catch::Contains("\"pprof requests\""));
    const std::string lines = pprof("-lines -top", live, dir);
    CHECK_THAT(lines, Catch::Contains("\"pprof requests\"") && Catch::Contains(site));
    const std::string elements = pprof("-sample_index=elements -top", live, dir);
    CHECK_THAT(elements, Catch::Contains("Type: elements"));
    const std::string traces = pprof("-traces", live, dir);
    CHECK_THAT(traces, Catch::Contains("label:  pprof requests"));
    CHECK_THAT(traces, Catch::Contains("type:  tracked_map<int, int>"));
    CHECK_THAT(traces, Catch::Contains("site:  " ));
    CHECK_THAT(traces, Catch::Contains(site));
    CHECK_THAT(traces, Catch::Contains("instances:  1"));

    // Hostile labels: pprof reads the profile and prints them escaped, on one line each.
    std::vector<leakwatch::finding> findings;
    for (const std::string& l : tools::hostile_labels()) findings.push_back(make(l, leakwatch::verdict::unbounded, 7));
    const std::string hostile = dir / "hostile.pb";
    tools::write_file(hostile, leakwatch::growth_report(findings, {}).to_pprof());
    const std::string hostile_traces = pprof("-traces", hostile, dir);
    CHECK(tools::valid_utf8(hostile_traces));
    CHECK(hostile_traces.find('\x1b') == std::string::npos);
    CHECK(hostile_traces.find('\x07') == std::string::npos);
    CHECK_THAT(hostile_traces, Catch::Contains("quote\" backslash\\\\ newline\\n tab\\t"));
    CHECK_THAT(hostile_traces, Catch::Contains("<script>alert(1)</script>"));
    CHECK_THAT(hostile_traces, Catch::Contains("verdict:  unbounded"));
}

TEST_CASE("creation stacks are captured and shown symbolized in to_text", "[pprof][stacks]") {
    REQUIRE(leakwatch::captures_stacks());
    auto sessions = make_leaky_sessions();
    for (int epoch = 0; epoch < 8; ++epoch) {
        for (int i = 0; i < 50; ++i) (*sessions)[epoch * 50 + i] = "s";
        leakwatch::registry::snapshot();
    }
    const auto report = leakwatch::registry::report();
    const leakwatch::finding* found = nullptr;
    for (const auto& f : report.findings())
        if (f.label == "leaky sessions") found = &f;
    REQUIRE(found != nullptr);
    REQUIRE_FALSE(found->stack.empty());
    CHECK(found->stack.size() <= 32);
    const std::string text = report.to_text();
    INFO(text);
    CHECK_THAT(text, Catch::Contains("creation stack of ") && Catch::Contains("\"leaky sessions\":"));
    CHECK_THAT(text, Catch::Contains("#0 make_leaky_sessions"));
    // leakwatch's own registration frames are left out.
    const std::size_t header = text.find("\"leaky sessions\":\n");
    REQUIRE(header != std::string::npos);
    const std::string first_frame = text.substr(header, text.find('\n', text.find("#0 ", header)) - header);
    CHECK(first_frame.find("leakwatch::") == std::string::npos);
}

TEST_CASE("go tool pprof symbolizes creation stacks against the binary", "[pprof][tools][stacks]") {
    tools::temp_dir dir("pprof-stacks");
    auto sessions = make_leaky_sessions();
    for (int epoch = 0; epoch < 6; ++epoch) {
        for (int i = 0; i < 50; ++i) (*sessions)[epoch * 50 + i] = "s";
        leakwatch::registry::snapshot();
    }
    const std::string profile = dir / "stacks.pb";
    tools::write_file(profile, leakwatch::registry::report().to_pprof());

    const std::string traces = pprof("-traces", profile, dir);
    CHECK_THAT(traces, Catch::Contains("\"leaky sessions\""));
    CHECK_THAT(traces, Catch::Contains("make_leaky_sessions"));
    CHECK_THAT(traces, Catch::Contains("main"));
    // The mappings come from /proc/self/maps: pprof finds this very binary and symbolizes
    // frames in it from its debug information (file:line).
    // pprof marks a mapping it symbolized with what it found ([FN] functions, [FL] file names,
    // [LN] line numbers).
    const std::string raw = pprof("-raw", profile, dir);
    const std::string executable = std::filesystem::read_symlink("/proc/self/exe").string();
    const std::size_t mapping = raw.find(" " + executable);
    REQUIRE(mapping != std::string::npos);
    const std::string mapping_line = raw.substr(mapping, raw.find('\n', mapping) - mapping);
    INFO(mapping_line);
    CHECK((mapping_line.find("[FL]") != std::string::npos || mapping_line.find("[FN]") != std::string::npos));
}
