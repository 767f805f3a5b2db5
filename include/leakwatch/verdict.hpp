// leakwatch/verdict.hpp — the detector's judgement of one history.
#pragma once

#include <leakwatch/config.hpp>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

// bounded: no sign of unbounded growth; growing: rising, not yet conclusive;
// unbounded: keeps reaching new highs with a net upward trend after warm-up.
enum class verdict { bounded, growing, unbounded };

constexpr const char* to_string(verdict v) noexcept {
    switch (v) {
        case verdict::bounded: return "bounded";
        case verdict::growing: return "growing";
        case verdict::unbounded: return "unbounded";
    }
    return "bounded";
}

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
