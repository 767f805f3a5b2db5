// tests/test_long_history.cpp — days of history in bounded memory.
//
// The registry keeps the most recent epochs one sample each and older ones merged into coarser
// buckets; the detector judges every resolution. These tests drive tracked containers through
// weeks of snapshots (an epoch is a snapshot, not a span of wall-clock time: 2,880 snapshots
// stand for a day at a 30 s interval) and check that a slow leak is caught within a day, that
// daily and weekly cycles are not, and that the registry's memory does not grow with the
// number of snapshots. The detector is also fed synthetic multi-resolution series directly.
#include <leakwatch/leakwatch.hpp>

#include <catch2/catch.hpp>

#include "growth_patterns.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace lw = leakwatch;

namespace {

constexpr std::uint64_t hour = 120;  // epochs at a 30 s snapshot interval
constexpr std::uint64_t day = 24 * hour;
constexpr std::uint64_t week = 7 * day;

const lw::finding* find_label(const lw::growth_report& report, const std::string& label) {
    for (const lw::finding& f : report.findings())
        if (f.label == label) return &f;
    return nullptr;
}

// Sets the container's size to value_at(epoch) for each epoch in [0, epochs) and records the
// epoch: with check(epoch, report) every check_every epochs (report() takes that epoch's
// snapshot), with a plain snapshot otherwise.
template <class ValueAt, class Check>
void drive(lw::tracked_vector<int>& container, std::uint64_t epochs, std::uint64_t check_every,
           const ValueAt& value_at, const Check& check) {
    for (std::uint64_t epoch = 0; epoch < epochs; ++epoch) {
        container.resize(static_cast<std::size_t>(value_at(epoch)));
        if (check_every != 0 && (epoch + 1) % check_every == 0)
            check(epoch, lw::registry::report());
        else
            lw::registry::snapshot();
    }
}

// Deterministic noise, uniform in [-amplitude, amplitude] (std::mt19937's sequence is fixed
// by the standard).
struct noise {
    explicit noise(std::uint32_t seed) : rng(seed) {}
    double operator()(double amplitude) { return growth_patterns::uniform_between(rng, -amplitude, amplitude); }
    std::mt19937 rng;
};

std::string describe(std::uint64_t epoch, const lw::finding& f) {
    return "epoch " + std::to_string(epoch) + ": " + lw::to_string(f.verdict) + " at " +
           std::to_string(f.epochs_per_sample) + " epochs per sample over epochs " +
           std::to_string(f.judged_first_epoch) + ".." + std::to_string(f.judged_last_epoch) + "\n";
}

}  // namespace

TEST_CASE("a leak of one element an hour on 10,000 is unbounded within a day", "[history]") {
    lw::registry::reset();
    lw::tracked_vector<int> slow{lw::label{"slow leak"}};
    const auto value_at = [](std::uint64_t epoch) { return 10000 + epoch / hour; };
    std::uint64_t first_flagged = 0;
    std::uint64_t resolution = 0, judged_from = 0, judged_to = 0;
    std::size_t full_resolution_unbounded = 0;
    drive(slow, day, 1, value_at, [&](std::uint64_t epoch, const lw::growth_report& report) {
        const lw::finding* f = find_label(report, "slow leak");
        REQUIRE(f != nullptr);
        if (f->verdict == lw::verdict::unbounded && f->epochs_per_sample == 1) ++full_resolution_unbounded;
        if (first_flagged == 0 && f->verdict == lw::verdict::unbounded) {
            first_flagged = epoch + 1;  // epochs recorded so far
            resolution = f->epochs_per_sample;
            judged_from = f->judged_first_epoch;
            judged_to = f->judged_last_epoch;
        }
    });
    INFO("first flagged unbounded after " << first_flagged << " epochs, judged at " << resolution
                                          << " epochs per sample over epochs " << judged_from << ".." << judged_to);
    CHECK(first_flagged != 0);
    CHECK(first_flagged <= day);
    // At full resolution the 24-sample window sees at most one step: it is the coarse levels
    // that catch it.
    CHECK(full_resolution_unbounded == 0);
    CHECK(resolution > 1);
    WARN("slow leak (+1 element/hour on 10,000): flagged unbounded after " << first_flagged << " epochs at "
                                                                           << resolution << " epochs per sample");

    // It stays flagged, and the report says at which resolution.
    const lw::growth_report report = lw::registry::report();
    const lw::finding* f = find_label(report, "slow leak");
    REQUIRE(f != nullptr);
    CHECK(f->verdict == lw::verdict::unbounded);
    CHECK(f->epochs_per_sample > 1);
    CHECK(f->judged_first_epoch < f->judged_last_epoch);
    CHECK(f->elements_per_epoch > 0.5 / static_cast<double>(hour));
    CHECK(f->elements_per_epoch < 2.0 / static_cast<double>(hour));
    CHECK(report.to_text().find("epochs per sample") != std::string::npos);
    const std::string json = report.to_json();
    CHECK(json.find("\"minor_version\":1") != std::string::npos);
    CHECK(json.find("\"epochs_per_sample\":" + std::to_string(f->epochs_per_sample)) != std::string::npos);
    CHECK(json.find("\"history_levels\":[{\"epochs_per_bucket\":8,") != std::string::npos);
}

