// leakwatch/report.hpp — findings and the growth report, as a table and as JSON.
//
// A report is plain data: it knows findings and the process totals of the moment it was
// made, never the registry. Every export (text, JSON, and the formats under export/) is a
// function of that data alone.
#pragma once

#include <leakwatch/config.hpp>
#include <leakwatch/detail/stacks.hpp>
#include <leakwatch/detail/text.hpp>
#include <leakwatch/history.hpp>
#include <leakwatch/process_memory.hpp>
#include <leakwatch/source_site.hpp>
#include <leakwatch/verdict.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {

// What stands behind a finding: one container, one allocator channel, or every container
// created at one site (when more than one lives there).
enum class finding_kind { container, channel, site };

constexpr const char* to_string(finding_kind kind) noexcept {
    switch (kind) {
        case finding_kind::container: return "container";
        case finding_kind::channel: return "channel";
        case finding_kind::site: return "site";
    }
    return "container";
}

// Epochs-since value for "never": never read since the container was created.
constexpr std::uint64_t never = std::numeric_limits<std::uint64_t>::max();

struct finding {
    std::string label{};              // may be empty
    std::string type{};               // readable container type, e.g. "tracked_map<int, Session>"
    source_site site{};               // creation site
    std::size_t instances = 0;      // live containers behind this finding (1 for a single container)
    std::size_t elements = 0;       // now
    std::size_t bytes = 0;          // now
    double elements_per_epoch = 0;  // recent growth rate
    double bytes_per_epoch = 0;
    leakwatch::verdict verdict = leakwatch::verdict::bounded;

    finding_kind kind = finding_kind::container;
    double confidence = 0;              // the detector's confidence in its verdict, 0..1
    double score = 0;                   // ranking: confidence weighted by staleness
    std::uint64_t epochs_since_read = never;   // staleness: epochs since the last lookup
    std::uint64_t epochs_since_write = never;  // epochs since the last mutation
    std::uint64_t created_total = 0;    // site findings: containers ever created at the site
    std::size_t allocations = 0;        // single containers and channels: live allocations
    std::uint64_t inserts = 0, erases = 0, lookups = 0;  // with LEAKWATCH_COUNT_OPERATIONS
    // A container promoted out of a site that several share (the largest there): its own
    // history starts at this epoch (0: not promoted).
    std::uint64_t promoted_epoch = 0;
    std::vector<history_point> history{};  // oldest first, one point per epoch
    // Older epochs at coarser resolutions (buckets of 8, 64, 512, 4096 epochs by default), each
    // bucket with the lowest, highest and last value of its epochs; empty in check_growth.
    std::vector<history_level> levels{};
    // Where the verdict came from: samples of epochs_per_sample epochs each (1: the
    // full-resolution history; more: a coarse level, judged by the peak of each bucket),
    // covering epochs judged_first_epoch..judged_last_epoch (0..0: nothing judged).
    std::uint64_t epochs_per_sample = 1;
    std::uint64_t judged_first_epoch = 0;
    std::uint64_t judged_last_epoch = 0;
    // Creation stack (only with LEAKWATCH_CAPTURE_STACKS): return addresses, innermost
    // first; for a site finding, the stack of the first container created there.
    std::vector<std::uintptr_t> stack{};

    bool never_read() const noexcept { return epochs_since_read == never; }
};

struct report_totals {
    std::uint64_t epoch = 0;              // epoch of the snapshot behind the report
    std::size_t live_containers = 0;      // tracked containers and channels alive
    std::size_t tracked_bytes = 0;        // bytes held by every tracked container and channel
    std::size_t tracked_elements = 0;
    std::size_t unsited_containers = 0;   // live containers beyond the site table's capacity
    process_memory process{};               // read when the report was made
    // Resident memory judged like a container: growing while no tracked container explains it.
    leakwatch::verdict resident_verdict = leakwatch::verdict::bounded;
    double resident_bytes_per_epoch = 0;
    bool untracked_growth = false;
    // Resident memory by category (process.breakdown, when available): the growth of each
    // per epoch over the judged window (indexed by memory_category), and the category that
    // grew most (growth_category_known false when none grew) with its share of the growth of
    // all the categories that grew.
    std::array<double, memory_category_count> growth_by_category{};
    bool growth_category_known = false;
    memory_category growth_category = memory_category::other_heap_in_use;
    double growth_category_share = 0;
    registry_usage registry{};              // what the registry itself held (records, sites, bytes)
};

