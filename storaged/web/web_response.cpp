#include "storaged/web/web_response.h"

#include <cstdio>
#include <cstring>

#include "storaged/http/byte_range.h"
#include "storaged/web/content_type.h"
#include <strings.h>

namespace mog::storage::web {
namespace {

using http::HeadWriter;
using http::RequestHead;
using http::Response;

constexpr std::string_view kVersion = "HTTP/1.1";

void AddDate(std::time_t now, HeadWriter* head) {
  thread_local http::HttpDateMemo memo;
  head->Add("Date", memo.Get(now));
}

}  // namespace

std::string_view ReasonPhrase(int code) {
  switch (code) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 411:
      return "Length Required";
    case 416:
      return "Range Not Satisfiable";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

Response WebError(int code, const RequestHead& request, const http::HeaderList& extra,
                  bool body_unread) {
  Response response;
  response.status = code;
  const bool has_body = code != 204 && code != 304;
  std::string body;
  if (has_body) {
    body = std::to_string(code) + " " + std::string(ReasonPhrase(code)) + "\n";
  }
  HeadWriter head(kVersion, code, ReasonPhrase(code));
  AddDate(std::time(nullptr), &head);
  head.Add("Server", "mogstored");
  if (has_body) {
    head.Add("Content-Type", "text/plain; charset=utf-8");
    head.AddNumber("Content-Length", body.size());
  }
  head.Add("X-Content-Type-Options", "nosniff");
  head.Add("Cache-Control", "no-store");
  for (const auto& [name, value] : extra) head.Add(name, value);
  response.keep_alive = !body_unread && http::ClientWantsKeepAlive(request);
  head.AddConnection(response.keep_alive);
  response.head = std::move(head).Finish();
  if (!request.IsHead()) response.body = std::move(body);
  return response;
}

std::string FidFromPath(std::string_view url) {
  const size_t slash = url.rfind('/');
  std::string_view name = slash == std::string_view::npos ? url : url.substr(slash + 1);
  if (!name.ends_with(".fid") || name.size() <= 4) return "";
  name.remove_suffix(4);
  for (char c : name) {
    if (c < '0' || c > '9') return "";
  }
  while (name.size() > 1 && name.front() == '0') name.remove_prefix(1);
  return std::string(name);
}

std::string ETagForFid(std::string_view fid) { return "\"" + std::string(fid) + "\""; }

bool EtagMatches(std::string_view list, std::string_view etag) {
  std::string_view bare = etag;
  size_t pos = 0;
  while (pos < list.size()) {
    size_t end = list.find(',', pos);
    if (end == std::string_view::npos) end = list.size();
    std::string_view item = list.substr(pos, end - pos);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.starts_with("W/")) item.remove_prefix(2);  // If-None-Match compares weakly
    if (item == "*" || item == bare) return true;
    pos = end + 1;
  }
  return false;
}

std::optional<std::time_t> ParseHttpDate(std::string_view text) {
  if (text.size() > 64) return std::nullopt;
  const std::string s(text);
  static constexpr const char* kFormats[] = {
      "%a, %d %b %Y %H:%M:%S GMT",  // IMF-fixdate
      "%A, %d-%b-%y %H:%M:%S GMT",  // RFC 850
      "%a %b %e %H:%M:%S %Y",       // asctime
  };
  for (const char* format : kFormats) {
    struct tm tm {};
    const char* end = ::strptime(s.c_str(), format, &tm);
    if (end == nullptr) continue;
    // IE's "; length=N" suffix and trailing blanks are ignored.
    while (*end == ' ') ++end;
    if (*end != '\0' && *end != ';') continue;
    return ::timegm(&tm);
  }
  return std::nullopt;
}

bool NotModified(const RequestHead& request, std::string_view etag,
                 std::optional<std::time_t> mtime) {
  if (!request.if_none_match.empty()) return EtagMatches(request.if_none_match, etag);
  if (request.if_modified_since.empty() || !mtime) return false;
  const auto since = ParseHttpDate(request.if_modified_since);
  return since && *mtime <= *since;
}

void AddEntityHeaders(const EntityInfo& info, HeadWriter* head) {
  thread_local http::HttpDateMemo last_modified;
  if (info.mtime) head->Add("Last-Modified", last_modified.Get(*info.mtime));
  head->Add("ETag", info.etag);
  if (!info.cache_control.empty()) head->Add("Cache-Control", info.cache_control);
  head->Add("Accept-Ranges", "bytes");
  const std::string_view type = WebContentType(info.key);
  head->Add("Content-Type", type);
  head->Add("X-Content-Type-Options", "nosniff");
  static const std::vector<std::string> kNone;
  if (!IsInlineType(type, info.inline_types ? *info.inline_types : kNone)) {
    head->Add("Content-Disposition", AttachmentDisposition(info.key));
  }
  if (!info.copy.empty()) head->Add("X-MogileFS-Copy", info.copy);
}

Response NotModifiedResponse(const EntityInfo& info, const RequestHead& request, std::time_t now) {
  Response response;
  response.status = 304;
  HeadWriter head(kVersion, 304, ReasonPhrase(304));
  AddDate(now, &head);
  head.Add("Server", "mogstored");
  thread_local http::HttpDateMemo last_modified;
  if (info.mtime) head.Add("Last-Modified", last_modified.Get(*info.mtime));
  head.Add("ETag", info.etag);
  if (!info.cache_control.empty()) head.Add("Cache-Control", info.cache_control);
  response.keep_alive = http::ClientWantsKeepAlive(request);
  head.AddConnection(response.keep_alive);
  response.head = std::move(head).Finish();
  return response;
}

FilePlan PlanFileResponse(const EntityInfo& info, uint64_t size, const RequestHead& request,
                          std::time_t now) {
  FilePlan plan;
  plan.keep_alive = http::ClientWantsKeepAlive(request);
  if (NotModified(request, info.etag, info.mtime)) {
    Response r = NotModifiedResponse(info, request, now);
    plan.status = 304;
    plan.head = std::move(r.head);
    return plan;
  }
  const http::RangeDecision range = http::DecideRange(request.range, size);
  plan.status = range.kind == http::RangeDecision::kPartial         ? 206
                : range.kind == http::RangeDecision::kUnsatisfiable ? 416
                                                                    : 200;
  HeadWriter head(kVersion, plan.status, ReasonPhrase(plan.status));
  AddDate(now, &head);
  head.Add("Server", "mogstored");
  AddEntityHeaders(info, &head);
  if (plan.status == 416) {
    head.Add("Content-Range", "bytes */" + std::to_string(size));
    head.Add("Content-Length", "0");
  } else {
    plan.offset = plan.status == 206 ? range.first : 0;
    plan.length = plan.status == 206 ? range.last - range.first + 1 : size;
    if (plan.status == 206) {
      head.Add("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                    std::to_string(range.last) + "/" + std::to_string(size));
    }
    head.AddNumber("Content-Length", plan.length);
    if (request.IsHead()) plan.length = 0;
  }
  head.AddConnection(plan.keep_alive);
  plan.head = std::move(head).Finish();
  return plan;
}

}  // namespace mog::storage::web
