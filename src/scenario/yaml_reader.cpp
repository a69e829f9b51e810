// The only place that includes yaml-cpp.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "trygg/core/error.hpp"
#include "trygg/scenario/tree.hpp"

namespace trygg::scenario {

namespace {

Origin origin_of(const YAML::Mark& mark, const std::string& file) {
  if (mark.line < 0) return Origin{file, 1, 1};
  return Origin{file, mark.line + 1, mark.column + 1};
}

[[noreturn]] void fail_at(const Origin& origin, const std::string& message) {
  throw Error(ErrorKind::invalid_input, to_string(origin) + ": " + message);
}

Tree convert(const YAML::Node& node, const std::string& file, const std::string& path) {
  Tree tree;
  tree.origin = origin_of(node.Mark(), file);
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      tree.kind = Tree::Kind::null;
      break;
    case YAML::NodeType::Scalar:
      tree.kind = Tree::Kind::scalar;
      tree.scalar = node.Scalar();
      tree.quoted = node.Tag() == "!";
      break;
    case YAML::NodeType::Sequence: {
      tree.kind = Tree::Kind::sequence;
      std::size_t index = 0;
      for (const YAML::Node& item : node) {
        tree.items.push_back(convert(item, file, path + "[" + std::to_string(index++) + "]"));
      }
      break;
    }
    case YAML::NodeType::Map: {
      tree.kind = Tree::Kind::map;
      std::set<std::string> seen;
      for (const auto& pair : node) {
        const Origin key_origin = origin_of(pair.first.Mark(), file);
        if (!pair.first.IsScalar()) {
          fail_at(key_origin,
                  (path.empty() ? "(top level)" : path) + ": map keys must be plain names");
        }
        const std::string key = pair.first.Scalar();
        const std::string child = path.empty() ? key : path + "." + key;
        if (!seen.insert(key).second) {
          fail_at(key_origin, child + ": duplicate key (each key may appear once in a map)");
        }
        tree.entries.push_back(Tree::Entry{key, key_origin, convert(pair.second, file, child)});
      }
      break;
    }
  }
  return tree;
}

void emit(YAML::Emitter& out, const Tree& tree) {
  switch (tree.kind) {
    case Tree::Kind::null:
      out << YAML::Null;
      break;
    case Tree::Kind::scalar:
      if (tree.quoted) out << YAML::DoubleQuoted;
      out << tree.scalar;
      break;
    case Tree::Kind::sequence:
      out << YAML::BeginSeq;
      for (const Tree& item : tree.items) emit(out, item);
      out << YAML::EndSeq;
      break;
    case Tree::Kind::map:
      // Small maps of plain values (flagged figures, age bands) read best on one line.
      if (std::all_of(tree.entries.begin(), tree.entries.end(),
                      [](const Tree::Entry& e) {
                        return e.value.kind == Tree::Kind::scalar ||
                               e.value.kind == Tree::Kind::null ||
                               (e.value.kind == Tree::Kind::sequence &&
                                std::all_of(e.value.items.begin(), e.value.items.end(),
                                            [](const Tree& item) {
                                              return item.kind == Tree::Kind::scalar;
                                            }));
                      }) &&
          !tree.entries.empty() && tree.entries.size() <= 6) {
        out << YAML::Flow;
      }
      out << YAML::BeginMap;
      for (const Tree::Entry& entry : tree.entries) {
        out << YAML::Key << entry.key << YAML::Value;
        emit(out, entry.value);
      }
      out << YAML::EndMap;
      break;
  }
}

}  // namespace

Tree read_yaml_text(const std::string& text, const std::string& name) {
  YAML::Node root;
  try {
    // Every document is read, so that a second one is refused rather than ignored.
    const std::vector<YAML::Node> documents = YAML::LoadAll(text);
    if (documents.size() > 1) {
      fail_at(origin_of(documents[1].Mark(), name),
              "expected one YAML document, got a second one (after '---'); put every setting "
              "in one document");
    }
    if (!documents.empty()) root = documents.front();
  } catch (const YAML::Exception& error) {
    fail_at(origin_of(error.mark, name), "YAML syntax error: " + error.msg);
  }
  Tree tree = convert(root, name, "");
  if (tree.kind == Tree::Kind::null) tree.origin = Origin{name, 1, 1};
  return tree;
}

Tree read_yaml_file(const std::string& path) {
  return read_settings_file(path, "").tree;
}

SettingsFile read_settings_file(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::invalid_input, path + ": cannot open the file for reading");
  std::ostringstream text;
  text << in.rdbuf();
  SettingsFile file{text.str(), {}};
  file.tree = read_yaml_text(file.text, path);
  if (!what.empty() && !file.tree.is_map()) {
    const std::string got =
        file.tree.kind == Tree::Kind::null ? "an empty file" : file.tree.describe();
    throw Error(ErrorKind::invalid_input, to_string(file.tree.origin) + ": (top level): expected " +
                                              std::string(what) + ", got " + got);
  }
  return file;
}

std::string to_yaml(const Tree& tree) {
  YAML::Emitter out;
  out.SetIndent(2);
  emit(out, tree);
  return std::string(out.c_str()) + "\n";
}

}  // namespace trygg::scenario
