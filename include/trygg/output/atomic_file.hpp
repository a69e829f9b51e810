#pragma once
// The one way Trygg writes a file: whole or not at all. The content goes to a temporary file
// beside the target (PATH.tmp-PID-N), which is renamed over the target only once it is
// complete; any failure removes the temporary file and leaves the target as it was. An
// existing target is replaced only when `overwrite` is set, and only if it is a regular file
// (a device, a folder or a FIFO is never replaced).
//
// A process killed outright (SIGKILL, a node's crash) while it writes leaves its temporary file;
// the next write of the same target removes such leftovers: the regular files beside it named
// exactly NAME.tmp-PID-N whose PID no longer runs on this host. Trygg assumes that one target
// is written from one host at a time (a PID is only meaningful on its own host).
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace trygg::output {

// Whether a write first removes the leftover temporary files of its target. Checkpoints leave
// them: their folder (OUTPUT.runs/) is removed whole when the work is done, and scanning it at
// every checkpoint of a large sweep would cost time that grows with the square of its runs.
enum class StaleTemporaries { remove, leave };

// Removes the temporary files of `path` left by processes that no longer run (see above), and
// returns their paths. Files of live processes, links and anything not a regular file are kept.
std::vector<std::string> remove_stale_temporaries(const std::string& path);

// `write` fills the temporary file whose path it is given; `what` names the file in errors
// ("result file", "checkpoint"). Throws Error(output_exists) when the target exists and
// `overwrite` is not set, Error(io) when it cannot be written.
void write_atomically(const std::string& path, bool overwrite, std::string_view what,
                      const std::function<void(const std::string& temporary)>& write,
                      StaleTemporaries stale = StaleTemporaries::remove);

// Writes `bytes` to `path` (created or truncated), whole or with Error(io) that names the
// reason (no space left on the device, a read-only file system): what the writers above call
// to fill their temporary files.
void write_file_bytes(const std::string& path, std::string_view bytes, std::string_view what);

// Bytes or text, written the same way.
void write_bytes_atomically(const std::string& path, bool overwrite, std::string_view what,
                            std::string_view bytes,
                            StaleTemporaries stale = StaleTemporaries::remove);

}  // namespace trygg::output
