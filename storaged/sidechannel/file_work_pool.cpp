#include "storaged/sidechannel/file_work_pool.h"

#include <boost/asio/post.hpp>

#include "common/log/logging.h"
#include "storaged/docroot/docroot.h"
#include "storaged/sidechannel/file_digest.h"
#include <sys/stat.h>
#include <unistd.h>

namespace mog::storage {
namespace {

bool Gone(const std::shared_ptr<const std::atomic<bool>>& cancelled) {
  return cancelled && cancelled->load(std::memory_order_relaxed);
}

// Owns the fd across the hop from the pool onto an fsck queue.
struct FdCloser {
  int fd;
  explicit FdCloser(int f) : fd(f) {}
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  ~FdCloser() {
    if (fd >= 0) close(fd);
  }
};

}  // namespace

FileWorkPool::FileWorkPool(const Docroot& docroot, size_t threads)
    : docroot_(docroot), pool_(threads) {}

FileWorkPool::~FileWorkPool() { Stop(); }

void FileWorkPool::Stop() {
  stopping_ = true;
  pool_.stop();
  pool_.join();
}

void FileWorkPool::Size(std::string uri, std::shared_ptr<const std::atomic<bool>> cancelled,
                        Reply reply) {
  boost::asio::post(pool_, [this, uri = std::move(uri), cancelled = std::move(cancelled),
                            reply = std::move(reply)] {
    if (Gone(cancelled) || stopping_) return;
    int64_t size = -1;
    try {
      // Anything Docroot refuses (outside dev<N>, a symlink leading out) is reported exactly
      // like a missing file: the side channel must not reveal what lies outside.
      auto path = Docroot::Parse(uri);
      if (path.ok()) {
        auto st = docroot_.Stat(*path.value);
        if (st.ok()) size = static_cast<int64_t>(st.value->st_size);
      }
    } catch (const std::exception& e) {
      Logger("sidechannel")->error("size {}: {}", uri, e.what());
    }
    reply(SizeReply(uri, size));
  });
}

void FileWorkPool::Digest(DigestCommand command, std::shared_ptr<const std::atomic<bool>> cancelled,
                          Reply reply) {
  boost::asio::post(pool_, [this, command = std::move(command), cancelled = std::move(cancelled),
                            reply = std::move(reply)] {
    if (Gone(cancelled) || stopping_) return;
    int fd = -1;
    try {
      auto path = Docroot::Parse(command.uri);
      if (path.ok()) {
        auto opened = docroot_.OpenRead(*path.value);
        if (opened.ok()) fd = *opened.value;
      }
    } catch (const std::exception& e) {
      Logger("sidechannel")
          ->error("{} {}: {}", AlgorithmName(command.algorithm), command.uri, e.what());
    }
    if (fd < 0) {
      reply(DigestMissingReply(command.uri, command.algorithm));
      return;
    }
    struct stat st {};
    if (!command.fsck || fstat(fd, &st) != 0) {
      FdCloser closer(fd);
      RunDigest(fd, command, cancelled, reply);
      return;
    }
    auto owned = std::make_shared<FdCloser>(fd);
    boost::asio::post(FsckQueueFor(st.st_dev), [this, owned, command, cancelled, reply] {
      RunDigest(owned->fd, command, cancelled, reply);
    });
  });
}

FileWorkPool::Strand& FileWorkPool::FsckQueueFor(dev_t device) {
  std::lock_guard<std::mutex> lock(queues_mutex_);
  auto& strand = fsck_queues_[device];
  if (!strand) strand = std::make_unique<Strand>(boost::asio::make_strand(pool_));
  return *strand;
}

void FileWorkPool::RunDigest(int fd, const DigestCommand& command,
                             const std::shared_ptr<const std::atomic<bool>>& cancelled,
                             const Reply& reply) {
  auto should_stop = [this, &cancelled] { return stopping_.load() || Gone(cancelled); };
  if (should_stop()) return;
  FileDigestResult result = DigestFile(fd, command.algorithm, should_stop);
  switch (result.status) {
    case FileDigestResult::Status::kOk:
      reply(DigestReply(command.uri, command.algorithm, result.hex));
      break;
    case FileDigestResult::Status::kReadError:
      reply(ReadErrorReply(command.uri, result.offset));
      break;
    case FileDigestResult::Status::kCancelled:
      break;
  }
}

}  // namespace mog::storage
