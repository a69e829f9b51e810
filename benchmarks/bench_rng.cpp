// The cost of a counter-based draw (benchmarks/README.md, "The cost of random numbers"): one
// Philox4x32-10 call, 512 calls made together (philox4x32_10_entities), and a keyed stream's
// uniform. Google Benchmark.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "trygg/core/rng.hpp"

namespace {

void philox_call(benchmark::State& state) {
  std::uint32_t entity = 0;
  for (auto _ : state) benchmark::DoNotOptimize(trygg::philox4x32_10(42, 1, 7, entity++, 0));
}

// 512 calls made together (a block's offence draws): time per call.
void philox_entities(benchmark::State& state) {
  std::vector<std::uint32_t> entities(512);
  std::vector<std::uint32_t> words(4 * entities.size());
  for (std::size_t i = 0; i < entities.size(); ++i) entities[i] = static_cast<std::uint32_t>(i);
  std::uint32_t step = 0;
  for (auto _ : state) {
    trygg::philox4x32_10_entities(42, 1, step++, entities, 0, words.data());
    benchmark::DoNotOptimize(words.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(entities.size()));
}

void stream_uniform(benchmark::State& state) {
  trygg::RandomStream stream(42, 1, 7, 3);
  for (auto _ : state) benchmark::DoNotOptimize(stream.uniform());
}

}  // namespace

BENCHMARK(philox_call);
BENCHMARK(philox_entities);
BENCHMARK(stream_uniform);
BENCHMARK_MAIN();
