// tests/strict/strict_warnings.cpp — the public headers compile clean under the warnings users
// build with: -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wold-style-cast,
// and GCC's -Weffc++, all as errors (tests/CMakeLists.txt sets them on this file alone). It
// instantiates every tracked container and every report export, so that the templates'
// bodies are checked too, not only their declarations.
#include <leakwatch/leakwatch.hpp>
#include <leakwatch/catch2.hpp>

#include <string>

int leakwatch_strict_warnings_probe() {
    leakwatch::tracked_map<int, std::string> map{leakwatch::label{"map"}};
    map[1] = "one";
    leakwatch::tracked_unordered_set<int> uset;
    uset.insert(1);
    leakwatch::tracked_unordered_multimap<int, int> umultimap;
    umultimap.emplace(1, 1);
    leakwatch::tracked_unordered_multiset<int> umultiset;
    umultiset.insert(1);
    leakwatch::tracked_ordered_map<int, int> omap;
    omap[1] = 1;
    leakwatch::tracked_ordered_set<int> oset;
    oset.insert(1);
    leakwatch::tracked_ordered_multimap<int, int> omultimap;
    omultimap.emplace(1, 1);
    leakwatch::tracked_ordered_multiset<int> omultiset;
    omultiset.insert(1);
    leakwatch::tracked_vector<int> vector;
    vector.push_back(1);
    leakwatch::tracked_deque<int> deque;
    deque.push_back(1);
    leakwatch::tracked_list<int> list;
    list.push_back(1);
    auto node = map.extract(1);
    map.insert(std::move(node));
    leakwatch::tracked_vector<int> moved(std::move(vector));
    const leakwatch::growth_report report = leakwatch::registry::report();
    const std::string all = report.to_text() + report.to_json() + report.to_prometheus() + report.to_pprof() +
                            report.to_html();
    return static_cast<int>(all.size() % 7) + static_cast<int>(moved.size());
}
