// Request-target rules per method, as pure functions. GET/HEAD follow Perlbal's static file
// service (percent-decoded, query stripped, "/../" refused); PUT and DELETE check the raw
// target against Perlbal's conservative filename patterns. On top of upstream, anything that
// could name a file outside dev<N> (".." or "." components, NUL, backslash) is refused before
// the filesystem is touched; the Docroot then confines what remains, kernel-enforced.
#pragma once

#include <string>
#include <string_view>
#include <variant>

namespace mog::storage::http {

// A refusal: HTTP status and the message placed after the simple-response heading.
struct Refusal {
  int status = 400;
  std::string message;
  bool operator==(const Refusal&) const = default;
};

// %XX (either case) -> byte; '+' is left alone (Perlbal's durl); malformed '%' stays literal.
std::string PercentDecode(std::string_view raw);

struct GetTarget {
  bool docroot_itself = false;  // "/" (or only slashes): upstream answers 200 for it
  std::string path;             // decoded, query stripped, e.g. "/dev1/usage"
};

// 403 "Bogus URL" for traversal, relative or absolute-form targets, NUL, backslash;
// 403 "Multiple file serving isn't enabled" for "??".
std::variant<GetTarget, Refusal> ParseGetTarget(std::string_view raw);

// PUT: raw target must be /dir[/dir...]/name with [A-Za-z0-9_.-] components and no "..";
// else 400 "Invalid filename"; no directory -> 400 "Does not meet minimum directory
// requirement". Returns the target unchanged when acceptable.
std::variant<std::string, Refusal> ParsePutTarget(std::string_view raw);

// DELETE: raw target must be (/[A-Za-z0-9_.-]+)+ with no "..", else 400 "Invalid filename".
std::variant<std::string, Refusal> ParseDeleteTarget(std::string_view raw);

}  // namespace mog::storage::http
