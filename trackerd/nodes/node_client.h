// How the tracker talks to storage nodes (mogstored): small HTTP requests, the management side
// channel (digests), and streamed copies for replication. An interface so query commands, the
// Monitor, replication and fsck can be tested against a fake node.
//
// Every call is synchronous and bounded: connect and each wait for bytes are limited by the
// client's node timeout (the Monitor builds its own client with `conn_timeout`). Callers are
// query-worker / worker threads; implementations must be thread-safe.
//
// URLs are absolute "http://<ip>:<port><path>" as built by trackerd/nodes/node_url.h; only the
// path goes on the request line (upstream never sends absolute-form targets).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error/error.h"

namespace mog::tracker {

// Why a request got no usable HTTP answer. The Monitor and fsck treat all of these as
// "unreachable"; the distinction is for logs and for create_close's error text.
enum class NodeFailure {
  kNone,
  kBadUrl,          // not http://host:port/path
  kConnect,         // refused / no route
  kTimeout,         // connect or a wait for bytes exceeded the node timeout
  kIo,              // reset / EOF mid-response
  kBadResponse,     // not parseable as HTTP
  kStatus,          // an HTTP answer whose status the operation treats as failure
};

std::string_view NodeFailureName(NodeFailure failure);

// A failed node operation. `status` is the HTTP status when one arrived (kStatus), else 0.
struct NodeError {
  NodeFailure failure = NodeFailure::kIo;
  int status = 0;
  std::string message;  // human text, used in logs and e.g. size_verify_error "error: ..."
};

template <typename T>
using NodeResult = boost::system::result<T, NodeError>;
[[noreturn]] void throw_exception_from_error(const NodeError& e,
                                             const boost::source_location& loc);

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// HEAD outcome when the node answered 2xx or 404. Any other status, or no answer, is a
// NodeError (upstream: "other non-2xx = unreachable").
struct HeadInfo {
  int status = 0;                          // 2xx or 404
  bool missing() const { return status == 404; }
  // Content-Length of a 2xx answer; nullopt if the node sent none (a lighttpd `Server` without
  // Content-Length counts as 0, as upstream does).
  std::optional<uint64_t> content_length;
};

// Any HTTP answer (any status) to GET/PUT/DELETE; `body` is filled for GET and PUT (bounded).
struct HttpReply {
  int status = 0;
  HttpHeaders headers;
  std::string body;
  bool ok() const { return status >= 200 && status < 300; }
  std::string Header(std::string_view name) const;  // case-insensitive, "" if absent
};

enum class MkcolOutcome {
  kCreated,      // 2xx
  kFailed,       // other status or unreachable (callers ignore it, like upstream)
  kUnsupported,  // device answered 400/501 now or earlier: no more MKCOL sent to it
  kSkipped,      // skip_mkcol server setting, or this directory was created < ~1 h ago
};

enum class DigestAlg { kMd5, kSha1 };
std::string_view DigestAlgName(DigestAlg alg);  // "MD5", "SHA-1" (side channel + wire form)
std::optional<DigestAlg> ParseDigestAlg(std::string_view name);  // case-sensitive, as upstream

struct DigestRequest {
  std::string host_ip;               // storage host (side channel target)
  uint16_t side_port = 7501;         // mogstored_stream_port
  std::string get_url;               // fallback: GET this and hash on the tracker
  DigestAlg alg = DigestAlg::kMd5;
  std::string reason;                // "" or "fsck" (fsck requests are serialised per disk)
  uint64_t size = 0;                 // expected file size: reply timeout = size/(2 MiB/s) + t
};

struct DigestReply {
  bool missing = false;              // side channel said -1 and GET answered 404
  std::string hex;                   // lower-case hex digest when !missing
  bool via_side_channel = false;     // false = computed by the tracker from an HTTP GET
};

// Streamed replication copy (GET from the source node, PUT to the destination, never the whole
// file in memory).
struct CopyRequest {
  std::string src_url;
  std::string dst_url;
  uint64_t length = 0;                       // the source must report exactly this length
  std::optional<DigestAlg> digest;           // compute while streaming
  std::string content_md5_b64;               // sent as Content-MD5 when non-empty
  std::chrono::seconds wait_timeout{45};     // per wait, like upstream
};

struct CopyReply {
  uint64_t bytes = 0;
  std::string digest_hex;  // when CopyRequest::digest was set
  int dst_status = 0;
};

// Which side a failed copy blames (replication excludes a bad source, reports a bad dest).
struct CopyError {
  bool source_side = false;
  NodeError error;
  // The digest of everything read from the source, when CopyRequest::digest was set and the
  // whole body was read before the destination failed: a destination that refuses the bytes
  // (Content-MD5) may be refusing a bad source, and only this tells the two apart.
  std::string source_digest_hex;
};
[[noreturn]] void throw_exception_from_error(const CopyError& e,
                                             const boost::source_location& loc);

class NodeClient {
 public:
  virtual ~NodeClient() = default;

  // HEAD: 2xx → size, 404 → missing, anything else → NodeError.
  virtual NodeResult<HeadInfo> HeadSize(const std::string& url) = 0;

  // MKCOL `url` (must end in '/'), Content-Length: 0. Remembers devices without MKCOL
  // (400/501) and directories created in the last hour; honours skip_mkcol.
  virtual MkcolOutcome Mkcol(const std::string& url) = 0;

  // GET as HTTP/1.0, body capped at `max_body` bytes (a larger body → kBadResponse).
  virtual NodeResult<HttpReply> Get(const std::string& url, size_t max_body = 1 << 20) = 0;

  // PUT a small body (test-write, Content-MD5 probe); HTTP/1.1 with Content-Length. Extra
  // headers are appended (e.g. Content-MD5).
  virtual NodeResult<HttpReply> Put(const std::string& url, std::string_view body,
                                    const HttpHeaders& headers = {}) = 0;

  // DELETE; returns the HTTP status (callers decide: deleter 2xx/404, rebalance 204).
  virtual NodeResult<int> Delete(const std::string& url) = 0;

  // Side channel `<ALG> <path>[ <reason>]`, falling back to GET + hashing on the tracker.
  virtual NodeResult<DigestReply> Digest(const DigestRequest& request) = 0;

  virtual boost::system::result<CopyReply, CopyError> Copy(const CopyRequest& request) = 0;
};

}  // namespace mog::tracker
