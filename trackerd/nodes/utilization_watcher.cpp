#include "trackerd/nodes/utilization_watcher.h"

// GCC 12 at -O2 reports -Wmismatched-new-delete for Asio's coroutine frame allocator (frames
// come from awaitable_frame_base::operator new and go back through its matching delete); a
// known false positive, silenced for this file only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include <future>
#include <mutex>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "common/log/logging.h"
#include "trackerd/nodes/side_channel_reply.h"

namespace mog::tracker {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// Pause after a clean disconnect so a node that closes at once cannot make us spin.
constexpr auto kReconnectPause = std::chrono::milliseconds(200);
}  // namespace

struct UtilizationWatcher::Impl : std::enable_shared_from_this<Impl> {
  struct Sub {
    std::string ip;
    bool stopped = false;
    bool connected = false;
    std::unique_ptr<boost::beast::tcp_stream> stream;
    std::unique_ptr<asio::steady_timer> timer;
  };

  Impl(Options o, Callback cb)
      : options(o), callback(std::move(cb)), work(asio::make_work_guard(ioc)) {}

  asio::awaitable<void> Run(std::shared_ptr<Sub> sub) {
    auto log = Logger("monitor");
    while (!sub->stopped) {
      bool failed = false;
      boost::system::error_code ec;
      auto address = asio::ip::make_address(sub->ip, ec);
      if (ec) {
        log->warn("watch: bad host ip {}", sub->ip);
        co_return;
      }
      sub->stream = std::make_unique<boost::beast::tcp_stream>(ioc);
      sub->stream->expires_after(options.connect_timeout);
      auto [cec] = co_await sub->stream->async_connect(tcp::endpoint(address, options.port),
                                                       kTuple);
      if (cec) {
        failed = true;
      } else {
        sub->stream->expires_after(options.connect_timeout);
        static const std::string kWatch = "watch\n";
        auto [wec, wn] = co_await asio::async_write(*sub->stream, asio::buffer(kWatch), kTuple);
        if (wec) failed = true;
      }
      if (!failed) {
        sub->connected = true;
        WatchParser parser;
        char buf[4096];
        for (;;) {
          sub->stream->expires_after(options.idle_timeout);
          auto [rec, n] = co_await sub->stream->async_read_some(asio::buffer(buf), kTuple);
          if (rec) {
            failed = rec != asio::error::eof;
            break;
          }
          if (parser.Feed(std::string_view(buf, n))) callback(sub->ip, parser.latest());
        }
        sub->connected = false;
      }
      if (sub->stream) {
        boost::system::error_code ignored;
        sub->stream->socket().close(ignored);
      }
      if (sub->stopped) break;
      if (failed) log->debug("watch {}:{} failed; retrying later", sub->ip, options.port);
      sub->timer->expires_after(failed ? options.retry_after_error : kReconnectPause);
      co_await sub->timer->async_wait(kTuple);
    }
  }

  void Stop(const std::shared_ptr<Sub>& sub) {
    sub->stopped = true;
    sub->timer->cancel();
    if (sub->stream) {
      boost::system::error_code ignored;
      sub->stream->socket().close(ignored);
    }
  }

  Options options;
  Callback callback;
  asio::io_context ioc;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  std::map<std::string, std::shared_ptr<Sub>> subs;  // io thread only
  std::thread thread;
};

UtilizationWatcher::UtilizationWatcher(Options options, Callback callback)
    : impl_(std::make_shared<Impl>(options, std::move(callback))) {
  impl_->thread = std::thread([impl = impl_.get()] { impl->ioc.run(); });
}

UtilizationWatcher::~UtilizationWatcher() {
  asio::post(impl_->ioc, [impl = impl_] {
    for (auto& [ip, sub] : impl->subs) impl->Stop(sub);
    impl->subs.clear();
    impl->work.reset();
  });
  // Every coroutine ends once its socket/timer is cancelled; bound the wait anyway.
  impl_->thread.join();
}

void UtilizationWatcher::SetHosts(const std::set<std::string>& ips) {
  asio::post(impl_->ioc, [impl = impl_, ips] {
    for (auto it = impl->subs.begin(); it != impl->subs.end();) {
      if (!ips.count(it->first)) {
        impl->Stop(it->second);
        it = impl->subs.erase(it);
      } else {
        ++it;
      }
    }
    for (const auto& ip : ips) {
      if (impl->subs.count(ip)) continue;
      auto sub = std::make_shared<Impl::Sub>();
      sub->ip = ip;
      sub->timer = std::make_unique<asio::steady_timer>(impl->ioc);
      impl->subs[ip] = sub;
      asio::co_spawn(impl->ioc, impl->Run(sub), asio::detached);
    }
  });
}

size_t UtilizationWatcher::TEST_connected() const {
  std::promise<size_t> p;
  auto f = p.get_future();
  asio::post(impl_->ioc, [impl = impl_, &p] {
    size_t n = 0;
    for (const auto& [ip, sub] : impl->subs) n += sub->connected ? 1 : 0;
    p.set_value(n);
  });
  return f.get();
}

}  // namespace mog::tracker
