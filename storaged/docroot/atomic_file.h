// A file that becomes visible under its final name only when complete and durable: data goes
// to a hidden temp name in the target directory (".<name>.<random>.tmp", never a ".fid"), and
// Commit() fsyncs it, renames it onto the target and fsyncs the directory. Destroying an
// uncommitted AtomicFile unlinks the temp file, so an aborted upload leaves nothing behind.
#pragma once

#include <cstddef>
#include <string>

namespace mog::storage {

class AtomicFile {
 public:
  // Takes ownership of `dir_fd` (an O_RDONLY|O_DIRECTORY fd, e.g. from
  // Docroot::OpenParentDir). On failure ok() is false and err() holds the errno.
  AtomicFile(int dir_fd, std::string target_name);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  bool ok() const { return fd_ >= 0; }
  int err() const { return err_; }
  const std::string& temp_name() const { return temp_name_; }

  // Appends all of `data`; returns 0 or an errno (ENOSPC, EIO...).
  int Write(const char* data, size_t size);
  // fsync file -> renameat onto the target -> fsync directory. Returns 0 or an errno; on
  // failure the temp file is removed.
  int Commit();
  // Removes the temp file now (also done by the destructor).
  void Abort();

 private:
  int dir_fd_ = -1;
  int fd_ = -1;
  int err_ = 0;
  bool have_temp_ = false;  // our temp file exists and must be removed unless renamed
  std::string target_name_;
  std::string temp_name_;
};

}  // namespace mog::storage
