# SPDX-License-Identifier: Apache-2.0
# Every dependency comes from a Debian 12 package (scripts/install-deps.sh installs them).
find_package(OpenSSL 3.0 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
if(BUILD_TESTING)
  find_package(doctest REQUIRED)  # tests only: BUILD_TESTING=OFF builds without it
endif()
find_package(prometheus-cpp REQUIRED COMPONENTS core)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(IDN2 REQUIRED IMPORTED_TARGET libidn2)

# certvigil_add_test(NAME SOURCES ... LIBS ... [LABEL unit|integration|system|slow [sanitize]]):
# (`sanitize`: also built and run under ASan + UBSan by scripts/test.sh, like `unit`.)
# one doctest executable per module; every test needs the generated test PKI.
function(certvigil_add_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;LABEL" ${ARGN})
  if(NOT T_LABEL)
    set(T_LABEL unit)
  endif()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} doctest::doctest certvigil_test_support
                                        certvigil_warnings)
  # core's toString() overloads return string_view, which doctest cannot stringify directly.
  target_compile_definitions(${name} PRIVATE DOCTEST_CONFIG_DOUBLE_STRINGIFY)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "${T_LABEL}" FIXTURES_REQUIRED pki
    ENVIRONMENT "CERTVIGIL_SOURCE_DIR=${PROJECT_SOURCE_DIR};CERTVIGIL_BINARY_DIR=${PROJECT_BINARY_DIR}")
endfunction()
