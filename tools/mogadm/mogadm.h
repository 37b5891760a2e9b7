// The whole mogadm program as a function of its arguments, so tests can run it against fake
// trackers and compare what it prints. main.cpp only forwards argv and the real streams.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace mog::mogadm {

struct MogadmEnvironment {
  std::optional<std::string> home;  // for ~/.mogilefs.conf
  std::string system_file = "/etc/mogilefs/mogilefs.conf";
  // Without trackers, upstream probes 127.0.0.1:7001; tests turn this off.
  bool probe_local_tracker = true;
  static MogadmEnvironment FromProcess();
};

// `args` excludes the program name. Returns the exit status.
int RunMogadm(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
              const MogadmEnvironment& env);

}  // namespace mog::mogadm
