#include "common/daemon/daemon.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "common/config/config_file.h"

namespace mog {

void WritePidFile(const std::string& path) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) throw ConfigError("Cannot write pidfile " + path + ": " + std::strerror(errno));
  out << getpid() << "\n";
}

void RemovePidFile(const std::string& path) {
  if (!path.empty()) ::unlink(path.c_str());
}

void Daemonize() {
  pid_t pid = fork();
  if (pid < 0) throw ConfigError(std::string("fork failed: ") + std::strerror(errno));
  if (pid > 0) _exit(0);
  setsid();
  pid = fork();
  if (pid < 0) throw ConfigError(std::string("fork failed: ") + std::strerror(errno));
  if (pid > 0) _exit(0);
  if (chdir("/") != 0) { /* "/" always exists; nothing sensible to do otherwise */ }
  umask(0);
  int fd = open("/dev/null", O_RDWR);
  if (fd >= 0) {
    dup2(fd, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    if (fd > 2) close(fd);
  }
}

}  // namespace mog
