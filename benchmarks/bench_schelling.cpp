// Schelling segregation, the ABM framework comparison specification (benchmarks/README.md,
// target 5), on Trygg's engine core and, beside it, a lean hand-written loop over the same data
// for the ratio.
//
// Trygg: agents are structure-of-arrays columns (cell, group, happy); space is a grid of occupant
// ids (the sentinel K marks an empty cell) with a list of the empty cells (O(1) random pick and
// swap-update); every draw comes from a counter-based RandomStream keyed by what it is for: the
// cells of the agents from (seed, placement, 0, 0), the activation order of step s from
// (seed, order, s, 0) and the cell an unhappy agent a moves to in step s from (seed, move, s, a),
// so every draw is a pure function of its key and no purpose's draws shift another's (the
// moves of a step stay sequential, as the specification wants). The neighbourhood count reads a
// byte layer of the grid that mirrors the occupants' groups (updated with the ids on every move)
// rather than following each id into the group column; the variant that follows the ids is
// timed too (`*_trygg_id_lookup_ms`), so the cost of that indirection stays visible.
// Lean: a grid of group codes, a list of empty cells and xoshiro256** with Lemire's bounded draw.
//
// Each run, construction plus 20 steps, is timed; the medians of `repeats` runs (seeds from
// master seed 42) are reported with the ratio and the mean moves per run. Every run is repeated
// untimed with consistency checks, which abort on a broken grid.
// Run: build/release/benchmarks/bench_schelling [repeats]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "report.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/sampling.hpp"

namespace {

struct Spec {
  const char* name;
  std::uint32_t side;       // X: the grid is X x X, bounded
  std::uint32_t agents;     // K, half in each group
  std::uint32_t radius;     // r: Chebyshev radius of the neighbourhood
  std::uint32_t min_happy;  // same-group neighbours needed to be happy
  double reference_moves;   // moves per run of a correct implementation (benchmarks/README.md)
};

constexpr std::uint32_t kSteps = 20;
constexpr std::uint64_t kMasterSeed = 42;

// What a run ends with: the moves made and the agents happy at their last activation.
struct Outcome {
  std::uint64_t moves = 0;
  std::uint64_t happy = 0;
  bool operator==(const Outcome&) const = default;
};

[[noreturn]] void fail(const char* model, const char* what) {
  std::fprintf(stderr, "bench_schelling: %s: %s\n", model, what);
  std::abort();
}

// Both models keep their grid with a border of R cells that never match round it, so that the
// (2R+1)^2 window of every cell lies inside the array: the same count as a window clipped at the
// edges, without the clipping. Cell (x, y) of the X x X grid is element (y+R) * (X+2R) + x+R.
// The radius is a template argument so that the window loops unroll.
template <std::uint32_t R>
struct Geometry {
  explicit Geometry(std::uint32_t side_) : side(side_), stride(side_ + 2 * R) {}

  std::size_t elements() const { return static_cast<std::size_t>(stride) * stride; }
  std::uint32_t element(std::uint32_t x, std::uint32_t y) const { return (y + R) * stride + x + R; }
  // The elements of the X x X cells, row by row.
  std::vector<std::uint32_t> cells() const {
    std::vector<std::uint32_t> out;
    out.reserve(static_cast<std::size_t>(side) * side);
    for (std::uint32_t y = 0; y < side; ++y)
      for (std::uint32_t x = 0; x < side; ++x) out.push_back(element(x, y));
    return out;
  }
  // The number of elements of the window round `centre` (itself included) that `match` accepts.
  template <class Element, class Match>
  std::uint32_t count(const Element* grid, std::uint32_t centre, const Match& match) const {
    const std::size_t row = stride;
    const Element* corner = grid + centre - R * row - R;
    std::uint32_t same = 0;
    for (std::uint32_t dy = 0; dy <= 2 * R; ++dy)
      for (std::uint32_t dx = 0; dx <= 2 * R; ++dx) same += match(corner[dy * row + dx]) ? 1 : 0;
    return same;
  }

