#pragma once
// Residents' dynamic state beside the synthesised columns of world.hpp: what the model's
// processes change every step and what measures read (SSPF's signals come from police contact
// and offending). It lives below both, so that neither includes the other.
#include <cstdint>
#include <vector>

namespace trygg::world {

inline constexpr std::uint16_t kNever = 0xffff;  // a step that has not happened

inline constexpr std::size_t kCrimeTypes = 5;
enum class CrimeType : std::uint8_t { violence, property, drugs, vandalism, disorder };

enum StatusFlag : std::uint8_t {
  kIncarcerated = 1U << 1,
};

struct PersonState {
  std::vector<std::uint8_t> status;              // StatusFlag bits
  std::vector<std::uint16_t> last_offence_step;  // kNever if never
  std::vector<std::uint16_t> last_serious_step;  // violence or drugs
  std::vector<std::uint16_t> last_arrest_step;   // last police contact
  std::vector<std::uint16_t> released_step;      // end of a sentence
  std::vector<std::uint16_t> victimised_step;
  std::vector<std::uint16_t> recent_offender_friends;  // friends who offended recently
  std::vector<std::uint16_t> member_friends;           // friends who are active members
  std::vector<float> perceived_safety;
};

}  // namespace trygg::world
