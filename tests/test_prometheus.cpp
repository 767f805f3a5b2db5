// to_prometheus(): the exposition format's structure, escaping of hostile labels, unique
// label sets, the resident-memory gauge; then the real readers: `promtool check metrics`
// (Debian `prometheus`) and node_exporter's textfile collector (Debian
// `prometheus-node-exporter`) fed by a periodic_reporter file sink and scraped over HTTP.
#include <leakwatch/leakwatch.hpp>

#include <catch2/catch.hpp>

#include "external_tools.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace {

leakwatch::finding make(const std::string& label, leakwatch::verdict v, std::size_t elements) {
    leakwatch::finding f;
    f.label = label;
    f.type = "tracked_map<int, std::string>";
    f.site = leakwatch::source_site{"src/sessions.cpp", 42, "open_session"};
    f.instances = 1;
    f.elements = elements;
    f.bytes = elements * 64;
    f.elements_per_epoch = 12.5;
    f.bytes_per_epoch = 800;
    f.verdict = v;
    f.confidence = 0.9;
    f.history = {{1, 1, 10, 640}, {2, 1, 20, 1280}};
    return f;
}

struct sample {
    std::string name;
    std::map<std::string, std::string> labels;  // unescaped values
    std::string value;
};

struct exposition {
    std::vector<sample> samples;
    std::map<std::string, std::string> types;
    std::map<std::string, std::string> help;
};

// A strict reader of the 0.0.4 text format, enough to check what leakwatch writes: HELP and
// TYPE before a family's samples, families contiguous, only the three escapes in label
// values, no raw line feed. Fails the test on anything else.
exposition parse(const std::string& text) {
    exposition out;
    std::set<std::string> finished;
    std::string current;
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t end = text.find('\n', at);
        REQUIRE(end != std::string::npos);  // every line ends with a line feed
        const std::string line = text.substr(at, end - at);
        at = end + 1;
        INFO("line: " << line);
        REQUIRE_FALSE(line.empty());
        if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) {
            const std::string rest = line.substr(7);
            const std::size_t space = rest.find(' ');
            REQUIRE(space != std::string::npos);
            const std::string name = rest.substr(0, space);
            if (name != current) {
                REQUIRE(finished.count(name) == 0);  // a family appears once
                if (!current.empty()) finished.insert(current);
                current = name;
            }
            (line[2] == 'H' ? out.help : out.types)[name] = rest.substr(space + 1);
            continue;
        }
        REQUIRE(line[0] != '#');
        sample s;
        std::size_t i = 0;
        while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
        s.name = line.substr(0, i);
        if (i < line.size() && line[i] == '{') {
            ++i;
            while (line[i] != '}') {
                const std::size_t equals = line.find('=', i);
                REQUIRE(equals != std::string::npos);
                const std::string key = line.substr(i, equals - i);
                REQUIRE(line[equals + 1] == '"');
                std::string value;
                std::size_t k = equals + 2;
                for (;; ++k) {
                    REQUIRE(k < line.size());
                    if (line[k] == '"') break;
                    if (line[k] == '\\') {
                        ++k;
                        REQUIRE(k < line.size());
                        if (line[k] == 'n') value += '\n';
                        else if (line[k] == '\\' || line[k] == '"') value += line[k];
                        else FAIL("invalid escape \\" << line[k]);
                    } else {
                        value += line[k];
                    }
                }
                REQUIRE(s.labels.emplace(key, value).second);
                i = k + 1;
                if (line[i] == ',') ++i;
            }
            ++i;
        }
        REQUIRE(line[i] == ' ');
        s.value = line.substr(i + 1);
        REQUIRE_FALSE(s.value.empty());
        CHECK_NOTHROW(std::stod(s.value));
        // The family: the sample's name (a counter's samples carry its _total name too).
        REQUIRE(s.name == current);
        REQUIRE(out.help.count(s.name) == 1);
        REQUIRE(out.types.count(s.name) == 1);
        out.samples.push_back(std::move(s));
    }
    return out;
}

