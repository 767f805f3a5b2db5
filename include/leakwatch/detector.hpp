// leakwatch/detector.hpp — judges one history of samples: bounded, growing or unbounded.
//
// The detector is a pure function from numbers to a judgement: no registry, no clock, no global
// state, so that every rule in it can be tested with synthetic series and argued about on paper.
// It turns the project's definition of unbounded ("keeps reaching new highs with a net upward
// trend", README "Growth detection") into evidence measured over the most recent window of samples — a consistent and significant
// monotone trend, repeated new highs, a new high among the last few samples, a rising floor,
// a ceiling still rising lately, enough samples — and calls a series unbounded only when every
// piece holds. Byte series of
// allocator channels (series_kind::bytes) also get a log-scale test, so that the geometric
// capacity steps of a std::vector neither look like a leak nor hide one.
// docs/detector.md explains the algorithm, every option, its limits and its measured accuracy.
#pragma once

#include <leakwatch/config.hpp>
#include <leakwatch/verdict.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

// What one sample counts. Element counts are exact; byte counts of an allocator channel whose
// element count is unknown may move in capacity steps (a std::vector doubles), so they get
// the extra log-scale test described at detect_growth.
enum class series_kind { elements, bytes };

// Every threshold the detector uses. The defaults are tuned for the default check (16 epochs
// with 4 dropped as warm-up, so 12 samples) and stay correct on longer histories (up to the 64
// samples a registry keeps), of which the most recent `window` are judged. docs/detector.md
// has the reasoning and the measured error rates.
struct detector_options {
    // Samples judged by the trend test: the most recent ones, the whole history when shorter.
    // The default check yields 12 samples, all judged. Longer histories (a periodic reporter's)
    // are judged on 24: twice the evidence cuts false alarms on autocorrelated fluctuation
    // (short-lived containers living 2.5 epochs on average) from about 1% to none measured, at
    // the price of flagging a leak that starts after a long flat stretch after 11 samples
    // instead of 6 (it reads growing meanwhile).
    // Growth that stopped is bounded after recent_epochs samples whatever the window.
    std::size_t window = 24;

    // Below this many judged samples the verdict is never unbounded: one or two rising
    // samples are indistinguishable from a warm-up.
    std::size_t min_samples = 4;

    // The last new high must lie among this many most recent samples; growth that last
    // reached a new high earlier than that has stopped (bounded). With the default 4, growth
    // followed by 4 or more samples without a new high is bounded.
    std::size_t recent_epochs = 4;

    // New highs (samples above the running maximum of everything before them) needed in the
    // window: one jump is a plateau, repeated ones are growth. 2 lets growth in steps every
    // 4 epochs through (as few as 2 steps follow the first of 12 samples).
    std::size_t min_new_highs = 2;

    // How far a sample must rise to count as a new high: above the running maximum, and above
    // the last counted new high by this fraction of the largest of the robust slope (Theil-Sen,
    // per epoch), the robust noise (median absolute deviation from the Theil-Sen line) and the
    // window's average rise per epoch (range / (samples - 1)). Noise around a plateau then cannot
    // fake new highs, and a rise that decelerates below half its average pace (a cache warming up
    // towards its capacity) stops producing them; a slow creep still counts once it adds up.
    double new_high_tolerance = 0.5;

    // Mann-Kendall trend over the window. Kendall's tau (rising pairs minus falling pairs, over
    // all pairs: -1..1) must reach min_trend: 0.7 is rarely reached by chance in 12 samples of a
    // fluctuating series, yet met by growth with noise up to about twice its per-epoch rise.
    // The Mann-Kendall z statistic (tie-corrected) must reach min_trend_z (2.33: one-sided
    // p < 0.01 for independent samples); it is what keeps very short windows from passing — a
    // clean linear leak needs 6 samples.
    double min_trend = 0.7;
    double min_trend_z = 2.33;

    // The floor is the running minimum of the suffix (min of samples i..end). Its Theil-Sen
    // rise across the window, as a fraction of the window's range, must reach this: a leak
    // with removals keeps lifting its floor, a sawtooth or a fluctuation does not.
    double min_floor_rise = 0.3;

