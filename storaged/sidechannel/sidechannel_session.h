// One side-channel connection. Requests are handled strictly in order, one at a time: a
// request that needs the disk (size, MD5, SHA-1) goes to the FileWorkPool and the next line
// is looked at only after its reply is queued. Memory per connection is bounded both ways:
// input by LineFramer's line limit (over-long line -> error, then close), output by
// kMaxQueuedOutput (above it the session stops reading, so TCP pushes back on the client).
// After `watch`, input is read and discarded (to notice EOF) and iostat blocks are written;
// a block is dropped when the previous output has not drained, as upstream does.
#pragma once

#include <array>
#include <atomic>
#include <ctime>
#include <deque>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "storaged/iostat/iostat_monitor.h"
#include "storaged/sidechannel/command.h"
#include "storaged/sidechannel/line_framer.h"

namespace mog::storage {

class Docroot;
class FileWorkPool;

class SideChannelSession : public std::enable_shared_from_this<SideChannelSession> {
 public:
  static constexpr size_t kMaxLine = 64 * 1024;
  static constexpr size_t kMaxQueuedOutput = 256 * 1024;

  // `socket` must use a strand executor: every handler of this session runs on it.
  SideChannelSession(boost::asio::ip::tcp::socket socket, const Docroot& docroot,
                     std::shared_ptr<FileWorkPool> workers, IostatMonitor* iostat,
                     std::time_t start_time);

  void Start();
  // Thread-safe; drops pending work and closes the socket.
  void Close();

 private:
  void ReadMore();
  void OnRead(const boost::system::error_code& ec, size_t n);
  void ProcessLines();
  void Execute(SideChannelCommand command);
  void Shutdown();
  void StartWatch();
  void WatchWithoutIostat();
  void OnWatchBlock(std::shared_ptr<const std::string> block);
  void FinishAsync(std::string reply);
  void Queue(std::string bytes);
  void WriteNext();
  void OnWrite(const boost::system::error_code& ec, size_t n);
  void MaybeFinish();
  void Drain();
  void CloseNow();

  boost::asio::ip::tcp::socket socket_;
  const Docroot& docroot_;
  std::shared_ptr<FileWorkPool> workers_;
  IostatMonitor* iostat_;
  std::time_t start_time_;
  boost::asio::steady_timer watch_timer_;  // `watch` ticks when there is no IostatMonitor
  IostatMonitor::Subscription subscription_;
  std::shared_ptr<std::atomic<bool>> cancelled_ = std::make_shared<std::atomic<bool>>(false);

  LineFramer framer_{kMaxLine};
  std::array<char, 16 * 1024> read_buffer_{};
  std::deque<std::string> output_;
  size_t queued_bytes_ = 0;

  bool reading_ = false;
  bool writing_ = false;
  bool busy_ = false;        // a request is with the FileWorkPool
  bool watching_ = false;    // after `watch`: no more commands
  bool input_done_ = false;  // EOF from the client, or an over-long line
  bool refused_ = false;     // over-long line: answer, then close
  bool draining_ = false;    // our side shut down; discarding input until the client closes
  bool closed_ = false;
};

}  // namespace mog::storage
