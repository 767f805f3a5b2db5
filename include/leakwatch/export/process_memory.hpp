// leakwatch/export/process_memory.hpp — kept for code that includes it by this name: the
// process memory reading lives in leakwatch/process_memory.hpp, below the registry.
#pragma once

#include <leakwatch/process_memory.hpp>
