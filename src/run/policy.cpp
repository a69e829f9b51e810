#include "trygg/run/policy.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iterator>

#include "trygg/core/build_info.hpp"
#include "trygg/core/error.hpp"
#include "trygg/run/comparison.hpp"

namespace trygg::run {

namespace {

// The whole text as a number, or nothing: no sign games, spaces or trailing words.
template <class Number>
std::optional<Number> whole_number(std::string_view text) {
  Number value{};
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) return std::nullopt;
  return value;
}

std::optional<std::string> variable(const char* name) {
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read before threads
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

}  // namespace

Shard parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  const auto i = slash == std::string_view::npos ? std::nullopt
                                                 : whole_number<unsigned>(text.substr(0, slash));
  const auto n = slash == std::string_view::npos ? std::nullopt
                                                 : whole_number<unsigned>(text.substr(slash + 1));
  if (!i || !n || *i < 1 || *n < 1 || *i > *n) {
    throw Error(ErrorKind::invalid_input,
                "--shard: expected i/n with 1 <= i <= n, got '" + std::string(text) + "'");
  }
  return Shard{*i - 1, *n};
}

SlurmArray slurm_array_from_environment() {
  return SlurmArray{variable("SLURM_ARRAY_TASK_ID"), variable("SLURM_ARRAY_TASK_COUNT"),
                    variable("SLURM_ARRAY_TASK_MIN"), variable("SLURM_ARRAY_TASK_STEP")};
}

Shard choose_shard(std::string_view shard_option, const SlurmArray& slurm) {
  if (!shard_option.empty()) return parse_shard(shard_option);
  if (!slurm.task_id || !slurm.task_count) return Shard{};
  const auto id = whole_number<long>(*slurm.task_id);
  const auto count = whole_number<long>(*slurm.task_count);
  const auto first = slurm.task_min ? whole_number<long>(*slurm.task_min) : std::optional<long>(0);
  const auto step = slurm.task_step ? whole_number<long>(*slurm.task_step) : std::optional<long>(1);
  if (!id || !count || !first || !step || *count < 1 || *step < 1) {
    throw Error(ErrorKind::invalid_input,
                "Slurm's array variables are not whole numbers (SLURM_ARRAY_TASK_ID=" +
                    *slurm.task_id + ", SLURM_ARRAY_TASK_COUNT=" + *slurm.task_count + ")");
  }
  const long offset = *id - *first;
  if (offset < 0 || offset % *step != 0 || offset / *step >= *count) {
    throw Error(ErrorKind::invalid_input,
                "Slurm array task " + *slurm.task_id + " is not one of " + *slurm.task_count +
                    " evenly spaced tasks: submit a range (--array=1-N or 1-N:S), or give "
                    "--shard i/n");
  }
  return Shard{static_cast<unsigned>(offset / *step), static_cast<unsigned>(*count)};
}

PrecisionTarget parse_precision_target(std::string_view text) {
  const auto equals = text.find('=');
  PrecisionTarget target;
  std::optional<double> width;
  if (equals != std::string_view::npos) {
    target.outcome = std::string(text.substr(0, equals));
    width = whole_number<double>(text.substr(equals + 1));
  }
  const bool known = std::any_of(std::begin(kComparedOutcomes), std::end(kComparedOutcomes),
                                 [&](const char* name) { return target.outcome == name; });
  if (!known || !width || !(*width > 0) || !std::isfinite(*width)) {
    std::string outcomes;
    for (const char* name : kComparedOutcomes)
      outcomes += (outcomes.empty() ? "" : ", ") + std::string(name);
    throw Error(ErrorKind::invalid_input,
                "--until-precise: expected OUTCOME=WIDTH with an outcome of " + outcomes +
                    " and a width > 0, got '" + std::string(text) + "'");
  }
  target.width = *width;
  return target;
}

