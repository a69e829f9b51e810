// The JSON Schema writer: the schema (draft 2020-12) that editors use to check and complete
// scenario files, with each setting's meaning, unit, evidence flag, range and default.
#include "trygg/scenario/schema.hpp"

#include <cmath>
#include <cstdio>

namespace trygg::scenario {

namespace {

std::string json_quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// A JSON object under construction: keys in insertion order, values already serialised.
struct JsonObject {
  std::vector<std::pair<std::string, std::string>> members;
  void add(std::string key, std::string json) {
    members.emplace_back(std::move(key), std::move(json));
  }
  std::string str(int indent) const {
    if (members.empty()) return "{}";
    const std::string pad(static_cast<std::size_t>(indent + 2), ' ');
    std::string out = "{\n";
    for (std::size_t i = 0; i < members.size(); ++i) {
      out += pad + json_quote(members[i].first) + ": " + reindent(members[i].second, indent + 2);
      out += i + 1 < members.size() ? ",\n" : "\n";
    }
    return out + std::string(static_cast<std::size_t>(indent), ' ') + "}";
  }
  static std::string reindent(const std::string& json, int indent) {
    std::string out;
    for (const char c : json) {
      out += c;
      if (c == '\n') out += std::string(static_cast<std::size_t>(indent), ' ');
    }
    return out;
  }
};

std::string json_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + "]";
}

std::string field_description(const Field& field) {
  std::string text(field.doc);
  if (!field.unit.empty()) text += " Unit: " + std::string(field.unit) + ".";
  if (!field.flag.empty()) {
    text += " [" + std::string(field.flag) + "] " + std::string(field.source);
  }
  return text;
}

class SchemaWriter final : public Visitor {
 public:
  JsonObject properties;
  std::vector<std::string> required;

  void integer(const Field& field, std::int64_t& value, Range range) override {
    JsonObject schema = base(field, "integer");
    bounds(schema, range);
    schema.add("default", std::to_string(value));
    add(field, schema);
  }
  void number(const Field& field, double& value, Range range) override {
    JsonObject schema = base(field, range.whole ? "integer" : "number");
    bounds(schema, range);
    schema.add("default", format_number(value));
    add(field, schema);
  }
  void boolean(const Field& field, bool& value) override {
    JsonObject schema = base(field, "boolean");
    schema.add("default", value ? "true" : "false");
    add(field, schema);
  }
  void text(const Field& field, std::string& value) override {
    JsonObject schema = base(field, "string");
    if (!field.required) schema.add("default", json_quote(value));
    add(field, schema);
  }
  void localised_text(const Field& field, LocalisedText& /*value*/, std::size_t longest) override {
    JsonObject text;
    text.add("type", json_quote("string"));
    if (longest > 0) {
      text.add("minLength", "1");
      text.add("maxLength", std::to_string(longest));
    }
    JsonObject languages;
    for (const std::string_view language : kLanguages)
      languages.add(std::string(language), text.str(0));
    JsonObject per_language;
    per_language.add("type", json_quote("object"));
    per_language.add("additionalProperties", "false");
    per_language.add("properties", languages.str(0));
    per_language.add("required", "[\"sv\", \"en\"]");
    JsonObject schema;
    const std::string description = field_description(field);
    if (!description.empty()) schema.add("description", json_quote(description));
    schema.add("anyOf", "[" + text.str(0) + ", " + per_language.str(0) + "]");
    add(field, schema);
  }
  void date(const Field& field, Date& value) override {
    JsonObject schema = base(field, "string");
    schema.add("format", json_quote("date"));
    schema.add("pattern", json_quote("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"));
    schema.add("default", json_quote(format_iso_date(value)));
    add(field, schema);
  }
  void choice(const Field& field, std::string& value,
              std::span<const std::string_view> options) override {
    JsonObject schema = base(field, "string");
    schema.add("enum", enum_of(options));
    if (!value.empty()) schema.add("default", json_quote(value));
    add(field, schema);
  }
  void name_list(const Field& field, std::vector<NameRef>& /*names*/) override {
    JsonObject schema = base(field, "array");
    schema.add("items", "{\"type\": \"string\"}");
    add(field, schema);
  }
  void number_list(const Field& field, std::vector<double>& /*values*/) override {
    JsonObject schema = base(field, "array");
    schema.add("items", "{\"type\": \"number\"}");
    add(field, schema);
  }
  void flagged_number(const Field& field, Flagged<double>& /*value*/, Range range) override {
    JsonObject value_schema;
    value_schema.add("type", json_quote(range.whole ? "integer" : "number"));
    bounds(value_schema, range);
    add(field, flagged(field, value_schema));
  }
  void flagged_choice(const Field& field, Flagged<std::string>& /*value*/,
                      std::span<const std::string_view> options) override {
    JsonObject value_schema;
    value_schema.add("type", json_quote("string"));
    value_schema.add("enum", enum_of(options));
    add(field, flagged(field, value_schema));
  }
  void flagged_names(const Field& field, Flagged<std::vector<NameRef>>& /*value*/) override {
    JsonObject value_schema;
    value_schema.add("type", json_quote("array"));
    value_schema.add("items", "{\"type\": \"string\"}");
    add(field, flagged(field, value_schema));
  }
  void object(const Field& field, const std::function<void(Visitor&)>& fields) override {
    add(field, object_schema(field, fields));
  }
  void optional_object(const Field& field, bool& /*present*/,
                       const std::function<void(Visitor&)>& fields) override {
    JsonObject schema = object_schema(Field{}, fields);
    add(field, JsonObject{{{"description", json_quote(field_description(field))},
                           {"anyOf", "[" + schema.str(0) + ", {\"type\": \"null\"}]"}}});
  }
  void object_list(const Field& field, ObjectList& list) override {
    JsonObject schema = base(field, "array");
    schema.add("items",
               object_schema(Field{}, [&](Visitor& v) { list.visit_prototype(v); }).str(0));
    add(field, schema);
  }
  void object_map(const Field& field, ObjectList& list) override {
    JsonObject schema = base(field, "object");
    schema.add("additionalProperties",
               "{\"anyOf\": [" +
                   object_schema(Field{}, [&](Visitor& v) { list.visit_prototype(v); }).str(0) +
                   ", {\"type\": \"null\"}]}");
    add(field, schema);
  }

