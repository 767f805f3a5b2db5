// tests/growth_patterns.hpp — the labelled synthetic growth histories that the detector is
// judged against.
//
// One source of truth for tests/test_detector.cpp (which asserts every verdict) and
// tests/detector_accuracy.cpp (which prints the accuracy table in docs/detector.md). Each
// generator models what a real container does epoch by epoch — from the first epoch of a
// check, with the warm-up epochs dropped as the caller drops them — so that the suite tests
// the definition of unbounded (README "Growth detection") rather than the detector's own arithmetic.
// Random patterns draw from std::mt19937 with fixed seeds and map its raw output to numbers
// by hand: the engine's sequence is fixed by the standard, the std distributions are not, so
// every standard library sees the same series.
#pragma once

#include <leakwatch/detector.hpp>
#include <leakwatch/verdict.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace growth_patterns {

// The caller's default check runs 16 epochs and drops the first 4, leaving 12 samples.
constexpr std::size_t warmup_epochs = 4;

struct labelled_history {
    std::string family;      // the pattern, as listed in README "Growth detection"
    std::string parameters;  // what makes this case differ from its siblings
    std::vector<double> values;
    leakwatch::series_kind kind = leakwatch::series_kind::elements;
    leakwatch::verdict expected = leakwatch::verdict::bounded;
};

// ---- deterministic randomness ------------------------------------------------------------

inline double unit_uniform(std::mt19937& rng) { return static_cast<double>(rng()) / 4294967296.0; }

inline double uniform_between(std::mt19937& rng, double low, double high) {
    return low + (high - low) * unit_uniform(rng);
}

// Inclusive of both ends.
inline long long uniform_count(std::mt19937& rng, long long low, long long high) {
    return low + static_cast<long long>(unit_uniform(rng) * static_cast<double>(high - low + 1));
}

// ---- shaping helpers ---------------------------------------------------------------------

// The samples a detector sees: epochs warmup_epochs .. warmup_epochs + samples - 1.
inline std::vector<double> after_warmup(std::size_t samples, const std::function<double(std::size_t)>& value_at_epoch) {
    std::vector<double> values;
    for (std::size_t epoch = warmup_epochs; epoch < warmup_epochs + samples; ++epoch) {
        values.push_back(value_at_epoch(epoch));
    }
    return values;
}

// Element counts are whole and never negative.
inline double as_count(double value) { return std::max(0.0, std::round(value)); }

inline std::string describe(std::initializer_list<std::pair<const char*, double>> fields) {
    std::string text;
    for (const auto& [name, value] : fields) {
        if (!text.empty()) text += ", ";
        const double whole = std::round(value);
        text += std::string(name) + "=" +
                (whole == value ? std::to_string(static_cast<long long>(whole)) : std::to_string(value).substr(0, 5));
    }
    return text;
}

// ---- element-count patterns --------------------------------------------------------------

inline std::vector<double> linear_growth(double base, double per_epoch, std::size_t samples) {
    return after_warmup(samples, [=](std::size_t epoch) { return base + per_epoch * static_cast<double>(epoch); });
}

// `height` more every `period` epochs; `phase` shifts where the steps fall in the window.
inline std::vector<double> step_growth(double base, double height, std::size_t period, std::size_t phase,
                                       std::size_t samples) {
    return after_warmup(
        samples, [=](std::size_t epoch) { return base + height * static_cast<double>((epoch + phase) / period); });
}

// A rising trend with removals: each epoch sits up to `amplitude` off the trend line, so
// whenever amplitude > per_epoch / 2 some epochs shrink, but the floor keeps rising.
inline std::vector<double> noisy_growth(double base, double per_epoch, double amplitude, std::uint32_t seed,
                                        std::size_t samples) {
    std::mt19937 rng(seed);
    return after_warmup(samples, [&](std::size_t epoch) {
        return as_count(base + per_epoch * static_cast<double>(epoch) + uniform_between(rng, -amplitude, amplitude));
    });
}

