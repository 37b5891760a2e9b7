#include "storaged/docroot/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <random>

namespace mog::storage {
namespace {

std::string RandomSuffix() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

}  // namespace

AtomicFile::AtomicFile(int dir_fd, std::string target_name)
    : dir_fd_(dir_fd), target_name_(std::move(target_name)) {
  // O_EXCL with a random name: never clobbers a concurrent upload of the same target.
  for (int attempt = 0; attempt < 8 && fd_ < 0; ++attempt) {
    temp_name_ = "." + target_name_ + "." + RandomSuffix() + ".tmp";
    fd_ = ::openat(dir_fd_, temp_name_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    err_ = fd_ < 0 ? errno : 0;
    have_temp_ = fd_ >= 0;
    if (fd_ < 0 && err_ != EEXIST) break;
  }
}

AtomicFile::~AtomicFile() {
  Abort();
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

int AtomicFile::Write(const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd_, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return 0;
}

int AtomicFile::Commit() {
  int err = 0;
  if (::fsync(fd_) != 0) err = errno;
  if (::close(fd_) != 0 && err == 0) err = errno;
  fd_ = -1;
  if (err == 0 && ::renameat(dir_fd_, temp_name_.c_str(), dir_fd_, target_name_.c_str()) != 0) {
    err = errno;
  }
  if (err != 0) {
    ::unlinkat(dir_fd_, temp_name_.c_str(), 0);
    have_temp_ = false;  // nothing left to clean up
    return err;
  }
  have_temp_ = false;
  // The rename is only durable once the directory entry is on disk.
  if (::fsync(dir_fd_) != 0) return errno;
  return 0;
}

void AtomicFile::Abort() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (have_temp_) {
    ::unlinkat(dir_fd_, temp_name_.c_str(), 0);
    have_temp_ = false;
  }
}

}  // namespace mog::storage
