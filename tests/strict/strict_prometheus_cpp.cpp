// tests/strict/strict_prometheus_cpp.cpp — leakwatch/prometheus_cpp.hpp compiles clean under the
// strict warning set of tests/strict/strict_warnings.cpp (prometheus-cpp's headers are system ones).
#include <leakwatch/prometheus_cpp.hpp>

#include <cstddef>

std::size_t leakwatch_strict_prometheus_cpp_probe() {
    const leakwatch::latest_report latest;
    return leakwatch::make_collectable()->Collect().size() + leakwatch::make_collectable(latest)->Collect().size() +
           leakwatch::make_collectable(leakwatch::analysis_options())->Collect().size();
}
