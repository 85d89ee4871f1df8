// SPDX-License-Identifier: Apache-2.0
// bench/stat_walk: the floor for a rescan — a plain recursive walk that stat()s every file.
// Usage: stat_walk DIR → prints "files N seconds S".
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const auto start = std::chrono::steady_clock::now();
  long files = 0;
  long long bytes = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(argv[1])) {
    struct stat st {};
    if (::stat(e.path().c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      ++files;
      bytes += st.st_size;
    }
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("files %ld seconds %.4f (bytes %lld)\n", files, s, bytes);
  return 0;
}
