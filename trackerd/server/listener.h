// Accepts tracker clients on one address (backlog 1024, SO_REUSEADDR, SO_KEEPALIVE,
// TCP_NODELAY) and starts a ClientSession per connection.
#pragma once

#include <cstdint>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "common/error/error.h"
#include "common/net/endpoint.h"
#include "trackerd/server/client_session.h"

namespace mog::tracker {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& io, SessionServices* services);
  // Binds and listens; errors name the address.
  Result<void> Open(const Endpoint& endpoint);
  void Start();
  void Stop();
  uint16_t port() const;

 private:
  void DoAccept();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  SessionServices* services_;
};

}  // namespace mog::tracker
