// A handler that takes over every request of a listener from the storage node's own dispatch
// (the web listener's by-key service): it gets the request head plus the session's stream,
// buffer and parser, so it can read a body and stream a response itself. It either returns a
// Response for the session to write (head, inline body and/or a file sent with sendfile), or
// writes the response itself and returns one with an empty head (status set, keep_alive
// deciding whether the connection goes on); status 0 closes the connection without a word.
#pragma once

#include <chrono>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>

#include "storaged/http/request_head.h"
#include "storaged/http/response.h"

namespace mog::storage::http {

struct SessionIo {
  boost::beast::tcp_stream& stream;
  boost::beast::flat_buffer& buffer;
  boost::beast::http::request_parser<boost::beast::http::buffer_body>& parser;
  boost::asio::thread_pool& blocking_pool;
  std::chrono::seconds idle_timeout;
};

class SessionHandler {
 public:
  virtual ~SessionHandler() = default;
  virtual boost::asio::awaitable<Response> Handle(SessionIo& io, const RequestHead& head) = 0;
};

}  // namespace mog::storage::http
