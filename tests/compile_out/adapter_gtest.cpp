// tests/compile_out/adapter_gtest.cpp — the GoogleTest assertions with LEAKWATCH_DISABLE,
// compiled as C++11 and C++14 by run.sh.
#include <leakwatch/gtest.hpp>

TEST(CompiledOut, BoundedWorkloads) {
    leakwatch::tracked_vector<int> values{leakwatch::label{"values"}};
    EXPECT_BOUNDED([&] { values.push_back(1); });
    leakwatch::growth_options options;
    options.epochs = 2;
    options.warmup_epochs = 0;
    ASSERT_BOUNDED([&] { values.clear(); }, options) << "with options";
    EXPECT_TRUE(values.empty());
}
