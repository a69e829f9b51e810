// Trygg's own HDF5 file driver: an HDF5 file written straight to disk whose failed writes HDF5
// never sees (hdf5.hpp, DiskFile, says why).
#include <fcntl.h>
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <limits>
#include <new>
#include <system_error>

#include "hdf5.hpp"
#include "trygg/core/error.hpp"

namespace trygg::output::h5 {

namespace {

// What the driver keeps of one open file. HDF5 sees only `public_part`, the first member, and
// hands the same pointer back to every callback.
struct DriverFile {
  H5FD_t public_part{};
  int descriptor = -1;
  haddr_t end_of_allocation = 0;  // how far HDF5 has allocated the file's address space
  haddr_t end_of_file = 0;        // how far the file on disk reaches
  DiskFile::Status* status = nullptr;
  // What was written after the first failed write, in order: reads see it over the file's
  // bytes, so HDF5 reads back what it wrote while it closes the file, and finds it whole.
  std::vector<std::pair<haddr_t, std::vector<char>>> unwritten;
};

DriverFile* of(H5FD_t* file) {
  return reinterpret_cast<DriverFile*>(file);  // NOLINT: HDF5's driver interface is C
}
const DriverFile* of(const H5FD_t* file) {
  return reinterpret_cast<const DriverFile*>(file);  // NOLINT: HDF5's driver interface is C
}

void remember_failure(DriverFile& file, const char* doing, int error) {
  if (file.status != nullptr && file.status->error == 0) {
    file.status->error = error;
    file.status->doing = doing;
  }
}

// The driver's information on a file access list: where it reports a failure.
struct DriverInfo {
  DiskFile::Status* status = nullptr;
};

void* copy_info(const void* info) {
  auto* copy = new (std::nothrow) DriverInfo{};
  if (copy != nullptr && info != nullptr) *copy = *static_cast<const DriverInfo*>(info);
  return copy;
}

herr_t free_info(void* info) {
  delete static_cast<DriverInfo*>(info);
  return 0;
}

H5FD_t* open_file(const char* name, unsigned flags, hid_t access, haddr_t /*maxaddr*/) {
  const auto* info = static_cast<const DriverInfo*>(H5Pget_driver_info(access));
  int open_flags = O_CLOEXEC | O_NOFOLLOW | ((flags & H5F_ACC_RDWR) != 0 ? O_RDWR : O_RDONLY);
  if ((flags & H5F_ACC_CREAT) != 0) open_flags |= O_CREAT;
  if ((flags & H5F_ACC_TRUNC) != 0) open_flags |= O_TRUNC;
  if ((flags & H5F_ACC_EXCL) != 0) open_flags |= O_EXCL;
  const int descriptor = ::open(name, open_flags, 0666);
  if (descriptor < 0) {
    // No file is made, so there is nothing for HDF5 to close: its create fails cleanly.
    if (info != nullptr && info->status != nullptr && info->status->error == 0) {
      info->status->error = errno;
      info->status->doing = "create";
    }
    return nullptr;
  }
  auto* file = new (std::nothrow) DriverFile{};
  if (file == nullptr) {
    ::close(descriptor);
    return nullptr;
  }
  file->descriptor = descriptor;
  file->status = info != nullptr ? info->status : nullptr;
  const off_t size = ::lseek(descriptor, 0, SEEK_END);
  file->end_of_file = size > 0 ? static_cast<haddr_t>(size) : 0;
  return &file->public_part;
}

herr_t close_file(H5FD_t* handle) {
  DriverFile* file = of(handle);
  if (file->status != nullptr && file->status->error == 0 && ::fsync(file->descriptor) != 0) {
    remember_failure(*file, "write", errno);
  }
  if (::close(file->descriptor) != 0) remember_failure(*file, "write", errno);
  delete file;
  return 0;  // never a failure: HDF5 1.10 cannot survive one (hdf5.hpp)
}

herr_t query(const H5FD_t* /*file*/, unsigned long* flags) {
  // What the sec2 and core drivers allow: HDF5 gathers small metadata and raw data into larger
  // blocks before it writes them.
  if (flags != nullptr) {
    *flags = H5FD_FEAT_AGGREGATE_METADATA | H5FD_FEAT_ACCUMULATE_METADATA | H5FD_FEAT_DATA_SIEVE |
             H5FD_FEAT_AGGREGATE_SMALLDATA;
  }
  return 0;
}

haddr_t get_end_of_allocation(const H5FD_t* file, H5FD_mem_t /*type*/) {
  return of(file)->end_of_allocation;
}

herr_t set_end_of_allocation(H5FD_t* file, H5FD_mem_t /*type*/, haddr_t address) {
  of(file)->end_of_allocation = address;
  return 0;
}

haddr_t get_end_of_file(const H5FD_t* file, H5FD_mem_t /*type*/) {
  return of(file)->end_of_file;
}

herr_t read_bytes(H5FD_t* handle, H5FD_mem_t /*type*/, hid_t /*transfer*/, haddr_t address,
                  size_t size, void* buffer) {
  DriverFile* file = of(handle);
  auto* out = static_cast<char*>(buffer);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t now =
        ::pread(file->descriptor, out + done, size - done, static_cast<off_t>(address + done));
    if (now < 0 && errno == EINTR) continue;
    if (now < 0) remember_failure(*file, "read back", errno);  // the file is lost, as on a write
    if (now <= 0) break;  // past the end (zeros, as HDF5 expects), or a read that failed
    done += static_cast<std::size_t>(now);
  }
  std::fill(out + done, out + size, '\0');
  for (const auto& [at, bytes] : file->unwritten) {
    const haddr_t from = std::max(at, address);
    const haddr_t to = std::min(at + bytes.size(), address + size);
    if (from < to) std::memcpy(out + (from - address), bytes.data() + (from - at), to - from);
  }
  return 0;
}

herr_t write_bytes(H5FD_t* handle, H5FD_mem_t /*type*/, hid_t /*transfer*/, haddr_t address,
                   size_t size, const void* buffer) {
  DriverFile* file = of(handle);
  const auto* in = static_cast<const char*>(buffer);
  if (file->status == nullptr || file->status->error == 0) {
    std::size_t done = 0;
    while (done < size) {
      const ssize_t now =
          ::pwrite(file->descriptor, in + done, size - done, static_cast<off_t>(address + done));
      if (now < 0 && errno == EINTR) continue;  // a signal: its flag is read between parts
      if (now <= 0) {
        remember_failure(*file, "write", now == 0 ? EIO : errno);
        break;
      }
      done += static_cast<std::size_t>(now);
    }
    if (done == size) {
      file->end_of_file = std::max<haddr_t>(file->end_of_file, address + size);
      return 0;
    }
  }
  // The disk took no more: the file is lost, and the writer stops at its next check. Until
  // then the bytes are kept here, so that what HDF5 reads back is what it wrote.
  file->unwritten.emplace_back(address, std::vector<char>(in, in + size));
  file->end_of_file = std::max<haddr_t>(file->end_of_file, address + size);
  return 0;
}

herr_t truncate_file(H5FD_t* handle, hid_t /*transfer*/, hbool_t /*closing*/) {
  DriverFile* file = of(handle);
  if (file->end_of_allocation == file->end_of_file) return 0;
  if (::ftruncate(file->descriptor, static_cast<off_t>(file->end_of_allocation)) != 0) {
    remember_failure(*file, "write", errno);
  }
  file->end_of_file = file->end_of_allocation;
  return 0;
}

H5FD_class_t driver_class() {
  H5FD_class_t the_class{};
  the_class.name = "trygg_disk";
  // The largest offset a file on disk may have, as the sec2 driver says.
  the_class.maxaddr = static_cast<haddr_t>(std::numeric_limits<off_t>::max());
  the_class.fc_degree = H5F_CLOSE_WEAK;
  the_class.fapl_size = sizeof(DriverInfo);
  the_class.fapl_copy = copy_info;
  the_class.fapl_free = free_info;
  the_class.open = open_file;
  the_class.close = close_file;
  the_class.query = query;
  the_class.get_eoa = get_end_of_allocation;
  the_class.set_eoa = set_end_of_allocation;
  the_class.get_eof = get_end_of_file;
  the_class.read = read_bytes;
  the_class.write = write_bytes;
  the_class.truncate = truncate_file;
  // Metadata and raw data on two free lists, as the sec2 and core drivers keep them.
  constexpr std::array<H5FD_mem_t, H5FD_MEM_NTYPES> kFreeLists = H5FD_FLMAP_DICHOTOMY;
  std::copy(kFreeLists.begin(), kFreeLists.end(), std::begin(the_class.fl_map));
  return the_class;
}

// The driver is registered once, under the library lock that every use of HDF5 holds.
hid_t driver_id() {
  static const H5FD_class_t the_class = driver_class();
  static hid_t id = H5I_INVALID_HID;
  if (id < 0 || H5Iis_valid(id) <= 0) id = H5FDregister(&the_class);
  if (id < 0) throw Error(ErrorKind::internal, "HDF5: cannot register Trygg's file driver");
  return id;
}

}  // namespace

