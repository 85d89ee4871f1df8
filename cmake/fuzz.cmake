# SPDX-License-Identifier: Apache-2.0
# CERTVIGIL_FUZZ=ON builds the libFuzzer targets in fuzz/ (clang only, in a build dir of its
# own: scripts/fuzz.sh uses build-fuzz). Everything is compiled with coverage instrumentation
# for the fuzzer plus ASan and UBSan; any sanitizer report aborts, which the fuzzer records as
# a crash. The normal build never needs clang.
option(CERTVIGIL_FUZZ "Build the libFuzzer targets in fuzz/ (needs clang)" OFF)
if(CERTVIGIL_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CERTVIGIL_FUZZ needs clang: CC=clang-14 CXX=clang++-14 cmake ...")
  endif()
  if(CERTVIGIL_SANITIZE)
    message(FATAL_ERROR "CERTVIGIL_FUZZ brings its own sanitizers: leave CERTVIGIL_SANITIZE empty")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  # Asio looks for <experimental/coroutine> (libc++) under clang; clang 14 has C++20
  # coroutines with libstdc++'s <coroutine>, which Asio then finds by itself.
  add_compile_definitions(ASIO_HAS_CO_AWAIT=1)
endif()
