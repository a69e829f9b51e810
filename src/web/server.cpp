#include "trygg/web/server.hpp"

#include <fcntl.h>
#include <httplib.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <regex>
#include <thread>

#include "trygg/core/build_info.hpp"
#include "trygg/core/error.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/output/atomic_file.hpp"
#include "trygg/output/result_file.hpp"
#include "trygg/run/parameter_sets.hpp"
#include "trygg/run/resources.hpp"
#include "trygg/scenario/loader.hpp"
#include "trygg/scenario/scenario.hpp"
#include "trygg/web/jobs.hpp"

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX gives no header for it

namespace trygg::web {

namespace fs = std::filesystem;
using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Who may talk to the server.

bool is_loopback(std::string_view address) {
  return address == "localhost" || address == "::1" || address == "[::1]" ||
         address.starts_with("127.");
}

namespace {

bool is_wildcard(std::string_view address) {
  return address == "0.0.0.0" || address == "::" || address == "[::]";
}

// The address as it appears in a Host header: IPv6 in brackets.
std::string host_form(const std::string& address) {
  return address.find(':') != std::string::npos && !address.starts_with("[") ? "[" + address + "]"
                                                                             : address;
}

// The value of `name` in a Cookie header ("a=1; b=2"), or empty.
std::string_view cookie_value(std::string_view cookies, std::string_view name) {
  while (!cookies.empty()) {
    const std::size_t end = std::min(cookies.find(';'), cookies.size());
    std::string_view pair = cookies.substr(0, end);
    while (pair.starts_with(' ')) pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=') {
      return pair.substr(name.size() + 1);
    }
    cookies.remove_prefix(std::min(end + 1, cookies.size()));
  }
  return {};
}

}  // namespace

Gate::Gate(const std::string& bind, int port, std::string token)
    : port_suffix_(":" + std::to_string(port)), token_(std::move(token)) {
  any_host_ = is_wildcard(bind);
  std::vector<std::string> names{host_form(bind)};
  if (is_loopback(bind)) names = {"127.0.0.1", "localhost", "[::1]", host_form(bind)};
  for (const auto& name : names) {
    if (std::find(hosts_.begin(), hosts_.end(), name + port_suffix_) != hosts_.end()) continue;
    hosts_.push_back(name + port_suffix_);
    if (port == 80) hosts_.push_back(name);  // a browser leaves out the default port
  }
}

bool Gate::own_host(std::string_view host) const {
  if (std::find(hosts_.begin(), hosts_.end(), host) != hosts_.end()) return true;
  return any_host_ && host.size() > port_suffix_.size() && host.ends_with(port_suffix_);
}

Gate::Verdict Gate::check(std::string_view host, std::string_view origin,
                          std::string_view authorization, std::string_view query_token,
                          std::string_view cookies) const {
  if (!own_host(host)) {
    return {421, "Host '" + std::string(host) +
                     "' is not this server's own (a page of another site, or a name pointed at "
                     "this machine, cannot reach it); expected one of " +
                     [&] {
                       std::string all;
                       for (const auto& own : hosts_) all += (all.empty() ? "" : ", ") + own;
                       return all;
                     }()};
  }
  if (!origin.empty() && !(origin.starts_with("http://") && own_host(origin.substr(7)))) {
    return {403, "Origin '" + std::string(origin) +
                     "' is not this server's own page; requests from other sites are refused"};
  }
  if (token_.empty()) return {};
  std::string_view given = query_token;
  if (authorization.starts_with("Bearer ")) given = authorization.substr(7);
  if (given.empty()) given = cookie_value(cookies, token_cookie());
  if (!same_token(given, token_)) {
    return {401, given.empty() ? "this server needs its token: open the address it printed "
                                 "(…/?token=…) or send Authorization: Bearer TOKEN"
                               : "wrong token"};
  }
  return {};
}

std::string Gate::token_cookie() const {
  return "trygg_token" + std::string(port_suffix_.substr(1));
}

