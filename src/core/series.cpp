#include "trygg/core/series.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "trygg/core/error.hpp"

namespace trygg {

std::vector<double>& Series::values() {
  if (view_ != nullptr) {
    owned_.assign(view_, view_ + view_size_);
    view_ = nullptr;
    view_size_ = 0;
    mapping_.reset();
  }
  return owned_;
}

void Series::clear() noexcept {
  owned_.clear();
  owned_.shrink_to_fit();
  view_ = nullptr;
  view_size_ = 0;
  mapping_.reset();
}

bool Series::operator==(const Series& other) const {
  return size() == other.size() && std::equal(begin(), end(), other.begin());
}

namespace {

std::uint64_t round_up(std::uint64_t bytes, std::uint64_t to) {
  return (bytes + to - 1) / to * to;
}

Error spool_error(const std::string& folder, const std::string& doing, int number) {
  const std::error_code reason(number, std::generic_category());
  return Error(ErrorKind::io, folder + ": cannot " + doing +
                                  " (finished runs' series wait there until the result file is "
                                  "written): " +
                                  reason.message());
}

}  // namespace

struct SeriesSpool::Segment {
  void* base = nullptr;
  std::uint64_t length = 0;
  std::uint64_t offset = 0;  // where in the file the segment starts
  std::uint64_t used = 0;
  Segment() = default;
  Segment(const Segment&) = delete;
  Segment& operator=(const Segment&) = delete;
  Segment(Segment&&) = delete;
  Segment& operator=(Segment&&) = delete;
  ~Segment() {
    if (base != nullptr) ::munmap(base, length);
  }
};

SeriesSpool::SeriesSpool(const std::string& folder, std::uint64_t segment_bytes)
    : folder_(folder.empty() ? "." : folder),
      segment_bytes_(std::max<std::uint64_t>(1, segment_bytes)) {}

void SeriesSpool::open_file() {
  // The output's folder is made when missing, as the file's write would make it; the spool
  // makes it at its first series, when the job has run, and removes it again if it is left
  // empty (a job that failed).
  std::error_code made;
  if (!std::filesystem::exists(folder_, made)) {
    made_folder_ = std::filesystem::create_directories(folder_, made);
    if (made) throw spool_error(folder_, "make the folder", made.value());
  }
  // An unnamed file where the file system allows one; otherwise a named one, unlinked at once.
  descriptor_ = ::open(folder_.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (descriptor_ < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
    std::string name = folder_ + "/.trygg-series-XXXXXX";
    descriptor_ = ::mkostemp(name.data(), O_CLOEXEC);
    if (descriptor_ >= 0) ::unlink(name.c_str());
  }
  if (descriptor_ < 0) throw spool_error(folder_, "make a file", errno);
}

SeriesSpool::~SeriesSpool() {
  // The kept series' mappings hold the file; the descriptor is no longer needed.
  if (descriptor_ >= 0) ::close(descriptor_);
  std::error_code ignored;
  if (made_folder_) std::filesystem::remove(folder_, ignored);  // only when it is empty
}

Series SeriesSpool::keep(Series series) {
  if (series.kept() || series.empty()) return series;
  const std::uint64_t bytes = series.size() * sizeof(double);
  std::shared_ptr<Segment> segment;
  std::uint64_t at = 0;
  {
    const std::lock_guard<std::mutex> guard(lock_);
    if (descriptor_ < 0) open_file();
    if (!segment_ || segment_->used + bytes > segment_->length) {
      const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
      auto fresh = std::make_shared<Segment>();
      fresh->length = round_up(std::max(bytes, segment_bytes_), page);
      fresh->offset = end_;
      // Reading past what was written would fault; only what keep() wrote is ever read.
      void* base = ::mmap(nullptr, fresh->length, PROT_READ, MAP_SHARED, descriptor_,
                          static_cast<off_t>(fresh->offset));
      if (base == MAP_FAILED) throw spool_error(folder_, "map the file of series", errno);
      fresh->base = base;
      end_ += fresh->length;
      segment_ = std::move(fresh);
    }
    segment = segment_;
    at = segment->used;
    segment->used += bytes;
  }
  // Written with the system's write, not through the mapping: a full disk is an error here
  // rather than a fault later.
  const auto* from = reinterpret_cast<const char*>(series.begin());
  std::uint64_t done = 0;
  while (done < bytes) {
    const ssize_t now = ::pwrite(descriptor_, from + done, bytes - done,
                                 static_cast<off_t>(segment->offset + at + done));
    if (now < 0 && errno == EINTR) continue;
    if (now <= 0) {
      throw spool_error(folder_, "keep a finished run's series", now == 0 ? EIO : errno);
    }
    done += static_cast<std::uint64_t>(now);
  }
  // On the disk before it is read through the mapping: a disk that accepts a write and fails
  // it later (a network file system, a quota checked by a server) is an error here, not a
  // fault (SIGBUS) when the page is read.
  if (::fdatasync(descriptor_) != 0) {
    throw spool_error(folder_, "keep a finished run's series", errno);
  }
  {
    const std::lock_guard<std::mutex> guard(lock_);
    kept_ += bytes;
  }
  Series kept;
  kept.view_ = reinterpret_cast<const double*>(static_cast<const char*>(segment->base) + at);
  kept.view_size_ = series.size();
  kept.mapping_ = std::move(segment);
  return kept;
}

std::uint64_t SeriesSpool::bytes_kept() const {
  const std::lock_guard<std::mutex> guard(lock_);
  return kept_;
}

}  // namespace trygg
