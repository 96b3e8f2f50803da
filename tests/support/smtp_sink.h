// A real SMTP server for the notify tests: tests/support/smtp_sink.py
// (Debian's aiosmtpd) run as a child process, saving each accepted message as
// a .eml file in a temporary folder. Start() waits until the port accepts
// connections; the destructor stops the server with SIGTERM.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cli/process.h"

namespace gh::notify::testing {

// Debian's interpreter: a pyenv python3 earlier on PATH lacks aiosmtpd.
inline constexpr char kPython[] = "/usr/bin/python3";
inline constexpr char kSinkScript[] = GATEHOUSE_SOURCE_DIR "/tests/support/smtp_sink.py";

// A loopback TCP port that nothing listens on (just now).
inline int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

inline bool PortAccepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

class SmtpSink {
 public:
  // Starts the sink on `port` (0 = a free one). nullptr and *error on failure.
  static std::unique_ptr<SmtpSink> Start(int port, std::string* error) {
    std::unique_ptr<SmtpSink> sink(new SmtpSink());
    const std::string out = sink->dir_.path() + "/stdout", err = sink->dir_.path() + "/stderr";
    sink->pid_ = gh::testing::SpawnProcess(
        {kPython, kSinkScript, sink->mail_dir(), "--port", std::to_string(port)}, "/dev/null", out,
        err);
    if (sink->pid_ < 0) {
      *error = "could not start " + std::string(kPython);
      return nullptr;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string text = gh::testing::ReadWholeFile(out);
      if (text.find('\n') != std::string::npos) {
        sink->port_ = std::stoi(text);
        if (PortAccepts(sink->port_)) return sink;
      }
      int status = 0;
      if (waitpid(sink->pid_, &status, WNOHANG) == sink->pid_) {
        sink->pid_ = -1;
        *error = "smtp_sink.py exited early (is python3-aiosmtpd installed?): " +
                 gh::testing::ReadWholeFile(err);
        return nullptr;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    *error = "smtp_sink.py did not start listening within 15 s: " + gh::testing::ReadWholeFile(err);
    return nullptr;  // the destructor kills it
  }

  ~SmtpSink() { Stop(); }
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  // SIGTERM, then waits (SIGKILL after 5 s). The exit code, or -1.
  int Stop() {
    if (pid_ <= 0) return exit_code_;
    kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_code_;
  }

  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  std::string mail_dir() const { return dir_.path() + "/mail"; }

  // The .eml files received so far, in arrival order.
  std::vector<std::string> Messages() const {
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(mail_dir(), ec)) {
      if (e.path().extension() == ".eml") files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    return files;
  }

 private:
  SmtpSink() = default;
  gh::testing::TempDir dir_;
  int pid_ = -1;
  int port_ = 0;
  int exit_code_ = -1;
};

// A .eml parsed by Python's email package (policy.default: encoded-words and
// quoted-printable decoded), as one JSON object of the fields the tests check.
inline constexpr char kParseEml[] = R"PY(
import email, email.policy, json, sys
with open(sys.argv[1], 'rb') as f:
    m = email.message_from_binary_file(f, policy=email.policy.default)
h = lambda k: None if m[k] is None else str(m[k])
print(json.dumps({
    'subject': h('subject'), 'from': h('from'), 'to': h('to'), 'date': h('date'),
    'message_id': h('message-id'), 'mime_version': h('mime-version'),
    'content_type': m.get_content_type(), 'charset': m.get_content_charset(),
    'cte': h('content-transfer-encoding'), 'envelope_from': h('x-envelope-from'),
    'envelope_to': h('x-envelope-to'), 'body': m.get_content(),
    'defects': [type(d).__name__ for d in m.defects],
}))
)PY";

inline gh::testing::ProcessResult ParseEml(const std::string& path) {
  return gh::testing::RunProcess({kPython, "-c", kParseEml, path});
}

}  // namespace gh::notify::testing
