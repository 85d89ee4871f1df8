// SPDX-License-Identifier: Apache-2.0
// probers/file_expander: glob matching as a pure function, and expansion of files, directories
// and globs on temporary trees — including the hostile ones (symlink loops, dangling links,
// more files than allowed) that must end as problems, never as hangs.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "probers/file_expander.h"
#include "tests/support/test_support.h"

namespace certvigil::probers {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::writeFile;

// The files of an expansion relative to `base`, in the order expandPattern returned them.
std::vector<std::string> relative(const Expansion& e, const fs::path& base) {
  std::vector<std::string> out;
  for (const auto& f : e.files)
    out.push_back(fs::path(f).lexically_relative(base).generic_string());
  return out;
}

std::string describe(const Expansion& e) {
  std::string s;
  for (const auto& p : e.problems) s += p.path.string() + ": " + p.detail + "\n";
  return s;
}

// a.pem, b.crt, e.PEM, notes.txt, key.key, sub/c.der, sub/deep/d.p12, sub/deep/x.pem
void makeTree(const fs::path& root) {
  writeFile(root / "a.pem", "a");
  writeFile(root / "b.crt", "b");
  writeFile(root / "e.PEM", "e");
  writeFile(root / "notes.txt", "n");
  writeFile(root / "key.key", "k");
  writeFile(root / "sub/c.der", "c");
  writeFile(root / "sub/deep/d.p12", "d");
  writeFile(root / "sub/deep/x.pem", "x");
}

}  // namespace

TEST_CASE("matchPath: *, ? and [...] match within one component") {
  CHECK(matchPath("*.pem", "a.pem"));
  CHECK(matchPath("*.pem", ".pem") == false);  // leading dot needs an explicit dot
  CHECK_FALSE(matchPath("*.pem", "a.crt"));
  CHECK_FALSE(matchPath("*.pem", "d/a.pem"));  // * never crosses '/'
  CHECK(matchPath("?.pem", "a.pem"));
  CHECK_FALSE(matchPath("?.pem", "ab.pem"));
  CHECK_FALSE(matchPath("?.pem", ".pem"));
  CHECK(matchPath("[ab].pem", "b.pem"));
  CHECK_FALSE(matchPath("[ab].pem", "c.pem"));
  CHECK(matchPath("[!ab].pem", "c.pem"));
  CHECK_FALSE(matchPath("[!ab].pem", "a.pem"));
  CHECK(matchPath("d/*/x.pem", "d/e/x.pem"));
  CHECK_FALSE(matchPath("d/*/x.pem", "d/x.pem"));
  CHECK_FALSE(matchPath("d/*/x.pem", "d/e/f/x.pem"));
  CHECK(matchPath("exact.pem", "exact.pem"));
  CHECK_FALSE(matchPath("exact.pem", "exact.pem.bak"));
}

TEST_CASE("matchPath: ** spans any number of directories, including none") {
  CHECK(matchPath("**/*.pem", "a.pem"));
  CHECK(matchPath("**/*.pem", "a/b.pem"));
  CHECK(matchPath("**/*.pem", "a/b/c/d.pem"));
  CHECK_FALSE(matchPath("**/*.pem", "a/b/c/d.crt"));
  CHECK(matchPath("a/**/c.pem", "a/c.pem"));
  CHECK(matchPath("a/**/c.pem", "a/x/y/c.pem"));
  CHECK_FALSE(matchPath("a/**/c.pem", "b/x/c.pem"));
  CHECK(matchPath("a/**/b/**/c.pem", "a/1/b/2/3/c.pem"));
  CHECK_FALSE(matchPath("a/**/b/**/c.pem", "a/1/2/3/c.pem"));
}

TEST_CASE("matchPath: dotfiles and dot-directories need an explicit dot, also under **") {
  CHECK_FALSE(matchPath("*.pem", ".hidden.pem"));
  CHECK(matchPath(".*.pem", ".hidden.pem"));
  CHECK_FALSE(matchPath("*/x.pem", ".git/x.pem"));
  // ** behaves like * here (bash globstar, Python glob): Kubernetes secret volumes hold the same
  // files again under ..data/ and ..2024_01_01_00_00_00.123/, which must not become targets.
  CHECK_FALSE(matchPath("**/x.pem", ".git/x.pem"));
  CHECK_FALSE(matchPath("**/x.pem", "a/..data/x.pem"));
  CHECK(matchPath(".git/**/x.pem", ".git/x.pem"));
  CHECK(matchPath("**/.*.pem", "a/.hidden.pem"));
}

TEST_CASE("hasCertificateExtension: the directory filter, case-insensitive") {
  for (const char* name :
       {"a.pem", "a.crt", "a.cer", "a.cert", "a.der", "a.p12", "a.pfx", "a.ca-bundle", "A.PEM",
        "dir/x.Crt", "a.jks", "a.jceks", "a.keystore", "a.truststore"}) {
    CAPTURE(name);
    CHECK(hasCertificateExtension(name));
  }
  for (const char* name : {"a.key", "a.txt", "pem", "a.pem.bak", "a", "a.csr"}) {
    CAPTURE(name);
    CHECK_FALSE(hasCertificateExtension(name));
  }
}

