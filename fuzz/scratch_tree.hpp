#pragma once
// What the file-reading fuzz targets share. The loaders take paths and resolve `extends:`,
// `base:`, `scenario:` and district data files relative to the file they read, so each input is
// written to tests/data/good/input.yaml of a scratch copy of the source tree's layout (in the
// system's temporary folder, one per process): `scenarios/` and every entry of tests/data/good
// are links to the sources, and tests/data/good/parts links to tests/data/bad/parts. The corpus
// files are written as if they lived there. Nothing is written into the repository.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace trygg::fuzz {

class ScratchTree {
 public:
  ScratchTree() {
    namespace fs = std::filesystem;
    const fs::path source(TRYGG_SOURCE_DIR);
    root_ = fs::temp_directory_path() / ("trygg-fuzz-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    const fs::path good = root_ / "tests" / "data" / "good";
    fs::create_directories(good);
    fs::create_directory_symlink(source / "scenarios", root_ / "scenarios");
    for (const fs::directory_entry& entry : fs::directory_iterator(source / "tests/data/good")) {
      fs::create_symlink(entry.path(), good / entry.path().filename());
    }
    fs::create_directory_symlink(source / "tests/data/bad/parts", good / "parts");
  }
  ~ScratchTree() {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }
  ScratchTree(const ScratchTree&) = delete;
  ScratchTree& operator=(const ScratchTree&) = delete;

  // Writes an input to tests/data/good/NAME of the scratch tree and returns its path.
  std::string write(const std::uint8_t* data, std::size_t size,
                    const std::string& name = "input.yaml") const {
    const std::string path = (root_ / "tests/data/good" / name).string();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    out.close();
    if (!out) std::abort();  // a full disk would make every input look alike
    return path;
  }

 private:
  std::filesystem::path root_;
};

// The one scratch tree of this process, made on first use and removed at exit.
inline ScratchTree& scratch_tree() {
  static ScratchTree tree;
  return tree;
}

}  // namespace trygg::fuzz
