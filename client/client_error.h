// Errors seen by MogileFS clients. A tracker's `ERR <token> <text>` keeps its token verbatim
// (a newer tracker may send tokens we do not know), and transport failures (connect, timeout,
// EOF, HTTP) are told apart so tools can word them as upstream does.
#pragma once

#include <string>
#include <utility>

#include <boost/system/result.hpp>

namespace mog::client {

struct ClientError {
  enum class Kind {
    kTracker,    // the tracker answered ERR <code> <text>
    kTransport,  // no usable answer from any tracker (connect/timeout/EOF/garbage)
    kStorage,    // an HTTP exchange with a storage node failed
    kLocal,      // bad arguments or local I/O (file cannot be read, ...)
  };
  Kind kind = Kind::kLocal;
  std::string code;  // tracker token, e.g. "unknown_key"; empty for non-tracker errors
  std::string text;  // decoded message

  static ClientError Tracker(std::string code, std::string text) {
    return {Kind::kTracker, std::move(code), std::move(text)};
  }
  static ClientError Transport(std::string text) { return {Kind::kTransport, {}, std::move(text)}; }
  static ClientError Storage(std::string text) { return {Kind::kStorage, {}, std::move(text)}; }
  static ClientError Local(std::string text) { return {Kind::kLocal, {}, std::move(text)}; }

  bool IsTracker(const char* token) const { return kind == Kind::kTracker && code == token; }
  // MogileFS::Client's errstr: "<code> <text>" for tracker errors, else the text.
  std::string errstr() const { return kind == Kind::kTracker ? code + " " + text : text; }
};

[[noreturn]] void throw_exception_from_error(const ClientError& e,
                                             const boost::source_location& loc);

template <typename T>
using ClientResult = boost::system::result<T, ClientError>;

}  // namespace mog::client
