// A small strict JSON reader for tests: parses a document into a tree and rejects anything
// RFC 8259 does not allow (so a report that passes is valid JSON, not merely plausible).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace json_check {

struct value {
    enum class kind { null, boolean, number, string, array, object } type = kind::null;
    bool boolean = false;
    double number = 0;
    std::string text;
    std::vector<value> items;
    std::map<std::string, value> members;

    const value& operator[](const std::string& key) const {
        auto it = members.find(key);
        if (type != kind::object || it == members.end()) throw std::runtime_error("no member " + key);
        return it->second;
    }
    const value& operator[](std::size_t i) const {
        if (type != kind::array || i >= items.size()) throw std::runtime_error("no item " + std::to_string(i));
        return items[i];
    }
};

class parser {
public:
    explicit parser(const std::string& text) : text_(text) {}

    value parse() {
        value v = parse_value();
        skip_space();
        if (at_ != text_.size()) fail("trailing characters");
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw std::runtime_error("invalid JSON at offset " + std::to_string(at_) + ": " + what);
    }
    void skip_space() {
        while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\n' || text_[at_] == '\r' || text_[at_] == '\t'))
            ++at_;
    }
    char peek() {
        skip_space();
        if (at_ >= text_.size()) fail("unexpected end");
        return text_[at_];
    }
    void expect(char c) {
        if (peek() != c) fail(std::string("expected '") + c + "'");
        ++at_;
    }
    bool literal(const char* word) {
        const std::string w = word;
        if (text_.compare(at_, w.size(), w) == 0) {
            at_ += w.size();
            return true;
        }
        return false;
    }
    value parse_value() {
        value v;
        const char c = peek();
        if (c == '{') {
            v.type = value::kind::object;
            ++at_;
            if (peek() == '}') {
                ++at_;
                return v;
            }
            for (;;) {
                if (peek() != '"') fail("expected a member name");
                std::string key = parse_string();
                expect(':');
                v.members[key] = parse_value();
                if (peek() == ',') {
                    ++at_;
                    continue;
                }
                expect('}');
                return v;
            }
        }
        if (c == '[') {
            v.type = value::kind::array;
            ++at_;
            if (peek() == ']') {
                ++at_;
                return v;
            }
            for (;;) {
                v.items.push_back(parse_value());
                if (peek() == ',') {
                    ++at_;
                    continue;
                }
                expect(']');
                return v;
            }
        }
        if (c == '"') {
            v.type = value::kind::string;
            v.text = parse_string();
            return v;
        }
        if (literal("true")) {
            v.type = value::kind::boolean;
            v.boolean = true;
            return v;
        }
        if (literal("false")) {
            v.type = value::kind::boolean;
            return v;
        }
        if (literal("null")) return v;
        return parse_number();
    }
    value parse_number() {
        const std::size_t start = at_;
        if (at_ < text_.size() && text_[at_] == '-') ++at_;
        if (at_ >= text_.size() || !isdigit(text_[at_])) fail("expected a value");
        if (text_[at_] == '0') ++at_;
        else
            while (at_ < text_.size() && isdigit(text_[at_])) ++at_;
        if (at_ < text_.size() && text_[at_] == '.') {
            ++at_;
            if (at_ >= text_.size() || !isdigit(text_[at_])) fail("digits expected after '.'");
            while (at_ < text_.size() && isdigit(text_[at_])) ++at_;
        }
        if (at_ < text_.size() && (text_[at_] == 'e' || text_[at_] == 'E')) {
            ++at_;
            if (at_ < text_.size() && (text_[at_] == '+' || text_[at_] == '-')) ++at_;
            if (at_ >= text_.size() || !isdigit(text_[at_])) fail("digits expected in exponent");
            while (at_ < text_.size() && isdigit(text_[at_])) ++at_;
        }
        value v;
        v.type = value::kind::number;
        v.number = std::stod(text_.substr(start, at_ - start));
        return v;
    }
    static bool isdigit(char c) { return c >= '0' && c <= '9'; }
    unsigned hex4() {
        if (at_ + 4 > text_.size()) fail("short \\u escape");
        unsigned code = 0;
        for (int i = 0; i < 4; ++i) {
            const char h = text_[at_++];
            code <<= 4;
            if (h >= '0' && h <= '9') code |= static_cast<unsigned>(h - '0');
            else if (h >= 'a' && h <= 'f') code |= static_cast<unsigned>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') code |= static_cast<unsigned>(h - 'A' + 10);
            else fail("bad hex digit");
        }
        return code;
    }
    static void append_utf8(std::string& out, std::uint32_t code) {
        if (code < 0x80) out += static_cast<char>(code);
        else if (code < 0x800) {
            out += static_cast<char>(0xC0 | (code >> 6));
            out += static_cast<char>(0x80 | (code & 0x3F));
        } else if (code < 0x10000) {
            out += static_cast<char>(0xE0 | (code >> 12));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (code & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (code >> 18));
            out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (code & 0x3F));
        }
    }
    std::string parse_string() {
        expect('"');
        std::string out;
        while (at_ < text_.size()) {
            const unsigned char c = static_cast<unsigned char>(text_[at_++]);
            if (c == '"') return out;
            if (c < 0x20) fail("raw control character in string");
            if (c != '\\') {
                out += static_cast<char>(c);
                continue;
            }
            if (at_ >= text_.size()) fail("bad escape");
            const char e = text_[at_++];
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': append_utf8(out, hex4()); break;
                default: fail("bad escape");
            }
        }
        fail("unterminated string");
    }

    const std::string& text_;
    std::size_t at_ = 0;
};

inline value parse(const std::string& text) { return parser(text).parse(); }

}  // namespace json_check