    // The ceiling is the running maximum. Its rise over the later half of the window (the
    // maximum of the later half minus that of the earlier half), as a fraction of the window's
    // range, must reach this: a fill early in the window followed by jitter at a cap (an LRU
    // cache that reached capacity) makes its last "new highs" out of jitter, not growth.
    double min_ceiling_rise = 0.15;

    // When not unbounded, the verdict is growing if the last new high is recent, the ceiling
    // rose as above, and either tau reaches min_trend (significant or not), or the last
    // recent_epochs samples broke out above the first half of the window by more than this many
    // times that half's range, the last sample still above it (a rise in only the last few
    // epochs, a leak that started late in a long window, or too few samples to judge).
    double growing_breakout = 2.0;

    // series_kind::bytes only: samples judged by the capacity-step test. Capacity steps of a
    // linearly growing vector are geometrically spaced, so this test needs a long history.
    std::size_t bytes_window = 64;

    // series_kind::bytes only: a capacity step is a new high at least this many times the
    // running maximum before it (std::vector grows by 2 in libstdc++ and libc++, 1.5 in MSVC).
    double capacity_step_ratio = 1.3;

    // series_kind::bytes only: held capacity steps (the bytes never fall back to the level
    // before the step) needed to call unbounded; two make the verdict growing.
    std::size_t min_capacity_steps = 3;

    // series_kind::bytes only: the samples since the last capacity step may be at most this
    // many times the gap between the last two steps. With a constant leak rate the gaps between
    // doublings double, so the next step comes within twice the last gap (rounding to whole
    // epochs included; checked for every rate from 1 to 5000 elements per epoch). Raising it
    // tolerates a leak whose rate wavers, at the price of calling a vector that stopped growing
    // unbounded for longer.
    double capacity_stall_factor = 2.0;

    // detect_growth_across only (histories with coarse resolutions): a rise judged unbounded or
    // growing at any resolution is bounded when its peak does not pass a peak the series
    // already held before, at most this many epochs before the judged window began, in the
    // part of the history older than the full-resolution samples: the series is revisiting a
    // level it held, as a cache refilled after its nightly clear or a working set in the
    // rising half of its weekly cycle does. 23,040 epochs are 8 days at a 30 s snapshot
    // interval, enough to hold last week's peak; 0 turns the rule off. The price: a leak that
    // starts below an earlier, higher peak is flagged only once it passes that peak (by more
    // than new_high_tolerance times the window's average rise per sample) or the peak is
    // older than this.
    std::uint64_t earlier_peak_epochs = 23040;

    // Throws std::invalid_argument naming the first offending option and its value.
    void validate() const;
};

// The judgement and the evidence behind it.
struct detection {
    leakwatch::verdict verdict = leakwatch::verdict::bounded;

    // Strength of the weakest piece of evidence for unbounded growth, 0..1; it reaches 0.5
    // exactly when that evidence meets its threshold, so unbounded <=> confidence >= 0.5.
    double confidence = 0;

    // Recent growth rate in units of the series per epoch: the Theil-Sen slope of the judged
    // window (robust to one outlier or one jump). For bytes judged by capacity steps, the
    // average rate across the bytes window instead (a median slope misses sparse steps).
    double per_epoch = 0;

    std::size_t new_highs = 0;              // new highs in the window (first sample excluded)
    std::size_t samples = 0;                // samples judged by the trend tests
    std::size_t epochs_since_new_high = 0;  // samples after the last new high (samples if none)
    double trend = 0;                       // Kendall's tau over the window, -1..1
    double trend_z = 0;                     // Mann-Kendall z statistic
    double floor_rise = 0;                  // the floor's rise across the window / window range
    double ceiling_rise = 0;                // the ceiling's rise over the later half / window range
    std::size_t capacity_steps = 0;         // bytes only: held capacity steps in the bytes window

    // detect_growth_across only: the resolution the verdict came from. Each judged sample
    // covers epochs_per_sample epochs (1: the full-resolution samples; more: a coarse level,
    // each sample the peak of its bucket), the judged samples cover epochs
    // first_epoch..last_epoch, and per_epoch is per epoch, not per sample.
    std::uint64_t epochs_per_sample = 1;
    std::uint64_t first_epoch = 0;
    std::uint64_t last_epoch = 0;
    // Bounded only: the earlier peak that a rise at some resolution stayed below (the
    // earlier-peak rule turned that rise bounded); 0 when none did.
    double earlier_peak = 0;
};

