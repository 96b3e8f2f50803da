#include "base/strings.h"

#include <bit>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/bytes16.h"

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

namespace {
bool NeedsJsonEscape(char c) {
  return static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\';
}

void AppendJsonEscape(char c, std::string& out) {
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default: {
      static const char kHex[] = "0123456789abcdef";
      const auto u = static_cast<unsigned char>(c);
      const char esc[] = {'\\', 'u', '0', '0', kHex[u >> 4], kHex[u & 15]};
      out.append(esc, sizeof esc);
    }
  }
}
}  // namespace

void AppendJsonString(std::string_view s, std::string& out) {
  out.push_back('"');
  size_t done = 0;  // s[0, done) is written
  size_t i = 0;
  while (done < s.size()) {
    // The next byte to escape: sixteen bytes at a time, then one by one. In
    // signed bytes, those >= 0x80 are negative and so never below 0x20.
    size_t next = s.size();
    for (; i + 16 <= s.size(); i += 16) {
      bytes16::Bytes16 v;
      std::memcpy(&v, s.data() + i, sizeof v);
      const bytes16::Bytes16 escape = ((v >= 0) & (v < 0x20)) | (v == '"') | (v == '\\');
      if (const uint32_t m = bytes16::TopBits(escape); m != 0) {
        next = i + static_cast<size_t>(std::countr_zero(m));
        break;
      }
    }
    if (next == s.size()) {
      for (; i < s.size(); ++i) {
        if (NeedsJsonEscape(s[i])) {
          next = i;
          break;
        }
      }
    }
    out.append(s.data() + done, next - done);
    if (next == s.size()) break;
    AppendJsonEscape(s[next], out);
    done = i = next + 1;
  }
  out.push_back('"');
}

}  // namespace gh
