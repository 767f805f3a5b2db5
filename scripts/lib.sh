# scripts/lib.sh — sourced by scripts/test and scripts/demo: finds the build dependencies
# and installs the missing ones on Debian/Ubuntu.
#
#   lw_ensure_deps cmake ninja g++ clang++ catch2 gtest benchmark
#   lw_ensure_deps promtool go node_exporter chromium    # readers of the exports ([tools] tests)
#   lw_ensure_deps clang-rt                               # clang's sanitizer and libFuzzer runtimes
#   lw_ensure_deps pkg-config httplib prometheus-cpp curl # the optional adapters' libraries, curl
#   lw_ensure_deps prometheus jq                          # the fleet test (tests/fleet/run.sh)
#
# As root with apt-get: `apt-get update` (once) and `apt-get install` of what is missing.
# Otherwise: prints the command to run and exits 1.

# The Debian package that provides dependency $1.
lw_debian_package() {
    case $1 in
        cmake) echo cmake ;;
        ninja) echo ninja-build ;;
        g++) echo g++ ;;
        clang++) echo clang ;;
        catch2) echo catch2 ;;
        gtest) echo libgtest-dev ;;
        benchmark) echo libbenchmark-dev ;;
        promtool) echo prometheus ;;
        go) echo golang-go ;;
        node_exporter) echo prometheus-node-exporter ;;
        chromium) echo chromium ;;
        pkg-config) echo pkg-config ;;
        httplib) echo libcpp-httplib-dev ;;
        prometheus-cpp) echo prometheus-cpp-dev ;;
        curl) echo curl ;;
        prometheus) echo prometheus ;;
        jq) echo jq ;;
        # The runtimes of the installed clang's major version (Debian 12: clang 14).
        clang-rt) echo "libclang-rt-$(clang++ -dumpversion 2>/dev/null | cut -d. -f1 | grep -x '[0-9]*' || echo 14)-dev" ;;
        *) echo "lw_debian_package: unknown dependency '$1'" >&2; return 1 ;;
    esac
}

# Prints the CMake package configuration files named $1Config.cmake / $1-config.cmake found
# in the usual prefixes and in CMAKE_PREFIX_PATH.
lw_find_cmake_config() {
    local name=$1 lower prefix dir file
    lower=${name,,}
    local prefixes=(/usr /usr/local)
    if [[ -n ${CMAKE_PREFIX_PATH:-} ]]; then
        local extra=()
        IFS=: read -ra extra <<<"$CMAKE_PREFIX_PATH"
        prefixes+=("${extra[@]}")
    fi
    for prefix in "${prefixes[@]}"; do
        for dir in "$prefix"/lib/cmake "$prefix"/lib/*/cmake "$prefix"/lib64/cmake "$prefix"/share/cmake "$prefix"/share; do
            for file in "$dir/$name"*/"${name}Config.cmake" "$dir/$name"*/"$lower-config.cmake"; do
                [[ -f $file ]] && printf '%s\n' "$file"
            done
        done
    done
    return 0
}

# Succeeds when dependency $1 is present.
lw_have() {
    local config
    case $1 in
        cmake | g++ | clang++) command -v "$1" >/dev/null 2>&1 ;;
        ninja) command -v ninja >/dev/null 2>&1 || command -v ninja-build >/dev/null 2>&1 ;;
        catch2)
            # Catch2 v2 (<catch2/catch.hpp>, CMake package Catch2 2.x); v3 is a different library.
            while IFS= read -r config; do
                if grep -q 'PACKAGE_VERSION "2\.' "$(dirname "$config")/Catch2ConfigVersion.cmake" 2>/dev/null; then
                    return 0
                fi
            done < <(lw_find_cmake_config Catch2)
            return 1
            ;;
        gtest) [[ -n $(lw_find_cmake_config GTest) ]] ;;
        benchmark) [[ -n $(lw_find_cmake_config benchmark) ]] ;;
        promtool | chromium | curl | pkg-config | prometheus | jq) command -v "$1" >/dev/null 2>&1 ;;
        # cpp-httplib: upstream's CMake package, or Debian's header with its pkg-config file.
        httplib) [[ -n $(lw_find_cmake_config httplib) ]] || { [[ -f /usr/include/httplib.h ]] &&
            pkg-config --exists cpp-httplib 2>/dev/null; } ;;
        prometheus-cpp) [[ -n $(lw_find_cmake_config prometheus-cpp) ]] ;;
        go) command -v go >/dev/null 2>&1 && go tool -n pprof >/dev/null 2>&1 ;;
        node_exporter) command -v prometheus-node-exporter >/dev/null 2>&1 ;;
        clang-rt) lw_have_clang_rt ;;
        *) echo "lw_have: unknown dependency '$1'" >&2; return 1 ;;
    esac
}

# Succeeds when clang++ links a libFuzzer target with address and undefined-behaviour
# sanitizers, and a thread-sanitized program.
lw_have_clang_rt() {
    command -v clang++ >/dev/null 2>&1 || return 1
    local scratch status=0
    scratch=$(mktemp -d)
    printf '%s\n' '#include <cstddef>' '#include <cstdint>' \
        'extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }' >"$scratch/fuzz.cpp"
    printf '%s\n' 'int main() { return 0; }' >"$scratch/main.cpp"
    clang++ -fsanitize=fuzzer,address,undefined "$scratch/fuzz.cpp" -o "$scratch/fuzz" >/dev/null 2>&1 &&
        clang++ -fsanitize=thread "$scratch/main.cpp" -o "$scratch/main" >/dev/null 2>&1 || status=1
    rm -rf "$scratch"
    return $status
}

lw_apt_updated=0

# Installs whichever of the dependencies "$@" are missing, or explains how and exits 1.
lw_ensure_deps() {
    local dep missing=() packages=()
    for dep in "$@"; do
        if ! lw_have "$dep"; then
            missing+=("$dep")
            packages+=("$(lw_debian_package "$dep")")
        fi
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0

    echo "Missing: ${missing[*]} (Debian packages: ${packages[*]})"
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "No apt-get here: install ${missing[*]} with your package manager and run again." >&2
        exit 1
    fi
    if [[ $(id -u) -ne 0 ]]; then
        echo "Install them with:" >&2
        echo "  sudo apt-get install -y --no-install-recommends ${packages[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    if [[ $lw_apt_updated -eq 0 ]]; then
        apt-get update
        lw_apt_updated=1
    fi
    apt-get install -y --no-install-recommends "${packages[@]}"
    for dep in "${missing[@]}"; do
        if ! lw_have "$dep"; then
            echo "Still missing after apt-get install: $dep" >&2
            exit 1
        fi
    done
}
