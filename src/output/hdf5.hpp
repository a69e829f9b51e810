#pragma once
// A small RAII layer over the HDF5 C API, private to the output module: handles that close
// themselves, and helpers that throw trygg::Error instead of returning negative ids.
#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <string>
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

Handle create_file(const std::string& path);
// Creates `path`, replacing a file there (for temporary files that nobody else names).
Handle create_file_replacing(const std::string& path);
void flush(hid_t file, const std::string& what);
// Whether `parent` has a link (group or dataset) of that name.
bool has_child(hid_t parent, const std::string& name);
Handle open_file_read(const std::string& path);
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
bool has_attribute(hid_t object, const std::string& name);

// A 1-D dataset of variable-length UTF-8 strings.
Handle write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values);
std::vector<std::string> read_strings(hid_t parent, const std::string& name);

// Numeric arrays. A non-empty `chunk` (one extent per dimension) stores the array chunked,
// shuffled and compressed (deflate 4).
Handle write_doubles(hid_t parent, const std::string& name, const std::vector<hsize_t>& dims,
                     const double* values, const std::vector<hsize_t>& chunk = {});
Handle write_int32s(hid_t parent, const std::string& name, const std::vector<std::int32_t>& values);
// The whole dataset, in row-major order.
std::vector<double> read_doubles(hid_t dataset, const std::string& what);
std::vector<std::int32_t> read_int32s(hid_t parent, const std::string& name);

// Dimension scales: `dataset` becomes the scale `name`; a scale is attached to a dimension.
void make_scale(hid_t dataset, const std::string& name);
void attach_scale(hid_t dataset, hid_t scale, unsigned dimension, const std::string& what);

// Tables as compound datasets: one member of a row struct, its name, offset and kind.
enum class Column { text, f64, u32, u64 };
struct Member {
  const char* name;
  std::size_t offset;
  Column column;
};
// The HDF5 type of a table's row, from its members (text members are `const char*`).
Handle compound_type(std::size_t size, const std::string& table,
                     std::initializer_list<Member> members);
void write_rows(hid_t parent, const std::string& name, hid_t type, const void* rows,
                std::size_t count);
// Reads every row into `rows` (room for row_count rows); strings are allocated by HDF5 and
// must be given back with reclaim_rows.
std::size_t row_count(hid_t dataset);
void read_rows(hid_t dataset, hid_t type, void* rows, const std::string& what);
void reclaim_rows(hid_t type, void* rows, std::size_t count);

template <class Row>
void write_table(hid_t parent, const std::string& name, hid_t type, const std::vector<Row>& rows) {
  write_rows(parent, name, type, rows.data(), rows.size());
}

// Reads a table and turns each row into a value with `convert`, giving HDF5's strings back.
template <class Row, class Convert>
auto read_table(hid_t parent, const std::string& name, hid_t type, Convert convert) {
  const Handle dataset = open_dataset(parent, name);
  std::vector<Row> rows(row_count(dataset));
  read_rows(dataset, type, rows.data(), "read table " + name);
  std::vector<decltype(convert(rows.front()))> values;
  values.reserve(rows.size());
  try {
    for (const Row& row : rows) values.push_back(convert(row));
  } catch (...) {
    reclaim_rows(type, rows.data(), rows.size());
    throw;
  }
  reclaim_rows(type, rows.data(), rows.size());
  return values;
}

inline std::string text_or_empty(const char* text) {
  return text != nullptr ? text : "";
}

std::vector<hsize_t> dataset_shape(hid_t dataset);
std::vector<std::string> child_names(hid_t group);

}  // namespace trygg::output::h5
