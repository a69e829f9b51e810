#pragma once
// A test hook, for the failure-injection tests only (tests/integration/failure_injection.py):
// they must signal a process in a known phase (in the middle of a run, while the result file is
// being written), which timing alone cannot promise on a busy machine. With the environment
// variable TRYGG_TEST_PAUSE_BEFORE=PHASE, the first thread of the process to reach that phase
// says "trygg: test hook: paused at PHASE" on stderr and waits there until `stop` is set (a
// SIGTERM or SIGINT), or at most TRYGG_TEST_PAUSE_SECONDS (default 30) seconds; then the work
// goes on as it would have. Without the variable it does nothing, and it changes no result.
// Phases: "building" (half-way through the search for each district's nearest school, while a
// run's city is built), "running" (half-way through a run's steps), "final-write" (the result
// file's temporary file created, its content not yet written).
#include <atomic>
#include <string_view>

namespace trygg {

void pause_for_test(std::string_view phase, const std::atomic<bool>* stop);

}  // namespace trygg
