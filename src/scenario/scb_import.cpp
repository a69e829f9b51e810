#include "trygg/scenario/scb_import.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "trygg/core/error.hpp"
#include "trygg/core/input_file.hpp"
#include "trygg/scenario/synthetic_city.hpp"

namespace trygg::scenario {

namespace {

constexpr int kMaxAge = 120;  // the last age of an age band (AgeBand's range)

[[noreturn]] void fail(const std::string& file, std::size_t line, const std::string& message) {
  throw Error(ErrorKind::invalid_input, file + ":" + std::to_string(line) + ": " + message);
}

bool valid_utf8(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    if (c >= 0x80) {
      if ((c >> 5) == 0x6) {
        extra = 1;
      } else if ((c >> 4) == 0xE) {
        extra = 2;
      } else if ((c >> 3) == 0x1E) {
        extra = 3;
      } else {
        return false;
      }
    }
    if (i + extra >= text.size() && extra > 0) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return false;
    }
    i += extra + 1;
  }
  return true;
}

// Older PxWeb exports and spreadsheets write Latin-1 (Windows-1252); Trygg works in UTF-8.
std::string latin1_to_utf8(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == 0x96 || c == 0x97) {
      out += "\xe2\x80\x93";  // Windows-1252 en and em dash, as in "0\x964 år"
    } else if (c < 0x80) {
      out += ch;
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

std::vector<std::string> split_csv_line(const std::string& line, char delimiter) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == delimiter) {
      cells.push_back(cell);
      cell.clear();
    } else if (c != '\r') {
      cell += c;
    }
  }
  cells.push_back(cell);
  return cells;
}

// Lower case for ASCII and the Swedish capitals Å, Ä and Ö (UTF-8), which headers may use.
std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const auto next = static_cast<unsigned char>(text[i + 1]);
    if (lead == 0xC3 && (next == 0x85 || next == 0x84 || next == 0x96)) {
      text[i + 1] = static_cast<char>(next + 0x20);  // Å -> å, Ä -> ä, Ö -> ö
    }
  }
  return text;
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool contains(const std::string& text, std::string_view word) {
  return text.find(word) != std::string::npos;
}

// An age at the start of `text` (0 to kMaxAge), and how many characters it took; nullopt for
// anything else (a number too large even for an int).
std::optional<int> leading_age(std::string_view text, std::size_t& used) {
  int age = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), age);
  if (error != std::errc{} || age < 0 || age > kMaxAge) return std::nullopt;
  used = static_cast<std::size_t>(end - text.data());
  return age;
}

// "0-4 år" -> (0, 4); "17 år" -> (17, 17); "100+ år" -> (100, 120); totals -> nullopt. An age
// beyond 0 to 120, or a band that ends before it starts, is refused at `path`:`line`.
std::optional<std::pair<int, int>> parse_age(const std::string& label, const std::string& path,
                                             std::size_t line) {
  const std::string text = lower(trim(label));
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0]))) return std::nullopt;
  const auto refuse = [&] {
    fail(path, line,
         "expected an age band such as '0-4 år', '17 år' or '100+ år', with ages from 0 to " +
             std::to_string(kMaxAge) + ", got '" + label + "'");
  };
  std::size_t at = 0;
  const std::optional<int> from = leading_age(text, at);
  if (!from) refuse();
  const std::string rest = text.substr(at);
  if (!rest.empty() && rest[0] == '+') return std::pair{*from, kMaxAge};
  if (!rest.empty() &&
      (rest[0] == '-' || rest.rfind("\xe2\x80\x93", 0) == 0)) {  // hyphen or en dash
    const std::size_t digits = rest.find_first_of("0123456789");
    if (digits == std::string::npos) return std::pair{*from, kMaxAge};  // "100- år": open-ended
    std::size_t ignored = 0;
    const std::optional<int> to = leading_age(std::string_view(rest).substr(digits), ignored);
    if (!to || *to < *from) refuse();
    return std::pair{*from, *to};
  }
  return std::pair{*from, *from};
}

enum class SexColumn { male, female, total };

std::optional<SexColumn> parse_sex(const std::string& label) {
  const std::string text = lower(trim(label));
  if (text == "män" || text == "man" || text == "men" || text == "male" || text == "males" ||
      text == "1") {
    return SexColumn::male;
  }
  if (text == "kvinnor" || text == "kvinna" || text == "women" || text == "female" ||
      text == "females" || text == "2") {
    return SexColumn::female;
  }
  if (contains(text, "total") || contains(text, "båda") || contains(text, "both"))
    return SexColumn::total;
  return std::nullopt;
}

// "0581R001 Hageby" -> "Hageby": a leading token with digits is a region code.
std::string region_name(const std::string& label) {
  std::string text = trim(label);
  const std::size_t space = text.find(' ');
  if (space == std::string::npos) return text;
  const std::string first = text.substr(0, space);
  const bool code =
      std::any_of(first.begin(), first.end(), [](unsigned char c) { return std::isdigit(c); });
  return code ? trim(text.substr(space + 1)) : text;
}

