#pragma once
// Import of population by region, age and sex from Statistics Sweden (SCB): a table exported
// from the PxWeb statistical database as CSV ("comma-delimited with heading", or the
// semicolon-delimited Latin-1 variant that spreadsheets give) becomes Trygg district data.
#include <string>
#include <vector>

#include "trygg/scenario/scenario.hpp"

namespace trygg::scenario {

struct ScbRegion {
  std::string name;            // without the region code: "0581R001 Hageby" -> "Hageby"
  std::vector<AgeBand> bands;  // contiguous from age 0, with male counts when the table has sex
  double total() const;
};

struct ScbTable {
  std::string file;
  std::string title;  // the export's title line, when it has one
  std::string year;   // the column imported
  std::vector<ScbRegion> regions;
};

// Reads an export. `year` picks a year column (empty: the latest). Rows for totals ("totalt")
// are skipped. Throws trygg::Error (invalid_input) naming the file and line of a problem.
ScbTable read_pxweb_csv(const std::string& path, const std::string& year = {});

struct ScbImport {
  DistrictData data;
  std::vector<std::string> notes;  // what was matched, replaced, added or left out
};

// Turns a table into district data. With a base, the districts (and the municipality) whose
// names match a region take the region's population and age structure, flagged S with the
// export as source; everything else of the base is kept. Without a base, every region becomes
// a district and the municipality is their sum (or the region named `municipality`); figures
// the export does not hold are filled with defaults flagged E, which the notes list.
ScbImport import_scb(const ScbTable& table, const DistrictData* base,
                     const std::string& municipality);

// The district data as YAML, in the format the loader reads.
std::string district_data_yaml(const DistrictData& data, const std::string& header_comment);

}  // namespace trygg::scenario
