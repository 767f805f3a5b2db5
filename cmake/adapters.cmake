# cmake/adapters.cmake — finds the outside libraries of leakwatch's optional adapters, for
# leakwatch's own tests and examples (users link them as they already do). Included by
# tests/ and examples/; finds each library once per build tree.
#
#   leakwatch_httplib          INTERFACE target when cpp-httplib is found: upstream's CMake
#                              package (httplib::httplib, header-only or compiled), or the
#                              pkg-config file of Debian's libcpp-httplib-dev, whose httplib.h
#                              only declares (the code is in libcpp-httplib, built with OpenSSL,
#                              zlib and brotli support: its -D flags must match the library's).
#   leakwatch_prometheus_cpp   INTERFACE target when prometheus-cpp is found (core and pull).
#
# Their include folders are system folders (imported targets), so the adapters' own code is
# held to leakwatch's warnings and the libraries' headers are not.
include_guard(GLOBAL)

if(NOT TARGET leakwatch_httplib)
    find_package(httplib CONFIG QUIET)
    if(TARGET httplib::httplib)
        add_library(leakwatch_httplib INTERFACE)
        target_link_libraries(leakwatch_httplib INTERFACE httplib::httplib)
        message(STATUS "leakwatch: cpp-httplib found (CMake package ${httplib_VERSION})")
    else()
        find_package(PkgConfig QUIET)
        if(PKG_CONFIG_FOUND)
            pkg_check_modules(LEAKWATCH_CPP_HTTPLIB QUIET IMPORTED_TARGET cpp-httplib)
        endif()
        if(TARGET PkgConfig::LEAKWATCH_CPP_HTTPLIB)
            add_library(leakwatch_httplib INTERFACE)
            target_link_libraries(leakwatch_httplib INTERFACE PkgConfig::LEAKWATCH_CPP_HTTPLIB Threads::Threads)
            message(STATUS "leakwatch: cpp-httplib found (pkg-config cpp-httplib ${LEAKWATCH_CPP_HTTPLIB_VERSION})")
        else()
            message(STATUS "leakwatch: cpp-httplib not found (Debian: libcpp-httplib-dev); "
                           "skipping the live endpoint's tests and example")
        endif()
    endif()
endif()

if(NOT TARGET leakwatch_prometheus_cpp)
    find_package(prometheus-cpp CONFIG QUIET)
    if(TARGET prometheus-cpp::core AND TARGET prometheus-cpp::pull)
        add_library(leakwatch_prometheus_cpp INTERFACE)
        target_link_libraries(leakwatch_prometheus_cpp INTERFACE prometheus-cpp::core prometheus-cpp::pull)
        message(STATUS "leakwatch: prometheus-cpp found (${prometheus-cpp_VERSION})")
    else()
        message(STATUS "leakwatch: prometheus-cpp not found (Debian: prometheus-cpp-dev); "
                       "skipping the prometheus-cpp adapter's tests")
    endif()
endif()