bool same_token(std::string_view given, std::string_view token) {
  unsigned difference = given.size() == token.size() ? 0U : 1U;
  for (std::size_t i = 0; i < token.size(); ++i) {
    const char other = i < given.size() ? given[i] : '\0';
    difference |= static_cast<unsigned>(static_cast<unsigned char>(other) ^
                                        static_cast<unsigned char>(token[i]));
  }
  return difference == 0 && !token.empty();
}

std::string generate_token() {
  std::random_device device;
  std::string token;
  constexpr char kDigits[] = "0123456789abcdef";
  for (int i = 0; i < 4; ++i) {
    const unsigned bits = device();
    for (unsigned shift = 0; shift < 32; shift += 4) token += kDigits[(bits >> shift) & 0xFU];
  }
  return token;
}

// ---------------------------------------------------------------------------------------------
// The API.

namespace {

constexpr const char* kJson = "application/json; charset=utf-8";
// The name the loader gives a posted scenario in its messages ("scenario:3:5: key: ...").
constexpr const char* kDocumentName = "scenario";

void send_json(httplib::Response& response, int status, const json& body) {
  response.status = status;
  response.set_content(body.dump(), kJson);
}

void send_error(httplib::Response& response, int status, const std::string& message) {
  send_json(response, status, json{{"error", message}, {"status", status}});
}

int status_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_input:
      return 422;
    case ErrorKind::output_exists:
      return 409;
    default:
      return 500;
  }
}

std::string read_whole_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A YAML tree as JSON: maps, lists, and scalars as numbers or booleans where YAML reads them so
// (a quoted scalar stays a string).
json tree_json(const scenario::Tree& tree) {
  using Kind = scenario::Tree::Kind;
  switch (tree.kind) {
    case Kind::null:
      return nullptr;
    case Kind::sequence: {
      json list = json::array();
      for (const auto& item : tree.items) list.push_back(tree_json(item));
      return list;
    }
    case Kind::map: {
      json map = json::object();
      for (const auto& entry : tree.entries) map[entry.key] = tree_json(entry.value);
      return map;
    }
    case Kind::scalar:
      break;
  }
  if (tree.quoted) return tree.scalar;
  if (tree.scalar == "true" || tree.scalar == "false") return tree.scalar == "true";
  char* end = nullptr;
  const double number = std::strtod(tree.scalar.c_str(), &end);
  if (!tree.scalar.empty() && end == tree.scalar.c_str() + tree.scalar.size() &&
      std::isfinite(number)) {
    return number;
  }
  return tree.scalar;
}

json districts_json(const scenario::DistrictData& data, const Date& on) {
  json districts = json::array();
  for (const auto& d : data.districts) {
    json neighbours = json::array();
    for (const auto& n : d.neighbours.value) neighbours.push_back(n.name);
    districts.push_back({{"name", d.name},
                         {"kind", d.kind},
                         {"population", d.population.value},
                         {"criminal_influence", d.criminal_influence.value},
                         {"employment_rate", d.employment_rate.value},
                         {"police_list", d.classification_on(on)},
                         {"neighbours", neighbours}});
  }
  return districts;
}

json scenario_json(const std::string& file, const scenario::Scenario& scenario) {
  const scenario::ScenarioSpec& spec = scenario.spec;
  json focus = json::array();
  for (const int d : scenario.focus_districts) {
    focus.push_back(scenario.districts.districts[static_cast<std::size_t>(d)].name);
  }
  const scenario::Tree resolved = scenario::read_yaml_text(scenario.resolved_yaml, file);
  const scenario::Tree* arm_trees = resolved.find("arms");
  json arms = json::array();
  for (const auto& arm : scenario.arms) {
    const scenario::Tree* tree = arm_trees != nullptr ? arm_trees->find(arm.name) : nullptr;
    const scenario::Tree* measures =
        tree != nullptr ? tree->find(std::string(scenario::kMeasuresKey)) : nullptr;
    arms.push_back({{"name", arm.name},
                    {"label", {{"sv", arm.label.sv}, {"en", arm.label.en}}},
                    {"description", {{"sv", arm.description.sv}, {"en", arm.description.en}}},
                    {"measures", measures != nullptr ? tree_json(*measures) : json::object()}});
  }
  return {{"id", fs::path(file).stem().string()},
          {"file", fs::path(file).filename().string()},
          {"name", spec.name},
          {"description", spec.description},
          {"replicates", spec.replicates},
          {"seed", spec.seed},
          {"start", format_iso_date(spec.time.start)},
          {"horizon_years", spec.time.horizon_years},
          {"scale", spec.population.scale},
          {"language", spec.report.language},
          {"focus_districts", focus},
          {"arms", arms},
          {"districts", districts_json(scenario.districts, spec.time.start)}};
}

