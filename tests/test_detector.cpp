// tests/test_detector.cpp — the growth detector against labelled synthetic histories.
//
// Every pattern of the definition of unbounded (README "Growth detection") is generated in several parameterisations by
// tests/growth_patterns.hpp (shared with tests/detector_accuracy.cpp) and must get its expected
// verdict under the default options. The remaining tests pin what the suite cannot show by
// example: option validation, the reported rate, the bytes mode, short histories, windowing,
// and that the verdict does not depend on the absolute size. Nothing here sleeps or reads a
// clock: the detector is a pure function of its samples.
#include <catch2/catch.hpp>
#include <leakwatch/detector.hpp>

#include "growth_patterns.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using leakwatch::detect_growth;
using leakwatch::detector_options;
using leakwatch::series_kind;
using leakwatch::verdict;

const std::vector<growth_patterns::labelled_history>& suite() {
    static const std::vector<growth_patterns::labelled_history> histories = growth_patterns::labelled_suite();
    return histories;
}

std::string render(const std::vector<double>& values) {
    std::string text;
    for (const double value : values) text += (text.empty() ? "" : " ") + std::to_string(static_cast<long long>(value));
    return text;
}

// Every case of one family gets its expected verdict with default options.
void check_family(const std::string& family) {
    std::size_t cases = 0;
    for (const growth_patterns::labelled_history& history : suite()) {
        if (history.family != family) continue;
        ++cases;
        const leakwatch::detection judged = detect_growth(history.values, history.kind);
        INFO(history.family << " [" << history.parameters << "]: " << render(history.values));
        INFO("confidence " << judged.confidence << ", tau " << judged.trend << ", z " << judged.trend_z
                           << ", new highs " << judged.new_highs << ", since " << judged.epochs_since_new_high
                           << ", floor rise " << judged.floor_rise << ", capacity steps " << judged.capacity_steps);
        CHECK(std::string(leakwatch::to_string(judged.verdict)) == leakwatch::to_string(history.expected));
    }
    CHECK(cases >= 4);  // several parameterisations of every pattern
}

}  // namespace

// ---- the labelled suite, family by family -------------------------------------------------

TEST_CASE("every family of the labelled suite has a test here", "[detector]") {
    const std::vector<std::string> tested = {"linear growth",
                                             "growth in steps",
                                             "noisy growth with removals",
                                             "drifting walk with removals",
                                             "flat",
                                             "warm-up then plateau",
                                             "LRU cache at capacity",
                                             "sawtooth (cleared periodically)",
                                             "fluctuation within a range",
                                             "single jump then flat",
                                             "growth that stopped",
                                             "many short-lived containers",
                                             "rise in the last epochs only",
                                             "too few samples",
                                             "bytes: vector filled then kept",
                                             "bytes: vector leaking elements",
                                             "bytes: node map leaking elements",
                                             "bytes: vector refilled and released",
                                             "bytes: node map fluctuating"};
    CHECK(growth_patterns::families_of(suite()) == tested);
}

TEST_CASE("steady linear growth is unbounded at any slope and size", "[detector]") { check_family("linear growth"); }
TEST_CASE("growth in steps every few epochs is unbounded", "[detector]") { check_family("growth in steps"); }
TEST_CASE("noisy growth with removals and a rising floor is unbounded", "[detector]") {
    check_family("noisy growth with removals");
}
TEST_CASE("a random walk drifting upwards with removals is unbounded", "[detector]") {
    check_family("drifting walk with removals");
}
TEST_CASE("a flat series is bounded", "[detector]") { check_family("flat"); }
TEST_CASE("warm-up then plateau is bounded even when the rise reaches into the window", "[detector]") {
    check_family("warm-up then plateau");
}
TEST_CASE("an LRU cache at capacity is bounded", "[detector]") { check_family("LRU cache at capacity"); }
TEST_CASE("a sawtooth with a steady peak is bounded", "[detector]") { check_family("sawtooth (cleared periodically)"); }
TEST_CASE("fluctuation within a range is bounded", "[detector]") { check_family("fluctuation within a range"); }
TEST_CASE("a single jump followed by a plateau is bounded", "[detector]") { check_family("single jump then flat"); }
TEST_CASE("growth that stopped 4 or more samples before the end is bounded", "[detector]") {
    check_family("growth that stopped");
}
TEST_CASE("many short-lived containers at one site are bounded", "[detector]") {
    check_family("many short-lived containers");
}
TEST_CASE("a rise in only the last epochs is growing, not unbounded", "[detector]") {
    check_family("rise in the last epochs only");
}
TEST_CASE("a rise seen in too few samples is growing, not unbounded", "[detector]") { check_family("too few samples"); }
TEST_CASE("bytes: a vector filled once and kept is bounded despite its doublings", "[detector]") {
    check_family("bytes: vector filled then kept");
}
TEST_CASE("bytes: a vector leaking elements is unbounded over a long history", "[detector]") {
    check_family("bytes: vector leaking elements");
}
TEST_CASE("bytes: a node map leaking elements is unbounded", "[detector]") {
    check_family("bytes: node map leaking elements");
}
TEST_CASE("bytes: a vector refilled and released is bounded", "[detector]") {
    check_family("bytes: vector refilled and released");
}
TEST_CASE("bytes: a node map whose size fluctuates is bounded", "[detector]") {
    check_family("bytes: node map fluctuating");
}

