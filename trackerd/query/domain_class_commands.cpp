// Domain and class administration: get_domains, create/delete_domain,
// create/update/delete_class (tracker.md §2.3). Names are looked up in the DB (collation
// rules), not in the cache; every mutation refreshes the cache before replying.
#include <string>

#include "trackerd/query/command_table.h"
#include "trackerd/query/replpolicy_text.h"

namespace mog::tracker {
namespace {

CommandResult GetDomains(QueryContext& ctx) {
  ArgList reply;
  int dn = 0;
  for (const auto& [dmid, dom] : ctx.snap->domains()) {
    const std::string d = "domain" + std::to_string(++dn);
    reply.emplace_back(d, dom.row.name);
    int cn = 0;
    for (const auto& [classid, cls] : dom.classes) {
      const std::string c = d + "class" + std::to_string(++cn);
      reply.emplace_back(c + "name", cls.row.name);
      reply.emplace_back(c + "mindevcount", std::to_string(cls.row.mindevcount));
      reply.emplace_back(c + "replpolicy",
                         cls.row.replpolicy.empty() ? "MultipleHosts()" : cls.row.replpolicy);
      reply.emplace_back(c + "hashtype", std::string(HashTypeName(cls.row.hashtype)));
    }
    reply.emplace_back(d + "classes", std::to_string(cn));
  }
  reply.emplace_back("domains", std::to_string(dn));
  return reply;
}

CommandResult CreateDomain(QueryContext& ctx) {
  if (!ctx.args.Truthy("domain")) return Error(Errc::kNoDomain);
  const std::string domain = ctx.args.Get("domain");
  auto created = ctx.store.CreateDomain(domain);
  if (!created) {
    if (created.error().code() == Errc::kDup) return Error(Errc::kDomainExists);
    return Error(Errc::kFailure, created.error().message());
  }
  if (auto r = ctx.RefreshCacheAndWait(); !r) return r.error();
  return ArgList{{"domain", domain}};
}

CommandResult DeleteDomain(QueryContext& ctx) {
  if (!ctx.args.Truthy("domain")) return Error(Errc::kNoDomain);
  const std::string domain = ctx.args.Get("domain");
  auto dom = ctx.store.FindDomain(domain);
  if (!dom) return dom.error();
  if (!*dom) return Error(Errc::kDomainNotFound);
  auto files = ctx.store.DomainHasFiles((*dom)->dmid);
  if (!files) return Error(Errc::kFailure);
  if (*files) return Error(Errc::kDomainHasFiles);
  auto classes = ctx.store.DomainHasClasses((*dom)->dmid);
  if (!classes) return Error(Errc::kFailure);
  if (*classes) return Error(Errc::kDomainHasClasses);
  if (auto del = ctx.store.DeleteDomain((*dom)->dmid); !del) return Error(Errc::kFailure);
  if (auto r = ctx.RefreshCacheAndWait(); !r) return r.error();
  return ArgList{{"domain", domain}};
}

CommandResult CreateOrUpdateClass(QueryContext& ctx, bool update) {
  const std::string domain = ctx.args.Get("domain");
  if (domain.empty()) return Error(Errc::kNoDomain);
  const std::string cls = ctx.args.Get("class");
  if (cls.empty()) return Error(Errc::kNoClass);
  const int64_t mindevcount = PerlInt(ctx.args.Get("mindevcount"));
  if (mindevcount <= 0) return Error(Errc::kInvalidMindevcount);
  const std::string replpolicy = ctx.args.Truthy("replpolicy") ? ctx.args.Get("replpolicy") : "";
  if (!replpolicy.empty()) {
    if (auto err = ReplPolicyError(replpolicy)) return Error(Errc::kInvalidReplpolicy, *err);
  }
  std::optional<int> hashtype;
  if (ctx.args.Truthy("hashtype")) {
    auto t = HashTypeFromName(ctx.args.Get("hashtype"));
    if (!t) return Error(Errc::kInvalidHashtype);
    hashtype = *t;
  }
  auto dom = ctx.store.FindDomain(domain);
  if (!dom) return dom.error();
  if (!*dom) return Error(Errc::kDomainNotFound);
  const DmId dmid = (*dom)->dmid;
  auto existing = ctx.store.FindClass(dmid, cls);
  if (!existing) return existing.error();
  // update_class of a `default` class that has no row creates it.
  if (update && !*existing && cls == "default") update = false;

  ClassUpdate fields;
  fields.mindevcount = static_cast<int>(std::min<int64_t>(mindevcount, 255));
  if (!replpolicy.empty()) fields.replpolicy = replpolicy;  // never cleared by an empty one
  fields.hashtype = hashtype;
  if (update) {
    if (!*existing) return Error(Errc::kClassNotFound);
    fields.name = cls;
    auto r = ctx.store.UpdateClass(dmid, (*existing)->classid, fields);
    if (!r) return r.error();
  } else {
    auto created = ctx.store.CreateClass(dmid, cls, fields);
    if (!created) {
      if (created.error().code() == Errc::kDup) return Error(Errc::kClassExists);
      return Error(Errc::kFailure, created.error().message());
    }
  }
  if (auto r = ctx.RefreshCacheAndWait(); !r) return r.error();
  return ArgList{{"class", cls}, {"mindevcount", std::to_string(mindevcount)}, {"domain", domain}};
}

CommandResult CreateClass(QueryContext& ctx) { return CreateOrUpdateClass(ctx, false); }
CommandResult UpdateClass(QueryContext& ctx) { return CreateOrUpdateClass(ctx, true); }

CommandResult DeleteClass(QueryContext& ctx) {
  const std::string domain = ctx.args.Get("domain");
  if (domain.empty()) return Error(Errc::kNoDomain);
  // (Upstream's no_class check tests `domain`, so a missing class ends as class_not_found.)
  const std::string cls = ctx.args.Get("class");
  if (cls == "default") return Error(Errc::kNodelDefaultClass);
  auto dom = ctx.store.FindDomain(domain);
  if (!dom) return dom.error();
  if (!*dom) return Error(Errc::kDomainNotFound);
  auto existing = ctx.store.FindClass((*dom)->dmid, cls);
  if (!existing) return existing.error();
  if (!*existing) return Error(Errc::kClassNotFound);
  auto files = ctx.store.ClassHasFiles((*dom)->dmid, (*existing)->classid);
  if (!files) return Error(Errc::kFailure);
  if (*files) return Error(Errc::kClassHasFiles);
  if (auto del = ctx.store.DeleteClass((*dom)->dmid, (*existing)->classid); !del) {
    return Error(Errc::kFailure);
  }
  if (auto r = ctx.RefreshCacheAndWait(); !r) return r.error();
  return ArgList{{"domain", domain}, {"class", cls}};
}

}  // namespace

void RegisterDomainClassCommands(CommandTable& table) {
  table.Add("get_domains", GetDomains);
  table.Add("create_domain", CreateDomain);
  table.Add("delete_domain", DeleteDomain);
  table.Add("create_class", CreateClass);
  table.Add("update_class", UpdateClass);
  table.Add("delete_class", DeleteClass);
}

}  // namespace mog::tracker