TEST_CASE("expandPattern: a plain file is taken as given, whatever its extension") {
  TempDir t;
  writeFile(t / "cert.txt", "x");
  const Expansion e = expandPattern((t / "cert.txt").string());
  CHECK(describe(e) == "");
  REQUIRE(e.files.size() == 1);
  CHECK(e.files[0] == t / "cert.txt");
}

TEST_CASE("expandPattern: a directory yields certificate-looking files, recursively, sorted") {
  TempDir t;
  makeTree(t.path());
  const Expansion e = expandPattern(t.path().string());
  CHECK(describe(e) == "");
  CHECK(relative(e, t.path()) == std::vector<std::string>{"a.pem", "b.crt", "e.PEM", "sub/c.der",
                                                          "sub/deep/d.p12", "sub/deep/x.pem"});
}

TEST_CASE("expandPattern: a directory that holds no certificate files yields nothing, quietly") {
  TempDir t;
  writeFile(t / "notes.txt", "n");
  const Expansion e = expandPattern(t.path().string());
  CHECK(e.files.empty());
  CHECK(e.problems.empty());
}

TEST_CASE("expandPattern: a glob without ** does not descend deeper than the pattern") {
  TempDir t;
  makeTree(t.path());
  SUBCASE("one level") {
    const Expansion e = expandPattern((t / "*.pem").string());
    CHECK(describe(e) == "");
    CHECK(relative(e, t.path()) == std::vector<std::string>{"a.pem"});  // not e.PEM: case matters
  }
  SUBCASE("two levels") {
    const Expansion e = expandPattern((t / "*/*").string());
    CHECK(describe(e) == "");
    CHECK(relative(e, t.path()) == std::vector<std::string>{"sub/c.der"});
  }
  SUBCASE("a wildcard in the middle") {
    const Expansion e = expandPattern((t / "s?b/deep/[dx].*").string());
    CHECK(describe(e) == "");
    CHECK(relative(e, t.path()) == std::vector<std::string>{"sub/deep/d.p12", "sub/deep/x.pem"});
  }
}

TEST_CASE("expandPattern: ** recurses, and skips dot-directories") {
  TempDir t;
  makeTree(t.path());
  writeFile(t / ".git/y.pem", "y");
  writeFile(t / "sub/.hidden.pem", "h");
  const Expansion e = expandPattern((t / "**/*.pem").string());
  CHECK(describe(e) == "");
  CHECK(relative(e, t.path()) == std::vector<std::string>{"a.pem", "sub/deep/x.pem"});

  const Expansion under = expandPattern((t / "sub/**/*").string());
  CHECK(relative(under, t.path()) ==
        std::vector<std::string>{"sub/c.der", "sub/deep/d.p12", "sub/deep/x.pem"});
}

TEST_CASE("expandPattern: a relative glob names files as the pattern does") {
  TempDir t;
  writeFile(t / "certs/a.pem", "a");
  struct Cwd {
    fs::path saved = fs::current_path();
    ~Cwd() { fs::current_path(saved); }
  } cwd;
  fs::current_path(t.path());
  // As "certs/a.pem" given plainly: one target name for one file, however it was reached.
  CHECK(expandPattern("certs/*.pem").files == std::vector<std::string>{"certs/a.pem"});
  CHECK(expandPattern("*/a.pem").files == std::vector<std::string>{"certs/a.pem"});
  CHECK(expandPattern("./certs/*.pem").files == std::vector<std::string>{"./certs/a.pem"});
  CHECK(expandPattern("certs").files == std::vector<std::string>{"certs/a.pem"});
  const Expansion missing = expandPattern("nothing/*.pem");
  REQUIRE(missing.problems.size() == 1);
  CHECK(missing.problems[0].path == "nothing");
}

TEST_CASE("expandPattern: a symlink loop is skipped and counted, never a problem") {
  TempDir t;
  writeFile(t / "d/a.pem", "a");
  writeFile(t / "d/inner/b.pem", "b");
  fs::create_directory_symlink("..", t / "d/inner/up");        // d/inner/up -> d
  fs::create_directory_symlink(t / "d", t / "d/inner/again");  // the same loop, absolute
  for (const std::string& pattern : {(t / "d").string(), (t / "d/**/*.pem").string()}) {
    CAPTURE(pattern);
    const Expansion e = expandPattern(pattern);
    CHECK(relative(e, t / "d") == std::vector<std::string>{"a.pem", "inner/b.pem"});
    CHECK(e.problems.empty());
    CHECK(e.skipped_symlink_loops == 2);  // one per looping link, each once
  }
  SUBCASE("a loop of file symlinks too") {
    fs::create_symlink(t / "d/x.pem", t / "d/y.pem");
    fs::create_symlink(t / "d/y.pem", t / "d/x.pem");
    const Expansion e = expandPattern((t / "d").string());
    CHECK(e.problems.empty());
    CHECK(e.skipped_symlink_loops == 4);  // the two directory links and the two file links
  }
}

