#pragma once
// The one way Trygg writes a file: whole or not at all. The content goes to a temporary file
// beside the target (PATH.tmp-PID-N), which is renamed over the target only once it is
// complete; any failure removes the temporary file and leaves the target as it was. An
// existing target is replaced only when `overwrite` is set, and only if it is a regular file
// (a device, a folder or a FIFO is never replaced).
#include <functional>
#include <string>
#include <string_view>

namespace trygg::output {

// `write` fills the temporary file whose path it is given; `what` names the file in errors
// ("result file", "checkpoint"). Throws Error(output_exists) when the target exists and
// `overwrite` is not set, Error(io) when it cannot be written.
void write_atomically(const std::string& path, bool overwrite, std::string_view what,
                      const std::function<void(const std::string& temporary)>& write);

// Bytes or text, written the same way.
void write_bytes_atomically(const std::string& path, bool overwrite, std::string_view what,
                            std::string_view bytes);

}  // namespace trygg::output
