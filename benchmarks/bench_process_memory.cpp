// What reading the process's memory costs: process_memory::read() (/proc/self/status and
// mallinfo2) against read_breakdown() (also one pass over /proc/self/smaps and malloc_info),
// and the raw reads of smaps, smaps_rollup and malloc_info, in a process with N more mappings
// (each one page, alternately read-only and writable so that the kernel cannot merge them)
// or with N MiB more resident memory. The registry reads the breakdown once per snapshot,
// outside its lock. Run: build/<dir>/benchmarks/bench_process_memory (Release build).
#include <leakwatch/process_memory.hpp>

#include <benchmark/benchmark.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

namespace {

// N extra one-page mappings, alive for the scope.
class extra_mappings {
public:
    explicit extra_mappings(std::size_t count) {
        const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
        // One reservation, then every other page made writable: N distinct mappings.
        size_ = count * page;
        if (count == 0) return;
        base_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (base_ == MAP_FAILED) throw std::runtime_error("mmap of " + std::to_string(size_) + " bytes failed");
        for (std::size_t i = 0; i < count; i += 2) {
            char* at = static_cast<char*>(base_) + i * page;
            if (::mprotect(at, page, PROT_READ | PROT_WRITE) != 0)
                throw std::runtime_error("mprotect failed: " + std::string(std::strerror(errno)));
            *at = 1;
        }
    }
    ~extra_mappings() {
        if (base_ != nullptr && base_ != MAP_FAILED) ::munmap(base_, size_);
    }
    extra_mappings(const extra_mappings&) = delete;
    extra_mappings& operator=(const extra_mappings&) = delete;

private:
    void* base_ = nullptr;
    std::size_t size_ = 0;
};

// N MiB of anonymous memory, touched.
class extra_resident {
public:
    explicit extra_resident(std::size_t mib) : size_(mib << 20) {
        base_ = ::mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (base_ == MAP_FAILED) throw std::runtime_error("mmap of " + std::to_string(size_) + " bytes failed");
        std::memset(base_, 1, size_);
    }
    ~extra_resident() { ::munmap(base_, size_); }
    extra_resident(const extra_resident&) = delete;
    extra_resident& operator=(const extra_resident&) = delete;

private:
    std::size_t size_;
    void* base_ = nullptr;
};

std::size_t read_whole(const char* path) {
    std::FILE* file = std::fopen(path, "re");
    if (file == nullptr) throw std::runtime_error(std::string("cannot open ") + path);
    char buffer[65536];
    std::size_t total = 0, got = 0;
    while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) total += got;
    std::fclose(file);
    return total;
}

void report_mappings(benchmark::State& state) {
    const auto now = leakwatch::process_memory::read_breakdown();
    state.counters["mappings"] = static_cast<double>(now.breakdown.mappings);
    state.counters["resident_MiB"] = static_cast<double>(now.resident_bytes) / (1 << 20);
}

void BM_read(benchmark::State& state) {
    extra_mappings extra(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(leakwatch::process_memory::read());
    report_mappings(state);
}

void BM_read_breakdown(benchmark::State& state) {
    extra_mappings extra(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(leakwatch::process_memory::read_breakdown());
    report_mappings(state);
}

void BM_smaps_text(benchmark::State& state) {
    extra_mappings extra(static_cast<std::size_t>(state.range(0)));
    std::size_t bytes = 0;
    for (auto _ : state) benchmark::DoNotOptimize(bytes = read_whole("/proc/self/smaps"));
    state.counters["text_bytes"] = static_cast<double>(bytes);
    report_mappings(state);
}

void BM_smaps_rollup_text(benchmark::State& state) {
    extra_mappings extra(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(read_whole("/proc/self/smaps_rollup"));
    report_mappings(state);
}

void BM_read_breakdown_resident_mib(benchmark::State& state) {
    extra_resident extra(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(leakwatch::process_memory::read_breakdown());
    report_mappings(state);
}

void BM_smaps_rollup_resident_mib(benchmark::State& state) {
    extra_resident extra(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(read_whole("/proc/self/smaps_rollup"));
    report_mappings(state);
}

void BM_malloc_info(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(leakwatch::detail::read_malloc_info());
}

}  // namespace

BENCHMARK(BM_read)->Arg(16)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_read_breakdown)->Arg(16)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_smaps_text)->Arg(16)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_smaps_rollup_text)->Arg(16)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_read_breakdown_resident_mib)->Arg(64)->Arg(4096)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_smaps_rollup_resident_mib)->Arg(64)->Arg(4096)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_malloc_info)->Unit(benchmark::kMicrosecond);
