// Streams an open file through an OpenSSL digest in 1 MiB reads (as upstream's AIO loop),
// so a 50 GB file costs 1 MiB of memory. Blocking: run it on a worker thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "storaged/sidechannel/command.h"

namespace mog::storage {

struct FileDigestResult {
  enum class Status { kOk, kReadError, kCancelled };
  Status status = Status::kOk;
  std::string hex;      // lower-case, when kOk
  uint64_t offset = 0;  // where the failing read started, when kReadError
};

// Reads `fd` from offset 0 to EOF with pread (the fd's position is untouched). `should_stop`
// (may be empty) is asked between reads, so a closed connection or a stopping daemon ends
// the work within one read.
FileDigestResult DigestFile(int fd, DigestAlgorithm algorithm,
                            const std::function<bool()>& should_stop = {},
                            size_t chunk_size = 1 << 20);

}  // namespace mog::storage