// Inserts and erases every epoch, net `drift` on average, +-`spread` around it: a random walk
// with drift (sessions added faster than they expire), shrinking in some epochs.
inline std::vector<double> drifting_walk(double base, double drift, double spread, std::uint32_t seed,
                                         std::size_t samples) {
    std::mt19937 rng(seed);
    double size = base;
    std::vector<double> history;
    for (std::size_t epoch = 0; epoch < warmup_epochs + samples; ++epoch) {
        size = as_count(size + drift + uniform_between(rng, -spread, spread));
        if (epoch >= warmup_epochs) history.push_back(size);
    }
    return history;
}

inline std::vector<double> flat(double level, std::size_t samples) {
    return after_warmup(samples, [=](std::size_t) { return level; });
}

// Fills linearly from empty and reaches `cap` at epoch `full_at` (which may lie inside the
// window: the rise continues a little after warm-up), then stays.
inline std::vector<double> rise_then_plateau(double cap, std::size_t full_at, std::size_t samples) {
    return after_warmup(samples, [=](std::size_t epoch) {
        return as_count(cap * std::min(1.0, static_cast<double>(epoch + 1) / static_cast<double>(full_at + 1)));
    });
}

// Approaches `cap` exponentially with time constant `tau` epochs (a cache warming up).
inline std::vector<double> saturating(double cap, double tau, std::size_t samples) {
    return after_warmup(samples, [=](std::size_t epoch) {
        return as_count(cap * (1 - std::exp(-static_cast<double>(epoch + 1) / tau)));
    });
}

// An LRU cache: fills at `fill_per_epoch` until `cap`, then evicts; at capacity its size sits
// up to `jitter` below the cap (entries expired but not yet replaced).
inline std::vector<double> lru_cache(double cap, double fill_per_epoch, long long jitter, std::uint32_t seed,
                                     std::size_t samples) {
    std::mt19937 rng(seed);
    return after_warmup(samples, [&](std::size_t epoch) {
        const double filled = fill_per_epoch * static_cast<double>(epoch + 1);
        if (filled < cap) return filled;
        return cap - static_cast<double>(uniform_count(rng, 0, jitter));
    });
}

// Filled evenly over `period` epochs up to `peak` above `base`, then cleared back to `base`;
// `peak_jitter` is a relative wobble of each sample (the peak stays steady on average).
inline std::vector<double> sawtooth(double base, double peak, std::size_t period, std::size_t phase, double peak_jitter,
                                    std::uint32_t seed, std::size_t samples) {
    std::mt19937 rng(seed);
    return after_warmup(samples, [&](std::size_t epoch) {
        const double fill = static_cast<double>((epoch + phase) % period + 1) / static_cast<double>(period);
        return as_count(base + peak * fill * (1 + uniform_between(rng, -peak_jitter, peak_jitter)));
    });
}

inline std::vector<double> fluctuation(double low, double width, std::uint32_t seed, std::size_t samples) {
    std::mt19937 rng(seed);
    return after_warmup(samples, [&](std::size_t) { return as_count(uniform_between(rng, low, low + width)); });
}

// Flat at `base`, then at window sample `jump_index` jumps by `height` and stays.
inline std::vector<double> jump_then_flat(double base, double height, std::size_t jump_index, std::size_t samples) {
    return after_warmup(samples,
                        [=](std::size_t epoch) { return base + (epoch >= warmup_epochs + jump_index ? height : 0.0); });
}

// Linear growth whose last increase is `flat_samples` samples before the end of the window.
inline std::vector<double> stopped_linear(double base, double per_epoch, std::size_t flat_samples,
                                          std::size_t samples) {
    const std::size_t last_growth_epoch = warmup_epochs + samples - 1 - flat_samples;
    return after_warmup(samples, [=](std::size_t epoch) {
        return base + per_epoch * static_cast<double>(std::min(epoch, last_growth_epoch));
    });
}