// ---- properties of the whole suite ------------------------------------------------------

TEST_CASE("confidence reaches 0.5 exactly for unbounded verdicts", "[detector]") {
    for (const growth_patterns::labelled_history& history : suite()) {
        const leakwatch::detection judged = detect_growth(history.values, history.kind);
        INFO(history.family << " [" << history.parameters << "]");
        CHECK(judged.confidence >= 0);
        CHECK(judged.confidence <= 1);
        CHECK((judged.confidence >= 0.5) == (judged.verdict == verdict::unbounded));
    }
}

TEST_CASE("the verdict on element counts does not depend on their absolute size or unit", "[detector]") {
    for (const growth_patterns::labelled_history& history : suite()) {
        if (history.kind != series_kind::elements) continue;
        std::vector<double> shifted = history.values;
        std::vector<double> scaled = history.values;
        for (double& value : shifted) value += 1000000;
        for (double& value : scaled) value *= 64;
        INFO(history.family << " [" << history.parameters << "]");
        const verdict original = detect_growth(history.values).verdict;
        CHECK(detect_growth(shifted).verdict == original);
        CHECK(detect_growth(scaled).verdict == original);
    }
}

TEST_CASE("the detector is a pure function of its samples", "[detector]") {
    const std::vector<double> noisy = growth_patterns::noisy_growth(1000, 50, 75, 7, 12);
    const leakwatch::detection first = detect_growth(noisy);
    const leakwatch::detection second = detect_growth(noisy);
    CHECK(first.verdict == second.verdict);
    CHECK(first.confidence == second.confidence);
    CHECK(first.per_epoch == second.per_epoch);
    CHECK(first.new_highs == second.new_highs);
}

// ---- options ----------------------------------------------------------------------------

TEST_CASE("the default options are valid and documented values", "[detector]") {
    const detector_options defaults;
    CHECK_NOTHROW(defaults.validate());
    CHECK(defaults.window == 24);
    CHECK(defaults.min_samples == 4);
    CHECK(defaults.recent_epochs == 4);
    CHECK(defaults.min_new_highs == 2);
    CHECK(defaults.new_high_tolerance == 0.5);
    CHECK(defaults.min_trend == 0.7);
    CHECK(defaults.min_trend_z == 2.33);
    CHECK(defaults.min_floor_rise == 0.3);
    CHECK(defaults.min_ceiling_rise == 0.15);
    CHECK(defaults.growing_breakout == 2.0);
    CHECK(defaults.bytes_window == 64);
    CHECK(defaults.capacity_step_ratio == 1.3);
    CHECK(defaults.min_capacity_steps == 3);
    CHECK(defaults.capacity_stall_factor == 2.0);
}

