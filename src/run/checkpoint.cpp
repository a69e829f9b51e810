#include "trygg/run/checkpoint.hpp"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "trygg/core/build_info.hpp"
#include "trygg/core/error.hpp"
#include "trygg/core/fingerprint.hpp"
#include "trygg/output/atomic_file.hpp"

namespace trygg::run {

namespace {

constexpr std::array<char, 8> kMagic = {'T', 'R', 'Y', 'G', 'G', 'C', 'K', '1'};

}  // namespace

std::uint64_t run_fingerprint(const scenario::Scenario& scenario, std::uint32_t arm,
                              std::uint32_t replicate, std::uint64_t base_seed) {
  std::string key = scenario.resolved_yaml;
  key += '\n' + scenario.arms.at(arm).name + '\n' + std::to_string(replicate) + '\n' +
         std::to_string(base_seed) + '\n' + trygg_version() + '\n' + git_commit();
  return fingerprint(key);
}

void archive_progress(StateArchive& archive, RunProgress& progress, output::RunRecord& record) {
  archive.section(0x50524f47U);  // "PROG"
  archive(progress.steps_done, progress.finished, progress.wall_seconds, progress.measure_cost_sek,
          record.seed, record.series.values());
  archive.section(0x4d494352U);  // "MICR": the model years taken so far, and the places
  archive(record.micro, record.place_district);
}

void write_checkpoint(const std::string& file, std::uint64_t fingerprint,
                      const StateArchive& archive) {
  std::string bytes(kMagic.begin(), kMagic.end());
  bytes.append(reinterpret_cast<const char*>(&fingerprint), sizeof fingerprint);
  bytes.append(archive.bytes().data(), archive.bytes().size());
  output::write_bytes_atomically(file, true, "checkpoint", bytes, output::StaleTemporaries::leave);
}

std::optional<StateArchive> read_checkpoint(const std::string& file, std::uint64_t fingerprint) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::array<char, 8> magic{};
  std::uint64_t stored = 0;
  in.read(magic.data(), magic.size());
  in.read(reinterpret_cast<char*>(&stored), sizeof stored);
  if (!in || magic != kMagic || stored != fingerprint) {
    std::fprintf(stderr, "%s: a checkpoint of another run or build; starting the run over\n",
                 file.c_str());
    return std::nullopt;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return StateArchive::for_restoring(std::move(bytes), file);
}

void save_finished_run(const RunCheckpoint& checkpoint, std::uint64_t run,
                       output::RunRecord& record) {
  if (checkpoint.file.empty() || !checkpoint.keep_finished) return;
  RunProgress progress;
  progress.finished = true;
  progress.steps_done = -1;
  progress.wall_seconds = record.wall_seconds;
  progress.measure_cost_sek = record.measure_cost_sek;
  StateArchive archive = StateArchive::for_saving();
  archive_progress(archive, progress, record);
  write_checkpoint(checkpoint.file, run, archive);
}

}  // namespace trygg::run
