// leakwatch/export/pprof.hpp — growth_report::to_pprof(): a profile for `go tool pprof`.
//
// Writes an uncompressed profile.proto (github.com/google/pprof, proto/profile.proto) by
// hand: varints and length-delimited fields, no protobuf or zlib dependency (pprof reads
// uncompressed profiles as well as gzipped ones). Sample types: elements/count,
// bytes/bytes (the default) and growth/bytes (bytes per epoch). One sample per finding; its
// leaf frame is named after the finding (`tracked_map<int, Session> "sessions"`) and stands
// at the creation site (file:line), called from the site's function, or, with
// LEAKWATCH_CAPTURE_STACKS, from the captured creation stack: addresses with the mappings of
// /proc/self/maps, which pprof symbolizes against the binary. Labels: label, type, verdict,
// kind, site (strings) and instances (a number). Every string is valid UTF-8 with control
// characters escaped, so that no label can forge a line of pprof's text reports.
#pragma once

#include <leakwatch/config.hpp>
#include <leakwatch/detail/stacks.hpp>
#include <leakwatch/detail/text.hpp>
#include <leakwatch/report.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#if defined(__linux__)
#include <climits>
#include <unistd.h>
#endif

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {
namespace detail {

// Protocol buffer encoding, just what profile.proto needs: varint (wire type 0) and
// length-delimited (wire type 2) fields. Zero scalars are left out, as proto3 does.
class protobuf_writer {
public:
    void varint(std::uint64_t value) {
        while (value >= 0x80) {
            out_ += static_cast<char>((value & 0x7F) | 0x80);
            value >>= 7;
        }
        out_ += static_cast<char>(value);
    }
    void tag(unsigned field, unsigned wire_type) { varint((static_cast<std::uint64_t>(field) << 3) | wire_type); }
    void uint_field(unsigned field, std::uint64_t value) {
        if (value == 0) return;
        tag(field, 0);
        varint(value);
    }
    // int64: two's complement as a 64-bit varint (ten bytes when negative).
    void int_field(unsigned field, std::int64_t value) { uint_field(field, static_cast<std::uint64_t>(value)); }
    void bool_field(unsigned field, bool value) { uint_field(field, value ? 1 : 0); }
    void bytes_field(unsigned field, std::string_view bytes) {
        tag(field, 2);
        varint(bytes.size());
        out_.append(bytes.data(), bytes.size());
    }
    void message_field(unsigned field, const protobuf_writer& message) { bytes_field(field, message.out_); }
    // A packed repeated field of varints.
    void packed_field(unsigned field, const std::vector<std::uint64_t>& values) {
        if (values.empty()) return;
        protobuf_writer packed;
        for (std::uint64_t v : values) packed.varint(v);
        bytes_field(field, packed.out_);
    }
    const std::string& bytes() const noexcept { return out_; }

private:
    std::string out_{};
};

// The profile's string table: index 0 is "".
class pprof_strings {
public:
    pprof_strings() { id(std::string()); }
    std::int64_t id(const std::string& text) {
        const auto found = index_.find(text);
        if (found != index_.end()) return found->second;
        const auto next = static_cast<std::int64_t>(table_.size());
        table_.push_back(text);
        index_.emplace(text, next);
        return next;
    }
    const std::vector<std::string>& table() const noexcept { return table_; }

private:
    std::vector<std::string> table_{};
    std::unordered_map<std::string, std::int64_t> index_{};
};

// Strings shown by pprof's text reports: valid UTF-8, control characters escaped.
inline std::string pprof_text(std::string_view text) { return printable(text); }

inline std::int64_t pprof_round(double value) {
    if (!std::isfinite(value)) return 0;
    constexpr double limit = 9.2e18;
    if (value > limit) return std::numeric_limits<std::int64_t>::max();
    if (value < -limit) return std::numeric_limits<std::int64_t>::min();
    return static_cast<std::int64_t>(std::llround(value));
}

// The executable's path, so that its mapping can come first (pprof takes mapping[0] as the
// main binary).
inline std::string executable_path() {
#if defined(__linux__)
    char buffer[PATH_MAX];
    const ssize_t length = ::readlink("/proc/self/exe", buffer, sizeof buffer - 1);
    if (length > 0) return std::string(buffer, static_cast<std::size_t>(length));
#endif
    return std::string();
}

}  // namespace detail

inline std::string growth_report::to_pprof() const {
    using detail::protobuf_writer;
    detail::pprof_strings strings;
    protobuf_writer profile;

    // Profile.sample_type = 1: ValueType { type = 1, unit = 2 }.
    const std::pair<const char*, const char*> sample_types[] = {{"elements", "count"}, {"bytes", "bytes"},
                                                                 {"growth", "bytes"}};
    for (const auto& type : sample_types) {
        protobuf_writer value_type;
        value_type.int_field(1, strings.id(type.first));
        value_type.int_field(2, strings.id(type.second));
        profile.message_field(1, value_type);
    }

    // Functions, locations and mappings, each with a unique nonzero id and shared between
    // the samples that name the same one: locations of a finding and its creation site have
    // no address (they are symbolized already), locations of stack frames have one.
    std::vector<protobuf_writer> functions, locations, mappings;
    std::map<std::pair<std::int64_t, std::int64_t>, std::uint64_t> function_ids;  // (name, file)
    std::map<std::pair<std::uint64_t, std::int64_t>, std::uint64_t> line_location_ids;  // (function, line)
    std::unordered_map<std::uintptr_t, std::uint64_t> address_location_ids;
    std::map<std::uintptr_t, std::uint64_t> mapping_ids;  // mapping start -> id

    const auto function_id = [&](const std::string& name, const std::string& file, std::int64_t line) {
        const std::pair<std::int64_t, std::int64_t> key{strings.id(detail::pprof_text(name)),
                                                        strings.id(detail::pprof_text(file))};
        const auto found = function_ids.find(key);
        if (found != function_ids.end()) return found->second;
        const std::uint64_t id = functions.size() + 1;
        protobuf_writer function;  // Function { id = 1, name = 2, system_name = 3, filename = 4, start_line = 5 }
        function.uint_field(1, id);
        function.int_field(2, key.first);
        function.int_field(3, key.first);
        function.int_field(4, key.second);
        function.int_field(5, line);
        functions.push_back(std::move(function));
        function_ids.emplace(key, id);
        return id;
    };
    const auto line_location = [&](std::uint64_t function, std::int64_t line) {
        const auto found = line_location_ids.find({function, line});
        if (found != line_location_ids.end()) return found->second;
        const std::uint64_t id = locations.size() + 1;
        protobuf_writer line_message;  // Line { function_id = 1, line = 2 }
        line_message.uint_field(1, function);
        line_message.int_field(2, line);
        protobuf_writer location;  // Location { id = 1, mapping_id = 2, address = 3, line = 4 }
        location.uint_field(1, id);
        location.message_field(4, line_message);
        locations.push_back(std::move(location));
        line_location_ids.emplace(std::make_pair(function, line), id);
        return id;
    };

    // The process's mappings: the executable's comes first (pprof takes mapping[0] as the
    // main binary, and a profile without mappings makes it invent one). Its locations here
    // are already symbolized unless there are creation stacks for pprof to symbolize.
    const bool any_stack =
        std::any_of(findings_.begin(), findings_.end(), [](const finding& f) { return !f.stack.empty(); });
    std::vector<detail::memory_mapping> process_mappings = detail::read_memory_mappings();
    const std::string executable = detail::executable_path();
    std::stable_partition(process_mappings.begin(), process_mappings.end(),
                          [&](const detail::memory_mapping& m) { return !executable.empty() && m.path == executable; });
    const auto mapping_id = [&](const detail::memory_mapping& m) {
        const auto found = mapping_ids.find(m.start);
        if (found != mapping_ids.end()) return found->second;
        const std::uint64_t id = mappings.size() + 1;
        // Mapping { id = 1, memory_start = 2, memory_limit = 3, file_offset = 4, filename = 5,
        //           build_id = 6, has_functions = 7, has_filenames = 8, has_line_numbers = 9 }
        protobuf_writer mapping;
        mapping.uint_field(1, id);
        mapping.uint_field(2, m.start);
        mapping.uint_field(3, m.limit);
        mapping.uint_field(4, m.offset);
        mapping.int_field(5, strings.id(detail::valid_utf8(m.path)));
        mapping.bool_field(7, !any_stack);
        mapping.bool_field(8, !any_stack);
        mapping.bool_field(9, !any_stack);
        mappings.push_back(std::move(mapping));
        mapping_ids.emplace(m.start, id);
        return id;
    };
    for (const detail::memory_mapping& m : process_mappings) {
        if (m.path != executable) break;
        if (m.executable) {
            mapping_id(m);
            break;
        }
    }
    const auto address_location = [&](std::uintptr_t return_address) {
        const std::uintptr_t call = return_address - 1;  // inside the call instruction
        const auto found = address_location_ids.find(call);
        if (found != address_location_ids.end()) return found->second;
        const std::uint64_t id = locations.size() + 1;
        protobuf_writer location;
        location.uint_field(1, id);
        if (const detail::memory_mapping* m = detail::mapping_of(process_mappings, call)) location.uint_field(2, mapping_id(*m));
        location.uint_field(3, call);
        // The function's name where dladdr() knows it: pprof keeps it for the frames its
        // own symbolizer cannot resolve, and replaces it with file:line where it can.
        const std::string symbol = detail::frame_symbol(call);
        if (!symbol.empty()) {
            protobuf_writer line_message;
            line_message.uint_field(1, function_id(symbol, std::string(), 0));
            location.message_field(4, line_message);
        }
        locations.push_back(std::move(location));
        address_location_ids.emplace(call, id);
        return id;
    };

    const auto label = [&](protobuf_writer& sample, const char* key, const std::string& value) {
        if (value.empty()) return;
        protobuf_writer l;  // Label { key = 1, str = 2, num = 3, num_unit = 4 }
        l.int_field(1, strings.id(key));
        l.int_field(2, strings.id(detail::pprof_text(value)));
        sample.message_field(3, l);
    };
    const auto number_label = [&](protobuf_writer& sample, const char* key, std::uint64_t value, const char* unit) {
        protobuf_writer l;
        l.int_field(1, strings.id(key));
        l.int_field(3, static_cast<std::int64_t>(value));
        l.int_field(4, strings.id(unit));
        sample.message_field(3, l);
    };

    for (const finding& f : findings_) {
        const std::string file = f.site.file != nullptr ? f.site.file : "";
        const auto line = static_cast<std::int64_t>(f.site.line);
        std::string name = f.type;
        if (!f.label.empty()) name += (name.empty() ? "\"" : " \"") + f.label + "\"";
        if (name.empty()) name = "(unnamed container)";

        std::vector<std::uint64_t> location_ids;  // leaf first
        location_ids.push_back(line_location(function_id(name, file, line), line));
        if (f.stack.empty()) {
            const std::string function = f.site.function != nullptr && *f.site.function != '\0' ? f.site.function : "?";
            location_ids.push_back(line_location(function_id(function, file, line), line));
        } else {
            std::size_t frame = detail::first_user_frame(f.stack);
            for (; frame < f.stack.size(); ++frame) location_ids.push_back(address_location(f.stack[frame]));
        }

        protobuf_writer sample;  // Sample { location_id = 1, value = 2, label = 3 }
        sample.packed_field(1, location_ids);
        sample.packed_field(2, {static_cast<std::uint64_t>(f.elements), static_cast<std::uint64_t>(f.bytes),
                                static_cast<std::uint64_t>(detail::pprof_round(f.bytes_per_epoch))});
        label(sample, "label", f.label);
        label(sample, "type", f.type);
        label(sample, "verdict", to_string(f.verdict));
        label(sample, "kind", to_string(f.kind));
        label(sample, "site", file + ":" + std::to_string(f.site.line));
        number_label(sample, "instances", f.instances, "count");
        profile.message_field(2, sample);
    }

    for (const protobuf_writer& m : mappings) profile.message_field(3, m);
    for (const protobuf_writer& l : locations) profile.message_field(4, l);
    for (const protobuf_writer& fn : functions) profile.message_field(5, fn);

    // Comments (13) and the default sample type (14) before the string table is written.
    std::vector<std::int64_t> comments;
    comments.push_back(strings.id(detail::pprof_text(summary_line())));
    if (totals_.untracked_growth)
        comments.push_back(strings.id("resident memory grows (" + detail::human_bytes(totals_.resident_bytes_per_epoch) +
                                      " per epoch) and no tracked container explains it"));
    const std::int64_t default_type = strings.id("bytes");
    for (const std::string& s : strings.table()) profile.bytes_field(6, s);
    for (std::int64_t c : comments) profile.int_field(13, c);
    profile.int_field(14, default_type);
    return profile.bytes();
}

}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