// A count of persons has at most 10 digits (the world has fewer than 10^10 people).
constexpr std::size_t kCountDigits = 10;

std::optional<double> parse_count(const std::string& cell) {
  std::string digits;
  for (std::size_t i = 0; i < cell.size(); ++i) {
    const auto c = static_cast<unsigned char>(cell[i]);
    if (std::isdigit(c)) {
      digits += static_cast<char>(c);
    } else if (c == ' ' || c == '\t') {
      continue;  // thousands separator
    } else if (c == 0xC2 && i + 1 < cell.size() &&
               static_cast<unsigned char>(cell[i + 1]) == 0xA0) {
      ++i;  // no-break space, a thousands separator in Swedish exports
    } else {
      return std::nullopt;  // "..", "-" and other markers of missing values
    }
  }
  if (digits.empty()) return std::nullopt;
  // Whole digits only, so the count is exact; more than 10 digits is no count of persons (and
  // would overflow the sums and roundings after it, or a double).
  while (digits.size() > 1 && digits.front() == '0') digits.erase(0, 1);
  if (digits.size() > kCountDigits) return std::nullopt;
  return std::stod(digits);
}

bool is_year(const std::string& header) {
  const std::string text = trim(header);
  return std::any_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); }) &&
         text.find_first_of("0123456789") + 4 <= text.size();
}

std::string year_of(const std::string& header) {
  const std::string text = trim(header);
  const std::size_t digits = text.find_first_of("0123456789");
  return digits == std::string::npos ? text : text.substr(digits, 4);
}

}  // namespace

double ScbRegion::total() const {
  double sum = 0;
  for (const AgeBand& band : bands) sum += band.count;
  return sum;
}

