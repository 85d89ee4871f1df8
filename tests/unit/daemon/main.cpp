// SPDX-License-Identifier: Apache-2.0
// tests/unit/daemon/main.cpp: the doctest runner of daemon_test.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
