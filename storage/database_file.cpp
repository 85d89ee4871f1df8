// SPDX-License-Identifier: Apache-2.0
#include "storage/database_file.h"

#include <array>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

namespace certvigil::storage {
namespace {

// The SQLite file header (https://www.sqlite.org/fileformat.html#the_database_header).
constexpr size_t kHeaderSize = 100;
constexpr std::string_view kMagic{"SQLite format 3\0", 16};
constexpr size_t kPageSizeOffset = 16;       // 2 bytes; 1 means 65536
constexpr size_t kChangeCounterOffset = 24;  // 4 bytes
constexpr size_t kPageCountOffset = 28;      // 4 bytes, valid when the next two agree
constexpr size_t kUserVersionOffset = 60;    // 4 bytes: certvigil's schema version
constexpr size_t kApplicationIdOffset = 68;  // 4 bytes
constexpr size_t kValidForOffset = 92;       // 4 bytes

using Header = std::array<unsigned char, kHeaderSize>;

uint64_t bigEndian(const Header& header, size_t offset, size_t bytes) {
  uint64_t value = 0;
  for (size_t i = 0; i < bytes; ++i) value = (value << 8) | header[offset + i];
  return value;
}

Error damaged(const std::filesystem::path& path, const std::string& what) {
  return makeError(ErrorCode::Database, what + ": " + kDamagedRemedy, path.string());
}

// The size the header promises, or 0 when the header does not say (older writers).
uint64_t promisedSize(const Header& header) {
  uint64_t page_size = bigEndian(header, kPageSizeOffset, 2);
  if (page_size == 1) page_size = 65536;
  const uint64_t pages = bigEndian(header, kPageCountOffset, 4);
  const bool valid =
      bigEndian(header, kChangeCounterOffset, 4) == bigEndian(header, kValidForOffset, 4);
  return valid ? page_size * pages : 0;
}

// A write-ahead log or a hot rollback journal: SQLite completes or undoes the interrupted
// write from it, so the file may be short for now.
// Another application's database: its own application_id, or pages beyond the first (tables)
// but neither an application_id nor a schema version, which certvigil's first migration sets
// in the same transaction as its tables.
bool foreign(const Header& header) {
  const uint64_t application = bigEndian(header, kApplicationIdOffset, 4);
  if (application != 0) return application != static_cast<uint64_t>(kApplicationId);
  const bool valid =
      bigEndian(header, kChangeCounterOffset, 4) == bigEndian(header, kValidForOffset, 4);
  return valid && bigEndian(header, kPageCountOffset, 4) > 1 &&
         bigEndian(header, kUserVersionOffset, 4) == 0;
}

bool hasRecoveryFile(const std::filesystem::path& path) {
  for (const char* suffix : {"-wal", "-journal"}) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path.string() + suffix, ec);
    if (!ec && size > 0) return true;
  }
  return false;
}

}  // namespace

Status inspectDatabaseFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Ok{};
  const uint64_t size = std::filesystem::file_size(path, ec);
  if (ec)
    return makeError(ErrorCode::Io, "cannot read the database file: " + ec.message(),
                     path.string());
  // An empty file holds nothing to lose: SQLite makes it a new database (a first start that
  // died before its first write leaves one behind; refusing it would block every restart).
  if (size == 0) return Ok{};
  Header header{};
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char*>(header.data()), kHeaderSize);
  if (!in && !in.eof()) {
    return makeError(ErrorCode::Io, "cannot read the database file", path.string());
  }
  const std::string_view magic(reinterpret_cast<const char*>(header.data()), kMagic.size());
  if (magic != kMagic) {
    return damaged(path, "not a database (no SQLite header: damaged, or another program's file)");
  }
  if (hasRecoveryFile(path)) return Ok{};
  const uint64_t promised = size < kHeaderSize ? kHeaderSize : promisedSize(header);
  if (size < promised) {
    return damaged(path, "database file is truncated (" + std::to_string(size) + " of " +
                             std::to_string(promised) + " bytes)");
  }
  if (foreign(header)) return makeError(ErrorCode::Database, kForeignDatabase, path.string());
  return Ok{};
}

}  // namespace certvigil::storage
