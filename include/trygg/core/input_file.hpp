#pragma once
// Reading a whole input file (a scenario, sweep, calibration or district data file, an SCB
// export, a table of parameter sets) with the checks every reader needs before it trusts the
// bytes: the path names a regular file (a FIFO would block, /dev/zero never ends, a folder is
// not text), and the file is no larger than its limit, so that a huge file is refused before
// it is read rather than after it has taken several times its size in memory.
#include <cstdint>
#include <string>
#include <string_view>

namespace trygg {

// Settings files (YAML) are a few kilobytes; 16 MiB leaves room for a city of thousands of
// districts written out by hand or by a tool.
inline constexpr std::uintmax_t kSettingsFileLimit = std::uintmax_t{16} << 20U;
// Tables (SCB exports, parameter sets) can be larger: every age by every district.
inline constexpr std::uintmax_t kTableFileLimit = std::uintmax_t{256} << 20U;

// Why `path` cannot be read as an input file ("no such file", "a loop of symbolic links", "a
// FIFO (named pipe)", ...), or "" when it names a regular file.
std::string input_file_problem(const std::string& path);

// The file's bytes. Throws Error(invalid_input) naming the path and what was expected (`what`,
// e.g. "a scenario file") when the path is missing, a loop of links, too long, not a regular
// file, or above `limit` bytes; Error(io) when a regular file cannot be read.
std::string read_input_file(const std::string& path, std::string_view what, std::uintmax_t limit);

// "1.5 MiB", "16 MiB", "812 bytes": a size for messages.
std::string describe_size(std::uintmax_t bytes);

}  // namespace trygg
