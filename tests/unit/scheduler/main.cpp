// SPDX-License-Identifier: Apache-2.0
// tests/unit/scheduler/main.cpp: the doctest runner of scheduler_test.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
