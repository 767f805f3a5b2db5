// leakwatch/httplib.hpp — a live endpoint on a cpp-httplib server, as Go services have
// net/http/pprof: the report as an HTML page, a profile for `go tool pprof`, JSON and the
// Prometheus text format, made when asked for.
//
//   httplib::Server server;
//   leakwatch::mount(server);   // GET /debug/leakwatch        the HTML page of a fresh report
//                               // GET /debug/leakwatch/pprof  profile.proto of a fresh report
//                               // GET /debug/leakwatch.json   the JSON report
//                               // GET /metrics                the Prometheus text format
//   leakwatch::mount(server, "/prefix");             // another prefix
//   leakwatch::mount_metrics(server, "/leakwatch");  // the Prometheus text format alone, elsewhere
//
// An optional adapter: it needs cpp-httplib (<httplib.h>; Debian's libcpp-httplib-dev is
// compiled, so link libcpp-httplib as its pkg-config file says), and the core never includes
// it. It adds no HTTP code of its own: it registers handlers on the server it is given.
//
// Each fresh report is one registry::report(), that is one snapshot (an epoch): the registry
// is locked only while the snapshot copies the counters, as for any report, and rendering
// runs outside it. With endpoint_options::latest fed by a periodic_reporter, /metrics and the
// JSON serve the reporter's latest report instead, so that scrapes add no epochs of their
// own. `/pprof?seconds=N` (what `go tool pprof -seconds N` sends) reports what grew during
// those N seconds, like Go's heap profile with seconds; one such request at a time (it holds a
// server thread while it waits), another meanwhile gets 429.
#pragma once

#include <leakwatch/config.hpp>
#include <leakwatch/latest_report.hpp>
#include <leakwatch/leakwatch.hpp>

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

struct endpoint_options {
    // Where mount() also serves the Prometheus text format; empty: mount() does not serve it
    // (mount_metrics() places it anywhere).
    std::string metrics_path = "/metrics";
    // The longest `seconds` a profile request may ask for; more is answered with 400.
    unsigned max_profile_seconds = 300;
    // When set (a periodic_reporter's sink feeds it: latest.sink()), /metrics and the JSON
    // serve its latest report instead of taking one per request; until it has one, a fresh one.
    // The HTML page and the profile are always fresh.
    std::optional<latest_report> latest{};
    // The options of fresh reports.
    analysis_options analysis{};
};

namespace detail {

constexpr const char* html_content_type = "text/html; charset=utf-8";
constexpr const char* pprof_content_type = "application/octet-stream";
constexpr const char* json_content_type = "application/json";
constexpr const char* prometheus_content_type = "text/plain; version=0.0.4; charset=utf-8";
constexpr const char* error_content_type = "text/plain; charset=utf-8";

// httplib matches handlers by std::regex: a path is matched as itself.
inline std::string regex_literal(const std::string& path) {
    std::string out;
    for (char c : path) {
        if (std::string("\\^$.|?*+()[]{}").find(c) != std::string::npos) out += '\\';
        out += c;
    }
    return out;
}

inline void check_endpoint_path(const std::string& path, const char* what) {
    if (path.empty() || path[0] != '/' || (path.size() > 1 && path.back() == '/') || path == "/")
        throw std::invalid_argument(std::string("leakwatch: ") + what + " must start with '/', not end with '/' and "
                                    "not be \"/\" alone (got \"" + printable(path) + "\")");
    for (char c : path)
        if (static_cast<unsigned char>(c) <= 0x20 || c == '?' || c == '#' || static_cast<unsigned char>(c) == 0x7F)
            throw std::invalid_argument(std::string("leakwatch: ") + what +
                                        " must hold no space, control character, '?' or '#' (got \"" +
                                        printable(path) + "\")");
}

inline void check_endpoint_options(const endpoint_options& options) {
    if (options.max_profile_seconds < 1)
        throw std::invalid_argument("leakwatch: endpoint_options.max_profile_seconds must be >= 1 (got 0)");
    if (!options.metrics_path.empty()) check_endpoint_path(options.metrics_path, "endpoint_options.metrics_path");
    options.analysis.validate();
}

// The latest report kept for scrapes, or a fresh one.
inline std::shared_ptr<const growth_report> scrape_report(const endpoint_options& options) {
    if (options.latest) {
        if (auto kept = options.latest->get()) return kept;
    }
    return std::make_shared<const growth_report>(registry::report(options.analysis));
}

// `after` with each finding's elements and bytes replaced by what it gained since `before`
// (0 when it did not grow; all of it when it did not exist then). Findings are matched by
// creation site, label, type and kind.
inline growth_report growth_since(const growth_report& before, const growth_report& after) {
    using key = std::tuple<std::string, unsigned, std::string, std::string, finding_kind, std::uint64_t>;
    const auto key_of = [](const finding& f) {
        return key{f.site.file != nullptr ? f.site.file : "", f.site.line, f.label, f.type, f.kind, f.promoted_epoch};
    };
    std::map<key, std::vector<const finding*>> earlier;
    for (const finding& f : before.findings()) earlier[key_of(f)].push_back(&f);
    std::vector<finding> grown;
    grown.reserve(after.findings().size());
    for (const finding& f : after.findings()) {
        finding g = f;
        auto match = earlier.find(key_of(f));
        if (match != earlier.end() && !match->second.empty()) {
            const finding& then = *match->second.front();
            match->second.erase(match->second.begin());
            g.elements = f.elements > then.elements ? f.elements - then.elements : 0;
            g.bytes = f.bytes > then.bytes ? f.bytes - then.bytes : 0;
        }
        grown.push_back(std::move(g));
    }
    return growth_report(std::move(grown), after.totals());
}

// `seconds` of a profile request: a whole number from 1 to `max`, or 0 when it is not one.
inline unsigned profile_seconds(const std::string& text, unsigned max) {
    if (text.empty() || text.size() > 9) return 0;
    unsigned value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return 0;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    return value >= 1 && value <= max ? value : 0;
}

inline void answer_error(httplib::Response& response, int status, const std::string& message) {
    response.status = status;
    response.set_content(message + "\n", error_content_type);
}

// Runs `make` (which fills the response) and turns an exception into a 500 naming it.
template <class Make>
void answer(httplib::Response& response, const char* what, Make&& make) {
    try {
        make();
    } catch (const std::exception& error) {
        answer_error(response, 500, std::string("leakwatch: making the ") + what + " failed: " + error.what());
    } catch (...) {
        answer_error(response, 500, std::string("leakwatch: making the ") + what + " failed: unknown exception");
    }
}

inline void serve_metrics(httplib::Server& server, const std::string& path, const endpoint_options& options) {
    server.Get(regex_literal(path), [options](const httplib::Request&, httplib::Response& response) {
        answer(response, "Prometheus metrics", [&] {
            response.set_content(scrape_report(options)->to_prometheus(), prometheus_content_type);
        });
    });
}

}  // namespace detail

