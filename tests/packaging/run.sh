#!/usr/bin/env bash
# The `packaging` test: leakwatch works the three ways a user can take it.
#
#   tests/packaging/run.sh SOURCE_DIR WORK_DIR
#
# 1. configures, builds and installs leakwatch (tests, examples, benchmarks OFF) into
#    WORK_DIR/prefix;
# 2. builds and runs the consumer project next to this script with find_package
#    (CMAKE_PREFIX_PATH=WORK_DIR/prefix);
# 3. the same with add_subdirectory, then with FetchContent (checking that leakwatch as a
#    subproject builds none of its own tests).
# WORK_DIR is wiped first. Honours CXX, CMAKE_GENERATOR (default: Ninja when available)
# and LEAKWATCH_CXX_STANDARD. Exits non-zero with a message naming the failed step.
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: $0 SOURCE_DIR WORK_DIR" >&2
    exit 2
fi

source_dir=$(cd "$1" && pwd -P)
consumer_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
rm -rf "$2"
mkdir -p "$2"
work_dir=$(cd "$2" && pwd -P)
prefix=$work_dir/prefix

if [[ -z ${CMAKE_GENERATOR:-} ]] && command -v ninja >/dev/null 2>&1; then
    export CMAKE_GENERATOR=Ninja
fi

common_args=(-DCMAKE_BUILD_TYPE=Release)
if [[ -n ${CXX:-} ]]; then
    common_args+=("-DCMAKE_CXX_COMPILER=$CXX")
fi
if [[ -n ${LEAKWATCH_CXX_STANDARD:-} ]]; then
    common_args+=("-DCMAKE_CXX_STANDARD=$LEAKWATCH_CXX_STANDARD" -DCMAKE_CXX_STANDARD_REQUIRED=ON)
fi

step() {
    local what=$1
    shift
    echo
    echo "---- packaging: $what"
    echo "+ $*"
    if ! "$@"; then
        echo >&2
        echo "packaging test FAILED: $what" >&2
        exit 1
    fi
}

# 1. install
step "configure leakwatch for installation" \
    cmake -S "$source_dir" -B "$work_dir/leakwatch-build" "${common_args[@]}" \
    "-DCMAKE_INSTALL_PREFIX=$prefix" -DLEAKWATCH_INSTALL=ON \
    -DLEAKWATCH_BUILD_TESTS=OFF -DLEAKWATCH_BUILD_EXAMPLES=OFF -DLEAKWATCH_BUILD_BENCHMARKS=OFF
step "build leakwatch" cmake --build "$work_dir/leakwatch-build"
step "install leakwatch into $prefix" cmake --build "$work_dir/leakwatch-build" --target install

config=$(find "$prefix" -name leakwatchConfig.cmake -print -quit)
for file in "$prefix/include/leakwatch/config.hpp" "$prefix/include/leakwatch/leakwatch.hpp" "$config"; do
    if [[ -z $file || ! -f $file ]]; then
        echo "packaging test FAILED: the installation lacks ${file:-leakwatchConfig.cmake}" >&2
        exit 1
    fi
done
for file in leakwatchConfigVersion.cmake leakwatchTargets.cmake; do
    if [[ ! -f $(dirname "$config")/$file ]]; then
        echo "packaging test FAILED: the installation lacks $file next to $config" >&2
        exit 1
    fi
done

# 2-3. consumers
for mode in find_package add_subdirectory fetchcontent; do
    build=$work_dir/consumer-$mode
    mode_args=("-DLEAKWATCH_CONSUME=$mode")
    if [[ $mode == find_package ]]; then
        mode_args+=("-DCMAKE_PREFIX_PATH=$prefix" "-DLEAKWATCH_EXPECTED_PREFIX=$prefix")
    else
        mode_args+=("-DLEAKWATCH_SOURCE_DIR=$source_dir")
    fi
    step "configure the consumer ($mode)" \
        cmake -S "$consumer_dir" -B "$build" "${common_args[@]}" "${mode_args[@]}"
    step "build the consumer ($mode)" cmake --build "$build"
    step "run the consumer ($mode)" "$build/consumer"
done

echo
echo "packaging: find_package, add_subdirectory and fetchcontent all work"