std::vector<sample> named(const exposition& e, const std::string& name) {
    std::vector<sample> out;
    for (const sample& s : e.samples)
        if (s.name == name) out.push_back(s);
    return out;
}

std::string check_metrics(const std::string& text, const tools::temp_dir& dir) {
    const std::string promtool = tools::require_tool("promtool", "prometheus");
    tools::write_file(dir / "metrics.prom", text);
    const auto result = tools::run("'" + promtool + "' check metrics < '" + (dir / "metrics.prom") + "'", dir.path());
    INFO("promtool output: " << result.output << result.errors);
    CHECK(result.status == 0);
    CHECK(result.output.empty());
    CHECK(result.errors.empty());
    return result.output + result.errors;
}

// --- node_exporter -----------------------------------------------------------------------

// A loopback port nobody listens on right now.
unsigned short free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    ::close(fd);
    return ntohs(address.sin_port);
}

// GET http://127.0.0.1:port/path (HTTP/1.0: the server closes after the response); the body,
// or empty when nothing answers.
std::string http_get(unsigned short port, const std::string& path) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return std::string();
    timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    std::string response;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
        const std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/plain\r\n\r\n";
        if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
            char buffer[8192];
            ssize_t got = 0;
            while ((got = ::recv(fd, buffer, sizeof buffer, 0)) > 0) response.append(buffer, static_cast<std::size_t>(got));
        }
    }
    ::close(fd);
    const std::size_t body = response.find("\r\n\r\n");
    if (response.rfind("HTTP/1.", 0) != 0 || response.find(" 200 ") == std::string::npos || body == std::string::npos)
        return std::string();
    return response.substr(body + 4);
}

// The exporter process, stopped (SIGTERM, then SIGKILL) when the test leaves, passing or not.
class child_process {
public:
    child_process(const std::vector<std::string>& arguments, const std::string& log) {
        std::vector<char*> argv;
        for (const std::string& a : arguments) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        const int error = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (error != 0) pid_ = -1;
    }
    ~child_process() { stop(); }
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    bool started() const noexcept { return pid_ > 0; }
    bool running() {
        if (pid_ <= 0) return false;
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return false;
        }
        return true;
    }
    void stop() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        for (int i = 0; i < 500; ++i) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }

private:
    pid_t pid_ = -1;
};

}  // namespace

