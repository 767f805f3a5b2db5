#!/usr/bin/env bash
# fuzz/make_corpus.sh — writes the committed seed corpus, fuzz/corpus/<target>/, deterministically.
#
# The targets read: one byte choosing the container kind, then operations, each an operation
# byte followed by the bytes it consumes (which container, a key, a value, a count...). For
# every kind the corpus holds two inputs: one that runs every operation in turn, and one that
# fills the containers first and then exchanges memory between them (swap, move, merge, node
# handles, splice), where the byte accounting is most delicate. libFuzzer starts from these
# and mutates; new inputs it finds go to a scratch folder in the build tree, never here.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# emit FILE BYTE... : writes the bytes (decimal) to FILE.
emit() {
    local file=$1 byte
    shift
    : >"$file"
    for byte in "$@"; do
        # shellcheck disable=SC2059
        printf "\\$(printf '%03o' "$((byte & 255))")" >>"$file"
    done
}

# every_operation KIND OPERATIONS: each operation once, with varied container, key and value.
every_operation() {
    local kind=$1 operations=$2 op bytes=()
    bytes+=("$kind")
    for ((op = 0; op < operations; op++)); do
        bytes+=("$op" "$((op % 3))" "$(((op * 5 + 3) % 24))" "$(((op * 7 + 1) % 24))" "$((op % 9 + 1))" "$((op % 5))")
    done
    echo "${bytes[@]}"
}

# fill_then_exchange KIND FILL EXCHANGE...: fills a, b and d with FILL, then runs the EXCHANGE operations.
fill_then_exchange() {
    local kind=$1 fill=$2 i op bytes=()
    shift 2
    bytes+=("$kind")
    for ((i = 0; i < 18; i++)); do
        bytes+=("$fill" "$((i % 3))" "$(((i * 11) % 24))" "$(((i * 13) % 24))" 4 2)
    done
    for op in "$@"; do
        for ((i = 0; i < 3; i++)); do
            bytes+=("$op" "$i" "$(((op + i * 7) % 24))" "$(((op * 3 + i) % 24))" 5 3)
        done
    done
    echo "${bytes[@]}"
}

for target in fuzz_unordered fuzz_ordered; do
    mkdir -p "$here/corpus/$target"
    for kind in 0 1 2 3; do
        # shellcheck disable=SC2046
        emit "$here/corpus/$target/every-operation-kind$kind" $(every_operation "$kind" 24)
        # insert; then swap, merge, extract, insert node, move/copy assign, rebuild, drop node
        # shellcheck disable=SC2046
        emit "$here/corpus/$target/exchange-kind$kind" $(fill_then_exchange "$kind" 0 8 9 10 11 13 14 15 16 10 20 12)
    done
done

mkdir -p "$here/corpus/fuzz_sequence"
for kind in 0 1 2; do
    # shellcheck disable=SC2046
    emit "$here/corpus/fuzz_sequence/every-operation-kind$kind" $(every_operation "$kind" 22)
    # push_back; then swap, move/copy assign, rebuild, splice, sort and merge, remove/unique
    # shellcheck disable=SC2046
    emit "$here/corpus/fuzz_sequence/exchange-kind$kind" $(fill_then_exchange "$kind" 0 13 15 16 17 18 19 20 14 11)
done