ScbTable read_pxweb_csv(const std::string& path, const std::string& year) {
  std::string text = read_input_file(path, "an SCB export (PxWeb CSV)", kTableFileLimit);
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // byte-order mark
  if (!valid_utf8(text)) text = latin1_to_utf8(text);

  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // CRLF files
    lines.push_back(line);
  }

  ScbTable table;
  table.file = path;
  // The header is the first line with a region column; lines before it are the title.
  std::size_t header_line = lines.size();
  char delimiter = ',';
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto commas = std::count(lines[i].begin(), lines[i].end(), ',');
    const auto semicolons = std::count(lines[i].begin(), lines[i].end(), ';');
    const auto tabs = std::count(lines[i].begin(), lines[i].end(), '\t');
    const char guess = semicolons > commas && semicolons >= tabs ? ';' : tabs > commas ? '\t' : ',';
    const std::vector<std::string> cells = split_csv_line(lines[i], guess);
    const bool header =
        cells.size() >= 3 && std::any_of(cells.begin(), cells.end(), [](const std::string& cell) {
          return lower(trim(cell)).rfind("region", 0) == 0;
        });
    if (header) {
      header_line = i;
      delimiter = guess;
      break;
    }
    if (table.title.empty() && !trim(lines[i]).empty())
      table.title = trim(split_csv_line(lines[i], ',')[0]);
  }
  if (header_line == lines.size()) {
    fail(path, 1, "expected a PxWeb CSV export with a 'region' column, got no such header line");
  }
  const std::vector<std::string> header = split_csv_line(lines[header_line], delimiter);
  int region_column = -1;
  int age_column = -1;
  int sex_column = -1;
  std::vector<int> year_columns;
  for (std::size_t c = 0; c < header.size(); ++c) {
    const std::string name = lower(trim(header[c]));
    if (name.rfind("region", 0) == 0) {
      region_column = static_cast<int>(c);
    } else if (contains(name, "ålder") || contains(name, "alder") || name == "age") {
      age_column = static_cast<int>(c);
    } else if (contains(name, "kön") || contains(name, "kon") || name == "sex") {
      sex_column = static_cast<int>(c);
    } else if (is_year(name)) {
      year_columns.push_back(static_cast<int>(c));
    }
  }
  if (age_column < 0)
    fail(path, header_line + 1, "expected an age column (ålder), got " + lines[header_line]);
  if (year_columns.empty())
    fail(path, header_line + 1, "expected at least one year column, got " + lines[header_line]);
  int value_column = year_columns.back();
  if (!year.empty()) {
    value_column = -1;
    for (const int c : year_columns) {
      if (year_of(header[static_cast<std::size_t>(c)]) == year) value_column = c;
    }
    if (value_column < 0)
      fail(path, header_line + 1, "--year: expected a year column of the table, got " + year);
  }
  table.year = year_of(header[static_cast<std::size_t>(value_column)]);

  // region -> (from, to) -> (male, female, total, rows by sex)
  std::vector<std::string> order;
  std::map<std::string, std::map<std::pair<int, int>, std::array<double, 4>>> counts;
  for (std::size_t i = header_line + 1; i < lines.size(); ++i) {
    if (trim(lines[i]).empty()) continue;
    const std::vector<std::string> cells = split_csv_line(lines[i], delimiter);
    if (cells.size() < header.size()) {
      // PxWeb writes footnotes after the table: stop at the first line that is not a row.
      if (cells.size() <= 1) break;
      fail(path, i + 1,
           "expected " + std::to_string(header.size()) + " cells, got " +
               std::to_string(cells.size()));
    }
    const auto age = parse_age(cells[static_cast<std::size_t>(age_column)], path, i + 1);
    if (!age) continue;  // "totalt ålder"
    SexColumn sex = SexColumn::total;
    if (sex_column >= 0) {
      const auto parsed = parse_sex(cells[static_cast<std::size_t>(sex_column)]);
      if (!parsed) {
        fail(path, i + 1,
             "expected a sex (män, kvinnor, totalt), got '" +
                 cells[static_cast<std::size_t>(sex_column)] + "'");
      }
      sex = *parsed;
    }
    const auto count = parse_count(cells[static_cast<std::size_t>(value_column)]);
    if (!count) {
      fail(path, i + 1,
           "expected a count of persons (a whole number of at most " +
               std::to_string(kCountDigits) + " digits), got '" +
               cells[static_cast<std::size_t>(value_column)] + "'");
    }
    const std::string region =
        region_column >= 0 ? region_name(cells[static_cast<std::size_t>(region_column)]) : "Region";
    if (counts.find(region) == counts.end()) order.push_back(region);
    auto& band_counts = counts[region][*age];
    band_counts[static_cast<std::size_t>(sex)] += *count;
    if (sex != SexColumn::total) band_counts[3] = 1;  // the band has rows by sex
  }
  for (const std::string& name : order) {
    ScbRegion region;
    region.name = name;
    int next = 0;
    for (const auto& [ages, values] : counts[name]) {
      if (ages.first != next) {
        fail(path, header_line + 1,
             "region " + name + ": expected ages from " + std::to_string(next) +
                 " without gaps, got a band starting at " + std::to_string(ages.first));
      }
      const bool by_sex = values[3] > 0;
      AgeBand band;
      band.from = ages.first;
      band.to = ages.second;
      band.count = by_sex ? values[0] + values[1] : values[2];
      band.male = by_sex ? values[0] : -1;
      band.flag = "S";
      band.source =
          "SCB, " +
          (table.title.empty() ? std::string("population by region, age and sex") : table.title) +
          ", " + table.year;
      region.bands.push_back(band);
      next = ages.second + 1;
    }
    table.regions.push_back(std::move(region));
  }
  if (table.regions.empty())
    fail(path, header_line + 1, "expected rows of population by age, got none");
  return table;
}

