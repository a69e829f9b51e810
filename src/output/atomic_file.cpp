#include "trygg/output/atomic_file.hpp"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "trygg/core/error.hpp"

namespace fs = std::filesystem;

namespace trygg::output {

namespace {

// Removes the temporary file unless the write was committed.
class TemporaryFile {
 public:
  explicit TemporaryFile(std::string path) : path_(std::move(path)) {}
  ~TemporaryFile() {
    if (!committed_) {
      std::error_code ignored;
      fs::remove(path_, ignored);
    }
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  const std::string& path() const { return path_; }
  void commit() { committed_ = true; }

 private:
  std::string path_;
  bool committed_ = false;
};

// Unique within the process too: several runs may write checkpoints at once.
std::string temporary_name(const std::string& path) {
  static std::atomic<unsigned long> counter{0};
  return path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

void check_target(const std::string& path, bool overwrite, std::string_view what) {
  std::error_code error;
  const fs::file_status status = fs::symlink_status(path, error);
  if (!fs::exists(status)) return;
  if (!overwrite) {
    throw Error(ErrorKind::output_exists,
                path + ": the " + std::string(what) + " exists; use --force to replace it");
  }
  if (!fs::is_regular_file(status)) {
    throw Error(ErrorKind::io, path + ": not a regular file; Trygg replaces only regular files");
  }
}

}  // namespace

void write_atomically(const std::string& path, bool overwrite, std::string_view what,
                      const std::function<void(const std::string& temporary)>& write) {
  check_target(path, overwrite, what);
  const fs::path target(path);
  if (target.has_parent_path()) {
    std::error_code error;
    fs::create_directories(target.parent_path(), error);
    if (error) {
      throw Error(ErrorKind::io,
                  target.parent_path().string() + ": cannot create the folder: " + error.message());
    }
  }
  TemporaryFile temporary(temporary_name(path));
  write(temporary.path());
  // Checked again: the target may have appeared, or changed kind, while the content was made.
  try {
    check_target(path, overwrite, what);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::output_exists) throw;
    throw Error(ErrorKind::output_exists, path + ": the " + std::string(what) +
                                              " appeared while the work went on; use --force to "
                                              "replace it");
  }
  std::error_code error;
  fs::rename(temporary.path(), path, error);
  if (error) {
    throw Error(ErrorKind::io,
                path + ": cannot move the finished file into place: " + error.message());
  }
  temporary.commit();
}

void write_bytes_atomically(const std::string& path, bool overwrite, std::string_view what,
                            std::string_view bytes) {
  write_atomically(path, overwrite, what, [&](const std::string& temporary) {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) throw Error(ErrorKind::io, path + ": cannot write the " + std::string(what));
  });
}

}  // namespace trygg::output
