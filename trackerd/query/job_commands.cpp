// fsck_* and rebalance_* control commands (tracker.md §2.5, §2.6). They only read and write
// server_settings / fsck_log; the JobMaster and Fsck workers act on them.
#include <string>

#include "trackerd/query/command_table.h"
#include "trackerd/query/rebalance_policy.h"
#include "trackerd/workers/rebalance_injector.h"

namespace mog::tracker {
namespace {

// A setting read from the DB (not the 4-s cache): fsck/rebalance control keys.
Result<std::string> SettingOrEmpty(Store& store, std::string_view key) {
  auto v = store.GetServerSetting(key);
  if (!v) return v.error();
  return v->value_or("");
}

int64_t IntOf(const std::string& v) { return PerlInt(v); }

Result<void> FsckReset(Store& store) {
  auto fail = [](const Error&) { return Error(Errc::kDb); };
  if (auto r = store.DeleteServerSetting("fsck_start_time"); !r) return fail(r.error());
  if (auto r = store.DeleteServerSetting("fsck_stop_time"); !r) return fail(r.error());
  if (auto r = store.SetServerSetting("fsck_fids_checked", "0"); !r) return fail(r.error());
  auto max_fid = store.MaxFid();
  if (!max_fid) return fail(max_fid.error());
  if (auto r = store.SetServerSetting("fsck_fid_at_end", std::to_string(*max_fid)); !r) {
    return fail(r.error());
  }
  if (auto r = store.DeleteServerSettingsWithPrefix("fsck_sum_evcount_"); !r) {
    return fail(r.error());
  }
  auto logid = store.MaxFsckLogid();
  if (!logid) return fail(logid.error());
  for (const char* k : {"fsck_start_maxlogid", "fsck_logid_processed"}) {
    if (auto r = store.SetServerSetting(k, std::to_string(*logid)); !r) return fail(r.error());
  }
  return {};
}

CommandResult FsckStart(QueryContext& ctx) {
  auto fsck_host = SettingOrEmpty(ctx.store, "fsck_host");
  if (!fsck_host) return fsck_host.error();
  auto rebal_host = SettingOrEmpty(ctx.store, "rebal_host");
  if (!rebal_host) return rebal_host.error();
  if (PerlTrue(*fsck_host)) return Error(Errc::kFsckRunning, "fsck is already running");
  if (PerlTrue(*rebal_host)) {
    return Error(Errc::kRebalRunning, "rebalance running; cannot run fsck at same time");
  }
  auto checked = SettingOrEmpty(ctx.store, "fsck_highest_fid_checked");
  auto final_fid = SettingOrEmpty(ctx.store, "fsck_fid_at_end");
  if (!checked || !final_fid) return Error(Errc::kDb);
  const int64_t c = IntOf(*checked);
  const int64_t f = IntOf(*final_fid);
  if ((c && f && c >= f) || (!f && !c)) {
    if (!FsckReset(ctx.store)) return Error(Errc::kDb);
  }
  auto now = ctx.store.DbNow();
  if (!now) return now.error();
  auto start_fid = SettingOrEmpty(ctx.store, "fsck_highest_fid_checked");
  if (!start_fid) return start_fid.error();
  for (auto r : {ctx.store.SetServerSetting("fsck_start_time", std::to_string(*now)),
                 ctx.store.DeleteServerSetting("fsck_stop_time"),
                 ctx.store.SetServerSetting("fsck_fids_checked", "0"),
                 ctx.store.SetServerSetting("fsck_start_fid", std::to_string(IntOf(*start_fid))),
                 ctx.store.SetServerSetting("fsck_host", ctx.services.hostname)}) {
    if (!r) return r.error();
  }
  return ArgList{};
}

CommandResult FsckStop(QueryContext& ctx) {
  if (auto r = ctx.store.DeleteServerSetting("fsck_host"); !r) return r.error();
  auto now = ctx.store.DbNow();
  if (!now) return now.error();
  if (auto r = ctx.store.SetServerSetting("fsck_stop_time", std::to_string(*now)); !r) {
    return r.error();
  }
  return ArgList{};
}

CommandResult FsckResetCmd(QueryContext& ctx) {
  auto r1 = ctx.args.Truthy("policy_only") ? ctx.store.SetServerSetting("fsck_opt_policy_only", "1")
                                           : ctx.store.DeleteServerSetting("fsck_opt_policy_only");
  if (!r1) return r1.error();
  const std::string startpos = ctx.args.Truthy("startpos") ? ctx.args.Get("startpos") : "0";
  if (auto r = ctx.store.SetServerSetting("fsck_highest_fid_checked", startpos); !r) {
    return r.error();
  }
  if (!FsckReset(ctx.store)) return Error(Errc::kDb);
  return ArgList{};
}

CommandResult FsckClearLog(QueryContext& ctx) {
  if (auto r = ctx.store.ClearFsckLog(); !r) return r.error();
  return ArgList{};
}

CommandResult FsckGetLog(QueryContext& ctx) {
  const int64_t after = std::max<int64_t>(0, PerlInt(ctx.args.Get("after_logid")));
  auto rows = ctx.store.FsckLogRows(static_cast<uint64_t>(after), 100);
  if (!rows) return rows.error();
  ArgList reply;
  int n = 0;
  for (const FsckLogRow& r : *rows) {
    const std::string p = "row_" + std::to_string(++n) + "_";
    reply.emplace_back(p + "logid", std::to_string(r.logid));
    reply.emplace_back(p + "utime", std::to_string(r.utime));
    if (r.fid) reply.emplace_back(p + "fid", std::to_string(*r.fid));
    if (!r.evcode.empty()) reply.emplace_back(p + "evcode", r.evcode);
    if (r.devid) reply.emplace_back(p + "devid", std::to_string(*r.devid));
  }
  reply.emplace_back("row_count", std::to_string(n));
  return reply;
}

// Folds fsck_log rows not yet counted into the fsck_sum_evcount_<CODE> settings.
Result<void> SummarizeFsckLog(Store& store) {
  ScopedNamedLock lock(store, "mgfs:fscksum");
  auto got = lock.Acquire(10);
  if (!got) return got.error();
  if (!*got) return {};  // someone else is folding right now
  auto processed = store.GetServerSetting("fsck_logid_processed");
  if (!processed) return processed.error();
  const uint64_t from =
      static_cast<uint64_t>(std::max<int64_t>(0, PerlInt(processed->value_or(""))));
  auto max = store.MaxFsckLogid();
  if (!max) return max.error();
  if (*max <= from) return {};
  auto counts = store.FsckLogCounts(from, *max);
  if (!counts) return counts.error();
  for (const auto& [code, n] : *counts) {
    auto r = store.IncrServerSetting("fsck_sum_evcount_" + code, static_cast<int64_t>(n));
    if (!r) return r.error();
  }
  return store.SetServerSetting("fsck_logid_processed", std::to_string(*max));
}

CommandResult FsckStatus(QueryContext& ctx) {
  if (auto r = SummarizeFsckLog(ctx.store); !r) return r.error();
  auto all = ctx.store.GetServerSettings();
  if (!all) return all.error();
  auto get = [&](const std::string& k) -> std::string {
    auto it = all->find(k);
    return it == all->end() ? std::string() : it->second;
  };
  auto intss = [&](const std::string& k) { return std::to_string(PerlInt(get(k))); };
  auto now = ctx.store.DbNow();
  if (!now) return now.error();
  auto max_logid = ctx.store.MaxFsckLogid();
  if (!max_logid) return max_logid.error();
  const std::string host = get("fsck_host");
  ArgList reply{{"running", PerlTrue(host) ? "1" : "0"},
                {"host", host},
                {"max_fid_checked", intss("fsck_highest_fid_checked")},
                {"policy_only", intss("fsck_opt_policy_only")},
                {"end_fid", intss("fsck_fid_at_end")},
                {"start_time", intss("fsck_start_time")},
                {"stop_time", intss("fsck_stop_time")},
                {"current_time", std::to_string(*now)},
                {"max_logid", std::to_string(*max_logid)}};
  const std::string prefix = "fsck_sum_evcount_";
  for (const auto& [k, v] : *all) {
    if (k.starts_with(prefix) && k.size() > prefix.size()) {
      reply.emplace_back("num_" + k.substr(prefix.size()), std::to_string(PerlInt(v)));
    }
  }
  return reply;
}

// A new run starts from scratch: its state, and our note of which of the old run's source
// devices the operator had drained (rebal_operator_drain, see rebalance_injector.h).
Result<void> ForgetRebalanceRun(Store& store) {
  if (auto r = store.DeleteServerSetting("rebal_state"); !r) return r.error();
  return store.DeleteServerSetting(kOperatorDrainSetting);
}

CommandResult RebalanceStatus(QueryContext& ctx) {
  auto state = SettingOrEmpty(ctx.store, "rebal_state");
  if (!state) return state.error();
  if (!PerlTrue(*state)) return Error(Errc::kNoRebalState);
  return ArgList{{"state", *state}};
}

CommandResult RebalanceStart(QueryContext& ctx) {
  auto rebal_host = SettingOrEmpty(ctx.store, "rebal_host");
  if (!rebal_host) return rebal_host.error();
  auto fsck_host = SettingOrEmpty(ctx.store, "fsck_host");
  if (!fsck_host) return fsck_host.error();
  if (PerlTrue(*rebal_host)) return Error(Errc::kRebalRunning, "rebalance is already running");
  if (PerlTrue(*fsck_host)) {
    return Error(Errc::kFsckRunning, "fsck running; cannot run rebalance at same time");
  }
  auto state = SettingOrEmpty(ctx.store, "rebal_state");
  if (!state) return state.error();
  std::string saved = *state;
  if (!PerlTrue(saved)) {
    auto text = SettingOrEmpty(ctx.store, "rebal_policy");
    if (!text) return text.error();
    if (!PerlTrue(*text)) return Error(Errc::kNoRebalPolicy);
    auto policy = ParseRebalancePolicy(*text);
    if (!policy) return Error(Errc::kFailure, policy.error().message());
    auto now = ctx.store.DbNow();
    if (!now) return now.error();
    saved = InitialRebalanceState(*policy, RebalanceSourceDevices(*policy, *ctx.snap), *now);
    if (auto r = ctx.store.SetServerSetting("rebal_state", saved); !r) return r.error();
  }
  if (auto r = ctx.store.SetServerSetting("rebal_host", ctx.services.hostname); !r) {
    return r.error();
  }
  return ArgList{{"state", saved}};
}

CommandResult RebalanceTest(QueryContext& ctx) {
  auto text = SettingOrEmpty(ctx.store, "rebal_policy");
  if (!text) return text.error();
  if (!PerlTrue(*text)) return Error(Errc::kNoRebalPolicy);
  auto policy = ParseRebalancePolicy(*text);
  if (!policy) return Error(Errc::kFailure, policy.error().message());
  const std::vector<uint32_t> sdevs = RebalanceSourceDevices(*policy, *ctx.snap);
  return ArgList{{"sdevs", JoinIds(sdevs)},
                 {"ddevs", JoinIds(RebalanceDestDevices(*policy, *ctx.snap, sdevs))}};
}

CommandResult RebalanceReset(QueryContext& ctx) {
  auto host = SettingOrEmpty(ctx.store, "rebal_host");
  if (!host) return host.error();
  if (PerlTrue(*host)) return Error(Errc::kRebalRunning, "rebalance is running");
  if (auto r = ForgetRebalanceRun(ctx.store); !r) return r.error();
  return ArgList{};
}

CommandResult RebalanceStop(QueryContext& ctx) {
  auto host = SettingOrEmpty(ctx.store, "rebal_host");
  if (!host) return host.error();
  if (!PerlTrue(*host)) return Error(Errc::kRebalNotStarted);
  if (auto r = ctx.store.SetServerSetting("rebal_signal", "stop"); !r) return r.error();
  return ArgList{};
}

CommandResult RebalanceSetPolicy(QueryContext& ctx) {
  auto host = SettingOrEmpty(ctx.store, "rebal_host");
  if (!host) return host.error();
  if (PerlTrue(*host)) {
    return Error(Errc::kNoSetRebal, "cannot change rebalance policy while rebalance is running");
  }
  const std::string text = ctx.args.Get("policy");
  auto policy = ParseRebalancePolicy(text);
  if (!policy) return policy.error();
  auto r = PerlTrue(text) ? ctx.store.SetServerSetting("rebal_policy", text)
                          : ctx.store.DeleteServerSetting("rebal_policy");
  if (!r) return r.error();
  if (auto d = ForgetRebalanceRun(ctx.store); !d) return d.error();
  return ArgList{};
}

}  // namespace

void RegisterJobCommands(CommandTable& table) {
  table.Add("fsck_start", FsckStart);
  table.Add("fsck_stop", FsckStop);
  table.Add("fsck_reset", FsckResetCmd);
  table.Add("fsck_clearlog", FsckClearLog);
  table.Add("fsck_getlog", FsckGetLog);
  table.Add("fsck_status", FsckStatus);
  table.Add("rebalance_status", RebalanceStatus);
  table.Add("rebalance_start", RebalanceStart);
  table.Add("rebalance_test", RebalanceTest);
  table.Add("rebalance_reset", RebalanceReset);
  table.Add("rebalance_stop", RebalanceStop);
  table.Add("rebalance_set_policy", RebalanceSetPolicy);
}

}  // namespace mog::tracker
