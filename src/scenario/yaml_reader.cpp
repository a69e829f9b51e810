// The only place that includes yaml-cpp.
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>
#include <set>
#include <sstream>

#include "trygg/core/error.hpp"
#include "trygg/core/input_file.hpp"
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

// Limits on what one settings document may hold. The deepest setting Trygg reads is about 6
// levels down; 64 leaves room and stops a stack-deep file early. Aliases (*name) are expanded
// into copies, so a few lines of nested aliases ("billion laughs") would make billions of
// values: the budget counts values after expansion and stops well before memory does.
constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxValues = 1'000'000;

struct Budget {
  std::string file;
  std::size_t values = 0;
};

std::string where(const std::string& path) {
  return path.empty() ? "(top level)" : path;
}

// `at` is the setting's path with ": " after it, or empty when the path is not known yet.
[[noreturn]] void too_many_values(const Origin& origin, const std::string& at,
                                  std::string_view how) {
  fail_at(origin, at + "more than " + std::to_string(kMaxValues) + " values" + std::string(how) +
                      "; a settings file holds far fewer");
}

Tree convert(const YAML::Node& node, Budget& budget, const std::string& path, int depth) {
  const std::string& file = budget.file;
  if (++budget.values > kMaxValues) {
    too_many_values(origin_of(node.Mark(), file), where(path) + ": ",
                    " once aliases (*name) are expanded (nested aliases that multiply are "
                    "refused)");
  }
  if (depth > kMaxDepth) {
    fail_at(origin_of(node.Mark(), file), where(path) + ": nested deeper than " +
                                              std::to_string(kMaxDepth) +
                                              " levels; settings are at most a few levels deep");
  }
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
      // A "\0" escape would cut names and labels where C strings and HDF5 end them.
      if (tree.scalar.find('\0') != std::string::npos) {
        fail_at(tree.origin, where(path) + ": contains a NUL character (\\0); expected text");
      }
      break;
    case YAML::NodeType::Sequence: {
      tree.kind = Tree::Kind::sequence;
      std::size_t index = 0;
      for (const YAML::Node& item : node) {
        tree.items.push_back(
            convert(item, budget, path + "[" + std::to_string(index++) + "]", depth + 1));
      }
      break;
    }
    case YAML::NodeType::Map: {
      tree.kind = Tree::Kind::map;
      std::set<std::string> seen;
      for (const auto& pair : node) {
        const Origin key_origin = origin_of(pair.first.Mark(), file);
        if (!pair.first.IsScalar())
          fail_at(key_origin, where(path) + ": map keys must be plain names");
        const std::string key = pair.first.Scalar();
        const std::string child = path.empty() ? key : path + "." + key;
        if (!seen.insert(key).second) {
          fail_at(key_origin, child + ": duplicate key (each key may appear once in a map)");
        }
        tree.entries.push_back(
            Tree::Entry{key, key_origin, convert(pair.second, budget, child, depth + 1)});
      }
      break;
    }
  }
  return tree;
}

// What one document of a stream held: only a null, or something, and where its root starts.
// It also counts the document's values as written: yaml-cpp's tree of a value takes some
// hundreds of bytes, so a file of millions of values (a 16 MiB list of numbers) is refused here,
// by this pass that builds nothing, before the tree would take gigabytes.
class DocumentProbe : public YAML::EventHandler {
 public:
  explicit DocumentProbe(const std::string& file) : file_(file) {}
  bool empty = true;
  YAML::Mark mark = YAML::Mark::null_mark();

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& at, YAML::anchor_t) override { root(at); }
  void OnAlias(const YAML::Mark& at, YAML::anchor_t) override { node(at); }
  void OnScalar(const YAML::Mark& at, const std::string&, YAML::anchor_t,
                const std::string&) override {
    node(at);
  }
  void OnSequenceStart(const YAML::Mark& at, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    node(at);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& at, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    node(at);
  }
  void OnMapEnd() override {}

 private:
  void root(const YAML::Mark& at) {
    if (!seen_) mark = at;
    seen_ = true;
  }
  void node(const YAML::Mark& at) {
    root(at);
    empty = false;
    if (++values_ > kMaxValues) too_many_values(origin_of(at, file_), "", " in one document");
  }
  const std::string& file_;
  bool seen_ = false;
  std::size_t values_ = 0;
};

