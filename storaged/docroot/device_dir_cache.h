// Open dev<N> directory fds, kept across requests: opening <docroot>/dev<N> costs an openat2
// and a close on every GET otherwise. Every path below dev<N> is still resolved by the kernel
// with RESOLVE_BENEATH relative to one of these fds, so caching them changes what is reached
// only if dev<N> itself is replaced (a disk remounted, the symlink pointed elsewhere): each
// entry is revalidated against a fresh open of <docroot>/dev<N> (st_dev + st_ino) at most
// once per second, and a stale fd can only ever reach the directory it was opened on.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace mog::storage {

// One open dev<N> directory. Shared, so that a request still using it keeps it open while
// a revalidation swaps in a new one.
class DeviceDirFd {
 public:
  DeviceDirFd(int fd, dev_t dev, ino_t ino) : fd_(fd), dev_(dev), ino_(ino) {}
  ~DeviceDirFd();
  DeviceDirFd(const DeviceDirFd&) = delete;
  DeviceDirFd& operator=(const DeviceDirFd&) = delete;
  int fd() const { return fd_; }
  bool SameDirectory(const DeviceDirFd& other) const {
    return dev_ == other.dev_ && ino_ == other.ino_;
  }

 private:
  int fd_;
  dev_t dev_;
  ino_t ino_;
};

class DeviceDirCache {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kRevalidateAfter{1};

  explicit DeviceDirCache(std::string root) : root_(std::move(root)) {}

  // The open directory for `device_dir` ("dev1"), or nullptr with errno set (ENOENT when it
  // is missing, EAGAIN when `cached_only` and a revalidation would have to wait on the disk).
  std::shared_ptr<const DeviceDirFd> Get(const std::string& device_dir, bool cached_only);

 private:
  struct Entry {
    std::shared_ptr<const DeviceDirFd> dir;
    Clock::time_point checked_at;
  };
  std::shared_ptr<const DeviceDirFd> OpenFresh(const std::string& device_dir, bool cached_only);

  const std::string root_;
  std::shared_mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace mog::storage