// A parameter ensemble asked for in a request's address: ?parameter_sets=FILE&draws=N.
struct Ensemble {
  std::string file;  // absolute
  std::string name;  // as the request named it, relative to the scenarios folder
  std::size_t draws = 0;
};

// What every scenario the server is asked to plan or run goes through: the strict loader, then
// the plan of its time and memory on this machine.
struct Prepared {
  scenario::Scenario scenario;
  std::optional<Ensemble> ensemble;
  run::ResourceEstimate estimate;
  double available_bytes = 0;
  double disk_free_bytes = 0;  // beside the jobs' results, where their runs' series wait
  bool fits = true;
};

// The tables of accepted parameter sets under the scenarios folder (trygg calibrate
// --accepted), by their path relative to it.
std::map<std::string, fs::path> parameter_set_tables(const std::string& scenarios) {
  std::map<std::string, fs::path> tables;
  for (const auto& entry : fs::recursive_directory_iterator(scenarios)) {
    if (entry.is_regular_file() && entry.path().extension() == ".tsv") {
      tables[fs::relative(entry.path(), scenarios).generic_string()] = entry.path();
    }
  }
  return tables;
}

class Api {
 public:
  Api(const ServeOptions& options, JobQueue& jobs)
      : options_(options),
        jobs_(jobs),
        data_folder_((fs::path(options.results_folder) / "data").string()),
        threads_(options.threads == 0 ? hardware_threads() : options.threads) {}

