// SPDX-License-Identifier: Apache-2.0
#include "tests/support/test_support.h"

#include <unistd.h>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace certvigil::testing {
namespace fs = std::filesystem;

namespace {
fs::path envPath(const char* name, const fs::path& fallback) {
  const char* value = std::getenv(name);
  return value ? fs::path(value) : fallback;
}
}  // namespace

fs::path sourceDir() { return envPath("CERTVIGIL_SOURCE_DIR", fs::current_path()); }
fs::path binaryDir() { return envPath("CERTVIGIL_BINARY_DIR", fs::current_path()); }

const fs::path& pkiDir() {
  static const fs::path dir = [] {
    fs::path d = binaryDir() / "test-pki";
    if (!fs::exists(d / ".complete")) {
      const std::string cmd =
          "bash '" + (sourceDir() / "tests/pki/make_pki.sh").string() + "' '" + d.string() + "'";
      if (std::system(cmd.c_str()) != 0) throw std::runtime_error("make_pki.sh failed");
    }
    return d;
  }();
  return dir;
}

fs::path pki(const std::string& name) {
  fs::path p = pkiDir() / name;
  if (!fs::exists(p)) throw std::runtime_error("test PKI has no " + p.string());
  return p;
}

fs::path keystore(const std::string& name) {
  static const fs::path dir = [] {
    fs::path d = binaryDir() / "test-keystores";
    if (!fs::exists(d / ".complete")) {
      const std::string cmd = "bash '" + (sourceDir() / "tests/pki/make_keystores.sh").string() +
                              "' '" + pkiDir().string() + "' '" + d.string() + "'";
      if (std::system(cmd.c_str()) != 0) throw std::runtime_error("make_keystores.sh failed");
    }
    return d;
  }();
  fs::path p = dir / name;
  if (!fs::exists(p)) throw std::runtime_error("test keystores have no " + p.string());
  return p;
}

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "certvigil-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  // Tests make unreadable entries on purpose: give them back before removing.
  for (auto it = fs::recursive_directory_iterator(path_, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
  }
  fs::remove_all(path_, ec);
}

fs::path writeFile(const fs::path& path, const std::string& bytes) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
  return path;
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace certvigil::testing
