// One client connection of the tracker's listener (tracker.md §1). Reads request lines,
// answers `!` commands itself and hands queries to the QueryPool; one request per connection
// at a time, so pipelined requests are answered in order. Lines longer than kMaxLineBytes get
// an error and the connection is closed; a reply the client does not drain within 120 s also
// closes it.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

namespace mog::tracker {

class QueryPool;
class ClientSession;

inline constexpr size_t kMaxLineBytes = 64 * 1024;

// What sessions need from the server around them.
struct SessionServices {
  QueryPool* pool = nullptr;
  // `!name args` -> the complete reply (lines + ".\r\n").
  std::function<std::string(const std::string& name, const std::string& args,
                            const std::shared_ptr<ClientSession>& session)>
      parent_command;
  std::chrono::seconds write_timeout{120};
};

class ClientSession : public std::enable_shared_from_this<ClientSession> {
 public:
  ClientSession(boost::asio::ip::tcp::socket socket, SessionServices* services);
  void Start();
  // Thread-safe: queues an unsolicited line (!watch stream). Dropped when the client is
  // not reading (queue bounded) so a stalled watcher never grows memory.
  void SendWatchLine(std::string line);
  void Close();
  const std::string& peer_ip() const { return peer_ip_; }

 private:
  struct OutItem {
    std::string data;
    bool is_reply = false;
  };

  void DoRead();
  void ProcessBuffer();
  void Enqueue(std::string data, bool is_reply);
  void DoWrite();

  boost::asio::ip::tcp::socket socket_;
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::steady_timer write_timer_;
  SessionServices* services_;
  std::string peer_ip_;
  std::string in_;
  char read_buf_[4096];
  bool reading_ = false;
  bool busy_ = false;  // a request is being answered
  bool writing_ = false;
  bool closed_ = false;
  bool close_after_reply_ = false;  // an oversized line was refused
  std::deque<OutItem> out_;
};

}  // namespace mog::tracker