// Serves the report under `prefix`: the HTML page of a fresh report at `prefix`, its
// profile.proto at `prefix`/pprof (`?seconds=N`: what grew during N seconds), the JSON report
// at `prefix`.json, and the Prometheus text format at options.metrics_path ("/metrics"; empty:
// not served). Throws std::invalid_argument naming a bad prefix, path or option.
inline void mount(httplib::Server& server, const std::string& prefix = "/debug/leakwatch",
                  const endpoint_options& options = endpoint_options()) {
    detail::check_endpoint_path(prefix, "the endpoint prefix");
    detail::check_endpoint_options(options);
    const std::string base = detail::regex_literal(prefix);

    server.Get(base, [options](const httplib::Request&, httplib::Response& response) {
        detail::answer(response, "HTML report", [&] {
            response.set_content(registry::report(options.analysis).to_html(), detail::html_content_type);
        });
    });

    // One profile with seconds at a time per mount: each holds one of the server's worker
    // threads (shared with the service's own handlers) while it waits.
    auto waiting = std::make_shared<std::atomic<bool>>(false);
    server.Get(base + "/pprof", [options, waiting](const httplib::Request& request, httplib::Response& response) {
        unsigned seconds = 0;
        if (request.has_param("seconds")) {
            const std::string asked = request.get_param_value("seconds");
            seconds = detail::profile_seconds(asked, options.max_profile_seconds);
            if (seconds == 0) {
                detail::answer_error(response, 400,
                                     "leakwatch: seconds=" + detail::printable(asked) +
                                         " is not a whole number of seconds from 1 to " +
                                         std::to_string(options.max_profile_seconds));
                return;
            }
        }
        if (seconds != 0 && waiting->exchange(true)) {
            detail::answer_error(response, 429,
                                 "leakwatch: another profile with seconds is being taken; ask again when it is done");
            return;
        }
        struct release {
            std::atomic<bool>* flag;
            ~release() {
                if (flag != nullptr) flag->store(false);
            }
        } done{seconds != 0 ? waiting.get() : nullptr};
        detail::answer(response, "profile", [&] {
            std::string profile;
            if (seconds == 0) {
                profile = registry::report(options.analysis).to_pprof();
            } else {
                const growth_report before = registry::report(options.analysis);
                std::this_thread::sleep_for(std::chrono::seconds(seconds));
                profile = detail::growth_since(before, registry::report(options.analysis)).to_pprof();
            }
            response.set_header("Content-Disposition", "attachment; filename=\"leakwatch.pb\"");
            response.set_content(profile, detail::pprof_content_type);
        });
    });

    server.Get(base + "\\.json", [options](const httplib::Request&, httplib::Response& response) {
        detail::answer(response, "JSON report", [&] {
            response.set_content(detail::scrape_report(options)->to_json(), detail::json_content_type);
        });
    });

    if (!options.metrics_path.empty()) detail::serve_metrics(server, options.metrics_path, options);
}

// Serves the Prometheus text format alone at `path`.
inline void mount_metrics(httplib::Server& server, const std::string& path = "/metrics",
                          const endpoint_options& options = endpoint_options()) {
    detail::check_endpoint_path(path, "the metrics path");
    detail::check_endpoint_options(options);
    detail::serve_metrics(server, path, options);
}

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