  void install(httplib::Server& server) {
    const auto page = [this](const std::string& file, const std::string& type) {
      return [this, file, type](const httplib::Request&, httplib::Response& response) {
        send_file(response, fs::path(options_.share_folder) / "web" / file, type, "");
      };
    };
    server.Get("/", page("index.html", "text/html; charset=utf-8"));
    server.Get("/app.js", page("app.js", "text/javascript; charset=utf-8"));
    server.Get("/app.css", page("app.css", "text/css; charset=utf-8"));
    server.Get(R"(/api/text/(sv|en))", [this](const httplib::Request& request, auto& response) {
      send_file(response,
                fs::path(options_.share_folder) / "text" / (request.matches[1].str() + ".json"),
                kJson, "");
    });
    server.Get("/api/schema", [](const httplib::Request&, httplib::Response& response) {
      response.set_content(scenario::scenario_json_schema(), kJson);
    });
    server.Get("/api/machine", [this](const httplib::Request&, httplib::Response& response) {
      send_json(response, 200,
                {{"version", trygg_version()},
                 {"commit", git_commit()},
                 {"threads", threads_},
                 {"memory_available_bytes", run::memory_available_bytes()}});
    });
    server.Get("/api/scenarios", [this](const httplib::Request&, httplib::Response& response) {
      send_json(response, 200, shipped_scenarios());
    });
    server.Post("/api/data", [this](const httplib::Request& request, auto& response) {
      upload_data(request.body, response);
    });
    server.Get("/api/parameter-sets", [this](const httplib::Request&, auto& response) {
      json list = json::array();
      for (const auto& [name, path] : parameter_set_tables(options_.scenarios_folder)) {
        const run::ParameterSets sets = run::read_parameter_sets(path.string());
        list.push_back(
            {{"file", name},
             {"sets", sets.sets.size()},
             {"parameters", sets.parameters},
             {"default_draws",
              std::min(sets.sets.size(), run::default_draws(run::kDefaultReplicatesPerSet))}});
      }
      send_json(response, 200, list);
    });
    server.Post("/api/plan", [this](const httplib::Request& request, auto& response) {
      const Prepared prepared = prepare(request);
      send_json(response, 200, plan_json(prepared));
    });
    server.Post("/api/runs", [this](const httplib::Request& request, auto& response) {
      submit(request, response);
    });
    server.Get("/api/runs", [this](const httplib::Request&, httplib::Response& response) {
      json all = json::array();
      for (const JobStatus& status : jobs_.jobs()) all.push_back(status_json(status));
      send_json(response, 200, all);
    });
    const std::string job = R"(/api/runs/([0-9a-f]{16}))";
    server.Get(job, [this](const httplib::Request& request, httplib::Response& response) {
      with_job(request, response,
               [&](const JobStatus& status) { send_json(response, 200, status_json(status)); });
    });
    server.Delete(job, [this](const httplib::Request& request, httplib::Response& response) {
      const auto status = jobs_.cancel(request.matches[1].str());
      if (!status) return send_error(response, 404, "no run " + request.matches[1].str());
      send_json(response, 200, status_json(*status));
    });
    server.Get(job + "/scenario.yaml", [this](const httplib::Request& request, auto& response) {
      with_job(request, response, [&](const JobStatus& status) {
        send_file(response, fs::path(status.folder) / "scenario.yaml",
                  "application/yaml; charset=utf-8", status.name + ".yaml");
      });
    });
    server.Get(job + "/result", [this](const httplib::Request& request, auto& response) {
      with_finished_job(request, response, [&](const JobStatus& status) {
        send_file(response, fs::path(status.folder) / "result.h5", "application/x-hdf5",
                  status.name + ".h5");
      });
    });
    server.Get(job + "/comparison", [this](const httplib::Request& request, auto& response) {
      with_finished_job(request, response, [&](const JobStatus& status) {
        send_json(response, 200,
                  comparison_json(
                      output::read_result_file((fs::path(status.folder) / "result.h5").string())));
      });
    });
    // The report is a folder (index.html and data/): served under report/LANG/ so that its
    // relative links to data/ resolve; report?lang=LANG leads there.
    server.Get(job + "/report", [](const httplib::Request& request, auto& response) {
      const std::string language =
          request.has_param("lang") ? request.get_param_value("lang") : "sv";
      if (language != "sv" && language != "en") {
        return send_error(response, 400, "lang: expected sv or en, got '" + language + "'");
      }
      std::string target = request.path + "/" + language + "/";
      if (request.has_param("download")) target += "?download=1";
      response.set_redirect(target, 303);
    });
    server.Get(job + R"(/report/(sv|en)/)",
               [this](const httplib::Request& request, auto& response) {
                 with_finished_job(request, response, [&](const JobStatus& status) {
                   report(request, status, request.matches[2].str(), "index.html", response);
                 });
               });
    server.Get(job + R"(/report/(sv|en)/data/([A-Za-z0-9_][A-Za-z0-9_.-]*))",
               [this](const httplib::Request& request, auto& response) {
                 with_finished_job(request, response, [&](const JobStatus& status) {
                   report(request, status, request.matches[2].str(),
                          "data/" + request.matches[3].str(), response);
                 });
               });
  }

 private:
  void send_file(httplib::Response& response, const fs::path& path, const std::string& type,
                 const std::string& download_name) const {
    if (!fs::is_regular_file(path)) {
      return send_error(response, 404, path.filename().string() + ": not there");
    }
    const auto size = static_cast<std::size_t>(fs::file_size(path));
    auto in = std::make_shared<std::ifstream>(path, std::ios::binary);
    response.set_content_provider(
        size, type, [in](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
          std::vector<char> buffer(std::min<std::size_t>(length, 1U << 16U));
          in->seekg(static_cast<std::streamoff>(offset));
          in->read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
          const auto got = static_cast<std::size_t>(in->gcount());
          return got > 0 && sink.write(buffer.data(), got);
        });
    if (!download_name.empty()) {
      response.set_header("Content-Disposition", "attachment; filename=\"" + download_name + "\"");
    }
  }

  template <class Body>
  void with_job(const httplib::Request& request, httplib::Response& response, Body body) {
    const auto status = jobs_.status(request.matches[1].str());
    if (!status) return send_error(response, 404, "no run " + request.matches[1].str());
    body(*status);
  }

