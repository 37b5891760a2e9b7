// Runs a real daemon binary as a child process for integration tests. Output goes to a log
// file (shown by DumpLog on failure); the destructor always stops the process: SIGTERM, a
// bounded wait, then SIGKILL.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace mog::test {

// Directory holding the built binaries (build/bin), baked in by CMake.
std::string BinDir();
std::string BinPath(const std::string& name);

class ChildProcess {
 public:
  ChildProcess(std::vector<std::string> argv, std::string log_path,
               std::vector<std::string> extra_env = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool Running();
  // Sends `sig` without waiting.
  void Signal(int sig);
  // SIGTERM, wait up to `grace`, then SIGKILL. Returns the exit status (as from waitpid).
  int Stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
  // Waits for exit up to `timeout`; nullopt if still running.
  std::optional<int> WaitExit(std::chrono::milliseconds timeout);
  std::string Log() const;
  const std::string& log_path() const { return log_path_; }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string log_path_;
};

// Runs a command to completion (bounded by timeout, then SIGKILL); returns exit code and
// captured stdout+stderr.
struct CommandResult {
  int exit_code = -1;
  std::string output;
};
CommandResult RunCommand(const std::vector<std::string>& argv,
                         std::chrono::milliseconds timeout = std::chrono::seconds(60),
                         const std::string& stdin_data = {});

}  // namespace mog::test
