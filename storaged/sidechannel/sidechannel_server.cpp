#include "storaged/sidechannel/sidechannel_server.h"

#include <system_error>

#include <boost/asio/strand.hpp>

#include "common/log/logging.h"
#include "storaged/sidechannel/file_work_pool.h"
#include "storaged/sidechannel/sidechannel_session.h"

namespace mog::storage {

namespace asio = boost::asio;

namespace {
// Two workers: one digest per disk at a time is what fsck wants, and a second keeps
// size/upload-verification requests moving while a long digest runs.
constexpr size_t kFileWorkers = 2;
}  // namespace

SideChannelServer::SideChannelServer(asio::io_context& io, const Docroot& docroot,
                                     IostatMonitor* iostat)
    : io_(io),
      docroot_(docroot),
      iostat_(iostat),
      start_time_(std::time(nullptr)),
      acceptor_(io),
      accept_retry_(io),
      workers_(std::make_shared<FileWorkPool>(docroot, kFileWorkers)) {}

SideChannelServer::~SideChannelServer() { Stop(); }

void SideChannelServer::Listen(const asio::ip::tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  auto fail = [&](const char* what) {
    throw std::system_error(ec, std::string("side channel ") + what + " " +
                                    endpoint.address().to_string() + ":" +
                                    std::to_string(endpoint.port()));
  };
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) fail("socket");
  acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  acceptor_.bind(endpoint, ec);
  if (ec) fail("bind");
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) fail("listen");
  Logger("sidechannel")
      ->info("side channel listening on {}:{}", acceptor_.local_endpoint().address().to_string(),
             acceptor_.local_endpoint().port());
  Accept();
}

asio::ip::tcp::endpoint SideChannelServer::local_endpoint() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec);
}

void SideChannelServer::Accept() {
  acceptor_.async_accept(asio::make_strand(io_), [this](const boost::system::error_code& ec,
                                                        asio::ip::tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      // EMFILE and friends: log and try again shortly; one bad moment must not end the
      // listener for good, nor spin the CPU.
      Logger("sidechannel")->warn("side channel accept failed: {}", ec.message());
      accept_retry_.expires_after(std::chrono::milliseconds(100));
      accept_retry_.async_wait([this](const boost::system::error_code& wait_ec) {
        if (!wait_ec && acceptor_.is_open()) Accept();
      });
      return;
    }
    auto session = std::make_shared<SideChannelSession>(std::move(socket), docroot_, workers_,
                                                        iostat_, start_time_);
    {
      std::lock_guard<std::mutex> lock(sessions_mutex_);
      std::erase_if(sessions_, [](const auto& weak) { return weak.expired(); });
      sessions_.insert(session);
    }
    session->Start();
    Accept();
  });
}

void SideChannelServer::Stop() {
  if (stopped_) return;
  stopped_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  accept_retry_.cancel();
  std::set<std::weak_ptr<SideChannelSession>, std::owner_less<std::weak_ptr<SideChannelSession>>>
      sessions;
  {
    std::lock_guard<std::mutex> lock(sessions_mutex_);
    sessions.swap(sessions_);
  }
  for (const auto& weak : sessions) {
    if (auto session = weak.lock()) session->Close();
  }
  workers_->Stop();
}

}  // namespace mog::storage
