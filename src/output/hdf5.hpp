#pragma once
// A small RAII layer over the HDF5 C API, private to the output module: handles that close
// themselves, and helpers that throw trygg::Error instead of returning negative ids.
#include <hdf5.h>

#include <cstdint>
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
bool has_attribute(hid_t object, const std::string& name);

// A 1-D dataset of variable-length UTF-8 strings.
Handle write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values);
std::vector<std::string> read_strings(hid_t parent, const std::string& name);

std::vector<hsize_t> dataset_shape(hid_t dataset);
std::vector<std::string> child_names(hid_t group);

}  // namespace trygg::output::h5