TEST_CASE("to_prometheus writes HELP and TYPE for every family and gauges per finding", "[prometheus]") {
    leakwatch::report_totals totals;
    totals.epoch = 7;
    totals.tracked_bytes = 4096;
    totals.live_containers = 2;
    totals.process.resident_bytes = 1 << 20;
    totals.process.peak_resident_bytes = 2 << 20;
    totals.process.heap_in_use_bytes = 512 << 10;
    totals.registry.sites = 2;
    totals.registry.snapshots = 7;
    leakwatch::finding read_recently = make("cache", leakwatch::verdict::bounded, 5);
    read_recently.epochs_since_read = 3;
    const leakwatch::growth_report report({make("sessions", leakwatch::verdict::unbounded, 300), read_recently}, totals);
    const std::string text = report.to_prometheus();
    const exposition e = parse(text);

    for (const auto& type : e.types) {
        CHECK(type.first.rfind("leakwatch_", 0) == 0);
        CHECK((type.second == "gauge" || type.second == "counter"));
        if (type.second == "counter") CHECK(type.first.size() > 6);
        if (type.second == "counter") CHECK(type.first.compare(type.first.size() - 6, 6, "_total") == 0);
    }
    const auto elements = named(e, "leakwatch_finding_elements");
    REQUIRE(elements.size() == 2);
    CHECK(elements[0].labels.at("label") == "sessions");
    CHECK(elements[0].labels.at("type") == "tracked_map<int, std::string>");
    CHECK(elements[0].labels.at("site") == "src/sessions.cpp:42");
    CHECK(elements[0].labels.at("kind") == "container");
    CHECK(elements[0].value == "300");
    CHECK(named(e, "leakwatch_finding_bytes")[0].value == "19200");
    CHECK(named(e, "leakwatch_finding_elements_per_epoch")[0].value == "12.5");
    CHECK(named(e, "leakwatch_finding_bytes_per_epoch")[0].value == "800");
    CHECK(named(e, "leakwatch_finding_unbounded")[0].value == "1");
    CHECK(named(e, "leakwatch_finding_unbounded")[1].value == "0");
    CHECK(named(e, "leakwatch_finding_instances")[0].value == "1");
    // Never read: no epochs-since-read sample, never_read says 1.
    const auto since_read = named(e, "leakwatch_finding_epochs_since_read");
    REQUIRE(since_read.size() == 1);
    CHECK(since_read[0].labels.at("label") == "cache");
    CHECK(since_read[0].value == "3");
    CHECK(named(e, "leakwatch_finding_never_read")[0].value == "1");
    CHECK(named(e, "leakwatch_finding_never_read")[1].value == "0");
    // Totals.
    CHECK(named(e, "leakwatch_process_resident_memory_bytes")[0].value == "1048576");
    CHECK(named(e, "leakwatch_process_resident_memory_peak_bytes")[0].value == "2097152");
    CHECK(named(e, "leakwatch_process_heap_in_use_bytes")[0].value == "524288");
    CHECK(named(e, "leakwatch_tracked_bytes")[0].value == "4096");
    CHECK(named(e, "leakwatch_live_containers")[0].value == "2");
    CHECK(named(e, "leakwatch_registry_sites")[0].value == "2");
    CHECK(named(e, "leakwatch_registry_snapshots_total")[0].value == "7");
    CHECK(named(e, "leakwatch_untracked_resident_growth")[0].value == "0");
    CHECK(named(e, "leakwatch_findings").size() == 3);
}

TEST_CASE("to_prometheus escapes hostile labels and keeps label sets unique", "[prometheus]") {
    const std::vector<std::string> labels = tools::hostile_labels();
    std::vector<leakwatch::finding> findings;
    for (const std::string& l : labels) findings.push_back(make(l, leakwatch::verdict::unbounded, 10));
    // Two findings with the same label, type, site and kind.
    findings.push_back(make("twin", leakwatch::verdict::bounded, 1));
    findings.push_back(make("twin", leakwatch::verdict::bounded, 2));
    leakwatch::finding hostile_site = make("site", leakwatch::verdict::growing, 1);
    hostile_site.site.file = "dir\"with\\odd\nname\xff.cpp";
    hostile_site.type = "tracked_vector<\"quoted\">";
    findings.push_back(hostile_site);
    const std::string text = leakwatch::growth_report(findings, {}).to_prometheus();

    CHECK(tools::valid_utf8(text));
    const exposition e = parse(text);  // no raw line feed, only valid escapes
    const auto elements = named(e, "leakwatch_finding_elements");
    REQUIRE(elements.size() == findings.size());
    std::set<std::map<std::string, std::string>> label_sets;
    for (const sample& s : elements) label_sets.insert(s.labels);
    CHECK(label_sets.size() == findings.size());

    std::set<std::string> values;
    for (const sample& s : elements) values.insert(s.labels.at("label"));
    CHECK(values.count(labels[0]) == 1);  // quotes, backslashes, newline, tab round-trip exactly
    CHECK(values.count(labels[1]) == 1);
    CHECK(values.count(labels[2]) == 1);
    CHECK(values.count(labels[5]) == 1);
    CHECK(values.count("invalid utf8 \xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD") == 1);
    bool odd_site = false;
    for (const sample& s : elements)
        odd_site = odd_site || s.labels.at("site") == "dir\"with\\odd\nname\xEF\xBF\xBD.cpp:42";
    CHECK(odd_site);
    CHECK_THAT(text, Catch::Contains("duplicate=\"1\""));
}

