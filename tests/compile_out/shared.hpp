// tests/compile_out/shared.hpp — a header that holds a tracked type in a function signature,
// shared by translation units built as C++11 and as C++17 (run.sh links them together).
#pragma once

#include <leakwatch/leakwatch.hpp>

#include <cstddef>
#include <string>

std::size_t shared_size(const leakwatch::tracked_map<int, std::string>& names);
