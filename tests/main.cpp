// The test programs' entry: the shipped measures are registered first, as in every program
// that reads scenarios (the registry is how the loader knows them).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "trygg/measures/factory.hpp"

int main(int argc, char* argv[]) {
  trygg::measures::register_standard_measures();
  return Catch::Session().run(argc, argv);
}
