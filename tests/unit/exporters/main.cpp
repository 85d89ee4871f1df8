// SPDX-License-Identifier: Apache-2.0
// tests/unit/exporters/main.cpp: doctest's main for exporters_test.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