class growth_report {
public:
    growth_report() = default;
    growth_report(std::vector<finding> findings, report_totals totals)
        : findings_(std::move(findings)), totals_(std::move(totals)) {
        std::stable_sort(findings_.begin(), findings_.end(), worse);
    }

    // Everything analysed, worst first.
    const std::vector<finding>& findings() const noexcept { return findings_; }
    // Only verdict::unbounded.
    std::vector<finding> unbounded() const {
        std::vector<finding> out;
        for (const finding& f : findings_)
            if (f.verdict == verdict::unbounded) out.push_back(f);
        return out;
    }
    // No unbounded finding.
    bool clean() const noexcept {
        return std::none_of(findings_.begin(), findings_.end(),
                            [](const finding& f) { return f.verdict == verdict::unbounded; });
    }
    const report_totals& totals() const noexcept { return totals_; }

    // The human table. `limit` caps the rows (0: all); the header always counts them all.
    std::string to_text(std::size_t limit = 0) const {
        std::string out = summary_line();
        out += '\n';
        if (totals_.process.breakdown.available) out += "  " + breakdown_line() + "\n";
        if (totals_.untracked_growth) {
            const std::string where = growth_explanation();
            out += "  resident memory grows " + detail::human_bytes(totals_.resident_bytes_per_epoch) + " per epoch" +
                   (where.empty() ? std::string() : ", " + where + ",") + " and no tracked container explains it\n";
        }
        if (totals_.registry.untracked_containers != 0)
            out += "  " + std::to_string(totals_.registry.untracked_containers) +
                   " container(s) alive without a record (LEAKWATCH_MAX_CONTAINERS reached or out of memory): "
                   "not tracked\n";
        if (totals_.unsited_containers != 0)
            out += "  " + std::to_string(totals_.unsited_containers) +
                   " container(s) beyond the site table (LEAKWATCH_MAX_SITES): counted in the totals only\n";
        if (findings_.empty()) return out;
        std::vector<std::vector<std::string>> rows;
        rows.push_back({"verdict", "site", "label", "type", "inst", "elements", "bytes", "elem/epoch", "bytes/epoch",
                        "unread", "history"});
        std::size_t shown = 0;
        for (const finding& f : findings_) {
            if (limit != 0 && shown == limit) break;
            ++shown;
            std::vector<double> series;
            for (const history_point& p : f.history)
                series.push_back(static_cast<double>(f.kind == finding_kind::channel ? p.bytes : p.elements));
            std::string label = detail::printable(f.label);
            if (f.promoted_epoch != 0)
                label += (label.empty() ? "" : " ") + std::string("(largest of its site, own history from epoch ") +
                         std::to_string(f.promoted_epoch) + ")";
            rows.push_back({to_string(f.verdict), site_text(f.site), label,
                            detail::printable(f.type), std::to_string(f.instances), std::to_string(f.elements),
                            detail::human_bytes(static_cast<double>(f.bytes)), detail::signed_rate(f.elements_per_epoch),
                            detail::signed_rate(f.bytes_per_epoch), staleness_text(f.epochs_since_read),
                            detail::sparkline(series)});
        }
        append_table(out, rows);
        if (shown < findings_.size())
            out += "  ... " + std::to_string(findings_.size() - shown) + " more finding(s) in the full report\n";
        append_resolutions(out, shown);
        append_stacks(out, shown);
        return out;
    }

    // Prometheus text exposition format 0.0.4 (leakwatch/export/prometheus.hpp).
    std::string to_prometheus() const;
    // Uncompressed profile.proto for `go tool pprof`: one sample per finding, located at its
    // creation site (leakwatch/export/pprof.hpp).
    std::string to_pprof() const;
    // One self-contained HTML page: the summary, a table and an SVG chart of each finding's
    // history (leakwatch/export/html.hpp).
    std::string to_html() const;

