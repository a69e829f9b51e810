#include "hdf5.hpp"

#include <hdf5_hl.h>

#include <algorithm>
#include <array>

#include "trygg/core/error.hpp"
#include "trygg/core/input_file.hpp"

namespace trygg::output::h5 {

Handle::Handle(hid_t id, Closer closer, const std::string& what) : id_(id), closer_(closer) {
  if (id < 0) throw Error(ErrorKind::io, "HDF5: cannot " + what);
}

void Handle::reset() noexcept {
  if (id_ >= 0 && closer_ != nullptr) closer_(id_);
  id_ = H5I_INVALID_HID;
}

void Handle::close(const std::string& what) {
  if (id_ < 0) return;
  const herr_t status = closer_(id_);
  id_ = H5I_INVALID_HID;
  check(status, what);
}

void check(herr_t status, const std::string& what) {
  if (status < 0) throw Error(ErrorKind::io, "HDF5: cannot " + what);
}

std::mutex& library_lock() {
  static std::mutex lock;
  return lock;
}

void silence_library_errors() {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

bool has_child(hid_t parent, const std::string& name) {
  return H5Lexists(parent, name.c_str(), H5P_DEFAULT) > 0;
}

Handle open_file_read(const std::string& path) {
  // HDF5 would block on a FIFO and read a device: only a regular file is opened.
  const std::string problem = input_file_problem(path);
  if (!problem.empty()) {
    throw Error(ErrorKind::invalid_input,
                path + ": " + problem + "; expected a result file or store (HDF5, a regular file)");
  }
  return Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose,
                "open " + path + " (is it an HDF5 file?)");
}

Handle open_file_image(std::span<const std::uint8_t> bytes, const std::string& name) {
  // The core driver with the image set on the file access properties, which copy it; no backing
  // store and no callbacks.
  const Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "create file access properties");
  check(H5Pset_fapl_core(access, std::size_t{64} * 1024, 0), "choose the core driver for " + name);
  check(H5Pset_file_image(access, const_cast<std::uint8_t*>(bytes.data()), bytes.size()),
        "hand " + name + " to HDF5");
  return Handle(H5Fopen(name.c_str(), H5F_ACC_RDONLY, access), H5Fclose,
                "open " + name + " (is it an HDF5 file?)");
}

Handle create_group(hid_t parent, const std::string& name) {
  return Handle(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                "create group " + name);
}

// A group or dataset that a reader needs and the file lacks makes the file invalid input; one
// that is there but cannot be opened is an io error.
Handle open_group(hid_t parent, const std::string& name) {
  if (!has_child(parent, name)) {
    throw Error(ErrorKind::invalid_input, "the group " + name + " is missing");
  }
  return Handle(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose, "open group " + name);
}

Handle open_dataset(hid_t parent, const std::string& name) {
  if (!has_child(parent, name)) {
    throw Error(ErrorKind::invalid_input, "the dataset " + name + " is missing");
  }
  return Handle(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
}

Handle utf8_string_type() {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "copy the string type");
  check(H5Tset_size(type, H5T_VARIABLE), "make a variable-length string type");
  check(H5Tset_cset(type, H5T_CSET_UTF8), "set UTF-8 on the string type");
  return type;
}

namespace {

void write_scalar_attribute(hid_t object, const std::string& name, hid_t type, const void* value) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar dataspace");
  Handle attribute(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                   H5Aclose, "create attribute " + name);
  check(H5Awrite(attribute, type, value), "write attribute " + name);
}

}  // namespace

void write_attribute(hid_t object, const std::string& name, const std::string& value) {
  const Handle type = utf8_string_type();
  const char* text = value.c_str();
  write_scalar_attribute(object, name, type, &text);
}

void write_attribute(hid_t object, const std::string& name, std::int64_t value) {
  write_scalar_attribute(object, name, H5T_NATIVE_INT64, &value);
}

void write_attribute(hid_t object, const std::string& name, std::uint64_t value) {
  write_scalar_attribute(object, name, H5T_NATIVE_UINT64, &value);
}

void write_attribute(hid_t object, const std::string& name, double value) {
  write_scalar_attribute(object, name, H5T_NATIVE_DOUBLE, &value);
}

bool has_attribute(hid_t object, const std::string& name) {
  return H5Aexists(object, name.c_str()) > 0;
}

