#include "bench/tracker/process_cpu.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace mog::bench {
namespace {

// utime + stime in clock ticks from /proc/<pid>/stat (fields 14 and 15; the command name in
// parentheses may contain spaces, so fields are counted after the last ')').
std::optional<long long> OwnTicks(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return std::nullopt;
  auto paren = text.rfind(')');
  if (paren == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(paren + 2));
  std::string field;
  long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoll(field);
    if (i == 15) stime = std::stoll(field);
  }
  return utime + stime;
}

std::vector<pid_t> Children(pid_t pid) {
  std::vector<pid_t> out;
  std::error_code ec;
  for (const auto& task :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    std::ifstream in(task.path() / "children");
    pid_t child;
    while (in >> child) out.push_back(child);
  }
  return out;
}

}  // namespace

std::optional<double> ProcessTreeCpuSeconds(pid_t pid) {
  std::optional<long long> root = OwnTicks(pid);
  if (!root) return std::nullopt;
  long long ticks = *root;
  std::vector<pid_t> pending = Children(pid);
  for (size_t i = 0; i < pending.size() && i < 10000; ++i) {  // bounded walk
    if (auto t = OwnTicks(pending[i])) ticks += *t;
    for (pid_t c : Children(pending[i])) pending.push_back(c);
  }
  return static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace mog::bench
