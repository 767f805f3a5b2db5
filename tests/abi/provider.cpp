// tests/abi/provider.cpp — one side of the ABI link test (run.sh): defines two functions whose
// signatures hold leakwatch types, a tracked container and a report.
#include <leakwatch/leakwatch.hpp>

#include <cstddef>

std::size_t abi_probe_size(const leakwatch::tracked_vector<int>& v) { return v.size(); }
bool abi_probe_clean(const leakwatch::growth_report& report) { return report.clean(); }
