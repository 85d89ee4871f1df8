// SPDX-License-Identifier: Apache-2.0
// core/boxed.h: values kept on the heap only once something is set in them (Boxed), or shared
// between copies until one edits (Shared).
#pragma once

#include <memory>
#include <utility>

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

/// A T with value semantics whose copies share one immutable value until one of them edits it
/// (copy on write); reading one never set gives a default T. For a part that most holders have
/// alike, shared among them instead of repeated: the mTLS facts of endpoints that ask for no
/// client certificate, the words of a chain verdict copied into every target of that chain.
template <typename T>
class Shared {
 public:
  Shared() = default;
  Shared(T value)  // NOLINT(google-explicit-constructor): as a T
      : value_(std::make_shared<T>(std::move(value))) {}

  const T& get() const { return value_ ? *value_ : empty(); }
  const T* operator->() const { return &get(); }
  const T& operator*() const { return get(); }
  operator const T&() const { return get(); }  // NOLINT(google-explicit-constructor): reads as a T
  /// The value to change: a copy of its own first when it is shared.
  T& edit() {
    if (!value_ || value_.use_count() > 1) {
      auto own = std::make_shared<T>(get());
      T& ref = *own;
      value_ = std::move(own);
      return ref;
    }
    // Ours alone, and made as a (non-const) T by this class: changing it is sound.
    return const_cast<T&>(*value_);  // NOLINT(cppcoreguidelines-pro-type-const-cast)
  }

  friend bool operator==(const Shared& a, const Shared& b) {
    return a.value_ == b.value_ || a.get() == b.get();
  }

 private:
  static const T& empty() {
    static const T kEmpty{};
    return kEmpty;
  }
  std::shared_ptr<const T> value_;  ///< always made as a T (make_shared<T>), never as a const T
};

}  // namespace certvigil
