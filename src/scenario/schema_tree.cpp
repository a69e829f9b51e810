// A spec's values as a tree, ready for to_yaml: how Trygg writes data files (the district data
// that the SCB import makes).
#include "trygg/scenario/schema.hpp"

#include <cmath>

namespace trygg::scenario {

namespace {

Tree scalar_tree(std::string text) {
  Tree tree;
  tree.kind = Tree::Kind::scalar;
  tree.scalar = std::move(text);
  return tree;
}

// A text that reads back as a text, whatever it holds (a number, "yes", a colon).
Tree quoted_tree(std::string text) {
  Tree tree = scalar_tree(std::move(text));
  tree.quoted = true;
  return tree;
}

// An entry written by Trygg rather than read from a file: it has no origin.
Tree::Entry written_entry(std::string key, Tree value) {
  Tree::Entry entry;
  entry.key = std::move(key);
  entry.value = std::move(value);
  return entry;
}

Tree map_tree() {
  Tree tree;
  tree.kind = Tree::Kind::map;
  return tree;
}

class TreeWriter final : public Visitor {
 public:
  Tree tree = map_tree();

  bool writes_values() const override { return true; }

  void integer(const Field& f, std::int64_t& value, Range) override {
    put(f, scalar_tree(std::to_string(value)));
  }
  void number(const Field& f, double& value, Range range) override {
    put(f, scalar_tree(range.whole ? std::to_string(std::llround(value)) : format_number(value)));
  }
  void boolean(const Field& f, bool& value) override {
    put(f, scalar_tree(value ? "true" : "false"));
  }
  void text(const Field& f, std::string& value) override {
    if (!value.empty() || f.required) put(f, scalar_tree(value));
  }
  void localised_text(const Field& f, LocalisedText& value, std::size_t /*longest*/) override {
    if (!value.given) return;
    if (!value.per_language && value.sv == value.en) {
      put(f, quoted_tree(value.en));
      return;
    }
    Tree languages = map_tree();
    languages.entries.push_back(written_entry("sv", quoted_tree(value.sv)));
    languages.entries.push_back(written_entry("en", quoted_tree(value.en)));
    put(f, std::move(languages));
  }
  void date(const Field& f, Date& value) override { put(f, scalar_tree(format_iso_date(value))); }
  void choice(const Field& f, std::string& value, std::span<const std::string_view>) override {
    put(f, scalar_tree(value));
  }
  void name_list(const Field& f, std::vector<NameRef>& names) override {
    put(f, names_tree(names));
  }
  void number_list(const Field& f, std::vector<double>& values) override {
    Tree items;
    items.kind = Tree::Kind::sequence;
    for (const double value : values) items.items.push_back(scalar_tree(format_number(value)));
    put(f, std::move(items));
  }
  void flagged_number(const Field& f, Flagged<double>& value, Range range) override {
    put(f, flagged(value, scalar_tree(range.whole ? std::to_string(std::llround(value.value))
                                                  : format_number(value.value))));
  }
  void flagged_choice(const Field& f, Flagged<std::string>& value,
                      std::span<const std::string_view>) override {
    put(f, flagged(value, scalar_tree(value.value)));
  }
  void flagged_names(const Field& f, Flagged<std::vector<NameRef>>& value) override {
    put(f, flagged(value, names_tree(value.value)));
  }
  void object(const Field& f, const std::function<void(Visitor&)>& fields) override {
    TreeWriter inner;
    fields(inner);
    put(f, std::move(inner.tree));
  }
  void optional_object(const Field& f, bool& present,
                       const std::function<void(Visitor&)>& fields) override {
    if (present) object(f, fields);
  }
  void object_list(const Field& f, ObjectList& list) override {
    Tree items;
    items.kind = Tree::Kind::sequence;
    for (std::size_t i = 0; i < list.size(); ++i) {
      TreeWriter inner;
      list.visit(i, inner);
      items.items.push_back(std::move(inner.tree));
    }
    put(f, std::move(items));
  }
  void object_map(const Field& f, ObjectList& list) override {
    Tree entries = map_tree();
    for (std::size_t i = 0; i < list.size(); ++i) {
      TreeWriter inner;
      list.visit(i, inner);
      // The entry's name is not a field of the item: recover it from the item's own visit.
      entries.entries.push_back(written_entry(list_name(list, i), std::move(inner.tree)));
    }
    put(f, std::move(entries));
  }
  void overrides(const Field& f, std::vector<Override>& values) override {
    Tree entries = map_tree();
    for (const Override& change : values)
      entries.entries.push_back(written_entry(change.path, change.value));
    if (!values.empty()) put(f, std::move(entries));
  }

 private:
  static std::string list_name(ObjectList& list, std::size_t index) { return list.name(index); }
  static Tree names_tree(const std::vector<NameRef>& names) {
    Tree items;
    items.kind = Tree::Kind::sequence;
    for (const NameRef& name : names) items.items.push_back(scalar_tree(name.name));
    return items;
  }
  template <class T>
  static Tree flagged(const Flagged<T>& value, Tree inner) {
    Tree node = map_tree();
    node.entries.push_back(written_entry("value", std::move(inner)));
    node.entries.push_back(written_entry("flag", scalar_tree(value.flag)));
    Tree source = scalar_tree(value.source);
    source.quoted = true;
    node.entries.push_back(written_entry("source", std::move(source)));
    return node;
  }
  void put(const Field& f, Tree value) {
    tree.entries.push_back(written_entry(std::string(f.key), std::move(value)));
  }
};

}  // namespace

Tree to_tree(const Describe& describe) {
  TreeWriter writer;
  describe(writer);
  return std::move(writer.tree);
}

}  // namespace trygg::scenario
