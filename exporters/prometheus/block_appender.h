// exporters/prometheus/block_appender.h: appends to a std::string through a 64 KB staging block.
// A series line is ~10 small pieces; appending them to a 100 MB string one by one costs a
// capacity check, a length update and a terminator each. Staging them in a block that stays in
// the CPU cache and appending whole blocks halves the cost of writing 10^5 certificates.
#pragma once

#include <array>
#include <cstring>
#include <string>
#include <string_view>

#include "exporters/prometheus/text_format.h"

namespace certvigil::exporters {

/// Collects pieces and appends them to `out` in blocks. Everything is in `out` once flush() or
/// the destructor ran.
class BlockAppender {
 public:
  explicit BlockAppender(std::string& out) : out_(out) {}
  ~BlockAppender() { flush(); }
  BlockAppender(const BlockAppender&) = delete;
  BlockAppender& operator=(const BlockAppender&) = delete;

  void put(std::string_view text) {
    if (text.size() > kBlock - used_) {
      flush();
      if (text.size() > kBlock) {
        out_.append(text);
        return;
      }
    }
    std::memcpy(block_.data() + used_, text.data(), text.size());
    used_ += text.size();
  }

  void put(char c) {
    if (used_ == kBlock) flush();
    block_[used_++] = c;
  }

  template <typename Value>
  void putValue(Value value) {
    if (kBlock - used_ < kMaxValueChars) flush();
    char* start = block_.data() + used_;
    used_ += static_cast<size_t>(formatValue(start, value) - start);
  }

  void flush() {
    out_.append(block_.data(), used_);
    used_ = 0;
  }

 private:
  static constexpr size_t kBlock = 64 * 1024;

  std::string& out_;
  std::array<char, kBlock> block_;
  size_t used_ = 0;
};

}  // namespace certvigil::exporters
