#include "base/strings.h"

#include <fstream>
#include <sstream>

namespace gh {

bool ReadFileToString(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  // A regular file is read into a string of its size, without a stream's
  // copy (the 7 MB of a large register); anything else (a pipe) to its end.
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size > 0) {
    out.resize(static_cast<size_t>(size));
    in.read(out.data(), size);
    out.resize(static_cast<size_t>(in.gcount()));
  } else {
    in.clear();
    std::ostringstream ss;
    ss << in.rdbuf();
    out = ss.str();
  }
  return !in.bad();
}

}  // namespace gh
