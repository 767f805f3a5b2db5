// tests/test_registry.tu2.cpp — a second translation unit for test_registry: a global tracked
// container here registers during static initialisation, whatever the order in which the
// two units' globals are initialised (the registry is created on first use, never destroyed).
#include <leakwatch/leakwatch.hpp>

#include <cstddef>

namespace registry_tu2 {

extern const unsigned global_map_line = __LINE__ + 1;
leakwatch::tracked_map<int, int> global_map{leakwatch::label{"global in tu2"}};

// Initialised after global_map (same unit, later in the text): the map is registered by now.
extern const std::size_t live_at_static_init = leakwatch::registry::live_containers();

void write_global(int key) { global_map[key] = key; }

}  // namespace registry_tu2
