#include "trygg/core/state_archive.hpp"

#include "trygg/core/error.hpp"

namespace trygg {

void StateArchive::raw(void* data, std::size_t size) {
  if (size == 0) return;
  if (saving_) {
    bytes_.append(static_cast<const char*>(data), size);
    return;
  }
  if (bytes_.size() - read_at_ < size) corrupt("it ends early");
  std::memcpy(data, bytes_.data() + read_at_, size);
  read_at_ += size;
}

std::size_t StateArchive::checked_count(std::uint64_t count, std::size_t element_bytes) const {
  if (count > (bytes_.size() - read_at_) / element_bytes)
    corrupt("a stored length runs past its end");
  return static_cast<std::size_t>(count);
}

void StateArchive::section(std::uint32_t tag) {
  std::uint32_t stored = tag;
  raw(&stored, sizeof stored);
  if (stored != tag) corrupt("section " + std::to_string(tag) + " is not where it belongs");
}

void StateArchive::expect_end() const {
  if (!saving_ && read_at_ != bytes_.size()) corrupt("it has bytes left over");
}

void StateArchive::corrupt(const std::string& what) const {
  throw Error(ErrorKind::invalid_input,
              source_ + ": not a checkpoint of this run and build (" + what + ")");
}

}  // namespace trygg
