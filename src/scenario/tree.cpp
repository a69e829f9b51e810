#include "trygg/scenario/tree.hpp"

#include <algorithm>

namespace trygg::scenario {

std::string to_string(const Origin& origin) {
  if (origin.line <= 0) return origin.file;
  return origin.file + ":" + std::to_string(origin.line) + ":" + std::to_string(origin.column);
}

const Tree* Tree::find(std::string_view key) const {
  const auto it = std::find_if(entries.begin(), entries.end(),
                               [&](const Entry& entry) { return entry.key == key; });
  return it == entries.end() ? nullptr : &it->value;
}

Tree* Tree::find(std::string_view key) {
  return const_cast<Tree*>(static_cast<const Tree&>(*this).find(key));
}

std::string Tree::describe() const {
  switch (kind) {
    case Kind::null:
      return "an empty value";
    case Kind::map:
      return "a map";
    case Kind::sequence:
      return "a list";
    case Kind::scalar:
      break;
  }
  std::string shown = scalar.size() > 40 ? scalar.substr(0, 37) + "..." : scalar;
  // A quoted scalar is always text, even when it looks like a number: say so.
  return quoted ? "the quoted text \"" + shown + "\"" : shown;
}

std::string Tree::describe_top_level() const {
  // A whole file is described without quoting it: a file that is no settings file (extends:
  // at /etc/passwd) must not have its content echoed.
  if (kind == Kind::null) return "an empty file";
  if (kind == Kind::scalar) {
    return "a single value of text (is it a YAML file of key: value lines?)";
  }
  return describe();
}

Tree merge(const Tree& base, const Tree& over) {
  if (!base.is_map() || !over.is_map()) return over;
  Tree merged = base;
  merged.origin = over.origin;
  for (const Tree::Entry& entry : over.entries) {
    auto existing = std::find_if(merged.entries.begin(), merged.entries.end(),
                                 [&](const Tree::Entry& e) { return e.key == entry.key; });
    if (existing != merged.entries.end()) {
      existing->key_origin = entry.key_origin;
      existing->value = merge(existing->value, entry.value);
    } else {
      merged.entries.push_back(entry);
    }
  }
  return merged;
}

}  // namespace trygg::scenario
