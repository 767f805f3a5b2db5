// tests/detector_accuracy.cpp — prints how well the default detector judges the labelled suite.
//
// A standalone program (no test framework) whose Markdown output is pasted into
// docs/detector.md: the suite of tests/growth_patterns.hpp family by family, how many samples a
// linear leak needs before it is flagged, and — for information, not pass/fail — how often the
// noisy patterns are judged as expected over thousands of other seeds, so the reader sees the
// error rates behind the fixed-seed suite. Exits non-zero when any suite case is misjudged.
// Deterministic: fixed seeds, no clock.
#include <leakwatch/detector.hpp>

#include "growth_patterns.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace {

using leakwatch::series_kind;
using leakwatch::verdict;

// Samples after warm-up at which the growing prefixes of `series` are first judged unbounded
// (0 when never).
std::size_t first_flagged(const std::vector<double>& series, series_kind kind) {
    for (std::size_t samples = 1; samples <= series.size(); ++samples) {
        if (leakwatch::detect_growth(series.data(), samples, kind).verdict == verdict::unbounded) return samples;
    }
    return 0;
}

std::string flagged_text(std::size_t samples) {
    if (samples == 0) return "never (in 64 samples)";
    return std::to_string(samples) + " samples (epoch " + std::to_string(samples + growth_patterns::warmup_epochs) +
           " of the check, warm-up included)";
}

std::string per_epoch_text(double per_epoch) {
    const long long whole = static_cast<long long>(per_epoch);
    return "+" + std::to_string(whole) + (whole == 1 ? " element" : " elements") + " per epoch";
}

struct seeded_pattern {
    std::string name;
    verdict expected;
    std::function<std::vector<double>(std::uint32_t seed, std::size_t samples)> generate;
};

}  // namespace

