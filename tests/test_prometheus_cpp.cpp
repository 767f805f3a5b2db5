// leakwatch/prometheus_cpp.hpp: leakwatch's metric families as a prometheus-cpp Collectable.
// In-process: Collect() returns the families of to_prometheus() (names, help, types, label
// sets, values), hostile labels survive prometheus-cpp's own serializer, a latest report is
// served without a snapshot, and the collectable registered on a prometheus::Exposer bound to a
// loopback port (the one-liner of the README, with a temporary pointer) is scraped over a
// socket. Tagged [tools]: curl scrapes the Exposer and `promtool check metrics` (Debian
// prometheus) accepts what it serves.
#include <leakwatch/prometheus_cpp.hpp>

#include <catch2/catch.hpp>

#include "external_tools.hpp"

#include <prometheus/exposer.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

// GET `path` from 127.0.0.1:`port` over a plain socket (HTTP/1.0: the server closes when done);
// returns the whole response, headers included.
std::string http_get(int port, const std::string& path) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        const int error = errno;
        ::close(fd);
        FAIL("connect to 127.0.0.1:" << port << " failed: " << std::strerror(error));
    }
    const std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    REQUIRE(::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
    std::string response;
    char buffer[4096];
    for (ssize_t got = 0; (got = ::recv(fd, buffer, sizeof buffer, 0)) > 0;)
        response.append(buffer, static_cast<std::size_t>(got));
    ::close(fd);
    return response;
}

std::string body_of(const std::string& response) {
    const std::size_t end = response.find("\r\n\r\n");
    REQUIRE(end != std::string::npos);
    return response.substr(end + 4);
}

using label_set = std::set<std::pair<std::string, std::string>>;

label_set labels_of(const prometheus::ClientMetric& metric) {
    label_set out;
    for (const auto& label : metric.label) out.emplace(label.name, label.value);
    return out;
}

label_set labels_of(const leakwatch::metric_sample& sample) {
    return label_set(sample.labels.begin(), sample.labels.end());
}

void grow(leakwatch::tracked_map<int, int>& map, int epochs) {
    for (int epoch = 0; epoch < epochs; ++epoch) {
        for (int i = 0; i < 40; ++i) map[epoch * 40 + i] = i;
        leakwatch::registry::snapshot();
    }
}

}  // namespace

TEST_CASE("Collect() returns the metric families of to_prometheus: names, help, types, labels, values",
          "[prometheus_cpp]") {
    leakwatch::registry::reset();
    leakwatch::tracked_map<int, int> sessions{leakwatch::label{"collected sessions"}};
    grow(sessions, 10);
    const leakwatch::growth_report report = leakwatch::registry::report();
    const std::vector<leakwatch::metric_family> expected = leakwatch::metric_families(report);
    const std::vector<prometheus::MetricFamily> got = leakwatch::to_prometheus_cpp(report);
    REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        INFO(expected[i].name);
        CHECK(got[i].name == expected[i].name);
        CHECK(got[i].help == expected[i].help);
        const bool counter = expected[i].type == leakwatch::metric_type::counter;
        CHECK(got[i].type == (counter ? prometheus::MetricType::Counter : prometheus::MetricType::Gauge));
        REQUIRE(got[i].metric.size() == expected[i].samples.size());
        for (std::size_t k = 0; k < got[i].metric.size(); ++k) {
            CHECK(labels_of(got[i].metric[k]) == labels_of(expected[i].samples[k]));
            const double value = counter ? got[i].metric[k].counter.value : got[i].metric[k].gauge.value;
            CHECK(value == expected[i].samples[k].value);
        }
    }
    // The families are the ones the text format names, in its order.
    std::vector<std::string> text_names;
    const std::string text = report.to_prometheus();
    for (std::size_t at = text.find("# TYPE "); at != std::string::npos; at = text.find("# TYPE ", at + 1))
        text_names.push_back(text.substr(at + 7, text.find(' ', at + 7) - at - 7));
    std::vector<std::string> names;
    for (const auto& family : got) names.push_back(family.name);
    CHECK(names == text_names);

    // The finding is there, unbounded, with the labels of the text format.
    bool found = false;
    for (const auto& family : got) {
        if (family.name != "leakwatch_finding_unbounded") continue;
        for (const auto& metric : family.metric) {
            const label_set labels = labels_of(metric);
            if (labels.count({"label", "collected sessions"}) == 0) continue;
            found = true;
            CHECK(metric.gauge.value == 1);
            CHECK(labels.count({"kind", "container"}) == 1);
            CHECK(labels.count({"type", "tracked_map<int, int>"}) == 1);
        }
    }
    CHECK(found);
}

