// A child process left running in the background (process.h's RunProcess
// waits for the child): stdout and stderr go to files that can be read while
// it runs; the destructor stops it (SIGTERM, then SIGKILL) and reaps it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace gh::servertest {

class BackgroundProcess {
 public:
  // Starts argv[0] (a path) with `dir` holding the output files.
  BackgroundProcess(const std::vector<std::string>& argv, const std::string& dir);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  bool started() const { return pid_ > 0; }
  std::string out() const;
  std::string err() const;
  // Waits until stdout holds `needle`, the process exits or the time is up;
  // returns stdout then.
  std::string WaitForOutput(const std::string& needle, std::chrono::milliseconds timeout);
  bool running();
  // SIGTERM, wait up to `grace`, then SIGKILL; returns the exit status
  // (-1 if it did not exit normally).
  int Stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

 private:
  pid_t pid_ = -1;
  int exit_code_ = -1;
  bool reaped_ = false;
  std::string out_path_, err_path_;
};

}  // namespace gh::servertest