TEST_CASE("invalid options are rejected with the option's name and value", "[detector]") {
    SECTION("the message names the option, the rule and the value") {
        detector_options options;
        options.window = 2;
        CHECK_THROWS_AS(options.validate(), std::invalid_argument);
        CHECK_THROWS_WITH(options.validate(), "leakwatch: detector_options.window must be >= 4 (got 2)");
    }
    SECTION("detect_growth validates before judging") {
        detector_options options;
        options.min_trend = 1.5;
        const std::vector<double> values = {1, 2, 3, 4, 5, 6};
        CHECK_THROWS_WITH(detect_growth(values, series_kind::elements, options),
                          Catch::Contains("detector_options.min_trend") && Catch::Contains("1.5"));
    }
    SECTION("every option") {
        const double not_a_number = std::numeric_limits<double>::quiet_NaN();
        struct broken {
            const char* name;
            void (*spoil)(detector_options&);
        };
        const broken cases[] = {
            {"window", [](detector_options& o) { o.window = 3; }},
            {"window", [](detector_options& o) { o.window = 5000; }},
            {"min_samples", [](detector_options& o) { o.min_samples = 2; }},
            {"min_samples", [](detector_options& o) { o.min_samples = 25; }},
            {"recent_epochs", [](detector_options& o) { o.recent_epochs = 0; }},
            {"recent_epochs", [](detector_options& o) { o.recent_epochs = 24; }},
            {"min_new_highs", [](detector_options& o) { o.min_new_highs = 0; }},
            {"new_high_tolerance", [](detector_options& o) { o.new_high_tolerance = -0.1; }},
            {"min_trend", [](detector_options& o) { o.min_trend = 0; }},
            {"min_trend", [](detector_options& o) { o.min_trend = 1.01; }},
            {"min_trend_z", [](detector_options& o) { o.min_trend_z = -1; }},
            {"min_floor_rise", [](detector_options& o) { o.min_floor_rise = -0.5; }},
            {"min_ceiling_rise", [](detector_options& o) { o.min_ceiling_rise = 1.5; }},
            {"growing_breakout", [](detector_options& o) { o.growing_breakout = 0; }},
            {"bytes_window", [](detector_options& o) { o.bytes_window = 3; }},
            {"capacity_step_ratio", [](detector_options& o) { o.capacity_step_ratio = 1.0; }},
            {"min_capacity_steps", [](detector_options& o) { o.min_capacity_steps = 1; }},
            {"capacity_stall_factor", [](detector_options& o) { o.capacity_stall_factor = 0.5; }},
        };
        for (const broken& option : cases) {
            detector_options options;
            option.spoil(options);
            INFO(option.name);
            CHECK_THROWS_AS(options.validate(), std::invalid_argument);
            CHECK_THROWS_WITH(options.validate(), Catch::StartsWith(std::string("leakwatch: detector_options.") +
                                                                    option.name + " must be"));
        }
        detector_options options;
        options.min_trend_z = not_a_number;
        CHECK_THROWS_WITH(options.validate(), Catch::Contains("min_trend_z") && Catch::Contains("nan"));
    }
}

TEST_CASE("the options change the verdict the way their documentation says", "[detector]") {
    const std::vector<double> stopped = growth_patterns::stopped_linear(0, 10, 5, 12);  // last rise 5 samples ago
    REQUIRE(detect_growth(stopped).verdict == verdict::bounded);
    detector_options patient;
    patient.recent_epochs = 6;
    CHECK(detect_growth(stopped, series_kind::elements, patient).verdict == verdict::unbounded);

    const std::vector<double> linear = growth_patterns::linear_growth(0, 10, 12);
    detector_options demanding_floor;
    demanding_floor.min_floor_rise = 2;
    CHECK(detect_growth(linear, series_kind::elements, demanding_floor).verdict != verdict::unbounded);
    detector_options many_highs;
    many_highs.min_new_highs = 11;
    CHECK(detect_growth(linear, series_kind::elements, many_highs).verdict == verdict::unbounded);
    many_highs.min_new_highs = 11;
    CHECK(detect_growth(std::vector<double>(linear.begin(), linear.end() - 1), series_kind::elements, many_highs)
              .verdict != verdict::unbounded);
}

// ---- what the detection reports -----------------------------------------------------------

TEST_CASE("per_epoch is the slope of a clean linear series", "[detector]") {
    for (const double slope : {1.0, 3.0, 250.0, 1000.0}) {
        for (const double base : {0.0, 50000.0}) {
            for (const std::size_t samples : {std::size_t{6}, std::size_t{12}, std::size_t{64}}) {
                const leakwatch::detection judged = detect_growth(growth_patterns::linear_growth(base, slope, samples));
                INFO("slope " << slope << ", base " << base << ", samples " << samples);
                CHECK(judged.verdict == verdict::unbounded);
                CHECK(judged.per_epoch == Approx(slope));
                CHECK(judged.samples == std::min<std::size_t>(samples, 24));
                CHECK(judged.new_highs == judged.samples - 1);
                CHECK(judged.epochs_since_new_high == 0);
                CHECK(judged.trend == Approx(1.0));
                CHECK(judged.floor_rise == Approx(1.0));
            }
        }
    }
    const leakwatch::detection falling = detect_growth(growth_patterns::linear_growth(5000, -7, 12));
    CHECK(falling.verdict == verdict::bounded);
    CHECK(falling.per_epoch == Approx(-7));
    CHECK(falling.trend == Approx(-1.0));
}