// Growth in steps (`height` every `period` epochs) that stopped `flat_samples` before the end.
inline std::vector<double> stopped_steps(double base, double height, std::size_t period, std::size_t flat_samples,
                                         std::size_t samples) {
    const std::size_t last_growth_epoch = warmup_epochs + samples - 1 - flat_samples;
    return after_warmup(samples, [=](std::size_t epoch) {
        const std::size_t steps_taken = (std::min(epoch, last_growth_epoch) + 1) / period;
        return base + height * static_cast<double>(steps_taken);
    });
}

// Noisy growth (as noisy_growth) that stopped `flat_samples` before the end; the plateau keeps a
// small jitter of `plateau_jitter` elements below its level.
inline std::vector<double> stopped_noisy(double base, double per_epoch, double amplitude, long long plateau_jitter,
                                         std::size_t flat_samples, std::uint32_t seed, std::size_t samples) {
    std::mt19937 rng(seed);
    const std::size_t last_growth_epoch = warmup_epochs + samples - 1 - flat_samples;
    double plateau = 0;
    return after_warmup(samples, [&](std::size_t epoch) {
        if (epoch <= last_growth_epoch) {
            plateau =
                as_count(base + per_epoch * static_cast<double>(epoch) + uniform_between(rng, -amplitude, amplitude));
            return plateau;
        }
        return plateau - static_cast<double>(uniform_count(rng, 0, plateau_jitter));
    });
}

// Instances alive at one creation site: each epoch about `births` new short-lived containers,
// each surviving into the next epoch with probability `survival` (mean lifetime
// 1 / (1 - survival) epochs). The site starts empty `head_start` epochs before the check; from
// the start of the check, the count approaches its steady level as 1 - survival^epochs.
inline std::vector<double> short_lived(double births, double survival, std::uint32_t seed, std::size_t samples,
                                       std::size_t head_start = 0) {
    std::mt19937 rng(seed);
    long long alive = 0;
    std::vector<double> history;
    for (std::size_t step = 0; step < head_start + warmup_epochs + samples; ++step) {
        long long survivors = 0;
        for (long long i = 0; i < alive; ++i) survivors += unit_uniform(rng) < survival ? 1 : 0;
        alive = survivors + uniform_count(rng, 0, static_cast<long long>(2 * births));
        if (step >= head_start + warmup_epochs) history.push_back(static_cast<double>(alive));
    }
    return history;
}

// Flat, then rising by `height` in each of the last `rising_samples` samples.
inline std::vector<double> late_rise(double base, double height, std::size_t rising_samples, std::size_t samples) {
    const std::size_t first_rise_epoch = warmup_epochs + samples - rising_samples;
    return after_warmup(samples, [=](std::size_t epoch) {
        return base + (epoch >= first_rise_epoch ? height * static_cast<double>(epoch + 1 - first_rise_epoch) : 0.0);
    });
}

// ---- byte patterns (allocator channels) --------------------------------------------------

// Capacity of a vector after push_back up to `elements`, growing by `growth` (2 in libstdc++
// and libc++, 1.5 in MSVC), starting from `capacity`. Capacity never shrinks.
inline double grown_capacity(double capacity, double elements, double growth) {
    while (capacity < elements) capacity = std::max(capacity + 1, std::floor(capacity * growth));
    return capacity;
}

// Bytes held by a vector whose size follows `elements_at_epoch`.
inline std::vector<double> vector_bytes(double element_size, double growth, std::size_t samples,
                                        const std::function<double(std::size_t)>& elements_at_epoch) {
    double capacity = 0;
    std::vector<double> history;
    for (std::size_t epoch = 0; epoch < warmup_epochs + samples; ++epoch) {
        capacity = grown_capacity(capacity, elements_at_epoch(epoch), growth);
        if (epoch >= warmup_epochs) history.push_back(capacity * element_size);
    }
    return history;
}

