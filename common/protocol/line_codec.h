// The tracker's line protocol (mogilefsd 2.73, port 7001), both directions:
//  * server side: a request line -> verb + decoded args; a reply -> "OK ..." / "ERR ..." bytes;
//  * client side: verb + args -> request bytes; a reply line -> ok/args or errcode/errstr,
//    read the way MogileFS::Backend reads it.
// Framing (splitting a byte stream at '\n') is the caller's job; these functions see one line
// without its terminator.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error/error.h"
#include "common/protocol/url_codec.h"

namespace mog {

// Request arguments as mogilefsd decodes them: names unique, repeats joined (see DecodeArgs).
// Insertion order is kept so that echoes (clear_cache) and tests are deterministic.
class RequestArgs {
 public:
  // Appends per upstream's repeat rule: after a true value (non-empty, not "0") with a NUL
  // separator, else by plain concatenation.
  void Add(std::string name, std::string value);
  void Set(const std::string& name, std::string value);
  bool Has(std::string_view name) const { return Find(name) != nullptr; }
  // The value, or "" when absent.
  std::string Get(std::string_view name) const;
  std::optional<std::string> GetOpt(std::string_view name) const;
  // Perl truthiness: absent, "" and "0" are false.
  bool Truthy(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }
  bool empty() const { return items_.empty(); }

 private:
  const std::string* Find(std::string_view name) const;
  std::vector<std::pair<std::string, std::string>> items_;
};

// Perl truthiness of a value: "" and "0" are false.
inline bool PerlTrue(std::string_view v) { return !v.empty() && v != "0"; }

// `a=1&b=2` decoding exactly as upstream's decode_url_args: empty and literal "0" pieces are
// dropped, `a=b=c` gives a=b, a piece without '=' gives "", '+' and %XX decoded in both name and
// value, repeats joined by RequestArgs::Add.
RequestArgs DecodeArgs(std::string_view encoded);

enum class LineKind {
  kEmpty,  // nothing to do, no reply
  kAdmin,  // "!name[ args]" handled by the listener
  kQuery,  // "verb args" for a query worker; verb may be empty (-> unknown_command)
};

struct RequestLine {
  LineKind kind = LineKind::kEmpty;
  std::string verb;      // lower-cased; admin: the name after '!' as sent
  std::string raw_args;  // undecoded text after the verb (admin: text after the spaces)
};

// Classifies one line (terminator already removed, including the one '\r' before '\n').
RequestLine ParseRequestLine(std::string_view line);

// Splits a stream buffer: returns the next complete line (without "\n" and one preceding
// "\r") and removes it from `buffer`, or nullopt when no '\n' has arrived yet.
std::optional<std::string> TakeLine(std::string* buffer);

// "OK <k=v&...>\r\n"; `callid` (when the request had one) is appended as a pair.
std::string EncodeOk(const ArgList& args, const std::optional<std::string>& callid = {});
// "ERR <token> <enc message>[ <enc callid>]\r\n"; an empty message means the default text.
std::string EncodeErr(Errc code, std::string_view message,
                      const std::optional<std::string>& callid = {});
std::string EncodeErr(const Error& error, const std::optional<std::string>& callid = {});

// ---- client side ----

// "<verb> <k=v&...>\r\n" (the space is always present, as MogileFS::Backend sends it).
std::string EncodeRequest(std::string_view verb, const ArgList& args);

struct Reply {
  bool ok = false;
  RequestArgs args;      // ok: decoded pairs
  std::string errcode;   // !ok: the token ("" when the line was not a valid reply)
  std::string errstr;    // !ok: decoded message
  bool malformed = false;  // neither OK nor ERR: "invalid response from server"
};

// Parses one reply line (with or without "\r\n") like MogileFS::Backend:
// ^OK\s+\d*\s*(\S*) and ^ERR\s+(\w+)\s*(\S*).
Reply ParseReply(std::string_view line);

}  // namespace mog
