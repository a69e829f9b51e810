#pragma once
// A small RAII layer over the HDF5 C API, private to the output module: handles that close
// themselves, and helpers that throw trygg::Error instead of returning negative ids.
#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace trygg::output::h5 {

class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer, const std::string& what);
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept
      : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
      closer_ = other.closer_;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t id() const noexcept { return id_; }
  operator hid_t() const noexcept { return id_; }  // NOLINT: lets handles pass to the C API
  // Closes now and reports a failure (a file's close flushes, and can fail).
  void close(const std::string& what);

 private:
  void reset() noexcept;
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

// Throws trygg::Error(io) with `what` when an HDF5 call returned a negative status.
void check(herr_t status, const std::string& what);

// Debian's HDF5 is built without thread safety: every use of the library holds this lock.
std::mutex& library_lock();

// Turns off HDF5's own error printing: failures are reported by Trygg's messages.
void silence_library_errors();

// An HDF5 file written straight to disk, through Trygg's own file driver (disk_file.cpp), so that
// a file of any size is never held in memory.
//
// HDF5 1.10 (Debian 12's) does not survive a file whose close fails: it frees the file but keeps
// its id, and crashes when it closes it again at exit (HDFFV-11052, fixed in HDF5 1.14.1). A
// full disk makes a write fail, and with HDF5's own drivers the close then fails. Trygg's driver
// never reports a failed write to HDF5: it remembers the first (what failed, and the system's
// reason), keeps what HDF5 writes after it in memory so that HDF5 reads back what it wrote, and
// lets the close succeed. The writer asks after each part (check_written) and stops at the
// first failure; the file is then lost, and write_atomically removes it.
class DiskFile {
 public:
  // What the driver reports: the system's error number of the first failed call, 0 if none.
  struct Status {
    int error = 0;
    const char* doing = "";
  };
  // Creates (or truncates) `path`; throws Error(io), naming the system's reason, when it cannot.
  explicit DiskFile(const std::string& path);
  ~DiskFile();
  DiskFile(const DiskFile&) = delete;
  DiskFile& operator=(const DiskFile&) = delete;
  DiskFile(DiskFile&&) = delete;
  DiskFile& operator=(DiskFile&&) = delete;

  hid_t id() const noexcept { return file_.id(); }
  operator hid_t() const noexcept { return file_.id(); }  // NOLINT: passes to the C API
  // Throws Error(io) with the system's reason (a full disk, an I/O error) once a write failed.
  void check_written() const;
  // Flushes, syncs to the disk and closes; throws Error(io) when any of it failed.
  void close();

 private:
  std::string path_;
  std::unique_ptr<Status> status_;  // where the driver reports, at a fixed address
  Handle file_;
};

// Whether `parent` has a link (group or dataset) of that name.
bool has_child(hid_t parent, const std::string& name);
Handle open_file_read(const std::string& path);
// Opens, read-only, an HDF5 file held in memory (a file image, copied; nothing touches the disk).
// `name` names it in errors.
Handle open_file_image(std::span<const std::uint8_t> bytes, const std::string& name);
Handle create_group(hid_t parent, const std::string& name);
Handle open_group(hid_t parent, const std::string& name);
Handle open_dataset(hid_t parent, const std::string& name);
Handle utf8_string_type();  // variable-length UTF-8

void write_attribute(hid_t object, const std::string& name, const std::string& value);
void write_attribute(hid_t object, const std::string& name, std::int64_t value);
void write_attribute(hid_t object, const std::string& name, std::uint64_t value);
void write_attribute(hid_t object, const std::string& name, double value);
std::string read_string_attribute(hid_t object, const std::string& name);
std::int64_t read_int_attribute(hid_t object, const std::string& name);
std::uint64_t read_uint_attribute(hid_t object, const std::string& name);
double read_double_attribute(hid_t object, const std::string& name);
bool has_attribute(hid_t object, const std::string& name);