TEST_CASE("a cache cleared every night stays bounded over a week", "[history]") {
    lw::registry::reset();
    lw::tracked_vector<int> cache{lw::label{"nightly cache"}};
    // Refills towards its working set of 20,000 (time constant 2 hours) after every clear,
    // with 1% noise.
    noise jitter(7);
    const auto value_at = [&](std::uint64_t epoch) {
        const double since_clear = static_cast<double>(epoch % day);
        const double fill = 20000.0 * (1.0 - std::exp(-since_clear / static_cast<double>(2 * hour)));
        return static_cast<std::uint64_t>(std::max(0.0, std::round(fill * (1.0 + jitter(0.01)))));
    };
    std::size_t checks = 0, not_bounded = 0, first_day_unbounded = 0;
    std::string failures;
    drive(cache, 7 * day, hour / 4, value_at, [&](std::uint64_t epoch, const lw::growth_report& report) {
        const lw::finding* f = find_label(report, "nightly cache");
        REQUIRE(f != nullptr);
        if (epoch < day) {
            // The first refill: nothing in the history says yet that it will be cleared.
            first_day_unbounded += f->verdict == lw::verdict::unbounded;
            return;
        }
        ++checks;
        if (f->verdict != lw::verdict::bounded) {
            ++not_bounded;
            if (not_bounded <= 10) failures += describe(epoch, *f);
        }
    });
    INFO("first day: " << first_day_unbounded << " of " << 4 * 24 << " checks unbounded");
    CHECK(checks == 6 * 24 * 4);
    INFO(failures);
    CHECK(not_bounded == 0);
    WARN("nightly cache: first day " << first_day_unbounded << " of 96 checks unbounded (the first refill); days 2-7: "
                                     << not_bounded << " of " << checks << " checks not bounded");
}

TEST_CASE("a working set with a weekly cycle stays bounded over three weeks", "[history]") {
    lw::registry::reset();
    lw::tracked_vector<int> sessions{lw::label{"weekly sessions"}};
    // 10,000 +- 3,000 over a week, a daily ripple of +-500, and +-100 of noise per epoch.
    noise jitter(11);
    const double pi = std::acos(-1.0);
    const auto value_at = [&](std::uint64_t epoch) {
        const double t = static_cast<double>(epoch);
        const double value = 10000.0 + 3000.0 * std::sin(2 * pi * t / static_cast<double>(week)) +
                             500.0 * std::sin(2 * pi * t / static_cast<double>(day)) + jitter(100.0);
        return static_cast<std::uint64_t>(std::round(value));
    };
    std::size_t checks = 0, not_bounded = 0, first_week_unbounded = 0, first_week_checks = 0;
    std::string failures;
    drive(sessions, 3 * week, 2 * hour, value_at, [&](std::uint64_t epoch, const lw::growth_report& report) {
        const lw::finding* f = find_label(report, "weekly sessions");
        REQUIRE(f != nullptr);
        if (epoch < week) {
            // The first rise: nothing in the history says yet that it will turn.
            ++first_week_checks;
            first_week_unbounded += f->verdict == lw::verdict::unbounded;
            return;
        }
        ++checks;
        if (f->verdict != lw::verdict::bounded) {
            ++not_bounded;
            if (not_bounded <= 10) failures += describe(epoch, *f);
        }
    });
    CHECK(checks == 2 * 7 * 12);
    INFO(failures);
    CHECK(not_bounded == 0);
    WARN("weekly cycle: first week " << first_week_unbounded << " of " << first_week_checks
                                     << " checks unbounded (the first rise); weeks 2-3: " << not_bounded << " of "
                                     << checks << " checks not bounded");
}

