// leakwatch/detail/type_name.hpp — readable type names for reports, without RTTI.
//
// The compiler's pretty function signature of a template names its argument; we cut the
// name out of it once per type and keep it for the life of the process (the string is
// deliberately never freed, so containers destroyed during static destruction can still
// point at it).
#pragma once

#include <leakwatch/config.hpp>

#include <string>
#include <string_view>

namespace leakwatch {
inline namespace LEAKWATCH_ABI_NAMESPACE {
namespace detail {

inline void replace_all(std::string& text, std::string_view from, std::string_view to) {
    std::size_t at = 0;
    while ((at = text.find(from, at)) != std::string::npos) {
        text.replace(at, from.size(), to);
        at += to.size();
    }
}

// Removes library-internal noise: inline ABI namespaces and the cxx11 string ABI tag.
inline std::string tidy_type_name(std::string name) {
    replace_all(name, "std::__cxx11::", "std::");
    replace_all(name, "std::__1::", "std::");
    replace_all(name, "leakwatch::" LEAKWATCH_ABI_NAMESPACE_STRING "::", "leakwatch::");
    replace_all(name, "{anonymous}::", "");
    replace_all(name, "(anonymous namespace)::", "");
    // GCC and Clang spell some fundamental types differently; use Clang's (shorter) names.
    replace_all(name, "long long unsigned int", "unsigned long long");
    replace_all(name, "long unsigned int", "unsigned long");
    replace_all(name, "short unsigned int", "unsigned short");
    replace_all(name, "long long int", "long long");
    replace_all(name, "long int", "long");
    replace_all(name, "short int", "short");
    replace_all(name, "std::basic_string<char>", "std::string");
    replace_all(name, "std::basic_string<char, std::char_traits<char>, std::allocator<char> >", "std::string");
    replace_all(name, "std::basic_string<char, std::char_traits<char>, std::allocator<char>>", "std::string");
    return name;
}

template <class T>
std::string raw_type_name() {
#if defined(__clang__) || defined(__GNUC__)
    const std::string_view pretty = __PRETTY_FUNCTION__;
    // GCC: "... [with T = int; std::string = ...]"; Clang: "... [T = int]".
    std::size_t begin = pretty.find("T = ");
    if (begin == std::string_view::npos) return "?";
    begin += 4;
    std::size_t end = pretty.find_first_of(";]", begin);
    // A ';' or ']' may also occur inside the type (array types): take the outermost one by
    // counting brackets.
    int depth = 0;
    for (end = begin; end < pretty.size(); ++end) {
        const char c = pretty[end];
        if (c == '<' || c == '(' || c == '[') ++depth;
        else if (c == '>' || c == ')') --depth;
        else if (c == ']') {
            if (depth == 0) break;
            --depth;
        } else if (c == ';' && depth == 0) break;
    }
    return std::string(pretty.substr(begin, end - begin));
#else
    return "?";
#endif
}

template <class T>
const std::string& type_name() {
    static const std::string* const name = new std::string(tidy_type_name(raw_type_name<T>()));
    return *name;
}

}  // namespace detail
}  // namespace LEAKWATCH_ABI_NAMESPACE
}  // namespace leakwatch
