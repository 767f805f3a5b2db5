// Bounded waiting for tests of background threads: polls a condition, never asserts on time.
#pragma once

#include <chrono>
#include <thread>

// Polls `done` for up to ten seconds; returns whether it became true.
template <class Predicate>
bool eventually(Predicate done) {
    for (int i = 0; i < 10000; ++i) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return done();
}
