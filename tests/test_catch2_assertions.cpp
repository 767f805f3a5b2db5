// The Catch2 adapter: the assertions pass on bounded workloads and fail on leaking ones.
#include <leakwatch/catch2.hpp>

#include <string>

TEST_CASE("LEAKWATCH_REQUIRE_BOUNDED passes on a bounded workload", "[catch2]") {
    leakwatch::tracked_map<int, std::string> cache{leakwatch::label{"cache"}};
    int n = 0;
    LEAKWATCH_REQUIRE_BOUNDED([&] {
        for (int i = 0; i < 20; ++i) cache[n++ % 16] = "v";
    });
    LEAKWATCH_CHECK_BOUNDED([&] { cache.find(1); });
}

TEST_CASE("LEAKWATCH_CHECK_BOUNDED fails on a leaking workload", "[catch2][!shouldfail]") {
    leakwatch::tracked_map<int, std::string> leak{leakwatch::label{"leak"}};
    int n = 0;
    LEAKWATCH_CHECK_BOUNDED([&] { leak[n++] = "v"; });
}

TEST_CASE("LEAKWATCH_REQUIRE_BOUNDED fails on a leaking workload", "[catch2][!shouldfail]") {
    leakwatch::tracked_vector<int> leak{leakwatch::label{"leak"}};
    leakwatch::growth_options options;
    options.epochs = 10;
    options.warmup_epochs = 2;
    LEAKWATCH_REQUIRE_BOUNDED([&] { leak.push_back(1); }, options);
}
