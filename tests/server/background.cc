#include "background.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace gh::servertest {

namespace {
std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv, const std::string& dir) {
  static int n = 0;
  const std::string stem = dir + "/proc" + std::to_string(n++);
  out_path_ = stem + ".out";
  err_path_ = stem + ".err";
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&fa, 2, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ) == 0) pid_ = pid;
  posix_spawn_file_actions_destroy(&fa);
}

BackgroundProcess::~BackgroundProcess() { Stop(std::chrono::seconds(5)); }

std::string BackgroundProcess::out() const { return Slurp(out_path_); }
std::string BackgroundProcess::err() const { return Slurp(err_path_); }

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
