// exporters/prometheus/buffer_pool.cpp: see the header for why expositions reuse buffers.
#include "exporters/prometheus/buffer_pool.h"

#include <algorithm>

namespace certvigil::exporters {
namespace {

// A returned buffer much larger than what was last rendered is freed instead of kept, so a
// snapshot that shrank (a config change dropped most targets) gives its memory back.
constexpr size_t kSlackBytes = 1 << 20;

}  // namespace

std::shared_ptr<BufferPool> BufferPool::create(size_t max_idle) {
  return std::shared_ptr<BufferPool>(new BufferPool(max_idle));
}

std::shared_ptr<std::string> BufferPool::acquire() {
  std::unique_ptr<std::string> buffer;
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      buffer = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!buffer) buffer = std::make_unique<std::string>();
  return std::shared_ptr<std::string>(
      buffer.release(), [pool = shared_from_this()](std::string* s) { pool->release(s); });
}

size_t BufferPool::idle() const {
  std::lock_guard lock(mutex_);
  return idle_.size();
}

void BufferPool::release(std::string* buffer) {
  std::unique_ptr<std::string> owned(buffer);
  std::lock_guard lock(mutex_);
  const size_t size = owned->size();
  const bool oversized = owned->capacity() > 2 * std::max(size, last_size_) + kSlackBytes;
  if (size > 0) last_size_ = size;
  if (idle_.size() >= max_idle_ || oversized) return;
  owned->clear();
  idle_.push_back(std::move(owned));
}

}  // namespace certvigil::exporters
