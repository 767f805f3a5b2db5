// leakwatch/httplib.hpp: the live endpoint on a real cpp-httplib server bound to a loopback
// port. In-process with httplib::Client: status codes, content types, the body of each
// endpoint, `?seconds=N` (what grew during the wait) and its rejection of bad values, 404
// outside the prefix, a custom prefix and metrics path, scrapes served from a periodic
// reporter's latest report. Tagged [tools]: `go tool pprof` (Debian golang-go) reads the
// profile over HTTP, with and without -seconds; curl fetches the JSON and the metrics, which
// `promtool check metrics` (Debian prometheus) must accept; headless chromium renders the page.
#include <leakwatch/httplib.hpp>

#include <catch2/catch.hpp>

#include "external_tools.hpp"
#include "json_check.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

// A server on a free loopback port, listening on a thread of its own until destroyed.
class serving {
public:
    template <class Mount>
    explicit serving(Mount&& mount) {
        mount(server_);
        port_ = server_.bind_to_any_port("127.0.0.1");
        REQUIRE(port_ > 0);
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        // listen_after_bind() marks the server running before it accepts; the socket is
        // already listening, so a client connecting earlier waits in the backlog anyway.
        while (!server_.is_running()) std::this_thread::yield();
    }
    ~serving() {
        server_.stop();
        thread_.join();
    }
    serving(const serving&) = delete;
    serving& operator=(const serving&) = delete;

    int port() const noexcept { return port_; }
    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
    httplib::Client client() const {
        httplib::Client c("127.0.0.1", port_);
        c.set_read_timeout(std::chrono::seconds(30));
        return c;
    }

private:
    httplib::Server server_{};
    int port_ = 0;
    std::thread thread_{};
};

struct reply {
    int status = 0;
    std::string content_type, body;
};

reply get(const serving& server, const std::string& path) {
    httplib::Client client = server.client();
    const auto result = client.Get(path.c_str());
    INFO("GET " << path << ": " << httplib::to_string(result.error()));
    REQUIRE(result);
    return {result->status, result->get_header_value("Content-Type"), result->body};
}

// A map that grows by `per_epoch` elements per snapshot, `epochs` times.
void grow(leakwatch::tracked_map<int, int>& map, int epochs, int per_epoch = 50) {
    const int start = static_cast<int>(map.size());
    for (int epoch = 0; epoch < epochs; ++epoch) {
        for (int i = 0; i < per_epoch; ++i) map[start + epoch * per_epoch + i] = i;
        leakwatch::registry::snapshot();
    }
}

