// tests/compile_out/shared.cpp — defines shared.hpp's function; run.sh builds it as C++11.
#include "shared.hpp"

std::size_t shared_size(const leakwatch::tracked_map<int, std::string>& names) { return names.size(); }