// A vector filled to `final_elements` over `fill_epochs` epochs, then kept: its bytes jump in
// doublings, then stay flat.
inline std::vector<double> vector_fill_then_keep(double final_elements, std::size_t fill_epochs, double element_size,
                                                 std::size_t samples) {
    return vector_bytes(element_size, 2, samples, [=](std::size_t epoch) {
        return std::floor(final_elements *
                          std::min(1.0, static_cast<double>(epoch + 1) / static_cast<double>(fill_epochs)));
    });
}

// A vector leaking `per_epoch` elements every epoch: byte steps that double in height at
// geometrically spaced epochs.
inline std::vector<double> vector_leak(double per_epoch, double element_size, double growth, std::size_t samples) {
    return vector_bytes(element_size, growth, samples,
                        [=](std::size_t epoch) { return per_epoch * static_cast<double>(epoch + 1); });
}

// A vector refilled to `peak_elements` over each `period` epochs and released (swap with an
// empty one) at the end of each period: its capacity restarts from zero.
inline std::vector<double> vector_refilled(double peak_elements, std::size_t period, double element_size,
                                           std::size_t samples) {
    return after_warmup(samples, [=](std::size_t epoch) {
        const double fill = static_cast<double>(epoch % period + 1) / static_cast<double>(period);
        return grown_capacity(0, std::floor(peak_elements * fill), 2) * element_size;
    });
}

// Bytes of a node-based map holding `elements_at_epoch` entries: one node each, plus a bucket
// array that doubles (powers of two, 8 bytes a bucket) to keep the load factor under 1.
inline std::vector<double> node_map_bytes(double node_size, std::size_t samples,
                                          const std::function<double(std::size_t)>& elements_at_epoch) {
    double buckets = 1;
    return after_warmup(samples, [&](std::size_t epoch) {
        const double elements = elements_at_epoch(epoch);
        while (buckets < elements) buckets *= 2;
        return elements * node_size + buckets * 8;
    });
}

// ---- the labelled suite ------------------------------------------------------------------

