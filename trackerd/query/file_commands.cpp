// Upload and key-level file commands: create_open, create_close, delete, rename, updateclass,
// edit_file, httpcopy (tracker.md §2.2).
#include <string>
#include <vector>

#include "common/log/logging.h"
#include "trackerd/nodes/node_client.h"
#include "trackerd/nodes/node_url.h"
#include "trackerd/placement/device_selector.h"
#include "trackerd/placement/random_source.h"
#include "trackerd/placement/read_order.h"
#include "trackerd/query/checksum_text.h"
#include "trackerd/query/command_table.h"
#include "trackerd/query/rebalance_policy.h"

namespace mog::tracker {
namespace {

RandomSource& Random(QueryContext& ctx) {
  return ctx.services.random ? *ctx.services.random : GlobalRandom();
}

CommandResult CreateOpen(QueryContext& ctx) {
  auto dmid = ctx.CheckDomain();
  if (!dmid) return dmid.error();
  const RequestArgs& a = ctx.args;
  const std::string key = PerlTrue(a.Get("key")) ? a.Get("key") : std::string();
  const bool multi = a.Truthy("multi_dest");
  std::optional<uint64_t> size;
  if (a.Truthy("size")) {
    const int64_t s = PerlInt(a.Get("size"));
    if (s > 0) size = static_cast<uint64_t>(s);
  }
  std::optional<Fid> explicit_fid;
  if (a.Truthy("fid")) {
    const int64_t f = PerlInt(a.Get("fid"));
    if (f > 0) explicit_fid = static_cast<Fid>(f);
  }
  ClassId classid = 0;
  if (!a.Get("class").empty()) {
    // (Upstream's `->id or unreg_class` also refuses class=default because its id is 0; we
    // accept it as the default class it names.)
    const ClassInfo* cls = ctx.snap->FindClass(*dmid, a.Get("class"));
    if (!cls) return Error(Errc::kUnregClass);
    classid = cls->row.classid;
  }
  // Right after start-up nothing is observed yet; wait for the Monitor instead of answering
  // no_devices.
  ctx.WaitForFirstMonitorRound();

  CreateDestRequest request;
  request.size = size;
  request.multi_dest = multi;
  std::vector<uint32_t> dests = SelectCreateDevices(*ctx.snap, request, Random(ctx));
  const size_t want = multi ? kMaxMultiDest : 1;
  if (dests.size() > want) dests.resize(want);
  if (dests.empty()) return Error(Errc::kNoDevices);

  NewTempfile row;
  row.explicit_fid = explicit_fid;
  row.dmid = *dmid;
  row.dkey = key;
  row.classid = classid;
  row.devids = JoinIds(dests);
  auto fid = ctx.store.RegisterTempfile(row, ctx.services.min_fidid);
  if (!fid) {
    if (fid.error().code() == Errc::kFidInUse || fid.error().code() == Errc::kDup) {
      return Error(Errc::kFidInUse);
    }
    Logger("query")->warn("Error registering tempfile: {}", fid.error().message());
    return Error(Errc::kDb);
  }

  std::vector<std::string> urls;
  for (uint32_t devid : dests) {
    auto url = ctx.PutUrl(devid, *fid);
    if (!url) return Error(Errc::kFailure, "device " + std::to_string(devid) + " vanished");
    urls.push_back(*url);
    // Make sure the directories exist for the client's PUT; failures are ignored, as the
    // node may create them itself.
    if (ctx.services.nodes) {
      for (const std::string& dir : MkcolDirUrls(*url)) ctx.services.nodes->Mkcol(dir);
    }
  }

  ArgList reply{{"fid", std::to_string(*fid)}};
  if (multi) {
    for (size_t i = 0; i < dests.size(); ++i) {
      reply.emplace_back("devid_" + std::to_string(i + 1), std::to_string(dests[i]));
      reply.emplace_back("path_" + std::to_string(i + 1), urls[i]);
    }
    reply.emplace_back("dev_count", std::to_string(dests.size()));
  } else {
    reply.emplace_back("devid", std::to_string(dests[0]));
    reply.emplace_back("path", urls[0]);
  }
  if (a.Truthy("debug_profile")) reply.emplace_back("profpoints", "0");
  return reply;
}

bool DevidListed(const std::string& devids, const std::string& devid) {
  size_t start = 0;
  while (start <= devids.size()) {
    size_t comma = devids.find(',', start);
    if (comma == std::string::npos) comma = devids.size();
    if (devids.compare(start, comma - start, devid) == 0) return true;
    start = comma + 1;
  }
  return false;
}

// Whether a freshly closed file (one copy) must be queued for replication. Only the default
// policy (MultipleHosts, or none named) with mindevcount <= 1 is known to be satisfied by one
// copy; any other class, or one the cache does not know, is queued as upstream always does.
bool NeedsReplication(const ClassInfo* cls) {
  if (!cls) return true;
  const std::string& policy = cls->row.replpolicy;
  const bool default_policy = policy.empty() || policy == "MultipleHosts()";
  return !(default_policy && cls->row.mindevcount <= 1);
}

CommandResult CreateClose(QueryContext& ctx) {
  auto dmid = ctx.CheckDomain();
  if (!dmid) return dmid.error();
  const RequestArgs& a = ctx.args;
  if (!a.Truthy("fid")) return Error(Errc::kNoFid);
  if (!a.Truthy("devid")) return Error(Errc::kNoDevid);
  if (!a.Truthy("path")) return Error(Errc::kNoPath);
  const Fid fid = static_cast<Fid>(std::max<int64_t>(0, PerlInt(a.Get("fid"))));
  const std::string devid_text = a.Get("devid");
  const DevId devid = static_cast<DevId>(std::max<int64_t>(0, PerlInt(devid_text)));
  const std::string path = a.Get("path");
  std::optional<ChecksumRow> checksum;
  if (a.Truthy("checksum")) {
    checksum = ParseChecksumText(fid, a.Get("checksum"));
    if (!checksum) return Error(Errc::kInvalidChecksumFormat);
  }
  auto expected = ctx.PutUrl(devid, fid);
  if (!expected || *expected != path) return Error(Errc::kBogusArgs);

  // A plain read first: the row is only claimed (deleted) in the commit transaction, after
  // the HEAD, so that the whole close costs one COMMIT and no lock is held across HTTP.
  auto trow = ctx.store.GetTempfile(fid);
  if (!trow) return trow.error();
  if (!*trow) return Error(Errc::kNoTempFile);
  const TempfileRow temp = **trow;

  // A refused upload must never be orphaned: claim the tempfile row (only one closer wins),
  // record where the bytes are and queue them for deletion before reporting the failure.
  auto abort_upload = [&](Error e) -> CommandResult {
    auto taken = ctx.store.TakeTempfile(fid);
    if (!taken) return taken.error();
    if (!*taken) return Error(Errc::kNoTempFile);
    auto on = ctx.store.AddFileOn(fid, devid);
    auto del = ctx.store.DeleteFileAndEnqueue(fid);
    if (!on || !del) {
      Logger("query")->error("create_close abort of fid={} devid={} failed: {}", fid, devid,
                             !on ? on.error().message() : del.error().message());
    }
    return e;
  };

  if (!DevidListed(temp.devids, devid_text)) {
    return abort_upload(Error(Errc::kInvalidDestdev, "File uploaded to invalid dest " +
                                                         devid_text + ". Valid devices were: " +
                                                         temp.devids));
  }
  // Closing without a key cancels the upload.
  if (!ValidKey(a.GetOpt("key"))) {
    auto r = abort_upload(Error(Errc::kFailure));
    (void)r;
    return ArgList{};
  }
  const std::string key = a.Get("key");

  const std::string expected_size =
      a.Truthy("size") ? std::to_string(PerlInt(a.Get("size"))) : std::string("-1");
  const int64_t want_size = a.Truthy("size") ? PerlInt(a.Get("size")) : -1;
  uint64_t length = want_size > 0 ? static_cast<uint64_t>(want_size) : 0;
  if (ctx.services.nodes) {
    auto head = ctx.services.nodes->HeadSize(path);
    if (!head || head->missing()) {
      const std::string type = head ? "missing" : "cantreach";
      const std::string err = head ? "HTTP 404" : head.error().message;
      return abort_upload(Error(Errc::kSizeVerifyError,
                                "Expected: " + expected_size + "; actual: 0 (" + type +
                                    "); path: " + path + "; error: " + err));
    }
    length = head->content_length.value_or(0);
    if (want_size > -1 && want_size != static_cast<int64_t>(length)) {
      return abort_upload(Error(Errc::kSizeMismatch, "Expected: " + expected_size +
                                                         "; actual: " + std::to_string(length) +
                                                         "; path: " + path));
    }
    if (checksum && a.Truthy("checksumverify")) {
      DigestRequest req;
      const Device* dev = ctx.snap->FindDevice(devid);
      const Host* host = dev ? ctx.snap->FindHost(dev->row.hostid) : nullptr;
      req.host_ip = host ? ctx.HostIp(*host) : std::string();
      req.side_port = static_cast<uint16_t>(ctx.services.mogstored_stream_port);
      req.get_url = ctx.GetUrl(devid, fid).value_or(path);
      req.alg = checksum->hashtype == kHashMd5 ? DigestAlg::kMd5 : DigestAlg::kSha1;
      req.size = length;
      auto digest = ctx.services.nodes->Digest(req);
      if (!digest) {
        return abort_upload(Error(Errc::kFailure, "checksum of " + path +
                                                      " failed: " + digest.error().message));
      }
      const std::string alg(HashTypeName(checksum->hashtype));
      const std::string want_hex = HexLower(checksum->checksum);
      if (digest->missing || digest->hex != want_hex) {
        const std::string actual = alg + ":" + (digest->missing ? "missing" : digest->hex);
        return abort_upload(Error(Errc::kChecksumMismatch,
                                  "Expected: Checksum[f=" + std::to_string(fid) + ";" + alg +
                                      "=" + want_hex + "]; actual: " + actual +
                                      "; path: " + path));
      }
    }
  }

  CloseFile close;
  close.file.fid = fid;
  close.file.dmid = *dmid;
  close.file.dkey = key;
  close.file.length = length;
  close.file.classid = temp.classid;
  close.file.devcount = 1;
  close.devid = devid;
  const ClassInfo* cls = ctx.snap->FindClass(*dmid, temp.classid);
  if (checksum && cls && cls->row.hashtype != kHashNone &&
      cls->row.hashtype == checksum->hashtype) {
    close.checksum = checksum;
  }
  close.enqueue_replication = NeedsReplication(cls);
  auto committed = ctx.store.CloseUpload(close);
  if (!committed) return committed.error();
  switch (*committed) {
    case CloseOutcome::kClosed: return ArgList{};
    case CloseOutcome::kNoTempfile: return Error(Errc::kNoTempFile);
    case CloseOutcome::kFidExists: return Error(Errc::kFidExists);
  }
  return Error(Errc::kFailure);
}

CommandResult Delete(QueryContext& ctx) {
  auto file = ctx.FileFromDomainKey();
  if (!file) return file.error();
  auto del = ctx.store.DeleteFileAndEnqueue(file->fid);
  if (!del) return del.error();
  return ArgList{};
}

CommandResult Rename(QueryContext& ctx) {
  auto dmid = ctx.CheckDomain();
  if (!dmid) return dmid.error();
  auto from = ctx.args.GetOpt("from_key");
  auto to = ctx.args.GetOpt("to_key");
  if (!ValidKey(from) || !ValidKey(to)) return Error(Errc::kNoKey);
  auto file = ctx.store.FileByKey(*dmid, *from);
  if (!file) return file.error();
  if (!*file) return Error(Errc::kUnknownKey);
  auto renamed = ctx.store.RenameFile(*dmid, *from, *to);
  if (!renamed) {
    if (renamed.error().code() == Errc::kDup) return Error(Errc::kKeyExists);
    return renamed.error();
  }
  if (!*renamed) return Error(Errc::kUnknownKey);
  return ArgList{};
}

CommandResult UpdateClass(QueryContext& ctx) {
  auto dmid = ctx.CheckDomain();
  if (!dmid) return dmid.error();
  auto key = ctx.args.GetOpt("key");
  if (!ValidKey(key)) return Error(Errc::kNoKey);
  if (!ctx.args.Truthy("class")) return Error(Errc::kNoClass);
  const ClassInfo* cls = ctx.snap->FindClass(*dmid, ctx.args.Get("class"));
  if (!cls) return Error(Errc::kClassNotFound);
  auto file = ctx.store.FileByKey(*dmid, *key);
  if (!file) return file.error();
  if (!*file) return Error(Errc::kInvalidKey);
  auto on = ctx.store.GetFileOn((*file)->fid);
  if (!on) return on.error();
  if (on->empty()) return Error(Errc::kNoDevices);
  if ((*file)->classid != cls->row.classid) {
    auto up = ctx.store.UpdateFileClass((*file)->fid, cls->row.classid);
    if (!up) return up.error();
    auto q = ctx.store.EnqueueReplicate((*file)->fid, std::nullopt, NextTry::At(0));
    if (!q) return q.error();
  }
  return ArgList{};
}

// Experimental upstream command for in-place edits; needs memcache upstream, which this
// tracker does not use, so it is refused unless memcache_servers is configured (as upstream).
CommandResult EditFile(QueryContext& ctx) {
  if (!ctx.snap->SettingTrue("memcache_servers")) {
    return Error(Errc::kFailure, "edit_file requires memcache_servers");
  }
  auto file = ctx.FileFromDomainKey();
  if (!file) return file.error();
  const FileRow f = *file;
  auto on = ctx.store.GetFileOn(f.fid);
  if (!on) return on.error();
  ReadPlan plan = PlanReadPaths(*ctx.snap, *on, Random(ctx));
  if (plan.candidates.empty()) return Error(Errc::kNoDevices);
  const DevId devid = plan.candidates.front().devid;
  NewTempfile row;
  row.dmid = f.dmid;
  row.dkey = ctx.args.Get("key");  // the key as requested (the lookup ignores case)
  row.classid = f.classid;
  row.devids = std::to_string(devid);
  auto newfid = ctx.store.RegisterTempfile(row, ctx.services.min_fidid);
  if (!newfid) return Error(Errc::kDb);
  if (!ctx.store.RemoveFileOn(f.fid, devid)) return Error(Errc::kDb);
  if (!ctx.store.AddFileOn(*newfid, devid)) return Error(Errc::kDb);
  return ArgList{{"oldpath", ctx.GetUrl(devid, f.fid).value_or("")},
                 {"newpath", ctx.GetUrl(devid, *newfid).value_or("")},
                 {"fid", std::to_string(*newfid)},
                 {"devid", std::to_string(devid)},
                 {"class", std::to_string(f.classid)}};
}

// Debug command: copy a fid from one device to another through the tracker.
CommandResult HttpCopy(QueryContext& ctx) {
  const DevId sdevid = static_cast<DevId>(PerlInt(ctx.args.Get("sdevid")));
  const DevId ddevid = static_cast<DevId>(PerlInt(ctx.args.Get("ddevid")));
  const Fid fid = static_cast<Fid>(std::max<int64_t>(0, PerlInt(ctx.args.Get("fid"))));
  if (!ctx.services.nodes) return Error(Errc::kCopyErr, "no storage client");
  auto file = ctx.store.FileByFid(fid);
  if (!file) return file.error();
  if (!*file) return Error(Errc::kCopyErr, "unknown fid");
  auto src = ctx.GetUrl(sdevid, fid);
  auto dst = ctx.PutUrl(ddevid, fid);
  if (!src || !dst) return Error(Errc::kCopyErr, "unknown device");
  for (const std::string& dir : MkcolDirUrls(*dst)) ctx.services.nodes->Mkcol(dir);
  CopyRequest req;
  req.src_url = *src;
  req.dst_url = *dst;
  req.length = (*file)->length;
  auto copied = ctx.services.nodes->Copy(req);
  if (!copied) return Error(Errc::kCopyErr, copied.error().error.message);
  if (!ctx.store.AddFileOn(fid, ddevid)) {
    return Error(Errc::kCopyErr, "failed to add link to database");
  }
  return ArgList{};
}

}  // namespace

void RegisterFileCommands(CommandTable& table) {
  table.Add("create_open", CreateOpen);
  table.Add("create_close", CreateClose);
  table.Add("delete", Delete);
  table.Add("rename", Rename);
  table.Add("updateclass", UpdateClass);
  table.Add("edit_file", EditFile);
  table.Add("httpcopy", HttpCopy);
}

}  // namespace mog::tracker
