// leakwatch/leakwatch.hpp — the whole core of leakwatch in one include.
//
// Tracked containers (drop-in twins of the std containers), the tracking allocator and
// memory resource, the registry with its snapshots and growth reports, the detector, and
// the report exports. The test-framework adapters live in leakwatch/catch2.hpp and
// leakwatch/gtest.hpp, the live endpoint in leakwatch/httplib.hpp and the prometheus-cpp
// collectable in leakwatch/prometheus_cpp.hpp; none is ever included from here. Below C++17 (with LEAKWATCH_DISABLE
// only) a compiled-out subset: see leakwatch/detail/pre_cxx17.hpp.
#pragma once

#include <leakwatch/config.hpp>
#include <leakwatch/source_site.hpp>
#include <leakwatch/label.hpp>
#if LEAKWATCH_CPP17
#include <leakwatch/stats.hpp>
#include <leakwatch/verdict.hpp>
#endif
#include <leakwatch/allocator.hpp>
#include <leakwatch/containers/unordered.hpp>
#include <leakwatch/containers/ordered.hpp>
#include <leakwatch/containers/sequence.hpp>
#if LEAKWATCH_CPP17
#include <leakwatch/detector.hpp>
#include <leakwatch/report.hpp>
#include <leakwatch/analysis.hpp>
#include <leakwatch/registry.hpp>
#include <leakwatch/check.hpp>
#include <leakwatch/reporter.hpp>
#include <leakwatch/latest_report.hpp>
#include <leakwatch/process_memory.hpp>
#include <leakwatch/export/prometheus.hpp>
#include <leakwatch/export/pprof.hpp>
#include <leakwatch/export/html.hpp>
#include <leakwatch/export/files.hpp>
#else
#include <leakwatch/detail/pre_cxx17.hpp>
#endif
