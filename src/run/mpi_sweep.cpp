#include "trygg/run/mpi_sweep.hpp"

#include <cstdlib>
#include <string>

#include "trygg/core/error.hpp"

#if TRYGG_WITH_MPI
#include <mpi.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "trygg/core/state_archive.hpp"
#endif

namespace trygg::run {

namespace {

// The rank count an MPI launcher announces in the environment (1 when there is none): mpirun's,
// PMI's, or srun's for a job step. Read before any thread starts.
int launched_ranks() {
  auto number = [](const char* name) {
    const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): before threads
    return value == nullptr ? 0 : std::atoi(value);
  };
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
    if (number(name) > 0) return number(name);
  }
  // A batch script's own environment has SLURM_NTASKS too; only a job step's has a step id.
  const char* step = std::getenv("SLURM_STEP_ID");  // NOLINT(concurrency-mt-unsafe)
  if (step != nullptr && number("SLURM_NTASKS") > 0) return number("SLURM_NTASKS");
  return 1;
}

}  // namespace

#if TRYGG_WITH_MPI

namespace {

constexpr int kReportTag = 1;  // a rank to rank 0: the run it finished (or none) and "next?"
constexpr int kAssignTag = 2;  // rank 0 to a rank: the next run's position, or -1: stop

void check(int code, const char* call) {
  if (code != MPI_SUCCESS) {
    throw Error(ErrorKind::internal,
                std::string(call) + " failed with code " + std::to_string(code));
  }
}

// A report: the position of the run (-1: none yet), whether it finished, and its record or
// the reason it failed.
struct Report {
  std::int64_t position = -1;
  bool done = false;
  std::string failure;
  // The failure's ErrorKind, so that the job fails as the run did on whichever rank it ran.
  std::int32_t failure_kind = static_cast<std::int32_t>(ErrorKind::internal);
  output::RunRecord record;
};

void archive_report(StateArchive& archive, Report& report) {
  output::RunRecord& r = report.record;
  archive(report.position, report.done, report.failure, report.failure_kind);
  archive(r.arm, r.replicate, r.seed, r.status, r.wall_seconds, r.measure_cost_sek, r.point,
          r.run_index, r.message, r.series.values(), r.micro, r.place_district);
}

void send_report(Report report) {
  StateArchive archive = StateArchive::for_saving();
  archive_report(archive, report);
  check(MPI_Send(archive.bytes().data(), static_cast<int>(archive.bytes().size()), MPI_BYTE, 0,
                 kReportTag, MPI_COMM_WORLD),
        "MPI_Send");
}

Report receive_report(int* source) {
  // Poll rather than block: a blocking receive spins a core that rank 0's own runs need.
  MPI_Status status;
  int arrived = 0;
  while (true) {
    check(MPI_Iprobe(MPI_ANY_SOURCE, kReportTag, MPI_COMM_WORLD, &arrived, &status), "MPI_Iprobe");
    if (arrived != 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  int bytes = 0;
  check(MPI_Get_count(&status, MPI_BYTE, &bytes), "MPI_Get_count");
  std::string buffer(static_cast<std::size_t>(bytes), '\0');
  check(MPI_Recv(buffer.data(), bytes, MPI_BYTE, status.MPI_SOURCE, kReportTag, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE),
        "MPI_Recv");
  *source = status.MPI_SOURCE;
  Report report;
  StateArchive archive = StateArchive::for_restoring(
      std::move(buffer), "a report from rank " + std::to_string(*source));
  archive_report(archive, report);
  archive.expect_end();
  return report;
}

// What ranks other than 0 do: report, take the next run, until told to stop.
void work_for_rank_zero(const SweepRunner& runner) {
  Report report;
  while (true) {
    send_report(std::move(report));
    std::int64_t position = -1;
    check(MPI_Recv(&position, 1, MPI_INT64_T, 0, kAssignTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
          "MPI_Recv");
    if (position < 0) return;
    report = Report{};
    report.position = position;
    try {
      report.record = runner.run(static_cast<std::size_t>(position));
      report.done = true;
    } catch (const std::exception& error) {
      const RunFailure failure = run_failure(error);
      report.failure = failure.message;
      report.failure_kind = static_cast<std::int32_t>(failure.kind);
    }
  }
}

}  // namespace

MpiSession::MpiSession() {
  if (launched_ranks() <= 1) {
    int initialised = 0;
    MPI_Initialized(&initialised);
    if (initialised == 0) return;  // a plain process: no MPI at all
  }
  int provided = 0;
  // Only the main thread of each rank calls MPI.
  check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  started_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  MPI_Comm node = MPI_COMM_NULL;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node);
  MPI_Comm_size(node, &ranks_on_node_);
  MPI_Comm_free(&node);
}

MpiSession::~MpiSession() {
  if (started_) MPI_Finalize();
}

std::optional<output::ResultSet> run_sweep_mpi(const MpiSession& session,
                                               const scenario::Sweep& sweep, unsigned shard,
                                               unsigned shards, const std::atomic<bool>* stop,
                                               const Resume& resume,
                                               std::vector<std::size_t>* runs_per_rank,
                                               EnsembleProgress* counted) {
  SweepRunner runner(sweep, shard, shards, stop, resume);
  if (session.rank() == 0) runner.count_into(counted);
  if (session.rank() != 0) {
    work_for_rank_zero(runner);
    return std::nullopt;
  }
  // Rank 0: one thread works through runs like any rank; this one answers the others.
  std::mutex lock;
  std::size_t next = 0;
  std::vector<std::size_t> made(static_cast<std::size_t>(session.size()), 0);
  auto take = [&]() -> std::int64_t {
    const std::lock_guard<std::mutex> guard(lock);
    if ((stop != nullptr && stop->load()) || next >= runner.runs()) return -1;
    return static_cast<std::int64_t>(next++);
  };
  std::thread own_runs([&] {
    for (std::int64_t position = take(); position >= 0; position = take()) {
      runner.execute(static_cast<std::size_t>(position));
      ++made[0];
    }
  });
  int working = session.size() - 1;
  while (working > 0) {
    int source = 0;
    Report report = receive_report(&source);
    if (report.position >= 0) {
      const auto position = static_cast<std::size_t>(report.position);
      ++made[static_cast<std::size_t>(source)];
      if (report.done) {
        runner.finish(position, std::move(report.record));
      } else {
        runner.fail(position, {"on rank " + std::to_string(source) + ": " + report.failure,
                               static_cast<ErrorKind>(report.failure_kind)});
      }
    }
    const std::int64_t assigned = take();
    check(MPI_Send(&assigned, 1, MPI_INT64_T, source, kAssignTag, MPI_COMM_WORLD), "MPI_Send");
    if (assigned < 0) --working;
  }
  own_runs.join();
  if (runs_per_rank != nullptr) *runs_per_rank = made;
  return std::move(runner).results();
}

#else  // built without MPI

MpiSession::MpiSession() {
  if (launched_ranks() > 1) {
    throw Error(ErrorKind::invalid_input,
                "started as one of " + std::to_string(launched_ranks()) +
                    " MPI ranks, but this trygg was built without MPI: configure with "
                    "-DTRYGG_MPI=ON (needs Debian's libopenmpi-dev), or run one process");
  }
}

MpiSession::~MpiSession() = default;

std::optional<output::ResultSet> run_sweep_mpi(const MpiSession& /*session*/,
                                               const scenario::Sweep& sweep, unsigned shard,
                                               unsigned shards, const std::atomic<bool>* stop,
                                               const Resume& resume,
                                               std::vector<std::size_t>* runs_per_rank,
                                               EnsembleProgress* counted) {
  if (runs_per_rank != nullptr) runs_per_rank->clear();
  return run_sweep(sweep, shard, shards, stop, resume, counted);
}

#endif

}  // namespace trygg::run
