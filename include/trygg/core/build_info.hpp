#pragma once

namespace trygg {

const char* trygg_version();
// The commit the binary was built from, with "-dirty" when tracked files had changes.
const char* git_commit();

}  // namespace trygg
