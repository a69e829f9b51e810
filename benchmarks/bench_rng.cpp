// The cost of a counter-based draw (benchmarks/README.md, "The cost of random numbers"): one
// Philox4x32-10 call, and a keyed stream's uniform. Google Benchmark.
#include <benchmark/benchmark.h>

#include "trygg/core/rng.hpp"

namespace {

void philox_call(benchmark::State& state) {
  std::uint32_t entity = 0;
  for (auto _ : state) benchmark::DoNotOptimize(trygg::philox4x32_10(42, 1, 7, entity++, 0));
}

void stream_uniform(benchmark::State& state) {
  trygg::RandomStream stream(42, 1, 7, 3);
  for (auto _ : state) benchmark::DoNotOptimize(stream.uniform());
}

}  // namespace

BENCHMARK(philox_call);
BENCHMARK(stream_uniform);
BENCHMARK_MAIN();
