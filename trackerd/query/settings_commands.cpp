// server_setting(s), set_server_setting, replicate_now, clear_cache, do_monitor_round and
// the trivial noop / test / sleep (tracker.md §2.4).
#include <chrono>
#include <string>
#include <thread>

#include "trackerd/query/command_table.h"
#include "trackerd/query/server_setting_rules.h"

namespace mog::tracker {
namespace {

CommandResult ServerSetting(QueryContext& ctx) {
  if (!ctx.args.Truthy("key")) return Error(Errc::kBadParams);
  const std::string key = ctx.args.Get("key");
  auto value = ctx.store.GetServerSetting(key);
  if (!value) return value.error();
  return ArgList{{"key", key}, {"value", value->value_or("")}};
}

CommandResult ServerSettings(QueryContext& ctx) {
  auto all = ctx.store.GetServerSettings();
  if (!all) return all.error();
  ArgList reply;
  int n = 0;
  for (const auto& [k, v] : *all) {
    if (!ServerSettingIsReadable(k)) continue;
    ++n;
    reply.emplace_back("key_" + std::to_string(n), k);
    reply.emplace_back("value_" + std::to_string(n), v);
  }
  // Upstream only sets key_count when there is at least one readable row.
  if (n > 0) reply.emplace(reply.begin(), "key_count", std::to_string(n));
  return reply;
}

CommandResult SetServerSetting(QueryContext& ctx) {
  if (!ctx.args.Truthy("key")) return Error(Errc::kBadParams);
  const std::string key = ctx.args.Get("key");
  SettingCheck check = CheckServerSetting(key, ctx.args.GetOpt("value"));
  if (!check.writable) return Error(Errc::kNotWritable);
  if (!check.error.empty()) return Error(Errc::kInvalidFormat, check.error);
  auto r = check.value ? ctx.store.SetServerSetting(key, *check.value)
                       : ctx.store.DeleteServerSetting(key);
  if (!r) return r.error();
  if (key.starts_with("slave_")) {
    auto v = ctx.store.IncrServerSetting("slave_version", 1);
    if (!v) return v.error();
  }
  // Our own workers see it at once; other trackers within their 4-s refresh.
  if (ctx.services.refresh_cache) (void)ctx.services.refresh_cache(ctx.store);
  return ArgList{};
}

CommandResult ReplicateNow(QueryContext& ctx) {
  auto n = ctx.store.ReplicateNow();
  if (!n) return n.error();
  return ArgList{{"count", std::to_string(*n)}};
}

CommandResult ClearCache(QueryContext& ctx) {
  if (auto r = ctx.RefreshCacheAndWait(); !r) return r.error();
  // The reply echoes the request's arguments (upstream passes them to ok_line).
  ArgList reply;
  for (const auto& [k, v] : ctx.args.items()) {
    if (k != "callid") reply.emplace_back(k, v);
  }
  return reply;
}

CommandResult DoMonitorRound(QueryContext& ctx) {
  const uint64_t ticket = ctx.state().RequestMonitorRound();
  ctx.state().WaitMonitorRound(ticket, ctx.services.monitor_wait);
  return ArgList{};
}

CommandResult Noop(QueryContext&) { return ArgList{}; }

CommandResult Test(QueryContext& ctx) {
  if (ctx.args.Truthy("crash")) throw std::runtime_error("Crashed on purpose");
  return ArgList{};
}

// Upstream's watchdog kills a worker silent for 30 s and re-runs the request, so a sleep over
// 30 s never answers there; we cap the sleep at 30 s instead of looping forever.
CommandResult Sleep(QueryContext& ctx) {
  int64_t seconds = ctx.args.Truthy("duration") ? PerlInt(ctx.args.Get("duration")) : 10;
  if (seconds < 0) seconds = 0;
  if (seconds > 30) seconds = 30;
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  return ArgList{};
}

}  // namespace

void RegisterSettingsCommands(CommandTable& table) {
  table.Add("server_setting", ServerSetting);
  table.Add("server_settings", ServerSettings);
  table.Add("set_server_setting", SetServerSetting);
  table.Add("replicate_now", ReplicateNow);
  table.Add("clear_cache", ClearCache);
  table.Add("do_monitor_round", DoMonitorRound);
  table.Add("noop", Noop);
  table.Add("test", Test);
  table.Add("sleep", Sleep);
}

}  // namespace mog::tracker
