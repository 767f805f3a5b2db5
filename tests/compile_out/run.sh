#!/usr/bin/env bash
# tests/compile_out/run.sh — with LEAKWATCH_DISABLE the headers compile as C++11 and C++14.
#
#   run.sh README INCLUDE_DIR WORK_DIR COMPILER...
#
# With each compiler given and, when installed, g++ and clang++:
#  - probe.cpp (a labelled tracked_map, a tracked_vector, check_growth, registry::report(),
#    failure_message) builds with LEAKWATCH_DISABLE as C++11, C++14 and C++17, with
#    -Wall -Wextra -Wpedantic -Werror, and the three programs print the same;
#  - shared.cpp built as C++11 and probe.cpp built as C++17 link together: a tracked type in a
#    function signature is the same std type for both;
#  - without LEAKWATCH_DISABLE, C++14 stops at config.hpp's #error, which names the macro;
#  - the example of README.md's section "The compile-out switch" builds and runs as C++11,
#    C++14 and C++17 with LEAKWATCH_DISABLE, and as C++17 without it;
#  - the Catch2 and GoogleTest adapters compile as C++11 and C++14 with LEAKWATCH_DISABLE
#    (each when its framework's headers are installed).
# Exits non-zero, saying why, on the first failure.
set -euo pipefail

if [[ $# -lt 4 ]]; then
    sed -n '4p' "${BASH_SOURCE[0]}" >&2
    exit 2
fi
readme=$1
include_dir=$2
work=$3
shift 3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$work"

fail() {
    echo "compile_out: FAIL: $*" >&2
    exit 1
}

# The compilers: those given, then g++ and clang++ when installed, each once.
compilers=()
declare -A seen=()
for candidate in "$@" g++ clang++; do
    path=$(command -v "$candidate" 2>/dev/null) || continue
    path=$(readlink -f "$path")
    [[ -n ${seen[$path]:-} ]] && continue
    seen[$path]=1
    compilers+=("$candidate")
done
[[ ${#compilers[@]} -gt 0 ]] || fail "no compiler found"

warnings=(-Wall -Wextra -Wpedantic -Werror)

# The README example: the first ```cpp block of the section "## The compile-out switch".
readme_example=$work/readme_example.cpp
awk '
    /^## / { in_section = ($0 == "## The compile-out switch") }
    in_section && !done && /^```cpp$/ { in_code = 1; next }
    in_code && /^```$/ { in_code = 0; done = 1; next }
    in_code { print }
' "$readme" >"$readme_example"
[[ -s $readme_example ]] || fail "no \`\`\`cpp example in README.md's section \"The compile-out switch\""

has_header() {  # compiler header
    echo "#include <$2>" | "$1" -std=c++11 -E -x c++ - >/dev/null 2>&1
}

for cxx in "${compilers[@]}"; do
    tag=$(basename "$cxx")
    outputs=()
    for standard in 11 14 17; do
        exe=$work/probe-$tag-$standard
        "$cxx" -std=c++"$standard" "${warnings[@]}" -DLEAKWATCH_DISABLE -I"$include_dir" -pthread \
            "$here/probe.cpp" "$here/shared.cpp" -o "$exe" ||
            fail "$cxx -std=c++$standard: probe.cpp does not build with LEAKWATCH_DISABLE"
        out=$("$exe") || fail "$cxx -std=c++$standard: the probe failed: $out"
        outputs+=("$out")
    done
    [[ ${outputs[0]} == "${outputs[2]}" && ${outputs[1]} == "${outputs[2]}" ]] ||
        fail "$cxx: C++11, C++14 and C++17 print differently:"$'\n'"${outputs[0]}"$'\n---\n'"${outputs[1]}"$'\n---\n'"${outputs[2]}"
    echo "compile_out: $cxx: probe.cpp builds as C++11, C++14 and C++17 and prints the same"

    "$cxx" -std=c++11 "${warnings[@]}" -DLEAKWATCH_DISABLE -I"$include_dir" -c "$here/shared.cpp" -o "$work/shared11.o"
    "$cxx" -std=c++17 "${warnings[@]}" -DLEAKWATCH_DISABLE -I"$include_dir" -c "$here/probe.cpp" -o "$work/probe17.o"
    "$cxx" -pthread "$work/shared11.o" "$work/probe17.o" -o "$work/mixed-$tag" ||
        fail "$cxx: shared.cpp as C++11 and probe.cpp as C++17 do not link"
    [[ $("$work/mixed-$tag") == "${outputs[2]}" ]] || fail "$cxx: the mixed C++11/C++17 program prints differently"
    echo "compile_out: $cxx: a C++11 and a C++17 translation unit share a tracked type"

    if "$cxx" -std=c++14 -I"$include_dir" -fsyntax-only "$here/probe.cpp" >"$work/error.log" 2>&1; then
        fail "$cxx: without LEAKWATCH_DISABLE, C++14 compiled"
    fi
    grep -q "requires C++17 or later; below C++17, define LEAKWATCH_DISABLE" "$work/error.log" ||
        { cat "$work/error.log" >&2; fail "$cxx: without LEAKWATCH_DISABLE, C++14 failed without config.hpp's message"; }
    echo "compile_out: $cxx: without LEAKWATCH_DISABLE, C++14 stops with config.hpp's message"

    for mode in "11 -DLEAKWATCH_DISABLE" "14 -DLEAKWATCH_DISABLE" "17 -DLEAKWATCH_DISABLE" "17"; do
        read -r standard define <<<"$mode"
        exe=$work/readme-$tag-$standard${define:+-disabled}
        "$cxx" -std=c++"$standard" "${warnings[@]}" $define -I"$include_dir" -pthread "$readme_example" -o "$exe" ||
            fail "$cxx -std=c++$standard $define: README's compile-out example does not build"
        "$exe" || fail "$cxx -std=c++$standard $define: README's compile-out example exits with $?"
    done
    echo "compile_out: $cxx: README's compile-out example builds and runs (C++11, 14, 17 compiled out; C++17 tracked)"

    for adapter in catch2:catch2/catch.hpp gtest:gtest/gtest.h; do
        name=${adapter%%:*}
        if ! has_header "$cxx" "${adapter#*:}"; then
            echo "compile_out: $cxx: <${adapter#*:}> not installed; the $name adapter is not checked"
            continue
        fi
        for standard in 11 14; do
            "$cxx" -std=c++"$standard" "${warnings[@]}" -DLEAKWATCH_DISABLE -I"$include_dir" \
                -c "$here/adapter_$name.cpp" -o "$work/adapter-$name-$tag-$standard.o" ||
                fail "$cxx -std=c++$standard: the $name adapter does not compile with LEAKWATCH_DISABLE"
        done
        echo "compile_out: $cxx: the $name adapter compiles as C++11 and C++14"
    done
done
