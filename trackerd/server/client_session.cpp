#include "trackerd/server/client_session.h"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "common/log/logging.h"
#include "common/protocol/line_codec.h"
#include "trackerd/query/query_pool.h"

namespace mog::tracker {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {
constexpr size_t kMaxQueuedWatchLines = 1000;
}

ClientSession::ClientSession(tcp::socket socket, SessionServices* services)
    : socket_(std::move(socket)),
      strand_(asio::make_strand(socket_.get_executor())),
      write_timer_(strand_),
      services_(services) {
  boost::system::error_code ec;
  auto ep = socket_.remote_endpoint(ec);
  if (!ec) peer_ip_ = ep.address().to_string();
}

void ClientSession::Start() {
  asio::post(strand_, [self = shared_from_this()] { self->DoRead(); });
}

void ClientSession::Close() {
  asio::post(strand_, [self = shared_from_this()] {
    if (self->closed_) return;
    self->closed_ = true;
    boost::system::error_code ec;
    self->write_timer_.cancel();
    self->socket_.shutdown(tcp::socket::shutdown_both, ec);
    self->socket_.close(ec);
  });
}

void ClientSession::DoRead() {
  if (closed_ || reading_) return;
  reading_ = true;
  socket_.async_read_some(
      asio::buffer(read_buf_),
      asio::bind_executor(strand_, [self = shared_from_this()](boost::system::error_code ec,
                                                               size_t n) {
        self->reading_ = false;
        if (ec) {
          // Client gone: a request in flight loses its reply (as upstream).
          self->closed_ = true;
          boost::system::error_code ignored;
          self->socket_.close(ignored);
          return;
        }
        self->in_.append(self->read_buf_, n);
        self->ProcessBuffer();
      }));
}

void ClientSession::ProcessBuffer() {
  while (!closed_ && !busy_) {
    std::optional<std::string> line = TakeLine(&in_);
    if (!line) {
      if (in_.size() > kMaxLineBytes) {
        Logger("server")->warn("client {} sent a line over {} bytes; closing", peer_ip_,
                               kMaxLineBytes);
        in_.clear();
        busy_ = true;
        close_after_reply_ = true;
        Enqueue(EncodeErr(Errc::kFailure, "Request line too long"), true);
        return;
      }
      DoRead();
      return;
    }
    if (line->size() > kMaxLineBytes) {
      busy_ = true;
      close_after_reply_ = true;
      Enqueue(EncodeErr(Errc::kFailure, "Request line too long"), true);
      return;
    }
    RequestLine req = ParseRequestLine(*line);
    if (req.kind == LineKind::kEmpty) continue;
    busy_ = true;
    if (req.kind == LineKind::kAdmin) {
      Enqueue(services_->parent_command(req.verb, req.raw_args, shared_from_this()), true);
      return;
    }
    QueryJob job;
    job.line = *line;
    job.verb = std::move(req.verb);
    job.raw_args = std::move(req.raw_args);
    job.client_ip = peer_ip_;
    job.done = [self = shared_from_this()](std::string reply) {
      asio::post(self->strand_, [self, reply = std::move(reply)]() mutable {
        self->Enqueue(std::move(reply), true);
      });
    };
    services_->pool->Submit(std::move(job));
    return;
  }
}

void ClientSession::SendWatchLine(std::string line) {
  asio::post(strand_, [self = shared_from_this(), line = std::move(line)]() mutable {
    if (self->closed_ || self->out_.size() > kMaxQueuedWatchLines) return;
    self->Enqueue(std::move(line), false);
  });
}

void ClientSession::Enqueue(std::string data, bool is_reply) {
  if (closed_) return;
  out_.push_back({std::move(data), is_reply});
  if (!writing_) DoWrite();
}

void ClientSession::DoWrite() {
  if (closed_ || out_.empty()) {
    writing_ = false;
    return;
  }
  writing_ = true;
  write_timer_.expires_after(services_->write_timeout);
  write_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec) return;  // cancelled: the write finished
    Logger("server")->warn("write timeout expired for client {}", self->peer_ip_);
    self->closed_ = true;
    boost::system::error_code ignored;
    self->socket_.close(ignored);
  });
  asio::async_write(
      socket_, asio::buffer(out_.front().data),
      asio::bind_executor(strand_, [self = shared_from_this()](boost::system::error_code ec,
                                                               size_t) {
        self->write_timer_.cancel();
        if (ec) {
          self->closed_ = true;
          boost::system::error_code ignored;
          self->socket_.close(ignored);
          return;
        }
        const bool was_reply = self->out_.front().is_reply;
        self->out_.pop_front();
        self->writing_ = false;
        if (was_reply && self->close_after_reply_) {
          self->closed_ = true;
          boost::system::error_code ignored;
          self->socket_.shutdown(tcp::socket::shutdown_both, ignored);
          self->socket_.close(ignored);
          return;
        }
        if (was_reply) {
          self->busy_ = false;
          self->ProcessBuffer();
        }
        if (!self->writing_) self->DoWrite();
      }));
}

}  // namespace mog::tracker
