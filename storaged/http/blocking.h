// Runs a blocking filesystem call (open, write, fsync, rename, unlink) on the storage node's
// blocking pool and resumes the calling coroutine on its own executor afterwards, so a slow
// disk never stalls the threads that serve sockets (Perlbal uses AIO threads for the same
// reason).
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <type_traits>

namespace mog::storage::http {

template <typename F>
boost::asio::awaitable<std::invoke_result_t<F&>> RunBlocking(boost::asio::thread_pool& pool,
                                                              F&& f) {
  using R = std::invoke_result_t<F&>;
  // `f` lives in the caller's frame, which stays suspended until this completes.
  co_return co_await boost::asio::co_spawn(
      pool, [&f]() -> boost::asio::awaitable<R> { co_return f(); }, boost::asio::use_awaitable);
}

}  // namespace mog::storage::http
