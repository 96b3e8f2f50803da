// Runs the real gatehouse binary as a child process (posix_spawn), feeding a
// file or stdin and capturing stdout, stderr and the exit status. Tests of the
// CLI go through this, never through in-process calls.
#pragma once

#include <string>
#include <vector>

namespace gh::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when the child did not exit normally
  std::string out, err;
};

ProcessResult RunProcess(const std::vector<std::string>& argv, const std::string& stdin_data = "");

// A fresh temporary directory, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

}  // namespace gh::testing