// One resolution of a history, for detect_growth_across: the value judged for each sample
// (for a coarse bucket, the highest value of its epochs) and the epochs each sample covers,
// oldest first, with the warm-up already dropped.
struct resolution_series {
    std::uint64_t epochs_per_sample = 1;
    std::vector<double> values{};
    std::vector<std::uint64_t> first_epochs{};
    std::vector<std::uint64_t> last_epochs{};
};

namespace detail {
namespace growth {

inline std::string format_option_value(double value) {
    std::ostringstream text;
    text << value;
    return text.str();
}

[[noreturn]] inline void reject_option(const char* name, const char* requirement, const std::string& got) {
    throw std::invalid_argument(std::string("leakwatch: detector_options.") + name + " must be " + requirement +
                                " (got " + got + ")");
}

inline void require_count(const char* name, std::size_t value, std::size_t low, std::size_t high) {
    if (value < low) reject_option(name, (">= " + std::to_string(low)).c_str(), std::to_string(value));
    if (value > high) reject_option(name, ("<= " + std::to_string(high)).c_str(), std::to_string(value));
}

// `low_inclusive` false means value must be strictly greater than low.
inline void require_real(const char* name, double value, double low, bool low_inclusive,
                         double high = std::numeric_limits<double>::max()) {
    const bool above_low = low_inclusive ? value >= low : value > low;
    if (!std::isfinite(value) || !above_low) {
        reject_option(name, ((low_inclusive ? ">= " : "> ") + format_option_value(low) + " and finite").c_str(),
                      format_option_value(value));
    }
    if (value > high) reject_option(name, ("<= " + format_option_value(high)).c_str(), format_option_value(value));
}

// Median of a scratch buffer (reordered in place); 0 for an empty one.
inline double median_of(std::vector<double>& scratch) {
    if (scratch.empty()) return 0;
    const std::size_t middle = scratch.size() / 2;
    std::nth_element(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(middle), scratch.end());
    const double upper = scratch[middle];
    if (scratch.size() % 2 == 1) return upper;
    const double lower = *std::max_element(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(middle));
    return lower + (upper - lower) / 2;
}

// Theil-Sen slope: the median of the slopes between every pair of samples. Unlike least
// squares, one outlier or one jump moves it little. O(n^2) pairs, fine for n <= 1024.
inline double theil_sen_slope(const double* values, std::size_t count, std::vector<double>& scratch) {
    scratch.clear();
    for (std::size_t i = 0; i < count; ++i) {
        for (std::size_t j = i + 1; j < count; ++j) {
            scratch.push_back((values[j] - values[i]) / static_cast<double>(j - i));
        }
    }
    return median_of(scratch);
}

// Median absolute deviation of the samples from the line `intercept + slope * i` whose
// intercept is the median one for that slope: the noise left once the trend is removed.
inline double residual_noise(const double* values, std::size_t count, double slope, std::vector<double>& scratch) {
    scratch.clear();
    for (std::size_t i = 0; i < count; ++i) scratch.push_back(values[i] - slope * static_cast<double>(i));
    const double intercept = median_of(scratch);
    scratch.clear();
    for (std::size_t i = 0; i < count; ++i) {
        scratch.push_back(std::fabs(values[i] - intercept - slope * static_cast<double>(i)));
    }
    return median_of(scratch);
}

struct mann_kendall {
    double tau = 0;
    double z = 0;
};

// Mann-Kendall trend test with the standard correction of the variance for tied values
// (flat stretches are common in element counts).
inline mann_kendall mann_kendall_trend(const double* values, std::size_t count, std::vector<double>& scratch) {
    mann_kendall result;
    if (count < 2) return result;
    long long score = 0;
    for (std::size_t i = 0; i < count; ++i) {
        for (std::size_t j = i + 1; j < count; ++j) {
            score += (values[j] > values[i]) - (values[j] < values[i]);
        }
    }
    const double n = static_cast<double>(count);
    double variance = n * (n - 1) * (2 * n + 5);
    scratch.assign(values, values + count);
    std::sort(scratch.begin(), scratch.end());
    for (std::size_t begin = 0; begin < count;) {
        std::size_t end = begin + 1;
        while (end < count && scratch[end] == scratch[begin]) ++end;
        const double tied = static_cast<double>(end - begin);
        variance -= tied * (tied - 1) * (2 * tied + 5);
        begin = end;
    }
    variance /= 18;
    const double pairs = n * (n - 1) / 2;
    result.tau = static_cast<double>(score) / pairs;
    if (variance > 0 && score != 0) {
        // Continuity correction: S moves in steps of 2, so shave one step's half off.
        const double corrected = static_cast<double>(score > 0 ? score - 1 : score + 1);
        result.z = corrected / std::sqrt(variance);
    }
    return result;
}

// Maps a measurement onto 0..1 so that it reads 0.5 exactly at its threshold: below the
// threshold it scales from 0 (at zero) towards 0.5; above, from 0.5 to 1 (at `full`).
inline double evidence_at_least(double value, double threshold, double full) {
    if (!(value >= threshold)) {
        if (threshold <= 0 || !(value > 0)) return 0;
        return 0.5 * value / threshold;
    }
    if (!(full > threshold)) return 1;
    return 0.5 + 0.5 * std::min(1.0, (value - threshold) / (full - threshold));
}

struct trend_evidence {
    leakwatch::verdict verdict = leakwatch::verdict::bounded;
    double confidence = 0;
    double slope = 0;
    std::size_t new_highs = 0;
    std::size_t since_new_high = 0;
    double trend = 0;
    double trend_z = 0;
    double floor_rise = 0;
    double ceiling_rise = 0;
};

// The trend test on the most recent samples; see detect_growth.
inline trend_evidence judge_trend(const double* values, std::size_t count, const detector_options& options) {
    trend_evidence result;
    result.since_new_high = count;
    if (count < 2) return result;

    const auto [lowest, highest] = std::minmax_element(values, values + count);
    const double range = *highest - *lowest;
    if (!(range > 0)) return result;  // flat (or not finite): nothing rises

    std::vector<double> scratch;
    scratch.reserve(count * (count - 1) / 2);
    result.slope = theil_sen_slope(values, count, scratch);
    const double noise = residual_noise(values, count, result.slope, scratch);
    const double average_rise = range / static_cast<double>(count - 1);
    const double tolerance = options.new_high_tolerance * std::max({std::fabs(result.slope), noise, average_rise});

    double running_max = values[0];
    double last_high_level = values[0];
    std::size_t last_new_high = 0;
    for (std::size_t i = 1; i < count; ++i) {
        if (values[i] > running_max && values[i] > last_high_level + tolerance) {
            ++result.new_highs;
            last_new_high = i;
            last_high_level = values[i];
        }
        running_max = std::max(running_max, values[i]);
    }
    if (result.new_highs > 0) result.since_new_high = count - 1 - last_new_high;

    const mann_kendall trend = mann_kendall_trend(values, count, scratch);
    result.trend = trend.tau;
    result.trend_z = trend.z;

    std::vector<double> floor(values, values + count);
    for (std::size_t i = count - 1; i-- > 0;) floor[i] = std::min(floor[i], floor[i + 1]);
    result.floor_rise = theil_sen_slope(floor.data(), count, scratch) * static_cast<double>(count - 1) / range;

    const std::size_t half = count / 2;  // the earlier half; the later one takes the odd sample
    result.ceiling_rise =
        (*std::max_element(values + half, values + count) - *std::max_element(values, values + half)) / range;
    const double recent_margin =
        result.new_highs > 0 ? static_cast<double>(options.recent_epochs) - static_cast<double>(result.since_new_high)
                             : 0;
    const double min_highs = static_cast<double>(options.min_new_highs);
    const double scores[] = {
        evidence_at_least(result.trend, options.min_trend, 1.0),
        evidence_at_least(result.trend_z, options.min_trend_z, 2 * options.min_trend_z),
        evidence_at_least(static_cast<double>(result.new_highs), min_highs, 2 * min_highs),
        evidence_at_least(recent_margin, 1, static_cast<double>(options.recent_epochs)),
        evidence_at_least(result.floor_rise, options.min_floor_rise, std::max(1.0, 2 * options.min_floor_rise)),
        evidence_at_least(result.ceiling_rise, options.min_ceiling_rise, std::max(0.5, 2 * options.min_ceiling_rise)),
        evidence_at_least(static_cast<double>(count), static_cast<double>(options.min_samples),
                          static_cast<double>(options.min_samples) + 2),
    };
    result.confidence = *std::min_element(std::begin(scores), std::end(scores));
    if (result.slope > 0 && result.confidence >= 0.5) {
        result.verdict = leakwatch::verdict::unbounded;
        return result;
    }
    result.confidence = std::min(result.confidence, 0.49);

    // Not conclusive: still "growing" when it rose lately and either the trend is consistent
    // (significant or not: too few samples to be sure is still growing) or the last samples
    // broke out well above the first half of the window.
    if (recent_margin < 1 || result.ceiling_rise < options.min_ceiling_rise) return result;
    const bool trend_consistent = result.trend >= options.min_trend;
    const std::size_t baseline = std::max<std::size_t>(half, 1);
    const std::size_t recent = std::min(options.recent_epochs, count - baseline);
    const auto [baseline_low, baseline_high] = std::minmax_element(values, values + baseline);
    const double breakout = *std::max_element(values + (count - recent), values + count) - *baseline_high;
    const bool broke_out = values[count - 1] > *baseline_high &&
                           breakout > std::max(options.growing_breakout * (*baseline_high - *baseline_low), tolerance);
    if (trend_consistent || broke_out) result.verdict = leakwatch::verdict::growing;
    return result;
}

struct capacity_evidence {
    leakwatch::verdict verdict = leakwatch::verdict::bounded;
    double confidence = 0;
    double per_epoch = 0;
    std::size_t steps = 0;
};

// The log-scale test for byte series; see detect_growth.
inline capacity_evidence judge_capacity_steps(const double* values, std::size_t count,
                                              const detector_options& options) {
    capacity_evidence result;
    if (count < 2) return result;

    // Suffix minimum: a step is held when everything from it on stays above the old maximum.
    std::vector<double> floor(values, values + count);
    for (std::size_t i = count - 1; i-- > 0;) floor[i] = std::min(floor[i], floor[i + 1]);

    std::vector<std::size_t> step_at;
    double running_max = values[0];
    for (std::size_t i = 1; i < count; ++i) {
        const bool big_enough =
            running_max <= 0 ? values[i] > 0 : values[i] >= running_max * options.capacity_step_ratio;
        if (big_enough && floor[i] > running_max) step_at.push_back(i);
        running_max = std::max(running_max, values[i]);
    }
    result.steps = step_at.size();
    if (step_at.size() < 2) return result;

    const double last_gap = static_cast<double>(step_at.back() - step_at[step_at.size() - 2]);
    const double stall = static_cast<double>(count - 1 - step_at.back());
    // How many stalls of this length the allowed wait holds: >= 1 means "the next step may still come".
    const double patience =
        stall > 0 ? options.capacity_stall_factor * last_gap / stall : std::numeric_limits<double>::infinity();
    const double min_steps = static_cast<double>(options.min_capacity_steps);
    result.confidence = std::min(evidence_at_least(static_cast<double>(step_at.size()), min_steps, 2 * min_steps),
                                 evidence_at_least(patience, 1, 2));
    result.per_epoch = (values[count - 1] - values[0]) / static_cast<double>(count - 1);
    if (patience >= 1) {
        result.verdict =
            step_at.size() >= options.min_capacity_steps ? leakwatch::verdict::unbounded : leakwatch::verdict::growing;
    }
    if (result.verdict != leakwatch::verdict::unbounded) result.confidence = std::min(result.confidence, 0.49);
    return result;
}

}  // namespace growth
}  // namespace detail

