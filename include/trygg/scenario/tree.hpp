#pragma once
// A parsed YAML document that remembers where every node came from (file, line, column), so
// that scenarios merged with `extends:` and changed by arm overrides still report errors at the
// right place. yaml-cpp stays inside the scenario module; the rest of Trygg sees only this.
#include <string>
#include <string_view>
#include <vector>

namespace trygg::scenario {

struct Origin {
  std::string file{};
  int line = 0;    // 1-based
  int column = 0;  // 1-based
};

// "file:line:column" (or just the file when the position is unknown).
std::string to_string(const Origin& origin);

class Tree {
 public:
  enum class Kind { null, scalar, sequence, map };
  struct Entry;

  Kind kind = Kind::null;
  Origin origin{};
  std::string scalar;   // the text of a scalar
  bool quoted = false;  // a quoted scalar is always a string, never a number or boolean
  std::vector<Tree> items;
  std::vector<Entry> entries;

  const Tree* find(std::string_view key) const;
  Tree* find(std::string_view key);
  bool is_map() const { return kind == Kind::map; }
  // "a map", "a list", "an empty value", or the scalar in quotes: used in "got ..." messages.
  std::string describe() const;
  // What a file holds at its top level instead of a map, by kind alone: "an empty file", "a
  // list", or text. Never the text itself: a file named by mistake (/etc/passwd at extends:)
  // must not have its content echoed in an error message.
  std::string describe_top_level() const;
};

struct Tree::Entry {
  std::string key{};
  Origin key_origin{};
  Tree value;
};

// `over` wins over `base`, recursively for maps; lists and scalars are replaced whole.
Tree merge(const Tree& base, const Tree& over);

// Reads a YAML file. Syntax errors, duplicate keys and unreadable files throw trygg::Error with
// the file, line and column.
Tree read_yaml_file(const std::string& path);
Tree read_yaml_text(const std::string& text, const std::string& name);

// A settings file (a scenario, sweep or calibration file) as written, and its tree, which must
// be a map: anything else is Error(invalid_input) naming the file and `what` it should hold
// ("a map of sweep settings").
struct SettingsFile {
  std::string text;
  Tree tree;
};
SettingsFile read_settings_file(const std::string& path, std::string_view what);
// Writes a tree back as YAML (used to store the resolved scenario in result files).
std::string to_yaml(const Tree& tree);

}  // namespace trygg::scenario
