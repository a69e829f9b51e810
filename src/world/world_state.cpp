// A run's checkpoint holds the whole world: the columns that processes change are most of it,
// and the rest is small beside the residents' columns.
#include "trygg/core/state_archive.hpp"
#include "trygg/world/world.hpp"

namespace trygg::world {

void archive_fields(StateArchive& archive, District& district) {
  archive(district.name, district.kind, district.classification, district.employment_rate,
          district.criminal_influence, district.first_resident, district.residents,
          district.first_household, district.households, district.neighbours, district.radius_m);
}

void archive_fields(StateArchive& archive, School& school) {
  archive(school.name, school.district, school.kind, school.first_class, school.classes);
}

void archive_fields(StateArchive& archive, World& world) {
  archive.section(0x574f524cU);  // "WORL"
  archive(world.districts);
  Places& places = world.places;
  archive(places.first, places.district, places.kind, places.base_attractiveness,
          places.guardianship, places.x_m, places.y_m);
  Population& people = world.people;
  archive(people.age, people.sex, people.district, people.household, people.school_class,
          people.flags, people.school_attachment, people.safety_disposition,
          people.offending_disposition, people.victim_disposition);
  Households& households = world.households;
  archive(households.first, households.district, households.employed_adults, households.flags);
  archive(world.schools);
  archive(world.classes.members.offsets, world.classes.members.members, world.classes.school,
          world.classes.grade);
  archive(world.friends.offsets, world.friends.targets);
}

}  // namespace trygg::world
