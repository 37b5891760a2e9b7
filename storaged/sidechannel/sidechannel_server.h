// mogstored's management side channel (mgmtlisten, default 0.0.0.0:7501): accepts TCP
// connections and runs one SideChannelSession per connection. Owns the shared pieces the
// sessions need: the digest worker pool and the daemon's start time (for `uptime`).
#pragma once

#include <ctime>
#include <memory>
#include <mutex>
#include <set>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

namespace mog::storage {

class Docroot;
class IostatMonitor;
class FileWorkPool;
class SideChannelSession;

class SideChannelServer {
 public:
  // `iostat` may be null: `watch` then streams blocks of "-" utilisation.
  SideChannelServer(boost::asio::io_context& io, const Docroot& docroot, IostatMonitor* iostat);
  ~SideChannelServer();
  SideChannelServer(const SideChannelServer&) = delete;
  SideChannelServer& operator=(const SideChannelServer&) = delete;

  // Binds and starts accepting. Throws std::system_error when the address cannot be bound.
  void Listen(const boost::asio::ip::tcp::endpoint& endpoint);
  // Stops accepting, closes every open connection and joins the digest workers.
  void Stop();

  // The bound address (useful after listening on port 0).
  boost::asio::ip::tcp::endpoint local_endpoint() const;

 private:
  void Accept();

  boost::asio::io_context& io_;
  const Docroot& docroot_;
  IostatMonitor* iostat_;
  std::time_t start_time_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer accept_retry_;  // after EMFILE & co.: pause instead of spinning
  std::shared_ptr<FileWorkPool> workers_;
  std::mutex sessions_mutex_;
  std::set<std::weak_ptr<SideChannelSession>, std::owner_less<std::weak_ptr<SideChannelSession>>>
      sessions_;  // GUARDED_BY(sessions_mutex_)
  bool stopped_ = false;
};

}  // namespace mog::storage
