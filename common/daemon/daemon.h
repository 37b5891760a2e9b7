// Process plumbing shared by the daemons: pid files and classic double-fork daemonizing.
#pragma once

#include <string>

namespace mog {

// Writes the current pid; throws ConfigError on failure.
void WritePidFile(const std::string& path);
void RemovePidFile(const std::string& path);
// fork, setsid, fork, chdir("/"), umask(0), stdio -> /dev/null. Returns in the grandchild only.
void Daemonize();

}  // namespace mog
