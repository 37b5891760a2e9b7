// One error type for the whole project. Errc carries upstream's MogileFS error tokens so that
// the wire format (ERR <token> <text>) can be produced from any layer without translation.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <boost/system/result.hpp>

namespace mog {

enum class Errc {
#define MOG_ERROR(name, token, text) name,
#include "common/error/error_codes.def"
#undef MOG_ERROR
};

// The upstream token, e.g. "unknown_key".
std::string_view ErrcToken(Errc code);
// The default message; falls back to the token when upstream has no default text.
std::string_view ErrcDefaultText(Errc code);
// Reverse lookup for clients parsing "ERR <token> ..."; false if the token is not known.
bool ErrcFromToken(std::string_view token, Errc* out);

class Error {
 public:
  Error() : code_(Errc::kFailure) {}
  Error(Errc code, std::string detail = {}) : code_(code), detail_(std::move(detail)) {}

  Errc code() const { return code_; }
  std::string_view token() const { return ErrcToken(code_); }
  // The message as sent on the wire: the detail if given, else the default text.
  std::string message() const;

 private:
  Errc code_;
  std::string detail_;
};

[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

template <typename T>
using Result = boost::system::result<T, Error>;

}  // namespace mog
