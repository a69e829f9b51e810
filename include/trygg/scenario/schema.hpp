#pragma once
// One description of every setting serves three readers: the strict loader, the JSON Schema
// that editors use, and the parameter table in the docs. A spec type lists its fields once, in
// describe(Visitor&), with the key, meaning, unit, evidence flag, range and (through the
// member's initial value) the default; each Visitor does its own thing with that list.
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "trygg/core/calendar.hpp"
#include "trygg/scenario/tree.hpp"

namespace trygg::scenario {

struct Field {
  std::string_view key;
  std::string_view doc;
  std::string_view unit = {};
  std::string_view flag = {};    // S sourced, E estimate, U unchecked (model parameters)
  std::string_view source = {};  // the source, or the reasoning behind an estimate
  bool required = false;
};

struct Range {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool exclusive_min = false;
  bool whole = false;          // the value must be a whole number
  bool exclusive_max = false;  // last, so that the positional ranges above keep their meaning
};

// The ranges most settings use.
inline constexpr Range kShare{0.0, 1.0};
inline constexpr Range kNonNegative{0.0};
inline constexpr Range kPositive{0.0, std::numeric_limits<double>::infinity(), true};

// A name that refers to something defined elsewhere (a district), kept with its position so
// that a reference to an unknown name can be reported where it was written.
struct NameRef {
  std::string name{};
  Origin origin{};
};

// A figure from a data file together with its evidence flag and source.
template <class T>
struct Flagged {
  T value{};
  std::string flag{};
  std::string source{};
  Origin origin{};
};

// A figure made by Trygg rather than read from a file (built member by member: GCC 12 warns
// falsely about aggregate temporaries holding strings).
template <class T>
Flagged<T> make_flagged(const T& value, const std::string& flag, const std::string& source) {
  Flagged<T> figure;
  figure.value = value;
  figure.flag = flag;
  figure.source = source;
  return figure;
}

// A text for people in each language the planners' report speaks: written as one text (the same
// in every language) or as a map {sv: ..., en: ...} with both keys.
struct LocalisedText {
  std::string sv{};
  std::string en{};
  bool given = false;         // written in the file (readers set it); absent texts are not written
  bool per_language = false;  // written as {sv, en} rather than one text
  // The same text in every language.
  static LocalisedText same(const std::string& text) {
    LocalisedText localised;
    localised.sv = text;
    localised.en = text;
    return localised;
  }
};

// The most characters of a label (an arm's or a measure's): what fits a table's column and a
// chart's legend in the planners' report.
inline constexpr std::size_t kLongestLabel = 40;

// The languages of LocalisedText, and of the report (report.language).
inline constexpr std::string_view kLanguages[] = {"sv", "en"};

// The number of characters (Unicode code points) of UTF-8 text, as people count them.
std::size_t character_count(std::string_view text);

class Visitor;

// One `set:` entry of an arm: a dotted key path into the scenario and the value it takes.
struct Override {
  std::string path{};
  Origin origin{};  // where the key path was written
  Tree value;
};

// Lets a visitor fill or describe a list (or a map by name) of spec objects of one type.
class ObjectList {
 public:
  virtual ~ObjectList() = default;
  virtual void resize(std::size_t count) = 0;
  virtual std::size_t size() const = 0;
  virtual void set_name(std::size_t index, const std::string& name) = 0;
  virtual std::string name(std::size_t index) const = 0;
  virtual void set_origin(std::size_t index, const Origin& origin) = 0;
  virtual void visit(std::size_t index, Visitor& visitor) = 0;
  virtual void visit_prototype(Visitor& visitor) = 0;  // a default item, for schemas and docs
};

class Visitor {
 public:
  virtual ~Visitor() = default;
  virtual void integer(const Field& field, std::int64_t& value, Range range) = 0;
  virtual void number(const Field& field, double& value, Range range) = 0;
  virtual void boolean(const Field& field, bool& value) = 0;
  virtual void text(const Field& field, std::string& value) = 0;
  virtual void date(const Field& field, Date& value) = 0;
  virtual void choice(const Field& field, std::string& value,
                      std::span<const std::string_view> options) = 0;
  virtual void name_list(const Field& field, std::vector<NameRef>& names) = 0;
  virtual void number_list(const Field& field, std::vector<double>& values) = 0;
  virtual void flagged_number(const Field& field, Flagged<double>& value, Range range) = 0;
  virtual void flagged_choice(const Field& field, Flagged<std::string>& value,
                              std::span<const std::string_view> options) = 0;
  // A flagged list of names (it may be empty), e.g. a district's neighbours.
  virtual void flagged_names(const Field& field, Flagged<std::vector<NameRef>>& value) = 0;
  virtual void object(const Field& field, const std::function<void(Visitor&)>& fields) = 0;
  // A text per language (LocalisedText): one text or {sv: ..., en: ...}; `longest` > 0 bounds
  // each text's characters and makes an empty text an error.
  virtual void localised_text(const Field& field, LocalisedText& value, std::size_t longest) = 0;
  // A map that may be absent; `present` says whether it was given (readers set it).
  virtual void optional_object(const Field& field, bool& present,
                               const std::function<void(Visitor&)>& fields) = 0;
  // A YAML list of objects.
  virtual void object_list(const Field& field, ObjectList& list) = 0;
  // A YAML map from a user-chosen name to an object.
  virtual void object_map(const Field& field, ObjectList& list) = 0;
  // A map from dotted key paths to values, checked later against the whole scenario.
  virtual void overrides(const Field& field, std::vector<Override>& values) = 0;
  // True for a visitor that writes a spec's values out; optional parts that are empty are then
  // left out (readers and schema writers must see every field).
  virtual bool writes_values() const { return false; }

