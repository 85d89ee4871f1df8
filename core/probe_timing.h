// SPDX-License-Identifier: Apache-2.0
// core/probe_timing.h: when an observation was collected and how long that took, the one part
// of a published result that may still change.
#pragma once

#include <atomic>

namespace certvigil {

/// When or how long: not what was seen. An endpoint probed again that answers exactly as before
/// keeps its published result (scheduler/endpoint_scanner.cpp), and only the time of its latest
/// probe is refreshed in it, while exporters on other threads may be reading it: a relaxed
/// atomic, so that a reader sees either the old or the new value, never a torn one.
///
/// Two observations that differ only in their timing are the same observation: every
/// ProbeTiming compares equal to every other.
template <typename T>
class ProbeTiming {
 public:
  ProbeTiming() = default;
  ProbeTiming(T value) : value_(value) {}  // NOLINT(google-explicit-constructor): as a T
  ProbeTiming(const ProbeTiming& other) : value_(other.get()) {}
  ProbeTiming& operator=(const ProbeTiming& other) {
    if (this != &other) refresh(other.get());
    return *this;
  }
  ProbeTiming& operator=(T value) {
    refresh(value);
    return *this;
  }
  ~ProbeTiming() = default;

  T get() const { return value_.load(std::memory_order_relaxed); }
  operator T() const { return get(); }  // NOLINT(google-explicit-constructor): reads as a T
  /// Sets the value of a result already published (const: the rest of it is immutable).
  void refresh(T value) const { value_.store(value, std::memory_order_relaxed); }

  friend bool operator==(const ProbeTiming&, const ProbeTiming&) { return true; }

 private:
  mutable std::atomic<T> value_{};
};

}  // namespace certvigil
