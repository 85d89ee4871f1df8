// SPDX-License-Identifier: Apache-2.0
// config/yaml_reader.h: typed, problem-collecting access to a yaml-cpp tree. Every read either
// stores a value or records a ConfigProblem (with file:line:col and key path) and carries on, so
// one pass reports every mistake. Null and absent values leave the default in place.
#pragma once

#include <yaml-cpp/yaml.h>

#include "core/client.h"

#include <filesystem>
#include <functional>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/source_map.h"

namespace certvigil::config {

/// A candidate the word abbreviates ("warn" -> "warning"), else the closest within a small edit
/// distance (typos, transpositions), or "".
std::string closestMatch(std::string_view word, std::span<const std::string_view> candidates);

/// "path.key", or "key" at the top level.
std::string joinPath(const std::string& path, std::string_view key);
/// "path[index]".
std::string indexPath(const std::string& path, size_t index);

/// Shared state of one load: where problems go and what relative paths are relative to.
class Reader {
 public:
  Reader(SourceMap& map, std::vector<ConfigProblem>& problems, std::filesystem::path base_dir);

  /// Records a problem at `mark` under `path` and marks the path failed.
  void fail(const YAML::Mark& mark, const std::string& path, std::string message);
  /// A relative path made absolute against the config file's directory; "" stays "".
  std::filesystem::path resolve(const std::string& text) const;
  SourceMap& map() { return map_; }

 private:
  SourceMap& map_;
  std::vector<ConfigProblem>& problems_;
  std::filesystem::path base_dir_;
};

/// One YAML mapping at a key path. Construction checks it is a mapping (or null, read as
/// empty), reports unknown and duplicate keys, and records the position of every key.
class MapReader {
 public:
  MapReader(Reader& reader, const YAML::Node& node, std::string path,
            std::initializer_list<std::string_view> known);

  /// False when the node was not a mapping (already reported).
  bool ok() const { return ok_; }
  const std::string& path() const { return path_; }
  /// The value of a key; an undefined node when absent.
  YAML::Node child(std::string_view key) const;
  /// True when the key is present with a non-null value.
  bool has(std::string_view key) const;

  void readString(std::string_view key, std::string& out);
  void readBool(std::string_view key, bool& out);
  void readInt(std::string_view key, int& out);
  void readDouble(std::string_view key, double& out);
  void readDuration(std::string_view key, Seconds& out);
  void readDuration(std::string_view key, std::optional<Seconds>& out);
  /// A path, resolved against the config file's directory.
  void readPath(std::string_view key, std::filesystem::path& out);
  /// A path or glob kept as text, resolved likewise.
  void readPathText(std::string_view key, std::string& out);
  /// A list of paths; with `scalar_ok`, a single path is a list of one.
  void readPathList(std::string_view key, std::vector<std::filesystem::path>& out,
                    bool scalar_ok = false);
  void readStringList(std::string_view key, std::vector<std::string>& out);
  /// A list of client families (core/client.h): openssl, go, chromium, rustls, openssl-strict.
  void readClients(std::string_view key, std::optional<ClientSet>& out);
  /// One of a fixed set of words, via `parse`; `allowed` lists them for the message.
  template <typename E>
  void readChoice(std::string_view key, E& out, std::optional<E> (*parse)(std::string_view),
                  std::span<const std::string_view> allowed);
  /// Calls `each(item, item_path, index)` for every item of a list under `key`.
  void forEach(std::string_view key,
               const std::function<void(const YAML::Node&, const std::string&, size_t)>& each);

 private:
  void checkKeys(std::initializer_list<std::string_view> known);
  /// The scalar text of a key, or nullopt (absent, null, or not a scalar: reported).
  std::optional<std::string> scalar(std::string_view key, std::string_view expected);
  void fail(std::string_view key, std::string message);

  Reader& reader_;
  YAML::Node node_;
  std::string path_;
  bool ok_ = true;
};

template <typename E>
void MapReader::readChoice(std::string_view key, E& out,
                           std::optional<E> (*parse)(std::string_view),
                           std::span<const std::string_view> allowed) {
  std::string choices;
  for (std::string_view a : allowed) choices += (choices.empty() ? "" : " | ") + std::string(a);
  const std::optional<std::string> text = scalar(key, choices);
  if (!text) return;
  if (const std::optional<E> value = parse(*text)) {
    out = *value;
    return;
  }
  std::string message = "'" + *text + "' is not one of " + choices;
  const std::string guess = closestMatch(*text, allowed);
  if (!guess.empty()) message += " (did you mean '" + guess + "'?)";
  fail(key, std::move(message));
}

}  // namespace certvigil::config