TEST_CASE("a leak inside a cache cleared every night is caught by its rising peaks", "[history]") {
    lw::registry::reset();
    lw::tracked_vector<int> cache{lw::label{"leaky nightly cache"}};
    // As the nightly cache above, but each day's working set is 1,000 larger than the day before.
    const auto value_at = [&](std::uint64_t epoch) {
        const double since_clear = static_cast<double>(epoch % day);
        const double working_set = 20000.0 + 1000.0 * static_cast<double>(epoch / day);
        return static_cast<std::uint64_t>(
            std::round(working_set * (1.0 - std::exp(-since_clear / static_cast<double>(2 * hour)))));
    };
    lw::verdict last = lw::verdict::bounded;
    std::uint64_t resolution = 0;
    drive(cache, 10 * day, 10 * day, value_at, [&](std::uint64_t, const lw::growth_report& report) {
        const lw::finding* f = find_label(report, "leaky nightly cache");
        REQUIRE(f != nullptr);
        last = f->verdict;
        resolution = f->epochs_per_sample;
    });
    CHECK(last == lw::verdict::unbounded);
    CHECK(resolution >= day / 8);
}

TEST_CASE("a history's memory does not grow over 100,000 snapshots", "[history][memory]") {
    lw::registry::reset();
    lw::tracked_vector<int> grows{lw::label{"grows"}};
    std::vector<lw::tracked_map<int, int>> several(3);
    for (int i = 0; i < 3; ++i) lw::registry::snapshot();
    const lw::registry_usage before = lw::registry::usage();
    for (std::size_t epoch = 0; epoch < 100000; ++epoch) {
        if (epoch % 100 == 0) grows.push_back(1);
        several[epoch % several.size()][static_cast<int>(epoch % 1000)] = 1;
        lw::registry::snapshot();
    }
    const lw::registry_usage after = lw::registry::usage();
    CHECK(after.snapshots == before.snapshots + 100000);
    CHECK(after.bytes_reserved == before.bytes_reserved);
    CHECK(after.sites == before.sites);

    // What one creation site holds, all resolutions included, and what a report copies out.
    const std::size_t per_site = after.bytes_per_site;
    CHECK(per_site == sizeof(lw::detail::site_entry));
    CHECK(after.bytes_per_promoted != 0);
    CHECK(after.bytes_per_promoted < per_site);
    WARN("registry bytes per creation site: " << per_site << " (full resolution: "
                                              << sizeof(lw::detail::sample_ring<lw::detail::site_sample>)
                                              << ", coarse levels: "
                                              << sizeof(lw::detail::coarse_history<lw::detail::site_sample>)
                                              << "); per promoted container: " << after.bytes_per_promoted);
    CHECK(per_site <= 12 * 1024);
    const lw::growth_report report = lw::registry::report();
    const lw::finding* f = find_label(report, "grows");
    REQUIRE(f != nullptr);
    CHECK(f->history.size() == static_cast<std::size_t>(LEAKWATCH_HISTORY_CAPACITY));
    REQUIRE(f->levels.size() == 4);
    std::uint64_t width = 1;
    for (const lw::history_level& level : f->levels) {
        width *= 8;
        CHECK(level.epochs_per_bucket == width);
        // Full, except the coarsest: 100,000 epochs fill 24 of its 4,096-epoch buckets.
        const std::size_t complete = static_cast<std::size_t>(std::min<std::uint64_t>(100000 / width, 32));
        CHECK(level.buckets.size() + 1 >= complete);
        CHECK(level.buckets.size() <= static_cast<std::size_t>(LEAKWATCH_HISTORY_CAPACITY / 2));
        for (std::size_t i = 1; i < level.buckets.size(); ++i) {
            const lw::history_bucket& b = level.buckets[i];
            CHECK(b.first_epoch == level.buckets[i - 1].last_epoch + 1);
            CHECK(b.last_epoch - b.first_epoch + 1 == width);
            CHECK(b.elements.min <= b.elements.last);
            CHECK(b.elements.last <= b.elements.max);
        }
    }
    // The coarsest level reaches back 32 buckets of 4,096 epochs.
    CHECK(f->levels.back().buckets.front().first_epoch + 100000 / 2 < f->history.front().epoch);
    // 100,000 snapshots of one element every 100 epochs: unbounded, judged coarsely.
    CHECK(f->verdict == lw::verdict::unbounded);
}

