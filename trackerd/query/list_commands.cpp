// Listing commands: list_keys, list_fids (tracker.md §2.2).
#include <regex>
#include <string>

#include "trackerd/query/command_table.h"

namespace mog::tracker {
namespace {

CommandResult ListKeys(QueryContext& ctx) {
  auto dmid = ctx.CheckDomain();
  if (!dmid) return dmid.error();
  const std::string prefix = ctx.args.Get("prefix");
  const std::string after = ctx.args.Get("after");
  if (!prefix.empty() && PerlTrue(after)) {
    // Upstream matches `after` against the regex ^<prefix> (prefix not escaped); an invalid
    // pattern is a failure there too.
    try {
      std::regex re("^(?:" + prefix + ")", std::regex::ECMAScript);
      if (!std::regex_search(after, re, std::regex_constants::match_continuous)) {
        return Error(Errc::kAfterMismatch);
      }
    } catch (const std::regex_error& e) {
      return Error(Errc::kFailure, std::string("invalid prefix pattern: ") + e.what());
    }
  }
  int64_t limit = ctx.args.Truthy("limit") ? PerlInt(ctx.args.Get("limit")) : 1000;
  if (limit == 0) limit = 1000;
  if (limit > 1000) limit = 1000;
  if (limit < 0) return Error(Errc::kNoneMatch);  // LIMIT -n is an SQL error upstream
  ListKeysQuery q;
  q.dmid = *dmid;
  q.prefix = prefix;
  q.after = PerlTrue(after) ? after : std::string();
  q.limit = static_cast<int>(limit);
  q.case_sensitive = ctx.snap->SettingTrue("case_sensitive_list_keys");
  auto keys = ctx.store.ListKeys(q);
  if (!keys) return keys.error();
  if (keys->empty()) return Error(Errc::kNoneMatch);
  std::string next_after;
  ArgList reply{{"key_count", std::to_string(keys->size())}};
  for (size_t i = 0; i < keys->size(); ++i) {
    const std::string& k = (*keys)[i];
    if (k > next_after) next_after = k;  // byte-wise maximum, as upstream's `gt`
    reply.emplace_back("key_" + std::to_string(i + 1), k);
  }
  reply.emplace_back("next_after", next_after);
  return reply;
}

CommandResult ListFids(QueryContext& ctx) {
  const int64_t from = std::max<int64_t>(0, PerlInt(ctx.args.Get("from")));
  int64_t count = PerlInt(ctx.args.Get("to"));
  if (count == 0) count = 100;
  if (count > 500 || count < 0) count = 500;
  auto rows = ctx.store.ListFids(static_cast<Fid>(from), static_cast<int>(count));
  if (!rows) return rows.error();
  ArgList reply;
  size_t n = 0;
  for (const FileRow& r : *rows) {
    ++n;
    const std::string p = "fid_" + std::to_string(n) + "_";
    const DomainInfo* dom = ctx.snap->FindDomain(r.dmid);
    const ClassInfo* cls = ctx.snap->FindClass(r.dmid, r.classid);
    reply.emplace_back(p + "fid", std::to_string(r.fid));
    reply.emplace_back(p + "domain", dom ? dom->row.name : "");
    reply.emplace_back(p + "class", cls ? cls->row.name : "");
    reply.emplace_back(p + "key", r.dkey);
    reply.emplace_back(p + "length", std::to_string(r.length));
    reply.emplace_back(p + "devcount", std::to_string(r.devcount));
  }
  reply.emplace_back("fid_count", std::to_string(n));
  return reply;
}

}  // namespace

void RegisterListCommands(CommandTable& table) {
  table.Add("list_keys", ListKeys);
  table.Add("list_fids", ListFids);
  RegisterPathCommands(table);
}

}  // namespace mog::tracker