    // Stable, versioned schema (documented in the README): {"schema": "leakwatch.report", "version": 1,
    // "minor_version": 1, ...}; the minor version counts additions.
    std::string to_json() const {
        std::string out = "{\"schema\":\"leakwatch.report\",\"version\":1,\"minor_version\":1";
        out += ",\"epoch\":" + std::to_string(totals_.epoch);
        out += ",\"clean\":" + std::string(clean() ? "true" : "false");
        out += ",\"process\":{\"resident_bytes\":" + std::to_string(totals_.process.resident_bytes) +
               ",\"peak_resident_bytes\":" + std::to_string(totals_.process.peak_resident_bytes) +
               ",\"heap_in_use_bytes\":" + std::to_string(totals_.process.heap_in_use_bytes) +
               ",\"heap_free_bytes\":" + std::to_string(totals_.process.heap_free_bytes) +
               ",\"resident_verdict\":\"" + to_string(totals_.resident_verdict) +
               "\",\"resident_bytes_per_epoch\":" + detail::json_number(totals_.resident_bytes_per_epoch) +
               ",\"untracked_growth\":" + (totals_.untracked_growth ? "true" : "false") +
               ",\"growth_category\":" +
               (totals_.growth_category_known ? "\"" + std::string(to_string(totals_.growth_category)) + "\"" : "null") +
               ",\"growth_by_category\":{" + categories_json([&](memory_category c) {
                   return detail::json_number(totals_.growth_by_category[static_cast<std::size_t>(c)]);
               }) +
               "},\"breakdown\":" + breakdown_json() + "}";
        out += ",\"tracked\":{\"containers\":" + std::to_string(totals_.live_containers) +
               ",\"bytes\":" + std::to_string(totals_.tracked_bytes) +
               ",\"elements\":" + std::to_string(totals_.tracked_elements) +
               ",\"unsited_containers\":" + std::to_string(totals_.unsited_containers) +
               ",\"untracked_containers\":" + std::to_string(totals_.registry.untracked_containers) + "}";
        out += ",\"findings\":[";
        bool first = true;
        for (const finding& f : findings_) {
            if (!first) out += ',';
            first = false;
            out += "{\"verdict\":\"" + std::string(to_string(f.verdict)) + "\"";
            out += ",\"kind\":\"" + std::string(to_string(f.kind)) + "\"";
            out += ",\"label\":" + detail::json_quote(f.label);
            out += ",\"type\":" + detail::json_quote(f.type);
            out += ",\"site\":{\"file\":" + detail::json_quote(f.site.file != nullptr ? f.site.file : "") +
                   ",\"line\":" + std::to_string(f.site.line) +
                   ",\"function\":" + detail::json_quote(f.site.function != nullptr ? f.site.function : "") + "}";
            out += ",\"instances\":" + std::to_string(f.instances);
            out += ",\"elements\":" + std::to_string(f.elements);
            out += ",\"bytes\":" + std::to_string(f.bytes);
            out += ",\"elements_per_epoch\":" + detail::json_number(f.elements_per_epoch);
            out += ",\"bytes_per_epoch\":" + detail::json_number(f.bytes_per_epoch);
            out += ",\"confidence\":" + detail::json_number(f.confidence);
            out += ",\"score\":" + detail::json_number(f.score);
            out += ",\"epochs_since_read\":" + epochs_json(f.epochs_since_read);
            out += ",\"epochs_since_write\":" + epochs_json(f.epochs_since_write);
            out += ",\"created_total\":" + std::to_string(f.created_total);
            out += ",\"allocations\":" + std::to_string(f.allocations);
            out += ",\"inserts\":" + std::to_string(f.inserts);
            out += ",\"erases\":" + std::to_string(f.erases);
            out += ",\"lookups\":" + std::to_string(f.lookups);
            out += ",\"promoted_epoch\":" + std::to_string(f.promoted_epoch);
            out += ",\"history\":[";
            for (std::size_t i = 0; i < f.history.size(); ++i) {
                const history_point& p = f.history[i];
                if (i != 0) out += ',';
                out += "[" + std::to_string(p.epoch) + "," + std::to_string(p.instances) + "," +
                       std::to_string(p.elements) + "," + std::to_string(p.bytes) + "]";
            }
            out += "]";
            out += ",\"epochs_per_sample\":" + std::to_string(f.epochs_per_sample);
            out += ",\"judged_epochs\":[" + std::to_string(f.judged_first_epoch) + "," +
                   std::to_string(f.judged_last_epoch) + "]";
            out += ",\"history_levels\":[";
            for (std::size_t l = 0; l < f.levels.size(); ++l) {
                const history_level& level = f.levels[l];
                if (l != 0) out += ',';
                out += "{\"epochs_per_bucket\":" + std::to_string(level.epochs_per_bucket) + ",\"buckets\":[";
                for (std::size_t i = 0; i < level.buckets.size(); ++i) {
                    const history_bucket& b = level.buckets[i];
                    if (i != 0) out += ',';
                    out += "[" + std::to_string(b.first_epoch) + "," + std::to_string(b.last_epoch);
                    for (const history_range* r : {&b.instances, &b.elements, &b.bytes})
                        out += "," + std::to_string(r->min) + "," + std::to_string(r->max) + "," +
                               std::to_string(r->last);
                    out += "]";
                }
                out += "]}";
            }
            out += "]}";
        }
        out += "]}";
        return out;
    }

