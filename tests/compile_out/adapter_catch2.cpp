// tests/compile_out/adapter_catch2.cpp — the Catch2 assertions with LEAKWATCH_DISABLE, compiled
// as C++11 and C++14 by run.sh.
#include <leakwatch/catch2.hpp>

TEST_CASE("bounded workloads, compiled out") {
    leakwatch::tracked_vector<int> values{leakwatch::label{"values"}};
    LEAKWATCH_REQUIRE_BOUNDED([&] { values.push_back(1); });
    leakwatch::growth_options options;
    options.epochs = 2;
    options.warmup_epochs = 0;
    LEAKWATCH_CHECK_BOUNDED([&] { values.clear(); }, options);
    CHECK(values.empty());
}
