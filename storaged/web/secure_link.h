// Anti-leech links, computed exactly as nginx's secure_link module with
//   secure_link $arg_md5,$arg_expires;
//   secure_link_md5 "$secure_link_expires$uri <secret>";
// so an nginx in front and the web listener accept the same URLs: md5 over
// "<expires><uri> <secret>", base64url without padding; `expires` an absolute Unix time that
// must not be in the past. Linked both by mogstored and by the mogurl tool (lib
// mog_secure_link).
#pragma once

#include <ctime>
#include <string>
#include <string_view>

namespace mog::storage::web {

// base64url(md5("<expires><uri> <secret>")) without '=' padding.
std::string SecureLinkHash(std::string_view expires, std::string_view uri, std::string_view secret);

// True when `md5_arg` is the hash for `expires_arg` and `uri` (compared in constant time) and
// `expires_arg` is a decimal Unix time not before `now`. A missing, malformed or expired
// argument is simply false: callers answer 403 without saying why.
bool SecureLinkValid(std::string_view md5_arg, std::string_view expires_arg, std::string_view uri,
                     std::string_view secret, std::time_t now);

// Percent-encodes everything but RFC 3986 unreserved characters and '/' (a key as a URL path).
std::string PercentEncodePath(std::string_view decoded);

// The by-key URL path and query for `key` in `domain`: "/<domain>/<encoded key>", plus
// "?md5=…&expires=<expires>" when `secret` is not empty. The hash covers the decoded path,
// as nginx's $uri.
std::string ByKeyTarget(std::string_view domain, std::string_view key, std::string_view secret,
                        long long expires);

// Constant-time comparison (the time does not depend on where the strings differ).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace mog::storage::web
