// A small service for the fleet test (tests/fleet/run.sh): an httplib::Server with leakwatch's
// metrics endpoint (leakwatch::mount_metrics) on a loopback port, a periodic_reporter whose
// latest report the scrapes serve, and a workload that either leaks or stays bounded.
//
//   fleet_service growing PORT_FILE [LIFETIME_SECONDS]   a session map filled and never
//                                                        cleared, beside a capped cache
//   fleet_service bounded PORT_FILE [LIFETIME_SECONDS]   the capped cache alone
//   fleet_service --free-port                            prints a loopback port free right now
//
// The server binds 127.0.0.1 on a port the kernel picks and writes it to PORT_FILE
// (atomically), so two services never race for a port. It stops on SIGTERM or SIGINT, when
// its parent dies (PR_SET_PDEATHSIG), and after LIFETIME_SECONDS (default 120) in any case,
// so that a test killed half-way leaves nothing running.
#include <leakwatch/httplib.hpp>
#include <leakwatch/leakwatch.hpp>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <iostream>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

int print_free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        std::cerr << "fleet_service: socket() failed: " << std::strerror(errno) << "\n";
        return 1;
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        std::cerr << "fleet_service: cannot bind a loopback port: " << std::strerror(errno) << "\n";
        ::close(fd);
        return 1;
    }
    ::close(fd);
    std::cout << ntohs(address.sin_port) << "\n";
    return 0;
}

// A cache capped at `capacity` entries: each put past it evicts the oldest (bounded).
class capped_cache {
public:
    explicit capped_cache(std::size_t capacity) : capacity_(capacity) {}
    void put(std::uint64_t key) {
        if (entries_.size() >= capacity_) {
            entries_.erase(order_.front());
            order_.pop_front();
        }
        if (entries_.emplace(key, std::string(48, 'c')).second) order_.push_back(key);
    }

private:
    std::size_t capacity_;
    leakwatch::tracked_map<std::uint64_t, std::string> entries_{leakwatch::label{"fleet cache"}};
    std::deque<std::uint64_t> order_{};
};

}  // namespace

int main(int argc, char** argv) {
    if (argc == 2 && std::string(argv[1]) == "--free-port") return print_free_port();
    if (argc < 3 || argc > 4 || (std::string(argv[1]) != "growing" && std::string(argv[1]) != "bounded")) {
        std::cerr << "usage: fleet_service growing|bounded PORT_FILE [LIFETIME_SECONDS]\n"
                     "       fleet_service --free-port\n";
        return 2;
    }
    const bool growing = std::string(argv[1]) == "growing";
    const std::string port_file = argv[2];
    const int lifetime_seconds = argc == 4 ? std::atoi(argv[3]) : 120;
    if (lifetime_seconds <= 0) {
        std::cerr << "fleet_service: LIFETIME_SECONDS must be a positive number (got " << argv[3] << ")\n";
        return 2;
    }

    // Stop with the parent; handle SIGTERM and SIGINT on a thread of our own (sigwait), so
    // that stopping the server happens outside a signal handler.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    ::pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);  // inherited by every thread below
    if (::getppid() == 1) return 0;  // the parent died before PR_SET_PDEATHSIG took effect

    // The workload, one batch every 20 ms.
    std::atomic<bool> running{true};
    leakwatch::tracked_map<std::uint64_t, std::string> sessions{leakwatch::label{"fleet sessions"}};
    capped_cache cache(1000);
    for (std::uint64_t key = 0; key < 1000; ++key) cache.put(key);  // full before the first epoch
    std::thread workload([&] {
        std::uint64_t next = 1000;
        while (running.load()) {
            for (int i = 0; i < 50; ++i, ++next) {
                cache.put(next);
                if (growing) sessions[next] = "user-" + std::to_string(next);  // never erased: the leak
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });

    // Ten epochs a second; scrapes serve the latest report and add no epoch of their own.
    leakwatch::latest_report latest;
    leakwatch::periodic_reporter reporter{std::chrono::milliseconds(100), latest.sink()};
    leakwatch::endpoint_options options;
    options.latest = latest;

    httplib::Server server;
    leakwatch::mount_metrics(server, "/metrics", options);
    const int port = server.bind_to_any_port("127.0.0.1");
    if (port <= 0) {
        std::cerr << "fleet_service: cannot bind a port on 127.0.0.1\n";
        running = false;
        workload.join();
        return 1;
    }
    leakwatch::write_file_atomically(port_file, std::to_string(port) + "\n");
    std::cerr << "fleet_service " << argv[1] << ": serving http://127.0.0.1:" << port << "/metrics\n";

    std::atomic<bool> listening_done{false};
    std::thread stopper([&] {
        timespec timeout{lifetime_seconds, 0};
        const int signal = ::sigtimedwait(&stop_signals, nullptr, &timeout);
        std::cerr << "fleet_service " << argv[1] << ": stopping ("
                  << (signal > 0 ? ::strsignal(signal) : "lifetime over") << ")\n";
        // stop() does nothing before the server runs: repeat it until listening has ended.
        while (!listening_done.load()) {
            server.stop();
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    // listen_after_bind returns when stop() is called (or the server fails).
    const bool served = server.listen_after_bind();
    listening_done = true;
    if (!served) ::kill(::getpid(), SIGTERM);  // the server failed on its own: wake the stopper
    stopper.join();
    running = false;
    workload.join();
    return 0;
}
