#include "tests/support/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "tests/support/temp_dir.h"

extern char** environ;

namespace mog::test {

#ifndef MOG_BIN_DIR
#error "MOG_BIN_DIR must be defined by CMake"
#endif

std::string BinDir() {
  if (const char* env = std::getenv("MOG_BIN_DIR")) return env;
  return MOG_BIN_DIR;
}

std::string BinPath(const std::string& name) { return BinDir() + "/" + name; }

namespace {

pid_t Spawn(const std::vector<std::string>& argv, int out_fd, int in_fd,
            const std::vector<std::string>& extra_env) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    setpgid(0, 0);
    if (in_fd >= 0) dup2(in_fd, 0);
    else {
      int devnull = open("/dev/null", O_RDONLY);
      dup2(devnull, 0);
    }
    dup2(out_fd, 1);
    dup2(out_fd, 2);
    for (const auto& e : extra_env) putenv(const_cast<char*>(e.c_str()));
    execv(args[0], args.data());
    std::fprintf(stderr, "exec %s failed: %s\n", args[0], std::strerror(errno));
    _exit(127);
  }
  return pid;
}

}  // namespace

ChildProcess::ChildProcess(std::vector<std::string> argv, std::string log_path,
                           std::vector<std::string> extra_env)
    : log_path_(std::move(log_path)) {
  int fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) throw std::runtime_error("cannot open log " + log_path_);
  pid_ = Spawn(argv, fd, -1, extra_env);
  close(fd);
}

ChildProcess::~ChildProcess() { Stop(std::chrono::seconds(5)); }

bool ChildProcess::Running() {
  if (status_ || pid_ <= 0) return false;
  int st = 0;
  pid_t r = waitpid(pid_, &st, WNOHANG);
  if (r == pid_) {
    status_ = st;
    return false;
  }
  return true;
}

void ChildProcess::Signal(int sig) {
  if (Running()) kill(pid_, sig);
}

std::optional<int> ChildProcess::WaitExit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (Running()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return status_;
}

int ChildProcess::Stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return -1;
  if (Running()) {
    kill(pid_, SIGTERM);
    if (!WaitExit(grace)) {
      kill(pid_, SIGKILL);
      WaitExit(std::chrono::seconds(10));
    }
  }
  return status_.value_or(-1);
}

std::string ChildProcess::Log() const { return ReadFileOrEmpty(log_path_); }

CommandResult RunCommand(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                         const std::string& stdin_data) {
  int out_pipe[2];
  int in_pipe[2];
  // O_CLOEXEC: the child must not inherit the write end of its own stdin (it would never see
  // EOF); dup2 onto 0/1/2 clears the flag for the ends it does use.
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(in_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  pid_t pid = Spawn(argv, out_pipe[1], in_pipe[0], {});
  close(out_pipe[1]);
  close(in_pipe[0]);
  // Small inputs only: written before reading output.
  if (!stdin_data.empty()) {
    ssize_t ignored = write(in_pipe[1], stdin_data.data(), stdin_data.size());
    (void)ignored;
  }
  close(in_pipe[1]);
  fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
  CommandResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[65536];
  int status = 0;
  bool exited = false;
  while (true) {
    ssize_t n = read(out_pipe[0], buf, sizeof buf);
    if (n > 0) {
      result.output.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (!exited && waitpid(pid, &status, WNOHANG) == pid) exited = true;
    if (exited && n <= 0) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      exited = true;
      result.output += "\n[killed: timeout]\n";
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  close(out_pipe[0]);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace mog::test
