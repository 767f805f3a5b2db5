// leakwatch/detail/text.hpp — small formatting helpers shared by every report format.
//
// Reports must stay readable and valid whatever a user put in a label or a path: these
// helpers escape for JSON and HTML and make byte counts and histories short enough for a
// table.
#pragma once

#include <leakwatch/config.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {
namespace detail {

// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is not valid.
inline std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (lead < 0x80) return 1;
    if ((lead & 0xE0) == 0xC0) length = 2, code = lead & 0x1F;
    else if ((lead & 0xF0) == 0xE0) length = 3, code = lead & 0x0F;
    else if ((lead & 0xF8) == 0xF0) length = 4, code = lead & 0x07;
    else return 0;
    if (i + length > text.size()) return 0;
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
        code = (code << 6) | (byte(i + k) & 0x3F);
    }
    // Reject overlong forms, surrogates and values beyond Unicode.
    if ((length == 2 && code < 0x80) || (length == 3 && code < 0x800) || (length == 4 && code < 0x10000) ||
        (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF)
        return 0;
    return length;
}

// A JSON string literal (with quotes). Invalid UTF-8 bytes become U+FFFD so that the
// output is always valid JSON.
inline std::string json_quote(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        switch (c) {
            case '"': out += "\\\""; ++i; continue;
            case '\\': out += "\\\\"; ++i; continue;
            case '\n': out += "\\n"; ++i; continue;
            case '\r': out += "\\r"; ++i; continue;
            case '\t': out += "\\t"; ++i; continue;
            default: break;
        }
        if (c < 0x20 || c == 0x7F) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
            out += buffer;
            ++i;
            continue;
        }
        const std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            out += "\\ufffd";
            ++i;
        } else {
            // '<' is escaped too, so the JSON can be embedded in an HTML page verbatim.
            if (c == '<') out += "\\u003c";
            else out.append(text.substr(i, length));
            i += length;
        }
    }
    out += '"';
    return out;
}

// Text for a terminal or a log line: control characters and invalid UTF-8 shown escaped
// (\n, \x1b, \xff) so that a label cannot forge report lines or terminal sequences.
inline std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        const std::size_t length = utf8_sequence_length(text, i);
        if (c == '\\') {
            out += "\\\\";
            ++i;
        } else if (c == '\n') {
            out += "\\n";
            ++i;
        } else if (c == '\t') {
            out += "\\t";
            ++i;
        } else if (c < 0x20 || c == 0x7F || length == 0) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\x%02x", c);
            out += buffer;
            ++i;
        } else {
            out.append(text.substr(i, length));
            i += length;
        }
    }
    return out;
}

// The text with every invalid UTF-8 byte replaced by U+FFFD (everything else unchanged).
inline std::string valid_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(text.substr(i, length));
            i += length;
        }
    }
    return out;
}

// Text for HTML element content and quoted attribute values: the five markup characters
// become entities, invalid UTF-8 and control characters (other than tab and newline)
// become U+FFFD, so nothing a label holds can open a tag, close an attribute or forge a
// character reference.
inline std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        switch (c) {
            case '&': out += "&amp;"; ++i; continue;
            case '<': out += "&lt;"; ++i; continue;
            case '>': out += "&gt;"; ++i; continue;
            case '"': out += "&quot;"; ++i; continue;
            case '\'': out += "&#39;"; ++i; continue;
            case '\t': case '\n': out += static_cast<char>(c); ++i; continue;
            default: break;
        }
        const std::size_t length = utf8_sequence_length(text, i);
        if (length == 0 || c < 0x20 || c == 0x7F) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(text.substr(i, length));
            i += length;
        }
    }
    return out;
}

// A JSON number: finite values only (NaN and infinities have no JSON form).
inline std::string json_number(double value) {
    if (!std::isfinite(value)) return "0";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", value);
    return buffer;
}

// "6.1 GiB", "512 B".
inline std::string human_bytes(double bytes) {
    static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    std::size_t unit = 0;
    double value = bytes < 0 ? -bytes : bytes;
    while (value >= 1024.0 && unit + 1 < sizeof units / sizeof units[0]) {
        value /= 1024.0;
        ++unit;
    }
    char buffer[32];
    if (unit == 0) std::snprintf(buffer, sizeof buffer, "%s%.0f %s", bytes < 0 ? "-" : "", value, units[unit]);
    else std::snprintf(buffer, sizeof buffer, "%s%.1f %s", bytes < 0 ? "-" : "", value, units[unit]);
    return buffer;
}

// "+12.5", "-3", "0".
inline std::string signed_rate(double value) {
    char buffer[32];
    if (value == 0) return "0";
    if (std::fabs(value) >= 100 || std::floor(value) == value) std::snprintf(buffer, sizeof buffer, "%+.0f", value);
    // A slow leak judged over days grows by a fraction of an element per epoch: two significant
    // digits instead of "+0.0".
    else if (std::fabs(value) < 0.1) std::snprintf(buffer, sizeof buffer, "%+.2g", value);
    else std::snprintf(buffer, sizeof buffer, "%+.1f", value);
    return buffer;
}

// A small sparkline of the most recent values (eight levels of block characters).
inline std::string sparkline(const std::vector<double>& values, std::size_t width = 16) {
    static const char* const blocks[] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                         "\u2585", "\u2586", "\u2587", "\u2588"};
    if (values.empty()) return std::string();
    const std::size_t begin = values.size() > width ? values.size() - width : 0;
    double low = values[begin], high = values[begin];
    for (std::size_t i = begin; i < values.size(); ++i) {
        low = values[i] < low ? values[i] : low;
        high = values[i] > high ? values[i] : high;
    }
    std::string out;
    for (std::size_t i = begin; i < values.size(); ++i) {
        std::size_t level = 0;
        if (high > low) level = static_cast<std::size_t>((values[i] - low) / (high - low) * 7.0 + 0.5);
        out += blocks[level > 7 ? 7 : level];
    }
    return out;
}

}  // namespace detail
}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
