// tests/strict/strict_httplib.cpp — leakwatch/httplib.hpp compiles clean under the strict
// warning set of tests/strict/strict_warnings.cpp (cpp-httplib's own header is a system one).
#include <leakwatch/httplib.hpp>

void leakwatch_strict_httplib_probe(httplib::Server& server) {
    leakwatch::endpoint_options options;
    options.latest = leakwatch::latest_report();
    leakwatch::mount(server, "/debug/leakwatch", options);
    leakwatch::mount_metrics(server, "/leakwatch/metrics");
}
