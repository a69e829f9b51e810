// The root's attributes: what wrote the file, from what, when and where.
#include "groups.hpp"

namespace trygg::output::groups {

void write_provenance_attributes(hid_t file, const Provenance& p) {
  h5::write_attribute(file, "source", "trygg " + p.trygg_version + " (" + p.git_commit + ")");
  h5::write_attribute(file, "references", p.citation);
  h5::write_attribute(file, "trygg_version", p.trygg_version);
  h5::write_attribute(file, "git_commit", p.git_commit);
  h5::write_attribute(file, "scenario_file", p.scenario_file);
  h5::write_attribute(file, "scenario_name", p.scenario_name);
  h5::write_attribute(file, "scenario_yaml", p.scenario_yaml);
  h5::write_attribute(file, "seed", p.seed);
  h5::write_attribute(file, "threads", p.threads);
  h5::write_attribute(file, "start_utc", p.start_utc);
  h5::write_attribute(file, "end_utc", p.end_utc);
  h5::write_attribute(file, "host", p.host);
}

void read_provenance_attributes(hid_t file, Provenance& p) {
  p.trygg_version = h5::read_string_attribute(file, "trygg_version");
  p.git_commit = h5::read_string_attribute(file, "git_commit");
  p.scenario_file = h5::read_string_attribute(file, "scenario_file");
  p.scenario_name = h5::read_string_attribute(file, "scenario_name");
  p.scenario_yaml = h5::read_string_attribute(file, "scenario_yaml");
  p.start_utc = h5::read_string_attribute(file, "start_utc");
  p.end_utc = h5::read_string_attribute(file, "end_utc");
  p.host = h5::read_string_attribute(file, "host");
  p.citation = h5::read_string_attribute(file, "references");
  p.seed = h5::read_uint_attribute(file, "seed");
  p.threads = h5::read_int_attribute(file, "threads");
}

void write_provenance(hid_t file, const ResultSet& results) {
  h5::write_attribute(file, "format", std::string(kFormatName));
  h5::write_attribute(file, "format_version", kFormatVersion);
  h5::write_attribute(file, "Conventions", std::string("CF-1.8"));
  h5::write_attribute(file, "title", "Trygg results: " + results.provenance.scenario_name);
  write_provenance_attributes(file, results.provenance);
  h5::write_attribute(file, "step_days", results.step_days);
  // How costs and offences averted are valued (files before these attributes: the defaults).
  const Economics& economics = results.economics;
  h5::write_attribute(file, "price_year", economics.price_year);
  h5::write_attribute(file, "discount_rate", economics.discount_rate);
  h5::write_attribute(file, "willingness_to_pay_max_sek", economics.willingness_to_pay_max_sek);
  h5::write_attribute(file, "reference_willingness_to_pay_sek",
                      economics.reference_willingness_to_pay_sek);
  h5::write_attribute(file, "report_language", results.report_language);
}

void read_provenance(hid_t file, ResultSet& results) {
  read_provenance_attributes(file, results.provenance);
  results.step_days = h5::read_int_attribute(file, "step_days");
  Economics& economics = results.economics;
  if (h5::has_attribute(file, "price_year")) {
    economics.price_year = h5::read_int_attribute(file, "price_year");
    economics.discount_rate = h5::read_double_attribute(file, "discount_rate");
    economics.willingness_to_pay_max_sek =
        h5::read_double_attribute(file, "willingness_to_pay_max_sek");
    economics.reference_willingness_to_pay_sek =
        h5::read_double_attribute(file, "reference_willingness_to_pay_sek");
  }
  // Files written before the report's language read as English.
  results.report_language = h5::has_attribute(file, "report_language")
                                ? h5::read_string_attribute(file, "report_language")
                                : std::string("en");
}

}  // namespace trygg::output::groups
