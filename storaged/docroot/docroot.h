// Every filesystem touch of the storage node goes through Docroot, which confines it to
// <docroot>/dev<N>/: the dev<N> directory itself may be a symlink (a mounted disk, the usual
// set-up), but nothing below it may lead out of it. Confinement is enforced by the kernel
// (openat2 with RESOLVE_BENEATH relative to the dev<N> directory), not by string checks alone,
// so symlinks planted below dev<N> cannot escape either.
//
// Paths given to Docroot are already percent-decoded URI paths such as
// "/dev1/0/000/000/0000000005.fid".
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storaged/docroot/device_dir_cache.h"

namespace mog::storage {

// Why a path was refused; HTTP maps these to statuses, the side channel to its error lines.
enum class PathError {
  kInvalid,    // not absolute, NUL byte, "..", empty component, bad characters -> 400/403
  kNotDevice,  // first component is not dev<N> -> 404 (nothing outside devN is served)
  kNotFound,   // ENOENT, or dev<N> missing -> 404
  kEscape,     // resolution would leave dev<N> (symlink out, ".." after resolution) -> 403
  kIo,         // any other errno (see `err`) -> 500
};

struct DocPath {
  uint64_t devid = 0;
  std::string device_dir;          // "dev1"
  std::vector<std::string> parts;  // components below dev<N>; empty = dev<N> itself
  std::string RelativeBelowDevice() const;  // "0/000/000/0000000005.fid" or "."
  std::string Uri() const;                  // "/dev1/0/000/000/0000000005.fid"
};

struct PathFailure {
  PathError kind;
  int err = 0;  // errno for kIo/kNotFound
};

template <typename T>
struct PathResult {
  std::optional<T> value;
  PathFailure failure{PathError::kIo, 0};
  bool ok() const { return value.has_value(); }
};

class Docroot {
 public:
  explicit Docroot(std::string root);  // trailing '/' stripped
  const std::string& root() const { return root_; }

  // Syntax check only (no filesystem access). Collapses repeated '/', rejects ".", "..",
  // NUL, and backslashes; first component must be dev<digits>.
  static PathResult<DocPath> Parse(std::string_view uri);

  // Opens an existing file or directory for reading (O_RDONLY|O_CLOEXEC [|extra_flags]),
  // confined below dev<N>. Returns the fd (caller owns it).
  PathResult<int> OpenRead(const DocPath& path, int extra_flags = 0) const;
  // The same, but only if every path component is in the kernel's lookup cache
  // (RESOLVE_CACHED): never waits on the disk. A cache miss fails with kIo and err EAGAIN;
  // the caller then retries with OpenRead where blocking is acceptable.
  PathResult<int> OpenReadCached(const DocPath& path, int extra_flags = 0) const;
  PathResult<struct stat> Stat(const DocPath& path) const;

  // Opens (creating missing directories, mode 0755) the parent directory of `path`, confined
  // below dev<N>; returns an O_RDONLY|O_DIRECTORY fd usable with openat/renameat/unlinkat and
  // fsync (so a rename into it can be made durable). dev<N> itself must already exist
  // (kNotFound otherwise); `path` must name something below dev<N> (kInvalid otherwise).
  PathResult<int> OpenParentDir(const DocPath& path, bool create_missing) const;

  // Removes a file (not a directory: EISDIR -> kIo with err EISDIR).
  PathResult<bool> Unlink(const DocPath& path) const;

  // dev<N> directories present under root, sorted by devid.
  std::vector<DocPath> Devices() const;

 private:
  // The open dev<N> directory (kept open across calls, see DeviceDirCache).
  PathResult<std::shared_ptr<const DeviceDirFd>> DeviceDir(const DocPath& path,
                                                           bool cached_only = false) const;
  PathResult<int> OpenReadImpl(const DocPath& path, int extra_flags, bool cached_only) const;
  std::string root_;
  std::shared_ptr<DeviceDirCache> device_dirs_;  // shared by copies: same root
};

}  // namespace mog::storage