DiskFile::DiskFile(const std::string& path) : path_(path), status_(std::make_unique<Status>()) {
  const Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "make a file access list");
  DriverInfo info{status_.get()};
  check(H5Pset_driver(access, driver_id(), &info), "choose Trygg's file driver");
  const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access);
  if (id < 0) {
    check_written();
    throw Error(ErrorKind::io, "HDF5: cannot create " + path);
  }
  file_ = Handle(id, H5Fclose, "create " + path);
}

DiskFile::~DiskFile() {
  // Not closed: an error or a signal stopped the write, and the file is about to be removed.
  // Marked lost, its close lets HDF5 go of it without syncing it to the disk.
  if (file_.id() >= 0 && status_->error == 0) {
    status_->error = ECANCELED;
    status_->doing = "finish";
  }
}

void DiskFile::check_written() const {
  if (status_->error == 0) return;
  const std::error_code reason(status_->error, std::generic_category());
  throw Error(ErrorKind::io,
              path_ + ": cannot " + status_->doing + " the file: " + reason.message());
}

void DiskFile::close() {
  check_written();  // a file already lost is not flushed: its close only lets HDF5 go of it
  file_.close("close " + path_);  // flushes what HDF5 holds, and syncs the file to the disk
  check_written();
}

}  // namespace trygg::output::h5
