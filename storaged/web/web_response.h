// The web listener's responses as pure functions of the request and what is known about the
// file (no socket, no disk): HTTP/1.1 status lines, error answers without detail, the
// validators (strong ETag from the fid, Last-Modified), 304 and Range decisions, and the head
// of a file response with Content-Type, Cache-Control, nosniff and Content-Disposition.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storaged/http/request_head.h"
#include "storaged/http/response.h"

namespace mog::storage::web {

std::string_view ReasonPhrase(int code);

// A short text/plain answer ("404 Not Found\n") with nosniff; `extra` headers are added
// (Retry-After, Allow, WWW-Authenticate). `body_unread`: the connection cannot be reused.
http::Response WebError(int code, const http::RequestHead& request,
                        const http::HeaderList& extra = {}, bool body_unread = false);

// The fid of a path URL ".../0000000042.fid" -> "42"; "" if the URL is not a fid path.
std::string FidFromPath(std::string_view url);
// "\"<fid>\"": a key rewritten gets a new fid, so the fid is a strong validator.
std::string ETagForFid(std::string_view fid);

// If-None-Match (a list, "*", weak forms compared weakly) against `etag`.
bool EtagMatches(std::string_view if_none_match, std::string_view etag);
// RFC 7231 date (IMF-fixdate; also RFC 850 and asctime forms); nullopt if unparsable.
std::optional<std::time_t> ParseHttpDate(std::string_view text);
// RFC 7232 order: If-None-Match decides when present, else If-Modified-Since (>= mtime).
bool NotModified(const http::RequestHead& request, std::string_view etag,
                 std::optional<std::time_t> mtime);

// What the entity headers say, whoever serves the bytes.
struct EntityInfo {
  std::string_view key;
  std::string_view etag;
  std::optional<std::time_t> mtime;
  std::string_view cache_control;
  const std::vector<std::string>* inline_types = nullptr;
  std::string_view copy;  // "local"/"remote": sent as X-MogileFS-Copy (diagnostics, tests)
};

// Validators + Cache-Control + Content-Type + nosniff + Content-Disposition + Accept-Ranges
// (everything but the length and range headers).
void AddEntityHeaders(const EntityInfo& info, http::HeadWriter* head);

// A complete file response plan for a file of `size` bytes: status 200/206/304/416, its head,
// and the byte window to send (nothing for HEAD, 304 and 416).
struct FilePlan {
  int status = 200;
  std::string head;
  uint64_t offset = 0;
  uint64_t length = 0;  // body bytes to send
  bool keep_alive = false;
};
FilePlan PlanFileResponse(const EntityInfo& info, uint64_t size, const http::RequestHead& request,
                          std::time_t now);

// 304 with the validators and caching headers.
http::Response NotModifiedResponse(const EntityInfo& info, const http::RequestHead& request,
                                   std::time_t now);

}  // namespace mog::storage::web
