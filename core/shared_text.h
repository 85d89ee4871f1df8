// SPDX-License-Identifier: Apache-2.0
// core/shared_text.h: an immutable string that copies share instead of duplicating.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace certvigil {

/// Immutable text shared by its copies. Every result of a unit carries the unit's name: at
/// 100,000 files of one pattern that was 100,000 heap copies of the same path (~5 MB with the
/// string objects); copies of one SharedText are one allocation. Reads as a const std::string.
class SharedText {
 public:
  SharedText() = default;
  SharedText(std::string text)  // NOLINT(google-explicit-constructor): stands in for a string
      : text_(text.empty() ? nullptr : std::make_shared<const std::string>(std::move(text))) {}
  // NOLINTNEXTLINE(google-explicit-constructor): as a string literal converts to a string
  SharedText(const char* text) : SharedText(std::string(text)) {}

  const std::string& str() const { return text_ ? *text_ : empty_text(); }
  operator const std::string&() const { return str(); }  // NOLINT(google-explicit-constructor)
  operator std::string_view() const { return str(); }    // NOLINT(google-explicit-constructor)
  bool empty() const { return str().empty(); }
  std::size_t size() const { return str().size(); }
  const char* c_str() const { return str().c_str(); }

  friend bool operator==(const SharedText& a, const SharedText& b) {
    return a.text_ == b.text_ || a.str() == b.str();
  }
  friend bool operator==(const SharedText& a, const std::string& b) { return a.str() == b; }
  friend bool operator==(const SharedText& a, std::string_view b) { return a.str() == b; }
  friend bool operator==(const SharedText& a, const char* b) { return a.str() == b; }
  friend auto operator<=>(const SharedText& a, const SharedText& b) { return a.str() <=> b.str(); }
  friend std::ostream& operator<<(std::ostream& out, const SharedText& text) {
    return out << text.str();
  }

 private:
  static const std::string& empty_text() {
    static const std::string kEmpty;
    return kEmpty;
  }
  std::shared_ptr<const std::string> text_;  ///< null when empty
};

/// The few distinct texts that many values repeat (a protocol version, a cipher's name), each
/// kept once so that equal values share it. Holds at most kCapacity texts; beyond them a text is
/// handed out unshared. Not thread-safe: one pool per owner.
class TextPool {
 public:
  SharedText intern(std::string_view text) {
    if (text.empty()) return {};
    for (const SharedText& kept : texts_) {
      if (kept == text) return kept;
    }
    SharedText fresh{std::string(text)};
    if (texts_.size() < kCapacity) texts_.push_back(fresh);
    return fresh;
  }

 private:
  static constexpr std::size_t kCapacity = 32;
  std::vector<SharedText> texts_;
};

}  // namespace certvigil