ScbImport import_scb(const ScbTable& table, const DistrictData* base,
                     const std::string& municipality) {
  ScbImport result;
  const std::string source =
      "SCB, " +
      (table.title.empty() ? std::string("population by region, age and sex") : table.title) +
      ", " + table.year + " (imported from " + table.file + ")";
  auto sourced = [&](double value) { return make_flagged(value, "S", source); };
  auto estimate = [](auto value, const std::string& why) {
    return make_flagged(value, "E", "Estimate: " + why);
  };

  if (base != nullptr) {
    result.data = *base;
    std::vector<std::string> matched;
    for (const ScbRegion& region : table.regions) {
      if (region.name == result.data.municipality.name) {
        result.data.municipality.population = sourced(region.total());
        result.data.municipality.age_bands = region.bands;
        result.notes.push_back("municipality " + region.name +
                               ": population and age structure replaced (" +
                               std::to_string(std::llround(region.total())) + ")");
        continue;
      }
      const int d = result.data.index_of(region.name);
      if (d < 0) {
        result.notes.push_back("region " + region.name + " (" +
                               std::to_string(std::llround(region.total())) +
                               " residents) is not a district of the base data: left out");
        continue;
      }
      DistrictSpec& district = result.data.districts[static_cast<std::size_t>(d)];
      result.notes.push_back("district " + region.name + ": population " +
                             std::to_string(std::llround(district.population.value)) + " -> " +
                             std::to_string(std::llround(region.total())) +
                             ", with its own age structure");
      district.population = sourced(region.total());
      district.age_bands = region.bands;
    }
    double total = 0;
    for (const auto& district : result.data.districts) total += district.population.value;
    const double municipal = result.data.municipality.population.value;
    if (std::fabs(total - municipal) > 0.01 * municipal) {
      result.notes.push_back("warning: the districts now sum to " +
                             std::to_string(std::llround(total)) + " but the municipality has " +
                             std::to_string(std::llround(municipal)) +
                             "; adjust the remainder districts before use (the loader allows 1%)");
    }
    return result;
  }

  DistrictData& data = result.data;
  data.municipality.name = municipality.empty() ? "Imported municipality" : municipality;
  std::vector<AgeBand> municipal_bands;
  double total = 0;
  for (const ScbRegion& region : table.regions) {
    if (region.name == municipality) {
      municipal_bands = region.bands;
      continue;
    }
    DistrictSpec district;
    district.name = region.name;
    district.population = sourced(region.total());
    district.age_bands = region.bands;
    district.employment_rate = estimate(
        0.75,
        "not in the SCB export; a Swedish municipal level, replace with SCB's employment data");
    district.criminal_influence =
        estimate(0.1, "not in the SCB export; set from the police lists and local knowledge");
    district.compulsory_schools =
        estimate(std::round(region.total() / 2200.0),
                 "not in the SCB export; one school per about 2,200 residents");
    district.neighbours =
        make_flagged(std::vector<NameRef>{}, "E",
                     "Estimate: not in the SCB export; list the adjacent districts");
    total += region.total();
    data.districts.push_back(std::move(district));
  }
  if (data.districts.empty()) {
    throw Error(
        ErrorKind::invalid_input,
        table.file + ": expected regions besides the municipality, got none to make districts of");
  }
  double municipal_total = total;
  if (!municipal_bands.empty()) {
    municipal_total = 0;
    for (const AgeBand& band : municipal_bands) municipal_total += band.count;
  } else {
    // The municipality is the sum of its districts, band by band when they share bands.
    municipal_bands = data.districts.front().age_bands;
    for (std::size_t d = 1; d < data.districts.size(); ++d) {
      const auto& bands = data.districts[d].age_bands;
      if (bands.size() != municipal_bands.size()) {
        throw Error(ErrorKind::invalid_input,
                    table.file +
                        ": regions have different age bands; name the municipality's "
                        "region with --municipality");
      }
      for (std::size_t b = 0; b < bands.size(); ++b) {
        if (bands[b].from != municipal_bands[b].from || bands[b].to != municipal_bands[b].to) {
          throw Error(ErrorKind::invalid_input,
                      table.file +
                          ": regions have different age bands; "
                          "name the municipality's region with --municipality");
        }
        municipal_bands[b].count += bands[b].count;
        // Males are known for the sum only when known for every region.
        municipal_bands[b].male = municipal_bands[b].male >= 0 && bands[b].male >= 0
                                      ? municipal_bands[b].male + bands[b].male
                                      : -1;
      }
    }
  }
  MunicipalitySpec& m = data.municipality;
  m.population = sourced(municipal_total);
  m.age_bands = municipal_bands;
  double males = 0;
  double counted = 0;
  for (const AgeBand& band : municipal_bands) {
    if (band.male < 0) continue;
    males += band.male;
    counted += band.count;
  }
  m.male_share = counted > 0 ? sourced(males / counted) : estimate(0.5, "the export has no sex");
  const double shares[] = {0.40, 0.30, 0.12, 0.12, 0.06};
  for (int s = 0; s < 5; ++s) {
    m.household_sizes.push_back(
        household_share(s + 1, shares[s], "Estimate: not in the SCB export; Norrköping's shares"));
  }
  m.mean_household_size = estimate(2.2, "not in the SCB export; Norrköping's mean");
  m.households = estimate(std::round(total / 2.2), "not in the SCB export; residents / 2.2");
  m.compulsory_pupils = estimate(std::round(total * 0.117),
                                 "not in the SCB export; 11.7% of residents as in Norrköping");
  m.upper_secondary_schools =
      estimate(std::max(1.0, std::round(total / 18000.0)), "not in the SCB export");
  const auto largest = std::max_element(
      data.districts.begin(), data.districts.end(),
      [](const auto& a, const auto& b) { return a.population.value < b.population.value; });
  m.upper_secondary_district = largest->name;
  result.notes.push_back(std::to_string(data.districts.size()) + " districts from " + table.file +
                         ", " + std::to_string(std::llround(total)) + " residents in " +
                         table.year);
  result.notes.push_back(
      "flagged E, to replace: employment rates, criminal influence, police lists (empty), "
      "school counts, neighbours (empty), household sizes; upper secondary schools placed in " +
      m.upper_secondary_district);
  return result;
}

std::string district_data_yaml(const DistrictData& data, const std::string& header_comment) {
  DistrictData copy = data;
  const Tree tree = to_tree([&](Visitor& v) { copy.describe(v); });
  std::string out;
  std::istringstream lines(header_comment);
  for (std::string line; std::getline(lines, line);) out += "# " + line + "\n";
  return out + to_yaml(tree);
}

}  // namespace trygg::scenario
