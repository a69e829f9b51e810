// The parameter table: one Markdown row per setting, with its default, unit, evidence flag,
// source and meaning, for the tables in docs/parameters.md and docs/ODD.md.
#include "trygg/scenario/schema.hpp"

#include "key_path.hpp"

namespace trygg::scenario {

namespace {

class TableWriter final : public Visitor {
 public:
  explicit TableWriter(std::string path, std::string& out) : path_(std::move(path)), out_(out) {}

  void integer(const Field& f, std::int64_t& value, Range) override {
    row(f, std::to_string(value));
  }
  void number(const Field& f, double& value, Range) override { row(f, format_number(value)); }
  void boolean(const Field& f, bool& value) override { row(f, value ? "true" : "false"); }
  void text(const Field& f, std::string& value) override {
    row(f, f.required ? "(required)" : value);
  }
  void localised_text(const Field& f, LocalisedText& value, std::size_t /*longest*/) override {
    row(f, value.sv == value.en ? value.en : "{sv: " + value.sv + ", en: " + value.en + "}");
  }
  void date(const Field& f, Date& value) override { row(f, format_iso_date(value)); }
  void choice(const Field& f, std::string& value, std::span<const std::string_view>) override {
    row(f, value);
  }
  void name_list(const Field& f, std::vector<NameRef>& names) override {
    std::string shown;
    for (const auto& name : names) shown += (shown.empty() ? "" : ", ") + name.name;
    row(f, "[" + shown + "]");
  }
  void number_list(const Field& f, std::vector<double>& values) override {
    std::string shown;
    for (const double value : values) shown += (shown.empty() ? "" : ", ") + format_number(value);
    row(f, "[" + shown + "]");
  }
  void flagged_number(const Field& f, Flagged<double>&, Range) override { row(f, "(data)"); }
  void flagged_choice(const Field& f, Flagged<std::string>&,
                      std::span<const std::string_view>) override {
    row(f, "(data)");
  }
  void flagged_names(const Field& f, Flagged<std::vector<NameRef>>&) override { row(f, "(data)"); }
  void object(const Field& f, const std::function<void(Visitor&)>& fields) override {
    TableWriter inner(join_path(path_, f.key), out_);
    fields(inner);
  }
  void optional_object(const Field& f, bool& /*present*/,
                       const std::function<void(Visitor&)>& fields) override {
    object(f, fields);
  }
  void object_list(const Field& f, ObjectList& list) override {
    // Default lists (age rates, place kinds) are shown item by item; empty ones by their fields.
    if (list.size() == 0) {
      TableWriter inner(join_path(path_, f.key) + "[]", out_);
      list.visit_prototype(inner);
      return;
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      TableWriter inner(join_path(path_, f.key) + "[" + std::to_string(i) + "]", out_);
      list.visit(i, inner);
    }
  }
  void object_map(const Field& f, ObjectList& list) override {
    TableWriter inner(join_path(path_, f.key) + ".NAME", out_);
    list.visit_prototype(inner);
  }
  void overrides(const Field& f, std::vector<Override>&) override { row(f, "{}"); }

 private:
  static std::string cell(std::string_view text) {
    std::string out;
    for (const char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
  }
  void row(const Field& f, const std::string& default_value) {
    out_ += "| `" + join_path(path_, f.key) + "` | " + cell(default_value) + " | " + cell(f.unit) +
            " | " + cell(f.flag) + " | " + cell(f.source) + " | " + cell(f.doc) + " |\n";
  }
  std::string path_;
  std::string& out_;
};

}  // namespace

std::string parameter_table(const Describe& describe) {
  std::string out =
      "| key | default | unit | flag | source or reasoning | meaning |\n"
      "|---|---|---|---|---|---|\n";
  TableWriter writer("", out);
  describe(writer);
  return out;
}

}  // namespace trygg::scenario
