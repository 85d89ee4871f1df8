// SPDX-License-Identifier: Apache-2.0
// tests/unit/discovery/main.cpp: the doctest runner of discovery_test.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
