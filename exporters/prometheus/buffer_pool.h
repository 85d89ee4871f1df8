// exporters/prometheus/buffer_pool.h: reusable output buffers for expositions.
// With 10^5 certificates an exposition is ~80 MB. glibc serves allocations that large with a
// fresh mmap each time, so rendering into a new std::string faults in every page again on
// every scrape — measured at 250-480 ms for 84 MB on a loaded VM, against ~15 ms to write into
// a buffer whose pages are already mapped. Keeping a couple of buffers (and their capacity) for
// the next scrape costs their memory and saves all of that.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace certvigil::exporters {

/// A pool of strings that keep their capacity. Thread-safe. Buffers handed out may outlive the
/// pool object's owner: each holds the pool alive until it is returned.
class BufferPool : public std::enable_shared_from_this<BufferPool> {
 public:
  /// Create pools with this (buffers refer back to the pool through a shared_ptr).
  static std::shared_ptr<BufferPool> create(size_t max_idle = 2);

  /// An empty string, reusing an idle buffer's capacity when there is one. Dropping the last
  /// reference returns it to the pool.
  std::shared_ptr<std::string> acquire();

  /// Buffers currently idle in the pool.
  size_t idle() const;

 private:
  explicit BufferPool(size_t max_idle) : max_idle_(max_idle) {}
  void release(std::string* buffer);

  const size_t max_idle_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<std::string>> idle_;
  size_t last_size_ = 0;  ///< size of the last returned buffer's content
};

}  // namespace certvigil::exporters
