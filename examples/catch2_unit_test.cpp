// A unit test that fails when a workload makes a container grow without bound.
// Build with Catch2 v2 (or v3); the test runner's main comes from Catch2.
#include <leakwatch/catch2.hpp>

#include <cstddef>
#include <string>

namespace {

class request_log {
public:
    // Keeps only the last `capacity` requests: bounded.
    explicit request_log(std::size_t capacity) : capacity_(capacity) {}
    void record(const std::string& request) {
        if (recent_.size() == capacity_) recent_.pop_front();
        recent_.push_back(request);
    }

private:
    std::size_t capacity_;
    leakwatch::tracked_deque<std::string> recent_{leakwatch::label{"recent requests"}};
};

class subscription_registry {
public:
    // Subscribes and never unsubscribes: unbounded.
    void subscribe(int client) { subscribers_.insert(client); }

private:
    leakwatch::tracked_unordered_set<int> subscribers_{leakwatch::label{"subscribers"}};
};

}  // namespace

TEST_CASE("the request log stays bounded", "[example]") {
    request_log log(64);
    int n = 0;
    LEAKWATCH_REQUIRE_BOUNDED([&] {
        for (int i = 0; i < 100; ++i) log.record("GET /item/" + std::to_string(n++));
    });
}

TEST_CASE("a registry that never unsubscribes is caught", "[example][!shouldfail]") {
    subscription_registry subscriptions;
    int client = 0;
    // Fails, printing the file:line of `subscribers_`, its label, type, size and growth.
    LEAKWATCH_CHECK_BOUNDED([&] {
        for (int i = 0; i < 10; ++i) subscriptions.subscribe(client++);
    });
}
