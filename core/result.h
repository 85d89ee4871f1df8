// SPDX-License-Identifier: Apache-2.0
// core/result.h: the return type of fallible internals. What happens on the wire or in a file
// is data (an Observation); Result is for our own operations that can fail (open a database,
// load a config, parse a PEM block).
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace certvigil {

/// Broad classes of failure; the message carries the detail a person needs.
enum class ErrorCode { Invalid, NotFound, Io, Parse, Crypto, Database, Config, Unsupported };

/// An error: a class, a one-line message, and optional context (a path, a key, a target).
struct Error {
  ErrorCode code = ErrorCode::Invalid;
  std::string message;
  std::string context;

  /// "context: message", or just the message.
  std::string describe() const { return context.empty() ? message : context + ": " + message; }
};

/// Either a value or an Error. Check ok() before value().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : data_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<Error>(data_); }

 private:
  std::variant<T, Error> data_;
};

/// Result of an operation with no value.
struct Ok {};
using Status = Result<Ok>;

/// Shorthand to build an Error.
inline Error makeError(ErrorCode code, std::string message, std::string context = {}) {
  return Error{code, std::move(message), std::move(context)};
}

}  // namespace certvigil
