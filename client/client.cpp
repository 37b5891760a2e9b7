#include "client/client.h"

namespace mog::client {

ClientResult<CreateOpenReply> ParseCreateOpen(const ReplyArgs& reply) {
  CreateOpenReply out;
  out.fid = reply.Get("fid");
  if (reply.Has("dev_count")) {
    const int64_t count = reply.GetInt("dev_count");
    for (int64_t i = 1; i <= count; ++i) {
      const std::string n = std::to_string(i);
      out.destinations.push_back({reply.Get("devid_" + n), reply.Get("path_" + n)});
    }
  } else if (reply.Has("path")) {
    out.destinations.push_back({reply.Get("devid"), reply.Get("path")});
  }
  if (out.destinations.empty()) {
    return ClientError::Transport("create_open reply has no destination");
  }
  for (const auto& dest : out.destinations) {
    if (!dest.path.starts_with("http://")) {
      return ClientError::Local("non-http storage URLs are not supported: " + dest.path);
    }
  }
  return out;
}

ClientResult<CreateOpenReply> Client::CreateOpen(const std::optional<std::string>& key,
                                                 const std::optional<std::string>& class_name,
                                                 const std::string& fid) {
  ArgList args{{"domain", domain_}};
  if (class_name) args.emplace_back("class", *class_name);
  if (key) args.emplace_back("key", *key);
  args.emplace_back("fid", fid.empty() ? "0" : fid);
  args.emplace_back("multi_dest", "1");
  auto reply = Call("create_open", args);
  if (!reply) return reply.error();
  return ParseCreateOpen(*reply);
}

ClientResult<void> Client::CreateClose(const std::string& fid, const Destination& used,
                                       const std::optional<std::string>& key, uint64_t size,
                                       const ArgList& extra) {
  ArgList args = extra;
  args.emplace_back("fid", fid);
  args.emplace_back("devid", used.devid);
  args.emplace_back("domain", domain_);
  args.emplace_back("size", std::to_string(size));
  if (key) args.emplace_back("key", *key);
  args.emplace_back("path", used.path);
  auto reply = Call("create_close", args);
  if (!reply) return reply.error();
  return {};
}

ClientResult<std::vector<std::string>> Client::GetPaths(const std::string& key,
                                                        const GetPathsOptions& options) {
  ArgList args{{"domain", domain_}, {"key", key}, {"noverify", options.noverify ? "1" : "0"}};
  if (!options.zone.empty()) args.emplace_back("zone", options.zone);
  if (options.pathcount) args.emplace_back("pathcount", std::to_string(*options.pathcount));
  auto reply = Call("get_paths", args);
  if (!reply) return reply.error();
  std::vector<std::string> paths;
  const int64_t count = reply->GetInt("paths");
  for (int64_t i = 1; i <= count; ++i) paths.push_back(reply->Get("path" + std::to_string(i)));
  return paths;
}

ClientResult<void> Client::Delete(const std::string& key) {
  auto reply = Call("delete", {{"domain", domain_}, {"key", key}});
  if (!reply) return reply.error();
  return {};
}

ClientResult<void> Client::Rename(const std::string& from_key, const std::string& to_key) {
  auto reply = Call("rename", {{"domain", domain_}, {"from_key", from_key}, {"to_key", to_key}});
  if (!reply) return reply.error();
  return {};
}

ClientResult<ListKeysPage> Client::ListKeys(const std::string& prefix, const std::string& after,
                                            int limit) {
  auto reply = Call("list_keys", {{"domain", domain_},
                                  {"prefix", prefix},
                                  {"after", after},
                                  {"limit", std::to_string(limit)}});
  if (!reply) return reply.error();
  ListKeysPage page;
  page.next_after = reply->Get("next_after");
  const int64_t count = reply->GetInt("key_count");
  for (int64_t i = 1; i <= count; ++i) page.keys.push_back(reply->Get("key_" + std::to_string(i)));
  return page;
}

ClientResult<ReplyArgs> Client::FileInfo(const std::string& key, bool devices) {
  ArgList args{{"domain", domain_}, {"key", key}};
  if (devices) args.emplace_back("devices", "1");
  return Call("file_info", args);
}

ClientResult<ReplyArgs> Client::FileDebug(ArgList args) {
  bool has_domain = false;
  for (const auto& [name, value] : args) has_domain = has_domain || name == "domain";
  if (!has_domain) args.emplace_back("domain", domain_);
  return Call("file_debug", args);
}

ClientResult<ReplyArgs> Client::UpdateClass(const std::string& key,
                                            const std::string& class_name) {
  return Call("updateclass", {{"domain", domain_}, {"key", key}, {"class", class_name}});
}

ClientResult<uint64_t> Client::StoreFile(const std::optional<std::string>& key,
                                         const std::optional<std::string>& class_name,
                                         std::istream& source, uint64_t length,
                                         const StoreOptions& options) {
  auto opened = CreateOpen(key, class_name);
  if (!opened) return opened.error();
  return UploadAndClose(*opened, key, source, length, options);
}

ClientResult<uint64_t> Client::UploadAndClose(const CreateOpenReply& opened,
                                              const std::optional<std::string>& key,
                                              std::istream& source, uint64_t length,
                                              const StoreOptions& options) {
  const std::streampos start = source.tellg();
  std::optional<ClientError> last_error;
  for (const Destination& dest : opened.destinations) {
    if (last_error) {
      // Rewind for the next destination; a pipe cannot be retried.
      source.clear();
      if (start == std::streampos(-1) || !source.seekg(start)) break;
    }
    auto put = HttpPut(dest.path, source, length, http_options_, options.progress);
    if (!put) {
      last_error = put.error();
      if (put.error().kind == ClientError::Kind::kLocal) break;
      continue;
    }
    ArgList extra;
    if (options.checksum) extra.emplace_back("checksum", *options.checksum);
    if (options.checksum_verify) extra.emplace_back("checksumverify", "1");
    auto closed = CreateClose(opened.fid, dest, key, length, extra);
    if (!closed) return closed.error();
    return length;
  }
  return last_error ? *last_error : ClientError::Storage("no destination accepted the upload");
}

FetchOutcome Client::FetchPaths(const std::vector<std::string>& paths, const BodySink& sink,
                                const std::function<bool()>& restart,
                                const ProgressFn& progress) {
  FetchOutcome outcome;
  for (const std::string& path : paths) {
    if (path.empty()) continue;
    if (restart && !restart()) break;
    HttpGetOutcome got = HttpGet(path, sink, http_options_, progress);
    if (got.ok()) {
      outcome.ok = true;
      outcome.bytes = got.bytes;
      return outcome;
    }
    outcome.failures.push_back(got.status_line);
  }
  return outcome;
}

}  // namespace mog::client
