// check_growth() with real tracked containers: each growth pattern of the detector's suite,
// driven through containers with the default options (16 epochs, 4 of warm-up).
#include <leakwatch/leakwatch.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

const leakwatch::finding* find_label(const leakwatch::growth_report& report, const std::string& label) {
    for (const auto& f : report.findings())
        if (f.label == label) return &f;
    return nullptr;
}

}  // namespace

TEST_CASE("steady linear growth is unbounded, at its declaration line", "[check]") {
    const unsigned line = __LINE__ + 1;
    leakwatch::tracked_map<int, int> sessions{leakwatch::label{"linear"}};
    int next = 0;
    const auto report = leakwatch::check_growth([&] {
        for (int i = 0; i < 25; ++i) sessions[next++] = i;
    });
    REQUIRE_FALSE(report.clean());
    const auto* f = find_label(report, "linear");
    REQUIRE(f != nullptr);
    CHECK(f->verdict == leakwatch::verdict::unbounded);
    CHECK(f->site.line == line);
    CHECK(std::string(f->site.file).find("test_check.cpp") != std::string::npos);
    CHECK(f->elements_per_epoch == Approx(25.0));
    CHECK(f->never_read());
    CHECK(f->type == "tracked_map<int, int>");
}

TEST_CASE("slow growth on a large base is unbounded", "[check]") {
    leakwatch::tracked_vector<int> samples{leakwatch::label{"large base"}};
    samples.reserve(60000);
    for (int i = 0; i < 50000; ++i) samples.push_back(i);
    const auto report = leakwatch::check_growth([&] { samples.push_back(1); });
    const auto* f = find_label(report, "large base");
    REQUIRE(f != nullptr);
    CHECK(f->verdict == leakwatch::verdict::unbounded);
}

TEST_CASE("growth in steps every few epochs is unbounded", "[check]") {
    leakwatch::tracked_ordered_map<int, int> steps{leakwatch::label{"steps"}};
    int run = 0, next = 0;
    const auto report = leakwatch::check_growth([&] {
        if (run++ % 3 == 0)
            for (int i = 0; i < 40; ++i) steps[next++] = i;
    });
    const auto* f = find_label(report, "steps");
    REQUIRE(f != nullptr);
    CHECK(f->verdict == leakwatch::verdict::unbounded);
}

TEST_CASE("noisy growth with removals and a rising floor is unbounded", "[check]") {
    leakwatch::tracked_list<int> queue{leakwatch::label{"noisy"}};
    std::mt19937 random(7);
    const auto report = leakwatch::check_growth([&] {
        const int added = 30 + static_cast<int>(random() % 20);
        for (int i = 0; i < added; ++i) queue.push_back(i);
        const int removed = static_cast<int>(random() % 40);
        for (int i = 0; i < removed && !queue.empty(); ++i) queue.pop_front();
    });
    const auto* f = find_label(report, "noisy");
    REQUIRE(f != nullptr);
    CHECK(f->verdict == leakwatch::verdict::unbounded);
}

TEST_CASE("bounded patterns stay bounded", "[check]") {
    SECTION("flat") {
        leakwatch::tracked_map<int, int> flat{leakwatch::label{"flat"}};
        for (int i = 0; i < 100; ++i) flat[i] = i;
        CHECK(leakwatch::check_growth([&] { flat.find(3); flat[5] = 6; }).clean());
    }
    SECTION("warm-up then plateau") {
        leakwatch::tracked_map<int, int> warm{leakwatch::label{"warm"}};
        int next = 0;
        CHECK(leakwatch::check_growth([&] {
                  if (warm.size() < 200)
                      for (int i = 0; i < 60; ++i) warm[next++] = i;
              }).clean());
    }
    SECTION("capped cache at capacity (LRU)") {
        leakwatch::tracked_list<int> order{leakwatch::label{"lru order"}};
        leakwatch::tracked_map<int, int> index{leakwatch::label{"lru index"}};
        int key = 0;
        CHECK(leakwatch::check_growth([&] {
                  for (int i = 0; i < 50; ++i, ++key) {
                      order.push_front(key);
                      index[key] = key;
                      if (order.size() > 128) {
                          index.erase(order.back());
                          order.pop_back();
                      }
                  }
              }).clean());
    }
    SECTION("sawtooth: cleared every few epochs") {
        leakwatch::tracked_vector<int> batch{leakwatch::label{"sawtooth"}};
        int run = 0;
        CHECK(leakwatch::check_growth([&] {
                  if (run++ % 4 == 0) batch.clear();
                  for (int i = 0; i < 100; ++i) batch.push_back(i);
              }).clean());
    }
    SECTION("random fluctuation within a range") {
        leakwatch::tracked_unordered_set<int> live{leakwatch::label{"fluctuating"}};
        std::mt19937 random(11);
        CHECK(leakwatch::check_growth([&] {
                  live.clear();
                  const int n = 100 + static_cast<int>(random() % 50);
                  for (int i = 0; i < n; ++i) live.insert(i);
              }).clean());
    }
    SECTION("a single jump then flat") {
        leakwatch::tracked_deque<int> jump{leakwatch::label{"jump"}};
        int run = 0;
        CHECK(leakwatch::check_growth([&] {
                  if (run++ == 6)
                      for (int i = 0; i < 1000; ++i) jump.push_back(i);
              }).clean());
    }
    SECTION("growth that stopped several epochs before the end") {
        leakwatch::tracked_ordered_set<int> stopped{leakwatch::label{"stopped"}};
        int run = 0, next = 0;
        CHECK(leakwatch::check_growth([&] {
                  if (run++ < 9)
                      for (int i = 0; i < 20; ++i) stopped.insert(next++);
              }).clean());
    }
    SECTION("many short-lived containers") {
        CHECK(leakwatch::check_growth([&] {
                  for (int i = 0; i < 20; ++i) {
                      leakwatch::tracked_map<int, int> scratch;
                      scratch[i] = i;
                  }
              }).clean());
    }
}