namespace {

// What Trygg adds to an output's name: NAME.tmp-PID-N while it is written (a PID of up to 10
// digits, a counter of up to 20) and NAME.runs for its checkpoints.
constexpr std::size_t kAddedToName = 36;
// And below it: a checkpoint in NAME.runs/ is "arm-ARM-replicate-N.state" (an arm name of up to
// 64 bytes) written through its own temporary name, or an export's series/METRIC.csv.
constexpr std::size_t kAddedToPath = 160;

// A path in an error message: a long one by its ends and its length, not 4,000 bytes of it.
std::string shown(const std::string& path) {
  constexpr std::size_t kShown = 100;
  if (path.size() <= kShown) return path;
  return path.substr(0, kShown / 2) + "..." + path.substr(path.size() - kShown / 2) + " (" +
         std::to_string(path.size()) + " bytes)";
}

// The longest file name the file system takes where `path` would be made: that of its nearest
// existing folder.
std::size_t longest_name(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::path folder = fs::absolute(path, error).parent_path();
  while (!fs::is_directory(folder, error) && folder.has_parent_path() &&
         folder != folder.parent_path()) {
    folder = folder.parent_path();
  }
  const long limit = ::pathconf(folder.c_str(), _PC_NAME_MAX);
  return limit > 0 ? static_cast<std::size_t>(limit) : std::size_t{NAME_MAX};
}

// Error(invalid_input) when an output path cannot be made (a name or the whole path too long
// for the system, once Trygg's additions are counted) or cannot be looked at (a loop of
// symbolic links); the status of what is there otherwise. `what` names what is expected;
// `added_to_name` is what Trygg adds to the last name (a file's temporary name, not a folder's).
std::filesystem::file_status output_status(const std::string& path, const std::string& what,
                                           std::size_t added_to_name) {
  namespace fs = std::filesystem;
  auto refuse = [&](const std::string& why) {
    throw Error(ErrorKind::invalid_input, shown(path) + ": " + why + "; expected " + what);
  };
  if (path.empty()) refuse("an empty path");
  if (path.size() + kAddedToPath >= PATH_MAX) {
    refuse("the path is " + std::to_string(path.size()) + " bytes, too long: this system takes " +
           std::to_string(PATH_MAX - 1) + ", and Trygg needs up to " +
           std::to_string(kAddedToPath) + " more for its temporary and checkpoint files");
  }
  const fs::path given(path);
  const std::size_t name_limit = longest_name(given);
  for (auto part = given.begin(); part != given.end(); ++part) {
    const std::size_t added = std::next(part) == given.end() ? added_to_name : 0;
    if (part->native().size() + added > name_limit) {
      refuse("the name '" + shown(part->native()) + "' is too long: this file system takes " +
             std::to_string(name_limit) + " bytes" +
             (added > 0 ? ", and Trygg adds up to " + std::to_string(added) +
                              " for the file being written (NAME.tmp-PID-N)"
                        : std::string()));
    }
  }
  std::error_code error;
  const fs::file_status status = fs::status(path, error);  // through links: /dev/null too
  if (error && status.type() != fs::file_type::not_found) {
    if (error.value() == ELOOP) refuse("a loop of symbolic links");
    if (error.value() == ENAMETOOLONG) refuse("the path is too long for this system");
    throw Error(ErrorKind::io, shown(path) + ": cannot look at it: " + error.message());
  }
  return status;
}

}  // namespace

void require_writable_folder(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::path folder = fs::absolute(fs::path(path), error).parent_path();
  // The folder is made when missing: the nearest one that is there must take it.
  while (!fs::exists(folder, error) && folder.has_parent_path() && folder != folder.parent_path()) {
    folder = folder.parent_path();
  }
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    const std::error_code reason(errno, std::generic_category());
    throw Error(ErrorKind::io,
                path + ": cannot write in " + folder.string() + ": " + reason.message());
  }
}

void require_regular_output(const std::string& path) {
  const auto status = output_status(
      path, "the path of a file to write (Trygg writes and replaces only regular files)",
      kAddedToName);
  if (!std::filesystem::exists(status) || std::filesystem::is_regular_file(status)) {
    require_writable_folder(path);
    return;
  }
  const char* kind = std::filesystem::is_directory(status)        ? "a folder"
                     : std::filesystem::is_character_file(status) ? "a character device"
                     : std::filesystem::is_block_file(status)     ? "a block device"
                     : std::filesystem::is_fifo(status)           ? "a FIFO"
                     : std::filesystem::is_socket(status)         ? "a socket"
                                                                  : "not a regular file";
  throw Error(ErrorKind::invalid_input,
              path + ": " + kind +
                  "; expected the path of a file to write (Trygg writes and replaces only "
                  "regular files)");
}

void require_output_folder(const std::string& path) {
  const auto status = output_status(path, "a folder to write files in", 0);
  if (std::filesystem::exists(status) && !std::filesystem::is_directory(status)) {
    throw Error(ErrorKind::invalid_input,
                path + ": not a folder; expected a folder to write files in (made when missing)");
  }
}

void require_new_output(const std::string& path, bool force) {
  require_regular_output(path);
  std::error_code error;
  if (!force && std::filesystem::exists(path, error)) {
    throw Error(ErrorKind::output_exists,
                path + ": the result file exists; use --force to replace it");
  }
}

