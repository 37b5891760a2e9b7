// mogadm slave ..., settings ..., fsck ... and rebalance ...
#include <thread>

#include "tools/mogadm/formats.h"
#include "tools/mogadm/mogadm_runner.h"
#ifdef MOG_HAVE_DSN_PARSER
#include "trackerd/store/dsn.h"
#endif

namespace mog::mogadm {
namespace {

bool PerlTrue(const std::string& v) { return !v.empty() && v != "0"; }

std::string Arg(const CommandArgs& args, const std::string& name) {
  auto it = args.find(name);
  return it == args.end() ? std::string() : it->second;
}

bool NotRebal(const std::string& key) { return !key.starts_with("rebal"); }

// A slave DSN is parsed as the trackers will parse it (DBD::mysql's rules) before it is stored;
// upstream stores anything and the trackers fail later. Our extension.
void CheckSlaveDsn(Runner& r, const CommandArgs& args) {
#ifdef MOG_HAVE_DSN_PARSER
  auto it = args.find("dsn");
  if (it == args.end()) return;
  if (auto dsn = tracker::ParseDsn(it->second); !dsn) r.Fail(dsn.error().message());
#else
  (void)r;
  (void)args;
#endif
}
bool RebalSetting(const std::string& key) {
  return key.starts_with("rebal_") && key != "rebal_state";
}

// Runs a command whose reply is only checked for success.
void Simple(Runner& r, const std::string& command, const std::string& ok_text,
            const mog::ArgList& args = {}) {
  auto reply = r.NewAdmin().Raw(command, args);
  if (!reply) r.FailWith("", reply.error());
  r.Ok(ok_text);
}

// fsck printlog / taillog: rows after `start`; at the end either stop or poll every 5 s.
[[noreturn]] void DumpLog(Runner& r, int64_t start, bool follow) {
  client::Admin& admin = r.NewAdmin();
  r.out() << FormatFsckLogHeader() << std::flush;
  std::string after = std::to_string(start);
  while (true) {
    auto rows = admin.FsckLogRows(after);
    if (!rows) {
      if (rows.error().kind == client::ClientError::Kind::kTransport) {
        r.Die("MogileFS::Backend: " + rows.error().text);
      }
      rows = std::vector<client::FsckLogRow>{};  // upstream treats an ERR as "no rows"
    }
    if (rows->empty()) {
      if (!follow) r.Ok();
      std::this_thread::sleep_for(std::chrono::seconds(5));
      continue;
    }
    for (const auto& row : *rows) {
      r.out() << FormatFsckLogRow(row);
      after = row.logid;
    }
    r.out() << std::flush;
  }
}

}  // namespace

void SlaveSettingsCommand(Runner& r, const std::string& verb, CommandArgs& args) {
  if (r.topcmd == "settings") {
    if (verb == "list") {
      auto settings = r.NewAdmin().ServerSettings();
      if (!settings) r.Fail("can't get settings");
      r.out() << FormatSettings(*settings, NotRebal);
      throw Exit{0};
    }
    auto set = r.NewAdmin().SetServerSetting(Arg(args, "key"), Arg(args, "value"));
    if (!set) r.FailWith("", set.error(), {.setting = Arg(args, "key")});
    r.Ok();
  }
  client::Admin& admin = r.NewAdmin();
  const std::string key = Arg(args, "slave_key");
  if (verb == "list") {
    auto slaves = admin.SlaveList();
    if (!slaves) r.FailWith("", slaves.error());
    for (const auto& [name, parts] : *slaves) {
      r.out() << name << " --dsn=" << parts[0] << " --username=" << parts[1]
              << " --password=" << parts[2] << "\n";
    }
    r.Ok();
  }
  if (verb == "add" || verb == "modify") CheckSlaveDsn(r, args);
  if (verb == "add") {
    auto added = admin.SlaveAdd(key, Arg(args, "dsn"), Arg(args, "username"), Arg(args, "password"));
    if (added && *added) r.Ok("Slave added");
    r.Fail("Slave failed to be added");
  }
  if (verb == "modify") {
    if (!PerlTrue(key)) r.HelpDie("Key argument is required");
    std::map<std::string, std::string> fields;
    for (const char* name : {"dsn", "username", "password"}) {
      if (args.count(name)) fields[name] = args[name];
    }
    auto modified = admin.SlaveModify(key, fields);
    if (modified && *modified) r.Ok("Slave modify success");
    r.Fail("Slave modify failure: " + (modified ? std::string() : modified.error().errstr()));
  }
  if (verb == "delete") {
    auto deleted = admin.SlaveDelete(key);
    if (deleted && *deleted) r.Ok("Slave deleted");
    r.Fail("Slave delete failed");
  }
}

void FsckRebalanceCommand(Runner& r, const std::string& verb, CommandArgs& args) {
  if (r.topcmd == "fsck") {
    if (verb == "start") Simple(r, "fsck_start", "fsck started");
    if (verb == "stop") Simple(r, "fsck_stop", "fsck stopped");
    if (verb == "clearlog") Simple(r, "fsck_clearlog", "fsck log cleared");
    if (verb == "reset") {
      mog::ArgList reset_args;
      if (args.count("policy-only")) reset_args.emplace_back("policy_only", args["policy-only"]);
      if (args.count("startpos")) reset_args.emplace_back("startpos", args["startpos"]);
      Simple(r, "fsck_reset", "fsck stopped", reset_args);  // sic: upstream's text
    }
    if (verb == "status" || verb == "taillog") {
      auto status = r.NewAdmin().Raw("fsck_status");
      if (!status) r.Fail("can't get fsck status");
      if (verb == "taillog") DumpLog(r, status->GetInt("max_logid") - 20, true);
      r.out() << FormatFsckStatus(*status);
      throw Exit{0};
    }
    if (verb == "printlog") DumpLog(r, 0, false);
    return;
  }
  if (verb == "start") Simple(r, "rebalance_start", "rebalance started");
  if (verb == "stop") Simple(r, "rebalance_stop", "rebalance stopped");
  if (verb == "reset") Simple(r, "rebalance_reset", "rebalance reset");
  if (verb == "policy") {
    mog::ArgList policy;
    if (args.count("options")) policy.emplace_back("policy", args["options"]);
    Simple(r, "rebalance_set_policy", "changed policy setting", policy);
  }
  client::Admin& admin = r.NewAdmin();
  if (verb == "test") {
    auto tested = admin.Raw("rebalance_test");
    if (!tested) r.FailWith("", tested.error());
    auto settings = admin.ServerSettings();
    std::string policy = settings && settings->count("rebal_policy") ? settings->at("rebal_policy") : "";
    r.out() << FormatRebalanceTest(policy, *tested);
    throw Exit{0};
  }
  if (verb == "status") {
    auto settings = admin.ServerSettings();
    if (!settings) r.FailWith("", settings.error());
    auto status = admin.Raw("rebalance_status");
    if (!status) r.FailWith("", status.error());
    const bool running = settings->count("rebal_host") && PerlTrue(settings->at("rebal_host"));
    r.out() << FormatRebalanceStatus(running, status->Get("state"));
    throw Exit{0};
  }
  if (verb == "settings") {
    auto settings = admin.ServerSettings();
    if (!settings) r.Fail("can't get settings");
    r.out() << FormatSettings(*settings, RebalSetting);
    throw Exit{0};
  }
}

}  // namespace mog::mogadm