TEST_CASE("per_epoch ignores a single outlier", "[detector]") {
    std::vector<double> values = growth_patterns::linear_growth(100, 4, 12);
    values[5] += 10000;  // one wild sample
    CHECK(detect_growth(values).per_epoch == Approx(4));
}

// ---- short histories and windowing --------------------------------------------------------

TEST_CASE("with fewer than min_samples samples the verdict is never unbounded", "[detector]") {
    const std::vector<std::vector<double>> rising = {
        growth_patterns::linear_growth(0, 1, 12), growth_patterns::linear_growth(50000, 1000, 12),
        growth_patterns::step_growth(0, 100, 2, 1, 12), growth_patterns::noisy_growth(1000, 50, 25, 3, 12),
        growth_patterns::vector_leak(100, 8, 2, 12)};
    for (const std::vector<double>& series : rising) {
        for (std::size_t samples = 0; samples < 4; ++samples) {
            const std::vector<double> prefix(series.begin(), series.begin() + static_cast<std::ptrdiff_t>(samples));
            INFO("samples " << samples << ": " << render(prefix));
            CHECK(detect_growth(prefix).verdict != verdict::unbounded);
            CHECK(detect_growth(prefix, series_kind::bytes).verdict != verdict::unbounded);
        }
    }
    detector_options cautious;
    cautious.min_samples = 9;
    const std::vector<double> linear = growth_patterns::linear_growth(0, 10, 12);
    for (std::size_t samples = 0; samples < 12; ++samples) {
        const std::vector<double> prefix(linear.begin(), linear.begin() + static_cast<std::ptrdiff_t>(samples));
        INFO("samples " << samples);
        CHECK((detect_growth(prefix, series_kind::elements, cautious).verdict == verdict::unbounded) == (samples >= 9));
    }
}

TEST_CASE("a clean linear leak is growing at 2 to 5 samples and unbounded from 6", "[detector]") {
    const std::vector<double> linear = growth_patterns::linear_growth(50000, 1, 12);
    CHECK(detect_growth(linear.data(), 0).verdict == verdict::bounded);
    CHECK(detect_growth(linear.data(), 1).verdict == verdict::bounded);
    for (std::size_t samples = 2; samples <= 5; ++samples) {
        INFO("samples " << samples);
        CHECK(detect_growth(linear.data(), samples).verdict == verdict::growing);
    }
    for (std::size_t samples = 6; samples <= 12; ++samples) {
        INFO("samples " << samples);
        CHECK(detect_growth(linear.data(), samples).verdict == verdict::unbounded);
    }
}

TEST_CASE("only the most recent window of a long history is judged", "[detector]") {
    std::vector<double> grew_then_stopped = growth_patterns::linear_growth(0, 10, 52);
    grew_then_stopped.insert(grew_then_stopped.end(), 12, grew_then_stopped.back());
    CHECK(detect_growth(grew_then_stopped).verdict == verdict::bounded);

    std::vector<double> flat_then_grew(52, 500.0);
    for (int epoch = 1; epoch <= 12; ++epoch) flat_then_grew.push_back(500.0 + 3 * epoch);
    const leakwatch::detection judged = detect_growth(flat_then_grew);
    CHECK(judged.verdict == verdict::unbounded);
    CHECK(judged.samples == 24);

    detector_options short_window;
    short_window.window = 12;
    CHECK(detect_growth(flat_then_grew, series_kind::elements, short_window).samples == 12);
    CHECK(detect_growth(grew_then_stopped, series_kind::elements, short_window).verdict == verdict::bounded);

    detector_options whole_history;
    whole_history.window = 64;
    CHECK(detect_growth(grew_then_stopped, series_kind::elements, whole_history).verdict == verdict::bounded);
    CHECK(detect_growth(growth_patterns::linear_growth(7, 2, 64), series_kind::elements, whole_history).verdict ==
          verdict::unbounded);
}

