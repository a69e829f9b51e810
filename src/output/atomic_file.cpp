#include "trygg/output/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

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

// The PID of a temporary file of `target` (NAME.tmp-PID-N, exactly), or nothing.
std::optional<pid_t> temporary_owner(const std::string& name, const std::string& target) {
  const std::string prefix = target + ".tmp-";
  if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) {
    return std::nullopt;
  }
  const std::string_view rest = std::string_view(name).substr(prefix.size());
  const auto dash = rest.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == rest.size()) {
    return std::nullopt;
  }
  auto digits = [](std::string_view text) {
    return text.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (!digits(rest.substr(0, dash)) || !digits(rest.substr(dash + 1))) {
    return std::nullopt;
  }
  pid_t pid = 0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + dash, pid);
  if (error != std::errc() || end != rest.data() + dash || pid <= 0) {
    return std::nullopt;
  }
  return pid;
}

// Whether no process of that PID runs on this host (EPERM: one runs, of another user).
bool process_gone(pid_t pid) {
  return ::kill(pid, 0) != 0 && errno == ESRCH;
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

std::vector<std::string> remove_stale_temporaries(const std::string& path) {
  std::vector<std::string> removed;
  const fs::path target(path);
  const std::string name = target.filename().string();
  if (name.empty()) {
    return removed;
  }
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code error;
  fs::directory_iterator entries(folder, error);
  const fs::directory_iterator end;
  for (; !error && entries != end; entries.increment(error)) {
    const fs::path& found = entries->path();
    const std::optional<pid_t> owner = temporary_owner(found.filename().string(), name);
    if (!owner || *owner == ::getpid() || !process_gone(*owner)) {
      continue;
    }
    std::error_code kind_error;
    if (!fs::is_regular_file(fs::symlink_status(found, kind_error))) {
      continue;  // a link, a folder or a device of that name is not ours: left alone
    }
    std::error_code removal;
    if (fs::remove(found, removal)) {
      removed.push_back(found.string());
    }
  }
  return removed;
}

void write_atomically(const std::string& path, bool overwrite, std::string_view what,
                      const std::function<void(const std::string& temporary)>& write,
                      StaleTemporaries stale) {
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
  if (stale == StaleTemporaries::remove) {
    for (const std::string& file : remove_stale_temporaries(path)) {
      std::fprintf(stderr, "trygg: removed %s, left by a process that no longer runs\n",
                   file.c_str());
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

void write_file_bytes(const std::string& path, std::string_view bytes, std::string_view what) {
  auto failed = [&](const char* doing) {
    const std::error_code reason(errno, std::generic_category());
    return Error(ErrorKind::io, path + ": cannot " + doing + " the " + std::string(what) + ": " +
                                    reason.message());
  };
  const int file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (file < 0) {
    throw failed("create");
  }
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t now = ::write(file, bytes.data() + written, bytes.size() - written);
    if (now < 0 && errno == EINTR) {
      continue;  // a signal arrived: the write goes on, and its flag is read between parts
    }
    if (now <= 0) {
      if (now == 0) {
        errno = EIO;  // no progress and no reason: not expected of a regular file
      }
      const Error error = failed("write");
      ::close(file);
      throw error;
    }
    written += static_cast<std::size_t>(now);
  }
  if (::close(file) != 0) {
    throw failed("write");
  }
}

void write_bytes_atomically(const std::string& path, bool overwrite, std::string_view what,
                            std::string_view bytes, StaleTemporaries stale) {
  write_atomically(
      path, overwrite, what,
      [&](const std::string& temporary) { write_file_bytes(temporary, bytes, what); }, stale);
}

}  // namespace trygg::output
