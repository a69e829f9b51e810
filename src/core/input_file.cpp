#include "trygg/core/input_file.hpp"

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "trygg/core/error.hpp"

namespace trygg {

namespace {

namespace fs = std::filesystem;

// What is at the path, in words, for a path that is not a regular file.
std::string describe_kind(fs::file_type type) {
  switch (type) {
    case fs::file_type::directory:
      return "a folder";
    case fs::file_type::fifo:
      return "a FIFO (named pipe)";
    case fs::file_type::character:
      return "a character device";
    case fs::file_type::block:
      return "a block device";
    case fs::file_type::socket:
      return "a socket";
    default:
      return "not a regular file";
  }
}

[[noreturn]] void refuse(const std::string& path, std::string_view what, const std::string& why) {
  throw Error(ErrorKind::invalid_input,
              path + ": " + why + "; expected " + std::string(what) + " (a regular file)");
}

}  // namespace

std::string describe_size(std::uintmax_t bytes) {
  char text[64];
  if (bytes < 1024) {
    std::snprintf(text, sizeof text, "%ju bytes", bytes);
  } else if (bytes < (std::uintmax_t{1} << 20U)) {
    std::snprintf(text, sizeof text, "%.1f KiB", static_cast<double>(bytes) / 1024.0);
  } else {
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / 1048576.0);
  }
  return text;
}

std::string input_file_problem(const std::string& path) {
  if (path.empty()) return "an empty path";
  std::error_code error;
  // status() follows links, so a link to a FIFO or a device is what it points at.
  const fs::file_status status = fs::status(path, error);
  if (error) {
    if (error.value() == ELOOP) return "a loop of symbolic links";
    if (error.value() == ENAMETOOLONG) return "the path is too long for this system";
    if (error.value() == ENOENT || error.value() == ENOTDIR) return "no such file";
    return "cannot be read (" + error.message() + ")";
  }
  if (status.type() == fs::file_type::not_found) return "no such file";
  if (status.type() != fs::file_type::regular) return describe_kind(status.type());
  return {};
}

std::string read_input_file(const std::string& path, std::string_view what, std::uintmax_t limit) {
  const std::string problem = input_file_problem(path);
  if (!problem.empty()) refuse(path, what, problem);
  std::error_code error;
  const std::uintmax_t size = fs::file_size(path, error);
  if (error) throw Error(ErrorKind::io, path + ": cannot read it (" + error.message() + ")");
  if (size > limit) {
    refuse(
        path, what,
        describe_size(size) + ", above the limit of " + describe_size(limit) + " for such a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::io, path + ": cannot open the file for reading");
  // Read one byte past the size found: a file that grows while it is read is refused, not cut.
  std::string text(static_cast<std::size_t>(size) + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) throw Error(ErrorKind::io, path + ": reading the file failed");
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > size) refuse(path, what, "it changed size while being read");
  return text;
}

}  // namespace trygg
