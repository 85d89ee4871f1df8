// SPDX-License-Identifier: Apache-2.0
// tests/unit/core/main.cpp: the doctest runner of core_test.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
