#include "common/error/error.h"

#include <array>
#include <stdexcept>

namespace mog {
namespace {

struct ErrcInfo {
  std::string_view token;
  std::string_view text;
};

constexpr std::array kErrcTable = {
#define MOG_ERROR(name, token, text) ErrcInfo{token, text},
#include "common/error/error_codes.def"
#undef MOG_ERROR
};

}  // namespace

std::string_view ErrcToken(Errc code) { return kErrcTable[static_cast<size_t>(code)].token; }

std::string_view ErrcDefaultText(Errc code) {
  const auto& info = kErrcTable[static_cast<size_t>(code)];
  return info.text.empty() ? info.token : info.text;
}

bool ErrcFromToken(std::string_view token, Errc* out) {
  for (size_t i = 0; i < kErrcTable.size(); ++i) {
    if (kErrcTable[i].token == token) {
      *out = static_cast<Errc>(i);
      return true;
    }
  }
  return false;
}

std::string Error::message() const {
  return detail_.empty() ? std::string(ErrcDefaultText(code_)) : detail_;
}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw std::runtime_error(std::string(e.token()) + ": " + e.message());
}

}  // namespace mog
