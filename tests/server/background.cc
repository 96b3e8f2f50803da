#include "background.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "process.h"

namespace gh::servertest {

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv, const std::string& dir) {
  static int n = 0;
  const std::string stem = dir + "/proc" + std::to_string(n++);
  out_path_ = stem + ".out";
  err_path_ = stem + ".err";
  pid_ = testing::SpawnProcess(argv, "/dev/null", out_path_, err_path_);
}

BackgroundProcess::~BackgroundProcess() { Stop(std::chrono::seconds(5)); }

std::string BackgroundProcess::out() const { return testing::ReadWholeFile(out_path_); }
std::string BackgroundProcess::err() const { return testing::ReadWholeFile(err_path_); }

bool BackgroundProcess::running() {
  if (pid_ <= 0 || reaped_) return false;
  int status = 0;
  const pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    reaped_ = true;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return false;
  }
  return r == 0;
}

std::string BackgroundProcess::WaitForOutput(const std::string& needle,
                                             std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::string o = out();
    if (o.find(needle) != std::string::npos || !running() ||
        std::chrono::steady_clock::now() > end) {
      return o;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

int BackgroundProcess::Stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0 || reaped_) return exit_code_;
  kill(pid_, SIGTERM);
  const auto end = std::chrono::steady_clock::now() + grace;
  while (running() && std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!reaped_) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    reaped_ = true;
    exit_code_ = -1;
  }
  return exit_code_;
}

}  // namespace gh::servertest