inline void detector_options::validate() const {
    using detail::growth::require_count;
    using detail::growth::require_real;
    constexpr std::size_t largest_window = 1024;  // the statistics cost O(window^2) time and memory
    require_count("window", window, 4, largest_window);
    require_count("min_samples", min_samples, 3, window);
    require_count("recent_epochs", recent_epochs, 1, window - 1);
    require_count("min_new_highs", min_new_highs, 1, window - 1);
    require_real("new_high_tolerance", new_high_tolerance, 0, true);
    require_real("min_trend", min_trend, 0, false, 1);
    require_real("min_trend_z", min_trend_z, 0, true);
    require_real("min_floor_rise", min_floor_rise, 0, true);
    require_real("min_ceiling_rise", min_ceiling_rise, 0, true, 1);
    require_real("growing_breakout", growing_breakout, 0, false);
    require_count("bytes_window", bytes_window, 4, largest_window);
    require_real("capacity_step_ratio", capacity_step_ratio, 1, false);
    require_count("min_capacity_steps", min_capacity_steps, 2, bytes_window - 1);
    require_real("capacity_stall_factor", capacity_stall_factor, 1, true);
    // earlier_peak_epochs: any value is valid (0 turns the rule off).
}

// Judges `values`: one sample per epoch, oldest first, warm-up epochs already dropped.
//
// Trend test (every kind), on the most recent `window` samples (all of them when fewer).
// Unbounded needs every one of:
//   1. at least min_samples samples;
//   2. a consistent and significant monotone trend: Mann-Kendall tau >= min_trend and
//      z >= min_trend_z, with a positive Theil-Sen slope;
//   3. at least min_new_highs new highs, each clearing the noise tolerance (new_high_tolerance);
//   4. the last new high among the last recent_epochs samples: growth that stopped is bounded;
//   5. a rising floor (the suffix minimum, min_floor_rise): removals that keep resetting the
//      series, as in a sawtooth, do not count as growth;
//   6. a ceiling (the running maximum) still rising in the later half of the window
//      (min_ceiling_rise): jitter at a cap after an early fill is not growth.
// Every statistic is rank-based or measured against the window's own range, so the verdict
// does not depend on the absolute size: +1 per epoch on 50,000 elements is as unbounded as +1000.
//
// Capacity test (series_kind::bytes only), on the most recent `bytes_window` samples. A vector
// whose element count grows linearly holds bytes that double (1, 2, 4, 8 KiB ...) at epochs
// that are geometrically spaced, so once the steps are sparser than the trend window, the trend
// test sees a plateau. On a log scale those are steps of equal height, so this test counts held
// capacity steps — new highs at least capacity_step_ratio times the maximum before them, after
// which the bytes never fall back to that maximum — and calls the series unbounded with at
// least min_capacity_steps of them and a stall since the last one of at most
// capacity_stall_factor times the gap between the last two (2 or more held steps with that
// stall: growing). A vector filled once and kept — bytes that jump in a burst of doublings, then
// stay flat — stalls far longer than its last gap and is bounded. Limits: a doubling leak is
// only flagged once 3 held doublings fit in the history (17 to 29 samples for the rates that
// docs/detector.md tries; the default check's 12 samples read growing or bounded); and a vector
// that stopped growing after several doublings reads as a leak until its stall exceeds the
// allowed wait: on bytes alone the two cannot be told apart before that. A bytes series takes
// the more severe verdict of the two tests.
//
// Samples that are not finite make the history unjudgeable: bounded, with confidence 0.
inline detection detect_growth(const double* values, std::size_t count, series_kind kind = series_kind::elements,
                               const detector_options& options = {}) {
    options.validate();
    detection result;
    if (values == nullptr) count = 0;
    const std::size_t judged = std::min(count, options.window);
    result.samples = judged;
    result.epochs_since_new_high = judged;
    const std::size_t inspected =
        std::min(count, kind == series_kind::bytes ? std::max(options.window, options.bytes_window) : options.window);
    // Counts are finite; a NaN or infinity means a broken caller, and would break the sorts.
    if (!std::all_of(values + (count - inspected), values + count, [](double value) { return std::isfinite(value); })) {
        return result;
    }
    const double* recent = values + (count - judged);
    const detail::growth::trend_evidence trend = detail::growth::judge_trend(recent, judged, options);
    result.verdict = trend.verdict;
    result.confidence = trend.confidence;
    result.per_epoch = trend.slope;
    result.new_highs = trend.new_highs;
    result.epochs_since_new_high = trend.since_new_high;
    result.trend = trend.trend;
    result.trend_z = trend.trend_z;
    result.floor_rise = trend.floor_rise;
    result.ceiling_rise = trend.ceiling_rise;
    if (kind != series_kind::bytes) return result;

    const std::size_t long_judged = std::min(count, options.bytes_window);
    const detail::growth::capacity_evidence capacity =
        detail::growth::judge_capacity_steps(values + (count - long_judged), long_judged, options);
    result.capacity_steps = capacity.steps;
    const auto severity = [](leakwatch::verdict v) { return static_cast<int>(v); };  // bounded < growing < unbounded
    const bool capacity_decides = severity(capacity.verdict) > severity(result.verdict) &&
                                  (capacity.verdict != leakwatch::verdict::unbounded || count >= options.min_samples);
    if (capacity_decides) {
        result.verdict = capacity.verdict;
        result.confidence = capacity.confidence;
        result.per_epoch = capacity.per_epoch;
    } else if (result.verdict != leakwatch::verdict::unbounded) {
        result.confidence = std::min(std::max(result.confidence, capacity.confidence), 0.49);
    }
    return result;
}

