#pragma once
// Dotted key paths ("population.households.single_parent_share"), as the loader's messages and
// the parameter table name a setting. Private to the scenario module.
#include <string>
#include <string_view>

namespace trygg::scenario {

inline std::string join_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

}  // namespace trygg::scenario