  std::uint32_t side;
  std::uint32_t stride;
};

// ---- Trygg ----------------------------------------------------------------------------------

namespace engine {

// One stream per purpose; a draw is keyed by (seed, stream, step, entity).
enum class Stream : std::uint32_t {
  placement = 1,  // the initial cells (step 0, entity 0)
  order = 2,      // the activation order of a step (entity 0)
  move = 3,       // the empty cell an unhappy agent moves to (entity = agent)
};

constexpr std::uint32_t id(Stream stream) noexcept {
  return static_cast<std::uint32_t>(stream);
}

// How the neighbourhood count finds the groups of the neighbours.
enum class Count {
  group_layer,  // a byte layer of the grid: the occupant's group + 1, or 0 (kept with the ids)
  id_lookup,    // the occupant id, then the group column
};

template <std::uint32_t R, Count kCount>
class Schelling {
 public:
  Schelling(const Spec& spec, std::uint64_t seed)
      : spec_(spec),
        geometry_(spec.side),
        seed_(seed),
        cell_(spec.agents),
        group_(spec.agents + 1),
        happy_(spec.agents, 0),
        occupant_(geometry_.elements(), empty_id()),
        empty_(geometry_.cells()),
        order_(spec.agents) {
    if constexpr (kCount == Count::group_layer) layer_.assign(geometry_.elements(), 0);
    // K distinct uniformly random cells: the first K of a partial shuffle of all the cells; the
    // other X*X - K stay behind them as the list of empty cells.
    trygg::RandomStream placement(seed, id(Stream::placement), 0, 0);
    trygg::partial_shuffle(std::span<std::uint32_t>(empty_), spec.agents, placement);
    for (std::uint32_t a = 0; a < spec.agents; ++a) {
      const std::uint32_t cell = empty_[a];
      cell_[a] = cell;
      group_[a] = a < spec.agents / 2 ? 0 : 1;
      occupant_[cell] = a;
      if constexpr (kCount == Count::group_layer) layer_[cell] = code(group_[a]);
    }
    empty_.erase(empty_.begin(), empty_.begin() + spec.agents);
    group_[spec.agents] = 2;  // the sentinel's group, which matches no agent's
  }

  void step(std::uint32_t s) {
    trygg::RandomStream order(seed_, id(Stream::order), s, 0);
    trygg::random_permutation(std::span<std::uint32_t>(order_), order);
    const auto free_cells = static_cast<std::uint32_t>(empty_.size());
    for (const std::uint32_t a : order_) {
      const std::uint32_t cell = cell_[a];
      const std::uint8_t mine = group_[a];
      if (same_group_neighbours(cell, mine) >= spec_.min_happy) {
        happy_[a] = 1;
        continue;
      }
      happy_[a] = 0;
      trygg::RandomStream move(seed_, id(Stream::move), s, a);
      const std::uint32_t pick = move.below(free_cells);
      const std::uint32_t target = empty_[pick];
      empty_[pick] = cell;
      occupant_[cell] = empty_id();
      occupant_[target] = a;
      if constexpr (kCount == Count::group_layer) {
        layer_[cell] = 0;
        layer_[target] = code(mine);
      }
      cell_[a] = target;
      ++moves_;
    }
  }

  Outcome outcome() const {
    return {moves_, static_cast<std::uint64_t>(std::count(happy_.begin(), happy_.end(), 1))};
  }

  // Aborts unless the grid, its layer, the agent columns and the empty list agree.
  void check() const {
    const std::size_t cells = static_cast<std::size_t>(spec_.side) * spec_.side;
    if (empty_.size() != cells - spec_.agents) fail("trygg", "wrong number of empty cells");
    std::vector<std::uint8_t> seen(occupant_.size(), 0);
    for (std::uint32_t a = 0; a < spec_.agents; ++a) {
      const std::uint32_t cell = cell_[a];
      if (cell >= occupant_.size() || occupant_[cell] != a) fail("trygg", "agent not in its cell");
      if (kCount == Count::group_layer && layer_[cell] != code(group_[a]))
        fail("trygg", "group layer disagrees with the agent");
      seen[cell] = 1;
    }
    for (const std::uint32_t cell : empty_) {
      if (cell >= occupant_.size() || seen[cell] != 0 || occupant_[cell] != empty_id())
        fail("trygg", "empty list holds an occupied or repeated cell");
      if (kCount == Count::group_layer && layer_[cell] != 0)
        fail("trygg", "group layer holds a group on an empty cell");
      seen[cell] = 1;
    }
    for (const std::uint32_t cell : geometry_.cells())
      if (seen[cell] != 1) fail("trygg", "a cell neither occupied nor listed empty");
    if (static_cast<std::size_t>(std::count(seen.begin(), seen.end(), 1)) != cells)
      fail("trygg", "an agent or empty cell on the border");
  }

 private:
  std::uint32_t empty_id() const { return spec_.agents; }
  static std::uint8_t code(std::uint8_t group) { return static_cast<std::uint8_t>(group + 1); }