TEST_CASE("objects that each own a container and are never freed form one site finding", "[check]") {
    struct connection {
        leakwatch::tracked_map<int, int> counters;
        const unsigned line = __LINE__ + 1;
        connection() { counters[1] = 1; }
    };
    std::vector<std::unique_ptr<connection>> leaked;
    const auto report = leakwatch::check_growth([&] {
        for (int i = 0; i < 3; ++i) leaked.push_back(std::make_unique<connection>());
    });
    REQUIRE_FALSE(report.clean());
    const auto bad = report.unbounded();
    REQUIRE(bad.size() == 1);
    CHECK(bad[0].kind == leakwatch::finding_kind::site);
    CHECK(bad[0].instances == leaked.size());
    CHECK(bad[0].site.line == leaked.front()->line);
}

TEST_CASE("only what lived during the check is judged", "[check]") {
    leakwatch::tracked_map<int, int> before{leakwatch::label{"filled before"}};
    for (int i = 0; i < 5000; ++i) before[i] = i;  // large, but not growing during the check
    leakwatch::tracked_map<int, int> other{leakwatch::label{"untouched"}};
    const auto report = leakwatch::check_growth([&] { before.find(1); });
    CHECK(report.clean());
    CHECK(find_label(report, "untouched") == nullptr);
}

TEST_CASE("checks in parallel threads judge their own containers", "[check]") {
    std::atomic<bool> leaking_clean{true}, bounded_clean{false};
    std::thread leaking([&] {
        leakwatch::tracked_map<int, int> leak{leakwatch::label{"thread leak"}};
        int next = 0;
        leaking_clean = leakwatch::check_growth([&] {
                            for (int i = 0; i < 10; ++i) leak[next++] = i;
                        }).clean();
    });
    std::thread bounded([&] {
        leakwatch::tracked_map<int, int> steady{leakwatch::label{"thread steady"}};
        for (int i = 0; i < 10; ++i) steady[i] = i;
        bounded_clean = leakwatch::check_growth([&] { steady[3] = 4; }).clean();
    });
    leaking.join();
    bounded.join();
    CHECK_FALSE(leaking_clean.load());
    CHECK(bounded_clean.load());
}

TEST_CASE("the ignore list leaves known caches out", "[check]") {
    leakwatch::tracked_map<int, int> known{leakwatch::label{"known cache"}};
    leakwatch::tracked_map<int, int> by_site{leakwatch::label{"by site"}};
    const unsigned by_site_line = __LINE__ - 1;
    int next = 0;
    leakwatch::growth_options options;
    options.ignore_labels = {"known cache"};
    options.ignore_sites = {"test_check.cpp:" + std::to_string(by_site_line)};
    const auto report = leakwatch::check_growth(
        [&] {
            for (int i = 0; i < 10; ++i, ++next) {
                known[next] = i;
                by_site[next] = i;
            }
        },
        options);
    CHECK(report.clean());
    CHECK(find_label(report, "known cache") == nullptr);
    CHECK(find_label(report, "by site") == nullptr);
}

TEST_CASE("invalid growth options are rejected naming the option", "[check]") {
    leakwatch::growth_options zero;
    zero.epochs = 0;
    CHECK_THROWS_WITH(leakwatch::check_growth([] {}, zero), Catch::Contains("epochs"));
    leakwatch::growth_options warm;
    warm.epochs = 4;
    warm.warmup_epochs = 4;
    CHECK_THROWS_AS(leakwatch::check_growth([] {}, warm), std::invalid_argument);
    CHECK_THROWS_WITH(leakwatch::check_growth([] {}, warm), Catch::Contains("warmup_epochs"));
}

TEST_CASE("the failure message names the leaking container's file and line", "[check]") {
    leakwatch::tracked_map<int, int> leak{leakwatch::label{"named"}};
    const unsigned line = __LINE__ - 1;
    int next = 0;
    const auto report = leakwatch::check_growth([&] { leak[next++] = 1; });
    const std::string message = leakwatch::failure_message(report);
    CHECK_THAT(message, Catch::Contains("test_check.cpp:" + std::to_string(line)));
    CHECK_THAT(message, Catch::Contains("\"named\""));
    CHECK_THAT(message, Catch::Contains("tracked_map<int, int>"));
}