// Grows `map` on a thread of its own until destroyed (for requests that wait).
class grower {
public:
    explicit grower(leakwatch::tracked_map<int, int>& map) : map_(map), thread_([this] { run(); }) {}
    ~grower() {
        stop_.store(true);
        thread_.join();
    }
    grower(const grower&) = delete;
    grower& operator=(const grower&) = delete;

private:
    void run() {
        int next = 1 << 20;
        while (!stop_.load()) {
            map_[next++] = 1;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    leakwatch::tracked_map<int, int>& map_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

const json_check::value* find_finding(const json_check::value& report, const std::string& label) {
    for (const json_check::value& f : report["findings"].items)
        if (f["label"].text == label) return &f;
    return nullptr;
}

}  // namespace

TEST_CASE("mount serves the page, the profile, the JSON and the metrics of a fresh report, each with its content type",
          "[httplib]") {
    leakwatch::registry::reset();
    leakwatch::tracked_map<int, int> sessions{leakwatch::label{"endpoint sessions"}};
    const unsigned line = __LINE__ - 1;
    grow(sessions, 12);
    serving server([](httplib::Server& s) { leakwatch::mount(s); });

    const reply page = get(server, "/debug/leakwatch");
    CHECK(page.status == 200);
    CHECK(page.content_type == "text/html; charset=utf-8");
    CHECK(page.body.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK_THAT(page.body, Catch::Contains("endpoint sessions"));

    const reply profile = get(server, "/debug/leakwatch/pprof");
    CHECK(profile.status == 200);
    CHECK(profile.content_type == "application/octet-stream");
    CHECK_THAT(profile.body, Catch::Contains("endpoint sessions") && Catch::Contains("test_httplib.cpp"));

    const reply json = get(server, "/debug/leakwatch.json");
    CHECK(json.status == 200);
    CHECK(json.content_type == "application/json");
    const json_check::value report = json_check::parse(json.body);
    CHECK(report["schema"].text == "leakwatch.report");
    const json_check::value* finding = find_finding(report, "endpoint sessions");
    REQUIRE(finding != nullptr);
    CHECK((*finding)["verdict"].text == "unbounded");
    CHECK((*finding)["site"]["line"].number == line);

    const reply metrics = get(server, "/metrics");
    CHECK(metrics.status == 200);
    CHECK(metrics.content_type == "text/plain; version=0.0.4; charset=utf-8");
    CHECK_THAT(metrics.body, Catch::Contains("leakwatch_finding_unbounded{label=\"endpoint sessions\""));

    // Each fresh report is one snapshot: the JSON's epoch moves on with every request.
    const double epoch = report["epoch"].number;
    CHECK(json_check::parse(get(server, "/debug/leakwatch.json").body)["epoch"].number > epoch);
}

TEST_CASE("a HEAD request gets the headers of a GET", "[httplib]") {
    serving server([](httplib::Server& s) { leakwatch::mount(s); });
    httplib::Client client = server.client();
    const auto result = client.Head("/debug/leakwatch.json");
    REQUIRE(result);
    CHECK(result->status == 200);
    CHECK(result->get_header_value("Content-Type") == "application/json");
    CHECK(result->body.empty());
}

TEST_CASE("a profile request with seconds=N reports what grew during the wait", "[httplib]") {
    leakwatch::registry::reset();
    leakwatch::tracked_map<int, int> steady{leakwatch::label{"steady during the wait"}};
    leakwatch::tracked_map<int, int> growing{leakwatch::label{"growing during the wait"}};
    grow(steady, 6);
    grow(growing, 6);
    serving server([](httplib::Server& s) { leakwatch::mount(s); });
    reply profile;
    {
        grower busy(growing);
        profile = get(server, "/debug/leakwatch/pprof?seconds=1");
    }
    CHECK(profile.status == 200);
    CHECK(profile.content_type == "application/octet-stream");
    // Both findings are there, named; what each gained is checked through growth_since below
    // and through `go tool pprof -seconds 1` in the [tools] test.
    CHECK_THAT(profile.body, Catch::Contains("growing during the wait") && Catch::Contains("steady during the wait"));
}

TEST_CASE("growth_since keeps what each finding gained, and all of a finding that is new", "[httplib]") {
    const auto make = [](const std::string& label, std::size_t elements, std::size_t bytes) {
        leakwatch::finding f;
        f.label = label;
        f.type = "tracked_map<int, int>";
        f.site = {"src/x.cpp", 7, "f"};
        f.elements = elements;
        f.bytes = bytes;
        return f;
    };
    const leakwatch::growth_report before({make("grows", 10, 1000), make("shrinks", 50, 5000), make("flat", 3, 300)},
                                          {});
    leakwatch::report_totals totals;
    totals.epoch = 9;
    const leakwatch::growth_report after(
        {make("grows", 25, 2500), make("shrinks", 20, 2000), make("flat", 3, 300), make("new", 4, 400)}, totals);
    const leakwatch::growth_report grown = leakwatch::detail::growth_since(before, after);
    REQUIRE(grown.findings().size() == 4);
    CHECK(grown.totals().epoch == 9);
    for (const leakwatch::finding& f : grown.findings()) {
        INFO(f.label);
        if (f.label == "grows") CHECK((f.elements == 15 && f.bytes == 1500));
        if (f.label == "shrinks") CHECK((f.elements == 0 && f.bytes == 0));
        if (f.label == "flat") CHECK((f.elements == 0 && f.bytes == 0));
        if (f.label == "new") CHECK((f.elements == 4 && f.bytes == 400));
    }
}

TEST_CASE("a profile request with a bad seconds value gets 400 naming the value", "[httplib]") {
    serving server([](httplib::Server& s) {
        leakwatch::endpoint_options options;
        options.max_profile_seconds = 60;
        leakwatch::mount(s, "/debug/leakwatch", options);
    });
    for (const std::string value : {"abc", "0", "-1", "61", "1.5", "", "99999999999", "1e3", "%20"}) {
        INFO("seconds=" << value);
        const reply r = get(server, "/debug/leakwatch/pprof?seconds=" + value);
        CHECK(r.status == 400);
        CHECK(r.content_type == "text/plain; charset=utf-8");
        CHECK_THAT(r.body, Catch::Contains("from 1 to 60"));
        if (value != "%20") CHECK_THAT(r.body, Catch::Contains("seconds=" + value + " "));
    }
    // Control characters in the value come back escaped, on one line.
    const reply hostile = get(server, "/debug/leakwatch/pprof?seconds=%0Aforged%1B");
    CHECK(hostile.status == 400);
    CHECK_THAT(hostile.body, Catch::Contains("seconds=\\nforged\\x1b "));
    CHECK(tools::count(hostile.body, "\n") == 1);
}

TEST_CASE("paths outside the prefix get 404; a custom prefix and metrics path are honoured", "[httplib]") {
    SECTION("default prefix") {
        serving server([](httplib::Server& s) { leakwatch::mount(s); });
        for (const std::string path : {"/", "/debug", "/debug/leakwatchx", "/debug/leakwatch/", "/debug/leakwatch/other",
                                       "/debug/leakwatch/pprof/x", "/debug/leakwatchXjson", "/metricsx"}) {
            INFO(path);
            CHECK(get(server, path).status == 404);
        }
    }
    SECTION("custom prefix, metrics elsewhere") {
        serving server([](httplib::Server& s) {
            leakwatch::endpoint_options options;
            options.metrics_path.clear();
            leakwatch::mount(s, "/internal/lw", options);
            leakwatch::mount_metrics(s, "/internal/metrics");
        });
        CHECK(get(server, "/internal/lw").status == 200);
        CHECK(get(server, "/internal/lw/pprof").status == 200);
        CHECK(get(server, "/internal/lw.json").content_type == "application/json");
        const reply metrics = get(server, "/internal/metrics");
        CHECK(metrics.status == 200);
        CHECK(metrics.content_type == "text/plain; version=0.0.4; charset=utf-8");
        CHECK_THAT(metrics.body, Catch::Contains("# TYPE leakwatch_epoch gauge"));
        for (const std::string path : {"/debug/leakwatch", "/debug/leakwatch.json", "/metrics", "/internal/lw/"}) {
            INFO(path);
            CHECK(get(server, path).status == 404);
        }
    }
    SECTION("a prefix with regular-expression characters is matched as itself") {
        serving server([](httplib::Server& s) { leakwatch::mount(s, "/a.b+(c)"); });
        CHECK(get(server, "/a.b+(c).json").status == 200);
        CHECK(get(server, "/aXb+(c).json").status == 404);
        CHECK(get(server, "/abbc.json").status == 404);
    }
}

TEST_CASE("bad prefixes, paths and options are rejected, naming them", "[httplib]") {
    httplib::Server server;
    for (const std::string prefix : {"", "debug", "/", "/debug/", "/with space", "/q?x"}) {
        INFO(prefix);
        CHECK_THROWS_WITH(leakwatch::mount(server, prefix),
                          Catch::Contains("the endpoint prefix") && Catch::Contains("\"" + prefix + "\""));
    }
    CHECK_THROWS_WITH(leakwatch::mount_metrics(server, "metrics"), Catch::Contains("the metrics path"));
    leakwatch::endpoint_options options;
    options.max_profile_seconds = 0;
    CHECK_THROWS_WITH(leakwatch::mount(server, "/x", options),
                      Catch::Contains("endpoint_options.max_profile_seconds must be >= 1"));
    options = leakwatch::endpoint_options();
    options.metrics_path = "metrics";
    CHECK_THROWS_WITH(leakwatch::mount(server, "/x", options), Catch::Contains("endpoint_options.metrics_path"));
    options = leakwatch::endpoint_options();
    options.analysis.explained_share = 2;
    CHECK_THROWS_WITH(leakwatch::mount(server, "/x", options), Catch::Contains("explained_share"));
}

TEST_CASE("with a latest report, scrapes of the metrics and the JSON take no snapshot; the page does", "[httplib]") {
    leakwatch::latest_report latest;
    serving server([&](httplib::Server& s) {
        leakwatch::endpoint_options options;
        options.latest = latest;
        leakwatch::mount(s, "/debug/leakwatch", options);
    });
    // Before the reporter's first report: a fresh one.
    const std::uint64_t first = leakwatch::registry::current_epoch();
    CHECK(get(server, "/metrics").status == 200);
    CHECK(leakwatch::registry::current_epoch() == first + 1);

    leakwatch::tracked_vector<int> queue{leakwatch::label{"kept by the reporter"}};
    queue.push_back(1);
    {
        leakwatch::periodic_reporter reporter{std::chrono::hours(1), latest.sink()};
        reporter.request_report();
        while (reporter.reports() == 0) std::this_thread::yield();
    }
    const std::uint64_t epoch = leakwatch::registry::current_epoch();
    const reply metrics = get(server, "/metrics");
    CHECK_THAT(metrics.body, Catch::Contains("label=\"kept by the reporter\""));
    CHECK_THAT(metrics.body, Catch::Contains("leakwatch_epoch " + std::to_string(epoch - 1) + "\n"));
    const reply json = get(server, "/debug/leakwatch.json");
    CHECK(json_check::parse(json.body)["epoch"].number == static_cast<double>(epoch - 1));
    CHECK(leakwatch::registry::current_epoch() == epoch);
    // The page and the profile are always fresh.
    CHECK(get(server, "/debug/leakwatch").status == 200);
    CHECK(get(server, "/debug/leakwatch/pprof").status == 200);
    CHECK(leakwatch::registry::current_epoch() == epoch + 2);
}

TEST_CASE("concurrent requests while other threads grow and destroy tracked containers", "[httplib]") {
    serving server([](httplib::Server& s) { leakwatch::mount(s); });
    std::atomic<bool> stop{false};
    std::vector<std::thread> workers;
    for (int t = 0; t < 2; ++t) {
        workers.emplace_back([&stop, t] {
            while (!stop.load()) {
                leakwatch::tracked_map<int, int> scratch{leakwatch::label{"scratch"}};
                for (int i = 0; i < 100; ++i) scratch[i * (t + 1)] = i;
            }
        });
    }
    std::vector<std::thread> clients;
    std::atomic<int> ok{0};
    for (const std::string path : {"/debug/leakwatch", "/debug/leakwatch/pprof", "/debug/leakwatch.json", "/metrics"}) {
        clients.emplace_back([&server, &ok, path] {
            for (int i = 0; i < 5; ++i) {
                httplib::Client client = server.client();
                const auto result = client.Get(path.c_str());
                if (result && result->status == 200 && !result->body.empty()) ok.fetch_add(1);
            }
        });
    }
    for (std::thread& c : clients) c.join();
    stop.store(true);
    for (std::thread& w : workers) w.join();
    CHECK(ok.load() == 20);
}

// --- the real clients ([tools]) ------------------------------------------------------------

namespace {

std::string go_pprof(const std::string& arguments, const std::string& url, const tools::temp_dir& dir) {
    const std::string go = tools::require_tool("go", "golang-go");
    const auto result = tools::run("HOME='" + dir.path() + "' PPROF_TMPDIR='" + dir.path() + "' '" + go +
                                       "' tool pprof " + arguments + " '" + url + "'",
                                   dir.path());
    INFO("go tool pprof " << arguments << " " << url << "\nstdout:\n" << result.output << "\nstderr:\n" << result.errors);
    REQUIRE(result.status == 0);
    CHECK(result.errors.find("rror") == std::string::npos);
    return result.output;
}

std::string curl(const std::string& url, const tools::temp_dir& dir, const std::string& file) {
    const std::string program = tools::require_tool("curl", "curl");
    const auto result =
        tools::run("'" + program + "' -sS --fail -o '" + (dir / file) + "' '" + url + "'", dir.path());
    INFO("curl " << url << ": " << result.errors);
    REQUIRE(result.status == 0);
    return tools::read_file(dir / file);
}

}  // namespace

TEST_CASE("go tool pprof reads the live profile over HTTP, also with -seconds", "[httplib][tools]") {
    tools::temp_dir dir("httplib-pprof");
    leakwatch::registry::reset();
    leakwatch::tracked_map<int, int> requests{leakwatch::label{"live requests"}};
    const std::string site = "test_httplib.cpp:" + std::to_string(__LINE__ - 1);
    grow(requests, 10);
    serving server([](httplib::Server& s) { leakwatch::mount(s); });
    const std::string url = server.url("/debug/leakwatch/pprof");

    const std::string top = go_pprof("-top", url, dir);
    CHECK_THAT(top, Catch::Contains("Type: bytes"));
    CHECK_THAT(top, Catch::Contains("tracked_map \"live requests\""));
    const std::string raw = go_pprof("-raw", url, dir);
    CHECK_THAT(raw, Catch::Contains("\"live requests\"") && Catch::Contains(site));
    CHECK_THAT(raw, Catch::Contains("verdict:[unbounded]"));

    // -seconds 1 sends ?seconds=1: the profile holds what grew during that second.
    std::string during;
    {
        grower busy(requests);
        during = go_pprof("-seconds 1 -timeout 60 -raw", url, dir);
    }
    CHECK_THAT(during, Catch::Contains("\"live requests\"") && Catch::Contains(site));
    // The one sample of the finding holds what it gained (elements, bytes): far less than
    // the 500 elements it held before.
    const std::size_t samples = during.find("Samples:");
    REQUIRE(samples != std::string::npos);
    INFO(during);
    const std::size_t first = during.find_first_of("0123456789", during.find('\n', during.find('\n', samples) + 1));
    REQUIRE(first != std::string::npos);
    const long gained = std::stol(during.substr(first));
    CHECK(gained > 0);
    CHECK(gained < 500);
}

TEST_CASE("curl reads the JSON report and the metrics, which promtool accepts", "[httplib][tools]") {
    tools::temp_dir dir("httplib-curl");
    leakwatch::registry::reset();
    leakwatch::tracked_map<int, int> orders{leakwatch::label{"curl \"orders\"\n"}};
    grow(orders, 10);
    serving server([](httplib::Server& s) { leakwatch::mount(s); });

    const json_check::value report = json_check::parse(curl(server.url("/debug/leakwatch.json"), dir, "report.json"));
    const json_check::value* finding = find_finding(report, "curl \"orders\"\n");
    REQUIRE(finding != nullptr);
    CHECK((*finding)["verdict"].text == "unbounded");

    const std::string metrics = curl(server.url("/metrics"), dir, "metrics.txt");
    CHECK_THAT(metrics, Catch::Contains("label=\"curl \\\"orders\\\"\\n\""));
    const std::string promtool = tools::require_tool("promtool", "prometheus");
    const auto checked = tools::run("'" + promtool + "' check metrics < '" + (dir / "metrics.txt") + "'", dir.path());
    INFO("promtool: " << checked.output << checked.errors);
    CHECK(checked.status == 0);
    CHECK(checked.output.empty());
    CHECK(checked.errors.empty());
}

TEST_CASE("headless chromium renders the live page with the finding", "[httplib][tools]") {
    tools::temp_dir dir("httplib-chromium");
    leakwatch::registry::reset();
    leakwatch::tracked_map<int, int> carts{leakwatch::label{"<b>live</b> carts"}};
    grow(carts, 10);
    serving server([](httplib::Server& s) { leakwatch::mount(s); });
    const std::string browser = tools::require_tool("chromium", "chromium");
    const auto result = tools::run(
        "HOME='" + dir.path() + "' '" + browser + "' --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
            "--disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage "
            "--user-data-dir='" + (dir / "profile") + "' --dump-dom '" + server.url("/debug/leakwatch") + "'",
        dir.path());
    INFO("chromium stderr:\n" << result.errors.substr(0, 4000));
    REQUIRE(result.status == 0);
    const std::string& dom = result.output;
    INFO(dom.substr(0, 3000));
    CHECK_THAT(dom, Catch::Contains("&lt;b&gt;live&lt;/b&gt; carts"));
    CHECK(dom.find("<b>live") == std::string::npos);
    CHECK_THAT(dom, Catch::Contains("<section class=\"finding unbounded\""));
    CHECK_THAT(dom, Catch::Contains("<polyline class=\"elements\""));
}

TEST_CASE("one profile with seconds at a time: another asked meanwhile gets 429", "[httplib]") {
    serving server([](httplib::Server& s) { leakwatch::mount(s); });
    // Two requests of 2 s each, sent together: whichever reaches the handler second while the
    // other waits is turned away at once.
    reply first, second;
    std::thread other([&] {  // no Catch assertion off the main thread
        httplib::Client client = server.client();
        if (const auto result = client.Get("/debug/leakwatch/pprof?seconds=2"))
            first = {result->status, result->get_header_value("Content-Type"), result->body};
    });
    second = get(server, "/debug/leakwatch/pprof?seconds=2");
    other.join();
    const reply& refused = first.status == 429 ? first : second;
    const reply& answered = first.status == 429 ? second : first;
    CHECK(answered.status == 200);
    CHECK(refused.status == 429);
    CHECK_THAT(refused.body, Catch::Contains("another profile with seconds is being taken"));
    // Once it is done, the next one is served; a profile without seconds never waits for it.
    CHECK(get(server, "/debug/leakwatch/pprof?seconds=1").status == 200);
    CHECK(get(server, "/debug/leakwatch/pprof").status == 200);
}
