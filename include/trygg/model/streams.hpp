#pragma once
// Random stream ids of the model, one per purpose. Append only: renumbering a stream would
// change every result drawn from it.
#include <cstdint>

namespace trygg::model {

enum class Stream : std::uint32_t {
  population = 1,  // synthesis of residents
  offending = 2,   // whether a resident offends in a step
  reporting = 3,   // whether an offence is reported
};

constexpr std::uint32_t id(Stream stream) noexcept {
  return static_cast<std::uint32_t>(stream);
}

}  // namespace trygg::model