TEST_CASE("to_prometheus says when resident memory grows without a tracked container explaining it",
          "[prometheus]") {
    leakwatch::registry::reset();
    std::vector<std::vector<char>> untracked;
    const auto start = leakwatch::registry::current_epoch();
    for (int epoch = 0; epoch < 16; ++epoch) {
        untracked.emplace_back(8u << 20, static_cast<char>(epoch + 1));  // 8 MiB touched per epoch
        leakwatch::registry::snapshot();
    }
    const auto report = leakwatch::registry::report_since(start);
    REQUIRE(report.totals().untracked_growth);
    const exposition e = parse(report.to_prometheus());
    CHECK(named(e, "leakwatch_untracked_resident_growth")[0].value == "1");
    CHECK(named(e, "leakwatch_resident_memory_unbounded")[0].value == "1");
    CHECK(std::stod(named(e, "leakwatch_resident_memory_growth_bytes_per_epoch")[0].value) > 4e6);
}

namespace {

leakwatch::report_totals totals_with_breakdown() {
    leakwatch::report_totals totals;
    totals.process.resident_bytes = 100 << 20;
    leakwatch::memory_breakdown& b = totals.process.breakdown;
    b.available = true;
    b.resident_bytes = 100 << 20;
    b.tracked_bytes = 10 << 20;
    b.other_heap_in_use_bytes = 40 << 20;
    b.heap_free_retained_bytes = 5 << 20;
    b.thread_stack_bytes = 1 << 20;
    b.other_anonymous_bytes = 4 << 20;
    b.file_backed_bytes = 40 << 20;
    b.thread_stacks = 3;
    b.arenas = {{0, 8 << 20, 3 << 20, 12}, {1, 4 << 20, 2 << 20, 5}};
    totals.growth_by_category[static_cast<std::size_t>(leakwatch::memory_category::other_heap_in_use)] = 3 << 20;
    return totals;
}

}  // namespace

TEST_CASE("to_prometheus breaks resident memory down by category and by malloc arena", "[prometheus][process]") {
    const exposition e = parse(leakwatch::growth_report({}, totals_with_breakdown()).to_prometheus());
    const auto categories = named(e, "leakwatch_process_memory_bytes");
    REQUIRE(categories.size() == leakwatch::memory_category_count);
    std::map<std::string, double> by_name;
    double sum = 0;
    for (const sample& s : categories) {
        by_name[s.labels.at("category")] = std::stod(s.value);
        sum += std::stod(s.value);
    }
    CHECK(sum == 100 << 20);
    CHECK(by_name.at("tracked_containers") == 10 << 20);
    CHECK(by_name.at("other_heap_in_use") == 40 << 20);
    CHECK(by_name.at("heap_free_retained") == 5 << 20);
    CHECK(by_name.at("thread_stacks") == 1 << 20);
    CHECK(by_name.at("other_anonymous") == 4 << 20);
    CHECK(by_name.at("file_backed") == 40 << 20);
    const auto growth = named(e, "leakwatch_process_memory_growth_bytes_per_epoch");
    REQUIRE(growth.size() == leakwatch::memory_category_count);
    for (const sample& s : growth)
        CHECK(std::stod(s.value) == (s.labels.at("category") == "other_heap_in_use" ? 3 << 20 : 0));
    CHECK(named(e, "leakwatch_process_thread_stacks")[0].value == "3");
    const auto arena_free = named(e, "leakwatch_process_heap_arena_free_bytes");
    REQUIRE(arena_free.size() == 2);
    CHECK(arena_free[1].labels.at("arena") == "1");
    CHECK(arena_free[1].value == std::to_string(2 << 20));
    CHECK(named(e, "leakwatch_process_heap_arena_system_bytes")[0].value == std::to_string(8 << 20));

    // Without a breakdown (another platform): no sample of these families at all.
    const std::string bare = leakwatch::growth_report().to_prometheus();
    CHECK(bare.find("leakwatch_process_memory_bytes") == std::string::npos);
    CHECK(bare.find("leakwatch_process_heap_arena") == std::string::npos);
}

