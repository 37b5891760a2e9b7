#include "storaged/sidechannel/sidechannel_session.h"

#include <csignal>

#include <chrono>
#include <utility>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "common/log/logging.h"
#include "storaged/docroot/docroot.h"
#include "storaged/iostat/diskstats.h"
#include "storaged/sidechannel/file_work_pool.h"

namespace mog::storage {

namespace asio = boost::asio;

SideChannelSession::SideChannelSession(asio::ip::tcp::socket socket, const Docroot& docroot,
                                       std::shared_ptr<FileWorkPool> workers, IostatMonitor* iostat,
                                       std::time_t start_time)
    : socket_(std::move(socket)),
      docroot_(docroot),
      workers_(std::move(workers)),
      iostat_(iostat),
      start_time_(start_time),
      watch_timer_(socket_.get_executor()) {}

void SideChannelSession::Start() {
  boost::system::error_code ignored;
  // Replies are small and often pipelined: do not let Nagle hold them back.
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->ProcessLines(); });
}

void SideChannelSession::Close() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->CloseNow(); });
}

void SideChannelSession::ReadMore() {
  if (closed_ || reading_) return;
  bool discarding = watching_ || draining_;
  if (!discarding) {
    // Back-pressure: no new input while a request is pending, a complete line is still
    // waiting, or the client is not reading our replies.
    if (input_done_ || busy_ || framer_.HasCompleteLine() || queued_bytes_ >= kMaxQueuedOutput) {
      return;
    }
  }
  reading_ = true;
  socket_.async_read_some(asio::buffer(read_buffer_),
                          [self = shared_from_this()](const boost::system::error_code& ec,
                                                      size_t n) { self->OnRead(ec, n); });
}

void SideChannelSession::OnRead(const boost::system::error_code& ec, size_t n) {
  reading_ = false;
  if (closed_) return;
  if (ec) {
    input_done_ = true;
    if (ec != asio::error::eof || watching_ || draining_) {
      CloseNow();
      return;
    }
    ProcessLines();  // answer what was fully received, then close
    return;
  }
  if (!watching_ && !draining_) framer_.Append(std::string_view(read_buffer_.data(), n));
  ProcessLines();
}

void SideChannelSession::ProcessLines() {
  while (!closed_ && !busy_ && !watching_ && !refused_ && queued_bytes_ < kMaxQueuedOutput) {
    std::string line;
    LineFramer::Status status = framer_.Next(line);
    if (status == LineFramer::Status::kNeedMore) break;
    if (status == LineFramer::Status::kTooLong) {
      Logger("sidechannel")->debug("closing side channel client: line over {} bytes", kMaxLine);
      refused_ = true;
      input_done_ = true;
      Queue(std::string(kLineTooLongReply));
      break;
    }
    Execute(ParseSideChannelLine(line, ServerFacts{start_time_, std::time(nullptr)}));
  }
  ReadMore();
  MaybeFinish();
}

void SideChannelSession::Execute(SideChannelCommand command) {
  // Holds the session: while a request is with the workers nothing else may (no read is
  // pending). The workers drop it unused if the session was closed meanwhile.
  auto deliver = [self = shared_from_this()](std::string reply) {
    asio::post(self->socket_.get_executor(),
               [self, reply = std::move(reply)]() mutable { self->FinishAsync(std::move(reply)); });
  };
  if (auto* reply = std::get_if<ReplyCommand>(&command)) {
    Queue(std::move(reply->reply));
  } else if (auto* size = std::get_if<SizeCommand>(&command)) {
    busy_ = true;
    workers_->Size(std::move(size->uri), cancelled_, deliver);
  } else if (auto* digest = std::get_if<DigestCommand>(&command)) {
    busy_ = true;
    workers_->Digest(std::move(*digest), cancelled_, deliver);
  } else if (std::holds_alternative<ShutdownCommand>(command)) {
    Shutdown();
  } else {
    StartWatch();
  }
}

