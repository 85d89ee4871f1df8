// SPDX-License-Identifier: Apache-2.0
// tests/support/test_support.h: what every test needs — the generated test PKI, a fresh
// temporary directory, and small file helpers.
#pragma once

#include <filesystem>
#include <string>

namespace certvigil::testing {

/// The directory tests/pki/make_pki.sh filled for this ctest run ($CERTVIGIL_BINARY_DIR/test-pki).
/// Generates it on first use when the test runs outside ctest.
const std::filesystem::path& pkiDir();
/// pkiDir() / name; fails the test (throws) if the file is missing.
std::filesystem::path pki(const std::string& name);
/// A Java keystore made by tests/pki/make_keystores.sh ($CERTVIGIL_BINARY_DIR/test-keystores,
/// the `keystores` fixture; generated on first use outside ctest); fails if missing.
std::filesystem::path keystore(const std::string& name);

/// The source tree ($CERTVIGIL_SOURCE_DIR) and build tree ($CERTVIGIL_BINARY_DIR).
std::filesystem::path sourceDir();
std::filesystem::path binaryDir();

/// A directory removed with everything in it when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// Writes bytes to a file (creating parent directories); returns the path.
std::filesystem::path writeFile(const std::filesystem::path& path, const std::string& bytes);
/// Reads a whole file.
std::string readFile(const std::filesystem::path& path);

}  // namespace certvigil::testing