struct DocumentCount {
  int count = 0;  // 0, 1 or 2: counting stops at the second
  YAML::Mark second = YAML::Mark::null_mark();
};

// Counts the documents of a stream, as YAML::LoadAll would, without its endless loop: on a ','
// outside [ ] or { } (",", "[1],"), yaml-cpp 0.7's parser gives a null document without taking
// the token, again and again, and LoadAll collects them until memory runs out (yaml-cpp issue
// 1040). Two empty documents at one place are that token, refused as a syntax error.
DocumentCount count_documents(const std::string& text, const std::string& name) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentCount found;
  std::optional<YAML::Mark> empty_at;  // where the document before, when empty, was
  for (;;) {
    DocumentProbe probe(name);
    if (!parser.HandleNextDocument(probe)) break;
    if (probe.empty && empty_at && empty_at->pos == probe.mark.pos) {
      fail_at(origin_of(probe.mark, name),
              "YAML syntax error: a ',' (or another token that starts no value) outside a "
              "[list] or {map}");
    }
    empty_at = probe.empty ? std::optional<YAML::Mark>(probe.mark) : std::nullopt;
    if (++found.count == 2) found.second = probe.mark;
    // An empty second document may be that token: one more look tells.
    if (found.count == 3 || (found.count == 2 && !probe.empty)) break;
  }
  found.count = std::min(found.count, 2);
  return found;
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

// Settings files are UTF-8 text: a NUL byte or a byte sequence that is not UTF-8 (a binary
// file, a file saved in another encoding) is refused at its line and column, before the YAML
// parser sees it and reports something less clear.
void check_text(const std::string& text, const std::string& name) {
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == 0) {
      fail_at(Origin{name, line, column},
              "a NUL byte; expected UTF-8 text (is this a binary file?)");
    }
    std::size_t length = 1;
    if (byte >= 0x80) {
      length = byte >= 0xF0 && byte <= 0xF4   ? 4
               : byte >= 0xE0                 ? 3
               : byte >= 0xC2 && byte <= 0xDF ? 2
                                              : 0;
      bool whole = length > 0 && i + length <= text.size();
      for (std::size_t k = 1; whole && k < length; ++k) {
        whole = (static_cast<unsigned char>(text[i + k]) & 0xC0U) == 0x80U;
      }
      if (!whole) {
        fail_at(Origin{name, line, column},
                "bytes that are not UTF-8 text; save the file as UTF-8 (is this a binary "
                "file?)");
      }
    }
    if (byte == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += length;
  }
}

Tree read_yaml_text(const std::string& text, const std::string& name) {
  check_text(text, name);
  YAML::Node root;
  try {
    // Every document is counted, so that a second one is refused rather than ignored.
    const DocumentCount documents = count_documents(text, name);
    if (documents.count > 1) {
      fail_at(origin_of(documents.second, name),
              "expected one YAML document, got a second one (after '---'); put every setting "
              "in one document");
    }
    if (documents.count == 1) root = YAML::Load(text);
  } catch (const YAML::DeepRecursion& error) {
    fail_at(origin_of(error.mark, name), "nested deeper than " + std::to_string(kMaxDepth) +
                                             " levels; settings are at most a few levels deep");
  } catch (const YAML::Exception& error) {
    fail_at(origin_of(error.mark, name), "YAML syntax error: " + error.msg);
  }
  Budget budget{name};
  Tree tree = convert(root, budget, "", 0);
  if (tree.kind == Tree::Kind::null) tree.origin = Origin{name, 1, 1};
  return tree;
}

Tree read_yaml_file(const std::string& path) {
  return read_settings_file(path, "").tree;
}

SettingsFile read_settings_file(const std::string& path, std::string_view what) {
  SettingsFile file{read_input_file(path, what.empty() ? "a YAML file" : "a YAML settings file",
                                    kSettingsFileLimit),
                    {}};
  file.tree = read_yaml_text(file.text, path);
  if (!what.empty() && !file.tree.is_map()) {
    throw Error(ErrorKind::invalid_input, to_string(file.tree.origin) + ": (top level): expected " +
                                              std::string(what) + ", got " +
                                              file.tree.describe_top_level());
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
