// SPDX-License-Identifier: Apache-2.0
// discovery/nginx_syntax.cpp: nginx's lexer rules, as ngx_conf_file.c applies them: a `#`
// starts a comment only where a token may start, quotes group (with backslash escapes), and
// `${name}` inside a word is a variable, not a block.
#include "discovery/nginx_syntax.h"

namespace certvigil::discovery {
namespace fs = std::filesystem;
namespace {

struct Token {
  enum Type { Word, Semicolon, Open, Close } type = Word;
  std::string text;
  int line = 0;
};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  bool next(Token& token) {
    skipSpaceAndComments();
    if (pos_ >= text_.size()) return false;
    token.line = line_;
    const char c = text_[pos_];
    if (c == ';' || c == '{' || c == '}') {
      ++pos_;
      token.type = c == ';' ? Token::Semicolon : (c == '{' ? Token::Open : Token::Close);
      token.text = std::string(1, c);
      return true;
    }
    token.type = Token::Word;
    token.text = (c == '"' || c == '\'') ? quoted(c) : word();
    return true;
  }

 private:
  void skipSpaceAndComments() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        if (c == '\n') ++line_;
        ++pos_;
      } else {
        return;
      }
    }
  }

  std::string quoted(char quote) {
    std::string out;
    ++pos_;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\n') ++line_;
      out += escaped();
    }
    ++pos_;  // the closing quote (or past the end)
    return out;
  }

  /// The character at pos_ (consumed): nginx unescapes \" \' \\ \t \r \n and keeps any
  /// other backslash (regular expressions in server_name and location).
  std::string escaped() {
    const char c = text_[pos_++];
    if (c != '\\' || pos_ >= text_.size()) return std::string(1, c);
    const char next = text_[pos_];
    const std::string_view plain = "\"'\\";
    if (plain.find(next) != std::string_view::npos) return std::string(1, text_[pos_++]);
    if (next == 't' || next == 'r' || next == 'n') {
      ++pos_;
      return std::string(1, next == 't' ? '\t' : (next == 'r' ? '\r' : '\n'));
    }
    return std::string("\\") + text_[pos_++];  // kept as written, and never a separator
  }

  std::string word() {
    std::string out;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '}') break;
      if (c == '{' && !(out.size() > 0 && out.back() == '$')) break;
      out += escaped();
      if (c == '{') {  // ${name}: up to the closing brace
        while (pos_ < text_.size() && text_[pos_] != '}') out += text_[pos_++];
        if (pos_ < text_.size()) out += text_[pos_++];
      }
    }
    return out;
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
};

class Parser {
 public:
  Parser(std::string_view text, const std::string& file, std::vector<std::string>& problems)
      : lexer_(text), file_(file), problems_(problems) {}

  /// Directives up to the end of the text (depth 0) or the closing brace of a block.
  std::vector<Directive> parseBlock(int depth) {
    std::vector<Directive> out;
    Token token;
    while (lexer_.next(token)) {
      if (token.type == Token::Close) {
        if (depth == 0) report(token.line, "unexpected \"}\"");
        if (depth > 0) return out;
        continue;
      }
      if (token.type != Token::Word) {
        if (token.type == Token::Open) report(token.line, "unexpected \"{\"");
        continue;
      }
      out.push_back(parseDirective(token, depth));
    }
    if (depth > 0) report(0, "unexpected end of file, expecting \"}\"");
    return out;
  }

 private:
  Directive parseDirective(const Token& first, int depth) {
    Directive d;
    d.name = first.text;
    d.origin = {file_, first.line};
    Token token;
    while (lexer_.next(token)) {
      if (token.type == Token::Word) {
        d.args.push_back(token.text);
      } else if (token.type == Token::Open) {
        d.block = true;
        if (depth < 64) d.children = parseBlock(depth + 1);
        return d;
      } else {
        if (token.type == Token::Close) report(token.line, "unexpected \"}\"");
        return d;
      }
    }
    report(first.line, "unexpected end of file, expecting \";\" or \"}\"");
    return d;
  }

  void report(int line, const std::string& what) {
    problems_.push_back(file_ + ":" + std::to_string(line) + ": " + what);
  }

  Lexer lexer_;
  std::string file_;
  std::vector<std::string>& problems_;
};

class Loader {
 public:
  Loader(const fs::path& base, Collector& collector) : base_(base), collector_(collector) {}

  std::vector<Directive> load(const fs::path& file, int depth) {
    std::vector<Directive> tree = loadDirectives(
        file, &parseNginxText, [this](const std::string& p) { collector_.problem(p); });
    return splice(std::move(tree), depth);
  }

 private:
  std::vector<Directive> splice(std::vector<Directive> in, int depth) {
    std::vector<Directive> out;
    for (Directive& d : in) {
      if (d.name == "include" && !d.block && d.args.size() == 1) {
        for (Directive& inc : expand(d, depth)) out.push_back(std::move(inc));
        continue;
      }
      if (d.block) d.children = splice(std::move(d.children), depth);
      out.push_back(std::move(d));
    }
    return out;
  }

  std::vector<Directive> expand(const Directive& include, int depth) {
    const std::vector<fs::path> files = includeFiles(include.args[0], base_);
    if (files.empty() && !isGlob(include.args[0])) {
      collector_.problem(include.origin.describe() + ": include " + include.args[0] +
                         ": no such file");
    }
    std::vector<Directive> out;
    for (const fs::path& f : files) {
      if (!budget_.enter(depth + 1)) {
        collector_.problem(include.origin.describe() + ": includes too deep or too many");
        break;
      }
      for (Directive& d : load(f, depth + 1)) out.push_back(std::move(d));
    }
    return out;
  }

  fs::path base_;
  Collector& collector_;
  IncludeBudget budget_;
};

}  // namespace

std::vector<Directive> parseNginxText(std::string_view text, const std::string& file,
                                      std::vector<std::string>& problems) {
  Parser parser(text, file, problems);
  return parser.parseBlock(0);
}

std::vector<Directive> loadNginx(const fs::path& main_file, Collector& collector) {
  Loader loader(main_file.parent_path(), collector);
  return loader.load(main_file, 0);
}

}  // namespace certvigil::discovery