TEST_CASE("readProblem: permission denied names who reads, other problems do not") {
  const ReadProblem denied = readProblem("cannot read: permission denied");
  CHECK(denied.denied_to.find("user ") == 0);
  CHECK(denied.denied_to.find(", groups ") != std::string::npos);
  CHECK(readProblem("cannot read directory: Permission denied").denied_to == denied.denied_to);
  CHECK(readProblem("block 2: truncated base64").denied_to.empty());
}

TEST_CASE("expandPattern: a directory reached twice without a loop is walked once, quietly") {
  TempDir t;
  writeFile(t / "d/real/x.pem", "x");
  fs::create_directory_symlink("real", t / "d/alias");  // e.g. Kubernetes' ..data -> ..2024_...
  const Expansion e = expandPattern((t / "d").string());
  CHECK(describe(e) == "");
  // The real directory wins over the link to it.
  CHECK(relative(e, t / "d") == std::vector<std::string>{"real/x.pem"});
}

TEST_CASE("expandPattern: a dangling symlink that would match is reported, the rest still read") {
  TempDir t;
  writeFile(t / "d/a.pem", "a");
  fs::create_symlink(t / "nowhere.pem", t / "d/gone.pem");
  fs::create_symlink(t / "nowhere.txt", t / "d/gone.txt");  // would not be read anyway: silent
  const Expansion e = expandPattern((t / "d").string());
  CHECK(relative(e, t / "d") == std::vector<std::string>{"a.pem"});
  REQUIRE(e.problems.size() == 1);
  CHECK(e.problems[0].path == t / "d/gone.pem");
  CHECK(e.problems[0].detail.find("No such file") != std::string::npos);

  const Expansion glob = expandPattern((t / "d/*.pem").string());
  CHECK(relative(glob, t / "d") == std::vector<std::string>{"a.pem"});
  REQUIRE(glob.problems.size() == 1);
  CHECK(glob.problems[0].path == t / "d/gone.pem");
}

TEST_CASE("expandPattern: a path that does not exist is a problem, not an empty success") {
  TempDir t;
  const Expansion plain = expandPattern((t / "missing.pem").string());
  CHECK(plain.files.empty());
  REQUIRE(plain.problems.size() == 1);
  CHECK(plain.problems[0].path == t / "missing.pem");
  CHECK(plain.problems[0].detail.find("No such file") != std::string::npos);

  const Expansion base = expandPattern((t / "missing/*.pem").string());
  CHECK(base.files.empty());
  REQUIRE(base.problems.size() == 1);
  CHECK(base.problems[0].path == t / "missing");
}

TEST_CASE("expandPattern: a glob that matches nothing is a problem") {
  TempDir t;
  writeFile(t / "a.crt", "a");
  const std::string pattern = (t / "*.pem").string();
  const Expansion e = expandPattern(pattern);
  CHECK(e.files.empty());
  REQUIRE(e.problems.size() == 1);
  CHECK(e.problems[0].path == pattern);
  CHECK(e.problems[0].detail == "no file matches this pattern");
}

TEST_CASE("expandPattern: non-regular files are not listed by a walk") {
  TempDir t;
  writeFile(t / "a.pem", "a");
  REQUIRE(::mkfifo((t / "fifo.pem").c_str(), 0600) == 0);
  const Expansion e = expandPattern(t.path().string());
  CHECK(describe(e) == "");
  CHECK(relative(e, t.path()) == std::vector<std::string>{"a.pem"});
}

TEST_CASE("expandPattern: max_files caps the list and says so once") {
  TempDir t;
  for (int i = 0; i < 10; ++i) writeFile(t / ("f" + std::to_string(i) + ".pem"), "x");
  ExpansionLimits limits;
  limits.max_files = 3;
  for (const std::string& pattern : {t.path().string(), (t / "*.pem").string()}) {
    CAPTURE(pattern);
    const Expansion e = expandPattern(pattern, limits);
    // The first three in name order: which files are kept does not depend on readdir order.
    CHECK(relative(e, t.path()) == std::vector<std::string>{"f0.pem", "f1.pem", "f2.pem"});
    REQUIRE(e.problems.size() == 1);
    CHECK(e.problems[0].detail == "more than 3 files");
  }
}

TEST_CASE("expandPattern: max_depth stops the walk there") {
  TempDir t;
  writeFile(t / "a.pem", "a");
  writeFile(t / "1/b.pem", "b");
  writeFile(t / "1/2/c.pem", "c");
  ExpansionLimits limits;
  limits.max_depth = 1;
  const Expansion e = expandPattern(t.path().string(), limits);
  CHECK(relative(e, t.path()) == std::vector<std::string>{"1/b.pem", "a.pem"});
  REQUIRE(e.problems.size() == 1);
  CHECK(e.problems[0].path == t / "1/2");
  CHECK(e.problems[0].detail.find("deeper than 1 levels") != std::string::npos);
}

}  // namespace certvigil::probers
