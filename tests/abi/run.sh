#!/usr/bin/env bash
# tests/abi/run.sh — translation units built with different layout settings do not link.
#
#   run.sh CXX STANDARD INCLUDE_DIR WORK_DIR
#
# For each setting that changes a layout (history capacity, compile-out, creation stacks,
# operation counters): provider.cpp built with it and caller.cpp built without must both
# compile, and their link must fail with an undefined reference to a provider function in the
# caller's inline namespace; built with the same setting, they must link, and the program
# must print that setting's namespace. Below C++17 (compiled out only), a report does not pass
# between C++11 and C++17 code while a tracked type does. Exits non-zero, saying why, on the
# first surprise.
set -euo pipefail

if [[ $# -ne 4 ]]; then
    sed -n '4p' "${BASH_SOURCE[0]}" >&2
    exit 2
fi
cxx=$1
standard=$2
include_dir=$3
work=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
flags=(-std=c++"$standard" -Wall -Wextra -Wpedantic -Werror -pthread -I"$include_dir")
default_tag=v0_h64_d0_s0_o0
mkdir -p "$work"

fail() {
    echo "abi: FAIL: $*" >&2
    exit 1
}

# compile NAME SOURCE DEFINES...: NAME.o in the work directory.
compile() {
    local name=$1 source=$2
    shift 2
    "$cxx" "${flags[@]}" "$@" -c "$here/$source" -o "$work/$name.o" ||
        fail "$source did not compile with: ${*:-(no setting)}"
}

# The default settings link and run.
compile provider-default provider.cpp
compile caller-default caller.cpp
"$cxx" -pthread "$work/provider-default.o" "$work/caller-default.o" -o "$work/default" ||
    fail "the default settings did not link"
out=$("$work/default") || fail "the default program failed: $out"
[[ $out == "$default_tag" ]] || fail "default namespace is '$out', expected '$default_tag'"
echo "abi: default settings link and run: leakwatch::$out"

checked=0
# setting name, compiler flag, the namespace it must give
while read -r name define tag; do
    compile "provider-$name" provider.cpp "$define"
    compile "caller-$name" caller.cpp "$define"
    # The setting must reach the namespace: a platform without backtrace() has no stacks.
    "$cxx" -pthread "$work/provider-$name.o" "$work/caller-$name.o" -o "$work/$name" ||
        fail "$define: both sides built with it did not link"
    out=$("$work/$name") || fail "$define: the program failed: $out"
    if [[ $name == stacks && $out == "$default_tag" ]]; then
        echo "abi: $define: no creation stacks on this platform (namespace unchanged); skipped"
        continue
    fi
    [[ $out == "$tag" ]] || fail "$define gives namespace '$out', expected '$tag'"

    # Mixed: provider with the setting, caller without, and the other way round.
    for pair in "provider-$name caller-default $default_tag" "provider-default caller-$name $tag"; do
        read -r provider caller caller_tag <<<"$pair"
        if "$cxx" -pthread "$work/$provider.o" "$work/$caller.o" -o "$work/mixed" >"$work/link.log" 2>&1; then
            fail "$provider.o and $caller.o linked although their settings differ"
        fi
        if ! grep -Eq "undefined (reference|symbol).*abi_probe_(size|clean).*leakwatch::$caller_tag::" "$work/link.log"; then
            cat "$work/link.log" >&2
            fail "$provider.o + $caller.o: the link failed, but not with an undefined reference to a provider function in leakwatch::$caller_tag"
        fi
    done
    echo "abi: $define: leakwatch::$tag; mixed with the default, the link fails with an undefined reference"
    checked=$((checked + 1))
done <<'SETTINGS'
history -DLEAKWATCH_HISTORY_CAPACITY=32 v0_h32_d0_s0_o0
disable -DLEAKWATCH_DISABLE v0_h64_d1_s0_o0
stacks -DLEAKWATCH_CAPTURE_STACKS v0_h64_d0_s1_o0
operations -DLEAKWATCH_COUNT_OPERATIONS v0_h64_d0_s0_o1
SETTINGS

[[ $checked -ge 3 ]] || fail "only $checked settings checked"
echo "abi: $checked settings checked"

# Below C++17 (compiled out only) leakwatch.hpp declares fewer types, in a namespace of their
# own: a report does not pass between C++11 and C++17 code, a tracked type (a std type) does.
compile provider-cxx11 provider.cpp -std=c++11 -DLEAKWATCH_DISABLE
if "$cxx" -pthread "$work/provider-cxx11.o" "$work/caller-disable.o" -o "$work/mixed" >"$work/link.log" 2>&1; then
    fail "a C++11 and a C++17 translation unit linked although they pass a growth_report"
fi
grep -Eq "undefined (reference|symbol).*abi_probe_clean.*leakwatch::v0_h64_d1_s0_o0::growth_report" "$work/link.log" ||
    { cat "$work/link.log" >&2; fail "C++11 + C++17: no undefined reference to abi_probe_clean(growth_report)"; }
if grep -q "abi_probe_size" "$work/link.log"; then
    cat "$work/link.log" >&2
    fail "C++11 + C++17: abi_probe_size (a tracked type, std::vector here) did not link"
fi
echo "abi: C++11 and C++17 compiled out: a growth_report does not link across, a tracked type does"