std::string read_string_attribute(hid_t object, const std::string& name) {
  if (H5Aexists(object, name.c_str()) <= 0) {
    throw Error(ErrorKind::invalid_input, "the attribute " + name + " is missing");
  }
  Handle attribute(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
  Handle stored(H5Aget_type(attribute), H5Tclose, "read the type of attribute " + name);
  if (H5Tis_variable_str(stored) > 0) {
    const Handle type = utf8_string_type();
    char* text = nullptr;
    check(H5Aread(attribute, type, &text), "read attribute " + name);
    std::string value = text != nullptr ? text : "";
    H5free_memory(text);
    return value;
  }
  const std::size_t size = H5Tget_size(stored);
  std::string value(size, '\0');
  check(H5Aread(attribute, stored, value.data()), "read attribute " + name);
  value.resize(value.find('\0') == std::string::npos ? size : value.find('\0'));
  return value;
}

namespace {
template <class Number>
Number read_number_attribute(hid_t object, const std::string& name, hid_t type) {
  if (H5Aexists(object, name.c_str()) <= 0) {
    throw Error(ErrorKind::invalid_input, "the attribute " + name + " is missing");
  }
  Handle attribute(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
  Handle space(H5Aget_space(attribute), H5Sclose, "read the space of attribute " + name);
  if (H5Sget_simple_extent_npoints(space) != 1) {
    throw Error(ErrorKind::invalid_input, "HDF5: attribute " + name + " is not a single value");
  }
  Number value{};
  check(H5Aread(attribute, type, &value), "read attribute " + name);
  return value;
}
}  // namespace

std::int64_t read_int_attribute(hid_t object, const std::string& name) {
  return read_number_attribute<std::int64_t>(object, name, H5T_NATIVE_INT64);
}

std::uint64_t read_uint_attribute(hid_t object, const std::string& name) {
  return read_number_attribute<std::uint64_t>(object, name, H5T_NATIVE_UINT64);
}

double read_double_attribute(hid_t object, const std::string& name) {
  return read_number_attribute<double>(object, name, H5T_NATIVE_DOUBLE);
}

namespace {
// A 1-D dataset of `count` elements of `type` (the file's type), written from `values` in
// `memory_type` when there are any.
Handle write_list(hid_t parent, const std::string& name, hid_t type, hid_t memory_type,
                  std::size_t count, const void* values) {
  const hsize_t extent = count;
  Handle space(H5Screate_simple(1, &extent, nullptr), H5Sclose, "create a dataspace for " + name);
  Handle dataset(
      H5Dcreate2(parent, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
      H5Dclose, "create dataset " + name);
  if (count > 0) {
    check(H5Dwrite(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values),
          "write dataset " + name);
  }
  return dataset;
}
}  // namespace

Handle write_strings(hid_t parent, const std::string& name,
                     const std::vector<std::string>& values) {
  const Handle type = utf8_string_type();
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const auto& value : values) pointers.push_back(value.c_str());
  return write_list(parent, name, type, type, values.size(), pointers.data());
}

std::vector<std::string> read_strings(hid_t parent, const std::string& name) {
  const Handle dataset = open_dataset(parent, name);
  const auto shape = dataset_shape(dataset);
  const std::size_t count = shape.empty() ? 0 : shape[0];
  std::vector<char*> pointers(count, nullptr);
  const Handle type = utf8_string_type();
  if (count > 0) {
    check(H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
          "read dataset " + name);
  }
  std::vector<std::string> values;
  for (char* pointer : pointers) {
    values.emplace_back(pointer != nullptr ? pointer : "");
    H5free_memory(pointer);
  }
  return values;
}

namespace {
// The file's type (little-endian, whatever the machine) and the machine's own.
hid_t file_type(Number type) {
  switch (type) {
    case Number::f64:
      return H5T_IEEE_F64LE;
    case Number::i32:
      return H5T_STD_I32LE;
    case Number::u32:
      return H5T_STD_U32LE;
    case Number::u64:
      return H5T_STD_U64LE;
  }
  return H5T_IEEE_F64LE;
}

hid_t memory_type(Number type) {
  switch (type) {
    case Number::f64:
      return H5T_NATIVE_DOUBLE;
    case Number::i32:
      return H5T_NATIVE_INT32;
    case Number::u32:
      return H5T_NATIVE_UINT32;
    case Number::u64:
      return H5T_NATIVE_UINT64;
  }
  return H5T_NATIVE_DOUBLE;
}
}  // namespace

namespace {

Handle create_numbers(hid_t parent, const std::string& name, Number type,
                      const std::vector<hsize_t>& dims, const std::vector<hsize_t>& chunk) {
  hsize_t count = 1;
  for (const hsize_t extent : dims) count *= extent;
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose,
               "create the space of " + name);
  Handle properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create dataset properties");
  if (!chunk.empty() && count > 0) {
    check(H5Pset_chunk(properties, static_cast<int>(chunk.size()), chunk.data()), "chunk " + name);
    check(H5Pset_shuffle(properties), "shuffle " + name);
    check(H5Pset_deflate(properties, 4), "compress " + name);
  }
  return Handle(H5Dcreate2(parent, name.c_str(), file_type(type), space, H5P_DEFAULT, properties,
                           H5P_DEFAULT),
                H5Dclose, "create dataset " + name);
}

}  // namespace

Handle create_doubles(hid_t parent, const std::string& name, const std::vector<hsize_t>& dims,
                      const std::vector<hsize_t>& chunk) {
  return create_numbers(parent, name, Number::f64, dims, chunk);
}

void write_doubles_row(hid_t dataset, hsize_t row, const double* values, const std::string& what) {
  const Handle file_space(H5Dget_space(dataset), H5Sclose, "get the space of " + what);
  std::vector<hsize_t> shape = dataset_shape(dataset);
  if (shape.empty() || row >= shape[0]) {
    throw Error(ErrorKind::internal, "HDF5: row " + std::to_string(row) + " is outside " + what);
  }
  std::vector<hsize_t> start(shape.size(), 0);
  start[0] = row;
  shape[0] = 1;
  check(
      H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start.data(), nullptr, shape.data(), nullptr),
      "select a row of " + what);
  const Handle memory_space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr),
                            H5Sclose, "create the space of a row of " + what);
  check(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, memory_space, file_space, H5P_DEFAULT, values),
        "write a row of " + what);
}