TEST_CASE("promtool check metrics accepts the output without a lint message", "[prometheus][tools]") {
    tools::temp_dir dir("promtool");
    // A live report: real containers, real process numbers.
    leakwatch::tracked_map<int, int> sessions{leakwatch::label{"promtool sessions"}};
    leakwatch::tracked_vector<int> log{leakwatch::label{"promtool \"log\"\n"}};
    for (int epoch = 0; epoch < 8; ++epoch) {
        for (int i = 0; i < 50; ++i) sessions[epoch * 50 + i] = i, log.push_back(i);
        leakwatch::registry::snapshot();
    }
    const std::string live = leakwatch::registry::report().to_prometheus();
    CHECK_THAT(live, Catch::Contains("leakwatch_process_memory_bytes{category=\"other_heap_in_use\"}"));
    check_metrics(live, dir);
    check_metrics(leakwatch::growth_report({}, totals_with_breakdown()).to_prometheus(), dir);

    // Hostile labels, duplicates, an empty report.
    std::vector<leakwatch::finding> findings;
    for (const std::string& l : tools::hostile_labels()) findings.push_back(make(l, leakwatch::verdict::unbounded, 10));
    findings.push_back(make("twin", leakwatch::verdict::bounded, 1));
    findings.push_back(make("twin", leakwatch::verdict::bounded, 1));
    leakwatch::report_totals totals;
    totals.untracked_growth = true;
    check_metrics(leakwatch::growth_report(findings, totals).to_prometheus(), dir);
    check_metrics(leakwatch::growth_report().to_prometheus(), dir);
}

TEST_CASE("node_exporter's textfile collector serves what a periodic_reporter file sink writes",
          "[prometheus][tools][files]") {
    const std::string exporter = tools::require_tool("prometheus-node-exporter", "prometheus-node-exporter");
    tools::temp_dir dir("node-exporter");
    const std::string textfiles = dir / "textfile";
    REQUIRE(::mkdir(textfiles.c_str(), 0755) == 0);

    leakwatch::tracked_map<int, int> scraped{leakwatch::label{"scraped \"map\""}};
    for (int i = 0; i < 100; ++i) scraped[i] = i;
    {
        leakwatch::periodic_reporter reporter{
            std::chrono::milliseconds(50),
            leakwatch::file_sink(textfiles + "/leakwatch.prom", leakwatch::report_format::prometheus)};
        for (int i = 0; i < 500 && reporter.reports() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        REQUIRE(reporter.reports() >= 2);
    }
    // Only the target is left in the folder: no temporary file.
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(textfiles)) names.push_back(entry.path().filename());
    CHECK(names == std::vector<std::string>{"leakwatch.prom"});

    const unsigned short port = free_port();
    child_process node_exporter({exporter, "--web.listen-address=127.0.0.1:" + std::to_string(port),
                                 "--collector.disable-defaults", "--collector.textfile",
                                 "--collector.textfile.directory=" + textfiles, "--web.disable-exporter-metrics"},
                                dir / "node_exporter.log");
    REQUIRE(node_exporter.started());
    std::string metrics;
    for (int i = 0; i < 500 && metrics.empty(); ++i) {
        if (!node_exporter.running()) break;
        metrics = http_get(port, "/metrics");
        if (metrics.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    node_exporter.stop();
    INFO("node_exporter log: " << tools::read_file(dir / "node_exporter.log"));
    INFO("scrape: " << metrics.substr(0, 4000));
    REQUIRE_FALSE(metrics.empty());
    CHECK_THAT(metrics, Catch::Contains("leakwatch_finding_elements{"));
    CHECK_THAT(metrics, Catch::Contains("label=\"scraped \\\"map\\\"\""));
    CHECK_THAT(metrics, Catch::Contains("leakwatch_tracked_bytes "));
    CHECK_THAT(metrics, Catch::Contains("leakwatch_untracked_resident_growth "));
    CHECK_THAT(metrics, Catch::Contains("node_textfile_scrape_error 0"));
}