  void overrides(const Field& field, std::vector<Override>& /*values*/) override {
    JsonObject schema = base(field, "object");
    schema.add("propertyNames", "{\"pattern\": \"^[a-z_]+(\\\\.[a-z0-9_]+)+$\"}");
    add(field, schema);
  }

  static JsonObject object_schema(const Field& field, const std::function<void(Visitor&)>& fields) {
    SchemaWriter inner;
    fields(inner);
    JsonObject schema = base(field, "object");
    schema.add("additionalProperties", "false");
    schema.add("properties", inner.properties.str(0));
    if (!inner.required.empty()) schema.add("required", json_array(inner.required));
    return schema;
  }

 private:
  static JsonObject base(const Field& field, std::string_view type) {
    JsonObject schema;
    schema.add("type", json_quote(type));
    const std::string description = field_description(field);
    if (!description.empty()) schema.add("description", json_quote(description));
    // The same again for programs (the web app's forms): the unit, the evidence flag and its
    // source, each on its own.
    if (!field.unit.empty()) schema.add("x-unit", json_quote(field.unit));
    if (!field.flag.empty()) {
      schema.add("x-flag", json_quote(field.flag));
      schema.add("x-source", json_quote(field.source));
    }
    return schema;
  }
  static void bounds(JsonObject& schema, const Range& range) {
    if (!std::isinf(range.min)) {
      schema.add(range.exclusive_min ? "exclusiveMinimum" : "minimum", format_number(range.min));
    }
    if (!std::isinf(range.max)) {
      schema.add(range.exclusive_max ? "exclusiveMaximum" : "maximum", format_number(range.max));
    }
  }
  static std::string enum_of(std::span<const std::string_view> options) {
    std::vector<std::string> quoted;
    for (const auto& option : options) quoted.push_back(json_quote(option));
    return json_array(quoted);
  }
  static JsonObject flagged(const Field& field, const JsonObject& value_schema) {
    JsonObject props;
    props.add("value", value_schema.str(0));
    props.add("flag", "{\"type\": \"string\", \"enum\": [\"S\", \"E\", \"U\"]}");
    props.add("source", "{\"type\": \"string\", \"minLength\": 1}");
    JsonObject schema = base(field, "object");
    schema.add("additionalProperties", "false");
    schema.add("properties", props.str(0));
    schema.add("required", "[\"value\", \"flag\", \"source\"]");
    return schema;
  }
  void add(const Field& field, const JsonObject& schema) {
    properties.add(std::string(field.key), schema.str(0));
    if (field.required) required.push_back(json_quote(field.key));
  }
};

}  // namespace

std::string json_schema(const Describe& describe, std::string_view title,
                        std::string_view description) {
  JsonObject schema = SchemaWriter::object_schema(Field{}, describe);
  JsonObject root;
  root.add("$schema", json_quote("https://json-schema.org/draft/2020-12/schema"));
  root.add("title", json_quote(title));
  root.add("description", json_quote(description));
  for (auto& member : schema.members) {
    if (member.first != "description") root.members.push_back(member);
  }
  return root.str(0) + "\n";
}

}  // namespace trygg::scenario
