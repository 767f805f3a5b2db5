// leakwatch/export/html.hpp — growth_report::to_html(): the report as one page to look at.
//
// One self-contained HTML file: inline CSS and inline SVG, no script, no font, no request
// of any kind (a Content-Security-Policy says so to the browser too), so it can be mailed,
// archived by CI or opened from disk. It shows the summary (tracked bytes against resident
// memory, where the resident memory went by category, and the warning when resident memory
// grows and no tracked container explains it, naming the category that grows),
// a table of the findings worst first, and per finding a chart of its elements and bytes
// over the recorded epochs (two lines, each on its own scale), unbounded ones marked in red.
// Every label, type, path and function name is escaped for HTML.
#pragma once

#include <leakwatch/config.hpp>
#include <leakwatch/detail/stacks.hpp>
#include <leakwatch/detail/text.hpp>
#include <leakwatch/report.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {
namespace detail {

// User text for the page: escapes shown as in the text report (\n, \xff), then HTML-escaped.
inline std::string html_text(std::string_view text) { return html_escape(printable(text)); }

// "file:line", unescaped.
inline std::string site_string(const source_site& site) {
    return std::string(site.file != nullptr ? site.file : "") + ":" + std::to_string(site.line);
}

// A path for a table cell: escaped, and free to wrap after each '/'.
inline std::string html_path(std::string_view path) {
    std::string escaped = html_text(path), out;
    for (char c : escaped) {
        out += c;
        if (c == '/') out += "<wbr>";
    }
    return out;
}

// The function a site names, unless it is the compiler's static-initialisation function
// (a global's site), which says nothing to a reader.
inline bool meaningful_function(const char* function) {
    return function != nullptr && *function != '\0' &&
           std::string_view(function).rfind("__static_initialization", 0) != 0;
}

inline std::string svg_number(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", value);
    return buffer;
}

// A chart of one history: elements and bytes as two polylines over the epochs, each scaled
// from zero to its own maximum (elements on the left axis, bytes on the right).
inline std::string history_svg(const finding& f, std::size_t index) {
    constexpr double width = 640, height = 220, left = 70, right = 570, top = 20, bottom = 180;
    const std::vector<history_point>& history = f.history;
    std::size_t max_elements = 0, max_bytes = 0;
    for (const history_point& p : history) {
        max_elements = std::max(max_elements, p.elements);
        max_bytes = std::max(max_bytes, p.bytes);
    }
    const auto x_of = [&](std::size_t i) {
        return history.size() <= 1 ? (left + right) / 2
                                   : left + (right - left) * static_cast<double>(i) / static_cast<double>(history.size() - 1);
    };
    const auto y_of = [&](std::size_t value, std::size_t max) {
        return max == 0 ? bottom : bottom - (bottom - top) * static_cast<double>(value) / static_cast<double>(max);
    };
    const auto points = [&](std::size_t history_point::*member, std::size_t max) {
        std::string out;
        for (std::size_t i = 0; i < history.size(); ++i) {
            if (i != 0) out += ' ';
            out += svg_number(x_of(i)) + "," + svg_number(y_of(history[i].*member, max));
        }
        if (history.size() == 1) out += " " + svg_number(x_of(0) + 1) + "," + svg_number(y_of(history[0].*member, max));
        return out;
    };
    const std::string id = std::to_string(index);
    std::string svg = "<svg class=\"chart\" id=\"chart-" + id + "\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                      svg_number(width) + "\" height=\"" + svg_number(height) + "\" viewBox=\"0 0 " + svg_number(width) +
                      " " + svg_number(height) + "\" role=\"img\" aria-labelledby=\"chart-title-" + id + "\">";
    svg += "<title id=\"chart-title-" + id + "\">" + html_text(f.label.empty() ? f.type : f.label) +
           ": elements and bytes per epoch</title>";
    // Plot frame and grid.
    svg += "<rect class=\"plot\" x=\"" + svg_number(left) + "\" y=\"" + svg_number(top) + "\" width=\"" +
           svg_number(right - left) + "\" height=\"" + svg_number(bottom - top) + "\"/>";
    for (int i = 1; i < 4; ++i) {
        const double y = top + (bottom - top) * i / 4.0;
        svg += "<line class=\"grid\" x1=\"" + svg_number(left) + "\" y1=\"" + svg_number(y) + "\" x2=\"" +
               svg_number(right) + "\" y2=\"" + svg_number(y) + "\"/>";
    }
    if (!history.empty()) {
        svg += "<polyline class=\"elements\" points=\"" + points(&history_point::elements, max_elements) + "\"/>";
        svg += "<polyline class=\"bytes\" points=\"" + points(&history_point::bytes, max_bytes) + "\"/>";
    } else {
        svg += "<text class=\"axis\" x=\"" + svg_number((left + right) / 2) + "\" y=\"" + svg_number((top + bottom) / 2) +
               "\" text-anchor=\"middle\">no history recorded</text>";
    }
    // Axes: elements on the left, bytes on the right, epochs below.
    svg += "<text class=\"axis elements-axis\" x=\"" + svg_number(left - 6) + "\" y=\"" + svg_number(top + 4) +
           "\" text-anchor=\"end\">" + std::to_string(max_elements) + "</text>";
    svg += "<text class=\"axis elements-axis\" x=\"" + svg_number(left - 6) + "\" y=\"" + svg_number(bottom + 4) +
           "\" text-anchor=\"end\">0</text>";
    svg += "<text class=\"axis-title elements-axis\" transform=\"translate(14 " + svg_number((top + bottom) / 2) +
           ") rotate(-90)\" text-anchor=\"middle\">elements</text>";
    svg += "<text class=\"axis bytes-axis\" x=\"" + svg_number(right + 6) + "\" y=\"" + svg_number(top + 4) + "\">" +
           html_escape(human_bytes(static_cast<double>(max_bytes))) + "</text>";
    svg += "<text class=\"axis bytes-axis\" x=\"" + svg_number(right + 6) + "\" y=\"" + svg_number(bottom + 4) +
           "\">0 B</text>";
    svg += "<text class=\"axis-title bytes-axis\" transform=\"translate(" + svg_number(width - 10) + " " +
           svg_number((top + bottom) / 2) + ") rotate(90)\" text-anchor=\"middle\">bytes</text>";
    if (!history.empty()) {
        svg += "<text class=\"axis\" x=\"" + svg_number(left) + "\" y=\"" + svg_number(bottom + 16) +
               "\" text-anchor=\"start\">epoch " + std::to_string(history.front().epoch) + "</text>";
        svg += "<text class=\"axis\" x=\"" + svg_number(right) + "\" y=\"" + svg_number(bottom + 16) +
               "\" text-anchor=\"end\">epoch " + std::to_string(history.back().epoch) + "</text>";
    }
    svg += "<text class=\"axis-title\" x=\"" + svg_number((left + right) / 2) + "\" y=\"" + svg_number(bottom + 32) +
           "\" text-anchor=\"middle\">epoch (snapshot)</text>";
    svg += "</svg>";
    return svg;
}

}  // namespace detail