Handle write_numbers(hid_t parent, const std::string& name, Number type,
                     const std::vector<hsize_t>& dims, const void* values,
                     const std::vector<hsize_t>& chunk) {
  hsize_t count = 1;
  for (const hsize_t extent : dims) count *= extent;
  Handle dataset = create_numbers(parent, name, type, dims, chunk);
  if (count > 0) {
    check(H5Dwrite(dataset, memory_type(type), H5S_ALL, H5S_ALL, H5P_DEFAULT, values),
          "write " + name);
  }
  return dataset;
}

Handle write_doubles(hid_t parent, const std::string& name, const std::vector<hsize_t>& dims,
                     const double* values, const std::vector<hsize_t>& chunk) {
  return write_numbers(parent, name, Number::f64, dims, values, chunk);
}

Handle write_int32s(hid_t parent, const std::string& name,
                    const std::vector<std::int32_t>& values) {
  return write_numbers(parent, name, Number::i32, {values.size()}, values.data());
}

void read_numbers(hid_t dataset, Number type, void* values, std::size_t count,
                  const std::string& what) {
  hsize_t stored = 1;
  for (const hsize_t extent : dataset_shape(dataset)) stored *= extent;
  if (stored != count) {
    throw Error(ErrorKind::invalid_input, "HDF5: " + what + " holds " + std::to_string(stored) +
                                              " values, not " + std::to_string(count));
  }
  if (count > 0) {
    check(H5Dread(dataset, memory_type(type), H5S_ALL, H5S_ALL, H5P_DEFAULT, values),
          "read " + what);
  }
}

std::vector<double> read_doubles(hid_t dataset, const std::string& what) {
  hsize_t count = 1;
  for (const hsize_t extent : dataset_shape(dataset)) count *= extent;
  std::vector<double> values(count);
  read_numbers(dataset, Number::f64, values.data(), values.size(), what);
  return values;
}

std::vector<std::int32_t> read_int32s(hid_t parent, const std::string& name) {
  const Handle dataset = open_dataset(parent, name);
  const auto shape = dataset_shape(dataset);
  if (shape.size() != 1) throw Error(ErrorKind::invalid_input, "HDF5: " + name + " is not a list");
  std::vector<std::int32_t> values(shape[0]);
  read_numbers(dataset, Number::i32, values.data(), values.size(), name);
  return values;
}