  // Agents of the group `mine` within Chebyshev distance R of cell, the agent itself excluded.
  std::uint32_t same_group_neighbours(std::uint32_t cell, std::uint8_t mine) const {
    if constexpr (kCount == Count::group_layer) {
      const std::uint8_t want = code(mine);
      return geometry_.count(layer_.data(), cell, [want](std::uint8_t c) { return c == want; }) - 1;
    } else {
      const std::uint8_t* group = group_.data();
      return geometry_.count(occupant_.data(), cell, [group, mine](std::uint32_t other) {
        return group[other] == mine;
      }) - 1;
    }
  }

  Spec spec_;
  Geometry<R> geometry_;
  std::uint64_t seed_;
  // Agent columns, indexed by agent id.
  std::vector<std::uint32_t> cell_;  // position: the grid element of its cell
  std::vector<std::uint8_t> group_;  // 0 or 1; entry K is the sentinel's (2)
  std::vector<std::uint8_t> happy_;  // 1 if happy at its last activation
  // Space.
  std::vector<std::uint32_t> occupant_;  // per grid element: agent id, or K (empty or border)
  std::vector<std::uint8_t> layer_;      // group_layer only: occupant's group + 1, or 0
  std::vector<std::uint32_t> empty_;     // the empty cells, in no particular order
  std::vector<std::uint32_t> order_;     // this step's activation order
  std::uint64_t moves_ = 0;
};

template <std::uint32_t R, Count kCount>
Outcome run(const Spec& spec, std::uint64_t seed, bool verify) {
  Schelling<R, kCount> model(spec, seed);
  for (std::uint32_t s = 0; s < kSteps; ++s) model.step(s);
  if (verify) model.check();
  return model.outcome();
}

}  // namespace engine

// ---- Lean -----------------------------------------------------------------------------------

namespace lean {

class Xoshiro256 {
 public:
  explicit Xoshiro256(std::uint64_t seed) {
    for (std::uint64_t& word : s_) {  // SplitMix64 fills the state
      seed += 0x9E3779B97F4A7C15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      word = z ^ (z >> 31);
    }
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform on [0, n) without bias (Lemire), from the high 32 bits of a draw.
  std::uint32_t below(std::uint32_t n) {
    std::uint64_t product = (next() >> 32) * n;
    auto low = static_cast<std::uint32_t>(product);
    if (low < n) {
      const std::uint32_t threshold = (0U - n) % n;
      while (low < threshold) {
        product = (next() >> 32) * n;
        low = static_cast<std::uint32_t>(product);
      }
    }
    return static_cast<std::uint32_t>(product >> 32);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4]{};
};

template <std::uint32_t R>
Outcome run(const Spec& spec, std::uint64_t seed, bool verify) {
  const Geometry<R> geometry(spec.side);
  const std::uint32_t agents = spec.agents;
  Xoshiro256 rng(seed);
  std::vector<std::uint32_t> empty = geometry.cells();
  const auto cells = static_cast<std::uint32_t>(empty.size());
  for (std::uint32_t i = 0; i < agents; ++i) std::swap(empty[i], empty[i + rng.below(cells - i)]);
  std::vector<std::uint8_t> grid(geometry.elements(), 0);  // 0 empty or border, else group 1, 2
  std::vector<std::uint32_t> pos(agents);
  std::vector<std::uint8_t> group(agents);
  std::vector<std::uint8_t> happy(agents, 0);
  for (std::uint32_t a = 0; a < agents; ++a) {
    pos[a] = empty[a];
    group[a] = a < agents / 2 ? 1 : 2;
    grid[pos[a]] = group[a];
  }
  empty.erase(empty.begin(), empty.begin() + agents);
  const auto free_cells = static_cast<std::uint32_t>(empty.size());
  std::vector<std::uint32_t> order(agents);
  std::iota(order.begin(), order.end(), 0U);
  std::uint64_t moves = 0;
  for (std::uint32_t s = 0; s < kSteps; ++s) {
    for (std::uint32_t i = agents; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    for (const std::uint32_t a : order) {
      const std::uint32_t cell = pos[a];
      const std::uint8_t mine = group[a];
      const std::uint32_t same =
          geometry.count(grid.data(), cell, [mine](std::uint8_t c) { return c == mine; }) - 1;
      if (same >= spec.min_happy) {
        happy[a] = 1;
        continue;
      }
      happy[a] = 0;
      const std::uint32_t pick = rng.below(free_cells);
      const std::uint32_t target = empty[pick];
      empty[pick] = cell;
      grid[cell] = 0;
      grid[target] = mine;
      pos[a] = target;
      ++moves;
    }
  }
  if (verify) {
    if (empty.size() != cells - agents) fail("lean", "wrong number of empty cells");
    for (std::uint32_t a = 0; a < agents; ++a)
      if (grid[pos[a]] != group[a]) fail("lean", "agent not in its cell");
    for (const std::uint32_t cell : empty)
      if (grid[cell] != 0) fail("lean", "empty list holds an occupied cell");
    if (static_cast<std::size_t>(std::count(grid.begin(), grid.end(), 0)) !=
        geometry.elements() - agents)
      fail("lean", "agents on the border or on one cell");
  }
  return {moves, static_cast<std::uint64_t>(std::count(happy.begin(), happy.end(), 1))};
}

}  // namespace lean

// ---- Timing ---------------------------------------------------------------------------------

using RunFunction = Outcome (*)(const Spec&, std::uint64_t, bool);

struct Contender {
  const char* name;
  RunFunction radius1;
  RunFunction radius2;
  std::vector<double> ms{};
  double moves = 0;  // summed over the runs, then the mean
  double happy = 0;

