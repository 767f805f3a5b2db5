// tests/catch_main.cpp — the Catch2 v2 runner's main(), compiled once and linked into every
// tests/test_*.cpp executable and every examples/catch2_*.cpp example (which define no main).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
