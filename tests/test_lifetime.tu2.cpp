// tests/test_lifetime.tu2.cpp — the second translation unit of test_lifetime: a global tracked
// container, and a global whose destructor uses it, takes a snapshot and a report during static
// destruction. Within one unit, globals are destroyed in reverse order of construction, so the
// map outlives the object that uses it; across units the order is unspecified, which is why
// each unit's destructor uses only its own unit's containers (and the registry, which is never
// destroyed).
#include <leakwatch/leakwatch.hpp>

#include "lifetime_child.hpp"

#include <cstddef>
#include <string>

namespace lifetime_tu2 {

extern const unsigned map_line = __LINE__ + 1;
leakwatch::tracked_map<int, std::string> tu2_map{leakwatch::label{"lifetime tu2 map"}};

// Filled during static initialisation, before main.
struct filler {
    filler() {
        for (int i = 0; i < 10; ++i) tu2_map[i] = "before main";
    }
} fill_before_main;

struct reports_when_destroyed {
    ~reports_when_destroyed() {
        for (int i = 10; i < 20; ++i) tu2_map[i] = "after main";
        leakwatch::tracked_vector<int> local{leakwatch::label{"tu2 destructor local"}};
        local.assign(100, 1);
        leakwatch::registry::snapshot();
        const leakwatch::growth_report report = leakwatch::registry::report();
        bool found = false;
        for (const leakwatch::finding& f : report.findings())
            found = found || (f.label == "lifetime tu2 map" && f.elements == 20);
        lifetime_child::say(std::string("tu2 global destructor: report has the tu2 map: ") + (found ? "yes" : "no") +
                            "\n");
    }
} reporter_at_exit;

std::size_t tu2_map_size() { return tu2_map.size(); }

}  // namespace lifetime_tu2
