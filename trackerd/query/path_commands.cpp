// Read-side file commands: get_paths, file_info, file_debug (tracker.md §2.2).
#include <string>
#include <vector>

#include "trackerd/nodes/node_client.h"
#include "trackerd/placement/random_source.h"
#include "trackerd/placement/read_order.h"
#include "trackerd/query/checksum_text.h"
#include "trackerd/query/command_table.h"

namespace mog::tracker {
namespace {

RandomSource& Random(QueryContext& ctx) {
  return ctx.services.random ? *ctx.services.random : GlobalRandom();
}

std::string Opt(const std::optional<uint32_t>& v) { return v ? std::to_string(*v) : ""; }

CommandResult GetPaths(QueryContext& ctx) {
  int64_t pathcount = ctx.args.Truthy("pathcount") ? PerlInt(ctx.args.Get("pathcount")) : 2;
  if (pathcount < 2) pathcount = 2;
  const bool noverify = ctx.args.Truthy("noverify");

  auto file = ctx.FileWithDevidsFromDomainKey();
  if (!file) return file.error();
  const FileRow& f = file->file;

  ReadPlan plan = PlanReadPaths(*ctx.snap, file->devids, Random(ctx));
  if (!plan.unknown.empty()) {
    return Error(Errc::kFailure, "fid " + std::to_string(f.fid) + " is on unknown device " +
                                     std::to_string(plan.unknown.front()));
  }
  std::vector<std::string> paths;
  std::vector<std::string> drain_paths;
  for (const ReadCandidate& c : plan.candidates) {
    auto url = ctx.GetUrl(c.devid, f.fid);
    if (!url) continue;
    // Only the first accepted copy is verified (one HEAD per request at most, normally).
    if (paths.empty() && !noverify && ctx.services.nodes) {
      auto head = ctx.services.nodes->HeadSize(*url);
      if (!head || head->missing() || head->content_length.value_or(0) != f.length) continue;
    }
    if (c.drain) {
      drain_paths.push_back(*url);
      continue;
    }
    paths.push_back(*url);
    if (static_cast<int64_t>(paths.size()) == pathcount) break;
  }
  for (const std::string& p : drain_paths) {
    if (static_cast<int64_t>(paths.size()) >= pathcount) break;
    paths.push_back(p);
  }
  if (paths.empty() && plan.backup) {
    if (auto url = ctx.GetUrl(*plan.backup, f.fid)) paths.push_back(*url);
  }
  ArgList reply{{"paths", std::to_string(paths.size())}};
  for (size_t i = 0; i < paths.size(); ++i) {
    reply.emplace_back("path" + std::to_string(i + 1), paths[i]);
  }
  return reply;
}

CommandResult FileInfo(QueryContext& ctx) {
  auto file = ctx.FileFromDomainKey();
  if (!file) return file.error();
  const FileRow f = *file;
  const DomainInfo* dom = ctx.snap->FindDomain(f.dmid);
  const ClassInfo* cls = ctx.snap->FindClass(f.dmid, f.classid);
  ArgList reply{{"fid", std::to_string(f.fid)},
                {"domain", dom ? dom->row.name : ""},
                {"class", cls ? cls->row.name : ""}};
  if (cls && cls->row.hashtype != kHashNone) {
    auto sum = ctx.store.GetChecksum(f.fid);
    if (!sum) return sum.error();
    reply.emplace_back("checksum", *sum ? FormatChecksum(**sum) : "MISSING");
  }
  reply.emplace_back("key", ctx.args.Get("key"));  // as requested, like upstream
  reply.emplace_back("length", std::to_string(f.length));
  reply.emplace_back("devcount", std::to_string(f.devcount));
  if (ctx.args.Truthy("devices")) {
    auto on = ctx.store.GetFileOn(f.fid);
    if (!on) return on.error();
    std::string ids;
    for (DevId d : *on) ids += (ids.empty() ? "" : ",") + std::to_string(d);
    reply.emplace_back("devids", ids);
  }
  return reply;
}

void AddQueueRow(ArgList& reply, const std::string& prefix, const QueueRow& q) {
  reply.emplace_back(prefix + "fid", std::to_string(q.fid));
  reply.emplace_back(prefix + "devid", Opt(q.devid));
  reply.emplace_back(prefix + "type", std::to_string(q.type));
  reply.emplace_back(prefix + "nexttry", std::to_string(q.nexttry));
  reply.emplace_back(prefix + "failcount", std::to_string(q.failcount));
  reply.emplace_back(prefix + "flags", std::to_string(q.flags));
  reply.emplace_back(prefix + "arg", q.arg.value_or(""));
}

CommandResult FileDebug(QueryContext& ctx) {
  std::optional<FileRow> file;
  Fid fid = 0;
  if (ctx.args.Truthy("fid")) {
    fid = static_cast<Fid>(std::max<int64_t>(0, PerlInt(ctx.args.Get("fid"))));
    auto row = ctx.store.FileByFid(fid);
    if (!row) return row.error();
    file = *row;
  } else {
    auto row = ctx.FileFromDomainKey();
    if (!row) return row.error();
    file = *row;
    fid = file->fid;
  }
  ArgList reply;
  if (file) {
    const DomainInfo* dom = ctx.snap->FindDomain(file->dmid);
    const ClassInfo* cls = ctx.snap->FindClass(file->dmid, file->classid);
    reply.emplace_back("fid_fid", std::to_string(file->fid));
    reply.emplace_back("fid_dmid", std::to_string(file->dmid));
    reply.emplace_back("fid_dkey", file->dkey);
    reply.emplace_back("fid_length", std::to_string(file->length));
    reply.emplace_back("fid_classid", std::to_string(file->classid));
    reply.emplace_back("fid_devcount", std::to_string(file->devcount));
    reply.emplace_back("fid_domain", dom ? dom->row.name : "");
    reply.emplace_back("fid_class", cls ? cls->row.name : "");
  }
  auto temp = ctx.store.GetTempfile(fid);
  if (!temp) return temp.error();
  if (*temp) {
    reply.emplace_back("tempfile_classid", std::to_string((*temp)->classid));
    reply.emplace_back("tempfile_dmid", std::to_string((*temp)->dmid));
    reply.emplace_back("tempfile_dkey", (*temp)->dkey);
    reply.emplace_back("tempfile_devids", (*temp)->devids);
  }
  auto repl = ctx.store.GetReplicateQueueRow(fid);
  if (!repl) return repl.error();
  if (*repl) {
    reply.emplace_back("replqueue_fid", std::to_string((*repl)->fid));
    reply.emplace_back("replqueue_nexttry", std::to_string((*repl)->nexttry));
    reply.emplace_back("replqueue_fromdevid", Opt((*repl)->fromdevid));
    reply.emplace_back("replqueue_failcount", std::to_string((*repl)->failcount));
    reply.emplace_back("replqueue_flags", std::to_string((*repl)->flags));
  }
  auto del = ctx.store.GetDeleteQueueRow(fid);
  if (!del) return del.error();
  if (*del) {
    reply.emplace_back("delqueue_fid", std::to_string((*del)->fid));
    reply.emplace_back("delqueue_nexttry", std::to_string((*del)->nexttry));
    reply.emplace_back("delqueue_failcount", std::to_string((*del)->failcount));
  }
  auto queued = ctx.store.GetQueueRows(fid);
  if (!queued) return queued.error();
  for (const QueueRow& q : *queued) {
    if (q.type == kQueueTypeRebalance) AddQueueRow(reply, "rebqueue_", q);
    if (q.type == kQueueTypeFsck) AddQueueRow(reply, "fsckqueue_", q);
  }
  auto on = ctx.store.GetFileOn(fid);
  if (!on) return on.error();
  std::string ids;
  for (DevId d : *on) {
    if (auto url = ctx.GetUrl(d, fid)) reply.emplace_back("devpath_" + std::to_string(d), *url);
    ids += (ids.empty() ? "" : ",") + std::to_string(d);
  }
  if (!ids.empty()) reply.emplace_back("devids", ids);
  auto sum = ctx.store.GetChecksum(fid);
  if (!sum) return sum.error();
  reply.emplace_back("checksum", *sum ? FormatChecksum(**sum) : "NONE");
  return reply;
}

}  // namespace

void RegisterPathCommands(CommandTable& table) {
  table.Add("get_paths", GetPaths);
  table.Add("file_info", FileInfo);
  table.Add("file_debug", FileDebug);
}

}  // namespace mog::tracker