inline detection detect_growth(const std::vector<double>& values, series_kind kind = series_kind::elements,
                               const detector_options& options = {}) {
    return detect_growth(values.data(), values.size(), kind, options);
}

// Judges a history kept at several resolutions: levels[0] holds the most recent epochs, one
// sample each; levels[1..] hold older epochs merged into coarser buckets (each overlapping the
// finer ones in time: a coarse level covers the most recent epochs too, once its buckets are
// complete). A slow leak that the full-resolution window sees as flat (+1 element an hour is
// one step every 120 samples at 30 s) is a steady staircase at a resolution where each sample
// covers an hour: every resolution is judged with the same rules as detect_growth, on its own
// most recent `window` samples, and the most severe verdict wins (on a tie, the finest).
//
// A coarse sample is judged by its peak, the highest value of its epochs: "unbounded" means
// reaching new highs, and the peak of each hour is the high-water mark of that hour. The last
// value would sample a cycle shorter than a bucket at an arbitrary phase (a cache cleared
// every 10 minutes, sampled once an hour, turns into noise, or into a slow false trend when
// the two periods beat); the lowest would hide a leak in a container that is emptied now and
// then (its minimum stays 0).
//
// Coarse levels are judged only once the history reaches back beyond levels[0] (some coarse
// sample ends before levels[0]'s first sample): a history that fits in the full-resolution
// samples is judged exactly as detect_growth judges it. And at every resolution, a rise that
// stays at or below an earlier peak in that older part of the history is bounded (see
// detector_options::earlier_peak_epochs): a window of twelve hours cannot tell the morning
// refill of a cache cleared every night, or the rising half of a weekly cycle, from a leak;
// the day or week before can.
inline detection detect_growth_across(const std::vector<resolution_series>& levels,
                                      series_kind kind = series_kind::elements, const detector_options& options = {}) {
    options.validate();
    if (levels.empty()) return detection{};
    for (const resolution_series& level : levels) {
        if (level.first_epochs.size() != level.values.size() || level.last_epochs.size() != level.values.size() ||
            level.epochs_per_sample == 0)
            throw std::invalid_argument(
                "leakwatch: detect_growth_across: a resolution_series needs one first and last epoch per value and "
                "epochs_per_sample >= 1 (got " + std::to_string(level.values.size()) + " values, " +
                std::to_string(level.first_epochs.size()) + " first epochs, " +
                std::to_string(level.last_epochs.size()) + " last epochs, epochs_per_sample " +
                std::to_string(level.epochs_per_sample) + ")");
    }
    const resolution_series& finest = levels.front();
    const std::uint64_t finest_start =
        finest.first_epochs.empty() ? std::numeric_limits<std::uint64_t>::max() : finest.first_epochs.front();

    const auto judge = [&](const resolution_series& level) {
        detection d = detect_growth(level.values.data(), level.values.size(), kind, options);
        d.epochs_per_sample = level.epochs_per_sample;
        if (d.samples != 0) {
            d.first_epoch = level.first_epochs[level.values.size() - d.samples];
            d.last_epoch = level.last_epochs.back();
        }
        d.per_epoch /= static_cast<double>(level.epochs_per_sample);
        return d;
    };
    // The earlier-peak rule: the highest coarse sample that ended before both the judged window
    // and the full-resolution samples, at most earlier_peak_epochs before the window.
    const auto apply_earlier_peak = [&](detection& d, const resolution_series& level) {
        if (d.verdict == leakwatch::verdict::bounded || options.earlier_peak_epochs == 0 || d.samples == 0) return;
        const std::uint64_t window_start = d.first_epoch;
        const std::uint64_t older_than = std::min(window_start, finest_start);
        bool found = false;
        double earlier = 0;
        for (std::size_t l = 1; l < levels.size(); ++l) {
            const resolution_series& coarse = levels[l];
            for (std::size_t i = 0; i < coarse.values.size(); ++i) {
                const std::uint64_t end = coarse.last_epochs[i];
                if (end >= older_than || end + options.earlier_peak_epochs < window_start) continue;
                if (!found || coarse.values[i] > earlier) earlier = coarse.values[i];
                found = true;
            }
        }
        if (!found) return;
        const double* window = level.values.data() + (level.values.size() - d.samples);
        const auto [low, high] = std::minmax_element(window, window + d.samples);
        // Passing the earlier peak counts as a new high would: by more than the tolerance of
        // the new-high test (a fraction of the window's average rise per sample), so that
        // noise at the top of a cycle does not pass for growth.
        const double margin =
            d.samples > 1 ? options.new_high_tolerance * (*high - *low) / static_cast<double>(d.samples - 1) : 0;
        if (*high <= earlier + margin) {
            d.verdict = leakwatch::verdict::bounded;
            d.confidence = std::min(d.confidence, 0.49);
            d.earlier_peak = earlier;
        }
    };

    // A shortcut that gives the same verdict: the trend test calls a window growing or
    // unbounded only when one of its last recent_epochs samples is above every sample before it
    // in the window (a recent new high). Most coarse levels of most histories have none, and are
    // then bounded without the O(window^2) statistics.
    const auto new_high_lately = [&](const std::vector<double>& values) {
        const std::size_t judged = std::min(values.size(), options.window);
        if (judged < 2) return false;
        const double* window = values.data() + (values.size() - judged);
        const std::size_t recent = std::min(options.recent_epochs, judged - 1);
        const double before = *std::max_element(window, window + (judged - recent));
        return *std::max_element(window + (judged - recent), window + judged) > before;
    };

    detection best = judge(finest);
    apply_earlier_peak(best, finest);
    double earlier_peak = best.earlier_peak;
    bool reaches_back = false;
    for (std::size_t l = 1; l < levels.size() && !reaches_back; ++l)
        reaches_back = !levels[l].last_epochs.empty() && levels[l].last_epochs.front() < finest_start;
    if (!reaches_back) return best;
    const auto severity = [](leakwatch::verdict v) { return static_cast<int>(v); };
    for (std::size_t l = 1; l < levels.size(); ++l) {
        // Two or three coarse samples say little: a rise between them is as likely the noise
        // at the top of a cap (the highest of 4,096 noisy samples) as growth.
        if (levels[l].values.size() < options.min_samples) continue;
        if (best.verdict == leakwatch::verdict::unbounded) break;  // a coarser one would not win the tie
        if (kind == series_kind::elements && !new_high_lately(levels[l].values)) continue;
        detection d = judge(levels[l]);
        apply_earlier_peak(d, levels[l]);
        earlier_peak = std::max(earlier_peak, d.earlier_peak);
        if (severity(d.verdict) > severity(best.verdict)) best = d;
    }
    // A bounded verdict says when a rise was seen but stayed below an earlier peak.
    if (best.verdict == leakwatch::verdict::bounded) best.earlier_peak = earlier_peak;
    return best;
}

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
