# SPDX-License-Identifier: Apache-2.0
# CERTVIGIL_SANITIZE=address,undefined builds everything with those sanitizers; any report aborts.
if(CERTVIGIL_SANITIZE)
  add_compile_options(-fsanitize=${CERTVIGIL_SANITIZE} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${CERTVIGIL_SANITIZE})
endif()
