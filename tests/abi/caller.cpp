// tests/abi/caller.cpp — the other side of the ABI link test (run.sh): calls provider.cpp's
// functions and prints the name of its own inline namespace.
#include <leakwatch/leakwatch.hpp>

#include <cstddef>
#include <cstdio>

std::size_t abi_probe_size(const leakwatch::tracked_vector<int>& v);
bool abi_probe_clean(const leakwatch::growth_report& report);

int main() {
    const leakwatch::tracked_vector<int> v{1, 2, 3};
    const leakwatch::growth_report report = leakwatch::registry::report();
    if (abi_probe_size(v) != 3 || abi_probe_clean(report) != report.clean()) {
        std::puts("provider.cpp and caller.cpp disagree");
        return 1;
    }
    std::puts(LEAKWATCH_ABI_NAMESPACE_STRING);
    return 0;
}