inline std::string growth_report::to_html() const {
    using detail::html_escape;
    using detail::html_text;
    const auto human = [](double bytes) { return html_escape(detail::human_bytes(bytes)); };
    std::string out;
    out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    // No script, no request: the page is what this file holds.
    out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
           "img-src data:\">\n";
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out += "<meta name=\"generator\" content=\"leakwatch " + std::to_string(LEAKWATCH_VERSION_MAJOR) + "." +
           std::to_string(LEAKWATCH_VERSION_MINOR) + "." + std::to_string(LEAKWATCH_VERSION_PATCH) + "\">\n";
    out += "<title>leakwatch report (epoch " + std::to_string(totals_.epoch) + ")</title>\n";
    out += R"(<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 1.5em 2em; color: #1d2330; background: #fff; }
h1 { font-size: 1.5em; margin: 0 0 .3em; } h2 { font-size: 1.15em; margin: 1.6em 0 .5em; }
.summary { font-size: 1.05em; margin: .2em 0; }
.memory { width: 40em; max-width: 100%; height: 1.1em; background: #e6e9ef; border-radius: 3px; overflow: hidden; margin: .4em 0 .2em; }
.memory .tracked { height: 100%; background: #3569c8; }
#breakdown-bar { display: flex; } #breakdown-bar .part { height: 100%; }
.swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px; vertical-align: baseline; }
.legend-note { color: #5b6475; font-size: .9em; }
.alert { border-left: 4px solid #c62828; background: #fdecea; padding: .5em .8em; margin: .8em 0; }
table { border-collapse: collapse; font-size: .9em; } .table { overflow-x: auto; }
th { font-weight: 600; max-width: 7em; }
th, td { padding: .25em .5em; border-bottom: 1px solid #dde1e8; text-align: left; vertical-align: top; }
th { background: #f3f5f8; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.site { min-width: 12em; } td.type code { overflow-wrap: break-word; }
tr.unbounded td { background: #fdecea; } tr.growing td { background: #fff6e0; }
.verdict { font-weight: 600; border-radius: 3px; padding: 0 .35em; white-space: nowrap; }
.verdict-unbounded { color: #fff; background: #c62828; } .verdict-growing { color: #5c3b00; background: #ffd98a; }
.verdict-bounded { color: #1b5e20; background: #dcefdc; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .95em; }
section.finding { border: 1px solid #dde1e8; border-radius: 4px; padding: .6em 1em; margin: 1em 0; max-width: 680px; }
section.finding.unbounded { border: 2px solid #c62828; }
section.finding h3 { font-size: 1em; margin: .2em 0 .4em; overflow-wrap: anywhere; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg .plot { fill: #fafbfc; stroke: #c5cbd6; } svg .grid { stroke: #e6e9ef; }
svg .elements { fill: none; stroke: #3569c8; stroke-width: 2; } svg .bytes { fill: none; stroke: #e8710a; stroke-width: 2; stroke-dasharray: 6 3; }
svg text { font-size: 11px; fill: #5b6475; } svg .elements-axis { fill: #3569c8; } svg .bytes-axis { fill: #e8710a; }
svg .axis-title { font-size: 11px; font-weight: 600; }
.key-elements { color: #3569c8; font-weight: 600; } .key-bytes { color: #e8710a; font-weight: 600; }
pre { font-size: .85em; background: #f3f5f8; padding: .5em; overflow-x: auto; }
</style>
</head>
<body>
)";
    out += "<h1>leakwatch report</h1>\n";

    // --- summary --------------------------------------------------------------------------
    std::size_t unbounded_count = 0, growing_count = 0;
    for (const finding& f : findings_) {
        unbounded_count += f.verdict == verdict::unbounded;
        growing_count += f.verdict == verdict::growing;
    }
    out += "<p class=\"summary\" id=\"summary\">" + std::to_string(findings_.size()) + " finding(s): <strong>" +
           std::to_string(unbounded_count) + " unbounded</strong>, " + std::to_string(growing_count) +
           " growing. Epoch " + std::to_string(totals_.epoch) + ", " + std::to_string(totals_.live_containers) +
           " live tracked container(s).</p>\n";
    const process_memory& process = totals_.process;
    out += "<p class=\"summary\" id=\"tracked-vs-resident\">Tracked containers hold <strong>" +
           human(static_cast<double>(totals_.tracked_bytes)) + "</strong>";
    if (process.resident_bytes != 0) {
        const double share = std::min(1.0, static_cast<double>(totals_.tracked_bytes) /
                                               static_cast<double>(process.resident_bytes));
        char percent[32];
        std::snprintf(percent, sizeof percent, "%.1f%%", share * 100.0);
        out += " of <strong>" + human(static_cast<double>(process.resident_bytes)) + "</strong> resident (" +
               std::string(percent) + "; peak resident " + human(static_cast<double>(process.peak_resident_bytes)) +
               ").</p>\n";
        out += "<div class=\"memory\" title=\"tracked share of resident memory\"><div class=\"tracked\" style=\"width: " +
               detail::svg_number(share * 100.0) + "%\"></div></div>\n";
        if (process.heap_in_use_bytes != 0)
            out += "<p class=\"legend-note\">Heap in use " + human(static_cast<double>(process.heap_in_use_bytes)) +
                   ", freed but retained by the allocator " + human(static_cast<double>(process.heap_free_bytes)) +
                   ".</p>\n";
    } else {
        out += " (resident memory unknown on this platform).</p>\n";
    }
    const auto signed_bytes = [&](double bytes) {
        return bytes == 0 ? std::string("0") : (bytes > 0 ? "+" : "") + human(bytes);
    };
    const memory_breakdown& breakdown = process.breakdown;
    if (breakdown.available && breakdown.resident_bytes != 0) {
        // Where the resident memory went: one bar split by category, and a table.
        static const char* const colours[memory_category_count] = {"#3569c8", "#e8710a", "#f4b400",
                                                                   "#0b8043", "#8e24aa", "#9aa0a6"};
        const double resident = static_cast<double>(breakdown.resident_bytes);
        out += "<h2>Where the resident memory went</h2>\n<div class=\"memory\" id=\"breakdown-bar\" "
               "title=\"resident memory by category\">";
        for (std::size_t i = 0; i < memory_category_count; ++i) {
            const auto c = static_cast<memory_category>(i);
            out += "<div class=\"part\" style=\"width: " +
                   detail::svg_number(static_cast<double>(breakdown.bytes(c)) / resident * 100.0) +
                   "%; background: " + colours[i] + "\" title=\"" + describe(c) + "\"></div>";
        }
        out += "</div>\n<div class=\"table\"><table id=\"breakdown\">\n<thead><tr><th>category</th><th>resident</th>"
               "<th>share</th><th>growth per epoch</th></tr></thead>\n<tbody>\n";
        for (std::size_t i = 0; i < memory_category_count; ++i) {
            const auto c = static_cast<memory_category>(i);
            char percent[32];
            std::snprintf(percent, sizeof percent, "%.1f%%", static_cast<double>(breakdown.bytes(c)) / resident * 100.0);
            std::string name = describe(c);
            if (c == memory_category::thread_stacks) name += " (" + std::to_string(breakdown.thread_stacks) + ")";
            out += "<tr id=\"category-" + std::string(to_string(c)) + "\"><td><span class=\"swatch\" style=\"background: " +
                   colours[i] + "\"></span> " + name + "</td><td class=\"num\">" +
                   human(static_cast<double>(breakdown.bytes(c))) + "</td><td class=\"num\">" + percent +
                   "</td><td class=\"num\">" + signed_bytes(totals_.growth_by_category[i]) + "</td></tr>\n";
        }
        out += "</tbody>\n</table></div>\n";
        if (!breakdown.arenas.empty()) {
            out += "<p class=\"legend-note\">malloc arenas (glibc's own counts, resident or not): ";
            for (std::size_t i = 0; i < breakdown.arenas.size(); ++i) {
                const heap_arena& a = breakdown.arenas[i];
                out += std::string(i == 0 ? "" : "; ") + (a.index == 0 ? std::string("main") : "#" + std::to_string(a.index)) +
                       " " + human(static_cast<double>(a.free_bytes)) + " free of " +
                       human(static_cast<double>(a.system_bytes));
            }
            out += ".</p>\n";
        }
    }
    if (totals_.untracked_growth) {
        const std::string where = growth_explanation();
        out += "<p class=\"alert\" id=\"untracked-growth\"><strong>Resident memory grows</strong> (" +
               human(totals_.resident_bytes_per_epoch) + " per epoch)" +
               (where.empty() ? std::string() : ", " + html_escape(where) + ",") +
               " <strong>and no tracked container explains it.</strong> Look for untracked containers, "
               "caches or allocations outside leakwatch's view.</p>\n";
    }

    // --- table ----------------------------------------------------------------------------
    out += "<h2>Findings, worst first</h2>\n";
    if (findings_.empty()) {
        out += "<p>No tracked container lives now.</p>\n";
    } else {
        out += "<div class=\"table\"><table id=\"findings\">\n<thead><tr><th>verdict</th><th>site</th><th>label</th><th>type</th>"
               "<th>instances</th><th>elements</th><th>bytes</th><th>elements per epoch</th>"
               "<th>bytes per epoch</th><th>unread for (epochs)</th></tr></thead>\n<tbody>\n";
        for (std::size_t i = 0; i < findings_.size(); ++i) {
            const finding& f = findings_[i];
            const std::string v = to_string(f.verdict);
            out += "<tr class=\"" + v + "\"><td><span class=\"verdict verdict-" + v + "\">" + v +
                   "</span></td><td class=\"site\"><a href=\"#finding-" + std::to_string(i) + "\"><code>" +
                   detail::html_path(detail::site_string(f.site)) + "</code></a></td><td class=\"label\">" + html_text(f.label) +
                   "</td><td class=\"type\"><code>" + html_text(f.type) + "</code>" +
                   (f.kind == finding_kind::container ? std::string()
                                                      : std::string(" <small>(") + to_string(f.kind) + ")</small>") +
                   "</td><td class=\"num\">" + std::to_string(f.instances) + "</td><td class=\"num\">" +
                   std::to_string(f.elements) + "</td><td class=\"num\">" + human(static_cast<double>(f.bytes)) +
                   "</td><td class=\"num\">" + html_escape(detail::signed_rate(f.elements_per_epoch)) +
                   "</td><td class=\"num\">" + html_escape(detail::signed_rate(f.bytes_per_epoch)) +
                   "</td><td class=\"num\">" +
                   (f.never_read() ? std::string("never") : std::to_string(f.epochs_since_read)) + "</td></tr>\n";
        }
        out += "</tbody>\n</table></div>\n";
    }

    // --- charts ---------------------------------------------------------------------------
    if (!findings_.empty()) {
        out += "<h2>History</h2>\n<p class=\"legend-note\"><span class=\"key-elements\">&#9472;&#9472; elements</span> "
               "(left scale) and <span class=\"key-bytes\">- - bytes</span> (right scale) at each epoch.</p>\n";
    }
    std::vector<detail::memory_mapping> mappings;
    bool mappings_read = false;
    for (std::size_t i = 0; i < findings_.size(); ++i) {
        const finding& f = findings_[i];
        const std::string v = to_string(f.verdict);
        out += "<section class=\"finding " + v + "\" id=\"finding-" + std::to_string(i) + "\">\n<h3><span class=\"verdict verdict-" +
               v + "\">" + (f.verdict == verdict::unbounded ? "&#9650; " : "") + v + "</span> ";
        if (!f.label.empty()) out += "&ldquo;" + html_text(f.label) + "&rdquo; ";
        out += "<code>" + html_text(f.type) + "</code> at <code>" + html_text(detail::site_string(f.site)) + "</code>";
        if (detail::meaningful_function(f.site.function)) out += " in <code>" + html_text(f.site.function) + "</code>";
        out += "</h3>\n";
        out += "<p class=\"legend-note\">" + std::string(f.kind == finding_kind::channel ? "Allocator channel: " : "") +
               (f.kind == finding_kind::site ? "Every container created at this site: " : "") +
               std::to_string(f.elements) + " elements, " +
               human(static_cast<double>(f.bytes)) + " now; " + html_escape(detail::signed_rate(f.elements_per_epoch)) +
               " elements and " + html_escape(detail::signed_rate(f.bytes_per_epoch)) + " bytes per epoch";
        if (f.instances != 1) out += "; " + std::to_string(f.instances) + " live containers";
        out += ".</p>\n";
        out += detail::history_svg(f, i) + "\n";
        if (!f.stack.empty()) {
            if (!mappings_read) {
                mappings = detail::read_memory_mappings();
                mappings_read = true;
            }
            out += "<details><summary>creation stack</summary><pre>";
            std::size_t frame = detail::first_user_frame(f.stack);
            for (std::size_t n = 0; frame < f.stack.size(); ++frame, ++n)
                out += "#" + std::to_string(n) + " " + html_text(detail::describe_frame(f.stack[frame], mappings)) + "\n";
            out += "</pre></details>\n";
        }
        out += "</section>\n";
    }
    out += "</body>\n</html>\n";
    return out;
}

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