Handle write_index_coordinate(hid_t group, const std::string& dimension, std::size_t count,
                              const std::string& long_name) {
  std::vector<std::uint64_t> index(count);
  for (std::size_t i = 0; i < count; ++i) index[i] = i;
  Handle scale = write_numbers(group, dimension, Number::u64, {count}, index.data());
  make_scale(scale, dimension);
  write_attribute(scale, "long_name", long_name);
  return scale;
}

Handle write_name_coordinate(hid_t group, const std::string& dimension,
                             const std::vector<std::string>& names, const std::string& long_name) {
  Handle scale = write_strings(group, dimension, names);
  make_scale(scale, dimension);
  write_attribute(scale, "long_name", long_name);
  return scale;
}

Handle write_column(hid_t group, const std::string& name, hid_t dimension,
                    const std::vector<std::string>& values) {
  Handle column = write_strings(group, name, values);
  attach_scale(column, dimension, 0, "its dimension to " + name);
  return column;
}

void check_column(hid_t dataset, const std::string& name, std::size_t count) {
  const auto shape = dataset_shape(dataset);
  if (shape.size() != 1 || shape[0] != count) {
    throw Error(ErrorKind::invalid_input,
                "HDF5: " + name + " is not a column of " + std::to_string(count) + " rows");
  }
}

std::vector<std::string> read_text_column(hid_t group, const std::string& name, std::size_t count) {
  std::vector<std::string> values = read_strings(group, name);
  if (values.size() != count) {
    throw Error(ErrorKind::invalid_input,
                "HDF5: " + name + " is not a column of " + std::to_string(count) + " rows");
  }
  return values;
}

std::size_t dimension_length(hid_t group, const std::string& dimension) {
  const Handle scale = open_dataset(group, dimension);
  const auto shape = dataset_shape(scale);
  if (shape.size() != 1)
    throw Error(ErrorKind::invalid_input, "HDF5: dimension " + dimension + " is not 1-D");
  return shape[0];
}

void make_scale(hid_t dataset, const std::string& name) {
  check(H5DSset_scale(dataset, name.c_str()), "make " + name + " a dimension scale");
}

void attach_scale(hid_t dataset, hid_t scale, unsigned dimension, const std::string& what) {
  check(H5DSattach_scale(dataset, scale, dimension), "attach " + what);
}

std::vector<hsize_t> dataset_shape(hid_t dataset) {
  Handle space(H5Dget_space(dataset), H5Sclose, "read a dataspace");
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  // A damaged or hostile file may declare any extent. More values than the file could hold,
  // even compressed (deflate packs at most about 1,032 bytes into one), is refused here, before
  // a reader allocates room for them.
  Handle file(H5Iget_file_id(dataset), H5Fclose, "find the file of a dataset");
  hsize_t file_bytes = 0;
  check(H5Fget_filesize(file, &file_bytes), "read the size of a file");
  Handle type(H5Dget_type(dataset), H5Tclose, "read a dataset's type");
  const auto element_bytes = static_cast<long double>(std::max<std::size_t>(1, H5Tget_size(type)));
  long double declared = element_bytes;
  for (const hsize_t extent : dims) declared *= static_cast<long double>(extent);
  if (declared > 1100.0L * static_cast<long double>(file_bytes) + 1048576.0L) {
    std::array<char, 256> name{};
    H5Iget_name(dataset, name.data(), name.size());
    std::string extents;
    for (const hsize_t extent : dims)
      extents += (extents.empty() ? "" : " x ") + std::to_string(extent);
    throw Error(ErrorKind::invalid_input,
                "HDF5: dataset " + std::string(name.data()) + " declares " + extents +
                    " values, more than a file of " + std::to_string(file_bytes) +
                    " bytes can hold: the file is damaged");
  }
  return dims;
}

std::vector<std::string> child_names(hid_t group) {
  std::vector<std::string> names;
  H5Literate(
      group, H5_INDEX_NAME, H5_ITER_INC, nullptr,
      [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->emplace_back(name);
        return 0;
      },
      &names);
  return names;
}

}  // namespace trygg::output::h5