    // "leakwatch: 3 findings, 1 unbounded; tracked 6.1 GiB of 15.0 GiB resident (epoch 42)".
    std::string summary_line() const {
        std::size_t unbounded_count = 0, growing_count = 0;
        for (const finding& f : findings_) {
            unbounded_count += f.verdict == verdict::unbounded;
            growing_count += f.verdict == verdict::growing;
        }
        std::string out = "leakwatch: " + std::to_string(findings_.size()) + " finding(s), " +
                          std::to_string(unbounded_count) + " unbounded, " + std::to_string(growing_count) +
                          " growing; tracked " + detail::human_bytes(static_cast<double>(totals_.tracked_bytes));
        if (totals_.process.resident_bytes != 0)
            out += " of " + detail::human_bytes(static_cast<double>(totals_.process.resident_bytes)) + " resident";
        out += " (epoch " + std::to_string(totals_.epoch) + ")";
        return out;
    }

    // "resident 15.0 GiB: tracked containers 6.1 GiB, other heap in use 5.0 GiB, ..." (the
    // breakdown of process memory; empty when unavailable).
    std::string breakdown_line() const {
        const memory_breakdown& b = totals_.process.breakdown;
        if (!b.available) return std::string();
        std::string out = "resident " + detail::human_bytes(static_cast<double>(b.resident_bytes)) + ":";
        for (std::size_t i = 0; i < memory_category_count; ++i) {
            const auto c = static_cast<memory_category>(i);
            out += std::string(i == 0 ? " " : ", ") + describe(c) + " " + detail::human_bytes(static_cast<double>(b.bytes(c)));
            if (c == memory_category::heap_free_retained && !b.arenas.empty())
                out += " (" + std::to_string(b.arenas.size()) + " arena" + (b.arenas.size() == 1 ? "" : "s") + ")";
            if (c == memory_category::thread_stacks) out += " (" + std::to_string(b.thread_stacks) + ")";
        }
        return out;
    }

    // "mostly other heap in use (+3.0 MiB per epoch)": the category of resident memory that
    // grew most over the judged window; empty when none grew.
    std::string growth_explanation() const {
        if (!totals_.growth_category_known) return std::string();
        const auto rate = [&](memory_category c) {
            return "+" + detail::human_bytes(totals_.growth_by_category[static_cast<std::size_t>(c)]) + " per epoch";
        };
        const memory_category top = totals_.growth_category;
        if (totals_.growth_category_share >= 0.5) return std::string("mostly ") + describe(top) + " (" + rate(top) + ")";
        // No category holds half of the growth: name the first two.
        memory_category second = top;
        double second_rate = 0;
        for (std::size_t i = 0; i < memory_category_count; ++i) {
            const auto c = static_cast<memory_category>(i);
            if (c != top && totals_.growth_by_category[i] > second_rate) second = c, second_rate = totals_.growth_by_category[i];
        }
        std::string out = std::string("led by ") + describe(top) + " (" + rate(top) + ")";
        if (second != top) out += std::string(" and ") + describe(second) + " (" + rate(second) + ")";
        return out;
    }

