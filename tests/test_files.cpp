// write_file_atomically() and the periodic reporter's file sinks: whole content or nothing,
// no temporary file left behind, errors that name the path and the step, readers that never
// see a partial file, every format written every interval.
#include <leakwatch/leakwatch.hpp>

#include <catch2/catch.hpp>

#include "eventually.hpp"

#include "external_tools.hpp"
#include "json_check.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <sys/stat.h>

namespace {

std::vector<std::string> listing(const std::string& folder) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

TEST_CASE("write_file_atomically writes, replaces, and leaves no temporary file", "[files]") {
    tools::temp_dir dir("files");
    const std::string target = dir / "report.txt";
    leakwatch::write_file_atomically(target, "first");
    CHECK(tools::read_file(target) == "first");
    const std::string binary("\0\x01\xff profile \0", 12);
    leakwatch::write_file_atomically(target, binary);
    CHECK(tools::read_file(target) == binary);
    leakwatch::write_file_atomically(target, "");
    CHECK(tools::read_file(target).empty());
    CHECK(listing(dir.path()) == std::vector<std::string>{"report.txt"});

    // Permissions as for any file the process creates (0666 less the umask), so that another
    // user's reader (node_exporter) can read it.
    const mode_t mask = ::umask(022);
    leakwatch::write_file_atomically(dir / "readable.prom", "x 1\n");
    ::umask(mask);
    struct stat info {};
    REQUIRE(::stat((dir / "readable.prom").c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0644);

    // A relative path (no folder part) works too.
    const auto previous = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    leakwatch::write_file_atomically("relative.json", "{}");
    std::filesystem::current_path(previous);
    CHECK(tools::read_file(dir / "relative.json") == "{}");
}

TEST_CASE("write_file_atomically throws std::system_error naming the path and the step", "[files]") {
    tools::temp_dir dir("files-errors");
    // The folder does not exist: creating the temporary file fails.
    const std::string missing = dir / "no such folder/report.prom";
    try {
        leakwatch::write_file_atomically(missing, "content");
        FAIL("no exception");
    } catch (const std::system_error& error) {
        const std::string what = error.what();
        CHECK_THAT(what, Catch::Contains(missing) && Catch::Contains("creating the temporary file"));
        CHECK(error.code() == std::errc::no_such_file_or_directory);
    }
    // The target is a folder with something in it: the rename fails, the temporary file is
    // removed, the folder is untouched.
    const std::string occupied = dir / "occupied";
    REQUIRE(::mkdir(occupied.c_str(), 0755) == 0);
    tools::write_file(occupied + "/inside", "keep");
    const auto before = listing(dir.path());
    try {
        leakwatch::write_file_atomically(occupied, "content");
        FAIL("no exception");
    } catch (const std::system_error& error) {
        const std::string what = error.what();
        CHECK_THAT(what, Catch::Contains(occupied) && Catch::Contains("renaming over the target"));
        CHECK_THAT(what, Catch::Contains("removed"));
    }
    CHECK(listing(dir.path()) == before);
    CHECK(tools::read_file(occupied + "/inside") == "keep");
    CHECK_THROWS_AS(leakwatch::write_file_atomically("", "x"), std::system_error);
    CHECK_THROWS_AS(leakwatch::write_file_atomically(dir / "folder/", "x"), std::system_error);
}

TEST_CASE("a reader never sees a partly written file", "[files]") {
    tools::temp_dir dir("files-readers");
    const std::string target = dir / "big.json";
    const std::string a(256 << 10, 'a'), b(128 << 10, 'b');
    leakwatch::write_file_atomically(target, a);
    std::atomic<bool> stop{false};
    std::atomic<int> reads{0}, torn{0};
    std::thread reader([&] {
        while (!stop.load()) {
            const std::string seen = tools::read_file(target);
            if (seen != a && seen != b) ++torn;
            ++reads;
        }
    });
    for (int i = 0; i < 20; ++i) leakwatch::write_file_atomically(target, i % 2 == 0 ? b : a);
    CHECK(eventually([&] { return reads.load() >= 20; }));
    stop = true;
    reader.join();
    CHECK(torn.load() == 0);
    CHECK(listing(dir.path()) == std::vector<std::string>{"big.json"});
}

TEST_CASE("file sinks write every format atomically every interval", "[files][reporter]") {
    tools::temp_dir dir("files-sinks");
    leakwatch::tracked_map<int, int> watched{leakwatch::label{"file sink map"}};
    for (int i = 0; i < 10; ++i) watched[i] = i;
    const std::vector<leakwatch::report_file> files{
        {dir / "report.txt", leakwatch::report_format::text},
        {dir / "report.json", leakwatch::report_format::json},
        {dir / "leakwatch.prom", leakwatch::report_format::prometheus},
        {dir / "leakwatch.pb", leakwatch::report_format::pprof},
        {dir / "report.html", leakwatch::report_format::html}};
    {
        leakwatch::periodic_reporter reporter{std::chrono::milliseconds(5), leakwatch::file_sink(files)};
        CHECK(eventually([&] { return reporter.reports() >= 3; }));
    }
    CHECK(listing(dir.path()) ==
          std::vector<std::string>{"leakwatch.pb", "leakwatch.prom", "report.html", "report.json", "report.txt"});
    CHECK_THAT(tools::read_file(dir / "report.txt"), Catch::Contains("file sink map"));
    const auto json = json_check::parse(tools::read_file(dir / "report.json"));
    CHECK(json["schema"].text == "leakwatch.report");
    CHECK_THAT(tools::read_file(dir / "leakwatch.prom"), Catch::StartsWith("# HELP leakwatch_"));
    CHECK_THAT(tools::read_file(dir / "leakwatch.prom"), Catch::Contains("label=\"file sink map\""));
    CHECK_FALSE(tools::read_file(dir / "leakwatch.pb").empty());
    CHECK_THAT(tools::read_file(dir / "report.html"), Catch::StartsWith("<!DOCTYPE html>"));

    CHECK(std::string(leakwatch::file_extension(leakwatch::report_format::prometheus)) == ".prom");
    CHECK(leakwatch::render(leakwatch::growth_report(), leakwatch::report_format::json).rfind("{\"schema\"", 0) == 0);
}

TEST_CASE("a failing file does not stop a sink's other files, and the error is raised", "[files][reporter]") {
    tools::temp_dir dir("files-failing");
    const auto sink = leakwatch::file_sink({{dir / "missing/a.prom", leakwatch::report_format::prometheus},
                                            {dir / "b.txt", leakwatch::report_format::text}});
    CHECK_THROWS_WITH(sink(leakwatch::growth_report()), Catch::Contains("missing/a.prom"));
    CHECK(tools::read_file(dir / "b.txt").rfind("leakwatch:", 0) == 0);
    CHECK_THROWS_AS(leakwatch::file_sink(std::vector<leakwatch::report_file>{}), std::invalid_argument);
    CHECK_THROWS_AS(leakwatch::file_sink("", leakwatch::report_format::text), std::invalid_argument);
}
