# SPDX-License-Identifier: Apache-2.0
# Warning flags shared by every certvigil target (CONTRIBUTING.md, "Style"; .clang-tidy).
add_library(certvigil_warnings INTERFACE)
target_compile_options(certvigil_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wold-style-cast -Wformat=2
  -Wnon-virtual-dtor -Wimplicit-fallthrough)
if(CERTVIGIL_WERROR)
  target_compile_options(certvigil_warnings INTERFACE -Werror)
endif()