  template <class Body>
  void with_finished_job(const httplib::Request& request, httplib::Response& response, Body body) {
    with_job(request, response, [&](const JobStatus& status) {
      if (status.state != JobState::done) {
        return send_error(response, 409,
                          "run " + status.id + " is " + std::string(job_state_name(status.state)) +
                              "; expected a finished run");
      }
      body(status);
    });
  }

  json shipped_scenarios() const {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(options_.scenarios_folder)) {
      if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    json list = json::array();
    for (const auto& file : files) {
      try {
        list.push_back(scenario_json(file.string(), scenario::load_scenario(file.string())));
      } catch (const Error& error) {
        list.push_back({{"id", file.stem().string()},
                        {"file", file.filename().string()},
                        {"error", error.what()}});
      }
    }
    return list;
  }

  void upload_data(const std::string& text, httplib::Response& response) const {
    const std::vector<std::string> problems = scenario::district_data_problems(text, "data");
    if (!problems.empty()) {
      std::string all;
      for (const auto& problem : problems) all += (all.empty() ? "" : "\n") + problem;
      return send_error(response, 422, all);
    }
    // Named by its contents, so that the same file uploaded twice is one file.
    std::uint64_t hash = 14695981039346656037ULL;
    for (const char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    char name[32];
    std::snprintf(name, sizeof name, "%016llx.yaml", static_cast<unsigned long long>(hash));
    fs::create_directories(data_folder_);
    const std::string path = fs::absolute(fs::path(data_folder_) / name).lexically_normal();
    if (!fs::exists(path)) output::write_bytes_atomically(path, false, "district data file", text);
    const scenario::DistrictData data = scenario::load_district_data(path);
    send_json(response, 201,
              {{"path", path},
               {"districts", districts_json(data, std::chrono::floor<std::chrono::days>(
                                                      std::chrono::system_clock::now()))}});
  }

  scenario::ScenarioText document_source() const {
    return {kDocumentName, options_.scenarios_folder, {options_.scenarios_folder, data_folder_}};
  }

  // ?parameter_sets=FILE&draws=N: a table of the scenarios folder, and at most its sets.
  std::optional<Ensemble> ensemble_of(const httplib::Request& request) const {
    if (!request.has_param("parameter_sets")) {
      if (request.has_param("draws")) {
        throw Error(ErrorKind::invalid_input, "draws: expected with parameter_sets");
      }
      return std::nullopt;
    }
    Ensemble ensemble;
    ensemble.name = request.get_param_value("parameter_sets");
    const auto tables = parameter_set_tables(options_.scenarios_folder);
    const auto found = tables.find(ensemble.name);
    if (found == tables.end()) {
      std::string known;
      for (const auto& table : tables) known += (known.empty() ? "" : ", ") + table.first;
      throw Error(ErrorKind::invalid_input,
                  "parameter_sets: expected one of the tables of "
                  "accepted parameter sets (" +
                      known + "), got '" + ensemble.name + "'");
    }
    ensemble.file = found->second.string();
    const std::size_t available = run::read_parameter_sets(ensemble.file).sets.size();
    ensemble.draws = std::min(available, run::default_draws(run::kDefaultReplicatesPerSet));
    if (request.has_param("draws")) {
      const std::string given = request.get_param_value("draws");
      char* end = nullptr;
      const unsigned long long draws = std::strtoull(given.c_str(), &end, 10);
      if (given.empty() || *end != '\0' || draws < 1 || draws > available) {
        throw Error(ErrorKind::invalid_input, "draws: expected a whole number from 1 to " +
                                                  std::to_string(available) + " (the sets of " +
                                                  ensemble.name + "), got '" + given + "'");
      }
      ensemble.draws = static_cast<std::size_t>(draws);
    }
    return ensemble;
  }

  Prepared prepare(const httplib::Request& request) const {
    Prepared prepared{scenario::load_scenario_text(request.body, document_source()),
                      ensemble_of(request),
                      {},
                      0,
                      true};
    const auto replicates = static_cast<std::size_t>(prepared.scenario.spec.replicates);
    const std::size_t arms = prepared.scenario.arms.size();
    prepared.estimate = prepared.ensemble
                            ? run::estimate_resources(
                                  prepared.scenario, prepared.ensemble->draws * arms * replicates,
                                  threads_, "draws x the arms x replicates (per set)")
                            : run::estimate_resources(prepared.scenario, arms * replicates,
                                                      threads_, "replicates x the arms");
    // A job running now gives its memory back before the next one starts.
    prepared.available_bytes = run::memory_available_bytes();
    if (prepared.available_bytes > 0) prepared.available_bytes += jobs_.running_peak_bytes();
    prepared.disk_free_bytes = run::disk_free_bytes(options_.results_folder);
    prepared.fits =
        (prepared.available_bytes <= 0 ||
         prepared.estimate.peak_bytes <= prepared.available_bytes) &&
        (prepared.disk_free_bytes <= 0 || prepared.estimate.kept_bytes <= prepared.disk_free_bytes);
    return prepared;
  }

  static json plan_json(const Prepared& prepared) {
    const run::ResourceEstimate& e = prepared.estimate;
    return {{"name", prepared.scenario.spec.name},
            {"parameter_sets", prepared.ensemble ? json(prepared.ensemble->name) : json(nullptr)},
            {"draws", prepared.ensemble ? prepared.ensemble->draws : 0},
            {"arms", prepared.scenario.arms.size()},
            {"replicates", prepared.scenario.spec.replicates},
            {"runs", e.runs},
            {"threads", e.threads},
            {"at_once", e.at_once},
            {"seconds", e.seconds},
            {"run_seconds", e.run_seconds},
            {"peak_bytes", e.peak_bytes},
            {"available_bytes", prepared.available_bytes},
            {"kept_bytes", e.kept_bytes},
            {"disk_free_bytes", prepared.disk_free_bytes},
            {"fits", prepared.fits},
            {"largest_part", e.largest_part},
            {"setting", e.setting},
            {"text", run::format_estimate(e)}};
  }

  void submit(const httplib::Request& posted, httplib::Response& response) {
    const Prepared prepared = prepare(posted);
    if (!prepared.fits) {
      const std::string instead = "a smaller population.scale or fewer replicates";
      run::require_memory_fits(prepared.estimate, prepared.available_bytes, instead);
      run::require_disk_fits(prepared.estimate, prepared.disk_free_bytes, "the results folder",
                             instead);
    }
    JobRequest request;
    request.name = prepared.scenario.spec.name;
    request.scenario_text = scenario::standalone_scenario_text(posted.body, document_source());
    request.estimated_seconds = prepared.estimate.seconds;
    request.peak_bytes = prepared.estimate.peak_bytes;
    request.command = "trygg run " + request.name + ".yaml -o " + request.name + ".h5";
    if (prepared.ensemble) {
      request.parameter_sets = prepared.ensemble->file;
      request.draws = prepared.ensemble->draws;
      request.command += " --parameter-sets " + prepared.ensemble->file + " --draws " +
                         std::to_string(prepared.ensemble->draws) + " --replicates " +
                         std::to_string(prepared.scenario.spec.replicates);
    }
    const std::string id = jobs_.submit(request);
    const auto status = jobs_.status(id);
    send_json(response, 202, status_json(*status));
  }

  static json status_json(const JobStatus& status) {
    json body = {{"id", status.id},
                 {"name", status.name},
                 {"status", job_state_name(status.state)},
                 {"position", status.position},
                 {"runs_done", status.runs_done},
                 {"runs_total", status.runs_total},
                 {"fraction", status.fraction},
                 {"elapsed_s", status.elapsed_seconds},
                 {"estimated_s", status.estimated_seconds},
                 {"submitted_utc", status.submitted_utc},
                 {"command", status.command},
                 {"error", status.error}};
    body["seconds_left"] = status.seconds_left < 0 ? json(nullptr) : json(status.seconds_left);
    return body;
  }

  static json comparison_json(const output::ResultSet& results) {
    json arms = json::array();
    for (const auto& arm : results.arms) {
      arms.push_back({{"name", arm.name},
                      {"label", {{"sv", arm.label_sv}, {"en", arm.label_en}}},
                      {"description", {{"sv", arm.description_sv}, {"en", arm.description_en}}}});
    }
    const auto number = [](double value) {
      return std::isfinite(value) ? json(value) : json(nullptr);
    };
    json effects = json::array();
    for (const auto& e : results.effects) {
      effects.push_back({{"arm", e.arm},
                         {"area", e.area},
                         {"outcome", e.outcome},
                         {"baseline_mean", number(e.baseline_mean)},
                         {"arm_mean", number(e.arm_mean)},
                         {"difference", number(e.difference)},
                         {"low", number(e.low)},
                         {"high", number(e.high)},
                         {"relative_change", number(e.relative_change)},
                         {"relative_low", number(e.relative_low)},
                         {"relative_high", number(e.relative_high)},
                         {"covers", e.covers},
                         {"replicates", e.replicates},
                         {"parameter_sets", e.parameter_sets}});
    }
    json costs = json::array();
    for (const auto& c : results.costs) {
      costs.push_back({{"arm", c.arm},
                       {"area", c.area},
                       {"cost_sek", number(c.cost_sek)},
                       {"offences_averted", number(c.offences_averted)},
                       {"offences_averted_low", number(c.offences_averted_low)},
                       {"offences_averted_high", number(c.offences_averted_high)},
                       {"cost_per_offence_averted", number(c.cost_per_offence_averted)}});
    }
    return {{"arms", arms}, {"effects", effects}, {"costs", costs}};
  }

  // The planners' report of a finished run, made by tools/trygg-report when first asked for in
  // a language and kept in the job's folder.
  void report(const httplib::Request& request, const JobStatus& status, const std::string& language,
              const std::string& file, httplib::Response& response) {
    if (options_.report_tool.empty()) {
      return send_error(response, 501, "this server has no report tool (tools/trygg-report)");
    }
    const fs::path folder = fs::path(status.folder) / ("report-" + language);
    const fs::path page = folder / "index.html";
    {
      const std::lock_guard lock(report_mutex_);  // one report at a time: each uses a core
      if (!fs::is_regular_file(page)) {
        const std::string problem = make_report(status, language, folder);
        if (!problem.empty()) return send_error(response, 500, problem);
      }
    }
    if (file == "index.html") {
      send_file(response, page, "text/html; charset=utf-8",
                request.has_param("download") ? status.name + "-" + language + ".html" : "");
      return;
    }
    const std::string extension = fs::path(file).extension().string();
    const std::string type =
        extension == ".csv"    ? "text/csv; charset=utf-8"
        : extension == ".xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                               : "application/octet-stream";
    send_file(response, folder / file, type, fs::path(file).filename().string());
  }

  std::string make_report(const JobStatus& status, const std::string& language,
                          const fs::path& folder) const {
    const fs::path log = fs::path(status.folder) / ("report-" + language + ".log");
    std::vector<std::string> arguments{options_.report_tool,
                                       (fs::path(status.folder) / "result.h5").string(),
                                       "-o",
                                       folder.string(),
                                       "--lang",
                                       language,
                                       "-q"};
    if (!options_.python_folder.empty()) {
      arguments.emplace_back("--python");
      arguments.push_back(options_.python_folder);
    }
    std::vector<char*> argv;
    argv.reserve(arguments.size() + 1);
    for (auto& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t child = 0;
    const int spawned = posix_spawn(&child, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
      return options_.report_tool +
             ": could not be started: " + std::generic_category().message(spawned);
    }
    int wait_status = 0;
    while (waitpid(child, &wait_status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0) return {};
    std::string said = read_whole_file(log);
    if (said.size() > 4000) said = "…" + said.substr(said.size() - 4000);
    return "the report could not be made (" + options_.report_tool + "): " + said;
  }

  const ServeOptions& options_;
  JobQueue& jobs_;
  std::string data_folder_;
  unsigned threads_;
  std::mutex report_mutex_;
};

void require_folder(const std::string& folder, const std::string& what) {
  if (!fs::is_directory(folder)) {
    throw Error(ErrorKind::invalid_input, folder + ": expected the folder of " + what);
  }
}

}  // namespace

void serve(const ServeOptions& given, const std::atomic<bool>& stop, std::ostream& out) {
  ServeOptions options = given;
  require_folder(options.scenarios_folder, "the shipped scenarios (--scenarios)");
  require_folder(fs::path(options.share_folder) / "web", "the web page (--share)");
  require_folder(fs::path(options.share_folder) / "text", "the text catalogues (--share)");
  options.scenarios_folder = fs::absolute(options.scenarios_folder).lexically_normal().string();
  options.results_folder = fs::absolute(options.results_folder).lexically_normal().string();
  std::error_code made;
  fs::create_directories(options.results_folder, made);
  if (made || !fs::is_directory(options.results_folder)) {
    throw Error(ErrorKind::io, options.results_folder + ": could not make the results folder");
  }
  const bool local = is_loopback(options.bind);
  if (!local && options.token.empty()) options.token = generate_token();

  httplib::Server server;
  server.set_payload_max_length(options.max_request_bytes);
  server.set_read_timeout(30);
  server.set_write_timeout(60);
  std::unique_ptr<Gate> gate;
  server.set_pre_routing_handler([&](const httplib::Request& request, httplib::Response& response) {
    const Gate::Verdict verdict =
        gate->check(request.get_header_value("Host"), request.get_header_value("Origin"),
                    request.get_header_value("Authorization"), request.get_param_value("token"),
                    request.get_header_value("Cookie"));
    if (verdict.status != 0) {
      send_error(response, verdict.status, verdict.reason);
      return httplib::Server::HandlerResponse::Handled;
    }
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("Referrer-Policy", "no-referrer");
    response.set_header("Cache-Control", "no-store");
    // A token given in the address becomes a cookie of this origin only, so that the page's
    // scripts, its downloads and the report in its frame carry it without repeating it.
    if (request.has_param("token") && !options.token.empty()) {
      response.set_header("Set-Cookie", gate->token_cookie() + "=" + options.token +
                                            "; Path=/; HttpOnly; SameSite=Strict");
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, const std::exception_ptr& thrown) {
        try {
          std::rethrow_exception(thrown);
        } catch (const Error& error) {
          send_error(response, status_for(error.kind()), error.what());
        } catch (const std::exception& error) {
          send_error(response, 500, std::string("internal error: ") + error.what());
        }
      });
  server.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
    if (!response.body.empty()) return;
    const bool form =
        request.get_header_value("Content-Type").starts_with("application/x-www-form-urlencoded");
    const std::string what =
        response.status == 413 && form
            ? "a form-encoded body is limited to 8 KiB; send the document as application/yaml "
              "or application/json (up to 1 MiB)"
        : response.status == 413 ? "the request is larger than the server takes (1 MiB)"
        : response.status == 404 ? "no such page or API: " + request.path
                                 : "the request was refused";
    send_error(response, response.status, what);
  });

  const int port = options.port == 0
                       ? server.bind_to_any_port(options.bind)
                       : (server.bind_to_port(options.bind, options.port) ? options.port : -1);
  if (port < 0) {
    throw Error(ErrorKind::io, options.bind + ":" + std::to_string(options.port) +
                                   ": could not listen there (in use, or not an address of "
                                   "this machine)");
  }
  gate = std::make_unique<Gate>(options.bind, port, options.token);
  JobQueue jobs(options.results_folder, options.threads);
  Api api(options, jobs);
  api.install(server);

  const std::string address =
      "http://" + host_form(local ? "127.0.0.1" : options.bind) + ":" + std::to_string(port) + "/";
  out << "trygg serve: open " << address << (options.token.empty() ? "" : "?token=" + options.token)
      << "\n  results in " << options.results_folder
      << "; Ctrl-C stops the server (a run in progress is cancelled)" << std::endl;
  std::atomic<bool> listening_ended{false};
  std::thread watcher([&] {
    while (!stop.load() && !listening_ended.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    server.stop();
  });
  const bool listened = server.listen_after_bind();
  listening_ended = true;
  watcher.join();
  if (!listened && !stop.load()) {
    throw Error(ErrorKind::io, address + ": the server stopped listening");
  }
}

}  // namespace trygg::web
