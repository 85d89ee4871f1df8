// SPDX-License-Identifier: Apache-2.0
// reader.h file access: the size cap, non-regular files, errno text, password files.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "tests/support/test_support.h"
#include "x509/reader.h"

namespace certvigil::x509 {
namespace {
namespace fs = std::filesystem;
using testing::TempDir;
using testing::writeFile;

TEST_CASE("readFileCapped reads a regular file whole") {
  TempDir dir;
  const fs::path path = writeFile(dir / "a.pem", "hello\n");
  Result<std::string> bytes = readFileCapped(path);
  REQUIRE(bytes.ok());
  CHECK(*bytes == "hello\n");
  SUBCASE("exactly at the cap") {
    Result<std::string> capped = readFileCapped(path, 6);
    REQUIRE(capped.ok());
    CHECK(capped->size() == 6);
  }
}

TEST_CASE("a 5 MB file is over the default cap") {
  TempDir dir;
  const fs::path path = writeFile(dir / "big.pem", std::string(5 * 1024 * 1024, 'A'));
  Result<std::string> bytes = readFileCapped(path);
  REQUIRE_FALSE(bytes.ok());
  CHECK(bytes.error().message == "file too large (5242880 bytes, limit 4194304)");
  CHECK(bytes.error().context == path.string());
  Result<std::string> small = readFileCapped(writeFile(dir / "s", "1234567"), 6);
  REQUIRE_FALSE(small.ok());
  CHECK(small.error().message == "file too large (7 bytes, limit 6)");
}

TEST_CASE("non-regular files are refused without blocking") {
  TempDir dir;
  SUBCASE("directory") {
    Result<std::string> bytes = readFileCapped(dir.path());
    REQUIRE_FALSE(bytes.ok());
    CHECK(bytes.error().message == "not a regular file (a directory)");
  }
  SUBCASE("FIFO with no writer") {
    const fs::path fifo = dir / "fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    Result<std::string> bytes = readFileCapped(fifo);
    REQUIRE_FALSE(bytes.ok());
    CHECK(bytes.error().message == "not a regular file (a FIFO)");
  }
  SUBCASE("character device") {
    Result<std::string> bytes = readFileCapped("/dev/zero");
    REQUIRE_FALSE(bytes.ok());
    CHECK(bytes.error().message == "not a regular file (a device)");
  }
}

TEST_CASE("symlinks are followed; loops and missing files are errors with errno text") {
  TempDir dir;
  writeFile(dir / "real.pem", "x");
  fs::create_symlink(dir / "real.pem", dir / "link.pem");
  Result<std::string> linked = readFileCapped(dir / "link.pem");
  REQUIRE(linked.ok());
  CHECK(*linked == "x");

  fs::create_symlink(dir / "loop-a", dir / "loop-b");
  fs::create_symlink(dir / "loop-b", dir / "loop-a");
  Result<std::string> loop = readFileCapped(dir / "loop-a");
  REQUIRE_FALSE(loop.ok());
  CHECK(loop.error().message == "too many levels of symbolic links");

  Result<std::string> missing = readFileCapped(dir / "nope.pem");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::NotFound);
  CHECK(missing.error().message == "no such file or directory");
}

TEST_CASE("an unreadable file says permission denied") {
  if (::geteuid() == 0) {
    MESSAGE("skipped: running as root, chmod 000 does not stop root from reading");
    return;
  }
  TempDir dir;
  const fs::path path = writeFile(dir / "secret.pem", "x");
  fs::permissions(path, fs::perms::none);
  Result<std::string> bytes = readFileCapped(path);
  REQUIRE_FALSE(bytes.ok());
  CHECK(bytes.error().code == ErrorCode::Io);
  CHECK(bytes.error().message == "permission denied");
}

TEST_CASE("readPasswordFile takes the first line without its ending") {
  TempDir dir;
  CHECK(*readPasswordFile(writeFile(dir / "a", "s3cret\r\nsecond\n")) == "s3cret");
  CHECK(*readPasswordFile(writeFile(dir / "b", "no-newline")) == "no-newline");
  CHECK(*readPasswordFile(writeFile(dir / "c", "")) == "");
  CHECK(*readPasswordFile(testing::pki("leaf-client.p12.pass")) == "certvigil-test");
  CHECK_FALSE(readPasswordFile(dir / "missing").ok());
}

}  // namespace
}  // namespace certvigil::x509