// A 1-D dataset of variable-length UTF-8 strings.
Handle write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values);

// Dimension scales: `dataset` becomes the scale `name`; a scale is attached to a dimension.
void make_scale(hid_t dataset, const std::string& name);
void attach_scale(hid_t dataset, hid_t scale, unsigned dimension, const std::string& what);
std::vector<std::string> read_strings(hid_t parent, const std::string& name);

// Numeric arrays, stored little-endian. A non-empty `chunk` (one extent per dimension) stores
// the array chunked, shuffled and compressed (deflate 4).
enum class Number { f64, i32, u32, u64 };
Handle write_numbers(hid_t parent, const std::string& name, Number type,
                     const std::vector<hsize_t>& dims, const void* values,
                     const std::vector<hsize_t>& chunk = {});
Handle write_doubles(hid_t parent, const std::string& name, const std::vector<hsize_t>& dims,
                     const double* values, const std::vector<hsize_t>& chunk = {});
Handle write_int32s(hid_t parent, const std::string& name, const std::vector<std::int32_t>& values);
// A dataset of doubles made empty (chunked and compressed as write_doubles makes them), to be
// filled a row (an index of its first dimension) at a time: what a row needs, not the whole.
Handle create_doubles(hid_t parent, const std::string& name, const std::vector<hsize_t>& dims,
                      const std::vector<hsize_t>& chunk);
void write_doubles_row(hid_t dataset, hsize_t row, const double* values, const std::string& what);
// The whole dataset, in row-major order, converted to `type`; `count` values fit `values`.
void read_numbers(hid_t dataset, Number type, void* values, std::size_t count,
                  const std::string& what);
std::vector<double> read_doubles(hid_t dataset, const std::string& what);
std::vector<std::int32_t> read_int32s(hid_t parent, const std::string& name);

template <class T>
constexpr Number number_of() {
  if constexpr (std::is_same_v<T, double>) return Number::f64;
  if constexpr (std::is_same_v<T, std::int32_t>) return Number::i32;
  if constexpr (std::is_same_v<T, std::uint32_t>) return Number::u32;
  if constexpr (std::is_same_v<T, std::uint64_t>) return Number::u64;
}

// Tables as netCDF-4 groups: a dimension with its coordinate variable (a scale), and one 1-D
// variable per column along it. The coordinate is the row index, or the rows' names.
Handle write_index_coordinate(hid_t group, const std::string& dimension, std::size_t count,
                              const std::string& long_name);
Handle write_name_coordinate(hid_t group, const std::string& dimension,
                             const std::vector<std::string>& names, const std::string& long_name);
template <class T>
Handle write_column(hid_t group, const std::string& name, hid_t dimension,
                    const std::vector<T>& values) {
  Handle column = write_numbers(group, name, number_of<T>(), {values.size()}, values.data());
  attach_scale(column, dimension, 0, "its dimension to " + name);
  return column;
}
Handle write_column(hid_t group, const std::string& name, hid_t dimension,
                    const std::vector<std::string>& values);
// Error(io) unless the dataset is a column of `count` rows.
void check_column(hid_t dataset, const std::string& name, std::size_t count);
// A column of `count` rows (Error(io) for another length or shape).
std::vector<std::string> read_text_column(hid_t group, const std::string& name, std::size_t count);
template <class T>
std::vector<T> read_column(hid_t group, const std::string& name, std::size_t count) {
  const Handle dataset = open_dataset(group, name);
  check_column(dataset, name, count);
  std::vector<T> values(count);
  read_numbers(dataset, number_of<T>(), values.data(), count, name);
  return values;
}
// The length of a dimension, from its coordinate variable.
std::size_t dimension_length(hid_t group, const std::string& dimension);

std::vector<hsize_t> dataset_shape(hid_t dataset);
std::vector<std::string> child_names(hid_t group);

}  // namespace trygg::output::h5