std::string checkpoint_folder(const std::string& output) {
  return output + ".runs";
}

RunFailure run_failure(const std::exception& error) {
  const auto* known = dynamic_cast<const Error*>(&error);
  return {error.what(), known != nullptr ? known->kind() : ErrorKind::internal};
}

Error job_failed(const std::string& run, const RunFailure& failure,
                 const std::string& checkpoints) {
  std::error_code ignored;
  if (!checkpoints.empty() && std::filesystem::is_empty(checkpoints, ignored) && !ignored) {
    std::filesystem::remove(checkpoints, ignored);
  }
  return Error(failure.kind, run + " failed: " + failure.message);
}

SweepResume decide_sweep_resume(const std::string& store, const scenario::Sweep& sweep, Shard shard,
                                bool force, int add_replicates) {
  SweepResume resume;
  resume.replicates = sweep.spec.replicates;
  if (!force && std::filesystem::exists(store)) {
    output::ResultSet previous = output::read_result_file(store);
    if (!previous.sweep || previous.sweep->id != sweep.id || previous.sweep->shard != shard.index ||
        previous.sweep->shards != shard.count) {
      throw Error(ErrorKind::output_exists,
                  store + ": the store holds another sweep or shard; use --force to replace it");
    }
    std::uint32_t replicates = 0;
    for (const auto& run : previous.runs) replicates = std::max(replicates, run.replicate + 1);
    resume.replicates = std::max(resume.replicates, static_cast<int>(replicates));
    resume.previous = std::move(previous);
  }
  resume.replicates += add_replicates;
  return resume;
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

std::string how_to_cite() {
  return std::string("Trygg ") + trygg_version() + " (commit " + git_commit() +
         "), agent-based simulation of crime prevention in Norrköping; MIT licence. Cite the "
         "version and commit as in CITATION.cff of its source.";
}

output::Economics economics_of(const scenario::Scenario& scenario) {
  const scenario::EconomicsSpec& e = scenario.spec.economics;
  return {e.price_year, e.discount_rate, e.willingness_to_pay_max_sek,
          e.reference_willingness_to_pay_sek};
}

output::ArmRecord arm_record(const scenario::Arm& arm) {
  output::ArmRecord record;
  record.name = arm.name;
  record.description = arm.description.en;
  record.label_sv = arm.label.sv.empty() ? arm.name : arm.label.sv;
  record.label_en = arm.label.en.empty() ? arm.name : arm.label.en;
  record.description_sv = arm.description.sv;
  record.description_en = arm.description.en;
  return record;
}

std::vector<output::ArmMeasureRecord> arm_measures(const scenario::Arm& arm) {
  std::vector<output::ArmMeasureRecord> measures;
  const auto& kinds = scenario::measure_registry().kinds();
  for (std::size_t k = 0; k < arm.measures.specs.size() && k < kinds.size(); ++k) {
    const auto& spec = arm.measures.specs[k];
    if (spec == nullptr) continue;
    output::ArmMeasureRecord record;
    record.arm = arm.name;
    record.measure = std::string(kinds[k].name);
    record.label_sv = spec->common.label.sv;
    record.label_en = spec->common.label.en;
    measures.push_back(std::move(record));
  }
  return measures;
}

void record_arms(output::ResultSet& results, const scenario::Scenario& scenario,
                 const std::vector<std::uint32_t>& arms) {
  results.arms.clear();
  results.arm_measures.clear();
  for (const std::uint32_t a : arms) {
    const scenario::Arm& arm = scenario.arms.at(a);
    results.arms.push_back(arm_record(arm));
    for (auto& measure : arm_measures(arm)) results.arm_measures.push_back(std::move(measure));
  }
  results.report_language = scenario.spec.report.language;
}

void stamp_origin(output::Provenance& provenance, const scenario::Scenario& scenario,
                  const std::string& name, std::uint64_t seed) {
  provenance.trygg_version = trygg_version();
  provenance.git_commit = git_commit();
  provenance.citation = how_to_cite();
  provenance.scenario_file = scenario.file;
  provenance.scenario_name = name;
  provenance.scenario_yaml = scenario.resolved_yaml;
  provenance.seed = seed;
}

ProvenanceStamp::ProvenanceStamp()
    : started_utc_(utc_now()), started_(std::chrono::steady_clock::now()) {}

void ProvenanceStamp::finish(output::Provenance& provenance, std::int64_t threads) const {
  provenance.start_utc = started_utc_;
  provenance.end_utc = utc_now();
  provenance.host = host_name();
  provenance.threads = threads;
}

double ProvenanceStamp::seconds_so_far() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

}  // namespace trygg::run
