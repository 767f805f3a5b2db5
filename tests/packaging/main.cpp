// The packaging test's consumer: includes the umbrella header the way users do and checks
// that a tracked container counts what it holds.
#include <leakwatch/leakwatch.hpp>

#include <cstdio>

int main() {
    leakwatch::tracked_map<int, int> m{leakwatch::label{"consumer"}};
    for (int i = 0; i < 100; ++i) m.emplace(i, i * i);
    m[1000] = 1;
    m.erase(0);
    if (m.stats().elements != m.size()) {
        std::fprintf(stderr, "consumer: stats().elements == %zu, size() == %zu\n",
                     static_cast<std::size_t>(m.stats().elements), static_cast<std::size_t>(m.size()));
        return 1;
    }
    std::printf("consumer: leakwatch %d.%d.%d, tracked_map with %zu elements\n", LEAKWATCH_VERSION_MAJOR,
                LEAKWATCH_VERSION_MINOR, LEAKWATCH_VERSION_PATCH, static_cast<std::size_t>(m.size()));
    return 0;
}
