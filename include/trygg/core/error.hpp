#pragma once
// One exception type for the whole toolkit; the kind decides the exit code of the command line.
#include <stdexcept>
#include <string>

namespace trygg {

enum class ErrorKind {
  invalid_input,  // a scenario or data file that does not validate (exit 2)
  output_exists,  // the result file exists and --force was not given (exit 3)
  io,             // a file could not be read or written (exit 4)
  interrupted,    // SIGINT or SIGTERM stopped the run before it finished (exit 130)
  internal,       // a broken invariant inside Trygg (exit 1)
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

int exit_code_for(ErrorKind kind) noexcept;

}  // namespace trygg
