#include "trygg/core/test_hook.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

namespace trygg {

void pause_for_test(std::string_view phase, const std::atomic<bool>* stop) {
  // Read where no thread sets variables (Trygg never does).
  const char* wanted = std::getenv("TRYGG_TEST_PAUSE_BEFORE");  // NOLINT(concurrency-mt-unsafe)
  if (wanted == nullptr || phase != wanted) {
    return;
  }
  static std::atomic<bool> paused{false};
  if (paused.exchange(true)) {
    return;  // once per process: the other threads go on
  }
  const char* limit = std::getenv("TRYGG_TEST_PAUSE_SECONDS");  // NOLINT(concurrency-mt-unsafe)
  const double seconds = limit != nullptr ? std::strtod(limit, nullptr) : 30.0;
  std::fprintf(stderr, "trygg: test hook: paused at %s\n", wanted);
  std::fflush(stderr);
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (stop != nullptr && stop->load()) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace trygg
