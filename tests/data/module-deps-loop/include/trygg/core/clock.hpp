#pragma once
// A broken tree for tools/check-module-deps: core includes a module above it.
#include "trygg/model/simulation.hpp"
