// SPDX-License-Identifier: Apache-2.0
// tests/unit/revocation/main.cpp: the doctest runner of ari_test.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
