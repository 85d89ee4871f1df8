// SPDX-License-Identifier: Apache-2.0
// exporters/prometheus/block_appender.h: appends to a std::string through a 64 KB staging block.
// A series line is a handful of short pieces (a name, cached labels, a number). Appending them to
// a 100 MB std::string one by one costs a capacity check, a length update and a library memcpy
// call each; staging them in a block that stays in the CPU cache, with short copies inlined,
// and appending whole blocks writes the output in a single pass.
#pragma once

#include <array>
#include <cstdint>
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
    copy(block_.data() + used_, text.data(), text.size());
    used_ += text.size();
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

  /// Bytes in `out` once flushed: what is there plus what is staged.
  size_t size() const { return out_.size() + used_; }

 private:
  static constexpr size_t kBlock = size_t{64} * 1024;

  // memcpy for the short pieces that make up lines: fixed-size copies the compiler inlines
  // (two overlapping ones cover any length in a range), the library call only past 64 bytes.
  static void copy(char* to, const char* from, size_t n) {
    if (n >= 16 && n <= 32) {
      copyPair<16>(to, from, n);
    } else if (n > 32 && n <= 64) {
      copyPair<32>(to, from, n);
    } else if (n >= 8 && n < 16) {
      copyPair<8>(to, from, n);
    } else if (n < 8) {
      for (size_t i = 0; i < n; ++i) to[i] = from[i];
    } else {
      std::memcpy(to, from, n);
    }
  }

  // Copies n bytes, Width <= n <= 2 * Width, as two possibly overlapping Width-byte copies.
  template <size_t Width>
  static void copyPair(char* to, const char* from, size_t n) {
    char head[Width];
    char tail[Width];
    std::memcpy(head, from, Width);
    std::memcpy(tail, from + n - Width, Width);
    std::memcpy(to, head, Width);
    std::memcpy(to + n - Width, tail, Width);
  }

  std::string& out_;
  std::array<char, kBlock> block_;
  size_t used_ = 0;
};

}  // namespace certvigil::exporters
