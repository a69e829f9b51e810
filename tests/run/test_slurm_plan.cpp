// trygg plan --slurm: the sbatch lines of a sweep on a cluster's nodes, from the per-run figures
// of a probe.
#include <catch2/catch.hpp>

#include "trygg/core/error.hpp"
#include "trygg/run/resources.hpp"

using trygg::run::ResourceEstimate;
using trygg::run::SlurmNode;

namespace {

constexpr double kMiB = 1048576.0;
constexpr double kGiB = 1073741824.0;

// A probe's per-run figures: 100 s a run, 100 MiB a city in flight, and a finished run keeps
// 3 MiB: 1 MiB of series, which waits on disk, and 2 MiB of /micro tallies, which wait in memory.
ResourceEstimate probe() {
  ResourceEstimate probed;
  probed.run_seconds = 100;
  probed.run_working_bytes = 100 * kMiB;
  probed.finished_run_bytes = 3 * kMiB;
  probed.kept_run_bytes = 1 * kMiB;
  probed.base_bytes = 50 * kMiB;
  probed.metrics = 30;
  return probed;
}

}  // namespace

TEST_CASE("Slurm's --time and --mem carry margins and Slurm's own formats", "[slurm]") {
  using trygg::run::slurm_memory;
  using trygg::run::slurm_time;
  CHECK(slurm_time(0) == "00:10:00");
  CHECK(slurm_time(3600) == "01:40:00");  // 1.5 h + 10 min
  CHECK(slurm_time(3601) == "01:45:00");  // rounded up to 5 minutes
  CHECK(slurm_time(2 * 86400) == "3-00:10:00");
  CHECK(slurm_memory(10 * kGiB) == "12G");
  CHECK(slurm_memory(1) == "1G");
  CHECK(trygg::run::parse_memory_size("64G", "--node-memory") == 64 * kGiB);
  CHECK(trygg::run::parse_memory_size("512000", "--node-memory") == 512000 * kMiB);
  CHECK(trygg::run::parse_memory_size("2T", "--node-memory") == 2048 * kGiB);
  CHECK_THROWS_WITH(trygg::run::parse_memory_size("12X", "--node-memory"),
                    Catch::Contains("--node-memory: expected a memory size"));
  CHECK_THROWS_AS(trygg::run::parse_memory_size("-4G", "--node-memory"), trygg::Error);
}

TEST_CASE("a sweep is cut into tasks that end within the hours given and fit a node", "[slurm]") {
  SlurmNode node;  // 16 cores, 64 GiB, 4 hours
  // 1,000 runs: 63 rounds of 100 s on 16 cores, under two hours: one task; its 2 GiB of
  // tallies fit.
  auto plan = trygg::run::plan_slurm(probe(), 1000, node);
  CHECK(plan.tasks == 1);
  CHECK(plan.runs_per_task == 1000);
  CHECK(plan.task.at_once == 16);
  CHECK(plan.task.seconds == Approx(6300).epsilon(0.1));
  // 10,000 runs: 625 rounds, 17 hours on one node: 5 tasks of 2,000 runs, each under 4 hours.
  plan = trygg::run::plan_slurm(probe(), 10000, node);
  CHECK(plan.tasks == 5);
  CHECK(plan.runs_per_task == 2000);
  CHECK(plan.task.seconds <= 4 * 3600 + 100);
  CHECK(plan.task.kept_bytes == 2000 * kMiB);  // the series, on the disk beside the shard
  // Nodes of 4 GiB: what a task's finished runs keep in memory (4 GiB of tallies for 2,000
  // runs) must fit nine tenths of one, so more tasks.
  node.memory_bytes = 4 * kGiB;
  plan = trygg::run::plan_slurm(probe(), 10000, node);
  CHECK(plan.task.peak_bytes <= 0.9 * node.memory_bytes);
  CHECK(plan.tasks > 5);
  // Rank 0 of an MPI job gathers every run's tallies (20 GiB): not on 4 GiB.
  CHECK_FALSE(plan.mpi_fits);
  const std::string text = trygg::run::format_slurm_plan(plan, "sweep.yaml", "results/s");
  CHECK_THAT(text, Catch::Contains("--array=1-" + std::to_string(plan.tasks) +
                                   " --cpus-per-task=16 --mem="));
  CHECK_THAT(text, Catch::Contains("tools/slurm-sweep.sbatch sweep.yaml results/s"));
  CHECK_THAT(text, Catch::Contains("--dependency=afterok:$array"));
  CHECK_THAT(text, Catch::Contains("rank 0 would need more than a node's memory"));
  // Big nodes: the MPI job fits and gets its line.
  node.memory_bytes = 512 * kGiB;
  plan = trygg::run::plan_slurm(probe(), 10000, node);
  CHECK(plan.mpi_fits);
  CHECK_THAT(trygg::run::format_slurm_plan(plan, "sweep.yaml", "results/s"),
             Catch::Contains("--nodes=5 --ntasks-per-node=1 --cpus-per-task=16"));
  // Without tallies the series alone wait on disk: memory does not grow with a task's runs, so
  // 4 GiB nodes take the 5 tasks that time asks for, and rank 0 of an MPI job fits one.
  ResourceEstimate series_only = probe();
  series_only.finished_run_bytes = series_only.kept_run_bytes;
  node.memory_bytes = 4 * kGiB;
  plan = trygg::run::plan_slurm(series_only, 10000, node);
  CHECK(plan.tasks == 5);
  CHECK(plan.mpi_fits);
  CHECK(plan.mpi_rank.kept_bytes == 10000 * kMiB);
  // One run that cannot fit a node is an error, not a plan.
  node.memory_bytes = 0.1 * kGiB;
  CHECK_THROWS_WITH(trygg::run::plan_slurm(probe(), 10, node),
                    Catch::Contains("--node-memory: one run needs about"));
}
