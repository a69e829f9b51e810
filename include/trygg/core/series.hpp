#pragma once
// A run's series of values, held in memory while the run records them and, once the run is
// finished, kept on disk (SeriesSpool) so that a job's memory does not grow with its finished
// runs. Reading is the same either way: a kept series is read through a read-only mapping of its
// part of the spool file, whose pages the system reads in when they are used and may drop again
// under memory pressure (they are on disk, so they never need swap).
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace trygg {

class SeriesSpool;

class Series {
 public:
  Series() = default;
  Series(std::initializer_list<double> values) : owned_(values) {}
  explicit Series(std::vector<double> values) : owned_(std::move(values)) {}
  Series(const Series&) = default;
  Series& operator=(const Series&) = default;
  // A series moved from is empty, whether it was kept or held: never a view without its mapping.
  Series(Series&& other) noexcept
      : owned_(std::move(other.owned_)),
        mapping_(std::move(other.mapping_)),
        view_(std::exchange(other.view_, nullptr)),
        view_size_(std::exchange(other.view_size_, 0)) {
    other.owned_.clear();
  }
  Series& operator=(Series&& other) noexcept {
    if (this != &other) {
      owned_ = std::move(other.owned_);
      other.owned_.clear();
      mapping_ = std::move(other.mapping_);
      view_ = std::exchange(other.view_, nullptr);
      view_size_ = std::exchange(other.view_size_, 0);
    }
    return *this;
  }
  ~Series() = default;

  std::size_t size() const noexcept { return view_ != nullptr ? view_size_ : owned_.size(); }
  bool empty() const noexcept { return size() == 0; }
  const double* data() const noexcept { return view_ != nullptr ? view_ : owned_.data(); }
  const double* begin() const noexcept { return data(); }
  const double* end() const noexcept { return data() + size(); }
  const double& operator[](std::size_t i) const noexcept { return data()[i]; }
  // Whether the values are kept on disk (SeriesSpool::keep) rather than held in memory.
  bool kept() const noexcept { return view_ != nullptr; }

  // Writing needs the values in memory: a kept series is first read back into it, so writing
  // is for a run recording its steps, a file being read, and tests. Reading (data(), [], ...)
  // never does: there are no writable overloads of them to pick by mistake.
  std::vector<double>& values();
  void assign(std::size_t count, double value) { values().assign(count, value); }
  template <typename Iterator>
  void assign(Iterator first, Iterator last) {
    values().assign(first, last);
  }
  void push_back(double value) { values().push_back(value); }
  void pop_back() { values().pop_back(); }
  void clear() noexcept;

  bool operator==(const Series& other) const;

 private:
  friend class SeriesSpool;
  std::vector<double> owned_;
  // A kept series: its values in a mapping of the spool file, which stays while a view holds it.
  std::shared_ptr<const void> mapping_;
  const double* view_ = nullptr;
  std::size_t view_size_ = 0;
};

// An unnamed file in a folder (the output's, whose disk the result needs anyway) where finished
// runs' series wait until the result file is written. The file has no name from the start, so
// the system frees its space when the last series kept in it goes, however the process ends;
// nothing is left behind.
class SeriesSpool {
 public:
  // The file is mapped a segment at a time: few mappings (a process may have some 65,000)
  // however many runs a job has, each reserving address space only.
  static constexpr std::uint64_t kSegmentBytes = std::uint64_t{256} << 20U;
  // The file is made at the first keep() (with the folder, when it is missing); keep() throws
  // Error(io), naming the folder and the system's reason, when it cannot be. `segment_bytes`
  // (rounded up to whole pages) is for tests of series that span segments.
  explicit SeriesSpool(const std::string& folder, std::uint64_t segment_bytes = kSegmentBytes);
  ~SeriesSpool();
  SeriesSpool(const SeriesSpool&) = delete;
  SeriesSpool& operator=(const SeriesSpool&) = delete;
  SeriesSpool(SeriesSpool&&) = delete;
  SeriesSpool& operator=(SeriesSpool&&) = delete;

  // Writes the values to the file and returns them kept there; the memory they held is freed.
  // Safe to call from several threads at once. Throws Error(io) when the disk refuses the write
  // (a full disk), naming the folder and the system's reason.
  Series keep(Series series);

  std::uint64_t bytes_kept() const;

 private:
  struct Segment;
  void open_file();  // under lock_
  std::string folder_;
  bool made_folder_ = false;
  std::uint64_t segment_bytes_;
  int descriptor_ = -1;
  mutable std::mutex lock_;
  std::shared_ptr<Segment> segment_;  // the part of the file being filled
  std::uint64_t end_ = 0;             // where the next segment starts
  std::uint64_t kept_ = 0;
};

}  // namespace trygg
