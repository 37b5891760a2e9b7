// The side channel's blocking file work (stat for `size`, whole-file digests) runs here, on a
// small thread pool, never on the event loop. `fsck` digests are queued per filesystem
// (st_dev) so a full fsck pass reads one file per disk at a time instead of thrashing it,
// while ordinary digests (upload verification) are not held up behind them.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include "storaged/sidechannel/command.h"
#include <sys/types.h>

namespace mog::storage {

class Docroot;

class FileWorkPool {
 public:
  // Receives the complete reply line; called on a worker thread.
  using Reply = std::function<void(std::string reply)>;

  FileWorkPool(const Docroot& docroot, size_t threads);
  ~FileWorkPool();
  FileWorkPool(const FileWorkPool&) = delete;
  FileWorkPool& operator=(const FileWorkPool&) = delete;

  // `cancelled` is the requesting connection's "gone" flag; work for it is skipped or cut
  // short and `reply` is then not called.
  void Size(std::string uri, std::shared_ptr<const std::atomic<bool>> cancelled, Reply reply);
  void Digest(DigestCommand command, std::shared_ptr<const std::atomic<bool>> cancelled,
              Reply reply);

  // Abandons queued work, interrupts running digests at their next read, joins the threads.
  void Stop();

 private:
  using Strand = boost::asio::strand<boost::asio::thread_pool::executor_type>;
  Strand& FsckQueueFor(dev_t device);
  void RunDigest(int fd, const DigestCommand& command,
                 const std::shared_ptr<const std::atomic<bool>>& cancelled, const Reply& reply);

  const Docroot& docroot_;
  boost::asio::thread_pool pool_;
  std::atomic<bool> stopping_{false};
  std::mutex queues_mutex_;
  std::map<dev_t, std::unique_ptr<Strand>> fsck_queues_;  // GUARDED_BY(queues_mutex_)
};

}  // namespace mog::storage
