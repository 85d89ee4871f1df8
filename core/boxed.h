// SPDX-License-Identifier: Apache-2.0
// core/boxed.h: a value kept on the heap only once something is set in it.
#pragma once

#include <memory>

namespace certvigil {

/// A T with value semantics (copies copy it, == compares it) that takes one pointer until it
/// is edited; reading an unedited box gives a default T. For the rarely used parts of a struct
/// held by the thousand: `ScanUnit`'s file inputs, which endpoint units never have.
template <typename T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(const Boxed& other) : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& other) {
    if (this != &other) value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  ~Boxed() = default;

  const T& get() const { return value_ ? *value_ : empty(); }
  const T* operator->() const { return &get(); }
  /// The value to change, created (default) on first use.
  T& edit() {
    if (!value_) value_ = std::make_unique<T>();
    return *value_;
  }

  friend bool operator==(const Boxed& a, const Boxed& b) { return a.get() == b.get(); }

 private:
  static const T& empty() {
    static const T kEmpty{};
    return kEmpty;
  }
  std::unique_ptr<T> value_;
};

}  // namespace certvigil