TEST_CASE("a promoted container and its site are judged at every resolution too", "[history]") {
    lw::registry::reset();
    // Several containers at one creation site: the largest (over LEAKWATCH_PROMOTE_BYTES) is
    // promoted and leaks one element an hour; and one more small container joins the site
    // every hour and is never freed (the instance count leaks).
    std::vector<lw::tracked_vector<int>> crowd;
    crowd.reserve(64);
    const auto add = [&crowd] { crowd.emplace_back(lw::label{"hourly sessions"}); };
    add();
    add();
    crowd[0].resize(400000);  // 1.6 MB
    for (std::uint64_t epoch = 0; epoch < 1200; ++epoch) {
        if (epoch % hour == 0) {
            crowd[0].push_back(1);
            add();
        }
        lw::registry::snapshot();
    }
    const lw::growth_report report = lw::registry::report();
    const lw::finding* site = nullptr;
    const lw::finding* promoted = nullptr;
    for (const lw::finding& f : report.findings()) {
        if (f.label != "hourly sessions") continue;
        (f.kind == lw::finding_kind::site ? site : promoted) = &f;
    }
    REQUIRE(site != nullptr);
    REQUIRE(promoted != nullptr);
    CHECK(promoted->promoted_epoch != 0);
    REQUIRE(promoted->levels.size() == 4);
    CHECK(!promoted->levels[1].buckets.empty());
    CHECK(promoted->verdict == lw::verdict::unbounded);
    CHECK(promoted->epochs_per_sample > 1);
    CHECK(site->instances == crowd.size());
    CHECK(site->verdict == lw::verdict::unbounded);
    CHECK(site->epochs_per_sample > 1);
}

TEST_CASE("a bucket keeps the lowest, highest and last sample of its epochs", "[history]") {
    lw::registry::reset();
    lw::tracked_vector<int> v{lw::label{"bucket"}};
    // Epoch numbers are global: align to the start of an 8-epoch bucket first.
    while (lw::registry::current_epoch() % 8 != 0) lw::registry::snapshot();
    const std::uint64_t start = lw::registry::current_epoch();
    const std::size_t sizes[8] = {5, 9, 2, 7, 7, 3, 8, 4};
    for (const std::size_t size : sizes) {
        v.resize(size);
        lw::registry::snapshot();
    }
    // More snapshots so that the history reaches past the full-resolution ring.
    const lw::growth_report report = lw::registry::report();
    const lw::finding* f = find_label(report, "bucket");
    REQUIRE(f != nullptr);
    REQUIRE(!f->levels.empty());
    const lw::history_bucket* bucket = nullptr;
    for (const lw::history_bucket& b : f->levels[0].buckets)
        if (b.first_epoch == start) bucket = &b;
    REQUIRE(bucket != nullptr);
    CHECK(bucket->last_epoch == start + 7);
    CHECK(bucket->elements.min == 2);
    CHECK(bucket->elements.max == 9);
    CHECK(bucket->elements.last == 4);
    CHECK(bucket->instances.max == 1);
}

TEST_CASE("check_growth judges only its own snapshots, at full resolution", "[history][check]") {
    lw::tracked_vector<int> before{lw::label{"grew before the check"}};
    for (int i = 0; i < 200; ++i) {
        before.push_back(i);
        lw::registry::snapshot();
    }
    lw::tracked_vector<int> during{lw::label{"leaks during the check"}};
    const lw::growth_report report = lw::check_growth([&] { during.push_back(1); });
    const lw::finding* f = find_label(report, "leaks during the check");
    REQUIRE(f != nullptr);
    CHECK(f->verdict == lw::verdict::unbounded);
    CHECK(f->epochs_per_sample == 1);
    CHECK(f->levels.empty());
    CHECK(find_label(report, "grew before the check") == nullptr);
}

