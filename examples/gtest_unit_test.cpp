// A GoogleTest test that fails when a workload makes a container grow without bound.
#include <leakwatch/gtest.hpp>

#include <string>

namespace {

class connection_table {
public:
    void open(int id) { connections_[id] = "open"; }
    void close(int id) { connections_.erase(id); }

private:
    leakwatch::tracked_map<int, std::string> connections_{leakwatch::label{"connections"}};
};

}  // namespace

TEST(ConnectionTable, OpenAndCloseStaysBounded) {
    connection_table table;
    int id = 0;
    EXPECT_BOUNDED([&] {
        for (int i = 0; i < 50; ++i) table.open(id + i);
        for (int i = 0; i < 50; ++i) table.close(id + i);
        id += 50;
    });
}

TEST(ConnectionTable, ForgettingToCloseIsCaught) {
    connection_table table;
    int id = 0;
    leakwatch::growth_options options;
    options.epochs = 12;
    options.warmup_epochs = 2;
    const leakwatch::growth_report report = leakwatch::check_growth([&] { table.open(id++); }, options);
    // The report names the map's creation site (the member's constructor) and its label.
    EXPECT_FALSE(report.clean());
    EXPECT_EQ(report.unbounded().size(), 1u);
}
