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

// Starts argv[0] (a path) with stdin, stdout and stderr opened on the given
// files (stdout and stderr created or truncated); returns the child's pid, or
// -1 when it could not be started. RunProcess and background processes use it.
int SpawnProcess(const std::vector<std::string>& argv, const std::string& stdin_path,
                 const std::string& stdout_path, const std::string& stderr_path);

// The whole of a file ("" when it cannot be read).
std::string ReadWholeFile(const std::string& path);

// A fresh temporary directory, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Write(const std::string& name, const std::string& content) const;
  // A copy of the source tree's policies/ in <path>/policies, which a test
  // may change; returns its path.
  std::string CopyPolicies() const;

 private:
  std::string path_;
};

}  // namespace gh::testing
