#pragma once
// Sweeps over MPI ranks (`mpirun -n N trygg sweep FILE -o STORE`), in builds configured with
// -DTRYGG_MPI=ON. Rank 0 hands out runs one at a time as ranks ask for them (so fast and slow
// runs balance), works on runs itself between answering, and gathers every run's record into the
// store; the other ranks only compute. A run's result does not depend on the rank or thread that
// made it, so the store is bitwise the one a single process writes.
#include <atomic>
#include <optional>
#include <vector>

#include "trygg/output/result_file.hpp"
#include "trygg/run/sweep.hpp"

namespace trygg::run {

// MPI for the life of a command: started when an MPI launcher (mpirun, srun) started this
// process, finalised at the end. In a build without MPI, a launch with more than one rank is
// refused (each rank would run the whole sweep and write the same store).
class MpiSession {
 public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const noexcept { return rank_; }
  int size() const noexcept { return size_; }
  // Ranks on this node, for the default threads per rank.
  int ranks_on_node() const noexcept { return ranks_on_node_; }

 private:
  [[maybe_unused]] bool started_ = false;  // read only in MPI builds (TRYGG_MPI)
  int rank_ = 0;
  int size_ = 1;
  int ranks_on_node_ = 1;
};

// Runs the shard over every rank of `session`. Rank 0 returns the shard's records (as run_sweep
// does) and, in `runs_per_rank`, how many runs each rank made, and counts in `counted`
// (optional) the runs every rank finishes; the other ranks return nothing. Throws on rank 0 when
// stopped or when a run failed.
std::optional<output::ResultSet> run_sweep_mpi(const MpiSession& session,
                                               const scenario::Sweep& sweep, unsigned shard,
                                               unsigned shards, const std::atomic<bool>* stop,
                                               const Resume& resume,
                                               std::vector<std::size_t>* runs_per_rank,
                                               EnsembleProgress* counted = nullptr);

}  // namespace trygg::run