TEST_CASE("a history that fits in the full-resolution samples is judged as detect_growth judges it",
          "[history][detector]") {
    // Every labelled pattern, given with coarse levels built from its own samples (which then
    // lie within the full-resolution span): the verdict, confidence and rate are unchanged.
    std::size_t compared = 0;
    for (const growth_patterns::labelled_history& h : growth_patterns::labelled_suite()) {
        std::vector<lw::resolution_series> levels(3);
        for (std::size_t i = 0; i < h.values.size(); ++i) {
            levels[0].values.push_back(h.values[i]);
            levels[0].first_epochs.push_back(100 + i);
            levels[0].last_epochs.push_back(100 + i);
        }
        for (std::size_t l = 1; l < levels.size(); ++l) {
            const std::size_t width = l == 1 ? 4 : 16;
            levels[l].epochs_per_sample = width;
            for (std::size_t begin = 0; begin + width <= h.values.size(); begin += width) {
                levels[l].values.push_back(*std::max_element(h.values.begin() + static_cast<std::ptrdiff_t>(begin),
                                                             h.values.begin() + static_cast<std::ptrdiff_t>(begin + width)));
                levels[l].first_epochs.push_back(100 + begin);
                levels[l].last_epochs.push_back(100 + begin + width - 1);
            }
        }
        const lw::detection alone = lw::detect_growth(h.values, h.kind);
        const lw::detection across = lw::detect_growth_across(levels, h.kind);
        INFO(h.family << " " << h.parameters);
        CHECK(across.verdict == alone.verdict);
        CHECK(across.confidence == alone.confidence);
        CHECK(across.per_epoch == alone.per_epoch);
        CHECK(across.epochs_per_sample == 1);
        ++compared;
    }
    CHECK(compared > 700);
}

TEST_CASE("the detector judges coarse resolutions and an earlier peak", "[history][detector]") {
    // Synthetic: 64 full-resolution samples of a flat series, and 32 buckets of 64 epochs
    // before and across them.
    const auto make = [](const std::vector<double>& coarse_peaks, double recent_value) {
        std::vector<lw::resolution_series> levels(2);
        const std::uint64_t coarse_start = 1000;
        levels[1].epochs_per_sample = 64;
        for (std::size_t i = 0; i < coarse_peaks.size(); ++i) {
            levels[1].values.push_back(coarse_peaks[i]);
            levels[1].first_epochs.push_back(coarse_start + 64 * i);
            levels[1].last_epochs.push_back(coarse_start + 64 * i + 63);
        }
        const std::uint64_t end = coarse_start + 64 * coarse_peaks.size();
        for (std::uint64_t e = end - 64; e < end; ++e) {
            levels[0].values.push_back(recent_value);
            levels[0].first_epochs.push_back(e);
            levels[0].last_epochs.push_back(e);
        }
        return levels;
    };
    SECTION("a staircase at 64 epochs per sample is unbounded, with the rate per epoch") {
        std::vector<double> peaks;
        for (int i = 0; i < 32; ++i) peaks.push_back(10000 + i / 2);
        const lw::detection d = lw::detect_growth_across(make(peaks, peaks.back()));
        CHECK(d.verdict == lw::verdict::unbounded);
        CHECK(d.epochs_per_sample == 64);
        CHECK(d.per_epoch == Approx(0.5 / 64).margin(0.2 / 64));
        CHECK(d.last_epoch == 1000 + 64 * 32 - 1);
        CHECK(d.first_epoch == d.last_epoch + 1 - 24 * 64);
    }
    SECTION("a rise that stays below an earlier peak is bounded") {
        std::vector<double> peaks(4, 5000);  // an earlier peak, a drop ...
        for (int i = 0; i < 4; ++i) peaks.push_back(500);
        for (int i = 0; i < 24; ++i) peaks.push_back(1000 + 100 * i);  // ... then a rise to 3,300
        const lw::detection d = lw::detect_growth_across(make(peaks, peaks.back()));
        CHECK(d.verdict == lw::verdict::bounded);
        CHECK(d.earlier_peak == 5000);
        lw::detector_options off;
        off.earlier_peak_epochs = 0;
        CHECK(lw::detect_growth_across(make(peaks, peaks.back()), lw::series_kind::elements, off).verdict ==
              lw::verdict::unbounded);
        // Too old to count: the peak ended 256 epochs before the judged window began.
        lw::detector_options short_memory;
        short_memory.earlier_peak_epochs = 200;
        CHECK(lw::detect_growth_across(make(peaks, peaks.back()), lw::series_kind::elements, short_memory).verdict ==
              lw::verdict::unbounded);
    }
    SECTION("a rise that passes the earlier peak is unbounded") {
        std::vector<double> peaks(8, 2000);
        for (int i = 0; i < 24; ++i) peaks.push_back(1000 + 100 * i);
        CHECK(lw::detect_growth_across(make(peaks, peaks.back())).verdict == lw::verdict::unbounded);
    }
    SECTION("mismatched epochs are rejected, naming the counts") {
        std::vector<lw::resolution_series> levels(1);
        levels[0].values = {1, 2, 3};
        levels[0].first_epochs = {1, 2};
        levels[0].last_epochs = {1, 2, 3};
        CHECK_THROWS_WITH(lw::detect_growth_across(levels), Catch::Contains("3 values, 2 first epochs"));
    }
}
