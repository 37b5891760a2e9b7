// What the tools print for a tracker error. The tracker's tokens stay on the wire and at the
// start of the message (scripts match them); where upstream's text names nothing
// (`unknown_key unknown_key`, `unreg_class unreg_class`, `not_writable not_writable`,
// `bad_params ... please see documentation`, `dup Duplicate name/number used.`), the tool says
// which key, domain, class, setting, host or state it was about and what is valid.
#pragma once

#include <string>

#include "client/client_error.h"

namespace mog::cli {

// What the failed request was about; empty fields are unknown.
struct ErrorContext {
  std::string key = {};
  std::string domain = {};
  std::string klass = {};
  std::string setting = {};
  std::string host = {};  // hostname
  std::string ip = {};
  std::string devid = {};
  std::string states = {};  // "host" or "device": list the valid states on bad_params
};

// "<token>: <sentence>" for the tokens above when the context names the thing, else
// errstr() ("<token> <text>") unchanged. Transport and local errors: their text.
std::string ExplainError(const client::ClientError& error, const ErrorContext& context);

}  // namespace mog::cli