TEST_CASE("hostile labels stay well formed through prometheus-cpp's serializer", "[prometheus_cpp]") {
    std::vector<leakwatch::finding> findings;
    for (const std::string& label : tools::hostile_labels()) {
        leakwatch::finding f;
        f.label = label;
        f.type = "tracked_map<int, int>";
        f.site = {"src/x.cpp", 1, "f"};
        findings.push_back(f);
        findings.push_back(f);  // the same label set twice: told apart by `duplicate`
    }
    const auto families = leakwatch::to_prometheus_cpp(leakwatch::growth_report(findings, {}));
    const std::string text = prometheus::TextSerializer().Serialize(families);
    CHECK(tools::valid_utf8(text));
    std::size_t lines = 0;
    for (std::size_t at = text.find("leakwatch_finding_bytes{"); at != std::string::npos;
         at = text.find("leakwatch_finding_bytes{", at + 1))
        ++lines;
    CHECK(lines == findings.size());
    CHECK_THAT(text, Catch::Contains("label=\"quote\\\" backslash\\\\ newline\\n tab\t\""));
    CHECK_THAT(text, Catch::Contains("duplicate=\"1\""));
}

TEST_CASE("a collectable over a latest report serves it without a snapshot", "[prometheus_cpp]") {
    leakwatch::latest_report latest;
    const auto collectable = leakwatch::make_collectable(latest);
    std::uint64_t epoch = leakwatch::registry::current_epoch();
    CHECK_FALSE(collectable->Collect().empty());  // no report kept yet: a fresh one
    CHECK(leakwatch::registry::current_epoch() == epoch + 1);

    leakwatch::report_totals totals;
    totals.epoch = 4242;
    latest.set(leakwatch::growth_report({}, totals));
    epoch = leakwatch::registry::current_epoch();
    bool seen = false;
    for (const auto& family : collectable->Collect())
        if (family.name == "leakwatch_epoch") seen = family.metric.at(0).gauge.value == 4242;
    CHECK(seen);
    CHECK(leakwatch::registry::current_epoch() == epoch);
}

TEST_CASE("make_collectable() registered on an Exposer with a temporary pointer is scraped over HTTP",
          "[prometheus_cpp]") {
    leakwatch::tracked_map<int, int> exposed{leakwatch::label{"exposed sessions"}};
    grow(exposed, 3);
    prometheus::Exposer exposer{"127.0.0.1:0"};
    exposer.RegisterCollectable(leakwatch::make_collectable());  // the pointer dies here; the collectable does not
    auto registry = std::make_shared<prometheus::Registry>();
    exposer.RegisterCollectable(registry);
    const std::vector<int> ports = exposer.GetListeningPorts();
    REQUIRE(ports.size() == 1);
    const std::string response = http_get(ports[0], "/metrics");
    INFO(response.substr(0, 2000));
    CHECK(response.rfind("HTTP/1.1 200", 0) == 0);
    const std::string body = body_of(response);
    CHECK_THAT(body, Catch::Contains("# TYPE leakwatch_finding_bytes gauge"));
    CHECK_THAT(body, Catch::Contains("# TYPE leakwatch_registry_snapshots_total counter"));
    CHECK_THAT(body, Catch::Contains("label=\"exposed sessions\""));
    CHECK(leakwatch::make_collectable() == leakwatch::make_collectable());
}

TEST_CASE("curl scrapes the Exposer and promtool check metrics accepts it", "[prometheus_cpp][tools]") {
    tools::temp_dir dir("prometheus-cpp");
    const std::string curl = tools::require_tool("curl", "curl");
    const std::string promtool = tools::require_tool("promtool", "prometheus");
    leakwatch::registry::reset();
    leakwatch::tracked_map<int, int> scraped{leakwatch::label{"scraped \"sessions\"\n"}};
    grow(scraped, 10);
    prometheus::Exposer exposer{"127.0.0.1:0"};
    const auto collectable = leakwatch::make_collectable();
    exposer.RegisterCollectable(collectable);
    const std::string url = "http://127.0.0.1:" + std::to_string(exposer.GetListeningPorts().at(0)) + "/metrics";

    const auto fetched = tools::run("'" + curl + "' -sS --fail -o '" + (dir / "metrics.txt") + "' '" + url + "'",
                                    dir.path());
    INFO("curl: " << fetched.errors);
    REQUIRE(fetched.status == 0);
    const std::string metrics = tools::read_file(dir / "metrics.txt");
    CHECK_THAT(metrics, Catch::Contains("leakwatch_finding_unbounded{"));
    CHECK_THAT(metrics, Catch::Contains("label=\"scraped \\\"sessions\\\"\\n\""));

    const auto checked = tools::run("'" + promtool + "' check metrics < '" + (dir / "metrics.txt") + "'", dir.path());
    INFO("promtool: " << checked.output << checked.errors << "\nmetrics:\n" << metrics.substr(0, 3000));
    CHECK(checked.status == 0);
    CHECK(checked.output.empty());
    CHECK(checked.errors.empty());
}
