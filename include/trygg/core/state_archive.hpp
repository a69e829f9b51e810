#pragma once
// Saving and restoring a run's state for checkpoints. A class lists its fields once, in one
// function that takes a StateArchive; the same function saves and restores, so a field cannot
// be saved and then forgotten on restore. Values are stored as their bytes, so a restored run
// continues bitwise as if it had never stopped (on the same build and machine type). A struct
// with strings or vectors declares `void archive_fields(StateArchive&, T&)` in its namespace.
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

namespace trygg {

class StateArchive {
 public:
  static StateArchive for_saving() { return StateArchive(true, {}, {}); }
  // `source` names where the bytes came from, for error messages.
  static StateArchive for_restoring(std::string bytes, std::string source) {
    return StateArchive(false, std::move(bytes), std::move(source));
  }

  bool saving() const noexcept { return saving_; }
  const std::string& bytes() const noexcept { return bytes_; }
  // Throws trygg::Error when restoring did not consume every byte (a layout mismatch).
  void expect_end() const;
  // A marker between sections: restoring checks it, so a layout change is caught at its place
  // rather than as garbage further on.
  void section(std::uint32_t tag);

  template <class T, class... More>
  void operator()(T& value, More&... more) {
    field(value);
    (field(more), ...);
  }

 private:
  StateArchive(bool saving, std::string bytes, std::string source)
      : saving_(saving), bytes_(std::move(bytes)), source_(std::move(source)) {}

  template <class T>
  struct is_vector : std::false_type {};
  template <class T, class A>
  struct is_vector<std::vector<T, A>> : std::true_type {};
  template <class T>
  struct is_std_array : std::false_type {};
  template <class T, std::size_t N>
  struct is_std_array<std::array<T, N>> : std::true_type {};

  template <class T>
  void field(T& value) {
    if constexpr (requires { archive_fields(*this, value); }) {
      archive_fields(*this, value);  // a type with fields of its own, found by its namespace
    } else if constexpr (std::is_trivially_copyable_v<T>) {
      raw(&value, sizeof(T));
    } else if constexpr (std::is_same_v<T, std::string>) {
      std::uint64_t size = value.size();
      raw(&size, sizeof size);
      if (!saving_) value.resize(checked_count(size, 1));
      raw(value.data(), value.size());
    } else if constexpr (is_std_array<T>::value) {
      for (auto& element : value) field(element);
    } else if constexpr (is_vector<T>::value) {
      using Element = typename T::value_type;
      static_assert(!std::is_same_v<Element, bool>, "std::vector<bool> has no bytes to copy");
      std::uint64_t size = value.size();
      raw(&size, sizeof size);
      if (!saving_) {
        value.resize(
            checked_count(size, std::is_trivially_copyable_v<Element> ? sizeof(Element) : 1));
      }
      if constexpr (std::is_trivially_copyable_v<Element>) {
        raw(value.data(), value.size() * sizeof(Element));
      } else {
        for (auto& element : value) field(element);
      }
    } else {
      static_assert(std::is_trivially_copyable_v<T>, "no archive rule for this type");
    }
  }

  void raw(void* data, std::size_t size);
  // A stored count, checked against the bytes left (element_bytes each at least).
  std::size_t checked_count(std::uint64_t count, std::size_t element_bytes) const;
  [[noreturn]] void corrupt(const std::string& what) const;

  bool saving_;
  std::string bytes_;
  std::string source_;
  std::size_t read_at_ = 0;
};

}  // namespace trygg
