// MogileFS::Client in C++: file operations of one domain over a TrackerConnection, plus the
// HTTP side of uploads (create_open -> PUT with failover -> create_close) and downloads
// (get_paths -> GET with failover to the next replica).
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "client/client_error.h"
#include "client/http_transfer.h"
#include "client/reply_args.h"
#include "client/tracker_connection.h"

namespace mog::client {

struct Destination {
  std::string devid;
  std::string path;  // PUT URL
};

struct CreateOpenReply {
  std::string fid;
  std::vector<Destination> destinations;  // in tracker order; the first is the main one
};

// Parses both reply shapes of create_open (single devid/path, or dev_count + devid_N/path_N).
ClientResult<CreateOpenReply> ParseCreateOpen(const ReplyArgs& reply);

struct GetPathsOptions {
  bool noverify = false;
  std::optional<int> pathcount;
  std::string zone;
};

struct ListKeysPage {
  std::string next_after;
  std::vector<std::string> keys;
};

// Optional behaviour of StoreFile beyond upstream's defaults.
struct StoreOptions {
  std::optional<std::string> checksum;  // "MD5:<hex>" passed on create_close
  bool checksum_verify = false;
  ProgressFn progress;
};

struct FetchOutcome {
  bool ok = false;
  // Status lines of every failed attempt, in order (mogfetch prints them all).
  std::vector<std::string> failures;
  uint64_t bytes = 0;
};

class Client {
 public:
  Client(TrackerConnection& trackers, std::string domain) : trackers_(trackers), domain_(std::move(domain)) {}

  const std::string& domain() const { return domain_; }
  void set_http_options(const HttpOptions& options) { http_options_ = options; }

  // `key` and `class_name` nullopt = not sent (as Perl undef).
  ClientResult<CreateOpenReply> CreateOpen(const std::optional<std::string>& key,
                                           const std::optional<std::string>& class_name,
                                           const std::string& fid = "0");
  ClientResult<void> CreateClose(const std::string& fid, const Destination& used,
                                 const std::optional<std::string>& key, uint64_t size,
                                 const ArgList& extra = {});
  ClientResult<std::vector<std::string>> GetPaths(const std::string& key,
                                                  const GetPathsOptions& options = {});
  ClientResult<void> Delete(const std::string& key);
  ClientResult<void> Rename(const std::string& from_key, const std::string& to_key);
  ClientResult<ListKeysPage> ListKeys(const std::string& prefix, const std::string& after,
                                      int limit);
  ClientResult<ReplyArgs> FileInfo(const std::string& key, bool devices = false);
  // `args` as given (fid=… or key=…); `domain` is added unless present.
  ClientResult<ReplyArgs> FileDebug(ArgList args);
  ClientResult<ReplyArgs> UpdateClass(const std::string& key, const std::string& class_name);

  // Uploads `length` bytes of `source` (which must be seekable if several destinations may be
  // tried): create_open, PUT to each destination in turn until one answers 2xx, create_close
  // naming the destination actually used. Returns the number of bytes stored.
  ClientResult<uint64_t> StoreFile(const std::optional<std::string>& key,
                                   const std::optional<std::string>& class_name,
                                   std::istream& source, uint64_t length,
                                   const StoreOptions& options = {});

  // The part of StoreFile after create_open, for callers that report the two stages apart.
  ClientResult<uint64_t> UploadAndClose(const CreateOpenReply& opened,
                                        const std::optional<std::string>& key,
                                        std::istream& source, uint64_t length,
                                        const StoreOptions& options = {});

  // GETs the paths in order until one succeeds; `restart` is called before each attempt (so
  // a file output can be truncated) and may refuse by returning false.
  FetchOutcome FetchPaths(const std::vector<std::string>& paths, const BodySink& sink,
                          const std::function<bool()>& restart, const ProgressFn& progress = {});

 private:
  ClientResult<ReplyArgs> Call(std::string_view command, const ArgList& args) {
    return trackers_.Call(command, args);
  }

  TrackerConnection& trackers_;
  std::string domain_;
  HttpOptions http_options_;
};

}  // namespace mog::client