int main() {
    const std::vector<growth_patterns::labelled_history> suite = growth_patterns::labelled_suite();

    std::printf("### Labelled suite, default options\n\n");
    std::printf("| pattern family | expected | cases | judged right |\n| --- | --- | ---: | ---: |\n");
    std::size_t total = 0;
    std::size_t right = 0;
    std::vector<std::string> misjudged;
    for (const std::string& family : growth_patterns::families_of(suite)) {
        std::size_t cases = 0;
        std::size_t family_right = 0;
        std::string expected;
        for (const growth_patterns::labelled_history& history : suite) {
            if (history.family != family) continue;
            ++cases;
            expected = leakwatch::to_string(history.expected);
            const verdict judged = leakwatch::detect_growth(history.values, history.kind).verdict;
            if (judged == history.expected) {
                ++family_right;
            } else {
                misjudged.push_back(family + " [" + history.parameters + "]: " + leakwatch::to_string(judged));
            }
        }
        std::printf("| %s | %s | %zu | %zu |\n", family.c_str(), expected.c_str(), cases, family_right);
        total += cases;
        right += family_right;
    }
    std::printf("| **total** | | **%zu** | **%zu** |\n\n", total, right);
    std::printf("**%zu / %zu judged right.**\n\n", right, total);
    for (const std::string& line : misjudged) std::printf("- misjudged: %s\n", line.c_str());
    if (!misjudged.empty()) std::printf("\n");

    std::printf("### How soon a leak is flagged\n\n");
    std::printf("Growing prefixes of each series (samples after the 4 warm-up epochs) are judged until the first\n");
    std::printf("unbounded verdict.\n\n");
    std::printf("| leak | base | first flagged unbounded after |\n| --- | ---: | --- |\n");
    std::size_t earliest = 0;
    std::size_t latest = 0;
    for (const double per_epoch : {1.0, 10.0, 1000.0}) {
        for (const double base : {0.0, 50000.0}) {
            const std::size_t samples =
                first_flagged(growth_patterns::linear_growth(base, per_epoch, 64), series_kind::elements);
            std::printf("| elements, %s | %.0f | %s |\n", per_epoch_text(per_epoch).c_str(), base,
                        flagged_text(samples).c_str());
            earliest = earliest == 0 ? samples : std::min(earliest, samples);
            latest = std::max(latest, samples);
        }
    }
    for (const double per_epoch : {1.0, 10.0, 100.0, 1000.0}) {
        for (const double growth : {2.0, 1.5}) {
            const std::size_t samples =
                first_flagged(growth_patterns::vector_leak(per_epoch, 8, growth, 64), series_kind::bytes);
            std::printf("| bytes of a vector growing x%.1f, %s | 0 | %s |\n", growth, per_epoch_text(per_epoch).c_str(),
                        flagged_text(samples).c_str());
        }
    }
    std::printf(
        "\nA linear leak (+k/epoch for k in 1, 10, 1000 on bases 0 and 50,000) is first flagged unbounded after ");
    if (earliest == latest) {
        std::printf("%zu epochs past warm-up.\n\n", earliest);
    } else {
        std::printf("%zu to %zu epochs past warm-up.\n\n", earliest, latest);
    }

    // Seeds far from those of the suite: these are other draws of the same generators.
    const std::vector<seeded_pattern> seeded = {
        {"noisy growth, noise +-0.75 x slope", verdict::unbounded,
         [](std::uint32_t seed, std::size_t samples) {
             return growth_patterns::noisy_growth(1000, 50, 37.5, seed, samples);
         }},
        {"noisy growth, noise +-1 x slope", verdict::unbounded,
         [](std::uint32_t seed, std::size_t samples) {
             return growth_patterns::noisy_growth(1000, 50, 50, seed, samples);
         }},
        {"noisy growth, noise +-1.5 x slope", verdict::unbounded,
         [](std::uint32_t seed, std::size_t samples) {
             return growth_patterns::noisy_growth(1000, 50, 75, seed, samples);
         }},
        {"noisy growth, noise +-2 x slope", verdict::unbounded,
         [](std::uint32_t seed, std::size_t samples) {
             return growth_patterns::noisy_growth(1000, 50, 100, seed, samples);
         }},
        {"noisy growth, noise +-3 x slope", verdict::unbounded,
         [](std::uint32_t seed, std::size_t samples) {
             return growth_patterns::noisy_growth(1000, 50, 150, seed, samples);
         }},
        {"drifting walk, spread 1.1 x drift", verdict::unbounded,
         [](std::uint32_t seed, std::size_t samples) {
             return growth_patterns::drifting_walk(1000, 10, 11, seed, samples);
         }},
        {"drifting walk, spread 1.25 x drift", verdict::unbounded,
         [](std::uint32_t seed, std::size_t samples) {
             return growth_patterns::drifting_walk(1000, 10, 12.5, seed, samples);
         }},
        {"drifting walk, spread 1.5 x drift", verdict::unbounded,
         [](std::uint32_t seed, std::size_t samples) {
             return growth_patterns::drifting_walk(1000, 10, 15, seed, samples);
         }},
        {"drifting walk, spread 2 x drift", verdict::unbounded,
         [](std::uint32_t seed, std::size_t samples) {
             return growth_patterns::drifting_walk(1000, 10, 20, seed, samples);
         }},
        {"fluctuation within a range (independent samples)", verdict::bounded,
         [](std::uint32_t seed, std::size_t samples) {
             return growth_patterns::fluctuation(1000, 1000, seed, samples);
         }},
        {"short-lived containers, survival 0.3, site started with the check", verdict::bounded,
         [](std::uint32_t seed, std::size_t samples) { return growth_patterns::short_lived(50, 0.3, seed, samples); }},
        {"short-lived containers, survival 0.6, site started with the check", verdict::bounded,
         [](std::uint32_t seed, std::size_t samples) { return growth_patterns::short_lived(50, 0.6, seed, samples); }},
        {"short-lived containers, survival 0.8, site started with the check (fills for ~10 epochs)", verdict::bounded,
         [](std::uint32_t seed, std::size_t samples) { return growth_patterns::short_lived(50, 0.8, seed, samples); }},
        {"short-lived containers, survival 0.3, site running 30 epochs before", verdict::bounded,
         [](std::uint32_t seed, std::size_t samples) {
             return growth_patterns::short_lived(50, 0.3, seed, samples, 30);
         }},
        {"short-lived containers, survival 0.6, site running 30 epochs before", verdict::bounded,
         [](std::uint32_t seed, std::size_t samples) {
             return growth_patterns::short_lived(50, 0.6, seed, samples, 30);
         }},
        {"short-lived containers, survival 0.8, site running 30 epochs before", verdict::bounded,
         [](std::uint32_t seed, std::size_t samples) {
             return growth_patterns::short_lived(50, 0.8, seed, samples, 30);
         }},
        {"LRU cache at capacity, jitter 2", verdict::bounded,
         [](std::uint32_t seed, std::size_t samples) { return growth_patterns::lru_cache(64, 8, 2, seed, samples); }},
        {"sawtooth every 5, peak jitter 5%", verdict::bounded,
         [](std::uint32_t seed, std::size_t samples) {
             return growth_patterns::sawtooth(0, 1000, 5, seed % 5, 0.05, seed, samples);
         }},
        {"noisy growth (noise +-1 x slope), stopped 4 samples before the end", verdict::bounded,
         [](std::uint32_t seed, std::size_t samples) {
             return growth_patterns::stopped_noisy(1000, 50, 50, 2, 4, seed, samples);
         }},
    };
    constexpr std::uint32_t seeds = 2000;
    constexpr std::uint32_t first_seed = 100000;
    std::printf("### Noise robustness (information, not pass/fail)\n\n");
    std::printf("Each pattern drawn with %u other seeds (%u..%u), default options: with 12 samples after warm-up\n",
                static_cast<unsigned>(seeds), static_cast<unsigned>(first_seed),
                static_cast<unsigned>(first_seed + seeds - 1));
    std::printf("(the default check, all judged) and with 64 (a registry's full history, the last 24 judged).\n\n");
    std::printf(
        "| pattern | expected | 12 samples: as expected | 12: unbounded | 64 samples: as expected | 64: unbounded |\n");
    std::printf("| --- | --- | ---: | ---: | ---: | ---: |\n");
    for (const seeded_pattern& pattern : seeded) {
        std::printf("| %s | %s", pattern.name.c_str(), leakwatch::to_string(pattern.expected));
        for (const std::size_t samples : {std::size_t{12}, std::size_t{64}}) {
            std::uint32_t as_expected = 0;
            std::uint32_t unbounded = 0;
            for (std::uint32_t seed = first_seed; seed < first_seed + seeds; ++seed) {
                const verdict judged = leakwatch::detect_growth(pattern.generate(seed, samples)).verdict;
                as_expected += judged == pattern.expected ? 1 : 0;
                unbounded += judged == verdict::unbounded ? 1 : 0;
            }
            std::printf(" | %.2f%% | %.2f%%", 100.0 * as_expected / seeds, 100.0 * unbounded / seeds);
        }
        std::printf(" |\n");
    }
    return misjudged.empty() ? 0 : 1;
}