inline std::vector<labelled_history> labelled_suite() {
    using leakwatch::series_kind;
    using leakwatch::verdict;
    std::vector<labelled_history> suite;
    const auto add = [&](const char* family, std::string parameters, std::vector<double> values, verdict expected,
                         series_kind kind = series_kind::elements) {
        suite.push_back({family, std::move(parameters), std::move(values), kind, expected});
    };
    const std::size_t lengths[] = {12, 16, 32, 64};
    const auto samples_of = [](std::size_t samples) { return static_cast<double>(samples); };

    // ---- unbounded ----
    for (const double slope : {1.0, 3.0, 10.0, 1000.0}) {
        for (const double base : {0.0, 50000.0}) {
            for (const std::size_t samples : lengths) {
                add("linear growth", describe({{"per_epoch", slope}, {"base", base}, {"samples", samples_of(samples)}}),
                    linear_growth(base, slope, samples), verdict::unbounded);
            }
        }
    }
    for (const std::size_t period : {2, 3, 4}) {
        for (std::size_t phase = 0; phase < period; ++phase) {
            for (const double height : {1.0, 100.0}) {
                for (const double base : {0.0, 50000.0}) {
                    for (const std::size_t samples : {std::size_t{12}, std::size_t{32}}) {
                        add("growth in steps",
                            describe({{"height", height},
                                      {"every", samples_of(period)},
                                      {"phase", samples_of(phase)},
                                      {"base", base},
                                      {"samples", samples_of(samples)}}),
                            step_growth(base, height, period, phase, samples), verdict::unbounded);
                    }
                }
            }
        }
    }
    std::uint32_t seed = 1;
    for (const double slope : {5.0, 50.0}) {
        for (const double noise_ratio : {0.75, 1.0, 1.5, 2.0}) {
            for (const double base : {1000.0, 50000.0}) {
                for (const std::size_t samples : {std::size_t{12}, std::size_t{32}}) {
                    for (int repeat = 0; repeat < 3; ++repeat, ++seed) {
                        add("noisy growth with removals",
                            describe({{"per_epoch", slope},
                                      {"noise", slope * noise_ratio},
                                      {"base", base},
                                      {"samples", samples_of(samples)},
                                      {"seed", static_cast<double>(seed)}}),
                            noisy_growth(base, slope, slope * noise_ratio, seed, samples), verdict::unbounded);
                    }
                }
            }
        }
    }
    for (const double drift : {10.0, 200.0}) {
        for (const double spread_ratio : {1.1, 1.25}) {
            for (const std::size_t samples : {std::size_t{12}, std::size_t{32}}) {
                for (int repeat = 0; repeat < 3; ++repeat, ++seed) {
                    add("drifting walk with removals",
                        describe({{"drift", drift},
                                  {"spread", drift * spread_ratio},
                                  {"samples", samples_of(samples)},
                                  {"seed", static_cast<double>(seed)}}),
                        drifting_walk(1000, drift, drift * spread_ratio, seed, samples), verdict::unbounded);
                }
            }
        }
    }

    // ---- bounded ----
    for (const double level : {0.0, 1.0, 1000.0, 50000.0}) {
        for (const std::size_t samples : lengths) {
            add("flat", describe({{"level", level}, {"samples", samples_of(samples)}}), flat(level, samples),
                verdict::bounded);
        }
    }
    for (const double cap : {100.0, 50000.0}) {
        // full_at is an epoch; warm-up covers 0..3, so 5..11 keep rising 1..7 samples into the window.
        for (const std::size_t full_at : {2, 3, 5, 7, 9, 11}) {
            for (const std::size_t samples : lengths) {
                add("warm-up then plateau",
                    describe({{"cap", cap}, {"full_at_epoch", samples_of(full_at)}, {"samples", samples_of(samples)}}),
                    rise_then_plateau(cap, full_at, samples), verdict::bounded);
            }
        }
        for (const double tau : {1.0, 1.5, 2.0}) {
            for (const std::size_t samples : lengths) {
                add("warm-up then plateau",
                    describe({{"cap", cap}, {"saturating_tau", tau}, {"samples", samples_of(samples)}}),
                    saturating(cap, tau, samples), verdict::bounded);
            }
        }
    }
    for (const double cap : {64.0, 1000.0, 10000.0}) {
        for (const double fill_epochs : {3.0, 8.0}) {
            for (const long long jitter : {0, 1, 2}) {
                for (const std::size_t samples : {std::size_t{12}, std::size_t{64}}) {
                    add("LRU cache at capacity",
                        describe({{"cap", cap},
                                  {"fills_in_epochs", fill_epochs},
                                  {"jitter", static_cast<double>(jitter)},
                                  {"samples", samples_of(samples)},
                                  {"seed", static_cast<double>(seed)}}),
                        lru_cache(cap, cap / fill_epochs, jitter, seed, samples), verdict::bounded);
                    ++seed;
                }
            }
        }
    }
    for (const std::size_t period : {2, 3, 4, 5, 6}) {
        for (std::size_t phase = 0; phase < period; ++phase) {
            for (const double peak : {10.0, 1000.0}) {
                for (const double jitter : {0.0, 0.02}) {
                    const std::size_t samples = phase % 2 == 0 ? 12 : 32;
                    add("sawtooth (cleared periodically)",
                        describe({{"every", samples_of(period)},
                                  {"phase", samples_of(phase)},
                                  {"peak", peak},
                                  {"jitter", jitter},
                                  {"samples", samples_of(samples)}}),
                        sawtooth(peak == 10.0 ? 0 : 5000, peak, period, phase, jitter, seed, samples),
                        verdict::bounded);
                    ++seed;
                }
            }
        }
    }
    for (const double low : {0.0, 1000.0, 50000.0}) {
        for (const double width : {10.0, 100.0, 1000.0}) {
            for (const std::size_t samples : {std::size_t{12}, std::size_t{32}}) {
                for (int repeat = 0; repeat < 3; ++repeat, ++seed) {
                    add("fluctuation within a range",
                        describe({{"low", low},
                                  {"width", width},
                                  {"samples", samples_of(samples)},
                                  {"seed", static_cast<double>(seed)}}),
                        fluctuation(low, width, seed, samples), verdict::bounded);
                }
            }
        }
    }
    for (const double height : {1.0, 100.0, 10000.0}) {
        for (const double base : {0.0, 1000.0}) {
            for (const std::size_t samples : {std::size_t{12}, std::size_t{32}}) {
                // Jumps anywhere up to 4 samples before the end: at least 4 flat samples follow.
                for (std::size_t jump_index = 1; jump_index + 4 < samples; jump_index += samples / 8) {
                    add("single jump then flat",
                        describe({{"height", height},
                                  {"base", base},
                                  {"jump_at_sample", samples_of(jump_index)},
                                  {"samples", samples_of(samples)}}),
                        jump_then_flat(base, height, jump_index, samples), verdict::bounded);
                }
            }
        }
    }
    for (const double slope : {1.0, 10.0, 1000.0}) {
        for (const std::size_t flat_samples : {4, 5, 6, 8}) {
            for (const std::size_t samples : lengths) {
                add("growth that stopped",
                    describe({{"per_epoch", slope},
                              {"flat_samples", samples_of(flat_samples)},
                              {"samples", samples_of(samples)}}),
                    stopped_linear(500, slope, flat_samples, samples), verdict::bounded);
            }
        }
    }
    for (const std::size_t period : {2, 3}) {
        for (const std::size_t flat_samples : {4, 6}) {
            for (const std::size_t samples : {std::size_t{12}, std::size_t{64}}) {
                add("growth that stopped",
                    describe({{"steps_of", 100},
                              {"every", samples_of(period)},
                              {"flat_samples", samples_of(flat_samples)},
                              {"samples", samples_of(samples)}}),
                    stopped_steps(0, 100, period, flat_samples, samples), verdict::bounded);
            }
        }
    }
    for (const double noise_ratio : {0.5, 1.0}) {
        for (const long long plateau_jitter : {0, 2}) {
            for (const std::size_t flat_samples : {4, 6}) {
                for (int repeat = 0; repeat < 2; ++repeat, ++seed) {
                    add("growth that stopped",
                        describe({{"per_epoch", 50},
                                  {"noise", 50 * noise_ratio},
                                  {"plateau_jitter", static_cast<double>(plateau_jitter)},
                                  {"flat_samples", samples_of(flat_samples)},
                                  {"seed", static_cast<double>(seed)}}),
                        stopped_noisy(1000, 50, 50 * noise_ratio, plateau_jitter, flat_samples, seed, 12),
                        verdict::bounded);
                }
            }
        }
    }
    for (const double births : {5.0, 50.0, 500.0}) {
        for (const double survival : {0.3, 0.6}) {
            for (const std::size_t samples : {std::size_t{12}, std::size_t{32}}) {
                for (int repeat = 0; repeat < 3; ++repeat, ++seed) {
                    add("many short-lived containers",
                        describe({{"births", births},
                                  {"survival", survival},
                                  {"samples", samples_of(samples)},
                                  {"seed", static_cast<double>(seed)}}),
                        short_lived(births, survival, seed, samples), verdict::bounded);
                }
            }
        }
    }

    // ---- growing: rising, not conclusive ----
    for (const double height : {1.0, 100.0}) {
        for (const double base : {0.0, 1000.0}) {
            for (const std::size_t rising : {1, 2}) {
                for (const std::size_t samples : {std::size_t{12}, std::size_t{32}}) {
                    add("rise in the last epochs only",
                        describe({{"height", height},
                                  {"base", base},
                                  {"rising_samples", samples_of(rising)},
                                  {"samples", samples_of(samples)}}),
                        late_rise(base, height, rising, samples), verdict::growing);
                }
            }
        }
    }
    for (const double slope : {1.0, 1000.0}) {
        for (const double base : {0.0, 50000.0}) {
            for (const std::size_t samples : {2, 3}) {
                add("too few samples",
                    describe({{"per_epoch", slope}, {"base", base}, {"samples", samples_of(samples)}}),
                    linear_growth(base, slope, samples), verdict::growing);
            }
        }
    }

    // ---- bytes: allocator channels ----
    // Filled over 1 epoch (every doubling inside warm-up), 10 (a step or two inside the window),
    // 20 and 40 (two or three held doublings inside the window). The longer fills are judged once
    // they have been still for more than twice the gap between their last two doublings: until
    // then, a vector that stopped is indistinguishable from one that leaks (docs/detector.md).
    const std::pair<std::size_t, std::vector<std::size_t>> fills[] = {
        {1, {12, 16, 32, 64}}, {10, {12, 16, 32, 64}}, {20, {32, 64}}, {40, {64}}};
    for (const double final_elements : {1000.0, 5000.0, 100000.0}) {
        for (const auto& [fill_epochs, fill_lengths] : fills) {
            for (const std::size_t samples : fill_lengths) {
                add("bytes: vector filled then kept",
                    describe({{"elements", final_elements},
                              {"fill_epochs", samples_of(fill_epochs)},
                              {"samples", samples_of(samples)}}),
                    vector_fill_then_keep(final_elements, fill_epochs, 8, samples), verdict::bounded,
                    series_kind::bytes);
            }
        }
    }
    for (const double per_epoch : {1.0, 10.0, 100.0}) {
        for (const double growth : {2.0, 1.5}) {
            for (const std::size_t samples : {std::size_t{32}, std::size_t{64}}) {
                add("bytes: vector leaking elements",
                    describe({{"per_epoch", per_epoch}, {"growth", growth}, {"samples", samples_of(samples)}}),
                    vector_leak(per_epoch, 8, growth, samples), verdict::unbounded, series_kind::bytes);
            }
        }
    }
    for (const double per_epoch : {1.0, 25.0}) {
        for (const std::size_t samples : {std::size_t{12}, std::size_t{32}}) {
            add("bytes: node map leaking elements",
                describe({{"per_epoch", per_epoch}, {"samples", samples_of(samples)}}),
                node_map_bytes(48, samples,
                               [=](std::size_t epoch) { return 200 + per_epoch * static_cast<double>(epoch); }),
                verdict::unbounded, series_kind::bytes);
        }
    }
    for (const double peak : {1000.0, 100000.0}) {
        for (const std::size_t period : {3, 4, 6}) {
            for (const std::size_t samples : {std::size_t{16}, std::size_t{64}}) {
                add("bytes: vector refilled and released",
                    describe(
                        {{"peak_elements", peak}, {"every", samples_of(period)}, {"samples", samples_of(samples)}}),
                    vector_refilled(peak, period, 8, samples), verdict::bounded, series_kind::bytes);
            }
        }
    }
    for (const double births : {50.0, 500.0}) {
        for (const std::size_t samples : {std::size_t{12}, std::size_t{64}}) {
            const std::vector<double> instances = short_lived(births, 0.5, seed++, samples);
            add("bytes: node map fluctuating", describe({{"births", births}, {"samples", samples_of(samples)}}),
                node_map_bytes(48, samples, [&](std::size_t epoch) { return instances[epoch - warmup_epochs]; }),
                verdict::bounded, series_kind::bytes);
        }
    }
    return suite;
}

// Families in the order the accuracy table lists them.
inline std::vector<std::string> families_of(const std::vector<labelled_history>& suite) {
    std::vector<std::string> families;
    for (const labelled_history& history : suite) {
        if (std::find(families.begin(), families.end(), history.family) == families.end()) {
            families.push_back(history.family);
        }
    }
    return families;
}

}  // namespace growth_patterns
