// tests/compile_out/probe.cpp — what a project's code calls, built with LEAKWATCH_DISABLE as
// C++11, C++14 and C++17 by run.sh, which compares the three programs' output.
#include <leakwatch/leakwatch.hpp>

#include <cstddef>
#include <iostream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "shared.hpp"

static_assert(!leakwatch::enabled(), "compiled out");
static_assert(std::is_same<leakwatch::tracked_map<int, std::string>, std::unordered_map<int, std::string>>::value,
              "a tracked type is its std type");
static_assert(std::is_same<leakwatch::tracked_vector<int>, std::vector<int>>::value, "a tracked type is its std type");

int main() {
    leakwatch::tracked_map<int, std::string> names{leakwatch::label{"names"}};
    leakwatch::tracked_vector<int> values;
    int runs = 0;
    const leakwatch::growth_report check = leakwatch::check_growth([&] {
        names[runs] = std::to_string(runs);
        values.push_back(runs);
        ++runs;
    });
    leakwatch::growth_options options;
    options.epochs = 3;
    options.warmup_epochs = 1;
    leakwatch::check_growth([&] { values.clear(); }, options);
    leakwatch::registry::snapshot();
    const leakwatch::growth_report report = leakwatch::registry::report();
    std::cout << "runs " << runs << ", names " << names.size() << ", values " << values.size()
              << ", shared size " << shared_size(names) << '\n'
              << "clean " << check.clean() << report.clean() << ", live " << leakwatch::registry::live_containers()
              << ", epoch " << leakwatch::registry::current_epoch() << '\n'
              << report << leakwatch::failure_message(check);
    options.warmup_epochs = 3;
    try {
        leakwatch::check_growth([] {}, options);
    } catch (const std::invalid_argument& e) {
        std::cout << e.what() << '\n';
    }
    return 0;
}
