# SPDX-License-Identifier: Apache-2.0
# Hardening flags Debian's dpkg-buildflags adds to packages (and lintian's hardening-no-bindnow /
# hardening-no-fortify-functions check for): glibc's fortified functions and full RELRO with
# immediate binding. PIE is already Debian's compiler default. _FORTIFY_SOURCE needs
# optimisation (glibc warns without it, which -Werror turns into an error), so it is added to the
# optimised configurations only, and not under sanitizers or the fuzz build, whose
# instrumentation it would shadow.
option(CERTVIGIL_HARDENING "Build with _FORTIFY_SOURCE=2 and -z relro -z now" ON)
if(CERTVIGIL_HARDENING AND NOT CERTVIGIL_SANITIZE AND NOT CERTVIGIL_FUZZ)
  add_compile_options(
    "$<$<CONFIG:Release,RelWithDebInfo,MinSizeRel>:-U_FORTIFY_SOURCE;-D_FORTIFY_SOURCE=2>")
  add_link_options(-Wl,-z,relro -Wl,-z,now)
endif()