TEST_CASE("a leak that starts after a long flat stretch reads growing, then unbounded", "[detector]") {
    std::vector<double> history(40, 50000.0);
    for (int epoch = 1; epoch <= 24; ++epoch) history.push_back(50000.0 + epoch);
    CHECK(detect_growth(history.data(), 40).verdict == verdict::bounded);
    for (std::size_t rising = 1; rising <= 24; ++rising) {
        INFO(rising << " rising samples after 40 flat ones, judged on the last 24");
        const verdict expected = rising < 11 ? verdict::growing : verdict::unbounded;
        CHECK(detect_growth(history.data(), 40 + rising).verdict == expected);
    }
    // With a 12-sample window it is flagged sooner, as in the default check.
    detector_options short_window;
    short_window.window = 12;
    CHECK(detect_growth(history.data(), 45, series_kind::elements, short_window).verdict == verdict::growing);
    CHECK(detect_growth(history.data(), 46, series_kind::elements, short_window).verdict == verdict::unbounded);
}

TEST_CASE("a history with a sample that is not a number is not judged", "[detector]") {
    std::vector<double> values = growth_patterns::linear_growth(0, 10, 12);
    values[4] = std::numeric_limits<double>::quiet_NaN();
    const leakwatch::detection judged = detect_growth(values);
    CHECK(judged.verdict == verdict::bounded);
    CHECK(judged.confidence == 0);
    CHECK(detect_growth(nullptr, 5).verdict == verdict::bounded);
}

// ---- bytes mode ---------------------------------------------------------------------------

TEST_CASE("bytes: capacity doubling alone does not look like a leak", "[detector]") {
    // Grows to 1000 elements of 8 bytes during the first epochs: 8 KiB after a burst of doublings.
    for (const std::size_t fill_epochs : {std::size_t{1}, std::size_t{6}, std::size_t{10}}) {
        for (const std::size_t samples : {std::size_t{12}, std::size_t{64}}) {
            const std::vector<double> bytes = growth_patterns::vector_fill_then_keep(1000, fill_epochs, 8, samples);
            INFO("fill epochs " << fill_epochs << ", samples " << samples << ": " << render(bytes));
            CHECK(bytes.back() == 8192);
            CHECK(detect_growth(bytes, series_kind::bytes).verdict == verdict::bounded);
        }
    }
    // The same burst entirely inside the history: three held doublings, then a long stall.
    std::vector<double> burst = {0, 1024, 2048, 4096, 8192};
    burst.insert(burst.end(), 27, 8192.0);
    const leakwatch::detection judged = detect_growth(burst, series_kind::bytes);
    CHECK(judged.capacity_steps == 4);
    CHECK(judged.verdict == verdict::bounded);
}

TEST_CASE("bytes: a long doubling growth does not hide a leak", "[detector]") {
    for (const double per_epoch : {1.0, 10.0, 100.0, 1000.0}) {
        const std::vector<double> bytes = growth_patterns::vector_leak(per_epoch, 8, 2, 64);
        INFO("elements per epoch " << per_epoch << ": " << render(bytes));
        const leakwatch::detection judged = detect_growth(bytes, series_kind::bytes);
        CHECK(judged.verdict == verdict::unbounded);
        CHECK(judged.capacity_steps >= 3);
        CHECK(judged.per_epoch > 0);
        CHECK(judged.confidence >= 0.5);
        // Judged as element counts, the last 12 samples of the same bytes are mostly a plateau:
        // the capacity test is what finds this leak.
        CHECK(detect_growth(bytes, series_kind::elements).verdict != verdict::unbounded);
    }
    // Doublings at 8, 16, 32: the stall since the last one is within twice the last gap.
    std::vector<double> doubling;
    for (int epoch = 0; epoch < 40; ++epoch)
        doubling.push_back(epoch < 8 ? 1024 : epoch < 16 ? 2048 : epoch < 32 ? 4096 : 8192);
    CHECK(detect_growth(doubling, series_kind::bytes).verdict == verdict::unbounded);
    // ... and once the stall exceeds twice that gap (33 > 2 * 16 samples in the last 64), the
    // vector has stopped growing.
    doubling.insert(doubling.end(), 26, 8192.0);
    CHECK(detect_growth(doubling, series_kind::bytes).verdict == verdict::bounded);
}

TEST_CASE("bytes: two held doublings are growing, not yet unbounded", "[detector]") {
    std::vector<double> bytes(10, 1024.0);
    bytes.insert(bytes.end(), 10, 2048.0);
    bytes.insert(bytes.end(), 4, 4096.0);
    const leakwatch::detection judged = detect_growth(bytes, series_kind::bytes);
    CHECK(judged.capacity_steps == 2);
    CHECK(judged.verdict == verdict::growing);
    CHECK(judged.confidence < 0.5);
}
