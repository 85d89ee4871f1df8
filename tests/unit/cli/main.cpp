// SPDX-License-Identifier: Apache-2.0
// tests/unit/cli/main.cpp: the doctest runner of cli_test.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