    static std::string site_text(const source_site& site) {
        return detail::printable(site.file != nullptr ? site.file : "") + ":" + std::to_string(site.line);
    }

private:
    static bool worse(const finding& a, const finding& b) {
        if (a.verdict != b.verdict) return static_cast<int>(a.verdict) > static_cast<int>(b.verdict);
        if (a.score != b.score) return a.score > b.score;
        return a.bytes > b.bytes;
    }
    static std::string staleness_text(std::uint64_t epochs) {
        return epochs == never ? std::string("never") : std::to_string(epochs);
    }
    template <class Value>
    static std::string categories_json(Value&& value) {
        std::string out;
        for (std::size_t i = 0; i < memory_category_count; ++i) {
            const auto c = static_cast<memory_category>(i);
            out += std::string(i == 0 ? "" : ",") + "\"" + to_string(c) + "\":" + value(c);
        }
        return out;
    }
    std::string breakdown_json() const {
        const memory_breakdown& b = totals_.process.breakdown;
        if (!b.available) return "null";
        std::string out = "{\"resident_bytes\":" + std::to_string(b.resident_bytes) + ",\"categories\":{" +
                          categories_json([&](memory_category c) { return std::to_string(b.bytes(c)); }) +
                          "},\"thread_stacks\":" + std::to_string(b.thread_stacks) +
                          ",\"mappings\":" + std::to_string(b.mappings) + ",\"arenas\":[";
        for (std::size_t i = 0; i < b.arenas.size(); ++i) {
            const heap_arena& a = b.arenas[i];
            out += std::string(i == 0 ? "" : ",") + "{\"index\":" + std::to_string(a.index) +
                   ",\"system_bytes\":" + std::to_string(a.system_bytes) + ",\"free_bytes\":" + std::to_string(a.free_bytes) +
                   ",\"free_chunks\":" + std::to_string(a.free_chunks) + "}";
        }
        return out + "]}";
    }
    static std::string epochs_json(std::uint64_t epochs) {
        return epochs == never ? std::string("null") : std::to_string(epochs);
    }
    // Display width of UTF-8 text (counting code points; the sparkline blocks are narrow).
    static std::size_t width(const std::string& text) {
        std::size_t n = 0;
        for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        return n;
    }
    // Findings among the first `shown` whose verdict came from a coarse resolution: which
    // epochs were judged, and how coarsely (the table's rates are per epoch all the same).
    void append_resolutions(std::string& out, std::size_t shown) const {
        for (std::size_t i = 0; i < shown && i < findings_.size(); ++i) {
            const finding& f = findings_[i];
            if (f.epochs_per_sample <= 1 || f.verdict == verdict::bounded) continue;
            out += "  " + std::string(to_string(f.verdict)) + " " + site_text(f.site) +
                   (f.label.empty() ? std::string() : " \"" + detail::printable(f.label) + "\"") +
                   ": judged on epochs " + std::to_string(f.judged_first_epoch) + ".." +
                   std::to_string(f.judged_last_epoch) + " at " + std::to_string(f.epochs_per_sample) +
                   " epochs per sample (the peak of each)\n";
        }
    }
    // Creation stacks (LEAKWATCH_CAPTURE_STACKS) of the first `shown` findings, leakwatch's
    // own registration frames left out where dladdr() can tell them.
    void append_stacks(std::string& out, std::size_t shown) const {
        std::vector<detail::memory_mapping> mappings;
        bool mappings_read = false;
        for (std::size_t i = 0; i < shown && i < findings_.size(); ++i) {
            const finding& f = findings_[i];
            if (f.stack.empty()) continue;
            if (!mappings_read) {
                mappings = detail::read_memory_mappings();
                mappings_read = true;
            }
            out += "  creation stack of " + site_text(f.site) +
                   (f.label.empty() ? std::string() : " \"" + detail::printable(f.label) + "\"") + ":\n";
            std::size_t frame = detail::first_user_frame(f.stack);
            for (std::size_t n = 0; frame < f.stack.size(); ++frame, ++n)
                out += "    #" + std::to_string(n) + " " + detail::printable(detail::describe_frame(f.stack[frame], mappings)) +
                       "\n";
        }
    }
    static void append_table(std::string& out, const std::vector<std::vector<std::string>>& rows) {
        std::vector<std::size_t> widths(rows.front().size(), 0);
        for (const auto& row : rows)
            for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], width(row[i]));
        for (const auto& row : rows) {
            std::string line = " ";
            for (std::size_t i = 0; i < row.size(); ++i) {
                const bool numeric = i >= 4 && i <= 9;
                const std::string pad(widths[i] - width(row[i]), ' ');
                line += ' ';
                line += numeric ? pad + row[i] : row[i] + (i + 1 == row.size() ? std::string() : pad);
            }
            out += line + '\n';
        }
    }

    std::vector<finding> findings_{};
    report_totals totals_{};
};

inline std::ostream& operator<<(std::ostream& os, const growth_report& report) { return os << report.to_text(); }

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch

// The exports define growth_report::to_prometheus, to_pprof and to_html; included here,
// after the class, so that every user of the report has them.
#include <leakwatch/export/prometheus.hpp>
#include <leakwatch/export/pprof.hpp>
#include <leakwatch/export/html.hpp>
