#pragma once
// Benchmarks print one JSON object per line (name, value, unit, threads, machine) so that two
// runs can be compared line by line (benchmarks/README.md).
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace trygg::bench {

inline std::string machine() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  std::string model = "unknown cpu";
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  }
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + ", " + model + ", " +
         std::to_string(std::thread::hardware_concurrency()) + " hardware threads";
}

inline std::string escaped(const std::string& text) {
  std::string out;
  for (const char c : text)
    out += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
  return out;
}

inline void emit(const std::string& name, double value, const std::string& unit, unsigned threads) {
  static const std::string host = machine();
  std::printf(
      "{\"name\": \"%s\", \"value\": %.6g, \"unit\": \"%s\", \"threads\": %u, \"machine\": "
      "\"%s\"}\n",
      escaped(name).c_str(), value, escaped(unit).c_str(), threads, escaped(host).c_str());
  std::fflush(stdout);
}

// The median wall time in seconds of `repeats` calls of `work`.
template <class Work>
double median_seconds(int repeats, const Work& work) {
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    work();
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// The peak resident set size of this process so far, in bytes.
inline double peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) * 1024.0;  // Linux reports KiB
}

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace trygg::bench