  Outcome run(const Spec& spec, std::uint64_t seed, bool verify) const {
    if (spec.radius == 1) return radius1(spec, seed, verify);
    if (spec.radius == 2) return radius2(spec, seed, verify);
    fail(name, "only radius 1 and 2 are instantiated");
  }
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

void measure(const Spec& spec, std::uint32_t repeats) {
  using engine::Count;
  std::vector<Contender> contenders = {
      {"trygg", engine::run<1, Count::group_layer>, engine::run<2, Count::group_layer>},
      {"trygg_id_lookup", engine::run<1, Count::id_lookup>, engine::run<2, Count::id_lookup>},
      {"lean", lean::run<1>, lean::run<2>},
  };
  // One untimed run of each first, so that none pays for cold caches.
  for (const Contender& c : contenders) c.run(spec, trygg::replicate_seed(kMasterSeed, 0), true);
  for (std::uint32_t k = 0; k < repeats; ++k) {
    const std::uint64_t seed = trygg::replicate_seed(kMasterSeed, k);
    // They alternate run by run, so that a slow spell of this shared machine hits all of them.
    for (Contender& c : contenders) {
      const auto start = std::chrono::steady_clock::now();
      const Outcome outcome = c.run(spec, seed, false);
      const auto stop = std::chrono::steady_clock::now();
      c.ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
      c.moves += static_cast<double>(outcome.moves);
      c.happy += static_cast<double>(outcome.happy);
      // Untimed: the same seed again with the consistency checks; it must end the same way.
      if (c.run(spec, seed, true) != outcome) fail(c.name, "a rerun ended otherwise");
    }
  }
  // Both Trygg variants draw from the same keyed streams: they must make the same moves.
  if (contenders[0].moves != contenders[1].moves || contenders[0].happy != contenders[1].happy)
    fail("trygg", "the two ways of counting made different runs");

  const std::string prefix = std::string("schelling_") + spec.name + "_";
  const std::string unit = "ms (median of " + std::to_string(repeats) + " runs, construction + " +
                           std::to_string(kSteps) + " steps)";
  const double lean_ms = median(contenders.back().ms);
  for (Contender& c : contenders) {
    const double ms = median(c.ms);
    c.moves /= repeats;
    trygg::bench::emit(prefix + c.name + "_ms", ms, unit, 1);
    if (&c != &contenders.back()) {
      trygg::bench::emit(prefix + c.name + "_ratio", ms / lean_ms, std::string(c.name) + " / lean",
                         1);
    }
  }
  for (const Contender& c : contenders) {
    if (&c == &contenders[1]) continue;  // the same moves as "trygg"
    trygg::bench::emit(prefix + c.name + "_moves", c.moves, "moves per run (mean)", 1);
    if (c.moves < 0.85 * spec.reference_moves || c.moves > 1.15 * spec.reference_moves) {
      std::fprintf(stderr,
                   "bench_schelling: warning: %s on %s makes %.0f moves per run, more than 15%% "
                   "from the reference %.0f\n",
                   c.name, spec.name, c.moves, spec.reference_moves);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int requested = argc > 1 ? std::atoi(argv[1]) : 100;
  const auto repeats = static_cast<std::uint32_t>(std::max(requested, 1));
  const Spec small{"small", 40, 1000, 1, 3, 1660};
  const Spec large{"large", 100, 8000, 2, 8, 7010};
  for (const Spec& spec : {small, large}) measure(spec, repeats);
  return 0;
}
