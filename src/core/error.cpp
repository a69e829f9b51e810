#include "trygg/core/error.hpp"

namespace trygg {

int exit_code_for(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::invalid_input:
      return 2;
    case ErrorKind::output_exists:
      return 3;
    case ErrorKind::io:
      return 4;
    case ErrorKind::interrupted:
      return 130;
    case ErrorKind::internal:
      return 1;
  }
  return 1;
}

}  // namespace trygg
