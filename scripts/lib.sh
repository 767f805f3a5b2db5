# scripts/lib.sh — sourced by scripts/test and scripts/demo: finds the build dependencies
# and installs the missing ones on Debian/Ubuntu.
#
#   lw_ensure_deps cmake ninja g++ clang++ catch2 gtest benchmark
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
        *) echo "lw_have: unknown dependency '$1'" >&2; return 1 ;;
    esac
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