  template <class Int>
  void whole_number(const Field& field, Int& value, Range range) {
    auto wide = static_cast<std::int64_t>(value);
    integer(field, wide, range);
    value = static_cast<Int>(wide);
  }
};

// Adapts a std::vector of spec objects, each with `name`, `origin` and describe(Visitor&).
template <class T>
class ObjectListOf final : public ObjectList {
 public:
  explicit ObjectListOf(std::vector<T>& items) : items_(items) {}
  void resize(std::size_t count) override { items_.resize(count); }
  std::size_t size() const override { return items_.size(); }
  void set_name(std::size_t index, const std::string& name) override { items_[index].name = name; }
  std::string name(std::size_t index) const override { return items_[index].name; }
  void set_origin(std::size_t index, const Origin& origin) override {
    items_[index].origin = origin;
  }
  void visit(std::size_t index, Visitor& visitor) override { items_[index].describe(visitor); }
  void visit_prototype(Visitor& visitor) override {
    T prototype;
    prototype.describe(visitor);
  }

 private:
  std::vector<T>& items_;
};

using Describe = std::function<void(Visitor&)>;

// Fills a spec from a map node. Every problem is appended to `errors` as
// "file:line:column: dotted.key: what was expected, got what"; reading goes on after an error
// so that one pass reports them all.
void read_object(const Tree& tree, const std::string& path, const Describe& describe,
                 std::vector<std::string>& errors);

// The JSON Schema (draft 2020-12) of a spec, as pretty-printed text.
std::string json_schema(const Describe& describe, std::string_view title,
                        std::string_view description);

// The values of a spec as a tree, ready for to_yaml (used to write data files). Empty optional
// texts are left out.
Tree to_tree(const Describe& describe);

// A Markdown table of every setting: key, default, unit, flag, source, meaning.
std::string parameter_table(const Describe& describe);

// A number as people write it: 0.9, 1.25, 145000 (no trailing zeros).
std::string format_number(double value);
// A YAML double-quoted scalar, so that a path or name with quotes or backslashes stays what it
// was in the files Trygg writes (sweep files of calibration and of parameter-set runs).
std::string yaml_quoted(const std::string& text);

// The closest of the candidates to a mistyped word, or "" when none is close.
std::string closest_match(std::string_view word, std::span<const std::string> candidates);

}  // namespace trygg::scenario
