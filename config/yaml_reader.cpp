// SPDX-License-Identifier: Apache-2.0
// config/yaml_reader.cpp: the one place that touches yaml-cpp nodes. Values are read from
// Scalar() text and converted here (not with yaml-cpp's as<T>()), so that a wrong value becomes
// a message naming the key and what was expected instead of a BadConversion exception.
#include "config/yaml_reader.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>

namespace certvigil::config {
namespace fs = std::filesystem;

namespace {

Position toPosition(const YAML::Mark& mark) {
  if (mark.is_null()) return {};
  return {mark.line + 1, mark.column + 1};
}

/// "a list", "a mapping", ... for "expected X, got Y" messages.
std::string_view describeType(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar:
      return "a single value";
    default:
      return "nothing";
  }
}

/// Optimal string alignment distance: Levenshtein plus adjacent transpositions.
size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::string joinWords(std::initializer_list<std::string_view> words) {
  std::string out;
  for (std::string_view w : words) out += (out.empty() ? "" : ", ") + std::string(w);
  return out;
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

std::string closestMatch(std::string_view word, std::span<const std::string_view> candidates) {
  std::string best;
  size_t best_distance = 3;  // at most two edits, and fewer than half the word
  for (std::string_view c : candidates) {
    if (word.size() >= 3 && c.substr(0, word.size()) == word) return std::string(c);  // "warn"
    const size_t d = editDistance(word, c);
    if (d < best_distance && 2 * d < std::max(c.size(), word.size())) {
      best = std::string(c);
      best_distance = d;
    }
  }
  return best;
}

std::string joinPath(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string indexPath(const std::string& path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

Reader::Reader(SourceMap& map, std::vector<ConfigProblem>& problems, fs::path base_dir)
    : map_(map), problems_(problems), base_dir_(std::move(base_dir)) {}

void Reader::fail(const YAML::Mark& mark, const std::string& path, std::string message) {
  const Position pos = mark.is_null() ? map_.find(path) : toPosition(mark);
  problems_.push_back(ConfigProblem{map_.file(), pos.line, pos.column, path, std::move(message)});
  map_.markFailed(path);
}

fs::path Reader::resolve(const std::string& text) const {
  if (text.empty()) return {};
  const fs::path p(text);
  return (p.is_absolute() ? p : base_dir_ / p).lexically_normal();
}

MapReader::MapReader(Reader& reader, const YAML::Node& node, std::string path,
                     std::initializer_list<std::string_view> known)
    : reader_(reader), node_(node), path_(std::move(path)) {
  if (!node_.IsDefined() || node_.IsNull()) return;
  if (!node_.IsMap()) {
    ok_ = false;
    reader_.fail(node_.Mark(), path_,
                 "expected a mapping (key: value lines), got " + std::string(describeType(node_)));
    return;
  }
  reader_.map().record(path_, toPosition(node_.Mark()));
  checkKeys(known);
}

void MapReader::checkKeys(std::initializer_list<std::string_view> known) {
  std::map<std::string, int> seen;  // key -> line of first use
  for (const auto& entry : node_) {
    const YAML::Node key = entry.first;
    const YAML::Node value = entry.second;
    if (!key.IsScalar()) {
      reader_.fail(key.Mark(), path_,
                   "keys must be plain words, not " + std::string(describeType(key)));
      continue;
    }
    const std::string& name = key.Scalar();
    const std::string key_path = joinPath(path_, name);
    const bool value_placed = !value.IsNull() && !value.Mark().is_null();
    reader_.map().record(key_path, toPosition(value_placed ? value.Mark() : key.Mark()));
    if (name == "<<") {  // yaml-cpp 0.7 does not implement merge keys: say so plainly
      reader_.fail(key.Mark(), key_path, "YAML merge keys (<<) are not supported; repeat the keys");
    } else if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string message = "unknown key '" + name + "'";
      const std::string guess = closestMatch(name, std::span(known.begin(), known.size()));
      message += guess.empty() ? " (expected one of: " + joinWords(known) + ")"
                               : " (did you mean '" + guess + "'?)";
      reader_.fail(key.Mark(), key_path, std::move(message));
    } else if (auto [first, fresh] = seen.emplace(name, key.Mark().line + 1); !fresh) {
      reader_.fail(key.Mark(), key_path,
                   "duplicate key (first set at line " + std::to_string(first->second) + ")");
    }
  }
}

YAML::Node MapReader::child(std::string_view key) const {
  if (!ok_ || !node_.IsDefined() || !node_.IsMap()) return YAML::Node();
  const YAML::Node& map = node_;
  return map[std::string(key)];
}

bool MapReader::has(std::string_view key) const {
  const YAML::Node value = child(key);
  return value.IsDefined() && !value.IsNull();
}

void MapReader::fail(std::string_view key, std::string message) {
  reader_.fail(child(key).Mark(), joinPath(path_, key), std::move(message));
}

std::optional<std::string> MapReader::scalar(std::string_view key, std::string_view expected) {
  const YAML::Node value = child(key);
  if (!value.IsDefined() || value.IsNull()) return std::nullopt;
  if (!value.IsScalar()) {
    fail(key, "expected " + std::string(expected) + ", got " + std::string(describeType(value)));
    return std::nullopt;
  }
  return value.Scalar();
}

void MapReader::readString(std::string_view key, std::string& out) {
  if (auto text = scalar(key, "a string")) out = *text;
}

void MapReader::readBool(std::string_view key, bool& out) {
  const std::optional<std::string> text = scalar(key, "true or false");
  if (!text) return;
  const std::string word = lowercase(*text);
  if (word == "true" || word == "yes" || word == "on") {
    out = true;
  } else if (word == "false" || word == "no" || word == "off") {
    out = false;
  } else {
    fail(key, "expected true or false, got '" + *text + "'");
  }
}

void MapReader::readInt(std::string_view key, int& out) {
  const std::optional<std::string> text = scalar(key, "a whole number");
  if (!text) return;
  int value = 0;
  const char* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec == std::errc::result_out_of_range) {
    fail(key, "'" + *text + "' is out of range");
  } else if (ec != std::errc() || ptr != end) {
    fail(key, "expected a whole number, got '" + *text + "'");
  } else {
    out = value;
  }
}

void MapReader::readDouble(std::string_view key, double& out) {
  const std::optional<std::string> text = scalar(key, "a number");
  if (!text) return;
  double value = 0;
  const char* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) {
    fail(key, "expected a number such as 0.33, got '" + *text + "'");
  } else {
    out = value;
  }
}

void MapReader::readDuration(std::string_view key, Seconds& out) {
  std::optional<Seconds> value;
  readDuration(key, value);
  if (value) out = *value;
}

void MapReader::readDuration(std::string_view key, std::optional<Seconds>& out) {
  constexpr std::string_view kExpected = "a duration such as 90s, 15m, 1h, 7d or 2w";
  const std::optional<std::string> text = scalar(key, kExpected);
  if (!text) return;
  if (const std::optional<Seconds> value = parseDuration(*text)) {
    out = value;
  } else {
    fail(key, "expected " + std::string(kExpected) + ", got '" + *text + "'");
  }
}

void MapReader::readPath(std::string_view key, fs::path& out) {
  if (auto text = scalar(key, "a path")) out = reader_.resolve(*text);
}

void MapReader::readPathText(std::string_view key, std::string& out) {
  if (auto text = scalar(key, "a path")) out = reader_.resolve(*text).string();
}

void MapReader::readStringList(std::string_view key, std::vector<std::string>& out) {
  const YAML::Node value = child(key);
  if (!value.IsDefined() || value.IsNull()) return;
  if (!value.IsSequence()) {
    fail(key, "expected a list, got " + std::string(describeType(value)) +
                  " (write [a, b] or one '- item' per line)");
    return;
  }
  out.clear();
  const std::string list_path = joinPath(path_, key);
  for (size_t i = 0; i < value.size(); ++i) {
    const YAML::Node item = value[i];
    reader_.map().record(indexPath(list_path, i), toPosition(item.Mark()));
    if (!item.IsScalar() || item.Scalar().empty()) {
      reader_.fail(item.Mark(), indexPath(list_path, i),
                   "expected a single value, got " + std::string(describeType(item)));
      continue;
    }
    out.push_back(item.Scalar());
  }
}

void MapReader::readClients(std::string_view key, std::optional<ClientSet>& out) {
  std::vector<std::string> names;
  readStringList(key, names);
  const YAML::Node value = child(key);
  if (!value.IsDefined() || !value.IsSequence()) return;
  ClientSet clients;
  const std::string list_path = joinPath(path_, key);
  for (size_t i = 0; i < value.size(); ++i) {
    if (!value[i].IsScalar()) continue;
    if (const std::optional<Client> client = clientFromString(value[i].Scalar())) {
      clients = clients | ClientSet{*client};
      continue;
    }
    reader_.fail(value[i].Mark(), indexPath(list_path, i),
                 "'" + value[i].Scalar() +
                     "' is not a client family (openssl | go | chromium | rustls | "
                     "openssl-strict)");
  }
  out = clients;
}

void MapReader::readPathList(std::string_view key, std::vector<fs::path>& out, bool scalar_ok) {
  const YAML::Node value = child(key);
  if (scalar_ok && value.IsDefined() && value.IsScalar()) {
    out.clear();
    if (!value.Scalar().empty()) out.push_back(reader_.resolve(value.Scalar()));
    return;
  }
  std::vector<std::string> texts;
  readStringList(key, texts);
  if (!value.IsDefined() || !value.IsSequence()) return;
  out.clear();
  for (const std::string& text : texts) out.push_back(reader_.resolve(text));
}

void MapReader::forEach(
    std::string_view key,
    const std::function<void(const YAML::Node&, const std::string&, size_t)>& each) {
  const YAML::Node value = child(key);
  if (!value.IsDefined() || value.IsNull()) return;
  if (!value.IsSequence()) {
    fail(key,
         "expected a list of entries ('- ...' lines), got " + std::string(describeType(value)));
    return;
  }
  const std::string list_path = joinPath(path_, key);
  for (size_t i = 0; i < value.size(); ++i) {
    const YAML::Node item = value[i];
    const std::string item_path = indexPath(list_path, i);
    reader_.map().record(item_path, toPosition(item.Mark()));
    each(item, item_path, i);
  }
}

}  // namespace certvigil::config
