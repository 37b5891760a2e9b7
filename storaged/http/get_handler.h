// GET and HEAD: files below dev<N> with Perlbal's headers (plus an ETag), single byte ranges,
// If-Modified-Since / If-None-Match, "Directory listing disabled" for directories. The body of
// a large file response is left to the session as an open fd (sent with sendfile).
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>

#include "storaged/docroot/docroot.h"
#include "storaged/http/request_head.h"
#include "storaged/http/response.h"

namespace mog::storage::http {

// Bodies up to this size come back in Response::body; larger ones as Response::file.
inline constexpr uint64_t kInlineBodyLimit = 64 * 1024;

Response HandleGet(const Docroot& docroot, const RequestHead& request, std::time_t now);

// The same decision using only what the kernel has cached (RESOLVE_CACHED opens, RWF_NOWAIT
// reads), so it can run on a socket thread; nullopt when the disk would have to be waited
// for (then run HandleGet on the blocking pool).
std::optional<Response> HandleGetCached(const Docroot& docroot, const RequestHead& request,
                                        std::time_t now);

// "text/plain" unless the extension is one of Perlbal's few known ones.
std::string_view ContentTypeFor(std::string_view filename);

}  // namespace mog::storage::http
