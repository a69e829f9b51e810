// The strict loader's visitor: fills a spec from a YAML tree, checking every value against its
// field's kind and range, and reports every problem (and every unknown key) with its position.
#include "trygg/scenario/schema.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <set>

#include "key_path.hpp"

namespace trygg::scenario {

namespace {

std::string describe_range(std::string_view noun, const Range& range) {
  std::string text(noun);
  const bool has_min = !std::isinf(range.min);
  const bool has_max = !std::isinf(range.max);
  if (has_min && has_max && !range.exclusive_min && !range.exclusive_max) {
    return text + " between " + format_number(range.min) + " and " + format_number(range.max);
  }
  if (has_min) text += (range.exclusive_min ? " > " : " >= ") + format_number(range.min);
  if (has_min && has_max) text += " and";
  if (has_max) text += (range.exclusive_max ? " < " : " <= ") + format_number(range.max);
  return text;
}

std::string expect_number(const Range& range) {
  return describe_range(range.whole ? "an integer" : "a number", range);
}

std::string list_options(std::span<const std::string_view> options) {
  std::string text;
  for (const auto& option : options) text += (text.empty() ? "" : ", ") + std::string(option);
  return text;
}

bool in_range(double value, const Range& range) {
  if (range.exclusive_min ? !(value > range.min) : !(value >= range.min)) return false;
  return range.exclusive_max ? value < range.max : value <= range.max;
}

// A plain (unquoted) scalar as a number; quoted text is never a number.
std::optional<double> as_number(const Tree& node) {
  if (node.kind != Tree::Kind::scalar || node.quoted || node.scalar.empty()) return std::nullopt;
  double value = 0;
  const char* first = node.scalar.data();
  const char* last = first + node.scalar.size();
  if (*first == '+') ++first;
  const auto [end, error] = std::from_chars(first, last, value);
  if (error != std::errc{} || end != last || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<std::int64_t> as_integer(const Tree& node) {
  if (node.kind != Tree::Kind::scalar || node.quoted || node.scalar.empty()) return std::nullopt;
  std::int64_t value = 0;
  const char* first = node.scalar.data();
  const char* last = first + node.scalar.size();
  if (*first == '+') ++first;
  const auto [end, error] = std::from_chars(first, last, value);
  if (error != std::errc{} || end != last) return std::nullopt;
  return value;
}

class TreeReader final : public Visitor {
 public:
  TreeReader(const Tree& tree, std::string path, std::vector<std::string>& errors)
      : tree_(tree), path_(std::move(path)), errors_(errors) {}

  void integer(const Field& field, std::int64_t& value, Range range) override {
    range.whole = true;
    if (const Tree* node = lookup(field, expect_number(range))) {
      const auto parsed = as_integer(*node);
      if (!parsed || !in_range(static_cast<double>(*parsed), range)) {
        return mismatch(field, *node, expect_number(range));
      }
      value = *parsed;
    }
  }

  void number(const Field& field, double& value, Range range) override {
    if (const Tree* node = lookup(field, expect_number(range)))
      read_number(field, *node, value, range);
  }

  void boolean(const Field& field, bool& value) override {
    if (const Tree* node = lookup(field, "true or false")) {
      if (node->kind == Tree::Kind::scalar && !node->quoted &&
          (node->scalar == "true" || node->scalar == "false")) {
        value = node->scalar == "true";
      } else {
        mismatch(field, *node, "true or false");
      }
    }
  }

  void text(const Field& field, std::string& value) override {
    if (const Tree* node = lookup(field, "a text")) {
      if (node->kind != Tree::Kind::scalar) return mismatch(field, *node, "a text");
      value = node->scalar;
    }
  }

  void localised_text(const Field& field, LocalisedText& value, std::size_t longest) override {
    const std::string expected = "a text, or a map {sv: text, en: text}";
    const Tree* node = lookup(field, expected);
    if (node == nullptr) return;
    const std::string key = join_path(path_, field.key);
    LocalisedText read;
    read.given = true;
    if (node->kind == Tree::Kind::scalar) {
      read.sv = read.en = node->scalar;
      if (!text_fits(key, *node, read.sv, longest)) return;
    } else if (node->is_map()) {
      read.per_language = true;
      const std::size_t before = errors_.size();
      TreeReader inner(*node, key, errors_);
      inner.text(Field{"sv", "", {}, {}, {}, true}, read.sv);
      inner.text(Field{"en", "", {}, {}, {}, true}, read.en);
      inner.finish();
      if (errors_.size() != before) return;
      const bool sv_fits = text_fits(join_path(key, "sv"), *node->find("sv"), read.sv, longest);
      const bool en_fits = text_fits(join_path(key, "en"), *node->find("en"), read.en, longest);
      if (!sv_fits || !en_fits) return;
    } else {
      return mismatch(field, *node, expected);
    }
    value = read;
  }

  void date(const Field& field, Date& value) override {
    if (const Tree* node = lookup(field, "a date as YYYY-MM-DD")) {
      const auto parsed =
          node->kind == Tree::Kind::scalar ? parse_iso_date(node->scalar) : std::nullopt;
      if (!parsed) return mismatch(field, *node, "a date as YYYY-MM-DD");
      value = *parsed;
    }
  }

  void choice(const Field& field, std::string& value,
              std::span<const std::string_view> options) override {
    const std::string expected = "one of " + list_options(options);
    if (const Tree* node = lookup(field, expected)) read_choice(field, *node, value, options);
  }

  void name_list(const Field& field, std::vector<NameRef>& names) override {
    if (const Tree* node = lookup(field, "a list of names")) {
      if (node->kind != Tree::Kind::sequence) return mismatch(field, *node, "a list of names");
      names.clear();
      for (std::size_t i = 0; i < node->items.size(); ++i) {
        const Tree& item = node->items[i];
        if (item.kind != Tree::Kind::scalar) {
          error(item.origin, join_path(path_, field.key) + "[" + std::to_string(i) +
                                 "]: expected a name, got " + item.describe());
          continue;
        }
        names.push_back(NameRef{item.scalar, item.origin});
      }
    }
  }

  void number_list(const Field& field, std::vector<double>& values) override {
    const Tree* node = lookup(field, "a list of numbers");
    if (node == nullptr) return;
    if (node->kind != Tree::Kind::sequence) return mismatch(field, *node, "a list of numbers");
    values.clear();
    for (std::size_t i = 0; i < node->items.size(); ++i) {
      const auto parsed = as_number(node->items[i]);
      if (!parsed) {
        error(node->items[i].origin, join_path(path_, field.key) + "[" + std::to_string(i) +
                                         "]: expected a number, got " + node->items[i].describe());
        continue;
      }
      values.push_back(*parsed);
    }
  }

  void flagged_number(const Field& field, Flagged<double>& value, Range range) override {
    const Tree* node = lookup(field, flagged_expectation(expect_number(range)));
    if (node == nullptr) return;
    if (!read_flag_and_source(field, *node, value)) return;
    TreeReader inner(*node, join_path(path_, field.key), errors_);
    inner.number(Field{"value", "", {}, {}, {}, true}, value.value, range);
  }

  void flagged_choice(const Field& field, Flagged<std::string>& value,
                      std::span<const std::string_view> options) override {
    const Tree* node = lookup(field, flagged_expectation("one of " + list_options(options)));
    if (node == nullptr) return;
    if (!read_flag_and_source(field, *node, value)) return;
    TreeReader inner(*node, join_path(path_, field.key), errors_);
    inner.choice(Field{"value", "", {}, {}, {}, true}, value.value, options);
  }

  void flagged_names(const Field& field, Flagged<std::vector<NameRef>>& value) override {
    const Tree* node = lookup(field, flagged_expectation("a list of names"));
    if (node == nullptr) return;
    if (!read_flag_and_source(field, *node, value)) return;
    TreeReader inner(*node, join_path(path_, field.key), errors_);
    inner.name_list(Field{"value", "", {}, {}, {}, true}, value.value);
  }

  void object(const Field& field, const std::function<void(Visitor&)>& fields) override {
    if (const Tree* node = lookup(field, "a map")) {
      if (!node->is_map()) return mismatch(field, *node, "a map");
      read_object(*node, join_path(path_, field.key), fields, errors_);
    }
  }

  void optional_object(const Field& field, bool& present,
                       const std::function<void(Visitor&)>& fields) override {
    const Tree* node = lookup(field, "a map");
    present = node != nullptr;
    if (node == nullptr) return;
    if (node->kind == Tree::Kind::null) return;  // `est:` alone takes the defaults
    if (!node->is_map()) return mismatch(field, *node, "a map");
    read_object(*node, join_path(path_, field.key), fields, errors_);
  }

  void object_list(const Field& field, ObjectList& list) override {
    const Tree* node = lookup(field, "a list of maps");
    if (node == nullptr) return;
    if (node->kind != Tree::Kind::sequence) return mismatch(field, *node, "a list of maps");
    list.resize(node->items.size());
    for (std::size_t i = 0; i < node->items.size(); ++i) {
      const Tree& item = node->items[i];
      const std::string item_path = join_path(path_, field.key) + "[" + std::to_string(i) + "]";
      list.set_origin(i, item.origin);
      if (!item.is_map()) {
        error(item.origin, item_path + ": expected a map, got " + item.describe());
        continue;
      }
      read_object(
          item, item_path, [&](Visitor& v) { list.visit(i, v); }, errors_);
    }
  }

  void object_map(const Field& field, ObjectList& list) override {
    const Tree* node = lookup(field, "a map of named entries");
    if (node == nullptr) return;
    if (!node->is_map()) return mismatch(field, *node, "a map of named entries");
    list.resize(node->entries.size());
    for (std::size_t i = 0; i < node->entries.size(); ++i) {
      const Tree::Entry& entry = node->entries[i];
      const std::string item_path = join_path(join_path(path_, field.key), entry.key);
      list.set_name(i, entry.key);
      list.set_origin(i, entry.key_origin);
      if (entry.value.kind == Tree::Kind::null) continue;  // `name:` alone takes the defaults
      if (!entry.value.is_map()) {
        error(entry.value.origin, item_path + ": expected a map, got " + entry.value.describe());
        continue;
      }
      read_object(
          entry.value, item_path, [&](Visitor& v) { list.visit(i, v); }, errors_);
    }
  }

  void overrides(const Field& field, std::vector<Override>& values) override {
    const Tree* node = lookup(field, "a map from dotted keys to values");
    if (node == nullptr) return;
    if (!node->is_map()) return mismatch(field, *node, "a map from dotted keys to values");
    values.clear();
    for (const Tree::Entry& entry : node->entries) {
      values.push_back(Override{entry.key, entry.key_origin, entry.value});
    }
  }

  // Reports the keys that no field claimed.
  void finish() {
    std::vector<std::string> known(known_.begin(), known_.end());
    for (const Tree::Entry& entry : tree_.entries) {
      if (known_.count(entry.key) != 0) continue;
      std::string message = join_path(path_, entry.key) + ": unknown key";
      const std::string suggestion = closest_match(entry.key, known);
      if (!suggestion.empty()) {
        message += "; did you mean '" + suggestion + "'?";
      } else {
        message += "; expected one of: " + join(known);
      }
      error(entry.key_origin, message);
    }
  }

 private:
  static std::string join(const std::vector<std::string>& words) {
    std::string text;
    for (const auto& word : words) text += (text.empty() ? "" : ", ") + word;
    return text;
  }

  static std::string flagged_expectation(const std::string& value) {
    return "{value: " + value + ", flag: S, E or U, source: a text}";
  }

  const Tree* lookup(const Field& field, const std::string& expected) {
    known_.insert(std::string(field.key));
    const Tree* node = tree_.find(field.key);
    if (node == nullptr && field.required) {
      error(tree_.origin,
            join_path(path_, field.key) + ": missing required key; expected " + expected);
    }
    return node;
  }

  // Whether a localised text is within `longest` characters and not empty (when bounded).
  bool text_fits(const std::string& key, const Tree& node, const std::string& text,
                 std::size_t longest) {
    if (longest == 0) return true;
    const std::size_t characters = character_count(text);
    if (characters == 0 || characters > longest) {
      error(node.origin, key + ": expected a short text of 1 to " + std::to_string(longest) +
                             " characters, got " +
                             (characters == 0 ? std::string("an empty text")
                                              : std::to_string(characters) + " characters"));
      return false;
    }
    return true;
  }

  void read_number(const Field& field, const Tree& node, double& value, const Range& range) {
    const auto parsed = as_number(node);
    if (!parsed || !in_range(*parsed, range) || (range.whole && *parsed != std::floor(*parsed))) {
      return mismatch(field, node, expect_number(range));
    }
    value = *parsed;
  }

  void read_choice(const Field& field, const Tree& node, std::string& value,
                   std::span<const std::string_view> options) {
    const bool ok = node.kind == Tree::Kind::scalar &&
                    std::find(options.begin(), options.end(), node.scalar) != options.end();
    if (!ok) {
      std::string expected = "one of " + list_options(options);
      if (node.kind == Tree::Kind::scalar) {
        const std::vector<std::string> names(options.begin(), options.end());
        const std::string suggestion = closest_match(node.scalar, names);
        if (!suggestion.empty()) expected += " (did you mean '" + suggestion + "'?)";
      }
      return mismatch(field, node, expected);
    }
    value = node.scalar;
  }

  template <class T>
  bool read_flag_and_source(const Field& field, const Tree& node, Flagged<T>& value) {
    if (!node.is_map()) {
      mismatch(field, node, flagged_expectation("a value"));
      return false;
    }
    value.origin = node.origin;
    static constexpr std::string_view kFlags[] = {"S", "E", "U"};
    TreeReader inner(node, join_path(path_, field.key), errors_);
    inner.choice(Field{"flag", "", {}, {}, {}, true}, value.flag, kFlags);
    inner.text(Field{"source", "", {}, {}, {}, true}, value.source);
    inner.known_.insert("value");
    inner.finish();
    if (value.source.empty() && node.find("source") != nullptr) {
      error(node.find("source")->origin,
            join_path(join_path(path_, field.key), "source") + ": expected a non-empty text");
    }
    return true;
  }

  void mismatch(const Field& field, const Tree& node, const std::string& expected) {
    error(node.origin,
          join_path(path_, field.key) + ": expected " + expected + ", got " + node.describe());
  }

  void error(const Origin& origin, const std::string& message) {
    errors_.push_back(to_string(origin) + ": " + message);
  }

  const Tree& tree_;
  std::string path_;
  std::vector<std::string>& errors_;
  std::set<std::string> known_;
};

}  // namespace

void read_object(const Tree& tree, const std::string& path, const Describe& describe,
                 std::vector<std::string>& errors) {
  TreeReader reader(tree, path, errors);
  describe(reader);
  reader.finish();
}

}  // namespace trygg::scenario
