// A main() for fuzz targets in builds without libFuzzer (gcc): runs every
// file named on the command line, or every file in a folder named there,
// through LLVMFuzzerTestOneInput once. Registered as a ctest test per target
// over fuzz/corpus/<target>/, so the seed corpus and every crash reproducer
// kept there are replayed by `ctest` (under ASan + UBSan in the dev preset).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <file or folder>...\n", argv[0]);
    return 2;
  }
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const fs::path p = argv[i];
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> in_dir;
      for (const auto& e : fs::directory_iterator(p, ec)) {
        if (e.is_regular_file()) in_dir.push_back(e.path());
      }
      if (in_dir.empty()) {
        std::fprintf(stderr, "%s: no input files\n", p.c_str());
        return 2;
      }
      std::sort(in_dir.begin(), in_dir.end());
      files.insert(files.end(), in_dir.begin(), in_dir.end());
    } else if (fs::is_regular_file(p, ec)) {
      files.push_back(p);
    } else {
      std::fprintf(stderr, "%s: not found\n", p.c_str());
      return 2;
    }
  }
  for (const auto& f : files) {
    std::string bytes;
    if (std::FILE* in = std::fopen(f.c_str(), "rb")) {
      char buf[1 << 16];
      size_t n = 0;
      while ((n = std::fread(buf, 1, sizeof buf, in)) > 0) bytes.append(buf, n);
      std::fclose(in);
    } else {
      std::fprintf(stderr, "%s: cannot open\n", f.c_str());
      return 2;
    }
    std::fprintf(stderr, "replaying %s (%zu bytes)\n", f.c_str(), bytes.size());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  std::fprintf(stderr, "replayed %zu inputs\n", files.size());
  return 0;
}