void SideChannelSession::Shutdown() {
  // The port has no authentication: only a process on this host (an operator, an init
  // script, upstream's own tests) may stop the daemon through it.
  boost::system::error_code ec;
  const auto peer = socket_.remote_endpoint(ec);
  auto address = peer.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  }
  if (ec || !address.is_loopback()) {
    Logger("sidechannel")->warn("shutdown refused for {}", ec ? "an unknown peer"
                                                              : address.to_string());
    Queue(std::string(kShutdownRefusedReply));
    return;
  }
  Logger("sidechannel")->info("shutdown requested on the side channel by {}",
                              address.to_string());
  // As upstream, no answer: the connection closes as the daemon stops. SIGTERM takes the
  // daemon's own graceful path (requests in flight finish, then exit).
  CloseNow();
  ::raise(SIGTERM);
}

void SideChannelSession::FinishAsync(std::string reply) {
  busy_ = false;
  if (closed_) return;
  Queue(std::move(reply));
  ProcessLines();
}

void SideChannelSession::StartWatch() {
  watching_ = true;
  if (!iostat_) {
    WatchWithoutIostat();
    return;
  }
  subscription_ =
      iostat_->Subscribe([weak = weak_from_this()](std::shared_ptr<const std::string> block) {
        if (auto self = weak.lock()) {
          asio::post(self->socket_.get_executor(),
                     [self, block = std::move(block)] { self->OnWatchBlock(block); });
        }
      });
}

void SideChannelSession::WatchWithoutIostat() {
  watch_timer_.expires_after(std::chrono::seconds(1));
  watch_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->closed_) return;
    std::vector<std::pair<uint64_t, std::string>> utils;
    for (const DocPath& device : self->docroot_.Devices()) utils.emplace_back(device.devid, "-");
    self->OnWatchBlock(std::make_shared<const std::string>(FormatWatchBlock(utils)));
    self->WatchWithoutIostat();
  });
}

void SideChannelSession::OnWatchBlock(std::shared_ptr<const std::string> block) {
  if (closed_ || !output_.empty()) return;  // slow listener: skip this second
  Queue(*block);
}

void SideChannelSession::Queue(std::string bytes) {
  if (closed_ || bytes.empty()) return;
  queued_bytes_ += bytes.size();
  output_.push_back(std::move(bytes));
  if (!writing_) WriteNext();
}

void SideChannelSession::WriteNext() {
  writing_ = true;
  asio::async_write(socket_, asio::buffer(output_.front()),
                    [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
                      self->OnWrite(ec, n);
                    });
}

void SideChannelSession::OnWrite(const boost::system::error_code& ec, size_t /*n*/) {
  writing_ = false;
  if (closed_) return;
  if (ec) {
    CloseNow();
    return;
  }
  queued_bytes_ -= output_.front().size();
  output_.pop_front();
  if (!output_.empty()) WriteNext();
  ProcessLines();
}

void SideChannelSession::MaybeFinish() {
  if (closed_ || draining_ || !input_done_ || busy_ || watching_ || writing_ || !output_.empty()) {
    return;
  }
  if (!refused_ && framer_.HasCompleteLine()) return;
  if (!refused_) {
    CloseNow();  // the client closed its side and every answer is out
    return;
  }
  Drain();
}

// Closing a socket with unread input makes the kernel send RST, which can destroy the
// error reply before the client reads it. So: send FIN, discard input for a bounded time.
void SideChannelSession::Drain() {
  draining_ = true;
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  watch_timer_.expires_after(std::chrono::seconds(2));
  watch_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec) self->CloseNow();
  });
  ReadMore();
}

void SideChannelSession::CloseNow() {
  if (closed_) return;
  closed_ = true;
  cancelled_->store(true);
  subscription_.Reset();
  watch_timer_.cancel();
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace mog::storage
