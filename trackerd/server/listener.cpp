#include "trackerd/server/listener.h"

#include <boost/asio/ip/address.hpp>

#include "common/log/logging.h"

namespace mog::tracker {

namespace asio = boost::asio;
using asio::ip::tcp;

Listener::Listener(asio::io_context& io, SessionServices* services)
    : io_(io), acceptor_(io), services_(services) {}

Result<void> Listener::Open(const Endpoint& endpoint) {
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(endpoint.host, ec);
  if (ec) return Error(Errc::kFailure, "bad listen address " + endpoint.ToString());
  tcp::endpoint ep(addr, endpoint.port);
  acceptor_.open(ep.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(1024, ec);
  if (ec) {
    return Error(Errc::kFailure,
                 "cannot listen on " + endpoint.ToString() + ": " + ec.message());
  }
  return {};
}

uint16_t Listener::port() const {
  boost::system::error_code ec;
  auto ep = acceptor_.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void Listener::Start() { DoAccept(); }

void Listener::Stop() {
  asio::post(io_, [self = shared_from_this()] {
    boost::system::error_code ec;
    self->acceptor_.close(ec);
  });
}

void Listener::DoAccept() {
  acceptor_.async_accept([self = shared_from_this()](boost::system::error_code ec,
                                                     tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;
    if (!ec) {
      boost::system::error_code opt;
      socket.set_option(tcp::no_delay(true), opt);
      socket.set_option(asio::socket_base::keep_alive(true), opt);
      std::make_shared<ClientSession>(std::move(socket), self->services_)->Start();
    } else {
      Logger("server")->warn("accept failed: {}", ec.message());
    }
    self->DoAccept();
  });
}

}  // namespace mog::tracker
