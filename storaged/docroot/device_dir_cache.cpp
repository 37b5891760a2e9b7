#include "storaged/docroot/device_dir_cache.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>

namespace mog::storage {
namespace {

int OpenDirectory(const std::string& dir, bool cached_only) {
  // dev<N> itself may be a symlink (a mounted disk elsewhere): a plain open follows it.
  if (!cached_only) return ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct open_how how {};
  how.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
  how.resolve = RESOLVE_CACHED;
  return static_cast<int>(::syscall(SYS_openat2, AT_FDCWD, dir.c_str(), &how, sizeof(how)));
}

}  // namespace

DeviceDirFd::~DeviceDirFd() {
  if (fd_ >= 0) ::close(fd_);
}

std::shared_ptr<const DeviceDirFd> DeviceDirCache::OpenFresh(const std::string& device_dir,
                                                             bool cached_only) {
  const int fd = OpenDirectory(root_ + "/" + device_dir, cached_only);
  if (fd < 0) return nullptr;
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    errno = err;
    return nullptr;
  }
  return std::make_shared<const DeviceDirFd>(fd, st.st_dev, st.st_ino);
}

std::shared_ptr<const DeviceDirFd> DeviceDirCache::Get(const std::string& device_dir,
                                                       bool cached_only) {
  const Clock::time_point now = Clock::now();
  {
    std::shared_lock lock(mutex_);
    auto it = entries_.find(device_dir);
    if (it != entries_.end() && now - it->second.checked_at < kRevalidateAfter) {
      return it->second.dir;
    }
  }
  // Missing or due for revalidation. Opened outside the lock: a blocking open of a hung disk
  // must not hold up the socket threads' lookups of other devices.
  auto fresh = OpenFresh(device_dir, cached_only);
  if (!fresh) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) {
      std::unique_lock lock(mutex_);
      entries_.erase(device_dir);  // gone: nothing is served from the old directory
    }
    errno = err;
    return nullptr;
  }
  std::unique_lock lock(mutex_);
  Entry& entry = entries_[device_dir];
  if (!entry.dir || !entry.dir->SameDirectory(*fresh)) entry.dir = std::move(fresh);
  entry.checked_at = now;
  return entry.dir;
}

}  // namespace mog::storage
